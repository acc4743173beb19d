//! `strata.yaml`, the project configuration.
//!
//! ```yaml
//! database_url: ${DATABASE_URL}     # target database (env vars allowed)
//! dev_url: postgres://localhost/dev # optional: server for shadow databases
//! schema_dir: schema                # default
//! migrations_dir: migrations        # default
//! seeds_dir: seeds                  # default
//! schemas: [public, app]            # managed schemas (default: all in schema_dir)
//! embedded: {bindir: /usr/lib/postgresql/15/bin, user: postgres}
//! strict: true                      # unmanaged objects are errors (CI)
//! manage: [privileges, owners]      # opt-in kinds (roles are cluster-wide)
//! owner: app_owner                  # with owners: who owns what the YAML leaves unsaid
//! migrations: {versions: timestamp} # new files V20240101120000__x.sql; history version int8
//! ```
//!
//! Relative directories are resolved against the directory holding the
//! file, so the fields can be used from any working directory.
//!
//! `${VAR}` in a URL is expanded from the environment at load time. An
//! unset variable leaves the URL unset and adds a positioned warning
//! (`warnings`): a command that needs no database (`generate`) still runs,
//! and one that does can say why the URL is missing.

use std::path::{Path, PathBuf};

use marked_yaml::Node;

use crate::spec::yaml::{entries, node_pos, Reader};
use crate::spec::{SpecError, SpecIssue};

pub const FILE_NAME: &str = "strata.yaml";

/// `Debug` is written by hand: the URLs may hold passwords.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// Directory the config file is in (`.` without a file).
    pub root: PathBuf,
    /// The file read, `None` when defaults are used.
    pub file: Option<PathBuf>,
    /// Target database, `${VAR}`s expanded.
    pub database_url: Option<String>,
    /// Server for shadow databases instead of the embedded cluster.
    pub dev_url: Option<String>,
    pub schema_dir: PathBuf,
    pub migrations_dir: PathBuf,
    pub seeds_dir: PathBuf,
    /// Managed schemas; `None` = every schema the YAML mentions.
    pub schemas: Option<Vec<String>>,
    /// `embedded.bindir`: directory with `initdb`/`pg_ctl`; `None` = search.
    pub embedded_bindir: Option<PathBuf>,
    /// `embedded.user`: OS user to run the server as (initdb refuses root).
    pub embedded_user: Option<String>,
    /// `embedded.major`: the PostgreSQL major the project's databases run;
    /// shadow and dev databases prefer binaries of it.
    pub embedded_major: Option<u32>,
    /// `strict`: an object strata does not manage is an error, as with
    /// `--strict`.
    pub strict: bool,
    /// `manage`: kinds strata manages only when asked, because they name
    /// cluster-wide roles.
    pub manage: Manage,
    /// `migrations: {versions, version_column}`: how new files are
    /// numbered, and the history table's version column.
    pub versions: crate::migrations::Versions,
    /// Problems that do not stop loading (unset environment variables).
    pub warnings: Vec<SpecIssue>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            root: PathBuf::from("."),
            file: None,
            database_url: None,
            dev_url: None,
            schema_dir: PathBuf::from("schema"),
            migrations_dir: PathBuf::from("migrations"),
            seeds_dir: PathBuf::from("seeds"),
            schemas: None,
            embedded_bindir: None,
            embedded_user: None,
            embedded_major: None,
            strict: false,
            manage: Manage::default(),
            versions: Default::default(),
            warnings: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = |u: &Option<String>| u.as_deref().map(crate::db::redact);
        f.debug_struct("Config")
            .field("root", &self.root)
            .field("file", &self.file)
            .field("database_url", &url(&self.database_url))
            .field("dev_url", &url(&self.dev_url))
            .field("schema_dir", &self.schema_dir)
            .field("migrations_dir", &self.migrations_dir)
            .field("seeds_dir", &self.seeds_dir)
            .field("schemas", &self.schemas)
            .field("embedded_bindir", &self.embedded_bindir)
            .field("embedded_user", &self.embedded_user)
            .field("embedded_major", &self.embedded_major)
            .field("strict", &self.strict)
            .field("manage", &self.manage)
            .field("versions", &self.versions)
            .field("warnings", &self.warnings)
            .finish()
    }
}

