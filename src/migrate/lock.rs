//! One runner at a time: a session-level advisory lock held for the whole
//! run. Waiting is bounded (`--lock-wait`); a runner that got the lock late
//! simply finds nothing left to apply.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::db::DbError;
use crate::{Error, Result};

/// The lock key: "STRATAMG" as a big-endian i64, the same for every strata.
pub const KEY: i64 = 0x5354_5241_5441_4D47;

pub async fn acquire(client: &Client, wait: Duration) -> Result<()> {
    let t0 = Instant::now();
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&KEY])
            .await
            .map_err(|source| DbError::Query {
                context: "taking the migration lock".into(),
                source,
            })?
            .get(0);
        if got {
            return Ok(());
        }
        if t0.elapsed() >= wait {
            return Err(Error::Locked(format!(
                "another `strata migrate` holds the migration lock on this database; waited {:.0?} (raise --lock-wait to wait longer)",
                wait
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// If this runner is killed (SIGKILL, OOM, a lost network), its backend
/// would go on running the migration, and holding the lock, until it next
/// writes to the socket: possibly the whole index build. With
/// `client_connection_check_interval` (PostgreSQL 14+) the server polls the
/// socket while a statement runs and aborts, rolling the migration back
/// and releasing the lock within about a second.
pub async fn die_with_client(client: &Client) -> Result<()> {
    let err = |source| DbError::Query {
        context: "setting client_connection_check_interval".into(),
        source,
    };
    let version: String = client
        .query_one("SELECT current_setting('server_version_num')", &[])
        .await
        .map_err(err)?
        .get(0);
    if version.parse::<u32>().unwrap_or(0) >= 140000 {
        client
            .batch_execute("SET client_connection_check_interval = '1s'")
            .await
            .map_err(err)?;
    }
    Ok(())
}

pub async fn release(client: &Client) {
    // Closing the session releases it too; this is for long-lived clients.
    let _ = client
        .query_one("SELECT pg_advisory_unlock($1)", &[&KEY])
        .await;
}
