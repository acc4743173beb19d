//! The initdb'd template cluster, created once per server build (see
//! `Binaries::identity`) in a per-user cache directory and copied for
//! every start. Templates of earlier builds at the same path are removed
//! when a new one is installed.
//!
//! Where the cache lives:
//! - `STRATA_PG_CACHE_DIR` when set (as root it must be traversable by the
//!   run-as user);
//! - not root: `$XDG_CACHE_HOME/strata`, else `$HOME/.cache/strata`, else
//!   `/var/tmp/strata-<uid>`;
//! - root: `/var/tmp/strata-<run-as user>`, owned by that user, mode 0700.
//!   Root's own cache (`/root/.cache`) is useless there: `/root` is 0700,
//!   so the `postgres` user running initdb could not reach it. `/var/tmp`
//!   is world-traversable and, unlike `/tmp`, usually survives reboots.
//!
//! initdb flags: `--no-sync -A trust -U postgres -E UTF8 --locale=C`.
//! `C` rather than `C.UTF-8`: it exists on every platform (macOS and older
//! glibc have no `C.UTF-8`), its byte-order collation never changes with a
//! libc upgrade (no collation-version drift between template and server),
//! and it is the fastest to sort. Schemas that need a linguistic order name
//! a collation explicitly, which works the same.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::fsutil::{self, make_private_dir, pid_alive, remove_tree};
use super::locate::Binaries;
use super::runas::RunAs;
use super::{spawn, EmbeddedError};

/// File written into a template directory once initdb has finished; a
/// directory without it is never used.
const MARKER: &str = "strata-template";

/// The per-user cache directory (created if missing).
pub fn cache_dir(runas: Option<&RunAs>) -> Result<PathBuf, EmbeddedError> {
    if let Some(dir) = std::env::var_os("STRATA_PG_CACHE_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        create_dir_all(&dir)?;
        return Ok(dir);
    }
    match runas {
        Some(user) => root_cache_dir(user),
        None => user_cache_dir(),
    }
}

fn user_cache_dir() -> Result<PathBuf, EmbeddedError> {
    let env = |k| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("strata"));
    match dir {
        Some(d) => {
            create_dir_all(&d)?;
            Ok(d)
        }
        // SAFETY: getuid cannot fail.
        None => owned_var_tmp(&format!("strata-{}", unsafe { libc::getuid() }), None),
    }
}

fn root_cache_dir(user: &RunAs) -> Result<PathBuf, EmbeddedError> {
    owned_var_tmp(&format!("strata-{}", user.name), Some(user))
}

