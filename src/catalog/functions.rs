//! Functions and procedures (`prokind` `f` and `p`) in a trusted language
//! (SQL, PL/pgSQL, any `lanpltrusted` one: what a non-superuser can
//! create), with `pg_get_functiondef` as their equality key, and the
//! objects that depend on them (`pg_depend`), which a drop and re-create
//! of the function must carry along (aggregates built on a function list
//! it themselves: [`super::aggregates`]). Window functions and
//! functions in untrusted languages (C, internal, plpython3u…) stay
//! reported by [`super::unmanaged`].

use std::collections::HashMap;

use super::row::{get, query};
use super::scope::{not_dependent, Scope, NS_CTE};
use super::tables::Tables;
use super::CatalogError;
use crate::model::{Function, FunctionAttrs, FunctionDependent, QualifiedName};

/// The SQL predicate choosing the functions strata models (`p` is
/// `pg_proc`, `l` its `pg_language`): also used by the unmanaged report
/// to leave them out.
pub fn modelled(p: &str, l: &str) -> String {
    format!(
        "{p}.prokind IN ('f', 'p') AND {l}.lanpltrusted AND {}",
        not_dependent("pg_proc", &format!("{p}.oid"), "'e', 'i'")
    )
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<(u32, Function)>, CatalogError> {
    const WHAT: &str = "functions";
    let sql = format!(
        "{NS_CTE} SELECT p.oid, ns.nspname, p.proname::text AS proname, \
           p.prokind = 'p' AS is_proc, pg_get_functiondef(p.oid) AS def, \
           pg_get_function_identity_arguments(p.oid) AS ident, \
           oidvectortypes(p.proargtypes) AS signature, \
           pg_get_function_arguments(p.oid) AS args, \
           coalesce(pg_get_function_result(p.oid), '') AS result, \
           coalesce(p.proargnames::text[], '{{}}') AS argnames, p.pronargdefaults, \
           l.lanname::text AS lanname, p.provolatile::text AS volatility, p.proisstrict, \
           p.prosecdef, p.proleakproof, p.proparallel::text AS parallel, \
           p.procost::float8 AS cost, p.prorows::float8 AS rows, p.proretset, \
           coalesce(p.proconfig, '{{}}') AS config, \
           CASE WHEN p.prosqlbody IS NULL THEN p.prosrc \
                ELSE pg_get_function_sqlbody(p.oid) END AS body, \
           obj_description(p.oid, 'pg_proc') AS description \
         FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace \
         JOIN pg_language l ON l.oid = p.prolang WHERE {}",
        modelled("p", "l")
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            let name = QualifiedName::new(
                get::<String, _>(row, "nspname", WHAT)?,
                get::<String, _>(row, "proname", WHAT)?,
            );
            let f = Function {
                name,
                identity: get(row, "ident", WHAT)?,
                signature: get(row, "signature", WHAT)?,
                procedure: get(row, "is_proc", WHAT)?,
                definition: get(row, "def", WHAT)?,
                result: get(row, "result", WHAT)?,
                arguments: get(row, "args", WHAT)?,
                arg_names: get(row, "argnames", WHAT)?,
                defaults: get(row, "pronargdefaults", WHAT)?,
                attrs: FunctionAttrs {
                    language: get(row, "lanname", WHAT)?,
                    volatility: get(row, "volatility", WHAT)?,
                    strict: get(row, "proisstrict", WHAT)?,
                    security_definer: get(row, "prosecdef", WHAT)?,
                    leakproof: get(row, "proleakproof", WHAT)?,
                    parallel: get(row, "parallel", WHAT)?,
                    cost: get(row, "cost", WHAT)?,
                    rows: get(row, "rows", WHAT)?,
                    returns_set: get(row, "proretset", WHAT)?,
                    config: get(row, "config", WHAT)?,
                    body: get(row, "body", WHAT)?,
                },
                comment: get(row, "description", WHAT)?,
                ..Default::default()
            };
            Ok((get(row, "oid", WHAT)?, f))
        })
        .collect()
}

/// One `pg_depend` row: the function's oid and what depends on it.
pub struct DepRow {
    fn_oid: u32,
    kind: String,
    rel: Option<u32>,
    name: Option<String>,
    describe: String,
}

