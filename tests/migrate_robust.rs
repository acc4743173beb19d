//! Hardening of `strata migrate` against real PostgreSQL: `--backup`,
//! `baseline`, resuming a failed no-transaction migration (invalid index
//! cleanup), and SIGKILL in the middle of a migration.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::runner::{migrate, migrate_backup, project, strata, text, write, V1, V2};

async fn versions(client: &tokio_postgres::Client) -> Vec<i32> {
    match client
        .query(
            "SELECT version FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
    {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(_) => Vec::new(),
    }
}

async fn exists(client: &tokio_postgres::Client, rel: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&rel])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn backup_is_taken_before_applying_and_a_failed_dump_applies_nothing() {
    let (db, client) = common::fresh_db("rob_backup").await;
    let url = db.target.url();
    let dir = project();
    let backups = tempfile::tempdir().unwrap();
    assert!(migrate(dir.path(), &url, &["--target", "1"])
        .status
        .success());
    // A pg_dump that fails: its stderr is shown and nothing is applied.
    let fake = tempfile::tempdir().unwrap();
    let script = fake.path().join("pg_dump");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 99.0'; exit 0; fi\necho 'pg_dump: error: disk on fire' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = migrate_backup(dir.path(), &url, backups.path(), fake.path());
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("disk on fire") && err.contains("nothing was applied"),
        "{err}"
    );
    assert_eq!(versions(&client).await, vec![1]);
    assert_eq!(std::fs::read_dir(backups.path()).unwrap().count(), 0);
    // An unusable backup directory (a file): refused, nothing applied.
    let file = backups.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = migrate(dir.path(), &url, &["--backup", file.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&client).await, vec![1]);
    std::fs::remove_file(&file).unwrap();
    // The real one: a custom-format dump pg_restore can read, named after
    // the database and the first pending version; then V2, V3 applied.
    let out = migrate(
        dir.path(),
        &url,
        &["--backup", backups.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&client).await, vec![1, 2, 3]);
    let dumps: Vec<_> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dumps.len(), 1, "{dumps:?}");
    let name = dumps[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&db.name) && name.ends_with("-before-V2.dump"),
        "{name}"
    );
    let bindir = strata::embedded::find_bindir(&Default::default()).unwrap();
    let list = Command::new(bindir.join("pg_restore"))
        .arg("--list")
        .arg(&dumps[0])
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", text(&list.stderr));
    let toc = text(&list.stdout);
    // Taken before V2: table a is in it, table b is not.
    assert!(toc.contains("TABLE public a "), "{toc}");
    assert!(!toc.contains("TABLE public b "), "{toc}");
    // Up to date: no backup taken.
    let out = migrate(
        dir.path(),
        &url,
        &["--backup", backups.path().to_str().unwrap()],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(backups.path()).unwrap().count(), 1);
    // A pg_dump older than the server is never run: the search goes on to
    // the machine's own (the refusal when none fits is a unit test of
    // migrate::backup).
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; exit 0; fi\necho 'ran the old pg_dump' >&2\nexit 1\n",
    )
    .unwrap();
    write(dir.path(), "V4__c.sql", "CREATE TABLE c (id int);\n");
    let out = migrate_backup(dir.path(), &url, backups.path(), fake.path());
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("ran the old pg_dump"), "{err}");
    assert_eq!(versions(&client).await, vec![1, 2, 3, 4]);
    assert_eq!(std::fs::read_dir(backups.path()).unwrap().count(), 2);
}

