//! Row-level security policies: create, change in place (`ALTER POLICY`)
//! where PostgreSQL allows it, drop and create where it does not, rename,
//! comment, drop. All of them are one [`Change::Policy`] variant holding a
//! [`PolicyChange`], rendered by `render::policies`.
//!
//! `ALTER POLICY` can change the roles and set `USING` / `WITH CHECK`,
//! but not the command, PERMISSIVE/RESTRICTIVE, or remove a clause: those
//! are a drop and a create. A policy reading a column that is dropped or
//! retyped, or a function, view or table that goes, blocks that change in
//! PostgreSQL ("cannot alter type of a column used in a policy
//! definition"): it is dropped before and created again after. Runs last
//! in the diff, when every such change is known.

use std::collections::BTreeSet;

use super::Change;
use crate::model::{Database, ObjRef, Policy, QualifiedName};

// Whole policies by value, like the other kinds' changes (see `Change`).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyChange {
    Create(Policy),
    /// `ALTER POLICY … TO … USING … WITH CHECK …` with what differs.
    Alter {
        from: Policy,
        to: Policy,
    },
    /// `ALTER POLICY … RENAME TO`.
    Rename {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// `COMMENT ON POLICY` to the policy's comment.
    Comment(Policy),
    Drop(Policy),
}

/// The table a policy change acts on.
pub fn table_of(change: &PolicyChange) -> &QualifiedName {
    match change {
        PolicyChange::Create(p) | PolicyChange::Drop(p) | PolicyChange::Comment(p) => &p.table,
        PolicyChange::Alter { to, .. } => &to.table,
        PolicyChange::Rename { table, .. } => table,
    }
}

/// Append the changes of policies from `from` to `to`.
pub(super) fn diff_policies(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let hit = objects_that_go(out);
    let reads_hit = |p: &Policy| p.reads.iter().any(|r| is_hit(r, &hit));
    let mut changes = Vec::new();
    for (key, p) in &to.policies {
        let Some(old) = from.policies.get(key) else {
            create(p, &mut changes);
            continue;
        };
        if reads_hit(old) || !alterable(old, p) {
            changes.push(Change::Policy(PolicyChange::Drop(old.clone())));
            create(p, &mut changes);
            continue;
        }
        if old.roles != p.roles || old.using != p.using || old.with_check != p.with_check {
            changes.push(Change::Policy(PolicyChange::Alter {
                from: old.clone(),
                to: p.clone(),
            }));
        }
        if old.comment != p.comment {
            changes.push(Change::Policy(PolicyChange::Comment(p.clone())));
        }
    }
    for (key, p) in &from.policies {
        // A policy goes with its table.
        if !to.policies.contains_key(key) && to.tables.contains_key(&p.table) {
            changes.push(Change::Policy(PolicyChange::Drop(p.clone())));
        }
    }
    out.extend(changes);
}

/// Same command and kind, and no clause removed.
fn alterable(old: &Policy, new: &Policy) -> bool {
    old.command == new.command
        && old.permissive == new.permissive
        && (new.using.is_some() || old.using.is_none())
        && (new.with_check.is_some() || old.with_check.is_none())
}

fn create(p: &Policy, out: &mut Vec<Change>) {
    out.push(Change::Policy(PolicyChange::Create(p.clone())));
    if p.comment.is_some() {
        out.push(Change::Policy(PolicyChange::Comment(p.clone())));
    }
}

/// Objects the changes so far drop or retype (what a view reading them
/// cannot survive either), and any function or view dropped: a policy
/// reading one is dropped and created again around them.
fn objects_that_go(changes: &[Change]) -> BTreeSet<ObjRef> {
    let mut hit = super::views::disturbed(changes);
    for ch in changes {
        match ch {
            Change::DropFunction(f) => {
                hit.insert(ObjRef::Function(f.name.clone(), f.identity.clone()));
            }
            Change::DropView { view, .. } => {
                hit.insert(ObjRef::View(view.name.clone()));
            }
            _ => {}
        }
    }
    hit
}

/// Whether `r` is hit, as itself or (a column) through its table.
fn is_hit(r: &ObjRef, hit: &BTreeSet<ObjRef>) -> bool {
    match r {
        ObjRef::Column(t, _) => hit.contains(r) || hit.contains(&ObjRef::Table(t.clone())),
        other => hit.contains(other),
    }
}

/// Policies follow a renamed table (PostgreSQL keeps them).
pub(super) fn rename_table(db: &mut Database, old: &QualifiedName, new: &QualifiedName) {
    let moved: Vec<_> = db
        .policies
        .keys()
        .filter(|(t, _)| t == old)
        .cloned()
        .collect();
    for key in moved {
        if let Some(mut p) = db.policies.remove(&key) {
            p.table = new.clone();
            db.policies.insert((new.clone(), key.1), p);
        }
    }
    for p in db.policies.values_mut() {
        for r in p.reads.iter_mut() {
            match r {
                ObjRef::Table(t) | ObjRef::Column(t, _) if t == old => *t = new.clone(),
                _ => {}
            }
        }
    }
}

/// A renamed column in the expressions of its table's policies (PostgreSQL
/// prints the new name) and in what every policy reads.
pub(super) fn rename_column(db: &mut Database, table: &QualifiedName, old: &str, new: &str) {
    for p in db.policies.values_mut() {
        if p.table == *table {
            for e in [&mut p.using, &mut p.with_check].into_iter().flatten() {
                *e = super::renames::replace_ident(e, old, new);
            }
        }
        for r in p.reads.iter_mut() {
            if let ObjRef::Column(t, c) = r {
                if t == table && c == old {
                    *c = new.to_string();
                }
            }
        }
    }
}

/// Apply the `renamed_from` hints of policies that fit (the old name on
/// the table in `db` and not in `to`, the new one in `to` and not in
/// `db`).
pub(super) fn apply_renames(
    db: &mut Database,
    to: &Database,
    hints: &[(QualifiedName, String, String)],
) -> Vec<Change> {
    let mut out = Vec::new();
    for (table, new, old) in hints {
        let (old_key, new_key) = ((table.clone(), old.clone()), (table.clone(), new.clone()));
        let fits = db.policies.contains_key(&old_key)
            && !db.policies.contains_key(&new_key)
            && to.policies.contains_key(&new_key)
            && !to.policies.contains_key(&old_key);
        let Some(mut p) = db.policies.remove(&old_key).filter(|_| fits) else {
            continue;
        };
        p.name = new.clone();
        db.policies.insert(new_key, p);
        out.push(Change::Policy(PolicyChange::Rename {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
        }));
    }
    out
}
