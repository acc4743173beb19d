//! User-defined aggregates (`pg_aggregate` joined to its `pg_proc` row,
//! `prokind = 'a'`), not extension members. `pg_get_functiondef` refuses
//! aggregates, so every clause is read on its own and printed the way
//! `CREATE AGGREGATE` takes it (the way `pg_dump` does): functions as
//! `regproc`, types as `format_type`, the sort operator by name — all
//! under the snapshot's `search_path = pg_catalog`, so quoted where needed
//! and qualified outside `pg_catalog`.
//!
//! Read along: the user functions each aggregate is built on (its
//! `pg_depend` rows on `pg_proc`), so that a drop of one drags the
//! aggregate with it, and what else depends on the aggregate that strata
//! cannot re-create (views are rebuilt from [`crate::model::Database::depends`]).

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_dependent, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{Aggregate, AggregateAttrs, FunctionKey, QualifiedName};

const WHAT: &str = "aggregates";

/// The SQL predicate choosing the aggregates strata models (`p` is
/// `pg_proc`): also used by the unmanaged report to leave them out.
pub fn modelled(p: &str) -> String {
    format!("{p}.prokind = 'a'")
}

/// `regproc` text of a function oid column, `NULL` for 0.
fn func(col: &str) -> String {
    format!("CASE WHEN a.{col} <> 0 THEN a.{col}::regproc::text END")
}

fn sql() -> String {
    let uses = |what: &str| {
        format!(
            "ARRAY(SELECT {what} FROM pg_depend d JOIN pg_proc f ON f.oid = d.refobjid \
               JOIN pg_namespace fn ON fn.oid = f.pronamespace \
              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid \
                AND d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n' \
                AND fn.nspname <> 'information_schema' AND left(fn.nspname, 3) <> 'pg_' \
              ORDER BY f.oid)"
        )
    };
    format!(
        "{NS_CTE} SELECT ns.nspname, p.proname::text AS proname, \
           pg_get_function_identity_arguments(p.oid) AS ident, \
           oidvectortypes(p.proargtypes) AS signature, \
           pg_get_function_arguments(p.oid) AS args, \
           coalesce(pg_get_function_result(p.oid), '') AS result, \
           a.aggkind::text AS kind, a.aggtransfn::regproc::text AS sfunc, \
           format_type(a.aggtranstype, NULL) AS stype, a.aggtransspace AS sspace, \
           {finalfunc} AS finalfunc, a.aggfinalextra, a.aggfinalmodify::text AS finalmodify, \
           {combinefunc} AS combinefunc, {serialfunc} AS serialfunc, \
           {deserialfunc} AS deserialfunc, a.agginitval, \
           {msfunc} AS msfunc, {minvfunc} AS minvfunc, \
           CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END AS mstype, \
           a.aggmtransspace AS msspace, {mfinalfunc} AS mfinalfunc, a.aggmfinalextra, \
           a.aggmfinalmodify::text AS mfinalmodify, a.aggminitval, \
           (SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN o.oprname::text \
                   ELSE quote_ident(opn.nspname) || '.' || o.oprname END \
              FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace \
             WHERE o.oid = a.aggsortop) AS sortop, \
           p.proparallel::text AS parallel, \
           obj_description(p.oid, 'pg_proc') AS description, \
           {use_schema} AS use_schema, {use_name} AS use_name, {use_args} AS use_args, \
           ARRAY(SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM pg_depend d \
             WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid \
               AND d.deptype = 'n' AND NOT EXISTS (SELECT 1 FROM pg_rewrite r \
                 WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid \
                   AND r.rulename = '_RETURN') ORDER BY 1) AS blockers \
         FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace \
         JOIN pg_aggregate a ON a.aggfnoid = p.oid \
         WHERE {modelled} AND {member}",
        finalfunc = func("aggfinalfn"),
        combinefunc = func("aggcombinefn"),
        serialfunc = func("aggserialfn"),
        deserialfunc = func("aggdeserialfn"),
        msfunc = func("aggmtransfn"),
        minvfunc = func("aggminvtransfn"),
        mfinalfunc = func("aggmfinalfn"),
        use_schema = uses("fn.nspname::text"),
        use_name = uses("f.proname::text"),
        use_args = uses("pg_get_function_identity_arguments(f.oid)"),
        modelled = modelled("p"),
        member = not_dependent("pg_proc", "p.oid", "'e', 'i'"),
    )
}

/// The modify flag's keyword when it is not the default for the kind
/// (read-only for normal aggregates, read-write for ordered-set ones).
fn modify(code: &str, kind: char) -> Option<String> {
    let default = if kind == 'n' { "r" } else { "w" };
    let word = match code {
        "r" => "READ_ONLY",
        "s" => "SHAREABLE",
        _ => "READ_WRITE",
    };
    (code != default).then(|| word.to_string())
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<FunctionKey, Aggregate>, CatalogError> {
    let rows = query(client, WHAT, &sql(), &[&scope.schemas]).await?;
    let mut out = BTreeMap::new();
    for row in &rows {
        let a = one(row)?;
        out.insert((a.name.clone(), a.identity.clone()), a);
    }
    Ok(out)
}

fn one(row: &tokio_postgres::Row) -> Result<Aggregate, CatalogError> {
    let name = QualifiedName::new(
        get::<String, _>(row, "nspname", WHAT)?,
        get::<String, _>(row, "proname", WHAT)?,
    );
    let kind = get::<String, _>(row, "kind", WHAT)?
        .chars()
        .next()
        .unwrap_or('n');
    let text = |c: &str| get::<Option<String>, _>(row, c, WHAT);
    let attrs = AggregateAttrs {
        sfunc: get(row, "sfunc", WHAT)?,
        stype: get(row, "stype", WHAT)?,
        sspace: get(row, "sspace", WHAT)?,
        finalfunc: text("finalfunc")?,
        finalfunc_extra: get(row, "aggfinalextra", WHAT)?,
        finalfunc_modify: modify(&get::<String, _>(row, "finalmodify", WHAT)?, kind),
        combinefunc: text("combinefunc")?,
        serialfunc: text("serialfunc")?,
        deserialfunc: text("deserialfunc")?,
        initcond: text("agginitval")?,
        msfunc: text("msfunc")?,
        minvfunc: text("minvfunc")?,
        mstype: text("mstype")?,
        msspace: get(row, "msspace", WHAT)?,
        mfinalfunc: text("mfinalfunc")?,
        mfinalfunc_extra: get(row, "aggmfinalextra", WHAT)?,
        mfinalfunc_modify: modify(&get::<String, _>(row, "mfinalmodify", WHAT)?, kind),
        minitcond: text("aggminitval")?,
        sortop: text("sortop")?,
        parallel: get(row, "parallel", WHAT)?,
    };
    let schemas: Vec<String> = get(row, "use_schema", WHAT)?;
    let names: Vec<String> = get(row, "use_name", WHAT)?;
    let args: Vec<String> = get(row, "use_args", WHAT)?;
    let mut uses: Vec<(QualifiedName, String)> = schemas
        .into_iter()
        .zip(names)
        .zip(args)
        .map(|((s, n), a)| (QualifiedName::new(s, n), a))
        .collect();
    uses.dedup();
    Ok(Aggregate {
        identity: get(row, "ident", WHAT)?,
        signature: get(row, "signature", WHAT)?,
        arguments: get(row, "args", WHAT)?,
        result: get(row, "result", WHAT)?,
        kind,
        attrs,
        comment: get(row, "description", WHAT)?,
        uses,
        blockers: get(row, "blockers", WHAT)?,
        name,
        origin: Default::default(),
    })
}
