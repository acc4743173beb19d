//! `strata import --resume` and `--jobs` against a real PostgreSQL,
//! through the binary: an import SIGKILLed in the middle and re-run with
//! the same id ends with every good row loaded exactly once and every bad
//! row in the rejects file exactly once, byte for byte, in input order.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::import_out::counts;
use common::runner::{strata, text};
use common::{exec, fresh_db, strings};
use tokio_postgres::Client;

const SCHEMA: &str = "CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, qty int, note text)";
const HEADER: &[u8] = b"id,name,qty,note\n";
const ROWS: u32 = 300_000;
const BATCH: &str = "2000";

/// A generated input: its bytes, and what must come of it.
struct Input {
    bytes: Vec<u8>,
    /// Ids of the good rows, sorted.
    good: Vec<i32>,
    /// The rejects file expected: the header, then the bad records' bytes.
    rejects: Vec<u8>,
    /// Their lines, in input order.
    lines: Vec<u64>,
}

/// `ROWS` rows; every 997th has a non-numeric qty, every 1499th an empty
/// (NULL) name, every 211th a quoted note spanning two lines; with `dups`,
/// after every 4999th row a copy of the id 2500 rows back (another
/// batch), which the server refuses.
fn input(dups: bool) -> Input {
    let mut inp = Input {
        bytes: HEADER.to_vec(),
        good: Vec::new(),
        rejects: HEADER.to_vec(),
        lines: Vec::new(),
    };
    let mut line = 2;
    let bad = |i: u32| i.is_multiple_of(997) || i.is_multiple_of(1499);
    for i in 1..=ROWS {
        let qty = if i.is_multiple_of(997) {
            format!("x{i}")
        } else {
            (i % 1000).to_string()
        };
        let name = if i.is_multiple_of(1499) {
            String::new()
        } else {
            format!("n{i}")
        };
        let note = if i.is_multiple_of(211) {
            format!("\"two\nlines, {i}\"")
        } else {
            format!("note {i}")
        };
        let mut rows = vec![(format!("{i},{name},{qty},{note}\n"), bad(i), i)];
        let twin = i.wrapping_sub(2500);
        if dups && i.is_multiple_of(4999) && !bad(twin) {
            rows.push((format!("{twin},dup,1,again\n"), true, twin));
        }
        for (row, is_bad, id) in rows {
            if is_bad {
                inp.rejects.extend_from_slice(row.as_bytes());
                inp.lines.push(line);
            } else {
                inp.good.push(id as i32);
            }
            inp.bytes.extend_from_slice(row.as_bytes());
            line += row.matches('\n').count() as u64;
        }
    }
    inp.good.sort();
    inp
}

fn gzip(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b).unwrap();
    gz.finish().unwrap()
}

/// `strata import t FILE --database-url URL --batch-size 2000 EXTRA…`
fn import(url: &str, file: &Path, extra: &[&str]) -> std::process::Command {
    let mut c = strata();
    c.args(["import", "t"])
        .arg(file)
        .args(["--database-url", url, "--batch-size", BATCH])
        .args(extra);
    c
}

fn run(url: &str, file: &Path, extra: &[&str]) -> Output {
    import(url, file, extra).output().unwrap()
}

/// Committed batch rows of import `id` (0 before the table exists).
async fn committed(client: &Client, id: &str) -> u64 {
    let sql = "SELECT count(*) FROM strata_import_progress WHERE import_id = $1 AND NOT done";
    match client.query_one(sql, &[&id]).await {
        Ok(row) => row.get::<_, i64>(0) as u64,
        Err(_) => 0,
    }
}

/// Start the import, SIGKILL it once a few batches have committed, and
/// return how many had: at least one, and not all of them.
async fn import_and_kill(client: &Client, url: &str, file: &Path, extra: &[&str]) -> u64 {
    let mut child = import(url, file, extra)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while committed(client, "job1").await < 30 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        assert!(Instant::now() < deadline, "no batch committed in time");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let n = committed(client, "job1").await;
    let all = ROWS as u64 / 2000;
    assert!(
        n >= 1 && n < all,
        "{n} of about {all} batches committed before the kill"
    );
    eprintln!("killed after {n} of about {all} batches");
    n
}

async fn ids(client: &Client) -> Vec<i32> {
    let all = strings(client, "SELECT id::text FROM t").await;
    let mut ids: Vec<i32> = all.iter().map(|s| s.parse().unwrap()).collect();
    ids.sort();
    ids
}

fn sidecar_lines(rejects: &Path) -> Vec<u64> {
    let mut p = rejects.as_os_str().to_owned();
    p.push(".errors.csv");
    let mut r = csv::Reader::from_path(PathBuf::from(p)).unwrap();
    r.records()
        .map(|rec| rec.unwrap()[0].parse().unwrap())
        .collect()
}

