//! A target table's columns as COPY needs them: the wire type of each
//! column after resolving domains, its typmod limits, enum labels and array
//! element type.
//!
//! `catalog` describes columns by `format_type` text (what `diff` compares);
//! COPY needs OIDs and receive functions instead, so this is a separate,
//! small query run once per loaded table.

use tokio_postgres::Client;

use super::CopyError;
use crate::model::QualifiedName;

/// How a column's values travel on the wire: chosen by the base type's
/// receive function, which is what decides the binary format (an extension
/// type such as `citext` reuses `text`'s format under its own name).
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    /// `numeric(precision, scale)`; `None` when unconstrained.
    Numeric(Option<(i32, i32)>),
    /// `text`, `citext`; `varchar(n)` / `char(n)` carry `max_chars`.
    Text {
        max_chars: Option<usize>,
    },
    /// `name`: at most 63 bytes.
    Name,
    Bytea,
    Uuid,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Json,
    Jsonb,
    /// Enum labels in sort order.
    Enum(Vec<String>),
    /// One-dimensional array; `elem_oid` is what the array header names.
    Array {
        elem_oid: u32,
        elem: Box<Kind>,
    },
    /// No binary encoder here (ranges, geometric, inet, interval, …): the
    /// table loads in text format and the server parses the value.
    Other,
}

impl Kind {
    /// Whether the binary encoder handles this kind.
    pub fn binary(&self) -> bool {
        match self {
            Kind::Other => false,
            Kind::Array { elem, .. } => elem.binary(),
            _ => true,
        }
    }
}

/// One column of the target table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    pub attnum: i16,
    pub type_oid: u32,
    /// `format_type` text, for messages (`character varying(20)`).
    pub type_name: String,
    pub kind: Kind,
    /// `NOT NULL` on the column or on its domain.
    pub not_null: bool,
    pub has_default: bool,
    /// `GENERATED … AS IDENTITY` (`'a'` always, `'d'` by default).
    pub identity: Option<char>,
    /// `GENERATED ALWAYS AS (…) STORED`: cannot be loaded.
    pub generated: bool,
}

/// The columns of a table, in `attnum` order.
#[derive(Debug, Clone, PartialEq)]
pub struct TableInfo {
    pub name: QualifiedName,
    pub columns: Vec<ColumnInfo>,
}

impl TableInfo {
    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }
}

fn query_err(context: String) -> impl FnOnce(tokio_postgres::Error) -> CopyError {
    move |source| CopyError::Query { context, source }
}

/// Read `table`'s columns (dropped columns excluded).
pub async fn table_info(client: &Client, table: &QualifiedName) -> Result<TableInfo, CopyError> {
    let rows = client
        .query(
            "SELECT a.attname, a.attnum, a.atttypid, a.atttypmod, a.attnotnull, a.atthasdef,
                    a.attidentity::text, a.attgenerated::text,
                    format_type(a.atttypid, a.atttypmod)
               FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
                AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum",
            &[&table.schema, &table.name],
        )
        .await
        .map_err(query_err(format!("reading the columns of {table}")))?;
    if rows.is_empty() {
        return Err(CopyError::NoTable(table.clone()));
    }
    let mut columns = Vec::with_capacity(rows.len());
    for r in &rows {
        let type_oid: u32 = r.get(2);
        let resolved = resolve(client, type_oid, r.get(3)).await?;
        let identity: String = r.get(6);
        let generated: String = r.get(7);
        columns.push(ColumnInfo {
            name: r.get(0),
            attnum: r.get(1),
            type_oid,
            type_name: r.get(8),
            kind: resolved.kind,
            not_null: r.get::<_, bool>(4) || resolved.domain_not_null,
            has_default: r.get(5),
            identity: identity.chars().next(),
            generated: !generated.is_empty(),
        });
    }
    Ok(TableInfo {
        name: table.clone(),
        columns,
    })
}

struct Resolved {
    kind: Kind,
    domain_not_null: bool,
}

