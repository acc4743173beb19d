//! Sending encoded batches to the server with `COPY … FROM STDIN`.
//!
//! * [`load_batch`]: one batch, one COPY. A failed COPY loads nothing, so
//!   the caller can retry parts of the batch ([`Batch::split_at`],
//!   [`Batch::without_row`] with the row the error names).
//! * [`load_stream`]: batches from a bounded channel into one COPY (all or
//!   nothing, committed on [`Feed::End`]), so producers can encode the next batch while this one is on
//!   the wire and memory stays at a few batches.
//! * [`load_rows`]: an iterator of rows, encoded on a blocking thread and
//!   fed to [`load_stream`].

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::SinkExt;
use tokio::sync::mpsc;
use tokio_postgres::{Client, CopyInSink, Transaction};

use super::binary::{HEADER, TRAILER};
use super::{Batch, CopyError, CopyTarget, Format, Value};

/// Messages of at most this size go to the server; a batch is cut into
/// pieces so no single CopyData message is huge.
const CHUNK: usize = 256 * 1024;

/// A connection COPY can run on: a [`Client`] or an open [`Transaction`]
/// (import commits each batch with its resume row in one transaction).
pub trait CopyClient: Sync {
    fn copy_in_sink(
        &self,
        statement: &str,
    ) -> impl Future<Output = Result<CopyInSink<Bytes>, tokio_postgres::Error>> + Send;
}

impl CopyClient for Client {
    fn copy_in_sink(
        &self,
        statement: &str,
    ) -> impl Future<Output = Result<CopyInSink<Bytes>, tokio_postgres::Error>> + Send {
        self.copy_in(statement)
    }
}

impl CopyClient for Transaction<'_> {
    fn copy_in_sink(
        &self,
        statement: &str,
    ) -> impl Future<Output = Result<CopyInSink<Bytes>, tokio_postgres::Error>> + Send {
        self.copy_in(statement)
    }
}

/// The server refused a COPY. Nothing of that COPY was loaded.
#[derive(Debug, thiserror::Error)]
#[error("COPY into {table} failed{}: {}", location(.batch, .row), crate::db::describe(.source))]
pub struct LoadError {
    pub table: String,
    /// Index of the batch (0 for [`load_batch`]; the stream position for
    /// [`load_stream`]) the failing row is in, when the server said.
    pub batch: Option<usize>,
    /// 0-based row within that batch, from the server's `COPY …, line N`
    /// context. Errors raised at the end of the statement (deferred
    /// foreign-key checks) have none: split the batch to find the row.
    pub row: Option<usize>,
    pub source: tokio_postgres::Error,
}

impl LoadError {
    /// The SQLSTATE, e.g. `23505` for a unique violation.
    pub fn code(&self) -> Option<&str> {
        self.source.code().map(|c| c.code())
    }
}

fn location(batch: &Option<usize>, row: &Option<usize>) -> String {
    match (batch, row) {
        (Some(b), Some(r)) => format!(" at row {} of batch {}", r + 1, b + 1),
        _ => String::new(),
    }
}

