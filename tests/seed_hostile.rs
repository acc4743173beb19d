//! `strata seed` against hostile profiles and careless runs (issue 10):
//! generator sizes beyond the documented maxima, files that are not
//! regular files, counts that overflow, template slots that used to panic,
//! integer and float edges, and two seeds racing on one database.
//!
//! Every run of the binary gets an address-space limit and a deadline, so
//! a regression fails the test instead of exhausting the machine.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::Client;

const SCHEMA: &str = "
CREATE TABLE t (
    id bigint PRIMARY KEY,
    n bigint,
    f double precision,
    txt text,
    b bytea,
    tags text[],
    doc jsonb,
    d date
);
CREATE TABLE kids (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    t_id bigint NOT NULL REFERENCES t(id)
);
CREATE INDEX kids_t_id_idx ON kids (t_id);
CREATE INDEX t_n_idx ON t (n);
";

/// Address space allowed to one strata run: far above what any of these
/// runs needs, far below what the bugs took.
const MEMORY_LIMIT: u64 = 3 << 30;

fn strata(project: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
    unsafe {
        c.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    c
}

/// Run with a deadline: a hung run is killed and fails the test.
fn run(mut c: Command, deadline: Duration) -> Output {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "strata did not finish within {deadline:?}; stderr: {}",
                stderr(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// A project directory with `seeds/dev.yaml`.
fn project(profile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    std::fs::create_dir(dir.path().join("fixtures")).unwrap();
    std::fs::write(dir.path().join("seeds/dev.yaml"), profile).unwrap();
    dir
}

/// `tables: {t: {rows: N, columns: {…}}}`; the first column line is line
/// 5 (the next table's entry, without columns, is at line 4).
fn profile_t(rows: &str, columns: &[&str]) -> String {
    let mut p = format!("tables:\n  t:\n    rows: {rows}\n");
    if !columns.is_empty() {
        p.push_str("    columns:\n");
    }
    for c in columns {
        p.push_str(&format!("      {c}\n"));
    }
    p
}

fn seed(project: &Path, url: &str, args: &[&str]) -> Output {
    let mut c = strata(project);
    c.args(["seed", "--database-url", url, "--force"])
        .args(args);
    run(c, Duration::from_secs(120))
}

/// Exit 4 (invalid input), no panic, and `needles` in stderr.
fn invalid(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "a panic: {err}");
    assert_eq!(out.status.code(), Some(4), "expected exit 4: {err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
}

fn ok(out: &Output) {
    assert!(out.status.success(), "strata seed failed: {}", stderr(out));
}

async fn setup(prefix: &str) -> (strata::scratch::ScratchDb, Client, String) {
    let (db, client) = common::fresh_db(prefix).await;
    common::exec(&client, SCHEMA).await;
    let url = db.target.url();
    (db, client, url)
}

#[tokio::test]
async fn template_slots_never_panic() {
    let (_db, client, url) = setup("hostile_tpl").await;
    // `{seq:999999999999}` was "Formatting argument out of range", exit 101.
    let dir = project(&profile_t("3", &["txt: \"A-{seq:999999999999}\""]));
    invalid(
        &seed(dir.path(), &url, &[]),
        &["dev.yaml:5:", "seq", "at most"],
    );
    for bad in [
        "\"{seq:65536}\"",
        "\"{seq:18446744073709551616}\"",
        "\"{seq:+5}\"",
        "\"{seq:٣}\"",
        "\"{seq:-1}\"",
        "\"{seq:}\"",
        "\"{seq\"",
        "\"{}\"",
        "\"}{\"",
        "\"{ä{seq}}\"",
        "\"{seq|nope}\"",
        "{sequence: {start: 1, format: \"{seq:99999}\"}}",
    ] {
        let dir = project(&profile_t("3", &[&format!("txt: {bad}")]));
        invalid(&seed(dir.path(), &url, &[]), &["dev.yaml:5:"]);
    }
    // Fine ones still work: wide padding within the limit, unicode, braces.
    let dir = project(&profile_t(
        "3",
        &["txt: \"ñ{{{seq:20}}}✓{first_name|upper}\""],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let v = common::strings(&client, "SELECT txt FROM t ORDER BY id").await;
    assert!(v[0].starts_with("ñ{00000000000000000001}✓"), "{v:?}");
}

#[tokio::test]
async fn sequences_clamp_instead_of_wrapping() {
    let (_db, client, url) = setup("hostile_seq").await;
    let max = i64::MAX;
    let dir = project(&profile_t(
        "4",
        &[
            &format!("n: {{sequence: {}}}", max - 1),
            "f: {uniform: [0, 1]}",
        ],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let v = common::strings(&client, "SELECT n::text FROM t ORDER BY id").await;
    let m = max.to_string();
    assert_eq!(
        v,
        vec![(max - 1).to_string(), m.clone(), m.clone(), m.clone()]
    );
    // A step that overflows, downwards too.
    let dir = project(&profile_t(
        "3",
        &[&format!(
            "n: {{sequence: {{start: {}, step: -1}}}}",
            i64::MIN + 1
        )],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let v = common::strings(&client, "SELECT n::text FROM t ORDER BY id").await;
    let lo = i64::MIN.to_string();
    assert_eq!(v, vec![(i64::MIN + 1).to_string(), lo.clone(), lo]);
    let dir = project(&profile_t(
        "3",
        &[&format!("n: {{sequence: {{start: 0, step: {max}}}}}")],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let v = common::strings(&client, "SELECT n::text FROM t ORDER BY id").await;
    assert_eq!(v, vec!["0".to_string(), m.clone(), m.clone()]);
    // A formatted sequence is text: it goes on counting past i64::MAX.
    let dir = project(&profile_t(
        "3",
        &[&format!(
            "txt: {{sequence: {{start: {}, format: \"X{{seq}}\"}}}}",
            max - 1
        )],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let v = common::strings(&client, "SELECT txt FROM t ORDER BY id").await;
    assert_eq!(
        v,
        vec![
            "X9223372036854775806",
            "X9223372036854775807",
            "X9223372036854775808"
        ]
    );
    // A key column whose sequence would clamp (and so repeat) is refused
    // before anything is loaded, naming the column.
    let dir = project(&profile_t(
        "3",
        &[&format!("id: {{sequence: {}}}", max - 1)],
    ));
    let out = seed(dir.path(), &url, &[]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(stderr(&out).contains("t.id"), "{}", stderr(&out));
    assert!(stderr(&out).contains("row 3"), "{}", stderr(&out));
}

#[tokio::test]
async fn numeric_edges_are_checked() {
    let (_db, client, url) = setup("hostile_num").await;
    let dir = project(&profile_t(
        "200",
        &[
            &format!("n: {{uniform: [{}, {}]}}", i64::MIN, i64::MAX),
            "f: {uniform: [-1.7e308, 1.7e308]}",
        ],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let bad = common::strings(
        &client,
        "SELECT count(*)::text FROM t WHERE f IN ('Infinity', '-Infinity', 'NaN') OR f IS NULL",
    )
    .await;
    assert_eq!(bad, vec!["0"], "uniform floats over a huge span");
    let spread = common::strings(&client, "SELECT (min(n) < 0 AND max(n) > 0)::text FROM t").await;
    assert_eq!(spread, vec!["true"]);
    for (spec, needle) in [
        ("f: {uniform: [0, inf]}", "finite"),
        ("f: {uniform: [NaN, 1]}", "finite"),
        ("f: {uniform: [1e308, 1e309]}", "finite"),
        ("f: {normal: {mean: inf, std_dev: 1}}", "finite"),
        ("f: {normal: {mean: 0, std_dev: nan}}", "std_dev"),
        ("f: {normal: {mean: 0, std_dev: 1e309}}", "finite"),
        ("f: {normal: {mean: 0, std_dev: 1, min: 5, max: 1}}", "min"),
        ("f: {normal: {mean: 0, std_dev: 1, min: nan}}", "finite"),
        ("f: {normal: [-inf, 1]}", "finite"),
        ("txt: {one_of: {a: 1e308, b: 1e308}}", "weights"),
        ("n: {sequence: 9223372036854775808}", "integer"),
    ] {
        let dir = project(&profile_t("3", &[spec]));
        invalid(&seed(dir.path(), &url, &[]), &["dev.yaml:5:", needle]);
    }
    // Dates at the ends of what can be written: no panic, whatever the
    // server then says about them.
    let dir = project(&profile_t(
        "3",
        &["d: {date: [\"-262144-01-01\", \"+262143-12-31\"]}"],
    ));
    let out = seed(dir.path(), &url, &["--dry-run"]);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[tokio::test]
async fn generator_sizes_have_maxima() {
    let (_db, client, url) = setup("hostile_size").await;
    let many_slots = "{paragraphs}".repeat(20_000);
    let nested = "doc: {array: {array: {array: {bytes: 1000000}, length: 1000}, length: 1000}, length: 1000}";
    let mut deep = "word".to_string();
    for _ in 0..40 {
        deep = format!("{{json: {{a: {deep}}}}}");
    }
    let deep = format!("doc: {deep}");
    for (spec, needle) in [
        ("b: {bytes: 3000000000..4000000000}", "bytes"),
        ("b: {bytes: 9223372036854775807}", "bytes"),
        ("txt: {words: 1000000000}", "words"),
        ("txt: {sentence: 100000000}", "sentence"),
        ("txt: {paragraphs: 1000000}", "paragraphs"),
        ("txt: {password: 1000000000}", "password"),
        ("tags: {array: word, length: 100000000}", "length"),
        (&format!("txt: \"{many_slots}\""), "template"),
        (nested, "array"),
        (&deep, "nest"),
    ] {
        let dir = project(&profile_t("3", &[spec]));
        invalid(&seed(dir.path(), &url, &[]), &["dev.yaml:5:", "at most"]);
        let _ = needle;
    }
    // Row counts: too many for any load, at the count's position.
    let dir = project(&profile_t("1000000000000000000", &[]));
    invalid(&seed(dir.path(), &url, &[]), &["dev.yaml:3:11", "rows"]);
    let dir = project(&format!(
        "{}  kids:\n    per_parent: {{t: 1000000000000000000}}\n",
        profile_t("3", &[])
    ));
    invalid(&seed(dir.path(), &url, &[]), &["dev.yaml:5:", "at most"]);
    // Sizes at the maxima still load.
    let dir = project(&profile_t(
        "2",
        &[
            "b: {bytes: 1048576}",
            "txt: {words: 10000}",
            "tags: {array: word, length: 10000}",
        ],
    ));
    ok(&seed(dir.path(), &url, &[]));
    let sizes = common::strings(
        &client,
        "SELECT (length(b) = 1048576 AND cardinality(tags) = 10000)::text FROM t",
    )
    .await;
    assert_eq!(sizes, vec!["true", "true"]);
}

#[tokio::test]
async fn counts_and_options_do_not_overflow() {
    let (_db, _client, url) = setup("hostile_count").await;
    let dir = project(&profile_t("10000000", &[]));
    for (args, needle) in [
        (vec!["--scale", "1e9"], "rows"),
        (vec!["--scale", "NaN"], "--scale"),
        (vec!["--scale=-1"], "--scale"),
        (vec!["--scale", "inf"], "--scale"),
        (vec!["--batch-size", "1000000000000"], "--batch-size"),
        (vec!["--batch-size", "0"], "--batch-size"),
        (vec!["--jobs", "100000000"], "--jobs"),
    ] {
        let out = seed(dir.path(), &url, &args);
        invalid(&out, &[needle]);
    }
    // A fan-out whose total overflows: 1e15 children for each of 3 parents
    // (each count allowed alone) is refused before generating.
    let dir = project(&format!(
        "{}  kids:\n    per_parent: {{t: 1000000000000000}}\n",
        profile_t("3", &[])
    ));
    invalid(&seed(dir.path(), &url, &[]), &["kids", "rows"]);
    let out = seed(dir.path(), &url, &["--dry-run"]);
    invalid(&out, &["kids", "rows"]);
}

#[tokio::test]
async fn unique_sets_are_bounded() {
    let (_db, client, url) = setup("hostile_unique").await;
    // 10^8 rows of a tracked unique column: refused at once, not after
    // minutes of generation and gigabytes of hashes.
    let dir = project(&profile_t(
        "100000000",
        &["n: {uniform: [0, 9223372036854775807], unique: true}"],
    ));
    let t0 = Instant::now();
    let out = seed(dir.path(), &url, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("t.n"), "{}", stderr(&out));
    assert!(stderr(&out).contains("unique"), "{}", stderr(&out));
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    let n = common::strings(&client, "SELECT count(*)::text FROM t").await;
    assert_eq!(n, vec!["0"]);
}

#[tokio::test]
async fn files_must_be_regular_and_small() {
    let (_db, _client, url) = setup("hostile_files").await;
    let dir = project("");
    let p = dir.path();
    std::os::unix::fs::symlink("/dev/zero", p.join("fixtures/zero")).unwrap();
    let fifo = p.join("fixtures/pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    std::fs::create_dir(p.join("fixtures/dir")).unwrap();
    let big = std::fs::File::create(p.join("fixtures/big.txt")).unwrap();
    big.set_len(200 << 20).unwrap(); // sparse: costs no disk
    for (spec, needle) in [
        ("txt: {one_of_file: /dev/zero}", "not a regular file"),
        ("txt: {one_of_file: fixtures/zero}", "not a regular file"),
        ("txt: {one_of_file: fixtures/pipe}", "not a regular file"),
        ("txt: {one_of_file: fixtures/dir}", "not a regular file"),
        (
            "txt: {one_of_file: fixtures/zero, column: a}",
            "not a regular file",
        ),
        ("txt: {one_of_file: fixtures/big.txt}", "larger than"),
    ] {
        std::fs::write(p.join("seeds/dev.yaml"), profile_t("3", &[spec])).unwrap();
        invalid(&seed(p, &url, &[]), &["dev.yaml:5:", needle]);
    }
    // The CSV of a table's `import:`, relative to the profile.
    for csv in ["../fixtures/pipe", "../fixtures/zero", "../fixtures/dir"] {
        let profile = format!("tables:\n  t:\n    import: {{file: {csv}}}\n");
        std::fs::write(p.join("seeds/dev.yaml"), profile).unwrap();
        let out = seed(p, &url, &[]);
        assert!(!out.status.success(), "{csv}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{csv}: {}",
            stderr(&out)
        );
    }
    // The profile itself.
    std::fs::remove_file(p.join("seeds/dev.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.join("seeds/dev.yaml")).unwrap();
    invalid(&seed(p, &url, &[]), &["dev.yaml", "not a regular file"]);
    std::fs::remove_file(p.join("seeds/dev.yaml")).unwrap();
    std::os::unix::fs::symlink(&fifo, p.join("seeds/dev.yaml")).unwrap();
    invalid(&seed(p, &url, &[]), &["dev.yaml", "not a regular file"]);
}

/// The advisory lock key of `strata seed` ("STRATASD"), distinct from
/// the migration lock's.
const SEED_LOCK_KEY: i64 = 0x5354_5241_5441_5344;

/// A test holding the seed lock makes a seed wait.
async fn hold_seed_lock(client: &Client) {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&SEED_LOCK_KEY])
        .await
        .unwrap();
}

#[tokio::test]
async fn concurrent_seeds_wait_for_each_other() {
    let (db, client, url) = setup("hostile_lock").await;
    let profile = "tables:\n  t:\n    rows: 20000\n  kids:\n    per_parent: {t: 1..3}\n";
    let dir = project(profile);
    assert_eq!(SEED_LOCK_KEY, strata::seed::lock::KEY);
    assert_ne!(SEED_LOCK_KEY, strata::migrate::lock::KEY);
    // Held by someone else: the seed says it waits, and does not load.
    let other = db.target.connect().await.unwrap();
    hold_seed_lock(&other).await;
    let mut c = strata(dir.path());
    c.args(["seed", "--database-url", &url, "--force"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert!(child.try_wait().unwrap().is_none(), "the seed did not wait");
    let n = common::strings(&client, "SELECT count(*)::text FROM t").await;
    assert_eq!(n, vec!["0"]);
    other
        .execute("SELECT pg_advisory_unlock($1)", &[&SEED_LOCK_KEY])
        .await
        .unwrap();
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(t0.elapsed() < Duration::from_secs(120), "seed hung");
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    ok(&out);
    assert!(stderr(&out).contains("waiting"), "{}", stderr(&out));

    // Two real runs at once, the second started a little later each round
    // so that its catalog reads meet the first's commit (without the lock:
    // "cache lookup failed for attribute 1 of relation …"). Both succeed,
    // the tables hold one run's rows.
    for round in 0..12 {
        let spawn = || {
            let mut c = strata(dir.path());
            c.args(["seed", "--database-url", &url, "--force"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn();
        std::thread::sleep(Duration::from_millis(round * 97));
        let b = spawn();
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(
            a.status.success() && b.status.success(),
            "round {round}:\nA: {}\nB: {}",
            stderr(&a),
            stderr(&b)
        );
        let n = common::strings(&client, "SELECT count(*)::text FROM t").await;
        assert_eq!(n, vec!["20000"]);
    }
}
