//! An exclusive lock on the migrations directory for the commands that
//! write into it (`generate`, `rehash`): two `generate` runs in one
//! checkout would otherwise both pick the same next version, and a
//! `rehash` could bless a file a `generate` is half-way through checking.
//!
//! The lock is `flock(2)` on the directory itself, so no lock file is ever
//! created: nothing for refinery's discovery, `strata.sum` or `status` to
//! mistake for a migration, and nothing left behind by a killed run (the
//! kernel drops the lock with the process).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::{Error, Result};

/// Held until dropped.
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
}

/// Lock `dir` (created if missing), waiting for another strata process
/// that holds it; says so on stderr when it has to wait.
pub fn lock(dir: &Path) -> Result<DirLock> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let file = File::open(dir).map_err(|e| Error::io(format!("opening {}", dir.display()), e))?;
    let io = |e| Error::io(format!("locking {}", dir.display()), e);
    if !file.metadata().map_err(io)?.is_dir() {
        return Err(Error::Config(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    if try_flock(&file, libc::LOCK_EX | libc::LOCK_NB).map_err(io)? {
        return Ok(DirLock { _dir: file });
    }
    eprintln!(
        "waiting for another strata process writing to {} (generate or rehash)…",
        dir.display()
    );
    while !try_flock(&file, libc::LOCK_EX).map_err(io)? {}
    Ok(DirLock { _dir: file })
}

/// `Ok(true)`: locked; `Ok(false)`: held elsewhere (with `LOCK_NB`) or
/// interrupted by a signal (try again).
fn try_flock(file: &File, op: libc::c_int) -> std::io::Result<bool> {
    // SAFETY: flock(2) on a descriptor this File owns.
    if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EWOULDBLOCK) | Some(libc::EINTR) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_no_file_created() {
        let d = tempfile::tempdir().unwrap();
        let m = d.path().join("migrations");
        let held = lock(&m).unwrap();
        let other = File::open(&m).unwrap();
        assert!(!try_flock(&other, libc::LOCK_EX | libc::LOCK_NB).unwrap());
        drop(held);
        assert!(try_flock(&other, libc::LOCK_EX | libc::LOCK_NB).unwrap());
        assert_eq!(std::fs::read_dir(&m).unwrap().count(), 0);
    }
}
