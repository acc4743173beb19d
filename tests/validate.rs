//! `strata validate` end to end, through the binary, on databases built by
//! hand on a real PostgreSQL: every kind of problem (made the way it
//! happens in production: a CREATE INDEX CONCURRENTLY failing on duplicates,
//! a REINDEX CONCURRENTLY failing half-way, rows inserted with explicit
//! ids), findings asserted exactly, exit codes, and the suggested fixes
//! applied to prove PostgreSQL accepts them.

mod common;

use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value;
use tokio_postgres::Client;

fn strata(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .args(["validate", "--database-url", url]);
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("strata runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// `validate --format json`: exit code and the findings as
/// (check, object, detail, fix).
fn findings(cmd: &mut Command) -> (i32, Vec<[String; 4]>) {
    let out = run(cmd.args(["--format", "json"]));
    let stdout = text(&out.stdout);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{}", text(&out.stderr)));
    let list = json["findings"].as_array().expect("findings array");
    assert_eq!(json["ok"].as_bool(), Some(list.is_empty()), "{stdout}");
    let rows = list
        .iter()
        .map(|f| {
            let obj = f.as_object().expect("finding object");
            assert_eq!(obj.len(), 4, "exactly check/object/detail/fix: {f}");
            ["check", "object", "detail", "fix"].map(|k| f[k].as_str().expect(k).to_string())
        })
        .collect();
    (out.status.code().expect("exit code"), rows)
}

/// A statement that must fail (outside any transaction block: CONCURRENTLY).
async fn must_fail(client: &Client, sql: &str) {
    assert!(
        client.batch_execute(sql).await.is_err(),
        "should fail: {sql}"
    );
}

/// One of each problem, mixed-case names included, plus objects that must
/// NOT be reported (validated constraints, a sequence ahead of its column,
/// partitions, an extension's table, the migration history table).
const PROBLEMS: &str = r#"
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Customer" ("Id" int PRIMARY KEY, "Region" text NOT NULL, UNIQUE ("Id", "Region"));
INSERT INTO "Sales"."Customer" VALUES (1, 'eu'), (2, 'us');
CREATE TABLE "Sales"."Order" (id serial PRIMARY KEY, "CustomerId" int, "Region" text, amount int);
INSERT INTO "Sales"."Order" ("CustomerId", "Region", amount) VALUES
  (1, 'eu', 5), (3, 'eu', -1), (NULL, 'xx', 3), (2, NULL, -4), (9, 'us', 1), (NULL, NULL, NULL);
-- MATCH SIMPLE: 3 and 9 are orphans, NULLs pass.
ALTER TABLE "Sales"."Order" ADD CONSTRAINT "Order_Customer_fk"
  FOREIGN KEY ("CustomerId") REFERENCES "Sales"."Customer" NOT VALID;
-- MATCH FULL, composite: (3,eu) (9,us) orphans, (NULL,xx) (2,NULL) partly NULL; (NULL,NULL) passes.
ALTER TABLE "Sales"."Order" ADD CONSTRAINT "Order_full_fk" FOREIGN KEY ("CustomerId", "Region")
  REFERENCES "Sales"."Customer" ("Id", "Region") MATCH FULL NOT VALID;
-- -1 and -4 violate; NULL passes.
ALTER TABLE "Sales"."Order" ADD CONSTRAINT "Amount_Positive" CHECK (amount > 0) NOT VALID;
-- The serial sequence set back: next is 3, max(id) is 6.
SELECT setval('"Sales"."Order_id_seq"', 2);
-- NOT VALID but nothing violates it.
CREATE TABLE "Sales"."Invoice" (id bigserial PRIMARY KEY, "CustomerId" int NOT NULL);
INSERT INTO "Sales"."Invoice" ("CustomerId") VALUES (1), (2);
ALTER TABLE "Sales"."Invoice" ADD CONSTRAINT invoice_customer
  FOREIGN KEY ("CustomerId") REFERENCES "Sales"."Customer" NOT VALID;
CREATE DOMAIN "Sales".positive AS int;
ALTER DOMAIN "Sales".positive ADD CONSTRAINT positive_ck CHECK (VALUE > 0) NOT VALID;
-- Partitioned: a CHECK NOT VALID (reported once, on the parent, counting
-- rows of every partition) and an index ON ONLY (invalid until attached).
CREATE TABLE "Sales".events (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE "Sales".events_1 PARTITION OF "Sales".events FOR VALUES IN (1);
CREATE TABLE "Sales".events_2 PARTITION OF "Sales".events FOR VALUES IN (2);
INSERT INTO "Sales".events VALUES (1, 1), (2, 2), (3, 2);
ALTER TABLE "Sales".events ADD CONSTRAINT k_small CHECK (k < 2) NOT VALID;
CREATE INDEX events_k ON ONLY "Sales".events (k);
-- Identity column filled with OVERRIDING SYSTEM VALUE: next is 1, max is 10.
CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);
INSERT INTO ident OVERRIDING SYSTEM VALUE VALUES (1, 'a'), (2, 'b'), (10, 'c');
-- A descending sequence nobody owns, drawn by a DEFAULT: next is -1, min is -5.
CREATE SEQUENCE down_seq INCREMENT BY -1 MAXVALUE -1 START WITH -1;
CREATE TABLE down (id bigint PRIMARY KEY DEFAULT nextval('down_seq'));
INSERT INTO down VALUES (-1), (-2), (-5);
-- One sequence, two tables: next is 4, max(sb.id) is 7.
CREATE SEQUENCE shared_seq;
CREATE TABLE sa (id int PRIMARY KEY DEFAULT nextval('shared_seq'));
CREATE TABLE sb (id int PRIMARY KEY DEFAULT nextval('shared_seq'));
INSERT INTO sa DEFAULT VALUES; INSERT INTO sa DEFAULT VALUES; INSERT INTO sa DEFAULT VALUES;
INSERT INTO sb VALUES (7);
-- Fine: a sequence ahead of its column, an empty serial table.
CREATE TABLE ahead (id serial PRIMARY KEY);
INSERT INTO ahead VALUES (1), (2);
SELECT setval('ahead_id_seq', 100);
CREATE TABLE empty (id serial PRIMARY KEY);
-- No primary key: plain, with a usable unique index, partitioned.
CREATE TABLE "Sales"."Audit Log" (at timestamptz, what text);
CREATE TABLE nopk (a int NOT NULL, b text);
CREATE UNIQUE INDEX nopk_a ON nopk (a);
CREATE TABLE "Sales".metrics (at date, v int) PARTITION BY RANGE (at);
CREATE TABLE "Sales".metrics_2024 PARTITION OF "Sales".metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE "Sales".metrics_2025 PARTITION OF "Sales".metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- Not reported: bookkeeping and an extension's own table.
CREATE TABLE refinery_schema_history (version int4, name text, applied_on text, checksum text);
CREATE TABLE ext_owned (x int);
ALTER EXTENSION plpgsql ADD TABLE ext_owned;
-- Tables for the index failures below.
CREATE TABLE dup (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int);
INSERT INTO dup (x) VALUES (1), (1), (NULL), (NULL), (2);
CREATE TABLE rx (id int PRIMARY KEY, v int);
INSERT INTO rx VALUES (1, 1), (2, 2);
CREATE FUNCTION fails_when_asked(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('strata_test.fail', true) = 'on' THEN RAISE EXCEPTION 'asked to fail'; END IF;
  RETURN $1;
END $$;
CREATE INDEX rx_f_idx ON rx (fails_when_asked(v));
"#;

async fn build_problems(client: &Client) {
    common::exec(client, PROBLEMS).await;
    // A unique build that meets duplicates leaves an INVALID index behind.
    must_fail(client, "CREATE UNIQUE INDEX CONCURRENTLY dup_x ON dup (x)").await;
    // A REINDEX CONCURRENTLY failing half-way leaves `<name>_ccnew`.
    common::exec(client, "SET strata_test.fail = 'on'").await;
    must_fail(client, "REINDEX INDEX CONCURRENTLY rx_f_idx").await;
    common::exec(client, "RESET strata_test.fail").await;
}

/// (check, object, a piece of the detail) in report order.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "invalid_index",
        r#""Sales"."events_k""#,
        r#"2 partition(s) lacking an attached index: "Sales"."events_1", "Sales"."events_2""#,
    ),
    (
        "invalid_index",
        r#""public"."dup_x""#,
        "indisvalid = false, indisready = false",
    ),
    (
        "invalid_index",
        r#""public"."rx_f_idx_ccnew""#,
        "failed REINDEX CONCURRENTLY",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."Invoice"."invoice_customer""#,
        "NOT VALID: 0 orphan rows",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."Order"."Amount_Positive""#,
        "2 violating row(s)",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."Order"."Order_Customer_fk""#,
        "NOT VALID: 2 orphan row(s)",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."Order"."Order_full_fk""#,
        "MATCH FULL NOT VALID: 4 orphan row(s)",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."events"."k_small""#,
        "2 violating row(s)",
    ),
    (
        "not_valid_constraint",
        r#""Sales"."positive"."positive_ck""#,
        "domain constraint",
    ),
    (
        "sequence_behind",
        r#""Sales"."Order_id_seq""#,
        r#"next nextval() returns 3 but max("Sales"."Order"."id") = 6"#,
    ),
    (
        "sequence_behind",
        r#""public"."down_seq""#,
        r#"next nextval() returns -1 but min("public"."down"."id") = -5"#,
    ),
    (
        "sequence_behind",
        r#""public"."ident_id_seq""#,
        r#"next nextval() returns 1 but max("public"."ident"."id") = 10"#,
    ),
    (
        "sequence_behind",
        r#""public"."shared_seq""#,
        r#"next nextval() returns 4 but max("public"."sb"."id") = 7"#,
    ),
    (
        "missing_primary_key",
        r#""Sales"."Audit Log""#,
        "table has no primary key",
    ),
    (
        "missing_primary_key",
        r#""Sales"."metrics""#,
        "partitioned table with 2 partition(s)",
    ),
    (
        "missing_primary_key",
        r#""public"."nopk""#,
        "table has no primary key",
    ),
];

fn assert_findings(got: &[[String; 4]], expected: &[(&str, &str, &str)]) {
    let pairs: Vec<(&str, &str)> = got.iter().map(|f| (&*f[0], &*f[1])).collect();
    let want: Vec<(&str, &str)> = expected.iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(pairs, want, "findings:\n{got:#?}");
    for (f, e) in got.iter().zip(expected) {
        assert!(
            f[2].contains(e.2),
            "{}: detail {:?} lacks {:?}",
            f[1],
            f[2],
            e.2
        );
    }
}

fn fix_of<'a>(got: &'a [[String; 4]], object: &str) -> &'a str {
    &got.iter().find(|f| f[1] == object).expect(object)[3]
}

