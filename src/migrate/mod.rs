//! `migrate`: apply pending migration files in version order, each in its
//! own transaction (or statement by statement with
//! `-- strata:no-transaction`), recorded in refinery's history table, under
//! an advisory lock, refusing edited or missing history.

pub mod backup;
pub mod dirlock;
pub mod history;
pub mod layout;
pub mod leftovers;
pub use crate::pg::lex;
pub mod lock;
pub mod read;
pub mod replay;
pub mod roles;
pub mod rollback;
pub mod split;
pub mod state;
pub mod sum;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio_postgres::Client;

use crate::db::{describe, DbError, Target};
use crate::migrations::{self, Migration, VersionColumn};
use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// Stop after this version.
    pub target: Option<u64>,
    /// Print what would run; change nothing.
    pub dry_run: bool,
    /// How long to wait for another runner's lock.
    pub lock_wait: Duration,
    /// `lock_timeout` for each migration: fail fast instead of queueing
    /// behind traffic (and making traffic queue behind us).
    pub lock_timeout: Duration,
    /// `statement_timeout` for each migration (`None`: the server's).
    pub statement_timeout: Option<Duration>,
    /// `--backup DIR`: `pg_dump` the target here before applying anything.
    pub backup: Option<PathBuf>,
    /// Where to look for `pg_dump` (the embedded module's bindir setting).
    pub binaries: crate::embedded::EmbeddedOptions,
    /// `migrations.version_column` in strata.yaml: the history table's
    /// version column (see [`layout`]).
    pub column: VersionColumn,
}

impl Default for MigrateOptions {
    fn default() -> Self {
        MigrateOptions {
            target: None,
            dry_run: false,
            lock_wait: Duration::from_secs(60),
            lock_timeout: Duration::from_secs(5),
            statement_timeout: None,
            backup: None,
            binaries: Default::default(),
            column: VersionColumn::default(),
        }
    }
}

/// A migration file with its text.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: Migration,
    pub sql: String,
    pub version: i64,
}

/// What a run did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    pub applied: Vec<Migration>,
    /// Dry run: the SQL that would run, in order.
    pub sql: String,
    /// Dry run of a rollback: the data losses a real run would refuse
    /// (no `--allow-destructive`); the caller shows `sql` and then refuses.
    pub refused: Vec<String>,
}

pub async fn migrate(target: &Target, dir: &Path, o: &MigrateOptions) -> Result<Outcome> {
    check_sum(dir, o.column)?;
    let files = load(dir, o.column)?;
    let mut client = target.connect().await?;
    lock::die_with_client(&client).await?;
    lock::acquire(&client, o.lock_wait).await?;
    let result = run(&mut client, target, &files, o).await;
    lock::release(&client).await;
    result
}

/// Refuse a directory that does not match its strata.sum; warn when there
/// is none.
fn check_sum(dir: &Path, column: VersionColumn) -> Result<()> {
    if !sum::check(dir, column)? {
        eprintln!(
            "warning: {} has no {}; run `strata rehash` so edits to the files are detected",
            dir.display(),
            sum::FILE
        );
    }
    Ok(())
}

/// Read every migration file; versions must fit `column`, the history
/// table's version column ([`migrations::list`] refuses the others).
pub fn load(dir: &Path, column: VersionColumn) -> Result<Vec<Loaded>> {
    migrations::list(dir, column)?
        .into_iter()
        .map(|m| {
            let sql = read::text(&m.path)?;
            let version = i64::try_from(m.version)
                .map_err(|_| Error::Bug(format!("version {} passed the name check", m.version)))?;
            Ok(Loaded {
                file: m,
                sql,
                version,
            })
        })
        .collect()
}

