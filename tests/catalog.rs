//! Catalog introspection against a real PostgreSQL.
//!
//! Runs on the shared test server (tests/common): `DATABASE_URL` when set,
//! otherwise strata's embedded cluster; each test uses its own database.

mod common;

use strata::catalog::{introspect, CatalogOptions};
use strata::model::*;
use strata::scratch::ScratchDb;
use tokio_postgres::Client;

/// A fresh database for one test on the shared test server.
struct TestDb {
    db: ScratchDb,
    client: Client,
}

impl TestDb {
    async fn new(name: &str) -> TestDb {
        let (db, client) = common::fresh_db(&format!("cat_{name}")).await;
        TestDb { db, client }
    }

    async fn exec(&self, sql: &str) {
        if let Err(e) = self.client.batch_execute(sql).await {
            panic!("{}\n{sql}", strata::db::describe(&e));
        }
    }

    async fn model(&self) -> Database {
        self.model_with(&CatalogOptions::default()).await
    }

    async fn model_with(&self, opts: &CatalogOptions) -> Database {
        introspect(&self.client, opts).await.expect("introspect")
    }

    async fn drop_db(self) {
        drop(self.client);
        let _ = common::server().drop_database(&self.db).await;
    }
}

async fn model_of(name: &str, ddl: &str) -> Database {
    let db = TestDb::new(name).await;
    db.exec(ddl).await;
    let m = db.model().await;
    db.drop_db().await;
    m
}

fn q(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

fn table<'a>(m: &'a Database, schema: &str, name: &str) -> &'a Table {
    m.tables
        .get(&q(schema, name))
        .unwrap_or_else(|| panic!("table {schema}.{name} missing: {:?}", m.tables.keys()))
}

fn has_unmanaged(m: &Database, kind: &str, name: &str) -> bool {
    m.unmanaged.iter().any(|u| u.kind == kind && u.name == name)
}

// ------------------------------------------------------------------ tests

#[tokio::test]
async fn schemas_extensions_and_enums() {
    let m = model_of(
        "schemas",
        "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'the app';
         CREATE SCHEMA crypto;
         CREATE EXTENSION citext;
         CREATE EXTENSION pgcrypto SCHEMA crypto;
         CREATE TYPE app.status AS ENUM ('pending', 'done');
         ALTER TYPE app.status ADD VALUE 'running' BEFORE 'done';
         COMMENT ON TYPE app.status IS 'job state';
         CREATE TABLE app.t (id int, email citext);",
    )
    .await;
    assert_eq!(m.schemas.keys().collect::<Vec<_>>(), ["app", "crypto"]);
    assert_eq!(m.schemas["app"].comment.as_deref(), Some("the app"));
    assert!(!m.schemas.contains_key("public"));
    assert_eq!(m.extensions["citext"].schema, None);
    assert_eq!(m.extensions["pgcrypto"].schema.as_deref(), Some("crypto"));
    assert!(!m.extensions.contains_key("plpgsql"));
    let e = &m.enums[&q("app", "status")];
    assert_eq!(e.values, ["pending", "running", "done"]);
    assert_eq!(e.comment.as_deref(), Some("job state"));
    assert_eq!(m.enums.len(), 1, "extension types are skipped");
    assert_eq!(table(&m, "app", "t").columns[1].data_type, "public.citext");
    // citext's and pgcrypto's functions and types are extension members.
    assert!(m.unmanaged.is_empty(), "{:?}", m.unmanaged);
}

#[tokio::test]
async fn columns() {
    let m = model_of(
        "columns",
        "CREATE TYPE mood AS ENUM ('ok');
         CREATE TABLE t (
           a int4 NOT NULL,
           gone int,
           b varchar(20) DEFAULT 'x',
           c numeric(10,3),
           d int[] ,
           e mood[],
           f timestamptz DEFAULT now(),
           g text COLLATE \"C\",
           h text COLLATE ucs_basic,
           i int GENERATED ALWAYS AS (a * 2) STORED,
           j text COLLATE \"default\"
         );
         ALTER TABLE t DROP COLUMN gone;
         COMMENT ON TABLE t IS 'tee';
         COMMENT ON COLUMN t.a IS 'first';",
    )
    .await;
    let t = table(&m, "public", "t");
    assert_eq!(t.comment.as_deref(), Some("tee"));
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    let types: Vec<_> = t.columns.iter().map(|c| c.data_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "integer",
            "character varying(20)",
            "numeric(10,3)",
            "integer[]",
            "public.mood[]",
            "timestamp with time zone",
            "text",
            "text",
            "integer",
            "text"
        ]
    );
    let a = t.column("a").unwrap();
    assert!(a.not_null);
    assert_eq!(a.comment.as_deref(), Some("first"));
    assert_eq!(
        t.column("b").unwrap().default.as_deref(),
        Some("'x'::character varying")
    );
    assert_eq!(t.column("f").unwrap().default.as_deref(), Some("now()"));
    assert_eq!(t.column("g").unwrap().collation.as_deref(), Some("\"C\""));
    assert_eq!(
        t.column("h").unwrap().collation.as_deref(),
        Some("ucs_basic")
    );
    assert_eq!(t.column("j").unwrap().collation, None);
    let i = t.column("i").unwrap();
    assert_eq!(i.generated.as_deref(), Some("(a * 2)"));
    assert_eq!(i.default, None);
}

