//! A fresh adversarial pass over issue 10's hardening: each test is one
//! hole found after the fixes were merged (same classes as the issue:
//! hostile names and paths reaching a terminal or a message).
//!
//! A forged line is one that starts with `error: forged` although strata
//! wrote no such error: a name or path holding a newline broke a message
//! and put attacker text where a reader expects strata's own words.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{strata, text};

/// `strata ARGS…` in `project`, shadows on the test binary's server.
fn run(project: &Path, dev_url: &str, args: &[&str]) -> Output {
    strata()
        .current_dir(project)
        .env("STRATA_PG_BINDIR", "/nonexistent")
        .args(args)
        .args(["--dev-url", dev_url])
        .output()
        .unwrap()
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// No line of stdout or stderr was forged, and no ESC reached either.
fn assert_clean(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let s = text(stream);
        assert!(
            !s.lines().any(|l| l.starts_with("error: forged")),
            "a forged line:\n{}",
            show(out)
        );
        assert!(
            !s.contains('\u{1b}'),
            "an ESC reached the terminal:\n{}",
            show(out)
        );
    }
}

/// `status` prints the SQL that reconciles drift: a live table named with
/// an escape sequence sent it raw to the terminal (`\e[2J` cleared it).
#[tokio::test]
async fn status_drift_sends_no_escape_to_the_terminal() {
    let (db, client) = common::fresh_db("adv_status").await;
    let url = db.target.url();
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    common::runner::write(&p.join("migrations"), "V1__a.sql", common::runner::V1);
    assert!(strata()
        .current_dir(p)
        .arg("rehash")
        .status()
        .unwrap()
        .success());
    let out = common::runner::migrate(&p.join("migrations"), &url, &[]);
    assert!(out.status.success(), "{}", show(&out));
    common::exec(&client, "CREATE TABLE \"\u{1b}[2Jx\n\u{1b}[31m\" (id int)").await;
    let out = run(p, &url, &["status", "--database-url", &url]);
    assert!(text(&out.stdout).contains("drift:"), "{}", show(&out));
    assert_clean(&out);
}

