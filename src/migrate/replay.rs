//! Replaying migration files into a scratch database: the one way
//! `generate`, `status`, `baseline` and `dev` rebuild the schema the files
//! produce. Files run exactly as `migrate` runs them — a transactional file
//! as one transaction, a `-- strata:no-transaction` file statement by
//! statement through the same splitter — so a file that migrates also
//! replays (and the other way round). Only the bookkeeping is left out:
//! no history table, no advisory lock, no timeouts.

use std::path::Path;

use tokio_postgres::Client;

use super::{each_statement_in, load, locate, Loaded};
use crate::migrations;
use crate::{Error, Result};

/// Load and replay every migration file in `dir`, in version order. Any
/// version a history table can hold is taken: a scratch database keeps no
/// history.
pub async fn replay_dir(client: &Client, dir: &Path) -> Result<()> {
    replay(client, &load(dir, migrations::VersionColumn::Int8)?).await
}

/// Replay `files` in the order given.
pub async fn replay(client: &Client, files: &[Loaded]) -> Result<()> {
    for f in files {
        run_file(client, f).await?;
    }
    Ok(())
}

/// Run one file with `migrate`'s semantics.
pub async fn run_file(client: &Client, m: &Loaded) -> Result<()> {
    let sandboxed = crate::engine::sandbox::active(client).await;
    let fail = |sent: &str, base: usize, e: &tokio_postgres::Error| {
        let why = crate::engine::sandbox::explain(e, sandboxed)
            .map(|w| format!("\n  note: {w}"))
            .unwrap_or_default();
        Error::Migration {
            file: m.file.path.clone(),
            message: format!(
                "{}{why}\n  (while replaying the migrations in a scratch database)",
                locate(m, sent, base, e)
            ),
        }
    };
    let each_statement = |client, sql| each_statement_in(client, sql, sandboxed);
    if migrations::is_no_transaction(&m.sql) {
        return each_statement(client, &m.sql)
            .await
            .map_err(|(st, e)| fail(st.sql, st.offset, &e));
    }
    // BEGIN, the file, COMMIT as separate commands (what `migrate`'s
    // transaction does): appending `COMMIT` to the file's text would let
    // a trailing unterminated comment or quote swallow it.
    client
        .batch_execute("BEGIN")
        .await
        .map_err(|e| fail("", 0, &e))?;
    if let Err((st, e)) = each_statement(client, &m.sql).await {
        let _ = client.batch_execute("ROLLBACK").await;
        return Err(fail(st.sql, st.offset, &e));
    }
    if let Err(e) = client.batch_execute("COMMIT").await {
        let _ = client.batch_execute("ROLLBACK").await;
        return Err(fail("", m.sql.len(), &e));
    }
    Ok(())
}
