//! Filling the foreign keys a table was loaded without: one side of a
//! cycle (filled once the other side has rows) and self-references (each
//! row points at an earlier row of its own table, so the result is a tree,
//! never a loop). One UPDATE per foreign key, joined to the computed
//! pairs passed as arrays.

use tokio_postgres::Client;

use super::keys::{self, column_type};
use super::table::TableGen;
use crate::model::{quote_ident, Database, Table};
use crate::{Error, Result};

/// Fill FK slot `slot` of `gen` on `table`; returns the rows updated.
pub async fn fill(
    client: &Client,
    db: &Database,
    table: &Table,
    gen: &TableGen,
    slot: usize,
) -> Result<u64> {
    let fk = &gen.fks[slot];
    let parent = db
        .tables
        .get(&fk.ref_table)
        .ok_or_else(|| Error::Config(format!("{} is not in the database", fk.ref_table)))?;
    let (id_cols, ids) = keys::identities(client, table).await?;
    let is_self = fk.ref_table == table.name;
    let pool = if is_self {
        Vec::new()
    } else {
        keys::pool(client, db, parent, &fk.ref_columns).await?
    };
    let self_pool = if is_self {
        keys::pool(client, db, table, &fk.ref_columns).await?
    } else {
        Vec::new()
    };
    // (row identity, parent key) pairs as text columns.
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); id_cols.len() + fk.columns.len()];
    for (row, id) in ids.iter().enumerate() {
        let choice = if is_self {
            // An earlier row: the first is a root.
            match row {
                0 => None,
                _ => gen.parent_index(slot, row as u64, 0, row.min(self_pool.len()))?,
            }
            .map(|p| &self_pool[p])
        } else {
            gen.parent_index(slot, row as u64, 0, pool.len())?
                .map(|p| &pool[p])
        };
        let Some(key) = choice else { continue };
        for (i, part) in id.iter().enumerate() {
            columns[i].push(part.clone());
        }
        for (j, v) in key.iter().enumerate() {
            columns[id_cols.len() + j].push(super::coltype::text_form(v));
        }
    }
    if columns[0].is_empty() {
        return Ok(0);
    }
    let sql = update_sql(table, &id_cols, &fk.columns);
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = columns
        .iter()
        .map(|c| c as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    client.execute(&sql, &params).await.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: format!("filling {}({})", table.name, fk.columns.join(", ")),
            source,
        })
    })
}

/// `UPDATE t SET fk = f.p::type … FROM unnest($1, …) f WHERE t.id = f.k::type …`
fn update_sql(table: &Table, ids: &[String], fk_cols: &[String]) -> String {
    let n = ids.len() + fk_cols.len();
    let params: Vec<String> = (1..=n).map(|i| format!("${i}::text[]")).collect();
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let set: Vec<String> = fk_cols
        .iter()
        .enumerate()
        .map(|(j, c)| {
            format!(
                "{} = f.c{}::{}",
                quote_ident(c),
                ids.len() + j,
                column_type(table, c)
            )
        })
        .collect();
    let matches: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let col = if c == "ctid" {
                c.clone()
            } else {
                quote_ident(c)
            };
            format!("t.{col} = f.c{i}::{}", column_type(table, c))
        })
        .collect();
    format!(
        "UPDATE {} AS t SET {} FROM unnest({}) AS f({}) WHERE {}",
        table.name.quoted(),
        set.join(", "),
        params.join(", "),
        names.join(", "),
        matches.join(" AND ")
    )
}