/// `import`'s mapping errors list the table's columns and the CSV header:
/// a column named `n⏎error: forged` (or such a header field) broke the
/// message into a forged line.
#[tokio::test]
async fn import_mapping_errors_keep_names_on_their_line() {
    let (db, client) = common::fresh_db("adv_import").await;
    let url = db.target.url();
    common::exec(&client, "CREATE TABLE t (id int, \"n\nerror: forged\" int)").await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    // An unknown header field: the error lists the table's columns.
    std::fs::write(&csv, "id,bogus\n1,2\n").unwrap();
    let out = run(
        dir.path(),
        &url,
        &["import", "t", "in.csv", "--database-url", &url],
    );
    assert!(!out.status.success(), "{}", show(&out));
    assert_clean(&out);
    // `--map` naming a missing header field: the error lists the header.
    std::fs::write(&csv, "id,\"x\nerror: forged\"\n1,2\n").unwrap();
    let out = run(
        dir.path(),
        &url,
        &[
            "import",
            "t",
            "in.csv",
            "--map",
            "nope=id",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success(), "{}", show(&out));
    assert_clean(&out);
}

/// The shadow database's error names where the object was declared (a
/// schema file whose name holds a newline) and the failing statement (a
/// table name holding one): both were printed raw.
#[tokio::test]
async fn shadow_errors_keep_paths_and_statements_on_their_lines() {
    let (db, _client) = common::fresh_db("adv_shadow").await;
    let url = db.target.url();
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("schema")).unwrap();
    std::fs::write(
        p.join("schema").join("a\nerror: forged.yaml"),
        "tables: {t: {columns: {id: bogus_type_x}}}\n",
    )
    .unwrap();
    let out = run(p, &url, &["generate", "x"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert_clean(&out);
    std::fs::remove_file(p.join("schema").join("a\nerror: forged.yaml")).unwrap();
    std::fs::write(
        p.join("schema").join("a.yaml"),
        "tables:\n  \"t\\nerror: forged\":\n    columns: {id: bogus_type_x}\n",
    )
    .unwrap();
    let out = run(p, &url, &["generate", "x"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert_clean(&out);
}

/// PostgreSQL's own messages quote names (`relation "a⏎error: forged"
/// does not exist`) and values (a unique violation's detail): relayed
/// raw, they forged lines on the terminal.
#[tokio::test]
async fn server_messages_keep_names_on_their_line() {
    let (db, _client) = common::fresh_db("adv_server").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    common::runner::write(
        &m,
        "V1__x.sql",
        "SELECT * FROM \"a\nerror: forged\u{1b}[2J\";\n",
    );
    let out = common::runner::migrate(&m, &url, &[]);
    assert!(!out.status.success(), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        show(&out)
    );
    assert_clean(&out);
}

/// `import --batch-size` (and the spec's `batch_size`) had no upper bound:
/// a huge value panicked on allocation in the validator thread — and the
/// import then exited 0 having read nothing ("read 0, loaded 0"), the
/// panic swallowed; 10^11 aborted the process. Refused up front now, like
/// `seed --batch-size` (1 to 1,000,000).
#[tokio::test]
async fn import_batch_size_is_bounded() {
    let (db, client) = common::fresh_db("adv_batch").await;
    let url = db.target.url();
    common::exec(&client, "CREATE TABLE t (id int)").await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), "id\n1\n2\n").unwrap();
    std::fs::write(
        dir.path().join("spec.yaml"),
        "table: t\nbatch_size: 9223372036854775807\n",
    )
    .unwrap();
    for extra in [
        &["--batch-size", "18446744073709551615"][..],
        &["--batch-size", "100000000000"][..],
        &["--spec", "spec.yaml"][..],
    ] {
        let out = run(
            dir.path(),
            &url,
            &[
                &["import", "t", "in.csv", "--database-url", &url][..],
                extra,
            ]
            .concat(),
        );
        assert!(
            !text(&out.stderr).contains("panicked"),
            "{extra:?}: {}",
            show(&out)
        );
        assert!(
            matches!(out.status.code(), Some(4 | 64)),
            "{extra:?}: {}",
            show(&out)
        );
    }
    let rows = common::strings(&client, "SELECT count(*)::text FROM t").await;
    assert_eq!(rows, vec!["0"]);
}

/// `import --jobs` (and the spec's `jobs`) had no upper bound: a huge
/// value panicked (exit 101) allocating the connection list. Refused up
/// front now, like `seed --jobs` (1 to 256).
#[tokio::test]
async fn import_jobs_is_bounded() {
    let (db, client) = common::fresh_db("adv_jobs").await;
    let url = db.target.url();
    common::exec(&client, "CREATE TABLE t (id int)").await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), "id\n1\n2\n").unwrap();
    std::fs::write(
        dir.path().join("spec.yaml"),
        "table: t\njobs: 9223372036854775807\n",
    )
    .unwrap();
    for extra in [
        &["--jobs", "18446744073709551615"][..],
        &["--spec", "spec.yaml"][..],
    ] {
        let out = run(
            dir.path(),
            &url,
            &[
                &["import", "t", "in.csv", "--database-url", &url][..],
                extra,
            ]
            .concat(),
        );
        assert!(
            !text(&out.stderr).contains("panicked"),
            "{extra:?}: {}",
            show(&out)
        );
        assert!(
            matches!(out.status.code(), Some(4 | 64)),
            "{extra:?}: {}",
            show(&out)
        );
    }
}

/// `migrate`/`rollback` `--lock-timeout` and `--statement-timeout` went
/// to `Duration::from_secs_f64` unchecked: a negative, NaN or huge value
/// panicked (exit 101). A bad command line now (exit 64).
#[test]
fn migrate_timeouts_out_of_range_are_usage_errors() {
    let dir = common::runner::project();
    for flag in ["--lock-timeout", "--statement-timeout"] {
        for v in ["-1", "NaN", "inf", "18446744073709551615"] {
            let out = strata()
                .args([
                    "migrate",
                    "--database-url",
                    "postgres://nobody@/nowhere?host=/nonexistent",
                ])
                .arg("--migrations")
                .arg(dir.path())
                .arg(format!("{flag}={v}"))
                .output()
                .unwrap();
            assert!(
                !text(&out.stderr).contains("panicked"),
                "{flag} {v}: {}",
                show(&out)
            );
            assert_eq!(out.status.code(), Some(64), "{flag} {v}: {}", show(&out));
        }
    }
}