#[tokio::test]
async fn serial_and_identity() {
    let m = model_of(
        "serial",
        "CREATE SCHEMA s;
         CREATE SEQUENCE s.shared START 7;
         CREATE TABLE s.t (
           a serial,
           b bigserial,
           c int GENERATED ALWAYS AS IDENTITY (START 100 INCREMENT 5),
           d bigint GENERATED BY DEFAULT AS IDENTITY,
           e int DEFAULT nextval('s.shared'),
           f smallint GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 1000 CACHE 10 CYCLE),
           g int GENERATED ALWAYS AS IDENTITY (INCREMENT -1)
         );
         CREATE SEQUENCE s.custom AS integer MINVALUE 10 MAXVALUE 500;
         CREATE TABLE s.u (x int NOT NULL DEFAULT nextval('s.custom'));
         ALTER SEQUENCE s.custom OWNED BY s.u.x;",
    )
    .await;
    let t = table(&m, "s", "t");
    let a = t.column("a").unwrap();
    assert_eq!(a.default, None);
    let serial = a.serial.as_ref().expect("a is serial");
    assert_eq!(serial.name, Some(q("s", "t_a_seq")));
    assert!(serial.is_default(), "{serial:?}");
    let b = t.column("b").unwrap();
    assert_eq!(b.data_type, "bigint");
    assert!(b.serial.as_ref().unwrap().is_default());

    let c = t.column("c").unwrap().identity.as_ref().expect("identity");
    assert_eq!(c.kind, IdentityKind::Always);
    assert_eq!(
        (c.sequence.start, c.sequence.increment),
        (Some(100), Some(5))
    );
    assert_eq!((c.sequence.min_value, c.sequence.max_value), (None, None));
    assert_eq!(c.sequence.name, Some(q("s", "t_c_seq")));
    let d = t.column("d").unwrap().identity.as_ref().unwrap();
    assert_eq!(d.kind, IdentityKind::ByDefault);
    assert!(d.sequence.is_default());
    assert_eq!(t.column("d").unwrap().default, None);

    let e = t.column("e").unwrap();
    assert_eq!(e.default.as_deref(), Some("nextval('s.shared'::regclass)"));
    assert!(e.serial.is_none());
    let shared = &m.sequences[&q("s", "shared")];
    assert_eq!(shared.owned_by, None);
    assert!(m.unmanaged.iter().all(|u| u.kind != "sequences"));

    let f = &t.column("f").unwrap().identity.as_ref().unwrap().sequence;
    assert_eq!(
        (f.max_value, f.cache, f.cycle),
        (Some(1000), Some(10), true)
    );
    assert_eq!(f.data_type, None);
    let g = &t.column("g").unwrap().identity.as_ref().unwrap().sequence;
    assert_eq!(g.increment, Some(-1));
    assert_eq!((g.start, g.min_value, g.max_value), (None, None, None));

    let x = table(&m, "s", "u").column("x").unwrap();
    let seq = x.serial.as_ref().expect("owned nextval is serial");
    assert_eq!(
        (seq.min_value, seq.max_value, seq.start),
        (Some(10), Some(500), None)
    );
    assert!(m.unmanaged.is_empty(), "{:?}", m.unmanaged);
    assert_eq!(m.sequences.len(), 1, "{:?}", m.sequences);
}

