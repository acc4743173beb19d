//! The COPY encoder and loader against a real PostgreSQL: every supported
//! type round-trips (compared as `col::text`), bad values are refused
//! before sending without leaving a partial row, the text fallback loads
//! types without a binary encoder, and server errors name the row.

mod common;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use common::{exec, fresh_db, strings};
use strata::copy::{
    load_batch, load_rows, load_stream, table_info, Batch, CopyError, CopyTarget, EncodeError,
    Feed, Format, Kind, Value,
};
use strata::model::QualifiedName;
use tokio_postgres::Client;

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

fn num(s: &str) -> Value {
    Value::Numeric(s.into())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn ts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, us: u32) -> chrono::NaiveDateTime {
    date(y, mo, d).and_hms_micro_opt(h, mi, s, us).unwrap()
}

fn tz(dt: chrono::NaiveDateTime) -> Value {
    Value::TimestampTz(DateTime::<Utc>::from_naive_utc_and_offset(dt, Utc))
}

async fn target(client: &Client, table: &str, cols: &[&str]) -> CopyTarget {
    let info = table_info(client, &QualifiedName::new("public", table))
        .await
        .unwrap();
    CopyTarget::new(&info, cols).unwrap()
}

/// Encode every row (panicking on a refused one) and load them as one batch.
async fn load(client: &Client, target: &CopyTarget, rows: &[Vec<Value>]) -> u64 {
    let mut batch = target.batch();
    for row in rows {
        batch.push_row(target, row).unwrap();
    }
    load_batch(client, target, &batch).await.unwrap()
}

/// `col::text` of every row, ordered by `id`, NULL as "NULL".
async fn column(client: &Client, table: &str, col: &str) -> Vec<String> {
    strings(
        client,
        &format!("SELECT coalesce({col}::text, 'NULL') FROM {table} ORDER BY id"),
    )
    .await
}

const EVERY_TYPE: &str = "
    CREATE EXTENSION citext;
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
    CREATE DOMAIN short AS varchar(5);
    CREATE TABLE every (
        id int4, b bool, i2 int2, i8 int8, f4 float4, f8 float8,
        n numeric, n2 numeric(10,2), tx text, vc varchar(5), ch char(3), nm name, ci citext,
        by bytea, u uuid, d date, tm time, ts timestamp, tz timestamptz, j json, jb jsonb,
        e mood, ai int4[], at text[], ae mood[], dp posint, ds short, av short[],
        g int8 GENERATED ALWAYS AS (id * 2) STORED
    );";

fn every_row() -> Vec<Value> {
    vec![
        Value::Int(1),
        Value::Bool(true),
        Value::Int(-32768),
        Value::Int(i64::MAX),
        Value::Float(1.5),
        Value::Float(-0.1),
        num("-12.340"),
        Value::Int(7),
        t("héllo wörld ✓ 𝄞"),
        t("abcde"),
        t("ab"),
        t("a_name"),
        t("MiXeD"),
        Value::Bytes(vec![0, 1, 0xff]),
        Value::Uuid([
            0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38,
            0x0a, 0x11,
        ]),
        Value::Date(date(2024, 2, 29)),
        Value::Time(chrono::NaiveTime::from_hms_micro_opt(23, 59, 58, 123456).unwrap()),
        Value::Timestamp(ts(2024, 1, 2, 3, 4, 5, 6)),
        tz(ts(2024, 1, 2, 3, 4, 5, 0)),
        Value::Json(serde_json::json!({"a": [1, "x"]})),
        Value::Json(serde_json::json!({"b": null, "a": 1})),
        t("happy"),
        Value::Array(vec![Value::Int(1), Value::Null, Value::Int(3)]),
        Value::Array(vec![t("a,b"), t("q\"uote"), t("back\\slash"), Value::Null]),
        Value::Array(vec![t("ok"), t("sad")]),
        Value::Int(42),
        t("short"),
        Value::Array(vec![t("x"), Value::Null]),
    ]
}

fn null_row(id: i64, width: usize) -> Vec<Value> {
    let mut row = vec![Value::Null; width];
    row[0] = Value::Int(id);
    row
}

