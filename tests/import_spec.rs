//! `strata import --spec` against a real PostgreSQL, through the binary:
//! each rule with the exact table content and rejects it yields, and spec
//! errors at `file:line:col` with exit 4 and nothing loaded.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::import_out::{counts, read_errors};
use common::runner::{strata, text};
use common::{exec, fresh_db, strings};

struct Run {
    out: Output,
    /// `query`'s first column, in its order.
    rows: Vec<String>,
    /// The rejects file (`in.csv.rejects.csv`), if written.
    rejects: Option<Vec<u8>>,
    /// The sidecar's (line, column, reason).
    errors: Vec<(u64, String, String)>,
    dir: tempfile::TempDir,
}

/// Create `schema`, write `csv` and `spec` (as spec.yaml) in a temporary
/// directory, run `strata import t in.csv --spec spec.yaml ARGS`.
async fn run(schema: &str, csv: &[u8], spec: &str, args: &[&str], query: &str) -> Run {
    run_with(schema, csv, spec, query, |dir| {
        let mut a: Vec<String> = vec!["import".into(), "t".into()];
        a.push(dir.join("in.csv").display().to_string());
        a.push("--spec".into());
        a.push(dir.join("spec.yaml").display().to_string());
        a.extend(args.iter().map(|s| s.to_string()));
        a
    })
    .await
}

async fn run_with(
    schema: &str,
    csv: &[u8],
    spec: &str,
    query: &str,
    args: impl FnOnce(&Path) -> Vec<String>,
) -> Run {
    let (db, client) = fresh_db("impspec").await;
    exec(&client, schema).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), csv).unwrap();
    std::fs::write(dir.path().join("spec.yaml"), spec).unwrap();
    let out = strata()
        .current_dir(dir.path())
        .args(args(dir.path()))
        .args(["--database-url", &db.target.url()])
        .output()
        .unwrap();
    let rows = strings(&client, query).await;
    let rejects_path = dir.path().join("in.csv.rejects.csv");
    let rejects = std::fs::read(&rejects_path).ok();
    let errors = read_errors(&PathBuf::from(format!(
        "{}.errors.csv",
        rejects_path.display()
    )));
    Run {
        out,
        rows,
        rejects,
        errors,
        dir,
    }
}

fn ok(r: &Run) {
    assert!(
        r.out.status.success(),
        "exit {:?}\n{}",
        r.out.status.code(),
        text(&r.out.stderr)
    );
}

