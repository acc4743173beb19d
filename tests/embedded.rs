//! The embedded cluster and scratch databases, against real PostgreSQL.
//!
//! Some tests re-run this test binary as a child process (an "owner"
//! strata process) via `child_process_entry`, selected by the
//! `STRATA_TEST_CHILD` environment variable; in a normal run that entry is
//! a no-op. Timings are printed (`--nocapture`), never asserted.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use strata::embedded::{Cluster, EmbeddedError, EmbeddedOptions};
use strata::scratch::ScratchServer;

fn start() -> Cluster {
    Cluster::start(&EmbeddedOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Pids of live (non-zombie) processes whose command line mentions `needle`
/// (the postmaster's does: `postgres -D <run dir>/data …`).
fn processes_mentioning(needle: &Path) -> Vec<i32> {
    let needle = needle.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().filter_map(Result::ok) {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmd)
            .replace('\0', " ")
            .contains(&needle)
        {
            out.push(pid);
        }
    }
    out
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn select_one(target: &strata::db::Target) -> i32 {
    let client = target.connect().await.unwrap_or_else(|e| panic!("{e}"));
    client.query_one("SELECT 1", &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn start_query_and_stop_leave_nothing_behind() {
    let c = start();
    println!("start took {:?} ({c:?})", c.startup_time());
    let run_dir = c.socket_dir().to_path_buf();
    let data = c.data_dir();
    assert!(run_dir.as_os_str().len() < 100, "socket path too long");
    assert!(processes_mentioning(&data).contains(&(c.pid() as i32)));
    let target = strata::db::Target::from_config(c.config("postgres"));
    assert_eq!(select_one(&target).await, 1);
    // The URL is what psql and `Target::parse` accept.
    let url = c.url("postgres");
    assert_eq!(
        select_one(&strata::db::Target::parse(&url).unwrap()).await,
        1
    );
    let psql = c.bindir().join("psql");
    if psql.exists() {
        let out = Command::new(psql)
            .args([url.as_str(), "-XAtc", "SELECT 40 + 2"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42", "{out:?}");
    }
    let t = Instant::now();
    c.stop().unwrap_or_else(|e| panic!("{e}"));
    println!("stop took {:?}", t.elapsed());
    assert!(processes_mentioning(&data).is_empty());
    assert!(!run_dir.exists());
}

#[test]
fn drop_stops_the_server_too() {
    let c = start();
    let (run_dir, data) = (c.socket_dir().to_path_buf(), c.data_dir());
    drop(c);
    assert!(processes_mentioning(&data).is_empty());
    assert!(!run_dir.exists());
}

#[tokio::test]
async fn two_clusters_run_side_by_side() {
    let (a, b) = (start(), start());
    assert_ne!(a.socket_dir(), b.socket_dir());
    let ca = strata::db::Target::from_config(a.config("postgres"));
    let cb = strata::db::Target::from_config(b.config("postgres"));
    let (ca, cb) = (ca.connect().await.unwrap(), cb.connect().await.unwrap());
    common::exec(&ca, "CREATE TABLE only_in_a (id int)").await;
    let n: i64 = cb
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    println!("{} {}", a.version(), b.version());
}

#[test]
fn startup_time_is_printed() {
    for i in 0..3 {
        let t = Instant::now();
        let c = start();
        let started = t.elapsed();
        drop(c);
        println!("start #{i}: {started:?} (start + stop {:?})", t.elapsed());
    }
}

#[test]
fn not_found_names_the_package_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let opts = EmbeddedOptions {
        bindir: Some(empty.path().to_path_buf()),
        ..Default::default()
    };
    let err = Cluster::start(&opts).unwrap_err();
    assert!(matches!(err, EmbeddedError::NotFound { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("apt-get install postgresql"), "{msg}");
    assert!(msg.contains(&empty.path().display().to_string()), "{msg}");
}

fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn uid_of(user: &str) -> u32 {
    let out = Command::new("id").args(["-u", user]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[tokio::test]
async fn as_root_the_server_runs_as_postgres() {
    if !is_root() {
        println!("not root: nothing to check");
        return;
    }
    let c = start();
    let client = strata::db::Target::from_config(c.config("postgres"))
        .connect()
        .await
        .unwrap();
    let dir: String = client
        .query_one("SELECT current_setting('data_directory')", &[])
        .await
        .unwrap()
        .get(0);
    use std::os::unix::fs::MetadataExt;
    let postgres = uid_of("postgres");
    assert_eq!(std::fs::metadata(&dir).unwrap().uid(), postgres);
    let status = std::fs::read_to_string(format!("/proc/{}/status", c.pid())).unwrap();
    let uid_line = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid_line
            .split_whitespace()
            .skip(1)
            .all(|u| u == postgres.to_string()),
        "{uid_line}"
    );
}

#[test]
fn as_root_a_missing_run_as_user_is_explained() {
    if !is_root() {
        return;
    }
    let opts = EmbeddedOptions {
        run_as: Some("no_such_strata_user".into()),
        ..Default::default()
    };
    let msg = Cluster::start(&opts).unwrap_err().to_string();
    assert!(
        msg.contains("no_such_strata_user") && msg.contains("STRATA_PG_USER"),
        "{msg}"
    );
}

/// As root, binaries the run-as user cannot reach (here: behind a 0700
/// directory, as under /root) are explained, not reported as a bare EACCES.
#[test]
fn as_root_binaries_the_server_user_cannot_reach_are_explained() {
    if !is_root() {
        return;
    }
    let real = strata::embedded::find_bindir(&Default::default()).unwrap();
    let hidden = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(hidden.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    for name in ["postgres", "initdb"] {
        std::os::unix::fs::symlink(real.join(name), hidden.path().join(name)).unwrap();
    }
    let opts = EmbeddedOptions {
        bindir: Some(hidden.path().to_path_buf()),
        ..Default::default()
    };
    let msg = Cluster::start(&opts).unwrap_err().to_string();
    assert!(
        msg.contains("cannot execute")
            && msg.contains("/root is not")
            && msg.contains("`postgres`"),
        "{msg}"
    );
}

// ---- scratch databases -------------------------------------------------

#[tokio::test]
async fn scratch_databases_are_created_and_dropped() {
    let server = common::server();
    let (a, ca) = common::fresh_db("it_scratch").await;
    let (b, _cb) = common::fresh_db("it_scratch").await;
    assert_ne!(a.name, b.name);
    assert!(a.name.starts_with(if server.is_embedded() {
        "it_scratch_"
    } else {
        "strata_tmp_it_scratch_"
    }));
    common::exec(&ca, "CREATE TABLE t (id int); INSERT INTO t VALUES (1)").await;
    let admin = server.admin_target().connect().await.unwrap();
    let exists = |name: String| {
        let admin = &admin;
        async move {
            admin
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(exists(a.name.clone()).await);
    // Dropping works while a session is still connected (FORCE).
    server.drop_database(&a).await.unwrap();
    assert!(!exists(a.name.clone()).await);
    server.drop_database(&b).await.unwrap();
    assert!(!exists(b.name.clone()).await);
}

#[tokio::test]
async fn create_database_strategies_timed() {
    let server = common::server();
    let ScratchServer::Embedded(c) = server else {
        println!("external server: nothing to time");
        return;
    };
    if c.major_version() < 15 {
        return;
    }
    let admin = server.admin_target().connect().await.unwrap();
    for strategy in ["WAL_LOG", "FILE_COPY", "WAL_LOG", "FILE_COPY"] {
        let t = Instant::now();
        for i in 0..5 {
            let name = format!(
                "timing_{}_{}_{i}",
                strategy.to_lowercase(),
                std::process::id()
            );
            common::exec(
                &admin,
                &format!("CREATE DATABASE {name} STRATEGY {strategy}"),
            )
            .await;
            common::exec(&admin, &format!("DROP DATABASE {name}")).await;
        }
        println!(
            "CREATE+DROP DATABASE STRATEGY {strategy}: {:?} each",
            t.elapsed() / 5
        );
    }
    let t = Instant::now();
    for _ in 0..5 {
        let db = server.create_database("timing").await.unwrap();
        server.drop_database(&db).await.unwrap();
    }
    println!(
        "create_database + drop_database: {:?} each",
        t.elapsed() / 5
    );
}

/// An embedded cluster used through its URL, the way `--dev-url` names a
/// server: exercises the external-server code paths.
fn external_on(c: &Cluster) -> ScratchServer {
    ScratchServer::start(Some(&c.url("postgres")), &EmbeddedOptions::default()).unwrap()
}

async fn db_exists(server: &ScratchServer, name: &str) -> bool {
    let admin = server.admin_target().connect().await.unwrap();
    admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn external_scratch_databases_are_marked_and_never_left_behind() {
    let c = start();
    let server = external_on(&c);
    assert!(!server.is_embedded());
    let a = server.create_database("guard").await.unwrap();
    assert!(a.name.starts_with("strata_tmp_guard_"), "{}", a.name);
    let _session = a.target.connect().await.unwrap();
    let name = a.name.clone();
    assert!(db_exists(&server, &name).await);
    drop(a); // the drop guard drops it, even with a session open
    assert!(!db_exists(&server, &name).await);
    let b = server.create_database("exit").await.unwrap();
    let name = b.name.clone();
    std::mem::forget(b); // as if an error path skipped the guard
    strata::scratch::drop_all_external(); // what exit paths call
    assert!(!db_exists(&server, &name).await);
}

// ---- owner processes: SIGKILL, signals, concurrent template creation ----

/// Entry point of the child "strata process"; a no-op in normal runs.
#[test]
fn child_process_entry() {
    let Ok(mode) = std::env::var("STRATA_TEST_CHILD") else {
        return;
    };
    if mode == "external-signal" {
        return external_signal_child();
    }
    if mode == "signal" {
        strata::embedded::install_signal_handler().unwrap();
    }
    let c = start();
    println!("CHILD rundir={} pid={}", c.socket_dir().display(), c.pid());
    if mode == "once" {
        let t = strata::db::Target::from_config(c.config("postgres"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(select_one(&t)), 1);
        c.stop().unwrap();
        println!("CHILD ok");
        return;
    }
    // "hold" / "signal": wait to be killed.
    std::thread::sleep(Duration::from_secs(120));
}

/// Create a scratch database on the server named by `STRATA_TEST_URL`,
/// report its name, and wait for a signal.
fn external_signal_child() {
    strata::embedded::install_signal_handler().unwrap();
    let url = std::env::var("STRATA_TEST_URL").unwrap();
    let server = ScratchServer::start(Some(&url), &EmbeddedOptions::default()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(server.create_database("sig")).unwrap();
    println!("CHILD db={}", db.name);
    std::thread::sleep(Duration::from_secs(120));
}

#[tokio::test]
async fn the_signal_handler_drops_external_scratch_databases() {
    let c = start();
    let url = c.url("postgres");
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_process_entry",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("STRATA_TEST_CHILD", "external-signal")
    .env("STRATA_TEST_URL", &url)
    .stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let name = BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split_once("CHILD db=").map(|(_, n)| n.to_string()))
        .expect("the child reports its database");
    let server = external_on(&c);
    assert!(db_exists(&server, &name).await);
    // SAFETY: plain kill of our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(!db_exists(&server, &name).await);
}

fn spawn_child(mode: &str, envs: &[(&str, &Path)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_process_entry",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("STRATA_TEST_CHILD", mode)
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    // Its own process group, so a test can signal it like a terminal does.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Read the child's `CHILD rundir=… pid=…` line.
fn child_cluster(child: &mut Child) -> (PathBuf, i32) {
    let out = child.stdout.take().unwrap();
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        // libtest prints `test child_process_entry ... ` before it.
        if let Some((_, rest)) = line.split_once("CHILD rundir=") {
            let (dir, pid) = rest.split_once(" pid=").unwrap();
            return (PathBuf::from(dir), pid.parse().unwrap());
        }
    }
    panic!("the child exited without starting a cluster");
}

#[test]
fn sigkilled_owner_takes_its_server_along_and_is_swept() {
    let mut child = spawn_child("hold", &[]);
    let (run_dir, pid) = child_cluster(&mut child);
    let data = run_dir.join("data");
    assert!(processes_mentioning(&data).contains(&pid));
    child.kill().unwrap(); // SIGKILL: no cleanup code runs in the child
    child.wait().unwrap();
    wait_until(
        "the orphaned postmaster exits (pdeathsig)",
        Duration::from_secs(10),
        || processes_mentioning(&data).is_empty(),
    );
    // Nothing in the dead child removed its directory; only a sweep can
    // (a concurrent test's start may already have done it).
    let c = start(); // every start sweeps stale run directories
    assert!(!run_dir.exists(), "the sweep removed {}", run_dir.display());
    drop(c);
}

#[test]
fn sigint_and_sigterm_stop_the_server_and_exit_130_143() {
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let mut child = spawn_child("signal", &[]);
        let (run_dir, _pid) = child_cluster(&mut child);
        // Like a terminal's Ctrl-C: the signal goes to the child's whole
        // process group. The postmaster is in a group of its own, so only
        // strata's handler sees it and shuts the server down in order.
        // SAFETY: plain kill of our own child's process group.
        unsafe { libc::kill(-(child.id() as i32), sig) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "signal {sig}");
        assert!(processes_mentioning(&run_dir.join("data")).is_empty());
        assert!(!run_dir.exists());
    }
}

#[test]
fn concurrent_template_creation_yields_one_template() {
    // A fresh cache, so both children race to initdb. As root, the run-as
    // user must be able to traverse it.
    let cache = tempfile::Builder::new()
        .prefix("strata-test-cache-")
        .tempdir_in("/tmp")
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let envs = [("STRATA_PG_CACHE_DIR", cache.path())];
    let t = Instant::now();
    let mut children: Vec<Child> = (0..3).map(|_| spawn_child("once", &envs)).collect();
    for c in &mut children {
        let mut out = String::new();
        std::io::Read::read_to_string(c.stdout.as_mut().unwrap(), &mut out).unwrap();
        assert!(c.wait().unwrap().success());
        assert!(out.contains("CHILD ok"), "{out}");
    }
    println!(
        "3 concurrent cold starts (initdb included): {:?}",
        t.elapsed()
    );
    let mut names: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].starts_with("pg") && names[0].ends_with("-template"),
        "{names:?}"
    );
}

#[test]
fn as_a_normal_user_the_cache_is_per_user_and_nothing_switches_user() {
    if !is_root() {
        println!("already not root: the other tests cover this");
        return;
    }
    // Run the child as `postgres` with a private XDG cache.
    let home = tempfile::Builder::new()
        .prefix("strata-test-home-")
        .tempdir_in("/tmp")
        .unwrap();
    let (uid, gid) = (uid_of("postgres"), {
        let out = Command::new("id")
            .args(["-g", "postgres"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    });
    std::os::unix::fs::chown(home.path(), Some(uid), Some(gid)).unwrap();
    // The checkout may sit in a directory the unprivileged user cannot
    // traverse (CI clones into a 0700 temp dir): run a copy of this test
    // binary from the user's own home.
    let exe = home.path().join("embedded-test");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    std::os::unix::fs::chown(&exe, Some(uid), Some(gid)).unwrap();
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(&exe);
    cmd.args([
        "child_process_entry",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("STRATA_TEST_CHILD", "once")
    .env("HOME", home.path())
    .env("XDG_CACHE_HOME", home.path().join("cache"))
    .env_remove("STRATA_PG_CACHE_DIR")
    .current_dir(home.path())
    .uid(uid)
    .gid(gid);
    // Another test thread forking while the copy's write descriptor was
    // open leaves it open in that child until its exec: running the copy
    // then fails with ETXTBSY for a moment. Retry instead of flaking.
    let out = loop_while_busy(|| cmd.output());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CHILD ok"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::MetadataExt;
    let cache = home.path().join("cache/strata");
    let templates: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert_eq!(templates.len(), 1);
    assert_eq!(std::fs::metadata(&cache).unwrap().uid(), uid);
}

#[test]
fn a_server_that_fails_to_start_is_reported_with_its_log() {
    // A bindir whose `postgres` reports a real version but refuses to run.
    let real = Cluster::start(&EmbeddedOptions::default()).unwrap();
    let real_bindir = real.bindir().to_path_buf();
    let version = real.version().to_string();
    drop(real);
    let dir = tempfile::Builder::new()
        .prefix("strata-test-bin-")
        .tempdir_in("/tmp")
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'postgres (PostgreSQL) {version}'; exit 0; fi\n\
         echo 'FATAL:  simulated startup failure' >&2\nexit 1\n"
    );
    let fake = dir.path().join("postgres");
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(real_bindir.join("initdb"), dir.path().join("initdb")).unwrap();
    let err = Cluster::start(&EmbeddedOptions {
        bindir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, EmbeddedError::Start { .. }), "{err:?}");
    assert!(msg.contains("simulated startup failure"), "{msg}");
    // The failed run's directory (its log has the marker) is gone.
    for d in run_dirs() {
        let log = std::fs::read_to_string(d.join("server.log")).unwrap_or_default();
        assert!(
            !log.contains("simulated startup failure"),
            "left behind: {}",
            d.display()
        );
    }
}

fn run_dirs() -> Vec<PathBuf> {
    let (root, prefix) = strata::embedded::run_dir_pattern();
    std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect()
}

/// `run()` again while it fails with "Text file busy" (for up to 10 s).
fn loop_while_busy(
    mut run: impl FnMut() -> std::io::Result<std::process::Output>,
) -> std::process::Output {
    for _ in 0..200 {
        match run() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            other => return other.unwrap(),
        }
    }
    panic!("the copied test binary stayed busy for 10 s");
}