#[tokio::test]
async fn every_type_round_trips_in_binary() {
    let (_db, client) = fresh_db("copy_types").await;
    exec(&client, EVERY_TYPE).await;
    exec(&client, "SET timezone = 'UTC'").await;
    let target = target(&client, "every", &[]).await;
    assert_eq!(target.format, Format::Binary);
    assert_eq!(target.columns.len(), 28, "generated column left out");
    assert!(matches!(target.columns[27].kind, Kind::Array { .. }));
    let rows = vec![every_row(), null_row(2, 28), {
        // Empty arrays, the other boolean, numeric scale padding.
        let mut r = null_row(3, 28);
        r[1] = Value::Bool(false);
        r[7] = num("0.005");
        r[22] = Value::Array(vec![]);
        r[23] = Value::Array(vec![]);
        r
    }];
    assert_eq!(load(&client, &target, &rows).await, 3);
    let expect = [
        ("b", ["true", "NULL", "false"]),
        ("i2", ["-32768", "NULL", "NULL"]),
        ("i8", ["9223372036854775807", "NULL", "NULL"]),
        ("f4", ["1.5", "NULL", "NULL"]),
        ("f8", ["-0.1", "NULL", "NULL"]),
        ("n", ["-12.340", "NULL", "NULL"]),
        ("n2", ["7.00", "NULL", "0.01"]),
        ("tx", ["héllo wörld ✓ 𝄞", "NULL", "NULL"]),
        ("vc", ["abcde", "NULL", "NULL"]),
        ("ch", ["ab", "NULL", "NULL"]), // char(n)::text drops the padding
        ("nm", ["a_name", "NULL", "NULL"]),
        ("ci", ["MiXeD", "NULL", "NULL"]),
        ("by", ["\\x0001ff", "NULL", "NULL"]),
        (
            "u",
            ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "NULL", "NULL"],
        ),
        ("d", ["2024-02-29", "NULL", "NULL"]),
        ("tm", ["23:59:58.123456", "NULL", "NULL"]),
        ("ts", ["2024-01-02 03:04:05.000006", "NULL", "NULL"]),
        ("tz", ["2024-01-02 03:04:05+00", "NULL", "NULL"]),
        ("j", ["{\"a\":[1,\"x\"]}", "NULL", "NULL"]),
        ("jb", ["{\"a\": 1, \"b\": null}", "NULL", "NULL"]),
        ("e", ["happy", "NULL", "NULL"]),
        ("ai", ["{1,NULL,3}", "NULL", "{}"]),
        (
            "at",
            [
                "{\"a,b\",\"q\\\"uote\",\"back\\\\slash\",NULL}",
                "NULL",
                "{}",
            ],
        ),
        ("ae", ["{ok,sad}", "NULL", "NULL"]),
        ("dp", ["42", "NULL", "NULL"]),
        ("ds", ["short", "NULL", "NULL"]),
        ("av", ["{x,NULL}", "NULL", "NULL"]),
        ("g", ["2", "4", "6"]),
    ];
    for (col, want) in expect {
        assert_eq!(column(&client, "every", col).await, want, "column {col}");
    }
}

#[tokio::test]
async fn every_type_round_trips_in_text_format_too() {
    // The same rows through the text encoder (a table with an interval
    // column switches the whole COPY to text) must load the same values.
    let (_db, client) = fresh_db("copy_types_text").await;
    exec(&client, EVERY_TYPE).await;
    exec(
        &client,
        "SET timezone = 'UTC'; ALTER TABLE every ADD COLUMN iv interval",
    )
    .await;
    let target = target(&client, "every", &[]).await;
    assert_eq!(target.format, Format::Text);
    let mut row = every_row();
    row.push(t("1 day 02:00:00"));
    assert_eq!(load(&client, &target, &[row, null_row(2, 29)]).await, 2);
    let (_db2, other) = fresh_db("copy_types_bin").await;
    exec(&other, EVERY_TYPE).await;
    exec(&other, "SET timezone = 'UTC'").await;
    let bin = self::target(&other, "every", &[]).await;
    load(&other, &bin, &[every_row(), null_row(2, 28)]).await;
    for col in bin.columns.iter().map(|c| c.name.clone()) {
        assert_eq!(
            column(&client, "every", &col).await,
            column(&other, "every", &col).await,
            "column {col}: text and binary formats disagree"
        );
    }
    assert_eq!(
        column(&client, "every", "iv").await,
        ["1 day 02:00:00", "NULL"]
    );
}

