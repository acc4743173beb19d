//! Functions, procedures and triggers: create, replace in place where
//! PostgreSQL allows it, drop and create where it does not, enabled
//! state, comments, drop.
//!
//! Functions are keyed by name and identity arguments, so a changed
//! argument list is a drop of one function and the creation of another;
//! the objects depending on the dropped one are re-created around it by
//! `plan` ([`crate::plan::expand`]), from the current catalog's
//! `pg_depend`.

use super::{Change, CommentTarget};
use crate::model::{Database, Function, Trigger};

/// Append the changes of functions from `from` to `to`.
pub(super) fn diff_functions(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (key, f) in &to.functions {
        let Some(old) = from.functions.get(key) else {
            out.push(Change::CreateFunction(f.clone()));
            if f.comment.is_some() {
                out.push(comment(f));
            }
            continue;
        };
        if old.definition != f.definition {
            if replaceable(old, f) {
                out.push(Change::ReplaceFunction {
                    from: old.clone(),
                    to: f.clone(),
                });
            } else {
                out.push(Change::DropFunction(old.clone()));
                out.push(Change::CreateFunction(f.clone()));
                if f.comment.is_some() {
                    out.push(comment(f));
                }
                continue;
            }
        }
        if old.comment != f.comment {
            out.push(comment(f));
        }
    }
    for (key, f) in &from.functions {
        if !to.functions.contains_key(key) {
            out.push(Change::DropFunction(f.clone()));
        }
    }
}

/// Whether `CREATE OR REPLACE` can turn `old` into `new`: PostgreSQL
/// refuses to change the kind, the result type (OUT arguments included),
/// the names of the arguments, or to remove defaults.
pub fn replaceable(old: &Function, new: &Function) -> bool {
    old.procedure == new.procedure
        && old.result == new.result
        && old.arg_names == new.arg_names
        && new.defaults >= old.defaults
}

fn comment(f: &Function) -> Change {
    Change::SetComment {
        target: CommentTarget::Function {
            name: f.name.clone(),
            identity: f.identity.clone(),
            procedure: f.procedure,
        },
        comment: f.comment.clone(),
    }
}

/// Append the changes of triggers. A trigger whose table goes goes with
/// it; one whose definition changes is replaced (`CREATE OR REPLACE
/// TRIGGER`), except a constraint trigger, which is dropped and created.
pub(super) fn diff_triggers(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (key, t) in &to.triggers {
        let Some(old) = from.triggers.get(key) else {
            out.extend(create_trigger(t));
            continue;
        };
        if old.definition != t.definition {
            if old.constraint || t.constraint {
                out.push(Change::DropTrigger(old.clone()));
                out.extend(create_trigger(t));
                continue;
            }
            out.push(Change::ReplaceTrigger {
                from: old.clone(),
                to: t.clone(),
            });
        }
        // `CREATE OR REPLACE TRIGGER` enables the trigger again.
        let replaced = old.definition != t.definition;
        if old.enabled != t.enabled || (replaced && t.enabled != 'O') {
            out.push(Change::SetTriggerEnabled(t.clone()));
        }
        if old.comment != t.comment {
            out.push(trigger_comment(t));
        }
    }
    for (key, t) in &from.triggers {
        let table_stays = to.tables.contains_key(&t.table);
        if !to.triggers.contains_key(key) && table_stays {
            out.push(Change::DropTrigger(t.clone()));
        }
    }
}

/// The changes that create `t`: the trigger, its enabled state, its
/// comment.
pub fn create_trigger(t: &Trigger) -> Vec<Change> {
    let mut out = vec![Change::CreateTrigger(t.clone())];
    if t.enabled != 'O' {
        out.push(Change::SetTriggerEnabled(t.clone()));
    }
    if t.comment.is_some() {
        out.push(trigger_comment(t));
    }
    out
}

fn trigger_comment(t: &Trigger) -> Change {
    Change::SetComment {
        target: CommentTarget::Trigger(t.table.clone(), t.name.clone()),
        comment: t.comment.clone(),
    }
}
