//! Finding the PostgreSQL server binaries (`postgres`, `initdb`) and their
//! version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use super::EmbeddedError;

/// Where the server binaries live and which version they are.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub bindir: PathBuf,
    /// Full version string, e.g. `15.18`.
    pub version: String,
    /// Major version, e.g. `15`.
    pub major: u32,
    /// What tells one build from another (the template cache key): a hash
    /// of the directory, the version and the identity of the `postgres`
    /// and `initdb` files (device, inode, size, modification and change
    /// times). Two builds of one major never share a template, and a
    /// binary replaced in place (a package upgrade, a new download) gets a
    /// new one. npm-packed builds all carry the same mtime, which is why
    /// the inode and ctime are in it.
    pub identity: String,
}

impl Binaries {
    pub fn postgres(&self) -> PathBuf {
        self.bindir.join("postgres")
    }

    pub fn initdb(&self) -> PathBuf {
        self.bindir.join("initdb")
    }
}

/// Find the binaries: an explicit directory (option, then
/// `STRATA_PG_BINDIR`) wins and is not second-guessed; otherwise
/// `pg_config --bindir`, `PATH`, the usual package locations, then the
/// builds `.ci/fetch-pg` downloaded — the first of major `prefer` when
/// given and there is one, else the first. Successful lookups are
/// remembered for the life of the process (running `pg_config` and
/// `postgres --version` costs ~25 ms per start).
pub fn find(explicit: Option<&Path>, prefer: Option<u32>) -> Result<Binaries, EmbeddedError> {
    type Key = (Option<PathBuf>, Option<u32>);
    static FOUND: OnceLock<Mutex<HashMap<Key, Binaries>>> = OnceLock::new();
    let explicit = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("STRATA_PG_BINDIR").map(PathBuf::from));
    let prefer = prefer.filter(|_| explicit.is_none());
    let key = (explicit.clone(), prefer);
    let cache = FOUND.get_or_init(Default::default);
    if let Some(b) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(b);
    }
    let found = match prefer.and_then(of_major) {
        Some(b) => b,
        None => search(explicit)?,
    };
    if let Ok(mut m) = cache.lock() {
        m.insert(key, found.clone());
    }
    Ok(found)
}

/// The first candidate directory whose server is of `major`.
fn of_major(major: u32) -> Option<Binaries> {
    candidates()
        .into_iter()
        .filter(|d| has_server(d))
        .find_map(|d| search(Some(d)).ok().filter(|b| b.major == major))
}

fn search(explicit: Option<PathBuf>) -> Result<Binaries, EmbeddedError> {
    let candidates = match explicit {
        Some(dir) => vec![dir],
        None => candidates(),
    };
    let dir = candidates.iter().find(|d| has_server(d)).ok_or_else(|| {
        let searched = candidates
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>();
        EmbeddedError::NotFound {
            searched: if searched.is_empty() {
                "pg_config, PATH and the usual install locations".into()
            } else {
                searched.join(", ")
            },
        }
    })?;
    let version = server_version(dir)?;
    let major = major_of(&version).ok_or_else(|| {
        EmbeddedError::Other(format!(
            "cannot parse the version `{version}` of {}",
            dir.join("postgres").display()
        ))
    })?;
    let identity = identity(dir, &version)?;
    Ok(Binaries {
        bindir: dir.clone(),
        version,
        major,
        identity,
    })
}

/// See [`Binaries::identity`]: 16 hex digits of SHA-256.
fn identity(dir: &Path, version: &str) -> Result<String, EmbeddedError> {
    use sha2::{Digest, Sha256};
    use std::os::unix::fs::MetadataExt;
    let mut h = Sha256::new();
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    h.update(canonical.as_os_str().as_encoded_bytes());
    h.update([0]);
    h.update(version.as_bytes());
    for name in ["postgres", "initdb"] {
        let path = dir.join(name);
        let m = std::fs::metadata(&path)
            .map_err(|e| EmbeddedError::io(format!("stat {}", path.display()), e))?;
        for n in [m.dev(), m.ino(), m.size()] {
            h.update(n.to_le_bytes());
        }
        for t in [m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()] {
            h.update(t.to_le_bytes());
        }
    }
    let digest = h.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// A directory counts only if it holds both `postgres` and `initdb`:
/// Debian's `/usr/bin/pg_config` and client-only packages point at
/// directories without the server.
fn has_server(dir: &Path) -> bool {
    is_executable(&dir.join("postgres")) && is_executable(&dir.join("initdb"))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// All places to look, in order of preference (deduplicated).
pub(crate) fn candidates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut push = |p: PathBuf| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    if let Some(d) = pg_config_bindir() {
        push(d);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            push(d);
        }
    }
    for pattern in [
        ("/usr/lib/postgresql", "", "bin"),
        ("/usr", "pgsql-", "bin"),
        ("/opt/homebrew/opt", "postgresql", "bin"),
        ("/usr/local/opt", "postgresql", "bin"),
    ] {
        for d in versioned_dirs(pattern.0, pattern.1, pattern.2) {
            push(d);
        }
    }
    // Builds fetched by `.ci/fetch-pg` come last: a machine's own install
    // wins, the downloads serve machines without one and `--backup`
    // against a server newer than the local pg_dump.
    for d in downloaded() {
        push(d);
    }
    out
}