#[tokio::test]
async fn numeric_edge_cases() {
    let (_db, client) = fresh_db("copy_numeric").await;
    exec(
        &client,
        "CREATE TABLE n (id int4, n numeric, s numeric(10,2), r numeric(5,-2))",
    )
    .await;
    let target = target(&client, "n", &[]).await;
    let cases: Vec<(Value, &str)> = vec![
        (num("0"), "0"),
        (num("-0.000"), "0.000"),
        (num("-1.5"), "-1.5"),
        (num("0.0001"), "0.0001"),
        (num("0.00001234"), "0.00001234"),
        (num("1e20"), "100000000000000000000"),
        (
            num("123456789012345678901234567890.123456789"),
            "123456789012345678901234567890.123456789",
        ),
        (num("1.2300"), "1.2300"),
        (num("10000"), "10000"),
        (num("9999.9999"), "9999.9999"),
        (Value::Int(i64::MIN), "-9223372036854775808"),
        (Value::Float(0.1), "0.1"),
        (Value::Float(-2.5e-7), "-0.00000025"),
        (Value::Float(f64::NAN), "NaN"),
        (num("NaN"), "NaN"),
        (num("Infinity"), "Infinity"),
        (Value::Float(f64::NEG_INFINITY), "-Infinity"),
    ];
    let rows: Vec<Vec<Value>> = cases
        .iter()
        .enumerate()
        .map(|(i, (v, _))| vec![Value::Int(i as i64), v.clone(), Value::Null, Value::Null])
        .collect();
    load(&client, &target, &rows).await;
    let want: Vec<&str> = cases.iter().map(|(_, s)| *s).collect();
    assert_eq!(column(&client, "n", "n").await, want);

    // Scale padding and rounding (half away from zero), negative scale.
    exec(&client, "TRUNCATE n").await;
    let scaled = [
        (num("1"), "1.00", num("1234"), "1200"),
        (num("1.005"), "1.01", num("1250"), "1300"),
        (num("-1.005"), "-1.01", num("-49"), "0"),
        (Value::Int(-3), "-3.00", Value::Int(99_949), "99900"),
        (num("NaN"), "NaN", num("NaN"), "NaN"),
    ];
    let rows: Vec<Vec<Value>> = scaled
        .iter()
        .enumerate()
        .map(|(i, (s, _, r, _))| vec![Value::Int(i as i64), Value::Null, s.clone(), r.clone()])
        .collect();
    load(&client, &target, &rows).await;
    let want_s: Vec<&str> = scaled.iter().map(|c| c.1).collect();
    let want_r: Vec<&str> = scaled.iter().map(|c| c.3).collect();
    assert_eq!(column(&client, "n", "s").await, want_s);
    assert_eq!(column(&client, "n", "r").await, want_r);

    // Overflows are refused before sending.
    let mut batch = target.batch();
    for bad in [
        vec![Value::Int(0), Value::Null, num("123456789.00"), Value::Null],
        vec![Value::Int(0), Value::Null, num("Infinity"), Value::Null],
        vec![Value::Int(0), Value::Null, Value::Null, num("9999999.9")],
        vec![Value::Int(0), num("1.2.3"), Value::Null, Value::Null],
    ] {
        let err = batch.push_row(&target, &bad).unwrap_err();
        assert!(matches!(err, EncodeError::Value { .. }), "{err}");
    }
    assert!(batch.is_empty());
}

