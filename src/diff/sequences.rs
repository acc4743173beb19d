//! Standalone sequences: create, alter options, set `OWNED BY`, comment,
//! drop — and their meeting with `serial` (see [`super::serial`]).
//!
//! `OWNED BY` is always its own change, never a clause of `CREATE
//! SEQUENCE`: a new table's default may draw from the sequence while the
//! sequence is owned by a column of that very table, so the sequence comes
//! first, then the table, then the ownership.
//!
//! A sequence owned by a column that the plan drops (or whose table it
//! drops) goes with it: PostgreSQL drops it, so no `DROP SEQUENCE` is
//! planned for it.

use super::{Change, ColumnChange, CommentTarget};
use crate::model::{Database, QualifiedName, StandaloneSequence};

/// Append the changes of standalone sequences from `from` to `to`.
pub(super) fn diff_sequences(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (name, s) in &to.sequences {
        let Some(old) = from.sequences.get(name) else {
            out.extend(create(s));
            continue;
        };
        if old.options != s.options {
            out.push(Change::AlterSequence {
                name: name.clone(),
                from: old.options.clone(),
                to: s.options.clone(),
            });
        }
        if old.owned_by != s.owned_by {
            out.push(owner(s, old.owned_by.clone()));
        }
        if old.comment != s.comment {
            out.push(comment(s));
        }
    }
    for (name, s) in &from.sequences {
        if !to.sequences.contains_key(name) && !goes_with_owner(s, to) {
            out.push(Change::DropSequence(s.clone()));
        }
    }
}

/// The changes that create `s`: the sequence, its owner, its comment.
fn create(s: &StandaloneSequence) -> Vec<Change> {
    let mut out = vec![Change::CreateSequence(StandaloneSequence {
        owned_by: None,
        ..s.clone()
    })];
    if s.owned_by.is_some() {
        out.push(owner(s, None));
    }
    if s.comment.is_some() {
        out.push(comment(s));
    }
    out
}

fn owner(s: &StandaloneSequence, from: Option<(QualifiedName, String)>) -> Change {
    Change::SetSequenceOwner {
        name: s.name.clone(),
        from,
        to: s.owned_by.clone(),
    }
}

fn comment(s: &StandaloneSequence) -> Change {
    Change::SetComment {
        target: CommentTarget::Sequence(s.name.clone()),
        comment: s.comment.clone(),
    }
}

/// Whether PostgreSQL drops `s` by itself: its owning column is gone in
/// `to`.
fn goes_with_owner(s: &StandaloneSequence, to: &Database) -> bool {
    let Some((table, column)) = &s.owned_by else {
        return false;
    };
    to.tables
        .get(table)
        .is_none_or(|t| t.column(column).is_none())
}

/// Sequences that a column adopts as its serial (no drop: the sequence
/// stays, owned by the column) or releases (no create: it exists, set
/// free; its options and comment are brought to the standalone ones).
pub(super) fn meet_serial(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let mut adopted = Vec::new();
    let mut released = Vec::new();
    for ch in out.iter() {
        let Change::AlterColumn {
            from: col, changes, ..
        } = ch
        else {
            continue;
        };
        for c in changes {
            match c {
                ColumnChange::AdoptSerial { sequence, .. } => adopted.push(sequence.clone()),
                ColumnChange::ReleaseSerial(seq) => {
                    let options = col.serial.clone().unwrap_or_default();
                    released.push((seq.clone(), options));
                }
                _ => {}
            }
        }
    }
    out.retain(|ch| match ch {
        Change::DropSequence(s) => !adopted.contains(&s.name),
        Change::CreateSequence(s) => !released.iter().any(|(n, _)| *n == s.name),
        _ => true,
    });
    take_freed_names(out);
    for (name, serial) in released {
        let Some(s) = to.sequences.get(&name) else {
            continue;
        };
        // The serial's options are relative to its column type; the
        // standalone's to bigint. Compare what the sequence really has.
        let mut have = serial;
        have.name = None;
        let column_type = column_type_of(from, &name);
        if have.data_type.is_none() && column_type.as_deref() != Some("bigint") {
            have.data_type = column_type;
        }
        if have != s.options {
            out.push(Change::AlterSequence {
                name: name.clone(),
                from: have,
                to: s.options.clone(),
            });
        }
        if s.owned_by.is_some() {
            out.push(owner(s, None));
        }
        if s.comment.is_some() {
            out.push(comment(s));
        }
    }
}