/// Where `.ci/fetch-pg` puts its builds: `STRATA_PG_DOWNLOADS`, else
/// `/var/cache/strata/pg` as root (reachable by the unprivileged run-as
/// user), else `$XDG_CACHE_HOME/strata/pg` or `~/.cache/strata/pg`.
pub(crate) fn downloads_root() -> Option<PathBuf> {
    let env = |k| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("STRATA_PG_DOWNLOADS") {
        return Some(d);
    }
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        return Some(PathBuf::from("/var/cache/strata/pg"));
    }
    env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("strata").join("pg"))
}

/// `<root>/<major>/server/bin` of every complete download, newest major
/// first. A root that someone else could have written to (not owned by us
/// or root, or group/world-writable) is ignored: its binaries would run
/// with our rights.
fn downloaded() -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let Some(root) = downloads_root() else {
        return Vec::new();
    };
    let trusted = |p: &Path| {
        std::fs::symlink_metadata(p).is_ok_and(|m| {
            // SAFETY: geteuid cannot fail.
            let me = unsafe { libc::geteuid() };
            m.is_dir() && (m.uid() == me || m.uid() == 0) && m.mode() & 0o022 == 0
        })
    };
    if !trusted(&root) {
        return Vec::new();
    }
    versioned_dirs(&root.to_string_lossy(), "", "server/bin")
        .into_iter()
        .filter(|bin| {
            let major = bin.parent().and_then(Path::parent);
            major.is_some_and(|m| trusted(m) && m.join(".complete").is_file())
        })
        .collect()
}

fn pg_config_bindir() -> Option<PathBuf> {
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?;
    let s = s.trim();
    (!s.is_empty()).then(|| PathBuf::from(s))
}

/// `<parent>/<prefix>*/<sub>`, newest version first (numeric sort on the
/// digits after the prefix, so 9.6 < 10 < 16).
fn versioned_dirs(parent: &str, prefix: &str, sub: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u64>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix(prefix)?;
            Some((version_key(rest), e.path().join(sub)))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, p)| p).collect()
}

/// `"15"` → `[15]`, `"9.6"` → `[9, 6]`, `"@16"` → `[16]`; non-digits
/// separate the numbers.
pub(crate) fn version_key(s: &str) -> Vec<u64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// `postgres --version` → `15.18` (from `postgres (PostgreSQL) 15.18 (…)`).
fn server_version(dir: &Path) -> Result<String, EmbeddedError> {
    let bin = dir.join("postgres");
    let out = Command::new(&bin)
        .arg("--version")
        .output()
        .map_err(|e| EmbeddedError::io(format!("running {} --version", bin.display()), e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .ok_or_else(|| {
            EmbeddedError::Other(format!(
                "unexpected output from {} --version: {}",
                bin.display(),
                text.trim()
            ))
        })
}

/// Major version: `15.18` → 15, `9.6.24` → 9 (pre-10 majors were two
/// numbers, but 9.x is long unsupported and only the cache key uses this),
/// `17beta1` → 17.
pub(crate) fn major_of(version: &str) -> Option<u32> {
    version_key(version)
        .first()
        .and_then(|n| u32::try_from(*n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_keys_sort_numerically() {
        let mut v = vec![version_key("9.6"), version_key("16"), version_key("10")];
        v.sort();
        assert_eq!(v, vec![vec![9, 6], vec![10], vec![16]]);
        assert_eq!(version_key("@16"), vec![16]);
    }

    #[test]
    fn identity_changes_with_the_build_and_the_path() {
        let write = |dir: &Path, body: &str| {
            for name in ["postgres", "initdb"] {
                let p = dir.join(name);
                let _ = std::fs::remove_file(&p);
                std::fs::write(&p, body).unwrap();
            }
        };
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write(a.path(), "build one");
        write(b.path(), "build one");
        let first = identity(a.path(), "17.10").unwrap();
        assert_eq!(first, identity(a.path(), "17.10").unwrap(), "stable");
        assert_eq!(first.len(), 16);
        assert_ne!(first, identity(b.path(), "17.10").unwrap(), "path");
        assert_ne!(first, identity(a.path(), "17.11").unwrap(), "version");
        // Same path, same version, same size: a new file is a new build.
        write(a.path(), "build two");
        assert_ne!(first, identity(a.path(), "17.10").unwrap(), "rebuilt");
    }

    #[test]
    fn majors() {
        assert_eq!(major_of("15.18"), Some(15));
        assert_eq!(major_of("17beta1"), Some(17));
        assert_eq!(major_of("devel"), None);
    }
}
