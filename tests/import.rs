//! `strata import` against a real PostgreSQL, through the binary: for each
//! kind of malformed input, the loaded rows are exactly the good ones, the
//! rejects file holds the bad records byte for byte (after the header), the
//! `.errors.csv` sidecar names their lines, and read = loaded + rejected.

mod common;

use std::process::Output;

use common::import_out::{counts, read_errors};
use common::runner::{strata, text};
use common::{exec, fresh_db, strings};

const SCHEMA: &str = "
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE parents (id int PRIMARY KEY);
INSERT INTO parents VALUES (1), (2);
CREATE TABLE items (
    id int PRIMARY KEY,
    name varchar(10) NOT NULL,
    qty smallint,
    price numeric(6,2),
    active boolean,
    born date,
    seen timestamptz,
    uid uuid,
    doc jsonb,
    feel mood,
    parent_id int REFERENCES parents(id),
    note text DEFAULT 'dflt'
);";

const HEADER: &str = "id,name,qty,price,active,born,seen,uid,doc,feel,parent_id\n";

/// A good row with this id, ending in `end` (`\n` or `\r\n`).
fn good(id: i32, end: &str) -> Vec<u8> {
    format!(
        "{id},n{id},1,2.50,yes,2024-01-02,2024-01-02 03:04:05+02,\
         a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,\"{{\"\"a\"\": {id}}}\",happy,1{end}"
    )
    .into_bytes()
}

/// A row like `good(id)` with field `col` (0-based) replaced by `value`.
fn bad(id: i32, col: usize, value: &str) -> Vec<u8> {
    let g = String::from_utf8(good(id, "")).unwrap();
    let mut fields = split_top(&g);
    fields[col] = value.to_string();
    format!("{}\n", fields.join(",")).into_bytes()
}

/// Split on commas outside quotes (enough for `good`'s rows).
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// One piece of input: its bytes and, for a good row, its id.
type Piece = (Vec<u8>, Option<i32>);

struct Outcome {
    out: Output,
    ids: Vec<i32>,
    rejects: Option<Vec<u8>>,
    errors: Vec<(u64, String, String)>,
}

/// Import `header` + `pieces` into a fresh database and check the
/// invariants every case shares; returns what happened for more checks.
async fn case(header: &[u8], pieces: &[Piece], args: &[&str]) -> Outcome {
    let (db, client) = fresh_db("import").await;
    exec(&client, SCHEMA).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    let mut input = header.to_vec();
    for (bytes, _) in pieces {
        input.extend_from_slice(bytes);
    }
    std::fs::write(&file, &input).unwrap();
    let out = strata()
        .args(["import", "items"])
        .arg(&file)
        .args(["--database-url", &db.target.url(), "--batch-size", "4"])
        .args(args)
        .output()
        .unwrap();
    let mut ids: Vec<i32> = strings(&client, "SELECT id::text FROM items")
        .await
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    ids.sort();
    let rejects = std::fs::read(dir.path().join("in.csv.rejects.csv")).ok();
    let errors = read_errors(&dir.path().join("in.csv.rejects.csv.errors.csv"));
    Outcome {
        out,
        ids,
        rejects,
        errors,
    }
}

/// The standard checks: exit 0, the good rows loaded, the bad ones in the
/// rejects file byte for byte with their lines, read = loaded + rejected.
fn check(o: &Outcome, header: &[u8], pieces: &[Piece]) {
    assert!(
        o.out.status.success(),
        "exit {:?}\n{}",
        o.out.status.code(),
        text(&o.out.stderr)
    );
    let want_ids: Vec<i32> = {
        let mut v: Vec<i32> = pieces.iter().filter_map(|p| p.1).collect();
        v.sort();
        v
    };
    assert_eq!(o.ids, want_ids, "loaded rows\n{}", text(&o.out.stderr));
    let mut line = 1 + newlines(header);
    let (mut want_rejects, mut want_lines) = (header.to_vec(), Vec::new());
    for (bytes, id) in pieces {
        if id.is_none() {
            want_rejects.extend_from_slice(bytes);
            want_lines.push(line);
        }
        line += newlines(bytes);
    }
    let (read, loaded, rejected) = counts(&o.out);
    assert_eq!(read, pieces.len() as u64);
    assert_eq!(read, loaded + rejected);
    assert_eq!(loaded, want_ids.len() as u64);
    assert_eq!(rejected, want_lines.len() as u64, "{:?}", o.errors);
    if want_lines.is_empty() {
        assert!(o.rejects.is_none());
        return;
    }
    let got = o.rejects.as_deref().expect("a rejects file");
    assert_eq!(
        text(got),
        text(&want_rejects),
        "rejects file (errors: {:?})",
        o.errors
    );
    assert_eq!(got, want_rejects.as_slice(), "rejects bytes");
    let lines: Vec<u64> = o.errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, want_lines, "{:?}", o.errors);
}