fn lines_cols(r: &Run) -> Vec<(u64, String)> {
    r.errors.iter().map(|e| (e.0, e.1.clone())).collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn required_transforms_map_constant_skip() {
    let schema = "CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, code text,
                  status text NOT NULL, org uuid, note text DEFAULT 'dflt');";
    let csv = b"id,Name,code,status,legacy_flag\n\
                1,\"  Ann \",ab-1,A,x\n\
                2,,c,I,x\n\
                3,Bob,,,x\n\
                4,Cy,d e,X,x\n\
                5,   ,e,A,x\n\
                6,Di,f,gone,x\n";
    let spec = r#"
columns:
  name: {from: Name, required: true, transform: [trim]}
  code: {transform: [upper, {replace: {pattern: "[^A-Z0-9]", with: ""}}]}
  status: {map: {A: active, I: inactive, gone: null}, default: active}
  org: {constant: "3f0e8a2c-0000-4000-8000-000000000001"}
skip: [legacy_flag]
"#;
    let r = run(
        schema,
        csv,
        spec,
        &[],
        "SELECT concat_ws('|', id, name, coalesce(code, 'NULL'), status, org, note) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    let org = "3f0e8a2c-0000-4000-8000-000000000001";
    assert_eq!(
        r.rows,
        vec![
            format!("1|Ann|AB1|active|{org}|dflt"),
            format!("3|Bob|NULL|active|{org}|dflt"),
            format!("4|Cy|DE|X|{org}|dflt"),
            format!("6|Di|F|active|{org}|dflt"),
        ]
    );
    assert_eq!(counts(&r.out), (6, 4, 2));
    assert_eq!(
        r.rejects.clone().unwrap(),
        b"id,Name,code,status,legacy_flag\n2,,c,I,x\n5,   ,e,A,x\n"
    );
    assert_eq!(lines_cols(&r), vec![(3, "name".into()), (6, "name".into())]);
    assert_eq!(r.errors[0].2, "required, but empty");
}

#[tokio::test]
async fn lower_then_map_strict_rejects_unlisted_values() {
    let schema = "CREATE TABLE t (id int, status text);";
    let spec = "columns:\n  status: {transform: [lower], map: {a: active}, map_strict: true}\n";
    let r = run(
        schema,
        b"id,status\n1,A\n2,B\n",
        spec,
        &[],
        "SELECT concat_ws('|', id, status) FROM t",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|active"]));
    assert_eq!(r.rejects.clone().unwrap(), b"id,status\n2,B\n");
    assert_eq!(r.errors[0].2, "\"b\" is not in `map:` (map_strict)");
}

#[tokio::test]
async fn on_error_null_default_and_reject() {
    let schema = "CREATE TABLE t (id int PRIMARY KEY, mw numeric(8,2), qty int NOT NULL,
                  score int, r int);";
    let csv = b"id,mw,qty,score,r\n\
                1,12.5,3,4,1\n\
                2,abc,3,x,1\n\
                3,1.5,zz,1,1\n\
                4,1234567.891,1,1,1\n\
                5,1,1,9999999999,1\n\
                6,1,1,1,bad\n\
                7,,1,,1\n";
    let spec = r#"
columns:
  mw: {on_error: "null"}
  qty: {on_error: "null"}
  score: {on_error: default, default: "-1"}
"#;
    let r = run(
        schema,
        csv,
        spec,
        &[],
        "SELECT concat_ws('|', id, coalesce(mw::text, 'NULL'), qty, score, r) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(
        r.rows,
        strs(&[
            "1|12.50|3|4|1",
            "2|NULL|3|-1|1",
            "4|NULL|1|1|1",
            "5|1.00|1|-1|1",
            "7|NULL|1|-1|1"
        ])
    );
    assert_eq!(
        r.rejects.clone().unwrap(),
        b"id,mw,qty,score,r\n3,1.5,zz,1,1\n6,1,1,1,bad\n"
    );
    assert_eq!(lines_cols(&r), vec![(4, "qty".into()), (7, "r".into())]);
    assert_eq!(counts(&r.out), (7, 5, 2));
}

#[tokio::test]
async fn date_formats() {
    let schema = "CREATE TABLE t (id int, d date, ts timestamp, tz timestamptz);";
    let csv = b"id,d,ts,tz\n\
                1,03/02/2024,03/02/2024 04:05,03/02/2024 04:05 +0200\n\
                2,2024-02-04,20240204050607,2024-02-04 05:06:07Z\n\
                3,31/02/2024,03/02/2024 04:05,03/02/2024 04:05 +0200\n\
                4,03/02/2024,03/02/2024 04:05,03/02/2024 04:05\n";
    let spec = r#"
columns:
  d: {format: "%d/%m/%Y"}
  ts: {format: ["%d/%m/%Y %H:%M", "%Y%m%d%H%M%S"]}
  tz: {format: ["%d/%m/%Y %H:%M %z", "%d/%m/%Y %H:%M"]}
"#;
    let r = run(
        schema,
        csv,
        spec,
        &[],
        "SELECT concat_ws('|', id, d, ts, to_char(tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(
        r.rows,
        strs(&[
            "1|2024-02-03|2024-02-03 04:05:00|2024-02-03 02:05:00",
            "2|2024-02-04|2024-02-04 05:06:07|2024-02-04 05:06:07",
            "4|2024-02-03|2024-02-03 04:05:00|2024-02-03 04:05:00",
        ])
    );
    assert_eq!(lines_cols(&r), vec![(4, "d".into())]);
    assert!(r.errors[0].2.contains("%d/%m/%Y"), "{:?}", r.errors);
}

#[tokio::test]
async fn arrays_in_three_syntaxes() {
    let schema = "CREATE TABLE t (id int, tags text[], nums int[], days date[], words text[]);";
    let csv = b"id,tags,nums,days,words\n\
                1,\"a; b;c\",\"{1,NULL,3}\",\"[\"\"2024-01-02\"\"]\",\"{\"\"a,b\"\",c}\"\n\
                2,x,\"[4, 5]\",\"{2024-01-03,NULL}\",[]\n\
                3,q,\"{\"\"6\"\",\"\"7\"\"}\",{},\"[\"\"x\"\", null]\"\n\
                4,y,\"1,2\",{},{}\n\
                5,y,\"{1,x}\",{},{}\n\
                6,y,{1},{},\"{a,{b}}\"\n";
    let spec = "columns:\n  tags: {array: {separator: \";\"}}\n";
    let r = run(
        schema,
        csv,
        spec,
        &[],
        "SELECT concat_ws('|', id, tags, nums, days, words) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(
        r.rows,
        strs(&[
            "1|{a,b,c}|{1,NULL,3}|{2024-01-02}|{\"a,b\",c}",
            "2|{x}|{4,5}|{2024-01-03,NULL}|{}",
            "3|{q}|{6,7}|{}|{x,NULL}",
        ])
    );
    assert_eq!(
        lines_cols(&r),
        vec![(5, "nums".into()), (6, "nums".into()), (7, "words".into())]
    );
    assert!(r.errors[1].2.starts_with("element 2:"), "{:?}", r.errors);
}

#[tokio::test]
async fn latin1_is_converted_and_rejects_keep_the_bytes() {
    let schema = "CREATE TABLE t (id int, name text);";
    let csv = b"id,nom\xe9\n1,caf\xe9\n2,\xe9t\xe9\nx,bad\xe9\n";
    let spec = "format: {encoding: latin1}\ncolumns:\n  name: {from: \"nom\u{e9}\"}\n";
    let r = run(
        schema,
        csv,
        spec,
        &[],
        "SELECT concat_ws('|', id, name) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|café", "2|été"]));
    assert_eq!(r.rejects.clone().unwrap(), b"id,nom\xe9\nx,bad\xe9\n");
}

