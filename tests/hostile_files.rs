//! Hostile paths and hostile inputs for the files strata reads and writes
//! (issue 10, items 2 and 4): a rejects file (or its sidecar) that names
//! the input, a symlink planted where strata writes, an unwritable rejects
//! path, a record larger than memory should hold, a gzip bomb, a device
//! file as input — and the other files strata writes (strata.sum, the
//! init scaffold, the `--backup` dump, pull's YAML, seed import rejects).

mod common;

use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::import_out::{counts, read_errors};
use common::runner::{strata, text};
use common::{exec, fresh_db, strings};

const SCHEMA: &str = "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL);";

/// `id,v` and rows 1..=n, row `bad` (if any) with an empty (NOT NULL) `v`.
fn csv(n: u32, bad: Option<u32>) -> Vec<u8> {
    let mut s = String::from("id,v\n");
    for i in 1..=n {
        if Some(i) == bad {
            s.push_str(&format!("{i},\n"));
        } else {
            s.push_str(&format!("{i},value {i}\n"));
        }
    }
    s.into_bytes()
}

fn import(db_url: &str, dir: &Path, file: &str, extra: &[&str]) -> Output {
    strata()
        .current_dir(dir)
        .args(["import", "t", file, "--database-url", db_url])
        .args(extra)
        .output()
        .unwrap()
}

async fn ids(client: &tokio_postgres::Client) -> Vec<i32> {
    let mut v: Vec<i32> = strings(client, "SELECT id::text FROM t")
        .await
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    v.sort();
    v
}

