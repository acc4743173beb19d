//! `engine`: the only place a command gets a comparison from.
//!
//! Every command that compares two schema states — `plan`, `generate` (and
//! its verification and down file), `diff`, `dev`, `status`, `baseline` —
//! goes through [`Engine::open`] for each side and [`Engine::compare`] for
//! the changes. That makes them agree by construction:
//!
//! - a [`Source`] (YAML model, migration files replayed, live database) is
//!   read as a *catalog* model: YAML and migrations are materialised in a
//!   scratch database first, so PostgreSQL normalises types, defaults and
//!   expressions exactly as it will in the target ([`build`]);
//! - a live database is read only in the schemas the other side uses (or
//!   `schemas:` from strata.yaml), so a database shared with other tools is
//!   not planned for DROP ([`Scope`]);
//! - expressions that differ only in spelling are normalised on *both* sides
//!   the same way: PostgreSQL's deparsed text is not a fixpoint, so each
//!   side's text is re-printed until it stops changing before the two are
//!   compared ([`normalise`]).

pub mod build;
pub mod normalise;
mod pool;
pub mod preserve;
pub mod sandbox;
mod view_text;

use std::path::Path;

use tokio::sync::OnceCell;
use tokio_postgres::Client;

use crate::catalog::{self, CatalogOptions};
use crate::diff::{Change, Hints};
use crate::embedded::EmbeddedOptions;
use crate::migrate::Loaded;
use crate::model::Database;
use crate::scratch::{ScratchDb, ScratchServer};
use crate::{Error, Result};

pub use build::{apply_spec, creation_plan};
use normalise::Probe;

