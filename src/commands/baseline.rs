//! `strata baseline N` (Alembic's `stamp`): record an existing database as
//! being at version N without running anything. Every migration file up to
//! N gets a refinery-compatible history row (same checksum `migrate`
//! writes), under the migration lock. Before recording, the live schema is
//! compared with V1..VN replayed in a shadow database (the same drift check
//! as `status`): a database that is not what those files produce is
//! refused, with the SQL that would reconcile it, unless `--force`.

use std::time::Duration;

use super::{status, Settings};
use crate::migrate::{self, history, layout, lock, sum, Loaded};
use crate::migrations::VersionColumn;
use crate::{Error, Result};

pub struct BaselineOptions {
    pub version: u64,
    pub force: bool,
    pub lock_wait: Duration,
}

/// Returns the versions recorded (empty when all were already there).
pub async fn baseline(s: &Settings, o: &BaselineOptions) -> Result<Vec<i64>> {
    let column = s.versions.column;
    if !sum::check(&s.migrations_dir, column)? {
        eprintln!(
            "warning: {} has no {}; run `strata rehash` so edits to the files are detected",
            s.migrations_dir.display(),
            sum::FILE
        );
    }
    let files = migrate::load(&s.migrations_dir, column)?;
    if !files.iter().any(|f| f.file.version == o.version) {
        return Err(Error::Config(format!(
            "there is no migration V{}__*.sql in {}",
            o.version,
            s.migrations_dir.display()
        )));
    }
    let target = s.target()?;
    let client = target.connect().await?;
    lock::acquire(&client, o.lock_wait).await?;
    let result = locked(s, &target, &client, &files, o).await;
    lock::release(&client).await;
    result
}

async fn locked(
    s: &Settings,
    target: &crate::db::Target,
    client: &tokio_postgres::Client,
    files: &[Loaded],
    o: &BaselineOptions,
) -> Result<Vec<i64>> {
    let found = layout::find(client, s.versions.column).await?;
    let applied = migrate::read_history_if_any(client).await?;
    let upto: Vec<&Loaded> = files
        .iter()
        .filter(|f| f.file.version <= o.version)
        .collect();
    consistent(&upto, &applied, o.version, found.current)?;
    let missing: Vec<&&Loaded> = upto
        .iter()
        .filter(|f| !applied.iter().any(|a| a.version == f.version))
        .collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    // `drift` replays the files whose versions are "applied": V1..VN.
    let assumed: Vec<history::Applied> = upto
        .iter()
        .map(|f| history::Applied {
            version: f.version,
            name: f.file.name.clone(),
            applied_on: String::new(),
            checksum: String::new(),
        })
        .collect();
    // Only what a plan can reconcile: unmanaged objects do not stop a
    // baseline (they are warned about, also with `strict: true`, which is
    // for the commands that compare).
    let lenient = Settings {
        strict: false,
        ..s.clone()
    };
    let drift = status::drift(&lenient, target, files, &assumed).await?.sql;
    if !drift.is_empty() {
        let what = format!(
            "the live schema is not what V1..V{} produce; the SQL that would make it so:\n{drift}",
            o.version
        );
        if !o.force {
            return Err(Error::Refused(format!(
                "refusing to baseline: {what}\n(pass --force to record the versions anyway)"
            )));
        }
        eprintln!("warning (--force): {what}");
    }
    record(
        client,
        &missing,
        found,
        s.versions.column,
        (files, &applied),
    )
    .await
}

/// Existing history is acceptable only if every row is one of the files up
/// to N, unedited; baseline then only fills in the rest.
fn consistent(
    upto: &[&Loaded],
    applied: &[history::Applied],
    n: u64,
    column: VersionColumn,
) -> Result<()> {
    let mut problems = Vec::new();
    for a in applied {
        match upto.iter().find(|f| f.version == a.version) {
            None => problems.push(format!(
                "V{}__{} is recorded as applied, but it is not a migration file up to V{n}",
                a.version, a.name
            )),
            Some(f) => {
                if let Some(sum) = crate::migrate::edited(f, a, column) {
                    problems.push(format!(
                        "{} differs from the applied V{}__{} (checksum {} recorded, {} now)",
                        f.file.path.display(),
                        a.version,
                        a.name,
                        a.checksum,
                        sum
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::History(problems))
    }
}

/// Record `missing` in one transaction, creating (or widening, see
/// [`layout`]) the history table first; `so_far` are the files and the
/// rows already recorded.
async fn record(
    client: &tokio_postgres::Client,
    missing: &[&&Loaded],
    found: layout::Found,
    wanted: VersionColumn,
    so_far: (&[Loaded], &[history::Applied]),
) -> Result<Vec<i64>> {
    let err = |source| crate::db::DbError::Query {
        context: "recording the baseline".into(),
        source,
    };
    client.batch_execute("BEGIN").await.map_err(err)?;
    let done = async {
        let (column, note) = layout::prepare(client, found, wanted, so_far.0, so_far.1).await?;
        for f in missing {
            let sum = history::checksum(&f.file.name, f.version, &f.sql, column);
            history::record(client, f.version, &f.file.name, sum).await?;
        }
        client.batch_execute("COMMIT").await.map_err(err)?;
        if let Some(note) = note {
            eprintln!("{note}");
        }
        Ok::<_, Error>(())
    }
    .await;
    if done.is_err() {
        let _ = client.batch_execute("ROLLBACK").await;
    }
    done.map(|()| missing.iter().map(|f| f.version).collect())
}
