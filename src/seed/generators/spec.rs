//! Decoding one generator spec from the profile's YAML, for a column of a
//! known type. Every problem is reported at its `file:line:col` through
//! the shared [`Reader`]; the column's type decides how literals are read
//! (`one_of: [1, 2]` is integers for an `int` column, text for `text`).
//!
//! Forms (see docs/seed-format.md):
//! * `email`, `uuid`, `bool` — a generator name with default arguments;
//! * `"{first_name}.{last_name}@example.org"` — a template (has a `{`);
//! * `{uniform: [1, 10], null_ratio: 0.1, unique: true}` — one generator
//!   key with its argument, plus options;
//! * `{null_ratio: 0.2}` — options only: the column keeps its default
//!   generator (or its foreign key).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::Node;

use super::fake::{Family, Locale, FAMILIES, LOCALES};
use super::{template, Gen, OWN};
use crate::copy::Value;
use crate::seed::coltype::{coerce, parse_datetime, ColType};
use crate::seed::limits::{
    human, MAX_ARRAY_LENGTH, MAX_BYTES, MAX_FILE_BYTES, MAX_FILE_VALUES, MAX_NESTING,
    MAX_VALUE_BYTES,
};
use crate::spec::yaml::{self, did_you_mean, node_pos, Pos, Reader};

/// Generator keys that are not `fake` families or our own text families.
pub(crate) const BUILTINS: &[&str] = &[
    "uuid",
    "uniform",
    "normal",
    "one_of",
    "one_of_file",
    "date",
    "timestamp",
    "time",
    "bool",
    "boolean",
    "sequence",
    "template",
    "json",
    "object",
    "array",
    "constant",
    "const",
    "enum",
    "bytes",
];

/// Option keys next to the generator key.
pub(crate) const OPTIONS: &[&str] = &[
    "null_ratio",
    "unique",
    "locale",
    "column",
    "length",
    "from_parent",
];

/// The default range of `date` and `timestamp` when none is given. Fixed,
/// not relative to today: the same profile must give the same data.
pub const DEFAULT_FROM: (i32, u32, u32) = (2023, 1, 1);
pub const DEFAULT_TO: (i32, u32, u32) = (2025, 12, 31);

/// What decoding needs besides the node and the type.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The profile's `locale:` (families without their own `locale`).
    pub locale: Locale,
    /// Where `one_of_file` paths are relative to (the project root).
    pub base_dir: &'a Path,
    /// How many `json`/`array` levels enclose this spec (0 for a column).
    pub depth: usize,
}

impl<'a> Ctx<'a> {
    /// A column's context.
    pub fn new(locale: Locale, base_dir: &'a Path) -> Ctx<'a> {
        Ctx {
            locale,
            base_dir,
            depth: 0,
        }
    }

    /// The context one `json`/`array` level down, refused past
    /// [`MAX_NESTING`] levels (at `at`).
    fn nested(&self, r: &mut Reader, at: Pos) -> Option<Ctx<'a>> {
        if self.depth >= MAX_NESTING {
            r.error(
                at,
                format!("`json` and `array` nest at most {MAX_NESTING} levels deep"),
            );
            return None;
        }
        Some(Ctx {
            depth: self.depth + 1,
            ..*self
        })
    }
}

/// A column's generator as the profile gives it.
#[derive(Clone, Debug)]
pub struct ColumnGen {
    /// `None` when only options were given.
    pub gen: Option<Gen>,
    /// `from_parent: molecule_id` (or `molecule_id.org_id`): copy the
    /// value from the parent row that foreign-key column points at.
    pub from_parent: Option<FromParent>,
    pub null_ratio: f64,
    /// Where `null_ratio` was set (to report it on a NOT NULL column).
    pub null_ratio_pos: Option<Pos>,
    pub unique: bool,
    pub pos: Pos,
}

/// `from_parent: via[.column]`: the value of `column` (default: the same
/// name) in the row of the parent that the foreign key holding `via`
/// references — a tenant id that follows the parent row.
#[derive(Clone, Debug, PartialEq)]
pub struct FromParent {
    pub via: String,
    pub column: Option<String>,
    pub pos: Pos,
}

pub(crate) const NORMAL_KEYS: &[&str] = &["mean", "std_dev", "min", "max"];

