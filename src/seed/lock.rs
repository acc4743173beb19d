//! One seed of a database at a time: a session-level advisory lock on the
//! seed's connection, taken before the catalog is read and held until the
//! seed has committed or rolled back.
//!
//! Without it two `seed --force` runs interleave their TRUNCATEs, dropped
//! and re-added foreign keys and catalog reads, and fail with internal
//! catalog errors ("cache lookup failed for constraint …") instead of one
//! waiting for the other. The key differs from the migration lock's
//! ([`crate::migrate::lock::KEY`]): a seed does not stop a migration from
//! running, PostgreSQL's own table locks order those.

use std::time::Duration;

use tokio_postgres::Client;

use crate::db::DbError;
use crate::Result;

/// The lock key: "STRATASD" as a big-endian i64, the same for every strata.
pub const KEY: i64 = 0x5354_5241_5441_5344;

/// Take the seed lock, waiting as long as another seed holds it;
/// `waiting` is called once, when the lock is busy (to say so).
pub async fn acquire(client: &Client, waiting: impl FnOnce()) -> Result<()> {
    let mut waiting = Some(waiting);
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&KEY])
            .await
            .map_err(|source| DbError::Query {
                context: "taking the seed lock".into(),
                source,
            })?
            .get(0);
        if got {
            return Ok(());
        }
        if let Some(f) = waiting.take() {
            f();
        }
        // Polled rather than a blocking pg_advisory_lock: Ctrl-C then stops
        // a waiting seed at once, and no backend is left queued on the lock.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Release the lock (closing the session would too; `strata dev --keep`
/// keeps its connection open after seeding).
pub async fn release(client: &Client) {
    let _ = client
        .query_one("SELECT pg_advisory_unlock($1)", &[&KEY])
        .await;
}
