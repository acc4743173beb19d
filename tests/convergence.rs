//! The convergence suite: for every schema pair (A, B) under tests/pairs/,
//! build A in a real database (with the pair's data.sql rows), plan A → B,
//! apply the plan, and check that
//! 1. planning again yields nothing (strata's own catalog model agrees),
//! 2. `pg_dump --schema-only` of the migrated database equals that of a
//!    database built directly from B (column order aside),
//! 3. B survives `pull` → load → plan with an empty result,
//! 4. the plan is flagged destructive exactly when the pair says so,
//! 5. the reverse plan (B → A with the renames inverted: what a down file
//!    holds) applied to the migrated database leads back to A: nothing left
//!    to plan and the same `pg_dump` as before migrating (unless the pair
//!    has a `no-reverse` file saying why that cannot hold),
//! 6. the plan's text and hazard kinds equal the pair's golden `plan.sql`
//!    and `hazards` (`STRATA_BLESS=1` rewrites them; see common/golden.rs).
//!
//! Pair directory: `a.yaml`, `b.yaml`, optional `data.sql` (run on A before
//! migrating), `expect` (`changes` (default), `nochange`, `destructive`), and
//! the golden `plan.sql` and `hazards` (written by `STRATA_BLESS=1`), and a
//! `known-failure` file for a pair known to fail (common/known.rs).

mod common;

use std::path::{Path, PathBuf};

use strata::catalog::{introspect, CatalogOptions};
use strata::diff::{diff, diff_with_hints, Hints};
use strata::engine::{apply_spec, Engine, Source};
use strata::model::Database;
use strata::plan::plan;
use strata::scratch::{ScratchDb, ScratchServer};

struct Pair {
    name: String,
    dir: PathBuf,
    expect: String,
}

fn pairs() -> Vec<Pair> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs");
    let mut out: Vec<Pair> = std::fs::read_dir(&root)
        .expect("tests/pairs exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let dir = e.path();
            let expect = std::fs::read_to_string(dir.join("expect"))
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|_| "changes".into());
            Pair {
                name: e.file_name().to_string_lossy().to_string(),
                dir,
                expect,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if let Ok(only) = std::env::var("STRATA_PAIR") {
        out.retain(|p| p.name.contains(&only));
    }
    out
}

fn load(dir: &Path, file: &str) -> Result<Database, String> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    strata::spec::load_str(&path, &text).map_err(|e| e.to_string())
}

async fn build(server: &ScratchServer, spec: &Database, prefix: &str) -> Result<ScratchDb, String> {
    common::ensure_roles(&spec.roles()).await;
    let db = server
        .create_database(prefix)
        .await
        .map_err(|e| e.to_string())?;
    let client = db.target.connect().await.map_err(|e| e.to_string())?;
    apply_spec(&client, spec).await.map_err(|e| e.to_string())?;
    Ok(db)
}

/// A pair for a newer server than this one: strata must refuse A or B
/// (whichever uses the newer feature) by naming the version it needs,
/// never with a server syntax error.
async fn refused_by_version(server: &'static ScratchServer, pair: &Pair) -> Result<(), String> {
    let engine = Engine::shared(server, CatalogOptions::default());
    let mut messages = Vec::new();
    for file in ["a.yaml", "b.yaml"] {
        let model = load(&pair.dir, file)?;
        match engine.open(Source::Spec(&model), false).await {
            Ok(_) => messages.push(format!("{file}: accepted")),
            Err(e) if e.to_string().contains("which needs PostgreSQL") => return Ok(()),
            Err(e) => messages.push(format!("{file}: {e}")),
        }
    }
    Err(format!(
        "neither side was refused with the version it needs:\n{}",
        messages.join("\n")
    ))
}

