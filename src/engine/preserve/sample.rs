//! The model the sample rows are generated from: the database as it is,
//! with what the migration will require of the columns it already has.
//!
//! Rows that the new schema refuses make the migration fail on them and
//! the check says nothing ("not checked"); real data that is about to be
//! migrated satisfies the new schema, so the sample rows should too where
//! the seeder can tell how:
//! * a foreign key the migration adds or enforces draws its columns from
//!   the parent's rows (instead of values that reference nothing);
//! * an enum losing values gets rows with the values it keeps;
//! * a text column becoming another type (an integer, an enum, a UUID)
//!   gets that type's values, whose text the column holds as well.
//!
//! A `CHECK` the migration adds is not anticipated: the seeder has no
//! generator for arbitrary expressions.

use std::collections::HashMap;

use super::types::{family_in, Family};
use crate::diff::{Change, Constraint};
use crate::model::{Database, QualifiedName};

/// `current` with the requirements of `changes` on its existing columns.
pub fn sample_model(current: &Database, changes: &[Change]) -> Database {
    let back = Back::new(changes);
    let mut db = current.clone();
    for ch in changes {
        match ch {
            Change::CreateEnum(e) => {
                db.enums.insert(e.name.clone(), e.clone());
            }
            Change::RecreateEnum { from, to, .. } => {
                if let Some(e) = db.enums.get_mut(&from.name) {
                    e.values.retain(|v| to.values.contains(v));
                }
            }
            _ => {}
        }
    }
    let enums: Vec<QualifiedName> = db.enums.keys().cloned().collect();
    for ch in changes {
        match ch {
            // Enforcing a foreign key checks the rows as adding one does;
            // one that is not enforced asks nothing of them.
            Change::AddConstraint {
                table,
                constraint: Constraint::ForeignKey(fk),
            }
            | Change::SetEnforced {
                table,
                constraint: Constraint::ForeignKey(fk),
            } if !fk.not_enforced => {
                let t = back.table(table);
                let parent = back.table(&fk.ref_table);
                let columns: Vec<String> =
                    fk.columns.iter().map(|c| back.column(table, c)).collect();
                let ref_columns: Vec<String> = fk
                    .ref_columns
                    .iter()
                    .map(|c| back.column(&fk.ref_table, c))
                    .collect();
                let fits = db
                    .tables
                    .get(&parent)
                    .is_some_and(|p| ref_columns.iter().all(|c| p.column(c).is_some()));
                let Some(table) = db.tables.get_mut(&t).filter(|_| fits) else {
                    continue;
                };
                if columns.iter().all(|c| table.column(c).is_some()) {
                    let mut fk = fk.clone();
                    fk.columns = columns;
                    fk.ref_table = parent;
                    fk.ref_columns = ref_columns;
                    table.foreign_keys.push(fk);
                }
            }
            Change::AlterColumn {
                table, from, to, ..
            } if family_in(&from.data_type, &enums) == Family::Text
                && family_in(&to.data_type, &enums) != Family::Text =>
            {
                let (t, c) = (back.table(table), back.column(table, &to.name));
                let col = db
                    .tables
                    .get_mut(&t)
                    .and_then(|t| t.columns.iter_mut().find(|x| x.name == c));
                if let Some(col) = col {
                    col.data_type = to.data_type.clone();
                }
            }
            _ => {}
        }
    }
    db
}

/// Names as the changes use them (after renames) → as they are now.
#[derive(Default)]
struct Back {
    tables: HashMap<QualifiedName, QualifiedName>,
    columns: HashMap<(QualifiedName, String), String>,
}

impl Back {
    fn new(changes: &[Change]) -> Back {
        let mut b = Back::default();
        for ch in changes {
            match ch {
                Change::RenameTable { from, to } => {
                    b.tables
                        .insert(QualifiedName::new(&from.schema, to), from.clone());
                }
                Change::RenameColumn { table, from, to } => {
                    b.columns.insert((table.clone(), to.clone()), from.clone());
                }
                _ => {}
            }
        }
        b
    }

    fn table(&self, after: &QualifiedName) -> QualifiedName {
        self.tables.get(after).unwrap_or(after).clone()
    }

    /// A column of `table` (named after), as named now.
    fn column(&self, table: &QualifiedName, after: &str) -> String {
        self.columns
            .get(&(table.clone(), after.to_string()))
            .cloned()
            .unwrap_or_else(|| after.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, EnumType, ForeignKey, Table};

    fn q(n: &str) -> QualifiedName {
        QualifiedName::new("public", n)
    }

    fn col(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: ty.into(),
            ..Column::default()
        }
    }

    #[test]
    fn sample_rows_meet_what_the_migration_adds() {
        let mut db = Database::default();
        db.tables.insert(
            q("parent"),
            Table {
                name: q("parent"),
                columns: vec![col("id", "integer")],
                ..Table::default()
            },
        );
        db.tables.insert(
            q("child"),
            Table {
                name: q("child"),
                columns: vec![col("pid", "integer"), col("kind", "text")],
                ..Table::default()
            },
        );
        let e = |values: &[&str]| EnumType {
            name: q("e"),
            values: values.iter().map(|v| v.to_string()).collect(),
            ..EnumType::default()
        };
        db.enums.insert(q("e"), e(&["a", "b", "gone"]));
        let fk = ForeignKey {
            columns: vec!["pid".into()],
            ref_table: q("parent"),
            ref_columns: vec!["id".into()],
            ..ForeignKey::default()
        };
        let changes = vec![
            Change::AddConstraint {
                table: q("child"),
                constraint: Constraint::ForeignKey(fk.clone()),
            },
            Change::AlterColumn {
                table: q("child"),
                from: col("kind", "text"),
                to: col("kind", "public.e"),
                changes: Vec::new(),
            },
            Change::RecreateEnum {
                from: e(&["a", "b", "gone"]),
                to: e(&["a", "b"]),
                columns: Vec::new(),
            },
        ];
        let s = sample_model(&db, &changes);
        assert_eq!(s.tables[&q("child")].foreign_keys, vec![fk]);
        assert_eq!(s.tables[&q("child")].columns[1].data_type, "public.e");
        assert_eq!(s.enums[&q("e")].values, ["a", "b"]);
        // The database itself is left as it is.
        assert!(db.tables[&q("child")].foreign_keys.is_empty());
    }
}
