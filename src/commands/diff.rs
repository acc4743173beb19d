//! `strata diff --from A --to B`: SQL between two states, each a live
//! database (URL) or a YAML schema directory.

use std::path::Path;

use super::{check_unmanaged, render_sql, Settings};
use crate::engine::{Engine, Scope, Side, Source};
use crate::error::exit;
use crate::model::Database;
use crate::Result;

pub struct DiffOptions {
    pub from: String,
    pub to: String,
    pub allow_destructive: bool,
    pub exit_code: bool,
    /// A schema directory may declare nothing.
    pub allow_empty: bool,
}

/// A URL (`postgres://…`, `postgresql://…` or `key=value …`) rather than a path.
pub fn is_url(s: &str) -> bool {
    crate::db::is_url(s) || s.contains('=')
}

/// One side as given: a live database or a loaded YAML model.
/// Two of them per command: the size difference is irrelevant.
#[allow(clippy::large_enum_variant)]
enum Given {
    Live(crate::db::Target),
    Spec(Database, String),
}

impl Given {
    fn parse(s: &Settings, arg: &str, allow_empty: bool) -> Result<Self> {
        if is_url(arg) {
            return Ok(Given::Live(crate::db::Target::parse(arg)?));
        }
        let model = super::load_desired_for(s, Path::new(arg), allow_empty)?;
        Ok(Given::Spec(model, arg.to_string()))
    }

    /// Named from the parsed target, never from the string as given: a
    /// connection string may hold a password in many spellings.
    fn label(&self) -> String {
        match self {
            Given::Live(t) => t.display(),
            Given::Spec(_, dir) => dir.clone(),
        }
    }

    fn has_sql(&self) -> bool {
        matches!(self, Given::Spec(m, _) if !m.sql.is_empty())
    }

    /// Open it; a live side is read in the schemas of `other`, an opened
    /// (built) side.
    async fn open_like(&self, engine: &Engine, other: &Side) -> Result<Side> {
        match self {
            Given::Spec(model, _) => engine.open(Source::Spec(model), true).await,
            Given::Live(t) => {
                engine
                    .open(Source::Live(t, Scope::Like(&other.model)), false)
                    .await
            }
        }
    }

    /// Open it; a live side is read in the schemas the other side uses
    /// when that is YAML (so a shared database's other schemas are left
    /// alone), in every schema when both are live.
    async fn open(&self, engine: &Engine, other: &Given) -> Result<Side> {
        match (self, other) {
            (Given::Spec(model, _), _) => engine.open(Source::Spec(model), true).await,
            (Given::Live(t), Given::Spec(m, _)) => {
                engine.open(Source::Live(t, Scope::Like(m)), false).await
            }
            (Given::Live(t), Given::Live(_)) => {
                engine.open(Source::Live(t, Scope::All), false).await
            }
        }
    }
}

pub async fn diff(s: &Settings, o: &DiffOptions) -> Result<i32> {
    // Only an empty *desired* state means "drop everything"; starting from
    // an empty directory means creating everything.
    let from = Given::parse(s, &o.from, true)?;
    let to = Given::parse(s, &o.to, o.allow_empty)?;
    let mut engine = s.engine();
    // Two live databases: their roles exist, so privileges compare too.
    if matches!((&from, &to), (Given::Live(_), Given::Live(_))) {
        engine.compare_privileges();
    }
    // A live side: the shadow matches its major (the `from` side first).
    if let Some(Given::Live(t)) = [&from, &to]
        .into_iter()
        .find(|g| matches!(g, Given::Live(_)))
    {
        engine.match_target(t);
    }
    let (a, b) = if from.has_sql() || to.has_sql() {
        // Schema SQL files may create schemas the YAML never names: build
        // that side first and read the live side in the schemas it has.
        if from.has_sql() {
            let a = from.open(&engine, &to).await?;
            let b = to.open_like(&engine, &a).await?;
            (a, b)
        } else {
            let b = to.open(&engine, &from).await?;
            let a = from.open_like(&engine, &b).await?;
            (a, b)
        }
    } else {
        tokio::try_join!(from.open(&engine, &to), to.open(&engine, &from))?
    };
    let mut checked = Ok(());
    for (side, given) in [(&a, &from), (&b, &to)] {
        if let (Given::Live(t), Ok(())) = (given, &checked) {
            checked = check_unmanaged(s, &side.model, &t.display());
        }
    }
    if let Err(e) = checked {
        engine.close(a).await?;
        engine.close(b).await?;
        return Err(e);
    }
    let changes = engine.compare(&a, &b).await;
    let from_model = a.model.clone();
    engine.close(a).await?;
    engine.close(b).await?;
    let changes = changes?;
    let header =
        crate::render::comment_line(&format!("strata diff: {} -> {}", from.label(), to.label()));
    if changes.is_empty() {
        eprintln!("No differences.");
        return Ok(exit::OK);
    }
    let plan = crate::plan::plan(&changes, &from_model);
    print!("{}", render_sql(&plan, &header));
    plan.check_destructive(o.allow_destructive)?;
    Ok(if o.exit_code {
        exit::CHANGES_PENDING
    } else {
        exit::OK
    })
}
