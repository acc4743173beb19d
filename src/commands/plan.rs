//! `strata plan`: the SQL that brings a live database to schema/.

use super::{render_sql, warn_unmanaged, Settings};
use crate::error::exit;
use crate::shadow::{catalog_of, Source};
use crate::Result;

pub struct PlanOptions {
    pub exit_code: bool,
    pub allow_destructive: bool,
}

pub async fn plan(s: &Settings, o: &PlanOptions) -> Result<i32> {
    let spec = crate::spec::load_dir(&s.schema_dir)?;
    let target = s.target()?;
    let server = s.scratch()?;
    let opts = s.live_catalog_options(&spec);
    let (current, shadow) = tokio::try_join!(
        catalog_of(Source::Live(&target), None, &opts),
        crate::shadow::open_spec(&server, &spec, &opts),
    )?;
    warn_unmanaged(&current, &target.display());
    let hints = crate::diff::Hints::from_spec(&spec);
    let mut changes = crate::diff::diff_with_hints(&current, &shadow.model, &hints);
    crate::shadow::drop_phantom_rebuilds(&shadow.client, &mut changes).await;
    shadow.close(&server).await?;
    if changes.is_empty() {
        eprintln!(
            "No changes: {} matches {}.",
            target.display(),
            s.schema_dir.display()
        );
        return Ok(exit::OK);
    }
    let plan = crate::plan::plan(&changes, &current);
    let header = crate::render::comment_line(&format!(
        "strata plan: {} -> {}",
        target.display(),
        s.schema_dir.display()
    ));
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
