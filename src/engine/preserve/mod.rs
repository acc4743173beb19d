//! The data-preservation proof `generate` runs on every new migration:
//! fill every table of the replayed migrations with a few rows, apply the
//! new migration, and check that every row of every table it does not
//! drop is still there and that every value of every column it does not
//! drop or retype is unchanged (a retyped column is compared as far as
//! its values are meant to survive the new type). What was lost is
//! reported exactly: table, column, how many rows, examples.
//!
//! It all happens in one transaction on the replayed database that is
//! rolled back at the end, so `verify` (and the down file's check) then
//! run on the database exactly as the migrations left it.
//!
//! * [`fill`] makes the rows (the seed machinery: the project's profile,
//!   or the seeder's defaults) from [`sample`]'s model, which asks of
//!   them what the migration will (a foreign key it adds, …);
//! * [`fingerprint`] summarises a database's rows, server side;
//! * [`compare`] says what the migration lost that it did not mean to;
//! * [`scope`] picks the tables: those the changes touch, with their
//!   foreign-key neighbours (or all);
//! * [`types`] says how a column's values compare across a type change.

pub mod compare;
pub mod fill;
pub mod fingerprint;
pub mod sample;
pub mod scope;
pub mod types;

use std::path::Path;
use std::time::{Duration, Instant};

use tokio_postgres::Client;

pub use compare::{compare, expected_after, Loss, LossKind};
pub use fill::{fill, FillOptions, Filled, Skipped};
pub use fingerprint::{fingerprint, Fingerprint};
pub use scope::Scope;

use crate::diff::Change;
use crate::model::{quote_ident, Database, QualifiedName};
use crate::seed::Profile;
use crate::{Error, Result};

/// How the proof runs.
#[derive(Debug, Clone, Default)]
pub struct ProofOptions {
    pub fill: FillOptions,
    pub scope: Scope,
}

/// What the proof found.
#[derive(Debug, Default)]
pub struct Report {
    /// Tables in scope, of all tables.
    pub covered: (usize, usize),
    pub filled: Filled,
    pub losses: Vec<Loss>,
    /// Why nothing was compared (the migration fails on the sample rows,
    /// runs outside a transaction, …).
    pub not_run: Option<String>,
    /// The seed profile the rows came from (`None`: the seeder's defaults).
    pub profile: Option<std::path::PathBuf>,
    pub elapsed: Duration,
}

impl Report {
    /// One paragraph for the user: what was filled, skipped, and found.
    pub fn summary(&self) -> String {
        let f = &self.filled;
        if self.covered.0 == 0 && self.not_run.is_none() {
            return "Data check: the migration touches no existing table; nothing to check.".into();
        }
        let rows: u64 = f.filled.iter().map(|(_, n)| n).sum();
        let mut s = format!(
            "Data check: {rows} sample rows in {} table(s)",
            f.filled.len()
        );
        let (covered, total) = self.covered;
        if covered < total {
            s.push_str(&format!(
                " (the {covered} of {total} tables the migration touches or that hold their keys)"
            ));
        }
        if let Some(p) = &self.profile {
            s.push_str(&format!(
                " (from {})",
                crate::escape::line(&p.display().to_string())
            ));
        }
        if !f.kept.is_empty() {
            s.push_str(&format!(", {} table(s) kept their rows", f.kept.len()));
        }
        s.push_str(&match (&self.not_run, self.losses.is_empty()) {
            (Some(why), _) => format!("; not checked: {why}"),
            (None, true) => "; every row and value survives the migration".into(),
            (None, false) => format!("; {} loss(es)", self.losses.len()),
        });
        s.push_str(&format!(" ({:.2} s).", self.elapsed.as_secs_f64()));
        const SHOWN: usize = 5;
        for k in f.skipped.iter().take(SHOWN) {
            s.push_str(&format!(
                "\n  skipped {}: {}",
                k.table,
                crate::escape::line(&k.reason)
            ));
        }
        if f.skipped.len() > SHOWN {
            s.push_str(&format!(
                "\n  … and {} more skipped",
                f.skipped.len() - SHOWN
            ));
        }
        s
    }
}

