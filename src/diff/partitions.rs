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
/// partitioned or a partition.
fn reshaped(old: &Table, new: &Table) -> bool {
    old.partition_by != new.partition_by || old.partition_of.is_some() != new.partition_of.is_some()
}

/// A partition that stays a partition but moves to another bound or
/// parent.
pub(super) fn diff_partition(old: &Table, new: &Table, out: &mut Vec<Change>) {
    if let (Some(a), Some(b)) = (&old.partition_of, &new.partition_of) {
        if a != b {
            out.push(Change::MovePartition {
                table: new.name.clone(),
                from: a.clone(),
                to: b.clone(),
            });
        }
    }
}
