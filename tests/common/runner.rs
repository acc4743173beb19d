//! Running the `strata` binary on a small migrations directory: shared by
//! the migrate tests.

use std::path::Path;
use std::process::{Command, Output};

/// The binary, with no database or scratch server inherited from the
/// environment. `STRATA_PG_BINDIR` is kept: the version matrix runs the
/// whole binary on the major it selects.
pub fn strata() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .env_remove("STRATA_SHADOW_SUPERUSER");
    c
}

/// [`strata`] run in `project` (its strata.yaml applies).
pub fn strata_in(project: &Path) -> Command {
    let mut c = strata();
    c.current_dir(project);
    c
}

/// `strata diff --exit-code --from FROM --to TO` run in `project`.
pub fn live_diff(project: &Path, from: &str, to: &str) -> Output {
    strata_in(project)
        .args(["diff", "--exit-code", "--from", from, "--to", to])
        .output()
        .expect("strata runs")
}

/// SQL creating a NOLOGIN role unless the cluster has it (roles are
/// cluster-wide; tests share a server).
pub fn create_role(role: &str) -> String {
    format!(
        "DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
}

/// Exit code, stdout and stderr, for an assertion message.
pub fn show(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// A role name no other test (or run) uses: roles are cluster-wide.
pub fn unique_role(prefix: &str) -> String {
    format!("{prefix} {}", std::process::id())
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

pub fn write(dir: &Path, file: &str, sql: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), sql).unwrap();
}

/// `strata migrate --database-url URL --migrations DIR EXTRA…`
pub fn migrate(dir: &Path, url: &str, extra: &[&str]) -> Output {
    strata()
        .args(["migrate", "--database-url", url, "--migrations"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

/// `strata migrate … --backup BACKUPS` with the server binaries (and so
/// the first pg_dump tried) in `bindir`.
pub fn migrate_backup(dir: &Path, url: &str, backups: &Path, bindir: &Path) -> Output {
    strata()
        .env("STRATA_PG_BINDIR", bindir)
        .args(["migrate", "--database-url", url, "--migrations"])
        .arg(dir)
        .arg("--backup")
        .arg(backups)
        .output()
        .unwrap()
}

pub const V1: &str = "CREATE TABLE a (id int PRIMARY KEY);\n";
pub const V2: &str = "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));\n";
pub const V3: &str = "ALTER TABLE b ADD COLUMN note text;\n";

/// A directory with V1..V3.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "V1__a.sql", V1);
    write(dir.path(), "V2__b.sql", V2);
    write(dir.path(), "V3__note.sql", V3);
    dir
}