/// Fill `current` (the database `client` is connected to), apply `sql`
/// (the migration from `current` by `changes`), and compare. Nothing
/// stays: the transaction is rolled back whatever happens.
pub async fn prove(
    client: &Client,
    current: &Database,
    changes: &[Change],
    sql: &str,
    profile: Option<&Profile>,
    o: &ProofOptions,
) -> Result<Report> {
    let started = Instant::now();
    if crate::migrations::is_no_transaction(sql) {
        return Ok(Report {
            not_run: Some("the migration runs outside a transaction".into()),
            ..Report::default()
        });
    }
    let total = current.tables.len();
    let sample = sample::sample_model(current, changes);
    let keep = scope::tables(&sample, changes, o.scope);
    if keep.is_empty() {
        // Nothing that exists is touched (a first migration, new tables
        // only): no rows to lose, nothing to run.
        return Ok(Report {
            covered: (0, total),
            elapsed: started.elapsed(),
            ..Report::default()
        });
    }
    let (current, sample) = (&scope::only(current, &keep), &scope::only(&sample, &keep));
    exec(client, "BEGIN").await?;
    let models = Models { current, sample };
    let result = prove_in_transaction(client, &models, changes, sql, profile, &o.fill).await;
    let rollback = exec(client, "ROLLBACK").await;
    let mut report = result?;
    rollback?;
    report.covered = (current.tables.len(), total);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The tables in scope: as they are, and as the sample rows are made.
struct Models<'a> {
    current: &'a Database,
    sample: &'a Database,
}

async fn prove_in_transaction(
    client: &Client,
    models: &Models<'_>,
    changes: &[Change],
    sql: &str,
    profile: Option<&Profile>,
    o: &FillOptions,
) -> Result<Report> {
    let current = models.current;
    lift_forced_rls(client).await?;
    let filled = fill(client, models.sample, profile, o).await?;
    // Deferred foreign-key checks fire now: pending trigger events would
    // make the migration's ALTER TABLE fail.
    exec(client, "SET CONSTRAINTS ALL IMMEDIATE").await?;
    let before = fingerprint(client, current).await?;
    exec(client, "SAVEPOINT strata_proof").await?;
    let mut report = Report {
        filled,
        ..Report::default()
    };
    if let Err(e) = client.batch_execute(sql).await {
        report.not_run = Some(format!(
            "the migration fails on the sample rows: {}",
            crate::db::describe(&e)
        ));
        return Ok(report);
    }
    let after_model = expected_after(current, changes);
    if let Err(e) = lift_forced_rls(client).await {
        report.not_run = Some(format!("reading the rows back failed: {e}"));
        return Ok(report);
    }
    let after = match fingerprint(client, &after_model).await {
        Ok(a) => a,
        Err(e) => {
            report.not_run = Some(format!("reading the rows back failed: {e}"));
            return Ok(report);
        }
    };
    report.losses = compare(&before, &after, changes);
    detail(
        client,
        current,
        changes,
        &before,
        &after,
        &mut report.losses,
    )
    .await;
    Ok(report)
}

/// The proof as `generate` runs it: the project's `dev` profile where it
/// fits the replayed database, and an error listing every loss.
pub async fn check(
    client: &Client,
    current: &Database,
    changes: &[Change],
    sql: &str,
    seeds_dir: &Path,
) -> Result<Report> {
    // Against the model the rows are made from: same tables, same foreign
    // keys (the ones the migration adds appended).
    let profile = project_profile(seeds_dir, &sample::sample_model(current, changes));
    let mut report = prove(
        client,
        current,
        changes,
        sql,
        profile.as_ref(),
        &ProofOptions::default(),
    )
    .await?;
    report.profile = profile.map(|p| p.file);
    if report.losses.is_empty() {
        return Ok(report);
    }
    let lines: Vec<String> = report
        .losses
        .iter()
        .map(|l| format!("  - {}", crate::escape::line(&l.to_string())))
        .collect();
    Err(Error::Refused(format!(
        "the generated migration loses data it does not mean to (a strata bug; please report it). On {} sample rows per table, after applying it:\n{}\n  (--no-data-check skips this check)",
        FillOptions::default().rows,
        lines.join("\n")
    )))
}

