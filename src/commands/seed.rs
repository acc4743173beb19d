//! `strata seed`: load a seed profile (`seeds/<profile>.yaml`) into the
//! target database, or with `--dry-run` print the plan and sample rows.

use std::path::{Path, PathBuf};

use tokio_postgres::Client;

use super::Settings;
use crate::escape::line;
use crate::model::Database;
use crate::seed::order::Step;
use crate::seed::run::{self, SeedOptions};
use crate::seed::{Inputs, Pool, Size, TableProfile};
use crate::{Error, Result};

pub struct SeedCommand {
    pub profile: String,
    pub dry_run: bool,
    pub run: SeedOptions,
}

pub async fn seed(s: &Settings, o: &SeedCommand) -> Result<()> {
    let client = s.target()?.connect().await?;
    seed_into(&client, s, o).await
}

/// Seed through an open connection (`strata dev` seeds its own database),
/// holding the seed lock: a second seed of the same database waits for
/// this one, from before the catalog is read until the commit.
pub async fn seed_into(client: &Client, s: &Settings, o: &SeedCommand) -> Result<()> {
    o.run.check()?;
    crate::seed::lock::acquire(client, || {
        eprintln!("waiting for another `strata seed` of this database to finish (advisory lock)…")
    })
    .await?;
    let result = seed_locked(client, s, o).await;
    crate::seed::lock::release(client).await;
    result
}

async fn seed_locked(client: &Client, s: &Settings, o: &SeedCommand) -> Result<()> {
    let db = crate::catalog::introspect(client, &s.catalog_options()).await?;
    let path = profile_path(&s.seeds_dir, &o.profile)?;
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let profile = crate::seed::profile::load(&path, &db, &base)?;
    let planned = run::plan(&db, &profile, o.run.tables.as_deref())?;
    if o.dry_run {
        return print_plan(client, &db, &planned, &o.run).await;
    }
    let t0 = std::time::Instant::now();
    let loaded = run::seed(client, &db, &planned, &o.run).await?;
    let total: u64 = loaded.iter().map(|l| l.rows).sum();
    for l in &loaded {
        let secs = l.elapsed.as_secs_f64().max(1e-6);
        eprintln!(
            "  {:<32} {:>10} rows  {:>8.2} s  {:>10.0} rows/s",
            l.table.to_string(),
            l.rows,
            secs,
            l.rows as f64 / secs
        );
    }
    eprintln!(
        "Seeded {total} rows into {} table(s) from {} in {:.2} s.",
        loaded.len(),
        path.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

fn profile_path(dir: &Path, profile: &str) -> Result<PathBuf> {
    let path = dir.join(format!("{profile}.yaml"));
    if path.exists() {
        return Ok(path);
    }
    let mut known: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".yaml")
                        .map(String::from)
                })
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    Err(Error::Config(format!(
        "no seed profile {profile:?}: {} does not exist{}",
        path.display(),
        if known.is_empty() {
            String::new()
        } else {
            format!(" (profiles there: {})", known.join(", "))
        }
    )))
}

/// Rows shown per table by `--dry-run`.
const SAMPLE: u64 = 3;

/// The plan on stdout: order, row counts, deferred keys, and sample rows
/// (foreign keys shown as `→ parent#i`, since parents are not loaded).
async fn print_plan(
    client: &Client,
    db: &Database,
    planned: &[(Step, &TableProfile)],
    o: &SeedOptions,
) -> Result<()> {
    let counts = run::planned_rows(client, planned, o.scale).await?;
    println!("-- seed plan (dry run: nothing is written)");
    for (i, (step, tp)) in planned.iter().enumerate() {
        let n = counts.get(&step.table).copied().unwrap_or(0);
        let how = match &tp.size {
            Size::Rows(_) => String::new(),
            Size::PerParent {
                parent, min, max, ..
            } => format!(" ({min}..{max} per {parent} row)"),
            Size::Import(spec) => format!(
                " (imported from {}: counted when loaded)",
                spec.file
                    .as_deref()
                    .unwrap_or(std::path::Path::new("?"))
                    .display()
            ),
        };
        println!("{}. {}: {n} rows{}", i + 1, step.table, line(&how));
        for fk in step.deferred.iter().chain(&step.self_refs) {
            println!(
                "   {}({}) loaded NULL, then filled by one UPDATE",
                step.table,
                line(&fk.columns.join(", "))
            );
        }
    }
    for (step, tp) in planned {
        if !matches!(tp.size, Size::Import(_)) {
            print_sample(db, step, tp, &counts)?;
        }
    }
    Ok(())
}

fn print_sample(
    db: &Database,
    step: &Step,
    tp: &TableProfile,
    counts: &std::collections::HashMap<crate::model::QualifiedName, u64>,
) -> Result<()> {
    let table = &db.tables[&step.table];
    let pools: Vec<Pool> = tp
        .gen
        .fks
        .iter()
        .map(|slot| {
            let fk = &table.foreign_keys[slot.fk_index];
            let deferred = step
                .deferred
                .iter()
                .chain(&step.self_refs)
                .any(|d| d.columns == fk.columns);
            if deferred {
                return Pool::Deferred;
            }
            let n = counts
                .get(&slot.ref_table)
                .copied()
                .unwrap_or(SAMPLE)
                .max(1);
            Pool::Keys(
                (0..n.min(1000))
                    .map(|i| {
                        let label = format!("→ {}#{}", slot.ref_table, i + 1);
                        slot.pool_columns()
                            .iter()
                            .map(|_| crate::copy::Value::Text(label.clone()))
                            .collect()
                    })
                    .collect(),
            )
        })
        .collect();
    let fan = match &tp.size {
        Size::PerParent { slot, min, max, .. } => {
            let parents = match &pools[*slot] {
                Pool::Keys(k) => k.len(),
                Pool::Deferred => 0,
            };
            Some(crate::seed::FanOut::assign(
                tp.gen.fan_out_key,
                parents,
                *min,
                *max,
            ))
        }
        Size::Rows(_) | Size::Import(_) => None,
    };
    let n = counts.get(&step.table).copied().unwrap_or(0).min(SAMPLE);
    let inputs = Inputs {
        pools: &pools,
        fan_out: fan.as_ref(),
    };
    let rows = tp.gen.generate(0..n, &inputs)?;
    // Names and generated values may hold line breaks or terminal
    // escapes: one line per row, escaped.
    print!(
        "\n{}",
        crate::render::comment_line(&format!("{} (first {n} rows)", step.table))
    );
    println!("{}", line(&tp.gen.columns.join(" | ")));
    for r in rows {
        let cells: Vec<String> = r.iter().map(crate::seed::coltype::text_form).collect();
        println!("{}", line(&cells.join(" | ")));
    }
    Ok(())
}
