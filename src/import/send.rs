//! Loading a batch whose rows the server may still refuse (a unique or
//! foreign-key violation, a value of a type it parses itself): the row
//! the server names is rejected and the rest retried; when it names none
//! (foreign keys are checked at the end of the COPY) the batch is split in
//! halves until the refused rows are isolated. Each attempt runs in a
//! savepoint inside `--single-transaction`, so one refusal does not abort
//! the whole import.

use tokio_postgres::{Client, Transaction};

use super::rejects::Reject;
use super::ImportError;
use crate::copy::{load_batch, Batch, CopyTarget, LoadError};

/// Where batches go.
pub enum Conn<'a> {
    /// Each batch commits on its own.
    Auto(&'a Client),
    /// Everything in one transaction.
    Tx(Transaction<'a>),
}

/// A batch's rows and where each came from.
pub struct Pending {
    pub batch: Batch,
    /// Per row: (record index, line, original bytes).
    pub origin: Vec<(u64, u64, Vec<u8>)>,
}

/// SQLSTATE classes that blame a row's data, not the connection or the
/// statement: 22 data exception, 23 integrity constraint violation.
fn row_level(e: &LoadError) -> bool {
    matches!(e.code(), Some(c) if c.starts_with("22") || c.starts_with("23"))
}

/// Load `p`, rejecting the rows the server refuses; returns rows loaded.
pub async fn load(
    conn: &mut Conn<'_>,
    target: &CopyTarget,
    p: Pending,
    rejects: &mut Vec<Reject>,
) -> Result<u64, ImportError> {
    let mut loaded = 0;
    // Work list instead of recursion: async recursion needs boxing.
    let mut todo = vec![p];
    while let Some(p) = todo.pop() {
        if p.batch.is_empty() {
            continue;
        }
        let e = match attempt(conn, target, &p.batch).await? {
            Ok(n) => {
                loaded += n;
                continue;
            }
            Err(e) if row_level(&e) => e,
            Err(e) => return Err(ImportError::Load(e)),
        };
        let reason = crate::db::describe(&e.source);
        if p.batch.rows() == 1 {
            rejects.push(reject(&p.origin[0], reason, &e));
            continue;
        }
        match e.row.filter(|&r| r < p.batch.rows()) {
            Some(r) => {
                rejects.push(reject(&p.origin[r], reason, &e));
                let mut origin = p.origin;
                origin.remove(r);
                todo.push(Pending {
                    batch: p.batch.without_row(r),
                    origin,
                });
            }
            None => {
                let half = p.batch.rows() / 2;
                let (a, b) = p.batch.split_at(half);
                let mut first = p.origin;
                let second = first.split_off(half);
                // Popped last-in first-out: the first half goes first.
                todo.push(Pending {
                    batch: b,
                    origin: second,
                });
                todo.push(Pending {
                    batch: a,
                    origin: first,
                });
            }
        }
    }
    Ok(loaded)
}

fn reject(origin: &(u64, u64, Vec<u8>), reason: String, e: &LoadError) -> Reject {
    let column = e
        .source
        .as_db_error()
        .and_then(|d| d.column())
        .map(String::from);
    Reject {
        index: origin.0,
        line: origin.1,
        column,
        reason,
        raw: origin.2.clone(),
    }
}

/// One COPY; the outer error is for failures that are not the batch's
/// fault (savepoint commands).
async fn attempt(
    conn: &mut Conn<'_>,
    target: &CopyTarget,
    batch: &Batch,
) -> Result<Result<u64, LoadError>, ImportError> {
    match conn {
        Conn::Auto(c) => Ok(load_batch(*c, target, batch).await),
        Conn::Tx(tx) => {
            let sp = tx.savepoint("strata_import").await.map_err(sql)?;
            let r = load_batch(&sp, target, batch).await;
            match r {
                Ok(_) => sp.commit().await.map_err(sql)?,
                Err(_) => sp.rollback().await.map_err(sql)?,
            }
            Ok(r)
        }
    }
}

fn sql(e: tokio_postgres::Error) -> ImportError {
    ImportError::Query {
        context: "managing the import savepoint".into(),
        source: e,
    }
}
