//! Down files and `strata rollback` against real PostgreSQL: `generate`
//! writes the reverse of each migration, rollback undoes migrations newest
//! first and updates the history, refuses data loss without
//! `--allow-destructive` and missing down files before running anything,
//! and the database can go forward again. "Back at version N" is checked by
//! comparing the schema with a fresh database migrated to N.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn strata(project: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project);
    c
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "strata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

const V1: &str = "
enums:
  status: [new, done]
tables:
  projects:
    columns:
      id: bigint generated always as identity primary key
      name: text not null
      legacy_code: text
  tasks:
    columns:
      id: bigint generated always as identity primary key
      project_id: {type: bigint, not_null: true, references: projects.id}
      title: text not null
      status: status not null default 'new'
";

/// V2: rename a column, add a column and a table, drop a column (lossy).
const V2: &str = "
enums:
  status: [new, doing, done]
tables:
  projects:
    columns:
      id: bigint generated always as identity primary key
      name: text not null
      budget: numeric(12,2) not null default 0
  tasks:
    columns:
      id: bigint generated always as identity primary key
      project_id: {type: bigint, not_null: true, references: projects.id}
      headline: {type: text, not_null: true, renamed_from: title}
      status: status not null default 'new'
  tags:
    columns:
      task_id: {type: bigint, references: tasks.id, on_delete: cascade}
      tag: text not null
";

/// V3: only an index, so its down file loses nothing.
const V3_INDEX: &str = "
    indexes:
      - {columns: [project_id, status]}
";

fn generate(project: &Path, schema: &str, name: &str) {
    std::fs::write(project.join("schema/app.yaml"), schema).unwrap();
    ok(strata(project)
        .args(["generate", name, "--allow-destructive"])
        .output()
        .unwrap());
}

/// A project with V1..V3 and their down files.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    generate(dir.path(), V1, "initial");
    generate(dir.path(), V2, "second");
    let v3 = V2.replace(
        "      status: status not null default 'new'\n  tags:",
        &format!("      status: status not null default 'new'\n{V3_INDEX}  tags:"),
    );
    generate(dir.path(), &v3, "index");
    dir
}

