//! `Cluster`: one running embedded server and its private run directory
//! `<root>/strata-pg-XXXXXX/` (`owner.pid`, `server.log`, `data/`, and the
//! socket `.s.PGSQL.5432`), root `/dev/shm` or `/tmp` (see
//! `sweep::run_root`). Not `$TMPDIR`: a unix socket path must stay under
//! ~100 bytes (macOS's `$TMPDIR` alone is ~50), and fixed roots are what
//! the sweep of stale directories looks at.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fsutil::{copy_tree, remove_tree};
use super::locate::{self, Binaries};
use super::runas::{self, RunAs};
use super::sweep::{self, OWNER_FILE, RUN_PREFIX};
use super::{registry, server, template, EmbeddedError, EmbeddedOptions};

/// A running embedded cluster. Dropping it stops the server and removes its
/// directories; `stop` does the same and reports errors.
pub struct Cluster {
    inner: Arc<Inner>,
    bins: Binaries,
    startup: Duration,
}

/// The part the registry (signal handler, `stop_all`) shares.
pub(crate) struct Inner {
    run_dir: PathBuf,
    /// `None` once stopped. The lock is held for the whole shutdown so a
    /// concurrent stop (signal handler vs. drop) waits instead of removing
    /// directories under a running server.
    child: Mutex<Option<Child>>,
    pid: u32,
}

impl Inner {
    pub(crate) fn shutdown(&self) -> Result<(), EmbeddedError> {
        let mut guard = self.child.lock().unwrap_or_else(|p| p.into_inner());
        let Some(mut child) = guard.take() else {
            return Ok(());
        };
        let stopped = server::shutdown(&mut child);
        let removed = remove_tree(&self.run_dir);
        registry::deregister(self);
        stopped.and(removed)
    }
}

impl Cluster {
    /// Find the binaries, make sure the template exists, copy it into a
    /// fresh private directory and start the server on it.
    ///
    /// Blocks: the very first start per user and major version runs initdb
    /// (1–3 s); later starts take ~0.1 s on tmpfs, ~0.2–1 s on a disk
    /// (see `startup_time`). From async code, prefer `spawn_blocking`.
    pub fn start(opts: &EmbeddedOptions) -> Result<Cluster, EmbeddedError> {
        let t0 = Instant::now();
        let bins = locate::find(opts.bindir.as_deref(), opts.prefer_major)?;
        let runas = runas::resolve(opts.run_as.as_deref())?;
        sweep::sweep_stale();
        let cache = template::cache_dir(runas.as_ref())?;
        let template = template::ensure(&bins, &cache, runas.as_ref())?;
        let run_dir = make_run_dir(runas.as_ref())?;
        let launched = launch(&bins, &run_dir, &template, runas.as_ref());
        registry::deregister_pending(&run_dir);
        match launched {
            Ok(inner) => Ok(Cluster {
                inner,
                bins,
                startup: t0.elapsed(),
            }),
            Err(e) => {
                let _ = remove_tree(&run_dir);
                Err(e)
            }
        }
    }

    /// Connection settings for database `dbname`: the unix socket, user
    /// `postgres`, no TLS.
    pub fn config(&self, dbname: &str) -> tokio_postgres::Config {
        let mut c = tokio_postgres::Config::new();
        c.host_path(self.socket_dir())
            .port(self.port())
            .user("postgres")
            .dbname(dbname)
            .application_name("strata")
            .ssl_mode(tokio_postgres::config::SslMode::Disable);
        c
    }

    /// A libpq URL for `dbname`, usable by psql.
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "postgresql://postgres@/{}?host={}&port={}&sslmode=disable",
            percent_encode(dbname, false),
            percent_encode(&self.socket_dir().to_string_lossy(), true),
            self.port()
        )
    }

    /// The directory holding the unix socket (also the run directory).
    pub fn socket_dir(&self) -> &Path {
        &self.inner.run_dir
    }

    pub fn port(&self) -> u16 {
        server::PORT
    }

    /// The data directory of this cluster.
    pub fn data_dir(&self) -> PathBuf {
        self.inner.run_dir.join("data")
    }

    /// The server log (stdout and stderr of `postgres`).
    pub fn log_file(&self) -> PathBuf {
        self.inner.run_dir.join("server.log")
    }

    /// The server version, e.g. `15.18`.
    pub fn version(&self) -> &str {
        &self.bins.version
    }

    pub fn major_version(&self) -> u32 {
        self.bins.major
    }

    pub fn bindir(&self) -> &Path {
        &self.bins.bindir
    }

    /// The postmaster's pid.
    pub fn pid(&self) -> u32 {
        self.inner.pid
    }

    /// How long `start` took (binaries lookup, template, copy, boot).
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    /// Stop the server (fast shutdown, escalating if it hangs) and remove
    /// its directories.
    pub fn stop(self) -> Result<(), EmbeddedError> {
        self.inner.shutdown()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.inner.shutdown();
    }
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("socket_dir", &self.inner.run_dir)
            .field("pid", &self.inner.pid)
            .field("version", &self.bins.version)
            .finish()
    }
}

