//! An import inside someone else's transaction: a seed profile table that
//! loads from CSV (`tables: {t: {import: {file: …}}}`). Records are read,
//! ruled and validated as by `strata import`; rows that fail are written
//! to the rejects file and counted, not fatal. The valid rows go through
//! ONE COPY on the caller's connection, inside its transaction, so a row
//! the server refuses (a duplicate key, a foreign key) aborts the COPY and
//! with it the caller's transaction: a seed stays all-or-nothing.

use std::io::Read;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_postgres::Client;

use super::reader::Records;
use super::rejects::Rejects;
use super::validate::{Chunk, Validator};
use super::{read_mapping, ImportError, ImportOptions, Summary};
use crate::copy::{load_stream, table_info, CopyError, CopyTarget, Feed};

/// Load `input` into `o.table` through `client`, which is in a
/// transaction the caller commits or rolls back.
pub async fn import_in_transaction(
    client: &Client,
    input: Box<dyn Read + Send>,
    o: &ImportOptions,
) -> Result<Summary, ImportError> {
    let table = table_info(client, &o.table).await?;
    let mut records = Records::new(input, o.dialect);
    let mut rejects = Rejects::new(o.rejects.clone(), None);
    let Some(mapping) = read_mapping(&mut records, &table, o, &mut rejects)? else {
        return Ok(Summary::default());
    };
    let names: Vec<&str> = mapping.columns.iter().map(String::as_str).collect();
    let target = Arc::new(CopyTarget::new(&table, &names)?);
    let (chunks_tx, mut chunks) = mpsc::channel(2);
    let validator = Validator {
        target: Arc::clone(&target),
        mapping,
        batch_rows: o.batch_rows.max(1),
        read: 0,
        nulls: o.spec.nulls.clone(),
        encoding: o.dialect.encoding,
    };
    let producer = tokio::task::spawn_blocking(move || validator.run(records, chunks_tx));
    let (feed_tx, feed) = mpsc::channel(2);
    let mut summary = Summary::default();
    // Chunks → COPY batches (and rejects), while the COPY runs.
    let relay = async {
        let result = relay(&mut chunks, &feed_tx, &mut rejects, &mut summary).await;
        let last = match &result {
            Ok(()) => Feed::End,
            Err(e) => Feed::Abort(CopyError::Encoder(e.to_string())),
        };
        let _ = feed_tx.send(last).await;
        result
    };
    let (relayed, loaded) = tokio::join!(relay, load_stream(client, &target, feed));
    drop(chunks);
    let _ = producer.await;
    relayed?;
    let loaded = loaded?;
    rejects.finish()?;
    summary.loaded = loaded;
    summary.rejects = (summary.rejected > 0).then(|| o.rejects.clone());
    Ok(summary)
}

async fn relay(
    chunks: &mut mpsc::Receiver<Result<Chunk, ImportError>>,
    feed: &mpsc::Sender<Feed>,
    rejects: &mut Rejects,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    while let Some(chunk) = chunks.recv().await {
        let chunk = chunk?;
        summary.read += chunk.read;
        summary.rejected += chunk.rejects.len() as u64;
        rejects.write(chunk.rejects)?;
        if feed.send(Feed::Batch(chunk.pending.batch)).await.is_err() {
            break; // the COPY failed: its error is the one reported
        }
    }
    Ok(())
}