/// Every way of naming the input as the rejects file (or as its sidecar)
/// is refused before anything is read: the input stays byte for byte,
/// nothing is loaded, the message says why.
#[tokio::test]
async fn a_rejects_file_or_sidecar_that_is_the_input_is_refused() {
    let (db, client) = fresh_db("hf_same").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Big enough that a truncating writer would be caught mid-read.
    let body = csv(20_000, Some(3));
    let input = d.join("in.csv");
    std::fs::write(&input, &body).unwrap();
    std::fs::hard_link(&input, d.join("hard.csv")).unwrap();
    symlink(&input, d.join("soft.csv")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    // `--rejects r` writes `r.errors.csv` too: an input of that name.
    std::fs::write(d.join("r.errors.csv"), &body).unwrap();
    let cases: Vec<(&str, Vec<&str>, &Path)> = vec![
        ("same path", vec!["--rejects", "in.csv"], &input),
        ("./ spelling", vec!["--rejects", "./in.csv"], &input),
        ("through ..", vec!["--rejects", "sub/../in.csv"], &input),
        (
            "absolute",
            vec!["--rejects", input.to_str().unwrap()],
            &input,
        ),
        ("hard link", vec!["--rejects", "hard.csv"], &input),
        ("symlink", vec!["--rejects", "soft.csv"], &input),
    ];
    for (what, args, file) in cases {
        let out = import(&url, d, "in.csv", &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains("is the input"), "{what}: {err}");
        assert_eq!(std::fs::read(file).unwrap(), body, "{what}: input changed");
        assert!(ids(&client).await.is_empty(), "{what}: rows loaded");
    }
    // The sidecar is the input.
    let out = import(&url, d, "r.errors.csv", &["--rejects", "r"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "sidecar: {err}");
    assert!(err.contains("is the input"), "sidecar: {err}");
    assert_eq!(std::fs::read(d.join("r.errors.csv")).unwrap(), body);
    assert!(ids(&client).await.is_empty());
    // Stdin redirected from the default rejects file of stdin.
    std::fs::write(d.join("rejects.csv"), &body).unwrap();
    let out = strata()
        .current_dir(d)
        .args(["import", "t", "-", "--database-url", &url])
        .stdin(std::fs::File::open(d.join("rejects.csv")).unwrap())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stdin: {err}");
    assert!(err.contains("is the input"), "stdin: {err}");
    assert_eq!(std::fs::read(d.join("rejects.csv")).unwrap(), body);
    assert!(ids(&client).await.is_empty());
}

/// Symlinks planted at the default rejects and sidecar paths (beside the
/// input, in a directory others may write to) are replaced, never
/// followed: their targets stay as they were, or are not created.
#[tokio::test]
async fn symlinks_planted_at_the_rejects_paths_are_not_followed() {
    let (db, client) = fresh_db("hf_link").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victims = tempfile::tempdir().unwrap();
    let victim = victims.path().join("precious");
    std::fs::write(&victim, "precious\n").unwrap();
    let absent = victims.path().join("created-by-strata");
    std::fs::write(d.join("in.csv"), csv(10, Some(4))).unwrap();
    symlink(&victim, d.join("in.csv.rejects.csv")).unwrap();
    symlink(&absent, d.join("in.csv.rejects.csv.errors.csv")).unwrap();
    let out = import(&url, d, "in.csv", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(counts(&out), (10, 9, 1));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!absent.exists(), "a dangling symlink was followed");
    let rejects = d.join("in.csv.rejects.csv");
    assert!(!rejects.symlink_metadata().unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "id,v\n4,\n");
    let errors = read_errors(&d.join("in.csv.rejects.csv.errors.csv"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 5);
    // Nothing else left beside them (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "in.csv",
            "in.csv.rejects.csv",
            "in.csv.rejects.csv.errors.csv"
        ]
    );
    // Streams are written as they are, never removed or replaced:
    // /dev/null (here through a symlink, so the sidecar lands in the
    // temporary directory), /dev/stdout.
    symlink("/dev/null", d.join("null")).unwrap();
    symlink("/dev/stdout", d.join("out")).unwrap();
    exec(&client, "TRUNCATE t").await;
    let out = import(&url, d, "in.csv", &["--rejects", "null"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(d.join("null").symlink_metadata().unwrap().is_symlink());
    assert!(std::fs::read_to_string(d.join("null.errors.csv"))
        .unwrap()
        .contains("\n5,v,"));
    exec(&client, "TRUNCATE t").await;
    let out = import(&url, d, "in.csv", &["--rejects", "out"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "id,v\n4,\n");
    for dev in ["/dev/null", "/dev/stdout"] {
        assert!(std::fs::metadata(dev).is_ok(), "{dev} is gone");
    }
    for f in ["null", "null.errors.csv", "out", "out.errors.csv"] {
        std::fs::remove_file(d.join(f)).unwrap();
    }
    // A run without rejects leaves no file behind either.
    let clean = d.join("clean.csv");
    std::fs::write(&clean, "id,v\n100,x\n").unwrap();
    let out = import(&url, d, "clean.csv", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!d.join("clean.csv.rejects.csv").exists());
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 4);
    drop(client);
}

/// A rejects path that cannot be written is found before the first batch
/// commits: exit 1, the path named, nothing loaded — even though the
/// first reject comes only after several committed batches' worth of rows.
#[tokio::test]
async fn an_unwritable_rejects_path_fails_before_anything_is_loaded() {
    let (db, client) = fresh_db("hf_unwr").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.csv"), csv(50, Some(45))).unwrap();
    std::fs::create_dir(d.join("a-directory")).unwrap();
    std::fs::create_dir(d.join("sidecar-dir")).unwrap();
    std::fs::create_dir(d.join("sidecar-dir/r.csv.errors.csv")).unwrap();
    let fifo = std::ffi::CString::new(d.join("fifo").to_str().unwrap()).unwrap();
    // SAFETY: a plain libc call with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let cases = [
        // Opened without waiting for a reader: an error, not a hang.
        ("a FIFO nobody reads", "fifo"),
        ("missing directory", "no/such/dir/r.csv"),
        ("a directory", "a-directory"),
        ("sidecar is a directory", "sidecar-dir/r.csv"),
        // Not writable even for root.
        ("read-only file system", "/proc/strata-rejects.csv"),
    ];
    for (what, path) in cases {
        let out = import(&url, d, "in.csv", &["--rejects", path, "--batch-size", "5"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains("rejects"), "{what}: {err}");
        assert!(ids(&client).await.is_empty(), "{what}: rows loaded\n{err}");
    }
    // The same through an import spec's `rejects:`.
    std::fs::write(
        d.join("spec.yaml"),
        "table: t\nfile: in.csv\nrejects: no/such/dir/r.csv\nbatch_size: 5\n",
    )
    .unwrap();
    let out = strata()
        .current_dir(d)
        .args(["import", "--spec", "spec.yaml", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(ids(&client).await.is_empty());
}

/// A record over the maximum record size is a reject with a reason (its
/// bytes, which may be more than memory, are not copied to the rejects
/// file; the sidecar says where it is), and the records after it load,
/// with the right line numbers.
#[tokio::test]
async fn an_oversized_record_is_a_reject_and_the_rows_after_it_load() {
    let (db, client) = fresh_db("hf_big").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut input = b"id,v\n1,a\n2,b\n".to_vec();
    let big_at = input.len();
    input.extend_from_slice(format!("3,{}\n", "x".repeat(5000)).as_bytes());
    input.extend_from_slice(b"4,d\n");
    // A quoted field over several lines, also oversized.
    input.extend_from_slice(format!("5,\"{}\"\n", "y\n".repeat(3000)).as_bytes());
    input.extend_from_slice(b"6,\n7,g\n");
    // Fields that are nearly all delimiters (a field count flood).
    input.extend_from_slice(format!("8{}\n9,i\n", ",".repeat(4000)).as_bytes());
    std::fs::write(d.join("in.csv"), &input).unwrap();
    for args in [
        vec!["--max-record-bytes", "1000"],
        vec!["--spec", "spec.yaml"],
    ] {
        exec(&client, "TRUNCATE t").await;
        std::fs::write(d.join("spec.yaml"), "max_record_bytes: 1000\n").unwrap();
        let out = import(&url, d, "in.csv", &args);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(counts(&out), (9, 5, 4), "{err}");
        assert_eq!(ids(&client).await, vec![1, 2, 4, 7, 9]);
        // Only the record that fits is copied; the oversized ones are
        // in the sidecar with their place in the input.
        let rejects = std::fs::read_to_string(d.join("in.csv.rejects.csv")).unwrap();
        assert_eq!(rejects, "id,v\n6,\n");
        let errors = read_errors(&d.join("in.csv.rejects.csv.errors.csv"));
        let lines: Vec<u64> = errors.iter().map(|e| e.0).collect();
        assert_eq!(lines, vec![4, 6, 3007, 3009], "{errors:?}");
        assert!(
            errors[0].2.contains("5003 bytes")
                && errors[0].2.contains("maximum record size of 1000 bytes")
                && errors[0].2.contains(&format!("byte {big_at}"))
                && errors[0].2.contains("not copied to the rejects file"),
            "{errors:?}"
        );
        assert!(errors[3].2.contains("maximum record size"), "{errors:?}");
    }
    // An oversized header is an error, not a crash.
    std::fs::write(
        d.join("wide.csv"),
        format!("id,{}\n1,a\n", "v".repeat(2000)),
    )
    .unwrap();
    let out = import(&url, d, "wide.csv", &["--max-record-bytes", "1000"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("header"), "{err}");
    // Bad values of the limit.
    for bad in ["0", "2000000000"] {
        let out = import(&url, d, "in.csv", &["--max-record-bytes", bad]);
        assert_ne!(out.status.code(), Some(0), "{bad}");
    }
    std::fs::write(d.join("spec.yaml"), "max_record_bytes: 0\n").unwrap();
    let out = import(&url, d, "in.csv", &["--spec", "spec.yaml"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("spec.yaml:1:"), "{err}");
}

/// Run `cmd`, watching its peak resident memory (KiB): `VmHWM` of
/// /proc/PID/status, polled until it exits (monotonic, so the last read
/// holds every earlier peak). Not `wait4`'s `ru_maxrss`: that also counts
/// this test process's own peak, which the child shares until its exec.
fn run_measured(mut cmd: Command) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        let status = std::fs::read_to_string(&status_file).unwrap_or_default();
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        peak = peak.max(hwm.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(2));
    }
    (child.wait_with_output().unwrap(), peak)
}

/// A small gzip file that decompresses to one 96 MiB record: memory
/// stays bounded by the record limit, the record is a reject, the rows
/// after it load.
#[tokio::test]
async fn a_gzip_bomb_stays_within_the_record_limit() {
    let (db, client) = fresh_db("hf_bomb").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"id,v\n1,a\n2,").unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..96 {
        gz.write_all(&zeros).unwrap();
    }
    gz.write_all(b"\n3,c\n").unwrap();
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    std::fs::write(&file, bytes).unwrap();
    let mut cmd = strata();
    cmd.args(["import", "t"]).arg(&file).args([
        "--database-url",
        &url,
        "--max-record-bytes",
        "1048576",
    ]);
    let (out, peak_kib) = run_measured(cmd);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&out), (3, 2, 1), "{err}");
    assert_eq!(ids(&client).await, vec![1, 3]);
    eprintln!("gzip bomb (96 MiB record, 1 MiB limit): peak RSS {peak_kib} KiB");
    assert!(peak_kib < 80 * 1024, "peak RSS {peak_kib} KiB");
}

/// Run `cmd`, killing it after `limit`: (output, timed out).
fn run_with_timeout(mut cmd: Command, limit: Duration) -> (Output, bool) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let mut timed_out = false;
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > limit {
            child.kill().unwrap();
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (child.wait_with_output().unwrap(), timed_out)
}

/// Device files and directories are not inputs: refused at once with a
/// clear error (not read until memory runs out, not read forever).
#[tokio::test]
async fn device_files_and_directories_are_refused_as_input() {
    let (db, client) = fresh_db("hf_dev").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    symlink("/dev/zero", d.join("zero.csv")).unwrap();
    for file in ["/dev/zero", "/dev/urandom", "zero.csv", "."] {
        let mut cmd = strata();
        cmd.current_dir(d)
            .args(["import", "t", file, "--database-url", &url]);
        let (out, timed_out) = run_with_timeout(cmd, Duration::from_secs(30));
        let err = text(&out.stderr);
        assert!(!timed_out, "{file}: still running after 30 s");
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.contains("not a regular file or a FIFO"),
            "{file}: {err}"
        );
    }
    // Stdin from /dev/zero: the same.
    let mut cmd = strata();
    cmd.current_dir(d)
        .args(["import", "t", "-", "--database-url", &url])
        .stdin(std::fs::File::open("/dev/zero").unwrap());
    let (out, timed_out) = run_with_timeout(cmd, Duration::from_secs(30));
    let err = text(&out.stderr);
    assert!(!timed_out, "stdin /dev/zero: still running after 30 s");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // A pipe is fine, and so is stdin from /dev/null (empty input).
    let mut cmd = strata();
    cmd.current_dir(d)
        .args(["import", "t", "-", "--database-url", &url])
        .stdin(Stdio::piped());
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"id,v\n1,a\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = strata()
        .current_dir(d)
        .args(["import", "t", "-", "--database-url", &url])
        .stdin(std::fs::File::open("/dev/null").unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(ids(&client).await, vec![1]);
}

/// A seed profile's `import:` writes its rejects beside its CSV: a
/// symlink planted there is not followed, a rejects path naming the CSV
/// is refused.
#[tokio::test]
async fn seed_imports_do_not_follow_planted_symlinks_or_clobber_their_csv() {
    let (db, client) = fresh_db("hf_seed").await;
    exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("seeds")).unwrap();
    std::fs::create_dir(d.join("fixtures")).unwrap();
    let body = csv(5, Some(2));
    std::fs::write(d.join("fixtures/t.csv"), &body).unwrap();
    let victims = tempfile::tempdir().unwrap();
    let victim = victims.path().join("precious");
    std::fs::write(&victim, "precious\n").unwrap();
    symlink(&victim, d.join("fixtures/t.csv.rejects.csv")).unwrap();
    let seed = |profile: &str| {
        std::fs::write(d.join("seeds/dev.yaml"), profile).unwrap();
        strata()
            .current_dir(d)
            .args(["seed", "--force", "--database-url", &url])
            .output()
            .unwrap()
    };
    let out = seed("seed: 1\ntables:\n  t:\n    import:\n      file: ../fixtures/t.csv\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let rejects = d.join("fixtures/t.csv.rejects.csv");
    assert!(!rejects.symlink_metadata().unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "id,v\n2,\n");
    let out = seed(
        "seed: 1\ntables:\n  t:\n    import:\n      file: ../fixtures/t.csv\n      rejects: ../fixtures/t.csv\n",
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is the input"), "{err}");
    assert_eq!(std::fs::read(d.join("fixtures/t.csv")).unwrap(), body);
}

/// `rehash` writes strata.sum by replacing it: a symlink planted there
/// is replaced, its target untouched.
#[test]
fn rehash_does_not_follow_a_symlink_at_strata_sum() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("V1__a.sql"), "CREATE TABLE a (id int);\n").unwrap();
    let victims = tempfile::tempdir().unwrap();
    let victim = victims.path().join("precious");
    std::fs::write(&victim, "precious\n").unwrap();
    symlink(&victim, m.join("strata.sum")).unwrap();
    let out = strata()
        .args(["rehash", "--migrations"])
        .arg(&m)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let sum = m.join("strata.sum");
    assert!(!sum.symlink_metadata().unwrap().is_symlink());
    assert!(std::fs::read_to_string(&sum)
        .unwrap()
        .starts_with("strata-sum v1"));
}

/// `init` never writes through a symlink, dangling or not: such a path
/// counts as existing and is left alone.
#[test]
fn init_does_not_follow_dangling_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let victims = tempfile::tempdir().unwrap();
    let absent = victims.path().join("created-by-strata");
    symlink(&absent, dir.path().join("strata.yaml")).unwrap();
    let out = strata()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!absent.exists(), "init wrote through a dangling symlink");
    assert!(text(&out.stderr).contains("exists, left alone"));
    assert!(dir.path().join("schema/example.yaml").is_file());
}