/// Objects depending (normally, `n`) on a function of the managed schemas,
/// and columns depending on one automatically (`a`): before PostgreSQL 15
/// a generated column is recorded so, and a `DROP FUNCTION` would drop it
/// silently.
pub async fn dependents(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<DepRow>, CatalogError> {
    const WHAT: &str = "function dependents";
    let sql = format!(
        "{NS_CTE} SELECT d.refobjid AS fn, \
           CASE WHEN d.classid = 'pg_constraint'::regclass THEN 'constraint' \
                WHEN d.classid = 'pg_class'::regclass AND d.objsubid > 0 THEN 'column' \
                WHEN d.classid = 'pg_class'::regclass THEN 'index' \
                WHEN d.classid = 'pg_attrdef'::regclass THEN 'column' \
                WHEN d.classid = 'pg_trigger'::regclass THEN 'trigger' ELSE 'other' END AS kind, \
           CASE WHEN d.classid = 'pg_constraint'::regclass THEN \
                  (SELECT nullif(conrelid, 0) FROM pg_constraint WHERE oid = d.objid) \
                WHEN d.classid = 'pg_class'::regclass AND d.objsubid > 0 THEN d.objid \
                WHEN d.classid = 'pg_class'::regclass THEN \
                  (SELECT indrelid FROM pg_index WHERE indexrelid = d.objid) \
                WHEN d.classid = 'pg_attrdef'::regclass THEN \
                  (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid) \
                WHEN d.classid = 'pg_trigger'::regclass THEN \
                  (SELECT tgrelid FROM pg_trigger WHERE oid = d.objid) END AS rel, \
           CASE WHEN d.classid = 'pg_constraint'::regclass THEN \
                  (SELECT conname::text FROM pg_constraint WHERE oid = d.objid) \
                WHEN d.classid = 'pg_class'::regclass AND d.objsubid > 0 THEN \
                  (SELECT attname::text FROM pg_attribute \
                    WHERE attrelid = d.objid AND attnum = d.objsubid) \
                WHEN d.classid = 'pg_class'::regclass THEN \
                  (SELECT relname::text FROM pg_class WHERE oid = d.objid) \
                WHEN d.classid = 'pg_attrdef'::regclass THEN \
                  (SELECT a.attname::text FROM pg_attrdef ad JOIN pg_attribute a \
                     ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum WHERE ad.oid = d.objid) \
                WHEN d.classid = 'pg_trigger'::regclass THEN \
                  (SELECT tgname::text FROM pg_trigger WHERE oid = d.objid) END AS name, \
           pg_describe_object(d.classid, d.objid, d.objsubid) AS describe \
         FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid \
         JOIN ns ON ns.oid = p.pronamespace \
         WHERE d.refclassid = 'pg_proc'::regclass AND (d.deptype = 'n' \
           OR (d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND d.objsubid > 0)) \
           AND NOT (d.classid = 'pg_proc'::regclass AND {agg}) \
           AND NOT (d.classid = 'pg_policy'::regclass AND d.objid IN ( \
             SELECT pol.oid FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
             JOIN ns ON ns.oid = c.relnamespace WHERE {managed}))",
        // An aggregate built on the function is modelled: it lists the
        // functions it uses itself (`super::aggregates`) and is re-created
        // around their drop by the diff.
        agg = "EXISTS (SELECT 1 FROM pg_aggregate WHERE aggfnoid = d.objid)",
        // So is a policy of a managed table (`crate::diff::policies`).
        managed = super::scope::MANAGED_TABLE,
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            Ok(DepRow {
                fn_oid: get(row, "fn", WHAT)?,
                kind: get(row, "kind", WHAT)?,
                rel: get(row, "rel", WHAT)?,
                name: get(row, "name", WHAT)?,
                describe: get(row, "describe", WHAT)?,
            })
        })
        .collect()
}

/// The functions keyed by identity, each with its dependents; a dependent
/// on a table the model does not manage is one strata cannot re-create.
pub fn assemble(
    fns: Vec<(u32, Function)>,
    deps: &[DepRow],
    tables: &Tables,
) -> std::collections::BTreeMap<crate::model::FunctionKey, Function> {
    let mut by_oid: HashMap<u32, Function> = fns.into_iter().collect();
    for d in deps {
        let Some(f) = by_oid.get_mut(&d.fn_oid) else {
            continue;
        };
        let table = d
            .rel
            .and_then(|r| tables.by_oid.get(&r))
            .map(|e| e.table.name.clone());
        let dep = match (d.kind.as_str(), table, d.name.clone()) {
            ("constraint", Some(t), Some(n)) => FunctionDependent::Constraint(t, n),
            ("index", Some(t), Some(n)) => FunctionDependent::Index(t, n),
            ("column", Some(t), Some(n)) => FunctionDependent::Column(t, n),
            ("trigger", Some(t), Some(n)) => FunctionDependent::Trigger(t, n),
            _ => FunctionDependent::Other(d.describe.clone()),
        };
        if !f.dependents.contains(&dep) {
            f.dependents.push(dep);
        }
    }
    by_oid
        .into_values()
        .map(|f| ((f.name.clone(), f.identity.clone()), f))
        .collect()
}
