//! Removing run directories left behind by strata processes that were
//! killed (SIGKILL, OOM, power loss) before they could clean up.
//!
//! Every run directory `/tmp/strata-pg-*` records its owner's pid in
//! `owner.pid`. A directory is stale when that pid is dead; a postmaster
//! still running from it is an orphan (normally the parent-death signal
//! has already taken it down) and gets an immediate shutdown first.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::fsutil::{pid_alive, remove_tree};

pub const RUN_ROOT: &str = "/tmp";
pub const RUN_PREFIX: &str = "strata-pg-";
pub const OWNER_FILE: &str = "owner.pid";

/// A directory younger than this without `owner.pid` may be one another
/// process is creating right now.
const GRACE: Duration = Duration::from_secs(60);

/// Sweep `/tmp/strata-pg-*` (best effort; unreadable entries are skipped).
pub fn sweep_stale() {
    let Ok(entries) = fs::read_dir(RUN_ROOT) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let is_ours = e.file_name().to_string_lossy().starts_with(RUN_PREFIX);
        if is_ours && is_stale(&e.path()) {
            sweep_one(&e.path());
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
