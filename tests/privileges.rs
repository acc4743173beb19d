//! Privileges through the binary: a drift check between two live
//! databases sees a copy that lost its grants (roles exist on both sides,
//! so no opt-in is needed), and the GRANT/REVOKE it prints make the copy
//! equal; `plan` without `manage: [privileges]` warns about grants it
//! does not manage and says how to opt in.

mod common;

use common::runner::{show, unique_role};

use common::runner::strata_in as strata;

use common::runner::create_role;

const SCHEMA: &str = "CREATE SCHEMA app;
     CREATE TABLE app.users (id bigserial PRIMARY KEY, email text NOT NULL);
     CREATE VIEW app.emails AS SELECT email FROM app.users;
     CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
     CREATE TYPE app.mood AS ENUM ('ok', 'sad');";

fn grants(reader: &str, writer: &str) -> String {
    format!(
        "GRANT USAGE ON SCHEMA app TO \"{reader}\", \"{writer}\";
         GRANT SELECT ON app.users, app.emails TO \"{reader}\";
         GRANT INSERT, UPDATE (email) ON app.users TO \"{writer}\" WITH GRANT OPTION;
         GRANT USAGE ON SEQUENCE app.users_id_seq TO \"{writer}\";
         REVOKE EXECUTE ON FUNCTION app.answer() FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION app.answer() TO \"{reader}\";
         REVOKE USAGE ON TYPE app.mood FROM PUBLIC;"
    )
}

#[tokio::test]
async fn diff_exit_code_sees_a_copy_without_its_grants() {
    let (reader, writer) = (unique_role("priv reader"), unique_role("priv writer"));
    let (a, ca) = common::fresh_db("priv_a").await;
    let (b, cb) = common::fresh_db("priv_b").await;
    common::exec(&ca, &create_role(&reader)).await;
    common::exec(&ca, &create_role(&writer)).await;
    common::exec(&ca, SCHEMA).await;
    common::exec(&cb, SCHEMA).await;
    common::exec(&ca, &grants(&reader, &writer)).await;
    let dir = tempfile::tempdir().unwrap();
    let diff = |from: &str, to: &str| common::runner::live_diff(dir.path(), from, to);
    let (ua, ub) = (a.target.url(), b.target.url());

    // b lacks a's grants: the diff grants them.
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    for expected in [
        format!("GRANT USAGE ON SCHEMA \"app\" TO \"{reader}\";"),
        format!("GRANT SELECT ON TABLE \"app\".\"users\" TO \"{reader}\";"),
        format!("GRANT SELECT ON TABLE \"app\".\"emails\" TO \"{reader}\";"),
        format!("GRANT INSERT ON TABLE \"app\".\"users\" TO \"{writer}\" WITH GRANT OPTION;"),
        format!(
            "GRANT UPDATE (\"email\") ON TABLE \"app\".\"users\" TO \"{writer}\" WITH GRANT OPTION;"
        ),
        format!("GRANT USAGE ON SEQUENCE \"app\".\"users_id_seq\" TO \"{writer}\";"),
        "REVOKE EXECUTE ON ROUTINE \"app\".\"answer\"() FROM PUBLIC;".to_string(),
        format!("GRANT EXECUTE ON ROUTINE \"app\".\"answer\"() TO \"{reader}\";"),
        "REVOKE USAGE ON TYPE \"app\".\"mood\" FROM PUBLIC;".to_string(),
    ] {
        assert!(
            sql.contains(&expected),
            "missing {expected}\n{}",
            show(&out)
        );
    }
    // The other way round: every grant revoked, the defaults given back,
    // and each revoke noted.
    let out = diff(&ua, &ub);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let back = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        back.contains(&format!(
            "REVOKE SELECT ON TABLE \"app\".\"users\" FROM \"{reader}\";"
        )),
        "{}",
        show(&out)
    );
    assert!(
        back.contains("GRANT EXECUTE ON ROUTINE \"app\".\"answer\"() TO PUBLIC;"),
        "{}",
        show(&out)
    );
    assert!(back.contains("loses SELECT on table app.users"), "{back}");

    // What the diff printed makes b equal to a.
    common::exec(&cb, &sql).await;
    let out = diff(&ub, &ua);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
}

