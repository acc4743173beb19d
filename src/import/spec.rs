//! Import specs: `strata import … --spec import.yaml`, the format in
//! docs/import-format.md. Reading reports every problem at once, each at
//! `file:line:col` (unknown keys with a did-you-mean, bad regexes, bad
//! values); what depends on the live table (column names, defaults,
//! constants) is checked in [`super::mapping::plan`] before any row is
//! read.
//!
//! ```yaml
//! table: molecules
//! file: molecules_legacy.csv
//! format: {delimiter: ",", header: true, encoding: utf-8, null: ["", "\\N"]}
//! columns:
//!   smiles: {from: SMILES, required: true}
//!   molecular_weight: {from: mw, on_error: "null"}
//! skip: [legacy_flag]
//! ```

use std::path::{Path, PathBuf};

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;
use regex::Regex;

use super::coerce::Parse;
use super::mapping::{ColumnSpec, From, SpecColumns};
use super::reader::{Dialect, Encoding, DEFAULT_MAX_RECORD, MAX_MAX_RECORD};
use super::rules::{Nulls, OnError, Rule, Transform};
use super::ImportOptions;
use crate::model::QualifiedName;
use crate::spec::yaml::{self, node_pos, scalar_pos, Pos, Reader};
use crate::spec::SpecIssue;

/// An import spec as written; `None` is "not set" (a flag or the default
/// applies).
#[derive(Debug, Clone, Default)]
pub struct ImportSpec {
    pub path: PathBuf,
    pub table: Option<(String, Pos)>,
    /// `file:`, relative to the spec's directory.
    pub file: Option<PathBuf>,
    pub delimiter: Option<u8>,
    pub quote: Option<u8>,
    pub escape: Option<u8>,
    pub header: Option<bool>,
    pub encoding: Option<Encoding>,
    pub null: Option<Vec<String>>,
    pub trim: Option<bool>,
    pub batch_size: Option<usize>,
    pub max_rejects: Option<u64>,
    /// `max_record_bytes:`.
    pub max_record_bytes: Option<usize>,
    /// `rejects:`, relative to the spec's directory.
    pub rejects: Option<PathBuf>,
    pub dry_run: Option<bool>,
    pub single_transaction: Option<bool>,
    pub jobs: Option<usize>,
    pub resume: Option<String>,
    pub columns: Vec<ColumnSpec>,
    pub skip: Vec<(String, Pos)>,
}

/// Rows per COPY batch when neither the spec nor a flag says. Every batch
/// costs a few round trips during which the server idles, and on a busy
/// machine each waits for the loader to be scheduled: on the benchmark
/// (2M rows, 2 cores) 1,000-row batches took 6.8 s, 5,000 3.1 s, 10,000
/// 2.7 s, 20,000 2.7 s (and twice the memory).
pub const DEFAULT_BATCH: usize = 10_000;

/// The most rows a batch may hold (`batch_size`, `--batch-size`), as for
/// `seed`: buffers are sized by it up front, so an unbounded value
/// overflowed an allocation.
pub const MAX_BATCH: usize = 1_000_000;

/// The most connections `jobs` (`--jobs`) may open, as for `seed`.
pub const MAX_JOBS: usize = 256;

impl ImportSpec {
    /// The options this spec gives, defaults where it is silent: loading
    /// `file` into `table` (a command line then overrides what it sets).
    pub fn options(&self, table: QualifiedName, file: &Path) -> ImportOptions {
        let d = Dialect::default();
        ImportOptions {
            table,
            renames: Vec::new(),
            rejects: self
                .rejects
                .clone()
                .unwrap_or_else(|| default_rejects(file)),
            batch_rows: self.batch_size.unwrap_or(DEFAULT_BATCH),
            max_rejects: self.max_rejects,
            max_record_bytes: self.max_record_bytes.unwrap_or(DEFAULT_MAX_RECORD),
            dry_run: self.dry_run == Some(true),
            single_transaction: self.single_transaction == Some(true),
            header: self.header != Some(false),
            dialect: Dialect {
                delimiter: self.delimiter.unwrap_or(d.delimiter),
                quote: self.quote.unwrap_or(d.quote),
                escape: self.escape,
                encoding: self.encoding.unwrap_or(d.encoding),
            },
            jobs: self.jobs.unwrap_or(1),
            database: None, // set once connected
            resume: self.resume.clone(),
            spec: SpecColumns {
                file: self.path.clone(),
                columns: self.columns.clone(),
                skip: self.skip.clone(),
                nulls: Nulls {
                    markers: self
                        .null
                        .clone()
                        .unwrap_or_else(|| Nulls::default().markers),
                    trim: self.trim.unwrap_or(false),
                },
            },
        }
    }
}

pub(crate) const TRANSFORM_KEYS: &[&str] = &["replace"];

