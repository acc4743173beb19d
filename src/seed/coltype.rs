//! A column's type as the generators see it, parsed from the model's
//! `data_type` text, and the narrowing of generated values onto it.
//!
//! Generators produce values the way they think (an `Int`, a `Float`, a
//! `Text`); [`coerce`] makes them fit the column: `varchar(n)` is truncated
//! to `n` characters, `numeric(p,s)` is rounded to `s` digits and clamped to
//! what `p` allows, integers are clamped to the type's range, dates widen to
//! timestamps, anything becomes JSON for `json`/`jsonb`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::copy::Value;
use crate::model::{Database, QualifiedName};

#[derive(Clone, Debug, PartialEq)]
pub enum ColType {
    /// `text`, `varchar(n)`, `char(n)`, `citext`, `name`: at most `max`
    /// characters.
    Text {
        max: Option<usize>,
    },
    /// `smallint`/`integer`/`bigint`, with the type's bounds.
    Int {
        min: i64,
        max: i64,
    },
    /// `numeric(p,s)`; `None` = unconstrained.
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Float,
    Bool,
    Uuid,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Json,
    Bytes,
    /// A user enum: its labels in sort order.
    Enum {
        name: QualifiedName,
        labels: Vec<String>,
    },
    Array(Box<ColType>),
    /// A range (`int4range`, `daterange`, a user range type) or, with
    /// `multi`, its multirange: values in their text form.
    Range {
        subtype: Box<ColType>,
        multi: bool,
    },
    /// Any other type (`inet`, `interval`, `money`, …): values go in their
    /// text input form.
    Other(String),
}

/// What a generator produces, for the load-time compatibility check.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Text,
    Int,
    Float,
    Bool,
    Uuid,
    Date,
    Time,
    Timestamp,
    Json,
    Bytes,
    Array(Box<Kind>),
    /// Literals already converted for the column (`one_of`, `constant`).
    Any,
}

impl ColType {
    /// Parse `format_type` text (catalog models) or the user's spelling
    /// (spec models: `int4`, `varchar(20)`, `timestamptz`).
    pub fn parse(data_type: &str, db: &Database) -> ColType {
        let t = data_type.trim();
        if let Some(elem) = t.strip_suffix("[]") {
            return ColType::Array(Box::new(ColType::parse(elem, db)));
        }
        let lower = t.to_ascii_lowercase();
        let (base, args) = split_args(&lower);
        let base = base.trim().trim_start_matches("pg_catalog.");
        match base {
            "text" | "citext" | "name" | "bpchar" => ColType::Text { max: None },
            "character varying" | "varchar" | "character" | "char" => ColType::Text {
                max: args.first().copied().map(|n| n as usize).or(match base {
                    "character" | "char" => Some(1),
                    _ => None,
                }),
            },
            "smallint" | "int2" | "smallserial" | "serial2" => {
                int(i16::MIN.into(), i16::MAX.into())
            }
            "integer" | "int" | "int4" | "serial" | "serial4" => {
                int(i32::MIN.into(), i32::MAX.into())
            }
            "bigint" | "int8" | "bigserial" | "serial8" => int(i64::MIN, i64::MAX),
            "numeric" | "decimal" => ColType::Numeric {
                precision: args.first().copied(),
                scale: args.get(1).copied().or(args.first().map(|_| 0)),
            },
            "real" | "float4" | "double precision" | "float8" | "float" => ColType::Float,
            "boolean" | "bool" => ColType::Bool,
            "uuid" => ColType::Uuid,
            "date" => ColType::Date,
            "json" | "jsonb" => ColType::Json,
            "bytea" => ColType::Bytes,
            _ if base.starts_with("timestamp") => {
                if base.contains("with time zone") || base == "timestamptz" {
                    ColType::TimestampTz
                } else {
                    ColType::Timestamp
                }
            }
            _ if base.starts_with("time")
                && !base.contains("with time zone")
                && base != "timetz" =>
            {
                ColType::Time
            }
            _ => match find_enum(t, db) {
                Some((name, labels)) => ColType::Enum { name, labels },
                None => super::domains::parse_other(t, base, db),
            },
        }
    }

