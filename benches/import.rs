//! Import benchmark (issue 5, "How it is checked"): a deterministic CSV
//! of `STRATA_BENCH_ROWS` rows (default 2,000,000, about 290 MB) in the
//! `users` shape of the seeding issue, 9 columns, with quoted free text
//! holding commas and doubled quotes, loaded into the SAME empty table
//! (primary key in place; `TRUNCATE` + `CHECKPOINT` before each) on one
//! embedded server, one run each:
//!
//! (a) `psql -c "\copy users FROM 'f.csv' (format csv, header)"`;
//! (b) server-side `COPY users FROM 'f.bin' (FORMAT binary)` of the same
//!     rows (the file is written by `COPY … TO` after (a)): the server's
//!     ingest limit;
//! (c) `strata import users f.csv` (the release binary, full validation;
//!     `--jobs $STRATA_BENCH_JOBS` when that variable is set and the flag
//!     exists), peak RSS from `wait4`;
//! (d) the same at half the rows (a prefix of the same file), for
//!     linearity;
//! (e) `pgloader` of the same CSV when it is installed (skipped with a note
//!     otherwise, or with `STRATA_BENCH_NO_PGLOADER=1`).
//!
//! Every run is checked to have loaded exactly the rows of its file.
//! Prints seconds, rows/s and the ratios against the targets.
//! Run with `cargo bench --bench import`.
//!
//! `STRATA_BENCH_BIN=PATH` runs another strata build instead of this
//! tree's; `STRATA_BENCH_ARGS="--batch-size 20000"` adds flags to (c), (d). `STRATA_BENCH_CALLGRIND=N` instead profiles the client side: `strata
//! import` of N rows under `valgrind --tool=callgrind`, printing
//! instructions per row (the callgrind file is kept when
//! `STRATA_BENCH_CALLGRIND_OUT=PATH` names where).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use strata::embedded::EmbeddedOptions;
use strata::scratch::ScratchServer;
use tokio_postgres::Client;

const TABLE: &str = "CREATE TABLE users (id bigint PRIMARY KEY, external_id uuid NOT NULL,
    email text NOT NULL, full_name text, age int, balance numeric(12,2),
    is_active boolean, created_at timestamptz, notes text);
    -- No autovacuum of one run's rows (or their truncation) while the next one loads.
    ALTER TABLE users SET (autovacuum_enabled = off)";
const COLUMNS: &str = "id,external_id,email,full_name,age,balance,is_active,created_at,notes";

/// PCG-XSH-RR 32: small, deterministic, no dependency on a crate's
/// stream format staying the same across versions.
struct Pcg(u64);

impl Pcg {
    fn next(&mut self) -> u32 {
        let old = self.0;
        self.0 = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u32) as usize]
    }
}

const FIRST: [&str; 12] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus",
    "Margaret", "Dennis",
];
const LAST: [&str; 12] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman",
    "Wirth", "Hamilton", "O'Brien",
];
const DOMAINS: [&str; 4] = [
    "example.com",
    "mail.example.org",
    "corp.test",
    "uni.example.edu",
];
const WORDS: [&str; 16] = [
    "called",
    "back",
    "order",
    "invoice",
    "shipping",
    "refund",
    "account",
    "password",
    "delayed",
    "urgent",
    "follow-up",
    "customer",
    "replied",
    "ticket",
    "closed",
    "pending",
];
const BOOLS: [&str; 6] = ["t", "f", "true", "false", "yes", "no"];

/// Row `i` (0-based) as one CSV line: the same `i` always gives the same
/// bytes. Free text is quoted and holds commas and doubled quotes; about
/// one in ten optional fields is empty (NULL).
fn csv_row(out: &mut Vec<u8>, i: u64, rng: &mut Pcg) {
    let (first, last) = (rng.pick(&FIRST), rng.pick(&LAST));
    let _ = write!(out, "{},", i + 1);
    let (a, b, c, d) = (rng.next(), rng.next(), rng.next(), rng.next());
    let _ = write!(
        out,
        "{a:08x}-{:04x}-4{:03x}-{:04x}-{:04x}{c:08x},",
        b >> 16,
        b & 0xfff,
        (d >> 16) & 0x3fff | 0x8000,
        d & 0xffff
    );
    let _ = write!(
        out,
        "{}.{}{}@{},",
        first.to_lowercase(),
        last.to_lowercase().replace('\'', ""),
        i,
        rng.pick(&DOMAINS)
    );
    let _ = write!(out, "{first} {last},");
    if rng.below(10) > 0 {
        let _ = write!(out, "{}", 18 + rng.below(72));
    }
    let _ = write!(out, ",{}.{:02},", rng.below(5_000_000), rng.below(100));
    let _ = write!(out, "{},", rng.pick(&BOOLS));
    let _ = write!(
        out,
        "2{:03}-{:02}-{:02} {:02}:{:02}:{:02}{},",
        rng.below(25),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60),
        ["+00", "+02:00", "-05:00", "Z"][rng.below(4) as usize]
    );
    if rng.below(10) > 0 {
        out.push(b'"');
        let words = 2 + rng.below(3);
        for w in 0..words {
            if w > 0 {
                out.extend_from_slice(if w % 3 == 0 { b", " } else { b" " });
            }
            if rng.below(6) == 0 {
                let _ = write!(out, "\"\"{}\"\"", rng.pick(&WORDS));
            } else {
                out.extend_from_slice(rng.pick(&WORDS).as_bytes());
            }
        }
        out.push(b'"');
    }
    out.push(b'\n');
}

