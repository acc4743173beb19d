//! Reading the files a seed profile reads (the profile itself,
//! `one_of_file` word lists and CSV files): regular files only, up to a
//! size. `/dev/zero`, a FIFO, a directory or a symlink to one of those is
//! refused by what it is, not read until memory runs out or a writer
//! shows up; a file that grows while it is read stops at the limit.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use super::limits::human;

/// The text of the regular file at `path`, at most `max` bytes. Errors
/// say what the file is instead, or how large it is.
pub fn read_regular(path: &Path, max: u64) -> io::Result<String> {
    let mut file = open_regular(path, max)?;
    let mut text = String::new();
    (&mut file).take(max + 1).read_to_string(&mut text)?;
    if text.len() as u64 > max {
        return Err(too_large(max, None));
    }
    Ok(text)
}

/// The regular file at `path` (of at most `max` bytes), opened for
/// reading; anything else is refused without reading from it.
pub fn open_regular(path: &Path, max: u64) -> io::Result<File> {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer. It
    // changes nothing for the regular files that get past the check.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    check(&file, max)?;
    Ok(file)
}

/// Refuse what is not a regular file, or is larger than `max`. Checked on
/// the open file (`fstat`), so a rename between a check and the open
/// cannot slip anything else in.
fn check(file: &File, max: u64) -> io::Result<()> {
    let meta = file.metadata()?;
    let ft = meta.file_type();
    if !ft.is_file() {
        let what = if ft.is_dir() {
            "a directory"
        } else if ft.is_fifo() {
            "a FIFO"
        } else if ft.is_char_device() {
            "a character device"
        } else if ft.is_block_device() {
            "a block device"
        } else if ft.is_socket() {
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
    Ok(())
}

fn too_large(max: u64, len: Option<u64>) -> io::Error {
    let has = len
        .map(|n| format!(" (it has {})", human(n)))
        .unwrap_or_default();
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("larger than the {} a seed input may be{has}", human(max)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_only_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "a\nb\n").unwrap();
        assert_eq!(read_regular(&p, 4).unwrap(), "a\nb\n");
        let e = read_regular(&p, 3).unwrap_err().to_string();
        assert!(e.contains("larger than the 3 bytes"), "{e}");
        let e = read_regular(Path::new("/dev/zero"), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a regular file (a character device)"), "{e}");
        let e = read_regular(dir.path(), 1 << 20).unwrap_err().to_string();
        assert!(e.contains("a directory"), "{e}");
    }
}
