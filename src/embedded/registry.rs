//! Every live cluster of this process, so they can all be stopped from a
//! signal handler or at exit, and the SIGINT/SIGTERM handler itself.

use std::sync::{Arc, Mutex, OnceLock};

use super::cluster::Inner;
use super::EmbeddedError;

fn live() -> &'static Mutex<Vec<Arc<Inner>>> {
    static LIVE: OnceLock<Mutex<Vec<Arc<Inner>>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(Vec::new()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves the list itself intact.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn register(inner: &Arc<Inner>) {
    ensure_atexit();
    lock(live()).push(inner.clone());
}

/// Rust never drops statics, and `std::process::exit` skips destructors:
/// a `Cluster` living in a static or on the stack of a function that
/// exits would be left to the parent-death signal (server killed, run
/// directory left for the next sweep). A libc `atexit` hook stops the
/// clusters properly on every exit that goes through `exit`.
fn ensure_atexit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    extern "C" fn at_exit() {
        stop_all();
    }
    // SAFETY: registers a plain extern "C" fn that never unwinds (stop_all
    // catches nothing but also never panics: it ignores every error).
    ONCE.call_once(|| unsafe {
        libc::atexit(at_exit);
    });
}

/// Run directories being set up (template copy, server start) and not yet
/// owned by a registered cluster: an interrupt in that window must remove
/// them too.
fn pending() -> &'static Mutex<Vec<std::path::PathBuf>> {
    static PENDING: OnceLock<Mutex<Vec<std::path::PathBuf>>> = OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(Vec::new()))
}

/// Set once an exit path started stopping everything: no new server may
/// start after that.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether an interrupt (or exit) is tearing everything down: errors seen
/// now are consequences of the cleanup, not failures to report.
pub fn stopping() -> bool {
    STOPPING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Create a run directory with `make` and record it as pending, atomically
/// with respect to `stop_all`: either the directory is made before the
/// cleanup takes the pending list (and the cleanup removes it), or the
/// cleanup has begun and no directory is made at all.
pub(crate) fn create_pending(
    make: impl FnOnce() -> Result<std::path::PathBuf, EmbeddedError>,
) -> Result<std::path::PathBuf, EmbeddedError> {
    ensure_atexit();
    let mut list = lock(pending());
    if stopping() {
        return Err(EmbeddedError::Other("interrupted".into()));
    }
    let dir = make()?;
    list.push(dir.clone());
    Ok(dir)
}

pub(crate) fn deregister_pending(dir: &std::path::Path) {
    lock(pending()).retain(|d| d != dir);
}

pub(crate) fn deregister(inner: &Inner) {
    lock(live()).retain(|i| !std::ptr::eq(Arc::as_ptr(i), inner));
}

/// Stop every live cluster of this process and remove its directories
/// (best effort). For exit paths: signal handlers, `atexit` guards.
pub fn stop_all() {
    {
        // Under the pending lock, so no run directory appears unseen.
        let _guard = lock(pending());
        STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    let all: Vec<Arc<Inner>> = std::mem::take(&mut *lock(live()));
    for inner in all {
        let _ = inner.shutdown();
    }
    // A start in progress may still be copying into its directory: remove
    // it until it stays gone (the copy fails once its directory vanished).
    let dirs: Vec<std::path::PathBuf> = std::mem::take(&mut *lock(pending()));
    for dir in dirs {
        for _ in 0..50 {
            let _ = super::fsutil::remove_tree(&dir);
            if !dir.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Number of live clusters in this process.
pub fn live_count() -> usize {
    lock(live()).len()
}

type Hook = (&'static str, fn());

fn hooks() -> &'static Mutex<Vec<Hook>> {
    static HOOKS: OnceLock<Mutex<Vec<Hook>>> = OnceLock::new();
    HOOKS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Run `hook` from the signal handler before the clusters are stopped
/// (e.g. to drop scratch databases on an external server). Registering the
/// same `key` twice keeps the first hook.
pub fn on_interrupt(key: &'static str, hook: fn()) {
    let mut h = lock(hooks());
    if !h.iter().any(|(k, _)| *k == key) {
        h.push((key, hook));
    }
}

/// Install the SIGINT/SIGTERM handler (idempotent): on either signal, run
/// the interrupt hooks, stop every live cluster, remove its directories
/// and exit with 130 (SIGINT) or 143 (SIGTERM). A second signal during
/// that cleanup exits at once (the servers then die by their parent-death
/// signal and the next start sweeps their directories).
///
/// The handler is a dedicated thread with its own small tokio runtime
/// (tokio's signal support is already a dependency), so it works whether
/// or not the caller uses tokio. Once installed, SIGINT and SIGTERM no
/// longer kill the process by default: this handler decides.
pub fn install_signal_handler() -> Result<(), EmbeddedError> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED
        .get_or_init(spawn_handler_thread)
        .clone()
        .map_err(EmbeddedError::Other)
}

fn spawn_handler_thread() -> Result<(), String> {
    let (tx, rx) = std::sync::mpsc::channel::<Result<(), String>>();
    std::thread::Builder::new()
        .name("strata-signals".into())
        .spawn(move || handle_signals(tx))
        .map_err(|e| format!("starting the signal handler thread: {e}"))?;
    rx.recv()
        .unwrap_or_else(|_| Err("the signal handler thread died".into()))
}

/// Clean up and exit with `code`.
fn cleanup_and_exit(code: i32) {
    let hooks: Vec<Hook> = lock(hooks()).clone();
    for (_, hook) in hooks {
        hook();
    }
    stop_all();
    std::process::exit(code);
}

/// Register both signals, report success through `ready`, then wait: the
/// first signal starts the cleanup on another thread, a second one exits.
fn handle_signals(ready: std::sync::mpsc::Sender<Result<(), String>>) {
    use tokio::signal::unix::{signal, SignalKind};
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = ready.send(Err(format!("signal handler runtime: {e}")));
            return;
        }
    };
    rt.block_on(async {
        let streams =
            signal(SignalKind::interrupt()).and_then(|i| Ok((i, signal(SignalKind::terminate())?)));
        let (mut int, mut term) = match streams {
            Ok(s) => s,
            Err(e) => {
                let _ = ready.send(Err(format!("installing signal handlers: {e}")));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        let mut cleaning = false;
        loop {
            let code = tokio::select! {
                _ = int.recv() => crate::error::exit::INTERRUPTED,
                _ = term.recv() => 128 + libc::SIGTERM,
            };
            if cleaning {
                std::process::exit(code);
            }
            cleaning = true;
            let spawned = std::thread::Builder::new()
                .name("strata-cleanup".into())
                .spawn(move || cleanup_and_exit(code));
            if spawned.is_err() {
                cleanup_and_exit(code);
            }
        }
    })
}
