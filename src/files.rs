//! Writing files in directories someone else may write to: a rejects file
//! sits beside its input (often in a shared or world-writable directory),
//! a dump in a backup directory, a migration in a checkout. Nothing here
//! opens an existing path for writing, so a symlink or hard link planted
//! at the path is never followed or truncated:
//!
//! * [`create_new`]: a file that must not exist yet (`O_CREAT|O_EXCL`,
//!   which also refuses a symlink, dangling or not).
//! * [`replace`]: whole contents written to a new file in the same
//!   directory, then renamed over the path (the rename replaces a symlink
//!   there, it does not follow it; a reader never sees half a file).
//!
//! [`FileId`] tells whether two paths (or a path and an open file) are
//! the same file, whatever the spelling: `./x`, `a/../x`, hard links,
//! symlinks.
//!
//! Reading a file strata is given (YAML, SQL, word lists, CSV): a symlink
//! to `/dev/zero`, a FIFO nobody writes to or a multi-gigabyte file would
//! be read forever, block, or exhaust memory. [`open_regular`],
//! [`read_limited`], [`read_regular`] and [`read_text`] accept regular
//! files only (a symlink to one is fine: checked on the opened descriptor)
//! up to a size limit, and report both as ordinary `io::Error`s so every
//! caller's "cannot read FILE: …" message carries them.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Device and inode: the identity of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    pub fn of_meta(m: &std::fs::Metadata) -> FileId {
        FileId {
            dev: m.dev(),
            ino: m.ino(),
        }
    }

    /// The open file's identity.
    pub fn of_file(f: &File) -> std::io::Result<FileId> {
        f.metadata().map(|m| FileId::of_meta(&m))
    }

    /// What `path` names after following symlinks; `None` when nothing
    /// (or a dangling symlink) is there.
    pub fn of_path(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().map(|m| FileId::of_meta(&m))
    }

    /// What `path` itself is (a symlink's own identity, not followed).
    pub fn of_link(path: &Path) -> Option<FileId> {
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| FileId::of_meta(&m))
    }

    /// Whether `path` names this file, directly or through a symlink.
    pub fn is_at(&self, path: &Path) -> bool {
        FileId::of_path(path) == Some(*self) || FileId::of_link(path) == Some(*self)
    }
}

/// Create `path`, which must not exist (not even as a dangling symlink):
/// an existing entry is `ErrorKind::AlreadyExists`. Mode 0666 less the
/// umask, as `File::create`.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o666)
        .open(path)
}

/// The directory a file at `path` is created in (`.` for a bare name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new, empty file beside `path`, to be renamed over it by
/// [`persist`] (or removed): `.NAME.XXXXXX.tmp` in the same directory, so
/// the rename stays on one file system. Created with `O_EXCL` under a
/// random name: nothing planted can be opened instead.
pub fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir_of(path))
}

/// Rename `tmp` over `path`. A directory at `path` is an error (rename
/// would fail with a less clear one, or replace an empty directory).
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<File> {
    refuse_directory(path)?;
    tmp.persist(path).map_err(|e| e.error)
}

/// `Err` when `path` is a directory (not followed through a symlink: a
/// symlink there is replaced, whatever it points to).
pub fn refuse_directory(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        )),
        _ => Ok(()),
    }
}

/// Replace `path`'s contents with `bytes` by writing a new file and
/// renaming it into place (see the module docs).
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    refuse_directory(path)?;
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    persist(tmp, path)?;
    Ok(())
}

/// What is at a path strata is about to write.
pub enum Existing {
    /// Nothing (or a dangling symlink, which is removed like a file).
    Nothing,
    /// A regular file or a symlink to one: replace it, never write
    /// through it.
    File,
    /// A character device or a FIFO (after symlinks: `/dev/null`,
    /// `/dev/stdout`, a named pipe): a stream the user means to write to.
    /// Never removed (as root, removing `/dev/null` would be a disaster).
    Stream,
    /// A directory, a block device, a socket (after symlinks): refused.
    Refused(&'static str),
}

impl Existing {
    pub fn at(path: &Path) -> Existing {
        use std::os::unix::fs::FileTypeExt;
        if std::fs::symlink_metadata(path).is_err() {
            return Existing::Nothing;
        }
        let Ok(m) = std::fs::metadata(path) else {
            return Existing::File; // a dangling symlink
        };
        let t = m.file_type();
        if t.is_file() {
            Existing::File
        } else if t.is_char_device() || t.is_fifo() {
            Existing::Stream
        } else if t.is_dir() {
            Existing::Refused("is a directory")
        } else if t.is_block_device() {
            Existing::Refused("is a block device")
        } else {
            Existing::Refused("is not a regular file")
        }
    }
}

/// Open the character device or FIFO at `path` for writing (no create, no
/// truncate). Checked again on the open file: if what was opened is not
/// such a stream (swapped meanwhile for a regular file), it is an error,
/// nothing written. A FIFO without a reader is an error, not a hang.
pub fn open_stream(path: &Path) -> std::io::Result<File> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::FileTypeExt;
    let f = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let t = f.metadata()?.file_type();
    if !(t.is_char_device() || t.is_fifo()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "changed while being opened",
        ));
    }
    // Blocking writes from here on.
    // SAFETY: fcntl on a descriptor this function owns.
    unsafe {
        let flags = libc::fcntl(f.as_raw_fd(), libc::F_GETFL);
        if flags < 0 || libc::fcntl(f.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(f)
}

/// `path` with `suffix` appended to its file name (`x.csv` → `x.csv.errors.csv`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// The largest YAML or SQL file strata reads: far above any real schema,
/// migration or profile, far below the machine's memory.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// Open `path` for reading if it is a regular file of at most `max` bytes.
/// `O_NONBLOCK` makes opening a FIFO return at once instead of waiting for
/// a writer (it changes nothing for regular files); the type is checked on
/// the opened descriptor (`fstat`), so a rename between a check and the
/// open cannot slip anything else in.
pub fn open_regular(path: &Path, max: u64) -> io::Result<File> {
    // Checked before opening too: opening some devices does something of
    // its own (a tape rewinds, a terminal becomes ours).
    check_regular(&std::fs::metadata(path)?, max)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    check_regular(&file.metadata()?, max)?;
    Ok(file)
}

fn check_regular(meta: &std::fs::Metadata, max: u64) -> io::Result<()> {
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({what})"),
        ));
    }
    if meta.len() > max {
        return Err(too_large(max, Some(meta.len())));
    }
    Ok(())
}

