//! Privileges: the GRANT and REVOKE statements that turn one object's
//! normalised ACL ([`crate::acl`]) into another's. All of them are one
//! [`Change::Privilege`] variant holding a [`PrivilegeChange`], rendered by
//! `render::privileges`.
//!
//! Runs last in the diff: an object the other changes create (new, or
//! dropped and created again) starts from its default privileges, so its
//! grants are all made again; an object that does not exist in the
//! desired state is left to its drop. Per object, the statements are
//! grouped by grantee and kind (one `GRANT SELECT, INSERT … TO r`).

use std::collections::{BTreeMap, BTreeSet};

use super::aggregates::AggregateChange;
use super::types::TypeChange;
use super::Change;
use crate::acl::{Acl, Grantee, PrivState, PrivTarget};
use crate::model::{Database, QualifiedName};

/// What a statement does with its privileges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrivOp {
    Grant,
    GrantWithOption,
    /// `REVOKE GRANT OPTION FOR`: the privilege stays.
    RevokeGrantOption,
    Revoke,
}

/// `GRANT` or `REVOKE` of some privileges on one object to one grantee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivilegeChange {
    pub target: PrivTarget,
    pub grantee: Grantee,
    pub op: PrivOp,
    /// Upper case, sorted (`SELECT`, `UPDATE`).
    pub privileges: Vec<String>,
}

impl PrivilegeChange {
    /// A role (or PUBLIC) loses access it had.
    pub fn takes_away(&self) -> bool {
        matches!(self.op, PrivOp::Revoke | PrivOp::RevokeGrantOption)
    }
}

/// Append the privilege changes from `from` to `to`.
pub(super) fn diff_privileges(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let created = created(out);
    let empty = Acl::new();
    let targets: BTreeSet<&PrivTarget> =
        from.privileges.keys().chain(to.privileges.keys()).collect();
    let mut changes = Vec::new();
    for target in targets {
        if !exists(to, target) {
            continue;
        }
        let old = if created.iter().any(|c| covers(c, target)) {
            &empty
        } else {
            from.privileges.get(target).unwrap_or(&empty)
        };
        let new = to.privileges.get(target).unwrap_or(&empty);
        changes.extend(
            acl_changes(target, old, new)
                .into_iter()
                .map(Change::Privilege),
        );
    }
    out.extend(changes);
}

/// Move the privileges of what `renames` rename (tables, views, columns,
/// sequences) to the new names: PostgreSQL keeps them with the object.
pub(super) fn follow_renames(db: &mut Database, renames: &[Change]) {
    for ch in renames {
        let moved: Vec<PrivTarget> = db
            .privileges
            .keys()
            .filter(|t| renamed(ch, t).is_some())
            .cloned()
            .collect();
        for t in moved {
            if let (Some(acl), Some(new)) = (db.privileges.remove(&t), renamed(ch, &t)) {
                db.privileges.insert(new, acl);
            }
        }
    }
}

/// What `target` is called after the rename `ch` (`None`: `ch` does not
/// rename it).
pub(super) fn renamed(ch: &Change, t: &PrivTarget) -> Option<PrivTarget> {
    let renamed = |from: &QualifiedName, to: &str, n: &QualifiedName| {
        (n == from).then(|| QualifiedName::new(&from.schema, to))
    };
    match (ch, t) {
        (Change::RenameTable { from, to } | Change::RenameView { from, to, .. }, _) => match t {
            PrivTarget::Table(n) => renamed(from, to, n).map(PrivTarget::Table),
            PrivTarget::Column(n, c) => {
                renamed(from, to, n).map(|n| PrivTarget::Column(n, c.clone()))
            }
            _ => None,
        },
        (Change::RenameSequence { from, to }, PrivTarget::Sequence(n)) => {
            renamed(from, to, n).map(PrivTarget::Sequence)
        }
        (Change::RenameColumn { table, from, to }, PrivTarget::Column(n, c)) => {
            (n == table && c == from).then(|| PrivTarget::Column(n.clone(), to.clone()))
        }
        _ => None,
    }
}

/// The statements turning `old` into `new` on `target`.
pub fn acl_changes(target: &PrivTarget, old: &Acl, new: &Acl) -> Vec<PrivilegeChange> {
    acl_ops(old, new)
        .into_iter()
        .map(|(grantee, op, privileges)| PrivilegeChange {
            target: target.clone(),
            grantee,
            op,
            privileges,
        })
        .collect()
}

