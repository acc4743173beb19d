//! Partitioning: which tables a change of partitioning rebuilds, and
//! partitions that move to another bound (or parent).
//!
//! A table's partition key cannot be altered, nor can a plain table become
//! partitioned or the reverse: such a table is rebuilt (dropped and
//! created, a destructive change refused without `--allow-destructive`),
//! and every partition below it with it. A plain table becoming a
//! partition, or a partition becoming a plain table, is rebuilt the same
//! way. A partition whose bound or parent changes is detached and
//! attached again, keeping its rows ([`Change::MovePartition`]).

use std::collections::BTreeSet;

use super::Change;
use crate::model::{Database, QualifiedName, Table};

/// Tables present on both sides that must be dropped and created: their
/// partitioning changed, or a table above them is rebuilt.
pub(super) fn rebuilt(from: &Database, to: &Database) -> BTreeSet<QualifiedName> {
    let mut out: BTreeSet<QualifiedName> = to
        .tables
        .iter()
        .filter(|(n, t)| from.tables.get(*n).is_some_and(|old| reshaped(old, t)))
        .map(|(n, _)| n.clone())
        .collect();
    // Partitions of a rebuilt table go with it, on both sides, down every
    // level.
    loop {
        let below: Vec<QualifiedName> = [from, to]
            .iter()
            .flat_map(|db| db.tables.values())
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| out.contains(&p.parent))
            })
            .map(|t| t.name.clone())
            .filter(|n| from.tables.contains_key(n) && to.tables.contains_key(n))
            .filter(|n| !out.contains(n))
            .collect();
        if below.is_empty() {
            return out;
        }
        out.extend(below);
    }
}

/// The partition key changed, or the table became (or stopped being)
/// partitioned, or stopped being a partition. A table that becomes a
/// partition is attached ([`diff_partition`]).
fn reshaped(old: &Table, new: &Table) -> bool {
    old.partition_by != new.partition_by
        || (old.partition_of.is_some() && new.partition_of.is_none())
}

/// A partition that moves to another bound or parent, or an existing
/// table that becomes a partition. Returns `old` as it will be once
/// attached, for the rest of the comparison: what it then inherits (its
/// columns; checks named like the parent's; keys, indexes and foreign
/// keys defined like the parent's, which ATTACH attaches) follows the
/// parent, like a partition's.
pub(super) fn diff_partition(
    old: &Table,
    new: &Table,
    to: &Database,
    out: &mut Vec<Change>,
) -> Option<Table> {
    let b = new.partition_of.as_ref()?;
    match &old.partition_of {
        Some(a) if a == b => None,
        Some(a) => {
            out.push(Change::MovePartition {
                table: new.name.clone(),
                from: Some(a.clone()),
                to: b.clone(),
                not_null_renames: Vec::new(),
            });
            None
        }
        None => {
            let parent = to.tables.get(&b.parent);
            out.push(Change::MovePartition {
                table: new.name.clone(),
                from: None,
                to: b.clone(),
                not_null_renames: parent.map(|p| not_null_renames(old, p)).unwrap_or_default(),
            });
            Some(attached(old, parent))
        }
    }
}

/// `old` once attached under `parent` (as desired).
fn attached(old: &Table, parent: Option<&Table>) -> Table {
    let mut t = old.clone();
    t.columns.clear();
    let Some(p) = parent else { return t };
    let parent_defs: Vec<String> = super::constraints_of(p)
        .iter()
        .map(|c| c.definition().to_string())
        .collect();
    let inherited = |def: &str| parent_defs.iter().any(|d| d == def);
    t.checks.retain(|c| {
        !p.checks
            .iter()
            .any(|pc| pc.name.is_some() && pc.name == c.name)
    });
    if t.primary_key
        .as_ref()
        .is_some_and(|k| inherited(&k.definition))
    {
        t.primary_key = None;
    }
    t.uniques.retain(|u| !inherited(&u.definition));
    t.foreign_keys.retain(|f| !inherited(&f.definition));
    t.exclusions.retain(|x| !inherited(&x.definition));
    t.indexes.retain(|i| {
        !p.indexes
            .iter()
            .any(|pi| pi.definition == i.definition && pi.unique == i.unique)
    });
    t
}

/// NOT NULL constraint names (PostgreSQL 18) of `old` that differ from
/// those of the same columns of `parent`: ATTACH keeps the table's names,
/// a partition created under the parent takes the parent's.
fn not_null_renames(old: &Table, parent: &Table) -> Vec<(String, String)> {
    old.columns
        .iter()
        .filter_map(|c| {
            let from = c.not_null_name.as_ref()?;
            let to = parent.column(&c.name)?.not_null_name.as_ref()?;
            (from != to).then(|| (from.clone(), to.clone()))
        })
        .collect()
}