fn newlines(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

fn ok(id: i32) -> Piece {
    (good(id, "\n"), Some(id))
}

fn no(bytes: Vec<u8>) -> Piece {
    (bytes, None)
}

#[tokio::test]
async fn every_type_error_is_rejected_before_sending() {
    let pieces = vec![
        ok(1),
        no(bad(2, 0, "x")),     // integer
        no(bad(3, 2, "70000")), // smallint range
        ok(4),
        no(bad(5, 3, "12345.678")),  // numeric(6,2) overflow
        no(bad(6, 4, "maybe")),      // boolean
        no(bad(7, 5, "2024-02-30")), // date
        no(bad(8, 6, "yesterday")),  // timestamptz
        no(bad(9, 7, "not-a-uuid")), // uuid
        ok(10),
        no(bad(11, 8, "\"{bad\"")),    // json
        no(bad(12, 9, "angry")),       // enum label
        no(bad(13, 1, "abcdefghijk")), // varchar(10)
        no(bad(14, 1, "")),            // NOT NULL
        no(bad(15, 1, "a\0b")),        // NUL byte
        no(bad(16, 1, "caf\u{e9}")
            .iter()
            .map(|&b| if b == 0xa9 { 0xff } else { b })
            .collect()), // invalid UTF-8
        no(b"17,n17\n".to_vec()),      // too few fields
        no(bad(18, 10, "1,extra")),    // too many fields
        ok(19),
        (bad(20, 3, " 7.125 "), Some(20)), // trimmed, rounded to scale
        (bad(21, 4, "N"), Some(21)),
        (bad(22, 2, "\\N"), Some(22)), // NULL marker
    ];
    let o = case(HEADER.as_bytes(), &pieces, &[]).await;
    check(&o, HEADER.as_bytes(), &pieces);
    let cols: Vec<&str> = o.errors.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        cols,
        [
            "id", "qty", "price", "active", "born", "seen", "uid", "doc", "feel", "name", "name",
            "name", "name", "", ""
        ]
    );
}

#[tokio::test]
async fn server_refusals_are_isolated_by_splitting_batches() {
    let pieces = vec![
        ok(1),
        ok(2),
        (bad(3, 10, "2"), Some(3)),
        no(good(2, "\n")), // duplicate key within the batch
        ok(5),
        no(bad(6, 10, "99")), // foreign key
        ok(7),
        ok(8),
        ok(9),
        no(good(1, "\n")), // duplicate of a committed batch
        no(bad(11, 10, "98")),
        no(bad(12, 10, "97")),
        ok(13),
    ];
    let o = case(HEADER.as_bytes(), &pieces, &[]).await;
    check(&o, HEADER.as_bytes(), &pieces);
    assert!(o.errors[0].2.contains("duplicate key"), "{:?}", o.errors);
    assert!(o.errors[1].2.contains("foreign key"), "{:?}", o.errors);
    // Same outcome inside one transaction (savepoints per attempt).
    let o = case(HEADER.as_bytes(), &pieces, &["--single-transaction"]).await;
    check(&o, HEADER.as_bytes(), &pieces);
}

