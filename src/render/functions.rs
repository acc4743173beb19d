//! Functions, procedures and triggers. Every statement is PostgreSQL's own
//! definition text (`pg_get_functiondef`, `pg_get_triggerdef`) of the
//! desired catalog, which is what makes plan → apply → plan empty.

use super::{Context, Hazard, LockLevel, Statement};
use crate::model::{quote_ident, Function, FunctionDependent, Trigger};

/// The definition as a statement (`CREATE OR REPLACE FUNCTION …;`).
fn definition(f: &Function) -> String {
    format!("{};", f.definition.trim_end())
}

pub fn create(f: &Function) -> Statement {
    Statement::new(definition(f)).from_origin(&f.origin)
}

/// `CREATE OR REPLACE`: callers get the new body at once; objects using
/// the function (an index, a check) are not re-checked against it.
pub fn replace(f: &Function) -> Statement {
    Statement::new(definition(f)).from_origin(&f.origin)
}

/// `DROP FUNCTION name(identity arguments)`, never `CASCADE`: a dependent
/// strata cannot re-create makes PostgreSQL refuse the drop, and the
/// statement says which.
pub fn drop(f: &Function, ctx: &Context) -> Statement {
    let kind = if f.procedure { "PROCEDURE" } else { "FUNCTION" };
    let stmt = Statement::new(format!("DROP {kind} {}({});", f.name.quoted(), f.identity));
    let blockers: Vec<String> = f
        .dependents
        .iter()
        .filter_map(|d| match d {
            // Views calling it are dropped before (and re-created after).
            FunctionDependent::Other(what) if ctx.drops_view_rule(what) => None,
            FunctionDependent::Other(what) => Some(what.clone()),
            _ => None,
        })
        .collect();
    if blockers.is_empty() {
        return stmt;
    }
    stmt.with([
        Hazard::Note(format!(
            "{} depends on it and is not re-created by strata: drop or change it first",
            blockers.join(", ")
        )),
        Hazard::MayFail {
            why: "PostgreSQL refuses to drop a function other objects depend on \
                  (strata never drops with CASCADE)",
        },
    ])
}

fn trigger_lock(t: &Trigger, ctx: &Context, level: LockLevel) -> Option<Hazard> {
    (!ctx.is_new(&t.table)).then(|| Hazard::Lock {
        level,
        on: t.table.clone(),
        what: "trigger change",
    })
}

fn trigger_sql(t: &Trigger) -> String {
    format!("{};", t.definition.trim_end())
}

pub fn create_trigger(t: &Trigger, ctx: &Context) -> Statement {
    Statement::new(trigger_sql(t))
        .with(trigger_lock(t, ctx, LockLevel::ShareRowExclusive))
        .from_origin(&t.origin)
}

/// `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+), in one statement.
pub fn replace_trigger(t: &Trigger, ctx: &Context) -> Statement {
    let sql = trigger_sql(t);
    let sql = match sql.strip_prefix("CREATE TRIGGER ") {
        Some(rest) => format!("CREATE OR REPLACE TRIGGER {rest}"),
        None => sql,
    };
    Statement::new(sql)
        .with(trigger_lock(t, ctx, LockLevel::ShareRowExclusive))
        .from_origin(&t.origin)
}

pub fn drop_trigger(t: &Trigger, ctx: &Context) -> Statement {
    Statement::new(format!(
        "DROP TRIGGER {} ON {};",
        quote_ident(&t.name),
        t.table.quoted()
    ))
    .with(trigger_lock(t, ctx, LockLevel::AccessExclusive))
}

pub fn set_enabled(t: &Trigger, ctx: &Context) -> Statement {
    let state = match t.enabled {
        'D' => "DISABLE",
        'R' => "ENABLE REPLICA",
        'A' => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    Statement::new(format!(
        "ALTER TABLE {} {state} TRIGGER {};",
        t.table.quoted(),
        quote_ident(&t.name)
    ))
    .with(trigger_lock(t, ctx, LockLevel::ShareRowExclusive))
}
