//! The shipped seed profiles load: `seeds/dev.yaml` and `seeds/ci.yaml` of
//! the top-level dashboard and `seeds/dev.yaml` of every project under
//! `examples/`. Each goes into a fresh database migrated with that project's
//! own migrations, through the real binary run from the project directory
//! (so `strata.yaml` and relative paths resolve as for a user). Then, for
//! every table of the database: it has rows, exactly as many as `--dry-run`
//! planned, and no foreign key has an orphan (checked by query for every
//! constraint in pg_constraint, not only the ones a profile names).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use tokio_postgres::Client;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn strata(project: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project)
        .args(["seed", "--database-url", url])
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The plan's `N. table: R rows …` lines, as table → rows.
fn planned(plan: &str) -> BTreeMap<String, i64> {
    let mut rows = BTreeMap::new();
    for line in plan.lines() {
        let Some((num, rest)) = line.split_once(". ") else {
            continue;
        };
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let (table, count) = rest.split_once(": ").expect("`table: N rows`");
        let n = count.split(' ').next().unwrap_or_default();
        let n: i64 = n
            .parse()
            .unwrap_or_else(|_| panic!("row count in {line:?}"));
        rows.insert(table.to_string(), n);
    }
    assert!(!rows.is_empty(), "no plan lines in:\n{plan}");
    rows
}

/// Every ordinary or partitioned table outside the system schemas, named as
/// the plan names them (`table` in public, `schema.table` elsewhere).
async fn tables(client: &Client) -> Vec<String> {
    common::strings(
        client,
        "SELECT CASE WHEN n.nspname = 'public' THEN c.relname
                     ELSE n.nspname || '.' || c.relname END
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg_toast%'
         ORDER BY 1",
    )
    .await
}

async fn count(client: &Client, sql: &str) -> i64 {
    match client.query_one(sql, &[]).await {
        Ok(row) => row.get(0),
        Err(e) => panic!("{}\n{sql}", strata::db::describe(&e)),
    }
}

/// One orphan-count query per foreign key: rows whose key columns are all
/// non-null (MATCH SIMPLE checks only those) and have no parent row.
async fn orphan_queries(client: &Client) -> Vec<(String, String)> {
    let rows = client
        .query(
            "SELECT con.conname::text, con.conrelid::regclass::text,
                    con.confrelid::regclass::text,
                    array(SELECT quote_ident(a.attname::text)
                          FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
                          ORDER BY k.i),
                    array(SELECT quote_ident(a.attname::text)
                          FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
                          ORDER BY k.i)
             FROM pg_constraint con WHERE con.contype = 'f' ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let (name, child, parent): (String, String, String) = (r.get(0), r.get(1), r.get(2));
            let (cols, pcols): (Vec<String>, Vec<String>) = (r.get(3), r.get(4));
            let not_null: Vec<String> = cols.iter().map(|c| format!("c.{c} IS NOT NULL")).collect();
            let joins: Vec<String> = cols
                .iter()
                .zip(&pcols)
                .map(|(c, p)| format!("p.{p} = c.{c}"))
                .collect();
            let sql = format!(
                "SELECT count(*) FROM {child} c WHERE {} AND NOT EXISTS \
                 (SELECT 1 FROM {parent} p WHERE {})",
                not_null.join(" AND "),
                joins.join(" AND ")
            );
            (format!("{child}.{name}"), sql)
        })
        .collect()
}

