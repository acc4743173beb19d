//! `strata dev`: start the embedded PostgreSQL, apply migrations/ to a
//! fresh database, check it against schema/, and report what it did.

use std::time::Instant;

use super::{warn_unmanaged, Settings};
use crate::embedded::Cluster;
use crate::engine::{Engine, Scope, Source};
use crate::scratch::ScratchServer;
use crate::{Error, Result};

pub struct DevOptions {
    /// Keep the server running (until Ctrl-C) and print its URL.
    pub keep: bool,
    /// Seed profile to load when `seeds/<profile>.yaml` exists (`None`: don't seed).
    pub seed_profile: Option<String>,
}

pub async fn dev(s: &Settings, o: &DevOptions) -> Result<()> {
    let t0 = Instant::now();
    // An empty schema/ is allowed here: the dev database is throwaway.
    let spec = super::load_desired_for(s, &s.schema_dir, true)?;
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
    // Migrations are code from the repository: applied by the sandbox's
    // unprivileged role, as in every shadow database.
    let mut target = crate::db::Target::from_config(cluster.config("strata_dev"));
    if !crate::engine::sandbox::superuser_requested() {
        target = crate::engine::sandbox::enter(&target).await?;
    }
    let client = target.connect().await?;
    let migrations = crate::migrations::list(&s.migrations_dir, s.versions.column)?;
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
    let engine = Engine::with_server(ScratchServer::Embedded(cluster), s.catalog_options());
    let (live, desired) = tokio::try_join!(
        engine.open(Source::Live(&target, Scope::All), false),
        engine.open(Source::Spec(&spec), true),
    )?;
    warn_unmanaged(&live.model, "the dev database");
    for t in live.model.tables.values() {
        if let Some(p) = &t.partition_of {
            // Its columns, keys and indexes are its parent's.
            let bound = crate::escape::line(&p.bound);
            eprintln!(
                "  table {:<40} partition of {} {bound}",
                t.name.to_string(),
                p.parent
            );
            continue;
        }
        let policies = live
            .model
            .policies
            .keys()
            .filter(|(n, _)| *n == t.name)
            .count();
        let rls = match (t.row_security, t.force_row_security) {
            (true, true) => format!(
                ", row-level security forced ({policies} polic{})",
                plural(policies)
            ),
            (true, false) => format!(
                ", row-level security ({policies} polic{})",
                plural(policies)
            ),
            _ => String::new(),
        };
        eprintln!(
            "  table {:<40} {} columns, {} indexes, {} foreign keys{rls}{}",
            t.name.to_string(),
            t.columns.len(),
            t.indexes.len(),
            t.foreign_keys.len(),
            t.partition_by
                .as_ref()
                .map(|k| format!(", partitioned by {}", crate::escape::line(k)))
                .unwrap_or_default()
        );
    }
    let changes = engine.compare(&live, &desired).await;
    engine.close(desired).await?;
    let changes = changes?;
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
    let server = engine.into_server();
    if o.keep {
        let Some(ScratchServer::Embedded(cluster)) = &server else {
            unreachable!("dev's engine runs on its embedded cluster")
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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "y"
    } else {
        "ies"
    }
}
