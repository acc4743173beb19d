//! Fingerprints of a database's rows, computed by the server: per table
//! its row count, per column the count of non-NULL values and a hash of
//! the multiset of its values (as text, and for exact numbers also as the
//! number with trailing fractional zeros cut, so that `1.5` and `1.50`
//! compare equal across a scale change).
//!
//! The hash is a sum of per-value hashes (60 bits of each value's MD5),
//! so it does not depend on row order: a rewrite that moves rows, or a
//! key that changes type, leaves the other columns' prints equal. One
//! query per table, sent pipelined over one connection.

use std::collections::BTreeMap;

use futures_util::stream::{self, StreamExt, TryStreamExt};
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

/// Queries in flight at once on the connection.
const PIPELINE: usize = 32;

/// Fingerprint every table of `model` (bookkeeping tables aside) in the
/// database `client` is connected to.
pub async fn fingerprint(client: &Client, model: &Database) -> Result<Fingerprint> {
    let tables: Vec<&Table> = model
        .tables
        .values()
        .filter(|t| !crate::migrations::is_bookkeeping(&t.name.name))
        .collect();
    let enums = enums_of(model);
    let enums = &enums;
    let prints: Vec<(QualifiedName, TablePrint)> = stream::iter(tables)
        .map(|t| async move {
            let families: Vec<Family> = t
                .columns
                .iter()
                .map(|c| family_in(&c.data_type, enums))
                .collect();
            table_print(client, t, &families)
                .await
                .map(|p| (t.name.clone(), p))
        })
        .buffered(PIPELINE)
        .try_collect()
        .await?;
    Ok(Fingerprint {
        tables: prints.into_iter().collect(),
    })
}

async fn table_print(client: &Client, table: &Table, families: &[Family]) -> Result<TablePrint> {
    let row = client
        .query_one(&table_query(table, families), &[])
        .await
        .map_err(|source| {
            Error::Db(crate::db::DbError::Query {
                context: format!("fingerprinting the rows of {}", table.name),
                source,
            })
        })?;
    let mut at = 1;
    let mut columns = BTreeMap::new();
    for (c, &family) in table.columns.iter().zip(families) {
        let non_null: i64 = row.get(at);
        let text: String = row.get(at + 1);
        at += 2;
        let number = if family == Family::Exact {
            at += 1;
            Some(row.get::<_, String>(at - 1))
        } else {
            None
        };
        columns.insert(
            c.name.clone(),
            ColumnPrint {
                data_type: c.data_type.clone(),
                family,
                non_null,
                text,
                number,
            },
        );
    }
    Ok(TablePrint {
        rows: row.get(0),
        columns,
    })
}

/// `SELECT count(*), count(c), hash(c::text), … FROM t`.
fn table_query(table: &Table, families: &[Family]) -> String {
    let mut list = vec!["count(*)".to_string()];
    for (c, &family) in table.columns.iter().zip(families) {
        let q = quote_ident(&c.name);
        list.push(format!("count({q})"));
        list.push(multiset_hash(&text_expr(&q)));
        if family == Family::Exact {
            list.push(multiset_hash(&number_expr(&q)));
        }
    }
    format!("SELECT {} FROM {}", list.join(", "), table.name.quoted())
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