/// What turns `old` into `new`: per grantee and operation, the
/// privileges (sorted).
pub fn acl_ops(old: &Acl, new: &Acl) -> Vec<(Grantee, PrivOp, Vec<String>)> {
    let mut grouped: BTreeMap<(Grantee, PrivOp), Vec<String>> = BTreeMap::new();
    let keys: BTreeSet<&(Grantee, String)> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (a, b) = (old.get(key).copied(), new.get(key).copied());
        if a == b {
            continue;
        }
        let (grantee, privilege) = key;
        let op = match (a, b) {
            (Some(PrivState::WithGrantOption), Some(PrivState::Granted)) => {
                PrivOp::RevokeGrantOption
            }
            (_, Some(PrivState::Granted)) => PrivOp::Grant,
            (_, Some(PrivState::WithGrantOption)) => PrivOp::GrantWithOption,
            (_, Some(PrivState::Revoked)) => PrivOp::Revoke,
            // Back to the default: a revoked default is given back (the
            // owner's with its grant option), a grant taken away.
            (Some(PrivState::Revoked), None) if *grantee == Grantee::Owner => {
                PrivOp::GrantWithOption
            }
            (Some(PrivState::Revoked), None) => PrivOp::Grant,
            (_, None) => PrivOp::Revoke,
        };
        grouped
            .entry((grantee.clone(), op))
            .or_default()
            .push(privilege.clone());
    }
    grouped
        .into_iter()
        .map(|((grantee, op), privileges)| (grantee, op, privileges))
        .collect()
}

/// Whether the object exists in `db` (a spec model's views list only the
/// columns the YAML comments, so any column of a view is taken).
pub fn exists(db: &Database, target: &PrivTarget) -> bool {
    let relation = |n: &QualifiedName| db.tables.contains_key(n) || db.views.contains_key(n);
    match target {
        PrivTarget::Schema(s) => s == "public" || db.schemas.contains_key(s),
        PrivTarget::Table(t) => relation(t),
        PrivTarget::Sequence(s) => db.sequences.contains_key(s) || owned_sequence(db, s),
        PrivTarget::Column(t, c) => {
            db.tables.get(t).is_some_and(|t| t.column(c).is_some())
                || db.views.get(t).is_some_and(|v| {
                    v.columns.is_empty() || v.columns.iter().any(|vc| vc.name == *c)
                })
        }
        PrivTarget::Routine(n, i) => {
            let key = (n.clone(), i.clone());
            db.functions.contains_key(&key) || db.aggregates.contains_key(&key)
        }
        PrivTarget::Type(t) => {
            db.enums.contains_key(t)
                || db.domains.contains_key(t)
                || db.composites.contains_key(t)
                || db.ranges.contains_key(t)
        }
    }
}

/// A serial or identity column's sequence: by its name (catalog models)
/// or PostgreSQL's default name for it (spec models).
fn owned_sequence(db: &Database, name: &QualifiedName) -> bool {
    db.tables.values().any(|t| {
        t.columns.iter().any(|c| {
            let serial = c.serial.as_ref().map(|s| &s.name);
            let identity = c.identity.as_ref().map(|i| &i.sequence.name);
            let default = || {
                t.name.schema == name.schema
                    && name.name == format!("{}_{}_seq", t.name.name, c.name)
            };
            match serial.or(identity) {
                Some(Some(n)) => n == name,
                Some(None) => default(),
                None => false,
            }
        })
    })
}

/// What the changes create (or drop and create again): such an object
/// starts from its default privileges.
pub(super) enum Created {
    /// A table with all its columns and owned sequences.
    Table(QualifiedName),
    Target(PrivTarget),
}

pub(super) fn covers(c: &Created, target: &PrivTarget) -> bool {
    match (c, target) {
        (Created::Target(t), target) => t == target,
        (Created::Table(t), PrivTarget::Table(n) | PrivTarget::Column(n, _)) => t == n,
        _ => false,
    }
}

pub(super) fn created(out: &[Change]) -> Vec<Created> {
    use Created::{Table, Target};
    let routine = |n: &QualifiedName, i: &str| Target(PrivTarget::Routine(n.clone(), i.into()));
    let mut all = Vec::new();
    for ch in out {
        let one = match ch {
            Change::CreateSchema(s) => Target(PrivTarget::Schema(s.name.clone())),
            Change::CreateTable(t) => {
                // Its serial and identity sequences are new too.
                all.extend(
                    owned_sequence_names(t)
                        .into_iter()
                        .map(|s| Target(PrivTarget::Sequence(s))),
                );
                Table(t.name.clone())
            }
            Change::CreateView { view, .. } => Table(view.name.clone()),
            Change::CreateSequence(s) => Target(PrivTarget::Sequence(s.name.clone())),
            Change::AddColumn { table, column } => {
                Target(PrivTarget::Column(table.clone(), column.name.clone()))
            }
            Change::CreateFunction(f) => routine(&f.name, &f.identity),
            Change::Aggregate(AggregateChange::Create(a)) => routine(&a.name, &a.identity),
            Change::CreateEnum(e) => Target(PrivTarget::Type(e.name.clone())),
            Change::RecreateEnum { to, .. } => Target(PrivTarget::Type(to.name.clone())),
            Change::Type(TypeChange::Create(t) | TypeChange::Recreate { to: t, .. }) => {
                Target(PrivTarget::Type(t.name().clone()))
            }
            _ => continue,
        };
        all.push(one);
    }
    all
}

