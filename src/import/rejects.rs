//! The rejects file (original bytes of each rejected record, in input
//! order, after the input's header line) and its sidecar `PATH.errors.csv`
//! (`line,column,reason`, one row per rejected record). A sidecar keeps
//! the rejects file itself a valid input for a second `strata import`
//! once fixed. Both are created on the first reject only.
//!
//! A resumed import (`--resume`) rewrites both from the rejects its
//! committed batches stored in the database ([`Rejects::resume`]), merged
//! by line with the new ones, so they always match what was committed.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ImportError;

/// One rejected record.
#[derive(Debug, Clone)]
pub struct Reject {
    /// 0-based index of the record among the data records (input order).
    pub index: u64,
    pub line: u64,
    /// The table column at fault, when one is.
    pub column: Option<String>,
    pub reason: String,
    pub raw: Vec<u8>,
}

pub struct Rejects {
    path: PathBuf,
    header: Option<Vec<u8>>,
    open: Option<(BufWriter<File>, csv::Writer<BufWriter<File>>)>,
    /// Rejects of batches committed by earlier runs, by line, not yet written.
    stored: VecDeque<Reject>,
    pub count: u64,
}

impl Rejects {
    /// `header`: the input's header record bytes, written first.
    pub fn new(path: PathBuf, header: Option<Vec<u8>>) -> Rejects {
        Rejects {
            path,
            header,
            open: None,
            stored: VecDeque::new(),
            count: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn errors_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".errors.csv");
        PathBuf::from(p)
    }

    pub fn set_header(&mut self, header: Vec<u8>) {
        self.header = Some(header);
    }

    /// Start over from the rejects earlier runs committed (`stored`): the
    /// files an interrupted run left may hold rejects of batches that
    /// never committed, or lack some of those that did.
    pub fn resume(&mut self, mut stored: Vec<Reject>) -> Result<(), ImportError> {
        for p in [self.path.clone(), self.errors_path()] {
            match std::fs::remove_file(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ImportError::Io {
                        context: format!("removing {}", p.display()),
                        source: e,
                    })
                }
                _ => {}
            }
        }
        stored.sort_by_key(|r| r.line);
        self.stored = stored.into();
        Ok(())
    }

    /// Write `batch` (sorted here into input order; lines grow with it).
    pub fn write(&mut self, mut batch: Vec<Reject>) -> Result<(), ImportError> {
        batch.sort_by_key(|r| (r.line, r.index));
        for r in batch {
            self.write_stored_before(r.line)?;
            self.write_one(&r)?;
        }
        Ok(())
    }

    /// Stored rejects that come before `line` in the input.
    fn write_stored_before(&mut self, line: u64) -> Result<(), ImportError> {
        while self.stored.front().is_some_and(|s| s.line < line) {
            if let Some(s) = self.stored.pop_front() {
                self.write_one(&s)?;
            }
        }
        Ok(())
    }

    fn write_one(&mut self, r: &Reject) -> Result<(), ImportError> {
        let io = |path: &Path| {
            let p = path.display().to_string();
            move |e: std::io::Error| ImportError::Io {
                context: format!("writing {p}"),
                source: e,
            }
        };
        if self.open.is_none() {
            self.open = Some(self.create()?);
        }
        let errors_path = self.errors_path();
        let Some((raw, errors)) = self.open.as_mut() else {
            return Ok(());
        };
        raw.write_all(&r.raw).map_err(io(&self.path))?;
        let line = r.line.to_string();
        let column = r.column.as_deref().unwrap_or("");
        errors
            .write_record([line.as_str(), column, r.reason.as_str()])
            .map_err(|e| io(&errors_path)(e.into()))?;
        self.count += 1;
        Ok(())
    }

    fn create(&self) -> Result<(BufWriter<File>, csv::Writer<BufWriter<File>>), ImportError> {
        let open = |p: &Path| {
            File::create(p)
                .map(BufWriter::new)
                .map_err(|e| ImportError::Io {
                    context: format!("creating {}", p.display()),
                    source: e,
                })
        };
        let mut raw = open(&self.path)?;
        if let Some(h) = &self.header {
            let w = raw.write_all(h).and_then(|_| {
                // A header-only line without a terminator still needs one.
                if h.ends_with(b"\n") || h.ends_with(b"\r") {
                    Ok(())
                } else {
                    raw.write_all(b"\n")
                }
            });
            w.map_err(|e| ImportError::Io {
                context: format!("writing {}", self.path.display()),
                source: e,
            })?;
        }
        let mut errors = csv::Writer::from_writer(open(&self.errors_path())?);
        errors
            .write_record(["line", "column", "reason"])
            .map_err(|e| ImportError::Io {
                context: format!("writing {}", self.errors_path().display()),
                source: e.into(),
            })?;
        Ok((raw, errors))
    }

    pub fn finish(&mut self) -> Result<(), ImportError> {
        self.write_stored_before(u64::MAX)?;
        if let Some((raw, errors)) = self.open.as_mut() {
            let r = raw.flush().and_then(|_| errors.flush());
            r.map_err(|e| ImportError::Io {
                context: format!("writing {}", self.path.display()),
                source: e,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(line: u64) -> Reject {
        Reject {
            index: 0,
            line,
            column: None,
            reason: format!("r{line}"),
            raw: format!("row {line}\n").into_bytes(),
        }
    }

    #[test]
    fn resumed_rejects_merge_with_new_ones_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rej.csv");
        // Left by an interrupted run: replaced, not appended to.
        std::fs::write(&path, "stale\n").unwrap();
        let mut r = Rejects::new(path.clone(), Some(b"h\n".to_vec()));
        // Committed by earlier runs (a --jobs run: 30 is past a gap).
        r.resume(vec![reject(30), reject(2)]).unwrap();
        r.write(vec![reject(12), reject(9)]).unwrap();
        r.write(vec![reject(41)]).unwrap();
        r.finish().unwrap();
        let file = std::fs::read_to_string(&path).unwrap();
        assert_eq!(file, "h\nrow 2\nrow 9\nrow 12\nrow 30\nrow 41\n");
        let errors = std::fs::read_to_string(r.errors_path()).unwrap();
        assert_eq!(
            errors,
            "line,column,reason\n2,,r2\n9,,r9\n12,,r12\n30,,r30\n41,,r41\n"
        );
    }
}
