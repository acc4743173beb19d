//! `spec`: the YAML schema files under `schema/` → [`crate::model::Database`].
//! Also writes a model back out as YAML (`strata pull`).

use std::path::{Path, PathBuf};

use crate::model::Database;

mod aggregates;
mod column;
mod column_map;
mod column_props;
mod constraints;
mod decode;
pub mod dump_sql;
mod emit;
mod functions;
pub mod grants;
mod ident_len;
mod indexes;
pub(crate) mod json_schema;
pub mod names;
mod partitions;
mod policies;
mod publications;
mod resolve;
mod sequences;
pub mod snippet;
mod sql_files;
mod statistics;
mod table_props;
mod triggers;
mod types;
mod views;
mod write;
pub mod yaml;

pub use column::{parse_shorthand, ColumnDecl, ShortError};
pub use indexes::parse_index_key;

/// One problem in the YAML, with the position it was found at.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecIssue {
    pub file: PathBuf,
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SpecIssue {
    /// One line, whatever the names quoted in the message or the file's
    /// path hold ([`crate::escape::line`]): issues are listed one per line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.file.display().to_string();
        write!(
            f,
            "{}:{}:{}: {}",
            crate::escape::line(&file),
            self.line,
            self.column,
            crate::escape::line(&self.message)
        )
    }
}

/// Every problem found while loading a schema directory (loading does not
/// stop at the first one).
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", render_issues(.0))]
    Invalid(Vec<SpecIssue>),
}

fn render_issues(issues: &[SpecIssue]) -> String {
    issues
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Load and validate every `*.yaml`/`*.yml` file under `dir` (recursively,
/// in path order) into one model, with the statements of every `*.sql`
/// file (see `sql_files`).
pub fn load_dir(dir: &Path) -> Result<Database, SpecError> {
    let mut files = Vec::new();
    collect_yaml_files(dir, &mut files, &mut Vec::new())?;
    files.sort();
    let (sql, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.extension().is_some_and(|e| e == "sql"));
    let mut texts = Vec::new();
    for f in files {
        let text = crate::files::read_text(&f).map_err(|source| SpecError::Io {
            path: f.clone(),
            source,
        })?;
        texts.push((f, text));
    }
    let mut db = load_texts(&texts)?;
    db.sql = sql_files::load(&sql)?;
    Ok(db)
}

/// `seen` holds the (device, inode) of every directory entered, so a
/// symlink back up the tree (`schema/loop -> ..`) is walked once, not until
/// the kernel's symlink limit.
fn collect_yaml_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut Vec<(u64, u64)>,
) -> Result<(), SpecError> {
    use std::os::unix::fs::MetadataExt;
    let io = |source| SpecError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(dir).map_err(io)?;
    if seen.contains(&(meta.dev(), meta.ino())) {
        return Ok(());
    }
    seen.push((meta.dev(), meta.ino()));
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        // Hidden files and directories (.git, editor lock files) are not schema.
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            collect_yaml_files(&path, out, seen)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "sql")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// Load one YAML document given as text (tests, `--schema -`).
pub fn load_str(file: &Path, text: &str) -> Result<Database, SpecError> {
    load_texts(&[(file.to_path_buf(), text.to_string())])
}

/// Load several files given as (path, text), in the order given.
pub fn load_texts(texts: &[(PathBuf, String)]) -> Result<Database, SpecError> {
    let mut issues = Vec::new();
    let mut decls = Vec::new();
    let mut all_parsed = true;
    for (path, text) in texts {
        let mut reader = yaml::Reader::new(path, text);
        match yaml::parse(path, text) {
            Ok(root) => decls.push(decode::decode_file(&mut reader, &root)),
            Err(issue) => {
                issues.push(issue);
                all_parsed = false;
            }
        }
        issues.append(&mut reader.issues);
    }
    // With a file missing, cross-file checks would only report its
    // tables and mixins as unknown: noise on top of the real error.
    let db = if all_parsed {
        let db = resolve::resolve(decls, &mut issues);
        ident_len::check(&db, &mut issues);
        db
    } else {
        Database::default()
    };
    if issues.is_empty() {
        Ok(db)
    } else {
        // Stable: issues of one file stay together, in position order.
        issues.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        issues.dedup();
        Err(SpecError::Invalid(issues))
    }
}

/// Write `db` as YAML files under `out` (one file per schema:
/// `public.yaml`, `app.yaml`, …). Returns the files written.
pub fn write_dir(db: &Database, out: &Path) -> std::io::Result<Vec<PathBuf>> {
    write_dir_with_header(db, out, "")
}

/// [`write_dir`], each file starting with `header` (`pull`'s
/// `# yaml-language-server: $schema=…` line).
pub fn write_dir_with_header(
    db: &Database,
    out: &Path,
    header: &str,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    let mut written = Vec::new();
    for (file_name, text) in write::render(db) {
        let path = out.join(file_name);
        let text = format!("{header}{text}");
        // Replaced, never written through a symlink planted there.
        crate::files::replace(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// The YAML `write_dir` would write, as (file name, text) pairs.
pub fn render_files(db: &Database) -> Vec<(String, String)> {
    write::render(db)
}
