//! The shipped legacy CSVs and their import specs load: `fixtures/` of the
//! dashboard and `fixtures/` of every project under `examples/`. Each goes
//! into a fresh database migrated with that project's migrations (parents
//! inserted by hand), through the real binary run from the project
//! directory. Asserted: the exact read/loaded/rejected counts, and that the
//! rejects file is the header plus exactly the expected records, byte for
//! byte, with their line numbers in the sidecar.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one fixture import should do.
struct Expect<'a> {
    project: &'a str,
    spec: &'a str,
    /// SQL run after migrating (parent rows).
    setup: &'a str,
    table: &'a str,
    /// Lines the header takes (0: headerless).
    header_lines: usize,
    read: u64,
    /// Rejected records: (first line, physical lines it spans).
    rejects: &'a [(u64, usize)],
    /// Queries returning one text value, and that value: what the rules did.
    probes: &'a [(&'a str, &'a str)],
}

fn strata(project: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_DEV_URL")
        .current_dir(project)
        .args(args)
        .output()
        .unwrap()
}

/// The input's physical lines, each with its terminator.
fn physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

async fn check(e: Expect<'_>) {
    let dir = root().join(e.project);
    let (db, client) = common::fresh_db("imp_fix").await;
    strata::migrate::replay::replay_dir(&client, &dir.join("migrations"))
        .await
        .unwrap_or_else(|err| panic!("migrating {}: {err}", e.project));
    common::exec(&client, e.setup).await;
    let tmp = tempfile::tempdir().unwrap();
    let rejects = tmp.path().join("rejects.csv");
    let url = db.target.url();
    let rejects_arg = rejects.display().to_string();
    let out = strata(
        &dir,
        &[
            "import",
            "--spec",
            e.spec,
            "--rejects",
            &rejects_arg,
            "--database-url",
            &url,
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{}: {err}", e.spec);
    let rejected = e.rejects.len() as u64;
    let want = format!(
        "read {}, loaded {}, rejected {rejected}",
        e.read,
        e.read - rejected
    );
    assert!(err.contains(&want), "{}: want {want:?} in\n{err}", e.spec);
    let n: i64 = client
        .query_one(&format!("SELECT count(*) FROM {}", e.table), &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        n as u64,
        e.read - rejected,
        "{}: rows in {}",
        e.spec,
        e.table
    );

    for (sql, value) in e.probes {
        let got = common::strings(&client, sql).await.join("/");
        assert_eq!(got, *value, "{}: {sql}", e.spec);
    }

    // The expected rejects, cut from the input by line number.
    let spec_text = std::fs::read_to_string(dir.join(e.spec)).unwrap();
    let file = spec_text
        .lines()
        .find_map(|l| l.strip_prefix("file: "))
        .expect("file: in the spec");
    let input = std::fs::read(dir.join(e.spec).parent().unwrap().join(file.trim())).unwrap();
    let lines = physical_lines(&input);
    let mut want: Vec<u8> = lines[..e.header_lines].concat();
    for &(first, span) in e.rejects {
        let at = first as usize - 1;
        want.extend(lines[at..at + span].concat());
    }
    let got = std::fs::read(&rejects).unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want),
        "{}: rejects file",
        e.spec
    );
    assert_eq!(got, want, "{}: rejects bytes", e.spec);
    let sidecar = std::fs::read_to_string(format!("{rejects_arg}.errors.csv")).unwrap();
    let got_lines: Vec<u64> = sidecar
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    let want_lines: Vec<u64> = e.rejects.iter().map(|r| r.0).collect();
    assert_eq!(
        got_lines, want_lines,
        "{}: sidecar lines\n{sidecar}",
        e.spec
    );
}

