//! Garbage in, issues out: no input may panic the shorthand parser, the
//! loader or the config reader (deterministic pseudo-random inputs).

mod common;

use std::path::Path;

use common::random::Lcg;

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

    use super::common::random::{model, Lcg};

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