/// `seeds/dev.yaml` (the profile `strata dev` seeds with) when it exists
/// and fits `db`; `None` otherwise: the profile describes the schema being
/// generated towards, and may name columns the replayed one lacks.
pub fn project_profile(seeds_dir: &Path, db: &Database) -> Option<Profile> {
    let path = seeds_dir.join("dev.yaml");
    if !path.is_file() {
        return None;
    }
    let base = std::env::current_dir().ok()?;
    crate::seed::profile::load(&path, db, &base).ok()
}

/// `FORCE ROW LEVEL SECURITY` makes the tables' owner (the role the proof
/// runs as) subject to their policies, which with no application setting
/// match no row: the sample rows would read back as lost. Lifted inside
/// the proof's transaction, which is rolled back.
async fn lift_forced_rls(client: &Client) -> Result<()> {
    let sql = "SELECT format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', c.oid::regclass) \
               FROM pg_class c WHERE c.relforcerowsecurity AND pg_has_role(c.relowner, 'USAGE')";
    let rows = client.query(sql, &[]).await.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: "data check: finding tables under FORCE ROW LEVEL SECURITY".into(),
            source,
        })
    })?;
    for row in rows {
        exec(client, &row.get::<_, String>(0)).await?;
    }
    Ok(())
}

async fn exec(client: &Client, sql: &str) -> Result<()> {
    client.batch_execute(sql).await.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: format!("data check: {sql}"),
            source,
        })
    })
}

/// Count the changed rows of each changed column and give examples:
/// read the values after (the migration applied), go back to before, read
/// them again, pair them by primary key. Best effort: a failure leaves
/// the loss as it was.
async fn detail(
    client: &Client,
    current: &Database,
    changes: &[Change],
    before: &Fingerprint,
    after: &Fingerprint,
    losses: &mut [Loss],
) {
    let map = compare::Mapping::new(changes);
    let mut wanted = Vec::new();
    for (i, l) in losses.iter().enumerate() {
        let (Some(col), LossKind::Changed) = (&l.column, l.kind) else {
            continue;
        };
        let Some(plan) = detail_plan(current, &map, before, after, &l.table, col) else {
            continue;
        };
        wanted.push((i, plan));
    }
    if wanted.is_empty() {
        return;
    }
    let mut after_values = Vec::new();
    for (_, p) in &wanted {
        after_values.push(values(client, &p.after_sql).await);
    }
    if exec(client, "ROLLBACK TO SAVEPOINT strata_proof")
        .await
        .is_err()
    {
        return;
    }
    for ((i, p), after) in wanted.iter().zip(after_values) {
        let (Some(after), Some(before)) = (after, values(client, &p.before_sql).await) else {
            continue;
        };
        let (rows, examples) = differences(&before, &after);
        losses[*i].rows = Some(rows);
        losses[*i].examples = examples;
    }
}

/// The two queries reading one column's values keyed by primary key.
struct DetailPlan {
    before_sql: String,
    after_sql: String,
}

