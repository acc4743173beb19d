//! `pg`: PostgreSQL knowledge, written once.
//!
//! - [`types`]: type families, which casts can lose data, serial ↔ integer

pub mod types;
