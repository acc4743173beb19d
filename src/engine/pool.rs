//! Building a desired state that mixes YAML and `schema/*.sql`: the YAML's
//! creation plan is ordered by strata, the SQL files by their authors, and
//! neither knows the other's dependencies (a table's CHECK calls a function
//! a SQL file defines; a view in SQL reads a YAML table). So every
//! statement runs under a savepoint, and one that fails because something
//! it needs does not exist yet is put back and retried after the others,
//! pass after pass, until a pass makes no progress — the order PostgreSQL
//! itself accepts, found by asking it. Any other error stops the build at
//! once, with the statement's file:line:col.

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
    result.and(ended)
}

async fn passes(client: &Client, mut pending: Vec<Item<'_>>, sandboxed: bool) -> Result<()> {
    loop {
        let before = pending.len();
        let mut deferred = Vec::new();
        let mut first_error = None;
        for item in pending {
            exec(client, "SAVEPOINT strata_item").await?;
            match client.batch_execute(item.sql).await {
                Ok(()) => exec(client, "RELEASE SAVEPOINT strata_item").await?,
                Err(e) => {
                    exec(client, "ROLLBACK TO SAVEPOINT strata_item").await?;
                    if !missing_dependency(&e) {
                        return Err(failed(&item, &e, sandboxed));
                    }
                    first_error.get_or_insert_with(|| failed(&item, &e, sandboxed));
                    deferred.push(item);
                }
            }
        }
        match first_error {
            None => return Ok(()),
            // Nothing ran this pass: what is missing is missing for good.
            Some(e) if deferred.len() == before => return Err(e),
            Some(_) => pending = deferred,
        }
    }
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
