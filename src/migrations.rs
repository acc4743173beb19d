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

/// `migrations/down/V{n}__{name}.sql`: the reverse of `V{n}__{name}.sql`,
/// under the migration's own file name (`V001__x.sql` keeps its zeros).
pub fn down_path(dir: &Path, m: &Migration) -> PathBuf {
    let file = m.path.file_name().map_or_else(
        || format!("V{}__{}.sql", m.version, m.name).into(),
        |f| f.to_os_string(),
    );
    dir.join(DOWN_DIR).join(file)
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

/// The largest version any history table holds: refinery's `int8-versions`
/// layout (`version INT8`). The default layout holds less, see
/// [`VersionColumn::max`].
pub const MAX_VERSION: u64 = i64::MAX as u64;

/// The type of the history table's `version` column: refinery's default
/// `int4`, or `int8` as refinery writes it with its `int8-versions`
/// feature (needed by timestamp versions). `migrations.version_column` in
/// strata.yaml; see docs/decisions.md.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VersionColumn {
    #[default]
    Int4,
    Int8,
}

impl VersionColumn {
    /// The largest version the column holds.
    pub fn max(self) -> u64 {
        match self {
            VersionColumn::Int4 => i32::MAX as u64,
            VersionColumn::Int8 => MAX_VERSION,
        }
    }

    /// The type's name, as strata.yaml and PostgreSQL spell it.
    pub fn name(self) -> &'static str {
        match self {
            VersionColumn::Int4 => "int4",
            VersionColumn::Int8 => "int8",
        }
    }
}

/// How `generate` and `new` number a new file (`migrations.versions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Naming {
    /// One past the highest version: V1, V2, …
    #[default]
    Sequential,
    /// The UTC time, `YYYYMMDDHHMMSS` (V20240101120000): versions made on
    /// two branches do not collide.
    Timestamp,
}

/// The `migrations:` settings of strata.yaml.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub naming: Naming,
    pub column: VersionColumn,
}

/// What a file name in the migrations directory is.
#[derive(Debug, PartialEq)]
pub enum FileName {
    /// `V{version}__{name}.sql`, valid.
    Migration(u64, String),
    /// Looks like a migration but breaks the rules: why.
    Invalid(String),
    /// Anything else (README.md, strata.sum, …): not ours, ignored.
    Other,
}

/// Classify a file name. refinery's rule is `V{digits}__{\w+}.sql`; strata
/// takes exactly that, with the version in ASCII digits that fit INT8
/// (leading zeros allowed: `V001` is version 1, as in refinery). A name
/// that starts like a migration — `V` and a digit or sign, or `V…__` — but
/// breaks a rule is [`FileName::Invalid`], never silently skipped: a
/// skipped migration would be one that never runs.
pub fn classify(file: &str) -> FileName {
    let Some(rest) = file.strip_prefix('V').and_then(|r| r.strip_suffix(".sql")) else {
        return FileName::Other;
    };
    let looks_like = rest.contains("__")
        || rest.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
    if !looks_like {
        return FileName::Other;
    }
    let Some((v, name)) = rest.split_once("__") else {
        return FileName::Invalid("there is no `__` between the version and the name".into());
    };
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return FileName::Invalid(format!(
            "the version {v:?} must be plain digits 0-9 (no sign, dot or space)"
        ));
    }
    let version = match v.parse::<u64>() {
        Ok(n) if n <= MAX_VERSION => n,
        _ => {
            return FileName::Invalid(format!(
                "the version {v} is larger than {MAX_VERSION}, the largest a history table holds (int8)"
            ))
        }
    };
    if name.is_empty() {
        return FileName::Invalid("the name is empty".into());
    }
    if !is_name(name) {
        return FileName::Invalid(format!(
            "the name {name:?} may contain only letters, digits and `_` (refinery's \\w)"
        ));
    }
    FileName::Migration(version, name.to_string())
}

/// refinery's `\w+` (Unicode letters, marks, digits, connector
/// punctuation), less the invisible joiners U+200C/U+200D.
fn is_name(name: &str) -> bool {
    static WORD: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let word = WORD.get_or_init(|| regex::Regex::new(r"^\w+$").expect("valid regex"));
    word.is_match(name) && !name.contains(['\u{200c}', '\u{200d}'])
}

/// Parse `V12__add_orders.sql` → (12, "add_orders"); `None` unless valid.
pub fn parse_file_name(file: &str) -> Option<(u64, String)> {
    match classify(file) {
        FileName::Migration(v, n) => Some((v, n)),
        _ => None,
    }
}

/// The name for a new migration from `generate NAME`: refused when empty,
/// made of nothing but punctuation, longer than 100 characters, or holding
/// a path separator or control character (it becomes part of a file name
/// and of a comment in the file); otherwise tidied by [`sanitize_name`].
pub fn new_name(raw: &str) -> Result<String> {
    let refuse = |why: &str| Err(Error::Config(format!("migration name {raw:?} {why}")));
    if raw.contains(['/', '\\']) {
        return refuse("contains a path separator; give a plain name such as add_orders");
    }
    if raw.chars().any(char::is_control) {
        return refuse("contains a control character");
    }
    if raw.chars().count() > 100 {
        return refuse("is longer than 100 characters");
    }
    let name = sanitize_name(raw);
    if name.is_empty() {
        return refuse("has no letters or digits");
    }
    Ok(name)
}

