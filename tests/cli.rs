//! The `strata` binary end to end: help texts, exit codes, YAML errors that
//! touch no database, generate/plan/pull/diff against real PostgreSQL, and
//! clean teardown of the embedded server, also when interrupted.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn strata() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL").env_remove("STRATA_DEV_URL");
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("strata runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A private TMPDIR (short path: unix socket paths are limited) so a test
/// can check that the embedded server left nothing behind.
fn private_tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("st")
        .tempdir_in("/tmp")
        .unwrap()
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = entry.path().join("cmdline");
        if let Ok(bytes) = std::fs::read(cmdline) {
            let s = String::from_utf8_lossy(&bytes).replace('\0', " ");
            if s.contains(needle) {
                out.push(s);
            }
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push(e.path());
        if e.path().is_dir() {
            out.extend(walk(&e.path()).into_iter().take(5));
        }
    }
    out
}

fn assert_nothing_left(tmp: &Path) {
    // A moment for children of the exited process to finish exiting.
    std::thread::sleep(Duration::from_millis(50));
    let left = walk(tmp);
    assert!(
        left.is_empty(),
        "left behind in {}: {left:?}",
        tmp.display()
    );
    let procs = processes_mentioning(&tmp.display().to_string());
    assert!(procs.is_empty(), "processes left: {procs:?}");
}

#[test]
fn help_lists_commands_and_examples() {
    let out = run(strata().arg("--help"));
    assert!(out.status.success());
    let help = text(&out.stdout);
    for cmd in [
        "init", "generate", "plan", "pull", "diff", "dev", "migrate", "rollback", "status",
        "rehash", "validate", "seed", "baseline",
    ] {
        assert!(help.contains(cmd), "--help lacks {cmd}:\n{help}");
        let sub = run(strata().args([cmd, "--help"]));
        assert!(sub.status.success());
        assert!(
            text(&sub.stdout).contains("Example"),
            "{cmd} --help has no example"
        );
    }
}