#[tokio::test]
async fn constraints() {
    let m = model_of(
        "constraints",
        "CREATE EXTENSION btree_gist;
         CREATE SCHEMA app;
         CREATE TABLE app.p (a int, b int, PRIMARY KEY (b, a));
         CREATE TABLE app.c (
           x int, y int, email text, price numeric,
           CONSTRAINT c_fk FOREIGN KEY (y, x) REFERENCES app.p (b, a)
             MATCH FULL ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
           CONSTRAINT c_email_key UNIQUE NULLS NOT DISTINCT (email, x),
           CONSTRAINT positive CHECK (price > 0),
           CONSTRAINT c_x_key UNIQUE (x) DEFERRABLE
         );
         COMMENT ON CONSTRAINT positive ON app.c IS 'no freebies';
         CREATE TABLE app.booking (
           room int, during tsrange,
           CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)
             WHERE (room > 0)
         );",
    )
    .await;
    let p = table(&m, "app", "p");
    let pk = p.primary_key.as_ref().expect("pk");
    assert_eq!(pk.columns, ["b", "a"]);
    assert_eq!(pk.name.as_deref(), Some("p_pkey"));
    assert_eq!(pk.definition, "PRIMARY KEY (b, a)");

    let c = table(&m, "app", "c");
    let fk = &c.foreign_keys[0];
    assert_eq!(fk.columns, ["y", "x"]);
    assert_eq!(fk.ref_table, q("app", "p"));
    assert_eq!(fk.ref_columns, ["b", "a"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(fk.on_update, FkAction::SetNull);
    assert_eq!(fk.match_type, FkMatch::Full);
    assert!(fk.deferrable && fk.initially_deferred);
    assert!(fk
        .definition
        .starts_with("FOREIGN KEY (y, x) REFERENCES app.p(b, a)"));

    let names: Vec<_> = c
        .uniques
        .iter()
        .map(|u| u.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["c_email_key", "c_x_key"]);
    assert_eq!(c.uniques[0].columns, ["email", "x"]);
    assert!(c.uniques[0].nulls_not_distinct);
    assert!(c.uniques[1].deferrable && !c.uniques[1].initially_deferred);

    let check = &c.checks[0];
    assert_eq!(check.expression, "(price > (0)::numeric)");
    assert_eq!(check.definition, format!("CHECK ({})", check.expression));
    assert_eq!(check.comment.as_deref(), Some("no freebies"));

    let b = table(&m, "app", "booking");
    let x = &b.exclusions[0];
    assert_eq!(x.method, "gist");
    assert_eq!(x.elements, ["room WITH =", "during WITH &&"]);
    assert_eq!(x.predicate.as_deref(), Some("(room > 0)"));
    assert!(b.indexes.is_empty(), "constraint indexes are implied");
    assert!(c.indexes.is_empty() && p.indexes.is_empty());
}

#[tokio::test]
async fn include_columns_and_delete_column_lists() {
    let m = model_of(
        "include_setnull",
        "CREATE TABLE t (
           id int, code text, \"Name\" text, note text,
           PRIMARY KEY (id) INCLUDE (note),
           UNIQUE (code) INCLUDE (\"Name\", note),
           UNIQUE (note)
         );
         CREATE TABLE u (tenant int, id int, PRIMARY KEY (tenant, id));
         CREATE TABLE v (tenant int, author int, other int,
           FOREIGN KEY (tenant, author) REFERENCES u ON DELETE SET NULL (author),
           FOREIGN KEY (tenant, other) REFERENCES u ON DELETE SET NULL);",
    )
    .await;
    let t = table(&m, "public", "t");
    let pk = t.primary_key.as_ref().expect("pk");
    assert_eq!(pk.columns, ["id"]);
    assert_eq!(pk.include, ["note"]);
    assert_eq!(t.uniques[0].name.as_deref(), Some("t_code_Name_note_key"));
    assert_eq!(t.uniques[0].columns, ["code"]);
    assert_eq!(t.uniques[0].include, ["Name", "note"]);
    assert!(t.uniques[1].include.is_empty());

    let v = table(&m, "public", "v");
    assert_eq!(v.foreign_keys[0].on_delete, FkAction::SetNull);
    assert_eq!(v.foreign_keys[0].on_delete_columns, ["author"]);
    assert!(v.foreign_keys[1].on_delete_columns.is_empty());
}

#[tokio::test]
async fn indexes() {
    let m = model_of(
        "indexes",
        "CREATE TABLE t (id int PRIMARY KEY, email text, name text, tags text[],
                         created timestamptz, n int);
         CREATE INDEX t_multi ON t (name DESC NULLS LAST, created);
         CREATE UNIQUE INDEX t_lower ON t (lower(email)) WHERE n > 0;
         CREATE INDEX t_pattern ON t (email text_pattern_ops);
         CREATE INDEX t_coll ON t (name COLLATE \"C\") INCLUDE (n, created);
         CREATE INDEX t_tags ON t USING gin (tags) WITH (fastupdate = off);
         CREATE INDEX t_ff ON t (n) WITH (fillfactor = 70, deduplicate_items = off);
         CREATE INDEX t_first ON t (n NULLS FIRST, created DESC);
         COMMENT ON INDEX t_tags IS 'tagged';",
    )
    .await;
    let t = table(&m, "public", "t");
    let names: Vec<_> = t
        .indexes
        .iter()
        .map(|i| i.name.as_deref().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "t_coll",
            "t_ff",
            "t_first",
            "t_lower",
            "t_multi",
            "t_pattern",
            "t_tags"
        ]
    );
    let by = |n: &str| {
        t.indexes
            .iter()
            .find(|i| i.name.as_deref() == Some(n))
            .unwrap()
    };
    for i in &t.indexes {
        assert!(i.definition.starts_with("USING "), "{}", i.definition);
        assert!(!i.definition.contains("public.t"), "{}", i.definition);
    }

    let multi = by("t_multi");
    assert_eq!(multi.method, "btree");
    assert_eq!(multi.keys.len(), 2);
    assert_eq!(multi.keys[0].expr, "name");
    assert!(multi.keys[0].descending);
    assert_eq!(multi.keys[0].nulls_first, Some(false));
    assert!(!multi.keys[1].descending);
    assert_eq!(multi.keys[1].nulls_first, None);
    assert_eq!(
        multi.definition,
        "USING btree (name DESC NULLS LAST, created)"
    );

    let lower = by("t_lower");
    assert!(lower.unique);
    assert!(lower.keys[0].is_expression);
    assert_eq!(lower.keys[0].expr, "lower(email)");
    assert_eq!(lower.predicate.as_deref(), Some("(n > 0)"));

    assert_eq!(
        by("t_pattern").keys[0].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    assert_eq!(by("t_multi").keys[0].opclass, None);
    let coll = by("t_coll");
    assert_eq!(coll.keys[0].collation.as_deref(), Some("\"C\""));
    assert_eq!(coll.include, ["n", "created"]);
    assert_eq!(coll.keys.len(), 1);

    let tags = by("t_tags");
    assert_eq!(tags.method, "gin");
    assert_eq!(tags.with, ["fastupdate=off"]);
    assert_eq!(tags.comment.as_deref(), Some("tagged"));
    assert_eq!(by("t_ff").with, ["deduplicate_items=off", "fillfactor=70"]);

    let first = by("t_first");
    assert_eq!(first.keys[0].nulls_first, Some(true));
    assert!(first.keys[1].descending);
    assert_eq!(first.keys[1].nulls_first, None);
}

#[tokio::test]
async fn unmanaged_objects_are_reported() {
    let m = model_of(
        "unmanaged",
        "CREATE EXTENSION hstore;
         CREATE TABLE t (id int PRIMARY KEY, v int);
         CREATE VIEW v AS SELECT id FROM t;
         CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
         CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
         CREATE PROCEDURE pr() LANGUAGE sql AS 'SELECT 1';
         CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
         CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
         CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY pol ON t USING (v > 0);
         CREATE SEQUENCE standalone;
         CREATE DOMAIN posint AS int CHECK (VALUE > 0);
         CREATE TYPE pair AS (a int, b int);
         CREATE TYPE floatrange AS RANGE (subtype = float8);
         CREATE TABLE parted (id serial, k int) PARTITION BY RANGE (k);
         CREATE SEQUENCE owned_unused OWNED BY t.v;
         CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
         CREATE TABLE parent (a int);
         CREATE TABLE child (b int) INHERITS (parent);
         CREATE UNLOGGED TABLE scratch (a int);
         CREATE TABLE tuned (a int) WITH (fillfactor = 50);",
    )
    .await;
    let expected = [
        ("rules", "r on public.t"),
        ("inheritance children", "public.child"),
    ];
    for (kind, name) in expected {
        assert!(
            has_unmanaged(&m, kind, name),
            "{kind} {name}: {:#?}",
            m.unmanaged
        );
    }
    assert_eq!(m.unmanaged.len(), expected.len(), "{:#?}", m.unmanaged);
    // Table properties are modelled (issue 14).
    let table = |n: &str| &m.tables[&strata::model::QualifiedName::new("public", n)];
    assert!(table("scratch").unlogged);
    assert!(table("t").row_security);
    // So are policies.
    let pol = &m.policies[&(
        strata::model::QualifiedName::new("public", "t"),
        "pol".to_string(),
    )];
    assert_eq!(pol.using.as_deref(), Some("(v > 0)"));
    assert_eq!(pol.roles, ["public"]);
    assert_eq!(
        table("tuned").storage.get("fillfactor").map(String::as_str),
        Some("50")
    );
    // Functions, procedures and the triggers of managed tables are managed.
    let fns: Vec<String> = m
        .functions
        .keys()
        .map(|(n, args)| format!("{}({args})", n.name))
        .collect();
    assert_eq!(fns, ["f(a integer)", "pr()", "trg()"]);
    assert!(m.functions.values().any(|f| f.procedure));
    let trigger = &m.triggers[&(
        strata::model::QualifiedName::new("public", "t"),
        "t_trg".into(),
    )];
    assert!(trigger
        .definition
        .starts_with("CREATE TRIGGER t_trg BEFORE INSERT ON public.t"));
    // Standalone sequences are managed; the partitioned table's serial
    // sequence is its column's.
    let seqs: Vec<_> = m.sequences.keys().map(|k| k.name.as_str()).collect();
    assert_eq!(seqs, ["owned_unused", "standalone"]);
    // Domains, composite and range types are managed; hstore's types
    // (extension members) are neither managed nor reported.
    let names = |keys: Vec<&QualifiedName>| keys.iter().map(|k| k.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(m.domains.keys().collect()), ["posint"]);
    assert_eq!(names(m.composites.keys().collect()), ["pair"]);
    assert_eq!(names(m.ranges.keys().collect()), ["floatrange"]);
    assert_eq!(
        m.domains.values().next().unwrap().checks[0].definition,
        "CHECK ((VALUE > 0))"
    );
    let owner = m.sequences.values().find_map(|s| s.owned_by.clone());
    assert_eq!(owner, Some((QualifiedName::new("public", "t"), "v".into())));
    let mut tables: Vec<_> = m.tables.keys().map(|k| k.name.as_str()).collect();
    tables.sort();
    assert_eq!(
        tables,
        ["parent", "parted", "parted_1", "scratch", "t", "tuned"]
    );
    // Views and materialized views are managed, not reported.
    let views: Vec<_> = m
        .views
        .values()
        .map(|v| (v.name.name.as_str(), v.materialized))
        .collect();
    assert_eq!(views, [("mv", true), ("v", false)]);
    let mut sorted = m.unmanaged.clone();
    sorted.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    assert_eq!(sorted, m.unmanaged, "unmanaged list is sorted");
}

/// Objects outside any schema are reported whatever the schema filter,
/// and reading them needs no superuser (a subscription's connection string
/// is not readable by other roles; strata does not read it).
#[tokio::test]
async fn database_wide_objects_ignore_the_schema_filter_and_need_no_superuser() {
    let db = TestDb::new("dbwide").await;
    db.exec(
        "CREATE SCHEMA a; CREATE TABLE a.t (id int);
         CREATE SCHEMA b; CREATE TABLE b.u (id int);
         CREATE PUBLICATION pub FOR TABLE a.t;
         CREATE PUBLICATION outside FOR TABLE a.t, b.u;
         CREATE SUBSCRIPTION sub CONNECTION 'dbname=nowhere' PUBLICATION pub
           WITH (connect = false, slot_name = NONE, enabled = false);
         CREATE FOREIGN DATA WRAPPER w; CREATE SERVER srv FOREIGN DATA WRAPPER w;
         CREATE USER MAPPING FOR PUBLIC SERVER srv;
         DO $$ BEGIN CREATE ROLE strata_plain_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         SET ROLE strata_plain_reader;",
    )
    .await;
    let opts = CatalogOptions {
        schemas: Some(vec!["a".into()]),
        ..Default::default()
    };
    let m = db.model_with(&opts).await;
    db.exec("RESET ROLE; DROP SUBSCRIPTION sub;").await;
    db.drop_db().await;
    // A publication of managed tables is modelled; one naming a table
    // outside the managed schemas stays reported.
    assert_eq!(
        m.publications.keys().collect::<Vec<_>>(),
        ["pub"],
        "{:#?}",
        m.publications
    );
    let expected = [
        ("publications", "outside"),
        ("subscriptions", "sub"),
        ("foreign data wrappers", "w"),
        ("foreign servers", "srv"),
        ("user mappings", "public on srv"),
    ];
    for (kind, name) in expected {
        assert!(
            has_unmanaged(&m, kind, name),
            "{kind} {name}: {:#?}",
            m.unmanaged
        );
    }
    assert_eq!(m.unmanaged.len(), expected.len(), "{:#?}", m.unmanaged);
}

#[tokio::test]
async fn extension_owned_schema_and_tables_are_skipped() {
    let db = TestDb::new("extmember").await;
    db.exec(
        "CREATE SCHEMA ext_s; CREATE TABLE ext_s.config (k text);
         CREATE TABLE public.own (k text);
         CREATE EXTENSION citext;
         ALTER EXTENSION citext ADD SCHEMA ext_s;
         ALTER EXTENSION citext ADD TABLE public.own;",
    )
    .await;
    let m = db.model().await;
    db.drop_db().await;
    assert!(m.schemas.is_empty(), "{:?}", m.schemas);
    assert!(m.tables.is_empty(), "{:?}", m.tables.keys());
    assert!(m.unmanaged.is_empty(), "{:?}", m.unmanaged);
}

#[tokio::test]
async fn schema_filter() {
    let db = TestDb::new("filter").await;
    db.exec(
        "CREATE SCHEMA a; CREATE SCHEMA b;
         CREATE TABLE a.t (id int); CREATE TABLE b.t (id int); CREATE TABLE public.t (id int);
         CREATE TYPE b.e AS ENUM ('x'); CREATE VIEW b.v AS SELECT 1 AS one;
         CREATE EXTENSION citext SCHEMA b;",
    )
    .await;
    let opts = CatalogOptions {
        schemas: Some(vec!["a".into()]),
        ..Default::default()
    };
    let m = db.model_with(&opts).await;
    let all = db.model().await;
    db.drop_db().await;
    assert_eq!(m.schemas.keys().collect::<Vec<_>>(), ["a"]);
    assert_eq!(m.tables.keys().cloned().collect::<Vec<_>>(), [q("a", "t")]);
    assert!(m.enums.is_empty() && m.extensions.is_empty() && m.unmanaged.is_empty());
    assert!(m.views.is_empty());
    assert_eq!(all.views.keys().cloned().collect::<Vec<_>>(), [q("b", "v")]);
    assert_eq!(all.tables.len(), 3);
    assert_eq!(all.extensions["citext"].schema.as_deref(), Some("b"));
}

/// The same objects created in another order, with dropped columns and
/// unrelated objects in between, must give an equal model.
#[tokio::test]
async fn determinism() {
    let first = model_of(
        "det1",
        "CREATE SCHEMA app;
         CREATE TYPE app.st AS ENUM ('a', 'b');
         CREATE TABLE app.org (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);
         CREATE TABLE app.job (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                               org bigint NOT NULL REFERENCES app.org ON DELETE CASCADE,
                               st app.st DEFAULT 'a', n int CHECK (n > 0));
         CREATE INDEX job_org ON app.job (org, st);
         CREATE INDEX job_n ON app.job (n) WHERE n > 10;",
    )
    .await;
    let second = model_of(
        "det2",
        "CREATE TABLE junk (x int);
         CREATE SCHEMA app;
         CREATE TYPE app.st AS ENUM ('a', 'b');
         CREATE TABLE app.job (id int GENERATED ALWAYS AS IDENTITY, dropme text,
                               org bigint NOT NULL, st app.st DEFAULT 'a', n int);
         ALTER TABLE app.job DROP COLUMN dropme;
         CREATE INDEX job_n ON app.job (n) WHERE n > 10;
         DROP TABLE junk;
         CREATE TABLE app.org (id bigserial, name text NOT NULL);
         ALTER TABLE app.org ADD PRIMARY KEY (id);
         ALTER TABLE app.org ADD CONSTRAINT org_name_key UNIQUE (name);
         ALTER TABLE app.job ADD PRIMARY KEY (id);
         ALTER TABLE app.job ADD CONSTRAINT job_n_check CHECK (n > 0);
         ALTER TABLE app.job ADD CONSTRAINT job_org_fkey FOREIGN KEY (org)
           REFERENCES app.org (id) ON DELETE CASCADE;
         CREATE INDEX job_org ON app.job (org, st);",
    )
    .await;
    assert_eq!(first, second);
    assert_eq!(first.tables.len(), 2);
}

#[tokio::test]
async fn session_is_left_as_found() {
    let db = TestDb::new("session").await;
    db.exec("SET search_path = public, pg_temp; CREATE TABLE t (id int);")
        .await;
    let m = db.model().await;
    assert!(m.tables.contains_key(&q("public", "t")));
    let row = db.client.query_one("SHOW search_path", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), "public, pg_temp");
    // Not left inside a transaction: a new read-write statement works.
    db.exec("CREATE TABLE u (id int)").await;
    db.drop_db().await;
}

