//! Hostile and awkward migration directories against real PostgreSQL
//! (issue 10, items 3, 4, 6, 7): multi-statement no-transaction files
//! replayed by every command, files that are not regular files or are too
//! large, racing `generate` runs, `strata.sum` integrity, and migration
//! names that must be refused.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{migrate, strata, text, write};

/// A schema with table `t (id, a, b)` and indexes on `a` and on `b`.
const SCHEMA: &str = "
tables:
  t:
    columns:
      id: bigint primary key
      a: int
      b: int
    indexes:
      - {name: t_a_idx, columns: [a]}
      - {name: t_b_idx, columns: [b]}
";

const V1: &str = "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int);\n";

/// Two statements that PostgreSQL refuses inside a transaction block: the
/// pattern strata's own hazard notes recommend.
const V2_CONCURRENTLY: &str = "-- strata:no-transaction\n\
CREATE INDEX CONCURRENTLY t_a_idx ON t (a);\n\
CREATE INDEX CONCURRENTLY t_b_idx ON t (b);\n";

/// A project: schema/ with [`SCHEMA`], migrations/ with V1 and the
/// no-transaction V2, and their strata.sum.
fn concurrent_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("schema"), "app.yaml", SCHEMA);
    let m = dir.path().join("migrations");
    write(&m, "V1__t.sql", V1);
    write(&m, "V2__idx.sql", V2_CONCURRENTLY);
    ok(strata()
        .current_dir(dir.path())
        .arg("rehash")
        .output()
        .unwrap());
    dir
}

/// `strata ARGS` in `project`, shadows on the test server (`dev_url`).
fn run_in(project: &Path, dev_url: &str, args: &[&str]) -> Output {
    strata()
        .current_dir(project)
        .env("STRATA_DEV_URL", dev_url)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "strata failed ({:?}): {}",
        out.status.code(),
        text(&out.stderr)
    );
    out
}