pub(crate) const SEQUENCE_KEYS: &[&str] = &["start", "step", "format"];

/// Every name a generator can be given by (for did-you-mean).
pub fn all_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = FAMILIES.iter().map(|(n, _)| *n).collect();
    v.extend(OWN.iter().map(|(n, _)| *n));
    v.extend(BUILTINS.iter().copied());
    v
}

fn is_generator_key(k: &str) -> bool {
    BUILTINS.contains(&k) || Family::lookup(k).is_some() || OWN.iter().any(|(n, _)| *n == k)
}

/// Decode a column's generator spec. `None` after reporting to `r`.
pub fn decode(r: &mut Reader, node: &Node, ty: &ColType, ctx: &Ctx) -> Option<ColumnGen> {
    let pos = node_pos(node);
    let mut out = ColumnGen {
        gen: None,
        from_parent: None,
        null_ratio: 0.0,
        null_ratio_pos: None,
        unique: false,
        pos,
    };
    match node {
        Node::Mapping(map) => {
            decode_map(r, map, ty, ctx, &mut out)?;
        }
        Node::Scalar(_) if !yaml::is_null(node) => out.gen = Some(decode_scalar(r, node, ty, ctx)?),
        _ => {
            r.error(pos, format!("expected a generator (a name such as `email`, a template, or a map such as {{uniform: [1, 10]}}), found {}", yaml::describe(node)));
            return None;
        }
    }
    if let Some(gen) = &out.gen {
        check_kind(r, pos, gen, ty)?;
        check_size(r, pos, gen)?;
    }
    Some(out)
}

/// Refuse a generator whose values can pass [`MAX_VALUE_BYTES`]: sizes
/// that multiply (arrays of arrays, a template of many paragraphs) where
/// each argument is within its own maximum.
fn check_size(r: &mut Reader, pos: Pos, gen: &Gen) -> Option<()> {
    let size = gen.max_bytes();
    if size <= MAX_VALUE_BYTES {
        return Some(());
    }
    let what = match gen {
        Gen::Template(_) => "template".to_string(),
        Gen::Array { .. } => "array".to_string(),
        Gen::Json(_) => "json".to_string(),
        other => format!("`{}`", other.describe()),
    };
    r.error(
        pos,
        format!(
            "this {what} can make values of up to {}; a value is at most {} (docs/seed-format.md, Limits)",
            human(size),
            human(MAX_VALUE_BYTES)
        ),
    );
    None
}

fn check_kind(r: &mut Reader, pos: Pos, gen: &Gen, ty: &ColType) -> Option<()> {
    if ty.accepts(&gen.kind()) {
        return Some(());
    }
    r.error(
        pos,
        format!(
            "generator `{}` produces {}, but the column is {}",
            gen.describe(),
            gen.kind().describe(),
            ty.describe()
        ),
    );
    None
}

/// A scalar: a template when it has a `{`, otherwise a generator name.
fn decode_scalar(r: &mut Reader, node: &Node, ty: &ColType, ctx: &Ctx) -> Option<Gen> {
    let s = r.scalar(node, "a generator")?;
    let text = s.as_str();
    if text.contains('{') {
        return decode_template(r, s, ctx.locale);
    }
    match named(text, ty, ctx.locale) {
        Ok(g) => Some(g),
        Err(msg) => {
            r.error(node_pos(node), msg);
            None
        }
    }
}

fn decode_template(r: &mut Reader, s: &MarkedScalarNode, locale: Locale) -> Option<Gen> {
    let slot = |name: &str, l: Locale| named(name, &ColType::Text { max: None }, l);
    match template::parse(s.as_str(), locale, &slot) {
        Ok(parts) => Some(Gen::Template(parts)),
        Err((offset, msg)) => {
            r.error(r.pos_in(s, offset), msg);
            None
        }
    }
}