/// The `--backup` dump is created by strata (create-new), not opened by
/// pg_dump by name: a symlink planted at the (predictable) dump name
/// makes the backup fail instead of overwriting its target.
#[tokio::test]
async fn a_backup_does_not_follow_a_planted_symlink() {
    let (db, client) = fresh_db("hf_backup").await;
    let url = db.target.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("V1__a.sql"), "CREATE TABLE a (id int);\n").unwrap();
    let backups = tempfile::tempdir().unwrap();
    let victims = tempfile::tempdir().unwrap();
    let victim = victims.path().join("precious");
    std::fs::write(&victim, "precious\n").unwrap();
    let name = db.name.clone();
    // Names for the next seconds: the dump's name holds a timestamp.
    let now = chrono::Utc::now();
    for s in -2..30 {
        let stamp = (now + chrono::Duration::seconds(s)).format("%Y%m%dT%H%M%SZ");
        let link: PathBuf = backups
            .path()
            .join(format!("{name}-{stamp}-before-V1.dump"));
        symlink(&victim, link).unwrap();
    }
    let out = strata()
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .arg("--backup")
        .arg(backups.path())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing was applied"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let applied = client
        .query_one("SELECT to_regclass('a') IS NOT NULL", &[])
        .await
        .unwrap()
        .get::<_, bool>(0);
    assert!(!applied);
    // Without the links, the backup is a real dump.
    for e in std::fs::read_dir(backups.path()).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    let out = strata()
        .args(["migrate", "--database-url", &url, "--migrations"])
        .arg(dir.path())
        .arg("--backup")
        .arg(backups.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dumps: Vec<PathBuf> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dumps.len(), 1);
    let head = std::fs::read(&dumps[0]).unwrap();
    assert!(head.starts_with(b"PGDMP"), "not a custom-format dump");
}

