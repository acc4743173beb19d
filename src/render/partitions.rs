//! Partitions: moving one to another bound (DETACH + ATTACH), and what
//! creating one under an existing parent locks.

use super::{Context, Hazard, LockLevel, Statement};
use crate::model::{PartitionOf, QualifiedName, Table};

/// `DETACH PARTITION` then `ATTACH PARTITION … <new bound>`: the rows
/// stay, and are checked against the new bound.
pub fn move_partition(
    table: &QualifiedName,
    from: &PartitionOf,
    to: &PartitionOf,
) -> Vec<Statement> {
    let detach = Statement::new(format!(
        "ALTER TABLE {} DETACH PARTITION {};",
        from.parent.quoted(),
        table.quoted()
    ))
    .with([Hazard::Lock {
        level: LockLevel::AccessExclusive,
        on: from.parent.clone(),
        what: "brief; DETACH PARTITION … CONCURRENTLY (outside a transaction) avoids it",
    }]);
    let attach = Statement::new(format!(
        "ALTER TABLE {} ATTACH PARTITION {} {};",
        to.parent.quoted(),
        table.quoted(),
        to.bound
    ))
    .with([
        Hazard::MayFail {
            why: "ATTACH PARTITION fails when a row of the partition lies outside its new bound (every row is scanned under ACCESS EXCLUSIVE on the partition, unless a CHECK constraint already proves the bound)",
        },
        Hazard::Lock {
            level: LockLevel::ShareUpdateExclusive,
            on: to.parent.clone(),
            what: "a DEFAULT partition of it is scanned under ACCESS EXCLUSIVE for rows of the new bound",
        },
    ]);
    vec![detach, attach]
}

/// Creating a partition under an existing parent locks the parent, and
/// scans its DEFAULT partition, if any, for rows of the new bound.
pub fn create_hazard(t: &Table, ctx: &Context) -> Option<Hazard> {
    let of = t.partition_of.as_ref()?;
    (!ctx.is_new(&of.parent)).then(|| Hazard::Lock {
        level: LockLevel::AccessExclusive,
        on: of.parent.clone(),
        what: "a DEFAULT partition of it is scanned for rows of the new bound; on a busy table create the table alone and ATTACH PARTITION it (SHARE UPDATE EXCLUSIVE)",
    })
}
