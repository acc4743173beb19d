//! CSV text → [`Value`] for a column of the live table, before the COPY
//! encoder's own checks (ranges, `numeric(p,s)`, `varchar(n)`, enum
//! labels, NUL bytes, JSON). A field that does not convert is the row's
//! reject reason.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::reader::Encoding;
use crate::copy::{parse_uuid, Kind, Value};

/// Per-column parsing options of an import spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parse {
    /// chrono `strftime` formats tried (in order) before the ISO ones, for
    /// dates, times and timestamps (also array elements).
    pub formats: Vec<String>,
    /// Arrays: elements split on this instead of `{…}` / `[…]` syntax.
    pub separator: Option<String>,
}

/// The text of a field, or why it cannot be read.
pub fn utf8(field: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(field)
        .map_err(|e| format!("invalid UTF-8 at byte {} of the field", e.valid_up_to() + 1))
}

/// The text of a field in the input's encoding. windows-1252 (what the
/// WHATWG `latin1` label means) maps every byte, so it never fails.
pub fn decode(field: &[u8], encoding: Encoding) -> Result<Cow<'_, str>, String> {
    match encoding {
        Encoding::Utf8 => utf8(field).map(Cow::Borrowed),
        Encoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(field)
            .0),
    }
}

/// Whether the field is a NULL marker: empty (also `""`, which the CSV
/// parser reads as empty) or `\N`.
pub fn is_null(field: &str) -> bool {
    field.is_empty() || field == "\\N"
}

/// Convert one non-NULL field. Non-text kinds are trimmed first; a field
/// that is blank after trimming is NULL.
pub fn value(field: &str, kind: &Kind) -> Result<Value, String> {
    value_with(field, kind, &Parse::default())
}

/// `str::trim`, skipped when both ends are plain ASCII (the common case:
/// the Unicode-aware trim costs more than the rest of an integer's parse).
fn trim(field: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let bytes = field.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        field
    } else {
        field.trim()
    }
}

/// [`value`] with a column's parsing options.
pub fn value_with(field: &str, kind: &Kind, p: &Parse) -> Result<Value, String> {
    if let Kind::Array { elem, .. } = kind {
        return array(field, elem, p);
    }
    if matches!(kind, Kind::Text { .. } | Kind::Name | Kind::Other) {
        return Ok(Value::Text(field.to_string()));
    }
    let s = trim(field);
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
        Kind::Date | Kind::Timestamp | Kind::TimestampTz | Kind::Time if !p.formats.is_empty() => {
            match infinity(s).or_else(|| formatted(s, kind, &p.formats)) {
                Some(v) => v,
                None => value(s, kind)
                    .map_err(|_| bad(&format!("in the format {}", p.formats.join(" or "))))?,
            }
        }
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
        // Parsed here: no text to allocate, carry and free per field.
        Kind::Uuid => Value::Uuid(parse_uuid(s).ok_or_else(|| bad("a UUID"))?),
        // Checked by the encoder: numeric syntax and typmod, JSON syntax,
        // enum labels.
        Kind::Numeric(_) | Kind::Json | Kind::Jsonb | Kind::Enum(_) => Value::Text(s.to_string()),
        Kind::Array { .. } => unreachable!("handled above"),
        Kind::Text { .. } | Kind::Name | Kind::Other => Value::Text(field.to_string()),
    })
}

/// A date/time in one of the column's `format:`s. A timestamp format
/// without a time part reads a date (midnight); a `timestamptz` format
/// without an offset reads UTC.
fn formatted(s: &str, kind: &Kind, formats: &[String]) -> Option<Value> {
    formats.iter().find_map(|f| match kind {
        Kind::Date => NaiveDate::parse_from_str(s, f)
            .ok()
            .filter(ad)
            .map(Value::Date),
        Kind::Time => NaiveTime::parse_from_str(s, f).ok().map(Value::Time),
        Kind::Timestamp => naive(s, f).map(Value::Timestamp),
        _ => DateTime::parse_from_str(s, f)
            .ok()
            .filter(ad)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| naive(s, f).map(|t| t.and_utc()))
            .map(Value::TimestampTz),
    })
}

fn naive(s: &str, f: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, f)
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, f)
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
        .filter(ad)
}

/// An array field: `separator`-split when the column sets one, else a
/// PostgreSQL literal `{a,"b c",NULL}` or a JSON array `["a", null]`.
/// Each element converts like a field of the element type.
fn array(field: &str, elem: &Kind, p: &Parse) -> Result<Value, String> {
    let s = field.trim();
    let items: Vec<Option<String>> = if let Some(sep) = &p.separator {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(sep.as_str())
                .map(|e| Some(e.trim().to_string()))
                .collect()
        }
    } else if s.starts_with('{') {
        pg_array(s).ok_or_else(|| {
            format!("{s:?} is not an array literal (unbalanced quotes or braces, or nested)")
        })?
    } else if s.starts_with('[') {
        json_array(s)?
    } else {
        return Err(format!(
            "{s:?} is not an array ({{a,b}}, [\"a\",\"b\"], or set `array: {{separator: …}}`)"
        ));
    };
    let plain = Parse {
        formats: p.formats.clone(),
        separator: None,
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        out.push(match item {
            None => Value::Null,
            Some(t) => {
                value_with(&t, elem, &plain).map_err(|e| format!("element {}: {e}", i + 1))?
            }
        });
    }
    Ok(Value::Array(out))
}

