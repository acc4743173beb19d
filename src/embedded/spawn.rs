//! Spawning `initdb` and `postgres` so they die with strata.
//!
//! Each child gets `prctl(PR_SET_PDEATHSIG, …)` in a `pre_exec` hook.
//! std runs `pre_exec` closures after `setgid`/`setuid` (and after
//! `setpgid`), which matters: the kernel clears the parent-death signal
//! when the credentials change, so setting it before the uid switch would
//! be lost.
//!
//! The parent-death signal fires when the *thread* that forked exits, not
//! the process. Callers of `Cluster::start` may be short-lived threads
//! (tokio's blocking pool, a test thread), so every child is forked from
//! one dedicated spawner thread that lives until the process exits. Then
//! "parent died" means exactly "strata died" (including SIGKILL).

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

fn spawner() -> io::Result<&'static Mutex<mpsc::Sender<Job>>> {
    static TX: OnceLock<Result<Mutex<mpsc::Sender<Job>>, String>> = OnceLock::new();
    TX.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        // Never joined: it must outlive every child it forks.
        std::thread::Builder::new()
            .name("strata-pg-spawner".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            })
            .map(|_| Mutex::new(tx))
            .map_err(|e| format!("starting the spawner thread: {e}"))
    })
    .as_ref()
    .map_err(|e| io::Error::other(e.clone()))
}

/// Spawn `cmd` from the spawner thread, with `death_signal` delivered to
/// the child when strata exits, in its own process group (so a terminal
/// Ctrl-C reaches only strata, which then shuts the server down in order).
pub fn spawn_owned(mut cmd: Command, death_signal: libc::c_int) -> io::Result<Child> {
    // SAFETY: getpid is always safe.
    let parent = unsafe { libc::getpid() };
    cmd.process_group(0);
    // SAFETY: the hook only calls async-signal-safe functions (prctl,
    // getppid) and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            #[cfg(target_os = "linux")]
            if libc::prctl(
                libc::PR_SET_PDEATHSIG,
                death_signal as libc::c_ulong,
                0,
                0,
                0,
            ) != 0
            {
                return Err(io::Error::last_os_error());
            }
            // strata may have died between fork and prctl: then nobody
            // would ever signal us.
            #[cfg(target_os = "linux")]
            if libc::getppid() != parent {
                return Err(io::Error::other("strata exited while starting PostgreSQL"));
            }
            #[cfg(not(target_os = "linux"))]
            let _ = (death_signal, parent);
            Ok(())
        });
    }
    let (tx, rx) = mpsc::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(cmd.spawn());
    });
    spawner()?
        .lock()
        .map_err(|_| io::Error::other("spawner lock poisoned"))?
        .send(job)
        .map_err(|_| io::Error::other("the spawner thread is gone"))?;
    rx.recv()
        .map_err(|_| io::Error::other("the spawner thread dropped the request"))?
}
