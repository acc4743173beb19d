//! Garbage in, issues out: no input may panic the shorthand parser, the
//! loader or the config reader (deterministic pseudo-random inputs).

use std::path::Path;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// True once in `n` draws.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const WORDS: &[&str] = &[
    "int",
    "text",
    "not",
    "null",
    "default",
    "primary",
    "key",
    "unique",
    "references",
    "check",
    "generated",
    "always",
    "by",
    "as",
    "identity",
    "stored",
    "collate",
    "constraint",
    "on",
    "delete",
    "update",
    "cascade",
    "set",
    "match",
    "full",
    "deferrable",
    "initially",
    "deferred",
    "nulls",
    "distinct",
    "start",
    "with",
    "(",
    ")",
    "'",
    "\"",
    "[]",
    ",",
    ".",
    "x",
    "t(id)",
    "a.b.c",
    "é",
    "::",
    " ",
    "  ",
    "serial",
    "(1",
    "))",
];

const YAML_BITS: &[&str] = &[
    "tables:",
    "\n  ",
    "\n    ",
    "\n      ",
    "t:",
    "columns:",
    "id:",
    "int",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "mixins:",
    "m",
    "indexes:",
    "- ",
    "references: t.id",
    "primary_key:",
    "unique:",
    "\"",
    "'",
    "#",
    "&a",
    "*a",
    "!x",
    "---",
    "enums:",
    "e: [a, b]",
    "schemas:",
    "app",
    "app.t:",
    "null",
    "~",
    "true",
    "\t",
    "é",
    "checks:",
    "exclusions:",
    "foreign_keys:",
    "columns: [a]",
    "{columns: [x]}",
    "type:",
    "identity:",
];

#[test]
fn random_shorthand_never_panics() {
    let mut rng = Lcg(42);
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 10;
        let s: Vec<&str> = (0..n).map(|_| rng.pick(WORDS)).collect();
        let _ = strata::spec::parse_shorthand(&s.join(" "));
        let _ = strata::spec::parse_shorthand(&s.concat());
    }
}

#[test]
fn random_yaml_never_panics() {
    let mut rng = Lcg(7);
    for _ in 0..5_000 {
        let n = 1 + rng.next() % 30;
        let s: String = (0..n).map(|_| rng.pick(YAML_BITS)).collect();
        let _ = strata::spec::load_str(Path::new("f.yaml"), &s);
        let _ = strata::config::Config::parse(Path::new("strata.yaml"), &s, |_| None);
    }
}

mod writer {
    use std::path::PathBuf;

    use strata::model::*;

    use super::Lcg;

    const PIECES: &[&str] = &[
        "a",
        "B",
        " ",
        ".",
        "\"",
        "'",
        "#",
        ": ",
        "-",
        "é",
        "null",
        "true",
        "1",
        "desc",
        "nulls first",
        "[",
        "{",
        ",",
        "\\",
        "x",
        "id",
        "(",
        ")",
        "*",
        "&",
        "!",
        "%",
        "@",
        "`",
        "|",
        ">",
        "?",
        "~",
        "\t",
        "::",
    ];
    const TYPES: &[&str] = &[
        "integer",
        "bigint",
        "text",
        "character varying(20)",
        "numeric(10,3)",
        "timestamp with time zone",
        "double precision",
        "jsonb",
        "text[]",
        "boolean",
        "uuid",
    ];
    const DEFAULTS: &[&str] = &[
        "0",
        "now()",
        "'x'::text",
        "'a: b # c'::text",
        "NULL::text",
        "(1 + 2)",
        "'{}'::jsonb",
        "true",
        "'it''s'::text",
        "E'\\\\n'",
        "(NOT false)",
        "gen_random_uuid()",
        "CURRENT_USER",
    ];

    fn name(rng: &mut Lcg) -> String {
        let n = 1 + rng.next() % 4;
        (0..n).map(|_| rng.pick(PIECES)).collect()
    }

    fn column(rng: &mut Lcg, col_name: String, enums: &[QualifiedName]) -> Column {
        let mut c = Column {
            name: col_name,
            ..Column::default()
        };
        c.data_type = match rng.next() % 6 {
            0 if !enums.is_empty() => enums[(rng.next() as usize) % enums.len()].quoted(),
            _ => rng.pick(TYPES).to_string(),
        };
        match rng.next() % 8 {
            0 => {
                c.data_type = "integer".into();
                c.serial = Some(Sequence::default());
                c.not_null = true;
            }
            1 => {
                c.data_type = "bigint".into();
                c.identity = Some(Identity {
                    kind: if rng.one_in(2) {
                        IdentityKind::Always
                    } else {
                        IdentityKind::ByDefault
                    },
                    sequence: Sequence {
                        start: (rng.one_in(2)).then_some(5),
                        cycle: rng.one_in(2),
                        ..Sequence::default()
                    },
                });
                c.not_null = true;
            }
            2 | 3 => c.default = Some(rng.pick(DEFAULTS).to_string()),
            _ => {}
        }
        c.not_null |= rng.one_in(3);
        if rng.one_in(5) {
            c.comment = Some(name(rng));
        }
        if rng.one_in(7) {
            c.collation = Some("\"C\"".into());
        }
        c
    }

