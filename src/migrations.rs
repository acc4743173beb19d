//! The `migrations/` directory: `V{n}__{name}.sql` files (the convention
//! refinery and Flyway share), their order, and writing the next one.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// One migration file.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    pub version: u64,
    pub name: String,
    pub path: PathBuf,
}

/// The history table refinery (and `strata migrate`) keep in the target
/// database. It is bookkeeping, not schema: never diffed, never pulled.
pub const HISTORY_TABLE: &str = "refinery_schema_history";

/// strata's progress table for half-applied `-- strata:no-transaction`
/// migrations (see `migrate::state`); bookkeeping like [`HISTORY_TABLE`].
pub const STATE_TABLE: &str = "strata_migration_state";

/// Tables of the migration runners, never diffed, pulled or planned.
/// `strata import --resume` progress: one row per committed batch (see
/// `import::resume`); bookkeeping like [`HISTORY_TABLE`].
pub const IMPORT_PROGRESS_TABLE: &str = "strata_import_progress";

pub fn is_bookkeeping(table: &str) -> bool {
    table == HISTORY_TABLE || table == STATE_TABLE || table == IMPORT_PROGRESS_TABLE
}

/// Header line that makes a migration run outside a transaction.
pub const NO_TRANSACTION: &str = "-- strata:no-transaction";

/// Down files live in this subdirectory of the migrations directory, where
/// refinery's discovery (which reads one directory level) does not see them.
pub const DOWN_DIR: &str = "down";

/// Header line of a down file, one per way it loses data:
/// `-- strata:destructive: drops table public.orders and all its rows`.
pub const DESTRUCTIVE_MARK: &str = "-- strata:destructive:";

/// `migrations/down/V{n}__{name}.sql`: the reverse of `V{n}__{name}.sql`.
pub fn down_path(dir: &Path, m: &Migration) -> PathBuf {
    dir.join(DOWN_DIR)
        .join(format!("V{}__{}.sql", m.version, m.name))
}

/// The data-loss reasons a down file declares in its header.
pub fn destructive_reasons(sql: &str) -> Vec<String> {
    header_lines(sql)
        .filter_map(|l| l.trim().strip_prefix(DESTRUCTIVE_MARK))
        .map(|r| r.trim().to_string())
        .collect()
}

/// The leading comment block of a migration file. Lines end where
/// PostgreSQL ends a `--` comment, at `\n` or `\r`: text after a lone CR
/// is code to PostgreSQL, so it must end the header here too.
fn header_lines(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(['\n', '\r'])
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
}

pub fn is_no_transaction(sql: &str) -> bool {
    header_lines(sql).any(|l| l.trim() == NO_TRANSACTION)
}

/// Parse `V12__add_orders.sql` → (12, "add_orders").
pub fn parse_file_name(file: &str) -> Option<(u64, String)> {
    let rest = file.strip_prefix('V')?.strip_suffix(".sql")?;
    let (v, name) = rest.split_once("__")?;
    let version = v.parse().ok()?;
    Some((version, name.to_string()))
}

/// Migrations in `dir`, sorted by version. A missing directory is empty;
/// two files with one version are an error.
pub fn list(dir: &Path) -> Result<Vec<Migration>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
        let file = entry.file_name().to_string_lossy().to_string();
        if let Some((version, name)) = parse_file_name(&file) {
            out.push(Migration {
                version,
                name,
                path: entry.path(),
            });
        }
    }
    out.sort_by_key(|m| m.version);
    for w in out.windows(2) {
        if w[0].version == w[1].version {
            return Err(Error::Config(format!(
                "two migrations have version {}: {} and {}",
                w[0].version,
                w[0].path.display(),
                w[1].path.display()
            )));
        }
    }
    Ok(out)
}

/// Next version number: one past the highest.
pub fn next_version(existing: &[Migration]) -> u64 {
    existing.iter().map(|m| m.version).max().unwrap_or(0) + 1
}

/// A migration name made file-safe: lower-case words joined by `_`.
pub fn sanitize_name(name: &str) -> String {
    let mut s = String::new();
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    s.trim_matches('_').to_string()
}

/// Write `V{n}__{name}.sql` into `dir` (created if needed) and return its
/// path. Create-new: a file (or symlink) already there is an error, never
/// overwritten or followed — a new version's file cannot exist unless
/// something else wrote it meanwhile.
pub fn write(dir: &Path, version: u64, name: &str, sql: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join(format!("V{version}__{name}.sql"));
    let write = crate::files::create_new(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, sql.as_bytes()));
    write.map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
}

/// Write the down file `V{n}__{name}.sql` into `dir` (created if needed):
/// replaced if there (a stale one of a deleted migration), never written
/// through a symlink; refused when it is `up`, the migration just written
/// (a `down/` that leads back into the migrations directory).
pub fn write_down(dir: &Path, version: u64, name: &str, sql: &str, up: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join(format!("V{version}__{name}.sql"));
    if let Some(id) = crate::files::FileId::of_path(up) {
        if id.is_at(&path) {
            return Err(Error::Config(format!(
                "the down file {} is the migration {} itself; {} must be a directory of its own",
                path.display(),
                up.display(),
                dir.display()
            )));
        }
    }
    crate::files::replace(&path, sql.as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            parse_file_name("V12__add_orders.sql"),
            Some((12, "add_orders".into()))
        );
        assert_eq!(parse_file_name("V1__a__b.sql"), Some((1, "a__b".into())));
        assert_eq!(parse_file_name("U1__x.sql"), None);
        assert_eq!(parse_file_name("V1_x.sql"), None);
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize_name("Add Orders!"), "add_orders");
        assert_eq!(sanitize_name("--x--y"), "x_y");
    }

    #[test]
    fn destructive_header() {
        let sql = "-- down\n-- strata:destructive: drops table t\n-- strata:destructive: x\nDROP TABLE t;\n-- strata:destructive: not header";
        assert_eq!(destructive_reasons(sql), vec!["drops table t", "x"]);
        assert!(destructive_reasons("DROP TABLE t;").is_empty());
    }

    /// PostgreSQL ends a `--` comment at a carriage return as well as at a
    /// newline: the header must end where PostgreSQL sees code, or a
    /// marker after a statement would still count.
    #[test]
    fn header_lines_end_at_carriage_returns_like_postgres() {
        assert!(!is_no_transaction(
            "-- x\rDROP TABLE t;\n-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);"
        ));
        assert!(is_no_transaction(
            "-- a\r-- strata:no-transaction\rCREATE INDEX CONCURRENTLY i ON t (a);"
        ));
        assert!(destructive_reasons("-- x\rDROP TABLE t;\n-- strata:destructive: y").is_empty());
        assert_eq!(
            destructive_reasons("-- down\r\n-- strata:destructive: y\r\nDROP TABLE t;"),
            vec!["y"]
        );
    }

    #[test]
    fn no_transaction_header() {
        assert!(is_no_transaction(
            "-- hello\n-- strata:no-transaction\nCREATE INDEX CONCURRENTLY x;"
        ));
        assert!(!is_no_transaction("SELECT 1;\n-- strata:no-transaction"));
    }
}