pub(crate) const KEYS: &[&str] = &[
    "database_url",
    "dev_url",
    "schema_dir",
    "migrations_dir",
    "seeds_dir",
    "schemas",
    "embedded",
    "strict",
    "manage",
    "owner",
    "migrations",
];

/// `manage: [privileges, owners]`: the opt-in kinds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manage {
    /// GRANT / REVOKE on schemas, tables, columns, sequences, functions
    /// and types.
    pub privileges: bool,
    /// Object owners (`ALTER … OWNER TO`), compared between the YAML
    /// and the target's catalog.
    pub owners: bool,
    /// `owner:` in strata.yaml (needs `owners`): the owner of every
    /// object whose YAML names none (the `public` schema aside).
    pub default_owner: Option<String>,
}

pub(crate) const EMBEDDED_KEYS: &[&str] = &["bindir", "user", "major"];

pub(crate) const MIGRATIONS_KEYS: &[&str] = &["versions", "version_column"];
const NAMINGS: &[&str] = &["sequential", "timestamp"];
const VERSION_COLUMNS: &[&str] = &["int4", "int8"];

/// The project file for a command run in `cwd`, found the way git and
/// cargo find theirs: `cwd/strata.yaml`, else the nearest one in a parent
/// directory, so `strata plan` works from `schema/` or `migrations/` too.
/// A parent's file counts only when it belongs to the user running strata
/// (root's to root): a `strata.yaml` someone else dropped in `/tmp` or a
/// shared directory above the project must not choose the database a
/// command writes to. The search stops at the first such file's directory
/// and never goes past the filesystem root.
pub fn discover(cwd: &Path) -> Option<PathBuf> {
    if cwd.join(FILE_NAME).is_file() {
        return Some(PathBuf::from(FILE_NAME));
    }
    // Relative (`../../strata.yaml`), so messages name files the way the
    // user would reach them from where they are.
    let mut up = PathBuf::new();
    for dir in cwd.ancestors().skip(1) {
        up.push("..");
        let file = dir.join(FILE_NAME);
        if file.is_file() && owned_by_me(&file) {
            return Some(up.join(FILE_NAME));
        }
    }
    None
}

fn owned_by_me(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    std::fs::metadata(path).is_ok_and(|m| m.uid() == me)
}

pub(crate) const MANAGE_KINDS: &[&str] = &["privileges", "owners"];

