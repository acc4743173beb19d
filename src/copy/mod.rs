//! Batched COPY into PostgreSQL, shared by `seed` (generated rows) and
//! `import` (validated CSV rows).
//!
//! * [`table_info`] reads the target table's columns from the catalog once.
//! * [`CopyTarget`] picks the columns to load and the format: binary when
//!   every column has a binary encoder here, text otherwise.
//! * [`Batch::push_row`] checks and encodes one row of [`Value`]s,
//!   all-or-nothing: a row that fails (an `int2` overflow, a NUL byte, a
//!   `varchar(n)` overflow, an unknown enum label) leaves the batch as it
//!   was, with a typed [`EncodeError`] naming the column and why. Import
//!   rejects such rows before anything is sent.
//! * [`load_batch`] sends one batch as one `COPY` (import: retry halves of
//!   a batch the server refused); [`load_stream`] sends a stream of batches
//!   as one `COPY` (seed); [`load_rows`] encodes rows on a blocking thread
//!   while the previous batch is on the wire.
//!
//! Several connections load independent tables concurrently by calling
//! these once per connection; nothing here is shared between them.
//!
//! Import, one COPY per batch, bad rows rejected before sending and a
//! batch the server refuses split around the row it names:
//!
//! ```no_run
//! # async fn import(client: &tokio_postgres::Client, rows: Vec<Vec<strata::copy::Value>>)
//! #     -> Result<(), strata::copy::CopyError> {
//! use strata::copy::{load_batch, table_info, CopyTarget};
//! use strata::model::QualifiedName;
//!
//! let info = table_info(client, &QualifiedName::new("public", "molecules")).await?;
//! let target = CopyTarget::new(&info, &["name", "smiles", "molecular_weight"])?;
//! let mut batch = target.batch();
//! for row in &rows {
//!     if let Err(why) = batch.push_row(&target, row) {
//!         eprintln!("rejected: {why}"); // the batch is unchanged
//!     }
//! }
//! match load_batch(client, &target, &batch).await {
//!     Ok(n) => println!("{n} rows"),
//!     Err(e) if e.row.is_some() => {
//!         let retry = batch.without_row(e.row.unwrap_or(0)); // reject it, retry the rest
//!         load_batch(client, &target, &retry).await?;
//!     }
//!     Err(_) => { let (_a, _b) = batch.split_at(batch.rows() / 2); /* bisect */ }
//! }
//! # Ok(()) }
//! ```
//!
//! Seed, one COPY for the whole table, batches encoded elsewhere (e.g. on
//! rayon threads) and handed over through a bounded channel:
//!
//! ```no_run
//! # async fn seed(client: &tokio_postgres::Client, target: strata::copy::CopyTarget)
//! #     -> Result<u64, strata::copy::CopyError> {
//! use strata::copy::{load_stream, Feed, Value};
//!
//! let (tx, rx) = tokio::sync::mpsc::channel(2);
//! let producer_target = target.clone();
//! std::thread::spawn(move || {
//!     let mut batch = producer_target.batch();
//!     for i in 0..1000 {
//!         if let Err(e) = batch.push_row(&producer_target, &[Value::Int(i)]) {
//!             let _ = tx.blocking_send(Feed::Abort(strata::copy::CopyError::Row { row: i as u64, source: e }));
//!             return;
//!         }
//!     }
//!     let _ = tx.blocking_send(Feed::Batch(batch));
//!     let _ = tx.blocking_send(Feed::End); // without End nothing is committed
//! });
//! load_stream(client, &target, rx).await
//! # }
//! ```

mod binary;
mod check;
pub mod columns;
mod load;
pub mod numeric;
pub mod rls;
mod text;
pub mod value;

pub use binary::{HEADER as BINARY_HEADER, TRAILER as BINARY_TRAILER};
pub use check::parse_uuid;
pub use columns::{table_info, ColumnInfo, Kind, TableInfo};
pub use load::{load_batch, load_rows, load_stream, CopyClient, Feed, LoadError};
pub use value::Value;

use crate::model::{quote_ident, QualifiedName};

/// COPY's wire format for a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Binary,
    Text,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("table {0} not found")]
    NoTable(QualifiedName),
    #[error("table {table} has no column {column:?}")]
    NoColumn {
        table: QualifiedName,
        column: String,
    },
    #[error("column {column:?} of {table} is a generated column; it cannot be loaded")]
    Generated {
        table: QualifiedName,
        column: String,
    },
    #[error("{context}: {}", crate::db::describe(.source))]
    Query {
        context: String,
        source: tokio_postgres::Error,
    },
    #[error("row {row}: {source}")]
    Row { row: u64, source: EncodeError },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("COPY aborted: {0}")]
    Encoder(String),
    /// Row-level security stands in the way of the load ([`rls`]).
    #[error("{0}")]
    RowSecurity(String),
}

/// Why a row could not be encoded. The batch is unchanged when this is
/// returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    #[error("the row has {got} values, the COPY expects {expected}")]
    Width { expected: usize, got: usize },
    #[error("column {column:?}: {reason}")]
    Value { column: String, reason: String },
}

/// The table, columns and format of a COPY.
#[derive(Debug, Clone)]
pub struct CopyTarget {
    pub table: QualifiedName,
    pub columns: Vec<ColumnInfo>,
    pub format: Format,
}

