//! Small filesystem helpers: private directories, copying a data directory,
//! handing files to the run-as user.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::runas::RunAs;
use super::EmbeddedError;

/// Create `path` with mode 0700 (not affected by the umask) and give it to
/// `owner` when strata is root.
pub fn make_private_dir(path: &Path, owner: Option<&RunAs>) -> Result<(), EmbeddedError> {
    fs::DirBuilder::new()
        .mode(0o700)
        .create(path)
        .map_err(|e| EmbeddedError::io(format!("creating {}", path.display()), e))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o700))
        .map_err(|e| EmbeddedError::io(format!("chmod {}", path.display()), e))?;
    chown(path, owner)
}

pub fn chown(path: &Path, owner: Option<&RunAs>) -> Result<(), EmbeddedError> {
    let Some(o) = owner else { return Ok(()) };
    std::os::unix::fs::lchown(path, Some(o.uid), Some(o.gid))
        .map_err(|e| EmbeddedError::io(format!("chown {} to {}", path.display(), o.name), e))
}

/// Copy the directory tree `src` to the new directory `dst`, keeping file
/// modes, with directories 0700, everything owned by `owner` when root.
/// A plain copy, not hard links: the server writes its files in place and
/// must never touch the template. (`fs::copy` uses copy_file_range, which
/// reflinks on filesystems that can.) A data directory is ~1000 small
/// files, so the per-file syscalls dominate; a few threads overlap them.
pub fn copy_tree(src: &Path, dst: &Path, owner: Option<&RunAs>) -> Result<(), EmbeddedError> {
    let mut files = Vec::new();
    make_dirs(src, dst, owner, &mut files)?;
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((from, to)) = files.get(i) else {
                        return Ok(());
                    };
                    copy_file(from, to, owner)?;
                })
            })
            .collect();
        // The scope joins any worker left over after an early error.
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(EmbeddedError::Other("copy thread panicked".into())))
        })
    })
}

/// Recreate the directories (and symlinks) of `src` under `dst`, listing
/// the regular files to copy.
fn make_dirs(
    src: &Path,
    dst: &Path,
    owner: Option<&RunAs>,
    files: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), EmbeddedError> {
    make_private_dir(dst, owner)?;
    for entry in read_dir(src)? {
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let ft = entry
            .file_type()
            .map_err(|e| EmbeddedError::io(format!("stat {}", from.display()), e))?;
        if ft.is_dir() {
            make_dirs(&from, &to, owner, files)?;
        } else if ft.is_symlink() {
            let target = fs::read_link(&from)
                .map_err(|e| EmbeddedError::io(format!("readlink {}", from.display()), e))?;
            std::os::unix::fs::symlink(&target, &to)
                .map_err(|e| EmbeddedError::io(format!("symlink {}", to.display()), e))?;
            chown(&to, owner)?;
        } else {
            files.push((from, to));
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path, owner: Option<&RunAs>) -> Result<(), EmbeddedError> {
    fs::copy(from, to).map_err(|e| {
        EmbeddedError::io(format!("copying {} to {}", from.display(), to.display()), e)
    })?;
    chown(to, owner)
}

fn read_dir(path: &Path) -> Result<Vec<fs::DirEntry>, EmbeddedError> {
    fs::read_dir(path)
        .and_then(|it| it.collect::<io::Result<Vec<_>>>())
        .map_err(|e| EmbeddedError::io(format!("reading {}", path.display()), e))
}

/// Remove a directory tree; a missing directory is not an error.
pub fn remove_tree(path: &Path) -> Result<(), EmbeddedError> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(EmbeddedError::io(format!("removing {}", path.display()), e)),
    }
}

/// Whether process `pid` exists (signal 0). EPERM means it exists but
/// belongs to someone else.
pub fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks for existence/permission.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
