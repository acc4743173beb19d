//! Schema benchmark (issue 2): a generated 500-table schema, with views,
//! functions and triggers beside it (issue 13).
//!
//! Measures, in one run, on the embedded cluster:
//! - `strata diff` between two live databases holding the schema (identical,
//!   and with 5% of the tables changed),
//! - `strata plan` of the database against its own pulled YAML,
//! - `strata generate` end to end (replay a migration creating the 500 tables,
//!   build the changed YAML, diff, prove that no data is lost, verify,
//!   write), and the same with `--no-data-check`,
//! - `pg_dump --schema-only` of the same database, the yardstick (raced by
//!   the diffs in interleaved rounds),
//!
//! and prints each time with its ratio to pg_dump. Run with
//! `cargo bench --bench schema` (`STRATA_BENCH_TABLES=N` to resize;
//! `STRATA_BENCH_SHOW=1` prints what `generate` says, the data check's
//! summary included; `STRATA_BENCH_HOLD=1` prints the three databases'
//! URLs and waits for a line on stdin before measuring, for profiling).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use strata::embedded::EmbeddedOptions;
use strata::scratch::ScratchServer;

fn schema_yaml(tables: usize, changed_every: usize) -> String {
    let mut y = String::from("tables:\n");
    for i in 0..tables {
        let changed = changed_every > 0 && i % changed_every == 0;
        y.push_str(&format!("  t{i:04}:\n    columns:\n"));
        y.push_str("      id: bigint primary key\n");
        if i > 0 {
            y.push_str(&format!(
                "      parent_id: {{type: bigint, references: t{:04}.id, on_delete: cascade}}\n",
                i / 2
            ));
        } else {
            y.push_str("      parent_id: bigint\n");
        }
        y.push_str("      name: text not null\n");
        y.push_str("      qty: integer not null default 0\n");
        y.push_str("      created_at: timestamptz not null default now()\n");
        y.push_str("      price: numeric(10,2)\n");
        y.push_str(if changed {
            "      code: varchar(128)\n"
        } else {
            "      code: varchar(64)\n"
        });
        y.push_str("      active: boolean not null default true\n");
        y.push_str("      doc: jsonb\n");
        y.push_str("      ref: uuid\n");
        if changed {
            y.push_str("      note: text\n");
        }
        y.push_str("    indexes:\n");
        y.push_str(&format!(
            "      - {{name: t{i:04}_parent_idx, columns: [parent_id]}}\n"
        ));
        if i % 10 == 0 {
            let pred = if changed {
                "active AND qty > 0"
            } else {
                "active"
            };
            y.push_str(&format!(
                "      - {{name: t{i:04}_live_idx, columns: [created_at desc], where: \"{pred}\"}}\n"
            ));
        }
        if i % 7 == 0 {
            y.push_str("    checks:\n      - \"qty >= 0\"\n");
        }
    }
    y
}