async fn run(
    client: &mut Client,
    target: &Target,
    files: &[Loaded],
    o: &MigrateOptions,
) -> Result<Outcome> {
    let found = layout::find(&*client, o.column).await?;
    let applied = read_history_if_any(client).await?;
    check_history(files, &applied, found.current)?;
    let column = if o.dry_run {
        found.current
    } else {
        let tx = client
            .transaction()
            .await
            .map_err(|source| DbError::Query {
                context: "preparing the migration history".into(),
                source,
            })?;
        let (column, note) = layout::prepare(&tx, found, o.column, files, &applied).await?;
        tx.commit().await.map_err(|source| DbError::Query {
            context: "preparing the migration history".into(),
            source,
        })?;
        if let Some(note) = note {
            eprintln!("{note}");
        }
        column
    };
    let done: Vec<i64> = applied.iter().map(|a| a.version).collect();
    let pending: Vec<&Loaded> = files
        .iter()
        .filter(|f| !done.contains(&f.version))
        .filter(|f| o.target.is_none_or(|t| f.file.version <= t))
        .collect();
    roles::check(client, &pending).await?;
    if let (Some(dir), Some(first), false) = (&o.backup, pending.first(), o.dry_run) {
        let label = format!("V{}", first.version);
        let file = backup::dump(client, target, dir, &label, &o.binaries).await?;
        eprintln!("backup: {}", file.display());
    }
    let partial = if o.dry_run {
        state::all(&*client).await?
    } else {
        Vec::new()
    };
    let mut out = Outcome::default();
    for m in pending {
        if o.dry_run {
            out.sql.push_str(&dry_run_sql(m, &partial));
        } else {
            apply_one(client, m, o, column).await?;
            eprintln!("applied {}", file_name(&m.file.path));
        }
        out.applied.push(m.file.clone());
    }
    Ok(out)
}

/// What a dry run shows for `m`: the file, or for a half-applied
/// no-transaction migration only the statements a real run would send.
fn dry_run_sql(m: &Loaded, partial: &[state::Partial]) -> String {
    let name = file_name(&m.file.path);
    let Some(p) = partial.iter().find(|p| p.version == m.version) else {
        return format!("{}{}\n", crate::render::comment_line(&name), m.sql);
    };
    let stmts = split::statements(&m.sql);
    let k = usize::try_from(p.completed).unwrap_or(usize::MAX);
    if k > stmts.len() || state::prefix_hash(stmts[..k].iter().map(|s| s.sql)) != p.completed_hash {
        return crate::render::comment_line(&format!(
            "{name}: half-applied by an earlier run and edited since; a real run refuses it"
        ));
    }
    let rest: Vec<String> = stmts[k..].iter().map(|s| format!("{};\n", s.sql)).collect();
    let head = crate::render::comment_line(&format!(
        "{name}: resumes at statement {} of {} (after cleaning up what the failed one left)",
        k + 1,
        stmts.len(),
    ));
    head + &rest.concat()
}

/// The history, or nothing when the table does not exist yet (dry runs
/// and `status` must not create it).
pub async fn read_history_if_any(client: &Client) -> Result<Vec<history::Applied>> {
    let exists: bool = client
        .query_one(
            &format!(
                "SELECT to_regclass('{}') IS NOT NULL",
                migrations::HISTORY_TABLE
            ),
            &[],
        )
        .await
        .map_err(|source| DbError::Query {
            context: "looking for the migration history".into(),
            source,
        })?
        .get(0);
    if exists {
        Ok(history::applied(client).await?)
    } else {
        Ok(Vec::new())
    }
}

/// The file's name for messages and dry-run comments, on one line
/// whatever characters the name holds.
fn file_name(p: &Path) -> String {
    let name = p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    crate::escape::line(&name).into_owned()
}

/// The file's checksum now, when it differs from what the history row
/// recorded (or the name does).
pub(crate) fn edited(f: &Loaded, a: &history::Applied, column: VersionColumn) -> Option<String> {
    let sum = history::checksum(&f.file.name, f.version, &f.sql, column).to_string();
    (sum != a.checksum || f.file.name != a.name).then_some(sum)
}

