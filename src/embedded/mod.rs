//! `embedded`: a throwaway PostgreSQL cluster started from the server
//! binaries on the machine, used for shadow databases, `strata dev` and
//! the test suite.
//!
//! - `locate`: find `postgres`/`initdb`, their version and build identity
//!   (preferring a given major: the target's).
//! - `runas`: the unprivileged user to run as when strata is root.
//! - `template`: the initdb'd template, cached per user and server build.
//! - `cluster`: `Cluster` — copy the template, start, stop.
//! - `server`: the `postgres` command line, readiness, shutdown.
//! - `spawn`: forking children that die with strata (parent-death signal).
//! - `registry`: live clusters, `stop_all`, the signal handler (SIGINT,
//!   SIGTERM, SIGHUP, SIGQUIT), the broken-pipe exit.
//! - `sweep`: removing run directories of strata processes that were killed.
//!
//! Environment: `STRATA_PG_BINDIR` (binaries), `STRATA_PG_DOWNLOADS` (where
//! `.ci/fetch-pg` put its builds; searched last), `STRATA_PG_USER` (run-as
//! user when root), `STRATA_PG_CACHE_DIR` (template cache),
//! `STRATA_PG_RUN_ROOT` (where run directories go; default `/dev/shm` if
//! it is a big enough tmpfs, else `/tmp`).

mod cluster;
mod fsutil;
mod locate;
mod registry;
mod runas;
mod server;
mod spawn;
mod sweep;
mod template;

use std::path::PathBuf;

pub use cluster::Cluster;
pub use locate::Binaries;
pub use registry::{
    exit_quietly_on_broken_pipe, install_signal_handler, live_count, on_interrupt, stop_all,
    stopping,
};

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("PostgreSQL server binaries not found (looked in {searched}); install them, e.g. `apt-get install postgresql` (Debian/Ubuntu), `dnf install postgresql-server` (Fedora/RHEL) or `brew install postgresql` (macOS), or pass --dev-url")]
    NotFound { searched: String },
    #[error("strata runs as root and PostgreSQL refuses to run as root, so the embedded server runs as the OS user `{user}`, which does not exist; create it (e.g. `useradd --system --create-home {user}`) or set STRATA_PG_USER to an existing unprivileged user")]
    NoSuchUser { user: String },
    #[error("initdb failed ({status}):\n{output}")]
    InitDb { status: String, output: String },
    #[error("the embedded PostgreSQL server failed to start: {message}\n--- server log (last lines) ---\n{log_tail}\n---\n(if this persists, delete the template directory named above; strata recreates it)")]
    Start { message: String, log_tail: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

impl EmbeddedError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        EmbeddedError::Io {
            context: context.into(),
            source,
        }
    }
}

/// How to start the cluster.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedOptions {
    /// Directory holding `initdb`, `postgres`; found automatically if `None`
    /// (after `STRATA_PG_BINDIR`).
    pub bindir: Option<PathBuf>,
    /// OS user to run the server as when strata runs as root
    /// (default `STRATA_PG_USER`, then `postgres`).
    pub run_as: Option<String>,
    /// Without an explicit `bindir`: prefer binaries of this major (the
    /// target database's), so the shadow prints definitions as the target
    /// does. The first binaries found serve when none match.
    pub prefer_major: Option<u32>,
}

/// The template cache directory that `Cluster::start` would use with these
/// options (for diagnostics and tests).
pub fn template_cache_dir(opts: &EmbeddedOptions) -> Result<PathBuf, EmbeddedError> {
    let runas = runas::resolve(opts.run_as.as_deref())?;
    template::cache_dir(runas.as_ref())
}

/// The root and name prefix of new run directories (`/dev/shm/strata-pg-*`
/// or `/tmp/strata-pg-*`).
pub fn run_dir_pattern() -> (PathBuf, &'static str) {
    (sweep::run_root(), sweep::RUN_PREFIX)
}

/// The directory of the PostgreSQL server binaries these options select
/// (also where `pg_dump` of the same version lives).
pub fn find_bindir(opts: &EmbeddedOptions) -> Result<PathBuf, EmbeddedError> {
    Ok(locate::find(opts.bindir.as_deref(), opts.prefer_major)?.bindir)
}

/// The server binaries these options select: directory and version
/// (`strata --version`).
pub fn find_binaries(opts: &EmbeddedOptions) -> Result<Binaries, EmbeddedError> {
    locate::find(opts.bindir.as_deref(), opts.prefer_major)
}

/// Every directory the automatic search looks in, in order of preference
/// (for client tools such as `pg_dump`, which must match the *target*
/// server's version rather than the embedded one's).
pub fn bindir_candidates() -> Vec<PathBuf> {
    locate::candidates()
}
