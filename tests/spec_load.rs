//! Loading valid schema YAML into the model (no database needed).

use std::path::Path;

use strata::model::*;
use strata::spec::load_str;

const EXAMPLE: &str = r#"
schemas: [app]
extensions: [pgcrypto, citext]
enums:
  job_status: [pending, running, done, failed]
  app.level: {values: [low, high], comment: Severity}
mixins:
  audited:
    columns:
      created_at: timestamptz not null default now()
      updated_at: timestamptz
tables:
  organizations:
    comment: Tenants
    mixins: [audited]
    columns:
      id: {type: uuid, primary_key: true, default: gen_random_uuid()}
      name: text not null
      slug: varchar(64) not null unique
    indexes:
      - {columns: [name]}
  molecules:
    columns:
      id: bigint generated always as identity primary key
      organization_id: {type: uuid, not_null: true, references: organizations.id, on_delete: cascade}
      smiles: text not null
      molecular_weight: numeric(10,3) check (molecular_weight > 0)
      status: job_status[] not null
    indexes:
      - {columns: [organization_id, smiles desc], where: "smiles IS NOT NULL", unique: true, include: [status], with: {fillfactor: 70}}
      - {columns: ["lower(smiles)"]}
      - {columns: [{column: smiles, opclass: text_pattern_ops}]}
      - {columns: [{expression: "lower(smiles)", collation: C, order: desc, nulls: first}], name: mol_lower}
  app.jobs:
    columns:
      id: serial primary key
      molecule_id: bigint references molecules
      level: level
      a: int
      b: int
    unique: [[a, b], {columns: [b], nulls_not_distinct: true, name: jobs_b_uniq}]
    checks: ["a > 0", {name: positive_b, expression: "b > 0", comment: must be positive}]
    foreign_keys:
      - {columns: [a, b], references: {table: app.pairs, columns: [x, y]}, on_delete: cascade, on_update: restrict, deferrable: true, initially_deferred: true, match: full, name: jobs_pair_fk}
    exclusions:
      - {using: gist, elements: ["a WITH ="], where: "b > 0", name: jobs_excl}
  pairs:
    schema: app
    columns:
      x: int
      y: int
    primary_key: {columns: [x, y], name: pairs_pk}
"#;

fn load(text: &str) -> Database {
    match load_str(Path::new("schema/t.yaml"), text) {
        Ok(db) => db,
        Err(e) => panic!("load failed:\n{e}"),
    }
}

