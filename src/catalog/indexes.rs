//! Indexes that do not back a constraint, with their keys decoded from
//! `pg_index` and `pg_get_indexdef` (minus name and table) as the equality
//! key.

use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::{collation_name, Scope};
use super::tables::Tables;
use super::{report, CatalogError};
use crate::model::{Index, IndexKey, Unmanaged};

const WHAT: &str = "indexes";

fn sql(scope: &Scope) -> String {
    let nnd = if scope.version.at_least(15) {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    // One row per index; the per-key details are arrays built by a lateral
    // subquery over indkey/indclass/indcollation/indoption (the last three
    // only cover key columns, so INCLUDE columns get NULLs). A key's
    // opclass is shown only when it is not a default opclass, its
    // collation only when it differs from the column's (for expressions:
    // the type's).
    format!(
        "SELECT i.indrelid, ic.relname::text AS name, i.indisunique, i.indisvalid, \
           am.amname::text AS method, i.indnkeyatts, k.exprs, k.is_expr, k.opclasses, \
           k.collations, k.options, pg_get_expr(i.indpred, i.indrelid) AS predicate, \
           {nnd} AS nulls_not_distinct, \
           ARRAY(SELECT o FROM unnest(ic.reloptions) o ORDER BY o) AS with_opts, \
           pg_get_indexdef(i.indexrelid) AS def, \
           'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' \
             || quote_ident(ic.relname) || ' ON ' || quote_ident(tn.nspname) || '.' \
             || quote_ident(tc.relname) || ' ' AS def_prefix, \
           d.description \
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_am am ON am.oid = ic.relam \
         JOIN pg_class tc ON tc.oid = i.indrelid \
         JOIN pg_namespace tn ON tn.oid = tc.relnamespace \
         LEFT JOIN pg_description d ON d.objoid = i.indexrelid \
           AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
         CROSS JOIN LATERAL ( \
           SELECT array_agg(CASE WHEN x.attnum = 0 \
                    THEN pg_get_indexdef(i.indexrelid, x.k::int4, true) \
                    ELSE ta.attname::text END ORDER BY x.k) AS exprs, \
             array_agg(x.attnum = 0 ORDER BY x.k) AS is_expr, \
             array_agg(CASE WHEN NOT opc.opcdefault THEN \
                 CASE WHEN opn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname) \
                 ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END \
               END ORDER BY x.k) AS opclasses, \
             array_agg(CASE WHEN x.coll <> 0 AND x.coll <> CASE WHEN x.attnum = 0 \
                   THEN (SELECT t.typcollation FROM pg_type t WHERE t.oid = ia.atttypid) \
                   ELSE ta.attcollation END \
                 THEN {} END ORDER BY x.k) AS collations, \
             array_agg(x.opt ORDER BY x.k) AS options \
           FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], \
                       i.indoption::int2[]) WITH ORDINALITY AS x(attnum, opc, coll, opt, k) \
           LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = x.attnum \
           LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = x.k \
           LEFT JOIN pg_opclass opc ON opc.oid = x.opc \
           LEFT JOIN pg_namespace opn ON opn.oid = opc.opcnamespace \
         ) k \
         WHERE i.indrelid = ANY ($1::oid[]) \
           AND NOT EXISTS (SELECT 1 FROM pg_depend dep \
             WHERE dep.classid = 'pg_class'::regclass AND dep.objid = i.indexrelid \
               AND dep.refclassid = 'pg_constraint'::regclass AND dep.deptype = 'i')",
        collation_name("x.coll")
    )
}

/// Read the indexes of every managed table in one query. Invalid indexes
/// (a failed `CREATE INDEX CONCURRENTLY`) are kept, because they exist and
/// hold their name, and also reported so the user can rebuild them.
pub async fn add(
    client: &tokio_postgres::Client,
    scope: &Scope,
    tables: &mut Tables,
) -> Result<Vec<Unmanaged>, CatalogError> {
    let oids = tables.oids();
    let mut invalid = Vec::new();
    for row in query(client, WHAT, &sql(scope), &[&oids]).await? {
        let rel: u32 = get(&row, "indrelid", WHAT)?;
        let Some(entry) = tables.by_oid.get_mut(&rel) else {
            continue;
        };
        let index = index(&row)?;
        if !get::<bool, _>(&row, "indisvalid", WHAT)? {
            let t = &entry.table.name;
            let name = index.name.clone().unwrap_or_default();
            invalid.push(report(
                "invalid indexes",
                format!("{}.{} on {}.{}", t.schema, name, t.schema, t.name),
            ));
        }
        entry.table.indexes.push(index);
    }
    Ok(invalid)
}

fn index(row: &Row) -> Result<Index, CatalogError> {
    let def: String = get(row, "def", WHAT)?;
    let prefix: String = get(row, "def_prefix", WHAT)?;
    let definition = def
        .strip_prefix(&prefix)
        .ok_or_else(|| CatalogError::Unexpected(format!("index definition {def:?}")))?
        .to_string();
    let (keys, include) = keys(row)?;
    Ok(Index {
        name: Some(get(row, "name", WHAT)?),
        unique: get(row, "indisunique", WHAT)?,
        method: get(row, "method", WHAT)?,
        keys,
        include,
        predicate: get(row, "predicate", WHAT)?,
        nulls_not_distinct: get(row, "nulls_not_distinct", WHAT)?,
        with: get(row, "with_opts", WHAT)?,
        definition,
        comment: get(row, "description", WHAT)?,
        ..Index::default()
    })
}

/// Split the per-attribute arrays into key columns and INCLUDE columns.
fn keys(row: &Row) -> Result<(Vec<IndexKey>, Vec<String>), CatalogError> {
    let nkeys: i16 = get(row, "indnkeyatts", WHAT)?;
    let exprs: Vec<String> = get(row, "exprs", WHAT)?;
    let is_expr: Vec<bool> = get(row, "is_expr", WHAT)?;
    let opclasses: Vec<Option<String>> = get(row, "opclasses", WHAT)?;
    let collations: Vec<Option<String>> = get(row, "collations", WHAT)?;
    let options: Vec<Option<i16>> = get(row, "options", WHAT)?;
    let nkeys = usize::try_from(nkeys).unwrap_or(0).min(exprs.len());
    let mut keys = Vec::with_capacity(nkeys);
    for (k, expr) in exprs.iter().take(nkeys).enumerate() {
        // indoption bits: 1 = DESC, 2 = NULLS FIRST.
        let opt = options.get(k).copied().flatten().unwrap_or(0);
        let descending = opt & 1 != 0;
        let nulls_first = opt & 2 != 0;
        keys.push(IndexKey {
            expr: expr.clone(),
            is_expression: is_expr.get(k).copied().unwrap_or(false),
            opclass: opclasses.get(k).cloned().flatten(),
            collation: collations.get(k).cloned().flatten(),
            descending,
            nulls_first: (nulls_first != descending).then_some(nulls_first),
        });
    }
    Ok((keys, exprs[nkeys..].to_vec()))
}