#[tokio::test]
async fn dates_and_timestamps_before_2000_and_bc() {
    let (_db, client) = fresh_db("copy_dates").await;
    exec(
        &client,
        "SET timezone = 'UTC'; CREATE TABLE d (id int4, d date, ts timestamp, tz timestamptz)",
    )
    .await;
    let cases = [
        (date(1999, 12, 31), ts(1969, 7, 20, 20, 17, 40, 123456)),
        (date(1, 1, 1), ts(1800, 1, 1, 0, 0, 0, 1)),
        (date(0, 6, 15), ts(-100, 3, 1, 12, 0, 0, 0)),
        (date(-4713, 11, 24), ts(-4713, 11, 24, 0, 0, 0, 0)),
        (date(2000, 1, 1), ts(2000, 1, 1, 0, 0, 0, 0)),
    ];
    let rows: Vec<Vec<Value>> = cases
        .iter()
        .enumerate()
        .map(|(i, (d, t))| {
            vec![
                Value::Int(i as i64),
                Value::Date(*d),
                Value::Timestamp(*t),
                tz(*t),
            ]
        })
        .collect();
    let bin = target(&client, "d", &[]).await;
    load(&client, &bin, &rows).await;
    let want_d = [
        "1999-12-31",
        "0001-01-01",
        "0001-06-15 BC",
        "4714-11-24 BC",
        "2000-01-01",
    ];
    let want_ts = [
        "1969-07-20 20:17:40.123456",
        "1800-01-01 00:00:00.000001",
        "0101-03-01 12:00:00 BC",
        "4714-11-24 00:00:00 BC",
        "2000-01-01 00:00:00",
    ];
    let want_tz: Vec<String> = want_ts
        .iter()
        .map(|s| match s.strip_suffix(" BC") {
            Some(p) => format!("{p}+00 BC"),
            None => format!("{s}+00"),
        })
        .collect();
    assert_eq!(column(&client, "d", "d").await, want_d);
    assert_eq!(column(&client, "d", "ts").await, want_ts);
    assert_eq!(column(&client, "d", "tz").await, want_tz);

    // The same through the text encoder.
    exec(&client, "TRUNCATE d; ALTER TABLE d ADD COLUMN p point").await;
    let text = target(&client, "d", &[]).await;
    assert_eq!(text.format, Format::Text);
    let rows: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|mut r| {
            r.push(t("(1,2)"));
            r
        })
        .collect();
    load(&client, &text, &rows).await;
    assert_eq!(column(&client, "d", "d").await, want_d);
    assert_eq!(column(&client, "d", "ts").await, want_ts);
    assert_eq!(column(&client, "d", "tz").await, want_tz);

    // ±infinity, in both formats.
    for target in [&text, &bin] {
        exec(&client, "TRUNCATE d").await;
        let mut row = vec![Value::Int(0), t("infinity"), t("-Infinity"), t("infinity")];
        if target.format == Format::Text {
            row.push(Value::Null);
        }
        load(&client, target, &[row]).await;
        assert_eq!(
            strings(&client, "SELECT d::text || ts::text || tz::text FROM d").await,
            ["infinity-infinityinfinity"]
        );
    }

    let mut batch = bin.batch();
    let too_early = vec![
        Value::Int(9),
        Value::Date(date(-4713, 11, 23)),
        Value::Null,
        Value::Null,
    ];
    assert!(batch.push_row(&bin, &too_early).is_err());
}

/// Push `bad` after a good row: refused with an error naming `column`,
/// and the batch still holds exactly the good row.
fn refused(target: &CopyTarget, good: &[Value], bad: &[Value], column: &str) {
    let mut batch: Batch = target.batch();
    batch.push_row(target, good).unwrap();
    let (rows, bytes) = (batch.rows(), batch.bytes());
    match batch.push_row(target, bad) {
        Err(EncodeError::Value { column: c, reason }) => {
            assert_eq!(c, column, "{reason}");
        }
        other => panic!("expected a refusal of column {column}, got {other:?}"),
    }
    assert_eq!(
        (batch.rows(), batch.bytes()),
        (rows, bytes),
        "partial row kept"
    );
    // Encoding the good row again gives the same bytes: nothing was left.
    let mut again = target.batch();
    again.push_row(target, good).unwrap();
    again.push_row(target, good).unwrap();
    batch.push_row(target, good).unwrap();
    assert_eq!(batch.bytes(), again.bytes());
}

