//! Owners (`manage: [owners]`): `ALTER … OWNER TO` where the owner the
//! desired state declares differs from the one the object has.
//!
//! Compared only when both models speak for owners ([`Owners::known`]):
//! a live database read under `manage: [owners]` against a YAML state
//! whose owners come from the YAML (never from the shadow, whose objects
//! all belong to the build role), or two live databases. Only the objects
//! the desired side names an owner for are compared: an undeclared owner
//! is left alone. An object the changes create (or drop and create again)
//! belongs to whoever runs the migration — [`Owners::session`], the role
//! strata is connected as — so it is given away unless that is the owner
//! wanted. Runs after every other change (the object must exist).

use super::privileges::{covers, created};
use super::Change;
use crate::acl::PrivTarget;
use crate::model::{Database, Owners, QualifiedName};

/// `ALTER <kind> <name> OWNER TO <owner>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerChange {
    pub target: PrivTarget,
    /// The statement's object kind: `TABLE`, `VIEW`, `MATERIALIZED VIEW`,
    /// `SEQUENCE`, `FUNCTION`, `PROCEDURE`, `AGGREGATE`, `TYPE`,
    /// `DOMAIN`, `SCHEMA`.
    pub kind: &'static str,
    /// The owner before, when known (`None`: a new object, owned by the
    /// migrating role).
    pub from: Option<String>,
    pub to: String,
}

/// Append the owner changes from `from` to `to`.
pub(super) fn diff_owners(from: &Database, to: &Database, out: &mut Vec<Change>) {
    if !(from.owners.known && to.owners.known) {
        return;
    }
    let created = created(out);
    let mut changes = Vec::new();
    for (target, want) in &to.owners.of {
        let Some(kind) = kind(to, target) else {
            continue;
        };
        let new = created.iter().any(|c| covers(c, target));
        let have = if new {
            from.owners.session.as_ref()
        } else {
            from.owners.of.get(target)
        };
        if have == Some(want) {
            continue;
        }
        changes.push(Change::Owner(OwnerChange {
            target: target.clone(),
            kind,
            from: if new { None } else { have.cloned() },
            to: want.clone(),
        }));
    }
    out.extend(changes);
}

/// The statement kind for `target` in `db`; `None` when `db` does not
/// hold it (or it is no object with an owner of its own).
pub fn kind(db: &Database, target: &PrivTarget) -> Option<&'static str> {
    Some(match target {
        PrivTarget::Schema(s) if db.schemas.contains_key(s) => "SCHEMA",
        PrivTarget::Table(t) if db.tables.contains_key(t) => "TABLE",
        PrivTarget::Table(t) => match db.views.get(t)?.materialized {
            true => "MATERIALIZED VIEW",
            false => "VIEW",
        },
        // A sequence OWNED BY a column follows its table's owner
        // (PostgreSQL refuses to give it another).
        PrivTarget::Sequence(s) if db.sequences.get(s).is_some_and(|s| s.owned_by.is_none()) => {
            "SEQUENCE"
        }
        PrivTarget::Routine(n, i) => {
            let key = (n.clone(), i.clone());
            match db.functions.get(&key) {
                Some(f) if f.procedure => "PROCEDURE",
                Some(_) => "FUNCTION",
                None if db.aggregates.contains_key(&key) => "AGGREGATE",
                None => return None,
            }
        }
        PrivTarget::Type(t) if db.domains.contains_key(t) => "DOMAIN",
        PrivTarget::Type(t)
            if db.enums.contains_key(t)
                || db.composites.contains_key(t)
                || db.ranges.contains_key(t) =>
        {
            "TYPE"
        }
        _ => return None,
    })
}

/// Every object of `db` that has an owner of its own (tables, views,
/// standalone sequences not owned by a column, routines, types, schemas
/// other than `public`).
pub fn ownable(db: &Database) -> Vec<PrivTarget> {
    let q = |n: &crate::model::QualifiedName| n.clone();
    let routines = db.functions.keys().chain(db.aggregates.keys());
    let types = db
        .enums
        .keys()
        .chain(db.domains.keys())
        .chain(db.composites.keys())
        .chain(db.ranges.keys());
    db.schemas
        .keys()
        .filter(|s| *s != "public")
        .map(|s| PrivTarget::Schema(s.clone()))
        .chain(db.tables.keys().map(|t| PrivTarget::Table(q(t))))
        .chain(db.views.keys().map(|t| PrivTarget::Table(q(t))))
        .chain(
            db.sequences
                .values()
                .filter(|s| s.owned_by.is_none())
                .map(|s| PrivTarget::Sequence(q(&s.name))),
        )
        .chain(routines.map(|(n, i)| PrivTarget::Routine(q(n), i.clone())))
        .chain(types.map(|t| PrivTarget::Type(q(t))))
        .collect()
}

/// The owners a desired state built from `declared` (the YAML's, with
/// `default` for every other object of `built`, the model read back from
/// the shadow) asks for. Declared names are matched to the built model's
/// keys (a function's identity as PostgreSQL prints it).
pub fn desired(built: &Database, declared: &Owners, default: Option<&str>) -> Owners {
    let mut of = std::collections::BTreeMap::new();
    let routines = |db_keys: &mut dyn Iterator<Item = &PrivTarget>, n: &QualifiedName| {
        db_keys
            .filter(|t| matches!(t, PrivTarget::Routine(dn, _) if dn == n))
            .count()
    };
    let all = ownable(built);
    for target in all.iter().cloned() {
        let own = declared.of.get(&target).or_else(|| match &target {
            PrivTarget::Routine(n, i) => declared
                .of
                .iter()
                .find(|(t, _)| matches!(t, PrivTarget::Routine(dn, di) if dn == n && same_args(di, i)))
                .or_else(|| {
                    // Spelled differently (`int` for `integer`): by name,
                    // when neither side has overloads.
                    let one = routines(&mut declared.of.keys(), n) == 1
                        && routines(&mut all.iter(), n) == 1;
                    let found = declared
                        .of
                        .iter()
                        .find(|(t, _)| matches!(t, PrivTarget::Routine(dn, _) if dn == n));
                    found.filter(|_| one)
                })
                .map(|(_, o)| o),
            _ => None,
        });
        if let Some(owner) = own.map(String::as_str).or(default) {
            of.insert(target, owner.to_string());
        }
    }
    Owners {
        known: true,
        of,
        session: None,
    }
}

