//! `sql`: render changes as SQL text.
