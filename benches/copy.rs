//! COPY benchmark: 1,000,000 rows of (int8, text, timestamptz, numeric,
//! uuid, jsonb, bool) into an empty table on the embedded cluster, loaded
//!
//! (a) by strata's encoder + loader (`copy::load_rows`, encoding on a
//!     blocking thread while the previous batch is sent),
//! (b) by tokio-postgres's `BinaryCopyInWriter` from the same `Value` rows
//!     (its own `ToSql` impls; numeric and uuid through small wrappers, as
//!     tokio-postgres has no numeric type),
//! (c) by `psql -c "\copy … FROM file CSV"` of the same rows written to a
//!     CSV file beforehand (the reference tool; file writing not timed),
//! (d) by server-side `COPY … FROM 'file' (FORMAT binary)` of strata's
//!     encoding of the same rows (the server's ingest limit),
//!
//! plus the time to just generate the rows, which (a) and (b) include.
//! Best of three each. Run with `cargo bench --bench copy`
//! (`STRATA_BENCH_ROWS=N` to resize).

use std::error::Error;
use std::io::Write;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use futures_util::pin_mut;
use strata::copy::numeric::Numeric;
use strata::copy::{load_rows, table_info, CopyTarget, Value, BINARY_HEADER, BINARY_TRAILER};
use strata::embedded::EmbeddedOptions;
use strata::model::QualifiedName;
use strata::scratch::ScratchServer;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{to_sql_checked, IsNull, Json, ToSql, Type};
use tokio_postgres::Client;

const TABLE: &str = "CREATE TABLE bench (id int8, name text, created_at timestamptz,
    amount numeric(12,2), external_id uuid, doc jsonb, active bool)";

fn uuid(i: u64) -> [u8; 16] {
    let a = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let b = a.rotate_left(29) ^ 0xD6E8_FEB8_6659_FD93;
    let mut u = [0u8; 16];
    u[..8].copy_from_slice(&a.to_be_bytes());
    u[8..].copy_from_slice(&b.to_be_bytes());
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
    u
}

/// Row `i`, deterministic.
fn row(i: u64) -> Vec<Value> {
    let base = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
    vec![
        Value::Int(i as i64),
        Value::Text(format!("Person {i} Example-Name")),
        Value::TimestampTz(base + chrono::Duration::seconds(i as i64 * 17)),
        Value::Numeric(format!("{}.{:02}", i % 1_000_000, i % 100)),
        Value::Uuid(uuid(i)),
        Value::Json(
            serde_json::json!({"n": i, "tag": format!("t{}", i % 10), "ok": i.is_multiple_of(2)}),
        ),
        Value::Bool(i.is_multiple_of(3)),
    ]
}

#[derive(Debug)]
struct Num(Numeric);
impl ToSql for Num {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        let mut v = Vec::with_capacity(16);
        self.0.write_binary(&mut v);
        out.extend_from_slice(&v);
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
    to_sql_checked!();
}

#[derive(Debug)]
struct Uuid([u8; 16]);
impl ToSql for Uuid {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        out.extend_from_slice(&self.0);
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::UUID
    }
    to_sql_checked!();
}

async fn strata_load(client: &Client, target: &Arc<CopyTarget>, n: u64) -> u64 {
    load_rows(client, Arc::clone(target), (0..n).map(row), 10_000)
        .await
        .unwrap()
}

async fn writer_load(client: &Client, n: u64) -> u64 {
    let sink = client
        .copy_in("COPY bench (id, name, created_at, amount, external_id, doc, active) FROM STDIN (FORMAT binary)")
        .await
        .unwrap();
    let types = [
        Type::INT8,
        Type::TEXT,
        Type::TIMESTAMPTZ,
        Type::NUMERIC,
        Type::UUID,
        Type::JSONB,
        Type::BOOL,
    ];
    let writer = BinaryCopyInWriter::new(sink, &types);
    pin_mut!(writer);
    for i in 0..n {
        let r = row(i);
        let (id, name, at, amount, u, doc, active) = match r.as_slice() {
            [Value::Int(id), Value::Text(name), Value::TimestampTz(at), Value::Numeric(amount), Value::Uuid(u), Value::Json(doc), Value::Bool(active)] => {
                (id, name, at, amount, u, doc, active)
            }
            _ => unreachable!(),
        };
        let at: &DateTime<Utc> = at;
        let amount = Num(Numeric::parse(amount).unwrap().fit(Some((12, 2))).unwrap());
        let u = Uuid(*u);
        let doc = Json(doc);
        let values: [&(dyn ToSql + Sync); 7] = [id, name, at, &amount, &u, &doc, active];
        writer.as_mut().write(&values).await.unwrap();
    }
    writer.finish().await.unwrap()
}

