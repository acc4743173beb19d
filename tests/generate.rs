//! `generate` end to end, the way a user runs it: a project directory, the
//! `strata` binary, scratch databases on the test server (`--dev-url`).
//!
//! * every pair of tests/pairs/ goes A → `generate` → `migrate` (plus the
//!   pair's data.sql) → B → `generate` (replay, verify, down file and the
//!   data-preservation proof) → `migrate` → `plan` must be empty →
//!   `rollback` → `plan` against A must be empty (see common/known.rs for
//!   pairs known to fail);
//! * random pairs of models (tests/common/random.rs: a model and a mutated
//!   copy) go the same way: `STRATA_RANDOM_PAIRS=N` runs more than the
//!   default, `STRATA_RANDOM_SEED=S` others;
//! * the proof itself: the fill, the fingerprint, a truncating migration
//!   caught with the rows it truncated, the repository's own schemas.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::runner::{strata, text};
use strata::engine::preserve::{self, FillOptions, LossKind, ProofOptions, Scope};

/// A project directory: schema/, migrations/, seeds/.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
        std::fs::create_dir_all(dir.path().join("schema")).unwrap();
        // Privileges managed, as the convergence pairs compare them (the
        // pairs without grants have none to manage).
        std::fs::write(dir.path().join("strata.yaml"), "manage: [privileges]\n").unwrap();
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replace schema/ with these files.
    fn set_schema(&self, files: &[(String, String)]) {
        let schema = self.path().join("schema");
        let _ = std::fs::remove_dir_all(&schema);
        std::fs::create_dir_all(&schema).unwrap();
        for (name, body) in files {
            std::fs::write(schema.join(name), body).unwrap();
        }
    }

    /// `strata ARGS` in the project, scratch databases on the test server,
    /// `target` as the database.
    async fn run(&self, args: &[&str], target: &str) -> Output {
        let mut cmd = strata();
        cmd.current_dir(self.path())
            .env("STRATA_DEV_URL", dev_url())
            .env("DATABASE_URL", target)
            .args(args);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }

    fn migrations(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.path().join("migrations"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        v.sort();
        v
    }
}

fn dev_url() -> String {
    common::server().admin_target().url()
}

fn describe(what: &str, out: &Output) -> String {
    format!(
        "{what}: exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// One schema evolution through the binary. `Err` says which step failed.
struct Evolution<'a> {
    a: &'a [(String, String)],
    b: &'a [(String, String)],
    /// Rows put into the database after A is migrated.
    data: Option<String>,
    allow_destructive: bool,
    /// Roll back and check the database is A again.
    reverse: bool,
}

/// Roles are cluster-wide and `--dev-url` servers get none from strata:
/// the roles both sides' policies name are made on the test server first.
async fn ensure_roles(files: &[(String, String)]) -> Result<(), String> {
    for (name, text) in files {
        if let Ok(spec) = strata::spec::load_str(Path::new(name), text) {
            common::ensure_roles(&spec.roles()).await;
        }
    }
    Ok(())
}

async fn evolve(e: &Evolution<'_>) -> Result<(), String> {
    ensure_roles(e.a).await?;
    ensure_roles(e.b).await?;
    let p = Project::new();
    let target = common::server()
        .create_database("gen")
        .await
        .map_err(|e| e.to_string())?;
    let url = target.target.url();
    let result = evolve_in(&p, e, &url).await;
    let _ = common::server().drop_database(&target).await;
    result
}

async fn evolve_in(p: &Project, e: &Evolution<'_>, url: &str) -> Result<(), String> {
    let ok = |what: &str, out: &Output| {
        if out.status.success() {
            Ok(())
        } else {
            Err(describe(what, out))
        }
    };
    p.set_schema(e.a);
    // A pair's side may be the empty schema (the database should be empty).
    ok(
        "generate A",
        &p.run(&["generate", "a", "--allow-empty"], url).await,
    )?;
    ok("migrate to A", &p.run(&["migrate"], url).await)?;
    if let Some(data) = &e.data {
        let client = tokio_postgres::connect(url, tokio_postgres::NoTls).await;
        let (client, conn) = client.map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        client
            .batch_execute(data)
            .await
            .map_err(|e| format!("data.sql: {}", strata::db::describe(&e)))?;
    }
    p.set_schema(e.b);
    let before = p.migrations().len();
    let mut args = vec!["generate", "b", "--allow-empty"];
    if e.allow_destructive {
        args.push("--allow-destructive");
    }
    let gen_b = p.run(&args, url).await;
    ok("generate B", &gen_b)?;
    let stderr = text(&gen_b.stderr);
    let wrote = p.migrations().len() > before;
    if wrote && !stderr.contains("Data check:") {
        return Err(describe("generate B ran no data check", &gen_b));
    }
    ok("migrate to B", &p.run(&["migrate"], url).await)?;
    let plan = p.run(&["plan", "--exit-code", "--allow-empty"], url).await;
    if plan.status.code() != Some(0) {
        return Err(format!(
            "{}\ngenerate B said:\n{stderr}",
            describe("plan after migrating to B is not empty", &plan)
        ));
    }
    if e.reverse && wrote {
        ok(
            "rollback",
            &p.run(&["rollback", "--allow-destructive"], url).await,
        )?;
        p.set_schema(e.a);
        let plan = p.run(&["plan", "--exit-code", "--allow-empty"], url).await;
        if plan.status.code() != Some(0) {
            return Err(describe(
                "plan against A after rollback is not empty",
                &plan,
            ));
        }
    }
    Ok(())
}

fn pairs_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs")
}

