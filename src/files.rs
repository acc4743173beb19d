//! Reading the project's own input files (YAML, SQL, word lists) safely.
//!
//! Every path strata reads may be chosen by an attacker or by accident: a
//! symlink to `/dev/zero`, a FIFO nobody writes to, a multi-gigabyte file.
//! `std::fs::read_to_string` would read the first forever, block on the
//! second and exhaust memory on the third. These readers accept regular
//! files only (a symlink to a regular file is fine: checked on the opened
//! descriptor, so a swap between check and read cannot slip a device in)
//! and stop at a size limit, reporting both as ordinary `io::Error`s so
//! every caller's existing "cannot read FILE: …" message carries them.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The largest YAML or SQL file strata reads: far above any real schema,
/// migration or profile, far below the machine's memory.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// Open `path` for reading if it is a regular file of at most `max` bytes.
/// `O_NONBLOCK` makes opening a FIFO return at once instead of waiting for
/// a writer (it changes nothing for regular files); the type is checked on
/// the opened descriptor (`fstat`), so a rename between a check and the
/// open cannot slip anything else in.
pub fn open_regular(path: &Path, max: u64) -> io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
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
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({what})"),
        ));
    }
    if meta.len() > max {
        return Err(too_large(max, Some(meta.len())));
    }
    Ok(file)
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