pub(crate) const REPLACE_KEYS: &[&str] = &["pattern", "with"];

pub(crate) const ARRAY_KEYS: &[&str] = &["separator"];

/// `<FILE>.rejects.csv` next to the input; `rejects.csv` for stdin.
pub fn default_rejects(file: &Path) -> PathBuf {
    if file == Path::new("-") {
        return PathBuf::from("rejects.csv");
    }
    let mut p = file.as_os_str().to_owned();
    p.push(".rejects.csv");
    PathBuf::from(p)
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "table",
    "file",
    "format",
    "batch_size",
    "max_rejects",
    "max_record_bytes",
    "rejects",
    "dry_run",
    "single_transaction",
    "jobs",
    "resume",
    "columns",
    "skip",
];
pub(crate) const FORMAT_KEYS: &[&str] = &[
    "delimiter",
    "quote",
    "escape",
    "header",
    "encoding",
    "null",
    "trim",
];
pub(crate) const COLUMN_KEYS: &[&str] = &[
    "from",
    "constant",
    "required",
    "transform",
    "map",
    "map_strict",
    "default",
    "on_error",
    "format",
    "array",
];

/// Largest import spec read (a spec is a few KiB).
const MAX_SPEC_BYTES: u64 = 16 << 20;

/// Read and check a spec file.
pub fn load(path: &Path) -> Result<ImportSpec, Vec<SpecIssue>> {
    let text = crate::files::read_regular(path, MAX_SPEC_BYTES).map_err(|e| {
        vec![SpecIssue {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the import spec: {e}"),
        }]
    })?;
    load_str(path, &text)
}

/// Check a spec given as text (`path` names it and anchors its paths).
pub fn load_str(path: &Path, text: &str) -> Result<ImportSpec, Vec<SpecIssue>> {
    let root = yaml::parse(path, text).map_err(|i| vec![i])?;
    let mut r = Reader::new(path, text);
    let spec = decode(&mut r, &root, path);
    let mut issues = r.issues;
    if issues.is_empty() {
        return Ok(spec);
    }
    issues.sort_by_key(|i| (i.line, i.column));
    issues.dedup();
    Err(issues)
}

/// An import spec inside another YAML file (a seed profile's `import:`),
/// its paths relative to that file. Problems go to `r`.
pub fn decode_inline(r: &mut Reader, node: &Node) -> ImportSpec {
    let path = r.file.clone();
    decode(r, node, &path)
}

fn decode(r: &mut Reader, root: &Node, path: &Path) -> ImportSpec {
    let mut s = ImportSpec {
        path: path.to_path_buf(),
        ..ImportSpec::default()
    };
    let Some(map) = r.map(root, "a map with `columns`, `format`, …") else {
        return s;
    };
    decode_top(r, map, path, &mut s);
    if let Some(n) = map.get_node("format") {
        if let Some(m) = r.map(n, "a map with `delimiter`, `header`, `encoding`, …") {
            decode_format(r, m, &mut s);
        }
    }
    if let Some(n) = map.get_node("columns") {
        if let Some(m) = r.map(n, "a map of table column: {rules}") {
            for (name, pos, node) in yaml::entries(m) {
                if let Some(c) = decode_column(r, name, pos, node) {
                    s.columns.push(c);
                }
            }
        }
    }
    if let Some(n) = map.get_node("skip") {
        s.skip = r
            .string_list(n, "a list of CSV column names")
            .unwrap_or_default();
    }
    s
}

/// Top-level scalars: table, file, and the keys flags also set.
fn decode_top(r: &mut Reader, map: &MarkedMappingNode, path: &Path, s: &mut ImportSpec) {
    r.check_keys(map, TOP_KEYS, "the import spec");
    let dir = path.parent().unwrap_or(Path::new(""));
    if let Some(n) = map.get_node("table") {
        s.table = r.string(n, "a table name").map(|t| (t, node_pos(n)));
    }
    let file = |r: &mut Reader, key: &str| {
        let n = map.get_node(key)?;
        r.string(n, "a path").map(|p| dir.join(p))
    };
    s.file = file(r, "file");
    s.rejects = file(r, "rejects");
    s.batch_size = map
        .get_node("batch_size")
        .and_then(|n| at_most(r, n, MAX_BATCH));
    s.max_rejects = map
        .get_node("max_rejects")
        .and_then(|n| r.i64(n))
        .map(|v| v.max(0) as u64);
    s.max_record_bytes = map
        .get_node("max_record_bytes")
        .and_then(|n| record_limit(r, n));
    s.dry_run = map.get_node("dry_run").and_then(|n| r.bool(n));
    s.single_transaction = map.get_node("single_transaction").and_then(|n| r.bool(n));
    s.jobs = map.get_node("jobs").and_then(|n| at_most(r, n, MAX_JOBS));
    s.resume = map
        .get_node("resume")
        .and_then(|n| r.string(n, "an import id"));
}

