//! Seed generators against a real PostgreSQL: every family's values are
//! accepted by a column of the matching type; defaults by name and type;
//! determinism across threads and batch sizes; `unique`; profile errors at
//! `file:line:col`. Rows are inserted as SQL literals (the COPY encoder is
//! tested on its own).

mod common;

use std::path::Path;

use rayon::prelude::*;
use strata::catalog::{introspect, CatalogOptions};
use strata::copy::Value;
use strata::model::{quote_literal, Database, QualifiedName};
use strata::seed::coltype::text_form;
use strata::seed::generators::fake::{FAMILIES, LOCALES};
use strata::seed::profile::{self, Size};
use strata::seed::{unique, FanOut, Inputs, Pool, SeedError, TableGen, UniqueState};
use tokio_postgres::Client;

/// A value as an SQL literal the column's type accepts.
fn literal(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Array(items) => {
            let elems: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::Null => "NULL".into(),
                    other => format!(
                        "\"{}\"",
                        text_form(other).replace('\\', "\\\\").replace('"', "\\\"")
                    ),
                })
                .collect();
            quote_literal(&format!("{{{}}}", elems.join(",")))
        }
        other => quote_literal(&text_form(other)),
    }
}

/// Insert rows in statements of 100 rows; panics with PostgreSQL's message.
async fn insert(client: &Client, table: &str, gen: &TableGen, rows: &[Vec<Value>]) {
    let cols: Vec<String> = gen.columns.iter().map(|c| format!("\"{c}\"")).collect();
    for chunk in rows.chunks(100) {
        let values: Vec<String> = chunk
            .iter()
            .map(|r| format!("({})", r.iter().map(literal).collect::<Vec<_>>().join(", ")))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            cols.join(", "),
            values.join(",\n")
        );
        if let Err(e) = client.batch_execute(&sql).await {
            panic!(
                "{table}: {}\n{}",
                strata::db::describe(&e),
                &sql[..sql.len().min(3000)]
            );
        }
    }
}

/// Load rows through strata's COPY encoder (binary when it can).
async fn copy_rows(client: &Client, table: &str, gen: &TableGen, rows: &[Vec<Value>]) {
    use strata::copy::{load_batch, table_info, CopyTarget};
    let info = table_info(client, &QualifiedName::new("public", table))
        .await
        .expect("table info");
    let names: Vec<&str> = gen.columns.iter().map(String::as_str).collect();
    let target = CopyTarget::new(&info, &names).expect("copy target");
    let mut batch = target.batch();
    for (i, row) in rows.iter().enumerate() {
        if let Err(e) = batch.push_row(&target, row) {
            panic!("{table}: row {i} rejected by the encoder: {e}\n{row:?}");
        }
    }
    load_batch(client, &target, &batch)
        .await
        .unwrap_or_else(|e| panic!("{table}: COPY failed: {e}"));
}

async fn model(client: &Client) -> Database {
    introspect(client, &CatalogOptions::default())
        .await
        .expect("introspect")
}

fn load(text: &str, db: &Database) -> profile::Profile {
    match profile::load_str(
        Path::new("seeds/test.yaml"),
        text,
        db,
        Path::new(env!("CARGO_MANIFEST_DIR")),
    ) {
        Ok(p) => p,
        Err(e) => panic!("profile rejected:\n{e}\n---\n{text}"),
    }
}

