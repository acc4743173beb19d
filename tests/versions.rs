//! What the PostgreSQL-major matrix checks besides the convergence pairs
//! (`.ci/run` runs this file on every major 14–18 with `STRATA_PG_BINDIR`
//! pointing at a build from `.ci/fetch-pg`, and `STRATA_EXPECT_MAJOR`):
//! - the server really is the major CI asked for (a matrix that silently
//!   ran Debian's 15 five times would prove nothing);
//! - `strata dev` of the top-level project and of every example (migrate,
//!   compare with schema/, seed) on the embedded server of that major;
//! - `migrate --backup` finds a `pg_dump` at least as new as the server
//!   and the dump restores;
//! - a model feature newer than the server is refused by name.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::runner::{migrate, project, strata, text};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ok(out: &Output, what: &str) -> String {
    let err = text(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{err}",
        out.status.code()
    );
    err
}

#[tokio::test]
async fn the_server_is_the_major_ci_asked_for() {
    let major = common::server_major().await;
    if let Ok(want) = std::env::var("STRATA_EXPECT_MAJOR") {
        assert_eq!(major.to_string(), want.trim(), "STRATA_EXPECT_MAJOR");
    }
    let (lo, hi) = strata::pg::version::SUPPORTED;
    assert!((lo..=hi).contains(&major), "the test server runs {major}");
}

fn dev(project: &Path) -> String {
    let out = strata()
        .current_dir(project)
        .args(["dev"])
        .output()
        .unwrap();
    ok(&out, &format!("strata dev in {}", project.display()))
}

#[tokio::test]
async fn dev_works_for_every_project() {
    let major = common::server_major().await;
    let mut projects = vec![root()];
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("strata.yaml").is_file())
        .collect();
    examples.sort();
    assert!(examples.len() >= 3, "{examples:?}");
    projects.extend(examples);
    for p in &projects {
        let err = dev(p);
        let started = format!("Started embedded PostgreSQL {major}.");
        assert!(
            err.contains(&started),
            "{}: {started:?} in\n{err}",
            p.display()
        );
        assert!(
            err.contains("migrations matches schema") && err.contains("Seeded "),
            "{}:\n{err}",
            p.display()
        );
        assert!(!err.contains("warning:"), "{}:\n{err}", p.display());
    }
}

#[tokio::test]
async fn backup_uses_a_pg_dump_as_new_as_the_server() {
    let major = common::server_major().await;
    let (db, client) = common::fresh_db("ver_backup").await;
    let url = db.target.url();
    let dir = project();
    let backups = tempfile::tempdir().unwrap();
    ok(
        &migrate(dir.path(), &url, &["--target", "1"]),
        "migrate --target 1",
    );
    let out = migrate(
        dir.path(),
        &url,
        &["--backup", backups.path().to_str().unwrap()],
    );
    ok(&out, "migrate --backup");
    let dumps: Vec<PathBuf> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dumps.len(), 1, "{dumps:?}");
    // The dump is complete: restored into an empty database it has what V1
    // made, and the history.
    let (copy, copy_client) = common::fresh_db("ver_restore").await;
    let bindir = strata::embedded::find_bindir(&Default::default()).unwrap();
    let restore = std::process::Command::new(bindir.join("pg_restore"))
        .arg("--dbname")
        .arg(copy.target.url())
        .arg(&dumps[0])
        .output()
        .unwrap();
    assert!(
        restore.status.success(),
        "pg_restore ({major}): {}",
        text(&restore.stderr)
    );
    let tables = common::strings(
        &copy_client,
        "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class \
         WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
    )
    .await;
    assert_eq!(
        tables,
        vec![format!("a,{}", strata::migrations::HISTORY_TABLE)]
    );

    // Pointed at an older pg_dump (the machine's own 15 on an 18 server),
    // strata passes it over for a fetched one instead of failing.
    let Some(old) = older_bindir(major) else {
        eprintln!("no pg_dump older than {major} on this machine: fallback not exercised");
        return;
    };
    common::runner::write(dir.path(), "V4__c.sql", "CREATE TABLE c (id int);\n");
    let out = common::runner::migrate_backup(dir.path(), &url, backups.path(), &old);
    ok(&out, &format!("migrate --backup with {}", old.display()));
    assert_eq!(std::fs::read_dir(backups.path()).unwrap().count(), 2);
    drop(client);
}

