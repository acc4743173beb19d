//! The keys of view changes. What a view reads comes with its change
//! (`reads`, from `pg_depend` of the side it exists on): a view is created
//! after everything it reads is in its new form, and dropped before
//! anything it reads is dropped or changed under it.

use super::deps::{Deps, Key};
use crate::diff::Change;
use crate::model::{ObjRef, View};

/// The key an object a view reads is known by in the plan.
fn key(r: &ObjRef) -> Key {
    match r {
        ObjRef::Table(t) => Key::Table(t.clone()),
        ObjRef::Column(t, c) => Key::Column(t.clone(), c.clone()),
        ObjRef::View(v) => Key::View(v.clone()),
        ObjRef::Function(f, args) => Key::Function(f.clone(), args.clone()),
        ObjRef::Type(t) => Key::Type(t.clone()),
        ObjRef::Sequence(s) => Key::Sequence(s.clone()),
    }
}

fn rel(v: &View, name: &str) -> Key {
    Key::FreeRel((v.name.schema.clone(), name.to_string()))
}

/// What a view in its new form provides: itself, its columns (their
/// comments wait for it) and, materialized, a relation indexes go on.
fn provided(v: &View, d: &mut Deps) {
    d.provides.push(Key::View(v.name.clone()));
    d.provides.extend(
        v.columns
            .iter()
            .map(|c| Key::Column(v.name.clone(), c.name.clone())),
    );
    if v.materialized {
        d.provides.push(Key::Table(v.name.clone()));
    }
}

pub fn deps(ch: &Change, d: &mut Deps) {
    match ch {
        Change::CreateView { view, reads } => {
            d.needs.extend([
                Key::Schema(view.name.schema.clone()),
                rel(view, &view.name.name),
                Key::Extensions,
                Key::NewTypes,
                // A spec model's view reads no `pg_depend`: after every
                // new table and sequence.
                Key::NewTables,
                Key::NewSequences,
            ]);
            d.needs.extend(reads.iter().map(key));
            provided(view, d);
        }
        Change::DropView { view, reads } => {
            d.disturbs.push(Key::View(view.name.clone()));
            d.releases.extend(reads.iter().map(key));
            d.releases
                .extend([Key::Schema(view.name.schema.clone()), Key::Extensions]);
            d.provides.push(rel(view, &view.name.name));
            for i in &view.indexes {
                d.provides.extend(i.name.as_deref().map(|n| rel(view, n)));
            }
        }
        Change::ReplaceView {
            to,
            reads,
            old_reads,
            ..
        } => {
            d.needs.push(Key::View(to.name.clone()));
            let new: Vec<Key> = reads.iter().map(key).collect();
            d.releases
                .extend(old_reads.iter().map(key).filter(|k| !new.contains(k)));
            d.needs.extend(new);
            d.needs.extend([Key::Extensions, Key::NewTypes]);
            provided(to, d);
        }
        Change::AlterViewOptions { to, .. } => d.needs.push(Key::View(to.name.clone())),
        Change::RefreshMaterializedView { name, .. } => d.needs.push(Key::View(name.clone())),
        Change::RenameView {
            from,
            to,
            materialized,
        } => {
            let now = crate::model::QualifiedName::new(&from.schema, to);
            d.needs
                .push(Key::FreeRel((from.schema.clone(), to.clone())));
            d.provides
                .push(Key::FreeRel((from.schema.clone(), from.name.clone())));
            d.provides.push(Key::View(now.clone()));
            if *materialized {
                d.provides.push(Key::Table(now));
            }
        }
        _ => {}
    }
}
