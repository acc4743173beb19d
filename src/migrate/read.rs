//! Reading the files of a migrations directory — migration files, down
//! files, `strata.sum` — as regular files of bounded size. A migration
//! "file" that is a FIFO, a device (`/dev/zero`), a directory, or a symlink
//! to one of those is refused before a byte is read, and so is a file
//! larger than [`MAX_BYTES`]: either would otherwise block forever or grow
//! memory until the process dies.
//!
//! A symlink to a regular file is followed (checkouts use them, e.g. to
//! share migrations between services); what it points to must pass the
//! same checks. The type is checked again on the opened descriptor, so a
//! swap between the check and the open is caught too.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::{Error, Result};

/// The largest migration file (or down file, or sum file) strata reads:
/// 64 MiB, far beyond any hand-written or generated migration; data loads
/// belong in `strata import`.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The text of the regular file at `path`.
pub fn text(path: &Path) -> Result<String> {
    text_with_limit(path, MAX_BYTES)
}

/// The text of `path`, or `None` when nothing is there.
pub fn text_if_exists(path: &Path) -> Result<Option<String>> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => text(path).map(Some),
    }
}

/// [`text`] with another limit (tests).
pub fn text_with_limit(path: &Path, limit: u64) -> Result<String> {
    let io = |e| Error::io(format!("reading {}", path.display()), e);
    // Checked before opening: opening a FIFO blocks, opening a device
    // can have effects of its own.
    let meta = std::fs::metadata(path).map_err(io)?;
    check(path, &meta.file_type(), meta.len(), limit)?;
    let file = OpenOptions::new()
        .read(true)
        // Never wait for a writer, should a FIFO appear in between.
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    check(path, &meta.file_type(), meta.len(), limit)?;
    read_bounded(path, file, limit)
}

fn check(path: &Path, kind: &std::fs::FileType, len: u64, limit: u64) -> Result<()> {
    if let Some(what) = crate::files::not_regular(kind) {
        // "a device" whatever the kind of device: what the user must know.
        let what = what.replace("character ", "").replace("block ", "");
        return Err(Error::Config(format!(
            "{} is {what}; migration files, down files and {} must be regular files",
            path.display(),
            super::sum::FILE
        )));
    }
    if len > limit {
        return Err(too_large(path, limit));
    }
    Ok(())
}

fn too_large(path: &Path, limit: u64) -> Error {
    Error::Config(format!(
        "{} is larger than {limit} bytes ({} MiB), the limit for migration files; \
         load data with `strata import` instead",
        path.display(),
        limit / (1024 * 1024)
    ))
}

/// Read at most `limit` bytes: a regular file can still grow (or, in
/// /proc, report size 0) after the check.
fn read_bounded(path: &Path, file: File, limit: u64) -> Result<String> {
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Config(format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_bounded_size() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("V1__a.sql");
        std::fs::write(&f, "SELECT 1;").unwrap();
        assert_eq!(text(&f).unwrap(), "SELECT 1;");
        let link = d.path().join("V2__b.sql");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert_eq!(text(&link).unwrap(), "SELECT 1;");
        let zero = d.path().join("V3__c.sql");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let e = text(&zero).unwrap_err().to_string();
        assert!(e.contains("V3__c.sql is a device"), "{e}");
        let fifo = d.path().join("V4__d.sql");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = text(&fifo).unwrap_err().to_string();
        assert!(e.contains("is a FIFO"), "{e}");
        assert!(text(d.path())
            .unwrap_err()
            .to_string()
            .contains("a directory"));
        let e = text_with_limit(&f, 4).unwrap_err().to_string();
        assert!(e.contains("larger than 4 bytes"), "{e}");
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(text(&f).unwrap_err().to_string().contains("not UTF-8"));
        assert_eq!(text_if_exists(&d.path().join("none")).unwrap(), None);
    }
}
