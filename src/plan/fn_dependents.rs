//! A function that is dropped (and maybe created again with another
//! result type or argument names) takes with it nothing: PostgreSQL
//! refuses the drop while a check, a default, an index, a generated
//! column or a trigger uses it. Those dependents, found in the current
//! catalog's `pg_depend` ([`crate::model::Function::dependents`]), are
//! dropped before and created again after — unless the diff already
//! drops them (or their table, or their column). Dependents strata cannot
//! re-create (views, other functions' SQL-standard bodies, policies) are
//! said on the `DROP FUNCTION` ([`crate::render::functions::drop`]).

use crate::diff::functions::create_trigger;
use crate::diff::{constraints_of, Change, ColumnChange, CommentTarget, Constraint};
use crate::model::{Database, FunctionDependent, QualifiedName};

pub fn rebuild(changes: &mut Vec<Change>, from: &Database) {
    let deps: Vec<(QualifiedName, FunctionDependent)> = changes
        .iter()
        .filter_map(|ch| match ch {
            Change::DropFunction(f) => {
                Some(f.dependents.iter().map(|d| (f.name.clone(), d.clone())))
            }
            _ => None,
        })
        .flatten()
        .collect();
    let mut done: Vec<FunctionDependent> = Vec::new();
    for (function, d) in deps {
        if done.contains(&d) {
            continue;
        }
        if let FunctionDependent::Trigger(t, n) = &d {
            unreplace_trigger(changes, t, n, &function);
        }
        if handled(changes, &d) {
            continue;
        }
        let extra = around(changes, &d, from);
        changes.extend(extra);
        done.push(d);
    }
}

/// Whether the diff already drops the dependent, its column or its table.
fn handled(changes: &[Change], d: &FunctionDependent) -> bool {
    let (table, name) = match d {
        FunctionDependent::Constraint(t, n)
        | FunctionDependent::Index(t, n)
        | FunctionDependent::Column(t, n)
        | FunctionDependent::Trigger(t, n) => (t, n),
        FunctionDependent::Other(_) => return true,
    };
    changes.iter().any(|ch| match ch {
        Change::DropTable(t) => t.name == *table,
        Change::DropConstraint {
            table: t,
            constraint,
        } => t == table && constraint.name() == Some(name.as_str()),
        Change::DropIndex { table: t, index } => {
            t == table && index.name.as_deref() == Some(name.as_str())
        }
        Change::DropColumn { table: t, column } => t == table && column.name == *name,
        Change::AlterColumn {
            table: t,
            from,
            changes,
            ..
        } => {
            t == table
                && from.name == *name
                && changes.iter().any(|c| {
                    matches!(
                        c,
                        ColumnChange::DropDefault
                            | ColumnChange::SetDefault(_)
                            | ColumnChange::DropExpression
                    )
                })
        }
        // A trigger the diff replaces no longer uses the dropped function
        // (see `unreplace_trigger`).
        Change::DropTrigger(tg) | Change::ReplaceTrigger { to: tg, .. } => {
            tg.table == *table && tg.name == *name
        }
        _ => false,
    })
}

/// A trigger the diff replaces (`CREATE OR REPLACE TRIGGER`) while its
/// new form still calls `function` (in `WHEN`, or a trigger function
/// created again): the old form holds the function until it is dropped,
/// so the trigger is dropped before and created after instead.
fn unreplace_trigger(
    changes: &mut Vec<Change>,
    t: &QualifiedName,
    n: &str,
    function: &QualifiedName,
) {
    let at = changes.iter().position(|ch| {
        matches!(ch, Change::ReplaceTrigger { to, .. }
            if to.table == *t && to.name == n
                && crate::plan::deps::mentions_function(&to.definition, function))
    });
    let Some(at) = at else { return };
    let Change::ReplaceTrigger { from, to } = changes.remove(at) else {
        return;
    };
    let enabling = changes
        .iter()
        .any(|ch| matches!(ch, Change::SetTriggerEnabled(x) if x.table == *t && x.name == n));
    let commenting = changes.iter().any(|ch| {
        matches!(ch, Change::SetComment { target: CommentTarget::Trigger(x, y), .. }
            if x == t && y == n)
    });
    // What the diff sets by its own changes is not set twice.
    let new = crate::model::Trigger {
        enabled: if enabling { 'O' } else { to.enabled },
        comment: if commenting { None } else { to.comment.clone() },
        ..to
    };
    changes.push(Change::DropTrigger(from));
    changes.extend(create_trigger(&new));
}