/// After the import finished: the table, the rejects file, its sidecar
/// and the summary are exactly what `want` says.
async fn assert_outcome(client: &Client, out: &Output, want: &Input, rejects: &Path) {
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    let got = ids(client).await;
    // Sorted: equal vectors = the same ids, each as often.
    assert_eq!(got.len(), want.good.len(), "row count");
    if got != want.good {
        let extra: Vec<_> = got
            .iter()
            .filter(|i| want.good.binary_search(i).is_err())
            .take(5)
            .collect();
        let missing: Vec<_> = want
            .good
            .iter()
            .filter(|i| got.binary_search(i).is_err())
            .take(5)
            .collect();
        panic!(
            "loaded ids differ: unexpected {extra:?}, missing {missing:?}\n{}",
            text(&out.stderr)
        );
    }
    let file = std::fs::read(rejects).unwrap();
    assert!(
        file == want.rejects,
        "rejects file differs:\n{}",
        text(&file)
    );
    assert_eq!(sidecar_lines(rejects), want.lines);
    let bad = want.lines.len() as u64;
    let read = want.good.len() as u64 + bad;
    assert_eq!(
        counts(out),
        (read, want.good.len() as u64, bad),
        "{}",
        text(&out.stderr)
    );
}

/// Kill mid-way, resume, check; `name` is the input's file name.
async fn crash_and_resume(bytes: &[u8], name: &str, want: &Input, extra: &[&str]) {
    let (db, client) = fresh_db("resume").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut args = vec!["--resume", "job1"];
    args.extend_from_slice(extra);
    import_and_kill(&client, &url, &file, &args).await;
    let out = run(&url, &file, &args);
    let rejects = dir.path().join(format!("{name}.rejects.csv"));
    assert_outcome(&client, &out, want, &rejects).await;
    let done =
        "SELECT count(*)::text FROM strata_import_progress WHERE import_id = 'job1' AND done";
    assert_eq!(strings(&client, done).await, ["1"]);
}

#[tokio::test]
async fn killed_import_resumes_with_every_row_once() {
    let want = input(true);
    crash_and_resume(&want.bytes, "in.csv", &want, &[]).await;
}

#[tokio::test]
async fn killed_gzip_import_resumes() {
    let want = input(true);
    crash_and_resume(&gzip(&want.bytes), "in.csv.gz", &want, &[]).await;
}

#[tokio::test]
async fn killed_import_with_jobs_resumes() {
    // Concurrent batches commit out of order: the committed ranges may
    // have gaps, which the resumed run fills.
    let want = input(false);
    crash_and_resume(&want.bytes, "in.csv", &want, &["--jobs", "3"]).await;
}

#[tokio::test]
async fn resuming_a_finished_import_loads_nothing() {
    let want = input(true);
    let (db, client) = fresh_db("resume_done").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, &want.bytes).unwrap();
    let first = run(&url, &file, &["--resume", "job1"]);
    let rejects = dir.path().join("in.csv.rejects.csv");
    assert_outcome(&client, &first, &want, &rejects).await;
    exec(&client, "TRUNCATE t").await;
    std::fs::remove_file(&rejects).unwrap();
    let again = run(&url, &file, &["--resume", "job1"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stderr).contains("already complete: read "),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(counts(&again), counts(&first));
    assert!(
        ids(&client).await.is_empty(),
        "a finished import loaded rows again"
    );
    // The rejects file is rebuilt from what was committed.
    assert!(std::fs::read(&rejects).unwrap() == want.rejects);
}

#[tokio::test]
async fn resuming_with_another_input_is_refused() {
    let (db, client) = fresh_db("resume_other").await;
    exec(&client, SCHEMA).await;
    exec(&client, "CREATE TABLE u (LIKE t)").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, "id,name,qty,note\n1,a,1,x\n2,b,2,y\n").unwrap();
    assert!(run(&url, &file, &["--resume", "j"]).status.success());
    exec(&client, "TRUNCATE t").await;
    let refused = |out: &Output, what: &str| {
        assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains("--resume j: not the input") && err.contains(what),
            "{err}"
        );
    };
    // Same size, other bytes.
    std::fs::write(&file, "id,name,qty,note\n1,a,1,x\n3,b,2,y\n").unwrap();
    refused(
        &run(&url, &file, &["--resume", "j"]),
        "first MiB of the input differs",
    );
    // Another size.
    std::fs::write(&file, "id,name,qty,note\n1,a,1,x\n").unwrap();
    refused(
        &run(&url, &file, &["--resume", "j"]),
        "file size 25 bytes now, 33 bytes then",
    );
    // Another table.
    std::fs::write(&file, "id,name,qty,note\n1,a,1,x\n2,b,2,y\n").unwrap();
    let mut other = strata();
    other.args(["import", "u"]).arg(&file);
    let out = other
        .args(["--database-url", &url, "--resume", "j"])
        .output()
        .unwrap();
    refused(&out, "table u now, t then");
    assert!(ids(&client).await.is_empty());
    assert!(strings(&client, "SELECT id::text FROM u").await.is_empty());
}

