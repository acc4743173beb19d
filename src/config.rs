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
//! ```
//!
//! Relative directories are relative to the directory holding the file.
//! `${VAR}` is expanded when a URL is asked for, not at load time, so a
//! variable only needs to be set by commands that use it.

use std::path::{Path, PathBuf};

use marked_yaml::Node;

use crate::model::Origin;
use crate::spec::yaml::{entries, node_pos, Reader};
use crate::spec::{SpecError, SpecIssue};

pub const FILE_NAME: &str = "strata.yaml";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Directory the config file is in (or the current directory when
    /// there is none); relative paths below are resolved against it.
    pub root: PathBuf,
    /// The file read, `None` when defaults are used.
    pub file: Option<PathBuf>,
    pub database_url: Option<Setting>,
    pub dev_url: Option<Setting>,
    pub schema_dir: PathBuf,
    pub migrations_dir: PathBuf,
    pub seeds_dir: PathBuf,
    /// Managed schemas; `None` = every schema the YAML mentions.
    pub schemas: Option<Vec<String>>,
    pub embedded: Embedded,
}

/// A raw string setting with where it was written (for errors found when
/// it is used, e.g. an unset `${VAR}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub raw: String,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embedded {
    /// Directory with `initdb`/`pg_ctl`/`postgres`; `None` = search.
    pub bindir: Option<PathBuf>,
    /// OS user to run the server as (initdb refuses root).
    pub user: Option<String>,
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
            embedded: Embedded::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "database_url",
    "dev_url",
    "schema_dir",
    "migrations_dir",
    "seeds_dir",
    "schemas",
    "embedded",
];

impl Config {
    /// `./strata.yaml` if it exists, else the defaults.
    pub fn find() -> Result<Config, SpecError> {
        let path = Path::new(FILE_NAME);
        if path.is_file() {
            Config::load(path)
        } else {
            Ok(Config::default())
        }
    }

    pub fn load(path: &Path) -> Result<Config, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg = Config::parse(path, &text)?;
        cfg.root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        cfg.file = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Parse config text (`file` is used in messages only).
    pub fn parse(file: &Path, text: &str) -> Result<Config, SpecError> {
        let root = crate::spec::yaml::parse(file, text).map_err(|i| SpecError::Invalid(vec![i]))?;
        let mut r = Reader::new(file, text);
        let cfg = decode(&mut r, &root);
        if r.issues.is_empty() {
            Ok(cfg)
        } else {
            Err(SpecError::Invalid(r.issues))
        }
    }

    pub fn schema_path(&self) -> PathBuf {
        self.root.join(&self.schema_dir)
    }
    pub fn migrations_path(&self) -> PathBuf {
        self.root.join(&self.migrations_dir)
    }
    pub fn seeds_path(&self) -> PathBuf {
        self.root.join(&self.seeds_dir)
    }

    /// `database_url` with `${VAR}`s expanded.
    pub fn database_url(&self) -> Result<Option<String>, SpecError> {
        self.database_url.as_ref().map(Setting::expand).transpose()
    }

    /// `dev_url` with `${VAR}`s expanded.
    pub fn dev_url(&self) -> Result<Option<String>, SpecError> {
        self.dev_url.as_ref().map(Setting::expand).transpose()
    }
}

impl Setting {
    /// Expand `${VAR}` from the environment; `$$` is a literal `$`.
    pub fn expand(&self) -> Result<String, SpecError> {
        expand_env(&self.raw, |v| std::env::var(v).ok()).map_err(|message| {
            SpecError::Invalid(vec![SpecIssue {
                file: self.origin.file.clone().unwrap_or_default(),
                line: self.origin.line,
                column: self.origin.column,
                message,
            }])
        })
    }
}

/// Expand `${NAME}` using `lookup`.
pub fn expand_env(raw: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body
                .find('}')
                .ok_or_else(|| format!("unterminated ${{…}} in \"{raw}\""))?;
            let name = &body[..end];
            let value =
                lookup(name).ok_or_else(|| format!("environment variable {name} is not set"))?;
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

fn decode(r: &mut Reader<'_>, root: &Node) -> Config {
    let mut cfg = Config::default();
    let Some(map) = r.map(root, "a map") else {
        return cfg;
    };
    r.check_keys(map, KEYS, "strata.yaml");
    for (key, _, value) in entries(map) {
        match key {
            "database_url" => cfg.database_url = setting(r, value),
            "dev_url" => cfg.dev_url = setting(r, value),
            "schema_dir" => path(r, value, &mut cfg.schema_dir),
            "migrations_dir" => path(r, value, &mut cfg.migrations_dir),
            "seeds_dir" => path(r, value, &mut cfg.seeds_dir),
            "schemas" => {
                cfg.schemas = r
                    .string_list(value, "a list of schema names")
                    .map(|l| l.into_iter().map(|(s, _)| s).collect());
            }
            "embedded" => decode_embedded(r, value, &mut cfg.embedded),
            _ => {}
        }
    }
    cfg
}

fn setting(r: &mut Reader<'_>, node: &Node) -> Option<Setting> {
    let raw = r.opt_string(node, "a URL")?;
    let origin = r.origin(node_pos(node));
    if let Err(e) = expand_env(&raw, |_| Some(String::new())) {
        r.error(node_pos(node), e);
    }
    Some(Setting { raw, origin })
}

fn path(r: &mut Reader<'_>, node: &Node, into: &mut PathBuf) {
    if let Some(p) = r.string(node, "a directory") {
        *into = PathBuf::from(p);
    }
}

fn decode_embedded(r: &mut Reader<'_>, node: &Node, into: &mut Embedded) {
    let Some(m) = r.map(node, "a map (bindir, user)") else {
        return;
    };
    r.check_keys(m, &["bindir", "user"], "embedded");
    if let Some(b) = m.get_node("bindir") {
        into.bindir = r.opt_string(b, "a directory").map(PathBuf::from);
    }
    if let Some(u) = m.get_node("user") {
        into.user = r.opt_string(u, "a user name");
    }
}
