//! Schema files and migrations are code from the repository: the shadow
//! (and `dev`) database runs them as an unprivileged role, so `plan` or
//! `generate` on a hostile pull request cannot run programs or read files
//! as the cluster's OS user. Installed extensions, trusted or not, are
//! still created; `STRATA_SHADOW_SUPERUSER=1` trusts the files. Through the
//! real binary against its own embedded cluster.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::runner::{strata, text};

/// A directory the cluster's OS user (`postgres` when the tests run as
/// root) may write in, and a marker path inside it that a `COPY … TO
/// PROGRAM` would create.
fn marker_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let marker = dir.path().join("pwned");
    (dir, marker)
}

fn copy_to_program(marker: &Path) -> String {
    format!("COPY (SELECT 1) TO PROGRAM 'touch {}';\n", marker.display())
}

fn project(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in ["schema", "migrations"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    std::fs::write(dir.path().join("schema/app.yaml"), yaml).unwrap();
    dir
}

const TABLE: &str = "tables:\n  t:\n    columns:\n      id: int primary key\n";

fn run(dir: &Path, args: &[&str], superuser: bool) -> (Option<i32>, String) {
    let mut cmd = strata();
    if superuser {
        cmd.env("STRATA_SHADOW_SUPERUSER", "1");
    }
    let out = cmd.current_dir(dir).args(args).output().unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    (out.status.code(), all)
}

#[test]
fn schema_sql_cannot_run_programs_in_the_shadow() {
    let (_keep, marker) = marker_dir();
    let dir = project(TABLE);
    // Climbing back from a demoted session would work; from a login as an
    // unprivileged role it cannot.
    let sql = format!("RESET SESSION AUTHORIZATION;\n{}", copy_to_program(&marker));
    std::fs::write(dir.path().join("schema/evil.sql"), &sql).unwrap();
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    assert_ne!(code, Some(0), "{out}");
    assert!(!marker.exists(), "the program ran: {out}");
    assert!(
        out.contains("strata_build") && out.contains("STRATA_SHADOW_SUPERUSER"),
        "{out}"
    );
    assert!(out.contains("schema/evil.sql"), "{out}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("migrations"))
            .unwrap()
            .count(),
        0
    );

    // The same file without the reset: still refused.
    std::fs::write(dir.path().join("schema/evil.sql"), copy_to_program(&marker)).unwrap();
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    assert_ne!(code, Some(0), "{out}");
    assert!(!marker.exists(), "the program ran: {out}");

    // The negative above is not vacuous: trusted, the same file runs.
    let (code, out) = run(dir.path(), &["generate", "init"], true);
    assert_eq!(code, Some(0), "{out}");
    assert!(marker.exists(), "{out}");
}

#[test]
fn server_files_are_not_readable_from_schema_sql() {
    let dir = project(TABLE);
    std::fs::write(
        dir.path().join("schema/evil.sql"),
        "CREATE TABLE leak AS SELECT pg_read_file('PG_VERSION') AS v;\n",
    )
    .unwrap();
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    assert_eq!(code, Some(4), "{out}");
    assert!(out.contains("permission denied"), "{out}");
}

#[test]
fn migrations_cannot_run_programs_when_replayed_by_generate_or_dev() {
    let (_keep, marker) = marker_dir();
    let dir = project(TABLE);
    let v1 = format!(
        "CREATE TABLE t (id int PRIMARY KEY);\n{}",
        copy_to_program(&marker)
    );
    std::fs::write(dir.path().join("migrations/V1__evil.sql"), v1).unwrap();
    assert_eq!(run(dir.path(), &["rehash"], false).0, Some(0));
    let (code, out) = run(dir.path(), &["generate", "next"], false);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("strata_build"), "{out}");
    let (code, out) = run(dir.path(), &["dev", "--no-seed"], false);
    assert_ne!(code, Some(0), "{out}");
    assert!(!marker.exists(), "the program ran: {out}");
}

/// The first installed extension PostgreSQL does not mark trusted (only a
/// superuser could create it), if the server has one.
fn untrusted_extension() -> Option<String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (_db, client) = common::fresh_db("sandbox_ext").await;
        let rows = client
            .query(
                "SELECT name FROM pg_available_extension_versions \
                 WHERE NOT trusted AND superuser \
                   AND name IN ('postgres_fdw', 'dblink', 'file_fdw', 'pageinspect') \
                 ORDER BY name LIMIT 1",
                &[],
            )
            .await
            .unwrap();
        rows.first().map(|r| r.get(0))
    })
}

#[test]
fn untrusted_extensions_are_still_built_created_and_dropped() {
    let Some(ext) = untrusted_extension() else {
        eprintln!("skipped: no untrusted contrib extension installed on this server");
        return;
    };
    let dir = project(&format!("extensions: [{ext}]\n{TABLE}"));
    // A hand-written migration creating it another way (schema, CASCADE).
    std::fs::write(
        dir.path().join("migrations/V1__ext.sql"),
        format!("CREATE SCHEMA ext;\nCREATE EXTENSION IF NOT EXISTS {ext} SCHEMA ext CASCADE;\nDROP EXTENSION {ext};\nDROP SCHEMA ext;\n"),
    )
    .unwrap();
    assert_eq!(run(dir.path(), &["rehash"], false).0, Some(0));
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    assert_eq!(code, Some(0), "{out}");
    let v2 = std::fs::read_to_string(dir.path().join("migrations/V2__init.sql")).unwrap();
    assert!(
        v2.contains(&format!("CREATE EXTENSION IF NOT EXISTS \"{ext}\"")),
        "{v2}"
    );
    // The shadow can also drop it again (it owns the extension).
    std::fs::write(dir.path().join("schema/app.yaml"), TABLE).unwrap();
    let (code, out) = run(
        dir.path(),
        &["generate", "drop_ext", "--allow-destructive"],
        false,
    );
    assert_eq!(code, Some(0), "{out}");
    let v3 = std::fs::read_to_string(dir.path().join("migrations/V3__drop_ext.sql")).unwrap();
    assert!(v3.contains(&format!("DROP EXTENSION \"{ext}\"")), "{v3}");
}

/// A function's `SET` of a superuser-only setting that gives no way out
/// (a resource limit, logging) builds in the sandbox on PostgreSQL 15+
/// (`GRANT SET ON PARAMETER`); one that would load code still does not.
#[tokio::test]
async fn functions_may_set_harmless_superuser_settings() {
    let f = |name: &str, setting: &str| {
        format!(
            "CREATE FUNCTION {name}() RETURNS int LANGUAGE sql SET {setting} AS $$ SELECT 1 $$;\n"
        )
    };
    let dir = project(TABLE);
    std::fs::write(
        dir.path().join("schema/f.sql"),
        f("limited", "temp_file_limit = '1GB'") + &f("logged", "log_min_duration_statement = 0"),
    )
    .unwrap();
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    if common::server_major().await >= 15 {
        assert_eq!(code, Some(0), "{out}");
        let v1 = std::fs::read_to_string(dir.path().join("migrations/V1__init.sql")).unwrap();
        assert!(v1.contains("temp_file_limit"), "{v1}");
    } else {
        assert_ne!(code, Some(0), "{out}");
        assert!(out.contains("STRATA_SHADOW_SUPERUSER"), "{out}");
    }
    let dir = project(TABLE);
    std::fs::write(
        dir.path().join("schema/f.sql"),
        f("loads", "session_preload_libraries = 'plpgsql'"),
    )
    .unwrap();
    let (code, out) = run(dir.path(), &["generate", "init"], false);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("permission denied"), "{out}");
}