#[tokio::test]
async fn odd_identifiers() {
    let m = model_of(
        "odd",
        "CREATE SCHEMA \"My App\";
         CREATE TABLE \"My App\".\"o'brien\" (\"ID\" serial PRIMARY KEY, \"a,b\" int,
           \"USING\" text);
         CREATE INDEX \"Idx USING ON\" ON \"My App\".\"o'brien\" (\"a,b\", (\"a,b\" + 1));
         CREATE INDEX \"lower\" ON \"My App\".\"o'brien\" (lower(\"USING\") COLLATE \"C\");",
    )
    .await;
    let t = table(&m, "My App", "o'brien");
    let id = t.column("ID").unwrap();
    assert!(id.serial.is_some(), "{id:?}");
    assert_eq!(id.default, None);
    assert_eq!(
        id.serial.as_ref().unwrap().name,
        Some(q("My App", "o'brien_ID_seq"))
    );
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["ID"]);
    let idx = t
        .indexes
        .iter()
        .find(|i| i.name.as_deref() == Some("Idx USING ON"));
    let idx = idx.expect("index");
    assert_eq!(idx.definition, "USING btree (\"a,b\", ((\"a,b\" + 1)))");
    assert_eq!(idx.keys[0].expr, "a,b");
    assert!(!idx.keys[0].is_expression);
    assert_eq!(idx.keys[1].expr, "(\"a,b\" + 1)");
    assert!(idx.keys[1].is_expression);
    let lower = t
        .indexes
        .iter()
        .find(|i| i.name.as_deref() == Some("lower"));
    let lower = lower.expect("index");
    assert_eq!(lower.keys[0].expr, "lower(\"USING\")");
    assert_eq!(lower.keys[0].collation.as_deref(), Some("\"C\""));
}

