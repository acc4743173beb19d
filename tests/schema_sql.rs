//! `schema/*.sql` beside the YAML (the escape hatch): objects in plain SQL
//! are built in the shadow database together with the YAML, in whatever
//! order their dependencies need; tables they define are compared like
//! YAML ones; kinds strata does not diff are reported, never silently
//! dropped from view. Through the real binary against real PostgreSQL.

mod common;

use std::path::Path;

use common::runner::{strata, text};

/// A table whose CHECK calls a function defined in SQL, a view in SQL over
/// a YAML table (SQL file sorted *before* the YAML that defines it), and a
/// schema + table created only by SQL.
const YAML: &str = "\
tables:
  orders:
    columns:
      id: int primary key
      total: numeric not null
    checks:
      - {name: orders_total_positive, expression: positive(total)}
";
const SQL: &str = "\
-- helpers used by the YAML
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;

CREATE FUNCTION positive(numeric) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT $1 > 0 $$;
CREATE SCHEMA reporting;
CREATE TABLE reporting.notes (id int PRIMARY KEY, body text);
";
/// The same database written by hand, as a target.
const TARGET: &str = "\
CREATE FUNCTION positive(numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 > 0 $$;
CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL,
  CONSTRAINT orders_total_positive CHECK (positive(total)));
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE SCHEMA reporting;
CREATE TABLE reporting.notes (id int PRIMARY KEY, body text);
";

fn project(yaml: &str, sql: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir_all(&schema).unwrap();
    std::fs::write(schema.join("app.yaml"), yaml).unwrap();
    std::fs::write(schema.join("a_helpers.sql"), sql).unwrap();
    dir
}

fn plan(dir: &Path, url: &str) -> (Option<i32>, String, String) {
    let out = strata()
        .current_dir(dir)
        .args(["plan", "--exit-code", "--database-url", url])
        .output()
        .unwrap();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[tokio::test]
async fn sql_and_yaml_build_together_and_match_the_database_they_describe() {
    let (db, client) = common::fresh_db("sql_match").await;
    common::exec(&client, TARGET).await;
    let dir = project(YAML, SQL);
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("No changes"), "{err}");
    // reporting.notes exists only in SQL: the live side was read in that
    // schema too, so it is not planned again.
    assert!(!out.contains("reporting"), "{out}");
}

#[tokio::test]
async fn tables_from_sql_are_diffed_and_undiffed_kinds_are_reported() {
    let (db, client) = common::fresh_db("sql_diff").await;
    common::exec(
        &client,
        "CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL);",
    )
    .await;
    let sql = format!("{SQL}CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);\n");
    let dir = project(YAML, &sql);
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(2), "{out}\n{err}");
    // The SQL-defined table is created like a YAML one.
    assert!(
        out.contains("CREATE TABLE \"reporting\".\"notes\""),
        "{out}"
    );
    assert!(out.contains("positive(total)"), "{out}");
    // Views and functions are diffed like YAML ones: created by the plan,
    // the function before the check that calls it.
    assert!(
        out.contains("CREATE VIEW \"public\".\"big_orders\" AS"),
        "{out}"
    );
    let function = out.find("CREATE OR REPLACE FUNCTION public.positive(numeric)");
    let check = out.find("ADD CONSTRAINT \"orders_total_positive\"");
    assert!(function.is_some() && function < check, "{out}");
    // A kind strata does not diff is said, by name.
    assert!(
        err.contains("kinds strata does not diff that the target lacks")
            && err.contains("text search configurations public.fr")
            && !err.contains("positive(numeric)")
            && !err.contains("big_orders"),
        "{err}"
    );
}

