//! Records → checked, encoded batches, on a thread of their own so the
//! next batch is parsed and encoded while the previous one is on the
//! wire. Each [`Chunk`] carries the batch and the rejects of the records
//! it covers, so the consumer writes rejects in input order.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::mapping::{Mapping, Source, Width};
use super::origins::Origins;
use super::reader::{Encoding, Record, Records};
use super::rejects::Reject;
use super::rules::Nulls;
use super::send::Pending;
use super::{coerce, read_err, ImportError, ImportOptions};
use crate::copy::{CopyTarget, EncodeError, Value};

/// A batch is also cut at this many bytes (encoded rows, their original
/// bytes, rejected records), so wide rows keep memory bounded: a chunk
/// holds at most this plus one record.
const MAX_BATCH_BYTES: usize = 8 << 20;

/// Consecutive records: those that encoded, and those rejected.
pub struct Chunk {
    pub pending: Pending,
    pub rejects: Vec<Reject>,
    /// Records covered (`pending` rows + `rejects`).
    pub read: u64,
    /// Input offset just past the chunk's last record (its start is the
    /// previous chunk's end), and the line there: where a resume restarts.
    pub end: u64,
    pub end_line: u64,
}

/// Buffer sizes of a chunk.
#[derive(Default)]
struct Sizes {
    encoded: usize,
    raw: usize,
}

pub struct Validator {
    pub target: Arc<CopyTarget>,
    pub mapping: Mapping,
    pub batch_rows: usize,
    /// Records read so far (the next record's index).
    pub read: u64,
    pub nulls: Nulls,
    pub encoding: Encoding,
}

impl Validator {
    /// Records from the first data record on, for `o`'s options.
    pub fn new(target: Arc<CopyTarget>, mapping: Mapping, o: &ImportOptions) -> Validator {
        Validator {
            target,
            mapping,
            batch_rows: o.batch_rows.max(1),
            read: 0,
            nulls: o.spec.nulls.clone(),
            encoding: o.dialect.encoding,
        }
    }

