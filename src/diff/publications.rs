//! Logical-replication publications: create, drop, rename, comment, and
//! `ALTER PUBLICATION` for their tables, schemas and options. All of them
//! are one [`Change::Publication`] variant holding a [`PublicationChange`],
//! rendered by `render::publications`.
//!
//! Tables come and go with `ADD TABLE` / `DROP TABLE`; a changed column
//! list or row filter is one `SET TABLE` with the whole new list (atomic
//! for subscribers). `FOR ALL TABLES` cannot be altered to or from: a drop
//! and a create. A table this plan drops and creates again is dropped from
//! the publication by PostgreSQL itself and added back; a table whose
//! published column (in its column list or row filter) is retyped leaves
//! the publication first ("cannot alter type of a column used by a
//! publication") and comes back after. Runs last in the diff, when those
//! changes are known.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, ColumnChange};
use crate::model::{Database, Publication, PublishedTable, QualifiedName};

pub type Entries = Vec<(QualifiedName, PublishedTable)>;

// Whole publications by value, like the other kinds' changes.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum PublicationChange {
    Create(Publication),
    Drop(Publication),
    Rename {
        from: String,
        to: String,
    },
    /// `COMMENT ON PUBLICATION` to the publication's comment.
    Comment(Publication),
    /// `around`: added back after a change of their columns (see
    /// [`PublicationChange::DropTables`]).
    AddTables {
        name: String,
        tables: Entries,
        around: bool,
    },
    /// The entries as they were (what the plan must not drop before).
    /// `around`: dropped only while a column they publish is retyped, and
    /// added back in the same transaction.
    DropTables {
        name: String,
        tables: Entries,
        around: bool,
    },
    /// `SET TABLE` with every table of `to`.
    SetTables {
        from: Publication,
        to: Publication,
    },
    AddSchemas {
        name: String,
        schemas: Vec<String>,
    },
    DropSchemas {
        name: String,
        schemas: Vec<String>,
    },
    /// `SET (publish = …, publish_via_partition_root = …)`.
    SetOptions {
        from: Publication,
        to: Publication,
    },
}

/// Append the changes of publications from `from` to `to`.
pub(super) fn diff_publications(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let (rebuilt, retyped) = what_goes(out);
    let mut changes = Vec::new();
    let mut push = |c: PublicationChange| changes.push(Change::Publication(c));
    for (name, p) in &to.publications {
        let Some(old) = from.publications.get(name) else {
            create(p, &mut push);
            continue;
        };
        if old.all_tables != p.all_tables {
            push(PublicationChange::Drop(old.clone()));
            create(p, &mut push);
            continue;
        }
        tables(old, p, &rebuilt, &retyped, &mut push);
        let (gone, new) = set_difference(&old.schemas, &p.schemas);
        if !gone.is_empty() {
            push(PublicationChange::DropSchemas {
                name: name.clone(),
                schemas: gone,
            });
        }
        if !new.is_empty() {
            push(PublicationChange::AddSchemas {
                name: name.clone(),
                schemas: new,
            });
        }
        if old.publish != p.publish || old.via_partition_root != p.via_partition_root {
            push(PublicationChange::SetOptions {
                from: old.clone(),
                to: p.clone(),
            });
        }
        if old.comment != p.comment {
            push(PublicationChange::Comment(p.clone()));
        }
    }
    for (name, p) in &from.publications {
        if !to.publications.contains_key(name) {
            push(PublicationChange::Drop(p.clone()));
        }
    }
    out.extend(changes);
}

fn create(p: &Publication, push: &mut impl FnMut(PublicationChange)) {
    push(PublicationChange::Create(p.clone()));
    if p.comment.is_some() {
        push(PublicationChange::Comment(p.clone()));
    }
}

