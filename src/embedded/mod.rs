//! `embedded`: a throwaway PostgreSQL cluster started from the server
//! binaries on the machine, used for shadow databases and `strata dev`.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("PostgreSQL server binaries not found (looked in {searched}); install them, e.g. `apt-get install postgresql` (Debian/Ubuntu), `dnf install postgresql-server` (Fedora/RHEL) or `brew install postgresql` (macOS), or pass --dev-url")]
    NotFound { searched: String },
    #[error("{0}")]
    Other(String),
}

/// How to start the cluster.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedOptions {
    /// Directory holding `initdb`, `postgres`; found automatically if `None`.
    pub bindir: Option<PathBuf>,
    /// OS user to run the server as when strata runs as root
    /// (default `postgres`).
    pub run_as: Option<String>,
}

/// A running embedded cluster. Dropping it stops the server and removes its
/// directories.
pub struct Cluster {
    _private: (),
}

impl Cluster {
    pub fn start(opts: &EmbeddedOptions) -> Result<Cluster, EmbeddedError> {
        let _ = opts;
        todo!("embedded::Cluster::start")
    }

    /// Connection settings for database `dbname` on this cluster.
    pub fn config(&self, dbname: &str) -> tokio_postgres::Config {
        let _ = dbname;
        todo!()
    }
}

pub fn install_signal_handler() {}
impl Cluster {
    pub fn version(&self) -> String {
        todo!()
    }
    pub fn url(&self, _db: &str) -> String {
        todo!()
    }
}
