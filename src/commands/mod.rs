//! The subcommands, as library functions the binary (and tests) call.
//! Each returns the exit code it wants; errors propagate as [`crate::Error`].

pub mod baseline;
pub mod dev;
pub mod diff;
pub mod generate;
pub mod import;
pub mod init;
pub mod plan;
pub mod pull;
pub mod seed;
pub mod status;
pub mod validate;

pub use baseline::baseline;
pub use dev::dev;
pub use diff::diff;
pub use generate::generate;
pub use init::init;
pub use plan::plan;
pub use pull::pull;
pub use seed::seed;
pub use status::status;
pub use validate::validate;

use std::path::PathBuf;

use crate::catalog::CatalogOptions;
use crate::embedded::EmbeddedOptions;
use crate::model::Database;
use crate::scratch::ScratchServer;
use crate::Result;

/// Everything a command needs, resolved from flags, environment and
/// `strata.yaml` (in that order of precedence) by the binary. `Debug` is
/// written by hand: the URLs may hold passwords.
#[derive(Clone, Default)]
pub struct Settings {
    pub database_url: Option<String>,
    pub dev_url: Option<String>,
    pub schema_dir: PathBuf,
    pub migrations_dir: PathBuf,
    pub seeds_dir: PathBuf,
    pub schemas: Option<Vec<String>>,
    pub embedded: EmbeddedOptions,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = |u: &Option<String>| u.as_deref().map(crate::db::redact);
        f.debug_struct("Settings")
            .field("database_url", &url(&self.database_url))
            .field("dev_url", &url(&self.dev_url))
            .field("schema_dir", &self.schema_dir)
            .field("migrations_dir", &self.migrations_dir)
            .field("seeds_dir", &self.seeds_dir)
            .field("schemas", &self.schemas)
            .field("embedded", &self.embedded)
            .finish()
    }
}

impl Settings {
    pub fn catalog_options(&self) -> CatalogOptions {
        CatalogOptions {
            schemas: self.schemas.clone(),
        }
    }

    /// The schemas `plan` compares in a live database: `schemas` from
    /// strata.yaml when set; otherwise `public` and every schema the YAML
    /// declares or uses. A database shared with other tools (an `auth` or
    /// `audit` schema strata never heard of) is then left alone instead of
    /// being planned for DROP.
    pub fn live_catalog_options(&self, spec: &Database) -> CatalogOptions {
        if self.schemas.is_some() {
            return self.catalog_options();
        }
        let mut schemas: std::collections::BTreeSet<String> =
            spec.schemas.keys().cloned().collect();
        schemas.insert("public".into());
        schemas.extend(spec.tables.keys().map(|n| n.schema.clone()));
        schemas.extend(spec.enums.keys().map(|n| n.schema.clone()));
        schemas.extend(spec.extensions.values().filter_map(|e| e.schema.clone()));
        CatalogOptions {
            schemas: Some(schemas.into_iter().collect()),
        }
    }

    /// The scratch server for shadow databases: `--dev-url` or embedded.
    pub fn scratch(&self) -> Result<ScratchServer> {
        ScratchServer::start(self.dev_url.as_deref(), &self.embedded)
    }

    pub fn target(&self) -> Result<crate::db::Target> {
        let url = self.database_url.as_deref().ok_or_else(|| {
            crate::Error::Config(
                "no database given: pass --database-url, set DATABASE_URL, or set database_url in strata.yaml".into(),
            )
        })?;
        Ok(crate::db::Target::parse(url)?)
    }
}

/// Print one warning line per kind of unmanaged object in `db`.
pub fn warn_unmanaged(db: &Database, what: &str) {
    use std::collections::BTreeMap;
    let mut kinds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for u in &db.unmanaged {
        kinds.entry(&u.kind).or_default().push(&u.name);
    }
    for (kind, names) in kinds {
        let shown: Vec<&str> = names.iter().take(5).copied().collect();
        let more = if names.len() > 5 {
            format!(", … {} more", names.len() - 5)
        } else {
            String::new()
        };
        eprintln!(
            "warning: {} {kind} in {what} not managed by strata ({}{more})",
            names.len(),
            crate::escape::line(&shown.join(", "))
        );
    }
}

/// A plan as the text of a migration file or of `plan`'s output.
pub fn render_sql(plan: &crate::plan::Plan, header: &str) -> String {
    format!("{header}\n{}", plan.to_sql())
}
