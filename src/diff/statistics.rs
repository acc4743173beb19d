//! Extended statistics (issue 14): created with a new table or when
//! added, dropped when removed (a dropped table takes its own), dropped
//! and created again when their kinds, columns or expressions change or
//! use a column that is dropped and added again (PostgreSQL drops
//! statistics with a column they use; a type change keeps them). The
//! target and the comment change in place.

use super::Change;
use crate::model::{QualifiedName, Statistics, Table};

/// One change of [`Change::Statistics`].
#[derive(Clone, Debug, PartialEq)]
pub enum StatisticsChange {
    /// `CREATE STATISTICS`, then its target and comment.
    Create {
        table: QualifiedName,
        stats: Statistics,
    },
    Drop {
        table: QualifiedName,
        stats: Statistics,
    },
    /// `ALTER STATISTICS … SET STATISTICS n` (`None`: -1).
    SetTarget {
        table: QualifiedName,
        name: String,
        target: Option<i32>,
    },
    Comment {
        table: QualifiedName,
        name: String,
        comment: Option<String>,
    },
}

/// The statistics of a table this plan creates.
pub(super) fn on_create(table: &Table, out: &mut Vec<Change>) {
    out.extend(table.statistics.iter().map(|s| create(table, s)));
}

/// The changes from `old` to `new` (the same table); `rebuilt`: its
/// columns dropped and added again.
pub(super) fn alter(old: &Table, new: &Table, rebuilt: &[&str], out: &mut Vec<Change>) {
    for s in &new.statistics {
        let Some(o) = old.statistics.iter().find(|o| o.name == s.name) else {
            out.push(create(new, s));
            continue;
        };
        let uses_rebuilt = s.columns.iter().any(|c| rebuilt.contains(&c.as_str()))
            || s.expressions
                .iter()
                .any(|e| rebuilt.iter().any(|c| super::mentions_column(e, c)));
        let same = o.kinds == s.kinds && o.columns == s.columns && o.expressions == s.expressions;
        if !same || uses_rebuilt {
            out.push(Change::Statistics(StatisticsChange::Drop {
                table: old.name.clone(),
                stats: o.clone(),
            }));
            out.push(create(new, s));
            continue;
        }
        if o.target != s.target {
            out.push(Change::Statistics(StatisticsChange::SetTarget {
                table: new.name.clone(),
                name: s.name.clone(),
                target: s.target,
            }));
        }
        if o.comment != s.comment {
            out.push(Change::Statistics(StatisticsChange::Comment {
                table: new.name.clone(),
                name: s.name.clone(),
                comment: s.comment.clone(),
            }));
        }
    }
    for o in &old.statistics {
        if !new.statistics.iter().any(|s| s.name == o.name) {
            out.push(Change::Statistics(StatisticsChange::Drop {
                table: old.name.clone(),
                stats: o.clone(),
            }));
        }
    }
}

fn create(table: &Table, s: &Statistics) -> Change {
    Change::Statistics(StatisticsChange::Create {
        table: table.name.clone(),
        stats: s.clone(),
    })
}
