//! Before × after fingerprints → what the migration lost that it did not
//! mean to.
//!
//! What a migration means to change is read from its changes: dropped
//! tables and columns lose their values by design (`--allow-destructive`
//! accepted that), renamed ones keep them under the new name, a column
//! dropped and added again (a new generation expression) is recomputed,
//! and a type change compares as [`super::types::comparison`] says.
//! Everything else — every row of every table still there, every value of
//! every column still there — must be exactly as before.

use std::collections::{BTreeSet, HashMap};

use super::fingerprint::{ColumnPrint, Fingerprint};
use super::types::{comparison, Comparison};
use crate::diff::Change;
use crate::model::{Database, QualifiedName};

/// Data the migration lost without meaning to.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    /// The table as named before the migration.
    pub table: QualifiedName,
    /// `None`: whole rows were lost.
    pub column: Option<String>,
    pub kind: LossKind,
    /// Rows affected, when known (hash mismatches are counted by
    /// [`super::detail`]).
    pub rows: Option<u64>,
    /// A few affected values, `before → after`.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossKind {
    /// The table is gone though nothing dropped it.
    TableGone,
    RowsGone,
    /// The column is gone though nothing dropped it.
    ColumnGone,
    /// Non-NULL values became NULL.
    Nulled,
    /// Values changed.
    Changed,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = match &self.column {
            Some(c) => format!("{}.{}", self.table, crate::escape::ident(c)),
            None => self.table.to_string(),
        };
        let rows = self.rows.map(|n| format!("{n} row(s)"));
        let what = match self.kind {
            LossKind::TableGone => "the table is gone, but nothing drops it".to_string(),
            LossKind::RowsGone => format!("{} lost", rows.unwrap_or("rows".into())),
            LossKind::ColumnGone => "the column is gone, but nothing drops it".to_string(),
            LossKind::Nulled => format!(
                "values became NULL in {}",
                rows.unwrap_or("some rows".into())
            ),
            LossKind::Changed => {
                format!("values changed in {}", rows.unwrap_or("some rows".into()))
            }
        };
        write!(f, "{at}: {what}")?;
        if !self.examples.is_empty() {
            write!(f, " (e.g. {})", self.examples.join("; "))?;
        }
        Ok(())
    }
}

/// How the changes move and drop tables and columns.
#[derive(Debug, Default)]
pub struct Mapping {
    /// Old name → new name.
    tables: HashMap<QualifiedName, QualifiedName>,
    dropped_tables: BTreeSet<QualifiedName>,
    /// (table as named after, column as named before) → column after.
    columns: HashMap<(QualifiedName, String), String>,
    /// (table as named after, column as named after).
    dropped_columns: BTreeSet<(QualifiedName, String)>,
    /// (table after, column after) → type after.
    types: HashMap<(QualifiedName, String), String>,
}

