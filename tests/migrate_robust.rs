//! Hardening of `strata migrate` against real PostgreSQL: `--backup`,
//! `baseline`, resuming a failed no-transaction migration (invalid index
//! cleanup), and SIGKILL in the middle of a migration.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn strata() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .env_remove("STRATA_PG_BINDIR");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn write(dir: &Path, file: &str, sql: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), sql).unwrap();
}

fn migrate(dir: &Path, url: &str, extra: &[&str]) -> Output {
    strata()
        .args(["migrate", "--database-url", url, "--migrations"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

const V1: &str = "CREATE TABLE a (id int PRIMARY KEY);\n";
const V2: &str = "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));\n";
const V3: &str = "ALTER TABLE b ADD COLUMN note text;\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "V1__a.sql", V1);
    write(dir.path(), "V2__b.sql", V2);
    write(dir.path(), "V3__note.sql", V3);
    dir
}

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

#[allow(dead_code)] // used by the tests below as they land
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
    let mut cmd = strata();
    let out = cmd
        .env("STRATA_PG_BINDIR", fake.path())
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .arg("--backup")
        .arg(backups.path())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
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
}
