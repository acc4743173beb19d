//! Value generators: what fills one column (or one JSON field, one array
//! element, one template slot).
//!
//! A [`Gen`] is built once, when the profile is loaded (see `spec`), and
//! is then a pure function of a random stream and a row index: no state,
//! so any thread can generate any row.

pub mod defaults;
pub mod fake;
mod fast;
mod own;
mod ranges;
pub mod spec;
pub mod template;

use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::RngExt;

pub use self::fake::{Family, Locale};
use crate::copy::Value;
use crate::seed::coltype::{text_form, to_json, Kind};
use crate::seed::rng::SeedRng;
pub use template::{Filter, Part};

/// Generators of our own, for families `fake` lacks (or gates behind
/// heavy features).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Own {
    Url,
    DomainName,
    Color,
    HexColor,
    RgbColor,
    Slug,
}

pub const OWN: &[(&str, Own)] = &[
    ("url", Own::Url),
    ("domain_name", Own::DomainName),
    ("color", Own::Color),
    ("colour", Own::Color),
    ("hex_color", Own::HexColor),
    ("rgb_color", Own::RgbColor),
    ("slug", Own::Slug),
];

#[derive(Clone, Debug)]
pub enum Gen {
    Fake {
        family: Family,
        locale: Locale,
        /// Inclusive count range of counted families (`words`, …).
        count: (usize, usize),
    },
    Own(Own),
    Uuid,
    /// Uniform integers in `lo..=hi`.
    UniformInt {
        lo: i64,
        hi: i64,
    },
    /// Uniform floats in `lo..hi`.
    UniformFloat {
        lo: f64,
        hi: f64,
    },
    Normal {
        mean: f64,
        std_dev: f64,
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
    /// `one_of`, `one_of_file` and enum labels: values already converted
    /// for the column; `cumulative` weights when weighted.
    Choice {
        values: Arc<[Value]>,
        cumulative: Option<Arc<[f64]>>,
        /// What the profile said, for messages (`one_of [a, b]`).
        label: String,
    },
    /// Days `from..=from + days`.
    Date {
        from: NaiveDate,
        days: i64,
    },
    /// Seconds `from..=from + seconds`.
    Timestamp {
        from: NaiveDateTime,
        seconds: i64,
    },
    Time,
    /// `true` with probability `p`.
    Bool {
        p: f64,
    },
    /// `start + step * row`.
    Sequence {
        start: i64,
        step: i64,
    },
    Template(Vec<Part>),
    /// A JSON object: one generator per key, each with its null ratio.
    Json(Vec<(String, Gen, f64)>),
    Array {
        element: Box<Gen>,
        min: usize,
        max: usize,
    },
    Constant(Value),
    /// Random bytes, length in `min..=max`.
    Bytes {
        min: usize,
        max: usize,
    },
}

impl Gen {
    /// The value for `row`, drawing from `rng` (the cell's own stream).
    pub fn generate(&self, rng: &mut SeedRng, row: u64) -> Value {
        match self {
            Gen::Fake {
                family,
                locale,
                count,
            } => {
                if family.is_numeric() {
                    Value::Float(fake::number(*family, rng))
                } else {
                    Value::Text(fake::text(*family, *locale, *count, rng))
                }
            }
            Gen::Own(o) => Value::Text(own::generate(*o, rng)),
            Gen::Uuid => Value::Uuid(own::uuid_v4(rng)),
            Gen::UniformInt { lo, hi } => Value::Int(rng.random_range(*lo..=*hi)),
            Gen::UniformFloat { lo, hi } => Value::Float(uniform_float(*lo, *hi, rng)),
            Gen::Normal {
                mean,
                std_dev,
                min,
                max,
                integer,
            } => {
                let mut x = mean + std_dev * standard_normal(rng);
                x = x.max(min.unwrap_or(f64::MIN)).min(max.unwrap_or(f64::MAX));
                if *integer {
                    Value::Int(x.round() as i64)
                } else {
                    Value::Float(x)
                }
            }
            Gen::Choice {
                values, cumulative, ..
            } => values[pick(values.len(), cumulative.as_deref(), rng)].clone(),
            Gen::Date { from, days } => {
                Value::Date(*from + Duration::days(rng.random_range(0..=*days)))
            }
            Gen::Timestamp { from, seconds } => {
                Value::Timestamp(*from + Duration::seconds(rng.random_range(0..=*seconds)))
            }
            Gen::Time => {
                let secs = rng.random_range(0..86_400u32);
                Value::Time(
                    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)
                        .unwrap_or(NaiveTime::MIN),
                )
            }
            Gen::Bool { p } => Value::Bool(rng.random::<f64>() < *p),
            Gen::Sequence { start, step } => Value::Int(sequence_value(*start, *step, row)),
            Gen::Template(parts) => Value::Text(template::render(parts, rng, row)),
            Gen::Json(fields) => Value::Json(json_object(fields, rng, row)),
            Gen::Array { element, min, max } => {
                let n = rng.random_range(*min..=*max);
                Value::Array((0..n).map(|_| element.generate(rng, row)).collect())
            }
            Gen::Constant(v) => v.clone(),
            Gen::Bytes { min, max } => {
                let n = rng.random_range(*min..=*max);
                Value::Bytes((0..n).map(|_| rng.random::<u8>()).collect())
            }
        }
    }