#[tokio::test]
async fn every_problem_is_reported_exactly_and_the_fixes_work() {
    let (db, client) = common::fresh_db("validate").await;
    build_problems(&client).await;
    let url = db.target.url();
    let t = Instant::now();
    let (code, got) = findings(&mut strata(&url));
    eprintln!("validate (json) took {:?}", t.elapsed());
    assert_eq!(code, 1);
    assert_findings(&got, EXPECTED);
    // Fixes: the exact SQL for the simple cases.
    assert_eq!(
        fix_of(&got, r#""public"."shared_seq""#),
        r#"SELECT setval('"public"."shared_seq"', GREATEST((SELECT max("id") FROM "public"."sa"), (SELECT max("id") FROM "public"."sb")));"#
    );
    assert_eq!(
        fix_of(&got, r#""public"."down_seq""#),
        r#"SELECT setval('"public"."down_seq"', (SELECT min("id") FROM "public"."down"));"#
    );
    assert!(fix_of(&got, r#""Sales"."Invoice"."invoice_customer""#)
        .starts_with(r#"ALTER TABLE "Sales"."Invoice" VALIDATE CONSTRAINT "invoice_customer";"#));
    assert!(fix_of(&got, r#""public"."rx_f_idx_ccnew""#)
        .starts_with(r#"DROP INDEX CONCURRENTLY "public"."rx_f_idx_ccnew";"#));
    assert!(fix_of(&got, r#""public"."nopk""#)
        .contains(r#"ALTER TABLE "public"."nopk" ADD PRIMARY KEY USING INDEX "nopk_a";"#));
    let dup_fix = fix_of(&got, r#""public"."dup_x""#);
    assert!(dup_fix.contains(r#"SELECT x, count(*) FROM "public"."dup" WHERE (x) IS NOT NULL GROUP BY x HAVING count(*) > 1;"#), "{dup_fix}");
    assert!(dup_fix.contains(r#"REINDEX INDEX CONCURRENTLY "public"."dup_x";"#));

    // The listing queries list exactly the counted rows.
    let order_fk = fix_of(&got, r#""Sales"."Order"."Order_full_fk""#);
    let listing = order_fk
        .lines()
        .find(|l| l.starts_with("SELECT * FROM"))
        .unwrap();
    assert_eq!(client.query(listing, &[]).await.unwrap().len(), 4);

    // Clean what the fixes say must be cleaned, then run every fix
    // statement: PostgreSQL must accept each one.
    for f in got.iter().filter(|f| f[3].contains("violate it")) {
        let listing = f[3]
            .lines()
            .find(|l| l.starts_with("SELECT * FROM"))
            .unwrap();
        common::exec(
            &client,
            &listing.replacen("SELECT * FROM", "DELETE FROM", 1),
        )
        .await;
    }
    common::exec(&client, "DELETE FROM dup WHERE id = 2").await;
    for f in &got {
        for stmt in f[3]
            .lines()
            .filter(|l| !l.starts_with("--") && !l.starts_with("SELECT *"))
        {
            if let Err(e) = client.batch_execute(stmt).await {
                panic!(
                    "fix of {} failed: {stmt}\n{}",
                    f[1],
                    strata::db::describe(&e)
                );
            }
        }
    }
    // What is left has no mechanical fix: a key to choose, partitions to index.
    let (code, left) = findings(&mut strata(&url));
    assert_eq!(code, 1);
    assert_findings(
        &left,
        &[
            ("invalid_index", r#""Sales"."events_k""#, "2 partition(s)"),
            (
                "missing_primary_key",
                r#""Sales"."Audit Log""#,
                "no primary key",
            ),
            ("missing_primary_key", r#""Sales"."metrics""#, "partitioned"),
        ],
    );
    // The text form: grouped by check, with counts and the fixes.
    let out = run(&mut strata(&url));
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    for line in [
        "invalid indexes: 1\n",
        "NOT VALID constraints: none\n",
        "sequences behind their column: none\n",
        "tables without a primary key: 2\n",
        "3 finding(s) in ",
    ] {
        assert!(report.contains(line), "{line:?} missing:\n{report}");
    }
}

/// A database with serials, identities, validated keys and checks, filled
/// the normal way: nothing to report, exit 0.
#[tokio::test]
async fn a_clean_database_exits_0_with_no_findings() {
    let (db, client) = common::fresh_db("validate_clean").await;
    common::exec(
        &client,
        r#"
        CREATE SCHEMA "App";
        CREATE TABLE "App"."Org" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text CHECK (name <> ''));
        CREATE TABLE "App"."User" (id serial PRIMARY KEY, org bigint REFERENCES "App"."Org", email text UNIQUE);
        INSERT INTO "App"."Org" (name) VALUES ('a'), ('b');
        INSERT INTO "App"."User" (org, email) VALUES (1, 'x'), (2, 'y'), (NULL, 'z');
        CREATE TABLE refinery_schema_history (version int4 PRIMARY KEY, name text, applied_on text, checksum text);
        "#,
    )
    .await;
    common::exec(
        &client,
        r#"CREATE INDEX CONCURRENTLY user_org ON "App"."User" (org)"#,
    )
    .await;
    let url = db.target.url();
    let out = run(strata(&url).args(["--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "{\n  \"ok\": true,\n  \"findings\": []\n}\n"
    );
    let out = run(&mut strata(&url));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("ok: nothing to report in "));
}

/// A count that runs past --statement-timeout is reported as such; the
/// other checks still run.
#[tokio::test]
async fn statement_timeout_cancels_one_count_not_the_report() {
    let (db, client) = common::fresh_db("validate_timeout").await;
    common::exec(
        &client,
        "CREATE FUNCTION slow_positive(int) RETURNS bool IMMUTABLE LANGUAGE plpgsql AS \
           $$ BEGIN PERFORM pg_sleep(0.3); RETURN $1 > 0; END $$;
         CREATE TABLE slow (id int PRIMARY KEY, v int);
         INSERT INTO slow SELECT g, g FROM generate_series(1, 10) g;
         ALTER TABLE slow ADD CONSTRAINT slow_ck CHECK (slow_positive(v)) NOT VALID;
         CREATE TABLE loose (x int);",
    )
    .await;
    let t = Instant::now();
    let (code, got) = findings(strata(&db.target.url()).args(["--statement-timeout", "0.5"]));
    assert!(t.elapsed().as_secs_f64() < 2.5, "took {:?}", t.elapsed());
    assert_eq!(code, 1);
    assert_findings(
        &got,
        &[
            (
                "not_valid_constraint",
                r#""public"."slow"."slow_ck""#,
                "counting violating rows failed: cancelled by --statement-timeout",
            ),
            (
                "missing_primary_key",
                r#""public"."loose""#,
                "no primary key",
            ),
        ],
    );
    assert!(
        got[0][3].contains(r#"SELECT * FROM "public"."slow" WHERE NOT (slow_positive(v));"#),
        "{}",
        got[0][3]
    );
}

/// --schema-name, else `schemas:` of strata.yaml, else every user schema.
#[tokio::test]
async fn scope_follows_schema_name_then_strata_yaml() {
    let (db, client) = common::fresh_db("validate_scope").await;
    common::exec(
        &client,
        r#"CREATE SCHEMA app; CREATE SCHEMA "Other";
           CREATE TABLE app.a (x int); CREATE TABLE "Other".b (x int); CREATE TABLE public.c (x int);"#,
    )
    .await;
    let url = db.target.url();
    let objects = |cmd: &mut Command| -> Vec<String> {
        let (code, got) = findings(cmd);
        assert_eq!(code, 1);
        got.into_iter().map(|f| f[1].clone()).collect()
    };
    let all = objects(&mut strata(&url));
    assert_eq!(all, [r#""Other"."b""#, r#""app"."a""#, r#""public"."c""#]);
    let some = objects(strata(&url).args(["--schema-name", "app", "--schema-name", "Other"]));
    assert_eq!(some, [r#""Other"."b""#, r#""app"."a""#]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strata.yaml"), "schemas: [public]\n").unwrap();
    let from_yaml = objects(strata(&url).current_dir(dir.path()));
    assert_eq!(from_yaml, [r#""public"."c""#]);
    let flag_wins = objects(
        strata(&url)
            .current_dir(dir.path())
            .args(["--schema-name", "app"]),
    );
    assert_eq!(flag_wins, [r#""app"."a""#]);
    // A schema that does not exist is a warning, and nothing is found in it.
    let out = run(strata(&url).args(["--schema-name", "nope"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("schema nope does not exist"));
}

/// Errors exit non-zero with a message that says it is an error, not a
/// report; nothing on stdout.
#[test]
fn errors_are_clearly_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().display().to_string();
    let out = run(&mut strata(&format!("host={sock} user=postgres dbname=x")));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("error: cannot connect"), "{err}");
    assert!(err.contains("not a findings report"), "{err}");
    // No database at all: a configuration error (4), as for every command.
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.env_remove("DATABASE_URL")
        .arg("validate")
        .current_dir(dir.path());
    let out = run(&mut c);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
}

/// Inheritance children: their rows count for the parent's CHECK and
/// serial (one finding each, on the parent); their missing key is theirs.
#[tokio::test]
async fn inheritance_children_are_checked_through_their_parent() {
    let (db, client) = common::fresh_db("validate_inherit").await;
    common::exec(
        &client,
        "CREATE TABLE parent (id serial PRIMARY KEY, v int);
         CREATE TABLE child () INHERITS (parent);
         INSERT INTO parent (v) VALUES (10);
         INSERT INTO child (id, v) VALUES (50, 1), (51, 2);
         ALTER TABLE parent ADD CONSTRAINT v_big CHECK (v > 5) NOT VALID;",
    )
    .await;
    let (code, got) = findings(&mut strata(&db.target.url()));
    assert_eq!(code, 1);
    assert_findings(
        &got,
        &[
            (
                "not_valid_constraint",
                r#""public"."parent"."v_big""#,
                "2 violating row(s)",
            ),
            (
                "sequence_behind",
                r#""public"."parent_id_seq""#,
                r#"next nextval() returns 2 but max("public"."parent"."id") = 51"#,
            ),
            (
                "missing_primary_key",
                r#""public"."child""#,
                "no primary key",
            ),
        ],
    );
}

/// A role that may not read the tables: the counts and sequences it cannot
/// read are reported as not checked, the catalog checks still run.
#[tokio::test]
async fn missing_privileges_are_reported_not_fatal() {
    let (db, client) = common::fresh_db("validate_priv").await;
    let role = format!("peek_{}", std::process::id());
    common::exec(
        &client,
        &format!(
            "CREATE TABLE t (id serial PRIMARY KEY, v int);
             INSERT INTO t (v) VALUES (-1);
             ALTER TABLE t ADD CONSTRAINT v_pos CHECK (v > 0) NOT VALID;
             CREATE ROLE {role} LOGIN;"
        ),
    )
    .await;
    let mut target = db.target.clone();
    target.config.user(&role);
    let out = run(strata(&target.url()).args(["--format", "json"]));
    let _ = client.batch_execute(&format!("DROP ROLE {role}")).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(
        json["findings"][0]["detail"].as_str().unwrap(),
        "CHECK ((v > 0)) NOT VALID: counting violating rows failed: permission denied for table t"
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(r#"warning: sequence "public"."t_id_seq" not checked: permission denied"#),
        "{err}"
    );
}

/// PostgreSQL 18: NOT ENFORCED constraints are unvalidated by design and
/// are not reported; a temporal foreign key (PERIOD) counts as orphans
/// only the rows whose range is not covered by the referenced ranges
/// together, as PostgreSQL's own validation does, and its fix works.
#[tokio::test]
async fn not_enforced_is_no_finding_and_temporal_keys_count_like_postgres() {
    if common::server_major().await < 18 {
        eprintln!("skip: needs PostgreSQL 18");
        return;
    }
    let (db, client) = common::fresh_db("validate_pg18").await;
    common::exec(
        &client,
        r#"
        CREATE EXTENSION btree_gist;
        CREATE TABLE rooms (id int, during int4range, PRIMARY KEY (id, during WITHOUT OVERLAPS));
        INSERT INTO rooms VALUES (1, '[1,5)'), (1, '[5,10)'), (2, '[1,3)');
        CREATE TABLE people (id int PRIMARY KEY);
        CREATE TABLE stays (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room int, during int4range, n int,
          CONSTRAINT n_small CHECK (n < 10) NOT ENFORCED,
          CONSTRAINT guest_known FOREIGN KEY (n) REFERENCES people NOT ENFORCED);
        -- [3,8) spans two rows of room 1: covered. [2,4) on room 2 and room 3: orphans.
        INSERT INTO stays (room, during, n) VALUES (1, '[3,8)', 50), (2, '[2,4)', 1), (3, '[1,2)', 1), (NULL, '[1,2)', 1);
        ALTER TABLE stays ADD CONSTRAINT stay_room FOREIGN KEY (room, PERIOD during)
          REFERENCES rooms (id, PERIOD during) NOT VALID;
        "#,
    )
    .await;
    let url = db.target.url();
    let (code, got) = findings(&mut strata(&url));
    assert_eq!(code, 1);
    assert_findings(
        &got,
        &[(
            "not_valid_constraint",
            r#""public"."stays"."stay_room""#,
            "2 orphan row(s)",
        )],
    );
    common::exec(&client, "DELETE FROM stays WHERE room IN (2, 3)").await;
    let (_, got) = findings(&mut strata(&url));
    assert_findings(
        &got,
        &[(
            "not_valid_constraint",
            r#""public"."stays"."stay_room""#,
            "0 orphan rows",
        )],
    );
    let fix = fix_of(&got, r#""public"."stays"."stay_room""#);
    let stmt = fix.lines().find(|l| l.starts_with("ALTER TABLE")).unwrap();
    client.batch_execute(stmt).await.unwrap();
    let (code, got) = findings(&mut strata(&url));
    assert_eq!((code, got.len()), (0, 0), "{got:#?}");
}

/// Rows a DEFAULT partition holds, and hash partitions that leave a
/// remainder uncovered (an insert there fails); the suggested partition
/// is accepted by PostgreSQL, and the report is clean afterwards.
#[tokio::test]
async fn partitions_rows_in_default_and_uncovered_hash_remainders() {
    let (db, client) = common::fresh_db("validate_parts").await;
    common::exec(
        &client,
        r#"
        CREATE SCHEMA "Parts";
        CREATE TABLE "Parts".events (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at))
            PARTITION BY RANGE (at);
        CREATE TABLE "Parts".events_2026 PARTITION OF "Parts".events
            FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        CREATE TABLE "Parts"."events rest" PARTITION OF "Parts".events DEFAULT;
        INSERT INTO "Parts".events VALUES (1, '2026-05-01'), (2, '2025-12-31'), (3, '2031-01-01');
        CREATE TABLE "Parts".results (org int NOT NULL, PRIMARY KEY (org)) PARTITION BY HASH (org);
        CREATE TABLE "Parts".results_0 PARTITION OF "Parts".results FOR VALUES WITH (modulus 4, remainder 0);
        CREATE TABLE "Parts".results_1 PARTITION OF "Parts".results FOR VALUES WITH (modulus 4, remainder 1);
        CREATE TABLE "Parts".results_3 PARTITION OF "Parts".results FOR VALUES WITH (modulus 4, remainder 3);
        CREATE TABLE "Parts".ok_range (k int NOT NULL PRIMARY KEY) PARTITION BY RANGE (k);
        CREATE TABLE "Parts".ok_default PARTITION OF "Parts".ok_range DEFAULT;
        "#,
    )
    .await;
    // Some key hashes into the missing remainder: PostgreSQL refuses it.
    let mut refused = false;
    for org in 0..64 {
        let sql = format!(r#"INSERT INTO "Parts".results VALUES ({org})"#);
        refused |= client.batch_execute(&sql).await.is_err();
    }
    assert!(refused, "no key hashed into the uncovered remainder");
    let url = db.target.url();
    let (code, got) = findings(strata(&url).args(["--schema-name", "Parts"]));
    assert_eq!(code, 1);
    assert_findings(
        &got,
        &[
            (
                "rows_in_default_partition",
                r#""Parts"."events rest""#,
                "2 row(s) of \"Parts\".\"events\"",
            ),
            (
                "hash_partition_gap",
                r#""Parts"."results""#,
                "remainder(s) 2 of modulus 4",
            ),
        ],
    );
    for stmt in fix_of(&got, r#""Parts"."results""#).lines() {
        client
            .batch_execute(stmt)
            .await
            .unwrap_or_else(|e| panic!("fix failed: {stmt}\n{}", strata::db::describe(&e)));
    }
    common::exec(&client, r#"DELETE FROM "Parts"."events rest""#).await;
    let (code, got) = findings(strata(&url).args(["--schema-name", "Parts"]));
    assert_eq!((code, got.len()), (0, 0), "{got:#?}");
    // Every key now finds a partition.
    for org in 0..64 {
        let sql = format!(r#"INSERT INTO "Parts".results VALUES ({org}) ON CONFLICT DO NOTHING"#);
        common::exec(&client, &sql).await;
    }
}
