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
const RUNS: usize = 7;

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
    // Runs alternate between the contenders and the minimum and median are
    // reported: the machine is shared, single runs are noisy. Every run
    // opens a fresh connection, like the CLI (and pg_dump): cold caches.
    let db = target.with_dbname(DB);
    let (mut single, mut pair, mut dump) = (Vec::new(), Vec::new(), Vec::new());
    let mut tables = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        tables = introspect_once(&db).await?;
        single.push(t.elapsed());

        // What `plan` does: two databases (here the same one twice),
        // introspected concurrently on two connections.
        let t = Instant::now();
        tokio::try_join!(introspect_once(&db), introspect_once(&db))?;
        pair.push(t.elapsed());

        let t = Instant::now();
        pg_dump(&db)?;
        dump.push(t.elapsed());
    }
    println!("{tables} tables, {RUNS} runs each (min / median):");
    report("connect + introspect", &mut single);
    report("two concurrent introspections", &mut pair);
    report("pg_dump --schema-only", &mut dump);
    Ok(())
}

async fn introspect_once(target: &Target) -> Result<usize, Box<dyn std::error::Error>> {
    let client = target.connect().await?;
    let m = introspect(&client, &CatalogOptions::default()).await?;
    Ok(m.tables.len())
}

fn pg_dump(target: &Target) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = &target.config;
    let host = match cfg.get_hosts().first() {
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        None => "localhost".into(),
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = cfg.get_user().unwrap_or("postgres");
    let out = Command::new("pg_dump")
        .args(["--schema-only", "-h", &host, "-p", &port, "-U", user, DB])
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(())
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "  {what:32} {:>8.1?} / {:>8.1?}",
        times[0],
        times[times.len() / 2]
    );
}
