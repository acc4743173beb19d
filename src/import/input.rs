//! The input of an import: a reader of the (decompressed) CSV bytes, plus
//! what `--resume` and the progress bar need to know about where they
//! come from: the file's size, how many of its bytes were read so far
//! (compressed bytes for gzip), and — for a plain regular file — a way
//! to reopen it at an offset instead of re-parsing what is committed.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

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
}

impl Input {
    /// Any reader (no size, no seeking).
    pub fn from_reader(reader: Box<dyn Read + Send>) -> Input {
        Input {
            reader,
            size: None,
            consumed: Arc::new(AtomicU64::new(0)),
            seekable: None,
        }
    }

    /// `file`, or stdin for `-`; gzip recognised by its magic bytes, not
    /// the name (stdin can be compressed too).
    pub fn open(file: &Path) -> std::io::Result<Input> {
        let consumed = Arc::new(AtomicU64::new(0));
        let (raw, size): (Box<dyn Read + Send>, _) = if file == Path::new("-") {
            (Box::new(std::io::stdin()), None)
        } else {
            let f = File::open(file)?;
            let meta = f.metadata()?;
            (Box::new(f), meta.is_file().then_some(meta.len()))
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