#[tokio::test]
async fn invalid_index_is_kept_and_reported() {
    let db = TestDb::new("invalid").await;
    db.exec("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);")
        .await;
    let failed = db
        .client
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a)")
        .await;
    assert!(failed.is_err());
    let m = db.model().await;
    db.drop_db().await;
    let t = table(&m, "public", "t");
    assert_eq!(t.indexes.len(), 1);
    assert!(has_unmanaged(
        &m,
        "invalid indexes",
        "public.t_a on public.t"
    ));
}

#[tokio::test]
async fn partitions_hold_only_what_is_their_own() {
    let m = model_of(
        "parts",
        "CREATE TABLE p (id int, k int NOT NULL, v int CHECK (v > 0), PRIMARY KEY (id, k))
           PARTITION BY LIST (k);
         CREATE INDEX p_v ON p (v);
         CREATE TABLE p1 PARTITION OF p (CONSTRAINT p1_own CHECK (id < 100))
           FOR VALUES IN (1, 2) PARTITION BY RANGE (id);
         CREATE TABLE p1a PARTITION OF p1 FOR VALUES FROM (MINVALUE) TO (10);
         CREATE INDEX p1a_id ON p1a (id);
         CREATE TABLE pd PARTITION OF p DEFAULT;
         ALTER TABLE pd ALTER COLUMN v SET DEFAULT 5, ALTER COLUMN v SET NOT NULL;
         CREATE TABLE parent (a int);
         CREATE TABLE child (b int) INHERITS (parent);",
    )
    .await;
    let p = table(&m, "public", "p");
    assert_eq!(p.partition_by.as_deref(), Some("LIST (k)"));
    assert_eq!(p.columns.len(), 3);
    assert_eq!(p.indexes.len(), 1);
    let p1 = table(&m, "public", "p1");
    assert_eq!(p1.partition_by.as_deref(), Some("RANGE (id)"));
    let of = p1.partition_of.as_ref().expect("p1 is a partition");
    assert_eq!(
        (&of.parent, of.bound.as_str()),
        (&q("public", "p"), "FOR VALUES IN (1, 2)")
    );
    // Inherited columns, keys, checks and indexes follow the parent.
    assert!(p1.columns.is_empty() && p1.primary_key.is_none() && p1.indexes.is_empty());
    let checks: Vec<_> = p1.checks.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(checks, [Some("p1_own")]);
    let p1a = table(&m, "public", "p1a");
    assert_eq!(
        p1a.partition_of.as_ref().map(|o| o.bound.as_str()),
        Some("FOR VALUES FROM (MINVALUE) TO (10)")
    );
    assert!(p1a.checks.is_empty());
    let own: Vec<_> = p1a.indexes.iter().map(|i| i.name.as_deref()).collect();
    assert_eq!(own, [Some("p1a_id")]);
    let pd = table(&m, "public", "pd");
    assert_eq!(
        pd.partition_of.as_ref().map(|o| o.bound.as_str()),
        Some("DEFAULT")
    );
    // Legacy inheritance stays reported, and a partition's own column
    // settings (its columns are modelled as the parent's); nothing else.
    let kinds: Vec<_> = m
        .unmanaged
        .iter()
        .map(|u| (u.kind.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("inheritance children", "public.child"),
            ("partition column settings", "public.pd.v")
        ]
    );
}