#[tokio::test]
async fn bad_values_are_refused_without_a_partial_row() {
    let (_db, client) = fresh_db("copy_refuse").await;
    exec(
        &client,
        "CREATE TYPE mood AS ENUM ('sad', 'ok');
         CREATE DOMAIN nn AS text NOT NULL;
         CREATE TABLE r (id int4 NOT NULL, s int2, v varchar(3), t text, e mood, a int2[], d nn);
         CREATE TABLE r2 (LIKE r); ALTER TABLE r2 ADD COLUMN iv interval;",
    )
    .await;
    for table in ["r", "r2"] {
        let target = target(&client, table, &["id", "s", "v", "t", "e", "a", "d"]).await;
        let good = vec![
            Value::Int(1),
            Value::Int(1),
            t("abc"),
            t("x"),
            t("ok"),
            Value::Array(vec![Value::Int(1)]),
            t("d"),
        ];
        let with = |i: usize, v: Value| {
            let mut r = good.clone();
            r[i] = v;
            r
        };
        refused(&target, &good, &with(1, Value::Int(32768)), "s");
        refused(&target, &good, &with(1, t("12")), "s");
        refused(&target, &good, &with(2, t("abcd")), "v");
        refused(&target, &good, &with(2, t("ééé€")), "v");
        refused(&target, &good, &with(3, t("nul\0byte")), "t");
        refused(&target, &good, &with(4, t("happy")), "e");
        refused(
            &target,
            &good,
            &with(5, Value::Array(vec![Value::Int(1 << 20)])),
            "a",
        );
        refused(&target, &good, &with(0, Value::Null), "id");
        refused(&target, &good, &with(6, Value::Null), "d");
        let mut batch = target.batch();
        assert!(matches!(
            batch.push_row(&target, &good[..3]),
            Err(EncodeError::Width {
                expected: 7,
                got: 3
            })
        ));
        // Trailing spaces beyond varchar(n) are cut, as PostgreSQL does.
        batch.push_row(&target, &with(2, t("ab    "))).unwrap();
        assert_eq!(load_batch(&client, &target, &batch).await.unwrap(), 1);
    }
    // varchar(3): cut to three characters, as PostgreSQL's own cast does.
    assert_eq!(strings(&client, "SELECT v || '|' FROM r").await, ["ab |"]);
    assert_eq!(strings(&client, "SELECT v || '|' FROM r2").await, ["ab |"]);
}

#[tokio::test]
async fn text_fallback_for_types_without_binary_encoder() {
    let (_db, client) = fresh_db("copy_textfmt").await;
    exec(
        &client,
        "CREATE TABLE f (id int4, iv interval, r int4range, ip inet, tx text, ia interval[], m money)",
    )
    .await;
    let target = target(&client, "f", &[]).await;
    assert_eq!(target.format, Format::Text);
    assert!(target.statement().ends_with("(FORMAT text)"));
    let rows = vec![
        vec![
            Value::Int(1),
            t("1 year 2 mons 3 days 04:05:06.7"),
            t("[1,10)"),
            t("192.168.0.1/24"),
            t("tab\there\nnewline\r\\back\\slash \\N"),
            Value::Array(vec![t("1 day"), Value::Null]),
            t("12.34"),
        ],
        vec![
            Value::Int(2),
            Value::Null,
            t("empty"),
            Value::Null,
            t("\\N"),
            Value::Array(vec![]),
            Value::Null,
        ],
    ];
    assert_eq!(load(&client, &target, &rows).await, 2);
    assert_eq!(
        column(&client, "f", "iv").await,
        ["1 year 2 mons 3 days 04:05:06.7", "NULL"]
    );
    assert_eq!(column(&client, "f", "r").await, ["[1,10)", "empty"]);
    assert_eq!(column(&client, "f", "ip").await, ["192.168.0.1/24", "NULL"]);
    assert_eq!(
        column(&client, "f", "tx").await,
        ["tab\there\nnewline\r\\back\\slash \\N", "\\N"]
    );
    assert_eq!(column(&client, "f", "ia").await, ["{\"1 day\",NULL}", "{}"]);
    assert_eq!(
        strings(
            &client,
            "SELECT (m = 12.34::money)::text FROM f WHERE id = 1"
        )
        .await,
        ["true"]
    );
}