/// A generator given by name alone, with its default arguments.
fn named(name: &str, ty: &ColType, locale: Locale) -> Result<Gen, String> {
    if let Some(family) = Family::lookup(name) {
        let count = family.default_count().unwrap_or((1, 1));
        return Ok(Gen::Fake {
            family,
            locale,
            count,
        });
    }
    if let Some((_, o)) = OWN.iter().find(|(n, _)| *n == name) {
        return Ok(Gen::Own(*o));
    }
    match name {
        "uuid" => Ok(Gen::Uuid),
        "date" => Ok(default_date()),
        "timestamp" => Ok(default_timestamp()),
        "time" => Ok(Gen::Time),
        "bool" | "boolean" => Ok(Gen::Bool { p: 0.5 }),
        "sequence" => Ok(Gen::Sequence { start: 1, step: 1 }),
        "bytes" => Ok(Gen::Bytes { min: 8, max: 32 }),
        "enum" => match ty {
            ColType::Enum { .. } => {
                super::defaults::for_type(ty).ok_or_else(|| "enum without labels".to_string())
            }
            _ => Err(format!(
                "`enum` draws an enum's labels, but the column is {}",
                ty.describe()
            )),
        },
        _ if BUILTINS.contains(&name) => Err(format!(
            "generator `{name}` needs an argument, e.g. {}",
            example(name)
        )),
        _ => Err(format!(
            "unknown generator \"{name}\"{} (a constant is written {{constant: {name}}})",
            did_you_mean(name, all_names())
        )),
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "uniform" => "{uniform: [1, 100]}",
        "normal" => "{normal: {mean: 40, std_dev: 12}}",
        "one_of" => "{one_of: [a, b, c]} or {one_of: {a: 3, b: 1}}",
        "one_of_file" => "{one_of_file: fixtures/names.txt}",
        "template" => "{template: \"{first_name}@example.org\"}",
        "json" | "object" => "{json: {skill: word, level: {uniform: [1, 5]}}}",
        "array" => "{array: word, length: 1..3}",
        _ => "{constant: 42}",
    }
}

pub fn default_date() -> Gen {
    let (from, to) = (ymd(DEFAULT_FROM), ymd(DEFAULT_TO));
    Gen::Date {
        from,
        days: (to - from).num_days(),
    }
}