/// Migrate a fresh database with `project`'s migrations, seed `profile`
/// (with `extra` flags) from `project`, and check every table.
async fn seed_and_check(project: &str, profile: &str, extra: &[&str]) -> Seeded {
    let dir = root().join(project);
    let (db, client) = common::fresh_db("seed_ex").await;
    strata::migrate::replay::replay_dir(&client, &dir.join("migrations"))
        .await
        .unwrap_or_else(|e| panic!("migrating {project}: {e}"));
    let url = db.target.url();
    let mut args = vec!["--profile", profile];
    args.extend_from_slice(extra);

    let mut dry = args.clone();
    dry.push("--dry-run");
    let plan = planned(&ok(strata(&dir, &url, &dry), "seed --dry-run"));
    let t0 = Instant::now();
    ok(strata(&dir, &url, &args), "seed");
    let secs = t0.elapsed().as_secs_f64();

    let all = tables(&client).await;
    let mut total = 0;
    for table in &all {
        let want = plan
            .get(table)
            .unwrap_or_else(|| panic!("{project}/{profile}: table {table} is not seeded"));
        let got = count(&client, &format!("SELECT count(*) FROM {table}")).await;
        assert!(got > 0, "{project}/{profile}: {table} is empty");
        assert_eq!(got, *want, "{project}/{profile}: {table} rows vs the plan");
        total += got;
    }
    assert_eq!(plan.len(), all.len(), "plan {plan:?} vs tables {all:?}");
    let fks = orphan_queries(&client).await;
    assert!(!fks.is_empty());
    for (fk, sql) in fks {
        assert_eq!(
            count(&client, &sql).await,
            0,
            "{project}/{profile}: orphans of {fk}"
        );
    }
    let not_valid = "SELECT count(*) FROM pg_constraint WHERE NOT convalidated";
    assert_eq!(count(&client, not_valid).await, 0);
    eprintln!(
        "{project}/{profile}: {total} rows in {} tables, seeded in {secs:.2} s",
        all.len()
    );
    Seeded {
        _db: db,
        client,
        total,
    }
}

/// A seeded database (kept alive while `_db` lives), and its row total.
struct Seeded {
    _db: strata::scratch::ScratchDb,
    client: Client,
    total: i64,
}

/// Rows whose tenant differs from their parent row's (`from_parent`).
const CROSS_TENANT: &str =
    "SELECT (SELECT count(*) FROM docking_jobs j JOIN molecules m ON m.id = j.molecule_id \
     WHERE j.organization_id <> m.organization_id) \
     + (SELECT count(*) FROM job_results r JOIN docking_jobs j ON j.id = r.job_id \
     WHERE r.organization_id <> j.organization_id)";

#[tokio::test]
async fn dashboard_dev() {
    let s = seed_and_check(".", "dev", &[]).await;
    assert_eq!(count(&s.client, CROSS_TENANT).await, 0, "from_parent");
}

/// The whole ci profile (about 69,000 rows): about 5 s in a debug build.
#[tokio::test]
async fn dashboard_ci() {
    let s = seed_and_check(".", "ci", &[]).await;
    assert!(
        (50_000..=100_000).contains(&s.total),
        "ci seeds {} rows",
        s.total
    );
    assert_eq!(count(&s.client, CROSS_TENANT).await, 0, "from_parent");
}

#[tokio::test]
async fn imagemanager_dev() {
    seed_and_check("examples/imagemanager", "dev", &[]).await;
}

/// Guide 002's cycle: organizations.created_by/updated_by → users and
/// users.organization_id → organizations, plus users.created_by → users.
#[tokio::test]
async fn monitoring_dev_fills_the_cycle() {
    let client = seed_and_check("examples/monitoring", "dev", &[])
        .await
        .client;
    // Loaded NULL, then filled by the UPDATE: most rows have a creator.
    let filled = count(&client, "SELECT count(created_by) FROM organizations").await;
    let all = count(&client, "SELECT count(*) FROM organizations").await;
    assert!(filled * 2 > all, "created_by filled on {filled} of {all}");
    let users = count(&client, "SELECT count(organization_id) FROM users").await;
    assert!(users > 0);
}

/// Guide 003: `skills` is a JSONB document built from a map of generators.
#[tokio::test]
async fn vividshift_dev_has_skills_documents() {
    let client = seed_and_check("examples/vividshift", "dev", &[])
        .await
        .client;
    let objects = "SELECT count(*) FROM participants WHERE jsonb_typeof(skills) = 'object' \
                   AND jsonb_typeof(skills->'availability') = 'object' \
                   AND jsonb_typeof(skills->'languages') = 'array'";
    let all = count(&client, "SELECT count(*) FROM participants").await;
    assert_eq!(count(&client, objects).await, all);
    // Guide 003's query shape, through the GIN-indexed column.
    let first_aid = "SELECT count(*) FROM participants WHERE skills @> '{\"first_aid\": true}'";
    let n = count(&client, first_aid).await;
    assert!(n > 0 && n < all, "{n} of {all} have first aid");
}
