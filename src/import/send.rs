//! Loading a batch whose rows the server may still refuse (a unique or
//! foreign-key violation, a value of a type it parses itself): the row
//! the server names is rejected and the rest retried; when it names none
//! (foreign keys are checked at the end of the COPY) the batch is split in
//! halves until the refused rows are isolated. A part refused again and
//! again (a batch of duplicates) is halved too, so isolating its rows
//! sends O(n log n) rows instead of O(n²). Each attempt runs in a
//! savepoint of the caller's transaction (one per batch, the whole
//! import's, or a seed's), so a refusal undoes only that attempt and the
//! batch commits — or not — as a whole.

use tokio_postgres::GenericClient;

use super::origins::Origins;
use super::rejects::Reject;
use super::ImportError;
use crate::copy::{load_batch, Batch, CopyClient, CopyTarget, LoadError};

/// A batch's rows and where each came from.
pub struct Pending {
    pub batch: Batch,
    pub origin: Origins,
}

/// SQLSTATE classes that blame a row's data, not the connection or the
/// statement: 22 data exception, 23 integrity constraint violation.
pub fn row_level(e: &LoadError) -> bool {
    matches!(e.code(), Some(c) if c.starts_with("22") || c.starts_with("23"))
}

/// A deadlock or serialization failure between concurrent batches
/// (`--jobs`): the batch's transaction is rolled back and retried, the
/// rows are not at fault.
pub fn retryable(e: &ImportError) -> bool {
    let code = match e {
        ImportError::Load(e) => e.code(),
        ImportError::Query { source, .. } => source.code().map(|c| c.code()),
        _ => None,
    };
    matches!(code, Some("40P01" | "40001"))
}

/// Load `p` through `tx`, which must be in a transaction (a
/// `Transaction`, or a client after `BEGIN`), pushing the rows the server
/// refuses onto `rejects`; returns rows loaded.
pub async fn load<C: CopyClient + GenericClient>(
    tx: &C,
    target: &CopyTarget,
    p: &Pending,
    rejects: &mut Vec<Reject>,
) -> Result<u64, ImportError> {
    if p.batch.is_empty() {
        return Ok(0);
    }
    // The whole batch first: the common case needs no copy of it.
    match attempt(tx, target, &p.batch).await? {
        Ok(n) => Ok(n),
        Err(e) => load_refused(tx, target, p, e, rejects).await,
    }
}

/// Load `p` inside `tx` after the server refused it whole with `e`:
/// isolate the refused rows, load the rest; returns rows loaded.
pub async fn load_refused<C: CopyClient + GenericClient>(
    tx: &C,
    target: &CopyTarget,
    p: &Pending,
    e: LoadError,
    rejects: &mut Vec<Reject>,
) -> Result<u64, ImportError> {
    let mut sink = Sink {
        rejects,
        again: Some(Vec::new()),
    };
    let whole = Part {
        batch: p.batch.clone(),
        origin: p.origin.clone(),
        strikes: 0,
    };
    let mut loaded = settle(tx, target, whole, e, &mut sink).await?;
    // Duplicates set aside, once more in input order; now final.
    let mut again = sink.again.take().unwrap_or_default();
    if !again.is_empty() {
        again.sort_by_key(|a| a.origin.get(0).index);
        let mut part = Part {
            batch: p.batch.split_at(0).0,
            origin: Origins::default(),
            strikes: 0,
        };
        for a in &again {
            let o = a.origin.get(0);
            part.batch.push_row_of(&a.row, 0);
            part.origin.push(o.index, o.line, o.raw);
        }
        loaded += match attempt(tx, target, &part.batch).await? {
            Ok(n) => n,
            Err(e) => settle(tx, target, part, e, &mut sink).await?,
        };
    }
    Ok(loaded)
}

/// Load what is left of `part`, which the server refused with `e`.
async fn settle<C: CopyClient + GenericClient>(
    tx: &C,
    target: &CopyTarget,
    part: Part,
    e: LoadError,
    sink: &mut Sink<'_>,
) -> Result<u64, ImportError> {
    let mut loaded = 0;
    // Work list instead of recursion: async recursion needs boxing.
    let mut todo = Vec::new();
    isolate(part, e, &mut todo, sink)?;
    while let Some(part) = todo.pop() {
        if part.batch.is_empty() {
            continue;
        }
        match attempt(tx, target, &part.batch).await? {
            Ok(n) => loaded += n,
            Err(e) => isolate(part, e, &mut todo, sink)?,
        }
    }
    Ok(loaded)
}