pub fn default_timestamp() -> Gen {
    let from = ymd(DEFAULT_FROM).and_time(NaiveTime::MIN);
    let to = ymd(DEFAULT_TO).and_hms_opt(23, 59, 59).unwrap_or(from);
    Gen::Timestamp {
        from,
        seconds: (to - from).num_seconds(),
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A map: at most one generator key, plus options.
fn decode_map(
    r: &mut Reader,
    map: &MarkedMappingNode,
    ty: &ColType,
    ctx: &Ctx,
    out: &mut ColumnGen,
) -> Option<()> {
    let mut allowed: Vec<&str> = all_names();
    allowed.extend(OPTIONS);
    r.check_keys(map, &allowed, "a generator spec");
    let mut generator: Option<(&str, Pos, &Node)> = None;
    let mut locale = ctx.locale;
    if let Some(n) = map.get_node("locale") {
        locale = decode_locale(r, n)?;
    }
    for (key, kpos, value) in yaml::entries(map) {
        match key {
            "null_ratio" => {
                let v = r.f64(value)?;
                if !(0.0..=1.0).contains(&v) {
                    r.error(
                        node_pos(value),
                        format!("null_ratio must be between 0 and 1, found {v}"),
                    );
                    return None;
                }
                out.null_ratio = v;
                out.null_ratio_pos = Some(kpos);
            }
            "unique" => out.unique = r.bool(value)?,
            "from_parent" => {
                let text = r.string(
                    value,
                    "a foreign-key column, e.g. molecule_id or molecule_id.org_id",
                )?;
                let (via, column) = match text.split_once('.') {
                    Some((v, c)) => (v.to_string(), Some(c.to_string())),
                    None => (text, None),
                };
                out.from_parent = Some(FromParent {
                    via,
                    column,
                    pos: node_pos(value),
                });
            }
            "locale" | "column" | "length" => {}
            k if is_generator_key(k) => {
                if let Some((first, _, _)) = generator {
                    r.error(
                        kpos,
                        format!("a column has one generator; `{first}` is already given"),
                    );
                    return None;
                }
                generator = Some((k, kpos, value));
            }
            _ => {} // reported by check_keys
        }
    }
    let Some((key, kpos, value)) = generator else {
        for opt in ["locale", "column", "length"] {
            if let Some(k) = map.keys().find(|k| k.as_str() == opt) {
                r.error(
                    yaml::scalar_pos(k),
                    format!("option `{opt}` needs a generator next to it"),
                );
                return None;
            }
        }
        return Some(());
    };
    check_option_use(r, map, key)?;
    let sub = Ctx { locale, ..*ctx };
    out.gen = Some(decode_keyed(r, key, kpos, value, map, ty, &sub)?);
    Some(())
}

/// `column` and `length` belong to one generator each; `locale` to families.
fn check_option_use(r: &mut Reader, map: &MarkedMappingNode, key: &str) -> Option<()> {
    let owner = |opt: &str| match opt {
        "column" => key == "one_of_file",
        "length" => key == "array",
        "locale" => Family::lookup(key).is_some() || key == "template",
        _ => true,
    };
    for k in map.keys() {
        if OPTIONS.contains(&k.as_str()) && !owner(k.as_str()) {
            let what = match k.as_str() {
                "column" => "one_of_file",
                "length" => "array",
                _ => "fake families and templates",
            };
            r.error(
                yaml::scalar_pos(k),
                format!("option `{}` applies to {what}, not to `{key}`", k.as_str()),
            );
            return None;
        }
    }
    Some(())
}

pub fn decode_locale(r: &mut Reader, node: &Node) -> Option<Locale> {
    let s = r.string(node, "a locale such as en or fr_fr")?;
    let l = Locale::parse(&s);
    if l.is_none() {
        let hint = did_you_mean(&s.to_ascii_lowercase(), LOCALES.iter().map(|(n, _)| *n));
        let all: Vec<&str> = LOCALES.iter().map(|(n, _)| *n).collect();
        r.error(
            node_pos(node),
            format!(
                "unknown locale \"{s}\"{hint} (fake has: {})",
                all.join(", ")
            ),
        );
    }
    l
}

fn decode_keyed(
    r: &mut Reader,
    key: &str,
    kpos: Pos,
    value: &Node,
    map: &MarkedMappingNode,
    ty: &ColType,
    ctx: &Ctx,
) -> Option<Gen> {
    let arg_null = yaml::is_null(value);
    if let Some(family) = Family::lookup(key) {
        let count = match (family.default_count(), arg_null) {
            (_, true) => family.default_count().unwrap_or((1, 1)),
            (Some(_), false) => bounded_count(r, value, family.max_count(), key)?,
            (None, false) => {
                r.error(
                    node_pos(value),
                    format!("`{key}` takes no argument (write `{{{key}: ~}}` or just `{key}`)"),
                );
                return None;
            }
        };
        return Some(Gen::Fake {
            family,
            locale: ctx.locale,
            count,
        });
    }
    if arg_null
        && !matches!(
            key,
            "one_of"
                | "one_of_file"
                | "uniform"
                | "normal"
                | "template"
                | "json"
                | "object"
                | "array"
                | "constant"
                | "const"
        )
    {
        return named(key, ty, ctx.locale)
            .map_err(|m| r.error(kpos, m))
            .ok();
    }
    match key {
        "uniform" => uniform(r, value, ty),
        "normal" => normal(r, value, ty),
        "one_of" => one_of(r, value, ty),
        "one_of_file" => one_of_file(r, value, map, ty, ctx),
        "date" => date_range(r, value, false),
        "timestamp" => date_range(r, value, true),
        "bool" | "boolean" => {
            let p = r.f64(value)?;
            if !(0.0..=1.0).contains(&p) {
                r.error(
                    node_pos(value),
                    format!("a probability is between 0 and 1, found {p}"),
                );
                return None;
            }
            Some(Gen::Bool { p })
        }
        "sequence" => sequence(r, value, ctx),
        "template" => {
            let s = r.scalar(value, "a template string")?;
            decode_template(r, s, ctx.locale)
        }
        "json" | "object" => json(r, value, ctx),
        "array" => array(r, value, map, ty, ctx),
        "constant" | "const" => Some(Gen::Constant(literal(r, value, ty)?)),
        "bytes" => {
            let (min, max) = bounded_count(r, value, MAX_BYTES, "bytes")?;
            Some(Gen::Bytes { min, max })
        }
        other => {
            r.error(node_pos(value), format!("`{other}` takes no argument"));
            None
        }
    }
}

/// [`count_range`] with an upper bound: `what` (`words`, `bytes`,
/// `length`) takes at most `max`.
pub fn bounded_count(
    r: &mut Reader,
    node: &Node,
    max: usize,
    what: &str,
) -> Option<(usize, usize)> {
    let (lo, hi) = count_range(r, node)?;
    if hi > max {
        r.error(
            node_pos(node),
            format!("`{what}` takes at most {max}, found {hi} (docs/seed-format.md, Limits)"),
        );
        return None;
    }
    Some((lo, hi))
}

/// `5..15` (inclusive), `7`, or `[5, 15]`.
pub fn count_range(r: &mut Reader, node: &Node) -> Option<(usize, usize)> {
    let (lo, hi) = int_range(r, node)?;
    if lo < 0 {
        r.error(
            node_pos(node),
            format!("a count cannot be negative, found {lo}"),
        );
        return None;
    }
    Some((lo as usize, hi as usize))
}

/// `a..b` (inclusive), `n`, or `[a, b]`, with `a <= b`.
pub fn int_range(r: &mut Reader, node: &Node) -> Option<(i64, i64)> {
    let bad = "a range such as 5..15 (inclusive), a number, or [5, 15]";
    let (lo, hi) = match node {
        Node::Sequence(items) if items.len() == 2 => (r.i64(&items[0])?, r.i64(&items[1])?),
        Node::Scalar(s) => {
            let t = s.as_str().trim();
            match t.split_once("..") {
                Some((a, b)) => match (
                    a.trim().parse::<i64>(),
                    b.trim().trim_start_matches('=').parse::<i64>(),
                ) {
                    (Ok(a), Ok(b)) => (a, b),
                    _ => {
                        r.error(node_pos(node), format!("expected {bad}, found \"{t}\""));
                        return None;
                    }
                },
                None => {
                    let n = r.i64(node)?;
                    (n, n)
                }
            }
        }
        _ => {
            r.error(
                node_pos(node),
                format!("expected {bad}, found {}", yaml::describe(node)),
            );
            return None;
        }
    };
    if lo > hi {
        r.error(node_pos(node), format!("empty range: {lo} is above {hi}"));
        return None;
    }
    Some((lo, hi))
}

fn pair<'n>(r: &mut Reader, node: &'n Node, what: &str) -> Option<(&'n Node, &'n Node)> {
    match node {
        Node::Sequence(items) if items.len() == 2 => Some((&items[0], &items[1])),
        _ => {
            r.error(
                node_pos(node),
                format!("expected {what}, found {}", yaml::describe(node)),
            );
            None
        }
    }
}

fn is_int_text(n: &Node) -> bool {
    matches!(n, Node::Scalar(s) if s.as_str().trim().parse::<i64>().is_ok())
}

/// `uniform: [lo, hi]`: integers when both bounds are and the column is
/// not fractional, floats otherwise.
fn uniform(r: &mut Reader, value: &Node, ty: &ColType) -> Option<Gen> {
    let (a, b) = pair(r, value, "[low, high]")?;
    let fractional = matches!(
        ty,
        ColType::Float
            | ColType::Numeric {
                scale: None | Some(1..),
                ..
            }
    );
    if is_int_text(a) && is_int_text(b) && !fractional {
        let (lo, hi) = (r.i64(a)?, r.i64(b)?);
        if lo > hi {
            r.error(node_pos(value), format!("empty range: {lo} is above {hi}"));
            return None;
        }
        return Some(Gen::UniformInt { lo, hi });
    }
    let (lo, hi) = (r.f64(a)?, r.f64(b)?);
    if lo > hi || !lo.is_finite() || !hi.is_finite() {
        r.error(
            node_pos(value),
            format!("expected finite bounds with low ≤ high, found [{lo}, {hi}]"),
        );
        return None;
    }
    Some(Gen::UniformFloat { lo, hi })
}

/// `normal: {mean: 40, std_dev: 12, min: 18, max: 90}` or `[mean, std_dev]`.
fn normal(r: &mut Reader, value: &Node, ty: &ColType) -> Option<Gen> {
    let integer = matches!(ty, ColType::Int { .. });
    let (mut min, mut max) = (None, None);
    let (mean, std_dev) = match value {
        Node::Mapping(m) => {
            r.check_keys(m, NORMAL_KEYS, "normal");
            let get = |r: &mut Reader, k: &str| m.get_node(k).and_then(|n| r.f64(n));
            min = get(r, "min");
            max = get(r, "max");
            let Some(mean) = get(r, "mean") else {
                r.error(node_pos(value), "normal needs `mean`");
                return None;
            };
            (mean, get(r, "std_dev").unwrap_or(1.0))
        }
        _ => {
            let (a, b) = pair(r, value, "{mean: …, std_dev: …} or [mean, std_dev]")?;
            (r.f64(a)?, r.f64(b)?)
        }
    };
    if std_dev.is_nan() || std_dev < 0.0 {
        r.error(
            node_pos(value),
            format!("std_dev must be ≥ 0, found {std_dev}"),
        );
        return None;
    }
    // Infinite or NaN parameters make every value infinite or NaN, which
    // a float column stores as such and other columns refuse.
    let all = [Some(mean), Some(std_dev), min, max];
    if all.iter().flatten().any(|x| !x.is_finite()) {
        r.error(
            node_pos(value),
            "normal needs finite numbers (mean, std_dev, min, max)",
        );
        return None;
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            r.error(
                node_pos(value),
                format!("normal: min {lo} is above max {hi}"),
            );
            return None;
        }
    }
    Some(Gen::Normal {
        mean,
        std_dev,
        min,
        max,
        integer,
    })
}