#[tokio::test]
async fn generate_replays_multi_statement_no_transaction_migrations() {
    let (db, _client) = common::fresh_db("hm_gen_notx").await;
    let project = concurrent_project();
    let out = ok(run_in(
        project.path(),
        &db.target.url(),
        &["generate", "again"],
    ));
    assert!(
        text(&out.stderr).contains("No changes"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn status_and_baseline_replay_multi_statement_no_transaction_migrations() {
    let (db, client) = common::fresh_db("hm_status_notx").await;
    let url = db.target.url();
    let project = concurrent_project();
    let migrations = project.path().join("migrations");
    // Built by hand first: baseline replays V1..V2 to compare.
    common::exec(&client, V1).await;
    common::exec(
        &client,
        "CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b);",
    )
    .await;
    let out = ok(run_in(
        project.path(),
        &url,
        &["baseline", "2", "--database-url", &url],
    ));
    assert!(
        text(&out.stderr).contains("V1, V2"),
        "{}",
        text(&out.stderr)
    );
    let out = ok(run_in(
        project.path(),
        &url,
        &["status", "--database-url", &url],
    ));
    let report = text(&out.stdout);
    assert!(report.contains("drift: none"), "{report}");
    // And migrate agrees on a fresh database.
    let (db2, _c2) = common::fresh_db("hm_status_notx2").await;
    ok(migrate(&migrations, &db2.target.url(), &[]));
}

#[test]
fn dev_replays_multi_statement_no_transaction_migrations() {
    let project = concurrent_project();
    let out = ok(strata()
        .current_dir(project.path())
        .arg("dev")
        .output()
        .unwrap());
    let err = text(&out.stderr);
    assert!(err.contains("Applied 2 migration(s)"), "{err}");
    assert!(err.contains("matches"), "{err}");
}

#[tokio::test]
async fn a_failing_replayed_statement_is_named_with_its_line() {
    let (db, _client) = common::fresh_db("hm_replay_line").await;
    let project = concurrent_project();
    write(
        &project.path().join("migrations"),
        "V2__idx.sql",
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_a_idx ON t (a);\n\nCREATE INDEX CONCURRENTLY t_b_idx ON t (nope);\n",
    );
    ok(run_in(project.path(), &db.target.url(), &["rehash"]));
    let out = run_in(project.path(), &db.target.url(), &["generate", "again"]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("V2__idx.sql") && err.contains("line 4") && err.contains("\"nope\""),
        "{err}"
    );
}

/// Every lexical corner the splitter must get right, in one
/// no-transaction migration: each `;` inside a body, rule, quote or
/// comment would otherwise cut a statement in two.
const TRICKY: &str = r#"-- strata:no-transaction
CREATE TABLE a$b$c (id int PRIMARY KEY, v text);
CREATE TABLE log (id int, note text);
CREATE FUNCTION sign_of(a int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN 1 ELSE CASE WHEN a < 0 THEN -1 ELSE 0 END END;
END;
CREATE PROCEDURE add_logs() LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO log VALUES (10, 'a;b');
  INSERT INTO log VALUES (11, $q$c;d$q$);
END;
CREATE RULE a_log AS ON INSERT TO a$b$c DO ALSO (INSERT INTO log VALUES (NEW.id, 'rule;1'); INSERT INTO log VALUES (NEW.id, 'rule;2'));
CREATE INDEX CONCURRENTLY a_v_idx ON a$b$c (v);
/* nested /* comment; */ still; */ INSERT INTO a$b$c VALUES (1, E'it\'s;'), (2, 'x''y;');
CREATE TABLE U&"t\0061;" (x int);
PREPARE ins(int) AS INSERT INTO log VALUES ($1, 'p;');
EXECUTE ins(20);
SET standard_conforming_strings = off;
INSERT INTO log VALUES (30, 'bs\';q');
RESET standard_conforming_strings;
INSERT INTO log VALUES (31, 'plain\');
CALL add_logs();
"#;

#[test]
fn the_splitter_cuts_tricky_files_where_postgresql_does() {
    let pieces = strata::migrate::split::statements(TRICKY);
    assert_eq!(pieces.len(), 15, "{:#?}", pieces);
}

#[tokio::test]
async fn tricky_no_transaction_migrations_migrate_and_replay() {
    let (db, client) = common::fresh_db("hm_tricky").await;
    let url = db.target.url();
    let project = tempfile::tempdir().unwrap();
    let m = project.path().join("migrations");
    write(&m, "V1__tricky.sql", TRICKY);
    ok(migrate(&m, &url, &[]));
    let notes = common::strings(
        &client,
        "SELECT id || ':' || note FROM log ORDER BY id, note",
    )
    .await;
    assert_eq!(
        notes,
        [
            "1:rule;1",
            "1:rule;2",
            "2:rule;1",
            "2:rule;2",
            "10:a;b",
            "11:c;d",
            "20:p;",
            "30:bs';q",
            "31:plain\\"
        ]
    );
    assert_eq!(
        common::strings(&client, "SELECT sign_of(-5) || sign_of(0)::text || (SELECT v FROM a$b$c WHERE id = 1) || to_regclass('\"ta;\"')::text").await,
        ["-10it's;\"ta;\""]
    );
    // status replays the file the same way: no drift.
    let out = ok(run_in(
        project.path(),
        &url,
        &["status", "--database-url", &url],
    ));
    assert!(
        text(&out.stdout).contains("drift: none"),
        "{}",
        text(&out.stdout)
    );
}

/// Run `cmd`, killing it if it takes longer than `secs` (a read of
/// /dev/zero never ends): its output, or a panic naming the hang. Its
/// address space is capped at 4 GiB, so a runaway read fails fast instead
/// of taking the machine's memory.
fn within(mut cmd: std::process::Command, secs: u64) -> Output {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    // SAFETY: only setrlimit(2), async-signal-safe, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: 4 << 30,
                rlim_max: 4 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // SAFETY: kill(2) on the child this test spawned.
            unsafe { libc::kill(id as i32, libc::SIGKILL) };
            panic!("strata did not finish within {secs} s");
        }
    }
}

#[tokio::test]
async fn migration_files_must_be_regular_files_of_bounded_size() {
    let (db, _client) = common::fresh_db("hm_devzero").await;
    let url = db.target.url();
    let project = concurrent_project();
    let m = project.path().join("migrations");
    std::os::unix::fs::symlink("/dev/zero", m.join("V3__zero.sql")).unwrap();
    for args in [
        vec!["migrate", "--database-url", &url],
        vec!["status", "--database-url", &url],
        vec!["generate", "x"],
        vec!["rehash"],
    ] {
        let mut cmd = strata();
        cmd.current_dir(project.path())
            .env("STRATA_DEV_URL", &url)
            .args(&args);
        let out = within(cmd, 20);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {err}");
        assert!(err.contains("V3__zero.sql is a device"), "{args:?}: {err}");
    }
    std::fs::remove_file(m.join("V3__zero.sql")).unwrap();
    // A FIFO would block the open; a huge file is refused by its size.
    let fifo = std::ffi::CString::new(m.join("V3__fifo.sql").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let mut cmd = strata();
    cmd.args(["migrate", "--database-url", &url, "--migrations"])
        .arg(&m);
    let out = within(cmd, 20);
    assert!(
        text(&out.stderr).contains("is a FIFO"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_file(m.join("V3__fifo.sql")).unwrap();
    let big = std::fs::File::create(m.join("V3__big.sql")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    let out = migrate(&m, &url, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("V3__big.sql is larger than 67108864 bytes"),
        "{err}"
    );
    std::fs::remove_file(m.join("V3__big.sql")).unwrap();
    // A down file that is a device: rollback refuses before running anything.
    ok(migrate(&m, &url, &[]));
    std::fs::create_dir_all(m.join("down")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", m.join("down/V2__idx.sql")).unwrap();
    let mut cmd = strata();
    cmd.args(["rollback", "--database-url", &url, "--migrations"])
        .arg(&m);
    let out = within(cmd, 20);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("V2__idx.sql is a device"), "{err}");
    // strata.sum itself.
    std::fs::remove_file(m.join("strata.sum")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", m.join("strata.sum")).unwrap();
    let out = within(
        {
            let mut c = strata();
            c.args(["migrate", "--database-url", &url, "--migrations"])
                .arg(&m);
            c
        },
        20,
    );
    assert!(
        text(&out.stderr).contains("strata.sum is a device"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn malformed_migration_names_are_refused_not_run_or_skipped() {
    let (db, client) = common::fresh_db("hm_names").await;
    let url = db.target.url();
    for (file, why) in [
        ("V+2__x.sql", "plain digits"),
        ("V-2__x.sql", "plain digits"),
        ("V 2__x.sql", "plain digits"),
        ("V1.1__x.sql", "plain digits"),
        ("V١__x.sql", "plain digits"),
        ("V2__.sql", "name is empty"),
        ("V2_x.sql", "`__`"),
        ("V2147483648__x.sql", "2147483647"),
        ("V99999999999999999999999__x.sql", "9223372036854775807"),
        ("V2__a-b.sql", "letters, digits and `_`"),
        ("V2__a b.sql", "letters, digits and `_`"),
        ("V2__a\nb.sql", "letters, digits and `_`"),
        ("V2__a\u{200d}b.sql", "letters, digits and `_`"),
    ] {
        let project = tempfile::tempdir().unwrap();
        let m = project.path().join("migrations");
        write(&m, "V1__t.sql", V1);
        write(&m, file, "CREATE TABLE should_not_exist (id int);\n");
        for args in [
            vec!["migrate", "--database-url", &url],
            vec!["status", "--database-url", &url],
            vec!["rehash"],
        ] {
            let out = run_in(project.path(), &url, &args);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(4), "{file:?} {args:?}: {err}");
            assert!(
                err.contains(&format!("{file:?}")) && err.contains(why),
                "{file:?} {args:?}: {err}"
            );
        }
        assert!(
            !m.join("strata.sum").exists(),
            "{file:?}: rehash wrote a sum"
        );
    }
    let missing: bool = client
        .query_one("SELECT to_regclass('t') IS NULL", &[])
        .await
        .unwrap()
        .get(0);
    assert!(missing, "a migration ran");
}

#[tokio::test]
async fn leading_zeros_and_unicode_names_are_refinery_compatible() {
    let (db, client) = common::fresh_db("hm_zero").await;
    let url = db.target.url();
    let project = tempfile::tempdir().unwrap();
    let m = project.path().join("migrations");
    write(&m, "V001__créer_t.sql", V1);
    write(&m, "V2__x.sql", "ALTER TABLE t ADD COLUMN c int;\n");
    // Not migration-like: ignored, as refinery ignores them.
    write(&m, "README.md", "notes");
    write(&m, "Vacuum.sql", "VACUUM;");
    write(&m.join("down"), "V001__créer_t.sql", "DROP TABLE t;\n");
    write(
        &m.join("down"),
        "V2__x.sql",
        "ALTER TABLE t DROP COLUMN c;\n",
    );
    ok(run_in(project.path(), &url, &["rehash"]));
    ok(migrate(&m, &url, &[]));
    let row = client
        .query_one(
            "SELECT version, name, checksum FROM refinery_schema_history WHERE version = 1",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(1), "créer_t");
    let refinery = refinery_core::Migration::unapplied("V001__créer_t", V1).unwrap();
    assert_eq!(row.get::<_, String>(2), refinery.checksum().to_string());
    // The down file is found under the file's own name.
    ok(run_in(
        project.path(),
        &url,
        &["rollback", "--to", "0", "--database-url", &url],
    ));
    let gone: bool = client
        .query_one("SELECT to_regclass('t') IS NULL", &[])
        .await
        .unwrap()
        .get(0);
    assert!(gone);
}

#[tokio::test]
async fn generate_refuses_hostile_names() {
    let (db, _client) = common::fresh_db("hm_gen_names").await;
    let project = concurrent_project();
    write(
        &project.path().join("schema"),
        "app.yaml",
        &SCHEMA.replace("      b: int\n", "      b: int\n      c: int\n"),
    );
    let long = "x".repeat(101);
    for name in [
        "../x",
        "a/b",
        "a\\b",
        "a\nb",
        "",
        "  ",
        "..",
        "a\u{7}b",
        long.as_str(),
    ] {
        let out = run_in(project.path(), &db.target.url(), &["generate", name]);
        assert_eq!(
            out.status.code(),
            Some(4),
            "{name:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("migration name"),
            "{name:?}: {}",
            text(&out.stderr)
        );
    }
    let files: Vec<String> = std::fs::read_dir(project.path().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(!project.path().join("x").exists());
    // An ordinary name with spaces and capitals is still tidied, not refused.
    ok(run_in(
        project.path(),
        &db.target.url(),
        &["generate", "Add C!"],
    ));
    assert!(project.path().join("migrations/V3__add_c.sql").exists());
}

/// [`SCHEMA`] with one more column: a change `generate` writes.
fn with_column_c(project: &Path) {
    write(
        &project.join("schema"),
        "app.yaml",
        &SCHEMA.replace("      b: int\n", "      b: int\n      c: int\n"),
    );
}

fn sql_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn concurrent_generates_never_write_one_version_twice() {
    let (db, _client) = common::fresh_db("hm_gen_race").await;
    let url = db.target.url();
    for round in 0..3 {
        let project = concurrent_project();
        with_column_c(project.path());
        let spawn = |name: &str| {
            strata()
                .current_dir(project.path())
                .env("STRATA_DEV_URL", &url)
                .args(["generate", name, "--allow-destructive"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("first"), spawn("second"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let m = project.path().join("migrations");
        let files = sql_files(&m);
        assert_eq!(
            files.len(),
            3,
            "round {round}: {files:?}\n{}\n{}",
            text(&a.stderr),
            text(&b.stderr)
        );
        ok(a);
        ok(b);
        // The directory matches its sum: migrate accepts it.
        ok(run_in(
            project.path(),
            &url,
            &["status", "--database-url", &url],
        ));
        let (fresh, _c) = common::fresh_db("hm_gen_race_m").await;
        let out = ok(migrate(&m, &fresh.target.url(), &[]));
        assert!(!text(&out.stderr).contains("was edited"));
    }
}

/// flock(2) the directory from the test, as another strata would.
fn hold_lock(dir: &Path) -> std::fs::File {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(dir).unwrap();
    // SAFETY: flock on a descriptor we own.
    assert_eq!(unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) }, 0);
    f
}

#[tokio::test]
async fn generate_and_rehash_wait_for_the_directory_lock() {
    let (db, _client) = common::fresh_db("hm_gen_lock").await;
    let project = concurrent_project();
    with_column_c(project.path());
    let m = project.path().join("migrations");
    let held = hold_lock(&m);
    let child = strata()
        .current_dir(project.path())
        .env("STRATA_DEV_URL", db.target.url())
        .args(["generate", "c"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(
        sql_files(&m).len(),
        2,
        "generate wrote while the lock was held"
    );
    drop(held);
    let out = ok(child.wait_with_output().unwrap());
    assert!(
        text(&out.stderr).contains("waiting for another strata process"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sql_files(&m).len(), 3);
    // The lock leaves no file behind: nothing a runner could pick up.
    let names: Vec<String> = std::fs::read_dir(&m)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".sql") || n == "strata.sum" || n == "down"),
        "{names:?}"
    );
    // rehash waits too.
    let held = hold_lock(&m);
    let mut child = strata()
        .current_dir(project.path())
        .arg("rehash")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "rehash did not wait");
    drop(held);
    ok(child.wait_with_output().unwrap());
}

#[tokio::test]
async fn generate_refuses_files_that_do_not_match_the_sum() {
    let (db, _client) = common::fresh_db("hm_gen_sum").await;
    let url = db.target.url();
    let project = concurrent_project();
    with_column_c(project.path());
    let m = project.path().join("migrations");
    let sum = std::fs::read_to_string(m.join("strata.sum")).unwrap();
    let generate = || run_in(project.path(), &url, &["generate", "c"]);
    let refused = |out: Output, what: &str| {
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{what}: {err}");
        assert!(err.contains(what) && err.contains("strata rehash"), "{err}");
        assert_eq!(
            sql_files(&m).len(),
            2 + usize::from(what.contains("V3")),
            "{what}"
        );
        assert_eq!(
            std::fs::read_to_string(m.join("strata.sum")).unwrap(),
            sum,
            "{what}: sum rewritten"
        );
    };
    // An edited file: generate would have put its new hash in the sum.
    write(
        &m,
        "V1__t.sql",
        &format!("{V1}DROP TABLE IF EXISTS canary;\n"),
    );
    refused(generate(), "V1__t.sql was edited");
    write(&m, "V1__t.sql", V1);
    // An unknown file.
    write(&m, "V3__smuggled.sql", "DROP TABLE IF EXISTS canary;\n");
    refused(generate(), "V3__smuggled.sql is not in strata.sum");
    std::fs::remove_file(m.join("V3__smuggled.sql")).unwrap();
    // No sum at all, with files.
    std::fs::remove_file(m.join("strata.sum")).unwrap();
    let out = generate();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no strata.sum"),
        "{}",
        text(&out.stderr)
    );
    assert!(!m.join("strata.sum").exists());
    // rehash accepts the files; generate then works.
    ok(run_in(project.path(), &url, &["rehash"]));
    ok(generate());
    assert_eq!(sql_files(&m).len(), 3);
}