impl Config {
    /// The project's `strata.yaml` ([`discover`] from the working
    /// directory) if there is one, else the defaults.
    pub fn find() -> Result<Config, SpecError> {
        match std::env::current_dir().ok().and_then(|d| discover(&d)) {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    /// `path` if it exists, else the defaults.
    pub fn load_or_default(path: &Path) -> Result<Config, SpecError> {
        if path.is_file() {
            Config::load(path)
        } else {
            Ok(Config::default())
        }
    }

    /// Read `path`; relative directories become relative to its directory.
    pub fn load(path: &Path) -> Result<Config, SpecError> {
        let text = crate::files::read_text(path).map_err(|source| SpecError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg = Config::parse(path, &text, |v| std::env::var(v).ok())?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        for dir in [
            &mut cfg.schema_dir,
            &mut cfg.migrations_dir,
            &mut cfg.seeds_dir,
        ] {
            if dir.is_relative() && root != Path::new(".") {
                *dir = root.join(&*dir);
            }
        }
        cfg.root = root;
        cfg.file = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Parse config text; `file` is used in messages, `env` looks up
    /// `${VAR}`s.
    pub fn parse(
        file: &Path,
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, SpecError> {
        let root = crate::spec::yaml::parse(file, text).map_err(|i| SpecError::Invalid(vec![i]))?;
        let mut r = Reader::new(file, text);
        let mut warnings = Vec::new();
        let mut cfg = decode(&mut r, &root, &env, &mut warnings);
        if r.issues.is_empty() {
            cfg.warnings = warnings;
            Ok(cfg)
        } else {
            Err(SpecError::Invalid(r.issues))
        }
    }
}

/// Expand `${NAME}` using `lookup`; `$$` is a literal `$`.
pub fn expand_env(raw: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, EnvError> {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or(EnvError::Unterminated)?;
            let name = &body[..end];
            let value = lookup(name).ok_or_else(|| EnvError::Unset(name.to_string()))?;
            out.push_str(&value);
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EnvError {
    #[error("unterminated ${{…}}")]
    Unterminated,
    #[error("environment variable {0} is not set")]
    Unset(String),
}

fn decode(
    r: &mut Reader<'_>,
    root: &Node,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<SpecIssue>,
) -> Config {
    let mut cfg = Config::default();
    let Some(map) = r.map(root, "a map") else {
        return cfg;
    };
    r.check_keys(map, KEYS, "strata.yaml");
    for (key, _, value) in entries(map) {
        match key {
            "database_url" => cfg.database_url = url(r, key, value, env, warnings),
            "dev_url" => cfg.dev_url = url(r, key, value, env, warnings),
            "schema_dir" => path(r, value, &mut cfg.schema_dir),
            "migrations_dir" => path(r, value, &mut cfg.migrations_dir),
            "seeds_dir" => path(r, value, &mut cfg.seeds_dir),
            "schemas" => {
                cfg.schemas = r
                    .string_list(value, "a list of schema names")
                    .map(|l| l.into_iter().map(|(s, _)| s).collect());
            }
            "embedded" => decode_embedded(r, value, &mut cfg),
            "strict" => cfg.strict = r.bool(value).unwrap_or(false),
            "manage" => {
                let owner = cfg.manage.default_owner.take();
                cfg.manage = decode_manage(r, value);
                cfg.manage.default_owner = owner;
            }
            "owner" => cfg.manage.default_owner = r.string(value, "a role name"),
            "migrations" => cfg.versions = decode_versions(r, value),
            _ => {}
        }
    }
    if let (Some(_), false) = (&cfg.manage.default_owner, cfg.manage.owners) {
        if let Some((_, pos, _)) = entries(map).find(|(k, _, _)| *k == "owner") {
            r.error(
                pos,
                "owner: names the owner of every object, which needs `manage: [owners]` (owners are not compared without it)",
            );
        }
    }
    cfg
}

fn decode_manage(r: &mut Reader<'_>, node: &Node) -> Manage {
    let mut manage = Manage::default();
    let list = r.string_list(node, "a list of kinds (privileges, owners)");
    for (kind, at) in list.unwrap_or_default() {
        match kind.as_str() {
            "privileges" => manage.privileges = true,
            "owners" => manage.owners = true,
            other => {
                let hint = crate::spec::yaml::did_you_mean(other, MANAGE_KINDS.iter().copied());
                r.error(
                    at,
                    format!("unknown kind \"{other}\" in manage (privileges, owners){hint}"),
                );
            }
        }
    }
    manage
}

/// `migrations: {versions: sequential|timestamp, version_column: int4|int8}`.
/// Timestamps need an int8 column: `versions: timestamp` makes int8 the
/// default, and refuses an explicit int4.
fn decode_versions(r: &mut Reader<'_>, node: &Node) -> crate::migrations::Versions {
    use crate::migrations::{Naming, VersionColumn, Versions};
    let mut v = Versions::default();
    let Some(m) = r.map(node, "a map (versions, version_column)") else {
        return v;
    };
    r.check_keys(m, MIGRATIONS_KEYS, "migrations");
    if let Some(n) = m.get_node("versions") {
        match r.string(n, "sequential or timestamp").as_deref() {
            Some("sequential") => {}
            Some("timestamp") => {
                v.naming = Naming::Timestamp;
                v.column = VersionColumn::Int8;
            }
            Some(other) => r.error(
                node_pos(n),
                format!("migrations.versions: expected sequential or timestamp, not \"{other}\""),
            ),
            None => {}
        }
    }
    if let Some(n) = m.get_node("version_column") {
        match r.string(n, "int4 or int8").as_deref() {
            Some("int4") if v.naming == Naming::Timestamp => r.error(
                node_pos(n),
                "migrations.version_column: int4 cannot hold timestamp versions \
                 (20240101120000 > 2147483647); use int8 or leave it out",
            ),
            Some("int4") => v.column = VersionColumn::Int4,
            Some("int8") => v.column = VersionColumn::Int8,
            Some(other) => r.error(
                node_pos(n),
                format!("migrations.version_column: expected int4 or int8, not \"{other}\""),
            ),
            None => {}
        }
    }
    v
}

fn url(
    r: &mut Reader<'_>,
    key: &str,
    node: &Node,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<SpecIssue>,
) -> Option<String> {
    let raw = r.opt_string(node, "a URL")?;
    let at = node_pos(node);
    match expand_env(&raw, env) {
        Ok(v) => Some(v),
        Err(EnvError::Unset(var)) => {
            warnings.push(SpecIssue {
                file: r.file.clone(),
                line: at.line,
                column: at.column,
                message: format!("environment variable {var} is not set; {key} is ignored"),
            });
            None
        }
        Err(e) => {
            // Not the value: it is a connection string, likely with a
            // password in it; the position says where.
            r.error(at, format!("{e} in {key}"));
            None
        }
    }
}

fn path(r: &mut Reader<'_>, node: &Node, into: &mut PathBuf) {
    if let Some(p) = r.string(node, "a directory") {
        *into = PathBuf::from(p);
    }
}

fn decode_embedded(r: &mut Reader<'_>, node: &Node, cfg: &mut Config) {
    let Some(m) = r.map(node, "a map (bindir, user, major)") else {
        return;
    };
    r.check_keys(m, EMBEDDED_KEYS, "embedded");
    if let Some(n) = m.get_node("major") {
        let (lo, hi) = crate::pg::version::SUPPORTED;
        let text = r.opt_string(n, "a PostgreSQL major version");
        match text.as_deref().map(str::parse::<u32>) {
            Some(Ok(v)) if (lo..=hi).contains(&v) => cfg.embedded_major = Some(v),
            Some(_) => r.error(
                node_pos(n),
                format!("embedded.major: expected a supported PostgreSQL major, {lo} to {hi}"),
            ),
            None => {}
        }
    }
    if let Some(b) = m.get_node("bindir") {
        cfg.embedded_bindir = r.opt_string(b, "a directory").map(PathBuf::from);
    }
    if let Some(u) = m.get_node("user") {
        cfg.embedded_user = r.opt_string(u, "a user name");
    }
}

/// The JSON Schema of `strata.yaml`, from the keys [`Config::parse`]
/// checks ([`crate::json_schema`]).
pub fn json_schema(g: &mut crate::json_schema::Gen) -> serde_json::Value {
    use crate::json_schema::{boolean, integer, list, one_of_words, string};
    let embedded = g.object(
        "embedded",
        EMBEDDED_KEYS,
        vec![
            (
                "bindir",
                string("directory with initdb and postgres (default: searched)"),
            ),
            (
                "user",
                string("OS user the server runs as when strata runs as root (default postgres)"),
            ),
            ("major", integer("prefer PostgreSQL binaries of this major")),
        ],
        &[],
    );
    let migrations = g.object(
        "migrations",
        MIGRATIONS_KEYS,
        vec![
            (
                "versions",
                one_of_words(
                    NAMINGS,
                    "how generate and new number a file: sequential (V1, V2) or timestamp (V20240101120000, UTC)",
                ),
            ),
            (
                "version_column",
                one_of_words(
                    VERSION_COLUMNS,
                    "the history table's version column: int4 (refinery's default) or int8 (refinery's int8-versions; the default with timestamp)",
                ),
            ),
        ],
        &[],
    );
    g.object(
        "strata.yaml",
        KEYS,
        vec![
            (
                "database_url",
                string("the target database; ${VAR} is expanded"),
            ),
            (
                "dev_url",
                string("a server for shadow databases instead of the embedded one"),
            ),
            ("schema_dir", string("default schema")),
            ("migrations_dir", string("default migrations")),
            ("seeds_dir", string("default seeds")),
            (
                "schemas",
                list(
                    string("a schema"),
                    "the schemas strata manages (default: those the YAML names)",
                ),
            ),
            ("embedded", embedded),
            (
                "strict",
                boolean("objects strata does not manage are errors (CI)"),
            ),
            (
                "manage",
                list(
                    one_of_words(MANAGE_KINDS, ""),
                    "opt-in kinds that name cluster-wide roles",
                ),
            ),
            (
                "owner",
                string(
                    "the default owner of every object that names none (needs `manage: [owners]`)",
                ),
            ),
            ("migrations", migrations),
        ],
        &[],
    )
}
