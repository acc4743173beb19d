//! `strata seed` end to end against real PostgreSQL: every foreign key
//! holds (enforced, and no orphans by query), fan-outs stay in range,
//! cycles and self-references are filled after loading, the same seed gives
//! byte-identical tables whatever --jobs and --batch-size are, and --force,
//! --tables, --scale and --dry-run do what they say. A bad profile fails at
//! file:line:col before anything is written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use futures_util::StreamExt;
use tokio_postgres::Client;

const SCHEMA: &str = "
CREATE TYPE role AS ENUM ('user', 'admin');
CREATE TABLE organizations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    slug varchar(64) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
    created_by bigint
);
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations(id),
    email text NOT NULL UNIQUE,
    role role NOT NULL DEFAULT 'user',
    manager_id bigint REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE organizations ADD FOREIGN KEY (created_by) REFERENCES users(id);
CREATE TABLE projects (
    org_id bigint NOT NULL REFERENCES organizations(id),
    code text NOT NULL,
    title text,
    PRIMARY KEY (org_id, code)
);
CREATE TABLE tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id bigint NOT NULL,
    project_code text NOT NULL,
    assignee bigint REFERENCES users(id),
    done boolean NOT NULL DEFAULT false,
    skills jsonb,
    FOREIGN KEY (org_id, project_code) REFERENCES projects(org_id, code)
);
CREATE INDEX tasks_skills_idx ON tasks USING gin (skills);
COMMENT ON INDEX tasks_skills_idx IS 'skill search';
CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE role = 'admin';
";

const PROFILE: &str = "
seed: 7
tables:
  organizations:
    rows: 6
    columns:
      slug: {slug, unique: true}
      created_by: {null_ratio: 0.2}
  users:
    per_parent: {organizations: 3..8}
    columns:
      email: {email, unique: true}
      role: {one_of: {user: 4, admin: 1}}
      manager_id: {null_ratio: 0.1}
  projects:
    per_parent: {organizations: 1..4}
    columns:
      code: {sequence: {start: 1, format: \"P-{seq:03}\"}}
  tasks:
    per_parent: {projects: 2..5}
    columns:
      skills:
        json:
          level: {uniform: [1, 5]}
          tags: {array: word, length: 0..3}
";

fn strata(project: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project);
    c
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// A project directory with `seeds/dev.yaml`.
fn project(profile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    std::fs::write(dir.path().join("seeds/dev.yaml"), profile).unwrap();
    dir
}

fn seed(project: &Path, url: &str, args: &[&str]) -> Output {
    strata(project)
        .args(["seed", "--database-url", url])
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "strata seed failed: {}", stderr(&out));
    out
}

async fn number(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Every table's `COPY … TO STDOUT` bytes, in key order.
async fn contents(client: &Client) -> Vec<u8> {
    let mut out = Vec::new();
    for (t, order) in [
        ("organizations", "id"),
        ("users", "id"),
        ("projects", "org_id, code"),
        ("tasks", "id"),
    ] {
        let sql = format!("COPY (SELECT * FROM {t} ORDER BY {order}) TO STDOUT");
        let stream = client.copy_out(&sql).await.unwrap();
        futures_util::pin_mut!(stream);
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk.unwrap());
        }
    }
    out
}

