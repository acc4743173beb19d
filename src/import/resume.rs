//! `--resume ID`: every committed batch leaves a row in the control table
//! [`PROGRESS_TABLE`], written in the batch's own transaction: the byte
//! range of the input it covered, the line after it, its counts and its
//! rejects themselves. A re-run with the same id skips every record in a
//! committed range (seeking past the committed prefix of a plain file),
//! rewrites the rejects file from the stored rejects, and carries on. A
//! last row marked `done` records that the import finished.
//!
//! The input must be the same: its identity (table, file size when a
//! regular file, SHA-256 of the first MiB of the decompressed bytes) is
//! stored with every row and checked before anything is loaded.

use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};
use tokio_postgres::{Client, Transaction};

use super::input::Input;
use super::rejects::Reject;
use super::ImportError;
use crate::migrations::IMPORT_PROGRESS_TABLE as PROGRESS_TABLE;
use crate::model::QualifiedName;

/// Bytes of the decompressed input hashed into its identity.
const HASHED: usize = 1 << 20;

/// What must not change between the runs of one import.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub table: String,
    pub size: Option<i64>,
    pub sha256: String,
}

impl Identity {
    /// Hash the first MiB of `input` and put it back in front of the reader.
    pub fn of(table: &QualifiedName, input: &mut Input) -> std::io::Result<Identity> {
        let mut head = Vec::with_capacity(HASHED);
        let reader = std::mem::replace(&mut input.reader, Box::new(std::io::empty()));
        let mut reader = reader;
        (&mut reader).take(HASHED as u64).read_to_end(&mut head)?;
        let sha256 = Sha256::digest(&head)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        input.reader = Box::new(Cursor::new(head).chain(reader));
        Ok(Identity {
            table: table.unescaped(),
            size: input.size.map(|s| s as i64),
            sha256,
        })
    }
}

/// One committed batch.
pub struct BatchRow<'a> {
    pub start: u64,
    pub end: u64,
    pub end_line: u64,
    pub read: u64,
    pub loaded: u64,
    pub rejects: &'a [Reject],
}

/// What earlier runs committed.
#[derive(Debug, Default)]
pub struct Stored {
    /// (start, end, line at end) of each committed batch.
    pub ranges: Vec<(u64, u64, u64)>,
    pub read: u64,
    pub loaded: u64,
    pub rejected: u64,
    pub rejects: Vec<Reject>,
    pub done: bool,
}

impl Stored {
    /// The committed ranges merged: sorted and disjoint.
    pub fn merged(&self) -> Vec<(u64, u64)> {
        let mut r: Vec<(u64, u64)> = self.ranges.iter().map(|&(s, e, _)| (s, e)).collect();
        r.sort();
        let mut out: Vec<(u64, u64)> = Vec::with_capacity(r.len());
        for (s, e) in r {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }

    /// End of the committed data that starts at `data_start` without a
    /// gap, and the line there: where reading can resume.
    pub fn prefix(&self, data_start: u64) -> Option<(u64, u64)> {
        let first = *self.merged().first()?;
        if first.0 > data_start || first.1 <= data_start {
            return None;
        }
        let line = self.ranges.iter().find(|r| r.1 == first.1)?.2;
        Some((first.1, line))
    }
}

/// The control rows of one import id.
pub struct Resume {
    pub id: String,
    identity: Identity,
}

fn query(context: &str) -> impl FnOnce(tokio_postgres::Error) -> ImportError + '_ {
    move |e| ImportError::Query {
        context: context.into(),
        source: e,
    }
}

impl Resume {
    /// Create the control table if needed, read what import `id` committed
    /// and check it was about the same input.
    pub async fn open(
        client: &Client,
        id: &str,
        identity: Identity,
    ) -> Result<(Resume, Stored), ImportError> {
        client
            .batch_execute(&create_table())
            .await
            .map_err(query("creating the import progress table"))?;
        // Two runs of one id at once would both load what neither has
        // committed yet. Held by this session until it ends (a killed
        // run's session ends with it).
        let locked: bool = client
            .query_one(
                "SELECT pg_try_advisory_lock(hashtextextended('strata_import:' || $1, 0))",
                &[&id],
            )
            .await
            .map_err(query("locking the import id"))?
            .get(0);
        if !locked {
            return Err(ImportError::Resume(format!(
                "--resume {id}: another strata import with this id is running"
            )));
        }
        let rows = client
            .query(
                &format!(
                    "SELECT table_name, file_size, file_sha256, start_offset, end_offset, \
                     end_line, read, loaded, rejected, reject_lines, reject_columns, \
                     reject_reasons, reject_raw, done FROM public.{PROGRESS_TABLE} \
                     WHERE import_id = $1"
                ),
                &[&id],
            )
            .await
            .map_err(query("reading the import progress"))?;
        let mut stored = Stored::default();
        for row in &rows {
            let was = Identity {
                table: row.get(0),
                size: row.get(1),
                sha256: row.get(2),
            };
            check(id, &was, &identity)?;
            let n = |i: usize| row.get::<_, i64>(i) as u64;
            stored.done |= row.get::<_, bool>(13);
            if row.get::<_, bool>(13) {
                continue;
            }
            stored.ranges.push((n(3), n(4), n(5)));
            stored.read += n(6);
            stored.loaded += n(7);
            stored.rejected += n(8);
            stored.rejects.extend(stored_rejects(row));
        }
        let resume = Resume {
            id: id.to_string(),
            identity,
        };
        Ok((resume, stored))
    }

