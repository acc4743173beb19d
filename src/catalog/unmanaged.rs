//! Objects the model cannot represent yet, other than relations and
//! sequences — two queries (each a UNION ALL over the catalogs) returning
//! `(kind, name)`:
//!
//! * objects in a schema (window functions and functions in
//!   untrusted languages, base types, triggers of unmanaged relations, rules,
//!   a partition's own column default or NOT NULL (the model gives a
//!   partition its parent's columns),
//!   policies of unmanaged tables, operators and their classes and families,
//!   text search objects, conversions), read in the managed
//!   schemas like every other kind;
//! * database-wide objects (event triggers, subscriptions,
//!   foreign data wrappers and servers, user mappings, casts, languages,
//!   transforms, access methods, default privileges), read whatever the
//!   schema filter: they belong to no schema, and a comparison that ignored
//!   them would call a database with them "equal". Default privileges that
//!   `super::default_acl` read (privileges managed, schema in scope) are
//!   taken off the list again by `super::introspect`.
//!
//! Publications are read by `super::publications`, which reports the ones
//! it cannot model.
//!
//! Extension members are never reported (the extension is managed). Casts,
//! languages, transforms and access methods are reported only when created
//! after initdb (oid ≥ 16384, `FirstNormalObjectId`): the built-in ones
//! live in the same catalogs with no schema to tell them apart.
//! Subscriptions are read through the columns PostgreSQL grants to every
//! role (not `subconninfo`), so no superuser is needed.

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
           FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace \
           JOIN pg_language l ON l.oid = p.prolang WHERE {proc} AND NOT ({modelled}) \
         UNION ALL \
         SELECT 'base types', ns.nspname || '.' || t.typname \
           FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
          WHERE t.typtype = 'b' AND {ty} \
            AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid) \
         UNION ALL \
         SELECT 'triggers', tg.tgname || ' on ' || {rel} \
           FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid \
           JOIN ns ON ns.oid = c.relnamespace \
          WHERE NOT tg.tgisinternal {trigger_parent} AND {class} AND NOT ({table}) \
         UNION ALL \
         SELECT 'rules', r.rulename || ' on ' || {rel} \
           FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
           JOIN ns ON ns.oid = c.relnamespace \
          WHERE r.rulename <> '_RETURN' AND {class} \
         UNION ALL \
         SELECT 'policies', pol.polname || ' on ' || {rel} \
           FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
           JOIN ns ON ns.oid = c.relnamespace WHERE {class} AND NOT ({table}) \
         UNION ALL \
         SELECT 'operators', o.oid::regoperator::text \
           FROM pg_operator o JOIN ns ON ns.oid = o.oprnamespace WHERE {op} \
         UNION ALL \
         SELECT 'partition column settings', {rel} || '.' || a.attname \
           FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
           JOIN pg_inherits ih ON ih.inhrelid = c.oid \
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
           JOIN pg_attribute pa ON pa.attrelid = ih.inhparent AND pa.attname = a.attname \
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
           LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum \
          WHERE c.relispartition AND c.relkind IN ('r', 'p') AND a.attgenerated = '' AND {class} \
            AND (a.attnotnull <> pa.attnotnull \
             OR pg_get_expr(d.adbin, 0) IS DISTINCT FROM pg_get_expr(pd.adbin, 0)) \
         {more}",
        proc = not_dependent("pg_proc", "p.oid", "'e', 'i'"),
        modelled = modelled_routines(),
        // Triggers of managed tables are modelled (`super::triggers`).
        table = super::scope::MANAGED_TABLE,
        ty = not_extension_member("pg_type", "t.oid"),
        class = not_extension_member("pg_class", "c.oid"),
        op = not_extension_member("pg_operator", "o.oid"),
        more = schema_objects_more(),
    )
}

/// Functions, procedures and aggregates the model holds.
fn modelled_routines() -> String {
    let functions = super::functions::modelled("p", "l");
    let aggregates = super::aggregates::modelled("p");
    format!("{functions} OR {aggregates}")
}