/// `one_of: [a, b]` (uniform) or `one_of: {a: 3, b: 1}` (weighted).
fn one_of(r: &mut Reader, value: &Node, ty: &ColType) -> Option<Gen> {
    let mut values = Vec::new();
    let mut weights = None;
    match value {
        Node::Sequence(items) if !items.is_empty() => {
            for item in items.iter() {
                values.push(literal(r, item, ty)?);
            }
        }
        Node::Mapping(m) if !m.is_empty() => {
            let mut cum = Vec::new();
            let mut total = 0.0;
            for (k, _, w) in yaml::entries(m) {
                let v = literal_text(r, k, node_pos(w), None, ty)?;
                let weight = r.f64(w)?;
                if !weight.is_finite() || weight < 0.0 {
                    r.error(
                        node_pos(w),
                        format!("a weight is a number ≥ 0, found {weight}"),
                    );
                    return None;
                }
                total += weight;
                cum.push(total);
                values.push(v);
            }
            if total <= 0.0 {
                r.error(node_pos(value), "the weights add up to 0");
                return None;
            }
            if !total.is_finite() {
                r.error(
                    node_pos(value),
                    "the weights add up to more than the largest number: use smaller weights",
                );
                return None;
            }
            weights = Some(cum.into());
        }
        _ => {
            r.error(
                node_pos(value),
                format!(
                    "expected a non-empty list of values or a map of value: weight, found {}",
                    yaml::describe(value)
                ),
            );
            return None;
        }
    }
    let label = format!(
        "one_of [{}]",
        values
            .iter()
            .map(crate::seed::coltype::text_form)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(Gen::Choice {
        values: values.into(),
        cumulative: weights,
        label,
    })
}

/// A literal for the column: `null`, a scalar read as the column's type,
/// a list for an array column; any YAML for a json column.
pub fn literal(r: &mut Reader, node: &Node, ty: &ColType) -> Option<Value> {
    if yaml::is_null(node) {
        return Some(Value::Null);
    }
    match (ty, node) {
        (ColType::Json, _) => Some(Value::Json(yaml_to_json(node))),
        (ColType::Array(elem), Node::Sequence(items)) => {
            let mut out = Vec::new();
            for i in items.iter() {
                out.push(literal(r, i, elem)?);
            }
            Some(Value::Array(out))
        }
        (_, Node::Scalar(s)) => literal_text(r, s.as_str(), node_pos(node), Some(node), ty),
        _ => {
            r.error(
                node_pos(node),
                format!(
                    "expected a value for a {} column, found {}",
                    ty.describe(),
                    yaml::describe(node)
                ),
            );
            None
        }
    }
}

/// A scalar literal; `node` gives JSON its YAML type (a weighted
/// `one_of`'s keys have none: they are strings).
fn literal_text(
    r: &mut Reader,
    text: &str,
    pos: Pos,
    node: Option<&Node>,
    ty: &ColType,
) -> Option<Value> {
    if let ColType::Enum { name, labels } = ty {
        if !labels.iter().any(|l| l == text) {
            let hint = did_you_mean(text, labels.iter().map(String::as_str));
            r.error(
                pos,
                format!(
                    "\"{text}\" is not a label of enum {name} ({}){hint}",
                    labels.join(", ")
                ),
            );
            return None;
        }
        return Some(Value::Text(text.to_string()));
    }
    if matches!(ty, ColType::Json) {
        return Some(Value::Json(match node {
            Some(n) => yaml_to_json(n),
            None => serde_json::Value::String(text.to_string()),
        }));
    }
    match coerce(Value::Text(text.to_string()), ty) {
        Ok(v) => Some(v),
        Err(msg) => {
            r.error(pos, format!("{msg}, as the {} column needs", ty.describe()));
            None
        }
    }
}

/// YAML → JSON: plain numbers and booleans keep their type, quoted
/// scalars are strings.
pub fn yaml_to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match node {
        Node::Mapping(m) => J::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), yaml_to_json(v)))
                .collect(),
        ),
        Node::Sequence(items) => J::Array(items.iter().map(yaml_to_json).collect()),
        Node::Scalar(s) => {
            let t = s.as_str();
            if yaml::is_null(node) {
                J::Null
            } else if !s.may_coerce() {
                J::String(t.to_string())
            } else if let Some(b) = s.as_bool() {
                J::Bool(b)
            } else if let Ok(i) = t.parse::<i64>() {
                J::from(i)
            } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                J::Number(n)
            } else {
                J::String(t.to_string())
            }
        }
    }
}

