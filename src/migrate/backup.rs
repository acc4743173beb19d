//! `--backup DIR`: a `pg_dump --format=custom` of the target, taken under
//! the migration lock and before the first pending migration runs. A
//! missing or failing `pg_dump` stops the run before anything is applied.
//!
//! The connection goes to `pg_dump` through `PG*` environment variables
//! (never its command line): the password stays out of `ps`, and unix
//! sockets, ports and TLS settings mean exactly what they meant to strata.
//!
//! The dump file is created by strata, new (`O_EXCL`), and handed to
//! `pg_dump` as its stdout: `pg_dump --file` would open the predictable
//! name itself, following a symlink planted there and truncating its
//! target. (A regular file as stdout is seekable: the custom format keeps
//! its data offsets.)

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio_postgres::config::Host;
use tokio_postgres::Client;

use crate::db::{DbError, Target, TlsMode};
use crate::embedded::{self, EmbeddedOptions};
use crate::{Error, Result};

/// Dump `target` into `dir` as `<db>-<UTC timestamp>-before-<label>.dump`
/// (`label`: `V7` before applying V7, `rollback-V7` before undoing it).
pub async fn dump(
    client: &Client,
    target: &Target,
    dir: &Path,
    label: &str,
    bins: &EmbeddedOptions,
) -> Result<PathBuf> {
    let server_major = server_major(client).await?;
    let pg_dump = find_pg_dump(bins, server_major, "--backup").map_err(|e| match e {
        Error::Refused(m) => Error::Refused(format!("{m}; nothing was applied")),
        e => e,
    })?;
    std::fs::create_dir_all(dir).map_err(|e| backup_io(dir, e))?;
    let db = target.config.get_dbname().unwrap_or("postgres");
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let file = dir.join(format!("{}-{stamp}-before-{label}.dump", file_safe(db)));
    let out_file = crate::files::create_new(&file).map_err(|e| {
        Error::io(
            format!(
                "creating the backup {} (nothing was applied)",
                file.display()
            ),
            e,
        )
    })?;
    let mut cmd = Command::new(&pg_dump);
    cmd.arg("--format=custom").stdout(out_file);
    connection_env(&mut cmd, target);
    // pg_dump is blocking and can take minutes: keep the runtime free.
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| Error::Config(format!("running pg_dump: {e}")))
        .and_then(|r| r.map_err(|e| Error::io(format!("running {}", pg_dump.display()), e)));
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            let _ = std::fs::remove_file(&file); // ours: created new above
            return Err(e);
        }
    };
    if !out.status.success() {
        let _ = std::fs::remove_file(&file);
        return Err(Error::Refused(format!(
            "the backup failed, nothing was applied: {} exited with {}:\n{}",
            pg_dump.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        )));
    }
    Ok(file)
}

fn backup_io(dir: &Path, e: std::io::Error) -> Error {
    Error::io(
        format!(
            "creating the backup directory {} (nothing was applied)",
            dir.display()
        ),
        e,
    )
}

/// The server's major version (`server_version_num` 150004 → 15).
pub(crate) async fn server_major(client: &Client) -> Result<u32> {
    let v: String = client
        .query_one("SELECT current_setting('server_version_num')", &[])
        .await
        .map_err(|source| DbError::Query {
            context: "reading the server version".into(),
            source,
        })?
        .get(0);
    Ok(v.parse::<u32>().map_or(0, |n| n / 10000))
}

