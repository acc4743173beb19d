//! Issue 10, items 5 and part of 7, through the binary where possible:
//!
//! - no password reaches stdout, stderr, a written file or a `Debug`
//!   rendering, whatever form it was written in (URL userinfo,
//!   `?password=`, key=value with quotes, percent-encoding, `@` inside it,
//!   `PGPASSWORD`) and wherever it came from (flag, `DATABASE_URL`,
//!   `STRATA_DEV_URL`, `strata.yaml` with or without `${VAR}`);
//! - a UTF-8 byte-order mark at the start of any YAML file is skipped and
//!   positions stay right;
//! - SIGHUP and SIGQUIT stop an embedded cluster like SIGINT does, and a
//!   closed stdout pipe neither panics nor leaves the cluster behind.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::runner::{strata, text};

/// The password used everywhere; distinctive, so a partial leak of it is
/// found as easily as a full one.
const SECRET: &str = "Zq7SekritPw";

// ---------------------------------------------------------------- helpers

/// Every secret fragment that must not appear: the whole password and
/// each piece of it of 4+ characters split at `@`, `%`, `'`, spaces.
fn fragments(secrets: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for s in secrets {
        out.push(s.to_string());
        for piece in s.split(['@', '%', '\'', ' ']) {
            if piece.len() >= 4 {
                out.push(piece.to_string());
            }
        }
    }
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Panic if any fragment of `secrets` is in the output or in a file under
/// `dir` (other than `strata.yaml`, where the test itself wrote it).
fn assert_no_secret(what: &str, out: &Output, dir: &Path, secrets: &[&str]) {
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    for f in fragments(secrets) {
        assert!(
            !stdout.contains(&f) && !stderr.contains(&f),
            "{what}: `{f}` leaked\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        for file in files_under(dir) {
            if file.file_name().is_some_and(|n| n == "strata.yaml") {
                continue;
            }
            let body = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            assert!(
                !body.contains(&f),
                "{what}: `{f}` leaked into {}",
                file.display()
            );
        }
    }
    assert!(!stderr.contains("panicked"), "{what}: panic\n{stderr}");
}

/// A project directory with schema/ (one table) and an empty migrations/.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::runner::write(
        &dir.path().join("schema"),
        "public.yaml",
        "tables:\n  t:\n    columns:\n      id: bigint primary key\n",
    );
    std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
    dir
}

/// `value` as a single-quoted YAML scalar.
fn yaml_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A private run root (short path: unix socket paths are limited), so a
/// test can check that the embedded server left nothing behind.
fn private_tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("st")
        .tempdir_in("/tmp")
        .unwrap()
}

/// Live (non-zombie) processes whose command line mentions `needle`.
fn processes_mentioning(needle: &Path) -> Vec<String> {
    let needle = needle.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if e.file_name().to_string_lossy().parse::<u32>().is_err() {
            continue;
        }
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        if stat
            .rsplit_once(") ")
            .is_some_and(|(_, s)| s.starts_with('Z'))
        {
            continue;
        }
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains(&needle) {
            out.push(cmd);
        }
    }
    out
}

