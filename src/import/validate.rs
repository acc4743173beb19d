//! Records → checked, encoded batches, on a thread of their own so the
//! next batch is parsed and encoded while the previous one is on the
//! wire. Each [`Chunk`] carries the batch and the rejects of the records
//! it covers, so the consumer writes rejects in input order.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::mapping::Mapping;
use super::reader::{Record, Records};
use super::rejects::Reject;
use super::send::Pending;
use super::{coerce, read_err, ImportError};
use crate::copy::{CopyTarget, EncodeError, Value};

/// A batch is also cut at this many encoded bytes, so wide rows keep
/// memory bounded.
const MAX_BATCH_BYTES: usize = 8 << 20;

/// Consecutive records: those that encoded, and those rejected.
pub struct Chunk {
    pub pending: Pending,
    pub rejects: Vec<Reject>,
    /// Records covered (`pending` rows + `rejects`).
    pub read: u64,
}

pub struct Validator {
    pub target: Arc<CopyTarget>,
    pub mapping: Mapping,
    pub batch_rows: usize,
    /// Records read so far (the next record's index).
    pub read: u64,
}

impl Validator {
    /// Send chunks until the input ends, an error, or the receiver is gone.
    pub fn run(mut self, mut records: Records, tx: mpsc::Sender<Result<Chunk, ImportError>>) {
        loop {
            match self.next_chunk(&mut records) {
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

    /// The next chunk; `None` at the end of the input.
    fn next_chunk(&mut self, records: &mut Records) -> Result<Option<Chunk>, ImportError> {
        let mut chunk = Chunk {
            pending: Pending {
                batch: self.target.batch(),
                origin: Vec::new(),
            },
            rejects: Vec::new(),
            read: 0,
        };
        let full = |c: &Chunk| {
            c.pending.batch.rows() >= self.batch_rows
                || c.rejects.len() >= self.batch_rows
                || c.pending.batch.bytes() >= MAX_BATCH_BYTES
        };
        // One record's buffers, reused: no allocation per record.
        let mut rec = Record::default();
        while !full(&chunk) {
            if !records.next_into(&mut rec).map_err(read_err)? {
                break;
            }
            let index = self.read;
            self.read += 1;
            chunk.read += 1;
            if let Err((column, reason)) = self.push(&mut chunk.pending, &rec, index) {
                chunk.rejects.push(Reject {
                    index,
                    line: rec.line,
                    column,
                    reason,
                    raw: rec.raw.clone(),
                });
            }
        }
        Ok((chunk.read > 0).then_some(chunk))
    }

    /// Validate and encode one record into `p`.
    fn push(
        &self,
        p: &mut Pending,
        rec: &Record,
        index: u64,
    ) -> Result<(), (Option<String>, String)> {
        if rec.unterminated_quote {
            return Err((
                None,
                "unterminated quoted field (it runs to the end of the input)".into(),
            ));
        }
        if rec.fields.len() != self.mapping.width {
            let why = format!(
                "{} field(s), expected {}",
                rec.fields.len(),
                self.mapping.width
            );
            return Err((None, why));
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
        match p.batch.push_row(&self.target, &row) {
            Ok(()) => {
                p.origin.push((index, rec.line, rec.raw.clone()));
                Ok(())
            }
            Err(EncodeError::Value { column, reason }) => Err((Some(column), reason)),
            Err(e) => Err((None, e.to_string())),
        }
    }
}
