//! Row-level security policies through the binary: a drift check sees a
//! database that lost its policies, `generate` builds policies naming
//! roles the embedded shadow does not have, and `migrate` refuses, before
//! running anything, migrations naming roles the target lacks.

mod common;

use common::runner::{show, unique_role};

use common::runner::strata_in as strata;

const TABLE: &str = "CREATE TABLE docs (id bigint PRIMARY KEY, org bigint NOT NULL);
     ALTER TABLE docs ENABLE ROW LEVEL SECURITY;";

#[tokio::test]
async fn diff_exit_code_sees_a_copy_without_its_policies() {
    let role = unique_role("diff reader");
    let (a, ca) = common::fresh_db("pol_a").await;
    let (b, cb) = common::fresh_db("pol_b").await;
    let create_role = format!(
        "DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    );
    common::exec(&ca, &create_role).await;
    common::exec(&ca, TABLE).await;
    common::exec(&cb, TABLE).await;
    common::exec(
        &ca,
        &format!(
            "CREATE POLICY by_org ON docs TO \"{role}\" \
             USING (org = current_setting('app.org')::bigint)"
        ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let diff = |from: &str, to: &str| common::runner::live_diff(dir.path(), from, to);
    let (ua, ub) = (a.target.url(), b.target.url());
    let out = diff(&ua, &ub);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout);
    assert!(
        sql.contains("DROP POLICY \"by_org\" ON \"public\".\"docs\";"),
        "{}",
        show(&out)
    );
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!(
            "CREATE POLICY \"by_org\" ON \"public\".\"docs\" AS PERMISSIVE FOR ALL TO \"{role}\""
        )),
        "{}",
        show(&out)
    );
    // The same policies: no difference.
    common::exec(
        &cb,
        &format!(
            "CREATE POLICY by_org ON docs TO \"{role}\" \
             USING (org = current_setting('app.org')::bigint)"
        ),
    )
    .await;
    let out = diff(&ua, &ub);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
}

#[tokio::test]
async fn generate_builds_roles_the_shadow_lacks_and_migrate_refuses_missing_ones() {
    let role = unique_role("Gen Reader");
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("schema")).unwrap();
    let yaml = format!(
        "tables:\n  docs:\n    row_level_security: enabled\n    columns:\n      \
         id: bigint primary key\n      org: bigint not null\n    policies:\n      \
         by_org:\n        to: [\"{role}\"]\n        using: org = 1\n"
    );
    std::fs::write(p.join("schema/docs.yaml"), yaml).unwrap();
    // The embedded shadow has no such role: strata creates it there.
    let out = strata(p).args(["generate", "docs"]).output().unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let sql = std::fs::read_to_string(p.join("migrations/V1__docs.sql")).unwrap();
    assert!(sql.contains(&format!("TO \"{role}\"")), "{sql}");

    // The target lacks it: refused before anything runs.
    let (db, client) = common::fresh_db("pol_migrate").await;
    let url = db.target.url();
    let out = strata(p)
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&role) && err.contains("nothing was run"),
        "{err}"
    );
    assert!(err.contains("V1__docs.sql"), "{err}");
    let tables = common::strings(
        &client,
        "SELECT relname::text FROM pg_class WHERE relname = 'docs'",
    )
    .await;
    assert!(tables.is_empty(), "nothing may run: {tables:?}");
    // `plan` says so too, before anyone tries.
    let out = strata(p)
        .args(["plan", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no role(s)") && err.contains(&role),
        "{err}"
    );

    // Once the role exists the same run applies, and plan is then empty.
    common::exec(
        &client,
        &format!(
            "DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        ),
    )
    .await;
    let out = strata(p)
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let out = strata(p)
        .args(["plan", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("POLICY"),
        "{}",
        show(&out)
    );
}

/// The owner of FORCE ROW LEVEL SECURITY tables seeds them (FORCE lifted
/// inside the seed's transaction, restored before it commits; without it
/// the owner's COPY is refused and its key lookups see nothing), and
/// imports into one only in a single transaction: a batched import is
/// refused before anything is read.
#[tokio::test]
async fn the_owner_seeds_and_imports_under_force_row_level_security() {
    let owner = unique_role("rls owner");
    let (db, client) = common::fresh_db("pol_force").await;
    common::exec(
        &client,
        &format!(
            "DO $$ BEGIN CREATE ROLE \"{owner}\" LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             GRANT CREATE, USAGE ON SCHEMA public TO \"{owner}\";
             SET ROLE \"{owner}\";
             CREATE TABLE orgs (id int PRIMARY KEY, name text NOT NULL);
             CREATE TABLE docs (id int PRIMARY KEY, org int NOT NULL REFERENCES orgs, body text);
             ALTER TABLE orgs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
             ALTER TABLE docs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
             CREATE POLICY t ON orgs USING (id = current_setting('app.org', true)::int);
             CREATE POLICY t ON docs USING (org = current_setting('app.org', true)::int);
             RESET ROLE;"
        ),
    )
    .await;
    let url = db.target.with_user(&owner).url();
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("seeds")).unwrap();
    std::fs::write(
        p.join("seeds/dev.yaml"),
        "seed: 1\ntables:\n  orgs: {rows: 5}\n  docs: {per_parent: {orgs: 3..3}}\n",
    )
    .unwrap();
    let out = strata(p)
        .args(["seed", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("FORCE ROW LEVEL SECURITY lifted"),
        "{}",
        show(&out)
    );
    let count = |sql: &'static str| {
        let client = &client;
        async move { client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0) }
    };
    assert_eq!(count("SELECT count(*) FROM orgs").await, 5);
    assert_eq!(count("SELECT count(*) FROM docs").await, 15);
    let forced = common::strings(
        &client,
        "SELECT relname::text FROM pg_class WHERE relforcerowsecurity ORDER BY 1",
    )
    .await;
    assert_eq!(forced, ["docs", "orgs"], "FORCE restored");

    let csv = p.join("docs.csv");
    std::fs::write(&csv, "id,org,body\n100,1,a\n101,2,b\n").unwrap();
    let import = |extra: &[&str]| {
        strata(p)
            .args(["import", "docs"])
            .arg(&csv)
            .args(["--database-url", &url])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = import(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--single-transaction"),
        "{}",
        show(&out)
    );
    assert_eq!(count("SELECT count(*) FROM docs").await, 15);
    let out = import(&["--single-transaction"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(count("SELECT count(*) FROM docs").await, 17);
    let forced = common::strings(
        &client,
        "SELECT relname::text FROM pg_class WHERE relforcerowsecurity ORDER BY 1",
    )
    .await;
    assert_eq!(forced, ["docs", "orgs"], "FORCE restored after the import");
}
