//! Shared harness for strata's integration tests.
//!
//! One scratch server per test binary, started lazily on first use:
//! - `DATABASE_URL` set: that server (an external one; scratch databases
//!   are named `strata_tmp_*` and dropped when their `ScratchDb` drops);
//! - otherwise an embedded cluster (see `strata::embedded`).
//!
//! Rust never drops statics, so the first call registers a libc `atexit`
//! hook that stops the embedded cluster and drops leftover external
//! databases when the test binary exits (libtest exits through `exit`,
//! also when tests fail). It also installs strata's SIGINT/SIGTERM
//! handler, so Ctrl-C during `cargo test` cleans up too. If a binary is
//! SIGKILLed anyway, the server dies with it (parent-death signal) and the
//! next cluster start sweeps its directory.
//!
//! Test binaries run as separate processes in parallel; each has its own
//! cluster (they share only the cached initdb template), so tests never
//! see each other's databases.
#![allow(dead_code)]

pub mod golden;
pub mod import_out;
pub mod known;
pub mod random;
pub mod runner;
mod schema;
#[allow(unused_imports)]
pub use schema::*;

use std::sync::OnceLock;

use strata::embedded::EmbeddedOptions;
use strata::scratch::{ScratchDb, ScratchServer};
use tokio_postgres::Client;

/// The scratch server of this test binary.
pub fn server() -> &'static ScratchServer {
    static SERVER: OnceLock<ScratchServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let url = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty());
        strata::embedded::install_signal_handler().expect("installing the signal handler");
        // SAFETY: registering a plain extern "C" fn; it runs once at exit.
        unsafe { libc::atexit(cleanup_at_exit) };
        ScratchServer::start(url.as_deref(), &EmbeddedOptions::default())
            .unwrap_or_else(|e| panic!("starting the test database server: {e}"))
    })
}

/// Create `roles` (NOLOGIN) on the test server, whichever it is: roles are
/// cluster-wide, and strata itself creates them only in its embedded
/// shadow, never on a `DATABASE_URL` server.
pub async fn ensure_roles(roles: &[String]) {
    if roles.is_empty() {
        return;
    }
    let client = server()
        .admin_target()
        .connect()
        .await
        .expect("admin connection");
    for r in roles {
        let sql = format!("CREATE ROLE \"{}\" NOLOGIN", r.replace('"', "\"\""));
        let _ = client.batch_execute(&sql).await; // exists already: fine
    }
}

extern "C" fn cleanup_at_exit() {
    strata::scratch::drop_all_external();
    strata::embedded::stop_all();
}

/// The major version of this binary's test server (e.g. 15).
pub async fn server_major() -> u32 {
    static MAJOR: OnceLock<u32> = OnceLock::new();
    if let Some(m) = MAJOR.get() {
        return *m;
    }
    let client = server()
        .admin_target()
        .connect()
        .await
        .unwrap_or_else(|e| panic!("connecting to the test server: {e}"));
    let row = client
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .expect("server_version_num");
    let major = (row.get::<_, i32>(0) / 10000) as u32;
    *MAJOR.get_or_init(|| major)
}

/// Why a test case directory does not apply to this server: its
/// `min-major` file names a newer PostgreSQL (features such as virtual
/// generated columns exist from 18 on). `None`: it applies.
pub async fn skip_reason(dir: &std::path::Path) -> Option<String> {
    let min: u32 = std::fs::read_to_string(dir.join("min-major"))
        .ok()?
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{}/min-major: {e}", dir.display()));
    let major = server_major().await;
    (major < min).then(|| format!("needs PostgreSQL {min}, the server runs {major}"))
}

/// A new, empty database and a connection to it. Keep the `ScratchDb`
/// alive for the whole test (on an external server, dropping it drops the
/// database).
pub async fn fresh_db(prefix: &str) -> (ScratchDb, Client) {
    let db = server()
        .create_database(prefix)
        .await
        .unwrap_or_else(|e| panic!("creating a scratch database: {e}"));
    let client = db
        .target
        .connect()
        .await
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", db.name));
    (db, client)
}

/// Run one or more SQL statements; panics with PostgreSQL's message.
pub async fn exec(client: &Client, sql: &str) {
    if let Err(e) = client.batch_execute(sql).await {
        panic!("SQL failed: {}\n{sql}", strata::db::describe(&e));
    }
}

/// The first column of every row, as text (`::text` casts are the caller's).
pub async fn strings(client: &Client, sql: &str) -> Vec<String> {
    match client.query(sql, &[]).await {
        Ok(rows) => rows.iter().map(|r| r.get::<_, String>(0)).collect(),
        Err(e) => panic!("query failed: {}\n{sql}", strata::db::describe(&e)),
    }
}