    fn table(rng: &mut Lcg, schema: &str, enums: &[QualifiedName], others: &[Table]) -> Table {
        let mut t = Table {
            name: QualifiedName::new(schema, name(rng)),
            ..Table::default()
        };
        let ncols = 1 + rng.next() % 5;
        for _ in 0..ncols {
            let n = name(rng);
            if t.column(&n).is_none() {
                t.columns.push(column(rng, n, enums));
            }
        }
        let cols: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        let pick = |rng: &mut Lcg| cols[(rng.next() as usize) % cols.len()].clone();
        if rng.one_in(2) {
            let pk = pick(rng);
            for c in t.columns.iter_mut().filter(|c| c.name == pk) {
                c.not_null = true;
            }
            t.primary_key = Some(PrimaryKey {
                columns: vec![pk],
                ..PrimaryKey::default()
            });
        }
        if rng.one_in(2) {
            t.uniques.push(Unique {
                columns: vec![pick(rng)],
                nulls_not_distinct: rng.one_in(3),
                name: (rng.one_in(3)).then(|| format!("uq{} {}", rng.next(), name(rng))),
                ..Unique::default()
            });
        }
        if rng.one_in(2) {
            t.checks.push(Check {
                expression: format!("({} IS NOT NULL)", quote_ident(&pick(rng))),
                ..Check::default()
            });
        }
        if let Some(target) = others.iter().find(|o| o.primary_key.is_some()) {
            if rng.one_in(2) {
                t.foreign_keys.push(ForeignKey {
                    columns: vec![pick(rng)],
                    ref_table: target.name.clone(),
                    ref_columns: target
                        .primary_key
                        .as_ref()
                        .map(|p| p.columns.clone())
                        .unwrap_or_default(),
                    on_delete: if rng.one_in(2) {
                        FkAction::Cascade
                    } else {
                        FkAction::NoAction
                    },
                    deferrable: rng.one_in(3),
                    ..ForeignKey::default()
                });
            }
        }
        if rng.one_in(2) {
            let key = IndexKey {
                expr: pick(rng),
                descending: rng.one_in(2),
                nulls_first: [None, Some(true), Some(false)][(rng.next() % 3) as usize],
                ..IndexKey::default()
            };
            let expr_key = IndexKey {
                expr: format!("lower({})", quote_ident(&pick(rng))),
                is_expression: true,
                ..IndexKey::default()
            };
            t.indexes.push(Index {
                method: "btree".into(),
                keys: vec![key, expr_key],
                predicate: (rng.one_in(3)).then(|| "(1 = 1)".to_string()),
                comment: (rng.one_in(3)).then(|| name(rng)),
                // Prefixed: an index may not share a table's name.
                name: Some(format!("ix{} {}", rng.next(), name(rng))),
                ..Index::default()
            });
        }
        t
    }

    fn model(rng: &mut Lcg) -> Database {
        let mut db = Database::default();
        let schema = name(rng);
        db.schemas.insert(
            schema.clone(),
            Namespace {
                name: schema.clone(),
                ..Namespace::default()
            },
        );
        let mut enums = Vec::new();
        for s in ["public", schema.as_str()] {
            let q = QualifiedName::new(s, name(rng));
            let values: Vec<String> = vec![name(rng), format!("{}2", name(rng))];
            db.enums.insert(
                q.clone(),
                EnumType {
                    name: q.clone(),
                    values,
                    ..EnumType::default()
                },
            );
            enums.push(q);
        }
        let mut tables: Vec<Table> = Vec::new();
        for i in 0..4 {
            let s = if i % 2 == 0 {
                "public"
            } else {
                schema.as_str()
            };
            let t = table(rng, s, &enums, &tables);
            if !tables.iter().any(|o| o.name == t.name) && !db.enums.contains_key(&t.name) {
                tables.push(t);
            }
        }
        for t in tables {
            db.tables.insert(t.name.clone(), t);
        }
        db
    }

    /// Loaded types of spec enums come back quoted the loader's way.
    fn normalise(mut db: Database) -> Database {
        for t in db.tables.values_mut() {
            for c in t.columns.iter_mut() {
                c.data_type = c.data_type.replace('"', "");
                c.origin = Origin::default();
            }
            t.foreign_keys.sort_by(|a, b| a.columns.cmp(&b.columns));
            t.uniques
                .sort_by(|a, b| (&a.columns, &a.name).cmp(&(&b.columns, &b.name)));
            t.checks.sort_by(|a, b| a.expression.cmp(&b.expression));
        }
        db
    }

    #[test]
    fn random_models_round_trip() {
        let mut rng = Lcg(2026);
        for round in 0..400 {
            let db = model(&mut rng);
            let files = strata::spec::render_files(&db);
            let texts: Vec<(PathBuf, String)> = files
                .iter()
                .map(|(n, t)| (PathBuf::from(n), t.clone()))
                .collect();
            let dump: String = files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect();
            let loaded = strata::spec::load_texts(&texts)
                .unwrap_or_else(|e| panic!("round {round}: {e}\n{dump}"));
            let (got, want) = (normalise(loaded), normalise(db.clone()));
            assert_eq!(got.enums, want.enums, "round {round}\n{dump}");
            for (name, t) in &want.tables {
                let g = got.tables.get(name);
                for (gc, wc) in g
                    .map(|g| g.columns.iter().zip(&t.columns))
                    .into_iter()
                    .flatten()
                {
                    assert_eq!(gc, wc, "round {round}: table {name}\n{dump}");
                }
                assert_eq!(g, Some(t), "round {round}: table {name}\n{dump}");
            }
            assert_eq!(got, want, "round {round}\n{dump}");
        }
    }
}
