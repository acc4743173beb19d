//! `strata plan`: the SQL that brings a live database to schema/.

use super::{check_unmanaged, render_sql, Settings};
use crate::engine::{Scope, Source};
use crate::error::exit;
use crate::Result;

pub struct PlanOptions {
    pub exit_code: bool,
    pub allow_destructive: bool,
    /// schema/ may declare nothing (the database should be empty).
    pub allow_empty: bool,
}

pub async fn plan(s: &Settings, o: &PlanOptions) -> Result<i32> {
    let spec = super::load_desired_for(s, &s.schema_dir, o.allow_empty)?;
    let target = s.target()?;
    let mut engine = s.engine();
    engine.match_target(&target);
    let (current, desired) = if spec.sql.is_empty() {
        tokio::try_join!(
            engine.open(Source::Live(&target, Scope::Like(&spec)), false),
            engine.open(Source::Spec(&spec), true),
        )?
    } else {
        // Schema SQL files may create schemas the YAML never names: the
        // live side is read in the schemas the built desired state has.
        let desired = engine.open(Source::Spec(&spec), true).await?;
        let current = engine
            .open(Source::Live(&target, Scope::Like(&desired.model)), false)
            .await?;
        (current, desired)
    };
    // Strict: nothing is compared or printed past an unmanaged object.
    if let Err(e) = check_unmanaged(s, &current.model, &target.display()) {
        engine.close(desired).await?;
        return Err(e);
    }
    if let Some(w) = super::not_diffed(&desired.model, &current.model, &s.schema_dir, "the target")
    {
        eprintln!("warning: {w}; this plan does not create them: add them to a migration");
    }
    let changes = engine.compare(&current, &desired).await;
    engine.close(desired).await?;
    let changes = changes?;
    if changes.is_empty() {
        eprintln!(
            "No changes: {} matches {}.",
            target.display(),
            s.schema_dir.display()
        );
        return Ok(exit::OK);
    }
    if let Some(w) = missing_roles(&target, &spec, s.manage.default_owner.as_deref()).await? {
        eprintln!("warning: {w}");
    }
    let plan = crate::plan::plan(&changes, &current.model);
    let header = crate::render::comment_line(&format!(
        "strata plan: {} -> {}",
        target.display(),
        s.schema_dir.display()
    ));
    print!("{}", render_sql(&plan, &header));
    plan.check_destructive(o.allow_destructive)?;
    Ok(if o.exit_code {
        exit::CHANGES_PENDING
    } else {
        exit::OK
    })
}

/// Roles the schema names (policies, grants, owners and strata.yaml's
/// `owner:`) that the target lacks: the plan's statements naming them
/// would fail, and `migrate` refuses to start.
async fn missing_roles(
    target: &crate::db::Target,
    spec: &crate::model::Database,
    default_owner: Option<&str>,
) -> Result<Option<String>> {
    let mut roles = spec.roles();
    roles.extend(default_owner.map(str::to_string));
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Ok(None);
    }
    let client = target.connect().await?;
    let sql =
        "SELECT r FROM unnest($1::text[]) r WHERE r NOT IN (SELECT rolname::text FROM pg_roles)";
    let rows = client
        .query(sql, &[&roles])
        .await
        .map_err(|source| crate::db::DbError::Query {
            context: "checking the roles the schema names".into(),
            source,
        })?;
    let missing: Vec<String> = rows
        .iter()
        .map(|r| crate::escape::ident(&r.get::<_, String>(0)).into_owned())
        .collect();
    Ok((!missing.is_empty()).then(|| {
        format!(
            "{} has no role(s) {} (named by the schema's policies, grants or owners): create them before \
             migrating (roles are cluster-wide; strata does not create them)",
            target.display(),
            missing.join(", ")
        )
    }))
}
