//! Edges of publication changes ([`PublicationChange`]).
//!
//! A publication that gains a table waits for the table and for the
//! columns its column list and row filter name; one that loses a table (or
//! a column of its column list, through `SET TABLE`) runs before the table
//! or column is dropped: PostgreSQL refuses to drop a column a
//! publication's column list or row filter names. Names are freed and
//! taken like other objects'.

use super::deps::{Deps, Facts, Key};
use crate::diff::publications::PublicationChange;
use crate::model::{PublishedTable, QualifiedName};

/// The plan's phase of a change (the graph orders within and across).
pub fn rank(change: &PublicationChange) -> u8 {
    match change {
        PublicationChange::Rename { .. } => 0,
        PublicationChange::Drop(_)
        | PublicationChange::DropTables { .. }
        | PublicationChange::DropSchemas { .. } => 2,
        _ => 13,
    }
}

pub fn deps(change: &PublicationChange, f: &Facts, d: &mut Deps) {
    let publication = |n: &str| Key::Publication(n.to_string());
    match change {
        PublicationChange::Create(p) => {
            d.needs.push(Key::FreePublication(p.name.clone()));
            d.needs
                .extend(p.tables.iter().flat_map(|(t, e)| uses(t, e, f)));
            d.needs
                .extend(p.schemas.iter().map(|s| Key::Schema(s.clone())));
            d.provides.push(publication(&p.name));
        }
        PublicationChange::Drop(p) => {
            d.releases
                .extend(p.tables.iter().flat_map(|(t, e)| uses(t, e, f)));
            d.releases
                .extend(p.schemas.iter().map(|s| Key::Schema(s.clone())));
            d.provides.push(Key::FreePublication(p.name.clone()));
        }
        PublicationChange::Rename { from, to } => {
            d.needs.push(Key::FreePublication(to.clone()));
            d.provides.push(Key::FreePublication(from.clone()));
            d.provides.push(publication(to));
        }
        PublicationChange::Comment(p) | PublicationChange::SetOptions { to: p, .. } => {
            d.needs.push(publication(&p.name));
        }
        PublicationChange::AddTables { name, tables, .. } => {
            d.needs.push(publication(name));
            d.needs
                .extend(tables.iter().flat_map(|(t, e)| uses(t, e, f)));
        }
        PublicationChange::DropTables { name, tables, .. } => {
            d.needs.push(publication(name));
            // The statement names each table as the diff does: renamed.
            d.needs
                .extend(tables.iter().map(|(t, _)| Key::Renamed(t.clone())));
            d.releases
                .extend(tables.iter().flat_map(|(t, e)| uses(t, e, f)));
        }
        PublicationChange::SetTables { from, to } => {
            d.needs.push(publication(&to.name));
            d.needs
                .extend(to.tables.iter().flat_map(|(t, e)| uses(t, e, f)));
            // What the old list published and the new one does not.
            let kept = |k: &Key| !d.needs.contains(k);
            let old: Vec<Key> = from
                .tables
                .iter()
                .flat_map(|(t, e)| uses(t, e, f))
                .filter(kept)
                .collect();
            d.releases.extend(old);
        }
        PublicationChange::AddSchemas { name, schemas } => {
            d.needs.push(publication(name));
            d.needs
                .extend(schemas.iter().map(|s| Key::Schema(s.clone())));
        }
        PublicationChange::DropSchemas { name, schemas } => {
            d.needs.push(publication(name));
            d.releases
                .extend(schemas.iter().map(|s| Key::Schema(s.clone())));
        }
    }
}

/// The table, and the plan's columns, functions and types its column list
/// and row filter name.
fn uses(t: &QualifiedName, e: &PublishedTable, f: &Facts) -> Vec<Key> {
    let cols = e.columns.clone().unwrap_or_default();
    let texts: Vec<&str> = e.row_filter.iter().map(String::as_str).collect();
    let mut out = vec![Key::Table(t.clone())];
    out.extend(f.columns_in(t, &cols, &texts));
    out.extend(f.functions_in(&texts));
    out
}
