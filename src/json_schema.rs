//! JSON Schemas for strata's YAML files, for editors (issue 15): schema
//! files, seed profiles, import specs and `strata.yaml`.
//!
//! The schemas cannot drift from what strata accepts: every object's
//! properties are the key lists the decoders themselves check
//! (`Reader::check_keys`), and each area (`spec`, `seed`, `import`,
//! `config`) describes its keys next to its decoder. [`Gen::object`]
//! records a decoder key without a description, or a description of a key
//! the decoder does not take, as a problem; [`generate`] fails on any (a
//! unit test generates all four). Value shapes are described loosely where
//! strata accepts several spellings (a column is a shorthand string or a
//! map): the schema is for completion and typos, strata's own messages stay
//! the authority.
//!
//! Draft-07, the draft yaml-language-server (VS Code, Neovim, Helix, Zed …)
//! and JetBrains IDEs support best. `init` and `pull` write the
//! `# yaml-language-server: $schema=…` header pointing at the files
//! `strata schema-json --write DIR` writes.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// The four kinds of YAML file strata reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `schema/**/*.yaml`
    Schema,
    /// `seeds/*.yaml`
    Seed,
    /// Import specs (`strata import --spec`)
    Import,
    /// `strata.yaml`
    Config,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Schema, Kind::Seed, Kind::Import, Kind::Config];

    /// The file name `--write` gives its schema.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Schema => "schema.json",
            Kind::Seed => "seed.json",
            Kind::Import => "import.json",
            Kind::Config => "strata.json",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Schema => "strata schema file (schema/*.yaml)",
            Kind::Seed => "strata seed profile (seeds/*.yaml)",
            Kind::Import => "strata import spec",
            Kind::Config => "strata project file (strata.yaml)",
        }
    }
}

/// The directory, relative to a project's root, where `init` writes the
/// schemas and the headers point.
pub const PROJECT_DIR: &str = ".strata/json-schema";

/// The schema for `kind`; `Err` lists keys described and checked apart
/// (strata's own bug).
pub fn generate(kind: Kind) -> Result<Value, Vec<String>> {
    let mut g = Gen::default();
    let mut root = match kind {
        Kind::Schema => crate::spec::json_schema::file(&mut g),
        Kind::Seed => crate::seed::json_schema::profile(&mut g),
        Kind::Import => crate::import::json_schema::spec(&mut g),
        Kind::Config => crate::config::json_schema(&mut g),
    };
    if !g.problems.is_empty() {
        return Err(g.problems);
    }
    if let Value::Object(m) = &mut root {
        m.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
        m.insert("title".into(), json!(kind.title()));
        if !g.definitions.is_empty() {
            m.insert("definitions".into(), Value::Object(g.definitions));
        }
    }
    Ok(root)
}

/// `# yaml-language-server: $schema=…` for a file `depth` directories
/// below the project root (0 for `strata.yaml` itself).
pub fn header(kind: Kind, depth: usize) -> String {
    format!(
        "# yaml-language-server: $schema={}{PROJECT_DIR}/{}\n",
        "../".repeat(depth),
        kind.file_name()
    )
}

/// The header for a YAML file in `dir`, in the project rooted at `root`:
/// the path to the schema relative to `dir` when `dir` is inside the
/// project, else absolute. Both directories must exist.
pub fn header_for(kind: Kind, dir: &Path, root: &Path) -> String {
    let target = root.join(PROJECT_DIR).join(kind.file_name());
    let (Ok(dir), Ok(root)) = (dir.canonicalize(), root.canonicalize()) else {
        return format!("# yaml-language-server: $schema={}\n", target.display());
    };
    match dir.strip_prefix(&root) {
        Ok(below) => header(kind, below.components().count()),
        Err(_) => format!(
            "# yaml-language-server: $schema={}\n",
            root.join(PROJECT_DIR).join(kind.file_name()).display()
        ),
    }
}

/// Write the four schemas under `root`/[`PROJECT_DIR`], replacing older
/// ones (they are strata's own output; a newer strata refreshes them).
pub fn write_project_files(root: &Path) -> crate::Result<Vec<PathBuf>> {
    let dir = root.join(PROJECT_DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| crate::Error::io(format!("creating {}", dir.display()), e))?;
    let mut written = Vec::new();
    for kind in Kind::ALL {
        let text = to_text(kind).map_err(|p| crate::Error::Bug(p.join("; ")))?;
        let path = dir.join(kind.file_name());
        crate::files::replace(&path, text.as_bytes())
            .map_err(|e| crate::Error::io(format!("writing {}", path.display()), e))?;
        written.push(path);
    }
    Ok(written)
}

/// A YAML document as an editor's YAML 1.2 reader types it, for
/// validating strata's files against these schemas (tests, tooling):
/// plain `null`/`~`/empty → null, `true`/`false` → booleans, plain
/// numbers → numbers; quoted scalars and everything else are strings.
pub fn yaml_to_json(node: &marked_yaml::Node) -> Value {
    use marked_yaml::Node;
    match node {
        Node::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), yaml_to_json(v)))
                .collect(),
        ),
        Node::Sequence(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Node::Scalar(s) => {
            let text = s.as_str();
            if !s.may_coerce() {
                return Value::String(text.into());
            }
            match text {
                "" | "~" | "null" | "Null" | "NULL" => Value::Null,
                "true" | "True" | "TRUE" => Value::Bool(true),
                "false" | "False" | "FALSE" => Value::Bool(false),
                _ => plain_number(text).unwrap_or_else(|| Value::String(text.into())),
            }
        }
    }
}

