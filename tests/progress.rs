//! `--progress` through the binary, with stderr a pipe (as in CI): a seed,
//! an import and a slow migration statement print periodic lines with
//! rows, a readable rate, elapsed time and ETA, then a closing line;
//! `--progress none` (or `STRATA_PROGRESS=none`) prints none; a run
//! shorter than the interval stays quiet. The interval is shortened with
//! `STRATA_PROGRESS_INTERVAL_MS` so the tests need not run for seconds.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::runner::{show, strata, text, write};
use common::{exec, fresh_db};
use regex::Regex;

const INTERVAL_MS: &str = "50";

fn lines_of<'a>(out: &'a str, prefix: &str) -> Vec<&'a str> {
    out.lines().filter(|l| l.starts_with(prefix)).collect()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}", show(&out));
    out
}

/// A rate as people read it: `812 rows/s`, `45.1k rows/s`, `1.3M rows/s`.
const RATE: &str = r"(\d\.\d|\d{1,3}|\d{1,3}\.\d[kMG]) rows/s";

fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("seeds"),
        "dev.yaml",
        "seed: 3\ntables:\n  parents:\n    rows: 1000\n  items:\n    rows: 150000\n",
    );
    dir
}

fn seed(dir: &Path, url: &str, progress: Option<&str>, interval: Option<&str>) -> Output {
    let mut c: Command = strata();
    c.current_dir(dir)
        .args(["seed", "--force", "--database-url", url]);
    if let Some(p) = progress {
        c.args(["--progress", p]);
    }
    if let Some(ms) = interval {
        c.env("STRATA_PROGRESS_INTERVAL_MS", ms);
    }
    c.env_remove("STRATA_PROGRESS").output().unwrap()
}

#[tokio::test]
async fn a_seed_without_a_terminal_prints_progress_lines() {
    let (db, client) = fresh_db("progress_seed").await;
    exec(
        &client,
        "CREATE TABLE parents (id int PRIMARY KEY, name text NOT NULL);
         CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             parent_id int NOT NULL REFERENCES parents(id), label text, qty int, seen timestamptz);",
    )
    .await;
    let dir = seed_project();
    let url = db.target.url();

    // `auto` with stderr a pipe means lines.
    let out = ok(seed(dir.path(), &url, None, Some(INTERVAL_MS)));
    let err = text(&out.stderr);
    let periodic = Regex::new(&format!(
        r"^seed: [\d,]+ / 151,000 rows \(\d{{1,3}}%\) · {RATE} · [\d.]+s elapsed( · ETA \d+s)? · (parents|items)$"
    ))
    .unwrap();
    let seed_lines = lines_of(&err, "seed: ");
    let (last, running) = seed_lines.split_last().expect("progress lines");
    assert!(!running.is_empty(), "no periodic line:\n{err}");
    for l in running {
        assert!(
            periodic.is_match(l),
            "unexpected progress line {l:?}\n{err}"
        );
    }
    assert!(
        running.iter().any(|l| l.contains(" · ETA ")),
        "no line with an ETA:\n{err}"
    );
    let closing = Regex::new(&format!(r"^seed: done · 151,000 rows in [\d.]+s · {RATE}$")).unwrap();
    assert!(closing.is_match(last), "closing line {last:?}\n{err}");

    // none: no line at all, the summary as before.
    for run in [
        seed(dir.path(), &url, Some("none"), Some(INTERVAL_MS)),
        strata()
            .current_dir(dir.path())
            .args(["seed", "--force", "--database-url", &url])
            .env("STRATA_PROGRESS", "none")
            .env("STRATA_PROGRESS_INTERVAL_MS", INTERVAL_MS)
            .output()
            .unwrap(),
    ] {
        let err = text(&ok(run).stderr);
        assert!(lines_of(&err, "seed: ").is_empty(), "{err}");
        assert!(err.contains("Seeded 151000 rows"), "{err}");
    }

    // The default interval (5 s) is longer than this seed: quiet.
    let err = text(&ok(seed(dir.path(), &url, Some("lines"), None)).stderr);
    assert!(lines_of(&err, "seed: ").is_empty(), "{err}");
}