/// A directory of Debian's packages holding a pg_dump older than `major`.
fn older_bindir(major: u32) -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let m: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (m < major && bin.join("pg_dump").is_file()).then_some((m, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

/// NULLS NOT DISTINCT needs 15: on 14 the shadow refuses it by name, on 15
/// and later it builds. (The pairs with a `min-major` file check every
/// newer feature the same way, on every older major.)
#[tokio::test]
async fn a_feature_newer_than_the_server_is_refused_by_name() {
    let major = common::server_major().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir_all(&schema).unwrap();
    std::fs::write(
        schema.join("t.yaml"),
        "tables:\n  t:\n    columns: {a: int}\n    unique:\n      - {columns: [a], nulls_not_distinct: true}\n",
    )
    .unwrap();
    let (db, _client) = common::fresh_db("ver_needs").await;
    let out = strata()
        .current_dir(dir.path())
        .args(["plan", "--database-url", &db.target.url()])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    if major < 15 {
        assert_eq!(out.status.code(), Some(4), "{err}");
        assert!(
            err.contains("NULLS NOT DISTINCT, which needs PostgreSQL 15 or later")
                && err.contains("t.yaml:")
                && err.contains(&format!("runs PostgreSQL {major}.")),
            "{err}"
        );
        assert!(!err.contains("syntax error"), "{err}");
    } else {
        assert!(out.status.success(), "{err}");
        assert!(text(&out.stdout).contains("NULLS NOT DISTINCT"));
    }
}

/// strata quotes a name when any supported server needs it quoted: every
/// keyword this server does not treat as an ordinary name must be in
/// strata's table with the same category (16 added `system_user`, 17
/// `json_table`, …; a newer major adding one fails here first).
#[tokio::test]
async fn the_keyword_table_covers_this_server() {
    use strata::pg::ident::{keyword, Keyword};
    let (_db, client) = common::fresh_db("ver_kw").await;
    let rows = client
        .query(
            "SELECT word, catcode::text FROM pg_get_keywords() WHERE catcode <> 'U'",
            &[],
        )
        .await
        .unwrap();
    assert!(rows.len() > 140, "{} keywords", rows.len());
    let mut wrong = Vec::new();
    for r in &rows {
        let (word, code): (String, String) = (r.get(0), r.get(1));
        let want = match code.as_str() {
            "C" => Keyword::ColName,
            "T" => Keyword::TypeFuncName,
            "R" => Keyword::Reserved,
            other => panic!("catcode {other}"),
        };
        if keyword(&word) != Some(want) {
            wrong.push(format!("{word} ({code}): strata has {:?}", keyword(&word)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Teams plan against whatever major their cloud runs with whatever
/// PostgreSQL their laptop has: every tests/sql/ file loaded into this
/// server, pulled, and planned with the machine's own PostgreSQL as the
/// shadow (`STRATA_PG_BINDIR` removed) must plan nothing. Only meaningful
/// when the matrix points the test server at another major.
#[tokio::test]
async fn files_pulled_from_this_major_plan_nothing_with_the_system_shadow() {
    if std::env::var_os("STRATA_PG_BINDIR").is_none() {
        return;
    }
    let major = common::server_major().await;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/sql"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    // The machine's own binaries, named explicitly: strata would otherwise
    // pick the fetched build of the target's major (see the next test).
    let system_dir = system_bindir();
    let mut failures = Vec::new();
    for file in &files {
        let sql = std::fs::read_to_string(file).unwrap();
        let min: u32 = sql
            .lines()
            .find_map(|l| l.strip_prefix("-- min-major:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        if min > major {
            continue;
        }
        // `-- cross-major: differs across N`: a known difference between
        // a major below N and one at N or above (a name that is a keyword
        // on one and not the other).
        let differs = sql
            .lines()
            .find_map(|l| l.strip_prefix("-- cross-major: differs across "))
            .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
            .is_some_and(|n| (major >= n) != (system_major(&system_dir) >= n));
        let (db, client) = common::fresh_db("ver_cross").await;
        common::exec(&client, &sql).await;
        let url = db.target.url();
        let dir = tempfile::tempdir().unwrap();
        let system = |args: &[&str]| {
            strata()
                .env("STRATA_PG_BINDIR", &system_dir)
                .current_dir(dir.path())
                .args(args)
                .args(["--database-url", &url])
                .output()
                .unwrap()
        };
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let pulled = system(&["pull"]);
        if !pulled.status.success() {
            failures.push(format!("{name}: pull: {}", text(&pulled.stderr)));
            continue;
        }
        let planned = system(&["plan", "--exit-code"]);
        let err = text(&planned.stderr);
        // A file for a newer major than the system's: refused by name.
        let refused = planned.status.code() == Some(4) && err.contains("which needs PostgreSQL");
        if differs {
            if planned.status.code() != Some(2) {
                failures.push(format!(
                    "{name}: marked cross-major: differs, but plans nothing now: remove the mark"
                ));
            }
        } else if planned.status.code() != Some(0) && !refused {
            failures.push(format!(
                "{name}: plan exit {:?}:\n{}{err}",
                planned.status.code(),
                text(&planned.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The first server binaries of the machine's own (not `STRATA_PG_BINDIR`).
fn system_bindir() -> PathBuf {
    strata::embedded::bindir_candidates()
        .into_iter()
        .find(|d| d.join("postgres").is_file() && d.join("initdb").is_file())
        .expect("the machine's PostgreSQL")
}

fn system_major(bindir: &Path) -> u32 {
    let out = std::process::Command::new(bindir.join("postgres"))
        .arg("--version")
        .output()
        .unwrap();
    let v = text(&out.stdout);
    let word = v
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    word.split('.').next().unwrap().parse().unwrap()
}

/// `plan` against a server of another major than the machine's own builds
/// its shadow on that major when binaries of it exist (here: the fetched
/// build the matrix runs on), silently; without them it says the shadow
/// runs another major and how to fix that.
#[tokio::test]
async fn plan_builds_the_shadow_on_the_target_major() {
    let Some(bindir) = std::env::var_os("STRATA_PG_BINDIR") else {
        return;
    };
    let major = common::server_major().await;
    let system = system_bindir();
    if system_major(&system) == major {
        return;
    }
    let (db, client) = common::fresh_db("ver_shadow").await;
    strata::migrate::replay::replay_dir(&client, &root().join("migrations"))
        .await
        .unwrap();
    let url = db.target.url();
    // The fetched build is found through the downloads directory it sits
    // in (<root>/<major>/server/bin).
    let downloads = PathBuf::from(bindir).join("../../..");
    let plan = |downloads: &Path| {
        strata()
            .env_remove("STRATA_PG_BINDIR")
            .env("STRATA_PG_DOWNLOADS", downloads)
            .current_dir(root())
            .args(["plan", "--exit-code", "--database-url", &url])
            .output()
            .unwrap()
    };
    let out = plan(&downloads);
    let err = ok(&out, "plan with the target's major available");
    assert!(!err.contains("warning:"), "{err}");
    let nowhere = tempfile::tempdir().unwrap();
    let out = plan(nowhere.path());
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "the target runs PostgreSQL {major} but the embedded shadow database runs"
        )) && err.contains(&format!(".ci/fetch-pg {major}")),
        "{err}"
    );
}

/// `embedded.major` in strata.yaml: commands without a live target
/// (`dev`, `generate`) build on the project's major when binaries of it
/// exist.
#[tokio::test]
async fn embedded_major_picks_the_project_major() {
    let Some(bindir) = std::env::var_os("STRATA_PG_BINDIR") else {
        return;
    };
    let major = common::server_major().await;
    if system_major(&system_bindir()) == major {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strata.yaml"),
        format!("embedded: {{major: {major}}}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
    let downloads = PathBuf::from(bindir).join("../../..");
    let out = strata()
        .env_remove("STRATA_PG_BINDIR")
        .env("STRATA_PG_DOWNLOADS", &downloads)
        .current_dir(dir.path())
        .args(["dev"])
        .output()
        .unwrap();
    let err = ok(&out, "dev with embedded.major");
    assert!(
        err.contains(&format!("Started embedded PostgreSQL {major}.")),
        "{err}"
    );
}