/// `/var/tmp/<name>`, 0700, owned by `owner` (or us). An existing directory
/// owned by anybody else is refused: someone could have planted it to feed
/// us a doctored template.
fn owned_var_tmp(name: &str, owner: Option<&RunAs>) -> Result<PathBuf, EmbeddedError> {
    let dir = Path::new("/var/tmp").join(name);
    match make_private_dir(&dir, owner) {
        Ok(()) => return Ok(dir),
        Err(EmbeddedError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = fs::symlink_metadata(&dir)
        .map_err(|e| EmbeddedError::io(format!("stat {}", dir.display()), e))?;
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    let expected = owner.map_or(me, |o| o.uid);
    if !meta.is_dir() || (meta.uid() != expected && meta.uid() != me) {
        return Err(EmbeddedError::Other(format!(
            "{} exists but is not a directory owned by uid {expected}; remove it or set STRATA_PG_CACHE_DIR",
            dir.display()
        )));
    }
    Ok(dir)
}

fn create_dir_all(dir: &Path) -> Result<(), EmbeddedError> {
    fs::create_dir_all(dir).map_err(|e| EmbeddedError::io(format!("creating {}", dir.display()), e))
}

/// The data directory of the template for these binaries, created (race
/// safe) if it does not exist yet.
pub fn ensure(
    bins: &Binaries,
    cache: &Path,
    runas: Option<&RunAs>,
) -> Result<PathBuf, EmbeddedError> {
    let dir = cache.join(template_name(bins));
    if dir.join(MARKER).is_file() {
        return Ok(dir.join("data"));
    }
    sweep_unfinished(cache);
    for _attempt in 0..2 {
        let tmp = build(bins, cache, runas)?;
        match fs::rename(&tmp, &dir) {
            Ok(()) => {
                sweep_superseded(cache, bins, &dir);
                return Ok(dir.join("data"));
            }
            // Another strata process won the race: use its template.
            Err(_) if dir.join(MARKER).is_file() => {
                let _ = remove_tree(&tmp);
                return Ok(dir.join("data"));
            }
            Err(e) => {
                let _ = remove_tree(&tmp);
                if !dir.exists() {
                    return Err(EmbeddedError::io(
                        format!("renaming into {}", dir.display()),
                        e,
                    ));
                }
                // A directory without the marker is foreign or broken:
                // move it aside (atomic, so racing processes agree) and retry.
                let aside = cache.join(format!("broken-{}-{}", std::process::id(), unique()));
                let _ = fs::rename(&dir, &aside);
                let _ = remove_tree(&aside);
            }
        }
    }
    Err(EmbeddedError::Other(format!(
        "could not install the template cluster at {}",
        dir.display()
    )))
}

/// `pg<major>-<identity>-template`.
pub(crate) fn template_name(bins: &Binaries) -> String {
    format!("pg{}-{}-template", bins.major, bins.identity)
}

/// The marker's text: version, binary directory, identity (one per line).
fn marker_text(bins: &Binaries) -> String {
    format!(
        "{}\n{}\n{}\n",
        bins.version,
        bins.bindir.display(),
        bins.identity
    )
}

/// Remove templates that can never be used again: those made by an earlier
/// build of the binaries in the same directory (the marker's second line),
/// and the `pg<major>-template` directories of strata versions that keyed
/// templates by major alone. A process still copying one of them fails
/// its start with a clear error; nothing else reads them.
fn sweep_superseded(cache: &Path, bins: &Binaries, keep: &Path) {
    let Ok(entries) = fs::read_dir(cache) else {
        return;
    };
    let legacy = format!("pg{}-template", bins.major);
    let ours = bins.bindir.display().to_string();
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path == keep || !name.starts_with("pg") || !name.ends_with("-template") {
            continue;
        }
        let same_bindir = fs::read_to_string(path.join(MARKER))
            .map(|m| m.lines().nth(1) == Some(ours.as_str()))
            .unwrap_or(false);
        if name == legacy || same_bindir {
            let aside = cache.join(format!("old-{}-{}", std::process::id(), unique()));
            if fs::rename(&path, &aside).is_ok() {
                let _ = remove_tree(&aside);
            }
        }
    }
}

/// initdb into `<cache>/tmp-<pid>-<n>/data`; returns `<cache>/tmp-<pid>-<n>`.
fn build(bins: &Binaries, cache: &Path, runas: Option<&RunAs>) -> Result<PathBuf, EmbeddedError> {
    let tmp = cache.join(format!("tmp-{}-{}", std::process::id(), unique()));
    make_private_dir(&tmp, runas)?;
    let result = run_initdb(bins, &tmp, runas).and_then(|()| {
        fs::write(tmp.join(MARKER), marker_text(bins))
            .map_err(|e| EmbeddedError::io(format!("writing {}", tmp.join(MARKER).display()), e))?;
        fsutil::chown(&tmp.join(MARKER), runas)
    });
    if let Err(e) = result {
        let _ = remove_tree(&tmp);
        return Err(e);
    }
    Ok(tmp)
}

fn run_initdb(bins: &Binaries, tmp: &Path, runas: Option<&RunAs>) -> Result<(), EmbeddedError> {
    let data = tmp.join("data");
    let mut cmd = Command::new(bins.initdb());
    cmd.arg("-D")
        .arg(&data)
        .args(["--no-sync", "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        .arg("--locale=C")
        // initdb (as the run-as user) must be able to stat its cwd.
        .current_dir(tmp)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    super::cluster::apply_user(&mut cmd, runas);
    let child = spawn::spawn_owned(cmd, libc::SIGKILL).map_err(|e| match runas {
        Some(user) if e.kind() == io::ErrorKind::PermissionDenied => {
            unreachable_binaries(bins, user)
        }
        _ => EmbeddedError::io(format!("running {}", bins.initdb().display()), e),
    })?;
    let out = child
        .wait_with_output()
        .map_err(|e| EmbeddedError::io("waiting for initdb", e))?;
    if out.status.success() {
        return Ok(());
    }
    Err(EmbeddedError::InitDb {
        status: out.status.to_string(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}

/// As root the server runs as an unprivileged user, who must be able to
/// reach the binaries: a build unpacked under `/root` (mode 0700) is not.
fn unreachable_binaries(bins: &Binaries, user: &RunAs) -> EmbeddedError {
    EmbeddedError::Other(format!(
        "the embedded server runs as the OS user `{name}` (strata runs as root and PostgreSQL refuses root), and `{name}` cannot execute {path}: every directory above it must be searchable by that user (/root is not); move the binaries (as root, `.ci/fetch-pg` puts them in /var/cache/strata/pg) or set STRATA_PG_USER",
        name = user.name,
        path = bins.initdb().display()
    ))
}

/// Remove `tmp-<pid>-*` directories whose initdb process is gone (strata
/// was killed while creating the template).
fn sweep_unfinished(cache: &Path) {
    let Ok(entries) = fs::read_dir(cache) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("tmp-")
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(pid) = pid {
            if !pid_alive(pid) {
                let _ = remove_tree(&e.path());
            }
        }
    }
}

/// A process-unique number for temp names.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bins(dir: &str, identity: &str) -> Binaries {
        Binaries {
            bindir: PathBuf::from(dir),
            version: "17.10".into(),
            major: 17,
            identity: identity.into(),
        }
    }

    fn template(cache: &Path, b: &Binaries) -> PathBuf {
        let dir = cache.join(template_name(b));
        fs::create_dir_all(dir.join("data")).unwrap();
        fs::write(dir.join(MARKER), marker_text(b)).unwrap();
        dir
    }

    #[test]
    fn a_new_build_supersedes_only_its_own_directory_and_legacy_templates() {
        let cache = tempfile::tempdir().unwrap();
        let old = template(cache.path(), &bins("/opt/pg17/bin", "aaaa"));
        let other = template(cache.path(), &bins("/usr/lib/postgresql/17/bin", "bbbb"));
        let legacy = cache.path().join("pg17-template");
        fs::create_dir_all(&legacy).unwrap();
        let legacy16 = cache.path().join("pg16-template");
        fs::create_dir_all(&legacy16).unwrap();
        let new_bins = bins("/opt/pg17/bin", "cccc");
        let new = template(cache.path(), &new_bins);
        sweep_superseded(cache.path(), &new_bins, &new);
        assert!(new.exists());
        assert!(!old.exists(), "same directory, earlier build");
        assert!(other.exists(), "another directory's build");
        assert!(!legacy.exists(), "keyed by major alone");
        assert!(legacy16.exists(), "another major's");
    }
}