fn yaml(dir: &Path, file: &str) -> Vec<(String, String)> {
    let body = std::fs::read_to_string(dir.join(file)).unwrap();
    vec![("schema.yaml".to_string(), body)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pair_through_generate() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(pairs_root())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    if let Ok(only) = std::env::var("STRATA_PAIR") {
        dirs.retain(|d| d.to_string_lossy().contains(&only));
    }
    let cases = dirs
        .iter()
        .map(|d| (d.file_name().unwrap().to_string_lossy().to_string(), d))
        .collect();
    common::run_cases("pairs through generate", cases, |dir| async move {
        if let Some(why) = common::skip_reason(dir).await {
            eprintln!("skip {}: {why}", dir.display());
            return Ok(());
        }
        let expect = std::fs::read_to_string(dir.join("expect")).unwrap_or_default();
        let (a, b) = (yaml(dir, "a.yaml"), yaml(dir, "b.yaml"));
        // The roles the pair's policies and grants name: the binary builds
        // its shadow on this server as an outside `--dev-url` one, where
        // it creates none (roles are the administrator's business there).
        for side in [&a, &b] {
            let model = strata::spec::load_str(Path::new("schema.yaml"), &side[0].1)
                .map_err(|e| e.to_string())?;
            common::server()
                .ensure_roles(&model.roles())
                .await
                .map_err(|e| e.to_string())?;
        }
        let result = evolve(&Evolution {
            a: &a,
            b: &b,
            data: std::fs::read_to_string(dir.join("data.sql")).ok(),
            allow_destructive: expect.trim() == "destructive",
            reverse: !dir.join("no-reverse").exists(),
        })
        .await;
        common::known::check(dir, "generate", result)
    })
    .await;
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_pairs_through_generate() {
    use common::random::{for_major, model, mutate, valid, Lcg};
    let count = env_number("STRATA_RANDOM_PAIRS", 12);
    let seed = env_number("STRATA_RANDOM_SEED", 11);
    let major = common::server_major().await;
    let mut rng = Lcg(seed);
    let mut cases = Vec::new();
    for i in 0..count {
        let a = valid(model(&mut rng));
        let b = mutate(&mut rng, &a);
        let (a, b) = (for_major(a, major), for_major(b, major));
        cases.push((
            format!("random {seed}/{i}"),
            (
                strata::spec::render_files(&a),
                strata::spec::render_files(&b),
            ),
        ));
    }
    common::run_cases("random pairs", cases, |(a, b)| async move {
        evolve(&Evolution {
            a: &a,
            b: &b,
            data: None,
            allow_destructive: true,
            reverse: true,
        })
        .await
        .map_err(|e| {
            let show = |files: &[(String, String)]| -> String {
                files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect()
            };
            format!("{e}\n=== A ===\n{}\n=== B ===\n{}", show(&a), show(&b))
        })
    })
    .await;
}

/// A database built from `yaml`, its catalog model, and a connection.
async fn built(
    yaml: &str,
) -> (
    strata::scratch::ScratchDb,
    tokio_postgres::Client,
    strata::model::Database,
) {
    let spec = strata::spec::load_str(Path::new("s.yaml"), yaml).unwrap();
    let (db, client) = common::fresh_db("proof").await;
    strata::engine::apply_spec(&client, &spec).await.unwrap();
    let model = strata::catalog::introspect(&client, &Default::default())
        .await
        .unwrap();
    (db, client, model)
}

const SHOP: &str = r#"
enums:
  state: [new, paid]
tables:
  customers:
    columns:
      id: bigint primary key generated always as identity
      email: varchar(64) not null unique
      referred_by: {type: bigint, references: customers.id}
  orders:
    columns:
      id: serial primary key
      customer_id: {type: bigint, not_null: true, references: customers.id}
      state: state not null default 'new'
      total: numeric(10,2)
      tags: text[]
  states:
    columns:
      s: state primary key
  impossible:
    columns:
      id: integer primary key
    checks: ["id < 0 AND id > 0"]
  needs_impossible:
    columns:
      id: integer primary key
      other: {type: integer, not_null: true, references: impossible.id}
"#;

/// Every row of every table, as text, in a stable order.
async fn all_rows(client: &tokio_postgres::Client, model: &strata::model::Database) -> Vec<String> {
    let mut out = Vec::new();
    for t in model.tables.values() {
        let sql = format!("SELECT t::text FROM {} t ORDER BY 1", t.name.quoted());
        for r in client.query(&sql, &[]).await.unwrap() {
            out.push(format!("{}: {}", t.name, r.get::<_, String>(0)));
        }
    }
    out
}

#[tokio::test]
async fn fill_puts_rows_everywhere_it_can_the_same_every_time() {
    // Two databases: sequences (the identity and serial keys) do not roll
    // back, so a second fill of one database would get other keys.
    let mut runs = Vec::new();
    for _ in 0..2 {
        let (_db, client, model) = built(SHOP).await;
        client.batch_execute("BEGIN").await.unwrap();
        let filled = preserve::fill(&client, &model, None, &FillOptions::default())
            .await
            .unwrap();
        // The self-reference is pointed at earlier rows after loading (the
        // first row is the root).
        let referred: i64 = client
            .query_one("SELECT count(referred_by) FROM customers", &[])
            .await
            .unwrap()
            .get(0);
        runs.push((all_rows(&client, &model).await, filled, referred));
        client.batch_execute("ROLLBACK").await.unwrap();
        assert!(all_rows(&client, &model).await.is_empty());
    }
    let (rows, filled, referred) = &runs[0];
    assert_eq!(rows, &runs[1].0, "the fill is not deterministic");
    assert_eq!(*referred, 3, "{rows:?}");
    let got: Vec<String> = filled.filled.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(got, ["customers", "orders", "states"], "{filled:?}");
    // A key over a two-label enum has room for two rows.
    let counts: Vec<u64> = filled.filled.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [4, 4, 2], "{filled:?}");
    // The CHECK nothing satisfies, and the table that needs its rows.
    let skipped: Vec<String> = filled.skipped.iter().map(|s| s.table.to_string()).collect();
    assert_eq!(skipped, ["impossible", "needs_impossible"], "{filled:?}");
    assert!(filled.skipped[0].reason.contains("check"), "{filled:?}");
    assert!(filled.skipped[1].reason.contains("no rows"), "{filled:?}");
}

/// The proof over every table: a hand-written migration has no changes
/// to say which tables it touches.
fn every_table() -> ProofOptions {
    ProofOptions {
        scope: Scope::All,
        ..ProofOptions::default()
    }
}

/// Diff the database against `desired_yaml`, as generate does.
async fn changes_to(
    model: &strata::model::Database,
    desired_yaml: &str,
) -> Vec<strata::diff::Change> {
    let spec = strata::spec::load_str(Path::new("b.yaml"), desired_yaml).unwrap();
    let desired = strata::engine::Engine::shared(common::server(), Default::default())
        .open(strata::engine::Source::Spec(&spec), false)
        .await
        .unwrap()
        .model;
    strata::diff::diff_with_hints(model, &desired, &strata::diff::Hints::from_spec(&spec))
}

#[tokio::test]
async fn the_proof_catches_a_truncating_migration_and_names_the_rows() {
    let (_db, client, model) = built(SHOP).await;
    let narrow = SHOP.replace("email: varchar(64)", "email: varchar(8)");
    let changes = changes_to(&model, &narrow).await;
    // What strata wrote before issue 11 (an explicit cast truncates).
    let sql = r#"ALTER TABLE "public"."customers" ALTER COLUMN "email" TYPE varchar(8) USING "email"::varchar(8);"#;
    let report = preserve::prove(
        &client,
        &model,
        &changes,
        sql,
        None,
        &ProofOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.not_run, None);
    assert_eq!(report.losses.len(), 1, "{:?}", report.losses);
    let loss = &report.losses[0];
    assert_eq!(loss.table.to_string(), "customers");
    assert_eq!(loss.column.as_deref(), Some("email"));
    assert_eq!(loss.kind, LossKind::Changed);
    assert_eq!(loss.rows, Some(4), "{loss}");
    assert!(loss.to_string().contains("id="), "{loss}");
    // Rolled back: the database is as it was.
    assert_eq!(all_rows(&client, &model).await, Vec::<String>::new());
    let now = strata::catalog::introspect(&client, &Default::default())
        .await
        .unwrap();
    assert!(strata::diff::diff(&now, &model).is_empty());

    // Without the USING, PostgreSQL refuses: no loss, the check says why
    // it did not run.
    let sql = r#"ALTER TABLE "public"."customers" ALTER COLUMN "email" TYPE varchar(8);"#;
    let report = preserve::prove(
        &client,
        &model,
        &changes,
        sql,
        None,
        &ProofOptions::default(),
    )
    .await
    .unwrap();
    assert!(report.losses.is_empty());
    let why = report.not_run.unwrap_or_default();
    assert!(why.contains("value too long"), "{why}");
}

#[tokio::test]
async fn the_proof_sees_an_update_and_lost_rows_but_not_what_the_migration_drops() {
    let (_db, client, model) = built(SHOP).await;
    let prove = |sql: &'static str, changes: Vec<strata::diff::Change>| {
        let (client, model) = (&client, &model);
        async move {
            preserve::prove(client, model, &changes, sql, None, &every_table())
                .await
                .unwrap()
        }
    };
    // A migration that changes values it should not.
    let r = prove(
        "UPDATE orders SET total = total + 1 WHERE id = (SELECT min(id) FROM orders);",
        vec![],
    )
    .await;
    assert_eq!(r.losses.len(), 1, "{:?}", r.losses);
    assert_eq!(r.losses[0].column.as_deref(), Some("total"));
    assert_eq!(r.losses[0].rows, Some(1), "{}", r.losses[0]);
    // One that loses rows.
    let r = prove(
        "DELETE FROM orders WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 2);",
        vec![],
    )
    .await;
    assert_eq!(r.losses.len(), 1, "{:?}", r.losses);
    assert_eq!(
        (r.losses[0].kind, r.losses[0].rows),
        (LossKind::RowsGone, Some(2))
    );
    // Dropping a column (and a table) loses their data by design.
    let fewer = SHOP
        .replace("      tags: text[]\n", "")
        .replace("  impossible:\n    columns:\n      id: integer primary key\n    checks: [\"id < 0 AND id > 0\"]\n", "");
    let fewer = fewer.replace(
        "  needs_impossible:\n    columns:\n      id: integer primary key\n      other: {type: integer, not_null: true, references: impossible.id}\n",
        "",
    );
    let changes = changes_to(&model, &fewer).await;
    let sql = strata::plan::plan(&changes, &model).to_sql();
    let report = preserve::prove(
        &client,
        &model,
        &changes,
        &sql,
        None,
        &ProofOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.not_run, None);
    assert!(report.losses.is_empty(), "{:?}", report.losses);
    // Widening numeric(10,2) to numeric(12,4) changes every value's text
    // (1.50 → 1.5000), not its number.
    let wider = SHOP.replace("numeric(10,2)", "numeric(12,4)");
    let changes = changes_to(&model, &wider).await;
    let sql = strata::plan::plan(&changes, &model).to_sql();
    let report = preserve::prove(
        &client,
        &model,
        &changes,
        &sql,
        None,
        &ProofOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.not_run, None);
    assert!(report.losses.is_empty(), "{:?}", report.losses);
}

