//! Checks and conversions from a [`Value`] to what a column [`Kind`]
//! accepts, shared by the binary and text encoders so both refuse the same
//! rows before they reach the server. Errors are the reason text only; the
//! encoders add the column name.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::numeric::Numeric;
use super::{value_kind, Value};

pub(crate) type Check<T> = Result<T, String>;

pub(crate) fn expected(what: &str, v: &Value) -> String {
    format!("expected {what}, got {}", value_kind(v))
}

/// An integer for a column holding `[min, max]` (`int2`, `int4`, `int8`).
pub(crate) fn int(v: &Value, min: i64, max: i64, ty: &str) -> Check<i64> {
    match v {
        Value::Int(i) if (min..=max).contains(i) => Ok(*i),
        Value::Int(i) => Err(format!("{i} is out of range for type {ty}")),
        _ => Err(expected("an integer", v)),
    }
}

pub(crate) fn float8(v: &Value) -> Check<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        _ => Err(expected("a number", v)),
    }
}

/// `f64` → `f32`, refusing finite values that would become infinite.
pub(crate) fn float4(v: &Value) -> Check<f32> {
    let f = float8(v)?;
    let g = f as f32;
    if f.is_finite() && g.is_infinite() {
        return Err(format!("{f} is out of range for type real"));
    }
    Ok(g)
}

pub(crate) fn numeric(v: &Value, typmod: Option<(i32, i32)>) -> Check<Numeric> {
    let n = match v {
        Value::Numeric(s) | Value::Text(s) => Numeric::parse(s)?,
        Value::Int(i) => Numeric::from_i64(*i),
        Value::Float(f) => Numeric::from_f64(*f),
        _ => return Err(expected("a number", v)),
    };
    n.fit(typmod)
}

/// Text without NUL bytes (PostgreSQL cannot store them), at most
/// `max_chars` characters. Like PostgreSQL, excess characters that are all
/// spaces are cut off rather than refused.
pub(crate) fn text(v: &Value, max_chars: Option<usize>) -> Check<&str> {
    let Value::Text(s) = v else {
        return Err(expected("text", v));
    };
    no_nul(s)?;
    match max_chars {
        // Bytes ≥ characters: short strings need no counting.
        Some(n) if s.len() > n => match s.char_indices().nth(n) {
            None => Ok(s),
            Some((cut, _)) if s[cut..].bytes().all(|b| b == b' ') => Ok(&s[..cut]),
            Some(_) => Err(format!(
                "value too long: {} characters, the column allows {n}",
                s.chars().count()
            )),
        },
        _ => Ok(s),
    }
}

pub(crate) fn no_nul(s: &str) -> Check<()> {
    if s.as_bytes().contains(&0) {
        return Err("text contains a NUL byte (0x00), which PostgreSQL cannot store".into());
    }
    Ok(())
}

/// `name`: at most 63 bytes.
pub(crate) fn name(v: &Value) -> Check<&str> {
    let s = text(v, None)?;
    if s.len() > 63 {
        return Err(format!("{s:?} is longer than 63 bytes (type name)"));
    }
    Ok(s)
}

pub(crate) fn enum_label<'a>(v: &'a Value, labels: &[String]) -> Check<&'a str> {
    let s = text(v, None)?;
    if !labels.iter().any(|l| l == s) {
        return Err(format!(
            "{s:?} is not one of the enum's labels ({})",
            labels.join(", ")
        ));
    }
    Ok(s)
}

pub(crate) fn uuid(v: &Value) -> Check<[u8; 16]> {
    match v {
        Value::Uuid(u) => Ok(*u),
        Value::Text(s) => parse_uuid(s).ok_or_else(|| format!("{s:?} is not a UUID")),
        _ => Err(expected("a uuid", v)),
    }
}

