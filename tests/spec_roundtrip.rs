//! `write_dir` → `load_dir` gives back the model it was given (modulo what
//! PostgreSQL fills in itself: default names, definitions, sequence names).

use std::path::PathBuf;

use strata::model::*;
use strata::spec::{load_texts, render_files};

fn q(s: &str, n: &str) -> QualifiedName {
    QualifiedName::new(s, n)
}

fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        data_type: ty.into(),
        ..Column::default()
    }
}

fn nn(mut c: Column) -> Column {
    c.not_null = true;
    c
}

fn key(expr: &str) -> IndexKey {
    IndexKey {
        expr: expr.into(),
        ..IndexKey::default()
    }
}

fn expr_key(expr: &str) -> IndexKey {
    IndexKey {
        expr: expr.into(),
        is_expression: true,
        ..IndexKey::default()
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn some(x: &str) -> Option<String> {
    Some(x.to_string())
}

/// A catalog-like model: every name set, definitions filled, sequences named.
fn catalog_model() -> Database {
    let mut db = Database::default();
    db.schemas.insert(
        "app".into(),
        Namespace {
            name: "app".into(),
            comment: some("App: things # here"),
            ..Namespace::default()
        },
    );
    db.schemas.insert(
        "Odd Schema".into(),
        Namespace {
            name: "Odd Schema".into(),
            ..Namespace::default()
        },
    );
    db.extensions.insert(
        "pgcrypto".into(),
        Extension {
            name: "pgcrypto".into(),
            ..Extension::default()
        },
    );
    db.extensions.insert(
        "citext".into(),
        Extension {
            name: "citext".into(),
            schema: some("public"),
            ..Extension::default()
        },
    );
    for (name, values, comment) in [
        (
            q("public", "job_status"),
            s(&["pending", "null", "yes", "a: b", "1", " spaced "]),
            None,
        ),
        (q("app", "level"), s(&["low", "high"]), some("levels")),
        (
            q("Odd Schema", "My Enum"),
            s(&["x y", "it's", "\"q\""]),
            None,
        ),
    ] {
        db.enums.insert(
            name.clone(),
            EnumType {
                name,
                values,
                comment,
                ..EnumType::default()
            },
        );
    }
    add(&mut db, users());
    add(&mut db, orgs());
    add(&mut db, weird());
    add(&mut db, reserved());
    add(&mut db, long_named());
    add(&mut db, quotes());
    add(&mut db, covering());
    db
}

/// INCLUDE columns on keys and `ON DELETE SET NULL/DEFAULT (col, …)`.
fn covering() -> Table {
    Table {
        name: q("public", "covering"),
        columns: vec![
            nn(col("tenant", "integer")),
            nn(col("id", "integer")),
            col("Author Id", "integer"),
            col("code", "text"),
            col("note", "text"),
            col("parent", "integer"),
        ],
        primary_key: Some(PrimaryKey {
            name: some("covering_pkey"),
            columns: s(&["tenant", "id"]),
            include: s(&["note"]),
            ..PrimaryKey::default()
        }),
        uniques: vec![
            Unique {
                name: some("cov uniq"),
                columns: s(&["code"]),
                include: s(&["Author Id"]),
                ..Unique::default()
            },
            Unique {
                name: some("covering_code_note_key"),
                columns: s(&["code"]),
                include: s(&["note"]),
                ..Unique::default()
            },
        ],
        foreign_keys: vec![
            ForeignKey {
                name: some("covering_parent_fkey"),
                columns: s(&["parent"]),
                ref_table: q("public", "users"),
                ref_columns: s(&["id"]),
                on_delete: FkAction::SetDefault,
                on_delete_columns: s(&["parent"]),
                ..ForeignKey::default()
            },
            ForeignKey {
                name: some("covering_tenant_Author Id_fkey"),
                columns: s(&["tenant", "Author Id"]),
                ref_table: q("public", "covering"),
                ref_columns: s(&["tenant", "id"]),
                on_delete: FkAction::SetNull,
                on_delete_columns: s(&["Author Id"]),
                ..ForeignKey::default()
            },
        ],
        ..Table::default()
    }
}

fn quotes() -> Table {
    let mut backslash = col("it's", "text");
    backslash.default = some("E'a\\\\b'::text");
    backslash.comment = some("naïve — ünïcödé ✓");
    Table {
        name: q("public", "He said \"hi\""),
        comment: some("- a list?"),
        columns: vec![
            nn(col("desc", "integer")),
            backslash,
            col("x ", "jsonb"),
            col("Nulls First", "int"),
        ],
        primary_key: Some(PrimaryKey {
            name: some("He said \"hi\"_pkey"),
            columns: s(&["desc"]),
            ..PrimaryKey::default()
        }),
        foreign_keys: vec![ForeignKey {
            name: some("He said \"hi\"_Nulls First_fkey"),
            columns: s(&["Nulls First"]),
            ref_table: q("public", "He said \"hi\""),
            ref_columns: s(&["desc"]),
            ..ForeignKey::default()
        }],
        indexes: vec![Index {
            name: some("He said \"hi\"_desc_Nulls First_x _idx"),
            method: "btree".into(),
            keys: vec![
                IndexKey {
                    descending: true,
                    ..key("desc")
                },
                key("Nulls First"),
                key("x "),
            ],
            ..Index::default()
        }],
        ..Table::default()
    }
}

fn add(db: &mut Database, t: Table) {
    db.tables.insert(t.name.clone(), t);
}

fn users() -> Table {
    let mut id = nn(col("id", "bigint"));
    id.identity = Some(Identity {
        kind: IdentityKind::Always,
        sequence: Sequence {
            name: Some(q("public", "users_id_seq")),
            ..Sequence::default()
        },
    });
    let mut email = nn(col("email", "text"));
    email.collation = some("\"C\"");
    let mut display = col("Display Name", "character varying(100)");
    display.default = some("'anon'::character varying");
    display.comment = some("shown: in the UI # really");
    let mut status = nn(col("status", "public.job_status"));
    status.default = some("'pending'::public.job_status");
    let mut total = col("total", "numeric");
    total.generated = some("(score * (2)::numeric)");
    Table {
        name: q("public", "users"),
        comment: some("null"),
        columns: vec![
            id,
            email,
            display,
            status,
            col("statuses", "public.job_status[]"),
            col("org_id", "integer"),
            col("score", "numeric(10,3)"),
            col("select", "integer"),
            total,
        ],
        primary_key: Some(PrimaryKey {
            name: some("users_pkey"),
            columns: s(&["id"]),
            definition: "PRIMARY KEY (id)".into(),
            ..PrimaryKey::default()
        }),
        uniques: vec![
            Unique {
                name: some("users_email_key"),
                columns: s(&["email"]),
                definition: "UNIQUE (email)".into(),
                ..Unique::default()
            },
            Unique {
                name: some("users_org_id_email_key"),
                columns: s(&["org_id", "email"]),
                ..Unique::default()
            },
            Unique {
                name: some("custom_uniq"),
                columns: s(&["select"]),
                nulls_not_distinct: true,
                comment: some("why"),
                ..Unique::default()
            },
        ],
        checks: vec![
            Check {
                name: some("users_score_check"),
                expression: "(score > (0)::numeric)".into(),
                ..Check::default()
            },
            Check {
                name: some("users_check"),
                expression: "((score > (0)::numeric) AND (\"select\" > 0))".into(),
                ..Check::default()
            },
            Check {
                name: some("positive_select"),
                expression: "(\"select\" > 0)".into(),
                comment: some("c"),
                ..Check::default()
            },
        ],
        foreign_keys: vec![ForeignKey {
            name: some("users_org_id_fkey"),
            columns: s(&["org_id"]),
            ref_table: q("app", "orgs"),
            ref_columns: s(&["id"]),
            on_delete: FkAction::Cascade,
            ..ForeignKey::default()
        }],
        indexes: vec![
            Index {
                name: some("users_lower_idx"),
                method: "btree".into(),
                keys: vec![expr_key("lower(email)")],
                ..Index::default()
            },
            Index {
                name: some("users_status_Display Name_score_idx"),
                method: "btree".into(),
                keys: vec![
                    key("status"),
                    IndexKey {
                        descending: true,
                        nulls_first: Some(false),
                        ..key("Display Name")
                    },
                ],
                include: s(&["score"]),
                predicate: some("(org_id IS NOT NULL)"),
                with: s(&["fillfactor=70"]),
                ..Index::default()
            },
            // Default name, but commented: the name must be written
            // (COMMENT ON INDEX needs it), so it is not dropped below.
            Index {
                name: some("users_score_idx"),
                method: "btree".into(),
                keys: vec![key("score")],
                comment: some("commented"),
                ..Index::default()
            },
            Index {
                name: some("idx_gin_statuses"),
                method: "gin".into(),
                keys: vec![key("statuses")],
                comment: some("gin"),
                ..Index::default()
            },
            Index {
                name: some("users_email_idx"),
                unique: true,
                method: "btree".into(),
                keys: vec![IndexKey {
                    opclass: some("text_pattern_ops"),
                    ..key("email")
                }],
                nulls_not_distinct: true,
                ..Index::default()
            },
            Index {
                name: some("users_expr_idx"),
                method: "btree".into(),
                keys: vec![IndexKey {
                    collation: some("\"C\""),
                    descending: true,
                    ..expr_key("(score + (1)::numeric)")
                }],
                ..Index::default()
            },
        ],
        ..Table::default()
    }
}

fn orgs() -> Table {
    let mut id = nn(col("id", "integer"));
    id.serial = Some(Sequence {
        name: Some(q("app", "orgs_id_seq")),
        ..Sequence::default()
    });
    Table {
        name: q("app", "orgs"),
        columns: vec![
            id,
            nn(col("name", "text")),
            col("parent_id", "integer"),
            col("level", "app.level"),
        ],
        primary_key: Some(PrimaryKey {
            name: some("orgs_pkey"),
            columns: s(&["id"]),
            ..PrimaryKey::default()
        }),
        foreign_keys: vec![ForeignKey {
            name: some("orgs_parent_fk"),
            columns: s(&["parent_id"]),
            ref_table: q("app", "orgs"),
            ref_columns: s(&["id"]),
            match_type: FkMatch::Full,
            deferrable: true,
            initially_deferred: true,
            on_update: FkAction::SetNull,
            ..ForeignKey::default()
        }],
        exclusions: vec![Exclusion {
            name: some("orgs_name_excl"),
            method: "gist".into(),
            elements: s(&["name WITH ="]),
            predicate: some("(parent_id > 0)"),
            ..Exclusion::default()
        }],
        ..Table::default()
    }
}

fn weird() -> Table {
    let mut q_col = nn(col("q", "integer"));
    q_col.identity = Some(Identity {
        kind: IdentityKind::ByDefault,
        sequence: Sequence {
            start: Some(100),
            increment: Some(5),
            cycle: true,
            data_type: some("integer"),
            ..Sequence::default()
        },
    });
    let mut b = nn(col("b", "bigint"));
    b.serial = Some(Sequence {
        start: Some(10),
        ..Sequence::default()
    });
    let mut dots = nn(col("col.with.dots", "integer"));
    dots.comment = some("multi\nline");
    Table {
        name: q("Odd Schema", "Weird Table"),
        columns: vec![
            dots,
            col("e", "\"Odd Schema\".\"My Enum\""),
            q_col,
            b,
            col("user_id", "bigint"),
            col("A", "integer"),
            col("b2", "integer"),
        ],
        primary_key: Some(PrimaryKey {
            name: some("weird pk"),
            columns: s(&["col.with.dots"]),
            ..PrimaryKey::default()
        }),
        foreign_keys: vec![
            ForeignKey {
                name: some("Weird Table_user_id_fkey"),
                columns: s(&["user_id"]),
                ref_table: q("public", "users"),
                ref_columns: s(&["id"]),
                ..ForeignKey::default()
            },
            ForeignKey {
                name: some("Weird Table_A_b2_fkey"),
                columns: s(&["A", "b2"]),
                ref_table: q("public", "users"),
                ref_columns: s(&["org_id", "select"]),
                on_delete: FkAction::Restrict,
                ..ForeignKey::default()
            },
        ],
        uniques: vec![Unique {
            name: some("Weird Table_A_key"),
            columns: s(&["A"]),
            deferrable: true,
            ..Unique::default()
        }],
        ..Table::default()
    }
}

fn reserved() -> Table {
    let mut user = col("user", "name");
    user.default = some("CURRENT_USER");
    Table {
        name: q("public", "table"),
        columns: vec![
            user,
            col("null", "text"),
            col("1abc", "boolean"),
            col("true", "integer"),
        ],
        checks: vec![Check {
            name: some("table_true_check"),
            expression: "(\"true\" > 0)".into(),
            ..Check::default()
        }],
        indexes: vec![Index {
            name: some("table_null_1abc_idx"),
            method: "btree".into(),
            keys: vec![key("null"), key("1abc")],
            ..Index::default()
        }],
        ..Table::default()
    }
}

fn long_named() -> Table {
    let name = format!("t{}", "x".repeat(59));
    let uniq = format!("{}_email_key", &name[..53]);
    Table {
        name: q("public", &name),
        columns: vec![col("email", "text")],
        uniques: vec![Unique {
            name: some(&uniq),
            columns: s(&["email"]),
            ..Unique::default()
        }],
        ..Table::default()
    }
}

/// What the loader should give back: default names dropped (PostgreSQL
/// picks the same ones again), catalog-only fields cleared.
fn expected_from(db: &Database) -> Database {
    let mut e = db.clone();
    let defaults = [
        "users_pkey",
        "users_email_key",
        "users_org_id_email_key",
        "users_score_check",
        "users_check",
        "users_org_id_fkey",
        "users_lower_idx",
        // An operator expression: PostgreSQL calls the column `expr`.
        "users_expr_idx",
        "users_status_Display Name_score_idx",
        "users_email_idx",
        "orgs_pkey",
        "orgs_name_excl",
        "Weird Table_user_id_fkey",
        "Weird Table_A_b2_fkey",
        "Weird Table_A_key",
        "table_true_check",
        "covering_pkey",
        "covering_code_note_key",
        "covering_parent_fkey",
        "covering_tenant_Author Id_fkey",
        "table_null_1abc_idx",
        "He said \"hi\"_pkey",
        "He said \"hi\"_Nulls First_fkey",
        "He said \"hi\"_desc_Nulls First_x _idx",
        &format!("{}_email_key", &format!("t{}", "x".repeat(59))[..53]),
    ];
    let drop = |n: &mut Option<String>| {
        if n.as_deref().is_some_and(|x| defaults.contains(&x)) {
            *n = None;
        }
    };
    for t in e.tables.values_mut() {
        if let Some(pk) = t.primary_key.as_mut() {
            drop(&mut pk.name);
        }
        t.foreign_keys.iter_mut().for_each(|x| drop(&mut x.name));
        t.uniques.iter_mut().for_each(|x| drop(&mut x.name));
        t.checks.iter_mut().for_each(|x| drop(&mut x.name));
        t.exclusions.iter_mut().for_each(|x| drop(&mut x.name));
        t.indexes.iter_mut().for_each(|x| drop(&mut x.name));
    }
    normalise(e)
}

fn normalise(mut db: Database) -> Database {
    for t in db.tables.values_mut() {
        for c in t.columns.iter_mut() {
            if let Some(s) = c.serial.as_mut() {
                s.name = None;
            }
            if let Some(i) = c.identity.as_mut() {
                i.sequence.name = None;
            }
        }
        if let Some(pk) = t.primary_key.as_mut() {
            pk.definition.clear();
        }
        t.foreign_keys.iter_mut().for_each(|x| x.definition.clear());
        t.uniques.iter_mut().for_each(|x| x.definition.clear());
        t.checks.iter_mut().for_each(|x| x.definition.clear());
        t.exclusions.iter_mut().for_each(|x| x.definition.clear());
        t.indexes.iter_mut().for_each(|x| x.definition.clear());
        // Column-level constraints load before table-level ones.
        t.foreign_keys.sort_by(|a, b| a.columns.cmp(&b.columns));
        t.uniques
            .sort_by(|a, b| (&a.columns, &a.name).cmp(&(&b.columns, &b.name)));
        t.checks.sort_by(|a, b| a.expression.cmp(&b.expression));
    }
    db
}

fn write_and_load(db: &Database) -> (Vec<(String, String)>, Database) {
    let files = render_files(db);
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(n, t)| (PathBuf::from(n), t.clone()))
        .collect();
    match load_texts(&texts) {
        Ok(loaded) => (files, loaded),
        Err(e) => {
            let all: String = files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect();
            panic!("written YAML does not load:\n{e}\n{all}")
        }
    }
}

#[test]
fn writer_output_loads_back_to_the_same_model() {
    let db = catalog_model();
    let (files, loaded) = write_and_load(&db);
    let dump: String = files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect();
    let expected = expected_from(&db);
    let loaded = normalise(loaded);
    assert_eq!(loaded.schemas, expected.schemas, "{dump}");
    assert_eq!(loaded.extensions, expected.extensions, "{dump}");
    assert_eq!(loaded.enums, expected.enums, "{dump}");
    for (name, t) in &expected.tables {
        assert_eq!(loaded.tables.get(name), Some(t), "table {name}\n{dump}");
    }
    assert_eq!(loaded, expected);
}

#[test]
fn output_is_deterministic_and_readable() {
    let db = catalog_model();
    let a = render_files(&db);
    let b = render_files(&db);
    assert_eq!(a, b);
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Odd_Schema.yaml", "app.yaml", "public.yaml"]);
    let app = &a[1].1;
    assert_eq!(
        app,
        "\
schemas:
  app: {comment: \"App: things # here\"}
enums:
  app.level: {values: [low, high], comment: levels}
tables:
  app.orgs:
    columns:
      id: serial primary key
      name: text not null
      parent_id: integer
      level: level
    foreign_keys:
      - columns: [parent_id]
        references: orgs(id)
        on_update: set null
        match: full
        deferrable: true
        initially_deferred: true
        name: orgs_parent_fk
    exclusions: [{elements: [name WITH =], where: (parent_id > 0)}]
"
    );
}

#[test]
fn a_written_dir_loads_with_load_dir() {
    let db = catalog_model();
    let dir = tempfile::tempdir().unwrap();
    let written = strata::spec::write_dir(&db, dir.path()).unwrap();
    assert_eq!(written.len(), 3);
    let loaded = strata::spec::load_dir(dir.path()).unwrap();
    assert_eq!(normalise(loaded), expected_from(&db));
}

#[test]
fn schemas_get_distinct_files() {
    let mut db = Database::default();
    for s in ["a b", "a_b", "A_B"] {
        db.schemas.insert(
            s.into(),
            Namespace {
                name: s.into(),
                ..Namespace::default()
            },
        );
    }
    let names: Vec<String> = render_files(&db).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["A_B.yaml", "a_b-2.yaml", "a_b-3.yaml"]);
    let (_, loaded) = write_and_load(&db);
    assert_eq!(loaded.schemas.len(), 3);
}

#[test]
fn include_and_delete_columns_are_written() {
    let mut db = Database::default();
    add(&mut db, covering());
    let files = render_files(&db);
    assert_eq!(
        files[0].1,
        "\
tables:
  covering:
    columns:
      tenant: integer not null
      id: integer not null
      Author Id: integer
      code: text
      note: text
      parent: integer references public.users(id) on delete set default (parent)
    primary_key: {columns: [tenant, id], include: [note]}
    foreign_keys:
      - columns: [tenant, Author Id]
        references: covering(tenant, id)
        on_delete: set null (\"Author Id\")
    unique:
      - {columns: [code], include: [Author Id], name: cov uniq}
      - {columns: [code], include: [note]}
"
    );
}

/// PostgreSQL 18: temporal keys (`WITHOUT OVERLAPS`, `PERIOD`) and
/// `NOT ENFORCED` checks and foreign keys, written with their own keys
/// (never in a column's shorthand) and read back the same.
#[test]
fn temporal_keys_and_not_enforced_constraints_are_written() {
    let mut db = Database::default();
    add(
        &mut db,
        Table {
            name: q("public", "rooms"),
            columns: vec![
                nn(col("id", "integer")),
                nn(col("during", "tstzrange")),
                col("floor", "integer"),
            ],
            primary_key: Some(PrimaryKey {
                name: some("rooms_pkey"),
                columns: s(&["id", "during"]),
                without_overlaps: true,
                ..PrimaryKey::default()
            }),
            uniques: vec![Unique {
                name: some("rooms_floor_during_key"),
                columns: s(&["floor", "during"]),
                without_overlaps: true,
                ..Unique::default()
            }],
            checks: vec![Check {
                name: some("rooms_floor_check"),
                expression: "(floor > 0)".into(),
                not_enforced: true,
                ..Check::default()
            }],
            ..Table::default()
        },
    );
    add(
        &mut db,
        Table {
            name: q("public", "stays"),
            columns: vec![
                col("room", "integer"),
                col("during", "tstzrange"),
                col("guest", "integer"),
            ],
            foreign_keys: vec![
                ForeignKey {
                    name: some("stays_room_during_fkey"),
                    columns: s(&["room", "during"]),
                    ref_table: q("public", "rooms"),
                    ref_columns: s(&["id", "during"]),
                    period: true,
                    ..ForeignKey::default()
                },
                ForeignKey {
                    name: some("stays_guest_fkey"),
                    columns: s(&["guest"]),
                    ref_table: q("public", "rooms"),
                    ref_columns: s(&["floor"]),
                    not_enforced: true,
                    ..ForeignKey::default()
                },
            ],
            ..Table::default()
        },
    );
    let (files, loaded) = write_and_load(&db);
    assert_eq!(
        files[0].1,
        "\
tables:
  rooms:
    columns:
      id: integer not null
      during: tstzrange not null
      floor: integer
    primary_key: {columns: [id, during], without_overlaps: true}
    unique: [{columns: [floor, during], without_overlaps: true}]
    checks: [{expression: (floor > 0), enforced: false}]
  stays:
    columns:
      room: integer
      during: tstzrange
      guest: integer
    foreign_keys:
      - {columns: [room, during], references: \"rooms(id, during)\", period: true}
      - {columns: [guest], references: rooms(floor), enforced: false}
"
    );
    let mut want = db.clone();
    for t in want.tables.values_mut() {
        t.primary_key.iter_mut().for_each(|k| k.name = None);
        t.uniques.iter_mut().for_each(|k| k.name = None);
        t.checks.iter_mut().for_each(|k| k.name = None);
        t.foreign_keys.iter_mut().for_each(|k| k.name = None);
    }
    let (loaded, want) = (normalise(loaded), normalise(want));
    for (name, t) in &want.tables {
        assert_eq!(loaded.tables.get(name), Some(t), "table {name}");
    }
}

/// A table as PostgreSQL 18 reports it: every NOT NULL constraint named,
/// generated columns STORED or VIRTUAL. Default names are left out, other
/// names kept; VIRTUAL is written in both forms.
#[test]
fn postgres_18_not_null_names_and_virtual_columns_round_trip() {
    let named = |c: Column, n: &str| Column {
        not_null: true,
        not_null_name: some(n),
        ..c
    };
    let mut id = named(col("id", "integer"), "items_id_not_null");
    id.identity = Some(Identity {
        kind: IdentityKind::Always,
        sequence: Sequence::default(),
    });
    let mut total = named(col("total", "integer"), "total_known");
    total.generated = some("(price * qty)");
    total.generated_virtual = true;
    let mut label = col("label", "text");
    label.generated = some("upper(name)");
    label.generated_virtual = true;
    label.comment = some("shouted");
    let mut stored = col("stored", "integer");
    stored.generated = some("(price * 2)");
    stored.comment = some("kept");
    let table = Table {
        name: q("public", "items"),
        columns: vec![
            id,
            named(col("price", "integer"), "items_price_not_null"),
            named(col("qty", "integer"), "Qty Given"),
            named(col("name", "text"), "name_set"),
            total,
            label,
            stored,
        ],
        primary_key: Some(PrimaryKey {
            name: some("items_pkey"),
            columns: s(&["id"]),
            definition: "PRIMARY KEY (id)".into(),
            ..PrimaryKey::default()
        }),
        ..Table::default()
    };
    let mut name_commented = table.clone();
    name_commented.columns[3].comment = some("a name");
    let mut db = Database::default();
    add(&mut db, name_commented);
    let (files, loaded) = write_and_load(&db);
    assert_eq!(
        files[0].1,
        "\
tables:
  items:
    columns:
      id: integer generated always as identity primary key
      price: integer not null
      qty: integer constraint \"Qty Given\" not null
      name: {type: text, not_null_constraint: name_set, comment: a name}
      total: integer generated always as ((price * qty)) virtual constraint total_known not null
      label: {type: text, generated: {expression: upper(name), stored: false}, comment: shouted}
      stored: {type: integer, generated: (price * 2), comment: kept}
"
    );
    let mut expected = db.clone();
    for t in expected.tables.values_mut() {
        for c in t.columns.iter_mut() {
            if matches!(c.name.as_str(), "id" | "price") {
                c.not_null_name = None;
            }
        }
        t.primary_key.as_mut().unwrap().name = None;
    }
    assert_eq!(normalise(loaded), normalise(expected));
}
