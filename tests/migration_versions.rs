//! Migration versions as teams write them, against real PostgreSQL:
//! timestamp versions (`migrations: {versions: timestamp}`) through
//! generate → migrate → rollback → status; the int4 history table meeting
//! a timestamp file (a clear error from migrate, status and rehash, then
//! the widening once strata.yaml asks for int8, nothing lost); an int8
//! table with the default setting; `strata new`; and `generate --help`.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{show, strata, text};
use strata::migrate::history::checksum;
use strata::migrations::VersionColumn;

const SCHEMA_1: &str = "
tables:
  notes:
    columns:
      id: bigint generated always as identity primary key
      body: text not null
";

const SCHEMA_2: &str = "
tables:
  notes:
    columns:
      id: bigint generated always as identity primary key
      body: text not null
      tag: text
";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    strata().current_dir(dir).args(args).output().unwrap()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}", show(&out));
    out
}

/// A project: strata.yaml with `config` (may be empty) and schema/app.yaml.
fn project(config: &str, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strata.yaml"), config).unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/app.yaml"), schema).unwrap();
    dir
}

/// The version of a path `generate`/`new` printed, after checking its
/// shape: 14 digits for a timestamp.
fn version_of(path: &str) -> u64 {
    let file = Path::new(path.trim())
        .file_name()
        .unwrap()
        .to_string_lossy();
    strata::migrations::parse_file_name(&file)
        .unwrap_or_else(|| panic!("not a migration file name: {file}"))
        .0
}

fn is_timestamp(v: u64) -> bool {
    let s = v.to_string();
    s.len() == 14 && chrono::NaiveDateTime::parse_from_str(&s, "%Y%m%d%H%M%S").is_ok()
}

