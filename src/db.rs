//! Connecting to PostgreSQL: libpq-style URLs and `key=value` strings, the
//! usual `PG*` environment variables as fallbacks, and TLS (rustls) with
//! libpq's `sslmode` semantics.

mod conninfo;

use std::sync::Arc;

pub use conninfo::{is_url, redact, redact_quoted};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Client, Config};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL: {0}")]
    Url(String),
    #[error("cannot connect to {target}: {}", describe(.source))]
    Connect {
        target: String,
        source: tokio_postgres::Error,
    },
    #[error("{context}: {}", describe(.source))]
    Query {
        context: String,
        source: tokio_postgres::Error,
    },
}

/// PostgreSQL's own message, detail, hint and position when the error came
/// from the server; the driver's message otherwise.
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            // The server quotes names and values in its messages: one
            // holding a newline must not start a line of its own (a
            // primary message is one line; details and hints may have
            // several, kept, indented).
            use crate::escape::{indented, line};
            let mut s = format!("{}: {}", db.severity(), line(db.message()));
            if let Some(d) = db.detail() {
                s.push_str(&format!("\n  detail: {}", indented(d, "    ")));
            }
            if let Some(h) = db.hint() {
                s.push_str(&format!("\n  hint: {}", indented(h, "    ")));
            }
            if let Some(tokio_postgres::error::ErrorPosition::Original(p)) = db.position() {
                s.push_str(&format!("\n  position: {p}"));
            }
            s
        }
        None => {
            // The driver's message is generic ("error performing TLS
            // handshake"); the cause chain says why.
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(cause) = src {
                s.push_str(&format!(": {cause}"));
                src = cause.source();
            }
            s
        }
    }
}

/// How strictly to use TLS; libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// A parsed connection target.
#[derive(Debug, Clone)]
pub struct Target {
    pub config: Config,
    pub tls: TlsMode,
    /// `sslrootcert` / `PGSSLROOTCERT`: PEM file of the CA(s) to trust for
    /// `verify-ca` / `verify-full` (else the Mozilla roots).
    pub root_cert: Option<std::path::PathBuf>,
}

impl Target {
    /// Parse a URL (`postgres://…`) or `key=value` string and fill unset
    /// fields from `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
    /// `PGSSLMODE`.
    ///
    /// Errors show the string through [`redact`] only: no password, in
    /// whatever form it was written, reaches a message.
    pub fn parse(url: &str) -> Result<Target, DbError> {
        let fail = |why: String| DbError::Url(format!("{}: {why}", redact(url)));
        let mut parts = conninfo::ConnString::split(url).map_err(|e| fail(e.to_string()))?;
        let root_cert = parts.take("sslrootcert");
        let sslmode = parts.take("sslmode");
        parts.check_keys().map_err(|e| fail(e.to_string()))?;
        let root_cert = root_cert
            .or_else(|| std::env::var("PGSSLROOTCERT").ok())
            .filter(|p| !p.is_empty() && p != "system")
            .map(std::path::PathBuf::from);
        let mut config: Config = parts
            .to_libpq()
            .parse()
            .map_err(|e| fail(conninfo::describe_parse_error(&e)))?;
        apply_env_defaults(&mut config);
        let mode = sslmode
            .or_else(|| std::env::var("PGSSLMODE").ok())
            .unwrap_or_else(|| "prefer".into());
        let tls = match mode.as_str() {
            "disable" | "allow" => TlsMode::Disable,
            "prefer" => TlsMode::Prefer,
            "require" => TlsMode::Require,
            "verify-ca" => TlsMode::VerifyCa,
            "verify-full" => TlsMode::VerifyFull,
            other => {
                return Err(fail(format!(
                "unknown sslmode {} (disable, allow, prefer, require, verify-ca or verify-full)",
                conninfo::key_name(other)
            )))
            }
        };
        config.ssl_mode(match tls {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        Ok(Target {
            config,
            tls,
            root_cert,
        })
    }

    /// A target for an explicit config (embedded cluster: unix socket, no TLS).
    pub fn from_config(config: Config) -> Target {
        let mut config = config;
        config.ssl_mode(SslMode::Disable);
        Target {
            config,
            tls: TlsMode::Disable,
            root_cert: None,
        }
    }

    /// Same server and database, another user (no password: the embedded
    /// cluster trusts its socket).
    pub fn with_user(&self, user: &str) -> Target {
        let mut t = self.clone();
        t.config.user(user);
        t
    }

    /// Same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> Target {
        let mut t = self.clone();
        t.config.dbname(dbname);
        t
    }

    /// `user@host:port/db` for messages and headers (never the password).
    /// Built from the parsed parts, with control characters escaped: this
    /// text lands in `--` comments of SQL, where a newline would end the
    /// comment.
    pub fn display(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let shown = format!(
            "{}@{}:{}/{}",
            self.config.get_user().unwrap_or("?"),
            host,
            port,
            self.config.get_dbname().unwrap_or("?")
        );
        shown
            .chars()
            .flat_map(|c| {
                let escaped: Vec<char> = if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                };
                escaped
            })
            .collect()
    }