#[tokio::test]
async fn jobs_load_the_same_rows_as_one_job() {
    let want = input(false);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, &want.bytes).unwrap();
    let rejects = dir.path().join("in.csv.rejects.csv");
    let mut tables = Vec::new();
    for jobs in ["1", "4"] {
        let (db, client) = fresh_db("jobs").await;
        exec(&client, SCHEMA).await;
        let out = run(&db.target.url(), &file, &["--jobs", jobs]);
        assert_outcome(&client, &out, &want, &rejects).await;
        let all = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM t";
        tables.push(strings(&client, all).await);
    }
    assert_eq!(tables[0], tables[1]);
}

#[tokio::test]
async fn resume_conflicts_with_single_transaction_and_dry_run() {
    for flag in ["--single-transaction", "--dry-run"] {
        let out = strata()
            .args(["import", "t", "x.csv", "--resume", "a", flag])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(64), "{flag}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("cannot be used with"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[tokio::test]
async fn concurrent_batches_with_crossed_duplicates() {
    // Two batches: ids 1..=200 ascending, then the same ids descending.
    // Two jobs load them at once, each row slowed down by a trigger so
    // the COPYs overlap: they meet in the middle, each waiting for a key
    // the other inserted, and the server aborts one (deadlock). That one
    // is retried once the other committed and its rows, duplicates by
    // then, are rejected: each id loaded once and rejected once.
    let (db, client) = fresh_db("jobs_dups").await;
    exec(&client, SCHEMA).await;
    exec(
        &client,
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(0.004); RETURN NEW; END $$;
         CREATE TRIGGER slow BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION slow();",
    )
    .await;
    let mut bytes = HEADER.to_vec();
    let all: Vec<i32> = (1..=200).collect();
    for &i in all.iter().chain(all.iter().rev()) {
        bytes.extend_from_slice(format!("{i},n{i},1,x\n").as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, &bytes).unwrap();
    let url = db.target.url();
    let out = strata()
        .args(["import", "t"])
        .arg(&file)
        .args(["--database-url", &url, "--batch-size", "200", "--jobs", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(counts(&out), (400, 200, 200), "{}", text(&out.stderr));
    assert_eq!(ids(&client).await, all);
    let rejects = dir.path().join("in.csv.rejects.csv");
    let mut rejected: Vec<i32> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let lines = sidecar_lines(&rejects);
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "rejects not in input order"
    );
    rejected.sort();
    assert_eq!(rejected, all);
    let deadlocks =
        "SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()";
    let n: u64 = strings(&client, deadlocks).await[0].parse().unwrap();
    assert!(
        n >= 1,
        "the batches did not deadlock: the retry went untested"
    );
}

#[tokio::test]
async fn a_running_import_id_cannot_be_run_twice() {
    let (db, client) = fresh_db("resume_twice").await;
    exec(&client, SCHEMA).await;
    // Slow rows keep the first run going while the second starts.
    exec(
        &client,
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$;
         CREATE TRIGGER slow BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION slow();",
    )
    .await;
    let mut bytes = HEADER.to_vec();
    for i in 1..=3000 {
        bytes.extend_from_slice(format!("{i},n{i},1,x\n").as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, &bytes).unwrap();
    let url = db.target.url();
    let first = strata()
        .args(["import", "t"])
        .arg(&file)
        .args([
            "--database-url",
            &url,
            "--batch-size",
            "100",
            "--resume",
            "job1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(&client, "job1").await < 1 {
        assert!(Instant::now() < deadline, "no batch committed in time");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let second = run(&url, &file, &["--resume", "job1"]);
    assert_eq!(second.status.code(), Some(4), "{}", text(&second.stderr));
    let err = text(&second.stderr);
    assert!(
        err.contains("another strata import with this id is running"),
        "{err}"
    );
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(counts(&first), (3000, 3000, 0));
    assert_eq!(ids(&client).await, (1..=3000).collect::<Vec<i32>>());
}

#[tokio::test]
async fn jobs_fall_back_to_one_where_batches_cannot_run_concurrently() {
    let (db, client) = fresh_db("jobs_one").await;
    exec(
        &client,
        "CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree(id))",
    )
    .await;
    exec(&client, SCHEMA).await;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree.csv");
    std::fs::write(&tree, "id,parent\n1,\n2,1\n3,2\n").unwrap();
    let url = db.target.url();
    let out = strata()
        .args(["import", "tree"])
        .arg(&tree)
        .args(["--database-url", &url, "--jobs", "4", "--batch-size", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("--jobs 4 ignored, loading with 1: the table has a foreign key to itself"),
        "{err}"
    );
    assert_eq!(counts(&out), (3, 3, 0));
    let file = dir.path().join("t.csv");
    std::fs::write(&file, "id,name,qty,note\n1,a,1,x\n").unwrap();
    let out = run(&url, &file, &["--jobs", "2", "--single-transaction"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--jobs 2 ignored, loading with 1: one transaction"));
    assert_eq!(ids(&client).await, [1]);
}
