//! One cell of a row on its way to COPY: the contract between the
//! producers (seed generators, CSV validation) and the COPY encoder.
//!
//! Values are typed the way the producers think (an integer, a date, a
//! JSON document), not the way the column is declared: the encoder checks
//! and narrows (`Int` into an `int2` column is range-checked, `Int` into
//! `numeric` is exact), so producers need not know every PostgreSQL type.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    Bool(bool),
    /// Any integer column (`int2`/`int4`/`int8`, also `numeric`, `float*`).
    Int(i64),
    /// `float4`/`float8` (and `numeric` when finite).
    Float(f64),
    /// `numeric` as exact decimal text, e.g. `"-12.340"` (no exponent).
    Numeric(String),
    /// Text-like columns (`text`, `varchar`, `char`, `citext`, `name`),
    /// enum labels, and the text input form of any other type. Also
    /// accepted: decimal text for `numeric`, UUID text for `uuid`, JSON
    /// text for `json`/`jsonb` (all checked), and `infinity` /
    /// `-infinity` for `date`, `timestamp`, `timestamptz`.
    Text(String),
    /// `bytea`.
    Bytes(Vec<u8>),
    /// `uuid`, 16 bytes in network order.
    Uuid([u8; 16]),
    Date(NaiveDate),
    Time(NaiveTime),
    /// `timestamp without time zone`.
    Timestamp(NaiveDateTime),
    /// `timestamp with time zone`.
    TimestampTz(DateTime<Utc>),
    /// `json`/`jsonb`.
    Json(serde_json::Value),
    /// One-dimensional array; elements are values of the element type.
    Array(Vec<Value>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}