/// A YAML 1.2 core-schema integer or float.
fn plain_number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let first = digits.chars().next()?;
    if !(first.is_ascii_digit() || first == '.') {
        return None;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<i64>().ok().map(Value::from);
    }
    let looks_float = digits
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    let f: f64 = text.parse().ok().filter(|_| looks_float)?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// Schema text as written to disk: pretty, with a final newline.
pub fn to_text(kind: Kind) -> Result<String, Vec<String>> {
    let v = generate(kind)?;
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    Ok(s)
}

/// Collects shared definitions and problems while building.
#[derive(Default)]
pub struct Gen {
    problems: Vec<String>,
    definitions: Map<String, Value>,
}

impl Gen {
    /// A closed object whose properties are exactly `keys` (a decoder's
    /// list), each described by `described`. A key in one and not the
    /// other is a problem. `required` must be among `keys`.
    pub fn object(
        &mut self,
        what: &str,
        keys: &[&str],
        described: Vec<(&str, Value)>,
        required: &[&str],
    ) -> Value {
        let mut props = Map::new();
        for (k, v) in described {
            if !keys.contains(&k) {
                self.problems
                    .push(format!("{what}: \"{k}\" is described but not accepted"));
            }
            props.insert(k.to_string(), v);
        }
        for k in keys {
            if !props.contains_key(*k) {
                self.problems
                    .push(format!("{what}: key \"{k}\" has no description"));
            }
        }
        for k in required {
            if !keys.contains(k) {
                self.problems
                    .push(format!("{what}: required \"{k}\" is not a key"));
            }
        }
        let mut o = json!({"type": "object", "properties": props, "additionalProperties": false});
        if !required.is_empty() {
            o["required"] = json!(required);
        }
        o
    }

    /// Register `value` as `#/definitions/name` and return a reference.
    pub fn define(&mut self, name: &str, value: Value) -> Value {
        self.definitions.insert(name.into(), value);
        reference(name)
    }
}

/// `{"$ref": "#/definitions/name"}`.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// A string, described.
pub fn string(desc: &str) -> Value {
    json!({"type": "string", "description": desc})
}

/// A boolean, described.
pub fn boolean(desc: &str) -> Value {
    json!({"type": "boolean", "description": desc})
}

/// An integer, described.
pub fn integer(desc: &str) -> Value {
    json!({"type": "integer", "description": desc})
}

/// A number, described.
pub fn number(desc: &str) -> Value {
    json!({"type": "number", "description": desc})
}

/// One of `values` (strings), described.
pub fn one_of_words(values: &[&str], desc: &str) -> Value {
    json!({"type": "string", "enum": values, "description": desc})
}

/// Anything (several accepted spellings), described.
pub fn any(desc: &str) -> Value {
    json!({ "description": desc })
}

/// A string or a list of strings.
pub fn names(desc: &str) -> Value {
    json!({"description": desc, "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
}

/// A list of `item`.
pub fn list(item: Value, desc: &str) -> Value {
    json!({"type": "array", "items": item, "description": desc})
}

/// A map from names to `value` (`null` allowed for an empty entry where
/// `nullable`).
pub fn map_of(value: Value, desc: &str) -> Value {
    json!({"type": ["object", "null"], "additionalProperties": value, "description": desc})
}

/// `a` or `b`.
pub fn either(a: Value, b: Value, desc: &str) -> Value {
    json!({"description": desc, "anyOf": [a, b]})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_generates_without_problems() {
        for kind in Kind::ALL {
            let v = generate(kind).unwrap_or_else(|p| panic!("{kind:?}: {}", p.join("\n")));
            assert_eq!(v["type"], "object", "{kind:?}");
        }
    }

    #[test]
    fn yaml_scalars_are_typed_like_an_editor_types_them() {
        let text = "a: 1\nb: '1'\nc: 1.5\nd: ~\ne: true\nf: 10..20\ng: 1e3\nh: [x, \"y\"]\ni: .5\nj: 1.2.3\n";
        let root = crate::spec::yaml::parse(Path::new("t.yaml"), text).unwrap();
        assert_eq!(
            yaml_to_json(&root),
            json!({"a": 1, "b": "1", "c": 1.5, "d": null, "e": true, "f": "10..20", "g": 1000.0,
                   "h": ["x", "y"], "i": 0.5, "j": "1.2.3"})
        );
    }

    #[test]
    fn headers_point_from_each_directory_to_the_project_files() {
        assert_eq!(
            header(Kind::Config, 0),
            "# yaml-language-server: $schema=.strata/json-schema/strata.json\n"
        );
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("schema/app");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(
            header_for(Kind::Schema, &deep, root.path()),
            "# yaml-language-server: $schema=../../.strata/json-schema/schema.json\n"
        );
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(header_for(Kind::Schema, elsewhere.path(), root.path())
            .contains(&root.path().canonicalize().unwrap().display().to_string()));
    }

    #[test]
    fn object_reports_keys_described_and_checked_apart() {
        let mut g = Gen::default();
        g.object(
            "x",
            &["a", "b"],
            vec![("a", any("")), ("c", any(""))],
            &["d"],
        );
        assert_eq!(
            g.problems,
            [
                "x: \"c\" is described but not accepted",
                "x: key \"b\" has no description",
                "x: required \"d\" is not a key"
            ]
        );
    }
}
