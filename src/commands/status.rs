//! `strata status`: which migrations are applied, pending, edited or
//! missing, whether migrations/ matches its strata.sum, and drift: how the
//! live schema differs from what the applied migrations produce (replayed
//! in a shadow database).

use serde::Serialize;

use super::{check_unmanaged, Settings};
use crate::engine::{Scope, Source};
use crate::error::exit;
use crate::migrate::{self, history, layout, state, sum};
use crate::migrations::VersionColumn;
use crate::{Error, Result};

#[derive(Serialize)]
struct Entry {
    version: i64,
    name: String,
    /// `applied`, `pending`, `edited`, `missing` (applied, file gone) or
    /// `partial` (a no-transaction migration that stopped halfway).
    state: &'static str,
    applied_on: Option<String>,
}

#[derive(Serialize)]
struct Report {
    migrations: Vec<Entry>,
    /// `ok`, `missing` or the list of differences.
    sum: Vec<String>,
    /// SQL that would bring the live schema back to what the applied
    /// migrations produce; empty when there is no drift.
    drift: String,
    /// Objects strata does not manage that differ between the live schema
    /// and the applied migrations, each `live only: <kind> <name>` (made
    /// by hand) or `migrations only: <kind> <name>` (dropped by hand).
    /// Drift like `drift`.
    unmanaged_drift: Vec<String>,
    /// Half-applied no-transaction migrations: what ran, what failed.
    partial: Vec<String>,
    /// The history table's version column, `int4` or `int8` (what
    /// strata.yaml asks for when there is no table yet).
    version_column: &'static str,
    /// The table is `int4` and strata.yaml asks for `int8`: the next
    /// `migrate` widens it.
    widen: bool,
}

pub struct StatusOptions {
    pub json: bool,
    pub exit_code: bool,
}

pub async fn status(s: &Settings, o: &StatusOptions) -> Result<i32> {
    if !s.migrations_dir.is_dir() {
        return Err(Error::Config(format!(
            "{} is not a directory: run strata in a project (`strata init` creates one) or pass --migrations DIR",
            s.migrations_dir.display()
        )));
    }
    let column = s.versions.column;
    let files = migrate::load(&s.migrations_dir, column)?;
    let sum = match sum::check(&s.migrations_dir, column) {
        Ok(true) => vec!["ok".to_string()],
        Ok(false) => vec!["missing".to_string()],
        Err(Error::History(diffs)) => diffs,
        Err(e) => return Err(e),
    };
    let target = s.target()?;
    let client = target.connect().await?;
    let found = layout::find(&client, column).await?;
    let applied = migrate::read_history_if_any(&client).await?;
    let partial = state::all(&client).await?;
    let mut migrations = entries(&files, &applied, found.current);
    for m in migrations.iter_mut() {
        if m.state == "pending" && partial.iter().any(|p| p.version == m.version) {
            m.state = "partial";
        }
    }
    let partial = partial.iter().map(describe_partial).collect();
    let drift = drift(s, &target, &files, &applied).await?;
    let clean =
        sum[0] == "ok" && drift.is_empty() && migrations.iter().all(|m| m.state == "applied");
    let report = Report {
        migrations,
        sum,
        drift: drift.sql,
        unmanaged_drift: drift.unmanaged,
        partial,
        version_column: found.current.name(),
        widen: found.widen,
    };
    if o.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::Config(format!("rendering JSON: {e}")))?;
        println!("{text}");
    } else {
        print_text(&report);
    }
    Ok(if o.exit_code && !clean {
        exit::CHANGES_PENDING
    } else {
        exit::OK
    })
}

fn entries(
    files: &[migrate::Loaded],
    applied: &[history::Applied],
    column: VersionColumn,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = files
        .iter()
        .map(|f| {
            let a = applied.iter().find(|a| a.version == f.version);
            let state = match a {
                None => "pending",
                Some(a) => {
                    let sum = history::checksum(&f.file.name, f.version, &f.sql, column);
                    let sum = sum.to_string();
                    if sum == a.checksum {
                        "applied"
                    } else {
                        "edited"
                    }
                }
            };
            Entry {
                version: f.version,
                name: f.file.name.clone(),
                state,
                applied_on: a.map(|a| a.applied_on.clone()),
            }
        })
        .collect();
    for a in applied
        .iter()
        .filter(|a| !files.iter().any(|f| f.version == a.version))
    {
        out.push(Entry {
            version: a.version,
            name: a.name.clone(),
            state: "missing",
            applied_on: Some(a.applied_on.clone()),
        });
    }
    out.sort_by_key(|e| e.version);
    out
}

