//! Building a desired state that mixes YAML and `schema/*.sql`: the YAML's
//! creation plan is ordered by strata, the SQL files by their authors, and
//! neither knows the other's dependencies (a table's CHECK calls a function
//! a SQL file defines; a view in SQL reads a YAML table). So every
//! statement runs under a savepoint, and one that fails because something
//! it needs does not exist yet is put back and retried after the others,
//! pass after pass, until a pass makes no progress — the order PostgreSQL
//! itself accepts, found by asking it. Any other error stops the build at
//! once, with the statement's file:line:col.
//!
//! A function's body is checked when it is created (`check_function_bodies`)
//! against the build session's `search_path`, not the one its callers use:
//! real schemas hold SQL functions whose unqualified names only resolve at
//! call time, or whose bodies PostgreSQL rejects only when checked (pg_dump
//! turns the check off for this reason). Such a function is created
//! unchecked, as a last resort, with a warning naming where it was declared
//! and what PostgreSQL said; every other statement still fails loudly.

use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

use crate::db::describe;
use crate::model::Origin;
use crate::{Error, Result};

/// One statement to run, and where it was declared.
pub struct Item<'a> {
    pub sql: &'a str,
    pub origin: Option<Origin>,
}

/// Errors that mean "something this statement refers to does not exist
/// yet": worth another try once the other statements have run.
fn missing_dependency(e: &tokio_postgres::Error) -> bool {
    let Some(code) = e.code() else {
        return false;
    };
    [
        SqlState::UNDEFINED_TABLE,
        SqlState::UNDEFINED_FUNCTION,
        SqlState::UNDEFINED_OBJECT,
        SqlState::UNDEFINED_COLUMN,
        SqlState::INVALID_SCHEMA_NAME,
        // "cannot cast type x to y": a cast another statement creates.
        SqlState::CANNOT_COERCE,
        // A drop waiting for the drop of what depends on it.
        SqlState::DEPENDENT_OBJECTS_STILL_EXIST,
    ]
    .contains(code)
}

/// Run `items` in one transaction, each as often as needed (see the
/// module docs); committed only when every one succeeded.
/// `sandboxed` adds the sandbox's explanation to privilege errors.
pub async fn run(client: &Client, items: Vec<Item<'_>>, sandboxed: bool) -> Result<()> {
    exec(client, "BEGIN").await?;
    let result = passes(client, items, sandboxed).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = exec(client, end).await;
    result.and(ended).map(|_| ())
}

/// The order in which `items` all run (indexes into `items`), found the
/// same way as [`run`] in a transaction that is rolled back: the database
/// is left as it was.
/// `first` (statements that must run as they are, in this order) runs
/// before them.
pub async fn order(
    client: &Client,
    first: &[String],
    items: Vec<Item<'_>>,
    sandboxed: bool,
) -> Result<Vec<usize>> {
    exec(client, "BEGIN").await?;
    let result = async {
        for sql in first {
            client.batch_execute(sql).await.map_err(|e| Error::Shadow {
                message: format!(
                    "{}\n  statement: {}",
                    describe(&e),
                    crate::escape::indented(sql, "    ")
                ),
                origin: None,
            })?;
        }
        passes(client, items, sandboxed).await
    }
    .await;
    let ended = exec(client, "ROLLBACK").await;
    let ran = result?;
    ended?;
    Ok(ran)
}