#[tokio::test]
async fn a_broken_statement_is_named_by_file_line_and_column() {
    let (db, _client) = common::fresh_db("sql_err").await;
    let dir = project(
        YAML,
        "CREATE FUNCTION positive(numeric) RETURNS boolean\n  LANGUAGE sql AS $$ SELECT $1 > 0 $$;\n\n  CREATE VIEW v AS SELEC 1;\n",
    );
    let (code, _out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("a_helpers.sql:4:3"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

#[tokio::test]
async fn a_dependency_nothing_provides_is_reported_not_looped_on() {
    let (db, _client) = common::fresh_db("sql_missing").await;
    let dir = project(
        YAML,
        "CREATE FUNCTION positive(numeric) RETURNS boolean\n  LANGUAGE sql AS $$ SELECT $1 > 0 $$;\nCREATE VIEW v AS SELECT * FROM no_such_table;\n",
    );
    let (code, _out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("a_helpers.sql:3:1")
            && err.contains("no_such_table")
            && err.contains("does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn transaction_control_in_a_schema_file_is_refused() {
    let (db, _client) = common::fresh_db("sql_txn").await;
    let dir = project(YAML, "BEGIN;\nCREATE FUNCTION positive(numeric) RETURNS boolean LANGUAGE sql AS $$ SELECT $1 > 0 $$;\nCOMMIT;\n");
    let (code, _out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("a_helpers.sql:1:1: `BEGIN` is not allowed"),
        "{err}"
    );
}

/// `generate` writes only what it diffs: while the migrations lack the
/// text search configuration of the SQL file, it refuses by name and
/// writes nothing; once a hand-written migration creates it, the table's
/// migration — with the function its CHECK calls, a diffed kind — is
/// generated and verified.
#[tokio::test]
async fn generate_needs_the_undiffed_objects_in_a_migration_first() {
    let dir = project(
        YAML,
        "CREATE FUNCTION positive(numeric) RETURNS boolean\n  LANGUAGE sql IMMUTABLE AS $$ SELECT $1 > 0 $$;\n\
         CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = english);\n",
    );
    let migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let generate = || {
        strata()
            .current_dir(dir.path())
            .args(["generate", "orders"])
            .output()
            .unwrap()
    };
    let out = generate();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("text search configurations public.my_cfg")
            && !err.contains("positive(numeric)")
            && err.contains("nothing written"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&migrations).unwrap().count(), 0);
    std::fs::write(
        migrations.join("V1__search.sql"),
        "CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = english);\n",
    )
    .unwrap();
    let out = strata()
        .current_dir(dir.path())
        .args(["rehash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = generate();
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v2: Vec<_> = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("V2__"))
        .collect();
    assert_eq!(v2.len(), 1, "{err}");
    let sql = std::fs::read_to_string(migrations.join(&v2[0])).unwrap();
    assert!(
        sql.contains("CREATE TABLE \"public\".\"orders\"")
            && sql.contains("positive(total)")
            && sql.contains("CREATE OR REPLACE FUNCTION public.positive(numeric)"),
        "{sql}"
    );
}

/// `pull` writes what YAML cannot express (an operator, a text search
/// configuration) as SQL beside the YAML and the rest (a domain, a
/// function a CHECK calls, a view, an aggregate) as YAML, so the very next `plan` builds
/// and is empty; a second pull needs --force and replaces it.
#[tokio::test]
async fn pull_writes_unmodelled_objects_as_sql_and_plan_is_empty() {
    let (db, client) = common::fresh_db("sql_pull").await;
    common::exec(
        &client,
        "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
         CREATE FUNCTION is_even(integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 % 2 = 0 $$;
         CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
         COMMENT ON AGGREGATE total(integer) IS 'sum it';
         CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
         CREATE TABLE n (id positive_int PRIMARY KEY, CONSTRAINT n_even CHECK (is_even(id)));
         CREATE VIEW evens AS SELECT id FROM n;
         CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.target.url();
    let pull = |extra: &[&str]| {
        strata()
            .current_dir(dir.path())
            .args(["pull", "--database-url", &url, "--out", "schema"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = pull(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sql = std::fs::read_to_string(dir.path().join("schema/unmodelled.sql")).unwrap();
    for want in [
        "CREATE OPERATOR public.=== (",
        "CREATE TEXT SEARCH CONFIGURATION public.fr",
    ] {
        assert!(sql.contains(want), "{want}:\n{sql}");
    }
    // Kinds the YAML models are not written twice.
    for modelled in [
        "CREATE DOMAIN",
        "CREATE VIEW",
        "CREATE FUNCTION",
        "CREATE AGGREGATE",
        "COMMENT ON AGGREGATE",
    ] {
        assert!(!sql.contains(modelled), "{modelled}:\n{sql}");
    }
    let yaml = std::fs::read_to_string(dir.path().join("schema/public.yaml")).unwrap();
    for name in [
        "positive_int",
        "evens",
        "is_even",
        "total(integer)",
        "sum it",
    ] {
        assert!(yaml.contains(name), "{name}:\n{yaml}");
    }
    // Not a session setting that would leak into the YAML's statements.
    assert!(
        !sql.contains("set_config") && !sql.contains("\\restrict"),
        "{sql}"
    );
    let (code, out, err) = plan(dir.path(), &url);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("No changes"), "{err}");
    let again = pull(&[]);
    assert!(!again.status.success());
    assert!(pull(&["--force"]).status.success());
}

/// A schema declaring only a view (or only a collation, a domain, …) is a
/// desired state, not an empty directory (found on migra's fixtures).
#[tokio::test]
async fn a_schema_of_views_alone_is_not_empty() {
    let (db, _client) = common::fresh_db("sql_views_only").await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir_all(&schema).unwrap();
    std::fs::write(
        schema.join("app.yaml"),
        "views:\n  one: SELECT 1 AS x\ncollations:\n  bytes: {locale: C}\n",
    )
    .unwrap();
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(2), "{out}\n{err}");
    assert!(out.contains("CREATE VIEW \"public\".\"one\""), "{out}");
    assert!(out.contains("CREATE COLLATION"), "{out}");
}
