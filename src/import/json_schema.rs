//! The JSON Schema of an import spec (`strata import --spec`), built from
//! the key lists the spec decoder checks ([`crate::json_schema`]);
//! docs/import-format.md is the reference.

use serde_json::{json, Value};

use crate::json_schema::{
    any, boolean, either, integer, list, map_of, names, one_of_words, string, Gen,
};

use super::spec::{ARRAY_KEYS, COLUMN_KEYS, FORMAT_KEYS, REPLACE_KEYS, TOP_KEYS, TRANSFORM_KEYS};

/// The whole spec.
pub fn spec(g: &mut Gen) -> Value {
    let format = g.object(
        "format",
        FORMAT_KEYS,
        vec![
            (
                "delimiter",
                string("field separator, one character (default ,)"),
            ),
            ("quote", string("quote character (default \")")),
            (
                "escape",
                string("escape character inside quotes (default: the quote doubled)"),
            ),
            (
                "header",
                boolean("the first record names the columns (default true)"),
            ),
            (
                "encoding",
                string("the file's encoding (utf-8, latin1, windows-1252, …)"),
            ),
            (
                "null",
                names("field values read as NULL (default: empty and \\N)"),
            ),
            ("trim", boolean("trim spaces around every field")),
        ],
        &[],
    );
    let column = column(g);
    g.object(
        "an import spec",
        TOP_KEYS,
        vec![
            ("table", string("the target table (schema.table)")),
            (
                "file",
                string("the CSV file (relative to the spec), .gz allowed, - for stdin"),
            ),
            ("format", format),
            ("batch_size", integer("rows per COPY batch")),
            ("max_rejects", integer("stop after this many rejected rows")),
            (
                "max_record_bytes",
                integer("refuse records longer than this"),
            ),
            (
                "rejects",
                string("where rejected rows go (default FILE.rejects.csv)"),
            ),
            ("dry_run", boolean("check everything, load nothing")),
            (
                "single_transaction",
                boolean("all or nothing in one transaction"),
            ),
            ("jobs", integer("parallel COPY streams")),
            (
                "resume",
                string("an ID: a crashed import started again continues where it stopped"),
            ),
            (
                "columns",
                map_of(
                    column,
                    "per table column: where its value comes from and the rules it follows",
                ),
            ),
            (
                "skip",
                list(string("a CSV column"), "CSV columns to ignore"),
            ),
        ],
        &[],
    )
}

fn column(g: &mut Gen) -> Value {
    let replace = g.object(
        "replace",
        REPLACE_KEYS,
        vec![
            ("pattern", string("a regular expression")),
            ("with", string("the replacement ($1 for groups)")),
        ],
        &["pattern"],
    );
    let transform = g.object(
        "a transform",
        TRANSFORM_KEYS,
        vec![("replace", replace)],
        &["replace"],
    );
    let array = g.object(
        "array",
        ARRAY_KEYS,
        vec![("separator", string("the separator between elements"))],
        &[],
    );
    let map = g.object(
        "an import column",
        COLUMN_KEYS,
        vec![
            ("from", json!({"type": ["string", "integer"], "description": "the CSV column: its header name, or its position from 1"})),
            ("constant", any("the same value on every row")),
            ("required", boolean("an empty field is rejected")),
            ("transform", list(either(one_of_words(&["trim", "lower", "upper"], ""), transform, ""), "applied in order")),
            ("map", map_of(any("a value"), "CSV value → stored value")),
            ("map_strict", boolean("a value missing from map is rejected")),
            ("default", any("the value of an empty field")),
            ("on_error", one_of_words(&["reject", "null", "default"], "what a value that does not fit does")),
            ("format", string("date/time format of the field, e.g. %d/%m/%Y")),
            ("array", either(boolean("a PostgreSQL array literal"), array, "the field is an array")),
        ],
        &[],
    );
    json!({"description": "A column: the CSV column it comes from, or a map of rules",
        "anyOf": [{"type": ["string", "integer", "null"]}, map]})
}
