//! `strata import`: a CSV file into a table, every row validated against
//! the live table before it is sent, nothing lost.
//!
//! * [`reader`]: streaming records with their line and original bytes.
//! * [`mapping`]: header → table columns.
//! * [`coerce`]: field text → typed [`Value`](crate::copy::Value); the
//!   COPY encoder then checks ranges, typmods, labels (`copy::Batch::push_row`).
//! * [`validate`]: records → encoded batches, on a blocking thread while
//!   the previous batch is on the wire.
//! * [`send`]: batches to the server, rows it refuses isolated.
//! * [`rejects`]: the rejects file and its `.errors.csv` sidecar.
//!
//! Every data record is either loaded or rejected: `read = loaded +
//! rejected` (unless the import stops early: `--max-rejects`, an error).

pub mod coerce;
pub mod iso;
pub mod mapping;
pub mod reader;
pub mod rejects;
pub mod send;
pub mod validate;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;

use tokio_postgres::Client;

use crate::copy::{table_info, CopyError, CopyTarget, LoadError, TableInfo};
use crate::model::QualifiedName;
use mapping::Mapping;
use reader::{Dialect, Records};
use rejects::Rejects;
use send::Conn;
use validate::{Chunk, Validator};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Mapping(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Copy(#[from] CopyError),
    #[error(transparent)]
    Load(LoadError),
    #[error("{context}: {}", crate::db::describe(.source))]
    Query {
        context: String,
        source: tokio_postgres::Error,
    },
    #[error("stopped: {rejected} rows rejected, more than --max-rejects {max} (read {read}, loaded {loaded}{}); rejects so far in {}", if *.rolled_back { ", rolled back" } else { "" }, .rejects.display())]
    TooManyRejects {
        max: u64,
        read: u64,
        loaded: u64,
        rejected: u64,
        rolled_back: bool,
        rejects: PathBuf,
    },
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub table: QualifiedName,
    /// `csv_col=table_col` renames; `csv_col=-` skips.
    pub renames: Vec<(String, String)>,
    pub rejects: PathBuf,
    pub batch_rows: usize,
    pub max_rejects: Option<u64>,
    /// Validate and load in a transaction that is rolled back: the server's
    /// own checks (unique, foreign keys) run too, nothing stays.
    pub dry_run: bool,
    pub single_transaction: bool,
    pub header: bool,
    pub dialect: Dialect,
}

/// What happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Data records read (the header excluded).
    pub read: u64,
    /// Rows loaded (in a dry run: rows that would have been).
    pub loaded: u64,
    pub rejected: u64,
    /// Where the rejects went (when there were any).
    pub rejects: Option<PathBuf>,
}

/// Import `input` into `o.table` through `client`.
pub async fn import(
    client: &mut Client,
    input: Box<dyn Read + Send>,
    o: &ImportOptions,
) -> Result<Summary, ImportError> {
    let table = table_info(client, &o.table).await?;
    let mut records = Records::new(input, o.dialect);
    let mut rejects = Rejects::new(o.rejects.clone(), None);
    let Some(mapping) = read_mapping(&mut records, &table, o, &mut rejects)? else {
        return Ok(Summary::default()); // empty input
    };
    let names: Vec<&str> = mapping.columns.iter().map(String::as_str).collect();
    let target = Arc::new(CopyTarget::new(&table, &names)?);
    let mut conn = if o.single_transaction || o.dry_run {
        let tx = client.transaction().await.map_err(|e| ImportError::Query {
            context: "starting the import transaction".into(),
            source: e,
        })?;
        Conn::Tx(tx)
    } else {
        Conn::Auto(client)
    };
    // Two chunks queued: parsing runs ahead of COPY by at most that.
    let (tx, mut rx) = mpsc::channel(2);
    let validator = Validator {
        target: Arc::clone(&target),
        mapping,
        batch_rows: o.batch_rows.max(1),
        read: 0,
    };
    let producer = tokio::task::spawn_blocking(move || validator.run(records, tx));
    let mut summary = Summary::default();
    let result = load_all(&mut rx, &mut conn, &target, &mut rejects, &mut summary, o).await;
    drop(rx); // stops the producer if we stopped early
    let _ = producer.await;
    rejects.finish()?;
    match conn {
        // Dropping the transaction (dry run, or an error) rolls it back.
        Conn::Tx(_) if result.is_err() || o.dry_run => {
            if let Err(ImportError::TooManyRejects { .. }) = result {
                return Err(too_many(o, &summary, true));
            }
            result?
        }
        Conn::Tx(tx) => tx.commit().await.map_err(|e| ImportError::Query {
            context: "committing the import".into(),
            source: e,
        })?,
        Conn::Auto(_) => result?,
    }
    summary.rejects = (summary.rejected > 0).then(|| o.rejects.clone());
    Ok(summary)
}

/// Load chunks as they come, writing their rejects in input order.
async fn load_all(
    rx: &mut mpsc::Receiver<Result<Chunk, ImportError>>,
    conn: &mut Conn<'_>,
    target: &CopyTarget,
    rejects: &mut Rejects,
    summary: &mut Summary,
    o: &ImportOptions,
) -> Result<(), ImportError> {
    while let Some(chunk) = rx.recv().await {
        let chunk = chunk?;
        summary.read += chunk.read;
        let mut refused = chunk.rejects;
        let loaded = send::load(conn, target, chunk.pending, &mut refused).await;
        summary.rejected += refused.len() as u64;
        rejects.write(refused)?;
        summary.loaded += loaded?;
        if let Some(max) = o.max_rejects {
            if summary.rejected > max {
                return Err(too_many(o, summary, false));
            }
        }
    }
    Ok(())
}

fn too_many(o: &ImportOptions, s: &Summary, rolled_back: bool) -> ImportError {
    ImportError::TooManyRejects {
        max: o.max_rejects.unwrap_or(0),
        read: s.read,
        loaded: if rolled_back { 0 } else { s.loaded },
        rejected: s.rejected,
        rolled_back,
        rejects: o.rejects.clone(),
    }
}

/// The mapping, from the header record (whose bytes head the rejects
/// file) or by position; `None` for an empty input.
fn read_mapping(
    records: &mut Records,
    table: &TableInfo,
    o: &ImportOptions,
    rejects: &mut Rejects,
) -> Result<Option<Mapping>, ImportError> {
    if !o.header {
        if !o.renames.is_empty() {
            return Err(ImportError::Mapping(
                "--map needs a header (it renames header names); drop --no-header".into(),
            ));
        }
        return Ok(Some(mapping::by_position(table)));
    }
    let Some(header) = records.next_record().map_err(read_err)? else {
        return Ok(None);
    };
    let mut names = Vec::with_capacity(header.fields.len());
    for (i, f) in header.fields.iter().enumerate() {
        let name = coerce::utf8(f)
            .map_err(|why| ImportError::Mapping(format!("header column {}: {why}", i + 1)))?;
        // A UTF-8 byte-order mark sticks to the first name.
        names.push(name.trim_start_matches('\u{feff}').trim().to_string());
    }
    rejects.set_header(header.raw);
    mapping::from_header(&names, table, &o.renames).map(Some)
}

pub(crate) fn read_err(e: std::io::Error) -> ImportError {
    ImportError::Io {
        context: "reading the input".into(),
        source: e,
    }
}
