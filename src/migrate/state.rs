//! Progress of `-- strata:no-transaction` migrations, kept in
//! `strata_migration_state` so that a run that failed (or was killed)
//! halfway can be resumed: statements that already ran are not run again.
//!
//! One row per migration in progress: how many statements completed, a
//! SHA-256 of their text (a resumed file must start with exactly those),
//! the statement running or failed, its line and the error. The row is
//! written before the first statement, updated after each, and deleted in
//! the transaction that records the migration in the history.

use sha2::{Digest, Sha256};
use tokio_postgres::GenericClient;

use crate::db::DbError;
use crate::migrations::STATE_TABLE;

/// A half-applied no-transaction migration.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    pub version: i64,
    pub name: String,
    /// refinery checksum of the file as it was when the row was written.
    pub checksum: String,
    /// Statements that completed.
    pub completed: i32,
    /// SHA-256 of the completed statements' text ([`prefix_hash`]).
    pub completed_hash: String,
    /// The statement that was running or failed.
    pub statement: String,
    pub line: i32,
    /// PostgreSQL's message; `None` when the run died without one.
    pub error: Option<String>,
    pub updated_at: String,
}

fn err(context: &str) -> impl Fn(tokio_postgres::Error) -> DbError + '_ {
    move |source| DbError::Query {
        context: context.to_string(),
        source,
    }
}

/// SHA-256 over the statements, each length-prefixed so that moving text
/// across a statement boundary changes the hash.
pub fn prefix_hash<'a>(statements: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for s in statements {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Create the table unless it exists; a table from before timestamp
/// versions (`version INT4`) is widened, as the versions it must hold are
/// the history table's, which may be `int8`.
pub async fn ensure(client: &impl GenericClient) -> Result<(), DbError> {
    client
        .batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {STATE_TABLE} (\
             version INT8 PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, \
             completed INT4 NOT NULL, completed_hash TEXT NOT NULL, statement TEXT NOT NULL, \
             line INT4 NOT NULL, error TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now()); \
             DO $$ BEGIN \
             IF (SELECT atttypid FROM pg_attribute WHERE attrelid = '{STATE_TABLE}'::regclass \
                 AND attname = 'version') = 'int4'::regtype THEN \
               ALTER TABLE {STATE_TABLE} ALTER COLUMN version TYPE int8; \
             END IF; END $$"
        ))
        .await
        .map_err(err("creating the no-transaction migration state table"))
}

/// Every half-applied migration; none when the table does not exist (so
/// `status` and dry runs never create it).
pub async fn all(client: &impl GenericClient) -> Result<Vec<Partial>, DbError> {
    let exists: bool = client
        .query_one(
            &format!("SELECT to_regclass('{STATE_TABLE}') IS NOT NULL"),
            &[],
        )
        .await
        .map_err(err("looking for the migration state table"))?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            &format!(
                "SELECT version::int8, name, checksum, completed, completed_hash, statement, line, \
                 error, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
                 FROM {STATE_TABLE} ORDER BY version"
            ),
            &[],
        )
        .await
        .map_err(err("reading the migration state table"))?;
    Ok(rows
        .iter()
        .map(|r| Partial {
            version: r.get(0),
            name: r.get(1),
            checksum: r.get(2),
            completed: r.get(3),
            completed_hash: r.get(4),
            statement: r.get(5),
            line: r.get(6),
            error: r.get(7),
            updated_at: r.get(8),
        })
        .collect())
}

/// Write the row for `p` (error and time are set by [`failed`]/now).
pub async fn save(client: &impl GenericClient, p: &Partial) -> Result<(), DbError> {
    client
        .execute(
            &format!(
                "INSERT INTO {STATE_TABLE} AS s (version, name, checksum, completed, \
                 completed_hash, statement, line, error) VALUES ($1::int8, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, \
                 checksum = EXCLUDED.checksum, completed = EXCLUDED.completed, \
                 completed_hash = EXCLUDED.completed_hash, statement = EXCLUDED.statement, \
                 line = EXCLUDED.line, error = EXCLUDED.error, updated_at = now()"
            ),
            &[
                &p.version,
                &p.name,
                &p.checksum,
                &p.completed,
                &p.completed_hash,
                &p.statement,
                &p.line,
                &p.error,
            ],
        )
        .await
        .map(|_| ())
        .map_err(err("recording the progress of a no-transaction migration"))
}

pub async fn clear(client: &impl GenericClient, version: i64) -> Result<(), DbError> {
    client
        .execute(
            &format!("DELETE FROM {STATE_TABLE} WHERE version = $1::int8"),
            &[&version],
        )
        .await
        .map(|_| ())
        .map_err(err("clearing the no-transaction migration state"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_hash_sees_boundaries() {
        assert_ne!(prefix_hash(["ab", "c"]), prefix_hash(["a", "bc"]));
        assert_eq!(prefix_hash(["x"]), prefix_hash(vec!["x"]));
    }
}