async fn versions(client: &tokio_postgres::Client) -> Vec<i32> {
    client
        .query(
            "SELECT version FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The schema of a fresh database migrated up to `target`.
async fn expected_at(project: &Path, target: u64) -> String {
    let (db, _c) = common::fresh_db("rb_expect").await;
    ok(strata(project)
        .args(["migrate", "--database-url", &db.target.url()])
        .args(["--target", &target.to_string()])
        .output()
        .unwrap());
    common::schema_dump(&db.target)
}

fn assert_same(what: &str, got: &str, want: &str) {
    assert!(
        got == want,
        "{what}: schema differs from a fresh migrate:\n{}",
        common::text_diff(want, got)
    );
}

#[tokio::test]
async fn generate_writes_down_files_marking_data_loss() {
    let dir = project();
    let down = |f: &str| std::fs::read_to_string(dir.path().join("migrations/down").join(f));
    let v2 = down("V2__second.sql").unwrap();
    // It renames back, re-adds the dropped column (empty) and says so.
    assert!(
        v2.contains("RENAME COLUMN \"headline\" TO \"title\""),
        "{v2}"
    );
    assert!(v2.contains("ADD COLUMN \"legacy_code\" text"), "{v2}");
    assert!(
        v2.contains("-- strata:destructive: V2__second drops column projects.legacy_code"),
        "{v2}"
    );
    assert!(
        v2.contains("-- strata:destructive: drops table tags"),
        "{v2}"
    );
    let v3 = down("V3__index.sql").unwrap();
    assert!(!v3.contains("strata:destructive"), "{v3}");
    assert!(v3.contains("DROP INDEX"), "{v3}");
    // Down files are outside refinery's discovery and the sum file.
    let sum = std::fs::read_to_string(dir.path().join("migrations/strata.sum")).unwrap();
    assert!(!sum.contains("down"), "{sum}");
}

#[tokio::test]
async fn rollback_and_forward_again() {
    let dir = project();
    let p = dir.path();
    let (db, client) = common::fresh_db("rb_main").await;
    let url = db.target.url();
    let run = |args: &[&str]| {
        strata(p)
            .args(args)
            .args(["--database-url", &url])
            .output()
            .unwrap()
    };
    ok(run(&["migrate"]));
    common::exec(
        &client,
        "INSERT INTO projects (name) VALUES ('a'), ('b');
         INSERT INTO tasks (project_id, headline) SELECT id, 'x' FROM projects;",
    )
    .await;

    // No --to: only the newest; its down file loses nothing.
    ok(run(&["rollback"]));
    assert_eq!(versions(&client).await, vec![1, 2]);
    assert_same(
        "after rollback",
        &common::schema_dump(&db.target),
        &expected_at(p, 2).await,
    );

    // V2's down file loses data: refused, nothing changed, the reasons named.
    let out = run(&["rollback", "--to", "1"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("V2__second.sql"), "{}", stderr(&out));
    assert!(stderr(&out).contains("legacy_code"), "{}", stderr(&out));
    assert_eq!(versions(&client).await, vec![1, 2]);

    // A dry run without the flag shows the SQL, then refuses (exit 3).
    let out = run(&["rollback", "--to", "1", "--dry-run"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("RENAME COLUMN"));
    assert!(stderr(&out).contains("legacy_code"), "{}", stderr(&out));
    assert_eq!(versions(&client).await, vec![1, 2]);

    // Dry run prints the down SQL and changes nothing.
    let out = ok(run(&[
        "rollback",
        "--to",
        "1",
        "--dry-run",
        "--allow-destructive",
    ]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("RENAME COLUMN"));
    assert_eq!(versions(&client).await, vec![1, 2]);

    ok(run(&["rollback", "--to", "1", "--allow-destructive"]));
    assert_eq!(versions(&client).await, vec![1]);
    assert_same(
        "after rollback --to 1",
        &common::schema_dump(&db.target),
        &expected_at(p, 1).await,
    );
    // Rows of the tables V1 created are still there, under the old names.
    let titles = common::strings(&client, "SELECT title FROM tasks ORDER BY id").await;
    assert_eq!(titles, vec!["x", "x"]);

    // Forward again: the same schema as a fresh full migrate.
    ok(run(&["migrate"]));
    assert_eq!(versions(&client).await, vec![1, 2, 3]);
    assert_same(
        "forward again",
        &common::schema_dump(&db.target),
        &expected_at(p, 3).await,
    );
    let n = common::strings(&client, "SELECT count(*)::text FROM tasks").await;
    assert_eq!(n, vec!["2"]);
}

#[tokio::test]
async fn a_missing_down_file_stops_before_anything_runs() {
    let dir = project();
    let p = dir.path();
    let (db, client) = common::fresh_db("rb_missing").await;
    let url = db.target.url();
    ok(strata(p)
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap());
    std::fs::remove_file(p.join("migrations/down/V2__second.sql")).unwrap();
    let out = strata(p)
        .args([
            "rollback",
            "--to",
            "0",
            "--allow-destructive",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("down/V2__second.sql"),
        "{}",
        stderr(&out)
    );
    // V3 (whose down file exists) was not rolled back either.
    assert_eq!(versions(&client).await, vec![1, 2, 3]);
}

#[tokio::test]
async fn a_failing_down_file_rolls_back_and_keeps_the_history() {
    let dir = project();
    let p = dir.path();
    let (db, client) = common::fresh_db("rb_fail").await;
    let url = db.target.url();
    ok(strata(p)
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap());
    // Someone dropped the index by hand: the down file's DROP INDEX fails.
    common::exec(&client, "DROP INDEX tasks_project_id_status_idx").await;
    let out = strata(p)
        .args(["rollback", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("down/V3__index.sql"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("line "), "{}", stderr(&out));
    assert_eq!(versions(&client).await, vec![1, 2, 3]);
}
