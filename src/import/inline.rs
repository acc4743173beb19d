//! An import inside someone else's transaction: a seed profile table that
//! loads from CSV (`tables: {t: {import: {file: …}}}`). Records are read,
//! ruled and validated as by `strata import`; rows that fail are written
//! to the rejects file and counted, not fatal. The valid rows go in
//! batches on the caller's connection, inside its transaction, each COPY
//! in a savepoint: a row the server refuses (a duplicate key, a foreign
//! key) is isolated and rejected like in `strata import`, the rest of the
//! batch loads, and the seed stays one transaction.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_postgres::Client;

use super::input::Input;
use super::reader::Records;
use super::rejects::Rejects;
use super::validate::{Chunk, Validator};
use super::{read_mapping, ImportError, ImportOptions, Summary};
use super::{send, sequences};
use crate::copy::{table_info, CopyTarget};

/// Load `input` into `o.table` through `client`, which is in a
/// transaction the caller commits or rolls back; records read are
/// counted on `progress` (the caller's).
pub async fn import_in_transaction(
    client: &Client,
    input: Input,
    o: &ImportOptions,
    progress: &crate::progress::Task,
) -> Result<Summary, ImportError> {
    let mut rejects = Rejects::create(o.rejects.clone(), input.file)?;
    let table = table_info(client, &o.table).await?;
    let mut records = Records::new(input.reader, o.dialect).max_record(o.max_record_bytes);
    let Some(mapping) = read_mapping(&mut records, &table, o, &mut rejects)? else {
        return Ok(Summary::default());
    };
    let columns = mapping.columns.clone();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let target = Arc::new(CopyTarget::new(&table, &names)?);
    let (chunks_tx, mut chunks) = mpsc::channel(2);
    let validator = Validator::new(Arc::clone(&target), mapping, o);
    let producer = tokio::task::spawn_blocking(move || validator.run(records, chunks_tx));
    let mut summary = Summary::default();
    let out = Out {
        rejects: &mut rejects,
        summary: &mut summary,
        progress,
    };
    let result = load_chunks(client, &target, &mut chunks, out).await;
    drop(chunks); // stops the producer if we stopped early
    let _ = producer.await;
    rejects.finish()?;
    result?;
    summary.sequences = sequences::catch_up(client, &o.table, &columns).await?;
    summary.rejects = (summary.rejected > 0).then(|| o.rejects.clone());
    Ok(summary)
}

/// Each chunk's batch through [`send::load`] (refused rows isolated in
/// savepoints), its rejects written in input order.
async fn load_chunks(
    client: &Client,
    target: &CopyTarget,
    chunks: &mut mpsc::Receiver<Result<Chunk, ImportError>>,
    out: Out<'_>,
) -> Result<(), ImportError> {
    while let Some(chunk) = chunks.recv().await {
        let chunk = chunk?;
        out.summary.read += chunk.read;
        let mut refused = chunk.rejects;
        let loaded = send::load(client, target, &chunk.pending, &mut refused).await;
        out.summary.rejected += refused.len() as u64;
        out.rejects.write(refused)?;
        out.summary.loaded += loaded?;
        out.progress.inc(chunk.read);
    }
    Ok(())
}

/// Where a loaded chunk's counts go.
struct Out<'a> {
    rejects: &'a mut Rejects,
    summary: &'a mut Summary,
    progress: &'a crate::progress::Task,
}