#[tokio::test]
async fn keys_hold_fan_outs_stay_in_range_cycles_and_trees_are_filled() {
    let (db, client) = common::fresh_db("seed_keys").await;
    common::exec(&client, SCHEMA).await;
    let dir = project(PROFILE);
    ok(seed(dir.path(), &db.target.url(), &[]));

    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        6
    );
    // Fan-outs: every parent has between min and max children.
    for (sql, lo, hi) in [
        ("SELECT count(*) FROM users GROUP BY organization_id", 3, 8),
        ("SELECT count(*) FROM projects GROUP BY org_id", 1, 4),
        (
            "SELECT count(*) FROM tasks GROUP BY org_id, project_code",
            2,
            5,
        ),
    ] {
        let counts: Vec<i64> = client
            .query(sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!counts.is_empty(), "{sql}");
        assert!(
            counts.iter().all(|c| (lo..=hi).contains(c)),
            "{sql}: {counts:?}"
        );
    }
    assert_eq!(
        number(&client, "SELECT count(DISTINCT organization_id) FROM users").await,
        6,
        "every organization has users"
    );
    // No orphans (the constraints are enforced too; this proves the loader
    // did not disable them).
    for sql in [
        "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = u.organization_id)",
        "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE (p.org_id, p.code) = (t.org_id, t.project_code))",
        "SELECT count(*) FROM tasks t WHERE t.assignee IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.assignee)",
        "SELECT count(*) FROM organizations o WHERE o.created_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.created_by)",
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated",
    ] {
        assert_eq!(number(&client, sql).await, 0, "{sql}");
    }
    // The indexes the loader rebuilds are back, comment included.
    let idx = common::strings(
        &client,
        "SELECT indexdef || ' ' || coalesce(obj_description(indexrelid::regclass, 'pg_class'), '') \
         FROM pg_indexes JOIN pg_index ON indexrelid = format('%I.%I', schemaname, indexname)::regclass \
         WHERE indexname IN ('tasks_skills_idx', 'users_lower_email_idx') ORDER BY indexname",
    )
    .await;
    assert_eq!(idx.len(), 2, "{idx:?}");
    assert!(
        idx[0].contains("USING gin (skills) skill search"),
        "{idx:?}"
    );
    assert!(idx[1].contains("WHERE (role = 'admin'::role)"), "{idx:?}");
    // The foreign keys the loader suspends are all back (validated).
    assert_eq!(
        number(
            &client,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
        )
        .await,
        6
    );
    // The cycle organizations.created_by → users was filled afterwards.
    let filled = number(&client, "SELECT count(created_by) FROM organizations").await;
    assert!(filled >= 3, "created_by filled on {filled} of 6 rows");
    // The self-reference is a tree: every manager is an earlier row.
    assert!(number(&client, "SELECT count(manager_id) FROM users").await > 0);
    assert_eq!(
        number(&client, "SELECT count(*) FROM users WHERE manager_id >= id").await,
        0
    );
    assert_eq!(
        number(&client, "SELECT count(*) FROM users WHERE role = 'admin'").await
            + number(&client, "SELECT count(*) FROM users WHERE role = 'user'").await,
        number(&client, "SELECT count(*) FROM users").await
    );
}

#[tokio::test]
async fn same_seed_same_bytes_whatever_threads_and_batches() {
    let dir = project(PROFILE);
    let mut runs = Vec::new();
    for args in [
        vec!["--jobs", "1", "--batch-size", "1000"],
        vec!["--jobs", "4", "--batch-size", "7"],
    ] {
        let (db, client) = common::fresh_db("seed_det").await;
        common::exec(&client, SCHEMA).await;
        ok(seed(dir.path(), &db.target.url(), &args));
        runs.push(contents(&client).await);
    }
    assert!(runs[0].len() > 1000);
    assert!(runs[0] == runs[1], "the two runs differ");
}

#[tokio::test]
async fn force_tables_scale_and_dry_run() {
    let (db, client) = common::fresh_db("seed_flags").await;
    common::exec(&client, SCHEMA).await;
    let url = db.target.url();
    let dir = project(PROFILE);

    // Dry run: the plan and sample rows on stdout, nothing written.
    let out = ok(seed(dir.path(), &url, &["--dry-run"]));
    let plan = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(plan.contains("1. organizations: 6 rows"), "{plan}");
    assert!(plan.contains("-- users (first 3 rows)"), "{plan}");
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        0
    );

    ok(seed(dir.path(), &url, &[]));
    // Non-empty tables are refused, naming them; nothing changes.
    let out = seed(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        6
    );

    // --force empties first; --scale multiplies rows: counts.
    ok(seed(dir.path(), &url, &["--force", "--scale", "2"]));
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        12
    );
    assert_eq!(
        number(&client, "SELECT min(id) FROM organizations").await,
        1,
        "RESTART IDENTITY"
    );

    // --tables: only tasks, from the projects already there.
    common::exec(&client, "DELETE FROM tasks").await;
    let projects = number(&client, "SELECT count(*) FROM projects").await;
    ok(seed(dir.path(), &url, &["--tables", "tasks"]));
    let tasks = number(&client, "SELECT count(*) FROM tasks").await;
    assert!(
        tasks >= 2 * projects && tasks <= 5 * projects,
        "{tasks} tasks for {projects} projects"
    );
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        12
    );

    // --tables with a parent that has no rows: a clear error.
    common::exec(&client, "TRUNCATE organizations, users, projects, tasks").await;
    let out = seed(dir.path(), &url, &["--tables", "tasks"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("projects"), "{}", stderr(&out));
    assert!(stderr(&out).contains("no rows"), "{}", stderr(&out));
}