/// Views, functions and triggers beside the tables (issue 13: the diff must
/// stay within pg_dump's time with them present), as `schema/*.sql`: for
/// every 5th table a view over it and its parent and a SQL function; for
/// every 10th a trigger calling one shared trigger function. The changed
/// variant alters every 4th view and function.
fn objects_sql(tables: usize, changed: bool) -> String {
    let mut s = String::from(
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN NEW.created_at := now(); RETURN NEW; END $$;\n",
    );
    for i in (1..tables).step_by(5) {
        let edit = changed && i % 4 == 1;
        let extra = if edit { ", t.doc" } else { "" };
        s.push_str(&format!(
            "CREATE VIEW v{i:04} AS SELECT t.id, t.name, p.name AS parent_name{extra} \
             FROM t{i:04} t LEFT JOIN t{p:04} p ON p.id = t.parent_id WHERE t.active;\n",
            p = i / 2
        ));
        let factor = if edit { "1.2" } else { "1.1" };
        s.push_str(&format!(
            "CREATE FUNCTION price_of_{i:04}(bigint) RETURNS numeric LANGUAGE sql STABLE \
             AS $$ SELECT price * {factor} FROM t{i:04} WHERE id = $1 $$;\n"
        ));
        if i % 10 == 1 {
            s.push_str(&format!(
                "CREATE TRIGGER t{i:04}_touch BEFORE UPDATE ON t{i:04} \
                 FOR EACH ROW EXECUTE FUNCTION touch();\n"
            ));
        }
    }
    s
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    // Best of three: the machine is shared; the minimum is the stable figure.
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Rounds of the diff race (each runs pg_dump and both diffs once).
const DIFF_ROUNDS: usize = 9;

/// `rounds` rounds, each timing every job once in turn.
fn interleaved(rounds: usize, jobs: &mut [&mut dyn FnMut()]) -> Vec<Vec<Duration>> {
    (0..rounds)
        .map(|_| {
            jobs.iter_mut()
                .map(|job| {
                    let t = Instant::now();
                    job();
                    t.elapsed()
                })
                .collect()
        })
        .collect()
}

/// The fastest time of job `k`.
fn best(rounds: &[Vec<Duration>], k: usize) -> Duration {
    rounds.iter().map(|r| r[k]).min().unwrap_or_default()
}

fn ratio_of(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("command runs");
    assert!(
        out.status.success() || out.status.code() == Some(2),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn strata() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL");
    c
}

fn write_schema(dir: &Path, yaml: &str, sql: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("schema.yaml"), yaml).unwrap();
    std::fs::write(dir.join("objects.sql"), sql).unwrap();
}

fn main() {
    let n: usize = std::env::var("STRATA_BENCH_TABLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = ScratchServer::start(None, &EmbeddedOptions::default()).expect("embedded server");
    let work = tempfile::tempdir().unwrap();
    let base_dir = work.path().join("base");
    let changed_dir = work.path().join("changed");
    write_schema(&base_dir, &schema_yaml(n, 0), &objects_sql(n, false));
    write_schema(&changed_dir, &schema_yaml(n, 20), &objects_sql(n, true));

    let (a, b, c) = rt.block_on(async {
        let mk = |dir: std::path::PathBuf| {
            let server = &server;
            async move {
                let spec = strata::spec::load_dir(&dir).unwrap();
                let db = server.create_database("bench").await.unwrap();
                let client = db.target.connect().await.unwrap();
                strata::engine::apply_spec(&client, &spec).await.unwrap();
                db
            }
        };
        (
            mk(base_dir.clone()).await,
            mk(base_dir.clone()).await,
            mk(changed_dir.clone()).await,
        )
    });
    let (ua, ub, uc) = (a.target.url(), b.target.url(), c.target.url());
    if std::env::var("STRATA_BENCH_HOLD").is_ok() {
        // For profiling by hand: the three databases stay up until stdin
        // closes or a line is read.
        eprintln!("A={ua}\nB={ub}\nC={uc}");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }

    let pg_dump = strata::embedded::find_bindir(&EmbeddedOptions::default())
        .map(|d| d.join("pg_dump"))
        .unwrap_or_else(|_| "pg_dump".into());
    // The diffs race pg_dump on the same database: interleaved rounds, so a
    // burst of load on a shared machine hits both alike (measured apart,
    // best of 3 each, pg_dump's figure moved 240–360 ms between runs).
    let mut dump = || {
        run(Command::new(&pg_dump)
            .args(["--schema-only", "-d", &ua])
            .stdout(std::process::Stdio::null()))
    };
    let mut same = || run(strata().args(["diff", "--from", &ua, "--to", &ub]));
    let mut changed =
        || run(strata().args(["diff", "--allow-destructive", "--from", &ua, "--to", &uc]));
    let rounds = interleaved(DIFF_ROUNDS, &mut [&mut dump, &mut same, &mut changed]);
    let (t_dump, t_same, t_changed) = (best(&rounds, 0), best(&rounds, 1), best(&rounds, 2));
    let paired = |k: usize| median(rounds.iter().map(|r| ratio_of(r[k], r[0])).collect());
    let (same_ratio, changed_ratio) = (paired(1), paired(2));

    let pulled = work.path().join("pulled");
    run(strata()
        .args(["pull", "--database-url", &ua, "--out"])
        .arg(&pulled));
    let t_plan = time(|| {
        run(strata()
            .args(["plan", "--exit-code", "--database-url", &ua, "--schema"])
            .arg(&pulled))
    });

    // generate: migrations/ holds the creation of the base schema; schema/
    // is the changed one.
    let project = work.path().join("project");
    let migrations = project.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let spec = strata::spec::load_dir(&base_dir).unwrap();
    let init = strata::engine::creation_plan(&spec).to_sql() + &objects_sql(n, false);
    std::fs::write(migrations.join("V1__base.sql"), init).unwrap();
    // Each run starts from V1 alone: the previous run's V2 and its down
    // file removed, strata.sum re-summed (a few milliseconds, in both
    // timings alike).
    let generate = |extra: &[&str]| {
        let _ = std::fs::remove_file(migrations.join("V2__change.sql"));
        let _ = std::fs::remove_file(migrations.join("down/V2__change.sql"));
        run(strata().current_dir(&project).arg("rehash"));
        run(strata()
            .current_dir(&project)
            .args(["generate", "change", "--allow-destructive"])
            .args(extra)
            .arg("--schema")
            .arg(&changed_dir))
    };
    if std::env::var("STRATA_BENCH_SHOW").is_ok() {
        let _ = std::fs::remove_file(migrations.join("V2__change.sql"));
        let _ = std::fs::remove_file(migrations.join("down/V2__change.sql"));
        run(strata().current_dir(&project).arg("rehash"));
        let out = strata()
            .current_dir(&project)
            .args(["generate", "change", "--allow-destructive", "--schema"])
            .arg(&changed_dir)
            .output()
            .unwrap();
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    let t_generate = time(|| generate(&[]));
    // Without the data-preservation proof: the difference is its cost
    // (fill every table, fingerprint them twice, apply the migration once
    // more in a rolled-back transaction).
    let t_generate_unchecked = time(|| generate(&["--no-data-check"]));

    let ratio = |d: Duration| ratio_of(d, t_dump);
    println!("schema benchmark: {n} tables");
    println!(
        "{:<52} {:>9} {:>8} {:>8}",
        "what", "best ms", "÷pg_dump", "paired"
    );
    let rows: [(&str, Duration, Option<f64>); 7] = [
        ("pg_dump --schema-only (yardstick)", t_dump, None),
        (
            "strata diff, two live DBs, identical",
            t_same,
            Some(same_ratio),
        ),
        (
            "strata diff, two live DBs, 5% of tables changed",
            t_changed,
            Some(changed_ratio),
        ),
        ("strata plan against its own pulled YAML", t_plan, None),
        (
            "strata generate end to end (replay + shadow + verify)",
            t_generate,
            None,
        ),
        (
            "  the same with --no-data-check",
            t_generate_unchecked,
            None,
        ),
        (
            "  data-preservation proof (the difference)",
            t_generate.saturating_sub(t_generate_unchecked),
            None,
        ),
    ];
    for (what, d, paired) in rows {
        let paired = paired.map(|r| format!("{r:.2}")).unwrap_or_default();
        println!(
            "{what:<52} {:>9.0} {:>8.2} {paired:>8}",
            d.as_secs_f64() * 1000.0,
            ratio(d)
        );
    }
    println!(
        "(diffs and pg_dump: best of {DIFF_ROUNDS} interleaved rounds; paired = median of the \
         per-round ratios to pg_dump. plan and generate: best of 3.)"
    );
    rt.block_on(async {
        for db in [&a, &b, &c] {
            server.drop_database(db).await.unwrap();
        }
    });
}