async fn column_type(client: &tokio_postgres::Client) -> String {
    client
        .query_one(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
             WHERE attrelid = 'refinery_schema_history'::regclass AND attname = 'version'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

/// (version, name, checksum) of every history row.
async fn history(client: &tokio_postgres::Client) -> Vec<(i64, String, String)> {
    client
        .query(
            "SELECT version::int8, name, checksum FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

fn status_json(dir: &Path, url: &str) -> serde_json::Value {
    let out = ok(run_in(
        dir,
        &["status", "--format", "json", "--database-url", url],
    ));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn states(status: &serde_json::Value) -> Vec<(u64, String)> {
    status["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["version"].as_u64().unwrap(),
                m["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn timestamp_versions_through_generate_migrate_rollback_status() {
    let dir = project("migrations: {versions: timestamp}\n", SCHEMA_1);
    let p = dir.path();
    let first = version_of(&text(&ok(run_in(p, &["generate", "initial"])).stdout));
    std::fs::write(p.join("schema/app.yaml"), SCHEMA_2).unwrap();
    let second = version_of(&text(&ok(run_in(p, &["generate", "add_tag"])).stdout));
    assert!(
        is_timestamp(first) && is_timestamp(second),
        "{first} {second}"
    );
    assert!(second > first, "{first} {second}");
    // A hand-written data fix after them, numbered the same way.
    let made = text(&ok(run_in(p, &["new", "fill tags"])).stdout);
    let lines: Vec<&str> = made.lines().collect();
    let third = version_of(lines[0]);
    assert!(is_timestamp(third) && third > second, "{made}");
    assert_eq!(
        lines,
        [
            format!("migrations/V{third}__fill_tags.sql"),
            format!("migrations/down/V{third}__fill_tags.sql"),
        ]
    );
    let fix = p.join(lines[0]);
    let sql = std::fs::read_to_string(&fix).unwrap() + "UPDATE notes SET tag = 'x';\n";
    std::fs::write(&fix, sql).unwrap();
    ok(run_in(p, &["rehash"]));

    let (db, client) = common::fresh_db("mv_ts").await;
    let url = db.target.url();
    // --target with guide 003's spelling: 20240101_120000.
    let spelled = |v: u64| format!("{}_{}", &v.to_string()[..8], &v.to_string()[8..]);
    ok(run_in(
        p,
        &[
            "migrate",
            "--database-url",
            &url,
            "--target",
            &spelled(second),
        ],
    ));
    assert_eq!(column_type(&client).await, "bigint");
    let rows = history(&client).await;
    let versions: Vec<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(versions, [first as i64, second as i64]);
    // Checksums as refinery's int8-versions computes them (the version
    // hashed as i64).
    let file =
        std::fs::read_to_string(p.join(format!("migrations/V{first}__initial.sql"))).unwrap();
    assert_eq!(
        rows[0].2,
        checksum("initial", first as i64, &file, VersionColumn::Int8).to_string()
    );
    assert_ne!(
        rows[0].2,
        checksum("initial", first as i64, &file, VersionColumn::Int4).to_string()
    );
    let s = status_json(p, &url);
    assert_eq!(
        states(&s),
        [
            (first, "applied".into()),
            (second, "applied".into()),
            (third, "pending".into())
        ]
    );
    assert_eq!(s["version_column"], "int8");
    ok(run_in(p, &["migrate", "--database-url", &url]));
    assert_eq!(history(&client).await.len(), 3);

    // The hand-written file's down file refuses until it is written.
    let out = run_in(p, &["rollback", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(3), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("undoes nothing yet"),
        "{}",
        show(&out)
    );
    assert_eq!(history(&client).await.len(), 3);
    ok(run_in(
        p,
        &[
            "rollback",
            "--database-url",
            &url,
            "--to",
            &second.to_string(),
            "--allow-destructive",
        ],
    ));
    // Back to the first timestamp: the column goes again.
    ok(run_in(
        p,
        &[
            "rollback",
            "--database-url",
            &url,
            "--to",
            &spelled(first),
            "--allow-destructive",
        ],
    ));
    let versions: Vec<i64> = history(&client).await.iter().map(|r| r.0).collect();
    assert_eq!(versions, [first as i64]);
    let tag: bool = client
        .query_one(
            "SELECT EXISTS (SELECT FROM information_schema.columns \
             WHERE table_name = 'notes' AND column_name = 'tag')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!tag, "the rollback left notes.tag");
    assert_eq!(
        states(&status_json(p, &url)),
        [
            (first, "applied".into()),
            (second, "pending".into()),
            (third, "pending".into())
        ]
    );
    // And forward again.
    ok(run_in(p, &["migrate", "--database-url", &url]));
    assert_eq!(history(&client).await.len(), 3);
}

fn write(dir: &Path, file: &str, sql: &str) {
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(dir.join("migrations").join(file), sql).unwrap();
}

#[tokio::test]
async fn an_int4_history_meets_a_timestamp_and_is_widened_when_asked() {
    let dir = project("", SCHEMA_1);
    let p = dir.path();
    write(
        p,
        "V1__notes.sql",
        "CREATE TABLE notes (id int PRIMARY KEY);\n",
    );
    ok(run_in(p, &["rehash"]));
    let (db, client) = common::fresh_db("mv_int4").await;
    let url = db.target.url();
    ok(run_in(p, &["migrate", "--database-url", &url]));
    assert_eq!(column_type(&client).await, "integer");
    let before = history(&client).await;

    // A teammate's timestamp file: every command says what to set, and
    // nothing changes (rehash writes no sum for it).
    write(
        p,
        "V20240101120000__tag.sql",
        "ALTER TABLE notes ADD tag text;\n",
    );
    let sum_before = std::fs::read_to_string(p.join("migrations/strata.sum")).unwrap();
    for args in [
        vec!["migrate", "--database-url", &url],
        vec!["status", "--database-url", &url],
        vec!["rehash"],
        vec!["new", "x"],
    ] {
        let out = run_in(p, &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", show(&out));
        assert!(
            err.contains("\"V20240101120000__tag.sql\"")
                && err.contains("2147483647")
                && err.contains("`migrations: {version_column: int8}` in strata.yaml"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(p.join("migrations/strata.sum")).unwrap(),
        sum_before
    );
    assert!(!p.join("migrations/V2__x.sql").exists());
    assert_eq!(history(&client).await, before);
    assert_eq!(column_type(&client).await, "integer");

    // Asked for: status says the next migrate widens; migrate does,
    // keeping every row and re-recording its checksum the int8 way.
    std::fs::write(
        p.join("strata.yaml"),
        "migrations: {version_column: int8}\n",
    )
    .unwrap();
    ok(run_in(p, &["rehash"]));
    let out = ok(run_in(p, &["status", "--database-url", &url]));
    assert!(
        text(&out.stdout).contains("the next `strata migrate` widens it to int8"),
        "{}",
        show(&out)
    );
    assert_eq!(column_type(&client).await, "integer");
    let out = ok(run_in(p, &["migrate", "--database-url", &url]));
    assert!(
        text(&out.stderr).contains("widened refinery_schema_history.version from int4 to int8"),
        "{}",
        show(&out)
    );
    assert_eq!(column_type(&client).await, "bigint");
    let after = history(&client).await;
    let v1 = std::fs::read_to_string(p.join("migrations/V1__notes.sql")).unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!((after[0].0, &after[0].1), (1, &"notes".to_string()));
    assert_eq!(
        after[0].2,
        checksum("notes", 1, &v1, VersionColumn::Int8).to_string()
    );
    assert_eq!(after[1].0, 20240101120000);
    let s = status_json(p, &url);
    assert_eq!(
        states(&s),
        [(1, "applied".into()), (20240101120000, "applied".into())]
    );
    assert_eq!(s["widen"], false);

    // The int8 table with strata.yaml's default: said, not guessed.
    std::fs::write(p.join("strata.yaml"), "").unwrap();
    std::fs::remove_file(p.join("migrations/V20240101120000__tag.sql")).unwrap();
    ok(run_in(p, &["rehash"]));
    for args in [
        vec!["migrate", "--database-url", &url],
        vec!["status", "--database-url", &url],
        vec!["rollback", "--database-url", &url],
    ] {
        let out = run_in(p, &args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", show(&out));
        assert!(
            text(&out.stderr).contains("stores versions as int8")
                && text(&out.stderr).contains("set `migrations: {version_column: int8}`"),
            "{args:?}: {}",
            show(&out)
        );
    }
    assert_eq!(history(&client).await, after);
}

#[test]
fn new_writes_numbered_empty_files_and_never_overwrites() {
    let dir = project("", SCHEMA_1);
    let p = dir.path();
    let out = ok(run_in(p, &["new", "Backfill e-mails"]));
    assert_eq!(
        text(&out.stdout),
        "migrations/V1__backfill_e_mails.sql\nmigrations/down/V1__backfill_e_mails.sql\n"
    );
    assert!(
        text(&out.stderr).contains("`strata rehash`"),
        "{}",
        show(&out)
    );
    let up = std::fs::read_to_string(p.join("migrations/V1__backfill_e_mails.sql")).unwrap();
    assert!(
        up.starts_with("-- V1__backfill_e_mails: written by `strata new`"),
        "{up}"
    );
    assert!(
        up.lines().all(|l| l.is_empty() || l.starts_with("--")),
        "{up}"
    );
    let down = std::fs::read_to_string(p.join("migrations/down/V1__backfill_e_mails.sql")).unwrap();
    assert!(
        down.contains("-- strata:destructive: V1__backfill_e_mails was written by hand"),
        "{down}"
    );
    // strata.sum holds the new file: the directory is consistent.
    let sum = std::fs::read_to_string(p.join("migrations/strata.sum")).unwrap();
    assert!(sum.contains("V1__backfill_e_mails.sql "), "{sum}");
    let second = text(&ok(run_in(p, &["new", "again"])).stdout);
    assert!(second.starts_with("migrations/V2__again.sql\n"), "{second}");
    // An edited file is refused as generate refuses it (rehash accepts).
    std::fs::write(p.join("migrations/V2__again.sql"), "SELECT 1;\n").unwrap();
    let out = run_in(p, &["new", "third"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("V2__again.sql was edited"),
        "{}",
        show(&out)
    );
    ok(run_in(p, &["rehash"]));
    // A name that is no name, and a file already there: refused.
    let out = run_in(p, &["new", "../escape"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    std::fs::write(p.join("migrations/down/V3__third.sql"), "keep me").unwrap();
    let out = run_in(p, &["new", "third"]);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        show(&out)
    );
    assert_eq!(
        std::fs::read_to_string(p.join("migrations/down/V3__third.sql")).unwrap(),
        "keep me"
    );
    assert!(!p.join("migrations/V3__third.sql").exists());

    // With timestamps: the UTC time, past the sequential ones.
    std::fs::write(p.join("strata.yaml"), "migrations: {versions: timestamp}\n").unwrap();
    std::fs::remove_file(p.join("migrations/down/V3__third.sql")).unwrap();
    let out = text(&ok(run_in(p, &["new", "third"])).stdout);
    let v = version_of(out.lines().next().unwrap());
    assert!(is_timestamp(v), "{out}");
    assert_eq!(
        out,
        format!("migrations/V{v}__third.sql\nmigrations/down/V{v}__third.sql\n")
    );
}

#[test]
fn generate_help_shows_the_file_pattern_on_one_line() {
    let out = ok(strata().args(["generate", "--help"]).output().unwrap());
    let help = text(&out.stdout);
    assert!(help.contains("V{version}__{name}.sql"), "{help}");
    assert!(!help.contains("V\n"), "{help}");
    let out = ok(strata().args(["--help"]).output().unwrap());
    assert!(text(&out.stdout).contains("\n  new "), "{}", show(&out));
}

#[test]
fn target_versions_are_digits() {
    for bad in ["abc", "_1", "1_", "1.5", "2024-01-01"] {
        let out = strata()
            .args([
                "migrate",
                "--database-url",
                "postgres://x/y",
                "--target",
                bad,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(64), "{bad}: {}", show(&out));
        assert!(
            text(&out.stderr).contains("is not a migration version"),
            "{bad}: {}",
            show(&out)
        );
    }
}

/// `baseline` writes the history too: with `version_column: int8` it
/// widens an int4 table before recording a timestamp version.
#[tokio::test]
async fn baseline_records_a_timestamp_widening_the_history() {
    let dir = project("", SCHEMA_1);
    let p = dir.path();
    write(
        p,
        "V1__notes.sql",
        "CREATE TABLE notes (id int PRIMARY KEY);\n",
    );
    ok(run_in(p, &["rehash"]));
    let (db, client) = common::fresh_db("mv_base").await;
    let url = db.target.url();
    ok(run_in(p, &["migrate", "--database-url", &url]));
    assert_eq!(column_type(&client).await, "integer");
    // The column was added by hand; the team's timestamp file says so.
    common::exec(&client, "ALTER TABLE notes ADD tag text").await;
    write(
        p,
        "V20240101120000__tag.sql",
        "ALTER TABLE notes ADD tag text;\n",
    );
    std::fs::write(p.join("strata.yaml"), "migrations: {versions: timestamp}\n").unwrap();
    ok(run_in(p, &["rehash"]));
    let out = ok(run_in(
        p,
        &["baseline", "20240101_120000", "--database-url", &url],
    ));
    assert!(
        text(&out.stderr).contains("widened refinery_schema_history.version from int4 to int8")
            && text(&out.stderr).contains("Recorded V20240101120000 as applied"),
        "{}",
        show(&out)
    );
    assert_eq!(column_type(&client).await, "bigint");
    let rows = history(&client).await;
    let tag = std::fs::read_to_string(p.join("migrations/V20240101120000__tag.sql")).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1],
        (
            20240101120000,
            "tag".to_string(),
            checksum("tag", 20240101120000, &tag, VersionColumn::Int8).to_string()
        )
    );
    let s = status_json(p, &url);
    assert_eq!(
        states(&s),
        [(1, "applied".into()), (20240101120000, "applied".into())]
    );
}
