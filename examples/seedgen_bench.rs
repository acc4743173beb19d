//! Generation speed of the seed generators alone (no database): the
//! benchmark table of issue 4 — `users(id bigint primary key, external_id
//! uuid not null, email text not null, full_name text, age int, balance
//! numeric(12,2), is_active boolean, created_at timestamp, notes text)` —
//! generated in batches on rayon's pool, uniqueness settled in row order.
//!
//! `cargo run --release --example seedgen_bench [ROWS] [BATCH]`

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use strata::seed::{profile, Inputs, UniqueState};

const SCHEMA: &str = "tables:
  users:
    columns:
      id: bigint primary key
      external_id: uuid not null
      email: text not null
      full_name: text
      age: int
      balance: numeric(12,2)
      is_active: boolean
      created_at: timestamp
      notes: text
";

const PROFILE: &str = "seed: 1
tables:
  users:
    rows: 2000000
    columns:
      age: {normal: {mean: 40, std_dev: 12, min: 18, max: 90}}
      balance: {uniform: [0, 50000]}
      is_active: {bool: 0.8}
      notes: {sentence: 3..8, null_ratio: 0.5}
";

/// `--per-column`: time each generator of the benchmark alone.
fn per_column() {
    let cases = [
        ("bigint primary key", "sequence"),
        ("uuid", "uuid"),
        ("text", "email"),
        ("text", "full_name"),
        ("text", "first_name"),
        ("int", "{normal: {mean: 40, std_dev: 12, min: 18, max: 90}}"),
        ("numeric(12,2)", "{uniform: [0, 50000]}"),
        ("boolean", "{bool: 0.8}"),
        ("timestamp", "timestamp"),
        ("text", "{sentence: 3..8}"),
        ("text", "{constant: x}"),
    ];
    let n = 300_000u64;
    let only = std::env::var("ONLY").unwrap_or_default();
    for (ty, spec) in cases.into_iter().filter(|(_, s)| s.contains(&only)) {
        let schema = format!("tables:\n  t:\n    columns:\n      c: {ty}\n");
        let db = strata::spec::load_str(Path::new("s.yaml"), &schema).expect("schema");
        let text = format!("tables:\n  t:\n    rows: 1\n    columns:\n      c: {spec}\n");
        let p =
            profile::load_str(Path::new("p.yaml"), &text, &db, Path::new(".")).expect("profile");
        let gen = &p.tables[0].gen;
        let inputs = Inputs {
            pools: &[],
            fan_out: None,
        };
        let start = Instant::now();
        let mut done = 0;
        while done < n {
            let rows = gen
                .generate(done..done + 65_536, &inputs)
                .expect("generate");
            done += rows.len() as u64;
        }
        let ns = start.elapsed().as_nanos() as f64 / done as f64;
        println!("{ty:>20} {spec:<55} {ns:>7.0} ns/row");
    }
}

fn main() {
    if std::env::args().any(|a| a == "--per-column") {
        return per_column();
    }
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rows = args.first().copied().unwrap_or(2_000_000);
    let batch = args.get(1).copied().unwrap_or(65_536);
    let db = strata::spec::load_str(Path::new("schema.yaml"), SCHEMA).expect("schema");
    let p =
        profile::load_str(Path::new("bench.yaml"), PROFILE, &db, Path::new(".")).expect("profile");
    let gen = &p.tables[0].gen;
    let inputs = Inputs {
        pools: &[],
        fan_out: None,
    };
    let mut unique = UniqueState::new(gen);
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let (mut done, mut bytes) = (0u64, 0usize);
    while done < rows {
        let end = (done + batch).min(rows);
        // Generate the batch in parallel pieces, then settle uniqueness.
        let piece = ((end - done) / threads as u64 / 4).max(1024);
        let mut batch_rows = gen
            .generate_par(done..end, piece, &inputs)
            .expect("generate");
        unique
            .resolve(gen, done, &mut batch_rows, &inputs)
            .expect("unique");
        bytes += batch_rows.par_iter().map(|r| r.len()).sum::<usize>();
        done = end;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{rows} rows × {} columns ({bytes} cells) in {secs:.2} s on {threads} threads: {:.0} rows/s (batch {batch})",
        gen.columns.len(),
        rows as f64 / secs
    );
}
