//! User-defined aggregates: `CREATE [OR REPLACE] AGGREGATE` written from
//! the model's clauses (PostgreSQL has no `pg_get_functiondef` for
//! aggregates; this is the text `pg_dump` writes), and `DROP AGGREGATE`.
//! A catalog model's clauses are PostgreSQL's own text (quoted,
//! qualified), the aggregate's name is quoted here, and the initial
//! states are literals.

use super::{Hazard, Statement};
use crate::diff::aggregates::AggregateChange;
use crate::model::{quote_literal, Aggregate};

pub fn render(ch: &AggregateChange) -> Vec<Statement> {
    match ch {
        AggregateChange::Create(a) => vec![create(a, false)],
        AggregateChange::Replace { to, .. } => vec![create(to, true)],
        AggregateChange::Drop(a) => vec![drop(a)],
    }
}

/// `name(args)`, `name(*)` without arguments (what `CREATE`, `DROP` and
/// `COMMENT ON AGGREGATE` take).
pub fn signature(name: &crate::model::QualifiedName, args: &str) -> String {
    let args = if args.trim().is_empty() { "*" } else { args };
    format!("{}({args})", name.quoted())
}

fn opt(out: &mut Vec<String>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        out.push(format!("{key} = {v}"));
    }
}

fn flag(out: &mut Vec<String>, key: &str, on: bool) {
    if on {
        out.push(key.to_string());
    }
}

/// The clauses inside `CREATE AGGREGATE … ( … )`, in `pg_dump`'s order.
pub fn clauses(a: &Aggregate) -> Vec<String> {
    let t = &a.attrs;
    let lit = |v: &Option<String>| v.as_deref().map(quote_literal);
    let num = |v: i32| (v != 0).then(|| v.to_string());
    let mut out = vec![
        format!("SFUNC = {}", t.sfunc),
        format!("STYPE = {}", t.stype),
    ];
    opt(&mut out, "SSPACE", &num(t.sspace));
    opt(&mut out, "INITCOND", &lit(&t.initcond));
    opt(&mut out, "FINALFUNC", &t.finalfunc);
    flag(&mut out, "FINALFUNC_EXTRA", t.finalfunc_extra);
    opt(&mut out, "FINALFUNC_MODIFY", &t.finalfunc_modify);
    opt(&mut out, "COMBINEFUNC", &t.combinefunc);
    opt(&mut out, "SERIALFUNC", &t.serialfunc);
    opt(&mut out, "DESERIALFUNC", &t.deserialfunc);
    opt(&mut out, "MSFUNC", &t.msfunc);
    opt(&mut out, "MINVFUNC", &t.minvfunc);
    opt(&mut out, "MSTYPE", &t.mstype);
    opt(&mut out, "MSSPACE", &num(t.msspace));
    opt(&mut out, "MINITCOND", &lit(&t.minitcond));
    opt(&mut out, "MFINALFUNC", &t.mfinalfunc);
    flag(&mut out, "MFINALFUNC_EXTRA", t.mfinalfunc_extra);
    opt(&mut out, "MFINALFUNC_MODIFY", &t.mfinalfunc_modify);
    // An operator name is symbols only; `OPERATOR(schema.op)` names one
    // outside the search path.
    let sortop = t.sortop.as_ref().map(|o| {
        if o.contains('.') {
            format!("OPERATOR({o})")
        } else {
            o.clone()
        }
    });
    opt(&mut out, "SORTOP", &sortop);
    flag(&mut out, "HYPOTHETICAL", a.kind == 'h');
    let parallel = match t.parallel.as_str() {
        "s" => Some("SAFE".to_string()),
        "r" => Some("RESTRICTED".to_string()),
        _ => None,
    };
    opt(&mut out, "PARALLEL", &parallel);
    out
}

/// The whole `CREATE [OR REPLACE] AGGREGATE` statement.
pub fn definition(a: &Aggregate, replace: bool) -> String {
    let head = if replace {
        "CREATE OR REPLACE AGGREGATE"
    } else {
        "CREATE AGGREGATE"
    };
    format!(
        "{head} {} (\n    {}\n);",
        signature(&a.name, &a.arguments),
        clauses(a).join(",\n    ")
    )
}

/// `CREATE AGGREGATE`, or `CREATE OR REPLACE AGGREGATE`: callers get the
/// new definition at once, in queries already planned too.
pub fn create(a: &Aggregate, replace: bool) -> Statement {
    Statement::new(definition(a, replace)).from_origin(&a.origin)
}

/// `DROP AGGREGATE name(identity arguments)`, never `CASCADE`: a
/// dependent strata cannot re-create makes PostgreSQL refuse the drop,
/// and the statement says which.
pub fn drop(a: &Aggregate) -> Statement {
    let stmt = Statement::new(format!(
        "DROP AGGREGATE {};",
        signature(&a.name, &a.identity)
    ));
    if a.blockers.is_empty() {
        return stmt;
    }
    stmt.with([
        Hazard::Note(format!(
            "{} depends on it and is not re-created by strata: drop or change it first",
            a.blockers.join(", ")
        )),
        Hazard::MayFail {
            why: "PostgreSQL refuses to drop an aggregate other objects depend on \
                  (strata never drops with CASCADE)",
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AggregateAttrs, QualifiedName};

    #[test]
    fn every_clause_in_order_and_names_quoted() {
        let a = Aggregate {
            name: QualifiedName::new("A b", "g\"x"),
            arguments: "double precision ORDER BY anyelement".into(),
            kind: 'h',
            attrs: AggregateAttrs {
                sfunc: "public.f".into(),
                stype: "text[]".into(),
                initcond: Some("{'}".into()),
                finalfunc: Some("public.fin".into()),
                finalfunc_extra: true,
                sortop: Some("app.>".into()),
                parallel: "s".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            definition(&a, false),
            "CREATE AGGREGATE \"A b\".\"g\"\"x\"(double precision ORDER BY anyelement) (\n    \
             SFUNC = public.f,\n    STYPE = text[],\n    INITCOND = '{''}',\n    \
             FINALFUNC = public.fin,\n    FINALFUNC_EXTRA,\n    SORTOP = OPERATOR(app.>),\n    \
             HYPOTHETICAL,\n    PARALLEL = SAFE\n);"
        );
        assert_eq!(
            signature(&a.name, ""),
            "\"A b\".\"g\"\"x\"(*)",
            "no arguments"
        );
    }
}
