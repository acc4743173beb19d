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
    crate::db::is_url(s) || s.contains('=')
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
    // Named from the parsed targets, never from the strings as given: a
    // connection string may hold a password in many spellings.
    let header = crate::render::comment_line(&format!("strata diff: {} -> {}", from.2, to.2));
    let (from, _, _) = from;
    if changes.is_empty() {
        eprintln!("No differences.");
        return Ok(exit::OK);
    }
    let plan = crate::plan::plan(&changes, &from);
    // A preview shows the whole SQL, destructive statements marked, and
    // still exits 3 when they are not allowed.
    print!("{}", render_sql(&plan, &header));
    plan.check_destructive(o.allow_destructive)?;
    Ok(if o.exit_code {
        exit::CHANGES_PENDING
    } else {
        exit::OK
    })
}

/// One side as a catalog model, with the rename hints of its YAML (none for
/// a live database) and its name for the header (`user@host:port/db` or
/// the directory).
async fn side(
    spec: &str,
    server: Option<&ScratchServer>,
    s: &Settings,
) -> Result<(Database, crate::diff::Hints, String)> {
    let opts = s.catalog_options();
    if is_url(spec) {
        let target = crate::db::Target::parse(spec)?;
        let db = catalog_of(Source::Live(&target), None, &opts).await?;
        warn_unmanaged(&db, &target.display());
        Ok((db, crate::diff::Hints::default(), target.display()))
    } else {
        let model = crate::spec::load_dir(Path::new(spec))?;
        let hints = crate::diff::Hints::from_spec(&model);
        Ok((
            catalog_of(Source::Spec(&model), server, &opts).await?,
            hints,
            spec.to_string(),
        ))
    }
}