/// `one_of_file: path` (one value per non-empty line) or, with `column:`,
/// a CSV file's column (first line = header).
fn one_of_file(
    r: &mut Reader,
    value: &Node,
    map: &MarkedMappingNode,
    ty: &ColType,
    ctx: &Ctx,
) -> Option<Gen> {
    let rel = r.string(value, "a file path")?;
    let path: PathBuf = ctx.base_dir.join(&rel);
    let text = match crate::files::read_regular(&path, MAX_FILE_BYTES) {
        Ok(t) => t,
        Err(e) => {
            r.error(
                node_pos(value),
                format!("cannot read {}: {e}", path.display()),
            );
            return None;
        }
    };
    let lines: Vec<String> = match map.get_node("column") {
        Some(col_node) => {
            let col = r.string(col_node, "a CSV column name")?;
            match super::super::csv::column(&text, &col) {
                Ok(v) => v,
                Err(msg) => {
                    r.error(node_pos(col_node), format!("{}: {msg}", path.display()));
                    return None;
                }
            }
        }
        None => text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect(),
    };
    if lines.is_empty() {
        r.error(node_pos(value), format!("{} has no values", path.display()));
        return None;
    }
    if lines.len() > MAX_FILE_VALUES {
        r.error(
            node_pos(value),
            format!(
                "{} has {} values; `one_of_file` reads at most {MAX_FILE_VALUES}",
                path.display(),
                lines.len()
            ),
        );
        return None;
    }
    let mut values = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        match ty {
            ColType::Text { .. } | ColType::Other(_) | ColType::Json | ColType::Range { .. } => {
                values.push(Value::Text(line))
            }
            ColType::Enum { name, labels } if !labels.contains(&line) => {
                r.error(
                    node_pos(value),
                    format!(
                        "{}: value {} \"{line}\" is not a label of enum {name}",
                        path.display(),
                        i + 1
                    ),
                );
                return None;
            }
            _ => match coerce(Value::Text(line), ty) {
                Ok(v) => values.push(v),
                Err(msg) => {
                    r.error(
                        node_pos(value),
                        format!("{}: value {}: {msg}", path.display(), i + 1),
                    );
                    return None;
                }
            },
        }
    }
    Some(Gen::Choice {
        values: Arc::from(values),
        cumulative: None,
        label: format!("one_of_file {rel}"),
    })
}