/// The 1-based row number in the server's `COPY t, line N[, column c]`.
fn server_line(e: &tokio_postgres::Error) -> Option<usize> {
    let context = e.as_db_error()?.where_()?;
    let at = context.find(", line ")? + ", line ".len();
    let digits: String = context[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Map a failed COPY's line number to (batch, row) given each batch's
/// row count.
fn load_error(target: &CopyTarget, source: tokio_postgres::Error, sizes: &[usize]) -> LoadError {
    let mut found = (None, None);
    if let Some(line) = server_line(&source) {
        let mut row = line.saturating_sub(1);
        for (i, &n) in sizes.iter().enumerate() {
            if row < n {
                found = (Some(i), Some(row));
                break;
            }
            row -= n;
        }
    }
    LoadError {
        table: target.table.to_string(),
        batch: found.0,
        row: found.1,
        source,
    }
}

/// Load one batch as one COPY; returns the rows loaded.
pub async fn load_batch<C: CopyClient>(
    client: &C,
    target: &CopyTarget,
    batch: &Batch,
) -> Result<u64, LoadError> {
    let fail = |e| load_error(target, e, &[batch.rows()]);
    let sink = client
        .copy_in_sink(&target.statement())
        .await
        .map_err(fail)?;
    futures_util::pin_mut!(sink);
    if target.format == Format::Binary {
        sink.feed(Bytes::from_static(HEADER)).await.map_err(fail)?;
    }
    for chunk in batch.encoded().chunks(CHUNK) {
        sink.feed(Bytes::copy_from_slice(chunk))
            .await
            .map_err(fail)?;
    }
    if target.format == Format::Binary {
        sink.feed(Bytes::from_static(TRAILER)).await.map_err(fail)?;
    }
    sink.finish().await.map_err(fail)
}

/// What a producer sends to [`load_stream`].
#[derive(Debug)]
pub enum Feed {
    Batch(Batch),
    /// All batches were sent: commit the COPY.
    End,
    /// Stop: abort the COPY (nothing is loaded) and return this error.
    Abort(CopyError),
}

/// Load every batch received as one COPY, committed only on
/// [`Feed::End`]; returns the rows loaded. A channel that closes without
/// `End` (a producer that panicked or returned early) aborts the COPY, so
/// a partial table is never committed.
pub async fn load_stream<C: CopyClient>(
    client: &C,
    target: &CopyTarget,
    mut batches: mpsc::Receiver<Feed>,
) -> Result<u64, CopyError> {
    let mut sizes = Vec::new();
    let sink = client
        .copy_in_sink(&target.statement())
        .await
        .map_err(|e| load_error(target, e, &sizes))?;
    futures_util::pin_mut!(sink);
    if target.format == Format::Binary {
        let header = Bytes::from_static(HEADER);
        let sent = sink.as_mut().feed(header).await;
        sent.map_err(|e| load_error(target, e, &sizes))?;
    }
    loop {
        // Returning drops the sink unfinished: the COPY is aborted.
        let batch = match batches.recv().await {
            Some(Feed::Batch(b)) => b,
            Some(Feed::End) => break,
            Some(Feed::Abort(e)) => return Err(e),
            None => {
                return Err(CopyError::Encoder(
                    "the producer stopped before the end of the rows".into(),
                ))
            }
        };
        sizes.push(batch.rows());
        let data = Bytes::from(batch.into_data());
        for at in (0..data.len()).step_by(CHUNK) {
            let piece = data.slice(at..(at + CHUNK).min(data.len()));
            let sent = sink.as_mut().feed(piece).await;
            sent.map_err(|e| load_error(target, e, &sizes))?;
        }
    }
    if target.format == Format::Binary {
        let sent = sink.as_mut().feed(Bytes::from_static(TRAILER)).await;
        sent.map_err(|e| load_error(target, e, &sizes))?;
    }
    let loaded = sink.finish().await;
    Ok(loaded.map_err(|e| load_error(target, e, &sizes))?)
}

/// Batches are cut at `batch_rows` rows or this many bytes, whichever
/// comes first, so wide rows do not grow a batch without bound.
const MAX_BATCH_BYTES: usize = 8 << 20;

/// Encode `rows` on a blocking thread, `batch_rows` at a time, while the
/// previous batch is being sent, all as one COPY. Memory holds at most
/// about four batches (one being encoded, two queued, one being sent). A
/// row that does not encode aborts the COPY with its 0-based index.
pub async fn load_rows<C, I>(
    client: &C,
    target: Arc<CopyTarget>,
    rows: I,
    batch_rows: usize,
) -> Result<u64, CopyError>
where
    C: CopyClient,
    I: IntoIterator<Item = Vec<Value>> + Send + 'static,
    I::IntoIter: Send,
{
    let (tx, rx) = mpsc::channel(2);
    let encoder_target = Arc::clone(&target);
    let encoder =
        tokio::task::spawn_blocking(move || encode_all(&encoder_target, rows, batch_rows, tx));
    let loaded = load_stream(client, &target, rx).await;
    // The encoder ends once the channel closes (sent all, or we stopped).
    let _ = encoder.await;
    loaded
}

fn encode_all<I: IntoIterator<Item = Vec<Value>>>(
    target: &CopyTarget,
    rows: I,
    batch_rows: usize,
    tx: mpsc::Sender<Feed>,
) {
    let batch_rows = batch_rows.max(1);
    let mut batch = target.batch();
    for (i, row) in rows.into_iter().enumerate() {
        if let Err(source) = batch.push_row(target, &row) {
            let _ = tx.blocking_send(Feed::Abort(CopyError::Row {
                row: i as u64,
                source,
            }));
            return;
        }
        if batch.rows() >= batch_rows || batch.bytes() >= MAX_BATCH_BYTES {
            let next = Batch::with_capacity(target.format, batch.bytes() + batch.bytes() / 8);
            let full = std::mem::replace(&mut batch, next);
            if tx.blocking_send(Feed::Batch(full)).is_err() {
                return; // the loader stopped (server error)
            }
        }
    }
    if !batch.is_empty() && tx.blocking_send(Feed::Batch(batch)).is_err() {
        return;
    }
    let _ = tx.blocking_send(Feed::End);
}
