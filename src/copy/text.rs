//! COPY text-format rows, the fallback for tables with a column type that
//! has no binary encoder here (ranges, geometric, inet, interval, money,
//! bit, xml, tsvector, composite types, …). Fields are the types' input
//! text, separated by tabs, rows end with `\n`, NULL is `\N`, and
//! backslash, tab, newline and carriage return are backslash-escaped.
//!
//! Columns of known kinds get the same checks as in binary format; for
//! the others, `Value::Text` is passed through as the type's input form
//! and the server parses it.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::check::{self, Check};
use super::columns::{ColumnInfo, Kind};
use super::numeric::Numeric;
use super::{EncodeError, Value};

/// Append one row; on error `buf` may hold a partial row (the caller
/// truncates it).
pub(crate) fn encode_row(
    buf: &mut Vec<u8>,
    columns: &[ColumnInfo],
    row: &[Value],
) -> Result<(), EncodeError> {
    let mut scratch = String::new();
    for (i, (col, v)) in columns.iter().zip(row).enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        if v.is_null() {
            if col.not_null {
                return Err(value_error(col, "NULL in a NOT NULL column".into()));
            }
            buf.extend_from_slice(b"\\N");
            continue;
        }
        scratch.clear();
        render(&mut scratch, &col.kind, v).map_err(|reason| value_error(col, reason))?;
        escape(buf, &scratch);
    }
    buf.push(b'\n');
    Ok(())
}

fn value_error(col: &ColumnInfo, reason: String) -> EncodeError {
    EncodeError::Value {
        column: col.name.clone(),
        reason: format!("{reason} (type {})", col.type_name),
    }
}

/// COPY text escaping of one field.
fn escape(buf: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

/// The input text of a non-NULL value for a column of `kind`.
fn render(out: &mut String, kind: &Kind, v: &Value) -> Check<()> {
    if let (Kind::Date | Kind::Timestamp | Kind::TimestampTz, Some(up)) = (kind, check::infinity(v))
    {
        out.push_str(if up { "infinity" } else { "-infinity" });
        return Ok(());
    }
    match kind {
        Kind::Bool => match v {
            Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            _ => return Err(check::expected("a boolean", v)),
        },
        Kind::Int2 => push(
            out,
            check::int(v, i16::MIN as i64, i16::MAX as i64, "smallint")?,
        ),
        Kind::Int4 => push(
            out,
            check::int(v, i32::MIN as i64, i32::MAX as i64, "integer")?,
        ),
        Kind::Int8 => push(out, check::int(v, i64::MIN, i64::MAX, "bigint")?),
        Kind::Float4 => float(out, check::float4(v)? as f64, true),
        Kind::Float8 => float(out, check::float8(v)?, false),
        Kind::Numeric(typmod) => check::numeric(v, *typmod)?.write_text(out),
        Kind::Text { max_chars } => out.push_str(check::text(v, *max_chars)?),
        Kind::Name => out.push_str(check::name(v)?),
        Kind::Enum(labels) => out.push_str(check::enum_label(v, labels)?),
        Kind::Bytea => match v {
            Value::Bytes(b) => bytea(out, b),
            _ => return Err(check::expected("bytes", v)),
        },
        Kind::Uuid => uuid(out, &check::uuid(v)?),
        Kind::Date => date(out, check::date(v)?),
        Kind::Time => time(out, check::time(v)?),
        Kind::Timestamp => timestamp(out, &check::timestamp(v)?, ""),
        Kind::TimestampTz => timestamp(out, &check::timestamptz(v)?, "+00"),
        Kind::Json => out.push_str(&check::json(v, false)?),
        Kind::Jsonb => out.push_str(&check::json(v, true)?),
        Kind::Array { elem, .. } => match v {
            Value::Array(items) => array(out, items, |o, item| render(o, elem, item))?,
            _ => return Err(check::expected("an array", v)),
        },
        Kind::Other => generic(out, v)?,
    }
    Ok(())
}

/// A value for a type this module does not know: its natural text form.
fn generic(out: &mut String, v: &Value) -> Check<()> {
    match v {
        Value::Null => out.push_str("NULL"),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Int(i) => push(out, i),
        Value::Float(f) => float(out, *f, false),
        Value::Numeric(s) => Numeric::parse(s)?.write_text(out),
        Value::Text(s) => {
            check::no_nul(s)?;
            out.push_str(s)
        }
        Value::Bytes(b) => bytea(out, b),
        Value::Uuid(u) => uuid(out, u),
        Value::Date(d) => date(out, *d),
        Value::Time(t) => time(out, *t),
        Value::Timestamp(t) => timestamp(out, t, ""),
        Value::TimestampTz(t) => timestamp(out, &t.naive_utc(), "+00"),
        Value::Json(_) => out.push_str(&check::json(v, false)?),
        Value::Array(items) => array(out, items, generic)?,
    }
    Ok(())
}

fn push(out: &mut String, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

/// PostgreSQL's spelling of the special values; Rust's shortest
/// round-trip text otherwise (`f32` printed as `f32` so `0.1` stays `0.1`).
fn float(out: &mut String, f: f64, single: bool) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else if single {
        push(out, f as f32);
    } else {
        push(out, f);
    }
}

fn bytea(out: &mut String, b: &[u8]) {
    out.push_str("\\x");
    for byte in b {
        let _ = write!(out, "{byte:02x}");
    }
}

fn uuid(out: &mut String, u: &[u8; 16]) {
    for (i, byte) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
}

/// ISO date; years ≤ 0 are written with `BC` as PostgreSQL expects
/// (year 0 is 1 BC).
fn date(out: &mut String, d: NaiveDate) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}",
        bc_year(d.year()),
        d.month(),
        d.day()
    );
    if d.year() <= 0 {
        out.push_str(" BC");
    }
}

fn bc_year(y: i32) -> i32 {
    if y <= 0 {
        1 - y
    } else {
        y
    }
}

fn time(out: &mut String, t: NaiveTime) {
    let us = check::time_micros(t);
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}.{:06}",
        t.hour(),
        t.minute(),
        us / 1_000_000 % 60,
        us % 1_000_000
    );
}

fn timestamp(out: &mut String, t: &NaiveDateTime, zone: &str) {
    let d = t.date();
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} ",
        bc_year(d.year()),
        d.month(),
        d.day()
    );
    time(out, t.time());
    out.push_str(zone);
    if d.year() <= 0 {
        out.push_str(" BC");
    }
}

/// An array literal: `{a,"b c",NULL}`; every element is quoted, so only
/// `"` and `\` need escaping inside.
fn array(
    out: &mut String,
    items: &[Value],
    mut render: impl FnMut(&mut String, &Value) -> Check<()>,
) -> Check<()> {
    out.push('{');
    let mut elem = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => out.push_str("NULL"),
            Value::Array(_) => return Err("nested arrays are not supported".into()),
            _ => {
                elem.clear();
                render(&mut elem, item).map_err(|e| format!("element {}: {e}", i + 1))?;
                out.push('"');
                for c in elem.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
    Ok(())
}
