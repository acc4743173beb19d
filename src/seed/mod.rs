//! `seed`: relationship-aware fake data from seed profiles.
//!
//! * [`profile`] reads `seeds/<name>.yaml` and validates it against the
//!   target's catalog model (every problem at `file:line:col`, before
//!   anything is written) into one [`TableGen`] per table;
//! * [`generators`] are the value generators (fake families, numbers,
//!   dates, templates, JSON, …) and the defaults by column name and type;
//! * [`table`] turns a table's generators, its parents' keys and its
//!   fan-out into rows of [`crate::copy::Value`]s for any row range;
//! * [`unique`] makes `unique` columns (and the table's unique and
//!   primary-key constraints) hold, deterministically;
//! * [`rng`] derives every random stream from `(seed, table, column, row)`.
//!
//! * [`order`] puts the tables in load order and breaks foreign-key cycles;
//! * [`limits`] are the maxima of every size a profile or a flag sets;
//! * [`lock`] keeps two seeds of one database from overlapping.

pub mod coltype;
mod constraints;
mod csv;
mod domains;
pub mod fanout;
pub(crate) mod fill;
pub mod generators;
pub(crate) mod json_schema;
pub(crate) mod keys;
pub mod limits;
pub mod lock;
pub mod order;
mod partition_keys;
pub mod profile;
pub mod rng;
pub mod run;
pub mod table;
pub mod unique;

use std::path::PathBuf;

pub use fanout::FanOut;
pub use profile::{Profile, Size, TableProfile};
pub use table::{FkSlot, Inputs, Pool, TableGen};
pub use unique::UniqueState;

use crate::spec::SpecIssue;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The profile is invalid (nothing was generated or written).
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<SpecIssue>),
    /// `unique` could not be satisfied.
    #[error("{0}")]
    Unique(Box<UniqueError>),
    /// Misuse of the table API by the caller, or a parent without rows.
    #[error("{0}")]
    Input(String),
}

/// `unique` ran out of values.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueError {
    pub table: String,
    /// The column, or `(a, b)` for a composite constraint.
    pub columns: String,
    pub generator: String,
    pub distinct: u128,
    /// The (1-based) row that found no new value, when generation got
    /// that far.
    pub row: Option<u64>,
    /// What was needed, e.g. `1000 rows need distinct values`.
    pub needed: String,
}

impl std::fmt::Display for UniqueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}: cannot produce enough distinct values: generator `{}` reached {} distinct values, but {}",
            self.table, self.columns, self.generator, self.distinct, self.needed
        )
    }
}