fn csv_line(out: &mut impl Write, i: u64) {
    let r = row(i);
    let mut fields = Vec::new();
    for v in &r {
        fields.push(match v {
            Value::Int(x) => x.to_string(),
            Value::Text(s) => format!("\"{}\"", s.replace('"', "\"\"")),
            Value::TimestampTz(t) => t.format("%Y-%m-%d %H:%M:%S+00").to_string(),
            Value::Numeric(s) => s.clone(),
            Value::Uuid(u) => {
                let h: String = u.iter().map(|b| format!("{b:02x}")).collect();
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            }
            Value::Json(j) => format!("\"{}\"", j.to_string().replace('"', "\"\"")),
            Value::Bool(b) => (if *b { "t" } else { "f" }).to_string(),
            _ => unreachable!(),
        });
    }
    writeln!(out, "{}", fields.join(",")).unwrap();
}

fn binary_file(path: &std::path::Path, target: &CopyTarget, n: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(BINARY_HEADER).unwrap();
    let mut batch = target.batch();
    for i in 0..n {
        batch.push_row(target, &row(i)).unwrap();
        if batch.rows() == 10_000 {
            let full = std::mem::replace(&mut batch, target.batch());
            f.write_all(full.encoded()).unwrap();
        }
    }
    f.write_all(batch.encoded()).unwrap();
    f.write_all(BINARY_TRAILER).unwrap();
}

async fn best<F, Fut>(client: &Client, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = u64>,
{
    let mut best = Duration::MAX;
    for _ in 0..3 {
        client.batch_execute("TRUNCATE bench").await.unwrap();
        client.batch_execute("CHECKPOINT").await.unwrap();
        let t = Instant::now();
        f().await;
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let n: u64 = std::env::var("STRATA_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = ScratchServer::start(None, &EmbeddedOptions::default()).expect("embedded server");
    let work = tempfile::tempdir().unwrap();
    // The server (another user) reads the binary file: let it in.
    std::fs::set_permissions(
        work.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let db = rt.block_on(server.create_database("copybench")).unwrap();
    let client = rt.block_on(db.target.connect()).unwrap();
    rt.block_on(client.batch_execute(TABLE)).unwrap();
    let info = rt
        .block_on(table_info(&client, &QualifiedName::new("public", "bench")))
        .unwrap();
    let target = Arc::new(CopyTarget::new(&info, &[]).unwrap());

    let csv = work.path().join("bench.csv");
    let bin = work.path().join("bench.bin");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        (0..n).for_each(|i| csv_line(&mut f, i));
    }
    binary_file(&bin, &target, n);
    for p in [&csv, &bin] {
        std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    }

    let t_gen = (0..3)
        .map(|_| {
            let t = Instant::now();
            (0..n).for_each(|i| drop(std::hint::black_box(row(i))));
            t.elapsed()
        })
        .min()
        .unwrap();
    let t_strata = rt.block_on(best(&client, || strata_load(&client, &target, n)));
    let t_writer = rt.block_on(best(&client, || writer_load(&client, n)));
    let psql = strata::embedded::find_bindir(&EmbeddedOptions::default())
        .map(|d| d.join("psql"))
        .unwrap_or_else(|_| "psql".into());
    let url = db.target.url();
    let t_psql = rt.block_on(best(&client, || async {
        let out = Command::new(&psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-c"])
            .arg(format!("\\copy bench FROM '{}' CSV", csv.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        n
    }));
    let t_server = rt.block_on(best(&client, || async {
        client
            .execute(
                &format!("COPY bench FROM '{}' (FORMAT binary)", bin.display()),
                &[],
            )
            .await
            .unwrap()
    }));
    let count: i64 = rt
        .block_on(client.query_one("SELECT count(*) FROM bench", &[]))
        .unwrap()
        .get(0);
    assert_eq!(count as u64, n);

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "copy benchmark: {n} rows (int8, text, timestamptz, numeric, uuid, jsonb, bool), best of 3"
    );
    println!("{:<58} {:>8} {:>12}", "what", "ms", "rows/s");
    for (what, d) in [
        (
            "generating the Value rows only (included in a and b)",
            t_gen,
        ),
        ("(a) strata encoder + load_rows", t_strata),
        ("(b) tokio-postgres BinaryCopyInWriter", t_writer),
        ("(c) psql \\copy FROM csv", t_psql),
        ("(d) server-side COPY FROM binary file", t_server),
    ] {
        println!(
            "{what:<58} {:>8.0} {:>12.0}",
            d.as_secs_f64() * 1000.0,
            rate(d)
        );
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "time ratio strata / BinaryCopyInWriter: {:.2}",
        ratio(t_strata, t_writer)
    );
    println!(
        "time ratio strata / psql \\copy:         {:.2}",
        ratio(t_strata, t_psql)
    );
    println!(
        "time ratio strata / server binary COPY: {:.2}",
        ratio(t_strata, t_server)
    );
    rt.block_on(server.drop_database(&db)).unwrap();
}
