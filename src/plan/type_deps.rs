//! Plan keys of [`TypeChange`]s (domains, composite and range types,
//! collations): a type or collation comes before the columns, domains and
//! other types that use it, and is dropped after them.

use super::deps::{rel, Deps, Facts, Key};
use crate::diff::types::{TypeChange, TypeKind, TypeObject};
use crate::model::QualifiedName;

/// (types, collations, parked columns) a change names, for [`Facts`].
pub fn named(
    t: &TypeChange,
) -> (
    Vec<QualifiedName>,
    Vec<QualifiedName>,
    Vec<(&QualifiedName, &str)>,
) {
    let (mut ty, mut coll, mut cols) = (Vec::new(), Vec::new(), Vec::new());
    let mut object = |o: &TypeObject| match o.kind() {
        TypeKind::Collation => coll.push(o.name().clone()),
        _ => ty.extend(std::iter::once(o.name().clone()).chain(o.multirange())),
    };
    match t {
        TypeChange::Create(o) | TypeChange::Drop(o) => object(o),
        TypeChange::Recreate { to, columns, .. } => {
            object(to);
            cols.extend(columns.iter().map(|(t, c)| (t, c.name.as_str())));
        }
        TypeChange::RenameDomain { from, to } => {
            ty.push(from.clone());
            ty.push(QualifiedName::new(&from.schema, to));
        }
        TypeChange::AlterDomain { to, .. } => ty.push(to.name.clone()),
        TypeChange::AlterComposite { to, columns, .. } => {
            ty.push(to.name.clone());
            cols.extend(columns.iter().map(|(t, c)| (t, c.name.as_str())));
        }
        TypeChange::Comment { .. } => {}
    }
    (ty, coll, cols)
}

fn key(o: &TypeObject) -> Key {
    match o.kind() {
        TypeKind::Collation => Key::Collation(o.name().clone()),
        _ => Key::Type(o.name().clone()),
    }
}

/// The object's key and its multirange's (a range's columns may use
/// either).
fn keys(o: &TypeObject) -> Vec<Key> {
    let mut out = vec![key(o)];
    out.extend(o.multirange().map(Key::Type));
    out
}

/// What the definition of `o` uses (other types and collations of the
/// plan), itself excepted.
fn uses(o: &TypeObject, f: &Facts) -> Vec<Key> {
    let texts = o.texts();
    let own = keys(o);
    let mut out = f.types_in(&texts);
    out.extend(f.collations_in(&texts));
    out.retain(|k| !own.contains(k));
    out
}

pub fn deps(t: &TypeChange, f: &Facts, d: &mut Deps) {
    match t {
        TypeChange::Create(o) => {
            let n = o.name();
            d.needs
                .extend([Key::Schema(n.schema.clone()), Key::Extensions]);
            d.needs.push(Key::FreeRel(rel(&n.schema, &n.name)));
            d.needs.extend(uses(o, f));
            // Over a new table's row type (`CREATE DOMAIN d AS t`): after
            // that table, so not among the types every new table waits
            // for (its users wait for its own key).
            let tables = f.new_tables_in(&o.texts());
            if tables.is_empty() {
                d.provides.push(Key::NewTypes);
            }
            d.needs.extend(tables);
            d.provides.extend(keys(o));
            if let Some(m) = o.multirange() {
                d.needs.push(Key::FreeRel(rel(&m.schema, &m.name)));
            }
        }
        TypeChange::Drop(o) => {
            let n = o.name();
            d.disturbs.extend(keys(o));
            if let Some(m) = o.multirange() {
                d.provides.push(Key::FreeRel(rel(&m.schema, &m.name)));
            }
            d.releases
                .extend([Key::Schema(n.schema.clone()), Key::Extensions]);
            d.releases.extend(uses(o, f));
            d.releases.extend(f.tables_in(&o.texts()));
            d.provides.push(Key::FreeRel(rel(&n.schema, &n.name)));
        }
        TypeChange::Recreate { from, to, columns } => {
            d.disturbs.extend(keys(from));
            d.releases.extend(uses(from, f));
            d.needs.extend(uses(to, f));
            d.provides.extend(keys(to));
            parked(columns, d);
        }
        TypeChange::RenameDomain { from, to } => {
            d.needs.push(Key::FreeRel(rel(&from.schema, to)));
            d.provides.push(Key::FreeRel(rel(&from.schema, &from.name)));
            d.provides
                .push(Key::Type(QualifiedName::new(&from.schema, to)));
        }
        TypeChange::AlterDomain { to, .. } => {
            let o = TypeObject::Domain(to.clone());
            d.needs.push(Key::Type(to.name.clone()));
            d.needs.extend(uses(&o, f));
            d.provides.push(Key::Type(to.name.clone()));
        }
        TypeChange::AlterComposite { to, columns, .. } => {
            let o = TypeObject::Composite(to.clone());
            d.needs.push(Key::Type(to.name.clone()));
            d.needs.extend(uses(&o, f));
            d.provides.push(Key::Type(to.name.clone()));
            parked(columns, d);
        }
        TypeChange::Comment { kind, name, .. } => d.needs.push(match kind {
            TypeKind::Collation => Key::Collation(name.clone()),
            _ => Key::Type(name.clone()),
        }),
    }
}

/// Columns parked in `text` around the change: their table exists, and
/// the column is disturbed and provided again.
fn parked(columns: &[(QualifiedName, crate::model::Column)], d: &mut Deps) {
    for (t, c) in columns {
        let k = Key::Column(t.clone(), c.name.clone());
        d.needs.push(Key::Table(t.clone()));
        d.disturbs.push(k.clone());
        d.provides.push(k);
    }
}

/// Tie-break rank (see [`super::rank`]).
pub fn rank(t: &TypeChange) -> u8 {
    match t {
        TypeChange::RenameDomain { .. } => 0,
        TypeChange::Create(_) => 5,
        TypeChange::Recreate { .. } | TypeChange::AlterDomain { .. } => 9,
        TypeChange::AlterComposite { .. } => 9,
        TypeChange::Drop(_) => 16,
        TypeChange::Comment { .. } => 19,
    }
}