    /// What the generator produces, checked against the column's type.
    pub fn kind(&self) -> Kind {
        match self {
            Gen::Fake { family, .. } if family.is_numeric() => Kind::Float,
            Gen::Fake { .. } | Gen::Own(_) | Gen::Template(_) => Kind::Text,
            Gen::Uuid => Kind::Uuid,
            Gen::UniformInt { .. } | Gen::Sequence { .. } => Kind::Int,
            Gen::Normal { integer: true, .. } => Kind::Int,
            Gen::UniformFloat { .. } | Gen::Normal { .. } => Kind::Float,
            Gen::Choice { .. } | Gen::Constant(_) => Kind::Any,
            Gen::Date { .. } => Kind::Date,
            Gen::Timestamp { .. } => Kind::Timestamp,
            Gen::Time => Kind::Time,
            Gen::Bool { .. } => Kind::Bool,
            Gen::Json(_) => Kind::Json,
            Gen::Array { element, .. } => Kind::Array(Box::new(element.kind())),
            Gen::Bytes { .. } => Kind::Bytes,
        }
    }

    /// How many distinct values the generator can produce at most, when
    /// that is small and known (for an early `unique` failure).
    pub fn cardinality(&self) -> Option<u128> {
        match self {
            // By text form (the values of one choice share a type): linear,
            // for a `one_of_file` of a million lines.
            Gen::Choice { values, .. } => {
                let seen: std::collections::HashSet<String> =
                    values.iter().map(text_form).collect();
                Some(seen.len() as u128)
            }
            Gen::UniformInt { lo, hi } => Some((*hi as i128 - *lo as i128 + 1) as u128),
            Gen::Bool { .. } => Some(2),
            Gen::Constant(_) => Some(1),
            Gen::Date { days, .. } => Some(*days as u128 + 1),
            _ => None,
        }
    }

    /// True when distinct rows always get distinct values (no need to
    /// remember values for `unique`): sequences, and UUIDv4 (122 random
    /// bits: a collision among 10⁹ rows has probability ~10⁻¹⁹).
    pub fn injective(&self) -> bool {
        match self {
            Gen::Sequence { step, .. } => *step != 0,
            Gen::Uuid => true,
            Gen::Template(parts) => parts
                .iter()
                .any(|p| matches!(p, Part::Seq { step, .. } if *step != 0)),
            _ => false,
        }
    }

    /// An upper estimate of one value's size in bytes, in its text form,
    /// from the generator's arguments (saturating). Checked against
    /// [`crate::seed::limits::MAX_VALUE_BYTES`] when the profile is loaded,
    /// and used to size batches.
    pub fn max_bytes(&self) -> u64 {
        let n = |x: usize| x as u64;
        match self {
            Gen::Fake { family, count, .. } => family.max_bytes(count.1),
            Gen::Own(_) => 256,
            Gen::Uuid => 36,
            Gen::UniformInt { .. } | Gen::Sequence { .. } => 20,
            Gen::UniformFloat { .. } | Gen::Normal { .. } => 32,
            Gen::Choice { values, .. } => values
                .iter()
                .map(|v| n(text_form(v).len()))
                .max()
                .unwrap_or(0),
            Gen::Date { .. } | Gen::Time => 16,
            Gen::Timestamp { .. } => 32,
            Gen::Bool { .. } => 5,
            Gen::Template(parts) => parts
                .iter()
                .map(template::max_bytes)
                .fold(0, u64::saturating_add),
            // Keys and values quoted, a value's text escaped (×2 covers
            // quotes and backslashes; rare control characters aside).
            Gen::Json(fields) => fields
                .iter()
                .map(|(k, g, _)| (n(k.len()) + 6).saturating_add(g.max_bytes().saturating_mul(2)))
                .fold(2, u64::saturating_add),
            Gen::Array { element, max, .. } => element
                .max_bytes()
                .saturating_add(4)
                .saturating_mul(n(*max))
                .saturating_add(2),
            Gen::Constant(v) => n(text_form(v).len()),
            // Hex in the text form: `\x` and two digits a byte.
            Gen::Bytes { max, .. } => n(*max).saturating_mul(2).saturating_add(2),
        }
    }