#[test]
fn loads_the_documented_example() {
    let db = load(EXAMPLE);
    assert!(db.schemas.contains_key("app"));
    assert_eq!(db.extensions.len(), 2);
    let lvl = &db.enums[&QualifiedName::new("app", "level")];
    assert_eq!(lvl.values, vec!["low", "high"]);
    assert_eq!(lvl.comment.as_deref(), Some("Severity"));

    let orgs = &db.tables[&QualifiedName::new("public", "organizations")];
    let names: Vec<&str> = orgs.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "slug", "created_at", "updated_at"]);
    assert_eq!(orgs.comment.as_deref(), Some("Tenants"));
    let id = orgs.column("id").unwrap();
    assert!(id.not_null, "primary key columns are NOT NULL");
    assert_eq!(id.default.as_deref(), Some("gen_random_uuid()"));
    assert_eq!(orgs.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(orgs.primary_key.as_ref().unwrap().name, None);
    assert_eq!(orgs.uniques[0].columns, ["slug"]);
    assert_eq!(
        orgs.column("created_at").unwrap().default.as_deref(),
        Some("now()")
    );
    assert_eq!(orgs.column("created_at").unwrap().origin.line, 10);

    let mols = &db.tables[&QualifiedName::new("public", "molecules")];
    let mid = mols.column("id").unwrap();
    assert_eq!(mid.data_type, "bigint");
    assert_eq!(mid.identity.as_ref().unwrap().kind, IdentityKind::Always);
    let fk = &mols.foreign_keys[0];
    assert_eq!(fk.columns, ["organization_id"]);
    assert_eq!(fk.ref_table, QualifiedName::new("public", "organizations"));
    assert_eq!(fk.ref_columns, ["id"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(mols.checks[0].expression, "molecular_weight > 0");
    assert_eq!(
        mols.column("status").unwrap().data_type,
        "public.job_status[]"
    );
    let ix = &mols.indexes[0];
    assert!(ix.unique);
    assert_eq!(ix.keys[1].expr, "smiles");
    assert!(ix.keys[1].descending);
    assert_eq!(ix.include, ["status"]);
    assert_eq!(ix.with, ["fillfactor=70"]);
    assert_eq!(ix.predicate.as_deref(), Some("smiles IS NOT NULL"));
    assert!(mols.indexes[1].keys[0].is_expression);
    assert_eq!(
        mols.indexes[2].keys[0].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    let k = &mols.indexes[3].keys[0];
    assert_eq!(k.collation.as_deref(), Some("\"C\""));
    assert_eq!(k.nulls_first, Some(true));

    let jobs = &db.tables[&QualifiedName::new("app", "jobs")];
    let jid = jobs.column("id").unwrap();
    assert_eq!(jid.data_type, "integer");
    assert!(jid.serial.is_some() && jid.default.is_none() && jid.not_null);
    assert_eq!(
        jobs.foreign_keys[0].ref_table,
        QualifiedName::new("public", "molecules")
    );
    assert_eq!(
        jobs.foreign_keys[0].ref_columns,
        ["id"],
        "resolved from the referenced primary key"
    );
    assert_eq!(jobs.column("level").unwrap().data_type, "app.level");
    let pair_fk = &jobs.foreign_keys[1];
    assert_eq!(pair_fk.ref_table, QualifiedName::new("app", "pairs"));
    assert_eq!(pair_fk.match_type, FkMatch::Full);
    assert!(pair_fk.deferrable && pair_fk.initially_deferred);
    assert_eq!(pair_fk.on_update, FkAction::Restrict);
    assert_eq!(jobs.uniques.len(), 2);
    assert!(jobs.uniques[1].nulls_not_distinct);
    assert_eq!(jobs.checks[1].name.as_deref(), Some("positive_b"));
    assert_eq!(jobs.exclusions[0].elements, ["a WITH ="]);
    let pairs = &db.tables[&QualifiedName::new("app", "pairs")];
    assert!(pairs.column("x").unwrap().not_null);
}

#[test]
fn mixins_can_go_first() {
    let db = load(
        "mixins:\n  keyed:\n    position: first\n    columns:\n      id: bigserial primary key\n    indexes:\n      - {columns: [id, name]}\ntables:\n  t:\n    mixins: keyed\n    columns:\n      name: text\n",
    );
    let t = &db.tables[&QualifiedName::new("public", "t")];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name"]);
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.indexes.len(), 1);
}

#[test]
fn files_merge_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "tables:\n  child:\n    columns:\n      parent_id: int references parent\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sub/a.yml"),
        "tables:\n  parent:\n    columns:\n      id: int primary key\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    std::fs::write(dir.path().join(".#b.yaml"), "not: [yaml").unwrap();
    let db = strata::spec::load_dir(dir.path()).unwrap();
    assert_eq!(db.tables.len(), 2);
    let child = &db.tables[&QualifiedName::new("public", "child")];
    assert_eq!(child.foreign_keys[0].ref_columns, ["id"]);
    assert!(child.origin.file.as_ref().unwrap().ends_with("b.yaml"));
}

#[test]
fn empty_file_is_an_empty_model() {
    let db = load("# nothing yet\n");
    assert_eq!(db, Database::default());
}

#[test]
fn the_example_in_the_format_docs_loads() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema-format.md"
    ))
    .unwrap();
    let start = doc.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let db = load(&doc[start..end]);
    assert_eq!(db.tables.len(), 3);
    let b = &db.tables[&QualifiedName::new("app", "bookings")];
    assert_eq!(b.column("severity").unwrap().data_type, "app.severity");
    assert_eq!(
        b.foreign_keys[0].ref_table,
        QualifiedName::new("public", "molecules")
    );
    let m = &db.tables[&QualifiedName::new("public", "molecules")];
    let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.last(), Some(&"updated_at"));
}
