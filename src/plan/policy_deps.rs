//! Edges of row-level security policy changes ([`PolicyChange`]).
//!
//! A new or altered policy waits for its table, the columns, functions,
//! types and new tables its expressions mention; a dropped or altered one
//! runs before what its old form read (its `pg_depend` rows) goes. Names
//! are freed and taken like triggers'.

use super::deps::{Deps, Facts, Key};
use crate::diff::policies::PolicyChange;
use crate::model::{ObjRef, Policy};

pub fn deps(change: &PolicyChange, f: &Facts, d: &mut Deps) {
    match change {
        PolicyChange::Create(p) => {
            d.needs.extend(uses(p, f));
            d.needs.push(free(p));
            d.provides.push(key(p));
        }
        PolicyChange::Alter { from, to } => {
            d.needs.extend(uses(to, f));
            d.needs.push(key(to));
            d.releases.extend(reads(from));
        }
        PolicyChange::Rename { table, from, to } => {
            d.needs.push(Key::Table(table.clone()));
            d.needs.push(Key::FreePolicy(table.clone(), to.clone()));
            d.provides
                .push(Key::FreePolicy(table.clone(), from.clone()));
            d.provides.push(Key::Policy(table.clone(), to.clone()));
        }
        PolicyChange::Comment(p) => {
            d.needs.push(Key::Table(p.table.clone()));
            d.needs.push(key(p));
        }
        PolicyChange::Drop(p) => {
            d.needs.push(Key::Renamed(p.table.clone()));
            d.releases.extend(reads(p));
            d.releases.extend(f.policy_mentions(p));
            d.provides.push(free(p));
        }
    }
}

fn key(p: &Policy) -> Key {
    Key::Policy(p.table.clone(), p.name.clone())
}

fn free(p: &Policy) -> Key {
    Key::FreePolicy(p.table.clone(), p.name.clone())
}

/// What the expressions of `p` mention among the plan's objects, and its
/// table.
fn uses(p: &Policy, f: &Facts) -> Vec<Key> {
    let mut out = vec![Key::Table(p.table.clone())];
    out.extend(f.policy_mentions(p));
    let texts = texts(p);
    out.extend(f.new_tables_in(&texts));
    out
}

pub(super) fn texts(p: &Policy) -> Vec<&str> {
    [&p.using, &p.with_check]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
}

/// What the old form read, from `pg_depend`.
fn reads(p: &Policy) -> Vec<Key> {
    p.reads
        .iter()
        .map(|r| match r {
            ObjRef::Table(t) => Key::Table(t.clone()),
            ObjRef::Column(t, c) => Key::Column(t.clone(), c.clone()),
            ObjRef::View(v) => Key::View(v.clone()),
            ObjRef::Function(n, i) => Key::Function(n.clone(), i.clone()),
            ObjRef::Type(t) => Key::Type(t.clone()),
            ObjRef::Sequence(s) => Key::Sequence(s.clone()),
        })
        .collect()
}
