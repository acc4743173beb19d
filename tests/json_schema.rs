//! The JSON Schemas (`strata schema-json`) against every YAML file of the
//! repository: the project, the examples, and every convergence pair's
//! schema files — each must validate, the way an editor would check it.
//! And every key the docs document is a property of its schema.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use strata::json_schema::{generate, yaml_to_json, Kind};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() && !matches!(name.as_str(), "target" | ".git" | "node_modules") {
            yaml_files(&p, out);
        } else if name.ends_with(".yaml") {
            out.push(p);
        }
    }
}

/// Which schema a file of this repository follows, by where it lives.
fn kind_of(rel: &Path) -> Option<Kind> {
    let s = rel.to_string_lossy();
    let name = rel.file_name()?.to_string_lossy();
    if name == "strata.yaml" {
        Some(Kind::Config)
    } else if name.ends_with(".import.yaml") {
        Some(Kind::Import)
    } else if s.contains("seeds/") || s.starts_with("tests/seed_fixtures/") {
        Some(Kind::Seed)
    } else if s.contains("schema/") || s.starts_with("tests/pairs") {
        Some(Kind::Schema)
    } else {
        None
    }
}

#[test]
fn every_yaml_file_of_the_repository_validates() {
    let validators: Vec<(Kind, jsonschema::Validator)> = Kind::ALL
        .iter()
        .map(|k| (*k, jsonschema::draft7::new(&generate(*k).unwrap()).unwrap()))
        .collect();
    let mut files = Vec::new();
    yaml_files(&repo(), &mut files);
    let (mut checked, mut failures) = (std::collections::BTreeMap::new(), Vec::new());
    for f in &files {
        let rel = f.strip_prefix(repo()).unwrap();
        let Some(kind) = kind_of(rel) else { continue };
        let text = std::fs::read_to_string(f).unwrap();
        let Ok(root) = strata::spec::yaml::parse(rel, &text) else {
            continue; // not loadable by strata either (none today)
        };
        let doc = yaml_to_json(&root);
        let v = &validators.iter().find(|(k, _)| *k == kind).unwrap().1;
        for e in v.iter_errors(&doc) {
            failures.push(format!(
                "{} ({kind:?}) at {}: {e}",
                rel.display(),
                e.instance_path()
            ));
        }
        *checked.entry(format!("{kind:?}")).or_insert(0) += 1;
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The walk found what it should: hundreds of pair files, every kind.
    assert!(checked["Schema"] > 400, "{checked:?}");
    for k in ["Seed", "Import", "Config"] {
        assert!(checked[k] >= 3, "{checked:?}");
    }
}

#[test]
fn a_typo_fails_validation() {
    let schema = generate(Kind::Schema).unwrap();
    let v = jsonschema::draft7::new(&schema).unwrap();
    let text = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_kye: true}\n";
    let root = strata::spec::yaml::parse(Path::new("t.yaml"), text).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&yaml_to_json(&root))
        .map(|e| e.to_string())
        .collect();
    assert!(!errors.is_empty());
    let config = jsonschema::draft7::new(&generate(Kind::Config).unwrap()).unwrap();
    let root = strata::spec::yaml::parse(Path::new("s.yaml"), "strict: yes please\n").unwrap();
    assert!(!config.is_valid(&yaml_to_json(&root)));
}

/// Every property name anywhere in a schema.
fn property_names(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            m.values().for_each(|x| property_names(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| property_names(x, out)),
        _ => {}
    }
}

/// The keys a reference doc's tables document: the first `code` of each
/// table row's first cell, up to `:`/space, its last dotted part.
fn documented_keys(doc: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo().join(doc)).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        // Shorthand phrases (`not null`, `primary key`) are not keys.
        .filter(|code| !code.split(':').next().unwrap_or("").contains(' '))
        .map(|code| code.split([':', ' ', '(']).next().unwrap_or("").to_string())
        .map(|k| k.rsplit('.').next().unwrap_or("").to_string())
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

#[test]
fn every_documented_key_is_in_its_schema() {
    for (doc, kind) in [
        ("docs/schema-format.md", Kind::Schema),
        ("docs/seed-format.md", Kind::Seed),
        ("docs/import-format.md", Kind::Import),
    ] {
        let mut names = BTreeSet::new();
        property_names(&generate(kind).unwrap(), &mut names);
        let missing: Vec<String> = documented_keys(doc)
            .into_iter()
            .filter(|k| !names.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "{doc}: documented but not in the {kind:?} schema: {missing:?}"
        );
    }
}

#[test]
fn the_committed_project_schemas_are_current() {
    for kind in Kind::ALL {
        let path = repo()
            .join(strata::json_schema::PROJECT_DIR)
            .join(kind.file_name());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed,
            strata::json_schema::to_text(kind).unwrap(),
            "{} is stale: run `cargo run -- schema-json --write`",
            path.display()
        );
    }
}

#[test]
fn init_writes_headers_that_reach_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_strata"))
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (file, kind) in [
        ("strata.yaml", Kind::Config),
        ("schema/example.yaml", Kind::Schema),
        ("seeds/dev.yaml", Kind::Seed),
    ] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{file}: {first}"));
        let schema_path = path.parent().unwrap().join(target);
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
        assert_eq!(
            schema,
            generate(kind).unwrap(),
            "{file} → {}",
            schema_path.display()
        );
        let root = strata::spec::yaml::parse(Path::new(file), &text).unwrap();
        let v = jsonschema::draft7::new(&schema).unwrap();
        assert!(v.is_valid(&yaml_to_json(&root)), "{file} does not validate");
    }
}
