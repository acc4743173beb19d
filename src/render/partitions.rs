//! Partitions: moving one to another bound (DETACH + ATTACH), attaching
//! an existing table, and what creating one under an existing parent
//! locks.

use super::{Context, Hazard, LockLevel, Statement};
use crate::model::{quote_ident, PartitionOf, QualifiedName, Table};

/// `DETACH PARTITION` then `ATTACH PARTITION … <new bound>`: the rows
/// stay, and are checked against the new bound. Without `from`, a plain
/// table is attached.
pub fn move_partition(
    table: &QualifiedName,
    from: Option<&PartitionOf>,
    to: &PartitionOf,
    not_null_renames: &[(String, String)],
    ctx: &Context,
) -> Vec<Statement> {
    let mut out: Vec<Statement> = from.map(|f| detach(table, f)).into_iter().collect();
    out.extend(not_null_renames.iter().map(|(a, b)| {
        Statement::new(format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
            table.quoted(),
            quote_ident(a),
            quote_ident(b)
        ))
    }));
    let why = match from {
        Some(_) => "ATTACH PARTITION fails when a row of the partition lies outside its new bound (every row is scanned under ACCESS EXCLUSIVE on the partition, unless a CHECK constraint already proves the bound)",
        None => "ATTACH PARTITION fails unless the table has exactly the parent's columns (same types, NOT NULL where the parent's are) and the parent's CHECK constraints (same names), or when a row lies outside the bound (every row is scanned under ACCESS EXCLUSIVE on the table unless a CHECK constraint proves the bound; indexes of the parent the table lacks are built)",
    };
    let mut attached = attach(table, to, why);
    if let Some(note) = online_recipe(table, to, ctx) {
        attached = attached.with([Hazard::Note(note)]);
    }
    out.push(attached);
    out
}

/// How to attach without the scan under ACCESS EXCLUSIVE: a valid CHECK
/// that proves the bound, added `NOT VALID` and validated (SHARE UPDATE
/// EXCLUSIVE: reads and writes go on) in earlier migrations — in this
/// one's transaction the first step's lock would be held through the
/// scan. Only when the CHECK can be derived exactly from the bound.
fn online_recipe(table: &QualifiedName, to: &PartitionOf, ctx: &Context) -> Option<String> {
    let key = ctx.from.tables.get(&to.parent)?.partition_by.as_ref()?;
    let check = crate::pg::bound_check::check_for(key, &to.bound)?;
    Some(format!(
        "to attach {table} without scanning it under ACCESS EXCLUSIVE, give it first, in earlier \
         migrations, the check `{}` with `not_valid: true`, then without it (VALIDATE CONSTRAINT: \
         SHARE UPDATE EXCLUSIVE, reads and writes go on); ATTACH then trusts it and skips the scan",
        crate::escape::line(&check)
    ))
}

fn detach(table: &QualifiedName, from: &PartitionOf) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} DETACH PARTITION {};",
        from.parent.quoted(),
        table.quoted()
    ))
    .with([Hazard::Lock {
        level: LockLevel::AccessExclusive,
        on: from.parent.clone(),
        what: "brief; DETACH PARTITION … CONCURRENTLY (outside a transaction) avoids it",
    }])
}

fn attach(table: &QualifiedName, to: &PartitionOf, why: &'static str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} ATTACH PARTITION {} {};",
        to.parent.quoted(),
        table.quoted(),
        to.bound
    ))
    .with([
        Hazard::MayFail { why },
        Hazard::Lock {
            level: LockLevel::ShareUpdateExclusive,
            on: to.parent.clone(),
            what: "a DEFAULT partition of it is scanned under ACCESS EXCLUSIVE for rows of the new bound",
        },
    ])
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
