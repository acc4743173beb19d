//! Row-level security policies of managed tables (`pg_policy`), with what
//! their expressions read (`pg_depend`: columns, other tables, functions,
//! types), so that the plan drops a policy before a column it reads is
//! dropped or retyped and creates it again afterwards.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{tables_cte, Scope};
use super::tables::Tables;
use super::CatalogError;
use crate::model::{ObjRef, Policy, QualifiedName};

const WHAT: &str = "policies";

pub struct PolicyRow {
    rel: u32,
    oid: u32,
    policy: Policy,
}

/// `polroles` is `{0}` for PUBLIC; a role literally named `public` cannot
/// exist (the name is reserved), so the two never mix.
fn sql() -> String {
    format!(
        "{} SELECT pol.oid, pol.polrelid, pol.polname::text AS polname, \
           pol.polpermissive, pol.polcmd::text AS polcmd, \
           ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END \
                 FROM unnest(pol.polroles) r) AS roles, \
           pg_get_expr(pol.polqual, pol.polrelid) AS qual, \
           pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check, \
           obj_description(pol.oid, 'pg_policy') AS description \
         FROM pg_policy pol JOIN tbl ON tbl.oid = pol.polrelid",
        tables_cte()
    )
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<(Vec<PolicyRow>, Vec<(u32, ObjRef)>), CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let cmd: String = get(row, "polcmd", WHAT)?;
        let mut roles: Vec<String> = get(row, "roles", WHAT)?;
        roles.sort();
        out.push(PolicyRow {
            rel: get(row, "polrelid", WHAT)?,
            oid: get(row, "oid", WHAT)?,
            policy: Policy {
                name: get(row, "polname", WHAT)?,
                permissive: get(row, "polpermissive", WHAT)?,
                command: command_word(&cmd).to_string(),
                roles,
                using: get(row, "qual", WHAT)?,
                with_check: get(row, "with_check", WHAT)?,
                comment: get(row, "description", WHAT)?,
                ..Default::default()
            },
        });
    }
    let reads = if out.is_empty() {
        Vec::new()
    } else {
        super::depends::policy_reads(client, scope).await?
    };
    Ok((out, reads))
}

/// `polcmd` → the word of `FOR …`.
fn command_word(cmd: &str) -> &'static str {
    match cmd {
        "r" => "select",
        "a" => "insert",
        "w" => "update",
        "d" => "delete",
        _ => "all",
    }
}

/// Policies keyed by (table, name), each with what it reads.
pub fn assemble(
    (rows, reads): (Vec<PolicyRow>, Vec<(u32, ObjRef)>),
    tables: &Tables,
) -> BTreeMap<(QualifiedName, String), Policy> {
    let mut by_oid: BTreeMap<u32, Vec<ObjRef>> = BTreeMap::new();
    for (oid, r) in reads {
        by_oid.entry(oid).or_default().push(r);
    }
    rows.into_iter()
        .filter_map(|r| {
            let table = tables.by_oid.get(&r.rel)?.table.name.clone();
            let reads = by_oid.remove(&r.oid).unwrap_or_default();
            let p = Policy {
                table,
                reads,
                ..r.policy
            };
            Some(((p.table.clone(), p.name.clone()), p))
        })
        .collect()
}
