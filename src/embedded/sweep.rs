//! Removing run directories left behind by strata processes that were
//! killed (SIGKILL, OOM, power loss) before they could clean up.
//!
//! Every run directory `<root>/strata-pg-*` (see `run_root`) records its owner's pid in
//! `owner.pid`. A directory is stale when that pid is dead; a postmaster
//! still running from it is an orphan (normally the parent-death signal
//! has already taken it down) and gets an immediate shutdown first.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::fsutil::{pid_alive, remove_tree};

/// Where run directories go: `STRATA_PG_RUN_ROOT` when set; else
/// `/dev/shm` when it is a shared tmpfs with at least 1 GiB free; else
/// `/tmp`. Memory first because a start is mostly creating ~1000 files and
/// `CREATE DATABASE` ~300 more: measured here, a start takes ~0.1 s on
/// tmpfs against ~1 s on a busy ext4 `/tmp`, and create+drop database
/// ~25 ms against ~300 ms. Scratch data is small and tmpfs can swap; set
/// `STRATA_PG_RUN_ROOT=/tmp` for a big `strata dev` data set. (Docker's
/// default 64 MB `/dev/shm` fails the size test and gets `/tmp`.)
pub fn run_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("STRATA_PG_RUN_ROOT").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if usable_shm(Path::new(SHM)) {
        PathBuf::from(SHM)
    } else {
        PathBuf::from(TMP)
    }
}

pub const RUN_PREFIX: &str = "strata-pg-";
pub const OWNER_FILE: &str = "owner.pid";

const SHM: &str = "/dev/shm";
const TMP: &str = "/tmp";

#[cfg(target_os = "linux")]
fn usable_shm(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const MIN_FREE: u64 = 1 << 30;
    // Shared and sticky like /tmp (mode 1777), so the run-as user can use
    // it and nobody can remove our directories.
    let shared =
        fs::metadata(dir).is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o1777 == 0o1777);
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statfs fills the zeroed struct; the path is NUL-terminated.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if !shared || unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return false;
    }
    #[allow(clippy::unnecessary_cast)] // field types differ between libcs
    let (kind, free) = (st.f_type as i64, st.f_bavail as u64 * st.f_bsize as u64);
    kind == TMPFS_MAGIC && free >= MIN_FREE
}

#[cfg(not(target_os = "linux"))]
fn usable_shm(_dir: &Path) -> bool {
    false
}

/// Every root a run directory may be in (any of them may hold leftovers,
/// whatever this process chose).
fn all_roots() -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from(SHM), PathBuf::from(TMP)];
    let chosen = run_root();
    if !roots.contains(&chosen) {
        roots.push(chosen);
    }
    roots
}

/// A directory younger than this without `owner.pid` may be one another
/// process is creating right now.
const GRACE: Duration = Duration::from_secs(60);

/// Sweep `<root>/strata-pg-*` for every root (best effort; unreadable
/// entries are skipped).
pub fn sweep_stale() {
    for root in all_roots() {
        let Ok(entries) = fs::read_dir(&root) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let is_ours = e.file_name().to_string_lossy().starts_with(RUN_PREFIX);
            if is_ours && is_stale(&e.path()) {
                sweep_one(&e.path());
            }
        }
    }
}

fn is_stale(dir: &Path) -> bool {
    match fs::read_to_string(dir.join(OWNER_FILE)) {
        Ok(s) => match s.trim().parse::<i32>() {
            Ok(pid) => !pid_alive(pid),
            Err(_) => old_enough(dir),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => old_enough(dir),
        // Unreadable: someone else's (another user's strata); leave it.
        Err(_) => false,
    }
}

fn old_enough(dir: &Path) -> bool {
    fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > GRACE)
}

fn sweep_one(dir: &Path) {
    if let Some(pid) = orphan_postmaster(dir) {
        // SAFETY: the pid was just checked to be a postmaster of `dir`.
        unsafe { libc::kill(pid, libc::SIGQUIT) };
        let start = Instant::now();
        while pid_alive(pid) && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        if pid_alive(pid) {
            return;
        }
    }
    let _ = remove_tree(dir);
}

/// The pid of a running postmaster whose data directory is in `dir`: the
/// pid from `postmaster.pid`, confirmed by its command line (pids get
/// reused).
fn orphan_postmaster(dir: &Path) -> Option<i32> {
    let data = dir.join("data");
    let text = fs::read_to_string(data.join("postmaster.pid")).ok()?;
    let pid: i32 = text.lines().next()?.trim().parse().ok()?;
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let needle = data.to_string_lossy();
    String::from_utf8_lossy(&cmdline)
        .contains(needle.as_ref())
        .then_some(pid)
}