#[test]
fn bad_usage_exits_64() {
    let out = run(strata().args(["generate"]));
    assert_eq!(out.status.code(), Some(64), "{}", text(&out.stderr));
    let out = run(strata().args(["frobnicate"]));
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn yaml_errors_name_the_position_and_touch_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir_all(&schema).unwrap();
    std::fs::write(
        schema.join("a.yaml"),
        "tables:\n  users:\n    columns:\n      id: {type: integer, primary_kye: true}\n",
    )
    .unwrap();
    // A bindir without PostgreSQL: had strata tried to start a server it
    // would exit 5, not 4.
    let empty = tempfile::tempdir().unwrap();
    let out = run(strata()
        .current_dir(dir.path())
        .env("STRATA_PG_BINDIR", empty.path())
        .args(["generate", "x"]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("a.yaml:4:"), "{err}");
    assert!(err.contains("primary_key"), "no did-you-mean: {err}");
    assert!(!dir.path().join("migrations").exists());
}

#[test]
fn schema_postgres_rejects_is_reported_at_its_yaml_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::write(
        dir.path().join("schema/a.yaml"),
        "tables:\n  t:\n    columns:\n      id: integer\n      x: nosuchtype\n",
    )
    .unwrap();
    let out = run(strata().current_dir(dir.path()).args(["generate", "x"]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    // The column's position, not just the table's.
    assert!(err.contains("schema/a.yaml:5:7"), "{err}");
    assert!(err.contains("type \"nosuchtype\" does not exist"), "{err}");
}

#[test]
fn missing_postgres_binaries_exit_5_with_install_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::write(
        dir.path().join("schema/a.yaml"),
        "tables:\n  t: {columns: {id: integer}}\n",
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = run(strata()
        .current_dir(dir.path())
        .env("STRATA_PG_BINDIR", empty.path())
        .env("PATH", "/usr/bin:/bin")
        .args(["generate", "x"]));
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("apt-get install postgresql"));
}

fn copy_example(to: &Path) {
    for sub in ["schema", "migrations"] {
        copy_dir(&repo().join(sub), &to.join(sub));
    }
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

#[test]
fn generate_on_the_example_needs_no_database_and_leaves_nothing() {
    let project = tempfile::tempdir().unwrap();
    copy_example(project.path());
    let tmp = private_tmp();
    // The committed migrations already match schema/: nothing to write.
    let out = run(strata()
        .current_dir(project.path())
        .env("STRATA_PG_RUN_ROOT", tmp.path())
        .args(["generate", "again"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("No changes"),
        "{}",
        text(&out.stderr)
    );
    assert_nothing_left(tmp.path());

    // From scratch: the whole schema in V1.
    let fresh = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(fresh.path().join("schema")).unwrap();
    for e in std::fs::read_dir(repo().join("schema")).unwrap().flatten() {
        std::fs::copy(e.path(), fresh.path().join("schema").join(e.file_name())).unwrap();
    }
    let out = run(strata()
        .current_dir(fresh.path())
        .env("STRATA_PG_RUN_ROOT", tmp.path())
        .args(["generate", "initial"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = fresh.path().join("migrations/V1__initial.sql");
    assert_eq!(text(&out.stdout).trim(), "migrations/V1__initial.sql");
    let sql = std::fs::read_to_string(written).unwrap();
    assert!(
        sql.contains("CREATE TABLE \"public\".\"molecules\""),
        "{sql}"
    );
    assert_nothing_left(tmp.path());
}

/// Interrupt `generate` when the embedded server's directory has just been
/// made (template copy under way), and again once the server is up (shadow
/// databases being built): either way nothing may be left.
#[test]
fn interrupted_generate_cleans_up() {
    let project = tempfile::tempdir().unwrap();
    copy_example(project.path());
    std::fs::remove_dir_all(project.path().join("migrations")).unwrap();
    for wait_for_socket in [false, true] {
        let tmp = private_tmp();
        let mut child = strata()
            .current_dir(project.path())
            .env("STRATA_PG_RUN_ROOT", tmp.path())
            .args(["generate", "initial"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let t0 = Instant::now();
        loop {
            let dirs: Vec<PathBuf> = std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            let ready = match dirs.first() {
                None => false,
                Some(d) => !wait_for_socket || d.join(".s.PGSQL.5432").exists(),
            };
            if ready {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "server never started"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let status = child.wait().unwrap();
        // Either the interrupt landed (130) or generate had already finished.
        assert!(matches!(status.code(), Some(130) | Some(0)), "{status:?}");
        assert_nothing_left(tmp.path());
    }
}

#[tokio::test]
async fn plan_exit_codes_pull_round_trip_and_destructive_refusal() {
    let (db, client) = common::fresh_db("cli").await;
    let url = db.target.url();
    let schema = repo().join("schema");
    // Empty database: changes pending → 2, SQL on stdout.
    let out = run(strata()
        .args(["plan", "--exit-code", "--database-url", &url, "--schema"])
        .arg(&schema));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let sql = text(&out.stdout);
    assert!(sql.contains("CREATE TABLE"));
    client
        .batch_execute(&format!("BEGIN;\n{sql}\nCOMMIT;"))
        .await
        .unwrap();
    // The migration history table (refinery's) is bookkeeping, not schema.
    client
        .batch_execute(
            "CREATE TABLE refinery_schema_history (version int4 PRIMARY KEY, name varchar(255), \
             applied_on varchar(255), checksum varchar(255))",
        )
        .await
        .unwrap();
    // Applied: nothing to do → 0, empty stdout.
    let out = run(strata()
        .args(["plan", "--exit-code", "--database-url", &url, "--schema"])
        .arg(&schema));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    // pull → plan against the pulled YAML: nothing.
    let pulled = tempfile::tempdir().unwrap();
    let out = run(strata()
        .args(["pull", "--database-url", &url, "--out"])
        .arg(pulled.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Pulling again over the same files is refused unless forced.
    let again = run(strata()
        .args(["pull", "--database-url", &url, "--out"])
        .arg(pulled.path()));
    assert_eq!(again.status.code(), Some(4), "{}", text(&again.stderr));
    let forced = run(strata()
        .args(["pull", "--force", "--database-url", &url, "--out"])
        .arg(pulled.path()));
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let out = run(strata()
        .args(["plan", "--exit-code", "--database-url", &url, "--schema"])
        .arg(pulled.path()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // A schema without job_results: dropping it is refused → 3.
    let smaller = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(schema.join("chemistry.yaml")).unwrap();
    let cut = yaml.find("  job_results:").unwrap();
    std::fs::write(smaller.path().join("chemistry.yaml"), &yaml[..cut]).unwrap();
    std::fs::copy(
        schema.join("tenancy.yaml"),
        smaller.path().join("tenancy.yaml"),
    )
    .unwrap();
    let out = run(strata()
        .args(["plan", "--database-url", &url, "--schema"])
        .arg(smaller.path()));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("job_results"));
    // The preview still shows the whole SQL, the drop marked (issue 11
    // item 6: it used to print nothing).
    let preview = text(&out.stdout);
    assert!(
        preview.contains("-- DESTRUCTIVE: drops table job_results and all its rows\nDROP TABLE \"public\".\"job_results\";"),
        "{preview}"
    );
    let out = run(strata()
        .args([
            "plan",
            "--allow-destructive",
            "--database-url",
            &url,
            "--schema",
        ])
        .arg(smaller.path()));
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("-- DESTRUCTIVE: drops table job_results"));
    // diff between the live database and a directory, and dir vs dir.
    let out = run(strata()
        .args(["diff", "--exit-code", "--from", &url, "--to"])
        .arg(&schema));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(strata()
        .args(["diff", "--from"])
        .arg(&schema)
        .arg("--to")
        .arg(smaller.path()));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("-- DESTRUCTIVE: drops table job_results"));
    let out = run(strata()
        .args(["diff", "--allow-destructive", "--from"])
        .arg(&schema)
        .arg("--to")
        .arg(smaller.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("DROP TABLE \"public\".\"job_results\""));
}

#[tokio::test]
async fn dev_url_puts_shadows_on_a_named_server() {
    let (db, _client) = common::fresh_db("devurl").await;
    let url = db.target.url();
    let client = db.target.connect().await.unwrap();
    let tmp_dbs = || async {
        let rows = client
            .query(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'strata_tmp_%'",
                &[],
            )
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<std::collections::BTreeSet<_>>()
    };
    let before = tmp_dbs().await;
    let project = tempfile::tempdir().unwrap();
    copy_example(project.path());
    std::fs::remove_dir_all(project.path().join("migrations")).unwrap();
    let out = run(strata()
        .current_dir(project.path())
        .env("STRATA_PG_BINDIR", "/nonexistent")
        .args(["generate", "initial", "--dev-url", &url]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Its temporary databases are gone again.
    let after = tmp_dbs().await;
    let left: Vec<_> = after.difference(&before).collect();
    assert!(left.is_empty(), "temporary databases left behind: {left:?}");
}

#[test]
fn init_scaffolds_a_working_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(strata().current_dir(dir.path()).arg("init"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    for f in ["strata.yaml", "schema/example.yaml", "migrations"] {
        assert!(dir.path().join(f).exists(), "{f} missing");
    }
    let out = run(strata()
        .current_dir(dir.path())
        .args(["generate", "initial"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("migrations/V1__initial.sql").exists());
    let out = run(strata().current_dir(dir.path()).args(["generate", "again"]));
    assert!(out.status.success());
    assert!(!dir.path().join("migrations/V2__again.sql").exists());
}

/// Issue 11 item 3: the shipped example gains a `job_status` label (an enum
/// its partial index compares with). `generate` used to fail verifying the
/// down file (the enum recreation rebuilt the index against the old type);
/// now both steps generate, apply, and roll back.
#[tokio::test]
async fn the_example_enum_used_by_a_partial_index_evolves_and_rolls_back() {
    let (db, client) = common::fresh_db("evolve").await;
    let (shadows, _c) = common::fresh_db("evolve_dev").await;
    let url = db.target.url();
    let dev = shadows.target.url();
    let project = tempfile::tempdir().unwrap();
    copy_example(project.path());
    let p = project.path();
    let edit = |file: &str, from: &str, to: &str| {
        let path = p.join("schema").join(file);
        let yaml = std::fs::read_to_string(&path).unwrap();
        assert!(yaml.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, yaml.replace(from, to)).unwrap();
    };
    let generate = |name: &str| {
        let out = run(strata()
            .current_dir(p)
            .args(["generate", name, "--dev-url", &dev]));
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
    };
    edit(
        "tenancy.yaml",
        "job_status: [pending, running, done, failed]",
        "job_status: [pending, queued, running, done, failed]",
    );
    generate("add_queued");
    let down = std::fs::read_to_string(p.join("migrations/down/V5__add_queued.sql")).unwrap();
    let (drop, recreate, create) = (
        down.find("DROP INDEX \"public\".\"idx_jobs_status_priority\"")
            .unwrap(),
        down.find("RENAME TO \"job_status__strata_old\"").unwrap(),
        down.find("CREATE INDEX \"idx_jobs_status_priority\"")
            .unwrap(),
    );
    assert!(drop < recreate && recreate < create, "{down}");
    edit(
        "chemistry.yaml",
        "status IN ('pending', 'running')",
        "status IN ('pending', 'queued', 'running')",
    );
    generate("live_includes_queued");
    let migrate = |args: &[&str]| {
        run(strata()
            .current_dir(p)
            .args(args)
            .args(["--database-url", &url]))
    };
    let out = migrate(&["migrate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    client
        .batch_execute(
            "INSERT INTO organizations (name, slug) VALUES ('o', 'o');
             INSERT INTO molecules (organization_id, name, smiles)
               SELECT id, 'm', 'C' FROM organizations;
             INSERT INTO docking_jobs (organization_id, molecule_id, status)
               SELECT organization_id, id, 'running' FROM molecules;",
        )
        .await
        .unwrap();
    let out = migrate(&["rollback", "--to", "1", "--allow-destructive"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let labels = common::strings(
        &client,
        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum \
         WHERE enumtypid = 'public.job_status'::regtype",
    )
    .await;
    assert_eq!(labels, vec!["pending,running,done,failed"]);
    let jobs = common::strings(&client, "SELECT status::text FROM docking_jobs").await;
    assert_eq!(jobs, vec!["running"]);
}