/// What PostgreSQL's `uuid_in` reads: 32 hex digits, optionally in
/// braces, a hyphen allowed after any group of four digits but the last
/// (so `a0eebc99-9c0b-…`, `a0eebc999c0b…`, `{a0ee-bc99-…}`); surrounding
/// blanks are trimmed (CSV fields). No allocation: this runs once per uuid
/// field of an import.
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    if let Some(u) = canonical_uuid(s.as_bytes()) {
        return Some(u);
    }
    let s = s.trim();
    let b = s
        .strip_prefix('{')
        .map(|t| t.strip_suffix('}'))
        .unwrap_or(Some(s))?
        .as_bytes();
    let mut out = [0u8; 16];
    let mut i = 0;
    for (n, byte) in out.iter_mut().enumerate() {
        *byte = hex_digit(*b.get(i)?)? << 4 | hex_digit(*b.get(i + 1)?)?;
        i += 2;
        if n % 2 == 1 && n < 15 && b.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    (i == b.len()).then_some(out)
}

/// The usual 8-4-4-4-12 form, read without a pass to drop the hyphens.
fn canonical_uuid(b: &[u8]) -> Option<[u8; 16]> {
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let mut out = [0u8; 16];
    let mut i = 0;
    for byte in &mut out {
        if matches!(i, 8 | 13 | 18 | 23) {
            i += 1;
        }
        *byte = hex_digit(b[i])? << 4 | hex_digit(b[i + 1])?;
        i += 2;
    }
    Some(out)
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `Value::Text("infinity")` / `("-infinity")` for a date or timestamp
/// column: `Some(true)` / `Some(false)`.
pub(crate) fn infinity(v: &Value) -> Option<bool> {
    match v {
        Value::Text(s) if s.eq_ignore_ascii_case("infinity") => Some(true),
        Value::Text(s) if s.eq_ignore_ascii_case("-infinity") => Some(false),
        _ => None,
    }
}

/// Days from 0001-01-01 (day 1) to 2000-01-01, PostgreSQL's epoch.
const EPOCH_DAYS_FROM_CE: i32 = 730_120;
/// PostgreSQL's lower bound, 4714-11-24 BC (Julian day 0), as days and
/// microseconds from its epoch.
const MIN_DATE_DAYS: i64 = -2_451_545;
const MIN_TIMESTAMP_US: i64 = -211_813_488_000_000_000;
const EPOCH_UNIX_US: i64 = 946_684_800_000_000;

pub(crate) fn date(v: &Value) -> Check<NaiveDate> {
    match v {
        Value::Date(d) => {
            date_days(*d)?;
            Ok(*d)
        }
        _ => Err(expected("a date", v)),
    }
}

/// Days since 2000-01-01.
pub(crate) fn date_days(d: NaiveDate) -> Check<i32> {
    let days = d.num_days_from_ce_i32() - EPOCH_DAYS_FROM_CE;
    if (days as i64) < MIN_DATE_DAYS {
        return Err(format!("date {d} is out of range (before 4714-11-24 BC)"));
    }
    Ok(days)
}

trait DaysFromCe {
    fn num_days_from_ce_i32(&self) -> i32;
}

impl DaysFromCe for NaiveDate {
    fn num_days_from_ce_i32(&self) -> i32 {
        chrono::Datelike::num_days_from_ce(self)
    }
}

pub(crate) fn time(v: &Value) -> Check<NaiveTime> {
    match v {
        Value::Time(t) => Ok(*t),
        _ => Err(expected("a time", v)),
    }
}

/// Microseconds since midnight (a leap second counts as 59.999999).
pub(crate) fn time_micros(t: NaiveTime) -> i64 {
    t.num_seconds_from_midnight() as i64 * 1_000_000 + (t.nanosecond() / 1000).min(999_999) as i64
}

pub(crate) fn timestamp(v: &Value) -> Check<NaiveDateTime> {
    match v {
        Value::Timestamp(t) => {
            ts_micros(t)?;
            Ok(*t)
        }
        _ => Err(expected("a timestamp", v)),
    }
}

pub(crate) fn timestamptz(v: &Value) -> Check<NaiveDateTime> {
    match v {
        Value::TimestampTz(t) => {
            ts_micros(&t.naive_utc())?;
            Ok(t.naive_utc())
        }
        _ => Err(expected("a timestamptz", v)),
    }
}

/// Microseconds since 2000-01-01 00:00:00 (sub-microsecond digits are
/// truncated).
pub(crate) fn ts_micros(t: &NaiveDateTime) -> Check<i64> {
    let us = t.and_utc().timestamp_micros() - EPOCH_UNIX_US;
    if us < MIN_TIMESTAMP_US {
        return Err(format!(
            "timestamp {t} is out of range (before 4714-11-24 BC)"
        ));
    }
    Ok(us)
}

/// JSON text. `jsonb` cannot hold `\u0000`; `json` keeps the text as is.
pub(crate) fn json(v: &Value, jsonb: bool) -> Check<Cow<'_, str>> {
    let text: Cow<str> = match v {
        Value::Json(j) => Cow::Owned(j.to_string()),
        Value::Text(s) => {
            serde_json::from_str::<serde::de::IgnoredAny>(s)
                .map_err(|e| format!("invalid JSON: {e}"))?;
            Cow::Borrowed(s.as_str())
        }
        _ => return Err(expected("JSON", v)),
    };
    json_text_ok(&text, jsonb)?;
    Ok(text)
}

