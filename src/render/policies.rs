//! `CREATE` / `ALTER` / `DROP POLICY` and their comments
//! ([`PolicyChange`]). Each takes an ACCESS EXCLUSIVE lock on its table
//! (briefly: no rows are read) and changes which rows roles see or may
//! write from the next statement on, which the plan says.

use super::hazard::{Hazard, LockLevel};
use super::{Context, Statement};
use crate::diff::policies::PolicyChange;
use crate::escape::line;
use crate::model::{quote_ident, quote_literal, Policy};

pub fn render(change: &PolicyChange, ctx: &Context) -> Statement {
    let (sql, note) = match change {
        PolicyChange::Create(p) => (create(p), Some(created(p))),
        PolicyChange::Alter { from, to } => (alter(from, to), Some(altered(to))),
        PolicyChange::Rename { table, from, to } => (
            format!(
                "ALTER POLICY {} ON {} RENAME TO {};",
                quote_ident(from),
                table.quoted(),
                quote_ident(to)
            ),
            None,
        ),
        PolicyChange::Comment(p) => {
            let value = p.comment.as_deref().map_or("NULL".into(), quote_literal);
            let sql = format!("COMMENT ON POLICY {} IS {value};", on(p));
            return Statement::new(sql);
        }
        PolicyChange::Drop(p) => (format!("DROP POLICY {};", on(p)), Some(dropped(p))),
    };
    let table = crate::diff::policies::table_of(change);
    if ctx.is_new(table) {
        return Statement::new(sql);
    }
    let mut hazards = vec![Hazard::Lock {
        level: LockLevel::AccessExclusive,
        on: table.clone(),
        what: "policy change",
    }];
    hazards.extend(note.map(Hazard::Note));
    Statement::new(sql).with(hazards)
}

/// `name ON schema.table`.
fn on(p: &Policy) -> String {
    format!("{} ON {}", quote_ident(&p.name), p.table.quoted())
}

/// `public` is the keyword PUBLIC; every other name is quoted.
fn roles(p: &Policy) -> String {
    let names: Vec<String> = p
        .roles
        .iter()
        .map(|r| match r.as_str() {
            "public" => "PUBLIC".to_string(),
            _ => quote_ident(r),
        })
        .collect();
    names.join(", ")
}

pub fn create(p: &Policy) -> String {
    let kind = if p.permissive {
        "PERMISSIVE"
    } else {
        "RESTRICTIVE"
    };
    let mut sql = format!(
        "CREATE POLICY {} AS {kind} FOR {} TO {}",
        on(p),
        p.command.to_ascii_uppercase(),
        roles(p)
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    sql.push(';');
    sql
}

/// Only what differs; a clause is never removed here (the diff drops and
/// creates instead).
fn alter(from: &Policy, to: &Policy) -> String {
    let mut sql = format!("ALTER POLICY {}", on(to));
    if from.roles != to.roles {
        sql.push_str(&format!(" TO {}", roles(to)));
    }
    if let Some(u) = to
        .using
        .as_ref()
        .filter(|u| from.using.as_ref() != Some(*u))
    {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = to
        .with_check
        .as_ref()
        .filter(|w| from.with_check.as_ref() != Some(*w))
    {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    sql.push(';');
    sql
}

fn who(p: &Policy) -> String {
    match p.roles.as_slice() {
        [one] if one == "public" => "every role".to_string(),
        list => format!("role(s) {}", line(&list.join(", "))),
    }
}

fn created(p: &Policy) -> String {
    match p.permissive {
        true => format!(
            "{}: {} may see or write more rows of {} (permissive policies are OR-ed)",
            line(&p.name),
            who(p),
            p.table
        ),
        false => format!(
            "{}: {} may see or write fewer rows of {} (restrictive policies are AND-ed)",
            line(&p.name),
            who(p),
            p.table
        ),
    }
}

fn altered(p: &Policy) -> String {
    format!(
        "{}: which rows of {} {} may see or write changes at once",
        line(&p.name),
        p.table,
        who(p)
    )
}

fn dropped(p: &Policy) -> String {
    match p.permissive {
        true => format!(
            "{}: rows of {} this policy granted {} are no longer visible or writable through it",
            line(&p.name),
            p.table,
            who(p)
        ),
        false => format!(
            "{}: rows of {} this restrictive policy hid from {} become visible",
            line(&p.name),
            p.table,
            who(p)
        ),
    }
}
