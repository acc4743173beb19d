//! `pg`: what strata knows about PostgreSQL itself, written once and used
//! by every stage (spec, catalog, diff, shadow, seed, import).
//!
//! - `ident`: quoting identifiers, reading qualified names back (SQL text
//!   and strata's dotted names), the identifier length limit, keywords;
//! - `lex`: PostgreSQL's lexer rules (strings of every form, quoted
//!   identifiers, dollar quotes, comments);
//! - `expr`: reading an expression with that lexer — which columns it
//!   refers to;
//! - `index_colname`: the column name PostgreSQL derives for an index
//!   expression;
//! - `naming`: the names PostgreSQL gives objects created without one;
//! - [`types`]: type families, which casts can lose data, serial ↔ integer;
//! - [`version`]: the supported majors, and what a feature needs.

pub mod bound_check;
pub mod expr;
pub mod ident;
pub mod index_colname;
pub mod lex;
pub mod naming;
pub mod reloptions;
pub mod types;
pub mod version;
