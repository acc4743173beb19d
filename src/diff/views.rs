//! Views and materialized views: create, replace, rebuild, alter options,
//! refresh, comment, drop — and the views PostgreSQL will not let stay
//! while something they read changes under them.
//!
//! A view's new definition is `CREATE OR REPLACE VIEW` when PostgreSQL
//! accepts it: the existing columns keep their names and types in order,
//! new ones only come after. Otherwise, and for any change of a
//! materialized view's query, the view is dropped and created again.
//!
//! **Rebuilt**: a view of the current database that reads (per its
//! `pg_depend` rows, [`Database::depends`]) a column whose type changes,
//! a column or table that goes, an enum type that is recreated or
//! dropped, an aggregate that is dropped and created again, or a view that
//! is itself dropped or rebuilt, is dropped before and created again
//! after (PostgreSQL refuses `ALTER COLUMN … TYPE` under a view: "cannot
//! alter type of a column used by a view"). The
//! plan orders the drops before what they read changes and the creations
//! after, by the `reads` each change carries.

use std::collections::BTreeSet;

use super::{Change, ColumnChange, CommentTarget};
use crate::model::{Database, Depend, ObjRef, QualifiedName, Table, View};

/// Append the changes of views from `from` to `to`. Runs after every
/// other kind's diff: what those change decides what is rebuilt.
pub(super) fn diff_views(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let rebuilt = rebuilt(from, to, out);
    let mut changes = Vec::new();
    for (name, v) in &to.views {
        match from.views.get(name) {
            None => changes.extend(create(v, to)),
            Some(old) if rebuilt.contains(name) => {
                changes.push(drop(old, from));
                changes.extend(create(v, to));
            }
            Some(old) => alter(old, v, from, to, &mut changes),
        }
    }
    for (name, v) in &from.views {
        if !to.views.contains_key(name) {
            changes.push(drop(v, from));
        }
    }
    out.extend(changes);
}

/// Apply the view rename hints that fit (the old name is a view of `db`
/// and not of `to`, the new one the reverse) to `db`; the renames.
pub(super) fn apply_renames(
    db: &mut Database,
    to: &Database,
    hints: &[(QualifiedName, String)],
) -> Vec<Change> {
    let mut out = Vec::new();
    for (new, old) in hints {
        let old_q = QualifiedName::new(&new.schema, old);
        let fits = db.views.contains_key(&old_q)
            && !db.views.contains_key(new)
            && to.views.contains_key(new)
            && !to.views.contains_key(&old_q);
        let Some(mut v) = db.views.remove(&old_q).filter(|_| fits) else {
            continue;
        };
        out.push(Change::RenameView {
            from: old_q.clone(),
            to: new.name.clone(),
            materialized: v.materialized,
        });
        v.name = new.clone();
        db.views.insert(new.clone(), v);
        for d in db.depends.iter_mut() {
            for r in [&mut d.from, &mut d.to] {
                if *r == ObjRef::View(old_q.clone()) {
                    *r = ObjRef::View(new.clone());
                }
            }
        }
    }
    out
}

/// A table (or, with `column` = (old, new), one of its columns) renamed
/// in the `pg_depend` rows of `db`.
pub(super) fn rename_in_depends(
    db: &mut Database,
    old: &QualifiedName,
    new: &QualifiedName,
    column: Option<(&str, &str)>,
) {
    for d in db.depends.iter_mut() {
        match (&mut d.to, column) {
            (ObjRef::Table(t), None) if t == old => *t = new.clone(),
            (ObjRef::Column(t, _), None) if t == old => *t = new.clone(),
            (ObjRef::Column(t, c), Some((o, n))) if t == old && c == o => *c = n.to_string(),
            _ => {}
        }
    }
}

/// What `view` reads according to `db`'s `pg_depend` rows.
pub fn reads(db: &Database, view: &QualifiedName) -> Vec<ObjRef> {
    db.depends
        .iter()
        .filter(|d| matches!(&d.from, ObjRef::View(v) if v == view))
        .map(|d| d.to.clone())
        .collect()
}

fn drop(v: &View, from: &Database) -> Change {
    Change::DropView {
        view: v.clone(),
        reads: reads(from, &v.name),
    }
}

/// The view, then its comments and (materialized) indexes.
fn create(v: &View, to: &Database) -> Vec<Change> {
    let mut out = vec![Change::CreateView {
        view: v.clone(),
        reads: reads(to, &v.name),
    }];
    if v.comment.is_some() {
        out.push(view_comment(v));
    }
    for c in v.columns.iter().filter(|c| c.comment.is_some()) {
        out.push(column_comment(v, &c.name, &c.comment));
    }
    for i in &v.indexes {
        super::tables::create_index(&v.name, i, &mut out);
    }
    if v.materialized {
        super::table_props::on_create(&as_table(v), &mut out);
    }
    out
}