/// Where a schema state comes from.
pub enum Source<'a> {
    /// A YAML model (already loaded and validated).
    Spec(&'a Database),
    /// Migration files, replayed from scratch in the order given.
    Migrations(&'a [Loaded]),
    /// A live database, read in `scope`.
    Live(&'a crate::db::Target, Scope<'a>),
}

/// Which schemas of a live database are read.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    /// Every schema strata manages (`schemas:` from strata.yaml when set).
    All,
    /// The schemas this model uses, plus `public` (unless `schemas:` is
    /// set): what a comparison with that model can speak about.
    Like(&'a Database),
}

/// One side of a comparison: its catalog model, the rename hints its YAML
/// carries, and — when it was materialised in a scratch database that is
/// kept open — that database, where expressions are re-printed.
pub struct Side {
    pub model: Database,
    pub hints: Hints,
    held: Option<Held>,
    /// The live database this side was read from.
    live: Option<crate::db::Target>,
    /// Its `server_version_num` (live sides only): a desired model using a
    /// feature that server lacks is refused before anything is planned.
    live_version: Option<i32>,
}

struct Held {
    db: ScratchDb,
    client: Client,
}

impl Side {
    /// A side known only by its model (e.g. a database read after applying
    /// a migration); comparisons re-print expressions in the other side's
    /// database.
    pub fn detached(model: Database) -> Self {
        Side {
            model,
            hints: Hints::default(),
            held: None,
            live: None,
            live_version: None,
        }
    }

    /// The open scratch database holding this state, if kept.
    pub fn client(&self) -> Option<&Client> {
        self.held.as_ref().map(|h| &h.client)
    }

    /// Where the open scratch database holding this state is, if kept.
    pub fn target(&self) -> Option<&crate::db::Target> {
        self.held.as_ref().map(|h| &h.db.target)
    }

    /// An order in which `statements` all run on this side's database
    /// after the script `first` (indexes into `statements`), found by
    /// running them — each retried after the others while it fails for
    /// something not there yet — in a transaction rolled back
    /// ([`pool::order`]).
    pub async fn order(&self, first: &str, statements: &[String]) -> Result<Vec<usize>> {
        let client = self
            .client()
            .ok_or_else(|| crate::Error::Bug("ordering statements on a closed side".into()))?;
        let sandboxed = sandbox::active(client).await;
        let sent = |s: &str| sandbox::statement(s, sandboxed).into_owned();
        let first: Vec<String> = crate::migrate::split::statements(first)
            .iter()
            .map(|st| sent(st.sql))
            .collect();
        let sent: Vec<String> = statements.iter().map(|s| sent(s)).collect();
        let items = sent
            .iter()
            .map(|sql| pool::Item { sql, origin: None })
            .collect();
        pool::order(client, &first, items, sandboxed).await
    }
}

/// The scratch server, owned or shared with the caller (a test harness's
/// process-wide cluster). One per engine: the size difference is
/// irrelevant.
#[allow(clippy::large_enum_variant)]
enum Server {
    Owned(ScratchServer),
    Shared(&'static ScratchServer),
}

impl std::ops::Deref for Server {
    type Target = ScratchServer;
    fn deref(&self) -> &ScratchServer {
        match self {
            Server::Owned(s) => s,
            Server::Shared(s) => s,
        }
    }
}

/// How the scratch server is obtained: given, or started on first need.
enum Start {
    Given,
    Lazy {
        dev_url: Option<String>,
        embedded: EmbeddedOptions,
        /// The live target whose major the shadow should run
        /// ([`Engine::match_target`]).
        matched: Option<Box<crate::db::Target>>,
    },
}

/// The comparison engine: a scratch server (started when first needed) and
/// the catalog options of the project.
pub struct Engine {
    server: OnceCell<Server>,
    start: Start,
    opts: CatalogOptions,
    /// strata.yaml's `owner:` (under `manage: [owners]`).
    default_owner: Option<String>,
}

impl Engine {
    /// An engine that starts its scratch server (`dev_url` or the embedded
    /// cluster) the first time a side needs materialising.
    pub fn new(dev_url: Option<String>, embedded: EmbeddedOptions, opts: CatalogOptions) -> Self {
        Engine {
            server: OnceCell::new(),
            start: Start::Lazy {
                dev_url,
                embedded,
                matched: None,
            },
            opts,
            default_owner: None,
        }
    }

    /// An engine on a server that is already running.
    pub fn with_server(server: ScratchServer, opts: CatalogOptions) -> Self {
        Engine {
            server: OnceCell::new_with(Some(Server::Owned(server))),
            start: Start::Given,
            opts,
            default_owner: None,
        }
    }

    /// An engine on a server that outlives it (tests, benches).
    pub fn shared(server: &'static ScratchServer, opts: CatalogOptions) -> Self {
        Engine {
            server: OnceCell::new_with(Some(Server::Shared(server))),
            start: Start::Given,
            opts,
            default_owner: None,
        }
    }

    /// Build the shadow on the target's major where the machine has (or
    /// `.ci/fetch-pg` fetched) binaries of it: definitions are then printed
    /// by the same server version on both sides. Call before the first
    /// side is opened; a no-op with `--dev-url`, an explicit bindir, or
    /// once the server runs. The target's version is asked only when the
    /// shadow is started (a diff of two live databases needs none).
    pub fn match_target(&mut self, target: &crate::db::Target) {
        if let Start::Lazy {
            dev_url: None,
            embedded,
            matched,
        } = &mut self.start
        {
            if !self.server.initialized() && embedded.bindir.is_none() {
                *matched = Some(Box::new(target.clone()));
            }
        }
    }

    /// The scratch server, started now if needed.
    pub async fn server(&self) -> Result<&ScratchServer> {
        let server = self
            .server
            .get_or_try_init(|| async {
                let Start::Lazy {
                    dev_url,
                    embedded,
                    matched,
                } = &self.start
                else {
                    return Err(Error::Bug("the engine has no scratch server".into()));
                };
                let mut embedded = embedded.clone();
                if let Some(target) = matched {
                    // The target's own major beats `embedded.major`.
                    let client = target.connect().await?;
                    let version = catalog::ServerVersion::query(&client).await?;
                    embedded.prefer_major = u32::try_from(version.0 / 10000).ok();
                }
                let server = ScratchServer::start(dev_url.as_deref(), &embedded)?;
                let why = if matched.is_some() {
                    "the target runs"
                } else {
                    "strata.yaml's embedded.major says"
                };
                warn_other_major(&server, embedded.prefer_major, why);
                Ok(Server::Owned(server))
            })
            .await?;
        Ok(server)
    }

    /// Give an owned scratch server back (e.g. `dev --keep` keeps its
    /// cluster running).
    pub fn into_server(self) -> Option<ScratchServer> {
        match self.server.into_inner()? {
            Server::Owned(s) => Some(s),
            Server::Shared(_) => None,
        }
    }

    pub fn catalog_options(&self) -> &CatalogOptions {
        &self.opts
    }

    /// The owner of every object a YAML state leaves without one
    /// (`owner:` in strata.yaml; only used with `manage: [owners]`).
    pub fn set_default_owner(&mut self, owner: Option<String>) {
        self.default_owner = owner;
    }

    /// Compare privileges whatever strata.yaml says (`diff` of two live
    /// databases: the roles exist on both sides).
    pub fn compare_privileges(&mut self) {
        self.opts.ignore_privileges = false;
    }

    /// Read `source` as a catalog model. With `keep`, a materialised side
    /// keeps its scratch database open (for [`Side::client`] and cheaper
    /// comparisons) until [`Engine::close`].
    pub async fn open(&self, source: Source<'_>, keep: bool) -> Result<Side> {
        let (spec, files) = match source {
            Source::Live(target, scope) => return self.open_live(target, scope).await,
            Source::Spec(spec) => (Some(spec), None),
            Source::Migrations(files) => (None, Some(files)),
        };
        let server = self.server().await?;
        if let Some(spec) = spec {
            server.ensure_roles(&spec.roles()).await?;
        }
        // A migration (or a `schema/*.sql` statement) may name a role the
        // YAML does not: on the embedded cluster it is created and the
        // build started again, a few times at most.
        let mut tries = 0;
        let (db, client, model) = loop {
            match self.build(server, spec, files).await {
                Ok(built) => break built,
                Err(e) => {
                    let role = sandbox::missing_role(&e.to_string());
                    tries += 1;
                    let retry = match role {
                        Some(r) if tries <= 8 => server.ensure_roles(&[r]).await?,
                        _ => false,
                    };
                    if !retry {
                        return Err(e);
                    }
                }
            }
        };
        let model = self.with_owners(model, spec);
        let hints = spec.map(Hints::from_spec).unwrap_or_default();
        let mut side = Side {
            model,
            hints,
            held: Some(Held { db, client }),
            live: None,
            live_version: None,
        };
        if !keep {
            self.release(&mut side).await?;
        }
        Ok(side)
    }

    /// A built model's owners and default privileges: under `manage:
    /// [owners]` / `[privileges]` a YAML state's are the YAML's (owners
    /// with strata.yaml's default), never the shadow's, whose objects
    /// belong to the build role; replayed migrations speak for neither
    /// ([`crate::diff::owners`], [`crate::diff::default_privileges`]).
    fn with_owners(&self, mut model: Database, spec: Option<&Database>) -> Database {
        // Default privileges likewise: `FOR ROLE r` needs membership in r.
        model.default_privileges = match spec {
            Some(spec) if !self.opts.ignore_privileges => crate::acl::DefaultAcls {
                known: true,
                of: spec.default_privileges.of.clone(),
            },
            _ => Default::default(),
        };
        model.owners = match spec {
            Some(spec) if self.opts.owners => {
                crate::diff::owners::desired(&model, &spec.owners, self.default_owner.as_deref())
            }
            _ => Default::default(),
        };
        model
    }

    /// A scratch database with `spec` or `files` built in it, and its
    /// catalog model; dropped again when the build fails.
    async fn build(
        &self,
        server: &ScratchServer,
        spec: Option<&Database>,
        files: Option<&[Loaded]>,
    ) -> Result<(ScratchDb, Client, Database)> {
        let db = server.create_sandbox("shadow").await?;
        let built = async {
            let client = db.target.connect().await?;
            match (spec, files) {
                (Some(spec), _) => apply_spec(&client, spec).await?,
                (_, Some(files)) => crate::migrate::replay::replay(&client, files).await?,
                _ => unreachable!("one of the two is set"),
            }
            let model = catalog::introspect(&client, &self.opts).await?;
            Ok::<_, Error>((client, model))
        }
        .await;
        match built {
            Ok((client, model)) => Ok((db, client, model)),
            Err(e) => {
                let _ = server.drop_database(&db).await;
                Err(e)
            }
        }
    }

    async fn open_live(&self, target: &crate::db::Target, scope: Scope<'_>) -> Result<Side> {
        let opts = match scope {
            Scope::All => self.opts.clone(),
            Scope::Like(model) => scope_like(&self.opts, model),
        };
        let client = target.connect().await?;
        let version = catalog::ServerVersion::query(&client).await?;
        let mut model = catalog::introspect(&client, &opts).await?;
        model
            .tables
            .retain(|name, _| !crate::migrations::is_bookkeeping(&name.name));
        Ok(Side {
            live: Some(target.clone()),
            live_version: Some(version.0),
            ..Side::detached(model)
        })
    }

    /// Drop a side's scratch database (a no-op for live and detached sides).
    pub async fn close(&self, mut side: Side) -> Result<()> {
        self.release(&mut side).await
    }

    async fn release(&self, side: &mut Side) -> Result<()> {
        match side.held.take() {
            Some(h) => {
                drop(h.client);
                self.server().await?.drop_database(&h.db).await
            }
            None => Ok(()),
        }
    }

    /// The changes that turn `current` into `desired`, with `desired`'s
    /// rename hints, after symmetric normalisation of expressions.
    pub async fn compare(&self, current: &Side, desired: &Side) -> Result<Vec<Change>> {
        self.compare_with(current, desired, &desired.hints).await
    }

    /// As [`Engine::compare`] with explicit hints (a down file's are the
    /// forward changes reversed).
    pub async fn compare_with(
        &self,
        current: &Side,
        desired: &Side,
        hints: &Hints,
    ) -> Result<Vec<Change>> {
        if let (Some(num), Some(target)) = (current.live_version, &current.live) {
            let server = format!("the target database {}", target.display());
            if let Some(message) = crate::pg::version::check(&desired.model, num, &server) {
                return Err(crate::Error::Refused(format!(
                    "{message}: the migration could not run there"
                )));
            }
        }
        // A live database re-prints through one connection, opened on
        // first need and shared by views and expressions.
        let live = LiveProbe {
            target: desired.live.as_ref().or(current.live.as_ref()),
            client: OnceCell::new(),
        };
        let aligned = self.align_views(current, desired, &live).await?;
        let from = aligned.as_ref().unwrap_or(&current.model);
        let mut changes = crate::diff::diff_with_hints(from, &desired.model, hints);
        if !normalise::has_candidates(&changes) {
            return Ok(changes);
        }
        // Re-print in a database holding the desired tables (the context
        // the migration's text will be parsed in), else the current ones;
        // a live database only through temporary copies of its tables.
        if let Some(client) = desired.client().or(current.client()) {
            normalise::drop_phantom_rebuilds(Probe::Scratch(client), &mut changes).await;
        } else if let Some(client) = live.client().await? {
            normalise::drop_phantom_rebuilds(Probe::Temp(client), &mut changes).await;
        } else {
            let mut probe = self.open(Source::Spec(&desired.model), true).await?;
            if let Some(client) = probe.client() {
                normalise::drop_phantom_rebuilds(Probe::Scratch(client), &mut changes).await;
            }
            self.release(&mut probe).await?;
        }
        Ok(changes)
    }
}

impl Engine {
    /// The current model with view definitions that differ from the
    /// desired ones only in spelling aligned ([`view_text`]), re-printed
    /// where [`Engine::compare_with`] re-prints expressions.
    async fn align_views(
        &self,
        current: &Side,
        desired: &Side,
        live: &LiveProbe<'_>,
    ) -> Result<Option<Database>> {
        let (c, d) = (&current.model, &desired.model);
        if !view_text::has_candidates(c, d) {
            return Ok(None);
        }
        if let Some(client) = desired.client().or(current.client()) {
            return Ok(view_text::align(client, c, d).await);
        }
        if let Some(client) = live.client().await? {
            return Ok(view_text::align(client, c, d).await);
        }
        let mut probe = self.open(Source::Spec(d), true).await?;
        let out = match probe.client() {
            Some(client) => view_text::align(client, c, d).await,
            None => None,
        };
        self.release(&mut probe).await?;
        Ok(out)
    }
}

/// The connection to a live side that a comparison re-prints through when
/// neither side is a scratch database: opened on first need, shared by
/// view definitions and expressions.
struct LiveProbe<'a> {
    target: Option<&'a crate::db::Target>,
    client: OnceCell<Client>,
}

impl LiveProbe<'_> {
    /// The connection; `None` when no side is live.
    async fn client(&self) -> Result<Option<&Client>> {
        let Some(target) = self.target else {
            return Ok(None);
        };
        let client = self
            .client
            .get_or_try_init(|| async { target.connect().await })
            .await?;
        Ok(Some(client))
    }
}

