//! Which tables the proof fills and checks: every table a change names,
//! the tables referencing those (a backfill `UPDATE` of a referenced key
//! cascades into them), and the tables those reference in turn (their
//! rows are the keys the sample rows' foreign keys point at).
//!
//! A generated migration only runs statements derived from its changes,
//! and each change names the table it acts on: a table no change names,
//! and no foreign key ties to one, runs no statement and loses nothing.
//! Leaving those out is what keeps the proof's cost proportional to the
//! migration rather than to the schema (500 tables, 25 changed: about a
//! fifth of them checked).

use std::collections::{BTreeSet, HashMap};

use crate::diff::{Change, CommentTarget};
use crate::model::{Database, QualifiedName};

/// How much of the database the proof covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// The tables the changes touch, with their referencing and
    /// referenced tables.
    #[default]
    Touched,
    /// Every table.
    All,
}

/// The tables of `model` (as named before the changes) `scope` covers.
pub fn tables(model: &Database, changes: &[Change], scope: Scope) -> BTreeSet<QualifiedName> {
    match scope {
        Scope::All => model.tables.keys().cloned().collect(),
        Scope::Touched => covered(model, changes),
    }
}

/// `model` with only the tables in `keep` (types kept).
pub fn only(model: &Database, keep: &BTreeSet<QualifiedName>) -> Database {
    let mut out = model.clone();
    out.tables.retain(|n, _| keep.contains(n));
    out
}

/// The tables (as named in `model`, before the changes) the proof covers.
pub fn covered(model: &Database, changes: &[Change]) -> BTreeSet<QualifiedName> {
    // Changes name tables as they are after renames; go back to before.
    let mut before: HashMap<QualifiedName, QualifiedName> = HashMap::new();
    for ch in changes {
        if let Change::RenameTable { from, to } = ch {
            before.insert(QualifiedName::new(&from.schema, to), from.clone());
        }
    }
    let mut set: BTreeSet<QualifiedName> = changes
        .iter()
        .flat_map(named)
        .map(|t| before.get(&t).cloned().unwrap_or(t))
        .filter(|t| model.tables.contains_key(t))
        .collect();
    // Tables that reference a touched one.
    let children: Vec<QualifiedName> = model
        .tables
        .values()
        .filter(|t| t.foreign_keys.iter().any(|fk| set.contains(&fk.ref_table)))
        .map(|t| t.name.clone())
        .collect();
    set.extend(children);
    // And everything those reference, transitively.
    let mut stack: Vec<QualifiedName> = set.iter().cloned().collect();
    while let Some(t) = stack.pop() {
        let Some(table) = model.tables.get(&t) else {
            continue;
        };
        for fk in &table.foreign_keys {
            if model.tables.contains_key(&fk.ref_table) && set.insert(fk.ref_table.clone()) {
                stack.push(fk.ref_table.clone());
            }
        }
    }
    set
}

