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
/// Objects of kinds strata does not diff (a cast, a text search
/// configuration) that the migrations lack go into the generated migration
/// as pg_dump writes them, interleaved with the plan where the two depend
/// on each other both ways: the cast needs the YAML type and function, the
/// YAML view needs the cast, the YAML index the configuration. The
/// migration builds on an empty database (generate verifies it, and so
/// does `migrate` here) and the next generate finds nothing to do.
#[tokio::test]
async fn generate_writes_the_undiffed_objects_the_migrations_lack() {
    let yaml = "\
types:
  pair: {attributes: {a: integer, b: integer}}
functions:
  pair_sum(pair):
    returns: integer
    language: sql
    volatility: immutable
    body: select ($1).a + ($1).b
tables:
  docs:
    columns:
      id: int primary key
      body: text
      p: pair
    indexes:
      - {name: docs_search, columns: [\"to_tsvector('public.my_cfg'::regconfig, body)\"], using: gin}
views:
  sums: SELECT id, p::integer AS s FROM docs
";
    let dir = project(
        yaml,
        "CREATE CAST (pair AS integer) WITH FUNCTION pair_sum(pair);\n\
         CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = english);\n\
         COMMENT ON TEXT SEARCH CONFIGURATION my_cfg IS 'for docs';\n",
    );
    let migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let generate = || {
        strata()
            .current_dir(dir.path())
            .args(["generate", "docs"])
            .output()
            .unwrap()
    };
    let out = generate();
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v1 = migrations.join("V1__docs.sql");
    let sql = std::fs::read_to_string(&v1).unwrap();
    let at = |needle: &str| {
        sql.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in\n{sql}"))
    };
    assert!(at("CREATE OR REPLACE FUNCTION public.pair_sum") < at("CREATE CAST"));
    assert!(at("CREATE CAST") < at("CREATE VIEW \"public\".\"sums\""));
    assert!(at("CREATE TEXT SEARCH CONFIGURATION") < at("docs_search"));
    assert!(sql.contains("COMMENT ON TEXT SEARCH CONFIGURATION public.my_cfg IS 'for docs'"));
    assert!(sql.contains("-- strata: from schema/*.sql"), "{sql}");
    // The migration builds the database the files describe.
    let (db, client) = common::fresh_db("sql_gen_undiffed").await;
    let out = strata()
        .current_dir(dir.path())
        .args(["migrate", "--database-url", &db.target.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let casts = common::strings(
        &client,
        "SELECT count(*)::text FROM pg_cast WHERE castsource = 'public.pair'::regtype",
    )
    .await;
    assert_eq!(casts, ["1"]);
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(0), "{out}\n{err}");
    // Nothing left to carry.
    let out = generate();
    let err = text(&out.stderr);
    assert!(out.status.success() && err.contains("No changes"), "{err}");
    assert_eq!(
        std::fs::read_dir(&migrations).unwrap().count(),
        3,
        "V1, down/, sums"
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
         COMMENT ON OPERATOR === (integer, integer) IS 'same';
         CREATE TYPE pair AS (a int, b int);
         CREATE FUNCTION pair_sum(pair) RETURNS integer LANGUAGE sql AS $$ SELECT ($1).a + ($1).b $$;
         CREATE CAST (pair AS integer) WITH FUNCTION pair_sum(pair);
         COMMENT ON CAST (pair AS integer) IS 'summed';
         CREATE TABLE n (id positive_int PRIMARY KEY, CONSTRAINT n_even CHECK (is_even(id)));
         CREATE VIEW evens AS SELECT id FROM n;
         ALTER VIEW evens ALTER COLUMN id SET DEFAULT 2;
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
        "COMMENT ON OPERATOR public.=== (integer, integer) IS 'same'",
        "CREATE CAST (public.pair AS integer)",
        "COMMENT ON CAST (public.pair AS integer) IS 'summed'",
        "ALTER TABLE ONLY public.evens ALTER COLUMN id SET DEFAULT 2;",
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

/// SQL functions whose bodies PostgreSQL rejects when it checks them at
/// creation — an unqualified name that resolves through the callers'
/// `search_path` (PostgREST's fixtures), `select null` for a domain result
/// — load with pg_dump, so they must build here too: created unchecked,
/// with a warning naming the file and PostgreSQL's complaint; the plan
/// turns the check off for its transaction, applies, and converges. A
/// statement that is not a function still fails.
#[tokio::test]
async fn function_bodies_that_only_resolve_when_called_build_with_a_warning() {
    let (db, client) = common::fresh_db("sql_unchecked").await;
    let sql = "\
CREATE SCHEMA api;
CREATE TABLE api.items (id int PRIMARY KEY);
CREATE DOMAIN api.positive AS int CHECK (VALUE > 0);
CREATE FUNCTION api.count_items() RETURNS bigint
  LANGUAGE sql AS $$ SELECT count(*) FROM items $$;
CREATE FUNCTION api.nothing() RETURNS api.positive LANGUAGE sql AS $$ select null $$;
";
    let dir = project(
        "tables:\n  t:\n    columns:\n      id: int primary key\n",
        sql,
    );
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(2), "{out}\n{err}");
    assert!(
        err.contains("api.count_items(): function body not checked"),
        "{err}"
    );
    assert!(err.contains("\"items\" does not exist"), "{err}");
    let first = out.lines().find(|l| !l.is_empty() && !l.starts_with("--"));
    assert_eq!(
        first,
        Some("SET LOCAL check_function_bodies = off;"),
        "{out}"
    );
    common::exec(&client, &format!("BEGIN;\n{out}\nCOMMIT;")).await;
    // The check stayed local to the migration's transaction.
    let on = common::strings(&client, "SELECT current_setting('check_function_bodies')").await;
    assert_eq!(on, ["on"]);
    // Called the way PostgREST calls it, the body works.
    common::exec(&client, "SET search_path = api").await;
    let n = common::strings(&client, "SELECT api.count_items()::text").await;
    assert_eq!(n, ["0"]);
    let (code, out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(0), "{out}\n{err}");
    // Anything else still stops the build.
    let dir = project(
        "",
        &format!("{sql}CREATE VIEW api.v AS SELECT * FROM items;\n"),
    );
    let (code, _out, err) = plan(dir.path(), &db.target.url());
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("a_helpers.sql:7:1"), "{err}");
}
