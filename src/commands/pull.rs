//! `strata pull`: write a live database's schema as YAML.

use std::path::Path;

use super::{check_unmanaged, Settings};
use crate::engine::{Scope, Source};
use crate::{Error, Result};

/// YAML files already in `out`: pulling over them would mix old and new
/// definitions (a file for a schema that no longer exists would stay).
/// (The SQL file an earlier pull wrote counts too.)
fn existing_yaml(out: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                || p.file_name().is_some_and(|n| n == SQL_FILE)
        })
        .collect()
}

/// Where pull writes the objects YAML cannot express.
const SQL_FILE: &str = "unmodelled.sql";

/// Write the unmodelled objects of `target` as SQL beside the YAML
/// ([`crate::spec::dump_sql`]). Without a usable pg_dump the objects are
/// only reported, with a warning saying so.
async fn write_unmodelled(
    s: &Settings,
    target: &crate::db::Target,
    out: &Path,
) -> Result<Option<std::path::PathBuf>> {
    let client = target.connect().await?;
    let sql = match crate::spec::dump_sql::unmodelled_sql(&client, target, &s.embedded).await {
        Ok(Some(sql)) => sql,
        Ok(None) => return Ok(None),
        Err(e) => {
            eprintln!(
                "warning: the objects YAML cannot express were not written as SQL ({e}); plan will not build tables that depend on them"
            );
            return Ok(None);
        }
    };
    let path = out.join(SQL_FILE);
    let header = format!(
        "-- Objects strata does not model in YAML, as pg_dump wrote them (strata pull from {}).\n\
         -- The shadow database builds them with the YAML; strata reports them and does not diff them.\n\n",
        crate::escape::line(&target.display())
    );
    crate::files::replace(&path, (header + &sql).as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(Some(path))
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
    // Editors validate the files against the project's JSON Schema.
    let root = s
        .project
        .as_deref()
        .map_or(Path::new("."), crate::files::dir_of);
    std::fs::create_dir_all(out)
        .map_err(|e| Error::io(format!("creating {}", out.display()), e))?;
    let header = crate::json_schema::header_for(crate::json_schema::Kind::Schema, out, root);
    let mut files = crate::spec::write_dir_with_header(&db, out, &header)
        .map_err(|e| Error::io(format!("writing YAML to {}", out.display()), e))?;
    crate::json_schema::write_project_files(root)?;
    if !db.unmanaged.is_empty() {
        files.extend(write_unmodelled(s, &target, out).await?);
    }
    for f in &files {
        println!("{}", f.display());
    }
    eprintln!(
        "Wrote {} to {} file(s) under {}.",
        kinds_written(&db),
        files.len(),
        out.display()
    );
    Ok(())
}

/// `3 tables, 1 view, 2 functions` — the kinds `pull` wrote as YAML.
fn kinds_written(db: &crate::model::Database) -> String {
    let counts = [
        (db.tables.len(), "table", "tables"),
        (db.views.len(), "view", "views"),
        (db.enums.len(), "enum", "enums"),
        (db.domains.len(), "domain", "domains"),
        (db.composites.len() + db.ranges.len(), "type", "types"),
        (db.collations.len(), "collation", "collations"),
        (db.sequences.len(), "sequence", "sequences"),
        (db.functions.len(), "function", "functions"),
        (db.aggregates.len(), "aggregate", "aggregates"),
        (db.triggers.len(), "trigger", "triggers"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if parts.is_empty() {
        "no objects".into()
    } else {
        parts.join(", ")
    }
}
