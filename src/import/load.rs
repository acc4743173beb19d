//! Loading the validator's chunks.
//!
//! * [`one_transaction`]: `--single-transaction` / `--dry-run`: every
//!   batch in the import's one transaction, in order.
//! * [`batches`]: each batch its own transaction (BEGIN; COPY attempts in
//!   savepoints; the `--resume` control row; COMMIT), so a batch is wholly
//!   loaded (minus its rejects) or not at all. `--jobs` loaders take the
//!   next chunk as they become free; results are put back in input order
//!   before their rejects are written, and at most `jobs + 2` batches are
//!   between the validator and that point, which bounds memory.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, Mutex, RwLock, Semaphore};
use tokio_postgres::{Client, Transaction};

use super::progress::Progress;
use super::rejects::{Reject, Rejects};
use super::resume::{BatchRow, Resume};
use super::{send, too_many, Chunk, ImportError, ImportOptions, Summary};
use crate::copy::{load_batch, CopyTarget, LoadError};

type Chunks = mpsc::Receiver<Result<Chunk, ImportError>>;

/// Where results go, in input order.
pub struct Out<'a> {
    pub rejects: &'a mut Rejects,
    pub summary: &'a mut Summary,
    pub progress: &'a mut Progress,
    pub o: &'a ImportOptions,
}

impl Out<'_> {
    fn add(&mut self, d: Done) -> Result<(), ImportError> {
        self.summary.read += d.read;
        self.summary.loaded += d.loaded;
        self.summary.rejected += d.rejects.len() as u64;
        self.progress.advance(d.read);
        self.rejects.write(d.rejects)
    }

    fn too_many(&self) -> bool {
        self.o
            .max_rejects
            .is_some_and(|max| self.summary.rejected > max)
    }
}

/// A loaded batch.
struct Done {
    read: u64,
    loaded: u64,
    rejects: Vec<Reject>,
}

fn query(context: &str) -> impl FnOnce(tokio_postgres::Error) -> ImportError + '_ {
    move |e| ImportError::Query {
        context: context.into(),
        source: e,
    }
}

/// How many loaders: `o.jobs`, unless concurrent batches cannot work.
/// Says why on stderr when it lowers the number.
pub async fn jobs(client: &Client, o: &ImportOptions) -> Result<usize, ImportError> {
    if o.jobs <= 1 {
        return Ok(1);
    }
    let why = if o.single_transaction || o.dry_run {
        Some("one transaction (--single-transaction or --dry-run)")
    } else if o.database.is_none() {
        Some("no connection settings for more connections")
    } else if self_referencing(client, o).await? {
        // A row's parent may sit in a batch another job has not committed.
        Some("the table has a foreign key to itself")
    } else {
        None
    };
    if let Some(why) = why {
        eprintln!("note: --jobs {} ignored, loading with 1: {why}", o.jobs);
        return Ok(1);
    }
    Ok(o.jobs)
}

async fn self_referencing(client: &Client, o: &ImportOptions) -> Result<bool, ImportError> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_constraint k
               JOIN pg_class c ON c.oid = k.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE k.contype = 'f' AND k.confrelid = k.conrelid
                AND n.nspname = $1 AND c.relname = $2)",
            &[&o.table.schema, &o.table.name],
        )
        .await
        .map_err(query("reading the table's foreign keys"))?;
    Ok(row.get(0))
}

/// `n` more connections for the loaders.
pub async fn connect(o: &ImportOptions, n: usize) -> Result<Vec<Client>, ImportError> {
    let mut out = Vec::with_capacity(n);
    if let Some(db) = &o.database {
        for _ in 0..n {
            let c = db.connect().await.map_err(|e| ImportError::Io {
                context: "opening a --jobs connection".into(),
                source: std::io::Error::other(e.to_string()),
            })?;
            out.push(c);
        }
    }
    Ok(out)
}