/// A materialized view as the table its indexes, storage parameters and
/// clustering index belong to (`ALTER TABLE` sets those on either).
fn as_table(v: &View) -> Table {
    Table {
        name: v.name.clone(),
        indexes: v.indexes.clone(),
        storage: v.storage.clone(),
        cluster_on: v.cluster_on.clone(),
        ..Table::default()
    }
}

fn alter(old: &View, new: &View, from: &Database, to: &Database, out: &mut Vec<Change>) {
    if old.definition != new.definition {
        out.push(Change::ReplaceView {
            from: old.clone(),
            to: new.clone(),
            reads: reads(to, &new.name),
            old_reads: reads(from, &old.name),
        });
    } else if options(old) != options(new) {
        out.push(Change::AlterViewOptions {
            from: old.clone(),
            to: new.clone(),
        });
    }
    if new.materialized && old.with_data != new.with_data {
        out.push(Change::RefreshMaterializedView {
            name: new.name.clone(),
            with_data: new.with_data,
        });
    }
    if old.comment != new.comment {
        out.push(view_comment(new));
    }
    for c in &new.columns {
        let was = old.columns.iter().find(|o| o.name == c.name);
        if was.map_or(c.comment.is_some(), |o| o.comment != c.comment) {
            out.push(column_comment(new, &c.name, &c.comment));
        }
    }
    if new.materialized {
        let (old, new) = (as_table(old), as_table(new));
        super::tables::diff_indexes(&old, &new, &[], out);
        super::table_props::alter(&old, &new, out);
    }
}

/// The options `ALTER VIEW … SET` changes.
pub fn options(v: &View) -> (bool, bool, Option<&str>) {
    (
        v.security_barrier,
        v.security_invoker,
        v.check_option.as_deref(),
    )
}

fn view_comment(v: &View) -> Change {
    Change::SetComment {
        target: CommentTarget::View(v.name.clone(), v.materialized),
        comment: v.comment.clone(),
    }
}

fn column_comment(v: &View, column: &str, comment: &Option<String>) -> Change {
    Change::SetComment {
        target: CommentTarget::Column(v.name.clone(), column.to_string()),
        comment: comment.clone(),
    }
}

/// Whether `CREATE OR REPLACE VIEW` turns `old` into `new`: a plain view
/// both, the old columns kept (names, types, collations) in order.
pub fn replaceable(old: &View, new: &View) -> bool {
    !old.materialized
        && !new.materialized
        && new.columns.len() >= old.columns.len()
        && old
            .columns
            .iter()
            .zip(&new.columns)
            .all(|(a, b)| a.name == b.name && a.data_type == b.data_type)
}

/// The views of `from` kept in `to` that must be dropped and created
/// again: their own change cannot be done in place, or something they
/// read (transitively) changes in a way PostgreSQL refuses under a view.
fn rebuilt(from: &Database, to: &Database, out: &[Change]) -> BTreeSet<QualifiedName> {
    let mut hit: BTreeSet<ObjRef> = disturbed(out);
    for (name, v) in &from.views {
        let gone_or_remade = match to.views.get(name) {
            None => true,
            Some(n) => old_cannot_stay(v, n),
        };
        if gone_or_remade {
            hit.insert(ObjRef::View(name.clone()));
        }
    }
    // Everything reading a hit object is hit, to a fixpoint.
    loop {
        let more: Vec<ObjRef> = from
            .depends
            .iter()
            .filter(|d| touches(d, &hit))
            .map(|d| d.from.clone())
            .filter(|v| !hit.contains(v))
            .collect();
        if more.is_empty() {
            break;
        }
        hit.extend(more);
    }
    from.views
        .keys()
        .filter(|n| to.views.contains_key(*n) && hit.contains(&ObjRef::View((*n).clone())))
        .cloned()
        .collect()
}

/// A kept view whose current form cannot become the new one in place.
fn old_cannot_stay(old: &View, new: &View) -> bool {
    old.materialized != new.materialized
        || (old.definition != new.definition && !replaceable(old, new))
}

/// Whether the dependency reads something hit (a column hit as such, or
/// through its table).
fn touches(d: &Depend, hit: &BTreeSet<ObjRef>) -> bool {
    match &d.to {
        ObjRef::Column(t, _) => hit.contains(&d.to) || hit.contains(&ObjRef::Table(t.clone())),
        other => hit.contains(other),
    }
}

