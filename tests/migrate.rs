//! `strata migrate` against real PostgreSQL: apply, history compatible with
//! refinery, dry run, target, refusing edited/missing/out-of-order history,
//! rollback of a failing migration with file and line, no-transaction
//! files, lock timeouts, and eight concurrent runners.

mod common;

use common::runner::{migrate, project, strata, text, write, V1, V2, V3};

async fn history(client: &tokio_postgres::Client) -> Vec<(i32, String, String)> {
    client
        .query(
            "SELECT version, name, checksum FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test]
async fn applies_in_order_with_refinery_history_target_and_dry_run() {
    let (db, client) = common::fresh_db("mig_apply").await;
    let url = db.target.url();
    let dir = project();
    // Dry run: the SQL on stdout, nothing changed (not even the history table).
    let out = migrate(dir.path(), &url, &["--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("CREATE TABLE b"));
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!exists, "dry run created the history table");
    // Up to V2 only.
    let out = migrate(dir.path(), &url, &["--target", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let h = history(&client).await;
    assert_eq!(h.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
    // refinery computes the same checksum for the same file.
    let refinery = refinery_core::Migration::unapplied("V2__b", V2)
        .unwrap()
        .checksum();
    assert_eq!(h[1], (2, "b".to_string(), refinery.to_string()));
    // The rest, then nothing.
    let out = migrate(dir.path(), &url, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(history(&client).await.len(), 3);
    let out = migrate(dir.path(), &url, &[]);
    assert!(
        text(&out.stderr).contains("Nothing to apply"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn edited_missing_and_out_of_order_files_are_refused() {
    let (db, _client) = common::fresh_db("mig_integrity").await;
    let url = db.target.url();
    let dir = project();
    assert!(migrate(dir.path(), &url, &["--target", "2"])
        .status
        .success());
    // Edited after it was applied.
    write(dir.path(), "V2__b.sql", &format!("{V2}-- edited\n"));
    let out = migrate(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("V2__b.sql was edited"),
        "{}",
        text(&out.stderr)
    );
    write(dir.path(), "V2__b.sql", V2);
    // Missing.
    std::fs::rename(dir.path().join("V1__a.sql"), dir.path().join("x.txt")).unwrap();
    let out = migrate(dir.path(), &url, &[]);
    assert!(
        text(&out.stderr).contains("V1__a was applied but its file is missing"),
        "{}",
        text(&out.stderr)
    );
    std::fs::rename(dir.path().join("x.txt"), dir.path().join("V1__a.sql")).unwrap();
    // A new file slipped in below the newest applied version.
    std::fs::rename(dir.path().join("V2__b.sql"), dir.path().join("V5__b.sql")).unwrap();
    let out = migrate(dir.path(), &url, &[]);
    assert!(!out.status.success());
    std::fs::rename(dir.path().join("V5__b.sql"), dir.path().join("V2__b.sql")).unwrap();
    assert!(migrate(dir.path(), &url, &[]).status.success());
}

#[tokio::test]
async fn a_failing_migration_rolls_back_and_names_file_and_line() {
    let (db, client) = common::fresh_db("mig_fail").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "V1__a.sql", V1);
    write(
        dir.path(),
        "V2__bad.sql",
        "CREATE TABLE c (id int);\n\nINSERT INTO c VALUES (1);\nINSERT INTO nowhere VALUES (1);\n",
    );
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("V2__bad.sql"), "{err}");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("relation \"nowhere\" does not exist"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    // V1 stayed applied; V2 left nothing behind.
    assert_eq!(history(&client).await.len(), 1);
    let c: bool = client
        .query_one("SELECT to_regclass('c') IS NULL", &[])
        .await
        .unwrap()
        .get(0);
    assert!(c, "table c survived the rollback");
}

/// PostgreSQL gives no position for errors such as existing rows violating
/// a new constraint: the failing statement is still named, with its line.
#[tokio::test]
async fn a_failure_without_a_position_names_its_statement() {
    let (db, client) = common::fresh_db("mig_nopos").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "V1__nulls.sql",
        "CREATE TABLE n (a int);\nINSERT INTO n VALUES (NULL);\n\n-- now the key\nALTER TABLE n\n  ALTER COLUMN a SET NOT NULL;\nCREATE INDEX ON n (a);\n",
    );
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("statement: ALTER TABLE n"), "{err}");
    assert!(err.contains("contains null values"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    let gone: bool = client
        .query_one("SELECT to_regclass('n') IS NULL", &[])
        .await
        .unwrap()
        .get(0);
    assert!(gone, "table n survived the rollback");
}

#[tokio::test]
async fn no_transaction_files_run_statement_by_statement() {
    let (db, client) = common::fresh_db("mig_notx").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "V1__a.sql", "CREATE TABLE a (id int, v text);\nINSERT INTO a SELECT g, g::text FROM generate_series(1, 1000) g;\n");
    write(
        dir.path(),
        "V2__idx.sql",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY a_v ON a (v);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n",
    );
    let out = migrate(dir.path(), &url, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_index WHERE indrelid = 'a'::regclass AND indisvalid",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
    assert_eq!(history(&client).await.len(), 2);
}

#[tokio::test]
async fn lock_timeout_fails_fast_with_advice() {
    let (db, client) = common::fresh_db("mig_lock").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "V1__a.sql", V1);
    assert!(migrate(dir.path(), &url, &[]).status.success());
    write(
        dir.path(),
        "V2__alter.sql",
        "ALTER TABLE a ADD COLUMN x int;\n",
    );
    // Another session holds a lock on the table.
    let holder = db.target.connect().await.unwrap();
    holder
        .batch_execute("BEGIN; LOCK TABLE a IN ACCESS SHARE MODE;")
        .await
        .unwrap();
    let t0 = std::time::Instant::now();
    let out = migrate(dir.path(), &url, &["--lock-timeout", "0.3"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lock timeout") || err.contains("canceling statement due to lock timeout"),
        "{err}"
    );
    assert!(err.contains("retry"), "{err}");
    assert!(t0.elapsed() < std::time::Duration::from_secs(20));
    holder.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(history(&client).await.len(), 1);
    assert!(migrate(dir.path(), &url, &[]).status.success());
}

#[tokio::test]
async fn eight_concurrent_runners_apply_each_migration_once() {
    let (db, client) = common::fresh_db("mig_race").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    for v in 1..=5 {
        write(
            dir.path(),
            &format!("V{v}__t{v}.sql"),
            &format!("CREATE TABLE t{v} (id int);\nSELECT pg_sleep(0.05);\n"),
        );
    }
    let children: Vec<_> = (0..8)
        .map(|_| {
            strata()
                .args(["migrate", "--database-url", &url, "--migrations"])
                .arg(dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let h = history(&client).await;
    assert_eq!(
        h.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
}

#[tokio::test]
async fn the_sum_file_catches_edits_before_anything_runs() {
    let (db, client) = common::fresh_db("mig_sum").await;
    let url = db.target.url();
    let dir = project();
    let out = strata()
        .args(["rehash", "--migrations"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("strata.sum").exists());
    // Reordering two files (their contents swap names) is caught.
    let v2 = std::fs::read_to_string(dir.path().join("V2__b.sql")).unwrap();
    write(dir.path(), "V2__b.sql", V3);
    write(dir.path(), "V3__note.sql", &v2);
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("V2__b.sql was edited") && err.contains("strata rehash"),
        "{err}"
    );
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        !exists,
        "migrate touched the database despite the sum mismatch"
    );
    // Put back: accepted again.
    write(dir.path(), "V2__b.sql", V2);
    write(dir.path(), "V3__note.sql", V3);
    assert!(migrate(dir.path(), &url, &[]).status.success());
}

#[tokio::test]
async fn status_reports_states_and_drift_after_a_manual_alter() {
    let (db, client) = common::fresh_db("mig_status").await;
    let url = db.target.url();
    let dir = project();
    assert!(strata()
        .args(["rehash", "--migrations"])
        .arg(dir.path())
        .status()
        .unwrap()
        .success());
    assert!(migrate(dir.path(), &url, &["--target", "2"])
        .status
        .success());
    let status = |extra: &[&str]| {
        strata()
            .args(["status", "--database-url", &url, "--migrations"])
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap()
    };
    // V3 pending, no drift: exit 2 with --exit-code, JSON says why.
    let out = status(&["--format", "json", "--exit-code"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<&str> = v["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["applied", "applied", "pending"]);
    assert_eq!(v["sum"][0], "ok");
    assert_eq!(v["drift"], "");
    // Everything applied: clean.
    assert!(migrate(dir.path(), &url, &[]).status.success());
    assert_eq!(status(&["--exit-code"]).status.code(), Some(0));
    // A manual ALTER is drift, with the SQL that reconciles it.
    client
        .batch_execute("ALTER TABLE b ADD COLUMN sneaky int")
        .await
        .unwrap();
    let out = status(&["--exit-code"]);
    assert_eq!(out.status.code(), Some(2));
    let report = text(&out.stdout);
    assert!(
        report.contains("drift: the live schema differs"),
        "{report}"
    );
    assert!(report.contains("DROP COLUMN \"sneaky\""), "{report}");
}