/// Migrations in `dir`, sorted by version. A missing directory is empty;
/// two files with one version are an error, and so is a version larger
/// than `column` holds: every command that reads the directory (`rehash`
/// too) refuses the same names.
pub fn list(dir: &Path, column: VersionColumn) -> Result<Vec<Migration>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    let mut invalid = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
        let os = entry.file_name();
        let file = os.to_string_lossy();
        match classify(&file) {
            FileName::Migration(..) if os.to_str().is_none() => {
                invalid.push(format!("{file:?}: the file name is not UTF-8"));
            }
            FileName::Migration(version, _) if version > column.max() => {
                invalid.push(format!("{file:?}: {}", too_wide(version, column)));
            }
            FileName::Migration(version, name) => out.push(Migration {
                version,
                name,
                path: entry.path(),
            }),
            FileName::Invalid(why) => invalid.push(format!("{file:?}: {why}")),
            FileName::Other => {}
        }
    }
    if !invalid.is_empty() {
        invalid.sort();
        return Err(Error::Config(format!(
            "{} has files that look like migrations but are not named V{{version}}__{{name}}.sql \
             with a version the history table holds (rename them, or move them out of the \
             directory):\n  - {}",
            dir.display(),
            invalid.join("\n  - ")
        )));
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

/// Why `version` cannot be recorded in a history table whose version
/// column is `column`, and what to set.
pub fn too_wide(version: u64, column: VersionColumn) -> String {
    format!(
        "the version {version} is larger than {}, the largest the history table's {} version \
         column holds; timestamp versions need `migrations: {{version_column: int8}}` in \
         strata.yaml (refinery then reads the history only with its int8-versions feature)",
        column.max(),
        column.name()
    )
}

/// The version of a new file: one past the highest, or with
/// [`Naming::Timestamp`] the UTC time `now` as `YYYYMMDDHHMMSS` — unless
/// that is not past the highest (two files in one second, a clock behind
/// a teammate's), then one past the highest after all. Either way it is
/// strictly greater than every existing version.
pub fn next_version(
    existing: &[Migration],
    naming: Naming,
    now: chrono::DateTime<chrono::Utc>,
) -> u64 {
    let highest = existing.iter().map(|m| m.version).max().unwrap_or(0);
    let stamp = match naming {
        Naming::Sequential => 0,
        Naming::Timestamp => now.format("%Y%m%d%H%M%S").to_string().parse().unwrap_or(0),
    };
    stamp.max(highest + 1)
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
        assert_eq!(classify("V007__x.sql"), FileName::Migration(7, "x".into()));
        assert_eq!(
            classify("V2147483647__x.sql"),
            FileName::Migration(2147483647, "x".into())
        );
        // A name is a name whatever the history's column; `list` checks
        // the version fits it.
        assert_eq!(
            classify("V20240101120000__x.sql"),
            FileName::Migration(20240101120000, "x".into())
        );
        assert_eq!(
            classify("V3__größe_ändern.sql"),
            FileName::Migration(3, "größe_ändern".into())
        );
        for other in [
            "README.md",
            "strata.sum",
            "Vacuum.sql",
            "V1__x.sql.bak",
            "v1__x.sql",
            "U1__x.sql",
            ".strata.lock",
        ] {
            assert_eq!(classify(other), FileName::Other, "{other}");
        }
        for bad in [
            "V+2__x.sql",
            "V1__.sql",
            "V1_x.sql",
            "V1.5__x.sql",
            "V__x.sql",
            "V9223372036854775808__x.sql",
            "V1__a-b.sql",
            "V1__a\u{200d}b.sql",
            "V1__a\u{202e}b.sql",
            "V1__a\tb.sql",
        ] {
            assert!(matches!(classify(bad), FileName::Invalid(_)), "{bad}");
        }
    }

    fn at(m: &str) -> Migration {
        let (version, name) = parse_file_name(m).unwrap();
        Migration {
            version,
            name,
            path: m.into(),
        }
    }

    #[test]
    fn next_versions() {
        use chrono::TimeZone;
        let now = chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let seq = |files: &[&str]| {
            let ms: Vec<Migration> = files.iter().map(|f| at(f)).collect();
            (
                next_version(&ms, Naming::Sequential, now),
                next_version(&ms, Naming::Timestamp, now),
            )
        };
        assert_eq!(seq(&[]), (1, 20240102030405));
        assert_eq!(seq(&["V7__a.sql", "V3__b.sql"]), (8, 20240102030405));
        // Not past the highest (same second, a clock behind): one past it.
        assert_eq!(
            seq(&["V20240102030405__a.sql"]),
            (20240102030406, 20240102030406)
        );
        assert_eq!(
            seq(&["V20991231235959__a.sql"]),
            (20991231235960, 20991231235960)
        );
    }

    #[test]
    fn versions_must_fit_the_history_column() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("V1__a.sql"), "").unwrap();
        std::fs::write(d.path().join("V20240101120000__b.sql"), "").unwrap();
        let e = list(d.path(), VersionColumn::Int4).unwrap_err().to_string();
        assert!(
            e.contains("\"V20240101120000__b.sql\"")
                && e.contains("int4")
                && e.contains("`migrations: {version_column: int8}`"),
            "{e}"
        );
        let ok = list(d.path(), VersionColumn::Int8).unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].version, 20240101120000);
    }

    #[test]
    fn new_names() {
        assert_eq!(new_name("Add Orders!").unwrap(), "add_orders");
        for bad in ["../x", "a/b", "a\\b", "a\nb", "", " - ", "a\u{0}b"] {
            assert!(new_name(bad).is_err(), "{bad:?}");
        }
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