    /// Whether a generator producing `kind` can fill this column.
    pub fn accepts(&self, kind: &Kind) -> bool {
        use Kind as K;
        match (self, kind) {
            (_, K::Any) => true,
            (ColType::Text { .. } | ColType::Json | ColType::Other(_), _) => true,
            (ColType::Range { .. }, K::Text) => true,
            (ColType::Int { .. } | ColType::Numeric { .. } | ColType::Float, K::Int | K::Float) => {
                true
            }
            (ColType::Bool, K::Bool) | (ColType::Uuid, K::Uuid) => true,
            (ColType::Date | ColType::Timestamp | ColType::TimestampTz, K::Date | K::Timestamp) => {
                true
            }
            (ColType::Time, K::Time | K::Timestamp) => true,
            (ColType::Bytes, K::Bytes | K::Text) => true,
            // Enums take literals only (`one_of`, `constant`, files): labels are checked.
            (ColType::Enum { .. }, _) => false,
            (ColType::Array(e), K::Array(k)) => e.accepts(k),
            _ => false,
        }
    }

    /// Human name for messages.
    pub fn describe(&self) -> String {
        match self {
            ColType::Text { max: Some(n) } => format!("varchar({n})"),
            ColType::Text { max: None } => "text".into(),
            ColType::Int { .. } => "an integer type".into(),
            ColType::Numeric { .. } => "numeric".into(),
            ColType::Float => "a floating-point type".into(),
            ColType::Bool => "boolean".into(),
            ColType::Uuid => "uuid".into(),
            ColType::Date => "date".into(),
            ColType::Time => "time".into(),
            ColType::Timestamp => "timestamp".into(),
            ColType::TimestampTz => "timestamptz".into(),
            ColType::Json => "json".into(),
            ColType::Bytes => "bytea".into(),
            ColType::Enum { name, .. } => format!("enum {name}"),
            ColType::Array(e) => format!("{}[]", e.describe()),
            ColType::Other(t) => t.clone(),
            ColType::Range { subtype, multi } => format!(
                "a {}range of {}",
                if *multi { "multi" } else { "" },
                subtype.describe()
            ),
        }
    }
}

