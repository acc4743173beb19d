//! A column becoming `serial`: which sequence feeds it.
//!
//! `ALTER COLUMN … ` has no "make serial", so strata creates the sequence
//! itself, under the name PostgreSQL would give it (`{table}_{column}_seq`).
//! Two things can be in the way (issue 11 item 4):
//! * the column already draws from a standalone sequence
//!   (`DEFAULT nextval('s')`, what old dumps and hand-written schemas do):
//!   that sequence is **adopted** — made the column's own (`ALTER SEQUENCE
//!   … OWNED BY`, options set to the declared ones) — so the counter goes
//!   on where it was and no orphan is left behind; it keeps its name;
//! * the default name is taken by another relation (often that very
//!   standalone sequence, when it cannot be adopted): the sequence gets the
//!   next free name, as `ADD COLUMN … serial` would (`…_seq1`).
//!
//! A sequence is adopted only when nothing else uses it: no other column's
//! default or expression names it, it is no other column's serial or
//! identity, and it lives in the table's schema (`OWNED BY` requires that).
//!
//! The way back (a down file: `from` is then the desired state as the
//! shadow built it, `to` the state before) mirrors both: a serial whose
//! column goes back to `nextval(<standalone sequence>)` releases that
//! sequence (`OWNED BY NONE`) instead of dropping it, and a serial whose
//! default name is held by a standalone sequence in `to` is dropped under
//! the free name it was created with, never under the standalone one's.

use super::{Change, ColumnChange};
use crate::model::{Column, Database, QualifiedName};
use crate::pg::ident::parse_sql_name;
use crate::pg::naming::DefaultName;

/// Rewrite the serial steps of `out` (changes from `from` to `to`): adopt
/// or release a standalone sequence, pick free names.
pub(super) fn place_serial_sequences(from: &Database, to: &Database, out: &mut [Change]) {
    for ch in out.iter_mut() {
        let Change::AlterColumn {
            table,
            from: col,
            to: target,
            changes,
        } = ch
        else {
            continue;
        };
        release_or_rename(to, table, col, target, changes);
        let Some(at) = changes
            .iter()
            .position(|c| matches!(c, ColumnChange::AddSerial(_)))
        else {
            continue;
        };
        let ColumnChange::AddSerial(mut options) = changes[at].clone() else {
            continue;
        };
        if let Some(sequence) = adoptable(from, table, col) {
            // The default stays `nextval(<that sequence>)` unless a type
            // change has to drop it first.
            let set_default = changes
                .iter()
                .any(|c| matches!(c, ColumnChange::Type { .. }));
            changes[at] = ColumnChange::AdoptSerial {
                sequence,
                options,
                set_default,
            };
            if !set_default {
                changes.retain(|c| *c != ColumnChange::DropDefault);
            }
        } else {
            // The column's identity, if any, is dropped first: its
            // sequence's name is free by then.
            let own = col.identity.as_ref().and_then(|i| i.sequence.name.as_ref());
            let name = DefaultName::serial_sequence(&table.name, &col.name).choose(|n| {
                own.is_none_or(|o| o.name != n) && relation_exists(from, &table.schema, n)
            });
            options.name = Some(QualifiedName::new(&table.schema, name));
            changes[at] = ColumnChange::AddSerial(options);
        }
    }
}

/// A `DropSerial` step of a column going back to a standalone sequence
/// (see the module docs).
fn release_or_rename(
    to: &Database,
    table: &QualifiedName,
    col: &Column,
    target: &Column,
    changes: &mut Vec<ColumnChange>,
) {
    let Some(at) = changes
        .iter()
        .position(|c| matches!(c, ColumnChange::DropSerial(_)))
    else {
        return;
    };
    // Exactly what the way forward would have adopted.
    if let Some(seq) = adoptable(to, table, target) {
        changes[at] = ColumnChange::ReleaseSerial(seq);
        let kept = target.default.clone().map(ColumnChange::SetDefault);
        changes.retain(|c| Some(c) != kept.as_ref());
        return;
    }
    let ColumnChange::DropSerial(seq) = &mut changes[at] else {
        return;
    };
    let base = DefaultName::serial_sequence(&table.name, &col.name);
    let held = QualifiedName::new(&table.schema, base.first());
    if seq.name.as_ref() == Some(&held) && standalone(to, table, &held) {
        let name = base.choose(|n| relation_exists(to, &table.schema, n));
        seq.name = Some(QualifiedName::new(&table.schema, name));
    }
}

/// The sequence a default of exactly `nextval('…'::regclass)` draws from,
/// and the literal's text.
fn nextval_of(col: &Column) -> Option<(QualifiedName, &str)> {
    let literal = col
        .default
        .as_deref()?
        .strip_prefix("nextval('")?
        .strip_suffix("'::regclass)")?;
    match parse_sql_name(&literal.replace("''", "'"))?.as_slice() {
        [schema, name] => Some((QualifiedName::new(schema, name), literal)),
        _ => None,
    }
}

/// Whether `seq` is a standalone sequence of `db` no column owns, in
/// `table`'s schema.
fn standalone(db: &Database, table: &QualifiedName, seq: &QualifiedName) -> bool {
    seq.schema == table.schema && db.sequences.get(seq).is_some_and(|s| s.owned_by.is_none())
}

/// The standalone sequence `col`'s default draws from, when the column may
/// take it over.
fn adoptable(from: &Database, table: &QualifiedName, col: &Column) -> Option<QualifiedName> {
    let (seq, literal) = nextval_of(col)?;
    if !standalone(from, table, &seq) {
        return None;
    }
    let needle = format!("'{literal}'::regclass");
    let used_elsewhere = from.tables.values().any(|t| {
        t.columns.iter().any(|c| {
            let itself = t.name == *table && c.name == col.name;
            let owned = c.serial.as_ref().and_then(|s| s.name.as_ref()) == Some(&seq)
                || c.identity.as_ref().and_then(|i| i.sequence.name.as_ref()) == Some(&seq);
            let named = [&c.default, &c.generated]
                .into_iter()
                .flatten()
                .any(|e| e.contains(&needle));
            owned || (named && !itself)
        })
    });
    (!used_elsewhere).then_some(seq)
}

/// Whether a relation (or type: a relation's row type shares the name) of
/// that name exists in `schema` of `from`, managed or not.
fn relation_exists(from: &Database, schema: &str, name: &str) -> bool {
    let q = QualifiedName::new(schema, name);
    let same = |n: &Option<String>| n.as_deref() == Some(name);
    let seq_named = |c: &Column| {
        let s = c
            .serial
            .as_ref()
            .or(c.identity.as_ref().map(|i| &i.sequence));
        s.and_then(|s| s.name.as_ref()) == Some(&q)
    };
    let in_tables = from.tables.values().any(|t| {
        t.name == q
            || (t.name.schema == schema
                && (t.indexes.iter().any(|i| same(&i.name))
                    || t.primary_key.iter().any(|p| same(&p.name))
                    || t.uniques.iter().any(|u| same(&u.name))
                    || t.exclusions.iter().any(|x| same(&x.name))))
            || t.columns.iter().any(seq_named)
    });
    let display = format!("{schema}.{name}");
    in_tables
        || from.enums.contains_key(&q)
        || from.sequences.contains_key(&q)
        || from.unmanaged.iter().any(|u| u.name == display)
}