/// The table changes of a publication on both sides.
fn tables(
    old: &Publication,
    new: &Publication,
    rebuilt: &BTreeSet<QualifiedName>,
    retyped: &BTreeSet<(QualifiedName, String)>,
    push: &mut impl FnMut(PublicationChange),
) {
    let name = &new.name;
    let (mut drops, mut adds): (Entries, Entries) = (Vec::new(), Vec::new());
    let (mut around_drops, mut around_adds): (Entries, Entries) = (Vec::new(), Vec::new());
    let mut changed = false;
    for (t, e) in &old.tables {
        match new.tables.get(t) {
            None => drops.push((t.clone(), e.clone())),
            // PostgreSQL dropped it with the table.
            Some(n) if rebuilt.contains(t) => adds.push((t.clone(), n.clone())),
            Some(n) if mentions_any(t, e, retyped) => {
                around_drops.push((t.clone(), e.clone()));
                around_adds.push((t.clone(), n.clone()));
            }
            Some(n) => changed |= n != e,
        }
    }
    for (t, e) in &new.tables {
        if !old.tables.contains_key(t) {
            adds.push((t.clone(), e.clone()));
        }
    }
    let mut emit = |tables: Entries, around: bool, add: bool| {
        if tables.is_empty() {
            return;
        }
        let name = name.clone();
        push(match add {
            true => PublicationChange::AddTables {
                name,
                tables,
                around,
            },
            false => PublicationChange::DropTables {
                name,
                tables,
                around,
            },
        });
    };
    emit(around_drops, true, false);
    if changed {
        // SET TABLE names every table of `new`, the re-added ones too.
        push(PublicationChange::SetTables {
            from: old.clone(),
            to: new.clone(),
        });
        return;
    }
    emit(drops, false, false);
    emit(adds, false, true);
    emit(around_adds, true, true);
}

/// The entry's column list or row filter names a column of `retyped`.
fn mentions_any(
    t: &QualifiedName,
    e: &PublishedTable,
    retyped: &BTreeSet<(QualifiedName, String)>,
) -> bool {
    retyped.iter().filter(|(rt, _)| rt == t).any(|(_, c)| {
        e.columns.as_ref().is_some_and(|cols| cols.contains(c))
            || e.row_filter
                .as_deref()
                .is_some_and(|f| crate::pg::expr::mentions_column(f, c))
    })
}

/// Tables the changes so far drop (and, if kept, create again), and
/// columns they retype.
fn what_goes(changes: &[Change]) -> (BTreeSet<QualifiedName>, BTreeSet<(QualifiedName, String)>) {
    let (mut rebuilt, mut retyped) = (BTreeSet::new(), BTreeSet::new());
    for ch in changes {
        match ch {
            Change::DropTable(t) => {
                rebuilt.insert(t.name.clone());
            }
            Change::AlterColumn {
                table,
                from,
                changes,
                ..
            } if changes
                .iter()
                .any(|c| matches!(c, ColumnChange::Type { .. } | ColumnChange::Backfill(_))) =>
            {
                retyped.insert((table.clone(), from.name.clone()));
            }
            _ => {}
        }
    }
    (rebuilt, retyped)
}

/// (in `a` only, in `b` only), both sorted lists.
fn set_difference(a: &[String], b: &[String]) -> (Vec<String>, Vec<String>) {
    let only = |x: &[String], y: &[String]| x.iter().filter(|s| !y.contains(s)).cloned().collect();
    (only(a, b), only(b, a))
}

/// Publications follow a renamed table (PostgreSQL keeps them).
pub(super) fn rename_table(db: &mut Database, old: &QualifiedName, new: &QualifiedName) {
    for p in db.publications.values_mut() {
        if let Some(e) = p.tables.remove(old) {
            p.tables.insert(new.clone(), e);
        }
    }
}

/// A renamed column in column lists and row filters of its table.
pub(super) fn rename_column(db: &mut Database, table: &QualifiedName, old: &str, new: &str) {
    for p in db.publications.values_mut() {
        let Some(e) = p.tables.get_mut(table) else {
            continue;
        };
        for c in e.columns.iter_mut().flatten().filter(|c| *c == old) {
            *c = new.to_string();
        }
        if let Some(f) = &mut e.row_filter {
            *f = super::renames::replace_ident(f, old, new);
        }
    }
}

/// Apply the `renamed_from` hints (previous name, name now) that fit.
pub(super) fn apply_renames(
    db: &mut Database,
    to: &Database,
    hints: &[(String, String)],
) -> Vec<Change> {
    let mut out = Vec::new();
    for (new, old) in hints {
        let fits = db.publications.contains_key(old)
            && !db.publications.contains_key(new)
            && to.publications.contains_key(new)
            && !to.publications.contains_key(old);
        let Some(mut p) = db.publications.remove(old).filter(|_| fits) else {
            continue;
        };
        p.name = new.clone();
        db.publications.insert(new.clone(), p);
        out.push(Change::Publication(PublicationChange::Rename {
            from: old.clone(),
            to: new.clone(),
        }));
    }
    out
}

/// The tables of `p` by name (for notes).
pub fn names(tables: &[(QualifiedName, PublishedTable)]) -> String {
    let names: BTreeMap<String, ()> = tables.iter().map(|(t, _)| (t.to_string(), ())).collect();
    names.into_keys().collect::<Vec<_>>().join(", ")
}
