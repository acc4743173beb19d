//! Every live cluster of this process, so they can all be stopped from a
//! signal handler or at exit, and the signal handler itself (SIGINT,
//! SIGTERM, SIGHUP, SIGQUIT).

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

/// Install the SIGINT/SIGTERM/SIGHUP/SIGQUIT handler (idempotent): on any
/// of them, run the interrupt hooks, stop every live cluster, remove its
/// directories and exit with 128 + the signal number (130 for SIGINT,
/// 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT). A second signal during
/// that cleanup exits at once (the servers then die by their parent-death
/// signal and the next start sweeps their directories).
///
/// The handler is a dedicated thread with its own small tokio runtime
/// (tokio's signal support is already a dependency), so it works whether
/// or not the caller uses tokio. Once installed, these signals no longer
/// kill the process by default: this handler decides.
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

/// Whether `sig` was ignored (`SIG_IGN`) when strata started.
fn ignored(sig: libc::c_int) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one
    // into the zeroed struct.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Writing to a closed pipe (`strata plan | head -1` once `head` is gone)
/// makes `print!` panic with EPIPE: Rust ignores SIGPIPE, so the process
/// is not killed. Turn that panic into what a shell expects of a pipeline
/// member whose reader left: no message, the embedded clusters stopped and
/// their directories removed, exit status 141 (128 + SIGPIPE). Every other
/// panic goes to the previous hook. For binaries; call once at startup.
pub fn exit_quietly_on_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to std") && msg.contains("Broken pipe") {
            // On a thread of its own: this one may be inside a tokio
            // runtime, where the cleanup's blocking calls would panic.
            let code = 128 + libc::SIGPIPE;
            let cleanup = std::thread::Builder::new()
                .name("strata-cleanup".into())
                .spawn(move || cleanup_and_exit(code));
            if let Ok(handle) = cleanup {
                let _ = handle.join();
            }
            std::process::exit(code);
        }
        previous(info);
    }));
}

/// Register the signals, report success through `ready`, then wait: the
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
        // SIGHUP: the terminal closed (`strata dev` in a window that is
        // shut); SIGQUIT: Ctrl-\. Both would otherwise kill strata with
        // its cluster's directory left for the next run's sweep.
        let kinds = [
            (SignalKind::interrupt(), crate::error::exit::INTERRUPTED),
            (SignalKind::terminate(), 128 + libc::SIGTERM),
            (SignalKind::hangup(), 128 + libc::SIGHUP),
            (SignalKind::quit(), 128 + libc::SIGQUIT),
        ];
        let mut streams = Vec::new();
        for (kind, code) in kinds {
            // `nohup strata dev --keep &` ignores SIGHUP on purpose (and a
            // shell may ignore SIGQUIT for a background job): keep it so.
            let hup_or_quit = code == 128 + libc::SIGHUP || code == 128 + libc::SIGQUIT;
            if hup_or_quit && ignored(code - 128) {
                continue;
            }
            match signal(kind) {
                Ok(s) => streams.push((s, code)),
                Err(e) => {
                    let _ = ready.send(Err(format!("installing signal handlers: {e}")));
                    return;
                }
            }
        }
        let _ = ready.send(Ok(()));
        let mut cleaning = false;
        loop {
            let waits = streams.iter_mut().map(|(s, code)| {
                let code = *code;
                Box::pin(async move {
                    s.recv().await;
                    code
                })
            });
            let (code, _, _) = futures_util::future::select_all(waits).await;
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