/// Identity arguments that name the same types: compared without
/// spaces and case, so `x integer` (the YAML's) meets `x integer` and
/// `integer` meets `integer` whatever the spacing.
fn same_args(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// Move the owners of what `renames` rename to the new names.
pub(super) fn follow_renames(db: &mut Database, renames: &[Change]) {
    for ch in renames {
        let moved: Vec<(PrivTarget, PrivTarget)> = db
            .owners
            .of
            .keys()
            .filter_map(|t| super::privileges::renamed(ch, t).map(|n| (t.clone(), n)))
            .collect();
        for (old, new) in moved {
            if let Some(o) = db.owners.of.remove(&old) {
                db.owners.of.insert(new, o);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{QualifiedName, Table};

    fn with_table(owner: Option<&str>, session: Option<&str>) -> Database {
        let name = QualifiedName::new("public", "t");
        let mut db = Database::default();
        db.tables.insert(
            name.clone(),
            Table {
                name: name.clone(),
                ..Table::default()
            },
        );
        db.owners.known = true;
        if let Some(o) = owner {
            db.owners.of.insert(PrivTarget::Table(name), o.into());
        }
        db.owners.session = session.map(Into::into);
        db
    }

    fn owner_changes(from: &Database, to: &Database) -> Vec<OwnerChange> {
        crate::diff::diff(from, to)
            .into_iter()
            .filter_map(|c| match c {
                Change::Owner(o) => Some(o),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_different_owner_is_altered_an_undeclared_one_left_alone() {
        let from = with_table(Some("alice"), Some("migrator"));
        let to = with_table(Some("bob"), None);
        let ch = owner_changes(&from, &to);
        assert_eq!(ch.len(), 1);
        assert_eq!((ch[0].kind, ch[0].to.as_str()), ("TABLE", "bob"));
        assert_eq!(ch[0].from.as_deref(), Some("alice"));
        assert!(owner_changes(&from, &with_table(None, None)).is_empty());
        assert!(owner_changes(&from, &with_table(Some("alice"), None)).is_empty());
    }

    #[test]
    fn not_compared_unless_both_sides_know_owners() {
        let from = with_table(Some("alice"), None);
        let mut to = with_table(Some("bob"), None);
        to.owners.known = false;
        assert!(owner_changes(&from, &to).is_empty());
        assert!(owner_changes(&to, &from).is_empty());
    }

    #[test]
    fn a_created_object_is_given_away_unless_the_session_owns_it() {
        let mut from = Database::default();
        from.owners.known = true;
        from.owners.session = Some("migrator".into());
        let ch = owner_changes(&from, &with_table(Some("bob"), None));
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].from, None);
        assert!(owner_changes(&from, &with_table(Some("migrator"), None)).is_empty());
    }

    #[test]
    fn the_default_fills_in_and_declared_routines_match_by_arguments() {
        let mut built = with_table(None, None);
        let f = QualifiedName::new("public", "f");
        built.functions.insert(
            (f.clone(), "x integer".into()),
            crate::model::Function::default(),
        );
        built.schemas.insert("public".into(), Default::default());
        let mut declared = Owners::default();
        declared.of.insert(
            PrivTarget::Routine(f.clone(), "x  INTEGER".into()),
            "fn_owner".into(),
        );
        let d = desired(&built, &declared, Some("app"));
        assert_eq!(
            d.of[&PrivTarget::Routine(f.clone(), "x integer".into())],
            "fn_owner"
        );
        assert_eq!(
            d.of[&PrivTarget::Table(QualifiedName::new("public", "t"))],
            "app"
        );
        assert!(!d.of.contains_key(&PrivTarget::Schema("public".into())));
        assert_eq!(desired(&built, &Owners::default(), None).of.len(), 0);
        // Another spelling of the arguments: found by name (no overloads).
        let mut int = Owners::default();
        int.of
            .insert(PrivTarget::Routine(f.clone(), "x int".into()), "o".into());
        let d = desired(&built, &int, None);
        assert_eq!(
            d.of[&PrivTarget::Routine(f.clone(), "x integer".into())],
            "o"
        );
        // With an overload, no guessing: the default applies.
        built.functions.insert(
            (f.clone(), "x text".into()),
            crate::model::Function::default(),
        );
        let d = desired(&built, &int, Some("app"));
        assert_eq!(d.of[&PrivTarget::Routine(f, "x integer".into())], "app");
    }

    #[test]
    fn a_sequence_owned_by_a_column_has_no_owner_of_its_own() {
        let mut db = Database::default();
        let s = QualifiedName::new("public", "s");
        db.sequences.insert(
            s.clone(),
            crate::model::StandaloneSequence {
                name: s.clone(),
                owned_by: Some((QualifiedName::new("public", "t"), "id".into())),
                ..Default::default()
            },
        );
        assert!(ownable(&db).is_empty());
        assert_eq!(kind(&db, &PrivTarget::Sequence(s)), None);
    }
}