    /// A libpq URL for this target (password left out), usable by psql and
    /// pg_dump: unix sockets go in `?host=`.
    pub fn url(&self) -> String {
        let user = self.config.get_user().unwrap_or("postgres");
        let db = self.config.get_dbname().unwrap_or(user);
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        match self.config.get_hosts().first() {
            Some(Host::Unix(p)) => {
                format!("postgresql://{user}@/{db}?host={}&port={port}", p.display())
            }
            Some(Host::Tcp(h)) => format!("postgresql://{user}@{h}:{port}/{db}"),
            None => format!("postgresql://{user}@localhost:{port}/{db}"),
        }
    }

    /// Connect and drive the connection on the current tokio runtime.
    pub async fn connect(&self) -> Result<Client, DbError> {
        let err = |source| DbError::Connect {
            target: self.display(),
            source,
        };
        // libpq never negotiates TLS on a unix socket; neither do we.
        let unix = self
            .config
            .get_hosts()
            .iter()
            .all(|h| matches!(h, Host::Unix(_)));
        if self.tls == TlsMode::Disable || (unix && self.tls == TlsMode::Prefer) {
            let mut config = self.config.clone();
            config.ssl_mode(SslMode::Disable);
            let (client, conn) = config.connect(tokio_postgres::NoTls).await.map_err(err)?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            return Ok(client);
        }
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(
            self.tls,
            self.root_cert.as_deref(),
        )?);
        let (client, conn) = self.config.connect(tls).await.map_err(err)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }
}

fn apply_env_defaults(config: &mut Config) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) => {
                for h in h.split(',') {
                    config.host(h);
                }
            }
            None => default_host(config),
        }
    }
    if config.get_ports().is_empty() {
        if let Some(p) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(p);
        }
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(d) = env("PGDATABASE") {
            config.dbname(&d);
        } else if let Some(u) = config.get_user().map(str::to_string) {
            config.dbname(&u);
        }
    }
}

/// libpq's default: the unix socket directory if it exists, else localhost.
fn default_host(config: &mut Config) {
    for dir in ["/var/run/postgresql", "/tmp"] {
        if std::path::Path::new(dir).join(".s.PGSQL.5432").exists() {
            config.host_path(dir);
            return;
        }
    }
    config.host("localhost");
}

/// `verify-ca` is verified like `verify-full` (host name included): rustls
/// has no CA-only mode, and the stricter check never accepts what the
/// looser one would refuse.
fn tls_config(
    mode: TlsMode,
    root_cert: Option<&std::path::Path>,
) -> Result<rustls::ClientConfig, DbError> {
    use rustls::pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError::Url(format!("TLS setup: {e}")))?;
    Ok(match mode {
        TlsMode::VerifyCa | TlsMode::VerifyFull => {
            let mut roots = rustls::RootCertStore::empty();
            match root_cert {
                Some(path) => {
                    let certs = rustls::pki_types::CertificateDer::pem_file_iter(path)
                        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                        .map_err(|e| {
                            DbError::Url(format!("sslrootcert {}: {e}", path.display()))
                        })?;
                    for c in certs {
                        roots.add(c).map_err(|e| {
                            DbError::Url(format!("sslrootcert {}: {e}", path.display()))
                        })?;
                    }
                }
                None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        // libpq's `prefer` and `require` encrypt but do not verify the
        // server certificate; match that so hosted servers with private CAs
        // work the same as with psql.
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
            .with_no_client_auth(),
    })
}

#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h/db"),
            "postgresql://u:***@h/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgresql://u@h/db");
    }
}