impl CopyTarget {
    /// Load `names` (in that order) into `table`; every non-generated
    /// column in table order when `names` is empty.
    pub fn new(table: &TableInfo, names: &[&str]) -> Result<CopyTarget, CopyError> {
        let columns: Vec<ColumnInfo> = if names.is_empty() {
            table
                .columns
                .iter()
                .filter(|c| !c.generated)
                .cloned()
                .collect()
        } else {
            let mut cols = Vec::with_capacity(names.len());
            for name in names {
                let c = table.column(name).ok_or_else(|| CopyError::NoColumn {
                    table: table.name.clone(),
                    column: name.to_string(),
                })?;
                if c.generated {
                    return Err(CopyError::Generated {
                        table: table.name.clone(),
                        column: name.to_string(),
                    });
                }
                cols.push(c.clone());
            }
            cols
        };
        let format = if columns.iter().all(|c| c.kind.binary()) {
            Format::Binary
        } else {
            Format::Text
        };
        Ok(CopyTarget {
            table: table.name.clone(),
            columns,
            format,
        })
    }

    /// `COPY "schema"."table" ("a", "b") FROM STDIN (FORMAT …)`.
    /// Identity `GENERATED ALWAYS` columns named here need the caller to
    /// have meant it: PostgreSQL's COPY writes them as given.
    pub fn statement(&self) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| quote_ident(&c.name)).collect();
        let format = match self.format {
            Format::Binary => "binary",
            Format::Text => "text",
        };
        format!(
            "COPY {} ({}) FROM STDIN (FORMAT {format})",
            self.table.quoted(),
            cols.join(", ")
        )
    }

    /// An empty batch for this target.
    pub fn batch(&self) -> Batch {
        Batch::new(self.format)
    }
}

/// Encoded rows ready for one COPY (without the binary header and trailer,
/// which the loader adds, so batches can be split and concatenated).
#[derive(Debug, Clone)]
pub struct Batch {
    format: Format,
    buf: Vec<u8>,
    /// End offset of each row in `buf`.
    ends: Vec<usize>,
}

impl Batch {
    /// Make room for `rows` more rows of `bytes` in all, so a producer
    /// that knows its batch size does not regrow (and recopy) the buffers.
    pub fn reserve(&mut self, rows: usize, bytes: usize) {
        self.ends.reserve(rows);
        self.buf.reserve(bytes);
    }

    pub fn new(format: Format) -> Batch {
        Batch {
            format,
            buf: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// An empty batch with room for `bytes` of encoded rows (a loader
    /// sizes the next batch like the last one instead of regrowing it).
    pub fn with_capacity(format: Format, bytes: usize) -> Batch {
        Batch {
            format,
            buf: Vec::with_capacity(bytes),
            ends: Vec::new(),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Rows in the batch.
    pub fn rows(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Encoded size in bytes.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// The encoded rows (no binary header or trailer: see
    /// [`BINARY_HEADER`], [`BINARY_TRAILER`]).
    pub fn encoded(&self) -> &[u8] {
        &self.buf
    }

    pub(crate) fn into_data(self) -> Vec<u8> {
        self.buf
    }

    /// Check and encode one row for `target`. On error the batch is left
    /// exactly as it was.
    pub fn push_row(&mut self, target: &CopyTarget, row: &[Value]) -> Result<(), EncodeError> {
        if row.len() != target.columns.len() {
            return Err(EncodeError::Width {
                expected: target.columns.len(),
                got: row.len(),
            });
        }
        let start = self.buf.len();
        let result = match self.format {
            Format::Binary => binary::encode_row(&mut self.buf, &target.columns, row),
            Format::Text => text::encode_row(&mut self.buf, &target.columns, row),
        };
        match result {
            Ok(()) => {
                self.ends.push(self.buf.len());
                Ok(())
            }
            Err(e) => {
                self.buf.truncate(start);
                Err(e)
            }
        }
    }

    fn start(&self, row: usize) -> usize {
        if row == 0 {
            0
        } else {
            self.ends[row - 1]
        }
    }

    /// Rows `[0, at)` and `[at, rows)` as two batches (to retry halves of
    /// a batch the server refused).
    pub fn split_at(&self, at: usize) -> (Batch, Batch) {
        let at = at.min(self.rows());
        let cut = self.start(at);
        let first = Batch {
            format: self.format,
            buf: self.buf[..cut].to_vec(),
            ends: self.ends[..at].to_vec(),
        };
        let second = Batch {
            format: self.format,
            buf: self.buf[cut..].to_vec(),
            ends: self.ends[at..].iter().map(|e| e - cut).collect(),
        };
        (first, second)
    }

    /// The batch without row `row` (the one the server named in its error).
    /// Append row `row` of `other` (same target).
    pub fn push_row_of(&mut self, other: &Batch, row: usize) {
        let (a, b) = (other.start(row), other.ends[row]);
        self.buf.extend_from_slice(&other.buf[a..b]);
        self.ends.push(self.buf.len());
    }

    pub fn without_row(&self, row: usize) -> Batch {
        if row >= self.rows() {
            return self.clone();
        }
        let (a, b) = (self.start(row), self.ends[row]);
        let mut buf = Vec::with_capacity(self.buf.len() - (b - a));
        buf.extend_from_slice(&self.buf[..a]);
        buf.extend_from_slice(&self.buf[b..]);
        let ends = self.ends[..row]
            .iter()
            .copied()
            .chain(self.ends[row + 1..].iter().map(|e| e - (b - a)))
            .collect();
        Batch {
            format: self.format,
            buf,
            ends,
        }
    }
}

/// A short name for a value's variant, for messages.
pub(crate) fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Numeric(_) => "a numeric",
        Value::Text(_) => "text",
        Value::Bytes(_) => "bytes",
        Value::Uuid(_) => "a uuid",
        Value::Date(_) => "a date",
        Value::Time(_) => "a time",
        Value::Timestamp(_) => "a timestamp",
        Value::TimestampTz(_) => "a timestamptz",
        Value::Json(_) => "JSON",
        Value::Array(_) => "an array",
    }
}
