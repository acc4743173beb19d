//! "Nothing silently lost" (issue 13) through the binary: objects strata
//! does not manage are warned about by kind and name, are an error under
//! `--strict` / `strict: true` (exit 4, nothing else done), and an object
//! made by hand is `status` drift.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{migrate, strata, text, write};

/// Objects of two kinds strata does not manage (an operator, a text
/// search configuration), made by hand.
const BY_HAND: &str = "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);
     CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = english);";

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// A schema directory declaring one table.
fn schema_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.yaml",
        "tables:\n  items:\n    columns:\n      id: int primary key\n",
    );
    dir
}

fn plan(url: &str, schema: &Path, extra: &[&str]) -> Output {
    strata()
        .args(["plan", "--database-url", url, "--schema"])
        .arg(schema)
        .args(extra)
        .output()
        .unwrap()
}

fn names_both(err: &str) -> bool {
    err.contains("operators public.===(integer,integer)")
        && err.contains("text search configurations public.my_cfg")
}

#[tokio::test]
async fn strict_turns_unmanaged_objects_into_exit_4_and_does_nothing_else() {
    let (db, client) = common::fresh_db("um_strict").await;
    let url = db.target.url();
    common::exec(&client, BY_HAND).await;
    let schema = schema_dir();

    // Without --strict: warned by kind and name, and the plan is printed.
    let out = plan(&url, schema.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: 1 operators") && err.contains("===(integer,integer)"),
        "{}",
        show(&out)
    );
    assert!(err.contains("my_cfg"), "{}", show(&out));
    assert!(text(&out.stdout).contains("CREATE TABLE"), "{}", show(&out));

    // --strict: exit 4, every object named, no plan.
    let out = plan(&url, schema.path(), &["--strict", "--exit-code"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(names_both(&text(&out.stderr)), "{}", show(&out));
    assert_eq!(text(&out.stdout), "", "{}", show(&out));

    // strict: true in strata.yaml does the same.
    let project = tempfile::tempdir().unwrap();
    write(project.path(), "strata.yaml", "strict: true\n");
    let out = plan(
        &url,
        schema.path(),
        &[
            "--config",
            project.path().join("strata.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(names_both(&text(&out.stderr)), "{}", show(&out));
    assert_eq!(text(&out.stdout), "", "{}", show(&out));

    // pull --strict writes no file.
    let pulled = tempfile::tempdir().unwrap();
    let out = strata()
        .args(["pull", "--strict", "--database-url", &url, "--out"])
        .arg(pulled.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(names_both(&text(&out.stderr)), "{}", show(&out));
    assert_eq!(std::fs::read_dir(pulled.path()).unwrap().count(), 0);

    // diff --strict with a live side: exit 4, no SQL.
    let out = strata()
        .args(["diff", "--strict", "--from", &url, "--to"])
        .arg(schema.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(names_both(&text(&out.stderr)), "{}", show(&out));
    assert_eq!(text(&out.stdout), "", "{}", show(&out));
    drop(client);
    let _ = common::server().drop_database(&db).await;
}

#[tokio::test]
async fn status_reports_unmanaged_objects_made_by_hand_as_drift() {
    let (db, client) = common::fresh_db("um_status").await;
    let url = db.target.url();
    let project = tempfile::tempdir().unwrap();
    let dir = project.path().join("migrations");
    // A migration may create unmanaged objects: those are not drift.
    write(
        &dir,
        "V1__a.sql",
        "CREATE TABLE a (id int PRIMARY KEY);\n\
         CREATE OPERATOR =~= (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);\n",
    );
    assert!(strata()
        .args(["rehash", "--migrations"])
        .arg(&dir)
        .status()
        .unwrap()
        .success());
    let out = migrate(&dir, &url, &[]);
    assert!(out.status.success(), "{}", show(&out));
    let status = |extra: &[&str]| {
        strata()
            .args([
                "status",
                "--exit-code",
                "--database-url",
                &url,
                "--migrations",
            ])
            .arg(&dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = status(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(text(&out.stdout).contains("drift: none"), "{}", show(&out));

    common::exec(&client, BY_HAND).await;
    let out = status(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let report = text(&out.stdout);
    assert!(
        report.contains(
            "drift: not managed by strata, live only: operators public.===(integer,integer)"
        ),
        "{}",
        show(&out)
    );
    assert!(
        report.contains("live only: text search configurations public.my_cfg"),
        "{}",
        show(&out)
    );
    assert!(!report.contains("drift: none"), "{}", show(&out));
    assert!(!report.contains("=~="), "{}", show(&out));
    let out = status(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["unmanaged_drift"],
        serde_json::json!([
            "live only: operators public.===(integer,integer)",
            "live only: text search configurations public.my_cfg"
        ]),
        "{}",
        show(&out)
    );
    // Strict: the live database's unmanaged objects are an error.
    let out = status(&["--strict"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("operators public.=~=(integer,integer)"),
        "{}",
        show(&out)
    );
    drop(client);
    let _ = common::server().drop_database(&db).await;
}

/// `generate --strict`: a migration that made an unmanaged object stops
/// it before anything is written; without --strict it warns and writes.
#[test]
fn generate_strict_refuses_unmanaged_objects_in_the_migrations() {
    let project = tempfile::tempdir().unwrap();
    let migrations = project.path().join("migrations");
    write(
        &migrations,
        "V1__a.sql",
        "CREATE TABLE items (id int PRIMARY KEY);\n\
         CREATE OPERATOR <=> (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);\n",
    );
    assert!(strata()
        .args(["rehash", "--migrations"])
        .arg(&migrations)
        .status()
        .unwrap()
        .success());
    let schema = tempfile::tempdir().unwrap();
    write(
        schema.path(),
        "t.yaml",
        "tables:\n  items:\n    columns:\n      id: int primary key\n      note: text\n",
    );
    let generate = |extra: &[&str]| {
        strata()
            .args(["generate", "note", "--no-data-check", "--migrations"])
            .arg(&migrations)
            .arg("--schema")
            .arg(schema.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let out = generate(&["--strict"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("operators public.<=>(integer,integer)"),
        "{}",
        show(&out)
    );
    assert!(!migrations.join("V2__note.sql").exists(), "{}", show(&out));
    let out = generate(&[]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("public.<=>(integer,integer)"),
        "{}",
        show(&out)
    );
    assert!(migrations.join("V2__note.sql").exists(), "{}", show(&out));
}
