//! Objects the model cannot represent yet, other than relations and
//! sequences: functions, types, triggers, rules, policies, … — one query
//! (a UNION ALL over the catalogs) returning `(kind, name)`.
//!
//! Database-wide objects (event triggers, publications, subscriptions) and
//! privileges are not reported.

use super::row::{get, query};
use super::scope::{not_dependent, not_extension_member, Scope, NS_CTE};
use super::{report, CatalogError};
use crate::model::Unmanaged;

fn sql(scope: &Scope) -> String {
    // Cloned triggers on partitions point at their parent (13+); the
    // partition itself is already reported.
    let trigger_parent = if scope.version.at_least(13) {
        "AND tg.tgparentid = 0"
    } else {
        ""
    };
    let rel = "ns.nspname || '.' || c.relname";
    format!(
        "{NS_CTE} \
         SELECT CASE p.prokind WHEN 'p' THEN 'procedures' WHEN 'a' THEN 'aggregates' \
                  WHEN 'w' THEN 'window functions' ELSE 'functions' END AS kind, \
                p.oid::regprocedure::text AS name \
           FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE {proc} \
         UNION ALL \
         SELECT CASE t.typtype WHEN 'd' THEN 'domains' WHEN 'r' THEN 'range types' \
                  ELSE 'base types' END, ns.nspname || '.' || t.typname \
           FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
          WHERE t.typtype IN ('b', 'd', 'r') AND {ty} \
            AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid) \
         UNION ALL \
         SELECT 'triggers', tg.tgname || ' on ' || {rel} \
           FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid \
           JOIN ns ON ns.oid = c.relnamespace \
          WHERE NOT tg.tgisinternal {trigger_parent} AND {class} \
         UNION ALL \
         SELECT 'rules', r.rulename || ' on ' || {rel} \
           FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
           JOIN ns ON ns.oid = c.relnamespace \
          WHERE r.rulename <> '_RETURN' AND {class} \
         UNION ALL \
         SELECT 'policies', pol.polname || ' on ' || {rel} \
           FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
           JOIN ns ON ns.oid = c.relnamespace WHERE {class} \
         UNION ALL \
         SELECT 'collations', ns.nspname || '.' || co.collname \
           FROM pg_collation co JOIN ns ON ns.oid = co.collnamespace WHERE {coll} \
         UNION ALL \
         SELECT 'operators', o.oid::regoperator::text \
           FROM pg_operator o JOIN ns ON ns.oid = o.oprnamespace WHERE {op} \
         UNION ALL \
         SELECT 'extended statistics', ns.nspname || '.' || s.stxname \
           FROM pg_statistic_ext s JOIN ns ON ns.oid = s.stxnamespace WHERE {stx}",
        proc = not_dependent("pg_proc", "p.oid", "'e', 'i'"),
        ty = not_extension_member("pg_type", "t.oid"),
        class = not_extension_member("pg_class", "c.oid"),
        coll = not_extension_member("pg_collation", "co.oid"),
        op = not_extension_member("pg_operator", "o.oid"),
        stx = not_extension_member("pg_statistic_ext", "s.oid"),
    )
}

pub async fn objects(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Unmanaged>, CatalogError> {
    const WHAT: &str = "unmanaged objects";
    let rows = query(client, WHAT, &sql(scope), &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            let kind: String = get(row, "kind", WHAT)?;
            let name: String = get(row, "name", WHAT)?;
            Ok(report(&kind, name))
        })
        .collect()
}