    /// The control row of a batch, in the batch's transaction.
    pub async fn record(&self, tx: &Transaction<'_>, b: &BatchRow<'_>) -> Result<(), ImportError> {
        let lines: Vec<i64> = b.rejects.iter().map(|r| r.line as i64).collect();
        let columns: Vec<Option<&str>> = b.rejects.iter().map(|r| r.column.as_deref()).collect();
        let reasons: Vec<&str> = b.rejects.iter().map(|r| r.reason.as_str()).collect();
        let raws: Vec<&[u8]> = b.rejects.iter().map(|r| r.raw.as_slice()).collect();
        let i = self.identity.clone();
        let sql = insert();
        tx.execute(
            &sql,
            &[
                &self.id,
                &i.table,
                &i.size,
                &i.sha256,
                &(b.start as i64),
                &(b.end as i64),
                &(b.end_line as i64),
                &(b.read as i64),
                &(b.loaded as i64),
                &(b.rejects.len() as i64),
                &lines,
                &columns,
                &reasons,
                &raws,
                &false,
            ],
        )
        .await
        .map_err(query("recording the batch in the import progress"))?;
        Ok(())
    }

    /// Mark the import finished: a re-run loads nothing.
    pub async fn finish(&self, client: &Client, end: u64) -> Result<(), ImportError> {
        let i = &self.identity;
        let none: Vec<i64> = Vec::new();
        let no_text: Vec<&str> = Vec::new();
        let no_raw: Vec<&[u8]> = Vec::new();
        let end = end as i64;
        client
            .execute(
                &insert(),
                &[
                    &self.id, &i.table, &i.size, &i.sha256, &end, &end, &0i64, &0i64, &0i64, &0i64,
                    &none, &no_text, &no_text, &no_raw, &true,
                ],
            )
            .await
            .map_err(query("marking the import finished"))?;
        Ok(())
    }
}

fn create_table() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS public.{PROGRESS_TABLE} (
            import_id text NOT NULL,
            table_name text NOT NULL,
            file_size bigint,
            file_sha256 text NOT NULL,
            start_offset bigint NOT NULL,
            end_offset bigint NOT NULL,
            end_line bigint NOT NULL,
            read bigint NOT NULL,
            loaded bigint NOT NULL,
            rejected bigint NOT NULL,
            reject_lines bigint[] NOT NULL,
            reject_columns text[] NOT NULL,
            reject_reasons text[] NOT NULL,
            reject_raw bytea[] NOT NULL,
            done boolean NOT NULL,
            committed_at timestamptz NOT NULL DEFAULT now()
        )"
    )
}

fn insert() -> String {
    format!(
        "INSERT INTO public.{PROGRESS_TABLE} (import_id, table_name, file_size, file_sha256, \
         start_offset, end_offset, end_line, read, loaded, rejected, reject_lines, \
         reject_columns, reject_reasons, reject_raw, done) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    )
}

fn stored_rejects(row: &tokio_postgres::Row) -> Vec<Reject> {
    let lines: Vec<i64> = row.get(9);
    let columns: Vec<Option<String>> = row.get(10);
    let reasons: Vec<String> = row.get(11);
    let raws: Vec<Vec<u8>> = row.get(12);
    let parts = lines.into_iter().zip(columns).zip(reasons).zip(raws);
    parts
        .map(|(((line, column), reason), raw)| Reject {
            index: 0,
            line: line as u64,
            column,
            reason,
            raw,
        })
        .collect()
}

/// A different input under the same id: say what differs.
fn check(id: &str, was: &Identity, now: &Identity) -> Result<(), ImportError> {
    let differs = if was.table != now.table {
        format!("table {} now, {} then", now.table, was.table)
    } else if was.size != now.size {
        let show = |s: Option<i64>| {
            s.map_or("unknown (not a regular file)".into(), |s| {
                format!("{s} bytes")
            })
        };
        format!("file size {} now, {} then", show(now.size), show(was.size))
    } else if was.sha256 != now.sha256 {
        format!(
            "first MiB of the input differs (SHA-256 {} now, {} then)",
            &now.sha256[..12],
            &was.sha256[..12]
        )
    } else {
        return Ok(());
    };
    Err(ImportError::Resume(format!(
        "--resume {id}: not the input this import started with: {differs}; \
         use another id to start a new import"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(ranges: &[(u64, u64, u64)]) -> Stored {
        Stored {
            ranges: ranges.to_vec(),
            ..Stored::default()
        }
    }

    #[test]
    fn committed_ranges_merge_and_the_prefix_ends_at_the_first_gap() {
        // Batches of a --jobs run committed out of order: 10..20 and 20..30
        // touch, 40..50 is past a gap.
        let s = stored(&[(40, 50, 9), (20, 30, 5), (10, 20, 3)]);
        assert_eq!(s.merged(), vec![(10, 30), (40, 50)]);
        assert_eq!(s.prefix(10), Some((30, 5)));
        // The first batch (from the data start) never committed: no prefix.
        assert_eq!(stored(&[(20, 30, 5)]).prefix(10), None);
        assert_eq!(Stored::default().prefix(10), None);
    }

    #[test]
    fn a_different_input_is_named() {
        let a = Identity {
            table: "t".into(),
            size: Some(10),
            sha256: "ab".repeat(32),
        };
        let b = Identity {
            size: None,
            ..a.clone()
        };
        assert!(check("x", &a, &a).is_ok());
        let e = check("x", &a, &b).unwrap_err().to_string();
        assert!(
            e.contains("file size unknown (not a regular file) now, 10 bytes then"),
            "{e}"
        );
    }
}
