//! Seeding benchmark (issue 4, point 6): strata against the Python Faker
//! script it replaces, in one run, on one embedded server.
//!
//! 1. Applies migrations/ (the dashboard: organizations → users →
//!    molecules → docking_jobs → job_results) to a fresh database.
//! 2. Runs the release binary, `strata seed --profile dev --scale S`
//!    (seeds/dev.yaml; S = 100 gives about 1 M rows), once with the default
//!    threads and once with `--jobs 1` (`--force`), timing wall clock and
//!    reading its peak RSS from `wait4`.
//! 3. Runs benches/faker_reference.py with as many organizations (so about
//!    as many rows): Faker rows written to a CSV per table, loaded with
//!    `psql \copy`, one process, as such scripts are written.
//! 4. For where the time goes: the server's own ingest floor for the very
//!    rows strata wrote (`COPY … TO` a binary file per table, then
//!    server-side `COPY … FROM` them into the emptied tables, same
//!    constraints and indexes), and the time to read the parents' keys back.
//!
//! Prints rows/s per table and in total, and the ratios. Run with
//! `cargo bench --bench seed` (`STRATA_BENCH_SCALE=F` to resize; Python 3
//! with `pip install faker`, else the script's `random` fallback, flagged;
//! `STRATA_BENCH_NO_FAKER=1` forces that fallback).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use strata::copy::{CopyTarget, Value};
use strata::embedded::EmbeddedOptions;
use strata::scratch::ScratchServer;
use strata::seed::{FanOut, Inputs, Pool, Size, TableGen, UniqueState};
use tokio_postgres::Client;

/// Load order (parents first).
const TABLES: [&str; 5] = [
    "organizations",
    "users",
    "molecules",
    "docking_jobs",
    "job_results",
];

/// One table's figures from one run.
struct TableTime {
    table: String,
    rows: u64,
    secs: f64,
}

/// One whole run: wall clock of the process, its tables, its peak RSS.
struct Run {
    wall: Duration,
    tables: Vec<TableTime>,
    max_rss_kb: i64,
    stderr: String,
    stdout: String,
}

impl Run {
    fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
    fn rate(&self) -> f64 {
        self.rows() as f64 / self.wall.as_secs_f64()
    }
}

/// Spawn `cmd`, collect its output, reap it with `wait4` for the peak RSS
/// of that child alone (getrusage(RUSAGE_CHILDREN) would mix the runs).
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Run {
    let t = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("command starts");
    // Both outputs are a few lines: read stdout on a thread so neither pipe
    // can fill up while the other is read.
    let mut out = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let mut stderr = String::new();
    let _ = child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr);
    let stdout = reader.join().expect("reader").unwrap_or_default();
    let mut status = 0;
    // SAFETY: plain syscall on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert!(pid > 0, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed:\n{stderr}"
    );
    Run {
        wall,
        tables: Vec::new(),
        max_rss_kb: usage.ru_maxrss,
        stderr,
        stdout,
    }
}

/// `strata seed` prints `  table  N rows  S s  R rows/s` per table.
fn parse_strata(stderr: &str) -> Vec<TableTime> {
    stderr
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                [table, rows, "rows", secs, "s", _, "rows/s"] => Some(TableTime {
                    table: table.to_string(),
                    rows: rows.parse().ok()?,
                    secs: secs.parse().ok()?,
                }),
                _ => None,
            }
        })
        .collect()
}

fn strata_seed(url: &str, scale: f64, jobs: Option<usize>) -> Run {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_strata"));
    cmd.current_dir(root)
        .env_remove("DATABASE_URL")
        .args(["seed", "--force", "--profile", "dev", "--database-url", url])
        .arg("--seeds")
        .arg(root.join("seeds"))
        .arg("--scale")
        .arg(scale.to_string());
    if let Some(j) = jobs {
        cmd.arg("--jobs").arg(j.to_string());
    }
    let mut run = measure(&mut cmd);
    run.tables = parse_strata(&run.stderr);
    run
}

/// The script's last stdout line: `{"engine": …, "tables": [{table, rows,
/// generate_s, copy_s}]}`.
fn faker_reference(url: &str, orgs: u64, psql: &Path, work: &Path) -> (Run, String, f64, f64) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/faker_reference.py");
    let mut run = measure(
        Command::new("python3")
            .arg(script)
            .args(["--database-url", url, "--orgs", &orgs.to_string()])
            .arg("--psql")
            .arg(psql)
            .arg("--workdir")
            .arg(work)
            .args(
                std::env::var_os("STRATA_BENCH_NO_FAKER")
                    .map(|_| "--no-faker")
                    .as_slice(),
            ),
    );
    let last = run.stdout.lines().last().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(last).expect("reference prints JSON last");
    let engine = v["engine"].as_str().unwrap_or("?").to_string();
    let (mut gen, mut copy) = (0.0, 0.0);
    for t in v["tables"].as_array().expect("tables") {
        let (g, c) = (
            t["generate_s"].as_f64().unwrap_or(0.0),
            t["copy_s"].as_f64().unwrap_or(0.0),
        );
        gen += g;
        copy += c;
        run.tables.push(TableTime {
            table: t["table"].as_str().unwrap_or("?").to_string(),
            rows: t["rows"].as_u64().unwrap_or(0),
            secs: g + c,
        });
    }
    (run, engine, gen, copy)
}