    /// Short description for messages: `one_of [a, b]`, `uniform [1, 10]`.
    pub fn describe(&self) -> String {
        match self {
            Gen::Fake { family, .. } => family.name().to_string(),
            Gen::Own(o) => OWN
                .iter()
                .find(|(_, x)| x == o)
                .map(|(n, _)| n.to_string())
                .unwrap_or_default(),
            Gen::Uuid => "uuid".into(),
            Gen::UniformInt { lo, hi } => format!("uniform [{lo}, {hi}]"),
            Gen::UniformFloat { lo, hi } => format!("uniform [{lo}, {hi}]"),
            Gen::Normal { mean, std_dev, .. } => format!("normal (mean {mean}, std_dev {std_dev})"),
            Gen::Choice { label, .. } => label.clone(),
            Gen::Date { from, days } => format!("date [{from}, {}]", *from + Duration::days(*days)),
            Gen::Timestamp { from, seconds } => {
                format!(
                    "timestamp [{from}, {}]",
                    *from + Duration::seconds(*seconds)
                )
            }
            Gen::Time => "time".into(),
            Gen::Bool { p } => format!("bool {p}"),
            Gen::Sequence { start, step } => format!("sequence (start {start}, step {step})"),
            Gen::Template(parts) => format!("template \"{}\"", template::source(parts)),
            Gen::Json(_) => "json".into(),
            Gen::Array { element, .. } => format!("array of {}", element.describe()),
            Gen::Constant(v) => format!("constant {}", text_form(v)),
            Gen::Bytes { .. } => "bytes".into(),
        }
    }
}

/// `start + step × row`, clamped to the i64 range instead of wrapping
/// (a bigint column then holds its largest value, as any integer column
/// clamps to its type's range; see docs/seed-format.md).
pub fn sequence_value(start: i64, step: i64, row: u64) -> i64 {
    let v = i128::from(start) + i128::from(step) * i128::from(row);
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// A uniform float in `lo..hi`. `lo + (hi - lo) × u` overflows to infinity
/// when the span passes f64::MAX (`[-1e308, 1e308]`); such spans are
/// interpolated from both ends instead (the usual form is kept for the
/// others, so their values stay what they were).
fn uniform_float(lo: f64, hi: f64, rng: &mut SeedRng) -> f64 {
    let u = rng.random::<f64>();
    let span = hi - lo;
    if span.is_finite() {
        lo + span * u
    } else {
        lo * (1.0 - u) + hi * u
    }
}

/// Index of a choice: uniform, or by cumulative weight.
fn pick(n: usize, cumulative: Option<&[f64]>, rng: &mut SeedRng) -> usize {
    match cumulative {
        None => rng.random_range(0..n),
        Some(cum) => {
            let total = cum.last().copied().unwrap_or(1.0);
            let x = rng.random::<f64>() * total;
            cum.partition_point(|c| *c <= x).min(n - 1)
        }
    }
}

/// Box–Muller: one standard normal deviate from two uniforms.
fn standard_normal(rng: &mut SeedRng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]: ln is finite
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn json_object(fields: &[(String, Gen, f64)], rng: &mut SeedRng, row: u64) -> serde_json::Value {
    let mut map = serde_json::Map::with_capacity(fields.len());
    for (key, gen, null_ratio) in fields {
        // The null draw is always made so that a field's ratio does not
        // shift the draws of the fields after it.
        let is_null = rng.random::<f64>() < *null_ratio;
        let v = gen.generate(rng, row);
        // A "null" field is left out, as documents leave out what they
        // lack (`skills ? 'cleaning'` then means something); an explicit
        // JSON null is `{constant: null}`.
        if !is_null {
            map.insert(key.clone(), to_json(&v));
        }
    }
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_fields_drawn_null_are_left_out() {
        let fields = vec![
            ("always".to_string(), Gen::Constant(Value::Int(1)), 0.0),
            ("never".to_string(), Gen::Constant(Value::Int(2)), 1.0),
        ];
        for row in 0..20 {
            let mut rng = crate::seed::rng::cell_rng(7, row, 0);
            let doc = json_object(&fields, &mut rng, row);
            assert_eq!(doc, serde_json::json!({"always": 1}));
        }
    }
}
