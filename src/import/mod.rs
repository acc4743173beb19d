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
//! * [`load`]: batches dealt to `--jobs` connections, each batch one
//!   transaction; results put back in input order.
//! * [`rejects`]: the rejects file and its `.errors.csv` sidecar.
//! * [`resume`]: `--resume`'s control rows, committed with each batch.
//! * [`input`], [`progress`]: where the bytes come from, how far along.
//!
//! Every data record is either loaded or rejected: `read = loaded +
//! rejected` (unless the import stops early: `--max-rejects`, an error).

pub mod coerce;
pub mod inline;
pub mod input;
pub mod iso;
pub(crate) mod json_schema;
pub mod load;
pub mod mapping;
pub mod origins;
pub mod progress;
pub mod reader;
pub mod rejects;
pub mod resume;
pub mod rules;
pub mod send;
pub mod sequences;
pub mod spec;
pub mod validate;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;

use tokio_postgres::Client;

use crate::copy::{table_info, CopyError, CopyTarget, LoadError, TableInfo};
use crate::model::QualifiedName;
use input::Input;
use mapping::{Mapping, SpecColumns};
use progress::Progress;
use reader::{Dialect, Records};
use rejects::Rejects;
use resume::{Identity, Resume};
use validate::{Chunk, Validator};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Mapping(String),
    /// The import spec does not fit the table (or the CSV header).
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"))]
    Spec(Vec<crate::spec::SpecIssue>),
    /// `--resume` with an input other than the one the import started with.
    #[error("{0}")]
    Resume(String),
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
    /// A record longer than this (bytes) is rejected without being kept
    /// in memory ([`reader::Oversized`]).
    pub max_record_bytes: usize,
    /// Per-column rules, `skip:` and null markers of an import spec.
    pub spec: SpecColumns,
    /// Connections loading batches concurrently (1 when the table or the
    /// mode does not allow more, or without `database`).
    pub jobs: usize,
    /// Where the extra `jobs` connections go.
    pub database: Option<crate::db::Target>,
    /// `--resume ID`: batches recorded in the control table, a re-run
    /// continues after them.
    pub resume: Option<String>,
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
    /// `--resume` of an import that had finished: nothing was loaded,
    /// the counts are the stored ones.
    pub already_complete: bool,
    /// Sequences of loaded columns moved past the imported values.
    pub sequences: Vec<sequences::Advanced>,
}

/// Import `input` into `o.table` through `client` (and `o.jobs - 1`
/// more connections to `o.database`).
pub async fn import(
    client: &mut Client,
    input: impl Into<Input>,
    o: &ImportOptions,
) -> Result<Summary, ImportError> {
    let mut input = input.into();
    // Before anything is read or committed: an unusable rejects path
    // stops the import here.
    let mut rejects = Rejects::create(o.rejects.clone(), input.file)?;
    let table = table_info(client, &o.table).await?;
    if !(o.single_transaction || o.dry_run) {
        crate::copy::rls::refuse_outside_transaction(&*client, &o.table).await?;
    }
    let mut resume = match &o.resume {
        Some(id) => {
            let identity = Identity::of(&o.table, &mut input).map_err(read_err)?;
            Some(Resume::open(client, id, identity).await?)
        }
        None => None,
    };
    let reader = std::mem::replace(&mut input.reader, Box::new(std::io::empty()));
    let mut records = Records::new(reader, o.dialect).max_record(o.max_record_bytes);
    let Some(mapping) = read_mapping(&mut records, &table, o, &mut rejects)? else {
        return Ok(Summary::default()); // empty input
    };
    let mut summary = Summary::default();
    let mut start = records.offset();
    if let Some((_, stored)) = &mut resume {
        summary.read = stored.read;
        summary.loaded = stored.loaded;
        summary.rejected = stored.rejected;
        // The rejects file is rebuilt from what committed, whatever an
        // interrupted run left in it.
        rejects.resume(std::mem::take(&mut stored.rejects));
        if stored.done {
            rejects.finish()?;
            summary.already_complete = true;
            summary.rejects = (summary.rejected > 0).then(|| o.rejects.clone());
            return Ok(summary);
        }
        start = skip_committed(&mut records, &input, stored, start, o)?;
    }
    let columns = mapping.columns.clone();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let target = Arc::new(CopyTarget::new(&table, &names)?);
    let jobs = load::jobs(client, o).await?;
    let mut extra = load::connect(o, jobs - 1).await?;
    let mut progress = Progress::new(input.size, Arc::clone(&input.consumed));
    // Two chunks queued: parsing runs ahead of COPY by at most that.
    let (tx, rx) = mpsc::channel(2);
    let validator = Validator::new(Arc::clone(&target), mapping, o);
    let producer = tokio::task::spawn_blocking(move || validator.run(records, tx));
    let mut out = load::Out {
        rejects: &mut rejects,
        summary: &mut summary,
        progress: &mut progress,
        o,
    };
    let result = if o.single_transaction || o.dry_run {
        load::one_transaction(client, rx, &target, &mut out)
            .await
            .map(|_| start)
    } else {
        let resume = resume.as_ref().map(|(r, _)| r);
        let clients = std::iter::once(&mut *client)
            .chain(extra.iter_mut())
            .collect();
        load::batches(clients, rx, &target, resume, start, &mut out).await
    };
    let _ = producer.await; // the receiver is gone: it has stopped
    let flushed = rejects.finish();
    // On an error the report is dropped unfinished: no closing line.
    let end = result?;
    flushed?;
    progress.finish();
    if let Some((r, _)) = &resume {
        r.finish(client, end).await?;
    }
    if !o.dry_run {
        summary.sequences = sequences::catch_up(client, &o.table, &columns).await?;
    }
    summary.rejects = (summary.rejected > 0).then(|| o.rejects.clone());
    Ok(summary)
}

/// Make `records` pass over what earlier runs committed: reopen a plain
/// file after the gap-free committed prefix (no re-parse), skip the
/// records of later committed ranges. Returns where the next batch starts.
fn skip_committed(
    records: &mut Records,
    input: &Input,
    stored: &resume::Stored,
    data_start: u64,
    o: &ImportOptions,
) -> Result<u64, ImportError> {
    let mut start = data_start;
    if let Some((at, line)) = stored.prefix(data_start) {
        if let Some(from) = input.reopen_at(at).map_err(read_err)? {
            *records =
                Records::starting_at(from, o.dialect, at, line).max_record(o.max_record_bytes);
            start = at;
        }
    }
    records.skip(stored.merged());
    Ok(start)
}

pub(crate) fn too_many(o: &ImportOptions, s: &Summary, rolled_back: bool) -> ImportError {
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
        return mapping::plan(None, table, &o.renames, &o.spec).map(Some);
    }
    let Some(header) = records.next_record().map_err(read_err)? else {
        return Ok(None);
    };
    if let Some(o) = header.oversized {
        return Err(ImportError::Mapping(format!("the header: {}", o.reason())));
    }
    let mut names = Vec::with_capacity(header.fields.len());
    for (i, f) in header.fields.iter().enumerate() {
        let name = coerce::decode(f, o.dialect.encoding)
            .map_err(|why| ImportError::Mapping(format!("header column {}: {why}", i + 1)))?;
        // A UTF-8 byte-order mark sticks to the first name.
        names.push(name.trim_start_matches('\u{feff}').trim().to_string());
    }
    rejects.set_header(header.raw)?;
    mapping::plan(Some(&names), table, &o.renames, &o.spec).map(Some)
}

pub(crate) fn read_err(e: std::io::Error) -> ImportError {
    ImportError::Io {
        context: "reading the input".into(),
        source: e,
    }
}
