//! Publications `FOR ALL TABLES` and `FOR TABLES IN SCHEMA` need a
//! superuser in PostgreSQL. The shadow database is built by the
//! unprivileged `strata_build` role (`engine::sandbox`), so planning such
//! a publication fails there with the sandbox's note — a documented
//! limitation, not a weakened sandbox — and `STRATA_SHADOW_SUPERUSER=1`
//! (trusted files) builds it. Through the real binary against its own
//! embedded cluster. And `diff --exit-code` between two live databases
//! sees publications. Publications of tables are covered by pairs 340-341
//! and tests/sql/81.

mod common;

use std::path::Path;

use common::runner::{strata, text};

fn project(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in ["schema", "migrations"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    std::fs::write(dir.path().join("schema/app.yaml"), yaml).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str], superuser: bool) -> (Option<i32>, String) {
    let mut cmd = strata();
    if superuser {
        cmd.env("STRATA_SHADOW_SUPERUSER", "1");
    }
    let out = cmd.current_dir(dir).args(args).output().unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    (out.status.code(), all)
}

fn migration(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("migrations/V1__init.sql")).unwrap()
}

#[test]
fn all_tables_and_schema_publications_need_a_trusted_shadow() {
    let cases = [
        ("everything:\n    all_tables: true\n", "FOR ALL TABLES"),
        (
            "app_tables:\n    schemas: [app]\n",
            "FOR TABLES IN SCHEMA \"app\"",
        ),
    ];
    for (publication, sql) in cases {
        let yaml = format!(
            "schemas: [app]\ntables:\n  app.t:\n    columns:\n      id: int primary key\n\
             publications:\n  {publication}"
        );
        let dir = project(&yaml);
        let (code, out) = run(dir.path(), &["generate", "init"], false);
        assert_ne!(code, Some(0), "{out}");
        assert!(out.contains("must be superuser"), "{out}");
        assert!(out.contains("schema/app.yaml:7"), "{out}");
        assert!(
            out.contains("strata_build") && out.contains("STRATA_SHADOW_SUPERUSER"),
            "{out}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path().join("migrations"))
                .unwrap()
                .count(),
            0
        );
        // Trusted, the same file builds and the migration creates it.
        let (code, out) = run(dir.path(), &["generate", "init"], true);
        assert_eq!(code, Some(0), "{out}");
        assert!(migration(dir.path()).contains(sql), "{out}");
    }
}

/// `diff` between two live databases needs no shadow: a copy without the
/// publications is a difference both ways, and the same ones are none.
#[tokio::test]
async fn diff_exit_code_sees_a_copy_without_its_publications() {
    let (a, ca) = common::fresh_db("pub_a").await;
    let (b, cb) = common::fresh_db("pub_b").await;
    let tables = "CREATE TABLE people (id bigint PRIMARY KEY, email text, active boolean);";
    let publications = "CREATE PUBLICATION everything FOR ALL TABLES;
         CREATE PUBLICATION contacts FOR TABLE people (id, email) WHERE (active)
           WITH (publish = 'insert');";
    for c in [&ca, &cb] {
        common::exec(c, tables).await;
    }
    common::exec(&ca, publications).await;
    let dir = tempfile::tempdir().unwrap();
    let diff = |from: &str, to: &str| {
        let out = strata()
            .env_remove("DATABASE_URL")
            .env_remove("STRATA_DEV_URL")
            .current_dir(dir.path())
            .args(["diff", "--exit-code", "--from", from, "--to", to])
            .output()
            .unwrap();
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        (out.status.code(), text(&out.stdout), all)
    };
    let (ua, ub) = (a.target.url(), b.target.url());
    let (code, sql, all) = diff(&ua, &ub);
    assert_eq!(code, Some(2), "{all}");
    assert!(sql.contains("DROP PUBLICATION \"everything\";"), "{all}");
    assert!(sql.contains("DROP PUBLICATION \"contacts\";"), "{all}");
    let (code, sql, all) = diff(&ub, &ua);
    assert_eq!(code, Some(2), "{all}");
    assert!(
        sql.contains("CREATE PUBLICATION \"everything\" FOR ALL TABLES;"),
        "{all}"
    );
    assert!(
        sql.contains(
            "CREATE PUBLICATION \"contacts\" FOR TABLE \"public\".\"people\" (\"id\", \"email\") \
             WHERE (active) WITH (publish = 'insert');"
        ),
        "{all}"
    );
    common::exec(&cb, publications).await;
    let (code, _, all) = diff(&ua, &ub);
    assert_eq!(code, Some(0), "{all}");
}
