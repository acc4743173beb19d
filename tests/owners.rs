//! Owners (`manage: [owners]`) through the binary, on real databases:
//! `plan` gives objects the owners the YAML (and strata.yaml's `owner:`)
//! declare — existing ones and the ones it creates — and the catalog
//! agrees after the plan ran; `pull` writes owners and plan is then
//! empty; `diff --exit-code` between a database and a copy with another
//! owner exits 2; without the opt-in owners are neither compared nor
//! accepted in the YAML.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{show, unique_role};

use common::runner::strata_in as strata;

use common::runner::create_role;

fn run(project: &Path, args: &[&str], url: &str) -> Output {
    strata(project)
        .args(args)
        .args(["--database-url", url])
        .output()
        .unwrap()
}

const SCHEMA: &str = "CREATE SCHEMA app;
     CREATE TABLE app.users (id bigserial PRIMARY KEY, email text NOT NULL);
     CREATE VIEW app.emails AS SELECT email FROM app.users;
     CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.users;
     CREATE SEQUENCE app.tickets;
     CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
     CREATE PROCEDURE app.noop() LANGUAGE sql AS 'SELECT 1';
     CREATE TYPE app.mood AS ENUM ('ok', 'sad');
     CREATE DOMAIN app.email AS text;";

/// Every managed object's owner, `kind name=owner`, sorted.
async fn owners(client: &tokio_postgres::Client) -> Vec<String> {
    common::strings(
        client,
        "SELECT x FROM ( \
           SELECT c.relkind::text || ' ' || c.relname || '=' || pg_get_userbyid(c.relowner) AS x \
             FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace \
              AND c.relkind IN ('r', 'v', 'm', 'S') \
           UNION ALL SELECT 'f ' || proname || '=' || pg_get_userbyid(proowner) \
             FROM pg_proc WHERE pronamespace = 'app'::regnamespace \
           UNION ALL SELECT 't ' || typname || '=' || pg_get_userbyid(typowner) \
             FROM pg_type WHERE typnamespace = 'app'::regnamespace AND typtype IN ('e', 'd') \
           UNION ALL SELECT 'n app=' || pg_get_userbyid(nspowner) FROM pg_namespace \
            WHERE nspname = 'app') o ORDER BY x",
    )
    .await
}

#[tokio::test]
async fn plan_converges_owners_of_every_kind_and_of_what_it_creates() {
    let (team, other) = (unique_role("owner team"), unique_role("owner other"));
    let (db, client) = common::fresh_db("own_plan").await;
    common::exec(&client, &create_role(&team)).await;
    common::exec(&client, &create_role(&other)).await;
    common::exec(&client, SCHEMA).await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::write(
        p.join("strata.yaml"),
        format!("manage: [owners]\nowner: \"{team}\"\n"),
    )
    .unwrap();
    let url = db.target.url();
    let out = run(p, &["pull"], &url);
    assert!(out.status.success(), "{}", show(&out));
    // Everything belongs to the connecting superuser: pulled as such.
    let pulled = std::fs::read_to_string(p.join("schema/owners.yaml")).unwrap();
    assert!(pulled.contains("table app.users:"), "{pulled}");
    // The YAML now says: everything the team's (the default), the view
    // the other role's; a new table too.
    std::fs::remove_file(p.join("schema/owners.yaml")).unwrap();
    std::fs::write(
        p.join("schema/extra.yaml"),
        format!(
            "tables:\n  app.audit:\n    owner: \"{other}\"\n    columns:\n      id: bigint\n\
             owners:\n  view app.emails: \"{other}\"\n  function app.noop(): \"{other}\"\n"
        ),
    )
    .unwrap();
    let out = run(p, &["plan", "--exit-code"], &url);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    for expected in [
        format!("ALTER SCHEMA \"app\" OWNER TO \"{team}\";"),
        format!("ALTER TABLE \"app\".\"users\" OWNER TO \"{team}\";"),
        format!("ALTER VIEW \"app\".\"emails\" OWNER TO \"{other}\";"),
        format!("ALTER MATERIALIZED VIEW \"app\".\"counts\" OWNER TO \"{team}\";"),
        format!("ALTER SEQUENCE \"app\".\"tickets\" OWNER TO \"{team}\";"),
        format!("ALTER FUNCTION \"app\".\"answer\"() OWNER TO \"{team}\";"),
        format!("ALTER PROCEDURE \"app\".\"noop\"() OWNER TO \"{other}\";"),
        format!("ALTER TYPE \"app\".\"mood\" OWNER TO \"{team}\";"),
        format!("ALTER DOMAIN \"app\".\"email\" OWNER TO \"{team}\";"),
        format!("ALTER TABLE \"app\".\"audit\" OWNER TO \"{other}\";"),
    ] {
        assert!(
            sql.contains(&expected),
            "missing {expected}\n{}",
            show(&out)
        );
    }
    assert!(sql.contains("must be a member of"), "{sql}");
    // The new table is created before it is given away.
    let create = sql.find("CREATE TABLE \"app\".\"audit\"").unwrap();
    let alter = sql.find("ALTER TABLE \"app\".\"audit\" OWNER").unwrap();
    assert!(create < alter, "{sql}");
    // No owner for the serial column's sequence: it follows its table.
    assert!(!sql.contains("users_id_seq\" OWNER"), "{sql}");

    common::exec(&client, &sql).await;
    let after = owners(&client).await;
    let want = |k: &str, n: &str, o: &str| format!("{k} {n}={o}");
    for w in [
        want("n", "app", &team),
        want("r", "users", &team),
        want("S", "users_id_seq", &team),
        want("v", "emails", &other),
        want("m", "counts", &team),
        want("S", "tickets", &team),
        want("f", "answer", &team),
        want("f", "noop", &other),
        want("t", "mood", &team),
        want("t", "email", &team),
        want("r", "audit", &other),
    ] {
        assert!(after.contains(&w), "missing {w} in {after:?}");
    }
    let out = run(p, &["plan", "--exit-code"], &url);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));

    // Without the opt-in the YAML's owners are refused, not ignored.
    std::fs::write(p.join("strata.yaml"), "").unwrap();
    let out = run(p, &["plan"], &url);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("manage: [owners]"),
        "{}",
        show(&out)
    );
    // And without owners in the YAML, owners are not compared at all.
    std::fs::write(
        p.join("schema/extra.yaml"),
        "tables:\n  app.audit:\n    columns:\n      id: bigint\n",
    )
    .unwrap();
    common::exec(&client, "ALTER TABLE app.users OWNER TO CURRENT_USER").await;
    let out = run(p, &["plan", "--exit-code"], &url);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
}