/// `jsonb` cannot hold `\u0000`; no JSON text may hold a raw NUL byte.
pub(crate) fn json_text_ok(text: &str, jsonb: bool) -> Check<()> {
    if jsonb && has_nul_escape(text.as_bytes()) {
        return Err(JSONB_NUL.into());
    }
    no_nul(text)
}

pub(crate) const JSONB_NUL: &str = "jsonb cannot hold \\u0000 in a string";

/// Whether JSON text holds the escape `\u0000` (not `\\u0000`, an
/// escaped backslash followed by `u0000`).
pub(crate) fn has_nul_escape(json: &[u8]) -> bool {
    let mut i = 0;
    while let Some(off) = json[i..].iter().position(|&b| b == b'\\') {
        let at = i + off;
        if json[at + 1..].starts_with(b"u0000") {
            return true;
        }
        i = at + 2; // skip the escaped character
        if i >= json.len() {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_constants() {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert_eq!(date_days(epoch), Ok(0));
        let min = NaiveDate::from_ymd_opt(-4713, 11, 24).unwrap();
        assert_eq!(date_days(min), Ok(MIN_DATE_DAYS as i32));
        assert_eq!(
            ts_micros(&min.and_hms_opt(0, 0, 0).unwrap()),
            Ok(MIN_TIMESTAMP_US)
        );
        assert!(date_days(min.pred_opt().unwrap()).is_err());
    }

    #[test]
    fn varchar_limits() {
        let v = Value::Text("héllo".into());
        assert_eq!(text(&v, Some(5)), Ok("héllo"));
        assert!(text(&v, Some(4)).is_err());
        assert_eq!(text(&Value::Text("ab   ".into()), Some(2)), Ok("ab"));
        assert!(text(&Value::Text("a\0b".into()), None).is_err());
    }

    #[test]
    fn jsonb_nul_escapes() {
        assert!(has_nul_escape(br#""a\u0000b""#));
        assert!(!has_nul_escape(br#""a\\u0000b""#));
        assert!(has_nul_escape(br#""\\\u0000""#));
        assert!(!has_nul_escape(br#""\n""#));
        assert!(!has_nul_escape(br#"\"#));
    }

    #[test]
    fn uuids() {
        let u = parse_uuid("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}").unwrap();
        assert_eq!(u[0], 0xa0);
        assert_eq!(u[15], 0x11);
        assert!(parse_uuid("a0eebc99").is_none());
        let canonical = parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").unwrap();
        assert_eq!(canonical, u);
        assert!(parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g").is_none());
        // Hyphens after groups of four digits only, as uuid_in.
        assert_eq!(
            parse_uuid("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"),
            Some(u)
        );
        assert_eq!(parse_uuid("a0eebc999c0b4ef8bb6d6bb9bd380a11"), Some(u));
        assert!(parse_uuid("a0eebc999-c0b-4ef8-bb6d-6bb9bd380a11").is_none());
        assert!(parse_uuid("-a0eebc99-9c0b4ef8bb6d6bb9bd380a11-").is_none());
        assert!(parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-").is_none());
        assert!(parse_uuid("a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11").is_none());
        assert!(parse_uuid("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").is_none());
    }
}
