//! Logical-replication publications (`pg_publication`,
//! `pg_publication_rel`, `pg_publication_namespace`).
//!
//! A publication belongs to no schema, so it is read whatever the schema
//! filter; it is modelled only when every table it names is a managed
//! table and every schema it names (`FOR TABLES IN SCHEMA`) is a managed
//! schema. One naming anything else stays reported ("publications"): a
//! plan that dropped or rewrote it would touch objects strata does not
//! manage. Column lists, row filters and schemas exist from PostgreSQL 15;
//! on 14 the queries read none of them. PostgreSQL 18's
//! `publish_generated_columns` is not modelled: a publication that sets it
//! stays reported too (read through `to_jsonb`, so the query is the same
//! on every major whatever the column's type).

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_extension_member, tables_cte, Scope};
use super::tables::Tables;
use super::{report, CatalogError};
use crate::model::{Publication, PublishedTable, Unmanaged};

const WHAT: &str = "publications";

pub struct Rows {
    /// (oid, publication, names something outside the managed schemas).
    pubs: Vec<(u32, Publication, bool)>,
    /// (publication oid, table oid, its entry).
    rels: Vec<(u32, u32, PublishedTable)>,
}

fn publications_sql(scope: &Scope) -> String {
    let v15 = scope.version.at_least(15);
    let schemas = if v15 {
        "ARRAY(SELECT n.nspname::text FROM pg_publication_namespace pn \
           JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid ORDER BY 1)"
    } else {
        "'{}'::text[]"
    };
    let outside_schemas = if v15 {
        "OR EXISTS (SELECT 1 FROM pg_publication_namespace pn \
           WHERE pn.pnpubid = p.oid AND pn.pnnspid NOT IN (SELECT oid FROM ns))"
    } else {
        ""
    };
    format!(
        "{} SELECT p.oid, p.pubname::text AS pubname, p.puballtables, p.pubinsert, \
           p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot, \
           obj_description(p.oid, 'pg_publication') AS description, \
           {schemas} AS schemas, \
           (EXISTS (SELECT 1 FROM pg_publication_rel pr \
             WHERE pr.prpubid = p.oid AND pr.prrelid NOT IN (SELECT oid FROM tbl)) \
            {outside_schemas} \
            OR coalesce(to_jsonb(p) ->> 'pubgencols', 'n') NOT IN ('n', 'false')) AS outside \
         FROM pg_publication p WHERE {}",
        tables_cte(),
        not_extension_member("pg_publication", "p.oid")
    )
}

/// `prattrs` is NULL without a column list; the names in column order.
fn rels_sql(scope: &Scope) -> String {
    let (columns, qual) = if scope.version.at_least(15) {
        (
            "CASE WHEN pr.prattrs IS NULL THEN NULL ELSE ARRAY(SELECT a.attname::text \
               FROM pg_attribute a WHERE a.attrelid = pr.prrelid \
                AND a.attnum = ANY (pr.prattrs::int2[]) ORDER BY a.attnum) END",
            "pg_get_expr(pr.prqual, pr.prrelid)",
        )
    } else {
        ("NULL::text[]", "NULL::text")
    };
    format!(
        "{} SELECT pr.prpubid, pr.prrelid, {columns} AS columns, {qual} AS qual \
         FROM pg_publication_rel pr JOIN tbl ON tbl.oid = pr.prrelid",
        tables_cte()
    )
}

pub async fn fetch(client: &tokio_postgres::Client, scope: &Scope) -> Result<Rows, CatalogError> {
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&scope.schemas];
    let (pub_sql, rel_sql) = (publications_sql(scope), rels_sql(scope));
    let (pubs, rels) = futures_util::try_join!(
        query(client, WHAT, &pub_sql, &params),
        query(client, WHAT, &rel_sql, &params),
    )?;
    let mut out = Rows {
        pubs: Vec::with_capacity(pubs.len()),
        rels: Vec::with_capacity(rels.len()),
    };
    for row in &pubs {
        let mut publish = Vec::new();
        for (col, word) in [
            ("pubinsert", "insert"),
            ("pubupdate", "update"),
            ("pubdelete", "delete"),
            ("pubtruncate", "truncate"),
        ] {
            let on: bool = get(row, col, WHAT)?;
            if on {
                publish.push(word.to_string());
            }
        }
        let p = Publication {
            name: get(row, "pubname", WHAT)?,
            all_tables: get(row, "puballtables", WHAT)?,
            schemas: get(row, "schemas", WHAT)?,
            publish,
            via_partition_root: get(row, "pubviaroot", WHAT)?,
            comment: get(row, "description", WHAT)?,
            ..Default::default()
        };
        out.pubs
            .push((get(row, "oid", WHAT)?, p, get(row, "outside", WHAT)?));
    }
    for row in &rels {
        let entry = PublishedTable {
            columns: get(row, "columns", WHAT)?,
            row_filter: get(row, "qual", WHAT)?,
        };
        out.rels.push((
            get(row, "prpubid", WHAT)?,
            get(row, "prrelid", WHAT)?,
            entry,
        ));
    }
    Ok(out)
}

/// The modelled publications by name, and a report for each of the others.
pub fn assemble(rows: Rows, tables: &Tables) -> (BTreeMap<String, Publication>, Vec<Unmanaged>) {
    let mut by_oid: BTreeMap<u32, Vec<(u32, PublishedTable)>> = BTreeMap::new();
    for (pubid, rel, entry) in rows.rels {
        by_oid.entry(pubid).or_default().push((rel, entry));
    }
    let (mut modelled, mut reported) = (BTreeMap::new(), Vec::new());
    for (oid, mut p, outside) in rows.pubs {
        if outside {
            reported.push(report(WHAT, p.name));
            continue;
        }
        for (rel, entry) in by_oid.remove(&oid).unwrap_or_default() {
            if let Some(e) = tables.by_oid.get(&rel) {
                p.tables.insert(e.table.name.clone(), entry);
            }
        }
        modelled.insert(p.name.clone(), p);
    }
    (modelled, reported)
}