/// A maximum record size: 1 byte to [`MAX_MAX_RECORD`].
fn record_limit(r: &mut Reader, n: &Node) -> Option<usize> {
    let v = positive(r, n)?;
    if v > MAX_MAX_RECORD {
        r.error(
            node_pos(n),
            format!("expected at most {MAX_MAX_RECORD} (1 GiB: PostgreSQL takes no larger row), found {v}"),
        );
        return None;
    }
    Some(v)
}

/// A positive integer no larger than `max`.
fn at_most(r: &mut Reader, n: &Node, max: usize) -> Option<usize> {
    let v = positive(r, n)?;
    if v > max {
        r.error(node_pos(n), format!("at most {max}, found {v}"));
        return None;
    }
    Some(v)
}

fn positive(r: &mut Reader, n: &Node) -> Option<usize> {
    let v = r.i64(n)?;
    if v < 1 {
        r.error(
            node_pos(n),
            format!("expected a positive integer, found {v}"),
        );
        return None;
    }
    Some(v as usize)
}

fn decode_format(r: &mut Reader, m: &MarkedMappingNode, s: &mut ImportSpec) {
    r.check_keys(m, FORMAT_KEYS, "format");
    s.delimiter = m.get_node("delimiter").and_then(|n| ascii_char(r, n));
    s.quote = m.get_node("quote").and_then(|n| ascii_char(r, n));
    s.escape = m.get_node("escape").and_then(|n| ascii_char(r, n));
    s.header = m.get_node("header").and_then(|n| r.bool(n));
    s.trim = m.get_node("trim").and_then(|n| r.bool(n));
    s.encoding = m.get_node("encoding").and_then(|n| encoding(r, n));
    if let Some(n) = m.get_node("null") {
        s.null = r
            .string_list(n, "a list of null markers")
            .map(|l| l.into_iter().map(|(t, _)| t).collect());
    }
}

/// One ASCII character (`"\t"` is a tab).
fn ascii_char(r: &mut Reader, n: &Node) -> Option<u8> {
    let t = r.string(n, "one ASCII character")?;
    match t.as_bytes() {
        [b] if b.is_ascii() => Some(*b),
        _ => {
            r.error(
                node_pos(n),
                format!("expected one ASCII character, found \"{t}\""),
            );
            None
        }
    }
}

pub fn parse_encoding(name: &str) -> Option<Encoding> {
    match name.to_ascii_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" => Some(Encoding::Utf8),
        "latin1" | "latin-1" | "iso-8859-1" | "windows-1252" | "cp1252" => {
            Some(Encoding::Windows1252)
        }
        _ => None,
    }
}

fn encoding(r: &mut Reader, n: &Node) -> Option<Encoding> {
    let t = r.string(n, "an encoding")?;
    let e = parse_encoding(&t);
    if e.is_none() {
        r.error(
            node_pos(n),
            format!("unknown encoding \"{t}\" (utf-8, latin1 or windows-1252)"),
        );
    }
    e
}

fn decode_column(r: &mut Reader, name: &str, pos: Pos, node: &Node) -> Option<ColumnSpec> {
    let m = r.map(node, "a map of rules (`from`, `required`, …)")?;
    r.check_keys(m, COLUMN_KEYS, &format!("column \"{name}\""));
    let mut c = ColumnSpec {
        name: name.to_string(),
        pos,
        from: None,
        constant: None,
        default: None,
        rule: Rule::default(),
    };
    if let Some(n) = m.get_node("from") {
        c.from = decode_from(r, n).map(|f| (f, node_pos(n)));
    }
    let text = |r: &mut Reader, key: &str| {
        let n = m.get_node(key)?;
        r.string(n, "a value").map(|t| (t, node_pos(n)))
    };
    c.constant = text(r, "constant");
    c.default = text(r, "default");
    if let (Some(_), Some(_), Some(n)) = (&c.constant, &c.from, m.get_node("constant")) {
        r.error(node_pos(n), "`constant:` and `from:` exclude each other");
    }
    c.rule.required = m
        .get_node("required")
        .and_then(|n| r.bool(n))
        .unwrap_or(false);
    c.rule.map_strict = m
        .get_node("map_strict")
        .and_then(|n| r.bool(n))
        .unwrap_or(false);
    if let Some(n) = m.get_node("transform") {
        c.rule.transforms = decode_transforms(r, n);
    }
    if let Some(n) = m.get_node("map") {
        c.rule.map = decode_map(r, n);
    }
    if let Some(n) = m.get_node("on_error") {
        let options = [
            ("reject", OnError::Reject),
            ("null", OnError::Null),
            ("default", OnError::Default),
        ];
        c.rule.on_error = r.one_of(n, &options).unwrap_or_default();
        if c.rule.on_error == OnError::Default && c.default.is_none() {
            r.error(
                node_pos(n),
                format!("on_error: default needs `default:` on column \"{name}\" (the column's database default is not evaluated per row)"),
            );
        }
    }
    c.rule.parse = decode_parse(r, m);
    Some(c)
}