/// `date: [2020-01-01, 2024-12-31]` / `timestamp: [...]` (inclusive).
fn date_range(r: &mut Reader, value: &Node, timestamp: bool) -> Option<Gen> {
    let (a, b) = pair(r, value, "[from, to], e.g. [2020-01-01, 2024-12-31]")?;
    let parse = |r: &mut Reader, n: &Node| -> Option<NaiveDateTime> {
        let s = r.string(n, "a date")?;
        let t = parse_datetime(&s);
        if t.is_none() {
            r.error(
                node_pos(n),
                format!("\"{s}\" is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DD HH:MM:SS)"),
            );
        }
        t
    };
    let (from, to) = (parse(r, a)?, parse(r, b)?);
    if from > to {
        r.error(
            node_pos(value),
            format!("empty range: {from} is after {to}"),
        );
        return None;
    }
    Some(if timestamp {
        Gen::Timestamp {
            from,
            seconds: (to - from).num_seconds(),
        }
    } else {
        Gen::Date {
            from: from.date(),
            days: (to.date() - from.date()).num_days(),
        }
    })
}

/// `sequence: 1000`, or `{start: 1000, step: 10, format: "ORD-{seq:06}"}`.
fn sequence(r: &mut Reader, value: &Node, ctx: &Ctx) -> Option<Gen> {
    let Node::Mapping(m) = value else {
        return Some(Gen::Sequence {
            start: r.i64(value)?,
            step: 1,
        });
    };
    r.check_keys(m, SEQUENCE_KEYS, "sequence");
    let start = match m.get_node("start") {
        Some(n) => r.i64(n)?,
        None => 1,
    };
    let step = match m.get_node("step") {
        Some(n) => r.i64(n)?,
        None => 1,
    };
    match m.get_node("format") {
        None => Some(Gen::Sequence { start, step }),
        Some(f) => {
            let s = r.scalar(f, "a template such as \"ORD-{seq:06}\"")?;
            let Gen::Template(mut parts) = decode_template(r, s, ctx.locale)? else {
                return None;
            };
            if !parts
                .iter()
                .any(|p| matches!(p, template::Part::Seq { .. }))
            {
                r.error(
                    r.content_pos(s),
                    "a sequence format needs a `{seq}` slot, e.g. \"ORD-{seq:06}\"",
                );
                return None;
            }
            template::set_sequence(&mut parts, start, step);
            Some(Gen::Template(parts))
        }
    }
}