#[tokio::test]
async fn encoding_flag_overrides_the_spec() {
    let schema = "CREATE TABLE t (id int, name text);";
    let spec = "format: {encoding: utf-8}\n";
    let r = run(
        schema,
        b"id,name\n1,caf\xe9\n",
        spec,
        &["--encoding", "latin1"],
        "SELECT name FROM t",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["café"]));
}

#[tokio::test]
async fn bom_with_and_without_header() {
    let schema = "CREATE TABLE t (id int, name text);";
    let q = "SELECT concat_ws('|', id, name) FROM t ORDER BY id";
    let r = run(schema, b"\xef\xbb\xbfid,name\n1,a\n", "{}\n", &[], q).await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|a"]));
    let spec = "format: {header: false}\n";
    let r = run(schema, b"\xef\xbb\xbf1,a\n2,b\n", spec, &[], q).await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|a", "2|b"]));
    let r = run(schema, b"\xef\xbb\xbf\"3\",\"c\"\nx,d\n", spec, &[], q).await;
    ok(&r);
    assert_eq!(r.rows, strs(&["3|c"]));
    assert_eq!(r.rejects.clone().unwrap(), b"x,d\n");
}

#[tokio::test]
async fn backslash_escape_tab_delimiter_and_null_markers() {
    let schema = "CREATE TABLE t (id int, a text, b text);";
    let q =
        "SELECT concat_ws('|', id, coalesce(a, 'NULL'), coalesce(b, 'NULL')) FROM t ORDER BY id";
    let spec = "format: {escape: \"\\\\\", delimiter: \"\\t\", null: [\"NULL\"]}\n";
    let csv = b"id\ta\tb\n\
                1\t\"say \\\"hi\\\",\tok\"\tNULL\n\
                2\t\t\\N\n\
                3\t\"open \\\"\tx\n";
    let r = run(schema, csv, spec, &[], q).await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|say \"hi\",\tok|NULL", "2||\\N"]));
    assert_eq!(r.rejects.clone().unwrap(), b"id\ta\tb\n3\t\"open \\\"\tx\n");
    assert!(r.errors[0].2.contains("unterminated"), "{:?}", r.errors);
}

#[tokio::test]
async fn trim_every_field() {
    let schema = "CREATE TABLE t (id int, a text);";
    let r = run(
        schema,
        b"id,a\n 1 , x \n2,  \n",
        "format: {trim: true}\n",
        &[],
        "SELECT concat_ws('|', id, coalesce(a, 'NULL')) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|x", "2|NULL"]));
}

