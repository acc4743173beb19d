//! CSV text → [`Value`] for a column of the live table, before the COPY
//! encoder's own checks (ranges, `numeric(p,s)`, `varchar(n)`, enum
//! labels, NUL bytes, JSON). A field that does not convert is the row's
//! reject reason.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::copy::{Kind, Value};

/// The text of a field, or why it cannot be read.
pub fn utf8(field: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(field)
        .map_err(|e| format!("invalid UTF-8 at byte {} of the field", e.valid_up_to() + 1))
}

/// Whether the field is a NULL marker: empty (also `""`, which the CSV
/// parser reads as empty) or `\N`.
pub fn is_null(field: &str) -> bool {
    field.is_empty() || field == "\\N"
}

/// Convert one non-NULL field. Non-text kinds are trimmed first; a field
/// that is blank after trimming is NULL.
pub fn value(field: &str, kind: &Kind) -> Result<Value, String> {
    if matches!(kind, Kind::Text { .. } | Kind::Name | Kind::Other) {
        return Ok(Value::Text(field.to_string()));
    }
    let s = field.trim();
    if s.is_empty() {
        return Ok(Value::Null);
    }
    let bad = |what: &str| format!("{s:?} is not {what}");
    Ok(match kind {
        Kind::Bool => Value::Bool(boolean(s).ok_or_else(|| bad("a boolean"))?),
        Kind::Int2 | Kind::Int4 | Kind::Int8 => {
            Value::Int(s.parse::<i64>().map_err(|_| bad("an integer"))?)
        }
        Kind::Float4 | Kind::Float8 => Value::Float(float(s).ok_or_else(|| bad("a number"))?),
        Kind::Date => match infinity(s) {
            Some(v) => v,
            None => Value::Date(date(s).ok_or_else(|| bad("a date (YYYY-MM-DD)"))?),
        },
        Kind::Timestamp => match infinity(s) {
            Some(v) => v,
            None => Value::Timestamp(
                timestamp(s).ok_or_else(|| bad("a timestamp (YYYY-MM-DD[ HH:MM[:SS[.f]]])"))?,
            ),
        },
        Kind::TimestampTz => match infinity(s) {
            Some(v) => v,
            None => Value::TimestampTz(timestamptz(s).ok_or_else(|| {
                bad("a timestamp with time zone (YYYY-MM-DD HH:MM:SS[.f][+HH[:MM]|Z])")
            })?),
        },
        Kind::Time => Value::Time(time(s).ok_or_else(|| bad("a time (HH:MM[:SS[.f]])"))?),
        Kind::Bytea => Value::Bytes(bytea(s).ok_or_else(|| bad("bytea hex (\\x…)"))?),
        // Checked by the encoder: numeric syntax and typmod, UUID syntax,
        // JSON syntax, enum labels.
        Kind::Numeric(_) | Kind::Uuid | Kind::Json | Kind::Jsonb | Kind::Enum(_) => {
            Value::Text(s.to_string())
        }
        Kind::Array { .. } => return Err("array columns are not supported by import yet".into()),
        Kind::Text { .. } | Kind::Name | Kind::Other => Value::Text(field.to_string()),
    })
}

fn boolean(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" | "on" => Some(true),
        "false" | "f" | "no" | "n" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// Decimal floats and PostgreSQL's `NaN`, `Infinity`, `-Infinity`.
fn float(s: &str) -> Option<f64> {
    let ok = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    match s.to_ascii_lowercase().as_str() {
        "nan" => Some(f64::NAN),
        "infinity" | "+infinity" | "inf" => Some(f64::INFINITY),
        "-infinity" | "-inf" => Some(f64::NEG_INFINITY),
        _ if ok => s.parse().ok(),
        _ => None,
    }
}

/// `infinity` / `-infinity` go to the encoder as text (it knows them).
fn infinity(s: &str) -> Option<Value> {
    (s.eq_ignore_ascii_case("infinity") || s.eq_ignore_ascii_case("-infinity"))
        .then(|| Value::Text(s.to_ascii_lowercase()))
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()
}

/// ISO dates and date-times, `T` or space separated, no offset.
fn timestamp(s: &str) -> Option<NaiveDateTime> {
    if let Some((t, None)) = super::iso::datetime(s) {
        return Some(t);
    }
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| date(s).map(|d| d.and_time(NaiveTime::MIN)))
}

/// ISO date-times with an offset (`Z`, `+02`, `+0200`, `+02:00`); without
/// one the value is taken as UTC (not the server's TimeZone setting).
fn timestamptz(s: &str) -> Option<DateTime<Utc>> {
    if let Some((t, offset)) = super::iso::datetime(s) {
        let east = chrono::Duration::seconds(offset.unwrap_or(0).into());
        return t.checked_sub_signed(east).map(|t| t.and_utc());
    }
    if let Some(t) = timestamp(s.strip_suffix('Z').unwrap_or(s)) {
        return Some(t.and_utc());
    }
    let with_t = s.replacen(' ', "T", 1);
    // `+02` alone: chrono wants minutes.
    let padded = match with_t.rfind(['+', '-']) {
        Some(i) if i > 10 && with_t.len() - i == 3 => format!("{with_t}:00"),
        _ => with_t,
    };
    [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(&padded, f).ok())
    .map(|t| t.with_timezone(&Utc))
}

/// `\x` hex (PostgreSQL's bytea output format).
fn bytea(s: &str) -> Option<Vec<u8>> {
    let hex = s.strip_prefix("\\x")?.as_bytes();
    if hex.len() % 2 != 0 {
        return None;
    }
    hex.chunks(2)
        .map(|p| {
            let d = |c: u8| (c as char).to_digit(16);
            Some((d(p[0])? * 16 + d(p[1])?) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(value(" Yes ", &Kind::Bool), Ok(Value::Bool(true)));
        assert_eq!(value("N", &Kind::Bool), Ok(Value::Bool(false)));
        assert!(value("maybe", &Kind::Bool).is_err());
        assert_eq!(value(" 42 ", &Kind::Int4), Ok(Value::Int(42)));
        assert!(value("4.2", &Kind::Int4).is_err());
        assert!(value("1e3x", &Kind::Float8).is_err());
        assert_eq!(value("  ", &Kind::Int4), Ok(Value::Null));
        assert_eq!(
            value(" a ", &Kind::Text { max_chars: None }),
            Ok(Value::Text(" a ".into()))
        );
        assert!(value("2024-02-30", &Kind::Date).is_err());
        assert!(matches!(
            value("2024-02-03 04:05:06", &Kind::Timestamp),
            Ok(Value::Timestamp(_))
        ));
        let tz = value("2024-02-03 04:05:06+02", &Kind::TimestampTz).unwrap();
        assert_eq!(
            tz,
            value("2024-02-03T02:05:06Z", &Kind::TimestampTz).unwrap()
        );
        assert_eq!(
            value("\\x00ff", &Kind::Bytea),
            Ok(Value::Bytes(vec![0, 255]))
        );
        assert!(utf8(b"a\xffb").is_err());
        assert!(is_null("\\N") && is_null("") && !is_null("NULL"));
    }
}