#[tokio::test]
async fn crlf_and_quoted_fields_spanning_lines() {
    let multi = b"3,\"two\r\nlines\",1,1,t,2024-01-01,2024-01-01T00:00:00Z,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,{},sad,2\r\n".to_vec();
    let multi_bad = b"4,\"a\r\nvery long name\",1,1,t,2024-01-01,2024-01-01,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,{},sad,2\r\n".to_vec();
    let pieces = vec![
        (good(1, "\r\n"), Some(1)),
        (multi, Some(3)),
        no(multi_bad),
        no(b"5,x\r\n".to_vec()),
        (good(6, "\r\n"), Some(6)),
    ];
    let header = HEADER.replace('\n', "\r\n");
    let o = case(header.as_bytes(), &pieces, &[]).await;
    check(&o, header.as_bytes(), &pieces);
}

#[tokio::test]
async fn unterminated_quote_at_the_end() {
    let pieces = vec![ok(1), ok(2), no(b"3,\"open,1\n4,n4\n".to_vec())];
    let o = case(HEADER.as_bytes(), &pieces, &[]).await;
    check(&o, HEADER.as_bytes(), &pieces);
    assert!(o.errors[0].2.contains("unterminated"), "{:?}", o.errors);
}

#[tokio::test]
async fn empty_and_header_only_files() {
    let o = case(b"", &[], &[]).await;
    check(&o, b"", &[]);
    let o = case(HEADER.as_bytes(), &[], &[]).await;
    check(&o, HEADER.as_bytes(), &[]);
    let o = case(HEADER.trim_end().as_bytes(), &[], &[]).await;
    check(&o, HEADER.trim_end().as_bytes(), &[]);
}

#[tokio::test]
async fn dry_run_loads_nothing_but_finds_everything() {
    let pieces = vec![ok(1), no(good(1, "\n")), no(bad(3, 0, "x")), ok(4)];
    let o = case(HEADER.as_bytes(), &pieces, &["--dry-run"]).await;
    assert!(o.out.status.success(), "{}", text(&o.out.stderr));
    assert!(o.ids.is_empty());
    assert_eq!(counts(&o.out), (4, 2, 2));
    let lines: Vec<u64> = o.errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [3, 4]);
}

#[tokio::test]
async fn max_rejects_stops_the_import() {
    let pieces = vec![ok(1), no(bad(2, 0, "x")), no(bad(3, 0, "y")), ok(4), ok(5)];
    let o = case(
        HEADER.as_bytes(),
        &pieces,
        &["--max-rejects", "1", "--single-transaction"],
    )
    .await;
    assert_eq!(o.out.status.code(), Some(1), "{}", text(&o.out.stderr));
    assert!(
        text(&o.out.stderr).contains("--max-rejects 1"),
        "{}",
        text(&o.out.stderr)
    );
    assert!(o.ids.is_empty(), "all or nothing");
    let o = case(HEADER.as_bytes(), &pieces, &["--max-rejects", "2"]).await;
    check(&o, HEADER.as_bytes(), &pieces);
}