fn describe_partial(p: &state::Partial) -> String {
    format!(
        "V{}__{}: {} statement(s) completed; {} at line {}: {}{} ({}); `strata migrate` resumes there",
        p.version,
        p.name,
        p.completed,
        if p.error.is_some() { "failed" } else { "interrupted" },
        p.line,
        p.statement.lines().next().unwrap_or(""),
        p.error
            .as_ref()
            .map(|e| format!(" — {}", e.lines().next().unwrap_or("")))
            .unwrap_or_default(),
        p.updated_at
    )
}

/// How the live schema differs from the applied migrations.
#[derive(Default)]
pub(crate) struct Drift {
    /// The SQL that reconciles the managed objects; empty when equal.
    pub sql: String,
    /// Unmanaged objects on one side only (see `Report::unmanaged_drift`).
    pub unmanaged: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.sql.is_empty() && self.unmanaged.is_empty()
    }
}

/// Replay the applied migrations in a shadow and plan live → that state.
/// Nothing applied: no drift to speak of (the database was never migrated
/// by strata; comparing it with an empty state would "drop everything"),
/// but in strict mode the live database is still checked.
pub(crate) async fn drift(
    s: &Settings,
    target: &crate::db::Target,
    files: &[migrate::Loaded],
    applied: &[history::Applied],
) -> Result<Drift> {
    let replayed: Vec<migrate::Loaded> = files
        .iter()
        .filter(|f| applied.iter().any(|a| a.version == f.version))
        .cloned()
        .collect();
    let mut engine = s.engine();
    if replayed.is_empty() {
        if s.strict {
            let live = engine.open(Source::Live(target, Scope::All), false).await?;
            check_unmanaged(s, &live.model, &target.display())?;
        }
        return Ok(Drift::default());
    }
    engine.match_target(target);
    let expected = engine.open(Source::Migrations(&replayed), true).await?;
    let result = async {
        let live = engine
            .open(Source::Live(target, Scope::Like(&expected.model)), false)
            .await?;
        check_unmanaged(s, &live.model, &target.display())?;
        let changes = engine.compare(&live, &expected).await?;
        Ok::<_, Error>(Drift {
            sql: if changes.is_empty() {
                String::new()
            } else {
                crate::plan::plan(&changes, &live.model).to_sql()
            },
            unmanaged: unmanaged_drift(&live.model, &expected.model),
        })
    }
    .await;
    engine.close(expected).await?;
    result
}

/// Unmanaged objects present on one side only, compared by kind and name:
/// a function or text search configuration made by hand is drift even
/// though no plan can speak of it.
fn unmanaged_drift(
    live: &crate::model::Database,
    expected: &crate::model::Database,
) -> Vec<String> {
    let only = |a: &crate::model::Database, b: &crate::model::Database, tag: &str| {
        a.unmanaged
            .iter()
            .filter(|u| !b.unmanaged.contains(u))
            .map(|u| format!("{tag} {} {}", u.kind, u.name))
            .collect::<Vec<_>>()
    };
    let mut out = only(live, expected, "live only:");
    out.extend(only(expected, live, "migrations only:"));
    out
}

/// Names and dates come from file names and the history table: each is
/// kept on its line ([`crate::escape::line`]). The drift is SQL naming
/// live objects, for a reader: its lines stay, but a control character
/// in a name (ESC) is escaped like any terminal text
/// ([`crate::escape::terminal`]); `plan` prints the exact SQL.
fn print_text(r: &Report) {
    use crate::escape::line;
    for m in &r.migrations {
        println!(
            "{:<8} V{}__{}{}",
            m.state,
            m.version,
            line(&m.name),
            m.applied_on
                .as_ref()
                .map(|d| format!("  ({})", line(d)))
                .unwrap_or_default()
        );
    }
    for p in &r.partial {
        println!("partial: {}", line(&p.to_string()));
    }
    println!("strata.sum: {}", line(&r.sum.join("; ")));
    if r.widen {
        println!(
            "history: {} stores versions as int4; the next `strata migrate` widens it to int8 \
             (migrations.version_column: int8 in strata.yaml)",
            crate::migrations::HISTORY_TABLE
        );
    }
    let none_applied = !r
        .migrations
        .iter()
        .any(|m| matches!(m.state, "applied" | "edited"));
    if none_applied {
        println!("drift: not checked (no migration has been applied to this database)");
    } else if r.drift.is_empty() && r.unmanaged_drift.is_empty() {
        println!("drift: none (the live schema is what the applied migrations produce)");
    }
    if !r.drift.is_empty() {
        println!(
            "drift: the live schema differs from the applied migrations; to reconcile:\n{}",
            crate::escape::terminal(&r.drift)
        );
    }
    for u in &r.unmanaged_drift {
        println!("drift: not managed by strata, {}", line(u));
    }
}
