//! The rejects file (original bytes of each rejected record, in input
//! order, after the input's header line) and its sidecar `PATH.errors.csv`
//! (`line,column,reason`, one row per rejected record). A sidecar keeps
//! the rejects file itself a valid input for a second `strata import`
//! once fixed.
//!
//! Both describe one run. [`Rejects::create`] runs before anything is
//! read or loaded, so an unusable path stops the import while nothing is
//! committed: it refuses a path that is the input (or that names it
//! through a symlink or hard link, or any other spelling: compared by
//! device and inode), removes what an earlier run left (a symlink there
//! is removed, never followed; a hard link loses only that name), and
//! creates both files new (`O_CREAT|O_EXCL`: a symlink planted in between
//! makes the import fail, it is not written through). A character device
//! or FIFO there (`/dev/null`, `/dev/stdout`) is written as it is, never
//! removed. A run that rejects nothing removes its files again at the end. Written in place rather
//! than renamed from a temporary file: a killed run leaves the rejects of
//! what it committed where the user looks for them, and no stray
//! temporaries (a `--resume` kill loop would pile them up).
//!
//! A resumed import (`--resume`) writes both from the rejects its
//! committed batches stored in the database ([`Rejects::resume`]), merged
//! by line with the new ones, so they always match what was committed.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ImportError;
use crate::files::{self, FileId};

/// One rejected record.
#[derive(Debug, Clone)]
pub struct Reject {
    /// 0-based index of the record among the data records (input order).
    pub index: u64,
    pub line: u64,
    /// The table column at fault, when one is.
    pub column: Option<String>,
    pub reason: String,
    /// The record's bytes; empty for a record too large to keep (its
    /// reason says where it is in the input).
    pub raw: Vec<u8>,
}

pub struct Rejects {
    path: PathBuf,
    raw: BufWriter<File>,
    errors: csv::Writer<BufWriter<File>>,
    /// The files this run created (removed again when nothing was
    /// rejected, unless something else has replaced them since); `None`
    /// for a stream such as `/dev/null`.
    ids: [Option<FileId>; 2],
    /// Rejects of batches committed by earlier runs, by line, not yet written.
    stored: VecDeque<Reject>,
    pub count: u64,
    finished: bool,
}

fn io_err(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> ImportError {
    let context = format!("{what} the rejects file {}", path.display());
    move |source| ImportError::Io { context, source }
}

impl Rejects {
    /// Create the rejects file `path` and its sidecar for a run reading
    /// `input` (`None`: an input that is not a file on disk, such as a
    /// pipe).
    pub fn create(path: PathBuf, input: Option<FileId>) -> Result<Rejects, ImportError> {
        let errors_path = files::with_suffix(&path, ".errors.csv");
        // Both checked before either is touched.
        for p in [&path, &errors_path] {
            refuse_input(p, input)?;
            if let files::Existing::Refused(why) = files::Existing::at(p) {
                let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
                return Err(io_err("creating", p)(e));
            }
        }
        let (raw, raw_id) = open(&path)?;
        let (errors, errors_id) = match open(&errors_path) {
            Ok(f) => f,
            Err(e) => {
                remove_if(&path, raw_id);
                return Err(e);
            }
        };
        let ids = [raw_id, errors_id];
        let mut errors = csv::Writer::from_writer(errors);
        errors
            .write_record(["line", "column", "reason"])
            .map_err(|e| io_err("writing", &errors_path)(e.into()))?;
        Ok(Rejects {
            path,
            raw,
            errors,
            ids,
            stored: VecDeque::new(),
            count: 0,
            finished: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn errors_path(&self) -> PathBuf {
        files::with_suffix(&self.path, ".errors.csv")
    }

    /// The input's header record bytes, written first.
    pub fn set_header(&mut self, header: Vec<u8>) -> Result<(), ImportError> {
        let w = self.raw.write_all(&header).and_then(|_| {
            // A header-only line without a terminator still needs one.
            if header.ends_with(b"\n") || header.ends_with(b"\r") {
                Ok(())
            } else {
                self.raw.write_all(b"\n")
            }
        });
        w.map_err(io_err("writing", &self.path))
    }

    /// Rejects earlier runs committed (`stored`), to be merged by line
    /// with this run's.
    pub fn resume(&mut self, mut stored: Vec<Reject>) {
        stored.sort_by_key(|r| r.line);
        self.stored = stored.into();
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
        self.raw
            .write_all(&r.raw)
            .map_err(io_err("writing", &self.path))?;
        let line = r.line.to_string();
        let column = r.column.as_deref().unwrap_or("");
        let errors_path = self.errors_path();
        self.errors
            .write_record([line.as_str(), column, r.reason.as_str()])
            .map_err(|e| io_err("writing", &errors_path)(e.into()))?;
        self.count += 1;
        Ok(())
    }

    /// Write what is left and flush; remove both files when nothing was
    /// rejected.
    pub fn finish(&mut self) -> Result<(), ImportError> {
        self.write_stored_before(u64::MAX)?;
        self.finished = true;
        if self.count == 0 {
            self.remove();
            return Ok(());
        }
        self.raw.flush().map_err(io_err("writing", &self.path))?;
        let errors_path = self.errors_path();
        self.errors.flush().map_err(io_err("writing", &errors_path))
    }

    fn remove(&self) {
        remove_if(&self.path, self.ids[0]);
        remove_if(&self.errors_path(), self.ids[1]);
    }
}

impl Drop for Rejects {
    /// An import that stopped before [`Rejects::finish`] (an error before
    /// the first batch) leaves no empty rejects files behind.
    fn drop(&mut self) {
        if !self.finished && self.count == 0 {
            self.remove();
        }
    }
}

/// `p` must not be the input, by any name.
fn refuse_input(p: &Path, input: Option<FileId>) -> Result<(), ImportError> {
    if let Some(input) = input {
        if input.is_at(p) {
            return Err(ImportError::Io {
                context: format!("the rejects file {}", p.display()),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "is the input file (give --rejects another path)",
                ),
            });
        }
    }
    Ok(())
}

/// Open `p` for this run: a new file, after removing a regular file or
/// symlink there (not followed); or a stream the path names
/// (`/dev/null`, `/dev/stdout`, a FIFO), written as it is. The id is that
/// of a file created here.
fn open(p: &Path) -> Result<(BufWriter<File>, Option<FileId>), ImportError> {
    use files::Existing;
    match Existing::at(p) {
        Existing::Refused(why) => {
            let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
            return Err(io_err("creating", p)(e));
        }
        Existing::Stream => {
            let f = files::open_stream(p).map_err(io_err("opening", p))?;
            return Ok((BufWriter::new(f), None));
        }
        Existing::File => {
            if let Err(e) = std::fs::remove_file(p) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    return Err(io_err("replacing", p)(e));
                }
            }
        }
        Existing::Nothing => {}
    }
    let f = files::create_new(p).map_err(io_err("creating", p))?;
    let id = FileId::of_file(&f).map_err(io_err("creating", p))?;
    Ok((BufWriter::new(f), Some(id)))
}

/// Remove `p` if it is still the file `id` (another run may have
/// replaced it since).
fn remove_if(p: &Path, id: Option<FileId>) {
    if id.is_some() && FileId::of_link(p) == id {
        let _ = std::fs::remove_file(p);
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
        let mut r = Rejects::create(path.clone(), None).unwrap();
        r.set_header(b"h\n".to_vec()).unwrap();
        // Committed by earlier runs (a --jobs run: 30 is past a gap).
        r.resume(vec![reject(30), reject(2)]);
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
