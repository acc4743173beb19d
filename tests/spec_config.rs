//! strata.yaml: defaults, every key, positioned errors, ${VAR} expansion.

use std::path::{Path, PathBuf};

use strata::config::{expand_env, Config, EnvError};
use strata::spec::SpecError;

fn no_env(_: &str) -> Option<String> {
    None
}

fn issues(text: &str) -> Vec<String> {
    match Config::parse(Path::new("strata.yaml"), text, no_env) {
        Ok(_) => vec![],
        Err(SpecError::Invalid(list)) => list.iter().map(|i| i.to_string()).collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn defaults() {
    let c = Config::parse(Path::new("strata.yaml"), "", no_env).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.schema_dir, PathBuf::from("schema"));
    assert_eq!(c.migrations_dir, PathBuf::from("migrations"));
    assert_eq!(c.seeds_dir, PathBuf::from("seeds"));
    let missing = Config::load_or_default(Path::new("/nonexistent/strata.yaml")).unwrap();
    assert_eq!(missing, Config::default());
}

#[test]
fn every_key() {
    let text = "\
database_url: postgres://u@${HOST}/db
dev_url: ${UNSET_VAR}
schema_dir: db/schema
migrations_dir: db/migrations
seeds_dir: db/seeds
schemas: [public, app]
embedded: {bindir: /usr/lib/postgresql/15/bin, user: postgres, major: 16}
strict: true
";
    let env = |k: &str| (k == "HOST").then(|| "db.example".to_string());
    let c = Config::parse(Path::new("strata.yaml"), text, env).unwrap();
    assert_eq!(
        c.database_url.as_deref(),
        Some("postgres://u@db.example/db")
    );
    assert_eq!(c.schema_dir, PathBuf::from("db/schema"));
    assert_eq!(c.migrations_dir, PathBuf::from("db/migrations"));
    assert_eq!(c.seeds_dir, PathBuf::from("db/seeds"));
    assert_eq!(
        c.schemas,
        Some(vec!["public".to_string(), "app".to_string()])
    );
    assert_eq!(
        c.embedded_bindir,
        Some(PathBuf::from("/usr/lib/postgresql/15/bin"))
    );
    assert_eq!(c.embedded_user.as_deref(), Some("postgres"));
    assert_eq!(c.embedded_major, Some(16));
    assert!(c.strict);
    // An unset variable is not fatal (commands without a database still
    // run) but leaves a positioned warning.
    assert_eq!(c.dev_url, None);
    let w: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        w,
        ["strata.yaml:2:10: environment variable UNSET_VAR is not set; dev_url is ignored"]
    );
}

#[test]
fn env_expansion() {
    let env = |k: &str| (k == "HOST").then(|| "db.example".to_string());
    assert_eq!(
        expand_env("postgres://${HOST}:5432/x", env).unwrap(),
        "postgres://db.example:5432/x"
    );
    assert_eq!(expand_env("a$$b$c", env).unwrap(), "a$b$c");
    assert_eq!(expand_env("${HOST", env), Err(EnvError::Unterminated));
    assert_eq!(
        expand_env("${NOPE}", env),
        Err(EnvError::Unset("NOPE".into()))
    );
}

#[test]
fn errors_have_positions() {
    assert_eq!(
        issues("databse_url: x\nembedded: {bindir: /x, usr: pg}\nschemas: {a: b}\n"),
        vec![
            "strata.yaml:1:1: unknown key \"databse_url\" in strata.yaml; did you mean \"database_url\"?",
            "strata.yaml:2:24: unknown key \"usr\" in embedded; did you mean \"user\"?",
            "strata.yaml:3:10: expected a list of schema names, found a map",
        ]
    );
    assert_eq!(
        issues("embedded:\n  major: 11\n"),
        vec!["strata.yaml:2:10: embedded.major: expected a supported PostgreSQL major, 14 to 18"]
    );
    assert_eq!(
        issues("embedded: {major: sixteen}\n"),
        vec!["strata.yaml:1:19: embedded.major: expected a supported PostgreSQL major, 14 to 18"]
    );
    assert_eq!(
        issues("schemas: [a]\nstrict: yes please\n"),
        vec!["strata.yaml:2:9: expected true or false, found a string"]
    );
    assert_eq!(
        issues("database_url: postgres://${HOST\n"),
        vec!["strata.yaml:1:15: unterminated ${…} in database_url"]
    );
    assert_eq!(
        issues("schema_dir: [\n"),
        vec!["strata.yaml:2:1: YAML syntax error: while parsing a node, did not find expected node content"]
    );
}

#[test]
fn load_resolves_paths_against_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strata.yaml");
    std::fs::write(&path, "schema_dir: s\nseeds_dir: /abs/seeds\n").unwrap();
    let c = Config::load(&path).unwrap();
    assert_eq!(c.schema_dir, dir.path().join("s"));
    assert_eq!(c.migrations_dir, dir.path().join("migrations"));
    assert_eq!(c.seeds_dir, PathBuf::from("/abs/seeds"));
    assert_eq!(c.file.as_deref(), Some(path.as_path()));
    assert_eq!(c.root, dir.path());
}

#[test]
fn manage_opt_in_kinds() {
    let c = Config::parse(
        Path::new("strata.yaml"),
        "owner: app_owner\nmanage: [privileges, owners]\n",
        no_env,
    )
    .unwrap();
    assert!(c.manage.privileges && c.manage.owners);
    assert_eq!(c.manage.default_owner.as_deref(), Some("app_owner"));
    // A default owner without the opt-in would be silently ignored.
    let alone = issues("manage: [privileges]\nowner: app_owner\n");
    assert!(
        alone.len() == 1
            && alone[0].starts_with("strata.yaml:2:")
            && alone[0].contains("needs `manage: [owners]`"),
        "{alone:?}"
    );
    let c = Config::parse(Path::new("strata.yaml"), "manage: privileges\n", no_env).unwrap();
    assert!(c.manage.privileges && !c.manage.owners);
    assert!(!Config::default().manage.privileges);
    let found = issues("strict: true\nmanage: [privileges, grants, ownres]\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("strata.yaml:2:22") && found[0].contains("unknown kind \"grants\""),
        "{found:?}"
    );
    assert!(found[1].contains("did you mean \"owners\""), "{found:?}");
}

#[test]
fn migration_versions_and_history_column() {
    use strata::migrations::{Naming, VersionColumn, Versions};
    let parse = |text: &str| Config::parse(Path::new("strata.yaml"), text, no_env).unwrap();
    assert_eq!(Config::default().versions, Versions::default());
    assert_eq!(Versions::default().column, VersionColumn::Int4);
    // Timestamps need int8: it is their default.
    let c = parse("migrations: {versions: timestamp}\n");
    assert_eq!(
        c.versions,
        Versions {
            naming: Naming::Timestamp,
            column: VersionColumn::Int8
        }
    );
    let c = parse("migrations:\n  versions: sequential\n  version_column: int8\n");
    assert_eq!(
        c.versions,
        Versions {
            naming: Naming::Sequential,
            column: VersionColumn::Int8
        }
    );
    let found = issues("migrations: {versions: timestamp, version_column: int4}\n");
    assert!(
        found.len() == 1
            && found[0].starts_with("strata.yaml:1:51")
            && found[0].contains("int4 cannot hold timestamp versions"),
        "{found:?}"
    );
    let found = issues("migrations: {versions: timestamps, version_colum: int8}\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.contains("expected sequential or timestamp")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("did you mean \"version_column\"")),
        "{found:?}"
    );
}
