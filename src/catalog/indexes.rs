//! Indexes that do not back a constraint, with their keys decoded from
//! `pg_index` and `pg_get_indexdef` (minus name and table) as the equality
//! key.

use std::collections::HashMap;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::{collation_name, not_extension_member, Scope, MANAGED_TABLE, NS_CTE};
use super::tables::Tables;
use super::{report, CatalogError};
use crate::model::{Index, IndexKey, Unmanaged};

const WHAT: &str = "indexes";

/// `tbl` plus `idx`: the indexes of the relations in `tbl` that do
/// not belong to a constraint (no internal dependency on a `pg_constraint`
/// row) and are no partition's part of a partitioned index. Uncorrelated
/// `NOT IN`s (hashed once; the oids are never NULL): as `NOT EXISTS`, a
/// freshly built database's unanalysed catalogs led the planner to rescan
/// `pg_depend` for every index (35 ms of a 40 ms query at 500 tables).
fn idx_cte(rels: &str) -> String {
    format!(
        "{}, idx AS ( \
         SELECT i.* FROM pg_index i JOIN tbl ON tbl.oid = i.indrelid \
         WHERE i.indexrelid NOT IN (SELECT dep.objid FROM pg_depend dep \
           WHERE dep.classid = 'pg_class'::regclass \
             AND dep.refclassid = 'pg_constraint'::regclass AND dep.deptype = 'i') \
           AND i.indexrelid NOT IN (SELECT ih.inhrelid FROM pg_inherits ih))",
        rels
    )
}

fn index_sql(scope: &Scope, rels: &str) -> String {
    let nnd = if scope.version.at_least(15) {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    // The prefix `CREATE [UNIQUE] INDEX name ON schema.table ` is rebuilt
    // exactly as ruleutils prints it and stripped, so neither name can leak
    // into the definition, whatever characters they contain.
    format!(
        "{} SELECT i.indexrelid, i.indrelid, ic.relname::text AS name, i.indisunique, \
           i.indisvalid, am.amname::text AS method, i.indnkeyatts, \
           pg_get_expr(i.indpred, i.indrelid) AS predicate, {nnd} AS nulls_not_distinct, \
           ARRAY(SELECT o FROM unnest(ic.reloptions) o ORDER BY o) AS with_opts, \
           pg_get_indexdef(i.indexrelid) AS def, \
           'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' \
             || quote_ident(ic.relname) || ' ON ' \
             || CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END \
             || quote_ident(tn.nspname) || '.' \
             || quote_ident(tc.relname) || ' ' AS def_prefix, \
           d.description \
         FROM idx i JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_am am ON am.oid = ic.relam \
         JOIN pg_class tc ON tc.oid = i.indrelid \
         JOIN pg_namespace tn ON tn.oid = tc.relnamespace \
         LEFT JOIN pg_description d ON d.objoid = i.indexrelid \
           AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0",
        idx_cte(rels)
    )
}

/// One row per index attribute (keys, then INCLUDE columns). indclass,
/// indcollation and indoption only cover key columns, so INCLUDE columns get
/// NULLs. A key's opclass is shown only when it is not a default opclass
/// or has parameters (`gist_trgm_ops (siglen='32')`, printed as
/// `pg_get_indexdef` does), its collation only when it differs from the
/// column's (for expressions: the type's). Attributes are looked up by correlated subqueries (index
/// scans; a join made the planner hash all of pg_attribute), the small
/// opclass catalog by a join (a subquery made it scan it once per key).
fn keys_sql(rels: &str) -> String {
    format!(
        "{} SELECT i.indexrelid, \
           CASE WHEN x.attnum = 0 THEN pg_get_indexdef(i.indexrelid, x.k::int4, true) \
             ELSE (SELECT a.attname::text FROM pg_attribute a \
                   WHERE a.attrelid = i.indrelid AND a.attnum = x.attnum) END AS expr, \
           x.attnum = 0 AS is_expr, \
           CASE WHEN NOT opc.opcdefault OR io.opts IS NOT NULL THEN \
               CASE WHEN opn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname) \
               ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END \
               || coalesce(io.opts, '') \
             END AS opclass, \
           CASE WHEN x.coll <> 0 AND x.coll <> CASE WHEN x.attnum = 0 \
               THEN (SELECT t.typcollation FROM pg_attribute ia \
                     JOIN pg_type t ON t.oid = ia.atttypid \
                     WHERE ia.attrelid = i.indexrelid AND ia.attnum = x.k) \
               ELSE (SELECT a.attcollation FROM pg_attribute a \
                     WHERE a.attrelid = i.indrelid AND a.attnum = x.attnum) END \
             THEN {} END AS collation, \
           x.opt \
         FROM idx i CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], \
           i.indcollation::oid[], i.indoption::int2[]) \
           WITH ORDINALITY AS x(attnum, opc, coll, opt, k) \
         LEFT JOIN pg_opclass opc ON opc.oid = x.opc \
         LEFT JOIN LATERAL (SELECT ' (' || string_agg(quote_ident(split_part(o, '=', 1)) \
             || '=' || quote_literal(substr(o, length(split_part(o, '=', 1)) + 2)), ', ') \
             || ')' AS opts \
           FROM pg_attribute ia, unnest(ia.attoptions) o \
           WHERE ia.attrelid = i.indexrelid AND ia.attnum = x.k) io ON true \
         LEFT JOIN pg_namespace opn ON opn.oid = opc.opcnamespace \
         ORDER BY i.indexrelid, x.k",
        idx_cte(rels),
        collation_name("x.coll")
    )
}

/// Rows of the index and index-key queries.
pub struct Fetched {
    indexes: Vec<Row>,
    keys: Vec<Row>,
}

/// The indexes of every managed table and materialized view, and their
/// attributes (two queries, run concurrently by the caller's pipeline; one
/// pair for both kinds of relation, as each query costs its planning).
pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Fetched, CatalogError> {
    let rels = indexed_cte();
    let index_sql = index_sql(scope, &rels);
    let keys_sql = keys_sql(&rels);
    let params: [&(dyn ToSql + Sync); 1] = [&scope.schemas];
    let (indexes, keys) = futures_util::try_join!(
        query(client, WHAT, &index_sql, &params),
        query(client, "index keys", &keys_sql, &params),
    )?;
    Ok(Fetched { indexes, keys })
}

/// `WITH ns AS (…), tbl AS (…)` where `tbl` holds the managed tables and
/// materialized views: the relations whose indexes are modelled.
fn indexed_cte() -> String {
    format!(
        "{NS_CTE}, tbl AS ( \
         SELECT c.oid FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
         WHERE (({MANAGED_TABLE}) OR c.relkind = 'm') AND {})",
        not_extension_member("pg_class", "c.oid")
    )
}

