//! `ALTER TABLE … ALTER COLUMN` of one column property
//! ([`ColumnProperty`]). None rewrites the table: a new storage or
//! compression applies to values written from then on, which the plan
//! says.

use super::hazard::{Hazard, LockLevel};
use super::{Context, Statement};
use crate::diff::ColumnProperty;
use crate::model::{quote_ident, QualifiedName};
use crate::pg::reloptions::{assignments, param_name};

pub fn render(
    table: &QualifiedName,
    column: &str,
    property: &ColumnProperty,
    ctx: &Context,
) -> Statement {
    let head = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table.quoted(),
        quote_ident(column)
    );
    let (sql, level, what, note) = match property {
        ColumnProperty::Statistics(n) => (
            format!("{head} SET STATISTICS {};", n.unwrap_or(-1)),
            LockLevel::ShareUpdateExclusive,
            "column statistics target",
            None,
        ),
        ColumnProperty::Storage { to, type_storage } => {
            let word = to.as_deref().or(type_storage.as_deref());
            (
                format!("{head} SET STORAGE {};", storage_sql(word)),
                LockLevel::AccessExclusive,
                "column storage",
                Some("the new storage applies to values written from now on; existing values stay as they are until rewritten"),
            )
        }
        ColumnProperty::Compression(method) => {
            let m = method.as_deref().map(compression_sql).unwrap_or("default");
            (
                format!("{head} SET COMPRESSION {m};"),
                LockLevel::AccessExclusive,
                "column compression",
                Some("the new compression applies to values written from now on; existing values keep their old compression"),
            )
        }
        ColumnProperty::Options { set, reset } => {
            let mut parts = Vec::new();
            if !set.is_empty() {
                parts.push(format!(
                    "SET ({})",
                    assignments(set.iter().map(|(k, v)| (k, v)))
                ));
            }
            if !reset.is_empty() {
                let names: Vec<String> = reset.iter().map(|k| param_name(k)).collect();
                parts.push(format!("RESET ({})", names.join(", ")));
            }
            // ALTER COLUMN takes one action: a second one is a second
            // subcommand of the same statement.
            let col = format!("ALTER COLUMN {}", quote_ident(column));
            let sql = format!("{head} {};", parts.join(&format!(", {col} ")));
            (
                sql,
                LockLevel::ShareUpdateExclusive,
                "column attribute options",
                None,
            )
        }
    };
    let mut hazards = vec![Hazard::Lock {
        level,
        on: table.clone(),
        what,
    }];
    hazards.extend(note.map(|n| Hazard::Note(n.into())));
    // A table this plan creates has no rows and no readers yet.
    let hazards = hazards
        .into_iter()
        .filter(|_| !ctx.is_new(table))
        .collect::<Vec<_>>();
    Statement::new(sql).with(hazards)
}

/// A storage word as SQL: only the four PostgreSQL knows, anything else
/// (never produced by the loader or the catalog) as `DEFAULT`.
fn storage_sql(word: Option<&str>) -> &'static str {
    match word {
        Some("plain") => "PLAIN",
        Some("external") => "EXTERNAL",
        Some("extended") => "EXTENDED",
        Some("main") => "MAIN",
        _ => "DEFAULT",
    }
}

fn compression_sql(method: &str) -> &'static str {
    match method {
        "lz4" => "lz4",
        _ => "pglz",
    }
}