#[tokio::test]
async fn foreign_key_to_partitioned_table_is_one_constraint() {
    let m = model_of(
        "fkpart",
        "CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
         CREATE TABLE c (pid int REFERENCES p);",
    )
    .await;
    let c = table(&m, "public", "c");
    assert_eq!(c.foreign_keys.len(), 1, "{:?}", c.foreign_keys);
    assert_eq!(c.foreign_keys[0].ref_table, q("public", "p"));
}

#[tokio::test]
async fn opclasses_and_exclusion_details() {
    let m = model_of(
        "opclass",
        "CREATE EXTENSION pg_trgm; CREATE EXTENSION btree_gist;
         CREATE TYPE st AS ENUM ('a', 'b');
         CREATE TABLE t (name text, v varchar(10), s st DEFAULT 'a', r int4range,
           CONSTRAINT ex EXCLUDE USING gist (name gist_trgm_ops WITH =, r WITH &&)
             DEFERRABLE INITIALLY DEFERRED);
         CREATE INDEX t_trgm ON t USING gin (name gin_trgm_ops);
         CREATE INDEX t_v ON t (v);
         CREATE INDEX t_v_pat ON t (v varchar_pattern_ops);",
    )
    .await;
    let t = table(&m, "public", "t");
    assert_eq!(
        t.column("s").unwrap().default.as_deref(),
        Some("'a'::public.st")
    );
    let by = |n: &str| {
        t.indexes
            .iter()
            .find(|i| i.name.as_deref() == Some(n))
            .unwrap()
    };
    assert_eq!(
        by("t_trgm").keys[0].opclass.as_deref(),
        Some("public.gin_trgm_ops")
    );
    assert_eq!(
        by("t_trgm").definition,
        "USING gin (name public.gin_trgm_ops)"
    );
    assert_eq!(by("t_v").keys[0].opclass, None);
    assert_eq!(
        by("t_v_pat").keys[0].opclass.as_deref(),
        Some("varchar_pattern_ops")
    );
    let ex = &t.exclusions[0];
    assert_eq!(
        ex.elements,
        ["name public.gist_trgm_ops WITH =", "r WITH &&"]
    );
    assert!(ex.deferrable && ex.initially_deferred);
    assert_eq!(ex.predicate, None);
}