/// Narrowing `varchar(64)` with `--allow-destructive` must never write a
/// migration that truncates: either the proof refuses it, or PostgreSQL
/// refuses a value that does not fit when it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_never_writes_a_silently_truncating_migration() {
    let (target, client) = common::fresh_db("narrow").await;
    let url = target.target.url();
    let p = Project::new();
    let a = SHOP.to_string();
    p.set_schema(&[("s.yaml".into(), a)]);
    let out = p.run(&["generate", "a"], &url).await;
    assert!(out.status.success(), "{}", describe("generate", &out));
    let out = p.run(&["migrate"], &url).await;
    assert!(out.status.success(), "{}", describe("migrate", &out));
    client
        .batch_execute("INSERT INTO customers (email) VALUES ('someone@example.com')")
        .await
        .unwrap();
    p.set_schema(&[("s.yaml".into(), SHOP.replace("varchar(64)", "varchar(8)"))]);
    let out = p
        .run(&["generate", "narrow", "--allow-destructive"], &url)
        .await;
    if !out.status.success() {
        let err = text(&out.stderr);
        assert!(
            err.contains("loses data") && err.contains("customers.email"),
            "{}",
            describe("generate", &out)
        );
        return;
    }
    let out = p.run(&["migrate"], &url).await;
    assert!(!out.status.success(), "{}", describe("migrate", &out));
    let email: String = client
        .query_one("SELECT email::text FROM customers", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(email, "someone@example.com");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The repository's schema and each example, unchanged (nothing to
/// write) and then with a column added to every table: the proof fills
/// the replayed migrations with the project's own `dev` profile and finds
/// nothing lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_with_the_proof_on_the_repository_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut projects = vec![("repository".to_string(), root.to_path_buf())];
    for e in ["imagemanager", "monitoring", "vividshift"] {
        projects.push((e.to_string(), root.join("examples").join(e)));
    }
    let cases = projects
        .into_iter()
        .map(|(n, d)| (n.clone(), (n, d)))
        .collect();
    common::run_cases("repository schemas", cases, |(name, dir)| async move {
        let p = Project::new();
        for sub in ["schema", "migrations", "seeds", "fixtures"] {
            if dir.join(sub).is_dir() {
                copy_dir(&dir.join(sub), &p.path().join(sub));
            }
        }
        let shipped = p.migrations().len();
        let unused = "postgres://unused.invalid/none";
        let out = p.run(&["generate", "again"], unused).await;
        if !out.status.success() || p.migrations().len() != shipped {
            return Err(describe("generate on the unchanged project", &out));
        }
        // Every table gains a column: every table is filled and compared.
        let mut spec =
            strata::spec::load_dir(&p.path().join("schema")).map_err(|e| e.to_string())?;
        for t in spec.tables.values_mut() {
            t.columns.push(strata::model::Column {
                name: "proof_note".into(),
                data_type: "text".into(),
                ..Default::default()
            });
        }
        std::fs::remove_dir_all(p.path().join("schema")).unwrap();
        strata::spec::write_dir(&spec, &p.path().join("schema")).unwrap();
        let out = p.run(&["generate", "more"], unused).await;
        let err = text(&out.stderr);
        if !out.status.success() || !err.contains("every row and value survives") {
            return Err(describe("generate with a column added everywhere", &out));
        }
        eprintln!(
            "{name}: {}",
            err.lines()
                .find(|l| l.starts_with("Data check"))
                .unwrap_or("")
        );
        Ok(())
    })
    .await;
}