/// Run one pair; `Err` describes every way it failed.
async fn run_pair(server: &'static ScratchServer, pair: &Pair) -> Result<(), String> {
    if let Some(why) = common::skip_reason(&pair.dir).await {
        eprintln!("skip {}: {why}", pair.name);
        return refused_by_version(server, pair).await;
    }
    let a = load(&pair.dir, "a.yaml")?;
    let b = load(&pair.dir, "b.yaml")?;
    let opts = CatalogOptions::default();
    let target = build(server, &a, "pair_a").await?;
    let direct = build(server, &b, "pair_b").await?;
    let client = target.target.connect().await.map_err(|e| e.to_string())?;
    if let Ok(data) = std::fs::read_to_string(pair.dir.join("data.sql")) {
        client
            .batch_execute(&data)
            .await
            .map_err(|e| format!("data.sql: {e}"))?;
    }
    let rows_before = common::count_rows(&client).await;
    let dump_before = common::schema_dump(&target.target);

    let desired = Engine::shared(server, opts.clone())
        .open(Source::Spec(&b), false)
        .await
        .map_err(|e| e.to_string())?
        .model;
    let current = introspect(&client, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let changes = diff_with_hints(&current, &desired, &Hints::from_spec(&b));
    let the_plan = plan(&changes, &current);
    let sql = the_plan.to_sql();
    let mut errors = Vec::new();
    match pair.expect.as_str() {
        "nochange" if !changes.is_empty() => {
            errors.push(format!("expected no changes, got:\n{sql}"))
        }
        "changes" | "destructive" if changes.is_empty() => {
            errors.push("expected changes, got none".into())
        }
        _ => {}
    }
    // Pinned outputs: the plan's text and its hazard kinds.
    let kinds = common::golden::hazard_kinds(&the_plan);
    for (file, text) in [
        ("plan.sql", sql.clone()),
        ("hazards", common::golden::hazards_text(&kinds)),
    ] {
        if let Err(e) = common::golden::check(&pair.dir, file, common::server_major().await, &text)
        {
            errors.push(e);
        }
    }
    let destructive = !the_plan.destructive().is_empty();
    if destructive != (pair.expect == "destructive") {
        errors.push(format!(
            "destructive = {destructive}, expected {}:\n{sql}",
            pair.expect == "destructive"
        ));
    }
    if let Err(e) = client
        .batch_execute(&format!("BEGIN;\n{sql}\nCOMMIT;"))
        .await
    {
        errors.push(format!(
            "applying the plan failed: {}\n{sql}",
            strata::db::describe(&e)
        ));
        return Err(errors.join("\n"));
    }
    let after = introspect(&client, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let rest = diff(&after, &desired);
    if !rest.is_empty() {
        errors.push(format!(
            "not converged; plan was:\n{sql}\nstill to do:\n{}",
            plan(&rest, &after).to_sql()
        ));
    }
    if pair.expect != "destructive" {
        let rows_after = common::count_rows(&client).await;
        // Tables renamed by a hint keep their rows under the new name.
        let renamed = |t: &String| {
            Hints::from_spec(&b)
                .tables
                .iter()
                .find(|(_, old)| format!("public.{old}") == *t)
                .map(|(new, _)| format!("{}.{}", new.schema, new.name))
                .unwrap_or_else(|| t.clone())
        };
        let lost: Vec<_> = rows_before
            .iter()
            .filter(|(t, n)| rows_after.get(&renamed(t)) != Some(n))
            .collect();
        if !lost.is_empty() {
            errors.push(format!("rows changed: {rows_before:?} -> {rows_after:?}"));
        }
    }
    let dump_a = common::schema_dump(&target.target);
    let dump_b = common::schema_dump(&direct.target);
    if dump_a != dump_b {
        errors.push(format!(
            "pg_dump differs (migrated vs built from B):\n{}",
            common::text_diff(&dump_a, &dump_b)
        ));
    }
    if let Err(e) = pull_round_trip(server, &direct).await {
        errors.push(e);
    }
    if errors.is_empty() && !pair.dir.join("no-reverse").exists() {
        if let Err(e) = reverse(&client, &target, &current, &changes, &dump_before).await {
            errors.push(e);
        }
    }
    for db in [&target, &direct] {
        let _ = server.drop_database(db).await;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Plan the migrated database back to `before` (as `generate` does for a
/// down file) and check that it arrives: nothing left to plan, same dump.
async fn reverse(
    client: &tokio_postgres::Client,
    db: &ScratchDb,
    before: &Database,
    forward: &[strata::diff::Change],
    dump_before: &str,
) -> Result<(), String> {
    let opts = CatalogOptions::default();
    let now = introspect(client, &opts).await.map_err(|e| e.to_string())?;
    let back = plan(
        &diff_with_hints(&now, before, &Hints::reversed(forward)),
        &now,
    )
    .to_sql();
    if let Err(e) = client
        .batch_execute(&format!("BEGIN;\n{back}\nCOMMIT;"))
        .await
    {
        return Err(format!(
            "applying the reverse plan failed: {}\n{back}",
            strata::db::describe(&e)
        ));
    }
    let after = introspect(client, &opts).await.map_err(|e| e.to_string())?;
    let rest = diff(&after, before);
    if !rest.is_empty() {
        return Err(format!(
            "reverse plan did not converge; it was:\n{back}\nstill to do:\n{}",
            plan(&rest, &after).to_sql()
        ));
    }
    let dump = common::schema_dump(&db.target);
    if dump != dump_before {
        return Err(format!(
            "pg_dump after the reverse plan differs from before migrating:\n{}\nreverse plan:\n{back}",
            common::text_diff(dump_before, &dump)
        ));
    }
    Ok(())
}

/// `pull` the database, load the YAML back, and plan against the database:
/// nothing may be left to do.
async fn pull_round_trip(server: &'static ScratchServer, db: &ScratchDb) -> Result<(), String> {
    let opts = CatalogOptions::default();
    let client = db.target.connect().await.map_err(|e| e.to_string())?;
    let live = introspect(&client, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    strata::spec::write_dir(&live, dir.path()).map_err(|e| e.to_string())?;
    let pulled = strata::spec::load_dir(dir.path())
        .map_err(|e| format!("pulled YAML does not load: {e}"))?;
    let desired = Engine::shared(server, opts.clone())
        .open(Source::Spec(&pulled), false)
        .await
        .map_err(|e| format!("pulled YAML does not build: {e}"))?
        .model;
    let rest = diff(&live, &desired);
    if rest.is_empty() {
        return Ok(());
    }
    let yaml: String = std::fs::read_dir(dir.path())
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    Err(format!(
        "pull round trip not empty:\n{}\npulled YAML:\n{yaml}",
        plan(&rest, &live).to_sql()
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pair_converges() {
    let server = common::server();
    let all = pairs();
    assert!(
        all.len() >= 40 || std::env::var("STRATA_PAIR").is_ok(),
        "expected at least 40 pairs"
    );
    let cases = all.iter().map(|p| (p.name.clone(), p)).collect();
    common::run_cases("pairs", cases, |pair| async move {
        common::known::check(&pair.dir, "plan", run_pair(server, pair).await)
    })
    .await;
}

/// The plan's order comes from the edges of its dependency graph; the kind
/// rank only breaks ties. So breaking every tie the other way round must
/// still give plans that PostgreSQL accepts and that converge, forwards
/// and back: a missing edge shows up here as a failing pair.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pair_converges_whichever_way_ties_go() {
    let server = common::server();
    let all = pairs();
    let cases = all
        .iter()
        .filter(|p| p.expect != "nochange")
        .map(|p| (p.name.clone(), p))
        .collect();
    // A pair known to fail `plan` fails here the same way.
    common::run_cases("pairs, ties reversed", cases, |pair| async move {
        common::known::check(&pair.dir, "plan", reversed_ties(server, pair).await)
    })
    .await;
}

async fn reversed_ties(server: &'static ScratchServer, pair: &Pair) -> Result<(), String> {
    if common::skip_reason(&pair.dir).await.is_some() {
        return Ok(());
    }
    let (a, b) = (load(&pair.dir, "a.yaml")?, load(&pair.dir, "b.yaml")?);
    let opts = CatalogOptions::default();
    let db = build(server, &a, "ties").await?;
    let client = db.target.connect().await.map_err(|e| e.to_string())?;
    if let Ok(data) = std::fs::read_to_string(pair.dir.join("data.sql")) {
        client
            .batch_execute(&data)
            .await
            .map_err(|e| e.to_string())?;
    }
    let desired = Engine::shared(server, opts.clone())
        .open(Source::Spec(&b), false)
        .await
        .map_err(|e| e.to_string())?
        .model;
    let current = introspect(&client, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let forward = diff_with_hints(&current, &desired, &Hints::from_spec(&b));
    apply_reversed(&client, &forward, &current, &desired, "forward").await?;
    if !pair.dir.join("no-reverse").exists() {
        let now = introspect(&client, &opts)
            .await
            .map_err(|e| e.to_string())?;
        let back = diff_with_hints(&now, &current, &Hints::reversed(&forward));
        apply_reversed(&client, &back, &now, &current, "reverse").await?;
    }
    let _ = server.drop_database(&db).await;
    Ok(())
}

/// Plan `changes` with every tie reversed, apply it, and check that the
/// database then matches `to`.
async fn apply_reversed(
    client: &tokio_postgres::Client,
    changes: &[strata::diff::Change],
    from: &Database,
    to: &Database,
    what: &str,
) -> Result<(), String> {
    use strata::plan::{plan_with, Ties};
    let the_plan = plan_with(changes, from, Ties::Reversed);
    if !the_plan.cycle_broken_at.is_empty() {
        return Err(format!(
            "{what} plan graph has a cycle at {:?}",
            the_plan.cycle_broken_at
        ));
    }
    let sql = the_plan.to_sql();
    if let Err(e) = client
        .batch_execute(&format!("BEGIN;\n{sql}\nCOMMIT;"))
        .await
    {
        return Err(format!(
            "{what} plan failed: {}\n{sql}",
            strata::db::describe(&e)
        ));
    }
    let after = introspect(client, &CatalogOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let rest = diff(&after, to);
    if rest.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{what} plan did not converge:\n{sql}\nstill to do:\n{}",
        plan(&rest, &after).to_sql()
    ))
}

/// Issue 11 item 2: a type change that a value does not fit is refused
/// without `--allow-destructive`, and with it the migration fails on that
/// value (and rolls back) instead of truncating or rounding it. One case
/// per directory of `tests/pairs-unfit/` (see its README).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_that_do_not_fit_make_the_migration_fail() {
    let server = common::server();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs-unfit");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/pairs-unfit exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "expected at least 10 cases");
    let cases = dirs
        .iter()
        .map(|d| (d.file_name().unwrap().to_string_lossy().to_string(), d))
        .collect();
    common::run_cases("unfit values", cases, |dir| unfit(server, dir)).await;
}

async fn unfit(server: &'static ScratchServer, dir: &Path) -> Result<(), String> {
    let (a, b) = (load(dir, "a.yaml")?, load(dir, "b.yaml")?);
    let want = std::fs::read_to_string(dir.join("error")).map_err(|e| e.to_string())?;
    let opts = CatalogOptions::default();
    let db = build(server, &a, "unfit").await?;
    let client = db.target.connect().await.map_err(|e| e.to_string())?;
    let data = std::fs::read_to_string(dir.join("data.sql")).map_err(|e| e.to_string())?;
    client
        .batch_execute(&data)
        .await
        .map_err(|e| e.to_string())?;
    let rows = "SELECT t::text FROM t ORDER BY id";
    let before = common::strings(&client, rows).await;
    let desired = Engine::shared(server, opts.clone())
        .open(Source::Spec(&b), false)
        .await
        .map_err(|e| e.to_string())?
        .model;
    let current = introspect(&client, &opts)
        .await
        .map_err(|e| e.to_string())?;
    let the_plan = plan(&diff(&current, &desired), &current);
    let sql = the_plan.to_sql();
    if the_plan.check_destructive(false).is_ok() {
        return Err(format!("not refused without --allow-destructive:\n{sql}"));
    }
    let result = client
        .batch_execute(&format!("BEGIN;\n{sql}\nCOMMIT;"))
        .await;
    let _ = client.batch_execute("ROLLBACK").await;
    let after = common::strings(&client, rows).await;
    let _ = server.drop_database(&db).await;
    match result {
        Ok(()) => Err(format!(
            "the migration succeeded; rows {before:?} became {after:?}:\n{sql}"
        )),
        Err(e) if !strata::db::describe(&e).contains(want.trim()) => Err(format!(
            "failed, but not with {:?}: {}\n{sql}",
            want.trim(),
            strata::db::describe(&e)
        )),
        Err(_) if after != before => Err(format!("rows changed: {before:?} -> {after:?}")),
        Err(_) => Ok(()),
    }
}
