//! Hostile identifiers (issue 10): names holding newlines, carriage
//! returns, quotes, `--`, `$$`, `;`, escape sequences and Unicode line
//! separators must never run as SQL (through a `--` comment strata writes),
//! never forge a line or a terminal escape in a message, and must survive
//! YAML → generate → migrate → pull → plan unchanged.

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

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn write_schema(project: &Path, yaml: &str) {
    let dir = project.join("schema");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.yaml"), yaml).unwrap();
}

/// Every file under `dir`, recursively, as (path, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            out.push((p.display().to_string(), t));
        }
    }
    out
}

/// No statement of `sql` (split the way `migrate` splits, which knows
/// quotes and comments) may be the injected one, and no comment line may
/// carry a character that ends a comment for PostgreSQL (CR) or that a
/// reader takes for a line break.
fn assert_nothing_injected(what: &str, sql: &str) {
    for st in strata::migrate::split::statements(sql) {
        assert!(
            !st.sql.contains("DROP TABLE IF EXISTS keep.canary") || st.sql.contains('"'),
            "{what}: the name's payload became a statement:\n{sql}"
        );
    }
    let mut in_ident = false;
    for line in sql.split('\n') {
        // Lines that start inside a multi-line quoted identifier are
        // part of a statement, not comments.
        if !in_ident && line.trim_start().starts_with("--") {
            assert!(
                !line
                    .chars()
                    .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
                "{what}: a comment line holds a control character: {line:?}\n{sql}"
            );
        } else if line.matches('"').count() % 2 == 1 {
            in_ident = !in_ident;
        }
    }
}

/// The reported exploit: a table named `tn⏎DROP TABLE IF EXISTS canary;⏎--`
/// put its name into the lock note of an index change, and `migrate`
/// dropped `canary`.
#[tokio::test]
async fn a_name_with_newlines_cannot_run_sql_through_a_comment() {
    let (db, client) = common::fresh_db("hostile").await;
    let url = db.target.url();
    // In a schema the YAML does not mention: strata leaves it alone.
    common::exec(
        &client,
        "CREATE SCHEMA keep; CREATE TABLE keep.canary (id int)",
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    // Quoted in the dotted-name syntax, so the dot is part of the name.
    let table = r#""\"tn\nDROP TABLE IF EXISTS keep.canary;\n--\"""#;
    write_schema(
        p,
        &format!("tables:\n  {table}:\n    columns:\n      id: int primary key\n      a: int\n"),
    );
    ok(&run(p, &url, &["generate", "initial"]));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    // An ordinary index change on the existing table: its lock note names
    // the table.
    write_schema(
        p,
        &format!(
            "tables:\n  {table}:\n    columns:\n      id: int primary key\n      a: int\n    \
             indexes:\n      - {{columns: [a]}}\n    checks:\n      - a > 0\n"
        ),
    );
    let plan = run(p, &url, &["plan", "--database-url", &url]);
    ok(&plan);
    assert_nothing_injected("plan", &text(&plan.stdout));
    ok(&run(p, &url, &["generate", "index"]));
    for (path, sql) in files(&p.join("migrations")) {
        assert_nothing_injected(&path, &sql);
    }
    let dry = common::runner::migrate(&p.join("migrations"), &url, &["--dry-run"]);
    ok(&dry);
    assert_nothing_injected("migrate --dry-run", &text(&dry.stdout));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let canary = common::strings(
        &client,
        "SELECT count(*)::text FROM pg_class WHERE oid = to_regclass('keep.canary')",
    )
    .await;
    assert_eq!(canary, vec!["1"], "the canary table was dropped");
}
