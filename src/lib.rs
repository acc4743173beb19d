//! strata: declarative migrations and seeding for PostgreSQL.
//!
//! The pipeline, one module per stage:
//! `spec` (YAML → model) → `catalog` (live database → model) → `diff`
//! (model × model → changes) → `plan` (order: a dependency graph) →
//! `render` (statements with typed hazards) → migration files → `migrate`
//! (runner). `engine` is the one place a command gets a comparison from:
//! it materialises YAML and migrations in scratch databases on the
//! `embedded` cluster (or `--dev-url`), reads both sides through `catalog`,
//! normalises them alike and diffs them. `pg` holds what every stage needs
//! to know about PostgreSQL itself (quoting, names, lexing expressions,
//! type families and lossy casts).

pub mod acl;
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
pub mod json_schema;
pub mod migrate;
pub mod migrations;
pub mod model;
pub mod notice;
pub mod pg;
pub mod plan;
pub mod progress;
pub mod render;
pub mod scratch;
pub mod seed;
pub mod spec;

pub use error::{Error, Result};
