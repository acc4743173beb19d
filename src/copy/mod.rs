//! Batched COPY into PostgreSQL, shared by `seed` (generated rows) and
//! `import` (validated CSV rows).
//!
//! Rows are vectors of [`Value`]; the encoder turns them into COPY's binary
//! format for the table's column types (read from the catalog), or text
//! format when a column has a type without a binary encoder here.

pub mod value;

pub use value::Value;