#[tokio::test]
async fn server_errors_name_the_row_and_batches_can_be_retried() {
    let (_db, mut client) = fresh_db("copy_server_err").await;
    exec(&client, "CREATE TABLE k (id int4 PRIMARY KEY, v text)").await;
    exec(&client, "INSERT INTO k VALUES (3, 'old')").await;
    let target = target(&client, "k", &[]).await;
    let mut batch = target.batch();
    for i in 0..6 {
        batch
            .push_row(&target, &[Value::Int(i), t(&format!("v{i}"))])
            .unwrap();
    }
    let err = load_batch(&client, &target, &batch).await.unwrap_err();
    assert_eq!(err.code(), Some("23505"), "{err}");
    assert_eq!((err.batch, err.row), (Some(0), Some(3)), "{err}");
    assert!(err.to_string().contains("row 4 of batch 1"), "{err}");
    assert_eq!(
        strings(&client, "SELECT count(*)::text FROM k").await,
        ["1"]
    );
    let (first, second) = batch.split_at(3);
    assert_eq!((first.rows(), second.rows()), (3, 3));
    assert_eq!(load_batch(&client, &target, &first).await.unwrap(), 3);
    let rest = second.without_row(0);
    assert_eq!(load_batch(&client, &target, &rest).await.unwrap(), 2);
    assert_eq!(
        strings(&client, "SELECT string_agg(v, ',' ORDER BY id) FROM k").await,
        ["v0,v1,v2,old,v4,v5"]
    );

    // Inside a transaction, rolled back: nothing stays.
    let tx = client.transaction().await.unwrap();
    let mut b = target.batch();
    b.push_row(&target, &[Value::Int(100), t("tx")]).unwrap();
    assert_eq!(load_batch(&tx, &target, &b).await.unwrap(), 1);
    tx.rollback().await.unwrap();
    assert_eq!(
        strings(&client, "SELECT count(*)::text FROM k").await,
        ["6"]
    );
}

#[tokio::test]
async fn stream_errors_name_the_batch_and_abort_everything() {
    let (_db, client) = fresh_db("copy_stream").await;
    exec(&client, "CREATE TABLE s (id int4 PRIMARY KEY, v text)").await;
    let target = Arc::new(target(&client, "s", &[]).await);

    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let feeder_target = Arc::clone(&target);
    let feeder = tokio::spawn(async move {
        for start in [0, 10, 20] {
            let mut b = feeder_target.batch();
            for i in start..start + 10 {
                let id = if i == 14 { 2 } else { i };
                b.push_row(&feeder_target, &[Value::Int(id), t("x")])
                    .unwrap();
            }
            if tx.send(Feed::Batch(b)).await.is_err() {
                return;
            }
        }
        let _ = tx.send(Feed::End).await;
    });
    let err = load_stream(&client, &target, rx).await.unwrap_err();
    let _ = feeder.await;
    match err {
        CopyError::Load(e) => assert_eq!((e.batch, e.row), (Some(1), Some(4)), "{e}"),
        other => panic!("expected a load error, got {other}"),
    }
    assert_eq!(
        strings(&client, "SELECT count(*)::text FROM s").await,
        ["0"]
    );

    // load_rows: 25,000 rows in batches of 1,000, rows in = rows out.
    let rows = (0..25_000i64).map(|i| vec![Value::Int(i), Value::Text(format!("row {i}"))]);
    let n = load_rows(&client, Arc::clone(&target), rows, 1000)
        .await
        .unwrap();
    assert_eq!(n, 25_000);
    assert_eq!(
        strings(
            &client,
            "SELECT count(*)::text || ' ' || sum(id)::text FROM s"
        )
        .await,
        [format!("25000 {}", 25_000i64 * 24_999 / 2)]
    );

    // A row that does not encode aborts the whole COPY.
    exec(&client, "TRUNCATE s").await;
    let rows = (0..5000i64).map(|i| {
        let v = if i == 3500 { t("bad\0") } else { t("ok") };
        vec![Value::Int(i), v]
    });
    match load_rows(&client, Arc::clone(&target), rows, 1000).await {
        Err(CopyError::Row { row: 3500, source }) => {
            assert!(source.to_string().contains("NUL"), "{source}")
        }
        other => panic!("expected row 3500 to be refused, got {other:?}"),
    }
    assert_eq!(
        strings(&client, "SELECT count(*)::text FROM s").await,
        ["0"]
    );
}

