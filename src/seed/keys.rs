//! Reading keys back from the database: the parent pools foreign-key
//! columns draw from, and the row identities the deferred UPDATEs target.
//!
//! Keys are read as text and turned into typed [`Value`]s with the column's
//! type, in key order, so a run over the same data sees the same pools.
//! Both are held in memory: they are streamed row by row (never a whole
//! result set besides them) and refused past
//! [`limits::MAX_PARENT_KEYS`](super::limits::MAX_PARENT_KEYS) rows.

use futures_util::TryStreamExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::Client;

use super::coltype::{coerce, ColType};
use crate::copy::Value;
use crate::model::{quote_ident, Database, QualifiedName, Table};
use crate::{Error, Result};

/// `columns` of every row of `table`, ordered by them (NULL tuples, which
/// a foreign key cannot reference, skipped).
pub async fn pool(
    client: &Client,
    db: &Database,
    table: &Table,
    columns: &[String],
) -> Result<Vec<Vec<Value>>> {
    let texts = read_text(client, &table.name, &select_list(table, columns), columns).await?;
    let types: Vec<ColType> = columns
        .iter()
        .map(|c| ColType::parse(&column_type(table, c), db))
        .collect();
    texts
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&types)
                .map(|(t, ty)| typed(t.unwrap_or_default(), ty))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|m| Error::Config(format!("reading keys of {}: {m}", table.name)))
        })
        .collect()
}

/// Text form of each row's identity: its primary key columns, or `ctid`
/// for a table without one. Ordered, so row `i` is the same row each run.
pub async fn identities(client: &Client, table: &Table) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let cols = match &table.primary_key {
        Some(pk) => pk.columns.clone(),
        None => vec!["ctid".to_string()],
    };
    let list: Vec<String> = cols
        .iter()
        .map(|c| format!("{}::text", quote_ident(c)))
        .collect();
    let rows = read_text(client, &table.name, &list, &cols).await?;
    let rows = rows
        .into_iter()
        .map(|r| r.into_iter().map(Option::unwrap_or_default).collect())
        .collect();
    Ok((cols, rows))
}

/// The type to cast text back to for a column (`tid` for `ctid`).
pub fn column_type(table: &Table, column: &str) -> String {
    table
        .column(column)
        .map_or_else(|| "tid".to_string(), |c| c.data_type.clone())
}

/// Timestamps with time zone are read in UTC so the text parses as one.
pub(crate) fn select_list(table: &Table, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let q = quote_ident(c);
            match table.column(c).map(|col| col.data_type.as_str()) {
                Some(t) if t.starts_with("timestamp with time zone") => {
                    format!("({q} AT TIME ZONE 'UTC')::text")
                }
                _ => format!("{q}::text"),
            }
        })
        .collect()
}

async fn read_text(
    client: &Client,
    table: &QualifiedName,
    select: &[String],
    order: &[String],
) -> Result<Vec<Vec<Option<String>>>> {
    let max = super::limits::MAX_PARENT_KEYS;
    // Qualified: the select list's `"id"::text` is also named `id`, and an
    // unqualified ORDER BY would sort by that text ("10" before "2").
    let order: Vec<String> = order
        .iter()
        .map(|c| match c.as_str() {
            "ctid" => "t.ctid".to_string(),
            _ => format!("t.{}", quote_ident(c)),
        })
        .collect();
    let not_all_null = order
        .iter()
        .map(|c| format!("{c} IS NOT NULL"))
        .collect::<Vec<_>>()
        .join(" OR ");
    // One row past the maximum tells "too many" from "exactly the maximum".
    let sql = format!(
        "SELECT {} FROM {} AS t WHERE {not_all_null} ORDER BY {} LIMIT {}",
        select.join(", "),
        table.quoted(),
        order.join(", "),
        max + 1
    );
    let err = |source| {
        Error::Db(crate::db::DbError::Query {
            context: format!("reading the keys of {table}"),
            source,
        })
    };
    let stream = client
        .query_raw(&sql, std::iter::empty::<&(dyn ToSql + Sync)>())
        .await
        .map_err(err)?;
    futures_util::pin_mut!(stream);
    let mut out = Vec::new();
    while let Some(r) = stream.try_next().await.map_err(err)? {
        if out.len() as u64 == max {
            return Err(Error::Config(format!(
                "{table} has more than {max} rows: strata holds the keys a foreign key draws from (and the rows a deferred foreign key updates) in memory, and reads at most {max}; seed fewer rows there"
            )));
        }
        out.push(
            (0..select.len())
                .map(|i| r.get::<_, Option<String>>(i))
                .collect(),
        );
    }
    Ok(out)
}

/// Text from the server → the typed value the COPY encoder wants.
pub(crate) fn typed(text: String, ty: &ColType) -> std::result::Result<Value, String> {
    match ty {
        // Exact: never through a float.
        ColType::Numeric { .. } => Ok(Value::Numeric(text)),
        _ => coerce(Value::Text(text), ty),
    }
}