/// `json: {key: generator, …}`: each value is a generator spec for a JSON
/// field (nested objects: `{json: {…}}` again); `null_ratio` per field.
fn json(r: &mut Reader, value: &Node, ctx: &Ctx) -> Option<Gen> {
    let ctx = &ctx.nested(r, node_pos(value))?;
    let m = r.map(value, "a map of field: generator")?;
    let mut fields = Vec::new();
    let mut ok = true;
    for (k, _, v) in yaml::entries(m) {
        match decode(r, v, &ColType::Json, ctx) {
            Some(ColumnGen {
                from_parent: None,
                gen: Some(g),
                null_ratio,
                ..
            }) => fields.push((k.to_string(), g, null_ratio)),
            Some(_) => {
                r.error(node_pos(v), format!("field \"{k}\" needs a generator"));
                ok = false;
            }
            None => ok = false,
        }
    }
    ok.then_some(Gen::Json(fields))
}

/// `array: <element generator>` with `length: 1..3` (default 1..3).
fn array(
    r: &mut Reader,
    value: &Node,
    map: &MarkedMappingNode,
    ty: &ColType,
    ctx: &Ctx,
) -> Option<Gen> {
    let elem_ty = match ty {
        ColType::Array(e) => (**e).clone(),
        ColType::Json => ColType::Json,
        other => {
            r.error(
                node_pos(value),
                format!(
                    "`array` fills array or json columns, but the column is {}",
                    other.describe()
                ),
            );
            return None;
        }
    };
    let ctx = &ctx.nested(r, node_pos(value))?;
    let (min, max) = match map.get_node("length") {
        Some(n) => bounded_count(r, n, MAX_ARRAY_LENGTH, "length")?,
        None => (1, 3),
    };
    let element = match decode(r, value, &elem_ty, ctx)? {
        ColumnGen { gen: Some(g), .. } => g,
        _ => {
            r.error(node_pos(value), "`array` needs an element generator");
            return None;
        }
    };
    Some(Gen::Array {
        element: Box::new(element),
        min,
        max,
    })
}
