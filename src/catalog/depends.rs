//! What managed objects read, from `pg_depend`: for now the rewrite rule
//! of each view and materialized view (the tables, columns, views,
//! functions, types and sequences its query uses). The plan orders drops
//! and creations by these rows, read on both sides (the current database
//! and the shadow of the desired one), and rebuilds the views over a
//! column whose type changes.
//!
//! Objects of system schemas are left out: they never change under a
//! plan.

use super::row::{get, query};
use super::scope::{not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{Depend, ObjRef, QualifiedName};

const WHAT: &str = "dependencies";

/// The referenced object of a `pg_depend` row `d`: a relation (and
/// column), a function or a type, each with its schema.
const REFS: &str = "rn.nspname::text AS rel_schema, rc.relname::text AS rel_name, \
       rc.relkind::text AS relkind, \
       (SELECT a.attname::text FROM pg_attribute a \
        WHERE a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
          AND d.refobjsubid > 0) AS col, \
       pn.nspname::text AS proc_schema, p.proname::text AS proname, \
       CASE WHEN p.oid IS NOT NULL THEN pg_get_function_identity_arguments(p.oid) END AS args, \
       tn.nspname::text AS type_schema, ty.typname::text AS typname";

const REF_JOINS: &str =
    "LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid \
     LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
     LEFT JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid \
     LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace \
     LEFT JOIN pg_type ty ON d.refclassid = 'pg_type'::regclass AND ty.oid = d.refobjid \
     LEFT JOIN pg_namespace tn ON tn.oid = ty.typnamespace";

fn sql() -> String {
    format!(
        "{NS_CTE}, v AS ( \
           SELECT c.oid, ns.nspname, c.relname::text AS relname FROM pg_class c \
           JOIN ns ON ns.oid = c.relnamespace \
           WHERE c.relkind IN ('v', 'm') AND {}) \
         SELECT v.nspname AS from_schema, v.relname AS from_name, {REFS} \
         FROM v JOIN pg_rewrite r ON r.ev_class = v.oid \
         JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
           AND d.deptype = 'n' AND d.refobjid <> v.oid \
         {REF_JOINS}",
        not_extension_member("pg_class", "c.oid")
    )
}

/// What the expressions of each policy on a table of the managed schemas
/// read, by policy oid (the policy's own table is left out: it is always
/// there when the policy is).
pub async fn policy_reads(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<(u32, ObjRef)>, CatalogError> {
    const WHAT: &str = "policy dependencies";
    let sql = format!(
        "{NS_CTE} SELECT pol.oid AS policy, {REFS} \
         FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
         JOIN ns ON ns.oid = c.relnamespace \
         JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = pol.oid \
           AND d.deptype = 'n' AND NOT (d.refobjid = pol.polrelid AND d.refobjsubid = 0) \
         {REF_JOINS}"
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    let mut out = Vec::new();
    for row in &rows {
        if let Some(to) = target(row)? {
            out.push((get::<u32, _>(row, "policy", WHAT)?, to));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Depend>, CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut out = Vec::new();
    for row in &rows {
        let from = ObjRef::View(QualifiedName::new(
            get::<String, _>(row, "from_schema", WHAT)?,
            get::<String, _>(row, "from_name", WHAT)?,
        ));
        if let Some(to) = target(row)? {
            out.push(Depend { from, to });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The object a row references, unless it is a system object or of a kind
/// nothing orders by (an operator, a collation, …).
fn target(row: &tokio_postgres::Row) -> Result<Option<ObjRef>, CatalogError> {
    let s = |c: &str| get::<Option<String>, _>(row, c, WHAT);
    if let (Some(schema), Some(name), Some(kind)) =
        (s("rel_schema")?, s("rel_name")?, s("relkind")?)
    {
        if is_system(&schema) {
            return Ok(None);
        }
        let q = QualifiedName::new(schema, name);
        return Ok(Some(match (kind.as_str(), s("col")?) {
            ("v" | "m", _) => ObjRef::View(q),
            ("S", _) => ObjRef::Sequence(q),
            ("c", _) => ObjRef::Type(q),
            (_, Some(col)) => ObjRef::Column(q, col),
            (_, None) => ObjRef::Table(q),
        }));
    }
    if let (Some(schema), Some(name), Some(args)) = (s("proc_schema")?, s("proname")?, s("args")?) {
        return Ok(
            (!is_system(&schema)).then(|| ObjRef::Function(QualifiedName::new(schema, name), args))
        );
    }
    if let (Some(schema), Some(name)) = (s("type_schema")?, s("typname")?) {
        return Ok((!is_system(&schema)).then(|| ObjRef::Type(QualifiedName::new(schema, name))));
    }
    Ok(None)
}

fn is_system(schema: &str) -> bool {
    schema == "information_schema" || schema.starts_with("pg_")
}
