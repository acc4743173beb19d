//! `migrations/strata.sum`: a SHA-256 of every migration file, chained so
//! that an edited, inserted, removed or reordered file is detected (the idea
//! of Atlas's `atlas.sum`). `generate` and `strata rehash` write it;
//! `migrate` refuses a directory that does not match it.
//!
//! Format, one line per file after a header:
//! ```text
//! strata-sum v1 <chain of the last file>
//! V1__initial.sql <sha256 of the file> <chain>
//! ```
//! where `chain = sha256(previous chain ‖ file name ‖ file hash)`.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::migrations::{self, VersionColumn};
use crate::{Error, Result};

pub const FILE: &str = "strata.sum";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sum file's text for the migrations in `dir` as they are now; a
/// file name [`migrations::list`] refuses (for `column`) is refused here
/// too, so `rehash` never blesses a name `migrate` would reject.
pub fn compute(dir: &Path, column: VersionColumn) -> Result<String> {
    let mut chain = String::new();
    let mut lines = Vec::new();
    for m in migrations::list(dir, column)? {
        let bytes = super::read::text(&m.path)?;
        let file_hash = hex(&Sha256::digest(&bytes));
        let name = m
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut h = Sha256::new();
        h.update(chain.as_bytes());
        h.update(name.as_bytes());
        h.update(file_hash.as_bytes());
        chain = hex(&h.finalize());
        lines.push(format!("{name} {file_hash} {chain}"));
    }
    Ok(format!("strata-sum v1 {chain}\n{}\n", lines.join("\n")))
}

/// Write `dir/strata.sum` for the files as they are (`strata rehash`).
pub fn write(dir: &Path, column: VersionColumn) -> Result<()> {
    let text = compute(dir, column)?;
    let path = dir.join(FILE);
    // Replaced (new file renamed over it), never written through: a
    // symlink or hard link at strata.sum is not followed.
    crate::files::replace(&path, text.as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Compare the directory with its sum file. `Ok(false)`: there is no sum
/// file (nothing to check). `Err`: what differs, file by file.
pub fn check(dir: &Path, column: VersionColumn) -> Result<bool> {
    let path = dir.join(FILE);
    let Some(recorded) = super::read::text_if_exists(&path)? else {
        return Ok(false);
    };
    let now = compute(dir, column)?;
    if recorded == now {
        return Ok(true);
    }
    Err(Error::History(differences(&recorded, &now)))
}

/// (name, file hash) per line, in order.
fn entries(text: &str) -> Vec<(String, String)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

fn differences(recorded: &str, now: &str) -> Vec<String> {
    let (old, new) = (entries(recorded), entries(now));
    let mut out = Vec::new();
    for (name, hash) in &new {
        match old.iter().find(|(n, _)| n == name) {
            None => out.push(format!("{name} is not in {FILE} (added or renamed)")),
            Some((_, h)) if h != hash => out.push(format!("{name} was edited")),
            _ => {}
        }
    }
    for (name, _) in &old {
        if !new.iter().any(|(n, _)| n == name) {
            out.push(format!(
                "{name} is in {FILE} but missing from the directory"
            ));
        }
    }
    let order = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if out.is_empty() && order(&old) != order(&new) {
        out.push("the files are in a different order than recorded".into());
    }
    if out.is_empty() {
        out.push(format!(
            "{FILE} is damaged (its chain does not match the files)"
        ));
    }
    out.push("a deliberate change? run `strata rehash` to accept it".into());
    out
}

/// For commands that add a file and re-sum the directory (`generate`):
/// every file must be what strata.sum records, or the new sum would bless
/// an edit nobody reviewed (and `migrate`'s check would pass it). No sum
/// file at all is refused too when there are migrations: nothing says
/// they are the reviewed ones. Either way `strata rehash` is the way to
/// accept the files as they are.
pub fn require_match(dir: &Path, column: VersionColumn) -> Result<()> {
    let refuse = |what: String| {
        Err(Error::Config(format!(
            "refusing to add a migration: {what}\n(if the files are as they should be, run `strata rehash` to accept them)"
        )))
    };
    match check(dir, column) {
        Ok(true) => Ok(()),
        Ok(false) if migrations::list(dir, column)?.is_empty() => Ok(()),
        Ok(false) => refuse(format!(
            "{} has migration files but no {FILE}, so edits to them cannot be told apart",
            dir.display()
        )),
        Err(Error::History(diffs)) => refuse(format!(
            "{} does not match its {FILE}:\n  - {}",
            dir.display(),
            diffs
                .iter()
                .filter(|d| !d.contains("strata rehash"))
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  - ")
        )),
        Err(e) => Err(e),
    }
}

/// `strata rehash`: write the sum for the files as they are, holding the
/// directory lock so no `generate` is half-way through checking them.
pub fn rehash(dir: &Path, column: VersionColumn) -> Result<()> {
    let _lock = super::dirlock::lock(dir)?;
    write(dir, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (n, t) in files {
            std::fs::write(d.path().join(n), t).unwrap();
        }
        d
    }

    #[test]
    fn detects_edit_insert_remove() {
        let d = dir_with(&[("V1__a.sql", "a"), ("V2__b.sql", "b")]);
        write(d.path(), VersionColumn::Int4).unwrap();
        assert!(check(d.path(), VersionColumn::Int4).unwrap());
        std::fs::write(d.path().join("V2__b.sql"), "b2").unwrap();
        assert!(check(d.path(), VersionColumn::Int4)
            .unwrap_err()
            .to_string()
            .contains("V2__b.sql was edited"));
        std::fs::write(d.path().join("V2__b.sql"), "b").unwrap();
        std::fs::write(d.path().join("V3__c.sql"), "c").unwrap();
        assert!(check(d.path(), VersionColumn::Int4)
            .unwrap_err()
            .to_string()
            .contains("V3__c.sql is not in"));
        std::fs::remove_file(d.path().join("V3__c.sql")).unwrap();
        std::fs::remove_file(d.path().join("V1__a.sql")).unwrap();
        assert!(check(d.path(), VersionColumn::Int4)
            .unwrap_err()
            .to_string()
            .contains("V1__a.sql is in strata.sum but missing"));
        let none = dir_with(&[("V1__a.sql", "a")]);
        assert!(!check(none.path(), VersionColumn::Int4).unwrap());
    }
}