/// Copy the template, start the server, wait for it. Registered as soon as
/// the process exists, so a signal during startup still stops it.
fn launch(
    bins: &Binaries,
    run_dir: &Path,
    template: &Path,
    runas: Option<&RunAs>,
) -> Result<Arc<Inner>, EmbeddedError> {
    let data = run_dir.join("data");
    copy_tree(template, &data, runas)?;
    let log = run_dir.join("server.log");
    if registry::stopping() {
        return Err(EmbeddedError::Other("interrupted while starting".into()));
    }
    let child = server::launch(bins, run_dir, &data, &log, runas)?;
    let inner = Arc::new(Inner {
        run_dir: run_dir.to_path_buf(),
        pid: child.id(),
        child: Mutex::new(Some(child)),
    });
    registry::register(&inner);
    // Lock per poll, not across the wait: a signal handler stopping all
    // clusters must not wait for the startup timeout.
    let exited = || {
        let mut guard = inner.child.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut().map(Child::try_wait) {
            None => Some("stopped by another thread".to_string()),
            Some(Ok(Some(status))) => Some(status.to_string()),
            Some(Ok(None)) => None,
            Some(Err(e)) => Some(e.to_string()),
        }
    };
    let ready = server::wait_ready(exited, &data, &log).map_err(|e| match e {
        EmbeddedError::Start { message, log_tail } => EmbeddedError::Start {
            message: format!(
                "{message} (data directory copied from {})",
                template.display()
            ),
            log_tail,
        },
        other => other,
    });
    if let Err(e) = ready {
        let _ = inner.shutdown();
        return Err(e);
    }
    Ok(inner)
}

/// `mkdtemp("/tmp/strata-pg-XXXXXX")`, handed to the run-as user, with our
/// pid recorded for the stale-directory sweep.
fn make_run_dir(runas: Option<&RunAs>) -> Result<PathBuf, EmbeddedError> {
    let root = sweep::run_root();
    let pattern = root.join(format!("{RUN_PREFIX}XXXXXX"));
    // The socket path `<dir>/.s.PGSQL.5432` must fit in sockaddr_un.
    if pattern.as_os_str().len() + ".s.PGSQL.5432".len() + 1 > 100 {
        return Err(EmbeddedError::Other(format!(
            "STRATA_PG_RUN_ROOT {} is too long for a unix socket path; use a short directory",
            root.display()
        )));
    }
    let c = CString::new(pattern.as_os_str().as_bytes())
        .map_err(|_| EmbeddedError::Other("run directory pattern has a NUL".into()))?;
    let mut buf = c.into_bytes_with_nul();
    let dir = registry::create_pending(|| {
        // SAFETY: buf is a writable NUL-terminated template, as mkdtemp needs.
        let p = unsafe { libc::mkdtemp(buf.as_mut_ptr().cast()) };
        if p.is_null() {
            return Err(EmbeddedError::io(
                format!("creating a directory in {}", root.display()),
                std::io::Error::last_os_error(),
            ));
        }
        buf.pop();
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(&buf)))
    })?;
    let setup = std::fs::write(dir.join(OWNER_FILE), format!("{}\n", std::process::id()))
        .map_err(|e| EmbeddedError::io(format!("writing {}", dir.join(OWNER_FILE).display()), e))
        .and_then(|()| super::fsutil::chown(&dir, runas));
    if let Err(e) = setup {
        let _ = remove_tree(&dir);
        return Err(e);
    }
    Ok(dir)
}

/// Run `cmd` as the unprivileged user when strata is root.
pub(crate) fn apply_user(cmd: &mut Command, runas: Option<&RunAs>) {
    if let Some(u) = runas {
        cmd.uid(u.uid).gid(u.gid);
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters (and `/`
/// when `keep_slash`, for paths in query values).
fn percent_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn url_parts_are_encoded() {
        assert_eq!(
            percent_encode("/tmp/strata-pg-a1", true),
            "/tmp/strata-pg-a1"
        );
        assert_eq!(percent_encode("my db/x?", false), "my%20db%2Fx%3F");
    }
}