/// Schema objects added for "nothing silently lost" (issue 13): text
/// search objects, operator classes and families, conversions.
fn schema_objects_more() -> String {
    let named = |kind: &str, catalog: &str, name: &str, nsp: &str| {
        format!(
            "UNION ALL SELECT '{kind}', ns.nspname || '.' || x.{name} \
               FROM {catalog} x JOIN ns ON ns.oid = x.{nsp} WHERE {}",
            not_extension_member(catalog, "x.oid")
        )
    };
    let with_am = |kind: &str, catalog: &str, name: &str, nsp: &str, am: &str| {
        format!(
            "UNION ALL SELECT '{kind}', ns.nspname || '.' || x.{name} || ' using ' || am.amname \
               FROM {catalog} x JOIN ns ON ns.oid = x.{nsp} JOIN pg_am am ON am.oid = x.{am} \
              WHERE {}",
            not_extension_member(catalog, "x.oid")
        )
    };
    [
        named(
            "text search configurations",
            "pg_ts_config",
            "cfgname",
            "cfgnamespace",
        ),
        named(
            "text search dictionaries",
            "pg_ts_dict",
            "dictname",
            "dictnamespace",
        ),
        named(
            "text search parsers",
            "pg_ts_parser",
            "prsname",
            "prsnamespace",
        ),
        named(
            "text search templates",
            "pg_ts_template",
            "tmplname",
            "tmplnamespace",
        ),
        named("conversions", "pg_conversion", "conname", "connamespace"),
        with_am(
            "operator classes",
            "pg_opclass",
            "opcname",
            "opcnamespace",
            "opcmethod",
        ),
        with_am(
            "operator families",
            "pg_opfamily",
            "opfname",
            "opfnamespace",
            "opfmethod",
        ),
    ]
    .join(" ")
}

/// Objects outside any schema. Not bound to the schema filter; all of
/// these catalogs are per database except `pg_subscription`, filtered on
/// the current one.
fn database_wide_sql() -> String {
    let ext = not_extension_member;
    format!(
        "SELECT 'event triggers' AS kind, x.evtname::text AS name FROM pg_event_trigger x \
          WHERE {evt} \
         UNION ALL SELECT 'subscriptions', x.subname FROM pg_subscription x \
          WHERE x.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         UNION ALL SELECT 'foreign data wrappers', x.fdwname FROM pg_foreign_data_wrapper x \
          WHERE {fdw} \
         UNION ALL SELECT 'foreign servers', x.srvname FROM pg_foreign_server x WHERE {srv} \
         UNION ALL SELECT 'user mappings', x.usename || ' on ' || x.srvname \
           FROM pg_user_mappings x WHERE {um} \
         UNION ALL SELECT 'casts', format_type(x.castsource, NULL) || ' AS ' \
                || format_type(x.casttarget, NULL) FROM pg_cast x \
          WHERE x.oid >= 16384 AND {cast} \
         UNION ALL SELECT 'languages', x.lanname FROM pg_language x \
          WHERE x.oid >= 16384 AND x.lanname <> 'plpgsql' AND {lang} \
         UNION ALL SELECT 'transforms', 'FOR ' || format_type(x.trftype, NULL) \
                || ' LANGUAGE ' || l.lanname \
           FROM pg_transform x JOIN pg_language l ON l.oid = x.trflang \
          WHERE x.oid >= 16384 AND {trf} \
         UNION ALL SELECT 'access methods', x.amname FROM pg_am x \
          WHERE x.oid >= 16384 AND {am} \
         UNION ALL SELECT 'default privileges', 'for role ' || pg_get_userbyid(x.defaclrole) \
                || coalesce(' in schema ' || n.nspname, '') || ' on ' \
                || CASE x.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' \
                     WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' \
                     WHEN 'L' THEN 'large objects' ELSE x.defaclobjtype::text END \
           FROM pg_default_acl x LEFT JOIN pg_namespace n ON n.oid = x.defaclnamespace \
          WHERE {dacl}",
        evt = ext("pg_event_trigger", "x.oid"),
        fdw = ext("pg_foreign_data_wrapper", "x.oid"),
        srv = ext("pg_foreign_server", "x.oid"),
        um = ext("pg_user_mapping", "x.umid"),
        // A range type's cast to its multirange (14+) is part of the type.
        cast = not_dependent("pg_cast", "x.oid", "'e', 'i'"),
        lang = ext("pg_language", "x.oid"),
        trf = ext("pg_transform", "x.oid"),
        am = ext("pg_am", "x.oid"),
        dacl = ext("pg_default_acl", "x.oid"),
    )
}

pub async fn objects(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Unmanaged>, CatalogError> {
    const WHAT: &str = "unmanaged objects";
    let (in_schemas, wide) = (sql(scope), database_wide_sql());
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&scope.schemas];
    let (rows, wide) = futures_util::try_join!(
        query(client, WHAT, &in_schemas, &params),
        query(client, WHAT, &wide, &[]),
    )?;
    rows.iter()
        .chain(&wide)
        .map(|row| {
            let kind: String = get(row, "kind", WHAT)?;
            let name: String = get(row, "name", WHAT)?;
            Ok(report(&kind, name))
        })
        .collect()
}
