//! Table properties (issue 14): `UNLOGGED`, storage parameters, `REPLICA
//! IDENTITY`, `CLUSTER ON` and row-level security (enabled, forced). Each change is one `ALTER TABLE`; a new
//! table takes the first two in its `CREATE TABLE` and the two that name
//! an index once the index exists. Re-creating that index (a changed
//! definition) loses the flag, so it is set again.

use super::Change;
use crate::model::{ReplicaIdentity, Table};

/// One property of [`Change::SetTableProperty`].
#[derive(Clone, Debug, PartialEq)]
pub enum TableProperty {
    /// `SET LOGGED` (true) or `SET UNLOGGED`: the table is rewritten.
    Logged(bool),
    /// `SET (name = value, …)` and `RESET (name, …)`.
    Storage {
        set: Vec<(String, String)>,
        reset: Vec<String>,
    },
    ReplicaIdentity(ReplicaIdentity),
    /// `CLUSTER ON index`, or `SET WITHOUT CLUSTER`.
    ClusterOn(Option<String>),
    /// `ENABLE` (true) or `DISABLE ROW LEVEL SECURITY`.
    RowSecurity(bool),
    /// `FORCE` (true) or `NO FORCE ROW LEVEL SECURITY`.
    ForceRowSecurity(bool),
}

/// The properties a new table gets after its `CREATE TABLE` and indexes.
pub(super) fn on_create(table: &Table, out: &mut Vec<Change>) {
    let set = |property| Change::SetTableProperty {
        table: table.name.clone(),
        property,
    };
    if table.replica_identity != ReplicaIdentity::Default {
        out.push(set(TableProperty::ReplicaIdentity(
            table.replica_identity.clone(),
        )));
    }
    if table.cluster_on.is_some() {
        out.push(set(TableProperty::ClusterOn(table.cluster_on.clone())));
    }
    if table.row_security {
        out.push(set(TableProperty::RowSecurity(true)));
    }
    if table.force_row_security {
        out.push(set(TableProperty::ForceRowSecurity(true)));
    }
}

/// The property changes from `old` to `new` (the same table); `out` holds
/// the table's other changes so far (index re-creations among them).
pub(super) fn alter(old: &Table, new: &Table, out: &mut Vec<Change>) {
    let mut props = Vec::new();
    if old.unlogged != new.unlogged {
        props.push(TableProperty::Logged(!new.unlogged));
    }
    if let Some(storage) = storage(old, new) {
        props.push(storage);
    }
    let recreated = |name: &str| recreates_index(out, new, name);
    let replica_index = match &new.replica_identity {
        ReplicaIdentity::Index(i) => recreated(i),
        _ => false,
    };
    if old.replica_identity != new.replica_identity || replica_index {
        props.push(TableProperty::ReplicaIdentity(new.replica_identity.clone()));
    }
    let cluster_index = new.cluster_on.as_deref().is_some_and(recreated);
    if old.cluster_on != new.cluster_on || cluster_index {
        props.push(TableProperty::ClusterOn(new.cluster_on.clone()));
    }
    if old.row_security != new.row_security {
        props.push(TableProperty::RowSecurity(new.row_security));
    }
    if old.force_row_security != new.force_row_security {
        props.push(TableProperty::ForceRowSecurity(new.force_row_security));
    }
    out.extend(props.into_iter().map(|property| Change::SetTableProperty {
        table: new.name.clone(),
        property,
    }));
}

/// Parameters set to a new value and parameters no longer set.
fn storage(old: &Table, new: &Table) -> Option<TableProperty> {
    let set: Vec<(String, String)> = new
        .storage
        .iter()
        .filter(|(k, v)| old.storage.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reset: Vec<String> = old
        .storage
        .keys()
        .filter(|k| !new.storage.contains_key(*k))
        .cloned()
        .collect();
    (!set.is_empty() || !reset.is_empty()).then_some(TableProperty::Storage { set, reset })
}

/// Whether `changes` (re-)create index or index-backed constraint `name`
/// on `table`.
fn recreates_index(changes: &[Change], table: &Table, name: &str) -> bool {
    changes.iter().any(|c| match c {
        Change::CreateIndex { table: t, index } => {
            *t == table.name && index.name.as_deref() == Some(name)
        }
        Change::AddConstraint {
            table: t,
            constraint,
        } => *t == table.name && constraint.name() == Some(name),
        _ => false,
    })
}