/// `{a, "b,c", NULL, "NULL"}` → elements (`None` for an unquoted NULL).
fn pg_array(s: &str) -> Option<Vec<Option<String>>> {
    let inner = s.strip_prefix('{')?.strip_suffix('}')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut cur = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => cur.push(chars.next()?),
                    '"' => break,
                    c => cur.push(c),
                }
            }
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if matches!(c, '{' | '}' | '"') {
                    return None;
                }
                if c == '\\' {
                    chars.next();
                    cur.push(chars.next()?);
                    continue;
                }
                cur.push(c);
                chars.next();
            }
            cur = cur.trim().to_string();
        }
        out.push((quoted || !cur.eq_ignore_ascii_case("null")).then_some(cur));
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// `["a", 1, null]` → elements; numbers and booleans keep their text.
fn json_array(s: &str) -> Result<Vec<Option<String>>, String> {
    let v: serde_json::Value =
        serde_json::from_str(s).map_err(|e| format!("{s:?} is not a JSON array: {e}"))?;
    let serde_json::Value::Array(items) = v else {
        return Err(format!("{s:?} is not a JSON array"));
    };
    items
        .into_iter()
        .map(|i| match i {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(t) => Ok(Some(t)),
            serde_json::Value::Number(n) => Ok(Some(n.to_string())),
            serde_json::Value::Bool(b) => Ok(Some(b.to_string())),
            _ => Err(format!(
                "{s:?}: nested arrays and objects are not supported"
            )),
        })
        .collect()
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
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(ad)
}

/// A written year PostgreSQL reads: 1 or later (there is no year 0; BC
/// dates are written `… BC`, which these formats do not read). chrono
/// would take `0000` as 1 BC.
fn ad(d: &impl Datelike) -> bool {
    d.year() >= 1
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
        .filter(ad)
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
    .filter(ad)
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
        // No year 0 (chrono would read 1 BC; PostgreSQL refuses it).
        for kind in [Kind::Date, Kind::Timestamp, Kind::TimestampTz] {
            assert!(value("0000-01-01", &kind).is_err(), "{kind:?}");
            assert!(value("0000-01-01 10:00:00", &kind).is_err(), "{kind:?}");
        }
        assert!(value("0001-01-01", &Kind::Date).is_ok());
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

    #[test]
    fn arrays() {
        let ints = Kind::Int4;
        let arr = |s: &str, sep: Option<&str>| {
            let p = Parse {
                formats: vec![],
                separator: sep.map(str::to_string),
            };
            array(s, &ints, &p)
        };
        let want = Value::Array(vec![Value::Int(1), Value::Null, Value::Int(3)]);
        assert_eq!(arr("{1, NULL ,3}", None), Ok(want.clone()));
        assert_eq!(arr("[1, null, \"3\"]", None), Ok(want));
        assert_eq!(
            arr("1;2", Some(";")),
            Ok(Value::Array(vec![Value::Int(1), Value::Int(2)]))
        );
        assert_eq!(arr("{}", None), Ok(Value::Array(vec![])));
        assert!(arr("1,2", None).is_err());
        assert!(arr("{1,x}", None).is_err());
        assert_eq!(
            pg_array(r#"{"a,b","say \"hi\"",NULL,"NULL"}"#),
            Some(vec![
                Some("a,b".into()),
                Some("say \"hi\"".into()),
                None,
                Some("NULL".into())
            ])
        );
        assert_eq!(pg_array("{a,{b}}"), None);
        assert_eq!(pg_array("{\"a}"), None);
    }

    #[test]
    fn formats() {
        let p = Parse {
            formats: vec!["%d/%m/%Y %H:%M".into(), "%d/%m/%Y".into()],
            separator: None,
        };
        let ts = |s: &str| value_with(s, &Kind::Timestamp, &p);
        assert_eq!(
            ts("03/02/2024 04:05"),
            value("2024-02-03 04:05", &Kind::Timestamp)
        );
        assert_eq!(ts("03/02/2024"), value("2024-02-03", &Kind::Timestamp));
        assert_eq!(ts("2024-02-03"), value("2024-02-03", &Kind::Timestamp));
        assert!(ts("31/02/2024").is_err());
        assert_eq!(
            value_with("03/02/2024", &Kind::Date, &p),
            value("2024-02-03", &Kind::Date)
        );
        let latin = decode(b"caf\xe9", Encoding::Windows1252).unwrap();
        assert_eq!(latin, "café");
    }
}