/// What a file that is not a regular file is, for messages: `a FIFO`,
/// `a character device`…; `None` for a regular file.
pub fn not_regular(kind: &std::fs::FileType) -> Option<&'static str> {
    Some(if kind.is_file() {
        return None;
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    })
}

/// The bytes of the regular file `path`, refused past `max` bytes.
pub fn read_limited(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path, max)?;
    let mut bytes = Vec::with_capacity(file.metadata()?.len() as usize);
    // The file may grow after the size check: read at most one byte more
    // than allowed to notice it.
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(max, None));
    }
    Ok(bytes)
}

/// The UTF-8 text of the regular file `path`, refused past `max` bytes.
pub fn read_regular(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_limited(path, max)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (byte {} is not part of a UTF-8 character)",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// The text of a project file (YAML, SQL), refused past [`MAX_TEXT_FILE`].
pub fn read_text(path: &Path) -> io::Result<String> {
    read_regular(path, MAX_TEXT_FILE)
}

fn too_large(max: u64, len: Option<u64>) -> io::Error {
    let has = len
        .map(|n| format!(" (it has {})", human(n)))
        .unwrap_or_default();
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "larger than the {} strata reads from such a file{has}",
            human(max)
        ),
    )
}

/// A byte count for messages: `64 MiB`, `1.5 GiB`, `12 bytes`.
pub fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v.fract() == 0.0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn replace_and_create_new_never_write_through_a_symlink() {
        let d = tempfile::tempdir().unwrap();
        let victim = d.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = d.path().join("link");
        symlink(&victim, &link).unwrap();
        let e = create_new(&link).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        let dangling = d.path().join("dangling");
        symlink(d.path().join("nowhere"), &dangling).unwrap();
        assert!(create_new(&dangling).is_err());
        assert!(!d.path().join("nowhere").exists());
        replace(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        assert!(!link.symlink_metadata().unwrap().is_symlink());
        // A hard link: replaced as a name, its other name keeps the bytes.
        let hard = d.path().join("hard");
        std::fs::hard_link(&victim, &hard).unwrap();
        replace(&hard, b"other").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(replace(d.path(), b"x").is_err());
        // Only the files made here, no temporary left behind.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 4);
    }

    #[test]
    fn file_ids_see_through_spellings_and_links() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f");
        std::fs::write(&f, "x").unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        symlink(&f, d.path().join("s")).unwrap();
        std::fs::hard_link(&f, d.path().join("h")).unwrap();
        let id = FileId::of_file(&File::open(&f).unwrap()).unwrap();
        for p in ["f", "sub/../f", "./s", "h"] {
            assert!(id.is_at(&d.path().join(p)), "{p}");
        }
        assert!(!id.is_at(&d.path().join("sub")));
        assert!(!id.is_at(&d.path().join("absent")));
    }

    #[test]
    fn devices_fifos_and_directories_are_refused() {
        for p in ["/dev/zero", "/dev/null", "/"] {
            let e = read_text(Path::new(p)).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{p}: {e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text(&fifo).unwrap_err();
        assert!(e.to_string().contains("a FIFO"), "{e}");
        let link = dir.path().join("zero.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read_text(&link).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
    }

    #[test]
    fn size_limit_and_symlinks_to_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.yaml");
        std::fs::write(&f, "x: 1\n").unwrap();
        let link = dir.path().join("b.yaml");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert_eq!(read_text(&link).unwrap(), "x: 1\n");
        let e = read_limited(&f, 3).unwrap_err();
        assert!(e.to_string().contains("larger than the 3 bytes"), "{e}");
        std::fs::write(&f, b"\xff\xfe").unwrap();
        assert!(read_text(&f).unwrap_err().to_string().contains("UTF-8"));
    }
}