/// A new standalone sequence named like the identity or serial sequence a
/// column drops (an identity turned into `nextval` of a sequence of the
/// same name, as dumps spell it): created as a step of that column's
/// change, right after the drop — as a change of its own it would need
/// the name before the drop and be needed by the default after it.
fn take_freed_names(out: &mut Vec<Change>) {
    let new: Vec<StandaloneSequence> = out
        .iter()
        .filter_map(|ch| match ch {
            Change::CreateSequence(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let mut taken = Vec::new();
    for ch in out.iter_mut() {
        let Change::AlterColumn {
            from: col, changes, ..
        } = ch
        else {
            continue;
        };
        let freed = changes.iter().enumerate().find_map(|(i, c)| match c {
            ColumnChange::DropSerial(seq) => Some((i, seq.name.clone()?)),
            ColumnChange::DropIdentity => Some((i, col.identity.as_ref()?.sequence.name.clone()?)),
            _ => None,
        });
        let Some((at, name)) = freed else { continue };
        if let Some(s) = new.iter().find(|s| s.name == name) {
            changes.insert(at + 1, ColumnChange::CreateSequence(s.clone()));
            taken.push(name);
        }
    }
    out.retain(|ch| !matches!(ch, Change::CreateSequence(s) if taken.contains(&s.name)));
    give_names_up(out);
}

/// The way back of [`take_freed_names`]: a dropped standalone sequence
/// named like the identity sequence a column gets is dropped as a step of
/// that column's change, just before the identity is added.
fn give_names_up(out: &mut Vec<Change>) {
    let gone: Vec<StandaloneSequence> = out
        .iter()
        .filter_map(|ch| match ch {
            Change::DropSequence(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let mut given = Vec::new();
    for ch in out.iter_mut() {
        let Change::AlterColumn {
            to: col, changes, ..
        } = ch
        else {
            continue;
        };
        let added = changes.iter().enumerate().find_map(|(i, c)| match c {
            ColumnChange::AddIdentity(_) => {
                Some((i, col.identity.as_ref()?.sequence.name.clone()?))
            }
            _ => None,
        });
        let Some((at, name)) = added else { continue };
        if let Some(s) = gone.iter().find(|s| s.name == name) {
            changes.insert(at, ColumnChange::DropSequence(s.clone()));
            given.push(name);
        }
    }
    out.retain(|ch| !matches!(ch, Change::DropSequence(s) if given.contains(&s.name)));
}

/// The type of the serial column of `from` whose sequence is `seq`.
fn column_type_of(from: &Database, seq: &QualifiedName) -> Option<String> {
    from.tables
        .values()
        .flat_map(|t| &t.columns)
        .find(|c| c.serial.as_ref().and_then(|s| s.name.as_ref()) == Some(seq))
        .map(|c| c.data_type.clone())
}

/// `'schema.name'::regclass` as a catalog default prints it inside
/// `nextval(…)` (always qualified: introspection runs with `search_path =
/// pg_catalog`).
pub fn regclass_literal(q: &QualifiedName) -> String {
    let text = format!(
        "{}.{}",
        super::pg_ident(&q.schema),
        super::pg_ident(&q.name)
    );
    format!("'{}'::regclass", text.replace('\'', "''"))
}

/// Whether an expression (a catalog default) names sequence `q`.
pub fn mentions_sequence(text: &str, q: &QualifiedName) -> bool {
    text.contains(&regclass_literal(q))
}