#[tokio::test]
async fn dashboard_molecules() {
    check(Expect {
        project: ".",
        spec: "fixtures/molecules.import.yaml",
        setup: "INSERT INTO organizations (id, name, slug)
                VALUES ('00000000-0000-4000-8000-00000000000a', 'Legacy lab', 'legacy-lab');",
        table: "molecules",
        header_lines: 1,
        read: 200,
        // Missing SMILES (38, 76, 113 over two lines, 151, 188), missing
        // name (42, 84, 126, 167), duplicate ids (62, 123, 183), an
        // impossible date (101), a negative weight (153, CHECK).
        rejects: &[
            (38, 1),
            (42, 1),
            (62, 1),
            (76, 1),
            (84, 1),
            (101, 1),
            (113, 2),
            (123, 1),
            (126, 1),
            (151, 1),
            (153, 1),
            (167, 1),
            (183, 1),
            (188, 1),
        ],
        probes: &[
            // Non-numeric weights became NULL (on_error: null): ids 13, 26, … 195.
            ("SELECT count(*)::text FROM molecules WHERE molecular_weight IS NULL", "15"),
            ("SELECT name || '|' || molecular_weight || '|' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
              FROM molecules WHERE id = '00000000-0000-4000-8000-000000000004'",
             "Théophylline 4|248.123|2019-05-05 04:04"),
            ("SELECT name FROM molecules WHERE id = '00000000-0000-4000-8000-000000000050'",
             "Morphine\nsecond line 50"),
            ("SELECT count(DISTINCT organization_id)::text FROM molecules", "1"),
        ],
    })
    .await;
}

#[tokio::test]
async fn imagemanager_projects() {
    check(Expect {
        project: "examples/imagemanager",
        spec: "fixtures/projects.import.yaml",
        setup: "",
        table: "projects",
        header_lines: 1,
        read: 12,
        // No name, unknown state, 2023-13-01, a 256-character name.
        rejects: &[(4, 1), (8, 1), (9, 1), (10, 1)],
        probes: &[(
            "SELECT string_agg(name || ':' || status || ':' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD'), ',' ORDER BY created_at)
             FROM projects WHERE name IN ('Détection de défauts', 'Éclairage', 'Drones')",
            "Détection de défauts:active:20230212,Éclairage:archived:20230315,Drones:active:20230615",
        )],
    })
    .await;
}

#[tokio::test]
async fn monitoring_checks() {
    check(Expect {
        project: "examples/monitoring",
        spec: "fixtures/checks.import.yaml",
        setup: "INSERT INTO organizations (id, name) VALUES ('00000000-0000-4000-8000-0000000000b1', 'Ops');
                INSERT INTO sites (id, organization_id, name, url) VALUES
                  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1', 'www', 'https://example.com'),
                  ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000b1', 'api', 'https://api.example.com');",
        table: "checks",
        header_lines: 1,
        read: 10,
        // Unknown kind (enum), 5 s interval (CHECK), unknown site (FK), "maybe".
        rejects: &[(5, 1), (6, 1), (7, 1), (9, 1)],
        probes: &[(
            "SELECT string_agg(concat_ws(':', kind, interval_seconds, coalesce(last_status::text, 'NULL'), is_active), ',' ORDER BY interval_seconds)
             FROM checks",
            "tcp:30:NULL:f,http:60:200:t,http:60:NULL:t,tcp:90:200:t,icmp:120:0:t,http:3600:204:f",
        )],
    })
    .await;
}

#[tokio::test]
async fn vividshift_targets() {
    check(Expect {
        project: "examples/vividshift",
        spec: "fixtures/targets.import.yaml",
        setup: "",
        table: "targets",
        header_lines: 0,
        read: 8,
        // No name, capacity 0 and -3 (CHECK).
        rejects: &[(3, 1), (4, 1), (7, 1)],
        probes: &[(
            "SELECT string_agg(name || ':' || capacity || ':' || required_skills::text, ',' ORDER BY name) FROM targets",
            "Desk A:4:{python,sql},Desk B:1:{go},Desk D:3:{},Room 1, east:10:{rust,c++,sql},Room 3:2:{ops}",
        )],
    })
    .await;
}