impl Kind {
    pub fn describe(&self) -> String {
        match self {
            Kind::Array(k) => format!("arrays of {}", k.describe()),
            Kind::Any => "literal values".into(),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

fn int(min: i64, max: i64) -> ColType {
    ColType::Int { min, max }
}

/// `numeric(10, 3)` → (`numeric`, [10, 3]); `timestamp(3) with time zone`
/// → (`timestamp with time zone`, [3]).
fn split_args(t: &str) -> (String, Vec<u32>) {
    match (t.find('('), t.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let args = t[open + 1..close]
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            let base = format!("{}{}", &t[..open], &t[close + 1..]);
            (base.split_whitespace().collect::<Vec<_>>().join(" "), args)
        }
        _ => (t.to_string(), Vec::new()),
    }
}

/// The enum a type name denotes, read as SQL (`format_type` text, or a
/// spec's type once resolved): schema-qualified (`public.job_status`,
/// `"App"."Status"`) or bare (first match in schema order).
fn find_enum(t: &str, db: &Database) -> Option<(QualifiedName, Vec<String>)> {
    let parts = crate::pg::ident::parse_sql_name(t)?;
    let hit = match parts.as_slice() {
        [schema, name] => db.enums.get(&QualifiedName::new(schema, name)),
        [name] => db.enums.values().find(|e| &e.name.name == name),
        _ => None,
    }?;
    Some((hit.name.clone(), hit.values.clone()))
}

/// Make a generated value fit the column. Errors only for values no
/// generator validated for this column should produce (a bad literal that
/// slipped through, text that is not a UUID).
pub fn coerce(v: Value, ty: &ColType) -> Result<Value, String> {
    if v.is_null() {
        return Ok(v);
    }
    Ok(match ty {
        // Text moves through without a copy: this is the hot path.
        ColType::Text { max } => match v {
            Value::Text(s) => Value::Text(truncate(s, *max)),
            other => Value::Text(truncate(text_form(&other), *max)),
        },
        ColType::Enum { .. } | ColType::Other(_) | ColType::Range { .. } => match v {
            Value::Text(_) => v,
            other => Value::Text(text_form(&other)),
        },
        ColType::Int { min, max } => Value::Int(to_i64(&v)?.clamp(*min, *max)),
        ColType::Numeric { precision, scale } => numeric(&v, *precision, *scale)?,
        ColType::Float => Value::Float(to_f64(&v)?),
        ColType::Bool => match v {
            Value::Bool(_) => v,
            Value::Int(i) => Value::Bool(i != 0),
            other => Value::Bool(parse_text(&other, "a boolean", |s| match s {
                "true" | "t" | "yes" | "1" => Some(true),
                "false" | "f" | "no" | "0" => Some(false),
                _ => None,
            })?),
        },
        ColType::Uuid => match v {
            Value::Uuid(_) => v,
            other => Value::Uuid(parse_text(&other, "a UUID", parse_uuid)?),
        },
        ColType::Date => Value::Date(to_timestamp(&v)?.date()),
        ColType::Timestamp => Value::Timestamp(to_timestamp(&v)?),
        ColType::TimestampTz => Value::TimestampTz(to_timestamp(&v)?.and_utc()),
        ColType::Time => match v {
            Value::Time(_) => v,
            other => Value::Time(to_timestamp(&other)?.time()),
        },
        ColType::Json => Value::Json(to_json(&v)),
        ColType::Bytes => match v {
            Value::Bytes(_) => v,
            other => Value::Bytes(text_form(&other).into_bytes()),
        },
        ColType::Array(elem) => match v {
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(|i| coerce(i, elem))
                    .collect::<Result<_, _>>()?,
            ),
            other => Value::Array(vec![coerce(other, elem)?]),
        },
    })
}

fn truncate(s: String, max: Option<usize>) -> String {
    match max {
        // Byte length bounds the character count: skip counting when short.
        Some(n) if s.len() > n && s.chars().count() > n => s.chars().take(n).collect(),
        _ => s,
    }
}

fn parse_text<T>(v: &Value, what: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    let text = text_form(v);
    parse(text.trim()).ok_or_else(|| format!("{text:?} is not {what}"))
}

fn to_i64(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        // `as` saturates: huge floats land on the bounds, then clamp.
        Value::Float(f) => Ok(f.round() as i64),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => parse_text(other, "an integer", |s| {
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(|f| f.round() as i64))
        }),
    }
}

fn to_f64(v: &Value) -> Result<f64, String> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        other => parse_text(other, "a number", |s| s.parse::<f64>().ok()),
    }
}

/// Round to the scale and clamp to the largest magnitude the precision
/// allows (`numeric(5,2)` holds at most 999.99).
fn numeric(v: &Value, precision: Option<u32>, scale: Option<u32>) -> Result<Value, String> {
    if let (Value::Int(i), None) = (v, precision) {
        return Ok(Value::Numeric(i.to_string()));
    }
    let mut f = to_f64(v)?;
    if !f.is_finite() {
        return Err(format!("{f} does not fit numeric"));
    }
    if let Some(p) = precision {
        let s = scale.unwrap_or(0);
        let limit = 10f64.powi(p as i32 - s as i32) - 10f64.powi(-(s as i32));
        f = f.clamp(-limit, limit);
    }
    Ok(Value::Numeric(match scale {
        Some(s) => fixed(f, s),
        None => format!("{f}"),
    }))
}

