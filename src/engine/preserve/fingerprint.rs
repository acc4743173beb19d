//! Fingerprints of a database's rows, computed by the server: per table
//! its row count, per column the count of non-NULL values and a hash of
//! the multiset of its values (as text, and for exact numbers also as the
//! number with trailing fractional zeros cut, so that `1.5` and `1.50`
//! compare equal across a scale change).
//!
//! The hash is a sum of per-value hashes (60 bits of each value's MD5),
//! so it does not depend on row order: a rewrite that moves rows, or a
//! key that changes type, leaves the other columns' prints equal. One
//! query per table, fifty tables a round trip.

use std::collections::BTreeMap;

use tokio_postgres::Client;

use super::types::{enums_of, family_in, Family};
use crate::model::{quote_ident, Database, QualifiedName, Table};
use crate::{Error, Result};

/// The rows of every table of a model, in summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprint {
    pub tables: BTreeMap<QualifiedName, TablePrint>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TablePrint {
    pub rows: i64,
    pub columns: BTreeMap<String, ColumnPrint>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnPrint {
    /// The column's type (`format_type`), as the model says.
    pub data_type: String,
    pub family: Family,
    pub non_null: i64,
    /// Hash of the values' text forms.
    pub text: String,
    /// Hash of the values as numbers, for exact numeric types.
    pub number: Option<String>,
}

/// Tables per round trip: their queries go as one multi-statement
/// simple query (no prepare, one reply).
const BATCH: usize = 50;

/// Fingerprint every table of `model` (bookkeeping tables aside) in the
/// database `client` is connected to.
pub async fn fingerprint(client: &Client, model: &Database) -> Result<Fingerprint> {
    let enums = enums_of(model);
    let tables: Vec<(&Table, Vec<Family>)> = model
        .tables
        .values()
        .filter(|t| !crate::migrations::is_bookkeeping(&t.name.name))
        .map(|t| {
            let families = t
                .columns
                .iter()
                .map(|c| family_in(&c.data_type, &enums))
                .collect();
            (t, families)
        })
        .collect();
    let mut out = Fingerprint::default();
    for chunk in tables.chunks(BATCH) {
        let sql: String = chunk
            .iter()
            .map(|(t, f)| format!("{};\n", table_query(t, f)))
            .collect();
        let rows = super::fill::simple_rows(client, &sql)
            .await
            .map_err(|source| {
                Error::Db(crate::db::DbError::Query {
                    context: format!(
                        "fingerprinting the rows of {} table(s) from {}",
                        chunk.len(),
                        chunk[0].0.name
                    ),
                    source,
                })
            })?;
        for ((t, families), row) in chunk.iter().zip(rows) {
            out.tables
                .insert(t.name.clone(), table_print(t, families, &row));
        }
    }
    Ok(out)
}

/// One table's print from its query's row: the row count, then every
/// column's numbers as one array literal (`{3,1234,…}`: digits only).
fn table_print(table: &Table, families: &[Family], row: &[Option<String>]) -> TablePrint {
    let array = row.get(1).cloned().flatten().unwrap_or_default();
    let values: Vec<&str> = array
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split(',')
        .collect();
    let text = |i: usize| values.get(i).map_or_else(String::new, |v| v.to_string());
    let number = |s: &str| s.parse::<i64>().unwrap_or(-1);
    let mut at = 0;
    let mut columns = BTreeMap::new();
    for (c, &family) in table.columns.iter().zip(families) {
        let exact = family == Family::Exact;
        columns.insert(
            c.name.clone(),
            ColumnPrint {
                data_type: c.data_type.clone(),
                family,
                non_null: number(&text(at)),
                text: text(at + 1),
                number: exact.then(|| text(at + 2)),
            },
        );
        at += if exact { 3 } else { 2 };
    }
    let rows = row.first().cloned().flatten().unwrap_or_default();
    TablePrint {
        rows: number(&rows),
        columns,
    }
}

/// `SELECT count(*), ARRAY[count(c), hash(c::text), …] FROM t`: an array,
/// not a column per value, so a table of 1600 columns stays within
/// PostgreSQL's 1664 entries of a select list.
fn table_query(table: &Table, families: &[Family]) -> String {
    let mut list = Vec::new();
    for (c, &family) in table.columns.iter().zip(families) {
        let q = quote_ident(&c.name);
        list.push(format!("count({q})::text"));
        list.push(multiset_hash(&text_expr(&q)));
        if family == Family::Exact {
            list.push(multiset_hash(&number_expr(&q)));
        }
    }
    format!(
        "SELECT count(*), ARRAY[{}]::text[] FROM {}",
        list.join(", "),
        table.name.quoted()
    )
}

/// A column's text form: every type has one (I/O conversion).
pub(super) fn text_expr(column: &str) -> String {
    format!("{column}::text")
}

/// An exact number as text without trailing fractional zeros (`1.50` →
/// `1.5`, `2.00` → `2`): `trim_scale` without needing PostgreSQL 13.
pub(super) fn number_expr(column: &str) -> String {
    let t = format!("({column})::numeric::text");
    format!("CASE WHEN strpos({t}, '.') > 0 THEN rtrim(rtrim({t}, '0'), '.') ELSE {t} END")
}

/// Order-independent hash of the non-NULL values of `expr`, as text.
fn multiset_hash(expr: &str) -> String {
    format!("coalesce(sum(('x' || substr(md5({expr}), 1, 15))::bit(60)::int8), 0)::text")
}
