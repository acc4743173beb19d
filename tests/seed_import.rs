//! Seed profile tables loaded from CSV (`import:` with the keys of an
//! import spec): inside the seed's transaction, in load order, so children
//! fan out over the imported rows; rejects go next to the CSV and are not
//! fatal; a row the server refuses is isolated and rejected too; a later
//! failure of the seed rolls the import back with everything else.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{exec, fresh_db, strings};

const SCHEMA: &str = "
CREATE TABLE orgs (id int PRIMARY KEY, name text NOT NULL, slug text UNIQUE);
CREATE TABLE members (id serial PRIMARY KEY, org_id int NOT NULL REFERENCES orgs(id), email text);";

const PROFILE: &str = "seed: 1
tables:
  members:
    per_parent: {orgs: 2..2}
    columns: {email: email}
  orgs:
    import:
      file: ../fixtures/orgs.csv
      columns:
        name: {required: true, transform: [trim]}
        slug: {transform: [lower]}
";

fn project(profile: &str, csv: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["seeds", "fixtures"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    std::fs::write(dir.path().join("seeds/dev.yaml"), profile).unwrap();
    std::fs::write(dir.path().join("fixtures/orgs.csv"), csv).unwrap();
    dir
}

fn seed(project: &Path, url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project)
        .args(["seed", "--database-url", url])
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn imported_parents_get_generated_children_and_rejects_are_kept() {
    let (db, client) = fresh_db("seed_imp").await;
    exec(&client, SCHEMA).await;
    let dir = project(
        PROFILE,
        b"id,name,slug\n1, Acme ,ACME\n2,,x\n3,Globex,globex\n",
    );
    let out = seed(dir.path(), &db.target.url());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("read 3, loaded 2, rejected 1"),
        "{}",
        stderr(&out)
    );
    let orgs = strings(
        &client,
        "SELECT concat_ws('|', id, name, slug) FROM orgs ORDER BY id",
    )
    .await;
    assert_eq!(orgs, vec!["1|Acme|acme", "3|Globex|globex"]);
    let fan = strings(
        &client,
        "SELECT string_agg(org_id || ':' || n, ',' ORDER BY org_id)
         FROM (SELECT org_id, count(*) n FROM members GROUP BY org_id) x",
    )
    .await;
    assert_eq!(fan, vec!["1:2,3:2"]);
    let rejects = std::fs::read(dir.path().join("fixtures/orgs.csv.rejects.csv")).unwrap();
    assert_eq!(rejects, b"id,name,slug\n2,,x\n");
}

#[tokio::test]
async fn a_row_the_server_refuses_is_rejected_and_the_rest_loads() {
    let (db, client) = fresh_db("seed_imp").await;
    exec(&client, SCHEMA).await;
    let csv = b"id,name,slug\n1,Acme,acme\n2,Again,ACME\n3,Globex,globex\n1,Dup,dup\n";
    let dir = project(PROFILE, csv);
    let out = seed(dir.path(), &db.target.url());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("read 4, loaded 2, rejected 2"),
        "{}",
        stderr(&out)
    );
    let orgs = strings(&client, "SELECT id || '|' || slug FROM orgs ORDER BY id").await;
    assert_eq!(orgs, vec!["1|acme", "3|globex"]);
    // Children fan out over the rows that loaded, and only those.
    let fan = strings(
        &client,
        "SELECT string_agg(org_id || ':' || n, ',' ORDER BY org_id)
         FROM (SELECT org_id, count(*) n FROM members GROUP BY org_id) x",
    )
    .await;
    assert_eq!(fan, vec!["1:2,3:2"]);
    let rejects = std::fs::read(dir.path().join("fixtures/orgs.csv.rejects.csv")).unwrap();
    assert_eq!(rejects, b"id,name,slug\n2,Again,ACME\n1,Dup,dup\n");
    let errors =
        std::fs::read_to_string(dir.path().join("fixtures/orgs.csv.rejects.csv.errors.csv"))
            .unwrap();
    assert!(
        errors.contains("orgs_slug_key") && errors.contains("orgs_pkey"),
        "{errors}"
    );
}

