//! The history table, shared with refinery: same table, columns and
//! checksum, so an application embedding the same files with refinery sees
//! the same state. Its `version` column is refinery's default `int4`, or
//! `int8` as refinery writes it with its `int8-versions` feature
//! ([`VersionColumn`], chosen in strata.yaml; see docs/decisions.md).

use std::hash::{Hash, Hasher};

use tokio_postgres::GenericClient;

use crate::db::DbError;
use crate::migrations::{VersionColumn, HISTORY_TABLE};

/// refinery's DDL for its history table, with `column` for the version.
pub fn ddl(column: VersionColumn) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\
         version {} PRIMARY KEY, name VARCHAR(255), \
         applied_on VARCHAR(255), checksum VARCHAR(255))",
        column.name().to_uppercase()
    )
}

/// refinery's checksum: SipHash-1-3 over the name, the version and the
/// SQL, hashed the way `std::hash::Hash` feeds them. The version is fed as
/// refinery's `SchemaVersion`: `i32`, or `i64` with `int8-versions`, so
/// the checksum depends on the layout.
pub fn checksum(name: &str, version: i64, sql: &str, column: VersionColumn) -> u64 {
    let mut h = siphasher::sip::SipHasher13::new();
    name.hash(&mut h);
    match column {
        // Callers hold versions the column fits (`migrations::list`).
        VersionColumn::Int4 => (version as i32).hash(&mut h),
        VersionColumn::Int8 => version.hash(&mut h),
    }
    sql.hash(&mut h);
    h.finish()
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub applied_on: String,
    pub checksum: String,
}

fn query_err(context: &str) -> impl Fn(tokio_postgres::Error) -> DbError + '_ {
    move |source| DbError::Query {
        context: context.to_string(),
        source,
    }
}

/// Create the table unless it exists.
pub async fn ensure(client: &impl GenericClient, column: VersionColumn) -> Result<(), DbError> {
    client
        .batch_execute(&ddl(column))
        .await
        .map_err(query_err("creating the migration history table"))
}

/// The type of the existing table's version column: `None` when there is
/// no table, `Err` naming the type when it is neither int4 nor int8.
pub async fn column(
    client: &impl GenericClient,
) -> Result<Option<Result<VersionColumn, String>>, DbError> {
    let row = client
        .query_opt(
            &format!(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
                 WHERE attrelid = to_regclass('{HISTORY_TABLE}') AND attname = 'version' \
                 AND NOT attisdropped"
            ),
            &[],
        )
        .await
        .map_err(query_err(
            "reading the type of the history table's version column",
        ))?;
    Ok(row.map(|r| match r.get::<_, String>(0).as_str() {
        "integer" => Ok(VersionColumn::Int4),
        "bigint" => Ok(VersionColumn::Int8),
        other => Err(other.to_string()),
    }))
}

/// Applied migrations in version order.
pub async fn applied(client: &impl GenericClient) -> Result<Vec<Applied>, DbError> {
    let rows = client
        .query(
            &format!(
                "SELECT version::int8, COALESCE(name, ''), COALESCE(applied_on, ''), \
                 COALESCE(checksum, '') FROM {HISTORY_TABLE} ORDER BY version"
            ),
            &[],
        )
        .await
        .map_err(query_err("reading the migration history"))?;
    Ok(rows
        .iter()
        .map(|r| Applied {
            version: r.get(0),
            name: r.get(1),
            applied_on: r.get(2),
            checksum: r.get(3),
        })
        .collect())
}

/// Record a migration as applied now (RFC 3339 UTC, as refinery writes it).
pub async fn record(
    client: &impl GenericClient,
    version: i64,
    name: &str,
    checksum: u64,
) -> Result<(), DbError> {
    client
        .execute(
            &format!(
                "INSERT INTO {HISTORY_TABLE} (version, name, applied_on, checksum) VALUES \
                 ($1::int8, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), $3)"
            ),
            &[&version, &name, &checksum.to_string()],
        )
        .await
        .map(|_| ())
        .map_err(query_err("recording the migration in the history"))
}

/// Remove a migration from the history (it was rolled back).
pub async fn forget(client: &impl GenericClient, version: i64) -> Result<(), DbError> {
    client
        .execute(
            &format!("DELETE FROM {HISTORY_TABLE} WHERE version = $1::int8"),
            &[&version],
        )
        .await
        .map(|_| ())
        .map_err(query_err("removing the migration from the history"))
}

/// Widen an `int4` version column to `int8` and re-record each row's
/// checksum as refinery's `int8-versions` computes it (`sums`: version →
/// new checksum, for every row). Run inside the caller's transaction.
pub async fn widen(client: &impl GenericClient, sums: &[(i64, u64)]) -> Result<(), DbError> {
    let err = query_err("widening the history table's version column to int8");
    client
        .batch_execute(&format!(
            "ALTER TABLE {HISTORY_TABLE} ALTER COLUMN version TYPE int8"
        ))
        .await
        .map_err(&err)?;
    for (version, sum) in sums {
        client
            .execute(
                &format!("UPDATE {HISTORY_TABLE} SET checksum = $2 WHERE version = $1"),
                &[version, &sum.to_string()],
            )
            .await
            .map_err(&err)?;
    }
    Ok(())
}