/// `f` with exactly `scale` decimals. Integer formatting of the scaled
/// value is several times faster than `{:.2}` float formatting; values
/// too large for it take the float path.
fn fixed(f: f64, scale: u32) -> String {
    let factor = 10f64.powi(scale as i32);
    let scaled = (f * factor).round();
    if scale == 0 || scale > 9 || scaled.abs() >= 9.0e15 {
        return format!("{f:.*}", scale as usize);
    }
    let n = scaled as i64;
    let unit = 10i64.pow(scale);
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (
        n.unsigned_abs() / unit as u64,
        n.unsigned_abs() % unit as u64,
    );
    format!("{sign}{whole}.{frac:0width$}", width = scale as usize)
}

fn to_timestamp(v: &Value) -> Result<NaiveDateTime, String> {
    match v {
        Value::Timestamp(t) => Ok(*t),
        Value::TimestampTz(t) => Ok(t.naive_utc()),
        Value::Date(d) => Ok(d.and_time(NaiveTime::MIN)),
        other => parse_text(other, "a date or timestamp", parse_datetime),
    }
}

/// `2024-05-01`, `2024-05-01 12:00:00`, `2024-05-01T12:00:00`.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().trim_end_matches('Z');
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
}

pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

pub fn format_uuid(b: &[u8; 16]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// The value as text: what a template slot or a text column receives.
pub fn text_form(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Numeric(s) | Value::Text(s) => s.clone(),
        Value::Bytes(b) => format!(
            "\\x{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
        Value::Uuid(u) => format_uuid(u),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Time(t) => t.format("%H:%M:%S%.f").to_string(),
        Value::Timestamp(t) => t.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        Value::TimestampTz(t) => t.format("%Y-%m-%d %H:%M:%S%.f+00").to_string(),
        Value::Json(j) => j.to_string(),
        Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect()).to_string()
        }
    }
}

/// The value inside a JSON document.
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::Numeric(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(J::Number)
            .unwrap_or_else(|| J::String(s.clone())),
        Value::Json(j) => j.clone(),
        Value::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Timestamp(t) => J::String(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::TimestampTz(t) => J::String(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        other => J::String(text_form(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(t: &str) -> ColType {
        ColType::parse(t, &Database::default())
    }

    #[test]
    fn parses_catalog_and_user_spellings() {
        assert_eq!(
            ty("character varying(320)"),
            ColType::Text { max: Some(320) }
        );
        assert_eq!(ty("varchar(20)"), ColType::Text { max: Some(20) });
        assert_eq!(
            ty("numeric(10,3)"),
            ColType::Numeric {
                precision: Some(10),
                scale: Some(3)
            }
        );
        assert_eq!(ty("timestamp(3) with time zone"), ColType::TimestampTz);
        assert_eq!(ty("timestamp without time zone"), ColType::Timestamp);
        assert_eq!(ty("time without time zone"), ColType::Time);
        assert_eq!(
            ty("smallint"),
            ColType::Int {
                min: -32768,
                max: 32767
            }
        );
        assert_eq!(
            ty("text[]"),
            ColType::Array(Box::new(ColType::Text { max: None }))
        );
        assert_eq!(ty("inet"), ColType::Other("inet".into()));
    }

    #[test]
    fn coerces_to_the_column() {
        let v = coerce(Value::Text("abcdef".into()), &ty("varchar(3)")).unwrap();
        assert_eq!(v, Value::Text("abc".into()));
        let v = coerce(Value::Float(12345.678), &ty("numeric(5,2)")).unwrap();
        assert_eq!(v, Value::Numeric("999.99".into()));
        let v = coerce(Value::Float(12.345), &ty("numeric(10,1)")).unwrap();
        assert_eq!(v, Value::Numeric("12.3".into()));
        assert_eq!(fixed(-0.05, 2), "-0.05");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(7.0, 3), "7.000");
        assert_eq!(fixed(123.456, 0), "123");
        assert_eq!(
            coerce(Value::Int(70000), &ty("smallint")).unwrap(),
            Value::Int(32767)
        );
        assert!(coerce(Value::Text("x".into()), &ty("uuid")).is_err());
        let d = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        assert!(matches!(
            coerce(Value::Date(d), &ty("timestamptz")).unwrap(),
            Value::TimestampTz(_)
        ));
    }
}