#[tokio::test]
async fn an_import_without_a_terminal_prints_progress_lines() {
    let (db, client) = fresh_db("progress_import").await;
    exec(
        &client,
        "CREATE TABLE t (id int PRIMARY KEY, name text, qty int);",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    let mut csv = String::from("id,name,qty\n");
    for i in 1..=150_000 {
        csv.push_str(&format!("{i},name number {i},{}\n", i % 1000));
    }
    std::fs::write(&file, &csv).unwrap();
    let import = |progress: &str| {
        strata()
            .args(["import", "t"])
            .arg(&file)
            .args(["--database-url", &db.target.url(), "--progress", progress])
            .env("STRATA_PROGRESS_INTERVAL_MS", INTERVAL_MS)
            .output()
            .unwrap()
    };
    let out = ok(import("lines"));
    let err = text(&out.stderr);
    let periodic = Regex::new(&format!(
        r"^import: [\d,]+ rows · \d{{1,3}}% of [\d.]+ MB · {RATE} · [\d.]+s elapsed( · ETA \d+s)?$"
    ))
    .unwrap();
    let import_lines = lines_of(&err, "import: ");
    let (last, running) = import_lines.split_last().expect("progress lines");
    assert!(!running.is_empty(), "no periodic line:\n{err}");
    for l in running {
        assert!(
            periodic.is_match(l),
            "unexpected progress line {l:?}\n{err}"
        );
    }
    assert!(
        last.starts_with("import: done · 150,000 rows in "),
        "{last:?}\n{err}"
    );
    assert!(
        err.contains("read 150000, loaded 150000, rejected 0"),
        "{err}"
    );

    exec(&client, "TRUNCATE t").await;
    let err = text(&ok(import("none")).stderr);
    assert!(lines_of(&err, "import: ").is_empty(), "{err}");
    assert!(err.contains("loaded 150000"), "{err}");
}

#[tokio::test]
async fn a_slow_migration_statement_is_reported_while_it_runs() {
    let (db, _client) = fresh_db("progress_migrate").await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "V1__slow.sql",
        "CREATE TABLE t (id int);\n-- takes a while\nSELECT pg_sleep(0.6);\n",
    );
    write(
        dir.path(),
        "V2__slow_outside.sql",
        "-- strata:no-transaction\nSELECT pg_sleep(0.6), 'x'\n  AS second_line;\n",
    );
    let out = ok(strata()
        .args([
            "migrate",
            "--database-url",
            &db.target.url(),
            "--migrations",
        ])
        .arg(dir.path())
        .env("STRATA_PROGRESS_INTERVAL_MS", "150")
        .env_remove("STRATA_PROGRESS")
        .output()
        .unwrap());
    let err = text(&out.stderr);
    let running = Regex::new(r"^statement still running · [\d.]+s elapsed · (.*)$").unwrap();
    let shown: Vec<String> = err
        .lines()
        .filter_map(|l| running.captures(l).map(|c| c[1].to_string()))
        .collect();
    assert!(shown.iter().any(|s| s == "SELECT pg_sleep(0.6)"), "{err}");
    assert!(
        shown.iter().any(|s| s == "SELECT pg_sleep(0.6), 'x' …"),
        "{err}"
    );
    assert!(
        !shown.iter().any(|s| s.starts_with("CREATE TABLE")),
        "a quick statement was reported:\n{err}"
    );
    let finished = lines_of(&err, "statement finished · ");
    assert_eq!(finished.len(), 2, "{err}");
    assert!(err.contains("2 migration(s) applied."), "{err}");
}

/// A profile that imports a CSV: rows are counted as they are read, with
/// no total (and so no percentage or ETA) since the file's row count is
/// not known before it is read.
#[tokio::test]
async fn a_seed_that_imports_counts_rows_without_a_total() {
    let (db, client) = fresh_db("progress_seed_import").await;
    exec(&client, "CREATE TABLE t (id int PRIMARY KEY, name text);").await;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,name\n");
    for i in 1..=120_000 {
        csv.push_str(&format!("{i},name {i}\n"));
    }
    write(dir.path(), "t.csv", &csv);
    write(
        &dir.path().join("seeds"),
        "dev.yaml",
        "tables:\n  t:\n    import:\n      file: ../t.csv\n",
    );
    let out = ok(seed(
        dir.path(),
        &db.target.url(),
        Some("lines"),
        Some(INTERVAL_MS),
    ));
    let err = text(&out.stderr);
    let periodic = Regex::new(&format!(
        r"^seed: [\d,]+ rows · {RATE} · [\d.]+s elapsed · t$"
    ))
    .unwrap();
    let seed_lines = lines_of(&err, "seed: ");
    let (last, running) = seed_lines.split_last().expect("progress lines");
    assert!(!running.is_empty(), "no periodic line:\n{err}");
    for l in running {
        assert!(
            periodic.is_match(l),
            "unexpected progress line {l:?}\n{err}"
        );
    }
    assert!(
        last.starts_with("seed: done · 120,000 rows in "),
        "{last:?}\n{err}"
    );
}
