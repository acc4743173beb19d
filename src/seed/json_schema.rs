//! The JSON Schema of a seed profile (`seeds/*.yaml`), built from the key
//! lists and generator tables the profile decoder uses
//! ([`crate::json_schema`]); docs/seed-format.md is the reference.

use serde_json::{json, Value};

use crate::json_schema::{any, either, integer, map_of, number, string, Gen};

use super::generators::fake::LOCALES;
use super::generators::spec::{all_names, BUILTINS, NORMAL_KEYS, OPTIONS, SEQUENCE_KEYS};
use super::profile::{PROFILE_KEYS, TABLE_KEYS};

/// The whole profile.
pub fn profile(g: &mut Gen) -> Value {
    let generator = generator(g);
    let table = g.object(
        "a seeded table",
        TABLE_KEYS,
        vec![
            ("rows", any("how many rows: a number, or min..max")),
            ("per_parent", map_of(any("a number or min..max"), "rows per row of each parent table")),
            ("columns", map_of(generator, "generators by column; columns left out get defaults by name and type")),
            ("import", any("rows from a CSV: an import spec's path, or its keys inline (docs/import-format.md)")),
        ],
        &[],
    );
    g.object(
        "a seed profile",
        PROFILE_KEYS,
        vec![
            (
                "seed",
                integer("the random seed: the same seed gives the same rows"),
            ),
            ("locale", locale()),
            ("tables", map_of(table, "tables to fill, by name")),
        ],
        &[],
    )
}

fn locale() -> Value {
    let names: Vec<&str> = LOCALES.iter().map(|(n, _)| *n).collect();
    string(&format!(
        "the locale of fake names, addresses, …: {}",
        names.join(", ")
    ))
}

/// A column's generator: a name (`email`, `uuid`) or a map with one
/// generator key and options.
fn generator(g: &mut Gen) -> Value {
    let names = all_names();
    let mut keys = names.clone();
    keys.extend(OPTIONS);
    let normal = g.object(
        "normal",
        NORMAL_KEYS,
        vec![
            ("mean", number("mean")),
            ("std_dev", number("standard deviation")),
            ("min", number("values below are clamped")),
            ("max", number("values above are clamped")),
        ],
        &["mean", "std_dev"],
    );
    let sequence = g.object(
        "sequence",
        SEQUENCE_KEYS,
        vec![
            ("start", integer("first value")),
            ("step", integer("increment")),
            (
                "format",
                string("a template around the number, e.g. MOL-{:06}"),
            ),
        ],
        &[],
    );
    let mut described: Vec<(&str, Value)> = Vec::new();
    for name in &names {
        let v = match *name {
            "normal" => normal.clone(),
            "sequence" => either(
                json!({"type": ["integer", "null"]}),
                sequence.clone(),
                "sequence: a start, or {start, step, format}",
            ),
            n if BUILTINS.contains(&n) => any("this generator's argument (docs/seed-format.md)"),
            _ => json!({"description": "a fake-data generator; its value is ignored (use `~`)"}),
        };
        described.push((name, v));
    }
    described.extend([
        ("null_ratio", number("share of NULLs, 0 to 1")),
        (
            "unique",
            any("true, or a group name shared by columns unique together"),
        ),
        ("locale", locale()),
        ("column", string("one_of_file: the CSV column to read")),
        ("length", any("array: the number of elements, or min..max")),
        (
            "from_parent",
            string("copy this column from the row's parent (table.column)"),
        ),
    ]);
    let map = g.object("a generator spec", &keys, described, &[]);
    let v = json!({"description": "A generator: a name such as `email`, a constant, or a map",
        "anyOf": [{"type": ["string", "number", "boolean", "null"]}, map]});
    g.define("generator", v)
}
