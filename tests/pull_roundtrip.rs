//! `pull` round trip on databases strata did not build: for every
//! tests/sql/*.sql file (DDL written the way teams write it by hand or with
//! Alembic, Django, Rails…), create a fresh database, run the file,
//! introspect it, write it as YAML, load the YAML back, materialise it in a
//! shadow database and diff: nothing may be left to do.
//!
//! A file may declare the objects strata must report as unmanaged in header
//! lines `-- unmanaged: <kind> <name>, <kind> <name>, …` (several lines
//! add up); a file without such a line must report none. Kinds are the
//! plural forms of `catalog` (`views`, `partitioned tables`, …); a name runs
//! to the next `, <kind> ` so function signatures may contain commas.
//! A header line `-- min-major: N` skips the file on servers older than N.
//!
//! `STRATA_SQL=<substring>` runs only the matching files.

mod common;

use std::path::{Path, PathBuf};

use strata::catalog::{introspect, CatalogOptions};
use strata::diff::diff;
use strata::model::Database;
use strata::plan::plan;
use strata::scratch::ScratchServer;

/// Every kind `catalog` may report, longest first so `materialized views`
/// wins over `views`.
const KINDS: &[&str] = &[
    "materialized view storage parameters",
    "partition column settings",
    "view column defaults",
    "comments on not-null constraints",
    "text search configurations",
    "text search dictionaries",
    "foreign data wrappers",
    "text search templates",
    "text search parsers",
    "operator families",
    "default privileges",
    "operator classes",
    "foreign servers",
    "access methods",
    "event triggers",
    "user mappings",
    "subscriptions",
    "publications",
    "conversions",
    "transforms",
    "languages",
    "casts",
    "NO INHERIT not-null constraints",
    "NOT VALID not-null constraints",
    "inheritance children",
    "partitioned tables",
    "materialized views",
    "extended statistics",
    "cluster settings",
    "row level security",
    "table storage parameters",
    "window functions",
    "invalid indexes",
    "unlogged tables",
    "table tablespaces",
    "composite types",
    "foreign tables",
    "typed tables",
    "range types",
    "base types",
    "procedures",
    "aggregates",
    "functions",
    "partitions",
    "sequences",
    "collations",
    "operators",
    "policies",
    "triggers",
    "domains",
    "views",
    "rules",
];

fn sql_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/sql exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    out.sort();
    if let Ok(only) = std::env::var("STRATA_SQL") {
        out.retain(|p| p.to_string_lossy().contains(&only));
    }
    out
}

/// The kind a header item starts with, if any.
fn kind_prefix(item: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .copied()
        .find(|k| item.strip_prefix(k).is_some_and(|r| r.starts_with(' ')))
}