/// Add the indexes of tables to their tables; the others (those of
/// materialized views) are returned. Invalid indexes (a failed `CREATE
/// INDEX CONCURRENTLY`) are kept, because they exist and hold their name,
/// and also reported so the user can rebuild them.
pub fn add(
    decoded: Vec<(u32, Index, bool)>,
    tables: &mut Tables,
) -> (Vec<Unmanaged>, Vec<(u32, Index, bool)>) {
    let mut invalid = Vec::new();
    let mut others = Vec::new();
    for (rel, index, valid) in decoded {
        let Some(entry) = tables.by_oid.get_mut(&rel) else {
            others.push((rel, index, valid));
            continue;
        };
        if !valid {
            let t = &entry.table.name;
            let name = index.name.clone().unwrap_or_default();
            invalid.push(report(
                "invalid indexes",
                format!("{}.{} on {}.{}", t.schema, name, t.schema, t.name),
            ));
        }
        entry.table.indexes.push(index);
    }
    (invalid, others)
}

/// Every fetched index: (relation oid, index, valid).
pub fn decode(fetched: Fetched) -> Result<Vec<(u32, Index, bool)>, CatalogError> {
    let Fetched {
        indexes: rows,
        keys,
    } = fetched;
    let mut keys = group_keys(&keys)?;
    let mut out = Vec::new();
    for row in rows {
        let rel: u32 = get(&row, "indrelid", WHAT)?;
        let oid: u32 = get(&row, "indexrelid", WHAT)?;
        let index = index(&row, keys.remove(&oid).unwrap_or_default())?;
        out.push((rel, index, get::<bool, _>(&row, "indisvalid", WHAT)?));
    }
    Ok(out)
}

/// One index attribute as read by [`keys_sql`].
struct KeyRow {
    expr: String,
    is_expr: bool,
    opclass: Option<String>,
    collation: Option<String>,
    option: Option<i16>,
}

/// Key rows by index oid, in attribute order (the query sorts them).
fn group_keys(rows: &[Row]) -> Result<HashMap<u32, Vec<KeyRow>>, CatalogError> {
    const WHAT: &str = "index keys";
    let mut out: HashMap<u32, Vec<KeyRow>> = HashMap::new();
    for row in rows {
        let oid: u32 = get(row, "indexrelid", WHAT)?;
        out.entry(oid).or_default().push(KeyRow {
            expr: get(row, "expr", WHAT)?,
            is_expr: get(row, "is_expr", WHAT)?,
            opclass: get(row, "opclass", WHAT)?,
            collation: get(row, "collation", WHAT)?,
            option: get(row, "opt", WHAT)?,
        });
    }
    Ok(out)
}

fn index(row: &Row, attrs: Vec<KeyRow>) -> Result<Index, CatalogError> {
    let def: String = get(row, "def", WHAT)?;
    let prefix: String = get(row, "def_prefix", WHAT)?;
    let definition = def
        .strip_prefix(&prefix)
        .ok_or_else(|| CatalogError::Unexpected(format!("index definition {def:?}")))?
        .to_string();
    let nkeys: i16 = get(row, "indnkeyatts", WHAT)?;
    let nkeys = usize::try_from(nkeys).unwrap_or(0).min(attrs.len());
    let mut attrs = attrs.into_iter();
    let keys = attrs.by_ref().take(nkeys).map(key).collect();
    Ok(Index {
        name: Some(get(row, "name", WHAT)?),
        unique: get(row, "indisunique", WHAT)?,
        method: get(row, "method", WHAT)?,
        keys,
        include: attrs.map(|a| a.expr).collect(),
        predicate: get(row, "predicate", WHAT)?,
        nulls_not_distinct: get(row, "nulls_not_distinct", WHAT)?,
        with: get(row, "with_opts", WHAT)?,
        definition,
        comment: get(row, "description", WHAT)?,
        ..Index::default()
    })
}

fn key(attr: KeyRow) -> IndexKey {
    // indoption bits: 1 = DESC, 2 = NULLS FIRST.
    let opt = attr.option.unwrap_or(0);
    let descending = opt & 1 != 0;
    let nulls_first = opt & 2 != 0;
    IndexKey {
        expr: attr.expr,
        is_expression: attr.is_expr,
        opclass: attr.opclass,
        collation: attr.collation,
        descending,
        nulls_first: (nulls_first != descending).then_some(nulls_first),
    }
}
