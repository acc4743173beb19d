//! strata: declarative migrations and seeding for PostgreSQL.
//!
//! The pipeline, one module per stage:
//! `spec` (YAML → model) → `catalog` (live database → model) → `diff`
//! (model × model → changes) → `plan` (order: a dependency graph) →
//! `render` (statements with typed hazards) → migration files → `migrate`
//! (runner). `pg` holds PostgreSQL knowledge (type families and casts). `embedded` runs the throwaway PostgreSQL cluster the
//! shadow databases live on; `shadow` materialises a model there.

pub mod catalog;
pub mod commands;
pub mod config;
pub mod copy;
pub mod db;
pub mod diff;
pub mod embedded;
pub mod error;
pub mod escape;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod migrate;
pub mod migrations;
pub mod model;
pub mod pg;
pub mod plan;
pub mod render;
pub mod scratch;
pub mod seed;
pub mod shadow;
pub mod spec;

pub use error::{Error, Result};

/// `render`'s former name (`sql::comment_line`, `sql::create_index`), kept
/// so branches written against it still build once merged.
#[doc(hidden)]
pub use crate::render as sql;