async fn exec(client: &Client, sql: &str) {
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
}

async fn counts(client: &Client) -> Vec<u64> {
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {t}"), &[])
            .await
            .expect("count")
            .get(0);
        out.push(n as u64);
    }
    out
}

/// Empty every table and flush, so each run starts from the same state.
async fn reset(client: &Client) {
    exec(client, &format!("TRUNCATE {} CASCADE", TABLES.join(", "))).await;
    exec(client, "CHECKPOINT").await;
}

/// The server's own figures for the rows now in the tables.
struct Floor {
    /// Into the real tables: every key, index and foreign key.
    full: Vec<TableTime>,
    /// Into copies with keys, indexes and checks but no foreign keys
    /// (`LIKE … INCLUDING ALL`), and then the time to add those foreign
    /// keys in one ALTER each (validated by one query, not a trigger a row).
    no_fks: Vec<TableTime>,
    add_fks: Duration,
    /// Into bare copies (`LIKE`: no keys, indexes or foreign keys).
    bare: Vec<TableTime>,
}

/// Server-side COPY of the rows now in the tables: dump each to a binary
/// file, empty the tables, load the files back in order (the server's
/// floor for exactly these rows, constraints and indexes), then into
/// copies without the foreign keys and without anything, which shows what
/// each costs. Leaves the rows loaded.
async fn ingest_floor(client: &Client, work: &Path) -> Floor {
    let counts = counts(client).await;
    let file = |t: &str| work.join(format!("{t}.bin"));
    for t in TABLES {
        let sql = format!("COPY {t} TO '{}' (FORMAT binary)", file(t).display());
        exec(client, &sql).await;
    }
    reset(client).await;
    let mut full = Vec::new();
    for (t, n) in TABLES.iter().zip(&counts) {
        let sql = format!("COPY {t} FROM '{}' (FORMAT binary)", file(t).display());
        full.push(timed(client, t, *n, &sql).await);
    }
    let mut copies = Vec::new();
    for like in ["INCLUDING ALL", ""] {
        let mut out = Vec::new();
        for (t, n) in TABLES.iter().zip(&counts) {
            exec(client, &format!("CREATE TABLE copy_{t} (LIKE {t} {like})")).await;
            exec(client, "CHECKPOINT").await;
            let sql = format!("COPY copy_{t} FROM '{}' (FORMAT binary)", file(t).display());
            out.push(timed(client, t, *n, &sql).await);
        }
        copies.push(out);
        if like.is_empty() {
            break;
        }
        // Foreign keys of the copies point at the real (loaded) parents.
        let start = Instant::now();
        for t in TABLES {
            for def in fk_defs(client, t).await {
                exec(client, &format!("ALTER TABLE copy_{t} ADD {def}")).await;
            }
        }
        copies.push(vec![TableTime {
            table: "add_fks".into(),
            rows: 0,
            secs: start.elapsed().as_secs_f64(),
        }]);
        exec(client, &drop_copies()).await;
    }
    exec(client, &drop_copies()).await;
    for t in TABLES {
        let _ = std::fs::remove_file(file(t));
    }
    let bare = copies.pop().unwrap_or_default();
    let add_fks = Duration::from_secs_f64(copies.pop().map_or(0.0, |v| v[0].secs));
    let no_fks = copies.pop().unwrap_or_default();
    Floor {
        full,
        no_fks,
        add_fks,
        bare,
    }
}

fn drop_copies() -> String {
    let list: Vec<String> = TABLES.iter().map(|t| format!("copy_{t}")).collect();
    format!("DROP TABLE IF EXISTS {}", list.join(", "))
}

async fn fk_defs(client: &Client, table: &str) -> Vec<String> {
    let sql = "SELECT pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = $1::text::regclass AND contype = 'f' ORDER BY conname";
    client
        .query(sql, &[&table])
        .await
        .expect("foreign keys")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

async fn timed(client: &Client, table: &str, rows: u64, sql: &str) -> TableTime {
    let start = Instant::now();
    exec(client, sql).await;
    TableTime {
        table: table.to_string(),
        rows,
        secs: start.elapsed().as_secs_f64(),
    }
}

/// What reading the parents' keys back costs (strata does it before each
/// child table, as text, ordered by the key).
async fn key_reads(client: &Client) -> Duration {
    let start = Instant::now();
    for t in &TABLES[..4] {
        client
            .query(&format!("SELECT id::text FROM {t} ORDER BY id"), &[])
            .await
            .expect("keys");
    }
    start.elapsed()
}

/// A uuid key as [`Value`] (the pools strata reads back are typed).
fn uuid_value(text: &str) -> Value {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    let mut u = [0u8; 16];
    for (i, b) in u.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("uuid text");
    }
    Value::Uuid(u)
}

