//! Deterministic pseudo-random schema models: hostile names (quotes,
//! dots, spaces, `#`, tabs, non-ASCII), every column feature (serial,
//! identity, defaults, collations, comments), keys, uniques, checks,
//! foreign keys and indexes. `spec_robustness` round-trips 400 of them
//! through YAML; `generate` takes pairs of them (see [`valid`] and
//! [`mutate`]) through generate → migrate → plan.

use strata::model::*;

pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// True once in `n` draws.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

pub const PIECES: &[&str] = &[
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
pub const TYPES: &[&str] = &[
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
pub const DEFAULTS: &[&str] = &[
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

pub fn name(rng: &mut Lcg) -> String {
    let n = 1 + rng.next() % 4;
    (0..n).map(|_| rng.pick(PIECES)).collect()
}

pub fn column(rng: &mut Lcg, col_name: String, enums: &[QualifiedName]) -> Column {
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

pub fn table(rng: &mut Lcg, schema: &str, enums: &[QualifiedName], others: &[Table]) -> Table {
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

pub fn model(rng: &mut Lcg) -> Database {
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

/// Defaults PostgreSQL accepts for each type of [`TYPES`] (enums get none).
fn defaults_for(ty: &str) -> &'static [&'static str] {
    match ty {
        "integer" | "bigint" | "numeric(10,3)" | "double precision" => &["0", "(1 + 2)"],
        "text" => &[
            "'x'::text",
            "'a: b # c'::text",
            "'it''s'::text",
            "E'\\\\n'",
            "NULL::text",
            "CURRENT_USER",
        ],
        "character varying(20)" => &["'x'::text", "'a: b # c'::text", "'it''s'::text"],
        "timestamp with time zone" => &["now()"],
        "jsonb" => &["'{}'::jsonb"],
        "text[]" => &["'{}'::text[]", "ARRAY['a', 'b']"],
        "boolean" => &["true", "(NOT false)"],
        "uuid" => &["gen_random_uuid()"],
        _ => &[],
    }
}

fn is_text(ty: &str) -> bool {
    matches!(ty, "text" | "character varying(20)")
}

/// `db` made acceptable to PostgreSQL (the round-trip generator only
/// needs valid YAML): defaults of the column's type, collations on
/// collatable types only, `lower()` index keys on text columns only, and
/// foreign-key columns typed like the key they reference.
pub fn valid(mut db: Database) -> Database {
    let pk_types: std::collections::HashMap<QualifiedName, Vec<String>> = db
        .tables
        .values()
        .filter_map(|t| {
            let pk = t.primary_key.as_ref()?;
            let types = pk
                .columns
                .iter()
                .map(|c| t.column(c).map(|c| c.data_type.clone()))
                .collect::<Option<Vec<_>>>()?;
            Some((t.name.clone(), types))
        })
        .collect();
    for t in db.tables.values_mut() {
        let fks = t.foreign_keys.clone();
        for fk in &fks {
            let Some(types) = pk_types.get(&fk.ref_table) else {
                continue;
            };
            for (c, ty) in fk.columns.iter().zip(types) {
                let Some(col) = t.columns.iter_mut().find(|x| &x.name == c) else {
                    continue;
                };
                if &col.data_type != ty || col.serial.is_some() || col.identity.is_some() {
                    col.data_type = ty.clone();
                    col.serial = None;
                    col.identity = None;
                    col.default = None;
                }
            }
        }
        for c in t.columns.iter_mut() {
            if let Some(d) = c.default.take() {
                let choices = defaults_for(&c.data_type);
                if !choices.is_empty() {
                    c.default = Some(choices[d.len() % choices.len()].to_string());
                }
            }
            if !matches!(
                c.data_type.as_str(),
                "text" | "character varying(20)" | "text[]"
            ) {
                c.collation = None;
            }
        }
        let types: std::collections::HashMap<String, String> = t
            .columns
            .iter()
            .map(|c| (quote_ident(&c.name), c.data_type.clone()))
            .collect();
        for i in t.indexes.iter_mut() {
            i.keys.retain(|k| {
                let Some(inner) = k
                    .expr
                    .strip_prefix("lower(")
                    .and_then(|e| e.strip_suffix(')'))
                else {
                    return true;
                };
                !k.is_expression || types.get(inner).is_some_and(|ty| is_text(ty))
            });
        }
        t.indexes.retain(|i| !i.keys.is_empty());
    }
    db
}

/// `db` without the features a server of `major` lacks (NULLS NOT
/// DISTINCT before 15): strata refuses those by name, which the pairs
/// with a `min-major` file check; random pairs test everything else.
pub fn for_major(mut db: Database, major: u32) -> Database {
    if major < 15 {
        for t in db.tables.values_mut() {
            t.uniques
                .iter_mut()
                .for_each(|u| u.nulls_not_distinct = false);
            t.indexes
                .iter_mut()
                .for_each(|i| i.nulls_not_distinct = false);
            t.foreign_keys
                .iter_mut()
                .for_each(|f| f.on_delete_columns.clear());
        }
    }
    db
}

/// Names of the columns of `t` that nothing refers to: no key, unique,
/// check, index or foreign key (of this table or another) mentions them.
fn free_columns(db: &Database, t: &Table) -> Vec<String> {
    let quoted = |c: &str| quote_ident(c);
    t.columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|c| {
            let q = quoted(c);
            let in_pk = t
                .primary_key
                .as_ref()
                .is_some_and(|p| p.columns.contains(c));
            let in_uq = t.uniques.iter().any(|u| u.columns.contains(c));
            let in_fk = t.foreign_keys.iter().any(|f| f.columns.contains(c));
            let in_check = t.checks.iter().any(|k| k.expression.contains(&q));
            let in_index = t
                .indexes
                .iter()
                .any(|i| i.keys.iter().any(|k| k.expr == *c || k.expr.contains(&q)));
            let referenced = db.tables.values().any(|o| {
                o.foreign_keys
                    .iter()
                    .any(|f| f.ref_table == t.name && f.ref_columns.contains(c))
            });
            !(in_pk || in_uq || in_fk || in_check || in_index || referenced)
        })
        .collect()
}

fn pick_table(rng: &mut Lcg, db: &Database) -> Option<QualifiedName> {
    let names: Vec<&QualifiedName> = db.tables.keys().collect();
    (!names.is_empty()).then(|| names[(rng.next() as usize) % names.len()].clone())
}

/// `a` with one to three random changes (columns added, dropped, retyped,
/// made NOT NULL or not, defaults, indexes, checks, tables added and
/// dropped, enum values added, comments), made [`valid`].
pub fn mutate(rng: &mut Lcg, a: &Database) -> Database {
    let mut b = a.clone();
    let enums: Vec<QualifiedName> = b.enums.keys().cloned().collect();
    for _ in 0..1 + rng.next() % 3 {
        let Some(tn) = pick_table(rng, &b) else {
            let t = table(rng, "public", &enums, &[]);
            b.tables.insert(t.name.clone(), t);
            continue;
        };
        let free = free_columns(&b, &b.tables[&tn]);
        let t = b.tables.get_mut(&tn).expect("picked from the map");
        let free_col = |rng: &mut Lcg| {
            (!free.is_empty()).then(|| free[(rng.next() as usize) % free.len()].clone())
        };
        match rng.next() % 11 {
            0 => {
                let n = format!("{}n", name(rng));
                if t.column(&n).is_none() {
                    t.columns.push(column(rng, n, &enums));
                }
            }
            1 if t.columns.len() > 1 => {
                if let Some(c) = free_col(rng) {
                    t.columns.retain(|x| x.name != c);
                }
            }
            2 => {
                if let Some(c) = free_col(rng) {
                    let col = t.columns.iter_mut().find(|x| x.name == c).unwrap();
                    // Mostly changes PostgreSQL has a cast for (numbers
                    // among themselves, anything to text), sometimes any.
                    let num = ["integer", "bigint", "numeric(10,3)", "double precision"];
                    let ty = if rng.one_in(4) {
                        rng.pick(TYPES).to_string()
                    } else if num.contains(&col.data_type.as_str()) && !rng.one_in(3) {
                        rng.pick(&num).to_string()
                    } else {
                        rng.pick(&["text", "character varying(20)"]).to_string()
                    };
                    col.data_type = ty;
                    col.serial = None;
                    col.identity = None;
                }
            }
            3 => {
                if let Some(c) = free_col(rng) {
                    let col = t.columns.iter_mut().find(|x| x.name == c).unwrap();
                    if col.serial.is_none() && col.identity.is_none() {
                        col.not_null = !col.not_null;
                    }
                }
            }
            4 => {
                if let Some(c) = free_col(rng) {
                    let col = t.columns.iter_mut().find(|x| x.name == c).unwrap();
                    if col.serial.is_none() && col.identity.is_none() {
                        col.default = (!rng.one_in(3)).then(|| rng.pick(DEFAULTS).to_string());
                    }
                }
            }
            5 if !t.indexes.is_empty() => {
                let i = (rng.next() as usize) % t.indexes.len();
                t.indexes.remove(i);
            }
            5 | 6 => {
                let c = t.columns[(rng.next() as usize) % t.columns.len()]
                    .name
                    .clone();
                t.indexes.push(Index {
                    method: "btree".into(),
                    keys: vec![IndexKey {
                        expr: c,
                        descending: rng.one_in(2),
                        ..IndexKey::default()
                    }],
                    name: Some(format!("ix{} {}", rng.next(), name(rng))),
                    ..Index::default()
                });
            }
            7 => {
                let referenced = b
                    .tables
                    .values()
                    .any(|o| o.name != tn && o.foreign_keys.iter().any(|f| f.ref_table == tn));
                if !referenced {
                    b.tables.remove(&tn);
                }
            }
            8 => {
                let others: Vec<Table> = b.tables.values().cloned().collect();
                let t = table(rng, &tn.schema, &enums, &others);
                if !b.tables.contains_key(&t.name) && !b.enums.contains_key(&t.name) {
                    b.tables.insert(t.name.clone(), t);
                }
            }
            9 => {
                if let Some(e) = enums.get((rng.next() as usize) % enums.len().max(1)) {
                    let label = format!("{}3", name(rng));
                    let e = b.enums.get_mut(e).unwrap();
                    if !e.values.contains(&label) {
                        e.values.push(label);
                    }
                }
            }
            _ => {
                if !t.checks.is_empty() && rng.one_in(2) {
                    t.checks.clear();
                } else {
                    t.comment = Some(name(rng));
                }
            }
        }
    }
    valid(b)
}
