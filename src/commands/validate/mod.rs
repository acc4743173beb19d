//! `strata validate`: a read-only health report on the target database —
//! invalid indexes, NOT VALID constraints (with the rows that violate
//! them), sequences behind their column, tables without a primary key —
//! each finding with the SQL that fixes it.
//!
//! Every check runs in one READ ONLY, REPEATABLE READ transaction, so the
//! command can never write and all checks see one snapshot. Queries that
//! scan whole tables (orphan counts, `max(id)`) run under a savepoint: when
//! one hits `--statement-timeout` the report says so and the others go on.

mod constraints;
mod indexes;
mod partitions;
mod primary_keys;
mod report;
mod scope;
mod sequences;

use std::time::Duration;

use serde::Serialize;
use tokio_postgres::{Client, IsolationLevel, Row, Transaction};

use super::Settings;
use crate::db::DbError;
use crate::error::exit;
use crate::escape::terminal;
use crate::Result;

pub use scope::Scope;

/// What each finding is about; `check` in the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// `pg_index.indisvalid` or `indisready` is false.
    InvalidIndex,
    /// `pg_constraint.convalidated` is false.
    NotValidConstraint,
    /// The next `nextval()` would return a value the column already holds.
    SequenceBehind,
    /// An ordinary or partitioned table without a primary key.
    MissingPrimaryKey,
    /// A DEFAULT partition holds rows (no other bound took them).
    RowsInDefaultPartition,
    /// Hash partitions leave remainders uncovered: inserts there fail.
    HashPartitionGap,
}

impl Check {
    pub const ALL: [Check; 6] = [
        Check::InvalidIndex,
        Check::NotValidConstraint,
        Check::SequenceBehind,
        Check::MissingPrimaryKey,
        Check::RowsInDefaultPartition,
        Check::HashPartitionGap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Check::InvalidIndex => "invalid_index",
            Check::NotValidConstraint => "not_valid_constraint",
            Check::SequenceBehind => "sequence_behind",
            Check::MissingPrimaryKey => "missing_primary_key",
            Check::RowsInDefaultPartition => "rows_in_default_partition",
            Check::HashPartitionGap => "hash_partition_gap",
        }
    }
}

/// One problem, with the SQL that fixes it (or says what must be done
/// first, as SQL comments and queries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: Check,
    /// The object, quoted: `"schema"."name"`; constraints as
    /// `"schema"."table"."constraint"`.
    pub object: String,
    pub detail: String,
    pub fix: String,
}

/// The whole report: `{"ok": bool, "findings": [...]}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub ok: bool,
    pub findings: Vec<Finding>,
    /// Things that could not be checked (permission, timeout); printed on
    /// stderr, not part of the JSON contract.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

pub struct ValidateOptions {
    pub json: bool,
    /// `--schema-name`; empty = `schemas:` of strata.yaml, else all.
    pub schemas: Vec<String>,
    pub statement_timeout: Option<Duration>,
}

/// Run every check against the target and print the report. Exit 0 when
/// there is nothing to report, 1 when there are findings.
pub async fn validate(s: &Settings, o: &ValidateOptions) -> Result<i32> {
    let target = s.target()?;
    let mut client = target.connect().await?;
    let scope = if o.schemas.is_empty() {
        Scope::new(s.schemas.clone())
    } else {
        Scope::new(Some(o.schemas.clone()))
    };
    let report = run(&mut client, &scope, o.statement_timeout).await?;
    for w in &report.warnings {
        eprintln!("warning: {}", terminal(&w.to_string()));
    }
    if o.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| crate::Error::Config(format!("rendering JSON: {e}")))?;
        println!("{text}");
    } else {
        print!("{}", report::text(&report, &target.display()));
    }
    Ok(if report.ok { exit::OK } else { exit::ERROR })
}

/// All checks, in one read-only transaction on `client`.
pub async fn run(
    client: &mut Client,
    scope: &Scope,
    statement_timeout: Option<Duration>,
) -> Result<Report> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(query_error("starting a read-only transaction"))?;
    if let Some(t) = statement_timeout {
        // 0 keeps PostgreSQL's meaning (no timeout); below 1 ms rounds up.
        let ms = if t.is_zero() { 0 } else { t.as_millis().max(1) };
        let sql = format!("SET LOCAL statement_timeout = '{ms}ms'");
        tx.batch_execute(&sql)
            .await
            .map_err(query_error("setting statement_timeout"))?;
    }
    let mut report = Report::default();
    unknown_schemas(&tx, scope, &mut report).await?;
    indexes::check(&tx, scope, &mut report).await?;
    constraints::check(&mut tx, scope, &mut report).await?;
    sequences::check(&mut tx, scope, &mut report).await?;
    primary_keys::check(&tx, scope, &mut report).await?;
    partitions::check(&mut tx, scope, &mut report).await?;
    // Nothing was written; ending with ROLLBACK says so.
    tx.rollback()
        .await
        .map_err(query_error("ending the transaction"))?;
    // Byte order, not the database's collation: the same database gives
    // the same report on every server.
    report
        .findings
        .sort_by(|a, b| (a.check, &a.object).cmp(&(b.check, &b.object)));
    report.ok = report.findings.is_empty();
    Ok(report)
}

/// A `--schema-name` that matches nothing is most likely a typo: say so
/// rather than report a clean bill of health for nothing.
async fn unknown_schemas(tx: &Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let Some(names) = &scope.schemas else {
        return Ok(());
    };
    let rows = tx
        .query(
            "SELECT s FROM unnest($1::text[]) s \
             WHERE NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = s)",
            &[names],
        )
        .await
        .map_err(query_error("looking up schemas"))?;
    for r in rows {
        let name: String = r.get(0);
        report
            .warnings
            .push(format!("schema {name} does not exist"));
    }
    Ok(())
}

/// Run a query that may scan a whole table under a savepoint, so a
/// statement timeout (or a missing privilege) costs only this answer.
/// `Ok(Err(why))` when PostgreSQL refused; `Err` when the connection broke.
async fn guarded(tx: &mut Transaction<'_>, sql: &str) -> Result<Result<Row, String>> {
    let sp = tx
        .savepoint("strata_validate")
        .await
        .map_err(query_error("creating a savepoint"))?;
    match sp.query_one(sql, &[]).await {
        Ok(row) => {
            sp.commit()
                .await
                .map_err(query_error("releasing a savepoint"))?;
            Ok(Ok(row))
        }
        Err(e) if e.as_db_error().is_some() => {
            sp.rollback()
                .await
                .map_err(query_error("rolling back to a savepoint"))?;
            Ok(Err(refusal(&e)))
        }
        Err(e) => Err(query_error("running a check")(e)),
    }
}

/// One line for a report's detail: PostgreSQL's primary message.
fn refusal(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        _ if e.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED) => {
            "cancelled by --statement-timeout".into()
        }
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}

fn query_error(context: &'static str) -> impl Fn(tokio_postgres::Error) -> crate::Error {
    move |source| {
        DbError::Query {
            context: format!("strata validate: {context}"),
            source,
        }
        .into()
    }
}

/// `"schema"."name"`.
fn qualified(schema: &str, name: &str) -> String {
    crate::model::QualifiedName::new(schema, name).quoted()
}
