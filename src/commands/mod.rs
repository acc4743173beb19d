//! The subcommands, as library functions the binary (and tests) call.
//! Each returns the exit code it wants; errors propagate as [`crate::Error`].

pub mod baseline;
pub mod dev;
pub mod diff;
pub mod generate;
pub mod import;
pub mod init;
pub mod new;
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
pub use new::new_migration;
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
    /// `--strict` or `strict: true`: an unmanaged object is an error
    /// ([`check_unmanaged`]).
    pub strict: bool,
    /// `manage:` in strata.yaml: the opt-in kinds (privileges, owners).
    pub manage: crate::config::Manage,
    /// `migrations:` in strata.yaml: how new files are numbered and the
    /// history table's version column.
    pub versions: crate::migrations::Versions,
    /// The `strata.yaml` read, `None` outside a project (messages then
    /// suggest `strata init`).
    pub project: Option<PathBuf>,
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
            .field("strict", &self.strict)
            .field("manage", &self.manage)
            .field("versions", &self.versions)
            .field("project", &self.project)
            .finish()
    }
}

impl Settings {
    pub fn catalog_options(&self) -> CatalogOptions {
        CatalogOptions {
            schemas: self.schemas.clone(),
            ignore_privileges: !self.manage.privileges,
            owners: self.manage.owners,
        }
    }

    /// The scratch server for shadow databases: `--dev-url` or embedded.
    pub fn scratch(&self) -> Result<ScratchServer> {
        ScratchServer::start(self.dev_url.as_deref(), &self.embedded)
    }

    /// The comparison engine, starting its scratch server when first needed.
    pub fn engine(&self) -> crate::engine::Engine {
        let mut engine = crate::engine::Engine::new(
            self.dev_url.clone(),
            self.embedded.clone(),
            self.catalog_options(),
        );
        engine.set_default_owner(self.manage.default_owner.clone());
        engine
    }

    pub fn target(&self) -> Result<crate::db::Target> {
        let url = self.database_url.as_deref().ok_or_else(|| {
            let outside = if self.project.is_none() {
                " (no strata.yaml in this directory or above it: run strata in a project; `strata init` creates one)"
            } else {
                ""
            };
            crate::Error::Config(format!(
                "no database given: pass --database-url, set DATABASE_URL, or set database_url in strata.yaml{outside}"
            ))
        })?;
        Ok(crate::db::Target::parse(url)?)
    }
}

/// Load the YAML schema in `dir` as a desired state. A directory that
/// declares nothing is refused unless `allow_empty`: compared with a live
/// database it would plan dropping every table (a wrong directory, or a
/// command run outside the project, must not look like "drop everything").
pub fn load_desired(dir: &std::path::Path, allow_empty: bool) -> Result<Database> {
    if !dir.is_dir() {
        return Err(crate::Error::Config(format!(
            "{} is not a directory: run strata in a project (`strata init` creates one) or pass --schema DIR",
            dir.display()
        )));
    }
    let spec = crate::spec::load_dir(dir)?;
    if spec.declares_nothing() && !allow_empty {
        return Err(crate::Error::Config(format!(
            "{} declares nothing (no table, view, type, function, extension or schema): as a desired state that means \"drop everything\". \
             Pass --allow-empty if the database really should be empty",
            dir.display()
        )));
    }
    Ok(spec)
}

/// [`load_desired`], refusing `grants:` and owners that strata.yaml does
/// not let strata manage (they would be built and then ignored).
pub fn load_desired_for(
    s: &Settings,
    dir: &std::path::Path,
    allow_empty: bool,
) -> Result<Database> {
    let spec = load_desired(dir, allow_empty)?;
    if !s.manage.privileges && !spec.default_privileges.of.is_empty() {
        return Err(crate::Error::Config(format!(
            "{} declares default privileges ({}), but privileges are not managed: add `manage: [privileges]` to strata.yaml",
            dir.display(),
            spec.default_privileges.of.keys().next().expect("not empty")
        )));
    }
    if !s.manage.privileges && !spec.privileges.is_empty() {
        return Err(crate::Error::Config(format!(
            "{} declares grants (on {}), but privileges are not managed: add `manage: [privileges]` to strata.yaml",
            dir.display(),
            spec.privileges.keys().next().expect("not empty")
        )));
    }
    if !s.manage.owners && !spec.owners.of.is_empty() {
        return Err(crate::Error::Config(format!(
            "{} declares owners (of {}), but owners are not managed: add `manage: [owners]` to strata.yaml",
            dir.display(),
            spec.owners.of.keys().next().expect("not empty")
        )));
    }
    Ok(spec)
}

/// Objects of kinds strata does not diff that the desired state (built
/// from `schema/*.sql`) has and `other` lacks, as one line naming them
/// (`None`: there are none). Neither `plan` nor `generate` can create them.
pub fn not_diffed(
    desired: &Database,
    other: &Database,
    dir: &std::path::Path,
    other_name: &str,
) -> Option<String> {
    let missing: Vec<&crate::model::Unmanaged> = desired
        .unmanaged
        .iter()
        .filter(|u| !other.unmanaged.contains(u))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<String> = missing
        .iter()
        .take(5)
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    let more = missing.len().saturating_sub(5);
    Some(format!(
        "{} defines {} object(s) of kinds strata does not diff that {other_name} lacks ({}{})",
        dir.display(),
        missing.len(),
        crate::escape::line(&names.join(", ")),
        if more > 0 {
            format!(", … {more} more")
        } else {
            String::new()
        }
    ))
}

/// `db`'s unmanaged objects: an error listing every one of them in strict
/// mode (before anything else is done with `db`), else one warning line
/// per kind ([`warn_unmanaged`]).
pub fn check_unmanaged(s: &Settings, db: &Database, what: &str) -> Result<()> {
    if s.strict && !db.unmanaged.is_empty() {
        return Err(crate::Error::Unmanaged {
            place: what.to_string(),
            objects: db
                .unmanaged
                .iter()
                .map(|u| format!("{} {}", u.kind, u.name))
                .collect(),
        });
    }
    warn_unmanaged(db, what);
    Ok(())
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
            format!(", … {} more; --strict lists them all", names.len() - 5)
        } else {
            String::new()
        };
        eprintln!(
            "warning: {} {kind} in {what} not managed by strata ({}{more})",
            names.len(),
            crate::escape::line(&shown.join(", "))
        );
        if kind == crate::catalog::GRANTS || kind == crate::catalog::DEFAULT_PRIVILEGES {
            eprintln!(
                "hint: privileges are managed only on request: add `manage: [privileges]` to strata.yaml"
            );
        }
    }
}

/// A plan as the text of a migration file or of `plan`'s output.
pub fn render_sql(plan: &crate::plan::Plan, header: &str) -> String {
    format!("{header}\n{}", plan.to_sql())
}
