//! `strata init`: scaffold a project with a small working example.

use std::path::Path;

use crate::{Error, Result};

const STRATA_YAML: &str = "\
# strata project configuration. Every key is optional.
# database_url: postgres://app@localhost/app   # or --database-url / DATABASE_URL
# dev_url: postgres://postgres@localhost/postgres  # scratch server instead of the embedded one
# embedded: {major: 17}   # the PostgreSQL major your databases run (14-18): shadow/dev use it
# strict: true            # objects strata does not manage are errors (exit 4), as with --strict
# migrations: {versions: timestamp}   # new files V20240101120000__x.sql (history version int8)
schema_dir: schema
migrations_dir: migrations
seeds_dir: seeds
";

const EXAMPLE_SCHEMA: &str = "\
# Describe the schema you want; `strata generate NAME` writes the migration.
extensions: [pgcrypto]
enums:
  task_status: [todo, doing, done]
mixins:
  timestamps:
    columns:
      created_at: timestamptz not null default now()
      updated_at: timestamptz
tables:
  projects:
    mixins: [timestamps]
    columns:
      id: uuid primary key default gen_random_uuid()
      name: text not null unique
  tasks:
    mixins: [timestamps]
    columns:
      id: bigint generated always as identity primary key
      project_id: {type: uuid, not_null: true, references: projects.id, on_delete: cascade}
      title: text not null
      status: task_status not null default 'todo'
    indexes:
      - {columns: [project_id, created_at desc]}
      - {columns: [status], where: \"status <> 'done'\"}
";

const SEED_PROFILE: &str = "\
# Development data: `strata seed` (or `strata dev`) loads it. See docs/seed-format.md.
seed: 1
tables:
  projects:
    rows: 5
    columns:
      name: {company_name, unique: true}
  tasks:
    per_parent: {projects: 3..10}
    columns:
      title: {sentence: 3..6}
      status: {one_of: {todo: 3, doing: 1, done: 2}}
";

/// Create the files under `dir`; existing files are never overwritten,
/// except the JSON Schemas under `.strata/json-schema/` (strata's own).
pub fn init(dir: &Path) -> Result<Vec<String>> {
    use crate::json_schema::{header, Kind};
    // Each YAML file names its JSON Schema for editors.
    let files: [(&str, String); 4] = [
        ("strata.yaml", header(Kind::Config, 0) + STRATA_YAML),
        (
            "schema/example.yaml",
            header(Kind::Schema, 1) + EXAMPLE_SCHEMA,
        ),
        ("seeds/dev.yaml", header(Kind::Seed, 1) + SEED_PROFILE),
        ("migrations/.gitkeep", String::new()),
    ];
    let mut written = Vec::new();
    for (rel, body) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        // Create-new: anything already there — a file, or a symlink even
        // dangling (`exists()` would follow it and say no) — is left alone.
        let mut f = match crate::files::create_new(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!("exists, left alone: {}", path.display());
                continue;
            }
            Err(e) => return Err(Error::io(format!("creating {}", path.display()), e)),
        };
        std::io::Write::write_all(&mut f, body.as_bytes())
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        written.push(path.display().to_string());
    }
    // strata's own output, refreshed whenever init runs.
    for f in crate::json_schema::write_project_files(dir)? {
        written.push(f.display().to_string());
    }
    Ok(written)
}
