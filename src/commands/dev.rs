//! `strata dev`: start the embedded PostgreSQL, apply migrations/ to a
//! fresh database, check it against schema/, and report what it did.

use std::time::Instant;

use super::{warn_unmanaged, Settings};
use crate::embedded::Cluster;
use crate::{Error, Result};

pub struct DevOptions {
    /// Keep the server running (until Ctrl-C) and print its URL.
    pub keep: bool,
    /// Seed profile to load when `seeds/<profile>.yaml` exists (`None`: don't seed).
    pub seed_profile: Option<String>,
}

pub async fn dev(s: &Settings, o: &DevOptions) -> Result<()> {
    let t0 = Instant::now();
    let spec = crate::spec::load_dir(&s.schema_dir)?;
    let cluster = Cluster::start(&s.embedded)?;
    eprintln!(
        "Started embedded PostgreSQL {} in {:.0?}.",
        cluster.version(),
        t0.elapsed()
    );
    let admin = crate::db::Target::from_config(cluster.config("postgres"))
        .connect()
        .await?;
    admin
        .batch_execute("CREATE DATABASE strata_dev")
        .await
        .map_err(|e| Error::Config(crate::db::describe(&e)))?;
    let target = crate::db::Target::from_config(cluster.config("strata_dev"));
    let client = target.connect().await?;
    let migrations = crate::migrations::list(&s.migrations_dir)?;
    let t1 = Instant::now();
    crate::migrate::replay::replay_dir(&client, &s.migrations_dir).await?;
    eprintln!(
        "Applied {} migration(s) from {} in {:.0?}:",
        migrations.len(),
        s.migrations_dir.display(),
        t1.elapsed()
    );
    for m in &migrations {
        eprintln!("  V{}__{}", m.version, crate::escape::line(&m.name));
    }
    let live = crate::catalog::introspect(&client, &s.catalog_options()).await?;
    warn_unmanaged(&live, "the dev database");
    for t in live.tables.values() {
        eprintln!(
            "  table {:<40} {} columns, {} indexes, {} foreign keys",
            t.name.to_string(),
            t.columns.len(),
            t.indexes.len(),
            t.foreign_keys.len()
        );
    }
    let server = crate::scratch::ScratchServer::Embedded(cluster);
    let desired = crate::shadow::catalog_of(
        crate::shadow::Source::Spec(&spec),
        Some(&server),
        &s.catalog_options(),
    )
    .await?;
    let changes = crate::diff::diff(&live, &desired);
    if changes.is_empty() {
        eprintln!(
            "{} matches {}.",
            s.migrations_dir.display(),
            s.schema_dir.display()
        );
    } else {
        eprintln!(
            "{} differs from {} by {} change(s); run `strata generate NAME` to write the migration.",
            s.schema_dir.display(),
            s.migrations_dir.display(),
            changes.len()
        );
    }
    if let Some(profile) = &o.seed_profile {
        seed_if_present(&client, s, profile).await?;
    }
    if o.keep {
        let crate::scratch::ScratchServer::Embedded(cluster) = &server else {
            unreachable!()
        };
        println!("{}", cluster.url("strata_dev"));
        eprintln!("Embedded PostgreSQL running; Ctrl-C stops it and removes its files.");
        // strata's signal handler stops the cluster and exits on Ctrl-C.
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    }
    drop(server);
    Ok(())
}

/// Seed the dev database with `seeds/<profile>.yaml` when the file exists.
async fn seed_if_present(
    client: &tokio_postgres::Client,
    s: &Settings,
    profile: &str,
) -> Result<()> {
    if !s.seeds_dir.join(format!("{profile}.yaml")).exists() {
        return Ok(());
    }
    let cmd = super::seed::SeedCommand {
        profile: profile.to_string(),
        dry_run: false,
        run: crate::seed::run::SeedOptions::default(),
    };
    super::seed::seed_into(client, s, &cmd).await
}
