//! The one comparison engine, end to end through the binary: every command
//! that compares two states (`generate`, `plan`, `diff`, `dev`, `status`)
//! agrees on the same schema, and the edges where a comparison with
//! "nothing" would plan dropping everything are refused.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(dir);
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("strata runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn both(o: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", text(&o.stdout), text(&o.stderr))
}

fn project(schema_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    std::fs::write(dir.path().join("schema/app.yaml"), schema_yaml).unwrap();
    dir
}

/// A check PostgreSQL prints differently after a second parse (`IN` on a
/// varchar becomes `= ANY (ARRAY[…]::text[])`, which re-parses into yet
/// another text): migrations hold one round more than the YAML's shadow.
const IN_CHECK: &str = "tables:\n  t:\n    columns:\n      id: integer primary key\n      kind: varchar(10)\n    checks:\n      - \"kind IN ('a', 'b')\"\n    indexes:\n      - {columns: [id], where: \"kind IN ('a', 'b')\"}\n";

#[tokio::test]
async fn every_command_agrees_on_a_check_postgresql_reprints_differently() {
    let p = project(IN_CHECK);
    let dir = p.path();
    let out = run(strata(dir).args(["generate", "init"]));
    assert!(out.status.success(), "first generate: {}", both(&out));
    let out = run(strata(dir).args(["generate", "again"]));
    assert!(out.status.success(), "second generate: {}", both(&out));
    assert!(
        text(&out.stderr).contains("No changes"),
        "second generate wrote something: {}",
        both(&out)
    );
    assert_eq!(
        std::fs::read_dir(dir.join("migrations")).unwrap().count(),
        3
    );
    let out = run(strata(dir).args(["dev"]));
    assert!(out.status.success(), "dev: {}", both(&out));
    assert!(
        text(&out.stderr).contains(" matches "),
        "dev: {}",
        both(&out)
    );

    let (db, _client) = common::fresh_db("engine_agree").await;
    let url = db.target.url();
    let out = run(strata(dir).args(["migrate", "--database-url", &url]));
    assert!(out.status.success(), "migrate: {}", both(&out));
    let out = run(strata(dir).args(["plan", "--exit-code", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(0), "plan: {}", both(&out));
    let out = run(strata(dir).args(["diff", "--exit-code", "--from", &url, "--to", "schema"]));
    assert_eq!(out.status.code(), Some(0), "diff live→yaml: {}", both(&out));
    let out = run(strata(dir).args(["diff", "--exit-code", "--from", "schema", "--to", &url]));
    assert_eq!(out.status.code(), Some(0), "diff yaml→live: {}", both(&out));
    let out = run(strata(dir).args(["status", "--exit-code", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(0), "status: {}", both(&out));
    assert!(text(&out.stdout).contains("drift: none"), "{}", both(&out));

    // Two live databases (no scratch database involved): one written by
    // hand (one parse/print round), one migrated (two rounds). Re-printed
    // through temporary copies of the tables, they agree; a real change
    // is still seen.
    let (hand, hand_client) = common::fresh_db("engine_hand").await;
    let ddl = |labels: &str| {
        format!(
            "CREATE TABLE t (id integer PRIMARY KEY, kind varchar(10), CHECK (kind IN ({labels})));\n\
             CREATE INDEX t_id_idx ON t (id) WHERE kind IN ({labels});"
        )
    };
    hand_client.batch_execute(&ddl("'a', 'b'")).await.unwrap();
    let hand_url = hand.target.url();
    for (from, to) in [(&url, &hand_url), (&hand_url, &url)] {
        let out = run(strata(dir).args(["diff", "--exit-code", "--from", from, "--to", to]));
        assert_eq!(out.status.code(), Some(0), "diff live→live: {}", both(&out));
    }
    let (other, other_client) = common::fresh_db("engine_other").await;
    other_client.batch_execute(&ddl("'a', 'c'")).await.unwrap();
    let out = run(strata(dir).args([
        "diff",
        "--exit-code",
        "--from",
        &url,
        "--to",
        &other.target.url(),
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(text(&out.stdout).contains("'c'"), "{}", both(&out));
    // The live databases were only read.
    let n: i64 = hand_client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'strata_probe%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn nothing_to_compare_with_is_an_error_not_drop_everything() {
    let (db, client) = common::fresh_db("engine_empty").await;
    let url = db.target.url();
    client
        .batch_execute("CREATE TABLE keep (id int PRIMARY KEY)")
        .await
        .unwrap();
    let outside = tempfile::tempdir().unwrap();
    // `status` outside a project: no migrations/ → an error, no script.
    let out = run(strata(outside.path()).args(["status", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(4), "{}", both(&out));
    assert!(text(&out.stderr).contains("strata init"), "{}", both(&out));
    assert!(!text(&out.stdout).contains("DROP"), "{}", both(&out));
    // `plan` outside a project: no schema/.
    let out = run(strata(outside.path()).args(["plan", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(4), "{}", both(&out));
    assert!(!text(&out.stdout).contains("DROP"), "{}", both(&out));

    // An empty schema/ is refused unless the database should be empty.
    let p = project("");
    let dir = p.path();
    std::fs::remove_file(dir.join("schema/app.yaml")).unwrap();
    let out = run(strata(dir).args(["plan", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(4), "{}", both(&out));
    assert!(
        text(&out.stderr).contains("--allow-empty"),
        "{}",
        both(&out)
    );
    // Said so: the preview shows the SQL, the drop marked, and exits 3.
    let out = run(strata(dir).args(["plan", "--allow-empty", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let sql = text(&out.stdout);
    assert!(sql.contains("-- DESTRUCTIVE: drops table keep"), "{sql}");
    assert!(sql.contains("DROP TABLE \"public\".\"keep\""), "{sql}");
    let out = run(strata(dir).args(["diff", "--from", &url, "--to", "schema"]));
    assert_eq!(out.status.code(), Some(4), "{}", both(&out));
    let out = run(strata(dir).args(["generate", "x"]));
    assert_eq!(out.status.code(), Some(4), "{}", both(&out));

    // A project whose migrations were never applied here: no drift is
    // claimed (not "drop every table").
    let out = run(strata(dir).args(["status", "--database-url", &url]));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        text(&out.stdout).contains("drift: not checked"),
        "{}",
        both(&out)
    );
    assert!(!text(&out.stdout).contains("DROP"), "{}", both(&out));
    // The table is still there.
    let n: i64 = client
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 'keep'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

/// PostgreSQL 18: a check whose only change is its enforcement is no
/// phantom rebuild. The re-printing that drops pairs which only re-spell
/// an expression must not drop it (the expressions are equal), in either
/// direction; a foreign key's enforcement is altered in place.
#[tokio::test]
async fn enforcement_changes_are_planned_not_normalised_away() {
    if common::server_major().await < 18 {
        eprintln!("skip: NOT ENFORCED needs PostgreSQL 18");
        return;
    }
    let yaml = |enforced: bool| {
        format!(
            "tables:\n  t:\n    columns: {{id: integer primary key, q: integer}}\n    checks: [{{name: q_pos, expression: \"q > 0\", enforced: {enforced}}}]\n  c:\n    columns: {{id: integer}}\n    foreign_keys: [{{columns: [id], references: t, enforced: {enforced}}}]\n"
        )
    };
    for (live, wanted, sql) in [
        (
            "",
            "NOT ENFORCED",
            "ALTER CONSTRAINT \"c_id_fkey\" NOT ENFORCED",
        ),
        (
            "NOT ENFORCED",
            "",
            "ALTER CONSTRAINT \"c_id_fkey\" ENFORCED",
        ),
    ] {
        let (db, client) = common::fresh_db("engine_enforced").await;
        client
            .batch_execute(&format!(
                "CREATE TABLE t (id integer PRIMARY KEY, q integer, CONSTRAINT q_pos CHECK (q > 0) {live});\n\
                 CREATE TABLE c (id integer, FOREIGN KEY (id) REFERENCES t {live});"
            ))
            .await
            .unwrap();
        let p = project(&yaml(wanted.is_empty()));
        let url = db.target.url();
        let out = run(strata(p.path()).args(["plan", "--exit-code", "--database-url", &url]));
        assert_eq!(out.status.code(), Some(2), "{}", both(&out));
        let plan = text(&out.stdout);
        let check = format!(
            "ADD CONSTRAINT \"q_pos\" CHECK ((q > 0)){}{wanted};",
            if wanted.is_empty() { "" } else { " " }
        );
        assert!(plan.contains(&check), "{check} missing:\n{}", both(&out));
        assert!(plan.contains(sql), "{sql} missing:\n{}", both(&out));
    }
}