/// Applied history must match the files: none missing, none edited, and no
/// unapplied file older than the newest applied one.
fn check_history(
    files: &[Loaded],
    applied: &[history::Applied],
    column: VersionColumn,
) -> Result<()> {
    let mut problems = Vec::new();
    for a in applied {
        match files.iter().find(|f| f.version == a.version) {
            None => problems.push(format!(
                "V{}__{} was applied but its file is missing from the migrations directory",
                a.version, a.name
            )),
            Some(f) => {
                if let Some(sum) = edited(f, a, column) {
                    problems.push(format!(
                        "{} was edited after it was applied (checksum {} recorded, {} now)",
                        f.file.path.display(),
                        a.checksum,
                        sum
                    ));
                }
            }
        }
    }
    let newest = applied.iter().map(|a| a.version).max().unwrap_or(0);
    for f in files.iter().filter(|f| f.version < newest) {
        if !applied.iter().any(|a| a.version == f.version) {
            problems.push(format!(
                "{} is older than the newest applied migration (V{newest}) but was never applied",
                f.file.path.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::History(problems))
    }
}

fn session_settings(o: &MigrateOptions, local: bool) -> String {
    let scope = if local { "SET LOCAL" } else { "SET" };
    let mut s = format!("{scope} lock_timeout = '{}ms';", o.lock_timeout.as_millis());
    if let Some(t) = o.statement_timeout {
        s.push_str(&format!(
            " {scope} statement_timeout = '{}ms';",
            t.as_millis()
        ));
    }
    s
}

async fn apply_one(
    client: &mut Client,
    m: &Loaded,
    o: &MigrateOptions,
    column: VersionColumn,
) -> Result<()> {
    let sum = history::checksum(&m.file.name, m.version, &m.sql, column);
    if migrations::is_no_transaction(&m.sql) {
        return apply_without_transaction(client, m, o, sum).await;
    }
    let fail = |e: tokio_postgres::Error| failure(m, &m.sql, 0, &e);
    let tx = client.transaction().await.map_err(fail)?;
    tx.batch_execute(&session_settings(o, true))
        .await
        .map_err(fail)?;
    if let Err((st, e)) = each_statement(&tx, &m.sql).await {
        return Err(failure(m, st.sql, st.offset, &e));
    }
    history::record(&tx, m.version, &m.file.name, sum).await?;
    tx.commit().await.map_err(fail)
}

/// `-- strata:no-transaction`: each statement on its own (what
/// `CREATE INDEX CONCURRENTLY` needs). Progress is kept in
/// [`state`] so that a failed or killed run resumes after the statements
/// that completed, once what the interrupted one left behind is cleaned up.
async fn apply_without_transaction(
    client: &mut Client,
    m: &Loaded,
    o: &MigrateOptions,
    sum: u64,
) -> Result<()> {
    client
        .batch_execute(&session_settings(o, false))
        .await
        .map_err(|e| failure(m, &m.sql, 0, &e))?;
    let stmts = split::statements(&m.sql);
    let prior = state::all(&*client)
        .await?
        .into_iter()
        .find(|p| p.version == m.version);
    let start = match &prior {
        Some(p) => resume(client, m, &stmts, p).await?,
        None => 0,
    };
    state::ensure(&*client).await?;
    let mut p = state::Partial {
        version: m.version,
        name: m.file.name.clone(),
        checksum: sum.to_string(),
        completed: 0,
        completed_hash: String::new(),
        statement: String::new(),
        line: 0,
        error: None,
        updated_at: String::new(),
    };
    for (i, st) in stmts.iter().enumerate().skip(start) {
        p.completed = i32::try_from(i).unwrap_or(i32::MAX);
        p.completed_hash = state::prefix_hash(stmts[..i].iter().map(|s| s.sql));
        p.statement = st.sql.to_string();
        p.line = i32::try_from(split::line_of(&m.sql, st.offset)).unwrap_or(i32::MAX);
        state::save(&*client, &p).await?;
        let run = crate::progress::statement(st.sql, client.batch_execute(st.sql));
        if let Err(e) = run.await {
            p.error = Some(describe(&e));
            // Best effort: if the connection is gone, the row written
            // before the statement still names it.
            let _ = state::save(&*client, &p).await;
            return Err(failure(m, st.sql, st.offset, &e));
        }
    }
    let tx = client
        .transaction()
        .await
        .map_err(|e| failure(m, "", 0, &e))?;
    history::record(&tx, m.version, &m.file.name, sum).await?;
    state::clear(&tx, m.version).await?;
    tx.commit().await.map_err(|e| failure(m, "", 0, &e))
}

/// Where to resume a migration an earlier run left half-applied: after
/// its completed statements, provided the file still starts with exactly
/// those (only the failed statement and later ones may be edited). Cleans
/// up what the interrupted statement left behind first.
async fn resume(
    client: &Client,
    m: &Loaded,
    stmts: &[split::Stmt<'_>],
    p: &state::Partial,
) -> Result<usize> {
    let k = usize::try_from(p.completed).unwrap_or(usize::MAX);
    let same = k <= stmts.len()
        && state::prefix_hash(stmts[..k].iter().map(|s| s.sql)) == p.completed_hash;
    if !same {
        return Err(Error::Migration {
            file: m.file.path.clone(),
            message: format!(
                "an earlier run stopped after {k} statement(s) of this no-transaction migration \
                 (at line {}), but the file no longer starts with those {k} statement(s). Only the \
                 failed statement and the ones after it may be changed: restore the others, or \
                 repair the database by hand and delete version {} from {}",
                p.line,
                m.version,
                migrations::STATE_TABLE
            ),
        });
    }
    eprintln!(
        "resuming {} at statement {} of {}: the first {k} ran in an earlier run",
        file_name(&m.file.path),
        k + 1,
        stmts.len()
    );
    let mut interrupted = vec![p.statement.as_str()];
    interrupted.extend(stmts.get(k).map(|s| s.sql));
    leftovers::clean(client, &interrupted).await?;
    Ok(k)
}

/// Run the statements of a file one at a time: in a no-transaction file
/// each is its own implicit transaction (as `CREATE INDEX CONCURRENTLY`
/// needs); in a transactional file they run inside the caller's
/// transaction, one at a time so that a failure names its statement even
/// when PostgreSQL gives no position (a constraint violated by existing
/// rows, an object another depends on). On failure, the statement that
/// failed and PostgreSQL's error.
pub(crate) async fn each_statement<'a>(
    client: &impl tokio_postgres::GenericClient,
    sql: &'a str,
) -> std::result::Result<(), (split::Stmt<'a>, tokio_postgres::Error)> {
    each_statement_in(client, sql, false).await
}

/// [`each_statement`], in a sandboxed scratch database when `sandboxed`
/// (`CREATE EXTENSION` goes through the sandbox's function, see
/// [`crate::engine::sandbox`]).
pub(crate) async fn each_statement_in<'a>(
    client: &impl tokio_postgres::GenericClient,
    sql: &'a str,
    sandboxed: bool,
) -> std::result::Result<(), (split::Stmt<'a>, tokio_postgres::Error)> {
    for st in split::statements(sql) {
        let sent = crate::engine::sandbox::statement(st.sql, sandboxed);
        // A statement that runs long (an index build, a big UPDATE) is
        // reported while it runs (`--progress`).
        let run = crate::progress::statement(st.sql, client.batch_execute(&sent));
        if let Err(e) = run.await {
            return Err((st, e));
        }
    }
    Ok(())
}

/// The error for a failed statement: file, line (from PostgreSQL's
/// position), PostgreSQL's message, and what to do about timeouts.
fn failure(m: &Loaded, sent: &str, base: usize, e: &tokio_postgres::Error) -> Error {
    let kept = if migrations::is_no_transaction(&m.sql) {
        "earlier statements of this no-transaction migration stay applied and are recorded in strata_migration_state; fix the failing statement and run migrate again: it resumes there"
    } else {
        "the migration was rolled back; the history is unchanged"
    };
    Error::Migration {
        file: PathBuf::from(&m.file.path),
        message: format!("{}\n  ({kept})", locate(m, sent, base, e)),
    }
}

/// `line N: PostgreSQL's message`, the failing statement's first line, and
/// what to do about lock and statement timeouts. `sent` is the text sent,
/// starting at byte `base` of the file.
pub(crate) fn locate(m: &Loaded, sent: &str, base: usize, e: &tokio_postgres::Error) -> String {
    let mut message = describe(e);
    let pos = e.as_db_error().and_then(|d| match d.position() {
        Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p),
        _ => None,
    });
    let offset = base + pos.map_or(0, |p| split::char_position_to_offset(sent, p));
    let line = split::line_of(&m.sql, offset);
    let statement = split::statements(&m.sql)
        .into_iter()
        .rev()
        .find(|s| s.offset <= offset)
        .map(|s| s.sql.lines().next().unwrap_or("").to_string());
    if let Some(s) = statement {
        message.push_str(&format!("\n  statement: {s}"));
    }
    match e.code().map(|c| c.code()) {
        Some("55P03") => message.push_str(
            "\n  a table it needs is locked by other sessions: retry when traffic is lower, or raise --lock-timeout",
        ),
        Some("57014") => message.push_str("\n  the statement timed out: raise --statement-timeout or split the migration"),
        _ => {}
    }
    format!("line {line}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_refinery() {
        let sql = "CREATE TABLE t (id int);\n";
        let ours = history::checksum("initial", 1, sql, VersionColumn::Int4);
        let theirs = refinery_core::Migration::unapplied("V1__initial", sql)
            .expect("valid name")
            .checksum();
        assert_eq!(ours, theirs);
    }
}
