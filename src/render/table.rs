//! Tables: create, drop, rename (and the rename of a sequence a table or
//! column rename carries along).
//!
//! `CREATE TABLE` renders every constraint the table carries inline; a
//! partitioned table ends in `PARTITION BY`, a partition is `CREATE TABLE
//! … PARTITION OF parent … FOR VALUES …` with only its own constraints. `plan`
//! has already moved out what cannot be inline (foreign keys to keys that
//! do not exist yet, `NOT VALID` constraints, defaults drawing from
//! sequences created later) into changes of their own.

use super::column_def::{column_definition, serial_fixup};
use super::constraint::constraint_clause;
use super::{Context, Hazard, Statement};
use crate::model::{quote_ident, QualifiedName, Table};

/// `CREATE TABLE`, then the options of serial columns' sequences.
pub fn create(t: &Table, ctx: &Context) -> Vec<Statement> {
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            format!(
                "    {}",
                column_definition(c, ctx.not_null_name(&t.name, c))
            )
        })
        .collect();
    for c in crate::diff::constraints_of(t) {
        lines.push(format!("    {}", constraint_clause(&c)));
    }
    let by = t
        .partition_by
        .as_ref()
        .map(|k| format!(" PARTITION BY {k}"))
        .unwrap_or_default();
    let by = match t.storage.is_empty() {
        true => by,
        false => format!(
            "{by} WITH ({})",
            crate::pg::reloptions::assignments(&t.storage)
        ),
    };
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let sql = match &t.partition_of {
        // Columns come from the parent; the list holds only the
        // partition's own constraints.
        Some(of) => format!(
            "CREATE {unlogged}TABLE {} PARTITION OF {}{} {}{by};",
            t.name.quoted(),
            of.parent.quoted(),
            match lines.is_empty() {
                true => String::new(),
                false => format!(" (\n{}\n)", lines.join(",\n")),
            },
            of.bound
        ),
        None => format!(
            "CREATE {unlogged}TABLE {} (\n{}\n){by};",
            t.name.quoted(),
            lines.join(",\n")
        ),
    };
    let mut out = vec![Statement::new(sql)
        .with(super::partitions::create_hazard(t, ctx))
        .from_origin(&t.origin)];
    out.extend(
        t.columns
            .iter()
            .filter_map(|c| serial_fixup(&t.name, c))
            .map(Statement::new),
    );
    out
}

/// `DROP TABLE`; a partition is detached first, since a foreign key
/// referencing its parent depends on it (PostgreSQL checks on DETACH that
/// no referencing row points into it).
pub fn drop(t: &Table) -> Vec<Statement> {
    let mut out = Vec::new();
    if let Some(of) = &t.partition_of {
        out.push(
            Statement::new(format!(
                "ALTER TABLE {} DETACH PARTITION {};",
                of.parent.quoted(),
                t.name.quoted()
            ))
            .with([Hazard::Lock {
                level: super::LockLevel::AccessExclusive,
                on: of.parent.clone(),
                what: "brief; fails if a foreign key still references rows of the partition",
            }]),
        );
    }
    out.push(
        Statement::new(format!("DROP TABLE {};", t.name.quoted())).with([Hazard::DataLoss {
            what: format!("drops table {} and all its rows", t.name.ident()),
        }]),
    );
    out
}

pub fn rename(from: &QualifiedName, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} RENAME TO {};",
        from.quoted(),
        quote_ident(to)
    ))
    .with([Hazard::Renamed { on: from.clone() }])
}

pub fn rename_sequence(from: &QualifiedName, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER SEQUENCE {} RENAME TO {};",
        from.quoted(),
        quote_ident(to)
    ))
}
