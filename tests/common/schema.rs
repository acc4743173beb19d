//! Comparing databases the way the convergence suite needs: row counts and
//! normalised `pg_dump --schema-only` output.

use std::collections::BTreeMap;

use strata::db::Target;
use tokio_postgres::Client;

/// Rows per user table, for "nothing was lost" checks.
pub async fn count_rows(client: &Client) -> BTreeMap<String, i64> {
    let tables = client
        .query(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND n.nspname NOT LIKE 'pg_toast%'",
            &[],
        )
        .await
        .expect("listing tables");
    let mut out = BTreeMap::new();
    for row in tables {
        let name: String = row.get(0);
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {name}"), &[])
            .await
            .expect("counting rows")
            .get(0);
        out.insert(name, n);
    }
    out
}

/// `pg_dump --schema-only` of the database, normalised: comments, `SET`
/// lines and blank lines dropped, and the column lines of each
/// `CREATE TABLE` sorted (PostgreSQL can only append columns, so a migrated
/// table may order them differently from one built fresh).
pub fn schema_dump(target: &Target) -> String {
    let bindir = strata::embedded::find_bindir(&Default::default()).expect("PostgreSQL binaries");
    let out = std::process::Command::new(bindir.join("pg_dump"))
        .args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "-d",
            &target.url(),
        ])
        .output()
        .expect("pg_dump runs");
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    normalise_dump(&String::from_utf8_lossy(&out.stdout))
}

fn normalise_dump(dump: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    for line in dump.lines() {
        let t = line.trim_end();
        if t.is_empty()
            || t.starts_with("--")
            || t.starts_with("SET ")
            || t.starts_with("SELECT pg_catalog.set_config")
            || t.starts_with("\\restrict")
            || t.starts_with("\\unrestrict")
        {
            continue;
        }
        if let Some(cols) = columns.as_mut() {
            if t == ");" || t.starts_with(")") {
                cols.sort();
                out.append(cols);
                columns = None;
                out.push(t.to_string());
            } else {
                cols.push(t.trim_end_matches(',').to_string());
            }
            continue;
        }
        out.push(t.to_string());
        if t.starts_with("CREATE TABLE ") && t.ends_with('(') {
            columns = Some(Vec::new());
        }
    }
    out.join("\n")
}

/// The lines only in `a` (`-`) and only in `b` (`+`), for failure messages.
pub fn text_diff(a: &str, b: &str) -> String {
    let la: Vec<&str> = a.lines().collect();
    let lb: Vec<&str> = b.lines().collect();
    let mut s = String::new();
    for l in &la {
        if !lb.contains(l) {
            s.push_str(&format!("- {l}\n"));
        }
    }
    for l in &lb {
        if !la.contains(l) {
            s.push_str(&format!("+ {l}\n"));
        }
    }
    s
}

/// Run `check` on every named case, three at a time (each uses its own
/// databases), print `ok`/`FAIL` per case in name order, and panic with
/// every failure at once.
pub async fn run_cases<T, F, Fut>(what: &str, cases: Vec<(String, T)>, check: F)
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    use futures_util::stream::{self, StreamExt};
    let total = cases.len();
    let mut results: Vec<(String, Result<(), String>)> = stream::iter(cases)
        .map(|(name, case)| {
            let fut = check(case);
            async move { (name, fut.await) }
        })
        .buffer_unordered(3)
        .collect()
        .await;
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failures = Vec::new();
    for (name, result) in results {
        match result {
            Ok(()) => eprintln!("ok   {name}"),
            Err(e) => {
                eprintln!("FAIL {name}");
                failures.push(format!("=== {name} ===\n{e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} {what} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
