//! `strata pull`: write a live database's schema as YAML.

use std::path::Path;

use super::{check_unmanaged, Settings};
use crate::engine::{Scope, Source};
use crate::{Error, Result};

/// YAML files already in `out`: pulling over them would mix old and new
/// definitions (a file for a schema that no longer exists would stay).
fn existing_yaml(out: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect()
}

pub async fn pull(s: &Settings, out: &Path, force: bool) -> Result<()> {
    let old = existing_yaml(out);
    if !old.is_empty() && !force {
        return Err(Error::Config(format!(
            "{} already holds {} YAML file(s); pull into an empty directory, or pass --force to replace them",
            out.display(),
            old.len()
        )));
    }
    let target = s.target()?;
    let db = s
        .engine()
        .open(Source::Live(&target, Scope::All), false)
        .await?
        .model;
    // Strict: no file is removed or written.
    check_unmanaged(s, &db, &target.display())?;
    for f in &old {
        std::fs::remove_file(f).map_err(|e| Error::io(format!("removing {}", f.display()), e))?;
    }
    let files = crate::spec::write_dir(&db, out)
        .map_err(|e| Error::io(format!("writing YAML to {}", out.display()), e))?;
    for f in &files {
        println!("{}", f.display());
    }
    eprintln!(
        "Wrote {} tables, {} enums to {} file(s) under {}.",
        db.tables.len(),
        db.enums.len(),
        files.len(),
        out.display()
    );
    Ok(())
}