/// A failing query ends the transaction too: the session is usable and no
/// longer inside introspection's snapshot.
#[tokio::test]
async fn failure_rolls_back() {
    let db = TestDb::new("failure").await;
    db.exec("CREATE TABLE t (id int PRIMARY KEY); SET statement_timeout = 1;")
        .await;
    let r = introspect_slowly(&db).await;
    assert!(r.is_err(), "expected a timeout");
    db.exec("RESET statement_timeout").await;
    let row = db
        .client
        .query_one("SHOW transaction_isolation", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "read committed");
    db.exec("CREATE TABLE u (id int)").await;
    db.drop_db().await;
}

async fn introspect_slowly(db: &TestDb) -> Result<Database, strata::catalog::CatalogError> {
    // Catalog reads take no conflicting locks, so nothing can block them;
    // rely on a 1 ms timeout being hit by one of many queries.
    let mut last = Ok(Database::default());
    for _ in 0..20 {
        last = introspect(&db.client, &CatalogOptions::default()).await;
        if last.is_err() {
            break;
        }
    }
    last
}

#[tokio::test]
async fn views_and_what_they_read() {
    let m = model_of(
        "views_read",
        "CREATE TABLE t (id int PRIMARY KEY, v int, w text COLLATE \"C\");
         CREATE VIEW v1 WITH (security_barrier = on) AS SELECT id, w FROM t WHERE v > 0
           WITH CASCADED CHECK OPTION;
         CREATE VIEW v2 AS SELECT id FROM v1;
         CREATE MATERIALIZED VIEW mv AS SELECT id, v FROM t WITH NO DATA;
         CREATE UNIQUE INDEX mv_id ON mv (id);
         COMMENT ON COLUMN v1.w IS 'dub';
         CREATE FUNCTION twice(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * 2';
         CREATE VIEW v3 AS SELECT twice(id) AS d FROM v2;
         CREATE VIEW v4 AS SELECT 1 AS one;
         ALTER VIEW v4 ALTER COLUMN one SET DEFAULT 1;",
    )
    .await;
    let v1 = &m.views[&QualifiedName::new("public", "v1")];
    assert!(v1.security_barrier && !v1.materialized);
    assert_eq!(v1.check_option.as_deref(), Some("cascaded"));
    // Qualified (search_path = pg_catalog), no frame; column prefixes vary by major.
    let d = &v1.definition;
    assert!(
        d.starts_with("SELECT ") && d.contains("FROM public.t") && !d.ends_with(';'),
        "{d}"
    );
    let cols: Vec<_> = v1
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.data_type.as_str()))
        .collect();
    assert_eq!(cols, [("id", "integer"), ("w", "text COLLATE \"C\"")]);
    assert_eq!(v1.columns[1].comment.as_deref(), Some("dub"));
    let mv = &m.views[&QualifiedName::new("public", "mv")];
    assert!(mv.materialized && !mv.with_data);
    assert_eq!(mv.indexes.len(), 1);
    assert_eq!(mv.indexes[0].name.as_deref(), Some("mv_id"));
    use strata::model::{Depend, ObjRef};
    let t = QualifiedName::new("public", "t");
    let reads = |v: &str| -> Vec<ObjRef> {
        m.depends
            .iter()
            .filter(|d| d.from == ObjRef::View(QualifiedName::new("public", v)))
            .map(|d: &Depend| d.to.clone())
            .collect()
    };
    let v1_reads = reads("v1");
    for col in ["id", "v", "w"] {
        assert!(
            v1_reads.contains(&ObjRef::Column(t.clone(), col.into())),
            "{v1_reads:?}"
        );
    }
    assert_eq!(
        reads("v2"),
        [ObjRef::View(QualifiedName::new("public", "v1"))]
    );
    let twice = ObjRef::Function(QualifiedName::new("public", "twice"), "a integer".into());
    assert!(reads("v3").contains(&twice), "{:?}", reads("v3"));
    let odd: Vec<_> = m
        .unmanaged
        .iter()
        .filter(|u| u.kind.starts_with("view"))
        .collect();
    assert_eq!(odd.len(), 1, "{odd:#?}");
    assert_eq!(
        (odd[0].kind.as_str(), odd[0].name.as_str()),
        ("view column defaults", "public.v4.one")
    );
}

