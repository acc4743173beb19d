//! Privileges of managed objects (`relacl`, `attacl`, `nspacl`, `proacl`,
//! `typacl`), normalised against each object's default
//! ([`crate::acl::normalise`]).
//!
//! One query: every object whose ACL differs from its default (a NULL
//! ACL is the default, `acldefault(kind, owner)`, or the object's initial
//! privileges from `pg_init_privs` when initdb recorded some — the
//! `public` schema) yields its `aclexplode` rows of both, tagged `e`
//! (effective) and `d` (default). Extension members are skipped like
//! everywhere else (their privileges are the extension's), and so are
//! relations the model does not hold (legacy `INHERITS` children,
//! composite types' relations, indexes). `aclexplode`, `acldefault` and
//! `pg_init_privs` are the same on PostgreSQL 14 to 18; 17 adds the
//! MAINTAIN privilege, which is just another row. `aclexplode` refuses an
//! empty array (a column's default, or everything revoked), hence the
//! `nullif`s: it is strict, so NULL yields no rows.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_dependent, not_extension_member, Scope, MANAGED_TABLE, NS_CTE};
use super::CatalogError;
use crate::acl::{normalise, Acl, AclItem, PrivTarget};
use crate::model::QualifiedName;

const WHAT: &str = "privileges";

fn sql() -> String {
    let init = |class: &str, oid: &str, sub: &str| {
        format!(
            "(SELECT ip.initprivs FROM pg_init_privs ip WHERE ip.classoid = '{class}'::regclass \
               AND ip.objoid = {oid} AND ip.objsubid = {sub})"
        )
    };
    format!(
        "{NS_CTE}, obj AS ( \
         SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind, \
                ns.nspname AS schema, c.relname::text AS name, ''::text AS sub, c.relowner AS owner, \
                c.relacl AS acl, coalesce({rel_init}, \
                  acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)) AS def \
           FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
          WHERE (c.relkind IN ('v', 'm', 'S') OR {MANAGED_TABLE}) AND {class_ext} \
         UNION ALL \
         SELECT 'column', ns.nspname, c.relname::text, a.attname::text, c.relowner, \
                a.attacl, coalesce({att_init}, '{{}}'::aclitem[]) \
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
           JOIN ns ON ns.oid = c.relnamespace \
          WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL \
            AND (c.relkind IN ('v', 'm') OR {MANAGED_TABLE}) AND {class_ext} \
         UNION ALL \
         SELECT 'schema', ns.nspname, '', '', n.nspowner, n.nspacl, \
                coalesce({nsp_init}, acldefault('n', n.nspowner)) \
           FROM pg_namespace n JOIN ns ON ns.oid = n.oid \
         UNION ALL \
         SELECT 'routine', ns.nspname, p.proname::text, \
                pg_get_function_identity_arguments(p.oid), p.proowner, p.proacl, \
                coalesce({pro_init}, acldefault('f', p.proowner)) \
           FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE {proc_dep} \
         UNION ALL \
         SELECT 'type', ns.nspname, t.typname::text, '', t.typowner, t.typacl, \
                coalesce({typ_init}, acldefault('T', t.typowner)) \
           FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
          WHERE (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND \
                 (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c')) \
            AND {type_dep} \
         ) \
         SELECT o.kind, o.schema, o.name, o.sub, pg_get_userbyid(o.owner)::text AS owner, \
                x.src, CASE WHEN x.grantee = 0 THEN 'public' \
                            ELSE pg_get_userbyid(x.grantee)::text END AS grantee, \
                x.privilege_type AS privilege, x.is_grantable \
           FROM obj o, LATERAL ( \
                SELECT 'e' AS src, e.* FROM aclexplode(nullif(coalesce(o.acl, o.def), '{{}}')) e \
                UNION ALL SELECT 'd', d.* FROM aclexplode(nullif(o.def, '{{}}')) d) x \
          WHERE coalesce(o.acl, o.def) IS DISTINCT FROM o.def \
          ORDER BY 1, 2, 3, 4",
        rel_init = init("pg_class", "c.oid", "0"),
        att_init = init("pg_class", "c.oid", "a.attnum"),
        nsp_init = init("pg_namespace", "n.oid", "0"),
        pro_init = init("pg_proc", "p.oid", "0"),
        typ_init = init("pg_type", "t.oid", "0"),
        class_ext = not_extension_member("pg_class", "c.oid"),
        proc_dep = not_dependent("pg_proc", "p.oid", "'e', 'i'"),
        type_dep = not_dependent("pg_type", "t.oid", "'e', 'i'"),
    )
}

/// One object's rows, gathered before normalising.
#[derive(Default)]
struct Gathered {
    owner: String,
    effective: Vec<AclItem>,
    default: Vec<AclItem>,
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<PrivTarget, Acl>, CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut objects: BTreeMap<PrivTarget, Gathered> = BTreeMap::new();
    for row in &rows {
        let kind: String = get(row, "kind", WHAT)?;
        let schema: String = get(row, "schema", WHAT)?;
        let name: String = get(row, "name", WHAT)?;
        let sub: String = get(row, "sub", WHAT)?;
        let target = target(&kind, schema, name, sub)?;
        let g = objects.entry(target).or_default();
        g.owner = get(row, "owner", WHAT)?;
        let item = AclItem {
            grantee: get(row, "grantee", WHAT)?,
            privilege: get(row, "privilege", WHAT)?,
            grantable: get(row, "is_grantable", WHAT)?,
        };
        let src: String = get(row, "src", WHAT)?;
        match src.as_str() {
            "e" => g.effective.push(item),
            _ => g.default.push(item),
        }
    }
    Ok(objects
        .into_iter()
        .map(|(t, g)| (t, normalise(&g.effective, &g.default, &g.owner)))
        .filter(|(_, acl)| !acl.is_empty())
        .collect())
}

fn target(
    kind: &str,
    schema: String,
    name: String,
    sub: String,
) -> Result<PrivTarget, CatalogError> {
    let q = || QualifiedName::new(schema.clone(), name.clone());
    Ok(match kind {
        "table" => PrivTarget::Table(q()),
        "sequence" => PrivTarget::Sequence(q()),
        "column" => PrivTarget::Column(q(), sub),
        "schema" => PrivTarget::Schema(schema),
        "routine" => PrivTarget::Routine(q(), sub),
        "type" => PrivTarget::Type(q()),
        other => {
            return Err(CatalogError::Unexpected(format!(
                "privileges of an object of kind {other}"
            )))
        }
    })
}