#[tokio::test]
async fn headerless_with_from_positions() {
    let schema = "CREATE TABLE t (id int, name text, note text DEFAULT 'dflt');";
    let spec = "format: {header: false}\ncolumns:\n  name: {from: 3}\n  id: {from: 1}\n";
    let r = run(
        schema,
        b"1,ignored,Ann\n2,x,Bob,extra\n3,x\n",
        spec,
        &[],
        "SELECT concat_ws('|', id, name, note) FROM t ORDER BY id",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|Ann|dflt", "2|Bob|dflt"]));
    assert_eq!(r.rejects.clone().unwrap(), b"3,x\n");
    assert_eq!(r.errors[0].2, "2 field(s), expected at least 3");
    // `skip:` names header columns: without a header it is an error.
    let spec = "format: {header: false}\nskip: [x]\n";
    let r = run(
        schema,
        b"1,a,b\n",
        spec,
        &[],
        "SELECT count(*)::text FROM t",
    )
    .await;
    assert_eq!(r.out.status.code(), Some(4), "{}", text(&r.out.stderr));
    assert!(
        text(&r.out.stderr).contains("spec.yaml:2:8: skip: names header columns"),
        "{}",
        text(&r.out.stderr)
    );
}

#[tokio::test]
async fn spec_errors_are_reported_together_with_positions() {
    let schema = "CREATE TABLE t (id int, name text, status text);";
    let spec = r#"formt: {header: true}
columns:
  nmae: {required: true}
  status: {transform: [{replace: {pattern: "([a-z", with: ""}}], on_error: skip}
  id: {on_error: default}
"#;
    let r = run(
        schema,
        b"id,name,status\n1,a,b\n",
        spec,
        &[],
        "SELECT count(*)::text FROM t",
    )
    .await;
    assert_eq!(r.out.status.code(), Some(4), "{}", text(&r.out.stderr));
    let err = text(&r.out.stderr);
    let f = r.dir.path().join("spec.yaml").display().to_string();
    for want in [
        format!("{f}:1:1: unknown key \"formt\" in the import spec; did you mean \"format\"?"),
        format!("{f}:4:44: bad regular expression \"([a-z\""),
        format!("{f}:4:76: expected reject, null or default, found \"skip\""),
        format!("{f}:5:18: on_error: default needs `default:` on column \"id\""),
    ] {
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(r.rows, strs(&["0"]));
    assert!(r.rejects.is_none());
    // Once the YAML reads, its columns are checked against the table.
    let spec =
        "columns:\n  nmae: {required: true}\n  status: {from: STATSU}\n  id: {default: abc}\n";
    let r = run(
        schema,
        b"id,name,status\n1,a,b\n",
        spec,
        &[],
        "SELECT count(*)::text FROM t",
    )
    .await;
    assert_eq!(r.out.status.code(), Some(4), "{}", text(&r.out.stderr));
    let err = text(&r.out.stderr);
    let f = r.dir.path().join("spec.yaml").display().to_string();
    for want in [
        format!("{f}:2:3: table t has no column \"nmae\"; did you mean \"name\"?"),
        format!("{f}:3:18: the CSV header has no column \"STATSU\"; did you mean \"status\"?"),
        format!("{f}:4:17: default for \"id\": \"abc\" is not an integer"),
    ] {
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(r.rows, strs(&["0"]));
}

#[tokio::test]
async fn config_flag_names_the_spec_for_import() {
    let schema = "CREATE TABLE t (id int, name text);";
    let spec = "file: in.csv\ntable: t\ncolumns:\n  name: {transform: [upper]}\n";
    for before in [true, false] {
        let r = run_with(
            schema,
            b"id,name\n1,a\n",
            spec,
            "SELECT name FROM t",
            |dir| {
                let cfg = dir.join("spec.yaml").display().to_string();
                if before {
                    vec!["--config".into(), cfg, "import".into()]
                } else {
                    vec!["import".into(), "--config".into(), cfg]
                }
            },
        )
        .await;
        ok(&r);
        assert_eq!(r.rows, strs(&["A"]));
    }
}

#[tokio::test]
async fn table_argument_and_spec_table_must_agree() {
    let schema = "CREATE TABLE t (id int);";
    let r = run(
        schema,
        b"id\n1\n",
        "table: other\n",
        &[],
        "SELECT count(*)::text FROM t",
    )
    .await;
    assert_eq!(r.out.status.code(), Some(4));
    assert!(
        text(&r.out.stderr).contains(":1:8: table: other, but the command line says t"),
        "{}",
        text(&r.out.stderr)
    );
}

#[tokio::test]
async fn flags_override_spec_keys() {
    let schema = "CREATE TABLE t (id int, name text);";
    let spec = "rejects: from_spec.csv\nformat: {delimiter: \";\"}\n";
    let r = run(
        schema,
        b"id,name\n1,a\nx,b\n",
        spec,
        &["--delimiter", ",", "--rejects", "from_flag.csv"],
        "SELECT concat_ws('|', id, name) FROM t",
    )
    .await;
    ok(&r);
    assert_eq!(r.rows, strs(&["1|a"]));
    assert!(!r.dir.path().join("from_spec.csv").exists());
    assert_eq!(
        std::fs::read(r.dir.path().join("from_flag.csv")).unwrap(),
        b"id,name\nx,b\n"
    );
    // Without the flag the spec's key holds (relative to the spec file).
    let r = run(
        schema,
        b"id;name\nx;b\n",
        spec,
        &[],
        "SELECT count(*)::text FROM t",
    )
    .await;
    ok(&r);
    assert_eq!(
        std::fs::read(r.dir.path().join("from_spec.csv")).unwrap(),
        b"id;name\nx;b\n"
    );
}
