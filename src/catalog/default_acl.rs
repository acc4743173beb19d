//! Default privileges (`pg_default_acl`, `ALTER DEFAULT PRIVILEGES`),
//! normalised like objects' privileges ([`crate::acl::normalise`]).
//!
//! An entry for every schema (`defaclnamespace = 0`) replaces the
//! built-in default of its kind, so it is compared with
//! `acldefault(kind, role)` (PUBLIC's EXECUTE on functions and USAGE on
//! types are in it); an entry for one schema adds to that, starting from
//! nothing (PostgreSQL's own `SetDefaultACL` does the same), so it is
//! compared with an empty ACL. Entries of schemas outside the scope are
//! not read (the unmanaged report still names them). Large objects'
//! entries (`L`, PostgreSQL 18) are not modelled.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::acl::{normalise, Acl, AclItem, DefaultAclKey, DefaultOn};

const WHAT: &str = super::DEFAULT_PRIVILEGES;

fn sql() -> String {
    format!(
        "{NS_CTE}, d AS ( \
         SELECT pg_get_userbyid(x.defaclrole)::text AS role, ns.nspname AS schema, \
                x.defaclobjtype::text AS objtype, x.defaclacl AS acl, \
                CASE WHEN x.defaclnamespace = 0 THEN acldefault( \
                  (CASE x.defaclobjtype WHEN 'S' THEN 's' ELSE x.defaclobjtype::text END)::\"char\", \
                  x.defaclrole) ELSE '{{}}'::aclitem[] END AS def \
           FROM pg_default_acl x LEFT JOIN ns ON ns.oid = x.defaclnamespace \
          WHERE (x.defaclnamespace = 0 OR ns.oid IS NOT NULL) \
            AND x.defaclobjtype IN ('r', 'S', 'f', 'T', 'n') AND {ext} \
         ) \
         SELECT d.role, d.schema, d.objtype, x.src, \
                CASE WHEN x.grantee = 0 THEN 'public' \
                     ELSE pg_get_userbyid(x.grantee)::text END AS grantee, \
                x.privilege_type AS privilege, x.is_grantable \
           FROM d, LATERAL ( \
                SELECT 'e' AS src, e.* FROM aclexplode(nullif(d.acl, '{{}}')) e \
                UNION ALL SELECT 'd', f.* FROM aclexplode(nullif(d.def, '{{}}')) f) x \
          ORDER BY 1, 2, 3",
        ext = not_extension_member("pg_default_acl", "x.oid"),
    )
}

#[derive(Default)]
struct Gathered {
    effective: Vec<AclItem>,
    default: Vec<AclItem>,
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<DefaultAclKey, Acl>, CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut entries: BTreeMap<DefaultAclKey, Gathered> = BTreeMap::new();
    for row in &rows {
        let objtype: String = get(row, "objtype", WHAT)?;
        let on = DefaultOn::from_code(&objtype).ok_or_else(|| {
            CatalogError::Unexpected(format!("default privileges on objects of kind {objtype}"))
        })?;
        let key = DefaultAclKey {
            role: get(row, "role", WHAT)?,
            schema: get(row, "schema", WHAT)?,
            on,
        };
        let item = AclItem {
            grantee: get(row, "grantee", WHAT)?,
            privilege: get(row, "privilege", WHAT)?,
            grantable: get(row, "is_grantable", WHAT)?,
        };
        let g = entries.entry(key).or_default();
        let src: String = get(row, "src", WHAT)?;
        match src.as_str() {
            "e" => g.effective.push(item),
            _ => g.default.push(item),
        }
    }
    Ok(entries
        .into_iter()
        .map(|(k, g)| {
            let acl = normalise(&g.effective, &g.default, &k.role);
            (k, acl)
        })
        .filter(|(_, acl)| !acl.is_empty())
        .collect())
}