/// Follow domains to their base type and classify it. A domain's own typmod
/// (`CREATE DOMAIN d AS varchar(10)`) applies when the column has none.
async fn resolve(client: &Client, mut oid: u32, mut typmod: i32) -> Result<Resolved, CopyError> {
    let mut domain_not_null = false;
    // Domains nest; PostgreSQL forbids cycles, the bound is only a guard.
    for _ in 0..32 {
        let r = client
            .query_one(
                "SELECT typtype::text, typbasetype, typtypmod, typnotnull, typelem,
                        typreceive::text
                   FROM pg_type WHERE oid = $1",
                &[&oid],
            )
            .await
            .map_err(query_err(format!("reading type {oid}")))?;
        let typtype: String = r.get(0);
        if typtype == "d" {
            domain_not_null |= r.get::<_, bool>(3);
            if typmod < 0 {
                typmod = r.get(2);
            }
            oid = r.get(1);
            continue;
        }
        let receive: String = r.get(5);
        let kind = if receive == "array_recv" {
            let elem_oid: u32 = r.get(4);
            // Element kinds never nest further: arrays are one-dimensional.
            let elem = Box::pin(resolve(client, elem_oid, typmod)).await?.kind;
            Kind::Array {
                elem_oid,
                elem: Box::new(elem),
            }
        } else if typtype == "e" {
            Kind::Enum(enum_labels(client, oid).await?)
        } else {
            scalar_kind(&receive, typmod)
        };
        return Ok(Resolved {
            kind,
            domain_not_null,
        });
    }
    Ok(Resolved {
        kind: Kind::Other,
        domain_not_null,
    })
}

async fn enum_labels(client: &Client, oid: u32) -> Result<Vec<String>, CopyError> {
    let rows = client
        .query(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder",
            &[&oid],
        )
        .await
        .map_err(query_err(format!("reading the labels of enum {oid}")))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Classify a base type by its receive function; `typmod` as PostgreSQL
/// stores it (`VARHDRSZ` = 4 added).
fn scalar_kind(receive: &str, typmod: i32) -> Kind {
    let chars = || (typmod >= 4).then(|| (typmod - 4) as usize);
    match receive {
        "boolrecv" => Kind::Bool,
        "int2recv" => Kind::Int2,
        "int4recv" => Kind::Int4,
        "int8recv" => Kind::Int8,
        "float4recv" => Kind::Float4,
        "float8recv" => Kind::Float8,
        "numeric_recv" => Kind::Numeric(numeric_typmod(typmod)),
        "textrecv" | "citextrecv" => Kind::Text { max_chars: None },
        "varcharrecv" | "bpcharrecv" => Kind::Text { max_chars: chars() },
        "namerecv" => Kind::Name,
        "bytearecv" => Kind::Bytea,
        "uuid_recv" => Kind::Uuid,
        "date_recv" => Kind::Date,
        "time_recv" => Kind::Time,
        "timestamp_recv" => Kind::Timestamp,
        "timestamptz_recv" => Kind::TimestampTz,
        "json_recv" => Kind::Json,
        "jsonb_recv" => Kind::Jsonb,
        _ => Kind::Other,
    }
}

/// `numeric(p, s)` from its typmod (PostgreSQL 15 allows a negative scale,
/// stored as an 11-bit two's complement).
fn numeric_typmod(typmod: i32) -> Option<(i32, i32)> {
    if typmod < 4 {
        return None;
    }
    let t = typmod - 4;
    let precision = (t >> 16) & 0xffff;
    let scale = ((t & 0x7ff) ^ 1024) - 1024;
    Some((precision, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_typmods() {
        // numeric(10,2): ((10 << 16) | 2) + 4
        assert_eq!(numeric_typmod((10 << 16 | 2) + 4), Some((10, 2)));
        assert_eq!(numeric_typmod(-1), None);
        // numeric(5,-2): scale stored as 0x7fe
        assert_eq!(numeric_typmod((5 << 16 | 0x7fe) + 4), Some((5, -2)));
    }
}
