//! `diff`: compare two catalog models and list the changes.
