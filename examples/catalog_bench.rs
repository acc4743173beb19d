//! Introspection speed vs `pg_dump --schema-only` on a 500-table database
//! (10 columns, one index and one foreign key per table).
//!
//! `DATABASE_URL=host=/tmp/pg user=postgres cargo run --example catalog_bench`
//! Creates (once) and reuses the database `strata_catalog_bench`.

use std::process::Command;
use std::time::{Duration, Instant};

use strata::catalog::{introspect, CatalogOptions};
use strata::db::Target;

const DB: &str = "strata_catalog_bench";
const TABLES: usize = 500;
const RUNS: u32 = 5;

fn ddl() -> String {
    let mut s = String::new();
    for i in 0..TABLES {
        let fk = if i == 0 {
            "bigint".to_string()
        } else {
            format!("bigint REFERENCES t{} (id) ON DELETE CASCADE", i - 1)
        };
        s.push_str(&format!(
            "CREATE TABLE t{i} (id bigserial PRIMARY KEY, parent_id {fk}, \
             name text NOT NULL, code varchar(20) UNIQUE, amount numeric(12,2) DEFAULT 0, \
             created timestamptz NOT NULL DEFAULT now(), flag boolean, n int CHECK (n > 0), \
             data jsonb, note text);\n\
             CREATE INDEX t{i}_name ON t{i} (name, created DESC);\n"
        ));
    }
    s
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL")?;
    let target = Target::parse(&url)?;
    let admin = target.connect().await?;
    let exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&DB])
        .await?
        .is_some();
    if !exists {
        admin
            .batch_execute(&format!("CREATE DATABASE {DB}"))
            .await?;
        let c = target.with_dbname(DB).connect().await?;
        c.batch_execute(&ddl()).await?;
    }
    // A fresh connection per run, like the CLI (and pg_dump): cold caches.
    let (mut total, mut connecting) = (Duration::ZERO, Duration::ZERO);
    let mut tables = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let client = target.with_dbname(DB).connect().await?;
        connecting += t.elapsed();
        let m = introspect(&client, &CatalogOptions::default()).await?;
        total += t.elapsed();
        tables = m.tables.len();
    }
    println!(
        "connect + introspect: {tables} tables, {:?} per run (connect {:?})",
        total / RUNS,
        connecting / RUNS
    );

    let cfg = &target.with_dbname(DB).config;
    let host = match cfg.get_hosts().first() {
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        None => "localhost".into(),
    };
    let user = cfg.get_user().unwrap_or("postgres").to_string();
    let mut total = Duration::ZERO;
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new("pg_dump")
            .args(["--schema-only", "-h", &host, "-U", &user, DB])
            .output()?;
        total += t.elapsed();
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
        }
    }
    println!("pg_dump --schema-only: {:?} per run", total / RUNS);
    Ok(())
}
