//! Extended statistics (`CREATE STATISTICS`), attached to their table.
//! The kinds come from `stxkind` (`e`, built for expressions, is implied
//! by them; all three of the others is the default and left empty), the
//! columns from `stxkeys` (PostgreSQL keeps them in `attnum` order), the
//! expressions from `pg_get_statisticsobjdef_expressions`. The target is
//! `-1` up to PostgreSQL 16 and NULL from 17 for "none".
//!
//! Statistics on a relation the model does not hold as a table (a
//! materialized view, a foreign table), or in another schema than their
//! table, are reported as unmanaged.

use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::{not_extension_member, Scope, NS_CTE};
use super::tables::Tables;
use super::{report, CatalogError};
use crate::model::{Statistics, Unmanaged};

const WHAT: &str = "extended statistics";

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Row>, CatalogError> {
    let sql = format!(
        "{NS_CTE} SELECT s.stxrelid, s.stxname::text AS name, ns.nspname AS schema, \
           s.stxkind::text[] AS kinds, NULLIF(s.stxstattarget::int4, -1) AS target, \
           ARRAY(SELECT a.attname::text FROM unnest(s.stxkeys::int2[]) WITH ORDINALITY k(n, i) \
             JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k.n ORDER BY k.i) \
             AS columns, \
           pg_get_statisticsobjdef_expressions(s.oid) AS expressions, d.description \
         FROM pg_statistic_ext s JOIN ns ON ns.oid = s.stxnamespace \
         LEFT JOIN pg_description d ON d.objoid = s.oid \
           AND d.classoid = 'pg_statistic_ext'::regclass AND d.objsubid = 0 \
         WHERE {}",
        not_extension_member("pg_statistic_ext", "s.oid")
    );
    query(client, WHAT, &sql, &[&scope.schemas]).await
}

/// Put each statistics object on its table; returns those the model
/// cannot hold.
pub fn add(rows: &[Row], tables: &mut Tables) -> Result<Vec<Unmanaged>, CatalogError> {
    let mut odd = Vec::new();
    for row in rows {
        let rel: u32 = get(row, "stxrelid", WHAT)?;
        let name: String = get(row, "name", WHAT)?;
        let schema: String = get(row, "schema", WHAT)?;
        let entry = tables.by_oid.get_mut(&rel);
        let Some(entry) = entry.filter(|e| e.table.name.schema == schema) else {
            odd.push(report(WHAT, format!("{schema}.{name}")));
            continue;
        };
        let kinds: Vec<String> = get(row, "kinds", WHAT)?;
        let expressions: Option<Vec<String>> = get(row, "expressions", WHAT)?;
        entry.table.statistics.push(Statistics {
            name,
            kinds: kind_words(&kinds),
            columns: get(row, "columns", WHAT)?,
            expressions: expressions.unwrap_or_default(),
            target: get(row, "target", WHAT)?,
            comment: get(row, "description", WHAT)?,
            ..Statistics::default()
        });
    }
    Ok(odd)
}

/// `stxkind` letters as `CREATE STATISTICS` words, in PostgreSQL's order;
/// none when all three are built (the default).
pub fn kind_words(letters: &[String]) -> Vec<String> {
    let words: Vec<String> = [("d", "ndistinct"), ("f", "dependencies"), ("m", "mcv")]
        .iter()
        .filter(|(l, _)| letters.iter().any(|x| x == l))
        .map(|(_, w)| w.to_string())
        .collect();
    if words.len() == 3 {
        Vec::new()
    } else {
        words
    }
}
