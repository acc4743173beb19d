//! strata: declarative migrations and seeding for PostgreSQL.
//!
//! The pipeline, one module per stage:
//! `spec` (YAML → model) → `catalog` (live database → model) → `diff`
//! (model × model → changes) → `plan` (order, hazards) → `sql` (render)
//! → migration files → `migrate` (runner). `embedded` runs the throwaway PostgreSQL cluster the
//! shadow databases live on; `shadow` materialises a model there.

pub mod catalog;
pub mod commands;
pub mod config;
pub mod copy;
pub mod db;
pub mod diff;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod escape;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod migrate;
pub mod migrations;
pub mod model;
pub mod plan;
pub mod scratch;
pub mod seed;
pub mod shadow;
pub mod spec;
pub mod sql;

pub use error::{Error, Result};
