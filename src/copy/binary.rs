//! COPY BINARY rows: a 16-bit field count, then per field a 32-bit length
//! (-1 for NULL) and the type's `*_send` bytes. The file header and trailer
//! are the loader's (see `load.rs`), so encoded rows concatenate freely.

use super::check::{self, Check};
use super::columns::{ColumnInfo, Kind};
use super::{EncodeError, Value};

/// `PGCOPY\n\377\r\n\0`, flags 0, no header extension.
pub const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// A field count of -1 ends the data.
pub const TRAILER: &[u8] = &[0xff, 0xff];

/// Append one row; on error `buf` may hold a partial row (the caller
/// truncates it).
pub(crate) fn encode_row(
    buf: &mut Vec<u8>,
    columns: &[ColumnInfo],
    row: &[Value],
) -> Result<(), EncodeError> {
    buf.extend_from_slice(&(columns.len() as i16).to_be_bytes());
    for (col, v) in columns.iter().zip(row) {
        if v.is_null() {
            if col.not_null {
                return Err(value_error(col, "NULL in a NOT NULL column".into()));
            }
            buf.extend_from_slice(&(-1i32).to_be_bytes());
            continue;
        }
        field(buf, &col.kind, v).map_err(|reason| value_error(col, reason))?;
    }
    Ok(())
}

fn value_error(col: &ColumnInfo, reason: String) -> EncodeError {
    EncodeError::Value {
        column: col.name.clone(),
        reason: format!("{reason} (type {})", col.type_name),
    }
}

/// Append a length-prefixed, non-NULL field.
fn field(buf: &mut Vec<u8>, kind: &Kind, v: &Value) -> Check<()> {
    if let (Kind::Date | Kind::Timestamp | Kind::TimestampTz, Some(up)) = (kind, check::infinity(v))
    {
        // PostgreSQL's infinities are the extreme values of the type.
        match (kind, up) {
            (Kind::Date, true) => fixed(buf, &i32::MAX.to_be_bytes()),
            (Kind::Date, false) => fixed(buf, &i32::MIN.to_be_bytes()),
            (_, true) => fixed(buf, &i64::MAX.to_be_bytes()),
            (_, false) => fixed(buf, &i64::MIN.to_be_bytes()),
        }
        return Ok(());
    }
    match kind {
        Kind::Bool => match v {
            Value::Bool(b) => fixed(buf, &[*b as u8]),
            _ => return Err(check::expected("a boolean", v)),
        },
        Kind::Int2 => {
            let i = check::int(v, i16::MIN as i64, i16::MAX as i64, "smallint")?;
            fixed(buf, &(i as i16).to_be_bytes())
        }
        Kind::Int4 => {
            let i = check::int(v, i32::MIN as i64, i32::MAX as i64, "integer")?;
            fixed(buf, &(i as i32).to_be_bytes())
        }
        Kind::Int8 => fixed(
            buf,
            &check::int(v, i64::MIN, i64::MAX, "bigint")?.to_be_bytes(),
        ),
        Kind::Float4 => fixed(buf, &check::float4(v)?.to_be_bytes()),
        Kind::Float8 => fixed(buf, &check::float8(v)?.to_be_bytes()),
        Kind::Numeric(typmod) => {
            let n = check::numeric(v, *typmod)?;
            variable(buf, |b| n.write_binary(b));
        }
        Kind::Text { max_chars } => fixed(buf, check::text(v, *max_chars)?.as_bytes()),
        Kind::Name => fixed(buf, check::name(v)?.as_bytes()),
        Kind::Enum(labels) => fixed(buf, check::enum_label(v, labels)?.as_bytes()),
        Kind::Bytea => match v {
            Value::Bytes(b) => fixed(buf, b),
            _ => return Err(check::expected("bytes", v)),
        },
        Kind::Uuid => fixed(buf, &check::uuid(v)?),
        Kind::Date => fixed(buf, &check::date_days(check::date(v)?)?.to_be_bytes()),
        Kind::Time => fixed(buf, &check::time_micros(check::time(v)?).to_be_bytes()),
        Kind::Timestamp => fixed(buf, &check::ts_micros(&check::timestamp(v)?)?.to_be_bytes()),
        Kind::TimestampTz => fixed(
            buf,
            &check::ts_micros(&check::timestamptz(v)?)?.to_be_bytes(),
        ),
        Kind::Json => json(buf, v, false)?,
        Kind::Jsonb => json(buf, v, true)?,
        Kind::Array { elem_oid, elem } => array(buf, *elem_oid, elem, v)?,
        // CopyTarget picks text format for these; never reached.
        Kind::Other => return Err("no binary encoder for this type".into()),
    }
    Ok(())
}

/// JSON documents are serialised straight into the buffer (no temporary
/// string per value), then checked in place.
fn json(buf: &mut Vec<u8>, v: &Value, jsonb: bool) -> Check<()> {
    let Value::Json(doc) = v else {
        let text = check::json(v, jsonb)?;
        variable(buf, |b| {
            if jsonb {
                b.push(1); // jsonb binary format version
            }
            b.extend_from_slice(text.as_bytes());
        });
        return Ok(());
    };
    let at = buf.len();
    variable(buf, |b| {
        if jsonb {
            b.push(1);
        }
        // Writing to a Vec cannot fail; serde_json's map keys are strings.
        let _ = serde_json::to_writer(&mut *b, doc);
    });
    // serde_json escapes control characters: no raw NUL can appear.
    if jsonb && check::has_nul_escape(&buf[at + 4..]) {
        return Err(check::JSONB_NUL.into());
    }
    Ok(())
}

fn fixed(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
    buf.extend_from_slice(bytes);
}

/// Write a field whose length is known only once written: reserve the
/// length, write, patch it.
fn variable(buf: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>)) {
    let at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    write(buf);
    let len = (buf.len() - at - 4) as i32;
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
}

/// `array_send`: ndim, has-nulls flag, element OID, per dimension length
/// and lower bound (1), then each element as a length-prefixed field.
fn array(buf: &mut Vec<u8>, elem_oid: u32, elem: &Kind, v: &Value) -> Check<()> {
    let Value::Array(items) = v else {
        return Err(check::expected("an array", v));
    };
    let at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    let ndim: i32 = if items.is_empty() { 0 } else { 1 };
    let has_nulls = items.iter().any(Value::is_null) as i32;
    buf.extend_from_slice(&ndim.to_be_bytes());
    buf.extend_from_slice(&has_nulls.to_be_bytes());
    buf.extend_from_slice(&elem_oid.to_be_bytes());
    if ndim == 1 {
        buf.extend_from_slice(&(items.len() as i32).to_be_bytes());
        buf.extend_from_slice(&1i32.to_be_bytes());
    }
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Null => buf.extend_from_slice(&(-1i32).to_be_bytes()),
            Value::Array(_) => return Err("nested arrays are not supported".into()),
            _ => field(buf, elem, item).map_err(|e| format!("element {}: {e}", i + 1))?,
        }
    }
    let len = (buf.len() - at - 4) as i32;
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}