/// Where refused rows go. A row refused as a duplicate key while other
/// rows of its part were loading with it is set aside (`again`) and tried
/// once more at the end: the row it collided with may itself be rejected
/// later, for a foreign key checked only at the end of its COPY.
struct Sink<'a> {
    rejects: &'a mut Vec<Reject>,
    again: Option<Vec<SetAside>>,
}

/// A refused duplicate to try again: its origin and its encoded row.
struct SetAside {
    origin: Origins,
    row: Batch,
}

impl Sink<'_> {
    fn refuse(&mut self, batch: &Batch, origin: &Origins, r: usize, reason: String, e: &LoadError) {
        match &mut self.again {
            Some(again) if e.code() == Some("23505") => {
                let mut row = batch.split_at(0).0;
                row.push_row_of(batch, r);
                let o = origin.get(r);
                let mut one = Origins::default();
                one.push(o.index, o.line, o.raw);
                again.push(SetAside { origin: one, row });
            }
            _ => self.rejects.push(reject(origin, r, reason, e)),
        }
    }
}

/// Rows still to load.
struct Part {
    batch: Batch,
    origin: Origins,
    /// Refusals of a named row in a row, down this part's line.
    strikes: u8,
}

/// After `e` refused `part`: reject the row it names (or the only row)
/// and queue the rest, or queue both halves.
fn isolate(
    part: Part,
    e: LoadError,
    todo: &mut Vec<Part>,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    if !row_level(&e) {
        return Err(ImportError::Load(e));
    }
    let reason = crate::db::describe(&e.source);
    let Part {
        batch,
        origin,
        strikes,
    } = part;
    if batch.rows() == 1 {
        // Alone, a duplicate collides with a row already loaded: final.
        sink.rejects.push(reject(&origin, 0, reason, &e));
        return Ok(());
    }
    match e.row.filter(|&r| r < batch.rows()) {
        // One bad row is the common case: the rest goes again whole.
        Some(r) if strikes < 2 => {
            sink.refuse(&batch, &origin, r, reason, &e);
            todo.push(Part {
                batch: batch.without_row(r),
                origin: origin.without(r),
                strikes: strikes + 1,
            });
        }
        Some(r) => {
            sink.refuse(&batch, &origin, r, reason, &e);
            halves(batch.without_row(r), origin.without(r), todo);
        }
        None => halves(batch, origin, todo),
    }
    Ok(())
}

fn halves(batch: Batch, origin: Origins, todo: &mut Vec<Part>) {
    let half = batch.rows() / 2;
    let (a, b) = batch.split_at(half);
    let (first, second) = origin.split_at(half);
    // Popped last-in first-out: the first half goes first.
    for (batch, origin) in [(b, second), (a, first)] {
        todo.push(Part {
            batch,
            origin,
            strikes: 0,
        });
    }
}

fn reject(origins: &Origins, row: usize, reason: String, e: &LoadError) -> Reject {
    let origin = origins.get(row);
    let column = e
        .source
        .as_db_error()
        .and_then(|d| d.column())
        .map(String::from);
    Reject {
        index: origin.index,
        line: origin.line,
        column,
        reason,
        raw: origin.raw.to_vec(),
    }
}

/// One COPY in a savepoint; the outer error is for failures that are not
/// the batch's fault (savepoint commands). Plain SQL savepoints, so the
/// caller's transaction may be one it began with `BEGIN` (a seed's).
async fn attempt<C: CopyClient + GenericClient>(
    tx: &C,
    target: &CopyTarget,
    batch: &Batch,
) -> Result<Result<u64, LoadError>, ImportError> {
    tx.batch_execute("SAVEPOINT strata_import")
        .await
        .map_err(sql)?;
    let r = load_batch(tx, target, batch).await;
    let end = match r {
        Ok(_) => "RELEASE SAVEPOINT strata_import",
        Err(_) => "ROLLBACK TO SAVEPOINT strata_import; RELEASE SAVEPOINT strata_import",
    };
    tx.batch_execute(end).await.map_err(sql)?;
    Ok(r)
}

fn sql(e: tokio_postgres::Error) -> ImportError {
    ImportError::Query {
        context: "managing the import savepoint".into(),
        source: e,
    }
}
