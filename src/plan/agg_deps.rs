//! The keys of aggregate changes. An aggregate is known as
//! [`Key::Function`] (name, identity arguments) like the functions it
//! shares `pg_proc` with, which is also how the views reading it name it
//! (`pg_depend`). It is created after the functions it is built on (the
//! catalog's `pg_depend`; a spec model's aggregate, which has none, after
//! the functions of the plan its clauses name) and dropped before them.

use super::deps::{Deps, Facts, Key};
use crate::diff::aggregates::AggregateChange;
use crate::model::Aggregate;

/// The tie-break rank ([`super::rank`]): with the functions, just after.
pub fn rank(ch: &AggregateChange) -> u8 {
    match ch {
        AggregateChange::Create(_) | AggregateChange::Replace { .. } => 6,
        AggregateChange::Drop(_) => 16,
    }
}

/// The functions `a` is built on, as plan keys.
fn uses(a: &Aggregate, f: &Facts) -> Vec<Key> {
    if !a.uses.is_empty() {
        return a
            .uses
            .iter()
            .map(|(n, i)| Key::Function(n.clone(), i.clone()))
            .collect();
    }
    let t = &a.attrs;
    [
        Some(&t.sfunc),
        t.finalfunc.as_ref(),
        t.combinefunc.as_ref(),
        t.serialfunc.as_ref(),
        t.deserialfunc.as_ref(),
        t.msfunc.as_ref(),
        t.minvfunc.as_ref(),
        t.mfinalfunc.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|name| crate::pg::ident::parse_sql_name(name))
    .flat_map(|parts| f.functions_named(&parts))
    .collect()
}

/// Types (of the plan) the arguments and states name.
fn types(a: &Aggregate, f: &Facts) -> Vec<Key> {
    let t = &a.attrs;
    let mut texts = vec![a.arguments.as_str(), t.stype.as_str()];
    texts.extend(t.mstype.as_deref());
    f.types_in(&texts)
}

fn create(a: &Aggregate, f: &Facts, d: &mut Deps) {
    d.needs.extend([
        Key::Schema(a.name.schema.clone()),
        Key::Extensions,
        Key::NewTypes,
        Key::NewTables,
    ]);
    d.needs.extend(uses(a, f));
    d.needs.extend(types(a, f));
    d.provides
        .push(Key::Function(a.name.clone(), a.identity.clone()));
}

pub fn deps(ch: &AggregateChange, f: &Facts, d: &mut Deps) {
    match ch {
        AggregateChange::Create(a) => {
            create(a, f, d);
            d.needs
                .push(Key::FreeFunction(a.name.clone(), a.signature.clone()));
        }
        AggregateChange::Replace { from, to } => {
            create(to, f, d);
            let new = uses(to, f);
            d.releases
                .extend(uses(from, f).into_iter().filter(|k| !new.contains(k)));
        }
        AggregateChange::Drop(a) => {
            d.disturbs
                .push(Key::Function(a.name.clone(), a.identity.clone()));
            d.releases.push(Key::Schema(a.name.schema.clone()));
            d.releases.extend(uses(a, f));
            d.releases.extend(types(a, f));
            d.provides
                .push(Key::FreeFunction(a.name.clone(), a.signature.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::diff;
    use crate::model::{Aggregate, AggregateAttrs, Database, Function, QualifiedName};
    use crate::plan::{plan_with, Ties};

    fn function(identity: &str) -> Function {
        Function {
            name: QualifiedName::new("app", "add"),
            identity: identity.into(),
            definition: format!("CREATE OR REPLACE FUNCTION app.add({identity}) …"),
            ..Default::default()
        }
    }

    fn aggregate(uses: Vec<(QualifiedName, String)>) -> Aggregate {
        Aggregate {
            name: QualifiedName::new("app", "total"),
            identity: "integer".into(),
            arguments: "integer".into(),
            kind: 'n',
            attrs: AggregateAttrs {
                sfunc: "app.add".into(),
                stype: "bigint".into(),
                parallel: "u".into(),
                ..Default::default()
            },
            uses,
            ..Default::default()
        }
    }

    fn with(f: Function, a: Aggregate) -> Database {
        let mut db = Database::default();
        db.functions.insert((f.name.clone(), f.identity.clone()), f);
        db.aggregates
            .insert((a.name.clone(), a.identity.clone()), a);
        db
    }

    fn order(sql: &str, first: &str, then: &str) -> bool {
        match (sql.find(first), sql.find(then)) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        }
    }

    /// A spec model's aggregate has no `pg_depend`: the functions of the
    /// plan its clauses name come first all the same (the shadow build).
    #[test]
    fn created_after_and_dropped_before_its_functions_whatever_the_ties() {
        let spec = with(function("bigint, integer"), aggregate(Vec::new()));
        let used = vec![(
            QualifiedName::new("app", "add"),
            "bigint, integer".to_string(),
        )];
        let catalog = with(function("bigint, integer"), aggregate(used));
        for ties in [Ties::Rank, Ties::Reversed] {
            let empty = Database::default();
            let sql = plan_with(&diff(&empty, &spec), &empty, ties).to_sql();
            assert!(order(&sql, "FUNCTION app.add", "CREATE AGGREGATE"), "{sql}");
            let sql = plan_with(&diff(&catalog, &empty), &catalog, ties).to_sql();
            assert!(order(&sql, "DROP AGGREGATE", "DROP FUNCTION"), "{sql}");
        }
    }
}