/// `generate` writes the migration create-new, the down file and
/// strata.sum by replacing them: symlinks planted at the down file and at
/// strata.sum are replaced, their targets untouched.
#[test]
fn generate_does_not_write_through_planted_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = strata().current_dir(d).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let victims = tempfile::tempdir().unwrap();
    let (down_victim, sum_victim) = (
        victims.path().join("down-victim"),
        victims.path().join("sum-victim"),
    );
    std::fs::write(&down_victim, "precious\n").unwrap();
    std::fs::write(&sum_victim, "precious\n").unwrap();
    std::fs::create_dir_all(d.join("migrations/down")).unwrap();
    symlink(&down_victim, d.join("migrations/down/V1__initial.sql")).unwrap();
    let out = strata()
        .current_dir(d)
        .args(["generate", "initial"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&down_victim).unwrap(), "precious\n");
    for f in ["migrations/down/V1__initial.sql", "migrations/strata.sum"] {
        let m = d.join(f).symlink_metadata().unwrap();
        assert!(m.is_file(), "{f} is not a regular file");
    }
    // A strata.sum that is a symlink to something else: generate reads it
    // as the sum (refusing it as damaged) and never writes through it.
    std::fs::remove_file(d.join("migrations/strata.sum")).unwrap();
    symlink(&sum_victim, d.join("migrations/strata.sum")).unwrap();
    std::fs::write(
        d.join("schema/extra.yaml"),
        "tables:\n  extra:\n    columns:\n      id: int\n",
    )
    .unwrap();
    let out = strata()
        .current_dir(d)
        .args(["generate", "more"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&sum_victim).unwrap(), "precious\n");
    // (The migration file itself is created new — O_EXCL — so one that
    // appeared between listing and writing is an error, not overwritten:
    // a race, covered by files::tests rather than here.)
}

/// An import spec that is a device is refused, not read forever.
#[test]
fn an_import_spec_on_a_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    symlink("/dev/zero", dir.path().join("spec.yaml")).unwrap();
    let mut cmd = strata();
    cmd.current_dir(dir.path())
        .args(["import", "t", "x.csv", "--spec", "spec.yaml"])
        .args(["--database-url", "postgres://nobody@127.0.0.1:1/none"]);
    let (out, timed_out) = run_with_timeout(cmd, Duration::from_secs(30));
    let err = text(&out.stderr);
    assert!(!timed_out, "still reading after 30 s");
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}
