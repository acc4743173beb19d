//! The input of an import: a reader of the (decompressed) CSV bytes, plus
//! what `--resume` and the progress bar need to know about where they
//! come from: the file's size, how many of its bytes were read so far
//! (compressed bytes for gzip), and — for a plain regular file — a way
//! to reopen it at an offset instead of re-parsing what is committed.
//!
//! Only a regular file (plain or gzip), a FIFO, or stdin that is one of
//! those (or a pipe, a socket, a terminal, `/dev/null`) is read: a device
//! such as `/dev/zero` or `/dev/urandom` never ends and never holds a
//! line break, so it is refused up front rather than read until a limit
//! trips (or forever). A directory is refused the same way.

use std::fs::{File, Metadata};
use std::io::{BufRead, BufReader, IsTerminal, Read, Seek, SeekFrom};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::files::FileId;

pub struct Input {
    pub reader: Box<dyn Read + Send>,
    /// Size in bytes when the input is a regular file (compressed size
    /// for gzip): part of a resume's file identity, the progress total.
    pub size: Option<u64>,
    /// Bytes of the file (or stdin) read so far.
    pub consumed: Arc<AtomicU64>,
    /// Set for a regular, uncompressed file: offsets in the CSV are
    /// offsets in the file, so a resume can seek.
    seekable: Option<PathBuf>,
    /// The file read (for stdin: the file redirected to it, if any), so
    /// nothing strata writes during the import can be it.
    pub file: Option<FileId>,
}

impl Input {
    /// Any reader (no size, no seeking).
    pub fn from_reader(reader: Box<dyn Read + Send>) -> Input {
        Input {
            reader,
            size: None,
            consumed: Arc::new(AtomicU64::new(0)),
            seekable: None,
            file: None,
        }
    }

    /// `file`, or stdin for `-`; gzip recognised by its magic bytes, not
    /// the name (stdin can be compressed too).
    pub fn open(file: &Path) -> std::io::Result<Input> {
        let consumed = Arc::new(AtomicU64::new(0));
        let (raw, size, id): (Box<dyn Read + Send>, _, _) = if file == Path::new("-") {
            let stdin = std::io::stdin();
            let meta = File::from(stdin.as_fd().try_clone_to_owned()?).metadata()?;
            let terminal = stdin.is_terminal();
            check_type(&meta, terminal || is_dev_null(&meta), "stdin")?;
            // No size: a resume's identity of stdin never had one.
            (Box::new(stdin), None, Some(FileId::of_meta(&meta)))
        } else {
            // Checked before opening too: opening some devices does
            // something (a tape rewinds).
            check_type(&std::fs::metadata(file)?, false, "")?;
            let f = File::open(file)?;
            let meta = f.metadata()?;
            check_type(&meta, false, "")?;
            let size = meta.is_file().then_some(meta.len());
            (Box::new(f), size, Some(FileId::of_meta(&meta)))
        };
        let counted = Counted(raw, Arc::clone(&consumed));
        let mut input = BufReader::with_capacity(256 * 1024, counted);
        let gzip = input.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn Read + Send> = if gzip {
            Box::new(flate2::bufread::MultiGzDecoder::new(input))
        } else {
            Box::new(input)
        };
        Ok(Input {
            reader,
            size,
            consumed,
            seekable: (size.is_some() && !gzip).then(|| file.to_path_buf()),
            file: id,
        })
    }

    /// The input from byte `offset` on, when it can be had without reading
    /// what comes before (`None`: re-parse instead).
    pub fn reopen_at(&self, offset: u64) -> std::io::Result<Option<Box<dyn Read + Send>>> {
        let Some(path) = &self.seekable else {
            return Ok(None);
        };
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(offset))?;
        self.consumed.store(offset, Ordering::Relaxed);
        let counted = Counted(Box::new(f), Arc::clone(&self.consumed));
        Ok(Some(Box::new(BufReader::with_capacity(
            256 * 1024,
            counted,
        ))))
    }
}

/// Refuse what is not a regular file or a FIFO (for stdin also a pipe or
/// a socket; `char_ok`: a character device that is fine, a terminal or
/// `/dev/null`).
fn check_type(meta: &Metadata, char_ok: bool, what: &str) -> std::io::Result<()> {
    let t = meta.file_type();
    let ok = t.is_file() || t.is_fifo() || (what == "stdin" && t.is_socket());
    if ok || (char_ok && t.is_char_device()) {
        return Ok(());
    }
    let msg = format!(
        "{what}{}not a regular file or a FIFO ({}): import reads CSV files (plain or gzip), FIFOs and pipes",
        if what.is_empty() { "" } else { " is " },
        crate::files::not_regular(&t).unwrap_or("a regular file")
    );
    Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, msg))
}

/// `/dev/null` (character device 1:3 on Linux): an empty input.
fn is_dev_null(meta: &Metadata) -> bool {
    meta.file_type().is_char_device() && meta.rdev() == libc::makedev(1, 3)
}

/// A plain reader (no size, no seeking): callers that have only that.
impl From<Box<dyn Read + Send>> for Input {
    fn from(reader: Box<dyn Read + Send>) -> Input {
        Input::from_reader(reader)
    }
}

/// Counts the bytes read through it.
struct Counted(Box<dyn Read + Send>, Arc<AtomicU64>);

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