#[tokio::test]
async fn header_mapping() {
    let (db, client) = fresh_db("import_map").await;
    exec(&client, SCHEMA).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.csv");
    std::fs::write(&file, "ID,Label,junk\n1,one,x\n2,two,y\n").unwrap();
    let run = |args: &[&str]| {
        strata()
            .args(["import", "public.items"])
            .arg(&file)
            .args(["--database-url", &db.target.url()])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("\"Label\", \"junk\""),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["--map", "Label=name", "--map", "junk=-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = strings(
        &client,
        "SELECT id || ':' || name || ':' || note FROM items ORDER BY id",
    )
    .await;
    assert_eq!(rows, ["1:one:dflt", "2:two:dflt"]);
}

#[tokio::test]
async fn stdin_and_no_header() {
    let (db, client) = fresh_db("import_stdin").await;
    exec(&client, "CREATE TABLE t (a int, b text)").await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = strata()
        .current_dir(dir.path())
        .args(["import", "t", "-", "--no-header", "--delimiter", ";"])
        .args(["--database-url", &db.target.url()])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    // Compressed: gzip is recognised by its magic bytes, on stdin too.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"1;x\nbad;y\n3;z\n").unwrap();
    let data = gz.finish().unwrap();
    child.stdin.take().unwrap().write_all(&data).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(counts(&out), (3, 2, 1));
    assert_eq!(
        std::fs::read(dir.path().join("rejects.csv")).unwrap(),
        b"bad;y\n"
    );
    let rows = strings(&client, "SELECT a || b FROM t ORDER BY a").await;
    assert_eq!(rows, ["1x", "3z"]);
}

#[tokio::test]
async fn ten_megabyte_fields() {
    let big = "x".repeat(10 << 20);
    let header = "id,name,note\n";
    let pieces = vec![
        (format!("1,a,\"{big}\"\n").into_bytes(), Some(1)),
        no(format!("2,\"{big}\",b\n").into_bytes()), // varchar(10)
        (b"3,c,\n".to_vec(), Some(3)),
    ];
    let o = case(header.as_bytes(), &pieces, &[]).await;
    check(&o, header.as_bytes(), &pieces);
}

/// Deferred constraints are checked at each batch's COPY (not at a COMMIT
/// where a violation could not be pinned on a row, nor lost after an
/// autocommit `COPY n`), in every mode; and a row refused as a duplicate
/// of a row that is itself rejected later (its foreign key is checked only
/// at the end of the COPY) is loaded after all.
#[tokio::test]
async fn deferred_constraints_and_duplicates_of_rejected_rows() {
    const DEFERRED: &str = "
        CREATE TABLE dp (id int PRIMARY KEY);
        INSERT INTO dp VALUES (1), (2);
        CREATE TABLE dc (
            id int PRIMARY KEY,
            pid int REFERENCES dp DEFERRABLE INITIALLY DEFERRED,
            k int UNIQUE DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE fc (id int PRIMARY KEY, pid int REFERENCES dp);";
    // Lines 3 (unknown parent) and 5 (k of line 2 again) are bad.
    let deferred = b"id,pid,k\n1,1,10\n2,99,20\n3,2,30\n4,1,10\n5,1,50\n";
    // Line 2 has an unknown parent; line 3 repeats its id, and is good.
    let order = b"id,pid\n1,99\n1,1\n2,2\n";
    for mode in ["", "--resume", "--jobs", "--dry-run"] {
        let (db, client) = fresh_db("import").await;
        exec(&client, DEFERRED).await;
        let dir = tempfile::tempdir().unwrap();
        for (table, input, want_ids, want_lines) in [
            ("dc", &deferred[..], "1,3,5", vec![3, 5]),
            ("fc", &order[..], "1,2", vec![2]),
        ] {
            let file = dir.path().join(format!("{table}.csv"));
            std::fs::write(&file, input).unwrap();
            let extra: Vec<String> = match mode {
                "" => vec![],
                "--resume" => vec![mode.into(), format!("id-{table}")],
                "--jobs" => vec![mode.into(), "2".into()],
                _ => vec![mode.into()],
            };
            let out = strata()
                .args(["import", table])
                .arg(&file)
                .args(["--database-url", &db.target.url(), "--batch-size", "5"])
                .args(&extra)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{mode:?} {table}: {}",
                text(&out.stderr)
            );
            let rows = input.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
            let bad = want_lines.len() as u64;
            assert_eq!(counts(&out), (rows, rows - bad, bad), "{mode:?} {table}");
            let ids = strings(
                &client,
                &format!("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM {table}"),
            )
            .await;
            let want = if mode == "--dry-run" { "" } else { want_ids };
            assert_eq!(ids, vec![want], "{mode:?} {table}");
            let errors = read_errors(
                &dir.path()
                    .join(format!("{table}.csv.rejects.csv.errors.csv")),
            );
            let lines: Vec<u64> = errors.iter().map(|e| e.0).collect();
            assert_eq!(lines, want_lines, "{mode:?} {table}: {errors:?}");
        }
    }
}

/// Imported keys move the sequences that fill their columns (serial,
/// identity) past them, only forward: the next insert does not collide.
#[tokio::test]
async fn sequences_are_advanced_past_imported_keys() {
    let (db, client) = fresh_db("import").await;
    exec(
        &client,
        "CREATE TABLE s1 (id serial PRIMARY KEY, n text);
         CREATE TABLE s2 (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n text);
         CREATE TABLE \"S Odd\" (\"Id\" int GENERATED ALWAYS AS IDENTITY, n text);
         CREATE TABLE s3 (id int GENERATED BY DEFAULT AS IDENTITY (INCREMENT -1 START -1 MAXVALUE -1), n text);
         SELECT setval('s2_id_seq', 100);",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = |table: &str, csv: &[u8]| {
        let file = dir.path().join("in.csv");
        std::fs::write(&file, csv).unwrap();
        let out = strata()
            .args(["import", table])
            .arg(&file)
            .args(["--database-url", &db.target.url()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    let err = run("s1", b"id,n\n5,a\n42,b\n");
    assert!(
        err.contains("sequence public.s1_id_seq advanced to 42"),
        "{err}"
    );
    // Already past the data: not moved back, nothing said.
    let err = run("s2", b"id,n\n5,a\n42,b\n");
    assert!(!err.contains("advanced"), "{err}");
    let err = run("S Odd", b"Id,n\n7,a\n");
    assert!(err.contains("advanced to 7"), "{err}");
    // Descending: left alone.
    let err = run("s3", b"id,n\n-9,a\n");
    assert!(!err.contains("advanced"), "{err}");
    let next = strings(
        &client,
        "SELECT concat_ws(',',
            (SELECT nextval('s1_id_seq')), (SELECT nextval('s2_id_seq')),
            (SELECT nextval('\"S Odd_Id_seq\"')), (SELECT nextval('s3_id_seq')))",
    )
    .await;
    assert_eq!(next, vec!["43,101,8,-1"]);
}

/// Domain, composite, range and multirange columns import: a domain's
/// base type and length limit are checked before sending, its CHECK by
/// the server (the row is rejected, the others load).
#[tokio::test]
async fn domain_composite_and_range_columns_import() {
    let (db, client) = fresh_db("import_types").await;
    exec(
        &client,
        "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
         CREATE DOMAIN short AS varchar(3);
         CREATE TYPE pair AS (a int, b text);
         CREATE TABLE typed (id int PRIMARY KEY, q posint, s short, p pair,
                             r int4range, m datemultirange)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(
        &file,
        "id,q,s,p,r,m\n\
         1,5,abc,\"(1,x)\",\"[1,5)\",\"{[2024-01-01,2024-02-01)}\"\n\
         2,-1,ab,,,\n\
         3,x,ab,,,\n\
         4,7,abcd,,,\n\
         5,,,,,\n",
    )
    .unwrap();
    let out = strata()
        .args(["import", "typed"])
        .arg(&file)
        .args(["--database-url", &db.target.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ids = strings(&client, "SELECT id::text FROM typed ORDER BY id").await;
    assert_eq!(ids, ["1", "5"]);
    let row = strings(
        &client,
        "SELECT concat_ws('|', q, s, (p).b, upper(r), m) FROM typed WHERE id = 1",
    )
    .await;
    assert_eq!(row, ["5|abc|x|5|{[2024-01-01,2024-02-01)}"]);
    let errors = read_errors(&dir.path().join("in.csv.rejects.csv.errors.csv"));
    assert_eq!(errors.len(), 3, "{errors:?}");
}

/// Import into a partitioned table goes through the parent, which routes
/// each row to its partition; a row no partition takes is rejected like
/// any row the server refuses, and the others load.
#[tokio::test]
async fn import_into_a_partitioned_table_routes_rows() {
    let (db, client) = fresh_db("import_parts").await;
    exec(
        &client,
        "CREATE TABLE m (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.csv");
    std::fs::write(
        &file,
        "id,at\n1,2024-02-01\n2,2025-03-01\n3,2024-12-31\n4,2030-01-01\n5,2025-01-01\n",
    )
    .unwrap();
    let out = strata()
        .args(["import", "m"])
        .arg(&file)
        .args(["--database-url", &db.target.url(), "--batch-size", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(counts(&out), (5, 4, 1));
    let n = |sql: &'static str| {
        let client = &client;
        async move { strings(client, sql).await }
    };
    assert_eq!(n("SELECT count(*)::text FROM m_2024").await, ["2"]);
    assert_eq!(n("SELECT count(*)::text FROM m_2025").await, ["2"]);
    assert_eq!(n("SELECT count(*)::text FROM ONLY m").await, ["0"]);
    let errors = read_errors(&dir.path().join("m.csv.rejects.csv.errors.csv"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 5);
    assert!(errors[0].2.contains("no partition"), "{errors:?}");
}