/// Generation alone, no server: the loader's blocking side (generate the
/// batch on the pool, settle uniqueness, encode it for COPY) for every table
/// of the profile, with the real parent keys now in the database. The
/// client's ceiling, to set against the server's floor.
async fn generation_only(client: &Client, scale: f64, threads: usize) -> Vec<TableTime> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db = strata::catalog::introspect(client, &Default::default())
        .await
        .expect("catalog");
    let profile =
        strata::seed::profile::load(&root.join("seeds/dev.yaml"), &db, root).expect("profile");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("threads");
    let mut out = Vec::new();
    for t in TABLES {
        let tp = profile
            .tables
            .iter()
            .find(|p| p.table.name == t)
            .expect("table in profile");
        let mut pools = Vec::new();
        for slot in &tp.gen.fks {
            // Every key and `from_parent` column of the dashboard is a uuid.
            let cols = slot.pool_columns();
            let list: Vec<String> = cols.iter().map(|c| format!("{c}::text")).collect();
            let sql = format!(
                "SELECT {} FROM {} t ORDER BY t.id",
                list.join(", "),
                slot.ref_table.quoted()
            );
            let rows = client.query(&sql, &[]).await.expect("keys");
            let keys = rows
                .iter()
                .map(|r| (0..cols.len()).map(|i| uuid_value(r.get(i))).collect())
                .collect();
            pools.push(Pool::Keys(keys));
        }
        let fan = match &tp.size {
            Size::PerParent { slot, min, max, .. } => match &pools[*slot] {
                Pool::Keys(k) => Some(FanOut::assign(tp.gen.fan_out_key, k.len(), *min, *max)),
                Pool::Deferred => None,
            },
            // The benchmark's profiles generate every table.
            Size::Rows(_) | Size::Import(_) => None,
        };
        let rows = match (&tp.size, &fan) {
            (_, Some(f)) => f.total(),
            (Size::Rows(n), None) => strata::seed::run::scaled(*n, scale),
            _ => 0,
        };
        let info = strata::copy::table_info(client, &tp.table)
            .await
            .expect("info");
        let names: Vec<&str> = tp.gen.columns.iter().map(String::as_str).collect();
        let target = CopyTarget::new(&info, &names).expect("target");
        let inputs = Inputs {
            pools: &pools,
            fan_out: fan.as_ref(),
        };
        let start = Instant::now();
        pool.install(|| encode_all(&tp.gen, &target, rows, &inputs));
        out.push(TableTime {
            table: t.to_string(),
            rows,
            secs: start.elapsed().as_secs_f64(),
        });
    }
    out
}

/// As `seed::run`'s producer: batches of 10,000, chunks of 512.
fn encode_all(gen: &TableGen, target: &CopyTarget, rows: u64, inputs: &Inputs) {
    let mut unique = UniqueState::new(gen);
    let mut start = 0;
    while start < rows {
        let end = (start + 10_000).min(rows);
        let mut batch_rows = gen.generate_par(start..end, 512, inputs).expect("generate");
        unique
            .resolve(gen, start, &mut batch_rows, inputs)
            .expect("unique");
        let mut batch = target.batch();
        for row in &batch_rows {
            batch.push_row(target, row).expect("encode");
        }
        std::hint::black_box(batch.encoded());
        start = end;
    }
}

fn print_tables(tables: &[TableTime]) {
    let secs: f64 = tables.iter().map(|t| t.secs).sum();
    let rows: u64 = tables.iter().map(|t| t.rows).sum();
    for t in tables {
        println!(
            "{:<16} {:>10} {:>9.2} {:>12.0}",
            t.table,
            t.rows,
            t.secs,
            t.rows as f64 / t.secs.max(1e-6)
        );
    }
    println!(
        "{:<16} {:>10} {:>9.2} {:>12.0}",
        "total",
        rows,
        secs,
        rows as f64 / secs
    );
}

fn total_secs(tables: &[TableTime]) -> f64 {
    tables.iter().map(|t| t.secs).sum()
}