fn assert_nothing_left(root: &Path) {
    let t0 = Instant::now();
    loop {
        let left = files_under(root);
        let procs = processes_mentioning(root);
        let dirs: Vec<_> = std::fs::read_dir(root).unwrap().flatten().collect();
        if left.is_empty() && procs.is_empty() && dirs.is_empty() {
            return;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "left behind in {}: {left:?} {dirs:?}; processes: {procs:?}",
            root.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------- connection strings that fail

/// Connection strings that are wrong in some way, each with the secret(s)
/// it carries. Ports are 1 so a string that parses fails fast.
fn broken_forms() -> Vec<(String, Vec<String>)> {
    let s = SECRET;
    let mut v: Vec<(String, Vec<String>)> = [
        // the reproducers
        format!("host=127.0.0.1 port=1 password={s} bogus=1"),
        format!("postgres://u@127.0.0.1:1/db?password={s}&bogus=1"),
        // other spellings and other broken parts
        format!("postgres://u:{s}@127.0.0.1:1/db?bogus=1"),
        format!("postgresql://u:{s}@127.0.0.1:1/db?bogus=1"),
        format!("POSTGRES://u:{s}@127.0.0.1:1/db?bogus=1"),
        format!("HOST=127.0.0.1 PASSWORD={s}"),
        format!("host=127.0.0.1 port=1 password={s} sslmode=bogus"),
        format!("postgres://u:{s}@127.0.0.1:1/db?sslmode=bogus"),
        format!("host=127.0.0.1 port=1 password={s} port=notaport"),
        format!("host=127.0.0.1 password {s}"),
        format!("host=127.0.0.1 password='{s}"),
        format!("host=127.0.0.1 password=\\'{s}\\' bogus"),
        format!("postgres://u@127.0.0.1:1/db?PASSWORD={s}"),
        format!("postgres://u@127.0.0.1:1/db?sslpassword={s}"),
        format!("host=127.0.0.1 port=1 sslpassword={s}"),
        format!("host=127.0.0.1 port=1 passwrd={s}"),
        format!("postgres://u:{s}@127.0.0.1:1/db?port=x&password={s}"),
        format!("postgres://u:{s}@[::1/db"),
        format!("postgres://u:{s}@127.0.0.1:notaport/db"),
        format!("postgres://u:{s}@127.0.0.1:1/db?application_name"),
        format!("postgres://u:{s}@127.0.0.1:1/db?x=%FF"),
        // a connection string as dbname (libpq would expand it)
        format!("dbname=postgres://u:{s}@127.0.0.1:1/db host=127.0.0.1 port=1"),
        format!("postgres://127.0.0.1:1/db?dbname=host%3Dh%20password%3D{s}"),
        // the password alone where a URL was expected
        s.to_string(),
    ]
    .into_iter()
    .map(|u| (u, vec![s.to_string()]))
    .collect();
    // A password with spaces: a quoted key=value value.
    v.push((
        "host=127.0.0.1 port=1 password='Zq7a Sekrit2 Wordy3' bogus=1".into(),
        vec!["Zq7a Sekrit2 Wordy3".into()],
    ));
    // …containing what looks like an option.
    v.push((
        "host=127.0.0.1 port=1 password='x sslmode=Zq7Sslm0de y'".into(),
        vec!["Zq7Sslm0de".into()],
    ));
    // `@` in the password, raw and percent-encoded.
    v.push((
        "postgres://u:Zq7Before@Zq7After@127.0.0.1:1/db".into(),
        vec!["Zq7Before@Zq7After".into()],
    ));
    v.push((
        "postgres://u:Zq7Before%40Zq7After@127.0.0.1:1/db?bogus=1".into(),
        vec!["Zq7Before@Zq7After".into(), "Zq7Before%40Zq7After".into()],
    ));
    // `/`, `?`, `#` and `:` inside the password.
    v.push((
        "postgres://u:Zq7a/b?c#d:Zq7e@127.0.0.1:1/db?bogus=1".into(),
        vec!["Zq7a/b?c#d:Zq7e".into(), "b?c#d".into()],
    ));
    v
}

fn run_in(dir: &Path, cmd: &mut Command) -> Output {
    cmd.current_dir(dir)
        .env_remove("PGPASSWORD")
        .output()
        .unwrap()
}

#[test]
fn broken_connection_strings_never_show_the_password() {
    for (url, secrets) in broken_forms() {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let p = project();
        let dir = p.path();
        let check = |what: &str, out: Output| {
            assert!(!out.status.success(), "{what} with {url}: succeeded?");
            assert_no_secret(&format!("{what} with {url}"), &out, dir, &secrets);
        };
        check(
            "migrate --database-url",
            run_in(dir, strata().args(["migrate", "--database-url", &url])),
        );
        check(
            "status with DATABASE_URL",
            run_in(dir, strata().arg("status").env("DATABASE_URL", &url)),
        );
        check(
            "plan with DATABASE_URL",
            run_in(dir, strata().arg("plan").env("DATABASE_URL", &url)),
        );
        // (a string without `=` or `://` is a directory to `diff`)
        if url.contains('=') || url.contains("://") {
            check(
                "diff --from URL",
                run_in(
                    dir,
                    strata().args(["diff", "--from", &url, "--to", "schema"]),
                ),
            );
        }
        check(
            "generate --dev-url",
            run_in(dir, strata().args(["generate", "x", "--dev-url", &url])),
        );
        check(
            "generate with STRATA_DEV_URL",
            run_in(
                dir,
                strata().args(["generate", "x"]).env("STRATA_DEV_URL", &url),
            ),
        );
        std::fs::write(
            dir.join("strata.yaml"),
            format!(
                "database_url: {}\ndev_url: {}\n",
                yaml_quote(&url),
                yaml_quote(&url)
            ),
        )
        .unwrap();
        check(
            "migrate with strata.yaml",
            run_in(dir, strata().arg("migrate")),
        );
        check(
            "generate with strata.yaml",
            run_in(dir, strata().args(["generate", "x"])),
        );
        std::fs::write(
            dir.join("strata.yaml"),
            "database_url: ${ZQ_URL}\ndev_url: \"${ZQ_URL}\"\n",
        )
        .unwrap();
        check(
            "migrate with ${VAR} in strata.yaml",
            run_in(dir, strata().arg("migrate").env("ZQ_URL", &url)),
        );
        check(
            "generate with ${VAR} in strata.yaml",
            run_in(dir, strata().args(["generate", "x"]).env("ZQ_URL", &url)),
        );
    }
}

/// Mistakes in `strata.yaml` itself: the message points at the line, and
/// never quotes the URL around the mistake.
#[test]
fn strata_yaml_errors_never_show_the_password() {
    let s = SECRET;
    let cases = [
        format!("database_url: \"postgres://u:{s}@h/${{DB\"\n"),
        format!("database_url: \"host=h password={s} ${{\"\n"),
        format!("dev_url: \"postgres://u:{s}@h/${{DB\"\n"),
        format!("database_url: [\"postgres://u:{s}@h/db\"]\n"),
        format!("database_url: {{password: {s}}}\n"),
        format!("database_url: postgres://u:{s}@h/db\ndatabase_url: x\n"),
        format!("database_url: postgres://u:{s}@h/db\ndatabse_url: x\n"),
        format!("database_url: \"postgres://u:{s}@h/db\n"),
        format!("database_url: 'postgres://u:{s}@h/db\n"),
        format!("database_url: postgres://u:{s}@h/db: x\n"),
        format!("database_url: !!str postgres://u:{s}@h/db\n"),
        format!("database_url: &a postgres://u:{s}@h/db\n"),
        format!("database_url: \"postgres://u:{s}@h/db\" x\n"),
        format!("database_url: >\n  postgres://u:{s}@h/db\n bad: [\n"),
        format!("database_url: host=h password={s}\n---\nx: 1\n"),
    ];
    for yaml in cases {
        let p = project();
        std::fs::write(p.path().join("strata.yaml"), &yaml).unwrap();
        for args in [&["migrate"][..], &["generate", "x"], &["plan"], &["status"]] {
            let out = run_in(p.path(), strata().args(args));
            assert!(!out.status.success(), "{args:?} with {yaml}");
            assert_no_secret(&format!("{args:?} with {yaml}"), &out, p.path(), &[s]);
        }
    }
}

/// `PGPASSWORD` fills the password of a string without one: neither the
/// variable nor a password from anywhere shows in what fails.
#[test]
fn pgpassword_is_never_echoed() {
    let p = project();
    for url in [
        "host=127.0.0.1 port=1 bogus=1",
        "postgres://u@127.0.0.1:1/db",
        "postgres://u@127.0.0.1:1/db?sslmode=bogus",
    ] {
        let out = strata()
            .current_dir(p.path())
            .args(["migrate", "--database-url", url])
            .env("PGPASSWORD", SECRET)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert_no_secret(&format!("PGPASSWORD with {url}"), &out, p.path(), &[SECRET]);
    }
}

/// clap shows environment values in `--help` unless told not to.
#[test]
fn help_never_shows_url_variables() {
    for args in [&["--help"][..], &["plan", "--help"], &["generate", "-h"]] {
        let out = strata()
            .args(args)
            .env("DATABASE_URL", format!("postgres://u:{SECRET}@h/db"))
            .env("STRATA_DEV_URL", format!("postgres://u:{SECRET}@h/dev"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let t = tempfile::tempdir().unwrap();
        assert_no_secret(&format!("{args:?}"), &out, t.path(), &[SECRET]);
    }
}

/// clap quotes stray arguments and bad values in its usage errors.
#[test]
fn usage_errors_never_show_the_password() {
    let url = format!("postgres://u:{SECRET}@h/db");
    let kv = format!("host=h password={SECRET}");
    for args in [
        vec!["plan", url.as_str()],
        vec!["plan", kv.as_str()],
        vec!["migrate", "--target", kv.as_str()],
        vec!["migrate", "--target", url.as_str()],
        vec![
            "--database-url",
            url.as_str(),
            "plan",
            "extra",
            url.as_str(),
        ],
    ] {
        let out = strata().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        let t = tempfile::tempdir().unwrap();
        assert_no_secret(&format!("{args:?}"), &out, t.path(), &[SECRET]);
        assert!(
            text(&out.stderr).contains("error:"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// The structs that hold a URL: a panic message or a debug log that
/// formats them with `{:?}` must not show the password.
#[test]
fn debug_renderings_hide_the_password() {
    let s = SECRET;
    let url = format!("postgres://u:{s}@h/db?password={s}");
    let cfg = strata::config::Config::parse(
        Path::new("strata.yaml"),
        &format!("database_url: {url}\ndev_url: \"host=h password='{s} x'\"\n"),
        |_| None,
    )
    .unwrap();
    let settings = strata::commands::Settings {
        database_url: Some(url.clone()),
        dev_url: Some(url.clone()),
        ..Default::default()
    };
    let target = strata::db::Target::parse(&url).unwrap();
    let scratch = strata::scratch::ScratchServer::External(target.clone());
    for (what, d) in [
        ("Config", format!("{cfg:?} {cfg:#?}")),
        ("Settings", format!("{settings:?} {settings:#?}")),
        ("Target", format!("{target:?} {target:#?}")),
        ("ScratchServer", format!("{scratch:?}")),
    ] {
        assert!(!d.contains(s), "{what}: {d}");
    }
    // Still useful: the non-secret parts are there.
    assert!(format!("{settings:?}").contains("u:***@h/db"));
}

// ------------------------------------------ connection strings that work

/// `host=… password=…` for a database on the test server, and the same
/// as URLs; the password is SECRET unless the server needs a real one.
fn working_forms(db: &strata::scratch::ScratchDb) -> (Vec<String>, String) {
    use tokio_postgres::config::Host;
    let c = &db.target.config;
    let host = match c.get_hosts().first() {
        Some(Host::Unix(p)) => p.display().to_string(),
        Some(Host::Tcp(h)) => h.clone(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let user = c.get_user().unwrap_or("postgres");
    let name = &db.name;
    let pw = c
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_else(|| format!("{SECRET} @x'y"));
    let enc: String = pw
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let kv_pw = pw.replace('\\', "\\\\").replace('\'', "\\'");
    let h = enc_host(&host);
    let forms = vec![
        format!("host={host} port={port} user={user} dbname={name} password='{kv_pw}'"),
        format!("postgres://{user}:{enc}@/{name}?host={h}&port={port}"),
        format!("postgresql://{user}@/{name}?host={h}&port={port}&password={enc}"),
    ];
    (forms, pw)
}

/// migrations/V1__t.sql and its strata.sum (`generate` refuses files the
/// sum does not know).
fn with_sum(dir: &Path, v1: &str) {
    common::runner::write(&dir.join("migrations"), "V1__t.sql", v1);
    let out = strata().current_dir(dir).arg("rehash").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn enc_host(h: &str) -> String {
    h.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn working_connections_never_show_the_password() {
    let (db_a, client_a) = common::fresh_db("sec_a").await;
    let (db_b, _client_b) = common::fresh_db("sec_b").await;
    common::exec(&client_a, "CREATE TABLE only_in_a (id int PRIMARY KEY)").await;
    let (forms_a, pw) = working_forms(&db_a);
    let (forms_b, _) = working_forms(&db_b);
    let secrets = [pw.as_str(), SECRET];
    let p = project();
    let dir = p.path();
    const V1: &str = "CREATE TABLE t0 (id bigint PRIMARY KEY);\n";
    with_sum(dir, V1);
    let run = |args: &[&str], url: &str| {
        run_in(
            dir,
            strata()
                .args(args)
                .env("DATABASE_URL", url)
                .env("STRATA_DEV_URL", url),
        )
    };
    for (a, b) in forms_a.iter().zip(&forms_b) {
        // Headers of `diff` and `plan` name both sides.
        let out = run(&["diff", "--from", a, "--to", b, "--allow-destructive"], a);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("only_in_a"),
            "{}",
            text(&out.stdout)
        );
        assert_no_secret(&format!("diff {a} -> {b}"), &out, dir, &secrets);
        let out = run(&["plan", "--allow-destructive"], b);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_no_secret(&format!("plan {b}"), &out, dir, &secrets);
        for args in [
            &["status", "--format", "json"][..],
            &["status"],
            &["validate"],
            &["migrate", "--dry-run"],
        ] {
            let out = run(args, b);
            assert_no_secret(&format!("{args:?} {b}"), &out, dir, &secrets);
        }
        // `generate` against the server as scratch: the migration header.
        let out = run(&["generate", "again", "--allow-destructive"], a);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_no_secret(&format!("generate {a}"), &out, dir, &secrets);
        assert!(dir.join("migrations/V2__again.sql").exists());
        // Fresh migrations/ for the next form's generate.
        std::fs::remove_dir_all(dir.join("migrations")).unwrap();
        with_sum(dir, V1);
    }
    // A wrong password on a TCP server would be echoed by nobody but the
    // server; `pg_dump` of a backup gets the password through its
    // environment, never on its command line or in the dump's name.
    let out = run(
        &["migrate", "--backup", "backups"],
        &forms_b[0].replace("dbname=", "dbname=missing_"),
    );
    assert!(!out.status.success());
    assert_no_secret("migrate --backup", &out, dir, &secrets);
}

// ------------------------------------------------------------------- BOM

const BOM: &str = "\u{feff}";

/// Every YAML loader: the same text with and without a BOM loads the same
/// and reports the same positions.
#[test]
fn a_byte_order_mark_is_skipped_by_every_yaml_loader() {
    use strata::config::Config;
    let f = Path::new("x.yaml");

    let cfg = "schema_dir: s\nmigrations_dir: m\n";
    let with = Config::parse(f, &format!("{BOM}{cfg}"), |_| None).unwrap();
    assert_eq!(with, Config::parse(f, cfg, |_| None).unwrap());
    let bad_cfg = "schema_dir: s\nbogus: 1\n";
    let e = |t: &str| Config::parse(f, t, |_| None).unwrap_err().to_string();
    assert_eq!(e(&format!("{BOM}{bad_cfg}")), e(bad_cfg));
    let bad_first = "bogus: 1\n";
    assert_eq!(e(&format!("{BOM}{bad_first}")), e(bad_first));
    assert!(e(bad_first).contains("x.yaml:1:1:"), "{}", e(bad_first));

    let schema = "tables:\n  t:\n    columns:\n      id: bigint primary key\n";
    let a = strata::spec::load_str(f, &format!("{BOM}{schema}")).unwrap();
    let b = strata::spec::load_str(f, schema).unwrap();
    assert_eq!(
        format!("{:?}", a.tables.keys()),
        format!("{:?}", b.tables.keys())
    );
    // an error on the first line, where a BOM would shift the column
    let bad_schema = "tables: {t: {columns: {id: bigint}, bogus: 1}}\n";
    let e = |t: &str| strata::spec::load_str(f, t).unwrap_err().to_string();
    assert_eq!(e(&format!("{BOM}{bad_schema}")), e(bad_schema));
    assert!(e(bad_schema).contains("x.yaml:1:37:"), "{}", e(bad_schema));

    let spec = "table: molecules\nfile: m.csv\n";
    let a = strata::import::spec::load_str(f, &format!("{BOM}{spec}")).unwrap();
    assert_eq!(a.table.map(|t| t.0).as_deref(), Some("molecules"));
    let bad_spec = "table: molecules\nbogus: 1\n";
    let e = |t: &str| {
        strata::import::spec::load_str(f, t)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(e(&format!("{BOM}{bad_spec}")), e(bad_spec));

    let db = strata::spec::load_str(f, schema).unwrap();
    let profile = "seed: 1\ntables:\n  t: {rows: 3}\n";
    let e = |t: &str| {
        strata::seed::profile::load_str(f, t, &db, Path::new("."))
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    };
    assert_eq!(e(&format!("{BOM}{profile}")), "");
    let bad_profile = "tables: {t: {rows: 3, bogus: 1}}\n";
    assert_eq!(e(&format!("{BOM}{bad_profile}")), e(bad_profile));
}

/// A BOM written by an editor into strata.yaml and schema/*.yaml: the
/// binary reads them.
#[test]
fn strata_reads_yaml_files_that_start_with_a_bom() {
    let p = project();
    let schema = p.path().join("schema/public.yaml");
    let body = std::fs::read_to_string(&schema).unwrap();
    std::fs::write(&schema, format!("{BOM}{body}")).unwrap();
    std::fs::write(
        p.path().join("strata.yaml"),
        format!("{BOM}schema_dir: schema\nbogus: 1\n"),
    )
    .unwrap();
    let out = run_in(p.path(), strata().arg("plan"));
    let err = text(&out.stderr);
    // only the real mistake, at its real position
    assert!(
        err.contains("strata.yaml:2:1: unknown key \"bogus\""),
        "{err}"
    );
    assert!(!err.contains("schema_dir\""), "{err}");
}

// --------------------------------------------------- signals and pipes

/// `strata dev --keep` in a project, with its own run root and process
/// group (like a terminal job); returns once the server is up.
fn spawn_dev(project: &Path, run_root: &Path) -> std::process::Child {
    let mut cmd = strata();
    cmd.current_dir(project)
        .env("STRATA_PG_RUN_ROOT", run_root)
        .args(["dev", "--keep", "--no-seed"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    // A shell runs background jobs with SIGQUIT (and `nohup` SIGHUP)
    // ignored, and strata keeps a signal that was ignored ignored: give the
    // child the default dispositions, as from a terminal, whatever this
    // test run inherited (a CI started with `&` ignores SIGQUIT).
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            libc::signal(libc::SIGHUP, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).unwrap();
    assert!(line.starts_with("postgresql://"), "dev printed {line:?}");
    assert!(!files_under(run_root).is_empty());
    child
}

/// A closed terminal sends SIGHUP; `kill -QUIT` (Ctrl-\) sends SIGQUIT:
/// both must stop the cluster and remove its directory like Ctrl-C.
#[test]
fn sighup_and_sigquit_stop_the_embedded_cluster() {
    let p = project();
    for (sig, code) in [(libc::SIGHUP, 129), (libc::SIGQUIT, 131)] {
        let root = private_tmp();
        let mut child = spawn_dev(p.path(), root.path());
        // SAFETY: plain kill of our own child's process group.
        unsafe { libc::kill(-(child.id() as i32), sig) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "signal {sig}: {status:?}");
        assert_nothing_left(root.path());
    }
}

/// `strata diff … | head -1` where head has already gone: no panic, no
/// cluster left, the exit status of a process killed by SIGPIPE.
#[test]
fn a_closed_stdout_neither_panics_nor_leaves_the_cluster() {
    let p = project();
    std::fs::create_dir_all(p.path().join("empty")).unwrap();
    let root = private_tmp();
    let mut fds = [0; 2];
    // SAFETY: pipe fills two fds we then own.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: fds[1] is ours and given away exactly once; fds[0] is closed
    // right away, so every write to the pipe fails with EPIPE.
    let write_end = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fds[1]) };
    unsafe { libc::close(fds[0]) };
    let out = strata()
        .current_dir(p.path())
        .env("STRATA_PG_RUN_ROOT", root.path())
        .args(["diff", "--from", "empty", "--to", "schema"])
        .stdout(Stdio::from(write_end))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert_nothing_left(root.path());
}
