//! `rollback`: apply down files (`migrations/down/V{n}__name.sql`) in
//! reverse version order, each in its own transaction together with the
//! removal of its history row, under the same advisory lock as `migrate`.
//! Every down file is read and checked before anything runs: a missing one,
//! or one that loses data without `--allow-destructive`, stops the whole
//! rollback up front instead of half-way.

use std::path::Path;

use tokio_postgres::Client;

use super::{check_history, failure, file_name, history, load, lock, session_settings};
use super::{Loaded, MigrateOptions, Outcome};
use crate::db::Target;
use crate::migrations;
use crate::{Error, Result};

#[derive(Debug, Clone, Default)]
pub struct RollbackOptions {
    /// Keep versions up to this one applied; `None`: undo only the newest.
    pub to: Option<u64>,
    pub allow_destructive: bool,
    /// Dry run, lock wait and timeouts, as for `migrate`.
    pub run: MigrateOptions,
}

pub async fn rollback(target: &Target, dir: &Path, o: &RollbackOptions) -> Result<Outcome> {
    super::check_sum(dir, o.run.column)?;
    let files = load(dir, o.run.column)?;
    let mut client = target.connect().await?;
    lock::die_with_client(&client).await?;
    lock::acquire(&client, o.run.lock_wait).await?;
    let result = run(&mut client, target, dir, &files, o).await;
    lock::release(&client).await;
    result
}

async fn run(
    client: &mut Client,
    target: &Target,
    dir: &Path,
    files: &[Loaded],
    o: &RollbackOptions,
) -> Result<Outcome> {
    // Rolling back only deletes rows: the column is never widened here.
    let found = super::layout::find(&*client, o.run.column).await?;
    let applied = super::read_history_if_any(client).await?;
    check_history(files, &applied, found.current)?;
    let mut undo: Vec<&Loaded> = files
        .iter()
        .filter(|f| applied.iter().any(|a| a.version == f.version))
        .filter(|f| o.to.is_none_or(|to| f.file.version > to))
        .collect();
    undo.reverse();
    if o.to.is_none() {
        undo.truncate(1);
    }
    let downs = undo
        .iter()
        .map(|m| read_down(dir, m))
        .collect::<Result<Vec<_>>>()?;
    // A dry run shows the SQL even when a real run would refuse it.
    let refused = match refuse_data_loss(&downs, o.allow_destructive) {
        Err(Error::Destructive(reasons)) if o.run.dry_run => reasons,
        other => other.map(|()| Vec::new())?,
    };
    if let (Some(to), Some(first), false) = (&o.run.backup, downs.first(), o.run.dry_run) {
        let label = format!("rollback-V{}", first.version);
        let file = super::backup::dump(client, target, to, &label, &o.run.binaries).await?;
        eprintln!("backup: {}", file.display());
    }
    let mut out = Outcome {
        refused,
        ..Outcome::default()
    };
    for d in &downs {
        if o.run.dry_run {
            let path = d.file.path.display().to_string();
            out.sql.push_str(&crate::render::comment_line(&path));
            out.sql.push_str(&format!("{}\n", d.sql));
        } else {
            apply_down(client, d, &o.run).await?;
            let name = crate::escape::line(&d.file.name);
            eprintln!("rolled back V{}__{name}", d.file.version);
        }
        out.applied.push(d.file.clone());
    }
    Ok(out)
}

/// The down file of an applied migration, or an error naming the path.
fn read_down(dir: &Path, m: &Loaded) -> Result<Loaded> {
    let path = migrations::down_path(dir, &m.file);
    let sql = super::read::text(&path).map_err(|e| {
        Error::Config(format!(
            "cannot roll back {}: its down file is unreadable ({e}); nothing was rolled back",
            file_name(&m.file.path),
        ))
    })?;
    let mut file = m.file.clone();
    file.path = path;
    Ok(Loaded {
        file,
        sql,
        version: m.version,
    })
}

fn refuse_data_loss(downs: &[Loaded], allow: bool) -> Result<()> {
    let reasons: Vec<String> = downs
        .iter()
        .flat_map(|d| {
            migrations::destructive_reasons(&d.sql)
                .into_iter()
                .map(|r| format!("{}: {r}", file_name(&d.file.path)))
        })
        .collect();
    if reasons.is_empty() || allow {
        Ok(())
    } else {
        Err(Error::Destructive(reasons))
    }
}

/// Run one down file and forget its history row, atomically (or, with
/// `-- strata:no-transaction`, statement by statement, forgetting last).
async fn apply_down(client: &mut Client, d: &Loaded, o: &MigrateOptions) -> Result<()> {
    if migrations::is_no_transaction(&d.sql) {
        client
            .batch_execute(&session_settings(o, false))
            .await
            .map_err(|e| failure(d, &d.sql, 0, &e))?;
        if let Err((st, e)) = super::each_statement(client, &d.sql).await {
            return Err(failure(d, st.sql, st.offset, &e));
        }
        return Ok(history::forget(&*client, d.version).await?);
    }
    let fail = |e: tokio_postgres::Error| failure(d, &d.sql, 0, &e);
    let tx = client.transaction().await.map_err(fail)?;
    tx.batch_execute(&session_settings(o, true))
        .await
        .map_err(fail)?;
    if let Err((st, e)) = super::each_statement(&tx, &d.sql).await {
        return Err(failure(d, st.sql, st.offset, &e));
    }
    history::forget(&tx, d.version).await?;
    tx.commit().await.map_err(fail)
}