/// The sequences of a table's serial and identity columns (catalog
/// models name them).
fn owned_sequence_names(t: &crate::model::Table) -> Vec<QualifiedName> {
    t.columns
        .iter()
        .filter_map(|c| {
            let serial = c.serial.as_ref().and_then(|s| s.name.clone());
            serial.or_else(|| c.identity.as_ref().and_then(|i| i.sequence.name.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(entries: &[(Grantee, &str, PrivState)]) -> Acl {
        entries
            .iter()
            .map(|(g, p, s)| ((g.clone(), p.to_string()), *s))
            .collect()
    }

    fn role(r: &str) -> Grantee {
        Grantee::Role(r.into())
    }

    #[test]
    fn grants_revokes_and_grant_options_grouped() {
        let t = PrivTarget::Table(QualifiedName::new("public", "t"));
        let old = acl(&[
            (role("a"), "SELECT", PrivState::Granted),
            (role("a"), "DELETE", PrivState::Granted),
            (role("b"), "UPDATE", PrivState::WithGrantOption),
        ]);
        let new = acl(&[
            (role("a"), "SELECT", PrivState::Granted),
            (role("a"), "INSERT", PrivState::Granted),
            (role("a"), "UPDATE", PrivState::Granted),
            (role("b"), "UPDATE", PrivState::Granted),
        ]);
        let ch = acl_changes(&t, &old, &new);
        let summary: Vec<(Grantee, PrivOp, Vec<String>)> = ch
            .into_iter()
            .map(|c| (c.grantee, c.op, c.privileges))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    role("a"),
                    PrivOp::Grant,
                    vec!["INSERT".into(), "UPDATE".into()]
                ),
                (role("a"), PrivOp::Revoke, vec!["DELETE".into()]),
                (role("b"), PrivOp::RevokeGrantOption, vec!["UPDATE".into()]),
            ]
        );
    }

    #[test]
    fn privileges_follow_renames() {
        let q = |n: &str| QualifiedName::new("public", n);
        let grant = acl(&[(role("r"), "SELECT", PrivState::Granted)]);
        let mut db = Database::default();
        for t in [
            PrivTarget::Table(q("old")),
            PrivTarget::Column(q("old"), "mail".into()),
            PrivTarget::Sequence(q("old_id_seq")),
        ] {
            db.privileges.insert(t, grant.clone());
        }
        let renames = [
            Change::RenameTable {
                from: q("old"),
                to: "new".into(),
            },
            Change::RenameSequence {
                from: q("old_id_seq"),
                to: "new_id_seq".into(),
            },
            Change::RenameColumn {
                table: q("new"),
                from: "mail".into(),
                to: "email".into(),
            },
        ];
        follow_renames(&mut db, &renames);
        let keys: Vec<_> = db.privileges.keys().cloned().collect();
        assert_eq!(
            keys,
            vec![
                PrivTarget::Table(q("new")),
                PrivTarget::Sequence(q("new_id_seq")),
                PrivTarget::Column(q("new"), "email".into()),
            ]
        );
    }

    #[test]
    fn a_revoked_default_given_back() {
        let f = PrivTarget::Routine(QualifiedName::new("public", "f"), "integer".into());
        let old = acl(&[
            (Grantee::Public, "EXECUTE", PrivState::Revoked),
            (Grantee::Owner, "EXECUTE", PrivState::Revoked),
        ]);
        let ch = acl_changes(&f, &old, &Acl::new());
        assert_eq!(ch[0].grantee, Grantee::Public);
        assert_eq!(ch[0].op, PrivOp::Grant);
        assert_eq!(ch[1].grantee, Grantee::Owner);
        assert_eq!(ch[1].op, PrivOp::GrantWithOption);
        let back = acl_changes(&f, &Acl::new(), &old);
        assert!(back
            .iter()
            .all(|c| c.op == PrivOp::Revoke && c.takes_away()));
    }
}