/// Write `full` rows to `full_path` and their first `half` to `half_path`
/// (both with the header).
fn generate(full_path: &Path, half_path: &Path, full: u64, half: u64) -> u64 {
    let create = |p: &Path| std::io::BufWriter::new(std::fs::File::create(p).expect("create csv"));
    let (mut f, mut h) = (create(full_path), create(half_path));
    let mut rng = Pcg(0x5EED_2026);
    let mut line = Vec::with_capacity(512);
    let header = format!("{COLUMNS}\n");
    f.write_all(header.as_bytes()).expect("write");
    h.write_all(header.as_bytes()).expect("write");
    let mut bytes = header.len() as u64;
    for i in 0..full {
        line.clear();
        csv_row(&mut line, i, &mut rng);
        f.write_all(&line).expect("write");
        if i < half {
            h.write_all(&line).expect("write");
        }
        bytes += line.len() as u64;
    }
    f.flush().expect("flush");
    h.flush().expect("flush");
    bytes
}

/// One child process: wall clock, peak RSS, output.
struct Run {
    wall: Duration,
    max_rss_kb: i64,
    /// User + system CPU time of the child (its own threads only).
    cpu: Duration,
    stderr: String,
}

/// Spawn `cmd`, reap it with `wait4` for the peak RSS of that child alone;
/// its output when it fails.
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn try_measure(cmd: &mut Command) -> Result<Run, String> {
    let t = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let mut stderr = String::new();
    let _ = child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr);
    let stdout = reader.join().unwrap_or_default();
    let mut status = 0;
    // SAFETY: plain syscall on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    if pid <= 0 || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let stdout = String::from_utf8_lossy(&stdout);
        let tail: Vec<&str> = stdout.lines().rev().take(20).collect();
        return Err(format!(
            "{cmd:?} failed:\n{stderr}\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Run {
        wall,
        max_rss_kb: usage.ru_maxrss,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        stderr,
    })
}

fn measure(cmd: &mut Command) -> Run {
    try_measure(cmd).unwrap_or_else(|e| panic!("{e}"))
}

async fn exec(client: &Client, sql: &str) {
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
}

async fn count(client: &Client) -> u64 {
    let n: i64 = client
        .query_one("SELECT count(*) FROM users", &[])
        .await
        .expect("count")
        .get(0);
    n as u64
}

/// Empty the table and flush, so each run starts from the same state:
/// the cluster runs with fsync off, so without `sync` the kernel would
/// still be writing the previous run's pages back during the next one.
async fn reset(client: &Client) {
    exec(client, "TRUNCATE users").await;
    exec(client, "CHECKPOINT").await;
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

/// The release binary of this tree, or `STRATA_BENCH_BIN` (to compare
/// another build on the same data).
fn strata_bin() -> PathBuf {
    std::env::var_os("STRATA_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_strata").into())
}

/// Whether `strata import --help` lists `flag` (flags other helpers add).
fn strata_has_flag(flag: &str) -> bool {
    let out = Command::new(strata_bin())
        .args(["import", "--help"])
        .output()
        .expect("strata runs");
    String::from_utf8_lossy(&out.stdout).contains(flag)
}

/// The `strata import` command line for `csv`.
fn strata_import(url: &str, csv: &Path, work: &Path, jobs: Option<&str>) -> Command {
    let mut cmd = Command::new(strata_bin());
    cmd.env_remove("DATABASE_URL")
        .args(["import", "users"])
        .arg(csv)
        .args(["--database-url", url])
        .arg("--rejects")
        .arg(work.join("rejects.csv"));
    if let Some(j) = jobs {
        cmd.args(["--jobs", j]);
    }
    if let Ok(extra) = std::env::var("STRATA_BENCH_ARGS") {
        cmd.args(extra.split_whitespace());
    }
    cmd
}

/// `strata import` ends with `read R, loaded L, rejected J (S s)`.
fn strata_counts(stderr: &str) -> Option<(u64, u64, u64)> {
    let line = stderr.lines().find(|l| l.starts_with("read "))?;
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .take(3)
        .filter_map(|w| w.parse().ok())
        .collect();
    match nums.as_slice() {
        [r, l, j] => Some((*r, *l, *j)),
        _ => None,
    }
}

