//! NOT NULL constraints as PostgreSQL 18 keeps them: rows of
//! `pg_constraint` (`contype = 'n'`, one per column, named
//! `{table}_{column}_not_null` unless named otherwise). The columns query
//! reads each column's constraint through the fragments here; older
//! servers have no such rows and every field reads as NULL.
//!
//! The model holds the name ([`crate::model::Column::not_null_name`]).
//! What it cannot hold is reported as unmanaged, never silently dropped:
//! `NOT VALID` and `NO INHERIT` NOT NULL constraints (both new in 18), and
//! comments on NOT NULL constraints.

use tokio_postgres::Row;

use super::report;
use super::row::get;
use super::scope::Scope;
use super::CatalogError;
use crate::model::{QualifiedName, Unmanaged};

const WHAT: &str = "columns";

/// (select list, joins) to add to the columns query, which reads
/// `pg_attribute a`.
pub fn sql(scope: &Scope) -> (&'static str, &'static str) {
    if !scope.version.at_least(18) {
        return (
            "NULL::text AS nn_name, false AS nn_no_inherit, false AS nn_not_valid, \
             NULL::text AS nn_comment",
            "",
        );
    }
    (
        "nn.conname::text AS nn_name, COALESCE(nn.connoinherit, false) AS nn_no_inherit, \
         COALESCE(NOT nn.convalidated, false) AS nn_not_valid, nnd.description AS nn_comment",
        "LEFT JOIN pg_constraint nn ON nn.conrelid = a.attrelid AND nn.contype = 'n' \
           AND nn.conkey[1] = a.attnum \
         LEFT JOIN pg_description nnd ON nnd.objoid = nn.oid \
           AND nnd.classoid = 'pg_constraint'::regclass AND nnd.objsubid = 0",
    )
}

/// The column's NOT NULL constraint name (PostgreSQL 18), and what about
/// it the model cannot represent.
pub fn read(
    row: &Row,
    table: &QualifiedName,
) -> Result<(Option<String>, Vec<Unmanaged>), CatalogError> {
    let name: Option<String> = get(row, "nn_name", WHAT)?;
    let Some(name) = name else {
        return Ok((None, Vec::new()));
    };
    let on = format!("{name} on {}.{}", table.schema, table.name);
    let mut out = Vec::new();
    if get::<bool, _>(row, "nn_not_valid", WHAT)? {
        out.push(report("NOT VALID not-null constraints", on.clone()));
    }
    if get::<bool, _>(row, "nn_no_inherit", WHAT)? {
        out.push(report("NO INHERIT not-null constraints", on.clone()));
    }
    if get::<Option<String>, _>(row, "nn_comment", WHAT)?.is_some() {
        out.push(report("comments on not-null constraints", on));
    }
    Ok((Some(name), out))
}