#[tokio::test]
async fn a_later_failure_rolls_the_import_back_with_the_seed() {
    let (db, client) = fresh_db("seed_imp").await;
    exec(&client, SCHEMA).await;
    // Every generated email breaks this CHECK: the members COPY fails
    // after the orgs import succeeded.
    exec(
        &client,
        "ALTER TABLE members ADD CHECK (email LIKE 'never%')",
    )
    .await;
    let dir = project(PROFILE, b"id,name,slug\n1,Acme,acme\n");
    let out = seed(dir.path(), &db.target.url());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("members"), "{}", stderr(&out));
    let n = strings(
        &client,
        "SELECT ((SELECT count(*) FROM orgs) + (SELECT count(*) FROM members))::text",
    )
    .await;
    assert_eq!(n, vec!["0"]);
}

#[tokio::test]
async fn import_entries_are_checked_with_positions() {
    let (db, client) = fresh_db("seed_imp").await;
    exec(&client, SCHEMA).await;
    let profile = "tables:\n  orgs:\n    rows: 3\n    import:\n      columns:\n        name: {requird: true}\n";
    let dir = project(profile, b"id,name,slug\n");
    let out = seed(dir.path(), &db.target.url());
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "seeds/dev.yaml:3:5: table orgs: `import:` replaces `rows:`",
        "seeds/dev.yaml:5:7: `import:` needs `file:`",
        "seeds/dev.yaml:6:16: unknown key \"requird\" in column \"name\"; did you mean \"required\"?",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

/// The shipped `seeds/legacy.yaml`: the dashboard's legacy fixtures loaded
/// through their spec files (`import: path.yaml`), generated rows around
/// them. Run from a copy of the project, so its rejects land there.
#[tokio::test]
async fn shipped_legacy_profile_imports_the_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (db, client) = fresh_db("seed_imp").await;
    strata::migrate::replay::replay_dir(&client, &root.join("migrations"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for sub in ["seeds", "fixtures"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    std::fs::copy(
        root.join("seeds/legacy.yaml"),
        dir.path().join("seeds/dev.yaml"),
    )
    .unwrap();
    for f in [
        "organizations_legacy.csv",
        "organizations.import.yaml",
        "molecules_legacy.csv",
        "molecules.import.yaml",
    ] {
        std::fs::copy(
            root.join("fixtures").join(f),
            dir.path().join("fixtures").join(f),
        )
        .unwrap();
    }
    let out = seed(dir.path(), &db.target.url());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("read 3, loaded 3, rejected 0"), "{err}");
    assert!(err.contains("read 200, loaded 186, rejected 14"), "{err}");
    let slugs = strings(
        &client,
        "SELECT string_agg(slug, ',' ORDER BY slug) FROM organizations",
    )
    .await;
    assert_eq!(slugs, vec!["beta-pharma,gamma-screening,legacy-lab"]);
    let counts = strings(
        &client,
        "SELECT concat_ws(',', (SELECT count(*) FROM molecules),
            (SELECT count(DISTINCT molecule_id) FROM docking_jobs),
            (SELECT count(*) FROM docking_jobs j JOIN molecules m ON m.id = j.molecule_id
              WHERE j.organization_id <> m.organization_id))",
    )
    .await;
    // Every imported molecule got jobs, each in its molecule's tenant.
    assert_eq!(counts, vec!["186,186,0"]);
    // The rejects file: the header + the 14 rejected records as records.
    let rejects = dir.path().join("fixtures/molecules_legacy.csv.rejects.csv");
    let records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(rejects)
        .unwrap()
        .into_byte_records()
        .count();
    assert_eq!(records, 15);
}