#[tokio::test]
async fn pull_writes_owners_and_plan_is_empty() {
    let (team, other) = (unique_role("pull team"), unique_role("pull other"));
    let (db, client) = common::fresh_db("own_pull").await;
    common::exec(&client, &create_role(&team)).await;
    common::exec(&client, &create_role(&other)).await;
    common::exec(&client, SCHEMA).await;
    common::exec(
        &client,
        &format!(
            "ALTER SCHEMA app OWNER TO \"{team}\";
             ALTER TABLE app.users OWNER TO \"{team}\";
             ALTER VIEW app.emails OWNER TO \"{other}\";
             ALTER TYPE app.mood OWNER TO \"{other}\";
             ALTER FUNCTION app.answer() OWNER TO \"{team}\";"
        ),
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::write(
        p.join("strata.yaml"),
        format!("manage: [owners]\nowner: \"{team}\"\n"),
    )
    .unwrap();
    let url = db.target.url();
    let out = run(p, &["pull"], &url);
    assert!(out.status.success(), "{}", show(&out));
    let pulled = std::fs::read_to_string(p.join("schema/owners.yaml")).unwrap();
    // The default's objects are left out; the others are written.
    assert!(!pulled.contains(&team), "{pulled}");
    assert!(
        pulled.contains(&format!("view app.emails: {other}")),
        "{pulled}"
    );
    assert!(
        pulled.contains(&format!("type app.mood: {other}")),
        "{pulled}"
    );
    assert!(pulled.contains("sequence app.tickets:"), "{pulled}");
    let out = run(p, &["plan", "--exit-code"], &url);
    assert_eq!(out.status.code(), Some(0), "{}\n{pulled}", show(&out));
}

#[tokio::test]
async fn diff_exit_code_sees_a_copy_with_another_owner() {
    let owner = unique_role("diff owner");
    let (a, ca) = common::fresh_db("own_a").await;
    let (b, cb) = common::fresh_db("own_b").await;
    common::exec(&ca, &create_role(&owner)).await;
    common::exec(&ca, SCHEMA).await;
    common::exec(&cb, SCHEMA).await;
    common::exec(&ca, &format!("ALTER TABLE app.users OWNER TO \"{owner}\"")).await;
    let dir = tempfile::tempdir().unwrap();
    let diff = |from: &str, to: &str| common::runner::live_diff(dir.path(), from, to);
    let (ua, ub) = (a.target.url(), b.target.url());
    // Without the opt-in owners are not compared.
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    std::fs::write(dir.path().join("strata.yaml"), "manage: [owners]\n").unwrap();
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    let alter = format!("ALTER TABLE \"app\".\"users\" OWNER TO \"{owner}\";");
    assert!(sql.contains(&alter), "{}", show(&out));
    assert_eq!(sql.matches("OWNER TO").count(), 1, "{sql}");
    common::exec(&cb, &sql).await;
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
}

#[tokio::test]
async fn plan_warns_about_an_owner_the_target_lacks() {
    let missing = unique_role("owner nobody created");
    let (db, client) = common::fresh_db("own_missing").await;
    common::exec(&client, "CREATE TABLE t (id bigint)").await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("schema")).unwrap();
    std::fs::write(
        p.join("schema/t.yaml"),
        "tables:\n  t:\n    columns:\n      id: bigint\n",
    )
    .unwrap();
    std::fs::write(
        p.join("strata.yaml"),
        format!("manage: [owners]\nowner: \"{missing}\"\n"),
    )
    .unwrap();
    let out = run(p, &["plan", "--exit-code"], &db.target.url());
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no role(s)") && err.contains(&missing),
        "{}",
        show(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ALTER TABLE \"public\".\"t\" OWNER TO"),
        "{}",
        show(&out)
    );
}