fn load_err(text: &str, db: &Database) -> String {
    match profile::load_str(Path::new("seeds/test.yaml"), text, db, Path::new(".")) {
        Ok(_) => panic!("profile accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// All rows of a table without parents, uniqueness settled.
fn rows_of(gen: &TableGen, n: u64) -> Vec<Vec<Value>> {
    let inputs = Inputs {
        pools: &[],
        fan_out: None,
    };
    let mut rows = gen.generate(0..n, &inputs).expect("generate");
    UniqueState::new(gen)
        .resolve(gen, 0, &mut rows, &inputs)
        .expect("unique");
    rows
}

#[tokio::test]
async fn every_fake_family_in_every_locale_fits_a_text_column() {
    let (_db, client) = common::fresh_db("seed_families").await;
    let names: Vec<&str> = FAMILIES.iter().map(|(n, _)| *n).collect();
    let cols: Vec<String> = names
        .iter()
        .map(|n| format!("\"{n}\" text NOT NULL"))
        .collect();
    common::exec(&client, &format!("CREATE TABLE fam ({})", cols.join(", "))).await;
    let db = model(&client).await;
    for (locale, _) in LOCALES {
        let specs: Vec<String> = names.iter().map(|n| format!("      {n}: {n}")).collect();
        let text = format!(
            "seed: 7\nlocale: {locale}\ntables:\n  fam:\n    rows: 40\n    columns:\n{}\n",
            specs.join("\n")
        );
        let p = load(&text, &db);
        let gen = &p.tables[0].gen;
        let rows = rows_of(gen, 40);
        assert!(
            rows.iter()
                .flatten()
                .all(|v| matches!(v, Value::Text(s) if !s.is_empty())),
            "{locale}: empty value"
        );
        insert(&client, "fam", gen, &rows).await;
    }
    let n = common::strings(&client, "SELECT count(*)::text FROM fam").await;
    assert_eq!(n, vec![(40 * LOCALES.len()).to_string()]);
}

const TYPED: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE typed (
    id bigint PRIMARY KEY,
    external_id uuid NOT NULL,
    n int, s smallint, price numeric(8,2), f double precision, b boolean,
    d date, ts timestamp, tz timestamptz, tm time,
    doc jsonb, tags text[], nums int[], m mood, short varchar(5), code char(3),
    ip inet, raw bytea, span interval, lat double precision, lon numeric(9,6),
    email text, ord text, tmpl text, smiles text, csv_name text, c text, colour text,
    hex text, rgb text, website text, dom text, sl text, w text
);";

const TYPED_PROFILE: &str = r#"
seed: 1
tables:
  typed:
    rows: 300
    columns:
      external_id: uuid
      n: {uniform: [-5, 5]}
      s: {normal: {mean: 100, std_dev: 30, min: 0, max: 200}}
      price: {uniform: [0, 99999]}
      f: {normal: [0, 1], null_ratio: 0.3}
      b: {bool: 0.9}
      d: {date: [2020-01-01, 2020-12-31]}
      ts: {timestamp: ["2021-01-01 00:00:00", "2021-01-31 23:59:59"]}
      tz: timestamp
      tm: time
      doc: {json: {skills: {array: word, length: 1..3}, level: {uniform: [1, 5]}, nested: {json: {ok: bool, at: date}}, note: {sentence, null_ratio: 0.5}, fixed: {constant: {a: [1, 2]}}}}
      tags: {array: {one_of: [red, green, "with \"quote\"", "back\\slash", "a,b"]}, length: 0..4}
      nums: {array: {uniform: [1, 9]}, length: 2..2}
      m: {one_of: {sad: 1, ok: 3, happy: 6}}
      short: paragraph
      code: country_code
      ip: ipv6
      raw: {bytes: 0..8}
      span: {constant: "3 days"}
      lat: latitude
      lon: longitude
      email: "{first_name|lower}.{last_name|slug}@example.org"
      ord: {sequence: {start: 1000, step: 5, format: "ORD-{seq:06}"}}
      tmpl: {template: "{city} / {country} ({uuid})", locale: de_de}
      smiles: {one_of_file: tests/seed_fixtures/smiles.txt}
      csv_name: {one_of_file: tests/seed_fixtures/people.csv, column: name}
      c: {constant: "it's"}
      colour: color
      hex: hex_color
      rgb: rgb_color
      website: url
      dom: domain_name
      sl: slug
      w: {words: 1..2}
"#;

#[tokio::test]
async fn every_generator_kind_fits_its_column_type() {
    let (_db, client) = common::fresh_db("seed_typed").await;
    common::exec(&client, TYPED).await;
    let db = model(&client).await;
    let p = load(TYPED_PROFILE, &db);
    let gen = &p.tables[0].gen;
    assert_eq!(
        gen.columns[0], "id",
        "an integer primary key without default is counted"
    );
    let rows = rows_of(gen, 300);
    insert(&client, "typed", gen, &rows).await;
    // The same rows through the COPY encoder land identically.
    common::exec(
        &client,
        "CREATE TABLE typed_copy (LIKE typed INCLUDING ALL)",
    )
    .await;
    copy_rows(&client, "typed_copy", gen, &rows).await;
    let digest = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM {} t";
    assert_eq!(
        common::strings(&client, &digest.replace("{}", "typed")).await,
        common::strings(&client, &digest.replace("{}", "typed_copy")).await,
        "INSERT and COPY of the same rows differ"
    );
    let checks = [
        ("SELECT count(DISTINCT id)::text FROM typed", "300"),
        ("SELECT (min(id) = 1 AND max(id) = 300)::text FROM typed", "true"),
        ("SELECT bool_and(n BETWEEN -5 AND 5 AND s BETWEEN 0 AND 200)::text FROM typed", "true"),
        ("SELECT bool_and(d BETWEEN '2020-01-01' AND '2020-12-31')::text FROM typed", "true"),
        ("SELECT bool_and(ts BETWEEN '2021-01-01' AND '2021-02-01')::text FROM typed", "true"),
        ("SELECT bool_and(length(short) <= 5 AND length(code) <= 3)::text FROM typed", "true"),
        ("SELECT bool_and(price <= 99999)::text FROM typed", "true"),
        ("SELECT (count(*) FILTER (WHERE f IS NULL) BETWEEN 50 AND 130)::text FROM typed", "true"),
        ("SELECT (count(*) FILTER (WHERE m = 'happy') > count(*) FILTER (WHERE m = 'sad'))::text FROM typed", "true"),
        ("SELECT bool_and(jsonb_typeof(doc->'skills') = 'array' AND (doc->>'level')::int BETWEEN 1 AND 5 AND doc->'fixed' = '{\"a\":[1,2]}')::text FROM typed", "true"),
        ("SELECT bool_and(email ~ '^[^@]+@example\\.org$')::text FROM typed", "true"),
        ("SELECT min(ord) || ' ' || max(ord) FROM typed", "ORD-001000 ORD-002495"),
        ("SELECT bool_and(smiles IN ('CCO', 'c1ccccc1', 'CC(=O)O'))::text FROM typed", "true"),
        ("SELECT bool_and(csv_name IN ('Ada, Countess', 'Alan \"A\" Turing'))::text FROM typed", "true"),
        ("SELECT bool_and(c = 'it''s' AND span = interval '3 days')::text FROM typed", "true"),
        ("SELECT bool_and(website LIKE 'https://www.%' AND hex ~ '^#[0-9a-f]{6}$')::text FROM typed", "true"),
        ("SELECT bool_and(array_length(nums, 1) = 2)::text FROM typed", "true"),
    ];
    for (sql, want) in checks {
        assert_eq!(
            common::strings(&client, sql).await,
            vec![want.to_string()],
            "{sql}"
        );
    }
}

#[tokio::test]
async fn defaults_by_name_and_type() {
    let (_db, client) = common::fresh_db("seed_defaults").await;
    common::exec(
        &client,
        "CREATE TYPE role AS ENUM ('user', 'admin');
         CREATE TABLE people (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            ext uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
            email varchar(320) NOT NULL, first_name text, last_name text, full_name text,
            city text, country text, phone text, website text, slug varchar(10) UNIQUE,
            age int, score numeric(5,2), flag boolean, born date, notes text,
            role role NOT NULL, status text NOT NULL DEFAULT 'new',
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz,
            doc jsonb, labels text[], code varchar(4), total bigint GENERATED ALWAYS AS (age * 2) STORED
         );",
    )
    .await;
    let db = model(&client).await;
    let p = load("tables: {people: {rows: 500}}", &db);
    let gen = &p.tables[0].gen;
    // Identity, plain defaults and generated columns are the database's;
    // volatile defaults (gen_random_uuid(), now()) are generated so the
    // same seed gives the same rows.
    assert!(
        !gen.columns
            .iter()
            .any(|c| ["id", "status", "total"].contains(&c.as_str())),
        "{:?}",
        gen.columns
    );
    assert!(
        gen.columns.contains(&"ext".to_string()) && gen.columns.contains(&"created_at".to_string())
    );
    let family = |c: &str| gen.generator(c).map(|g| g.describe()).unwrap_or_default();
    assert_eq!(family("email"), "email");
    assert_eq!(family("first_name"), "first_name");
    assert_eq!(family("city"), "city");
    assert_eq!(family("phone"), "phone_number");
    assert_eq!(family("website"), "url");
    assert_eq!(family("slug"), "slug");
    assert!(family("updated_at").starts_with("timestamp"));
    assert_eq!(family("role"), "enum role");
    let rows = rows_of(gen, 500);
    insert(&client, "people", gen, &rows).await;
    let checks = [
        (
            "SELECT bool_and(email LIKE '%@%')::text FROM people",
            "true",
        ),
        ("SELECT bool_and(status = 'new')::text FROM people", "true"),
        ("SELECT count(DISTINCT role)::text FROM people", "2"),
        (
            "SELECT bool_and(length(slug) <= 10 AND length(code) <= 4)::text FROM people",
            "true",
        ),
        (
            "SELECT bool_and(age BETWEEN 18 AND 90 AND score < 1000)::text FROM people",
            "true",
        ),
        (
            "SELECT bool_and(created_at < '2026-01-01')::text FROM people",
            "true",
        ),
        ("SELECT (max(id) = 500)::text FROM people", "true"),
    ];
    for (sql, want) in checks {
        assert_eq!(
            common::strings(&client, sql).await,
            vec![want.to_string()],
            "{sql}"
        );
    }
}

/// A spec model is enough for everything that needs no database.
fn spec_db() -> Database {
    strata::spec::load_str(
        Path::new("schema.yaml"),
        "enums:\n  user_role: [user, admin]\ntables:\n  orgs:\n    columns:\n      id: uuid primary key\n      name: text not null\n      code: {type: int, not_null: true}\n    unique:\n      - {columns: [code]}\n  users:\n    columns:\n      id: uuid primary key\n      org_id: {type: uuid, not_null: true, references: orgs.id}\n      manager_id: {type: uuid, references: users.id}\n      email: text not null\n      role: user_role not null\n      score: int\n    unique:\n      - {columns: [org_id, id]}\n  members:\n    columns:\n      org_id: {type: uuid, not_null: true, references: orgs.id}\n      user_id: uuid not null\n    foreign_keys:\n      - {columns: [org_id, user_id], references: {table: users, columns: [org_id, id]}}\n  pairs:\n    columns:\n      a: int not null\n      b: int not null\n    primary_key: [a, b]\n  links:\n    columns:\n      id: bigint primary key\n      a: int not null\n      b: int not null\n      from_org: {type: uuid, references: orgs.id}\n      to_org: {type: uuid, references: orgs.id}\n    foreign_keys:\n      - {columns: [a, b], references: {table: pairs, columns: [a, b]}}\n",
    )
    .expect("schema")
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // one range = one call
fn same_rows_for_one_call_and_uneven_parallel_ranges() {
    let db = spec_db();
    let text = "seed: 99\ntables:\n  users:\n    rows: 5000\n    columns:\n      email: {email, unique: true}\n      score: {uniform: [0, 100000], unique: true, null_ratio: 0.1}\n      manager_id: {null_ratio: 0.5}\n";
    let p = load(text, &db);
    let gen = &p.tables[0].gen;
    let org_keys: Vec<Vec<Value>> = (0..20u8).map(|i| vec![Value::Uuid([i; 16])]).collect();
    let self_keys: Vec<Vec<Value>> = (100..140u8).map(|i| vec![Value::Uuid([i; 16])]).collect();
    let pools = vec![Pool::Keys(org_keys), Pool::Keys(self_keys)];
    let inputs = Inputs {
        pools: &pools,
        fan_out: None,
    };
    let one = rows_of_with(gen, &[0..5000], &inputs, 1);
    let cuts = [0, 1, 700, 701, 2500, 3999, 4100, 5000];
    let ranges: Vec<std::ops::Range<u64>> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
    assert_eq!(ranges.len(), 7);
    let many = rows_of_with(gen, &ranges, &inputs, 4);
    assert_eq!(one, many);
    // A different seed changes the data; the same seed in another profile
    // with another table added does not change this table.
    let other = load(&text.replace("seed: 99", "seed: 98"), &db);
    assert_ne!(
        rows_of_with(&other.tables[0].gen, &[0..50], &inputs, 1),
        one[..50].to_vec()
    );
    let more = load(
        &format!("{text}  orgs: {{rows: 10, columns: {{name: city}}}}\n"),
        &db,
    );
    let users = more
        .table(&QualifiedName::new("public", "users"))
        .expect("users");
    assert_eq!(rows_of_with(&users.gen, &[0..5000], &inputs, 2), one);
    // Emails and non-null scores are distinct; FK values come from the pools.
    let email = gen
        .columns
        .iter()
        .position(|c| c == "email")
        .expect("email");
    let mut emails: Vec<String> = one.iter().map(|r| text_form(&r[email])).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 5000);
    let org = gen
        .columns
        .iter()
        .position(|c| c == "org_id")
        .expect("org_id");
    assert!(one
        .iter()
        .all(|r| matches!(&r[org], Value::Uuid(u) if u[0] < 20)));
    let mgr = gen
        .columns
        .iter()
        .position(|c| c == "manager_id")
        .expect("manager_id");
    let nulls = one.iter().filter(|r| r[mgr].is_null()).count();
    assert!((2000..3000).contains(&nulls), "{nulls}");
}

/// Generate `ranges` (in order) on a rayon pool of `threads`, settling
/// uniqueness range by range.
fn rows_of_with(
    gen: &TableGen,
    ranges: &[std::ops::Range<u64>],
    inputs: &Inputs,
    threads: usize,
) -> Vec<Vec<Value>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let parts: Vec<Vec<Vec<Value>>> = pool.install(|| {
        ranges
            .par_iter()
            .map(|r| gen.generate(r.clone(), inputs).expect("generate"))
            .collect()
    });
    let mut state = UniqueState::new(gen);
    let mut out = Vec::new();
    for (range, mut rows) in ranges.iter().zip(parts) {
        state
            .resolve(gen, range.start, &mut rows, inputs)
            .expect("unique");
        out.extend(rows);
    }
    out
}

#[test]
fn fan_out_composite_keys_and_per_parent_via() {
    let db = spec_db();
    let p = load(
        "tables:\n  links:\n    per_parent: {orgs: 2..4, via: to_org}\n  users:\n    per_parent: {orgs: 5..15}\n",
        &db,
    );
    let links = p
        .table(&QualifiedName::new("public", "links"))
        .expect("links");
    let Size::PerParent {
        slot,
        min: 2,
        max: 4,
        ..
    } = links.size
    else {
        panic!("{:?}", links.size)
    };
    assert_eq!(links.gen.fks[slot].columns, ["to_org"]);
    let orgs: Vec<Vec<Value>> = (0..5u8).map(|i| vec![Value::Uuid([i; 16])]).collect();
    let pairs: Vec<Vec<Value>> = (0..3)
        .map(|i| vec![Value::Int(i), Value::Int(i * 10)])
        .collect();
    let pools: Vec<Pool> = links
        .gen
        .fks
        .iter()
        .map(|f| {
            if f.ref_table.name == "pairs" {
                Pool::Keys(pairs.clone())
            } else {
                Pool::Keys(orgs.clone())
            }
        })
        .collect();
    let fan = FanOut::assign(links.gen.fan_out_key, orgs.len(), 2, 4);
    let inputs = Inputs {
        pools: &pools,
        fan_out: Some(&fan),
    };
    let rows = links
        .gen
        .generate(0..fan.total(), &inputs)
        .expect("generate");
    let col = |n: &str| links.gen.columns.iter().position(|c| c == n).expect(n);
    let (a, b, to) = (col("a"), col("b"), col("to_org"));
    for (i, r) in rows.iter().enumerate() {
        // Composite keys travel as a whole tuple.
        let (Value::Int(x), Value::Int(y)) = (&r[a], &r[b]) else {
            panic!("{r:?}")
        };
        assert_eq!(*y, x * 10);
        let parent = fan.parent_of(i as u64).expect("parent");
        assert_eq!(r[to], orgs[parent][0]);
    }
    for p in 0..orgs.len() {
        assert!((2..=4).contains(&fan.count(p)));
    }
    // Deferred FK (one side of a cycle): NULL now, the choice is available later.
    let users = p
        .table(&QualifiedName::new("public", "users"))
        .expect("users");
    let pools = vec![Pool::Keys(orgs.clone()), Pool::Deferred];
    let fan = FanOut::assign(users.gen.fan_out_key, orgs.len(), 5, 15);
    let rows = users
        .gen
        .generate(
            0..fan.total(),
            &Inputs {
                pools: &pools,
                fan_out: Some(&fan),
            },
        )
        .expect("users");
    let mgr = users
        .gen
        .columns
        .iter()
        .position(|c| c == "manager_id")
        .expect("manager_id");
    assert!(rows.iter().all(|r| r[mgr].is_null()));
    assert!(users
        .gen
        .parent_index(1, 3, 0, 10)
        .expect("choice")
        .is_some());
}

#[test]
fn unique_fails_clearly_when_values_run_out() {
    let db = spec_db();
    let p = load("tables:\n  orgs:\n    rows: 3\n    columns:\n      name: {one_of: [a, b], unique: true}\n      code: {uniform: [1, 10]}\n", &db);
    let gen = &p.tables[0].gen;
    let e = unique::check_capacity(gen, 3, &[])
        .expect_err("a, b for 3 rows")
        .to_string();
    assert_eq!(e, "orgs.name: cannot produce enough distinct values: generator `one_of [a, b]` reached 2 distinct values, but 3 rows need distinct values");
    // The unique constraint on `code` is respected without being asked.
    let e = unique::check_capacity(gen, 100, &[])
        .expect_err("1..10 for 100 rows")
        .to_string();
    assert!(e.contains("orgs.name") || e.contains("orgs.code"), "{e}");
    let p = load(
        "tables:\n  orgs:\n    rows: 100\n    columns:\n      code: {uniform: [1, 10]}\n",
        &db,
    );
    let gen = &p.tables[0].gen;
    let e = unique::check_capacity(gen, 100, &[])
        .expect_err("1..10 for 100 rows")
        .to_string();
    assert_eq!(e, "orgs.code: cannot produce enough distinct values: generator `uniform [1, 10]` reached 10 distinct values, but 100 rows need distinct values");
    // Generators of unknown capacity fail at the row that finds nothing new.
    let p = load("tables:\n  orgs:\n    rows: 5000\n    columns:\n      name: {job_seniority, unique: true}\n", &db);
    let gen = &p.tables[0].gen;
    let inputs = Inputs {
        pools: &[],
        fan_out: None,
    };
    let mut rows = gen.generate(0..5000, &inputs).expect("generate");
    let err = UniqueState::new(gen)
        .resolve(gen, 0, &mut rows, &inputs)
        .expect_err("runs out");
    let SeedError::Unique(u) = &err else {
        panic!("{err}")
    };
    assert!(
        u.distinct < 50 && u.row == Some(u.distinct as u64 + 1),
        "{err}"
    );
    assert!(
        err.to_string().starts_with(
            "orgs.name: cannot produce enough distinct values: generator `job_seniority` reached"
        ),
        "{err}"
    );
    // Small but sufficient domains succeed (retries find the free values).
    let p = load(
        "tables:\n  orgs:\n    rows: 60\n    columns:\n      code: {uniform: [1, 60]}\n",
        &db,
    );
    let rows = rows_of(&p.tables[0].gen, 60);
    let code = p.tables[0]
        .gen
        .columns
        .iter()
        .position(|c| c == "code")
        .expect("code");
    let mut codes: Vec<i64> = rows
        .iter()
        .map(|r| if let Value::Int(i) = r[code] { i } else { -1 })
        .collect();
    codes.sort();
    assert_eq!(codes, (1..=60).collect::<Vec<_>>());
}

#[test]
fn profile_errors_point_at_file_line_col() {
    let db = spec_db();
    let cases = [
        ("tables:\n  user: {rows: 1}\n", "seeds/test.yaml:2:3: unknown table \"user\"; did you mean \"users\"?"),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      emial: email\n",
            "seeds/test.yaml:5:7: table users has no column \"emial\"; did you mean \"email\"?",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: emial\n",
            "seeds/test.yaml:5:14: unknown generator \"emial\"; did you mean \"email\"? (a constant is written {constant: emial})",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      score: {uniform: [1, 5], nul_ratio: 0.1}\n",
            "seeds/test.yaml:5:32: unknown key \"nul_ratio\" in a generator spec; did you mean \"null_ratio\"?",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      score: {uniform: [1, 5], length: 2}\n",
            "seeds/test.yaml:5:32: option `length` applies to array, not to `uniform`",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: {null_ratio: 0.5}\n",
            "seeds/test.yaml:5:15: users.email is NOT NULL: null_ratio must be 0",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      role: {one_of: [user, admn]}\n",
            "seeds/test.yaml:5:29: \"admn\" is not a label of enum user_role (user, admin); did you mean \"admin\"?",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      score: email\n",
            "seeds/test.yaml:5:14: generator `email` produces text, but the column is an integer type",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: \"{first_nme}@x.org\"\n",
            "seeds/test.yaml:5:16: unknown generator \"first_nme\"; did you mean \"first_name\"? (a constant is written {constant: first_nme})",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: \"x{first_name@x.org\"\n",
            "seeds/test.yaml:5:16: unclosed `{` in template (write `{{` for a literal brace)",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: {sequence: {format: \"ORD-{seq:x}\"}}\n",
            "seeds/test.yaml:5:40: `{seq:x}`: the width after `seq:` must be a number, e.g. `{seq:06}`",
        ),
        (
            "tables:\n  links:\n    per_parent: {orgs: 1..2}\n",
            "seeds/test.yaml:3:18: table links has 2 foreign keys to orgs (from_org; to_org): name one with `via: column`",
        ),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      org_id: uuid\n",
            "seeds/test.yaml:5:7: users.org_id references orgs: its values come from orgs's rows (only null_ratio and unique apply)",
        ),
        ("seed: 1\nlocale: fr_FX\ntables: {}\n", "seeds/test.yaml:2:9: unknown locale \"fr_FX\"; did you mean \"fr_fr\"? (fake has: en, fr_fr, de_de, it_it, pt_br, pt_pt, nl_nl, zh_cn, zh_tw, ja_jp, ar_sa, cy_gb, tr_tr, fa_ir)"),
        (
            "tables:\n  users:\n    rows: 1\n    columns:\n      email: {constant: null}\n",
            "seeds/test.yaml:5:7: users.email is NOT NULL: it cannot be a constant null",
        ),
        ("tables:\n  users: {rows: 1, per_parent: {orgs: 1..2}}\n", "seeds/test.yaml:2:10: table users: give `rows` or `per_parent`, not both"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, want)| {
            let got = load_err(text, &db);
            (got != *want).then(|| format!("{text}\n  got:  {got}\n  want: {want}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn dashboard_profile_validates_against_the_schema() {
    let db = strata::spec::load_dir(Path::new("schema")).expect("schema/");
    let text = std::fs::read_to_string("tests/seed_fixtures/dashboard_dev.yaml").expect("profile");
    let p = load(&text, &db);
    assert_eq!(p.tables.len(), 5);
    let jobs = p
        .table(&QualifiedName::new("public", "docking_jobs"))
        .expect("jobs");
    let Size::PerParent { parent, .. } = &jobs.size else {
        panic!("{:?}", jobs.size)
    };
    assert_eq!(parent.name, "molecules");
    // Volatile defaults (gen_random_uuid(), now()) are generated; the
    // FK to the parent is filled from its pool.
    let orgs = p
        .table(&QualifiedName::new("public", "organizations"))
        .expect("orgs");
    assert_eq!(
        orgs.gen.columns,
        ["id", "name", "slug", "created_at", "updated_at"]
    );
    let results = p
        .table(&QualifiedName::new("public", "job_results"))
        .expect("results");
    assert_eq!(results.gen.fks.len(), 2);
}

#[test]
fn a_column_in_two_foreign_keys_follows_the_composite_one() {
    let p = load("tables: {members: {rows: 10}}", &spec_db());
    let gen = &p.tables[0].gen;
    assert_eq!(gen.fks.len(), 1, "{:?}", gen.fks);
    assert_eq!(gen.fks[0].ref_table.name, "users");
    assert_eq!(gen.fks[0].ref_columns, ["org_id", "id"]);
    let users: Vec<Vec<Value>> = (0..4u8)
        .map(|i| vec![Value::Uuid([i; 16]), Value::Uuid([i + 50; 16])])
        .collect();
    let pools = [Pool::Keys(users.clone())];
    let rows = gen
        .generate(
            0..10,
            &Inputs {
                pools: &pools,
                fan_out: None,
            },
        )
        .expect("rows");
    assert!(rows.iter().all(|r| users.contains(r)), "{rows:?}");
}

#[test]
fn unique_foreign_keys_take_distinct_parents() {
    let db = spec_db();
    let p = load(
        "tables:\n  users:\n    rows: 5\n    columns:\n      org_id: {unique: true}\n",
        &db,
    );
    let gen = &p.tables[0].gen;
    let orgs: Vec<Vec<Value>> = (0..5u8).map(|i| vec![Value::Uuid([i; 16])]).collect();
    let pools = vec![Pool::Keys(orgs), Pool::Deferred];
    let inputs = Inputs {
        pools: &pools,
        fan_out: None,
    };
    unique::check_capacity(gen, 5, &pools).expect("5 parents for 5 rows");
    let mut rows = gen.generate(0..5, &inputs).expect("rows");
    UniqueState::new(gen)
        .resolve(gen, 0, &mut rows, &inputs)
        .expect("unique");
    let org = gen
        .columns
        .iter()
        .position(|c| c == "org_id")
        .expect("org_id");
    let mut picked: Vec<String> = rows.iter().map(|r| text_form(&r[org])).collect();
    picked.sort();
    picked.dedup();
    assert_eq!(picked.len(), 5);
    let e = unique::check_capacity(gen, 6, &pools)
        .expect_err("6 rows")
        .to_string();
    assert_eq!(e, "users.org_id: cannot produce enough distinct values: generator `keys of orgs` reached 5 distinct values, but 6 rows need distinct values");
}

/// The parent keys of an FK slot, read back from the database in key
/// order, as the `seed` command will.
async fn pool(client: &Client, db: &Database, slot: &strata::seed::FkSlot) -> Pool {
    let table = &db.tables[&slot.ref_table];
    let cols: Vec<String> = slot
        .ref_columns
        .iter()
        .map(|c| format!("\"{c}\"::text"))
        .collect();
    let order: Vec<String> = slot
        .ref_columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        cols.join(", "),
        slot.ref_table.quoted(),
        order.join(", ")
    );
    let rows = client.query(&sql, &[]).await.expect("parent keys");
    let keys = rows
        .iter()
        .map(|r| {
            slot.ref_columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let ty = strata::seed::coltype::ColType::parse(
                        &table.column(c).expect("ref column").data_type,
                        db,
                    );
                    strata::seed::coltype::coerce(Value::Text(r.get(i)), &ty).expect("key value")
                })
                .collect()
        })
        .collect();
    Pool::Keys(keys)
}

#[tokio::test]
async fn fan_out_and_foreign_keys_hold_in_postgres() {
    let (_db, client) = common::fresh_db("seed_fk").await;
    common::exec(
        &client,
        "CREATE TYPE user_role AS ENUM ('user', 'admin');
         CREATE TABLE organizations (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL,
            slug varchar(64) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
            created_at timestamptz NOT NULL DEFAULT now());
         CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            organization_id uuid NOT NULL REFERENCES organizations ON DELETE CASCADE,
            email varchar(320) NOT NULL, role user_role NOT NULL DEFAULT 'user',
            UNIQUE (organization_id, email));
         CREATE TABLE molecules (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            organization_id uuid NOT NULL REFERENCES organizations,
            created_by uuid REFERENCES users ON DELETE SET NULL,
            smiles text NOT NULL, molecular_weight numeric(10,3) CHECK (molecular_weight > 0));",
    )
    .await;
    let db = model(&client).await;
    let p = load(
        "seed: 42\ntables:\n  organizations: {rows: 3, columns: {name: company_name}}\n  users:\n    per_parent: {organizations: 5..15}\n    columns:\n      role: {one_of: {user: 4, admin: 1}}\n  molecules:\n    per_parent: {organizations: 50..200}\n    columns:\n      smiles: {one_of_file: tests/seed_fixtures/smiles.txt}\n      molecular_weight: {uniform: [100.0, 800.0]}\n      created_by: {null_ratio: 0.2}\n",
        &db,
    );
    for tp in &p.tables {
        let gen = &tp.gen;
        let mut pools = Vec::new();
        for slot in &gen.fks {
            pools.push(pool(&client, &db, slot).await);
        }
        let fan = match &tp.size {
            Size::PerParent { slot, min, max, .. } => {
                let Pool::Keys(k) = &pools[*slot] else {
                    unreachable!()
                };
                Some(FanOut::assign(gen.fan_out_key, k.len(), *min, *max))
            }
            Size::Rows(_) | Size::Import(_) => None,
        };
        let total = match (&tp.size, &fan) {
            (Size::Rows(n), _) => *n,
            (_, Some(f)) => f.total(),
            _ => unreachable!(),
        };
        let inputs = Inputs {
            pools: &pools,
            fan_out: fan.as_ref(),
        };
        unique::check_capacity(gen, total, &pools).expect("capacity");
        let mut rows = gen.generate_par(0..total, 37, &inputs).expect("rows");
        UniqueState::new(gen)
            .resolve(gen, 0, &mut rows, &inputs)
            .expect("unique");
        insert(&client, &tp.table.quoted(), gen, &rows).await;
    }
    let checks = [
        ("SELECT count(*)::text FROM organizations", "3"),
        ("SELECT bool_and(n BETWEEN 5 AND 15)::text FROM (SELECT count(*) n FROM users GROUP BY organization_id) c", "true"),
        ("SELECT bool_and(n BETWEEN 50 AND 200)::text FROM (SELECT count(*) n FROM molecules GROUP BY organization_id) c", "true"),
        ("SELECT count(DISTINCT organization_id)::text FROM molecules", "3"),
        ("SELECT (count(*) FILTER (WHERE created_by IS NULL) > 0)::text FROM molecules", "true"),
        ("SELECT count(*)::text FROM molecules m LEFT JOIN users u ON u.id = m.created_by WHERE m.created_by IS NOT NULL AND u.id IS NULL", "0"),
    ];
    for (sql, want) in checks {
        assert_eq!(
            common::strings(&client, sql).await,
            vec![want.to_string()],
            "{sql}"
        );
    }
}