#[tokio::test]
async fn bad_profiles_fail_before_anything_is_written() {
    let (db, client) = common::fresh_db("seed_bad").await;
    common::exec(&client, SCHEMA).await;
    let url = db.target.url();
    // An unknown column, at its position.
    let dir =
        project("tables:\n  organizations:\n    rows: 3\n    columns:\n      nmae: company_name\n");
    let out = seed(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("dev.yaml:5:7"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("name"),
        "did-you-mean: {}",
        stderr(&out)
    );
    // Unique that cannot hold: named, and the table stays empty.
    let dir = project(
        "tables:\n  organizations:\n    rows: 30\n    columns:\n      slug: {one_of: [a, b, c]}\n",
    );
    let out = seed(dir.path(), &url, &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("organizations.slug"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("distinct"), "{}", stderr(&out));
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        0
    );
    // from_parent through a column that is not a foreign key, or to a
    // column the parent lacks: at the spec's position.
    let dir = project("tables:\n  users:\n    rows: 3\n    columns:\n      email: {from_parent: role}\n      created_at: {from_parent: organization_id}\n");
    let out = seed(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("dev.yaml:5:28"), "{}", stderr(&out));
    assert!(stderr(&out).contains("role is not one"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("organizations has no column created_at"),
        "{}",
        stderr(&out)
    );
    // A missing profile names what exists.
    let out = seed(dir.path(), &url, &["--profile", "ci"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("profiles there: dev"),
        "{}",
        stderr(&out)
    );
    // A value the server refuses (the check on slug): that table rolls
    // back whole and the error says which table.
    let dir = project("tables:\n  organizations:\n    rows: 5\n    columns:\n      slug: {template: \"UPPER-{seq}\"}\n");
    let out = seed(dir.path(), &url, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("organizations"), "{}", stderr(&out));
    assert!(stderr(&out).contains("check"), "{}", stderr(&out));
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        0
    );
}

/// A role that may write the tables but does not own them cannot suspend
/// the foreign keys: it loads with them checked row by row, same rows.
#[tokio::test]
async fn a_non_owner_seeds_with_constraints_in_place() {
    let (db, client) = common::fresh_db("seed_role").await;
    common::exec(&client, SCHEMA).await;
    common::exec(
        &client,
        "DO $$ BEGIN CREATE ROLE strata_seeder LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         GRANT ALL ON ALL TABLES IN SCHEMA public TO strata_seeder;
         GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO strata_seeder;",
    )
    .await;
    let mut config = db.target.config.clone();
    config.user("strata_seeder");
    let url = strata::db::Target::from_config(config).url();
    let dir = project(PROFILE);
    let out = ok(seed(dir.path(), &url, &[]));
    assert!(stderr(&out).contains("not the owner"), "{}", stderr(&out));
    assert_eq!(
        number(&client, "SELECT count(*) FROM organizations").await,
        6
    );
    assert_eq!(
        number(
            &client,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
        )
        .await,
        6
    );
}

/// The seed is one transaction: a load that fails half-way (a check the
/// generator breaks, in the third table) leaves the earlier data, the
/// `--force` TRUNCATE and the suspended foreign keys exactly as they were.
#[tokio::test]
async fn a_failed_seed_changes_nothing() {
    let (db, client) = common::fresh_db("seed_atomic").await;
    common::exec(&client, SCHEMA).await;
    common::exec(&client, "ALTER TABLE projects ADD CHECK (code LIKE 'P-%')").await;
    let url = db.target.url();
    ok(seed(project(PROFILE).path(), &url, &[]));
    let before = contents(&client).await;
    let broken = PROFILE.replace("format: \"P-{seq:03}\"", "format: \"X-{seq:03}\"");
    let out = seed(project(&broken).path(), &url, &["--force"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("projects"), "{}", stderr(&out));
    assert!(contents(&client).await == before, "data changed");
    assert_eq!(
        number(
            &client,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
        )
        .await,
        6
    );
}

/// PostgreSQL 18: VIRTUAL generated columns are the database's to fill,
/// like STORED ones (a NOT NULL one and one under a named NOT NULL
/// included); a profile that sets one is refused.
#[tokio::test]
async fn virtual_generated_columns_are_left_to_the_database() {
    if common::server_major().await < 18 {
        eprintln!("skip: VIRTUAL generated columns need PostgreSQL 18");
        return;
    }
    let (db, client) = common::fresh_db("seed_virtual").await;
    common::exec(
        &client,
        "CREATE TABLE items (
            id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            price int CONSTRAINT price_set NOT NULL CHECK (price > 0),
            doubled int GENERATED ALWAYS AS (price * 2) VIRTUAL NOT NULL,
            label text GENERATED ALWAYS AS ('#' || id::text)
        )",
    )
    .await;
    let url = db.target.url();
    let profile = "seed: 1\ntables:\n  items:\n    rows: 20\n    columns:\n      price: {uniform: [1, 100]}\n";
    ok(seed(project(profile).path(), &url, &[]));
    assert_eq!(
        number(
            &client,
            "SELECT count(*) FROM items WHERE doubled = price * 2 AND label = '#' || id"
        )
        .await,
        20
    );
    let bad = "seed: 1\ntables:\n  items:\n    rows: 2\n    columns:\n      doubled: {uniform: [1, 100]}\n";
    let out = seed(project(bad).path(), &url, &["--force"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("items.doubled is a generated column"),
        "{}",
        stderr(&out)
    );
}

/// Keys drawn from a standalone sequence shared by two tables are the
/// database's to fill, like serial ones: both tables get rows, the ids
/// never collide, and the sequence moved on.
#[tokio::test]
async fn defaults_from_a_shared_standalone_sequence_are_filled_by_the_database() {
    let (db, client) = common::fresh_db("seed_standalone_seq").await;
    common::exec(
        &client,
        "CREATE SEQUENCE global_id START 1000;
         CREATE TABLE a (id bigint PRIMARY KEY DEFAULT nextval('global_id'), v text);
         CREATE TABLE b (id bigint PRIMARY KEY DEFAULT nextval('global_id'), a_id bigint REFERENCES a);",
    )
    .await;
    let profile = "seed: 3\ntables:\n  a: {rows: 5}\n  b: {rows: 7}\n";
    ok(seed(project(profile).path(), &db.target.url(), &[]));
    let ids = "SELECT count(DISTINCT id) FROM (SELECT id FROM a UNION ALL SELECT id FROM b) x \
               WHERE id >= 1000";
    assert_eq!(number(&client, ids).await, 12);
    assert_eq!(
        number(&client, "SELECT last_value FROM global_id").await,
        1011
    );
}

/// Domain columns get their base type's generator within the bounds of
/// simple domain CHECKs; range and multirange columns (built in and user
/// range types) get non-empty ranges; a NOT NULL composite column without
/// a generator is refused by name, and one with a template is filled.
#[tokio::test]
async fn domains_ranges_and_composites_are_generated() {
    let (db, client) = common::fresh_db("seed_types").await;
    common::exec(
        &client,
        "CREATE DOMAIN small_pos AS integer CHECK (VALUE > 0) CHECK (VALUE <= 50);
         CREATE DOMAIN negative AS bigint CHECK (VALUE < 0);
         CREATE DOMAIN code AS text CHECK (length(VALUE) <= 5);
         CREATE TYPE floatrange AS RANGE (subtype = float8);
         CREATE TYPE pair AS (a int, b text);
         CREATE TABLE t (
           id int PRIMARY KEY, q small_pos NOT NULL, n negative NOT NULL, c code NOT NULL,
           r int4range NOT NULL, d daterange NOT NULL, ts tstzmultirange NOT NULL,
           f floatrange NOT NULL, fm floatmultirange NOT NULL, p pair NOT NULL)",
    )
    .await;
    let url = db.target.url();
    let bare = "seed: 1\ntables:\n  t:\n    rows: 200\n";
    let out = seed(project(bare).path(), &url, &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("t.p (public.pair) is NOT NULL and has no default generator"),
        "{}",
        stderr(&out)
    );
    let profile = format!("{bare}    columns:\n      p: {{template: \"({{seq}},x)\"}}\n");
    ok(seed(project(&profile).path(), &url, &[]));
    let sql = "SELECT count(*) FROM t WHERE q BETWEEN 1 AND 50 AND n < 0 AND length(c) <= 5 \
               AND NOT isempty(r) AND NOT isempty(d) AND NOT isempty(f) \
               AND NOT isempty(fm) AND NOT isempty(ts) AND (p).b = 'x'";
    assert_eq!(number(&client, sql).await, 200);
}

/// A partitioned table is seeded through its parent, which routes every
/// row to its partition (none twice); profiling a partition is refused.
#[tokio::test]
async fn partitioned_tables_are_seeded_through_their_parent() {
    let (db, client) = common::fresh_db("seed_parts").await;
    common::exec(
        &client,
        "CREATE TABLE kinds (id int PRIMARY KEY);
         INSERT INTO kinds VALUES (1), (2), (3);
         CREATE TABLE m (id serial, at date NOT NULL, kind int REFERENCES kinds,
           PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE m_rest PARTITION OF m DEFAULT;
         CREATE TABLE notes (id int PRIMARY KEY, m_id int, m_at date,
           FOREIGN KEY (m_id, m_at) REFERENCES m);",
    )
    .await;
    let url = db.target.url();
    let profile = "seed: 3\ntables:\n  m:\n    rows: 40\n  notes:\n    per_parent: {m: 1..2}\n";
    ok(seed(project(profile).path(), &url, &[]));
    assert_eq!(number(&client, "SELECT count(*) FROM m").await, 40);
    assert_eq!(
        number(
            &client,
            "SELECT (SELECT count(*) FROM m_2024) + (SELECT count(*) FROM m_rest)"
        )
        .await,
        40
    );
    assert!(number(&client, "SELECT count(*) FROM notes").await >= 40);
    // Without a DEFAULT partition, the key's default generator draws
    // inside the partitions' bounds: every row lands in m_2024.
    common::exec(
        &client,
        "TRUNCATE notes; ALTER TABLE m DETACH PARTITION m_rest",
    )
    .await;
    ok(seed(project(profile).path(), &url, &["--force"]));
    assert_eq!(number(&client, "SELECT count(*) FROM m_2024").await, 40);
    // A generator the profile gives that draws outside every bound is
    // refused with a hint, and nothing is written.
    let outside = "seed: 3\ntables:\n  m:\n    rows: 40\n    columns:\n      at: {date: [2030-01-01, 2030-12-31]}\n";
    let out = seed(project(outside).path(), &url, &["--force"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no partition of relation"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("add a DEFAULT partition"),
        "{}",
        stderr(&out)
    );
    assert_eq!(number(&client, "SELECT count(*) FROM m_2024").await, 40);
    let bad = "seed: 3\ntables:\n  m_2024:\n    rows: 5\n";
    let out = seed(project(bad).path(), &url, &["--force"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("m_2024 is a partition of m: profile the parent"),
        "{}",
        stderr(&out)
    );
}