/// An embedded shadow of another major than the target's works (the
/// normalisation re-prints expressions on the target), but a name that is
/// a keyword on one major and not the other, or a deparse change between
/// majors, can show as a difference: say so, and how to match them.
fn warn_other_major(server: &ScratchServer, target_major: Option<u32>, why: &str) {
    let (ScratchServer::Embedded(c), Some(want)) = (server, target_major) else {
        return;
    };
    if c.major_version() != want {
        crate::notice::warn_once(
            "shadow-major",
            &format!(
                "{why} PostgreSQL {want} but the embedded shadow database runs {}: no PostgreSQL {want} binaries were found (`.ci/fetch-pg {want}` fetches them, or set STRATA_PG_BINDIR); differences in how the two majors print definitions may show as changes",
                c.version()
            ),
        );
    }
}

/// The schemas a live database is read in to be compared with `model`:
/// `schemas` from strata.yaml when set; otherwise `public` and every schema
/// the model declares or uses. A database shared with other tools (an
/// `auth` or `audit` schema strata never heard of) is then left alone
/// instead of being planned for DROP.
pub fn scope_like(opts: &CatalogOptions, model: &Database) -> CatalogOptions {
    if opts.schemas.is_some() {
        return opts.clone();
    }
    let mut schemas: std::collections::BTreeSet<String> = model.schemas.keys().cloned().collect();
    schemas.insert("public".into());
    schemas.extend(model.tables.keys().map(|n| n.schema.clone()));
    schemas.extend(model.enums.keys().map(|n| n.schema.clone()));
    schemas.extend(model.sequences.keys().map(|n| n.schema.clone()));
    let types = model.domains.keys().chain(model.composites.keys());
    let types = types
        .chain(model.ranges.keys())
        .chain(model.collations.keys());
    schemas.extend(types.map(|n| n.schema.clone()));
    schemas.extend(model.views.keys().map(|n| n.schema.clone()));
    schemas.extend(model.extensions.values().filter_map(|e| e.schema.clone()));
    CatalogOptions {
        schemas: Some(schemas.into_iter().collect()),
        ..opts.clone()
    }
}

/// Load migration files for replay (`dir` may be missing: no files), with
/// versions `column` holds.
pub fn migration_files(
    dir: &Path,
    column: crate::migrations::VersionColumn,
) -> Result<Vec<Loaded>> {
    crate::migrate::load(dir, column)
}
