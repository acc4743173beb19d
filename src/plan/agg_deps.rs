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