fn run_strata(rt: &tokio::runtime::Runtime, client: &Client, cmd: &mut Command, rows: u64) -> Run {
    rt.block_on(reset(client));
    let run = measure(cmd);
    assert_eq!(
        strata_counts(&run.stderr),
        Some((rows, rows, 0)),
        "strata import output:\n{}",
        run.stderr
    );
    assert_eq!(rt.block_on(count(client)), rows, "strata loaded");
    run
}

/// pgloader's connection string for the embedded server's unix socket.
fn pgloader_url(url: &str, dbname: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let mut host = None;
    let mut port = "5432".to_string();
    for kv in query.split('&') {
        match kv.split_once('=') {
            Some(("host", h)) => host = Some(percent_decode(h)),
            Some(("port", p)) => port = p.to_string(),
            _ => {}
        }
    }
    Some(format!("pgsql://postgres@unix:{}:{port}/{dbname}", host?))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// pgloader of `csv` (empty fields are NULL, as for `\copy`), or why not.
fn pgloader(url: &str, dbname: &str, csv: &Path, work: &Path) -> Result<Run, String> {
    if std::env::var_os("STRATA_BENCH_NO_PGLOADER").is_some() {
        return Err("STRATA_BENCH_NO_PGLOADER is set".into());
    }
    if Command::new("pgloader").arg("--version").output().is_err() {
        return Err("pgloader is not installed (apt-get install -y pgloader)".into());
    }
    let target = pgloader_url(url, dbname).ok_or("no socket in the database URL")?;
    let blanks = |c: &str| match c {
        "id" | "external_id" | "email" => c.to_string(),
        _ => format!("{c} [null if blanks]"),
    };
    let fields: Vec<String> = COLUMNS.split(',').map(blanks).collect();
    let script = format!(
        "LOAD CSV FROM '{}' ({})\n INTO {target}?users ({COLUMNS})\n WITH skip header = 1, fields optionally enclosed by '\"', fields escaped by double-quote, fields terminated by ',';\n",
        csv.display(),
        fields.join(", ")
    );
    let path = work.join("users.load");
    std::fs::write(&path, script).map_err(|e| e.to_string())?;
    try_measure(
        Command::new("pgloader")
            .arg("--no-ssl-cert-verification")
            .arg("--root-dir")
            .arg(work.join("pgloader"))
            .arg(&path),
    )
}

fn psql_path() -> PathBuf {
    strata::embedded::find_bindir(&EmbeddedOptions::default())
        .map(|d| d.join("psql"))
        .unwrap_or_else(|_| "psql".into())
}

/// `valgrind --tool=callgrind strata import` of `rows` rows: the client's
/// instructions per row (connection set-up included, spread over the rows).
fn callgrind(rt: &tokio::runtime::Runtime, client: &Client, url: &str, work: &Path, rows: u64) {
    let (csv, half) = (work.join("profile.csv"), work.join("unused.csv"));
    generate(&csv, &half, rows, 0);
    let out = std::env::var_os("STRATA_BENCH_CALLGRIND_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| work.join("callgrind.out"));
    let mut cmd = Command::new("valgrind");
    cmd.arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(strata_bin())
        .args(strata_import(url, &csv, work, None).get_args());
    cmd.env_remove("DATABASE_URL");
    let run = run_strata(rt, client, &mut cmd, rows);
    let text = std::fs::read_to_string(&out).expect("callgrind output");
    let total: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("summary: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("callgrind summary");
    println!(
        "callgrind: strata import of {rows} rows: {total} instructions, {:.0} per row ({:.1} s under valgrind)",
        total as f64 / rows as f64,
        run.wall.as_secs_f64()
    );
}

fn main() {
    let rows: u64 = std::env::var("STRATA_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = ScratchServer::start(None, &EmbeddedOptions::default()).expect("embedded server");
    let work = tempfile::tempdir().expect("tempdir");
    // The server (user postgres) writes and reads the binary COPY file here.
    let open = |p: &Path| {
        std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .expect("chmod")
    };
    open(work.path());
    let db = rt
        .block_on(server.create_database("importbench"))
        .expect("database");
    let client = rt.block_on(db.target.connect()).expect("connect");
    rt.block_on(exec(&client, TABLE));
    let url = db.target.url();

    if let Some(n) = std::env::var("STRATA_BENCH_CALLGRIND")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        callgrind(&rt, &client, &url, work.path(), n);
        drop(client);
        rt.block_on(server.drop_database(&db)).expect("drop");
        return;
    }

    let (csv, half_csv, bin) = (
        work.path().join("users.csv"),
        work.path().join("users_half.csv"),
        work.path().join("users.bin"),
    );
    let half = rows / 2;
    let t = Instant::now();
    let bytes = generate(&csv, &half_csv, rows, half);
    println!(
        "generated {rows} rows, {:.1} MB, in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    for p in [&csv, &half_csv] {
        std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .expect("chmod");
    }

    // (a) psql \copy
    rt.block_on(reset(&client));
    let psql = measure(
        Command::new(psql_path())
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-c"])
            .arg(format!(
                "\\copy users FROM '{}' (format csv, header)",
                csv.display()
            )),
    );
    assert_eq!(rt.block_on(count(&client)), rows, "psql loaded");

    // (b) server-side binary COPY of the same rows
    let sql = format!("COPY users TO '{}' (FORMAT binary)", bin.display());
    rt.block_on(exec(&client, &sql));
    rt.block_on(reset(&client));
    let t = Instant::now();
    let sql = format!("COPY users FROM '{}' (FORMAT binary)", bin.display());
    rt.block_on(exec(&client, &sql));
    let binary = t.elapsed();
    assert_eq!(rt.block_on(count(&client)), rows, "binary COPY loaded");
    let _ = std::fs::remove_file(&bin);

    // (c), (d) strata, full and half
    let jobs = std::env::var("STRATA_BENCH_JOBS").ok();
    let jobs_note = match &jobs {
        Some(j) if strata_has_flag("--jobs") => format!("--jobs {j}"),
        Some(j) => format!("STRATA_BENCH_JOBS={j} ignored: this strata has no --jobs"),
        None => "default jobs".into(),
    };
    let jobs = jobs.filter(|_| strata_has_flag("--jobs"));
    let full = run_strata(
        &rt,
        &client,
        &mut strata_import(&url, &csv, work.path(), jobs.as_deref()),
        rows,
    );
    let halfrun = run_strata(
        &rt,
        &client,
        &mut strata_import(&url, &half_csv, work.path(), jobs.as_deref()),
        half,
    );

    // (e) pgloader
    rt.block_on(reset(&client));
    let pgl = pgloader(&url, &db.name, &csv, work.path()).and_then(|run| {
        let n = rt.block_on(count(&client));
        if n == rows {
            Ok(run)
        } else {
            Err(format!(
                "pgloader loaded {n} rows of {rows}: not comparable"
            ))
        }
    });

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "import benchmark: {rows} rows, 9 columns, {:.1} MB CSV, into users (bigint primary key), one run each; loadavg {}",
        bytes as f64 / 1e6,
        load.trim()
    );
    println!("{:<62} {:>8} {:>10}", "what", "s", "rows/s");
    let line = |what: &str, d: Duration, n: u64| {
        println!(
            "{what:<62} {:>8.2} {:>10.0}",
            d.as_secs_f64(),
            n as f64 / d.as_secs_f64()
        )
    };
    line("(a) psql \\copy (format csv, header)", psql.wall, rows);
    line("(b) server-side COPY FROM binary file", binary, rows);
    let extra = std::env::var("STRATA_BENCH_ARGS").unwrap_or_default();
    line(
        &format!(
            "(c) strata import ({jobs_note}{}{extra})",
            if extra.is_empty() { "" } else { ", " }
        ),
        full.wall,
        rows,
    );
    line("(d) strata import, half the rows", halfrun.wall, half);
    match &pgl {
        Ok(run) => line("(e) pgloader", run.wall, rows),
        Err(why) => println!("(e) pgloader skipped: {why}"),
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("ratios (time):");
    println!(
        "  strata / psql \\copy          {:>6.2}   (target <= 0.70)",
        ratio(full.wall, psql.wall)
    );
    println!(
        "  strata / binary COPY         {:>6.2}   (target <= 1.30)",
        ratio(full.wall, binary)
    );
    println!(
        "  strata full / half rows      {:>6.2}   (linear: 2.00)",
        ratio(full.wall, halfrun.wall)
    );
    if let Ok(run) = &pgl {
        println!(
            "  strata / pgloader            {:>6.2}",
            ratio(full.wall, run.wall)
        );
    }
    println!(
        "strata peak RSS: {} MB full, {} MB half (target < 100 MB)",
        full.max_rss_kb / 1024,
        halfrun.max_rss_kb / 1024
    );
    // Whether the client or the server is the bottleneck: strata's own
    // CPU time against its wall clock (the server works in between).
    println!(
        "strata client CPU: {:.2} s of {:.2} s wall ({:.0}%)",
        full.cpu.as_secs_f64(),
        full.wall.as_secs_f64(),
        100.0 * full.cpu.as_secs_f64() / full.wall.as_secs_f64()
    );
    drop(client);
    rt.block_on(server.drop_database(&db))
        .expect("drop database");
}
