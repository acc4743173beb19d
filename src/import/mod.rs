//! `strata import`: a CSV file into a table, every row validated against
//! the live table before it is sent, nothing lost.
//!
//! * [`reader`]: streaming records with their line and original bytes.
//! * [`mapping`]: header → table columns.
//! * [`coerce`]: field text → typed [`Value`](crate::copy::Value); the
//!   COPY encoder then checks ranges, typmods, labels (`copy::Batch::push_row`).
//! * [`send`]: batches to the server, rows it refuses isolated.
//! * [`rejects`]: the rejects file and its `.errors.csv` sidecar.
//!
//! Every data record is either loaded or rejected: `read = loaded +
//! rejected` (unless the import stops early: `--max-rejects`, an error).

pub mod coerce;
pub mod mapping;
pub mod reader;
pub mod rejects;
pub mod send;

use std::io::Read;
use std::path::PathBuf;

use tokio_postgres::Client;

use crate::copy::{table_info, CopyError, CopyTarget, LoadError, TableInfo, Value};
use crate::model::QualifiedName;
use mapping::Mapping;
use reader::{Dialect, Record, Records};
use rejects::{Reject, Rejects};
use send::{Conn, Pending};

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
    let target = CopyTarget::new(&table, &names)?;
    let mut conn = if o.single_transaction || o.dry_run {
        let tx = client.transaction().await.map_err(|e| ImportError::Query {
            context: "starting the import transaction".into(),
            source: e,
        })?;
        Conn::Tx(tx)
    } else {
        Conn::Auto(client)
    };
    let mut run = Run {
        target: &target,
        mapping: &mapping,
        o,
        summary: Summary::default(),
        pending: new_pending(&target),
        queued: Vec::new(),
    };
    let result = run.all(&mut records, &mut conn, &mut rejects).await;
    // Rejects found since the last batch (an early stop) are kept too.
    rejects.write(std::mem::take(&mut run.queued))?;
    rejects.finish()?;
    let mut summary = run.summary;
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

fn read_err(e: std::io::Error) -> ImportError {
    ImportError::Io {
        context: "reading the input".into(),
        source: e,
    }
}

fn new_pending(target: &CopyTarget) -> Pending {
    Pending {
        batch: target.batch(),
        origin: Vec::new(),
    }
}

/// The state of one import.
struct Run<'a> {
    target: &'a CopyTarget,
    mapping: &'a Mapping,
    o: &'a ImportOptions,
    summary: Summary,
    pending: Pending,
    /// Rejects of records since the last flush, written with the batch's
    /// own so the rejects file stays in input order.
    queued: Vec<Reject>,
}

impl Run<'_> {
    async fn all(
        &mut self,
        records: &mut Records,
        conn: &mut Conn<'_>,
        rejects: &mut Rejects,
    ) -> Result<(), ImportError> {
        while let Some(rec) = records.next_record().map_err(read_err)? {
            let index = self.summary.read;
            self.summary.read += 1;
            if let Err((column, reason)) = self.push(&rec, index) {
                self.queued.push(Reject {
                    index,
                    line: rec.line,
                    column,
                    reason,
                    raw: rec.raw,
                });
                self.summary.rejected += 1;
                self.check_max()?;
            }
            if self.pending.batch.rows() >= self.o.batch_rows.max(1) {
                self.flush(conn, rejects).await?;
            }
        }
        self.flush(conn, rejects).await
    }

    fn check_max(&self) -> Result<(), ImportError> {
        match self.o.max_rejects {
            Some(max) if self.summary.rejected > max => Err(too_many(self.o, &self.summary, false)),
            _ => Ok(()),
        }
    }

    /// Validate and encode one record into the pending batch.
    fn push(&mut self, rec: &Record, index: u64) -> Result<(), (Option<String>, String)> {
        if rec.unterminated_quote {
            return Err((
                None,
                "unterminated quoted field (it runs to the end of the input)".into(),
            ));
        }
        if rec.fields.len() != self.mapping.width {
            return Err((
                None,
                format!(
                    "{} field(s), expected {}",
                    rec.fields.len(),
                    self.mapping.width
                ),
            ));
        }
        let mut row = Vec::with_capacity(self.mapping.fields.len());
        for (col, &f) in self.target.columns.iter().zip(&self.mapping.fields) {
            let at = |why: String| (Some(col.name.clone()), why);
            let text = coerce::utf8(&rec.fields[f]).map_err(at)?;
            let v = if coerce::is_null(text) {
                Value::Null
            } else {
                coerce::value(text, &col.kind).map_err(at)?
            };
            if v.is_null() && col.not_null {
                return Err(at("empty value (NULL) in a NOT NULL column".into()));
            }
            row.push(v);
        }
        match self.pending.batch.push_row(self.target, &row) {
            Ok(()) => {
                self.pending.origin.push((index, rec.line, rec.raw.clone()));
                Ok(())
            }
            Err(crate::copy::EncodeError::Value { column, reason }) => Err((Some(column), reason)),
            Err(e) => Err((None, e.to_string())),
        }
    }

    async fn flush(
        &mut self,
        conn: &mut Conn<'_>,
        rejects: &mut Rejects,
    ) -> Result<(), ImportError> {
        let p = std::mem::replace(&mut self.pending, new_pending(self.target));
        let mut refused = std::mem::take(&mut self.queued);
        let before = refused.len();
        let loaded = send::load(conn, self.target, p, &mut refused).await;
        self.summary.rejected += (refused.len() - before) as u64;
        rejects.write(refused)?;
        self.summary.loaded += loaded?;
        self.check_max()
    }
}