/// The changes that drop `d` and create it again as it is now (the diff
/// found it unchanged).
fn around(changes: &[Change], d: &FunctionDependent, from: &Database) -> Vec<Change> {
    match d {
        FunctionDependent::Constraint(t, n) => constraint(from, t, n),
        FunctionDependent::Index(t, n) => index(from, t, n),
        FunctionDependent::Column(t, c) => column(from, t, c),
        FunctionDependent::Trigger(t, n) => trigger(changes, from, t, n),
        FunctionDependent::Other(_) => Vec::new(),
    }
}

fn constraint(from: &Database, t: &QualifiedName, n: &str) -> Vec<Change> {
    let Some(c) = from
        .tables
        .get(t)
        .and_then(|tb| constraints_of(tb).into_iter().find(|c| c.name() == Some(n)))
    else {
        return Vec::new();
    };
    vec![
        Change::DropConstraint {
            table: t.clone(),
            constraint: c.clone(),
        },
        Change::AddConstraint {
            table: t.clone(),
            constraint: c,
        },
    ]
}

fn index(from: &Database, t: &QualifiedName, n: &str) -> Vec<Change> {
    let Some(tb) = from.tables.get(t) else {
        return Vec::new();
    };
    match tb.indexes.iter().find(|i| i.name.as_deref() == Some(n)) {
        Some(i) => vec![
            Change::DropIndex {
                table: t.clone(),
                index: i.clone(),
            },
            Change::CreateIndex {
                table: t.clone(),
                index: i.clone(),
            },
        ],
        // An exclusion constraint's index.
        None => constraint(from, t, n)
            .into_iter()
            .filter(|c| {
                !matches!(
                    c,
                    Change::DropConstraint {
                        constraint: Constraint::PrimaryKey(_),
                        ..
                    }
                )
            })
            .collect(),
    }
}

/// A default: dropped, then set again. A generated column: dropped and
/// added again (its values are computed anew).
fn column(from: &Database, t: &QualifiedName, c: &str) -> Vec<Change> {
    let Some(col) = from.tables.get(t).and_then(|tb| tb.column(c)) else {
        return Vec::new();
    };
    if col.generated.is_some() {
        return vec![
            Change::DropColumn {
                table: t.clone(),
                column: col.clone(),
            },
            Change::AddColumn {
                table: t.clone(),
                column: col.clone(),
            },
        ];
    }
    let Some(default) = col.default.clone() else {
        return Vec::new();
    };
    let bare = crate::model::Column {
        default: None,
        ..col.clone()
    };
    vec![
        Change::AlterColumn {
            table: t.clone(),
            from: col.clone(),
            to: bare.clone(),
            changes: vec![ColumnChange::DropDefault],
        },
        Change::AlterColumn {
            table: t.clone(),
            from: bare,
            to: col.clone(),
            changes: vec![ColumnChange::SetDefault(default)],
        },
    ]
}

fn trigger(changes: &[Change], from: &Database, t: &QualifiedName, n: &str) -> Vec<Change> {
    let Some(old) = from.triggers.get(&(t.clone(), n.to_string())) else {
        return Vec::new();
    };
    // The enabled state and comment go with the trigger: set again, unless
    // the diff sets them anyway (to their new values).
    let enabling = changes
        .iter()
        .any(|ch| matches!(ch, Change::SetTriggerEnabled(x) if x.table == *t && x.name == n));
    let commenting = changes.iter().any(|ch| {
        matches!(ch, Change::SetComment { target: CommentTarget::Trigger(x, y), .. }
            if x == t && y == n)
    });
    let bare = crate::model::Trigger {
        enabled: if enabling { 'O' } else { old.enabled },
        comment: if commenting {
            None
        } else {
            old.comment.clone()
        },
        ..old.clone()
    };
    let mut out = vec![Change::DropTrigger(old.clone())];
    out.extend(create_trigger(&bare));
    out
}