/// A table of 1000 columns (PostgreSQL allows 1600; a select list holds
/// at most 1664 entries) and one of none are fingerprinted.
#[tokio::test]
async fn fingerprints_of_very_wide_and_empty_tables() {
    let (_db, client) = common::fresh_db("wide").await;
    let cols: Vec<String> = (0..1000).map(|i| format!("c{i} integer")).collect();
    let values: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    common::exec(
        &client,
        &format!(
            "CREATE TABLE wide ({}); INSERT INTO wide VALUES ({}); CREATE TABLE empty ();",
            cols.join(", "),
            values.join(", ")
        ),
    )
    .await;
    let model = strata::catalog::introspect(&client, &Default::default())
        .await
        .unwrap();
    let print = preserve::fingerprint(&client, &model).await.unwrap();
    let wide = &print.tables[&strata::model::QualifiedName::new("public", "wide")];
    assert_eq!(wide.rows, 1);
    assert_eq!(wide.columns.len(), 1000);
    assert!(wide.columns.values().all(|c| c.non_null == 1));
    let empty = &print.tables[&strata::model::QualifiedName::new("public", "empty")];
    assert_eq!((empty.rows, empty.columns.len()), (0, 0));
    // Values count: another value in one column changes that column only.
    common::exec(&client, "UPDATE wide SET c7 = 70").await;
    let after = preserve::fingerprint(&client, &model).await.unwrap();
    let losses = preserve::compare(&print, &after, &[]);
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].column.as_deref(), Some("c7"));
}