impl Mapping {
    pub fn new(changes: &[Change]) -> Mapping {
        let mut m = Mapping::default();
        for ch in changes {
            match ch {
                Change::RenameTable { from, to } => {
                    m.tables
                        .insert(from.clone(), QualifiedName::new(&from.schema, to));
                }
                Change::DropTable(t) => {
                    m.dropped_tables.insert(t.name.clone());
                }
                Change::RenameColumn { table, from, to } => {
                    m.columns.insert((table.clone(), from.clone()), to.clone());
                }
                Change::DropColumn { table, column } => {
                    m.dropped_columns
                        .insert((table.clone(), column.name.clone()));
                }
                Change::AlterColumn { table, to, .. } => {
                    m.types
                        .insert((table.clone(), to.name.clone()), to.data_type.clone());
                }
                Change::RecreateEnum { columns, .. } => {
                    for (t, c) in columns {
                        m.types
                            .insert((t.clone(), c.name.clone()), c.data_type.clone());
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// The table's name after the migration; `None` when it is dropped.
    pub fn table(&self, before: &QualifiedName) -> Option<QualifiedName> {
        if self.dropped_tables.contains(before) {
            return None;
        }
        Some(self.tables.get(before).unwrap_or(before).clone())
    }

    /// The column's name after the migration (`table` as named after);
    /// `None` when it is dropped (or dropped and added again).
    pub fn column(&self, table: &QualifiedName, before: &str) -> Option<String> {
        let name = self
            .columns
            .get(&(table.clone(), before.to_string()))
            .cloned()
            .unwrap_or_else(|| before.to_string());
        let key = (table.clone(), name);
        (!self.dropped_columns.contains(&key)).then_some(key.1)
    }

    fn data_type(&self, table: &QualifiedName, column: &str) -> Option<&String> {
        self.types.get(&(table.clone(), column.to_string()))
    }
}

/// The part of `before` that should still hold its rows after `changes`:
/// tables and columns under their new names and types, dropped ones left
/// out. Its enum types include those the changes create, so that column
/// families are recognised after the migration too.
pub fn expected_after(before: &Database, changes: &[Change]) -> Database {
    let map = Mapping::new(changes);
    let mut out = Database {
        enums: before.enums.clone(),
        ..Database::default()
    };
    for ch in changes {
        match ch {
            Change::CreateEnum(e) => {
                out.enums.insert(e.name.clone(), e.clone());
            }
            Change::RecreateEnum { to, .. } => {
                out.enums.insert(to.name.clone(), to.clone());
            }
            _ => {}
        }
    }
    for (name, t) in &before.tables {
        let Some(new_name) = map.table(name) else {
            continue;
        };
        let mut t = t.clone();
        t.name = new_name.clone();
        t.columns = t
            .columns
            .into_iter()
            .filter_map(|mut c| {
                c.name = map.column(&new_name, &c.name)?;
                if let Some(ty) = map.data_type(&new_name, &c.name) {
                    c.data_type = ty.clone();
                }
                Some(c)
            })
            .collect();
        out.tables.insert(new_name, t);
    }
    out
}

/// What `after` lost of `before` that `changes` did not mean to lose.
/// Hash mismatches come back with `rows: None`.
pub fn compare(before: &Fingerprint, after: &Fingerprint, changes: &[Change]) -> Vec<Loss> {
    let map = Mapping::new(changes);
    let mut out = Vec::new();
    for (old, bt) in &before.tables {
        let Some(new) = map.table(old) else { continue };
        let loss = |column: Option<&str>, kind, rows| Loss {
            table: old.clone(),
            column: column.map(str::to_string),
            kind,
            rows,
            examples: Vec::new(),
        };
        let Some(at) = after.tables.get(&new) else {
            out.push(loss(None, LossKind::TableGone, Some(bt.rows as u64)));
            continue;
        };
        if at.rows < bt.rows {
            // Every column differs then; the lost rows say it all.
            out.push(loss(
                None,
                LossKind::RowsGone,
                Some((bt.rows - at.rows) as u64),
            ));
            continue;
        }
        for (col, bc) in &bt.columns {
            let Some(new_col) = map.column(&new, col) else {
                continue;
            };
            let Some(ac) = at.columns.get(&new_col) else {
                out.push(loss(Some(col), LossKind::ColumnGone, None));
                continue;
            };
            if ac.non_null < bc.non_null {
                let n = Some((bc.non_null - ac.non_null) as u64);
                out.push(loss(Some(col), LossKind::Nulled, n));
            } else if !same_values(bc, ac) {
                out.push(loss(Some(col), LossKind::Changed, None));
            }
        }
    }
    out
}

fn same_values(before: &ColumnPrint, after: &ColumnPrint) -> bool {
    match how(before, after) {
        Comparison::Text => before.text == after.text,
        Comparison::Number => before.number == after.number,
        Comparison::Count => true,
    }
}

/// How a column's values compare across the migration.
pub fn how(before: &ColumnPrint, after: &ColumnPrint) -> Comparison {
    comparison(
        &before.data_type,
        before.family,
        &after.data_type,
        after.family,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::preserve::fingerprint::TablePrint;
    use crate::engine::preserve::types::Family;
    use crate::model::{Column, Table};

    fn q(n: &str) -> QualifiedName {
        QualifiedName::new("public", n)
    }

    fn col(ty: &str, family: Family, text: &str) -> ColumnPrint {
        ColumnPrint {
            data_type: ty.into(),
            family,
            non_null: 3,
            text: text.into(),
            number: (family == Family::Exact).then(|| format!("n{text}")),
        }
    }

    fn print(rows: i64, cols: &[(&str, ColumnPrint)]) -> Fingerprint {
        let mut f = Fingerprint::default();
        f.tables.insert(
            q("t"),
            TablePrint {
                rows,
                columns: cols
                    .iter()
                    .map(|(n, c)| (n.to_string(), c.clone()))
                    .collect(),
            },
        );
        f
    }

    #[test]
    fn a_changed_value_is_a_loss_unless_the_column_is_dropped() {
        let text = |h: &str| col("text", Family::Text, h);
        let before = print(3, &[("a", text("1")), ("b", text("2"))]);
        let after = print(3, &[("a", text("1")), ("b", text("9"))]);
        let losses = compare(&before, &after, &[]);
        assert_eq!(losses.len(), 1);
        assert_eq!(losses[0].column.as_deref(), Some("b"));
        assert_eq!(losses[0].kind, LossKind::Changed);
        let drop = Change::DropColumn {
            table: q("t"),
            column: Column {
                name: "b".into(),
                ..Column::default()
            },
        };
        let only_a = print(3, &[("a", text("1"))]);
        assert!(compare(&before, &only_a, &[drop]).is_empty());
        // Without a drop, a missing column is a loss too.
        assert_eq!(compare(&before, &only_a, &[])[0].kind, LossKind::ColumnGone);
    }

    #[test]
    fn lost_rows_and_renames() {
        let text = |h: &str| col("text", Family::Text, h);
        let before = print(3, &[("a", text("1"))]);
        let mut fewer = print(2, &[("a", text("x"))]);
        let losses = compare(&before, &fewer, &[]);
        assert_eq!(losses.len(), 1);
        assert_eq!(
            (losses[0].kind, losses[0].rows),
            (LossKind::RowsGone, Some(1))
        );
        // Renamed table and column keep their values under the new names.
        let tp = fewer.tables.remove(&q("t")).unwrap();
        let mut renamed = Fingerprint::default();
        let mut tp = tp;
        tp.rows = 3;
        tp.columns = [("b".to_string(), text("1"))].into_iter().collect();
        renamed.tables.insert(q("u"), tp);
        let changes = [
            Change::RenameTable {
                from: q("t"),
                to: "u".into(),
            },
            Change::RenameColumn {
                table: q("u"),
                from: "a".into(),
                to: "b".into(),
            },
        ];
        assert!(compare(&before, &renamed, &changes).is_empty());
        let dropped = Change::DropTable(Table {
            name: q("t"),
            ..Table::default()
        });
        assert!(compare(&before, &Fingerprint::default(), &[dropped]).is_empty());
    }

    #[test]
    fn type_changes_compare_by_family() {
        // Scale grows: the numbers are equal, their text is not.
        let before = print(3, &[("p", col("numeric(10,2)", Family::Exact, "a"))]);
        let mut wider = col("numeric(12,4)", Family::Exact, "b");
        wider.number = Some("na".into());
        assert!(compare(&before, &print(3, &[("p", wider)]), &[]).is_empty());
        // Text to jsonb: only the non-NULL count is compared.
        let before = print(3, &[("d", col("text", Family::Text, "a"))]);
        let json = col("jsonb", Family::Other, "b");
        assert!(compare(&before, &print(3, &[("d", json.clone())]), &[]).is_empty());
        let mut nulled = json;
        nulled.non_null = 1;
        let losses = compare(&before, &print(3, &[("d", nulled)]), &[]);
        assert_eq!(
            (losses[0].kind, losses[0].rows),
            (LossKind::Nulled, Some(2))
        );
    }
}