/// Everything in one transaction, committed at the end (rolled back for
/// a dry run or an error). Each COPY attempt in a savepoint. A dry run
/// checks deferred constraints at each COPY, as the per-batch import it
/// stands for does; `--single-transaction` keeps them deferred to its
/// COMMIT (rows may refer to rows of later batches), where a violation
/// fails the whole import.
pub async fn one_transaction(
    client: &mut Client,
    mut rx: Chunks,
    target: &CopyTarget,
    out: &mut Out<'_>,
) -> Result<(), ImportError> {
    let tx = if out.o.dry_run {
        begin(client).await?
    } else {
        client
            .transaction()
            .await
            .map_err(query("starting the import transaction"))?
    };
    let lifted =
        crate::copy::rls::lift_in_transaction(&tx, std::slice::from_ref(&target.table)).await?;
    while let Some(chunk) = rx.recv().await {
        let chunk = chunk?;
        let mut refused = chunk.rejects;
        // Rejects found before an error are still written.
        let loaded = send::load(&tx, target, &chunk.pending, &mut refused).await;
        out.add(Done {
            read: chunk.read,
            loaded: *loaded.as_ref().unwrap_or(&0),
            rejects: refused,
        })?;
        loaded?;
        if out.too_many() {
            return Err(too_many(out.o, out.summary, true));
        }
    }
    if out.o.dry_run {
        return Ok(()); // dropping the transaction rolls it back
    }
    crate::copy::rls::restore(&tx, lifted).await?;
    tx.commit().await.map_err(query("committing the import"))
}

/// What the loaders share.
struct Shared<'a> {
    work: Mutex<Work>,
    /// Batches taken and not yet written out in order.
    permits: Semaphore,
    /// A batch failed, or too many rejects: take no more.
    stop: AtomicBool,
    /// Batches load under the read side; a retried one under the write side.
    gate: RwLock<()>,
    target: &'a CopyTarget,
    resume: Option<&'a Resume>,
}

struct Work {
    rx: Chunks,
    /// Sequence number of the next chunk.
    seq: u64,
    /// Input offset where the next chunk starts.
    end: u64,
}

type Result2 = (u64, Result<Done, ImportError>);

/// Each batch in its own transaction on one of `clients`; returns the
/// input offset after the last one.
pub async fn batches(
    clients: Vec<&mut Client>,
    rx: Chunks,
    target: &CopyTarget,
    resume: Option<&Resume>,
    start: u64,
    out: &mut Out<'_>,
) -> Result<u64, ImportError> {
    let shared = Shared {
        work: Mutex::new(Work {
            rx,
            seq: 0,
            end: start,
        }),
        permits: Semaphore::new(clients.len() + 2),
        stop: AtomicBool::new(false),
        gate: RwLock::new(()),
        target,
        resume,
    };
    let (tx, results) = mpsc::unbounded_channel();
    let loaders = clients
        .into_iter()
        .map(|c| loader(c, &shared, tx.clone()))
        .collect::<Vec<_>>();
    drop(tx); // the results channel closes when the last loader ends
    let (_, collected) = tokio::join!(
        futures_util::future::join_all(loaders),
        collect(&shared, results, out)
    );
    collected?;
    let end = shared.work.lock().await.end;
    Ok(end)
}

/// Take chunks and load them until there are none, or told to stop.
async fn loader(client: &mut Client, sh: &Shared<'_>, results: mpsc::UnboundedSender<Result2>) {
    while !sh.stop.load(Ordering::Relaxed) {
        let Ok(permit) = sh.permits.acquire().await else {
            return;
        };
        permit.forget(); // given back once written out in order
        let taken = {
            let mut w = sh.work.lock().await;
            match w.rx.recv().await {
                Some(c) if !sh.stop.load(Ordering::Relaxed) => {
                    let (seq, start) = (w.seq, w.end);
                    w.seq += 1;
                    if let Ok(c) = &c {
                        w.end = c.end;
                    }
                    Some((seq, start, c))
                }
                _ => None,
            }
        };
        let Some((seq, start, chunk)) = taken else {
            sh.permits.add_permits(1);
            return;
        };
        let r = match chunk {
            Ok(c) => commit_batch(client, sh, start, c).await,
            Err(e) => Err(e),
        };
        if r.is_err() {
            sh.stop.store(true, Ordering::Relaxed);
        }
        if results.send((seq, r)).is_err() {
            return;
        }
    }
}