/// A `pg_dump` at least as new as the server (older ones refuse to dump
/// it): the explicit bindir first (strata.yaml's `embedded.bindir` or
/// `STRATA_PG_BINDIR`), then every place the embedded module searches,
/// which ends with the builds `.ci/fetch-pg` downloaded — so a machine
/// whose own pg_dump is 15 still backs up an 18 server.
pub(crate) fn find_pg_dump(
    bins: &EmbeddedOptions,
    server_major: u32,
    purpose: &str,
) -> Result<PathBuf> {
    let explicit = bins
        .bindir
        .clone()
        .or_else(|| std::env::var_os("STRATA_PG_BINDIR").map(PathBuf::from));
    let mut dirs: Vec<PathBuf> = explicit.into_iter().collect();
    for d in embedded::bindir_candidates() {
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    pick_pg_dump(&dirs, server_major, purpose)
}

/// The first `pg_dump` in `dirs` whose major is at least `server_major`.
fn pick_pg_dump(dirs: &[PathBuf], server_major: u32, purpose: &str) -> Result<PathBuf> {
    let mut seen = Vec::new();
    for d in dirs {
        let bin = d.join("pg_dump");
        if !bin.is_file() {
            continue;
        }
        match client_major(&bin) {
            Some(m) if m >= server_major => return Ok(bin),
            Some(m) => seen.push(format!("{} (version {m})", bin.display())),
            None => seen.push(format!("{} (version unknown)", bin.display())),
        }
    }
    let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(Error::Refused(format!(
        "{purpose} needs pg_dump {server_major} or newer (the server's version); {}; searched {}",
        if seen.is_empty() {
            "found no pg_dump".to_string()
        } else {
            format!("found only {}", seen.join(", "))
        },
        searched.join(", ")
    )))
}

/// `pg_dump (PostgreSQL) 15.4` → 15.
fn client_major(bin: &Path) -> Option<u32> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let word = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    word.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The target as libpq environment variables (overriding any inherited).
pub(crate) fn connection_env(cmd: &mut Command, t: &Target) {
    let c = &t.config;
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(h) => h.clone(),
            Host::Unix(p) => p.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        cmd.env("PGHOST", hosts.join(","));
    }
    let ports: Vec<String> = c.get_ports().iter().map(u16::to_string).collect();
    if !ports.is_empty() {
        cmd.env("PGPORT", ports.join(","));
    }
    if let Some(u) = c.get_user() {
        cmd.env("PGUSER", u);
    }
    if let Some(d) = c.get_dbname() {
        cmd.env("PGDATABASE", d);
    }
    match c.get_password() {
        Some(p) => cmd.env("PGPASSWORD", String::from_utf8_lossy(p).as_ref()),
        None => cmd.env_remove("PGPASSWORD"),
    };
    cmd.env("PGSSLMODE", sslmode(t.tls));
    if let Some(root) = &t.root_cert {
        cmd.env("PGSSLROOTCERT", root);
    }
    cmd.env_remove("PGSERVICE");
}

fn sslmode(m: TlsMode) -> &'static str {
    match m {
        TlsMode::Disable => "disable",
        TlsMode::Prefer => "prefer",
        TlsMode::Require => "require",
        TlsMode::VerifyCa => "verify-ca",
        TlsMode::VerifyFull => "verify-full",
    }
}

/// A database name usable in a file name.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_file_safe() {
        assert_eq!(file_safe("my db/../x"), "my_db____x");
    }

    fn fake(dir: &Path, version: &str) {
        use std::os::unix::fs::PermissionsExt;
        let bin = dir.join("pg_dump");
        std::fs::write(
            &bin,
            format!("#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n"),
        )
        .unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn an_old_pg_dump_is_passed_over_for_a_newer_one() {
        let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        fake(old.path(), "15.18");
        fake(new.path(), "18.6");
        let dirs = [old.path().to_path_buf(), new.path().to_path_buf()];
        assert_eq!(
            pick_pg_dump(&dirs, 15, "--backup").unwrap(),
            old.path().join("pg_dump")
        );
        assert_eq!(
            pick_pg_dump(&dirs, 18, "--backup").unwrap(),
            new.path().join("pg_dump")
        );
        let e = pick_pg_dump(&dirs, 19, "--backup").unwrap_err().to_string();
        assert!(
            e.contains("needs pg_dump 19 or newer")
                && e.contains("version 15")
                && e.contains("version 18")
                && e.contains("--backup needs"),
            "{e}"
        );
    }
}
