//! `strata diff --from A --to B`: SQL between two states, each a live
//! database (URL) or a YAML schema directory.

use std::path::Path;

use super::{render_sql, warn_unmanaged, Settings};
use crate::error::exit;
use crate::model::Database;
use crate::scratch::ScratchServer;
use crate::shadow::{catalog_of, Source};
use crate::Result;

pub struct DiffOptions {
    pub from: String,
    pub to: String,
    pub allow_destructive: bool,
    pub exit_code: bool,
}

/// A URL (`postgres://…`, `postgresql://…` or `key=value …`) rather than a path.
pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://") || s.contains('=')
}

pub async fn diff(s: &Settings, o: &DiffOptions) -> Result<i32> {
    let needs_server = !is_url(&o.from) || !is_url(&o.to);
    let server = if needs_server {
        Some(s.scratch()?)
    } else {
        None
    };
    let (from, to) = tokio::try_join!(
        side(&o.from, server.as_ref(), s),
        side(&o.to, server.as_ref(), s)
    )?;
    let changes = crate::diff::diff_with_hints(&from.0, &to.0, &to.1);
    let (from, _) = from;
    if changes.is_empty() {
        eprintln!("No differences.");
        return Ok(exit::OK);
    }
    let plan = crate::plan::plan(&changes, &from);
    plan.check_destructive(o.allow_destructive)?;
    let header = crate::sql::comment_line(&format!(
        "strata diff: {} -> {}",
        display(&o.from),
        display(&o.to)
    ));
    print!("{}", render_sql(&plan, &header));
    Ok(if o.exit_code {
        exit::CHANGES_PENDING
    } else {
        exit::OK
    })
}

fn display(side: &str) -> String {
    if is_url(side) {
        crate::db::redact(side)
    } else {
        side.to_string()
    }
}

/// One side as a catalog model, with the rename hints of its YAML (none for
/// a live database).
async fn side(
    spec: &str,
    server: Option<&ScratchServer>,
    s: &Settings,
) -> Result<(Database, crate::diff::Hints)> {
    let opts = s.catalog_options();
    if is_url(spec) {
        let target = crate::db::Target::parse(spec)?;
        let db = catalog_of(Source::Live(&target), None, &opts).await?;
        warn_unmanaged(&db, &target.display());
        Ok((db, crate::diff::Hints::default()))
    } else {
        let model = crate::spec::load_dir(Path::new(spec))?;
        let hints = crate::diff::Hints::from_spec(&model);
        Ok((
            catalog_of(Source::Spec(&model), server, &opts).await?,
            hints,
        ))
    }
}
