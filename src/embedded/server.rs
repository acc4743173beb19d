//! Running the `postgres` process itself: the command line, waiting until
//! it accepts connections, and shutting it down.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::locate::Binaries;
use super::runas::RunAs;
use super::{spawn, EmbeddedError};

/// The socket is private to the run directory, so the port only names the
/// socket file and never conflicts with anything.
pub const PORT: u16 = 5432;

const START_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(2);
/// Fast shutdown normally takes milliseconds; a server that ignores it
/// is escalated to immediate shutdown (SIGQUIT), then killed.
const FAST_TIMEOUT: Duration = Duration::from_secs(10);
const IMMEDIATE_TIMEOUT: Duration = Duration::from_secs(5);

/// Settings for a scratchpad: nothing needs to survive a crash, so skip
/// every durability cost; no TCP at all; no JIT (compiling is slower than
/// running the small queries a shadow database sees).
const SETTINGS: &[(&str, &str)] = &[
    ("listen_addresses", ""),
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("wal_level", "minimal"),
    ("max_wal_senders", "0"),
    ("wal_log_hints", "off"),
    ("checkpoint_timeout", "1h"),
    ("max_wal_size", "2GB"),
    ("jit", "off"),
    ("huge_pages", "off"),
    ("logging_collector", "off"),
    ("log_min_messages", "warning"),
];

/// Start `postgres` on `data`, listening only on a socket in `run_dir`,
/// logging to `log`.
pub fn launch(
    bins: &Binaries,
    run_dir: &Path,
    data: &Path,
    log: &Path,
    runas: Option<&RunAs>,
) -> Result<Child, EmbeddedError> {
    let logfile = fs::File::create(log)
        .map_err(|e| EmbeddedError::io(format!("creating {}", log.display()), e))?;
    let logfile2 = logfile
        .try_clone()
        .map_err(|e| EmbeddedError::io("duplicating the log file handle", e))?;
    let mut cmd = Command::new(bins.postgres());
    cmd.arg("-D")
        .arg(data)
        .arg("-k")
        .arg(run_dir)
        .arg("-p")
        .arg(PORT.to_string());
    for (k, v) in SETTINGS {
        cmd.arg("-c").arg(format!("{k}={v}"));
    }
    cmd.current_dir(run_dir)
        .stdin(Stdio::null())
        .stdout(logfile)
        .stderr(logfile2);
    super::cluster::apply_user(&mut cmd, runas);
    // SIGQUIT is PostgreSQL's "immediate shutdown": the postmaster takes
    // its backends down with it.
    spawn::spawn_owned(cmd, libc::SIGQUIT)
        .map_err(|e| EmbeddedError::io(format!("starting {}", bins.postgres().display()), e))
}

/// Wait until the postmaster reports `ready` in `postmaster.pid` (what
/// `pg_ctl -w` checks), polling every few milliseconds. `exited` says why
/// the server is gone, if it is (checked on every poll).
pub fn wait_ready(
    mut exited: impl FnMut() -> Option<String>,
    data: &Path,
    log: &Path,
) -> Result<(), EmbeddedError> {
    let started = Instant::now();
    let pidfile = data.join("postmaster.pid");
    loop {
        if let Some(why) = exited() {
            return Err(EmbeddedError::Start {
                message: format!("postgres exited during startup ({why})"),
                log_tail: log_tail(log),
            });
        }
        if let Ok(text) = fs::read_to_string(&pidfile) {
            // Line 8 is the postmaster status (PostgreSQL 10+).
            if text.lines().nth(7).map(str::trim) == Some("ready") {
                return Ok(());
            }
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(EmbeddedError::Start {
                message: format!("postgres did not become ready within {START_TIMEOUT:?}"),
                log_tail: log_tail(log),
            });
        }
        std::thread::sleep(POLL);
    }
}

/// Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL to the
/// whole process group; always reaps the postmaster.
pub fn shutdown(child: &mut Child) -> Result<(), EmbeddedError> {
    let pid = child.id() as i32;
    for (sig, timeout) in [
        (libc::SIGINT, FAST_TIMEOUT),
        (libc::SIGQUIT, IMMEDIATE_TIMEOUT),
    ] {
        // SAFETY: the child is not reaped yet, so `pid` is still ours.
        unsafe { libc::kill(pid, sig) };
        if wait_for_exit(child, timeout)? {
            return Ok(());
        }
    }
    // SAFETY: the process group is the postmaster's own (process_group(0)).
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    child
        .wait()
        .map(|_| ())
        .map_err(|e| EmbeddedError::io("waiting for postgres to exit", e))
}

fn wait_for_exit(child: &mut Child, timeout: Duration) -> Result<bool, EmbeddedError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    while start.elapsed() < timeout {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(true),
            Ok(None) => std::thread::sleep(pause),
            Err(e) => return Err(EmbeddedError::io("waiting for postgres to exit", e)),
        }
        pause = (pause * 2).min(Duration::from_millis(20));
    }
    Ok(false)
}

/// The last lines of the server log, for error messages.
pub fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(20);
    lines[from..].join("\n")
}