fn print_run(name: &str, run: &Run) {
    println!(
        "\n{name}: {} rows in {:.2} s",
        run.rows(),
        run.wall.as_secs_f64()
    );
    println!("{:<16} {:>10} {:>9} {:>12}", "table", "rows", "s", "rows/s");
    for t in &run.tables {
        println!(
            "{:<16} {:>10} {:>9.2} {:>12.0}",
            t.table,
            t.rows,
            t.secs,
            t.rows as f64 / t.secs.max(1e-6)
        );
    }
    println!(
        "{:<16} {:>10} {:>9.2} {:>12.0}   (wall clock of the process; peak RSS {} MB)",
        "total",
        run.rows(),
        run.wall.as_secs_f64(),
        run.rate(),
        run.max_rss_kb / 1024
    );
}

fn main() {
    let scale: f64 = std::env::var("STRATA_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100.0);
    let orgs = (10.0 * scale).round() as u64; // dev.yaml: organizations rows: 10
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = ScratchServer::start(None, &EmbeddedOptions::default()).expect("embedded server");
    let work = tempfile::tempdir().expect("tempdir");
    // The server (another OS user) writes and reads the COPY files here.
    std::fs::set_permissions(
        work.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .expect("chmod");
    let db = rt
        .block_on(server.create_database("seedbench"))
        .expect("database");
    let client = rt.block_on(db.target.connect()).expect("connect");
    let migrations: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    rt.block_on(strata::migrate::replay::replay_dir(&client, &migrations))
        .expect("migrations apply");
    let url = db.target.url();
    let psql = strata::embedded::find_bindir(&EmbeddedOptions::default())
        .map(|d| d.join("psql"))
        .unwrap_or_else(|_| "psql".into());

    rt.block_on(reset(&client));
    let par = strata_seed(&url, scale, None);
    assert_eq!(rt.block_on(counts(&client)).iter().sum::<u64>(), par.rows());
    let keys = rt.block_on(key_reads(&client));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let gen_par = rt.block_on(generation_only(&client, scale, cores));
    let gen_one = rt.block_on(generation_only(&client, scale, 1));
    let floor = rt.block_on(ingest_floor(&client, work.path()));
    rt.block_on(reset(&client));
    let one = strata_seed(&url, scale, Some(1));
    assert_eq!(rt.block_on(counts(&client)).iter().sum::<u64>(), one.rows());
    rt.block_on(reset(&client));
    let (reference, engine, ref_gen, ref_copy) =
        faker_reference(&url, orgs, &psql, &work.path().join("csv"));
    assert_eq!(
        rt.block_on(counts(&client)).iter().sum::<u64>(),
        reference.rows()
    );

    println!(
        "seed benchmark: seeds/dev.yaml --scale {scale} ({orgs} organizations), one run, {cores} cores"
    );
    print_run("strata seed (default threads)", &par);
    print_run("strata seed --jobs 1", &one);
    let reference_name = if engine == "faker" {
        "reference: Python Faker + psql \\copy (benches/faker_reference.py)".to_string()
    } else {
        "reference: Python `random` FALLBACK, NOT Faker (not installed, or forced) + psql \\copy"
            .to_string()
    };
    print_run(&reference_name, &reference);
    println!(
        "  of which generating + writing CSV {ref_gen:.2} s, \\copy {ref_copy:.2} s, start-up {:.2} s",
        reference.wall.as_secs_f64() - ref_gen - ref_copy
    );
    println!("\nwhere strata's time goes:");
    println!("generating + encoding only, no server, {cores} threads:");
    print_tables(&gen_par);
    println!("generating + encoding only, no server, 1 thread:");
    print_tables(&gen_one);
    println!("server-side COPY FROM binary files of strata's rows (the server's ingest floor, same constraints and indexes):");
    print_tables(&floor.full);
    println!("the same files into copies with keys, indexes and checks but NO foreign keys:");
    print_tables(&floor.no_fks);
    println!(
        "  then adding their foreign keys (one ALTER TABLE each, one validating query): {:.2} s",
        floor.add_fks.as_secs_f64()
    );
    println!("the same files into bare copies (no keys, indexes or foreign keys):");
    print_tables(&floor.bare);
    let floor_secs = total_secs(&floor.full);
    println!(
        "reading the parents' keys back (4 tables, as text, ordered): {:.2} s",
        keys.as_secs_f64()
    );

    println!("\nratios:");
    let gen_secs = total_secs(&gen_par);
    for (what, x) in [
        (
            format!("rows/s, strata / reference ({engine})"),
            par.rate() / reference.rate(),
        ),
        (
            "rows/s, strata --jobs 1 / reference".into(),
            one.rate() / reference.rate(),
        ),
        (
            "rows/s, strata default / strata --jobs 1".into(),
            par.rate() / one.rate(),
        ),
        (
            "time, strata / server ingest floor".into(),
            par.wall.as_secs_f64() / floor_secs,
        ),
        (
            "time, generation / server ingest floor".into(),
            gen_secs / floor_secs,
        ),
    ] {
        println!("  {what:<44} {x:>7.2}");
    }
    drop(client);
    rt.block_on(server.drop_database(&db))
        .expect("drop database");
}
