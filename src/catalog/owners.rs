//! Owners of managed objects (`manage: [owners]`): `relowner`,
//! `nspowner`, `proowner`, `typowner` by name, and the role the session
//! runs as (who owns what a migration creates).
//!
//! Read only when asked ([`super::CatalogOptions::owners`]): without the
//! opt-in owners are not the project's, and a shadow database's owners
//! (the build role) mean nothing. The rows are filtered to the objects
//! the model holds ([`crate::diff::owners::ownable`]), so the query can
//! stay broad: a sequence owned by a column, an index or a composite
//! type's relation is no model object and drops out. The `public` schema
//! is never read (initdb's, owned by `pg_database_owner` from 15).

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_dependent, not_extension_member, Scope, MANAGED_TABLE, NS_CTE};
use super::CatalogError;
use crate::acl::PrivTarget;
use crate::model::{Database, Owners, QualifiedName};

const WHAT: &str = "owners";

fn sql() -> String {
    format!(
        "{NS_CTE} \
         SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind, \
                ns.nspname AS schema, c.relname::text AS name, ''::text AS sub, \
                pg_get_userbyid(c.relowner)::text AS owner \
           FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
          WHERE (c.relkind IN ('v', 'm', 'S') OR {MANAGED_TABLE}) AND {class_ext} \
         UNION ALL \
         SELECT 'schema', ns.nspname, '', '', pg_get_userbyid(n.nspowner)::text \
           FROM pg_namespace n JOIN ns ON ns.oid = n.oid WHERE ns.nspname <> 'public' \
         UNION ALL \
         SELECT 'routine', ns.nspname, p.proname::text, \
                pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner)::text \
           FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE {proc_dep} \
         UNION ALL \
         SELECT 'type', ns.nspname, t.typname::text, '', pg_get_userbyid(t.typowner)::text \
           FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
          WHERE t.typtype IN ('c', 'd', 'e', 'r') AND {type_dep} \
         UNION ALL \
         SELECT 'session', '', '', '', current_user::text",
        class_ext = not_extension_member("pg_class", "c.oid"),
        proc_dep = not_dependent("pg_proc", "p.oid", "'e', 'i'"),
        type_dep = not_dependent("pg_type", "t.oid", "'e', 'i'"),
    )
}

/// Every owner in scope by object, and `current_user`.
pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<(BTreeMap<PrivTarget, String>, String), CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut of = BTreeMap::new();
    let mut session = String::new();
    for row in &rows {
        let kind: String = get(row, "kind", WHAT)?;
        let schema: String = get(row, "schema", WHAT)?;
        let name: String = get(row, "name", WHAT)?;
        let sub: String = get(row, "sub", WHAT)?;
        let owner: String = get(row, "owner", WHAT)?;
        let q = || QualifiedName::new(schema.clone(), name.clone());
        let target = match kind.as_str() {
            "table" => PrivTarget::Table(q()),
            "sequence" => PrivTarget::Sequence(q()),
            "schema" => PrivTarget::Schema(schema.clone()),
            "routine" => PrivTarget::Routine(q(), sub),
            "type" => PrivTarget::Type(q()),
            _ => {
                session = owner;
                continue;
            }
        };
        of.insert(target, owner);
    }
    Ok((of, session))
}

/// The owners of `db`'s objects, from what [`fetch`] read.
pub fn assemble(db: &Database, read: (BTreeMap<PrivTarget, String>, String)) -> Owners {
    let (mut all, session) = read;
    let of = crate::diff::owners::ownable(db)
        .into_iter()
        .filter_map(|t| all.remove(&t).map(|o| (t, o)))
        .collect();
    Owners {
        known: true,
        of,
        session: Some(session),
    }
}