/// `(kind, name)` pairs declared by the `-- unmanaged:` header lines.
fn expected_unmanaged(sql: &str) -> Result<Vec<(String, String)>, String> {
    let mut items: Vec<String> = Vec::new();
    for line in sql.lines() {
        let Some(rest) = line.trim().strip_prefix("-- unmanaged:") else {
            continue;
        };
        for piece in rest.split(", ") {
            let piece = piece.trim();
            match items.last_mut() {
                // A piece without a kind continues the previous name
                // (a comma inside a function signature).
                Some(last) if kind_prefix(piece).is_none() => {
                    last.push_str(", ");
                    last.push_str(piece);
                }
                _ => items.push(piece.to_string()),
            }
        }
    }
    let mut out = items
        .iter()
        .map(|item| {
            let kind = kind_prefix(item).ok_or_else(|| format!("unknown kind in {item:?}"))?;
            Ok((kind.to_string(), item[kind.len()..].trim().to_string()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    out.sort();
    Ok(out)
}

fn check_unmanaged(sql: &str, live: &Database) -> Result<(), String> {
    let want = expected_unmanaged(sql)?;
    let mut got: Vec<(String, String)> = live
        .unmanaged
        .iter()
        .map(|u| (u.kind.clone(), u.name.clone()))
        .collect();
    got.sort();
    if got == want {
        return Ok(());
    }
    let show = |v: &[(String, String)]| {
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(format!(
        "unmanaged objects differ:\n  expected: {}\n  reported: {}",
        show(&want),
        show(&got)
    ))
}

/// All YAML files of a pulled directory, for the failure message.
fn dump_dir(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = walk(dir);
    files.sort();
    files
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap_or(p).display();
            let text = std::fs::read_to_string(p).unwrap_or_default();
            format!("--- {rel}\n{text}")
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Run one SQL file and check the round trip; every problem is returned.
async fn run_file(server: &'static ScratchServer, file: &Path) -> Result<(), String> {
    let sql = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    // `-- min-major: 18`: the file uses syntax older servers lack.
    let min = sql.lines().find_map(|l| {
        l.strip_prefix("-- min-major:")
            .map(|v| v.trim().parse::<u32>().expect("-- min-major: N"))
    });
    let major = common::server_major().await;
    if min.is_some_and(|m| major < m) {
        eprintln!("skip {}: needs PostgreSQL {}", file.display(), min.unwrap());
        return Ok(());
    }
    let db = server
        .create_database("pullsql")
        .await
        .map_err(|e| e.to_string())?;
    let result = round_trip(server, &db.target, &sql).await;
    let _ = server.drop_database(&db).await;
    result
}

async fn round_trip(
    server: &'static ScratchServer,
    target: &strata::db::Target,
    sql: &str,
) -> Result<(), String> {
    let opts = CatalogOptions::default();
    let client = target.connect().await.map_err(|e| e.to_string())?;
    client
        .batch_execute(sql)
        .await
        .map_err(|e| format!("the SQL file fails: {}", strata::db::describe(&e)))?;
    let live = introspect(&client, &opts)
        .await
        .map_err(|e| format!("introspection fails: {e}"))?;
    let mut errors = Vec::new();
    if let Err(e) = check_unmanaged(sql, &live) {
        errors.push(e);
    }
    if let Err(e) = pull_and_plan(server, target, &live, &opts).await {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

async fn pull_and_plan(
    server: &'static ScratchServer,
    target: &strata::db::Target,
    live: &Database,
    opts: &CatalogOptions,
) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    strata::spec::write_dir(live, dir.path()).map_err(|e| format!("pull fails: {e}"))?;
    // What YAML cannot express, as `pull` writes it: SQL from pg_dump.
    if !live.unmanaged.is_empty() {
        let client = target.connect().await.map_err(|e| e.to_string())?;
        let bins = strata::embedded::EmbeddedOptions::default();
        let sql = strata::spec::dump_sql::unmodelled_sql(&client, target, &bins)
            .await
            .map_err(|e| format!("pull cannot dump the unmodelled objects: {e}"))?;
        if let Some(sql) = sql {
            std::fs::write(dir.path().join("unmodelled.sql"), sql).unwrap();
        }
    }
    let pulled = strata::spec::load_dir(dir.path()).map_err(|e| {
        format!(
            "pulled YAML does not load: {e}\npulled YAML:\n{}",
            dump_dir(dir.path())
        )
    })?;
    // What `strata plan` does: the shadow stays open so text PostgreSQL
    // prints differently on a second parse is compared by re-printing it.
    let engine = strata::engine::Engine::shared(server, opts.clone());
    let shadow = engine
        .open(strata::engine::Source::Spec(&pulled), true)
        .await
        .map_err(|e| {
            format!(
                "pulled YAML does not build: {e}\npulled YAML:\n{}",
                dump_dir(dir.path())
            )
        })?;
    let rest = engine
        .compare_with(
            &strata::engine::Side::detached(live.clone()),
            &shadow,
            &Default::default(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let _ = engine.close(shadow).await;
    if rest.is_empty() {
        return Ok(());
    }
    Err(format!(
        "pull round trip not empty:\n{}\npulled YAML:\n{}",
        plan(&rest, live).to_sql(),
        dump_dir(dir.path())
    ))
}

#[test]
fn header_parsing() {
    let sql = "-- unmanaged: views public.v, functions public.f(integer, text)\n\
               -- unmanaged: materialized views app.mv, triggers t on public.x\n";
    let got = expected_unmanaged(sql).expect("parses");
    let want: Vec<(String, String)> = vec![
        ("functions".into(), "public.f(integer, text)".into()),
        ("materialized views".into(), "app.mv".into()),
        ("triggers".into(), "t on public.x".into()),
        ("views".into(), "public.v".into()),
    ];
    assert_eq!(got, want);
    assert!(expected_unmanaged("-- unmanaged: gizmos x").is_err());
    assert!(expected_unmanaged("create table t ()")
        .expect("ok")
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sql_file_pulls_back_to_nothing() {
    let server = common::server();
    let files = sql_files();
    assert!(
        files.len() >= 15 || std::env::var("STRATA_SQL").is_ok(),
        "expected at least 15 SQL files"
    );
    // Each file uses its own database, so a few run at once.
    let cases = files
        .iter()
        .map(|f| {
            let name = f.file_name().map(|n| n.to_string_lossy().to_string());
            (name.unwrap_or_default(), f)
        })
        .collect();
    common::run_cases("SQL files", cases, |file| run_file(server, file)).await;
}

/// A table built by hand: every constraint and index unnamed (PostgreSQL
/// names them), then commented.
const UNNAMED_BY_HAND: &str = r#"
CREATE TABLE t (
    price numeric, status text, "Price" integer, during tstzrange, email text,
    CHECK (status = 'price'),
    CHECK ("Price" > 0 OR price > 0),
    CHECK (status <> $$price$$),
    CHECK ("Price" > length(E'\'price')),
    UNIQUE (status) INCLUDE (price),
    EXCLUDE USING gist (during WITH &&)
);
CREATE INDEX ON t (lower(email));
CREATE INDEX ON t ((price + 1));
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 't'::regclass LOOP
    EXECUTE format('COMMENT ON CONSTRAINT %I ON t IS %L', r.conname, 'c');
  END LOOP;
  FOR r IN SELECT indexrelid::regclass AS i FROM pg_index WHERE indrelid = 't'::regclass
      AND indexrelid NOT IN (SELECT conindid FROM pg_constraint) LOOP
    EXECUTE format('COMMENT ON INDEX %s IS %L', r.i, 'c');
  END LOOP;
END $$;
"#;

/// The same table in YAML: commented, no names.
const UNNAMED_YAML: &str = r#"
tables:
  t:
    columns:
      price: numeric
      status: text
      Price: integer
      during: tstzrange
      email: text
    checks:
      - expression: |-
          status = 'price'
        comment: c
      - expression: |-
          "Price" > 0 OR price > 0
        comment: c
      - expression: |-
          status <> $$price$$
        comment: c
      - expression: |-
          "Price" > length(E'\'price')
        comment: c
    unique:
      - {columns: [status], include: [price], comment: c}
    exclusions:
      - {elements: ["during WITH &&"], comment: c}
    indexes:
      - {columns: ["lower(email)"], comment: c}
      - {columns: ["(price + 1)"], comment: c}
"#;

/// Constraint names, then index names (a constraint's index is listed
/// under both).
const NAMES_OF_T: &str = "SELECT conname::text FROM pg_constraint WHERE conrelid = 't'::regclass \
     UNION ALL SELECT relname::text FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid \
     WHERE i.indrelid = 't'::regclass ORDER BY 1";

/// Issue 11 item 5: a commented constraint or index declared without a
/// name is created under the name PostgreSQL would choose (a string
/// literal naming another column does not count as a mention), so the
/// YAML plans to nothing against a database built by hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commented_unnamed_objects_get_postgres_names() {
    let server = common::server();
    let (_hand_db, hand) = common::fresh_db("names_hand").await;
    common::exec(&hand, UNNAMED_BY_HAND).await;
    let spec = strata::spec::load_str(Path::new("t.yaml"), UNNAMED_YAML).expect("YAML loads");
    let (_built_db, built) = common::fresh_db("names_built").await;
    strata::engine::apply_spec(&built, &spec)
        .await
        .expect("YAML builds");
    let by_postgres = common::strings(&hand, NAMES_OF_T).await;
    assert_eq!(
        by_postgres,
        [
            "t_Price_check",
            "t_check",
            "t_during_excl",
            "t_during_excl",
            "t_expr_idx",
            "t_lower_idx",
            "t_status_check",
            "t_status_check1",
            "t_status_price_key",
            "t_status_price_key"
        ]
    );
    assert_eq!(common::strings(&built, NAMES_OF_T).await, by_postgres);

    let opts = CatalogOptions::default();
    let live = introspect(&hand, &opts).await.expect("introspects");
    let (_, rest) = engine_compare(server, &live, &spec, &opts).await;
    assert!(rest.is_empty(), "{}", plan(&rest, &live).to_sql());
}

/// The changes from the database behind `client` to `yaml`, as `strata
/// plan` makes them; the live model they start from and the desired one
/// (as the shadow built it, the way `generate` diffs for a down file).
async fn plan_to_yaml(
    server: &'static ScratchServer,
    client: &tokio_postgres::Client,
    yaml: &str,
) -> (Database, Database, Vec<strata::diff::Change>) {
    let spec = strata::spec::load_str(Path::new("t.yaml"), yaml).expect("YAML loads");
    let opts = CatalogOptions::default();
    let live = introspect(client, &opts).await.expect("introspects");
    let (desired, changes) = engine_compare(server, &live, &spec, &opts).await;
    (live, desired, changes)
}

/// What every command does: `live` against `spec` built in a shadow,
/// through the engine. The desired catalog model and the changes.
async fn engine_compare(
    server: &'static ScratchServer,
    live: &Database,
    spec: &Database,
    opts: &CatalogOptions,
) -> (Database, Vec<strata::diff::Change>) {
    let engine = strata::engine::Engine::shared(server, opts.clone());
    let shadow = engine
        .open(strata::engine::Source::Spec(spec), true)
        .await
        .expect("shadow builds");
    let changes = engine
        .compare(&strata::engine::Side::detached(live.clone()), &shadow)
        .await
        .expect("compares");
    let desired = shadow.model.clone();
    let _ = engine.close(shadow).await;
    (desired, changes)
}

/// Issue 11 item 4: a column fed by a standalone sequence
/// (`DEFAULT nextval('t_id_seq')`, the name `serial` would pick) declared
/// `serial` takes that sequence over — the counter goes on — instead of
/// creating one under a name that exists; the way back releases it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nextval_default_becomes_serial_by_adopting_its_sequence() {
    let server = common::server();
    let (_db, client) = common::fresh_db("adopt").await;
    common::exec(
        &client,
        "CREATE SEQUENCE t_id_seq; \
         CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'), x int); \
         INSERT INTO t (x) VALUES (1), (2);",
    )
    .await;
    let yaml = "tables: {t: {columns: {id: serial, x: integer}}}";
    let (before, desired, changes) = plan_to_yaml(server, &client, yaml).await;
    let sql = plan(&changes, &before).to_sql();
    assert!(!sql.contains("CREATE SEQUENCE"), "{sql}");
    common::exec(&client, &sql).await;
    let (after, _, rest) = plan_to_yaml(server, &client, yaml).await;
    assert!(rest.is_empty(), "{}", plan(&rest, &after).to_sql());
    let owned = "INSERT INTO t (x) VALUES (3) RETURNING id::text || ' ' || \
                 pg_get_serial_sequence('t', 'id')";
    assert_eq!(common::strings(&client, owned).await, ["3 public.t_id_seq"]);

    // Down: the sequence goes back to standalone, the default stays.
    let back = diff(&desired, &before);
    let back_sql = plan(&back, &desired).to_sql();
    assert!(!back_sql.contains("DROP SEQUENCE"), "{back_sql}");
    common::exec(&client, &back_sql).await;
    let reverted = introspect(&client, &CatalogOptions::default())
        .await
        .expect("introspects");
    assert!(diff(&reverted, &before).is_empty(), "{back_sql}");
    assert_eq!(reverted.unmanaged, before.unmanaged);
}

/// The same when the standalone `t_id_seq` is not the column's (no
/// default uses it): the serial's sequence gets the next free name, as
/// `ADD COLUMN … serial` would, and the way back drops that one only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serial_sequence_takes_a_free_name() {
    let server = common::server();
    let (_db, client) = common::fresh_db("freename").await;
    common::exec(
        &client,
        "CREATE SEQUENCE t_id_seq; CREATE TABLE t (id integer NOT NULL, x int); \
         INSERT INTO t VALUES (5, 1), (7, 2);",
    )
    .await;
    // The standalone sequence is declared: it stays.
    let yaml = "sequences: {t_id_seq: {}}\ntables: {t: {columns: {id: serial, x: integer}}}";
    let (before, desired, changes) = plan_to_yaml(server, &client, yaml).await;
    common::exec(&client, &plan(&changes, &before).to_sql()).await;
    let (after, _, rest) = plan_to_yaml(server, &client, yaml).await;
    assert!(rest.is_empty(), "{}", plan(&rest, &after).to_sql());
    let owned = "INSERT INTO t (x) VALUES (3) RETURNING id::text || ' ' || \
                 pg_get_serial_sequence('t', 'id')";
    assert_eq!(
        common::strings(&client, owned).await,
        ["8 public.t_id_seq1"]
    );
    common::exec(&client, "DELETE FROM t WHERE id = 8").await;

    // The shadow named its serial's sequence t_id_seq; the way back must
    // not drop the standalone sequence of that name.
    let back = diff(&desired, &before);
    common::exec(&client, &plan(&back, &desired).to_sql()).await;
    let reverted = introspect(&client, &CatalogOptions::default())
        .await
        .expect("introspects");
    assert!(diff(&reverted, &before).is_empty());
    assert_eq!(reverted.unmanaged, before.unmanaged);
}

/// A standalone sequence narrowed below its current value: the plan says
/// it may fail, and PostgreSQL refuses it instead of wrapping the counter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sequence_narrowed_below_its_current_value_is_refused() {
    let server = common::server();
    let (_db, client) = common::fresh_db("seqnarrow").await;
    common::exec(
        &client,
        "CREATE SEQUENCE s START 40000; SELECT nextval('s'); \
         CREATE TABLE t (id bigint DEFAULT nextval('s'));",
    )
    .await;
    let yaml = "sequences: {s: {as: smallint, start: 40000}}\n\
                tables: {t: {columns: {id: {type: bigint, default: \"nextval('s')\"}}}}";
    // `start: 40000` is out of smallint's range too: the shadow refuses it.
    let spec = strata::spec::load_str(Path::new("t.yaml"), yaml).expect("YAML loads");
    let engine = strata::engine::Engine::shared(server, CatalogOptions::default());
    assert!(engine
        .open(strata::engine::Source::Spec(&spec), true)
        .await
        .is_err());
    let yaml = "sequences: {s: {as: smallint}}\n\
                tables: {t: {columns: {id: {type: bigint, default: \"nextval('s')\"}}}}";
    let (before, _, changes) = plan_to_yaml(server, &client, yaml).await;
    let p = plan(&changes, &before);
    assert!(
        p.hazard_kinds()
            .contains(&strata::render::HazardKind::MayFail),
        "{}",
        p.to_sql()
    );
    let err = client
        .batch_execute(&p.to_sql())
        .await
        .expect_err("refused");
    let msg = strata::db::describe(&err);
    assert!(msg.contains("MAXVALUE"), "{msg}");
    let value = "SELECT last_value::text FROM s";
    assert_eq!(common::strings(&client, value).await, ["40000"]);
}

/// A column fed by a standalone sequence becoming an identity column: the
/// identity goes on past the values the column holds (the next insert
/// does not collide), and the sequence, no longer declared, is dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nextval_default_becoming_identity_continues_past_the_rows() {
    let server = common::server();
    let (_db, client) = common::fresh_db("seqident").await;
    common::exec(
        &client,
        "CREATE SEQUENCE ids START 50; \
         CREATE TABLE t (id bigint PRIMARY KEY DEFAULT nextval('ids'), x int); \
         INSERT INTO t (x) VALUES (1), (2);",
    )
    .await;
    let yaml = "tables: {t: {columns: {id: bigint generated by default as identity primary key, \
                x: integer}}}";
    let (before, _, changes) = plan_to_yaml(server, &client, yaml).await;
    common::exec(&client, &plan(&changes, &before).to_sql()).await;
    let (after, _, rest) = plan_to_yaml(server, &client, yaml).await;
    assert!(rest.is_empty(), "{}", plan(&rest, &after).to_sql());
    assert!(after.sequences.is_empty(), "{:?}", after.sequences);
    let next = "INSERT INTO t (x) VALUES (3) RETURNING id::text";
    assert_eq!(common::strings(&client, next).await, ["52"]);
}
