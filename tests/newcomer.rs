//! What a new user meets first (issue 15): errors that say what to do
//! (a comma inside a flow map, the source line under a YAML error, a
//! command run outside a project), `strata --version` naming the
//! PostgreSQL binaries, shell completions, and a project found from a
//! subdirectory. None of these touch a database.

use std::path::Path;
use std::process::{Command, Output};

fn strata(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_strata"));
    c.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL");
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A project whose only schema file is `yaml`.
fn project_with(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/a.yaml"), yaml).unwrap();
    std::fs::write(dir.path().join("strata.yaml"), "schema_dir: schema\n").unwrap();
    dir
}

#[test]
fn a_comma_in_a_flow_map_asks_for_quotes_with_the_line_and_a_caret() {
    let p = project_with(
        "tables:\n  items:\n    columns:\n      id: {type: bigint, primary_key: true}\n      price: {type: numeric(10,3), nullable: false}\n      note: {type: text, default: coalesce(a, b, c)}\n",
    );
    let out = strata(p.path()).args(["generate", "x"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("schema/a.yaml:5:21: \"numeric(10,3)\" was cut at a comma")
            && err.contains("quote the value: \"numeric(10,3)\""),
        "{err}"
    );
    assert!(!err.contains("unknown key \"3)\""), "{err}");
    // Several commas: one issue for the whole value, none for its pieces.
    assert!(
        err.contains("\"coalesce(a, b, c)\" was cut at a comma"),
        "{err}"
    );
    assert!(
        !err.contains("unknown key \"b\"") && !err.contains("unknown key \"c)\""),
        "{err}"
    );
    // rustc-style source line with the caret under column 21.
    let expected =
        "  |\n5 |       price: {type: numeric(10,3), nullable: false}\n  |                     ^\n";
    assert!(err.contains(expected), "{err}");
}

#[test]
fn an_unknown_key_still_gets_its_did_you_mean_and_caret() {
    let p =
        project_with("tables:\n  t:\n    columns:\n      id: {type: integer, primary_kye: true}\n");
    let out = strata(p.path()).args(["generate", "x"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("a.yaml:4:27: unknown key \"primary_kye\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"primary_key\"?"), "{err}");
    assert!(
        err.contains(
            "4 |       id: {type: integer, primary_kye: true}\n  |                           ^"
        ),
        "{err}"
    );
}

#[test]
fn the_source_line_of_a_password_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strata.yaml"),
        "database_url: postgres://app:hunter2@db/app\nstrikt: true\n",
    )
    .unwrap();
    // The error is on line 2; line 1 holds the password and must not be
    // shown whatever the position says. Here: the key error's own line.
    let out = strata(dir.path()).args(["status"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("strata.yaml:2:1: unknown key \"strikt\""),
        "{err}"
    );
    assert!(err.contains("2 | strikt: true"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    std::fs::write(
        dir.path().join("strata.yaml"),
        "database_url: {url: postgres://app:hunter2@db/app}\n",
    )
    .unwrap();
    let out = strata(dir.path()).args(["status"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("line not shown"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn outside_a_project_commands_say_so_and_suggest_init() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["migrate"][..], &["seed"], &["pull"]] {
        let out = strata(dir.path()).args(args).output().unwrap();
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            err.contains("no strata.yaml in this directory or above it")
                && err.contains("`strata init` creates one"),
            "{args:?}: {err}"
        );
    }
    for args in [&["plan"][..], &["status"], &["dev"]] {
        let out = strata(dir.path()).args(args).output().unwrap();
        let err = stderr(&out);
        assert!(err.contains("`strata init` creates one"), "{args:?}: {err}");
    }
    // An explicit --config that does not exist is an error, not defaults.
    let out = strata(dir.path())
        .args(["--config", "nope.yaml", "status"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("nope.yaml"), "{err}");
}

#[test]
fn a_project_is_found_from_its_subdirectories() {
    let p =
        project_with("tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n");
    std::fs::write(
        p.path().join("strata.yaml"),
        "schema_dir: schema\nmigrations_dir: db/migrations\n",
    )
    .unwrap();
    std::fs::create_dir_all(p.path().join("db/migrations")).unwrap();
    std::fs::write(p.path().join("db/migrations/V1__init.sql"), "select 1;\n").unwrap();
    // `rehash` reads only the project's files: run it from deep inside.
    let deep = p.path().join("schema");
    let out = strata(&deep).args(["rehash"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(p.path().join("db/migrations/strata.sum").is_file(), "{err}");
}

#[test]
fn version_names_the_postgres_binaries_and_short_version_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = strata(dir.path()).arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with(&format!("strata {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("PostgreSQL server binaries: "), "{text}");
    let empty = tempfile::tempdir().unwrap();
    let out = strata(dir.path())
        .env("STRATA_PG_BINDIR", empty.path())
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("PostgreSQL server binaries: none found"),
        "{text}"
    );
    let out = strata(dir.path()).arg("-V").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.trim(), format!("strata {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_for_each_shell_name_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    // A broken strata.yaml must not stop completions.
    std::fs::write(dir.path().join("strata.yaml"), "nonsense: [\n").unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = strata(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        let script = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        for word in ["generate", "migrate", "rollback", "allow-destructive"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = strata(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
}