fn detail_plan(
    current: &Database,
    map: &compare::Mapping,
    before: &Fingerprint,
    after: &Fingerprint,
    table: &QualifiedName,
    column: &str,
) -> Option<DetailPlan> {
    let t = current.tables.get(table)?;
    let new_t = map.table(table)?;
    let new_c = map.column(&new_t, column)?;
    let bc = before.tables.get(table)?.columns.get(column)?;
    let ac = after.tables.get(&new_t)?.columns.get(&new_c)?;
    let expr = |c: &str| match compare::how(bc, ac) {
        types::Comparison::Number => fingerprint::number_expr(&quote_ident(c)),
        _ => fingerprint::text_expr(&quote_ident(c)),
    };
    let pk: Vec<String> = t
        .primary_key
        .as_ref()
        .map(|p| p.columns.clone())
        .unwrap_or_default();
    let new_pk: Vec<String> = pk
        .iter()
        .map(|c| map.column(&new_t, c))
        .collect::<Option<_>>()?;
    let key = |names: &[String]| {
        if names.is_empty() {
            // No primary key: rows pair by value only.
            return "NULL::text".to_string();
        }
        // `id=7`, named as before the migration.
        let parts: Vec<String> = names
            .iter()
            .zip(&pk)
            .map(|(c, label)| {
                let label = crate::model::quote_literal(&format!("{label}="));
                format!("{label} || {}::text", quote_ident(c))
            })
            .collect();
        format!("concat_ws(', ', {})", parts.join(", "))
    };
    Some(DetailPlan {
        before_sql: format!(
            "SELECT {}, {} FROM {}",
            key(&pk),
            expr(column),
            table.quoted()
        ),
        after_sql: format!(
            "SELECT {}, {} FROM {}",
            key(&new_pk),
            expr(&new_c),
            new_t.quoted()
        ),
    })
}

type Keyed = Vec<(Option<String>, Option<String>)>;

async fn values(client: &Client, sql: &str) -> Option<Keyed> {
    let rows = client.query(sql, &[]).await.ok()?;
    Some(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Rows whose value differs (paired by key; by value when there is no
/// key) and up to three examples.
fn differences(before: &Keyed, after: &Keyed) -> (u64, Vec<String>) {
    use std::collections::HashMap;
    const EXAMPLES: usize = 3;
    let show = |v: &Option<String>| match v {
        Some(v) => short(v),
        None => "NULL".to_string(),
    };
    let keyed = before.iter().all(|(k, _)| k.is_some());
    if keyed {
        let after: HashMap<&Option<String>, &Option<String>> =
            after.iter().map(|(k, v)| (k, v)).collect();
        let changed: Vec<String> = before
            .iter()
            .filter(|(k, v)| after.get(k) != Some(&v))
            .map(|(k, v)| {
                let now = after.get(k).map_or("(row gone)".to_string(), |a| show(a));
                let key = crate::escape::line(k.as_deref().unwrap_or_default()).into_owned();
                format!("{key}: {} → {now}", show(v))
            })
            .collect();
        if !changed.is_empty() {
            return (
                changed.len() as u64,
                changed.into_iter().take(EXAMPLES).collect(),
            );
        }
    }
    // By value: what was there before and is not any more.
    let mut left: HashMap<&Option<String>, usize> = HashMap::new();
    for (_, v) in after {
        *left.entry(v).or_default() += 1;
    }
    let mut lost = Vec::new();
    for (_, v) in before {
        match left.get_mut(v) {
            Some(n) if *n > 0 => *n -= 1,
            _ => lost.push(format!("{} is gone", show(v))),
        }
    }
    (lost.len() as u64, lost.into_iter().take(EXAMPLES).collect())
}

/// A value for a message: quoted, one line, at most 40 characters (and
/// then its length, so that two long values that differ late still read
/// differently).
fn short(v: &str) -> String {
    let n = v.chars().count();
    let text = if n > 40 {
        let cut: String = v.chars().take(40).collect();
        format!("'{cut}…' ({n} characters)")
    } else {
        format!("'{v}'")
    };
    crate::escape::line(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_pair_by_key_and_fall_back_to_values() {
        let s = |x: &str| Some(x.to_string());
        let before = vec![(s("1"), s("a-long-slug")), (s("2"), s("ok"))];
        let after = vec![(s("1"), s("a-long")), (s("2"), s("ok"))];
        let (n, ex) = differences(&before, &after);
        assert_eq!(n, 1);
        assert_eq!(ex, vec!["1: 'a-long-slug' → 'a-long'".to_string()]);
        let before = vec![(None, s("x")), (None, s("y"))];
        let after = vec![(None, s("y")), (None, s("z"))];
        let (n, ex) = differences(&before, &after);
        assert_eq!((n, ex), (1, vec!["'x' is gone".to_string()]));
    }
}