/// Run the items pass after pass; the indexes of the items in the order
/// they succeeded.
async fn passes(client: &Client, items: Vec<Item<'_>>, sandboxed: bool) -> Result<Vec<usize>> {
    let mut pending: Vec<(usize, Item<'_>)> = items.into_iter().enumerate().collect();
    let mut ran = Vec::with_capacity(pending.len());
    loop {
        let before = pending.len();
        let mut deferred = Vec::new();
        let mut first_error = None;
        for (i, item) in pending {
            exec(client, "SAVEPOINT strata_item").await?;
            match client.batch_execute(item.sql).await {
                Ok(()) => {
                    exec(client, "RELEASE SAVEPOINT strata_item").await?;
                    ran.push(i);
                }
                Err(e) => {
                    exec(client, "ROLLBACK TO SAVEPOINT strata_item").await?;
                    if !missing_dependency(&e) {
                        if unchecked(client, &item, &e).await? {
                            ran.push(i);
                            continue;
                        }
                        return Err(failed(&item, &e, sandboxed));
                    }
                    first_error.get_or_insert_with(|| failed(&item, &e, sandboxed));
                    deferred.push((i, item));
                }
            }
        }
        match first_error {
            None => return Ok(ran),
            // Nothing ran this pass: what is missing is missing for good,
            // unless only a function's body check wanted it.
            Some(e) if deferred.len() == before => {
                pending = without_unchecked(client, deferred, &mut ran).await?;
                if pending.len() == before {
                    return Err(e);
                }
            }
            Some(_) => pending = deferred,
        }
    }
}

/// The deferred items still failing once the functions among them have
/// been tried with their bodies unchecked (those that ran join `ran`).
async fn without_unchecked<'a>(
    client: &Client,
    deferred: Vec<(usize, Item<'a>)>,
    ran: &mut Vec<usize>,
) -> Result<Vec<(usize, Item<'a>)>> {
    let mut left = Vec::new();
    for (i, item) in deferred {
        exec(client, "SAVEPOINT strata_item").await?;
        let e = match client.batch_execute(item.sql).await {
            Ok(()) => {
                exec(client, "RELEASE SAVEPOINT strata_item").await?;
                ran.push(i);
                continue;
            }
            Err(e) => e,
        };
        exec(client, "ROLLBACK TO SAVEPOINT strata_item").await?;
        if unchecked(client, &item, &e).await? {
            ran.push(i);
        } else {
            left.push((i, item));
        }
    }
    Ok(left)
}

/// Create the function `item` declares with `check_function_bodies` off
/// (see the module docs), warning with `checked`, the error the checked
/// attempt met. False, with nothing changed, when `item` is not a
/// function or fails even so.
async fn unchecked(
    client: &Client,
    item: &Item<'_>,
    checked: &tokio_postgres::Error,
) -> Result<bool> {
    if !creates_routine(item.sql) {
        return Ok(false);
    }
    exec(
        client,
        "SAVEPOINT strata_item; SET LOCAL check_function_bodies = off",
    )
    .await?;
    if client.batch_execute(item.sql).await.is_err() {
        exec(client, "ROLLBACK TO SAVEPOINT strata_item").await?;
        return Ok(false);
    }
    // RELEASE keeps a SET LOCAL made inside the savepoint: undo it.
    exec(
        client,
        "SET LOCAL check_function_bodies = on; RELEASE SAVEPOINT strata_item",
    )
    .await?;
    let at = item.origin.as_ref().map(|o| o.to_string());
    warn_unchecked(at.as_deref().unwrap_or("schema"), &describe(checked));
    Ok(true)
}

/// Say that the function declared or named `at` was created with its body
/// unchecked, and what PostgreSQL said when it checked it.
pub fn warn_unchecked(at: &str, said: &str) {
    crate::notice::warn_once(
        &format!("unchecked-body {at} {said}"),
        &format!(
            "{at}: function body not checked: PostgreSQL rejects it when checked here ({}); \
             it is created with check_function_bodies off, as pg_dump does, and any error \
             in it shows when it is called",
            crate::escape::line(said)
        ),
    );
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE …`.
fn creates_routine(sql: &str) -> bool {
    let lexer = crate::pg::lex::Lexer::new(sql);
    let mut words = crate::pg::lex::Lexer::new(sql)
        .filter(|t| {
            !matches!(
                t.kind,
                crate::pg::lex::Kind::Space | crate::pg::lex::Kind::Comment
            )
        })
        .map(|t| lexer.text(t).to_ascii_lowercase());
    if words.next().as_deref() != Some("create") {
        return false;
    }
    let mut next = words.next();
    if next.as_deref() == Some("or") {
        if words.next().as_deref() != Some("replace") {
            return false;
        }
        next = words.next();
    }
    matches!(next.as_deref(), Some("function" | "procedure"))
}

fn failed(item: &Item<'_>, e: &tokio_postgres::Error, sandboxed: bool) -> Error {
    Error::Shadow {
        message: format!(
            "{}\n  statement: {}",
            super::sandbox::describe(e, sandboxed),
            crate::escape::indented(item.sql, "    ")
        ),
        origin: item.origin.as_ref().map(|o| o.to_string()),
    }
}

async fn exec(client: &Client, sql: &str) -> Result<()> {
    client.batch_execute(sql).await.map_err(|e| Error::Shadow {
        message: describe(&e),
        origin: None,
    })
}
