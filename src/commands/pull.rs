//! `strata pull`: write a live database's schema as YAML.

use std::path::Path;

use super::{warn_unmanaged, Settings};
use crate::shadow::{catalog_of, Source};
use crate::{Error, Result};

pub async fn pull(s: &Settings, out: &Path) -> Result<()> {
    let target = s.target()?;
    let db = catalog_of(Source::Live(&target), None, &s.catalog_options()).await?;
    warn_unmanaged(&db, &target.display());
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