#[tokio::test]
async fn targets_check_their_columns() {
    let (_db, client) = fresh_db("copy_target").await;
    exec(
        &client,
        "CREATE SCHEMA \"Odd\"; CREATE TABLE \"Odd\".\"My T\" (id int8 GENERATED ALWAYS AS IDENTITY,
           \"Name\" text NOT NULL DEFAULT 'x', g int8 GENERATED ALWAYS AS (id) STORED)",
    )
    .await;
    let name = QualifiedName::new("Odd", "My T");
    let info = table_info(&client, &name).await.unwrap();
    assert_eq!(info.columns[0].identity, Some('a'));
    assert!(info.columns[1].not_null && info.columns[1].has_default);
    assert!(info.columns[2].generated);
    assert!(matches!(
        CopyTarget::new(&info, &["nope"]),
        Err(CopyError::NoColumn { .. })
    ));
    assert!(matches!(
        CopyTarget::new(&info, &["g"]),
        Err(CopyError::Generated { .. })
    ));
    let target = CopyTarget::new(&info, &["Name"]).unwrap();
    assert_eq!(
        target.statement(),
        "COPY \"Odd\".\"My T\" (\"Name\") FROM STDIN (FORMAT binary)"
    );
    let mut b = target.batch();
    b.push_row(&target, &[t("quoted")]).unwrap();
    assert_eq!(load_batch(&client, &target, &b).await.unwrap(), 1);
    assert!(matches!(
        table_info(&client, &QualifiedName::new("public", "missing")).await,
        Err(CopyError::NoTable(_))
    ));
}

#[tokio::test]
async fn jsonb_refuses_nul_json_keeps_it() {
    let (_db, client) = fresh_db("copy_json").await;
    exec(&client, "CREATE TABLE j (id int4, j json, jb jsonb)").await;
    let target = target(&client, "j", &[]).await;
    let nul = Value::Json(serde_json::json!({"k": "a\u{0}b"}));
    let mut batch = target.batch();
    let bad = batch.push_row(&target, &[Value::Int(1), Value::Null, nul.clone()]);
    assert!(matches!(bad, Err(EncodeError::Value { ref column, .. }) if column == "jb"));
    assert!(batch.is_empty());
    // An escaped backslash before "u0000" is not a NUL; text JSON is checked.
    let ok = Value::Json(serde_json::json!({"k": "\\u0000"}));
    batch
        .push_row(&target, &[Value::Int(1), nul, ok.clone()])
        .unwrap();
    batch
        .push_row(
            &target,
            &[Value::Int(2), t("[1, 2]"), t(r#"{"a":"\\u0000"}"#)],
        )
        .unwrap();
    assert!(batch
        .push_row(&target, &[Value::Int(3), t("{nope"), Value::Null])
        .is_err());
    assert_eq!(load_batch(&client, &target, &batch).await.unwrap(), 2);
    assert_eq!(
        column(&client, "j", "j").await,
        [r#"{"k":"a\u0000b"}"#, "[1, 2]"]
    );
    assert_eq!(
        column(&client, "j", "jb").await,
        [r#"{"k": "\\u0000"}"#, r#"{"a": "\\u0000"}"#]
    );
}