/// The tables a change acts on.
fn named(ch: &Change) -> Vec<QualifiedName> {
    match ch {
        Change::CreateTable(t) | Change::DropTable(t) => vec![t.name.clone()],
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }
        | Change::AddConstraint { table, .. }
        | Change::DropConstraint { table, .. }
        | Change::RenameConstraint { table, .. }
        | Change::ValidateConstraint { table, .. }
        | Change::SetEnforced { table, .. }
        | Change::CreateIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::RenameColumn { table, .. } => vec![table.clone()],
        Change::RenameTable { from, .. } => vec![from.clone()],
        Change::RecreateEnum { columns, .. } => columns.iter().map(|(t, _)| t.clone()).collect(),
        Change::Type(t) => crate::diff::types::tables_of(t),
        Change::SetComment { target, .. } => match target {
            CommentTarget::Table(t) | CommentTarget::Column(t, _) => vec![t.clone()],
            _ => Vec::new(),
        },
        // Schemas, extensions, enum values, sequences, index renames act
        // on no table's rows (an index rename names no table: harmless).
        Change::CreateSchema(_)
        | Change::DropSchema(_)
        | Change::CreateExtension(_)
        | Change::DropExtension(_)
        | Change::AlterExtensionSchema(_)
        | Change::CreateEnum(_)
        | Change::DropEnum(_)
        | Change::AddEnumValue { .. }
        | Change::RenameIndex { .. }
        | Change::RenameSequence { .. }
        | Change::CreateSequence(_)
        | Change::DropSequence(_)
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateFunction(_)
        | Change::ReplaceFunction { .. }
        | Change::DropFunction(_)
        | Change::Aggregate(_) => Vec::new(),
        // The migration runs as the owner, whom grants do not limit.
        Change::Privilege(_) | Change::DefaultPrivilege(_) => Vec::new(),
        // A table's owner is exempt from its row-level security (unless
        // FORCE): who owns it decides what the statements after see.
        Change::Owner(o) => match &o.target {
            crate::acl::PrivTarget::Table(t) => vec![t.clone()],
            _ => Vec::new(),
        },
        // Views hold no rows of their own.
        Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::AlterViewOptions { .. }
        | Change::RefreshMaterializedView { .. }
        | Change::RenameView { .. } => Vec::new(),
        // Under FORCE ROW LEVEL SECURITY a policy decides which rows the
        // migration's own statements see.
        Change::Policy(p) => vec![crate::diff::policies::table_of(p).clone()],
        // A publication decides what is replicated, not what the
        // migration's statements see or write.
        Change::Publication(_) => Vec::new(),
        // A trigger fires on the rows the migration itself writes.
        Change::CreateTrigger(t)
        | Change::DropTrigger(t)
        | Change::ReplaceTrigger { to: t, .. }
        | Change::SetTriggerEnabled(t) => vec![t.table.clone()],
        Change::MovePartition {
            table, from, to, ..
        } => {
            let mut out = vec![table.clone(), to.parent.clone()];
            out.extend(from.as_ref().map(|f| f.parent.clone()));
            out
        }
        // SET LOGGED / UNLOGGED rewrites the table.
        Change::SetTableProperty { table, .. } => vec![table.clone()],
        // No rewrite, no rows written.
        Change::SetColumnProperty { .. } => Vec::new(),
        // Planner statistics only.
        Change::Statistics(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ForeignKey, Table};

    fn q(n: &str) -> QualifiedName {
        QualifiedName::new("public", n)
    }

    fn table(name: &str, parent: Option<&str>) -> Table {
        Table {
            name: q(name),
            foreign_keys: parent
                .map(|p| ForeignKey {
                    columns: vec!["p".into()],
                    ref_table: q(p),
                    ..ForeignKey::default()
                })
                .into_iter()
                .collect(),
            ..Table::default()
        }
    }

    #[test]
    fn touched_tables_with_their_children_and_ancestors() {
        let mut db = Database::default();
        // a ← b ← c ← d, and x alone.
        for (t, p) in [
            ("a", None),
            ("b", Some("a")),
            ("c", Some("b")),
            ("d", Some("c")),
            ("x", None),
        ] {
            db.tables.insert(q(t), table(t, p));
        }
        let change = Change::AddColumn {
            table: q("b"),
            column: Column::default(),
        };
        let got: Vec<String> = covered(&db, std::slice::from_ref(&change))
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(got, ["a", "b", "c"]);
        assert_eq!(tables(&db, &[change], Scope::All).len(), 5);
        // A renamed table is found under its old name.
        let rename = Change::RenameColumn {
            table: q("x2"),
            from: "a".into(),
            to: "b".into(),
        };
        let moved = Change::RenameTable {
            from: q("x"),
            to: "x2".into(),
        };
        let got: Vec<String> = covered(&db, &[moved, rename])
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(got, ["x"]);
    }
}