/// Aggregates: every clause as `CREATE AGGREGATE` takes it (modify flags
/// only when not the kind's default), the user functions they are built
/// on, and the dependents strata cannot re-create, which the plan's
/// `DROP AGGREGATE` names.
#[tokio::test]
async fn aggregates_clauses_uses_and_blockers() {
    let m = model_of(
        "aggs",
        "CREATE SCHEMA \"S q\";
         CREATE FUNCTION \"S q\".\"add it\"(bigint, integer) RETURNS bigint LANGUAGE sql AS 'SELECT $1 + $2';
         CREATE AGGREGATE \"S q\".total(x integer) (SFUNC = \"S q\".\"add it\", STYPE = bigint,
           INITCOND = '0', FINALFUNC_MODIFY = SHAREABLE, SORTOP = >, PARALLEL = RESTRICTED);
         CREATE AGGREGATE tally(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
         CREATE FUNCTION uses_it() RETURNS bigint LANGUAGE sql
           BEGIN ATOMIC SELECT \"S q\".total(1); END;
         COMMENT ON AGGREGATE tally(*) IS 'rows';",
    )
    .await;
    assert!(m.unmanaged.is_empty(), "{:?}", m.unmanaged);
    let total = &m.aggregates[&(q("S q", "total"), "x integer".to_string())];
    assert_eq!(total.signature, "integer");
    assert_eq!(total.kind, 'n');
    assert_eq!(total.attrs.sfunc, "\"S q\".\"add it\"");
    assert_eq!(total.attrs.finalfunc_modify.as_deref(), Some("SHAREABLE"));
    assert_eq!(total.attrs.mfinalfunc_modify, None);
    assert_eq!(total.attrs.sortop.as_deref(), Some(">"));
    assert_eq!(total.attrs.parallel, "r");
    assert_eq!(
        total.uses,
        vec![(q("S q", "add it"), "bigint, integer".to_string())]
    );
    assert_eq!(
        total.blockers,
        vec!["function public.uses_it()".to_string()]
    );
    let tally = &m.aggregates[&(q("public", "tally"), String::new())];
    assert_eq!(tally.comment.as_deref(), Some("rows"));
    assert!(tally.uses.is_empty(), "built-in functions are not listed");
    // The function the aggregate is built on does not list it as a
    // dependent it cannot re-create: the aggregate diff carries it.
    let add = &m.functions[&(q("S q", "add it"), "bigint, integer".to_string())];
    assert!(add.dependents.is_empty(), "{:?}", add.dependents);
    let gone = strata::diff::diff(&m, &Database::default());
    let sql = strata::plan::plan(&gone, &m).to_sql();
    assert!(
        sql.contains("-- strata: function public.uses_it() depends on it and is not re-created")
            && sql.contains("DROP AGGREGATE \"S q\".\"total\"(x integer);"),
        "{sql}"
    );
}
