//! The history table, shared with refinery: same table, columns and
//! checksum, so an application embedding the same files with refinery sees
//! the same state.

use std::hash::{Hash, Hasher};

use tokio_postgres::GenericClient;

use crate::db::DbError;
use crate::migrations::HISTORY_TABLE;

/// refinery's DDL for its history table.
pub fn ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\
         version INT4 PRIMARY KEY, name VARCHAR(255), \
         applied_on VARCHAR(255), checksum VARCHAR(255))"
    )
}

/// refinery's checksum: SipHash-1-3 over the name, the version as `i32`
/// and the SQL, hashed the way `std::hash::Hash` feeds them.
pub fn checksum(name: &str, version: i32, sql: &str) -> u64 {
    let mut h = siphasher::sip::SipHasher13::new();
    name.hash(&mut h);
    version.hash(&mut h);
    sql.hash(&mut h);
    h.finish()
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub version: i32,
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
pub async fn ensure(client: &impl GenericClient) -> Result<(), DbError> {
    client
        .batch_execute(&ddl())
        .await
        .map_err(query_err("creating the migration history table"))
}

/// Applied migrations in version order.
pub async fn applied(client: &impl GenericClient) -> Result<Vec<Applied>, DbError> {
    let rows = client
        .query(
            &format!(
                "SELECT version, COALESCE(name, ''), COALESCE(applied_on, ''), \
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
    version: i32,
    name: &str,
    checksum: u64,
) -> Result<(), DbError> {
    client
        .execute(
            &format!(
                "INSERT INTO {HISTORY_TABLE} (version, name, applied_on, checksum) VALUES \
                 ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), $3)"
            ),
            &[&version, &name, &checksum.to_string()],
        )
        .await
        .map(|_| ())
        .map_err(query_err("recording the migration in the history"))
}

/// Remove a migration from the history (it was rolled back).
pub async fn forget(client: &impl GenericClient, version: i32) -> Result<(), DbError> {
    client
        .execute(
            &format!("DELETE FROM {HISTORY_TABLE} WHERE version = $1"),
            &[&version],
        )
        .await
        .map(|_| ())
        .map_err(query_err("removing the migration from the history"))
}