    /// Send chunks until the input ends, an error, or the receiver is gone.
    /// A panic here (a bug) is sent as an error: unreported, the closed
    /// channel read as the end of the input, and the import exited 0
    /// having loaded part of it (and a single transaction committed it).
    pub fn run(self, records: Records, tx: mpsc::Sender<Result<Chunk, ImportError>>) {
        let on_panic = tx.clone();
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.run_chunks(records, tx)
        }));
        if ran.is_err() {
            let _ = on_panic.blocking_send(Err(ImportError::Io {
                context: "validating the input".into(),
                source: std::io::Error::other(
                    "internal error (a bug in strata): see the panic above",
                ),
            }));
        }
    }

    fn run_chunks(mut self, mut records: Records, tx: mpsc::Sender<Result<Chunk, ImportError>>) {
        let mut sizes = Sizes::default();
        loop {
            match self.next_chunk(&mut records, &mut sizes) {
                Ok(Some(c)) => {
                    if tx.blocking_send(Ok(c)).is_err() {
                        return; // the loader stopped
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            }
        }
    }

    /// The next chunk; `None` at the end of the input. `sizes`: the
    /// previous chunk's, to allocate this one's buffers once.
    fn next_chunk(
        &mut self,
        records: &mut Records,
        sizes: &mut Sizes,
    ) -> Result<Option<Chunk>, ImportError> {
        let mut batch = self.target.batch();
        // Sized like the previous chunk's, but a huge record there is no
        // reason to hold that much again.
        let room = |n: usize| (n + n / 8).min(MAX_BATCH_BYTES);
        batch.reserve(self.batch_rows, room(sizes.encoded));
        let mut chunk = Chunk {
            pending: Pending {
                batch,
                origin: Origins::with_capacity(self.batch_rows, room(sizes.raw)),
            },
            rejects: Vec::new(),
            read: 0,
            end: 0,
            end_line: 0,
        };
        // Bytes held for the rejects (not encoded, not in `origin`).
        let mut rejected_bytes = 0;
        let full = |c: &Chunk, rejected_bytes: usize| {
            c.pending.batch.rows() >= self.batch_rows
                || c.rejects.len() >= self.batch_rows
                || c.pending.batch.bytes() + c.pending.origin.bytes() + rejected_bytes
                    >= MAX_BATCH_BYTES
        };
        // One record's buffers and one row, reused: no allocation per record.
        let mut rec = Record::default();
        let mut row = Vec::with_capacity(self.target.columns.len());
        while !full(&chunk, rejected_bytes) {
            if !records.next_into(&mut rec).map_err(read_err)? {
                break;
            }
            let index = self.read;
            self.read += 1;
            chunk.read += 1;
            if let Err((column, reason)) = self.push(&mut chunk.pending, &rec, index, &mut row) {
                rejected_bytes += rec.raw.len() + reason.len();
                chunk.rejects.push(Reject {
                    index,
                    line: rec.line,
                    column,
                    reason,
                    raw: rec.raw.clone(),
                });
            }
        }
        *sizes = Sizes {
            encoded: chunk.pending.batch.bytes(),
            raw: chunk.pending.origin.bytes(),
        };
        chunk.end = records.offset();
        chunk.end_line = records.line();
        Ok((chunk.read > 0).then_some(chunk))
    }

    /// Validate and encode one record into `p`.
    fn push(
        &self,
        p: &mut Pending,
        rec: &Record,
        index: u64,
        row: &mut Vec<Value>,
    ) -> Result<(), (Option<String>, String)> {
        row.clear();
        if let Some(o) = &rec.oversized {
            return Err((None, o.reason()));
        }
        if rec.unterminated_quote {
            return Err((
                None,
                "unterminated quoted field (it runs to the end of the input)".into(),
            ));
        }
        let n = rec.fields.len();
        let fits = match self.mapping.width {
            Width::Exact(w) => n == w,
            Width::AtLeast(w) => n >= w,
        };
        if !fits {
            let expected = match self.mapping.width {
                Width::Exact(w) => w.to_string(),
                Width::AtLeast(w) => format!("at least {w}"),
            };
            return Err((None, format!("{n} field(s), expected {expected}")));
        }
        // All-ASCII fields are valid UTF-8 each: one check per record
        // instead of one per field.
        let ascii = self.encoding == Encoding::Utf8 && rec.fields.as_slice().is_ascii();
        for (i, col) in self.target.columns.iter().enumerate() {
            row.push(
                self.cell(rec, i, ascii)
                    .map_err(|why| (Some(col.name.clone()), why))?,
            );
        }
        self.encode(p, row, rec, index)
    }

    /// COPY column `i` of a record, after the column's rules. `ascii`:
    /// the record's fields are all ASCII (so valid UTF-8).
    fn cell(&self, rec: &Record, i: usize, ascii: bool) -> Result<Value, String> {
        let col = &self.target.columns[i];
        let v = match &self.mapping.sources[i] {
            Source::Constant(v) => return Ok(v.clone()),
            Source::Field(f) => {
                // (A UTF-8 byte-order mark at the start of the input never
                // reaches a field: the CSV parser skips it.)
                let field = &rec.fields[*f];
                let text = if ascii {
                    // SAFETY: ASCII bytes are valid UTF-8 (checked for
                    // the whole record in `push`).
                    std::borrow::Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(field) })
                } else {
                    coerce::decode(field, self.encoding)?
                };
                self.mapping.rules[i].cell(&text, &self.nulls, &col.kind)?
            }
        };
        if v.is_null() && col.not_null {
            let why = if self.mapping.rules[i].fallback().is_some() {
                "not convertible or empty, and on_error: null in a NOT NULL column"
            } else {
                "empty value (NULL) in a NOT NULL column"
            };
            return Err(why.into());
        }
        Ok(v)
    }

    /// Encode the row into `p`. When the encoder refuses a value (an enum
    /// label, a length, a range) of a column whose rule has `on_error:
    /// null | default`, that value is replaced and the row tried again.
    fn encode(
        &self,
        p: &mut Pending,
        row: &mut [Value],
        rec: &Record,
        index: u64,
    ) -> Result<(), (Option<String>, String)> {
        // Columns already replaced (no allocation unless the encoder refuses).
        let mut replaced: Vec<usize> = Vec::new();
        loop {
            match p.batch.push_row(&self.target, row) {
                Ok(()) => {
                    p.origin.push(index, rec.line, &rec.raw);
                    return Ok(());
                }
                Err(EncodeError::Value { column, reason }) => {
                    let at = self.target.columns.iter().position(|c| c.name == column);
                    let fallback = at
                        .filter(|i| !replaced.contains(i))
                        .and_then(|i| Some((i, self.mapping.rules[i].fallback()?)));
                    let Some((i, v)) = fallback else {
                        return Err((Some(column), reason));
                    };
                    if v.is_null() && self.target.columns[i].not_null {
                        return Err((
                            Some(column),
                            format!("{reason} (on_error: null, but the column is NOT NULL)"),
                        ));
                    }
                    row[i] = v;
                    replaced.push(i);
                }
                Err(e) => return Err((None, e.to_string())),
            }
        }
    }
}