/// `from: NAME` (a header name) or `from: 3` (1-based position).
fn decode_from(r: &mut Reader, n: &Node) -> Option<From> {
    let s = r.scalar(n, "a CSV column name or 1-based position")?;
    if s.may_coerce() {
        if let Ok(i) = s.as_str().parse::<i64>() {
            if i < 1 {
                r.error(
                    node_pos(n),
                    format!("from: positions start at 1, found {i}"),
                );
                return None;
            }
            return Some(From::Position(i as usize));
        }
    }
    Some(From::Name(s.as_str().to_string()))
}

fn decode_transforms(r: &mut Reader, n: &Node) -> Vec<Transform> {
    let items: Vec<&Node> = match n {
        Node::Sequence(s) => s.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter_map(|item| decode_transform(r, item))
        .collect()
}

fn decode_transform(r: &mut Reader, n: &Node) -> Option<Transform> {
    if let Node::Mapping(m) = n {
        r.check_keys(m, TRANSFORM_KEYS, "a transform");
        let rep = r.map(m.get_node("replace")?, "{pattern: REGEX, with: TEXT}")?;
        r.check_keys(rep, REPLACE_KEYS, "replace");
        let Some(pn) = rep.get_node("pattern") else {
            r.error(node_pos(n), "replace needs `pattern:`");
            return None;
        };
        let pattern = r.string(pn, "a regular expression")?;
        let with = match rep.get_node("with") {
            Some(w) if yaml::is_null(w) => String::new(),
            Some(w) => r.string(w, "replacement text")?,
            None => String::new(),
        };
        return match Regex::new(&pattern) {
            Ok(pattern) => Some(Transform::Replace { pattern, with }),
            Err(e) => {
                let first = e.to_string();
                let why = first.lines().last().unwrap_or("invalid").trim().to_string();
                r.error(
                    node_pos(pn),
                    format!("bad regular expression {pattern:?}: {why}"),
                );
                None
            }
        };
    }
    let options = [
        ("trim", Transform::Trim),
        ("lower", Transform::Lower),
        ("upper", Transform::Upper),
    ];
    let word = r
        .scalar(n, "trim, lower, upper or {replace: …}")?
        .as_str()
        .to_string();
    let found = options.iter().find(|(w, _)| *w == word);
    if found.is_none() {
        let hint = yaml::did_you_mean(&word, ["trim", "lower", "upper", "replace"]);
        r.error(
            node_pos(n),
            format!("unknown transform \"{word}\" (trim, lower, upper or {{replace: {{pattern, with}}}}){hint}"),
        );
    }
    found.map(|(_, t)| t.clone())
}

/// `map: {A: active, "?": null}`.
fn decode_map(r: &mut Reader, n: &Node) -> Vec<(String, Option<String>)> {
    let Some(m) = r.map(n, "a map of CSV value: table value") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m.iter() {
        let to = if yaml::is_null(v) {
            None
        } else {
            match r.string(v, "a value (or null)") {
                Some(t) => Some(t),
                None => continue,
            }
        };
        out.push((k.as_str().to_string(), to));
    }
    out
}

/// `format:` (one strftime format or a list) and `array: {separator: …}`.
fn decode_parse(r: &mut Reader, m: &MarkedMappingNode) -> Parse {
    let mut p = Parse::default();
    if let Some(n) = m.get_node("format") {
        for (f, at) in r
            .string_list(n, "a date format or a list of them")
            .unwrap_or_default()
        {
            if let Some(bad) = bad_strftime(&f) {
                r.error(at, format!("bad date format {f:?}: {bad}"));
            }
            p.formats.push(f);
        }
    }
    if let Some(n) = m.get_node("array") {
        if let Some(a) = r.map(n, "{separator: TEXT}") {
            r.check_keys(a, ARRAY_KEYS, "array");
            if let Some(s) = a.get_node("separator") {
                p.separator = r.string(s, "a separator");
                if p.separator.as_deref() == Some("") {
                    r.error(scalar_pos_of(s), "the separator cannot be empty");
                }
            }
        }
    }
    p
}

fn scalar_pos_of(n: &Node) -> Pos {
    match n {
        Node::Scalar(s) => scalar_pos(s),
        other => node_pos(other),
    }
}

/// Why chrono cannot use `f`, if it cannot.
fn bad_strftime(f: &str) -> Option<String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
        return Some("unknown % specifier (see chrono's strftime)".into());
    }
    None
}