/// What the other changes do that a view reading it cannot survive.
pub(super) fn disturbed(out: &[Change]) -> BTreeSet<ObjRef> {
    let mut hit = BTreeSet::new();
    for ch in out {
        match ch {
            Change::DropTable(t) => {
                hit.insert(ObjRef::Table(t.name.clone()));
            }
            Change::DropColumn { table, column } => {
                hit.insert(ObjRef::Column(table.clone(), column.name.clone()));
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
                hit.insert(ObjRef::Column(table.clone(), from.name.clone()));
            }
            Change::RecreateEnum { from, columns, .. } => {
                hit.insert(ObjRef::Type(from.name.clone()));
                for (t, c) in columns {
                    hit.insert(ObjRef::Column(t.clone(), c.name.clone()));
                }
            }
            Change::DropEnum(e) => {
                hit.insert(ObjRef::Type(e.name.clone()));
            }
            Change::DropSequence(s) => {
                hit.insert(ObjRef::Sequence(s.name.clone()));
            }
            // A function dropped to be created again (its result type or
            // argument names change): PostgreSQL refuses the drop under a
            // view calling it. One dropped for good is left to the view's
            // own change (replaced first, so it no longer calls it).
            Change::DropFunction(f) if function_retaken(f, out) => {
                hit.insert(ObjRef::Function(f.name.clone(), f.identity.clone()));
            }
            Change::Aggregate(super::aggregates::AggregateChange::Drop(a))
                if super::aggregates::retaken(a, out) =>
            {
                hit.insert(ObjRef::Function(a.name.clone(), a.identity.clone()));
            }
            _ => {}
        }
    }
    hit
}

/// Whether a routine with `f`'s signature is created by `changes`.
fn function_retaken(f: &crate::model::Function, changes: &[Change]) -> bool {
    changes.iter().any(|ch| match ch {
        Change::CreateFunction(g) => g.name == f.name && g.signature == f.signature,
        Change::Aggregate(super::aggregates::AggregateChange::Create(a)) => {
            a.name == f.name && a.signature == f.signature
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ViewColumn;

    fn view(cols: &[(&str, &str)]) -> View {
        View {
            name: QualifiedName::new("public", "v"),
            definition: "SELECT 1".into(),
            columns: cols
                .iter()
                .map(|(n, t)| ViewColumn {
                    name: n.to_string(),
                    data_type: t.to_string(),
                    comment: None,
                })
                .collect(),
            ..View::default()
        }
    }

    #[test]
    fn replace_keeps_columns_and_only_appends() {
        let old = view(&[("a", "integer"), ("b", "text")]);
        assert!(replaceable(
            &old,
            &view(&[("a", "integer"), ("b", "text"), ("c", "text")])
        ));
        assert!(!replaceable(&old, &view(&[("a", "integer")])));
        assert!(!replaceable(
            &old,
            &view(&[("b", "text"), ("a", "integer")])
        ));
        assert!(!replaceable(&old, &view(&[("a", "bigint"), ("b", "text")])));
        let mut mat = old.clone();
        mat.materialized = true;
        assert!(!replaceable(&mat, &mat));
    }

    #[test]
    fn a_chain_over_a_retyped_column_is_rebuilt() {
        let q = |n: &str| QualifiedName::new("public", n);
        let mut from = Database::default();
        for n in ["v1", "v2", "v3", "other"] {
            let mut v = view(&[]);
            v.name = q(n);
            from.views.insert(q(n), v);
        }
        let dep = |a: &str, to: ObjRef| Depend {
            from: ObjRef::View(q(a)),
            to,
        };
        from.depends = vec![
            dep("v1", ObjRef::Column(q("t"), "x".into())),
            dep("v2", ObjRef::View(q("v1"))),
            dep("v3", ObjRef::View(q("v2"))),
            dep("other", ObjRef::Column(q("t"), "y".into())),
        ];
        let to = from.clone();
        let col = crate::model::Column {
            name: "x".into(),
            ..Default::default()
        };
        let out = vec![Change::AlterColumn {
            table: q("t"),
            from: col.clone(),
            to: col,
            changes: vec![ColumnChange::Type {
                lossy: false,
                rewrite: true,
            }],
        }];
        let got = rebuilt(&from, &to, &out);
        assert_eq!(got, [q("v1"), q("v2"), q("v3")].into_iter().collect());
    }
}