/// Put results back in input order and write them out. After a failure
/// the batches already committed are still counted and their rejects
/// written; the first error is returned.
async fn collect(
    sh: &Shared<'_>,
    mut results: mpsc::UnboundedReceiver<Result2>,
    out: &mut Out<'_>,
) -> Result<(), ImportError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut error = None;
    while let Some((seq, r)) = results.recv().await {
        waiting.insert(seq, r);
        while let Some(r) = waiting.remove(&next) {
            next += 1;
            sh.permits.add_permits(1);
            let r = r.and_then(|d| out.add(d));
            if let Err(e) = r {
                error.get_or_insert(e);
            }
            if error.is_some() || out.too_many() {
                sh.stop.store(true, Ordering::Relaxed);
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None if out.too_many() => Err(too_many(out.o, out.summary, false)),
        None => Ok(()),
    }
}

/// One batch in one transaction, retried when it lost a deadlock or a
/// serialization conflict against a concurrent batch. The retry runs
/// alone (the gate's write side: once the batches in flight are done, and
/// before any other starts): retried next to the batch it collided with,
/// it would collide again (two batches inserting the same keys in
/// opposite orders deadlock at every try).
async fn commit_batch(
    client: &mut Client,
    sh: &Shared<'_>,
    start: u64,
    c: Chunk,
) -> Result<Done, ImportError> {
    let first = {
        let _shared = sh.gate.read().await;
        try_batch(client, sh, start, &c).await
    };
    let mut r = first;
    let mut tries = 0u32;
    while matches!(&r, Err(e) if send::retryable(e)) && tries < 10 {
        tries += 1;
        if tries > 1 {
            // Still colliding, alone: with another session, then.
            tokio::time::sleep(Duration::from_millis(10 << tries.min(6))).await;
        }
        let _alone = sh.gate.write().await;
        r = try_batch(client, sh, start, &c).await;
    }
    r
}

async fn try_batch(
    client: &mut Client,
    sh: &Shared<'_>,
    start: u64,
    c: &Chunk,
) -> Result<Done, ImportError> {
    let refusal = match try_whole(client, sh, start, c).await? {
        Ok(done) => return Ok(done),
        Err(refusal) => refusal,
    };
    let tx = begin(client).await?;
    let mut refused = c.rejects.clone();
    let loaded = match refusal {
        Some(e) => send::load_refused(&tx, sh.target, &c.pending, e, &mut refused).await?,
        None => send::load(&tx, sh.target, &c.pending, &mut refused).await?,
    };
    commit(tx, sh, start, c, loaded, refused).await
}

/// Record the batch's control row (with `--resume`) and commit it.
async fn commit(
    tx: Transaction<'_>,
    sh: &Shared<'_>,
    start: u64,
    c: &Chunk,
    loaded: u64,
    rejects: Vec<Reject>,
) -> Result<Done, ImportError> {
    if let Some(r) = sh.resume {
        let row = BatchRow {
            start,
            end: c.end,
            end_line: c.end_line,
            read: c.read,
            loaded,
            rejects: &rejects,
        };
        r.record(&tx, &row).await?;
    }
    tx.commit().await.map_err(query("committing a batch"))?;
    Ok(Done {
        read: c.read,
        loaded,
        rejects,
    })
}

/// The common case, without savepoints (two round trips less per batch,
/// during which the server would idle): the whole batch in one COPY, and
/// with `--resume` its control row, in one transaction. Not autocommit: a
/// commit-time failure after COPY's `COPY n` would be lost. `Err(Some(
/// refusal))` when the server refused rows: nothing of the batch stayed,
/// and the caller loads it again isolating them; `Err(None)`: an empty
/// batch, for the caller.
async fn try_whole(
    client: &mut Client,
    sh: &Shared<'_>,
    start: u64,
    c: &Chunk,
) -> Result<Result<Done, Option<LoadError>>, ImportError> {
    let batch = &c.pending.batch;
    if batch.is_empty() {
        return Ok(Err(None));
    }
    let tx = begin(client).await?;
    let loaded = match load_batch(&tx, sh.target, batch).await {
        Ok(n) => n,
        Err(e) if send::row_level(&e) => {
            tx.rollback().await.map_err(query("rolling a batch back"))?;
            return Ok(Err(Some(e)));
        }
        Err(e) => return Err(ImportError::Load(e)),
    };
    let done = commit(tx, sh, start, c, loaded, c.rejects.clone()).await?;
    Ok(Ok(done))
}

/// A batch's transaction. Deferred constraints are checked at the end of
/// each COPY instead of at COMMIT, where a violation could not be pinned
/// on a row (the batch commits right after its COPY anyway, so no
/// deferral is lost).
async fn begin(client: &mut Client) -> Result<Transaction<'_>, ImportError> {
    let tx = client
        .transaction()
        .await
        .map_err(query("starting a batch transaction"))?;
    tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")
        .await
        .map_err(query("starting a batch transaction"))?;
    Ok(tx)
}