#[tokio::test]
async fn plan_without_the_opt_in_warns_about_grants() {
    let reader = unique_role("plan reader");
    let (db, client) = common::fresh_db("priv_plan").await;
    common::exec(&client, &create_role(&reader)).await;
    common::exec(
        &client,
        &format!("CREATE TABLE t (id bigint PRIMARY KEY); GRANT SELECT ON t TO \"{reader}\";"),
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::create_dir_all(p.join("schema")).unwrap();
    std::fs::write(
        p.join("schema/t.yaml"),
        "tables:\n  t:\n    columns:\n      id: bigint primary key\n",
    )
    .unwrap();
    let url = db.target.url();
    let out = strata(p)
        .args(["plan", "--exit-code", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 grants in"), "{}", show(&out));
    assert!(err.contains("manage: [privileges]"), "{}", show(&out));
    // Under --strict the grants strata does not manage are an error.
    let out = strata(p)
        .args(["plan", "--strict", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
}

#[tokio::test]
async fn pull_with_the_opt_in_writes_grants_and_plan_is_empty() {
    let reader = unique_role("pull reader");
    let (db, client) = common::fresh_db("priv_pull").await;
    common::exec(&client, &create_role(&reader)).await;
    common::exec(
        &client,
        &format!(
            "CREATE TABLE t (id bigserial PRIMARY KEY, note text);
             GRANT SELECT, UPDATE (note) ON t TO \"{reader}\";
             GRANT USAGE ON SEQUENCE t_id_seq TO \"{reader}\";
             CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
             REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;"
        ),
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    std::fs::write(p.join("strata.yaml"), "manage: [privileges]\n").unwrap();
    let url = db.target.url();
    let out = strata(p)
        .args(["pull", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let grants = std::fs::read_to_string(p.join("schema/grants.yaml")).unwrap();
    assert!(grants.contains(&reader), "{grants}");
    assert!(grants.contains("update(note)"), "{grants}");
    assert!(grants.contains("function f(): {}"), "{grants}");
    let out = strata(p)
        .args(["plan", "--exit-code", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("grants in"),
        "{}",
        show(&out)
    );

    // A grant taken away in the YAML is planned as a REVOKE, noted.
    let edited = grants.replace(", update(note)", "");
    std::fs::write(p.join("schema/grants.yaml"), &edited).unwrap();
    let out = strata(p)
        .args(["plan", "--exit-code", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}\n{edited}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout);
    assert!(
        sql.contains(&format!(
            "REVOKE UPDATE (\"note\") ON TABLE \"public\".\"t\" FROM \"{reader}\";"
        )),
        "{}",
        show(&out)
    );
    assert!(sql.contains("loses UPDATE"), "{sql}");

    // Without the opt-in, YAML grants are refused rather than ignored.
    std::fs::remove_file(p.join("strata.yaml")).unwrap();
    let out = strata(p)
        .args(["plan", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("manage: [privileges]"),
        "{}",
        show(&out)
    );
}

/// `pg_default_acl` rows of `role`: `schema:objtype:acl` (`-` for every
/// schema), sorted.
async fn default_acl(client: &tokio_postgres::Client, role: &str) -> Vec<String> {
    common::strings(
        client,
        &format!(
            "SELECT coalesce(n.nspname, '-') || ':' || d.defaclobjtype::text || ':' || d.defaclacl::text \
               FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace \
              WHERE pg_get_userbyid(d.defaclrole) = '{}' ORDER BY 1",
            role.replace('\'', "''")
        ),
    )
    .await
}

#[tokio::test]
async fn default_privileges_pulled_planned_and_converged() {
    let (owner, reader) = (unique_role("dp owner"), unique_role("dp reader"));
    let (db, client) = common::fresh_db("priv_dp").await;
    common::exec(&client, &create_role(&owner)).await;
    common::exec(&client, &create_role(&reader)).await;
    common::exec(
        &client,
        &format!(
            "CREATE SCHEMA app;
             ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" IN SCHEMA app
               GRANT SELECT ON TABLES TO \"{reader}\";
             ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
        ),
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    let url = db.target.url();
    let run = |args: &[&str]| {
        strata(p)
            .args(args)
            .args(["--database-url", &url])
            .output()
            .unwrap()
    };
    // Without the opt-in they are reported, as before.
    std::fs::create_dir_all(p.join("schema")).unwrap();
    std::fs::write(p.join("schema/s.yaml"), "schemas: [app]\n").unwrap();
    let out = run(&["plan", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 default privileges in"),
        "{}",
        show(&out)
    );
    std::fs::remove_dir_all(p.join("schema")).unwrap();

    // With it, pull writes them and plan is empty (and quiet about them).
    std::fs::write(p.join("strata.yaml"), "manage: [privileges]\n").unwrap();
    let out = run(&["pull"]);
    assert!(out.status.success(), "{}", show(&out));
    let pulled = std::fs::read_to_string(p.join("schema/grants.yaml")).unwrap();
    assert!(pulled.contains("default_privileges:"), "{pulled}");
    assert!(pulled.contains("functions: {}"), "{pulled}");
    assert!(pulled.contains("in app:"), "{pulled}");
    let out = run(&["plan", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}\n{pulled}", show(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("default privileges"),
        "{}",
        show(&out)
    );

    // The YAML changes them: the reader may insert too, functions get
    // PUBLIC's EXECUTE back, sequences in app are the reader's to use.
    std::fs::write(
        p.join("schema/grants.yaml"),
        format!(
            "default_privileges:\n  \"{owner}\":\n    in app:\n      \
             tables: {{\"{reader}\": [select, insert]}}\n      \
             sequences: {{\"{reader}\": [usage]}}\n"
        ),
    )
    .unwrap();
    let out = run(&["plan", "--exit-code"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    for expected in [
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" IN SCHEMA \"app\" GRANT INSERT ON TABLES TO \"{reader}\";"
        ),
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" IN SCHEMA \"app\" GRANT USAGE ON SEQUENCES TO \"{reader}\";"
        ),
        format!("ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" GRANT EXECUTE ON FUNCTIONS TO PUBLIC;"),
    ] {
        assert!(sql.contains(&expected), "missing {expected}\n{}", show(&out));
    }
    assert!(sql.contains("must be a member of"), "{sql}");
    common::exec(&client, &sql).await;
    let rows = default_acl(&client, &owner).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("app:S:") && rows[0].contains("=U/"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with("app:r:") && rows[1].contains("=ar/"),
        "{rows:?}"
    );
    let out = run(&["plan", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));

    // A copy without them differs (live databases: always compared).
    let (copy, cc) = common::fresh_db("priv_dp_copy").await;
    common::exec(&cc, "CREATE SCHEMA app").await;
    let out = strata(p)
        .args([
            "diff",
            "--exit-code",
            "--from",
            &copy.target.url(),
            "--to",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let back = String::from_utf8_lossy(&out.stdout).to_string();
    common::exec(&cc, &back).await;
    assert_eq!(default_acl(&cc, &owner).await, rows);
}