fn baseline(dir: &Path, url: &str, extra: &[&str]) -> Output {
    strata()
        .args(["baseline", "--database-url", url, "--migrations"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

#[tokio::test]
async fn baseline_records_a_hand_built_database_and_refuses_a_different_one() {
    let (db, client) = common::fresh_db("rob_baseline").await;
    let url = db.target.url();
    let dir = project();
    // Built by hand, as a team adopting strata has it.
    common::exec(&client, &format!("{V1}{V2}")).await;
    let out = baseline(dir.path(), &url, &["2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("V1, V2"),
        "{}",
        text(&out.stderr)
    );
    let h = client
        .query(
            "SELECT version, checksum FROM refinery_schema_history ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(h.len(), 2);
    let refinery = refinery_core::Migration::unapplied("V2__b", V2)
        .unwrap()
        .checksum();
    assert_eq!(h[1].get::<_, String>(1), refinery.to_string());
    // Again: nothing to record; a version with no file is refused.
    assert!(baseline(dir.path(), &url, &["2"]).status.success());
    assert!(!baseline(dir.path(), &url, &["9"]).status.success());
    // migrate runs only V3 (V1/V2 would fail: the tables exist).
    let out = migrate(dir.path(), &url, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&client).await, vec![1, 2, 3]);

    // A database that is not what V1+V2 produce: refused with the
    // difference, accepted with --force.
    let (db2, client2) = common::fresh_db("rob_baseline_off").await;
    let url2 = db2.target.url();
    common::exec(
        &client2,
        &format!("{V1}{V2}ALTER TABLE b ADD COLUMN extra int;"),
    )
    .await;
    let out = baseline(dir.path(), &url2, &["2"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("refusing to baseline") && err.contains("\"extra\""),
        "{err}"
    );
    assert!(!exists(&client2, "refinery_schema_history").await);
    let out = baseline(dir.path(), &url2, &["2", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&client2).await, vec![1, 2]);
    // Existing history that disagrees with the files is refused.
    let (db3, client3) = common::fresh_db("rob_baseline_hist").await;
    assert!(migrate(dir.path(), &db3.target.url(), &[]).status.success());
    let out = baseline(dir.path(), &db3.target.url(), &["2"]);
    assert!(
        text(&out.stderr).contains("V3__note is recorded as applied"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(versions(&client3).await, vec![1, 2, 3]);
}

const NOTX: &str = "-- strata:no-transaction\n\
    CREATE TABLE t2 (id int);\n\
    CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v);\n\
    CREATE INDEX CONCURRENTLY t2_id ON t2 (id);\n";

#[tokio::test]
async fn a_failed_no_transaction_migration_resumes_after_cleaning_its_invalid_index() {
    let (db, client) = common::fresh_db("rob_resume").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "V1__t.sql",
        "CREATE TABLE t (id int, v text);\nINSERT INTO t SELECT g, (g % 100)::text FROM generate_series(1, 1000) g;\n",
    );
    write(dir.path(), "V2__idx.sql", NOTX);
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("line 3") && err.contains("resumes"), "{err}");
    // The failed build left an INVALID index; V2 is not in the history;
    // the state row names the statement.
    let valid: Vec<bool> = client
        .query(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('t_v')",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(valid, vec![false]);
    assert_eq!(versions(&client).await, vec![1]);
    let row = client
        .query_one(
            "SELECT completed, statement, line, error FROM strata_migration_state WHERE version = 2",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 1);
    assert!(row.get::<_, String>(1).contains("t_v"));
    assert_eq!(row.get::<_, i32>(2), 3);
    assert!(row
        .get::<_, Option<String>>(3)
        .unwrap()
        .contains("duplicate"));
    // status shows it half-applied (and the state table is not drift).
    let out = strata()
        .args(["status", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = text(&out.stdout);
    assert!(report.contains("partial  V2__idx"), "{report}");
    assert!(
        report.contains("1 statement(s) completed; failed at line 3"),
        "{report}"
    );
    assert!(!report.contains("strata_migration_state"), "{report}");
    // Editing a statement that already ran is refused.
    write(
        dir.path(),
        "V2__idx.sql",
        &NOTX.replace("t2 (id int)", "t2 (id bigint)"),
    );
    let out = migrate(dir.path(), &url, &[]);
    assert!(
        text(&out.stderr).contains("no longer starts with those 1 statement(s)"),
        "{}",
        text(&out.stderr)
    );
    write(dir.path(), "V2__idx.sql", NOTX);
    // A dry run shows only what a real run would send.
    let out = migrate(dir.path(), &url, &["--dry-run"]);
    let sql = text(&out.stdout);
    assert!(sql.contains("resumes at statement 2 of 3"), "{sql}");
    assert!(!sql.contains("CREATE TABLE t2"), "{sql}");
    assert!(
        sql.contains("CREATE UNIQUE INDEX CONCURRENTLY t_v"),
        "{sql}"
    );
    // Fix the data; the re-run drops the invalid index, rebuilds it and
    // does not re-run CREATE TABLE t2 (which would fail).
    common::exec(&client, "DELETE FROM t WHERE id > 100").await;
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("resuming V2__idx.sql at statement 2 of 3"),
        "{err}"
    );
    assert!(
        err.contains("dropped the INVALID index public.t_v"),
        "{err}"
    );
    let valid: Vec<bool> = client
        .query(
            "SELECT indisvalid FROM pg_index WHERE indrelid IN ('t'::regclass, 't2'::regclass)",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(valid, vec![true, true]);
    assert_eq!(versions(&client).await, vec![1, 2]);
    let left: i64 = client
        .query_one("SELECT count(*) FROM strata_migration_state", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

/// Poll `sql` (one bool) until true or `secs` pass; returns whether it did.
async fn wait_for(client: &tokio_postgres::Client, sql: &str, secs: u64) -> bool {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < std::time::Duration::from_secs(secs) {
        if client.query_one(sql, &[]).await.unwrap().get::<_, bool>(0) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn sigkill_in_the_middle_of_a_migration_leaves_it_unapplied_and_the_next_run_completes_it() {
    let (db, client) = common::fresh_db("rob_crash").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "V1__big.sql",
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 2000000) g;\n",
    );
    assert!(migrate(dir.path(), &url, &[]).status.success());
    write(
        dir.path(),
        "V2__index_big.sql",
        "CREATE TABLE t2 (id int);\nCREATE INDEX big_v ON big (v);\nSELECT pg_sleep(3);\n",
    );
    let mut child = strata()
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The migration runs statement by statement inside its transaction:
    // it is in the middle once its index build or its sleep is the active
    // query; kill it while the index is being built (or, if that was too
    // quick, while it sleeps): either way in the middle of V2.
    const V2_QUERY: &str = "(query LIKE 'CREATE INDEX big_v%' OR query LIKE 'SELECT pg_sleep(3)%')";
    let running = format!(
        "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE state = 'active' \
         AND {V2_QUERY} AND pid <> pg_backend_pid())"
    );
    assert!(wait_for(&client, &running, 30).await, "V2 never started");
    let orphan: i32 = client
        .query_one(
            &format!(
                "SELECT pid FROM pg_stat_activity WHERE {V2_QUERY} \
                 AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ),
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let building = "SELECT EXISTS (SELECT 1 FROM pg_stat_progress_create_index \
                    WHERE relid = 'big'::regclass)";
    let sleeping =
        format!("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {orphan} AND wait_event = 'PgSleep')");
    let either = format!("SELECT ({building}) OR ({sleeping})");
    assert!(
        wait_for(&client, &either, 10).await,
        "V2 neither built nor slept"
    );
    let mid_index = !wait_for(&client, &sleeping, 0).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let killed = std::time::Instant::now();
    eprintln!("killed strata migrate (during the index build: {mid_index})");
    // The next run starts at once and waits for the orphan's lock.
    let next = strata()
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Exactly as before V2 (nothing of V2 committed, by the orphan or yet
    // by the next run, which needs more than the 3 s sleep).
    assert!(!exists(&client, "t2").await);
    assert!(!exists(&client, "big_v").await);
    assert_eq!(versions(&client).await, vec![1]);
    // The orphaned backend notices its client is gone and stops
    // (client_connection_check_interval), releasing the lock.
    let gone = format!("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {orphan})");
    assert!(
        wait_for(&client, &gone, 10).await,
        "the orphaned backend kept running"
    );
    eprintln!(
        "orphaned backend gone {:.1?} after the kill",
        killed.elapsed()
    );
    let out = next.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(versions(&client).await, vec![1, 2]);
    assert!(exists(&client, "t2").await && exists(&client, "big_v").await);

    // The same in a no-transaction migration: killed during its
    // CREATE INDEX CONCURRENTLY, the next run keeps the completed
    // CREATE TABLE, drops the INVALID index and builds it again.
    write(
        dir.path(),
        "V3__concurrent.sql",
        "-- strata:no-transaction\nCREATE TABLE t3 (id int);\nCREATE INDEX CONCURRENTLY big_v2 ON big (v);\n",
    );
    let mut child = strata()
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        wait_for(&client, building, 30).await,
        "V3 never built its index"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let idle = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%')";
    assert!(
        wait_for(&client, idle, 10).await,
        "the orphaned index build kept running"
    );
    let invalid: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('big_v2') AND NOT indisvalid)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    eprintln!("the killed CONCURRENTLY build left an INVALID index: {invalid}");
    assert_eq!(versions(&client).await, vec![1, 2]);
    let out = migrate(dir.path(), &url, &[]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("resuming V3__concurrent.sql at statement 2 of 2"),
        "{err}"
    );
    if invalid {
        assert!(
            err.contains("dropped the INVALID index public.big_v2"),
            "{err}"
        );
    }
    assert_eq!(versions(&client).await, vec![1, 2, 3]);
    let valid: bool = client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_v2'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(valid);
}

/// Run `cmd` as the `postgres` user when we are root (initdb refuses root).
fn as_postgres(cmd: &mut Command) -> &mut Command {
    if unsafe { libc::geteuid() } == 0 {
        use std::os::unix::process::CommandExt;
        let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
        assert!(!pw.is_null(), "no postgres user to run the server as");
        let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
        cmd.uid(uid).gid(gid);
    }
    cmd
}

/// Hand our temp directory (only it) to the server's user.
fn chown_to_postgres(path: &Path) {
    if unsafe { libc::geteuid() } == 0 {
        let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
        assert!(!pw.is_null(), "no postgres user to run the server as");
        let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    }
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", text(&out.stderr));
}

/// A server that accepts only TLS connections with a password over TCP:
/// pg_dump can only reach it if strata hands it both.
#[tokio::test]
async fn backup_reaches_a_server_that_demands_tls_and_a_password() {
    let bindir = strata::embedded::find_bindir(&Default::default()).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("strata-robust-tls")
        .tempdir_in("/tmp")
        .unwrap();
    let root = dir.path();
    let data = root.join("data");
    chown_to_postgres(root);
    run_ok(as_postgres(
        Command::new(bindir.join("initdb"))
            .current_dir(root)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data),
    ));
    run_ok(as_postgres(
        Command::new("openssl")
            .current_dir(&data)
            .args(["req", "-x509", "-new", "-nodes", "-days", "2"])
            .args(["-subj", "/CN=localhost", "-keyout", "server.key"])
            .args(["-out", "server.crt"]),
    ));
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off",
        root.display()
    );
    run_ok(as_postgres(
        Command::new(bindir.join("pg_ctl"))
            .current_dir(root)
            .arg("-D")
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(root.join("log"))
            .args(["-w", "start"]),
    ));
    let stop = scopeguard(bindir.join("pg_ctl"), data.clone());
    run_ok(
        Command::new(bindir.join("psql"))
            .args(["-h", root.to_str().unwrap(), "-p", &port.to_string()])
            .args([
                "-U",
                "postgres",
                "-c",
                "CREATE ROLE app LOGIN SUPERUSER PASSWORD 's3cret'",
            ]),
    );
    let url = format!("postgresql://app:s3cret@127.0.0.1:{port}/postgres?sslmode=require");
    let migrations = project();
    let backups = tempfile::tempdir().unwrap();
    let out = migrate(
        migrations.path(),
        &url,
        &["--backup", backups.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let n = std::fs::read_dir(backups.path()).unwrap().count();
    assert_eq!(n, 1);
    drop(stop);
}

/// Stops the server when dropped (also when the test panics).
struct Stop(std::path::PathBuf, std::path::PathBuf);

fn scopeguard(pg_ctl: std::path::PathBuf, data: std::path::PathBuf) -> Stop {
    Stop(pg_ctl, data)
}

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = as_postgres(Command::new(&self.0).arg("-D").arg(&self.1).args([
            "-m",
            "immediate",
            "-w",
            "stop",
        ]))
        .output();
    }
}
