//! Hostile identifiers (issue 10): names holding newlines, carriage
//! returns, quotes, `--`, `$$`, `;`, escape sequences and Unicode line
//! separators must never run as SQL (through a `--` comment strata writes),
//! never forge a line or a terminal escape in a message, and must survive
//! YAML → generate → migrate → pull → plan unchanged.

mod common;

use std::path::Path;
use std::process::Output;

use common::runner::{strata, text};

/// `strata ARGS…` in `project`, shadows on the test binary's server.
fn run(project: &Path, dev_url: &str, args: &[&str]) -> Output {
    strata()
        .current_dir(project)
        .env("STRATA_PG_BINDIR", "/nonexistent")
        .args(args)
        .args(["--dev-url", dev_url])
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn write_schema(project: &Path, yaml: &str) {
    let dir = project.join("schema");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.yaml"), yaml).unwrap();
}

/// Every file under `dir`, recursively, as (path, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            out.push((p.display().to_string(), t));
        }
    }
    out
}

/// The `--` comments of `sql` as PostgreSQL's lexer finds them (outside
/// quotes, string literals, dollar quotes and block comments), each with
/// the character that ends it.
fn line_comments(sql: &str) -> Vec<(String, Option<char>)> {
    let c: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            q @ ('\'' | '"') => {
                let backslash = q == '\'' && i > 0 && matches!(c[i - 1], 'E' | 'e');
                i += 1;
                while i < c.len() {
                    let escaped = backslash && c[i] == '\\';
                    if escaped || (c[i] == q && c.get(i + 1) == Some(&q)) {
                        i += 2;
                    } else if c[i] == q {
                        break;
                    } else {
                        i += 1;
                    }
                }
                i += 1;
            }
            '-' if c.get(i + 1) == Some(&'-') => {
                let start = i;
                while i < c.len() && c[i] != '\n' && c[i] != '\r' {
                    i += 1;
                }
                out.push((c[start..i].iter().collect(), c.get(i).copied()));
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i + 1 < c.len() {
                    if c[i] == '/' && c[i + 1] == '*' {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c[i + 1] == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            '$' => {
                let rest: String = c[i + 1..].iter().collect();
                let tag_len = rest
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len());
                if rest[tag_len..].starts_with('$') {
                    let delim = format!("${}$", &rest[..tag_len]);
                    let body = &rest[tag_len + 1..];
                    let skip = body.find(&delim).map_or(body.len(), |p| p + delim.len());
                    i += 1 + tag_len + 1 + body[..skip].chars().count();
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// No statement of `sql` (split the way `migrate` splits) may be the
/// injected one, and every `--` comment must end at a newline (not a CR,
/// which a text editor does not show as a line break) and hold nothing a
/// reader takes for a line break or a terminal takes for a command.
fn assert_nothing_injected(what: &str, sql: &str) {
    for st in strata::migrate::split::statements(sql) {
        assert!(
            !st.sql.starts_with("DROP TABLE IF EXISTS keep.canary"),
            "{what}: the name's payload became a statement:\n{sql}"
        );
    }
    for (comment, end) in line_comments(sql) {
        assert!(
            matches!(end, None | Some('\n'))
                && !comment
                    .chars()
                    .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
            "{what}: a comment holds or ends at a control character: {comment:?}\n{sql}"
        );
    }
}

/// The reported exploit: a table named `tn⏎DROP TABLE IF EXISTS canary;⏎--`
/// put its name into the lock note of an index change, and `migrate`
/// dropped `canary`.
#[tokio::test]
async fn a_name_with_newlines_cannot_run_sql_through_a_comment() {
    let (db, client) = common::fresh_db("hostile").await;
    let url = db.target.url();
    // In a schema the YAML does not mention: strata leaves it alone.
    common::exec(
        &client,
        "CREATE SCHEMA keep; CREATE TABLE keep.canary (id int)",
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    // Quoted in the dotted-name syntax, so the dot is part of the name.
    let table = r#""\"tn\nDROP TABLE IF EXISTS keep.canary;\n--\"""#;
    write_schema(
        p,
        &format!("tables:\n  {table}:\n    columns:\n      id: int primary key\n      a: int\n"),
    );
    ok(&run(p, &url, &["generate", "initial"]));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    // An ordinary index change on the existing table: its lock note names
    // the table.
    write_schema(
        p,
        &format!(
            "tables:\n  {table}:\n    columns:\n      id: int primary key\n      a: int\n    \
             indexes:\n      - {{columns: [a]}}\n    checks:\n      - a > 0\n"
        ),
    );
    let plan = run(p, &url, &["plan", "--database-url", &url]);
    ok(&plan);
    assert_nothing_injected("plan", &text(&plan.stdout));
    ok(&run(p, &url, &["generate", "index"]));
    for (path, sql) in files(&p.join("migrations")) {
        assert_nothing_injected(&path, &sql);
    }
    let dry = common::runner::migrate(&p.join("migrations"), &url, &["--dry-run"]);
    ok(&dry);
    assert_nothing_injected("migrate --dry-run", &text(&dry.stdout));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let canary = common::strings(
        &client,
        "SELECT count(*)::text FROM pg_class WHERE oid = to_regclass('keep.canary')",
    )
    .await;
    assert_eq!(canary, vec!["1"], "the canary table was dropped");
}

/// Names holding newlines, CR, quotes, `--`, `$$`, `;`, ESC and U+2028 in
/// every position strata names things: schema, enum (and its labels),
/// table, column, unique, check, index, foreign key, aggregate.
const HOSTILE_SCHEMA: &str = r#"
schemas: ["s\n--;$$"]
aggregates:
  "\"s\n--;$$\".\"agg\n--;$$\"(*)": {sfunc: int8inc, stype: bigint, initcond: "0", comment: "c\n--;$$'"}
enums:
  "\"s\n--;$$\".\"mood\r\n--\"": ["ok\n--", "it's", "$$;", "\"q\"", "\e[2J"]
tables:
  "\"tn\nDROP TABLE IF EXISTS keep.canary;\n--\"":
    columns:
      id: int primary key
      "c\"q'--;$$\r\n x": {type: int, not_null: true}
      "m\u2028\e[31m": {type: "\"s\n--;$$\".\"mood\r\n--\""}
    unique:
      - {columns: ["c\"q'--;$$\r\n x"], name: "u\n--;$$"}
    checks:
      - {name: "ck\n\"--", expression: "\"c\"\"q'--;$$\r\n x\" > 0"}
    indexes:
      - {name: "i\n--;$$ /*", columns: ["\"m\u2028\e[31m\""]}
  "\"s\n--;$$\".\"p;$$\"":
    columns:
      id: int primary key
      "t\nid": int
    foreign_keys:
      - {columns: ["t\nid"], references: "\"tn\nDROP TABLE IF EXISTS keep.canary;\n--\"(id)", name: "fk\r--"}
"#;

/// YAML → generate → migrate → pull → plan: nothing left to do, every name
/// exactly as declared, and nothing the names hold ran as SQL.
#[tokio::test]
async fn hostile_names_round_trip() {
    let (db, client) = common::fresh_db("hostile_rt").await;
    let url = db.target.url();
    common::exec(
        &client,
        "CREATE SCHEMA keep; CREATE TABLE keep.canary (id int)",
    )
    .await;
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    write_schema(p, HOSTILE_SCHEMA);
    ok(&run(p, &url, &["generate", "initial"]));
    for (path, sql) in files(&p.join("migrations")) {
        assert_nothing_injected(&path, &sql);
    }
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let again = run(p, &url, &["generate", "again"]);
    ok(&again);
    assert!(
        text(&again.stderr).contains("No changes"),
        "{}",
        text(&again.stderr)
    );
    let plan = run(p, &url, &["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    // The names in the database are the declared ones, byte for byte.
    let mut names = common::strings(
        &client,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'keep', 'pg_toast') \
           AND c.relname NOT LIKE 'refinery_schema_history%' ORDER BY 1",
    )
    .await;
    names.sort();
    let mut want = vec![
        "tn\nDROP TABLE IF EXISTS keep.canary;\n--",
        "tn\nDROP TABLE IF EXISTS keep.canary;\n--_pkey",
        "p;$$",
        "p;$$_pkey",
        "u\n--;$$",
        "i\n--;$$ /*",
    ];
    want.sort();
    assert_eq!(names, want);
    let labels = common::strings(
        &client,
        "SELECT e.enumlabel::text FROM pg_enum e ORDER BY e.enumsortorder",
    )
    .await;
    assert_eq!(labels, vec!["ok\n--", "it's", "$$;", "\"q\"", "\u{1b}[2J"]);
    let aggregates = common::strings(
        &client,
        "SELECT p.proname || '/' || obj_description(p.oid, 'pg_proc') FROM pg_proc p \
         WHERE p.prokind = 'a' AND p.pronamespace::regnamespace::text <> 'pg_catalog'",
    )
    .await;
    assert_eq!(aggregates, vec!["agg\n--;$$/c\n--;$$'"]);
    // pull writes YAML that plans to nothing.
    let pulled = p.join("pulled");
    let out = strata()
        .args(["pull", "--database-url", &url, "--out"])
        .arg(&pulled)
        .output()
        .unwrap();
    ok(&out);
    let plan = run(
        p,
        &url,
        &[
            "plan",
            "--exit-code",
            "--database-url",
            &url,
            "--schema",
            "pulled",
        ],
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );

    // Changes on the existing tables: lock notes and data-loss comments
    // quote the names, the down file's header lists what it cannot restore.
    let changed = HOSTILE_SCHEMA
        .replace(
            "      \"m\\u2028\\e[31m\": {type: \"\\\"s\\n--;$$\\\".\\\"mood\\r\\n--\\\"\"}\n",
            "",
        )
        .replace(
            "      - {name: \"i\\n--;$$ /*\", columns: [\"\\\"m\\u2028\\e[31m\\\"\"]}\n",
            "      - {columns: [id, \"c\\\"q'--;$$\\r\\n x\"]}\n",
        );
    assert_ne!(changed, HOSTILE_SCHEMA);
    write_schema(p, &changed);
    // Refused: the message lists the loss, one line per item, no escapes
    // reach the terminal.
    let refused = run(p, &url, &["generate", "drop"]);
    assert_eq!(refused.status.code(), Some(3), "{}", text(&refused.stderr));
    let err = text(&refused.stderr);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{2028}'),
        "{err:?}"
    );
    for l in err.lines() {
        assert!(
            l.starts_with("error: ") || l.starts_with("  - ") || l.starts_with("warning: "),
            "a forged line in {err:?}"
        );
    }
    ok(&run(p, &url, &["generate", "drop", "--allow-destructive"]));
    let files = files(&p.join("migrations"));
    for (path, sql) in &files {
        assert_nothing_injected(path, sql);
    }
    let down = &files
        .iter()
        .find(|(path, _)| path.ends_with("down/V2__drop.sql"))
        .expect("a down file")
        .1;
    assert!(
        down.contains("-- strata:destructive: V2__drop drops column \"tn\\nDROP TABLE IF EXISTS keep.canary;\\n--\".\"m\\u{2028}\\u{1b}[31m\" and its data"),
        "{down}"
    );
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let plan = run(p, &url, &["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    let dry = strata()
        .args([
            "rollback",
            "--dry-run",
            "--allow-destructive",
            "--database-url",
            &url,
        ])
        .arg("--migrations")
        .arg(p.join("migrations"))
        .output()
        .unwrap();
    ok(&dry);
    assert_nothing_injected("rollback --dry-run", &text(&dry.stdout));
    let back = strata()
        .args([
            "rollback",
            "--allow-destructive",
            "--database-url",
            &url,
            "--migrations",
        ])
        .arg(p.join("migrations"))
        .output()
        .unwrap();
    ok(&back);
    write_schema(p, HOSTILE_SCHEMA);
    let plan = run(p, &url, &["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    let canary = common::strings(
        &client,
        "SELECT count(*)::text FROM pg_class WHERE oid = to_regclass('keep.canary')",
    )
    .await;
    assert_eq!(canary, vec!["1"], "the canary table was dropped");
}

/// A YAML error quoting hostile names stays one line per issue and sends
/// no escape sequence to the terminal.
#[test]
fn messages_quoting_hostile_names_cannot_forge_lines_or_escapes() {
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    write_schema(
        p,
        "tables:\n  \"t\\e]0;owned\\a\":\n    columns:\n      id: int\n    \
         unique: [\"nope\\nerror: forged\\r\\u2028\\e[2J\"]\n",
    );
    let out = strata()
        .current_dir(p)
        .env("STRATA_PG_BINDIR", "/nonexistent")
        .args(["generate", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        !err.chars()
            .any(|c| c != '\n' && (c.is_control() || c == '\u{2028}')),
        "{err:?}"
    );
    // One `error:` line; the rest is the source snippet, every line of
    // it behind the `N |` gutter, so nothing can pass for a line of its own.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err:?}"
    );
    assert!(lines[0].starts_with("error:"), "{err:?}");
    for l in &lines[1..] {
        let gutter = l
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit());
        assert!(
            gutter.starts_with(" |") || gutter.starts_with('|'),
            "{l:?} in {err:?}"
        );
    }
    assert!(
        err.contains("nope\\nerror: forged\\r\\u{2028}\\u{1b}[2J"),
        "{err:?}"
    );
}

/// PostgreSQL keeps 63 bytes of a name and drops the rest with a NOTICE,
/// so two declared names can become one object. Every name the YAML
/// declares longer than that is refused where it is written (exit 4,
/// nothing touched), bytes counted in UTF-8.
#[test]
fn names_over_63_bytes_are_refused_where_declared() {
    let long = |c: &str, n: usize| c.repeat(n);
    let yaml = format!(
        "schemas: [{s}]\n\
         enums:\n  {e}: [ok, {l}]\n\
         tables:\n  {t}:\n    columns:\n      id: int primary key\n      \
         renamed: {{type: int, renamed_from: {r}}}\n  \
         ok63_{ok}:\n    columns:\n      id: int\n      {c}: int\n      {u}: int\n    \
         primary_key: {{columns: [id], name: {p}}}\n    \
         indexes:\n      - {{name: {i}, columns: [id]}}\n    \
         checks:\n      - {{name: {k}, expression: \"id > 0\"}}\n",
        s = long("s", 64),
        e = long("e", 64),
        l = long("l", 64),
        t = long("t", 64),
        r = long("r", 64),
        ok = long("o", 58),
        c = long("c", 64),
        u = long("é", 32),
        p = long("p", 64),
        i = long("i", 64),
        k = long("k", 64),
    );
    let project = tempfile::tempdir().unwrap();
    write_schema(project.path(), &yaml);
    let out = strata()
        .current_dir(project.path())
        .env("STRATA_PG_BINDIR", "/nonexistent")
        .args(["generate", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    for (line, col, name) in [
        (1, 11, "s"),
        (3, 3, "e"),
        (3, 74, "l"),
        (5, 3, "t"),
        (8, 7, "r"),
        (12, 7, "c"),
        (13, 7, "é"),
        (14, 18, "p"),
        (16, 9, "i"),
        (18, 9, "k"),
    ] {
        let prefix = format!("schema/s.yaml:{line}:{col}: ");
        let issue = err
            .lines()
            .find(|l| l.trim_start_matches("error: ").starts_with(&prefix))
            .unwrap_or_else(|| panic!("no issue at {prefix} for {name}:\n{err}"));
        assert!(
            issue.contains("64 bytes") && issue.contains("63"),
            "{issue}"
        );
    }
    assert!(
        !err.contains(&long("o", 58)),
        "a 63-byte name is fine:\n{err}"
    );
}

/// Names PostgreSQL derives from long ones (a 63-byte table's `…_pkey`,
/// `…_seq`, `…_key`, `…_check`, `…_idx`, and the `…1` it adds when two
/// collide) are cut the way PostgreSQL cuts them: the schema is valid,
/// and strata's own guesses of those names agree with the server's.
#[tokio::test]
async fn names_derived_from_63_byte_names_agree_with_postgres() {
    let (db, client) = common::fresh_db("long_names").await;
    let url = db.target.url();
    let t = "t".repeat(63);
    let (a, b) = (
        format!("{}1", "a".repeat(40)),
        format!("{}2", "a".repeat(40)),
    );
    let e = "e".repeat(63);
    let yaml = |labels: &str| {
        format!(
            "enums:\n  {e}: [{labels}]\n\
             tables:\n  {t}:\n    columns:\n      id: serial primary key\n      \
             n: {{type: serial, sequence: {{start: 100}}}}\n      {a}: int\n      {b}: int\n      \
             mood: {e}\n    \
             unique:\n      - {{columns: [{a}], comment: first}}\n      \
             - {{columns: [{b}], comment: second}}\n    \
             checks:\n      - {{expression: \"{a} > 0\", comment: positive}}\n    \
             indexes:\n      - {{columns: [{a}, {b}], comment: both}}\n      - {{columns: [{b}, {a}]}}\n"
        )
    };
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    write_schema(p, &yaml("x, y"));
    ok(&run(p, &url, &["generate", "initial"]));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let plan = run(p, &url, &["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    // The second unique constraint's default name collides with the first
    // once cut: PostgreSQL numbers the label (`key1`) and cuts again.
    let mut names = common::strings(
        &client,
        "SELECT conname::text FROM pg_constraint WHERE contype = 'u' AND connamespace = 'public'::regnamespace",
    )
    .await;
    names.sort();
    let mut want = vec![
        format!("{}_{}_key", &t[..29], &a[..29]),
        format!("{}_{}_key1", &t[..29], &b[..28]),
    ];
    want.sort();
    assert_eq!(names, want);
    // pull omits the names PostgreSQL would choose, and still plans empty.
    let out = strata()
        .args(["pull", "--database-url", &url, "--out"])
        .arg(p.join("pulled"))
        .output()
        .unwrap();
    ok(&out);
    let plan = run(
        p,
        &url,
        &[
            "plan",
            "--exit-code",
            "--database-url",
            &url,
            "--schema",
            "pulled",
        ],
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    // Removing an enum label rebuilds the type through a temporary name
    // derived from the 63-byte one.
    write_schema(p, &yaml("x"));
    ok(&run(
        p,
        &url,
        &["generate", "drop_y", "--allow-destructive"],
    ));
    ok(&common::runner::migrate(&p.join("migrations"), &url, &[]));
    let plan = run(p, &url, &["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
}

/// A table or column named in an import or a seed profile with more than
/// 63 bytes can never be the name of anything: PostgreSQL would cut it
/// and match the 63-byte table, so it is refused with a reason instead.
#[tokio::test]
async fn import_and_seed_refuse_names_over_63_bytes() {
    let (db, client) = common::fresh_db("long_refs").await;
    let url = db.target.url();
    let t63 = "t".repeat(63);
    let c63 = "c".repeat(63);
    common::exec(&client, &format!("CREATE TABLE {t63} (id int, {c63} int)")).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, format!("id,{c63}\n1,2\n")).unwrap();
    let t64 = format!("{t63}x");
    let out = strata()
        .args(["import", &t64])
        .arg(&csv)
        .args(["--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("64 bytes"),
        "{}",
        text(&out.stderr)
    );
    let rows = common::strings(&client, &format!("SELECT count(*)::text FROM {t63}")).await;
    assert_eq!(
        rows,
        vec!["0"],
        "the 64-byte name loaded into the 63-byte table"
    );
    // In an import spec: the table, and a column.
    let spec = dir.path().join("in.import.yaml");
    std::fs::write(&spec, format!("table: {t64}\nfile: in.csv\n")).unwrap();
    let out = strata()
        .args(["import", "--spec"])
        .arg(&spec)
        .args(["--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("in.import.yaml:1:8:") && err.contains("64 bytes"),
        "{err}"
    );
    std::fs::write(
        &spec,
        format!("table: {t63}\nfile: in.csv\ncolumns:\n  {c63}x: {{from: {c63}}}\n"),
    )
    .unwrap();
    let out = strata()
        .args(["import", "--spec"])
        .arg(&spec)
        .args(["--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("in.import.yaml:4:3:") && err.contains("64 bytes"),
        "{err}"
    );
    // A seed profile: the table, and a column.
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(
        seeds.join("dev.yaml"),
        format!("tables:\n  {t64}:\n    rows: 1\n  {t63}:\n    rows: 1\n    columns:\n      {c63}x: {{uniform: [1, 2]}}\n"),
    )
    .unwrap();
    let out = strata()
        .args(["seed", "--database-url", &url, "--seeds"])
        .arg(&seeds)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("dev.yaml:2:3:") && err.contains("64 bytes"),
        "{err}"
    );
    assert!(
        err.contains("dev.yaml:7:7:") && err.contains("64 bytes"),
        "{err}"
    );
}
