//! Entry points for the fuzz targets under `fuzz/` and for
//! `tests/fuzz_regressions.rs`. Not API: hidden from the docs, no
//! stability promise.
//!
//! Each function takes arbitrary bytes, runs one of strata's input
//! readers on them (the same public functions the commands call) and
//! checks what that reader promises, panicking when a promise breaks. A
//! panic is therefore either a crash of the reader itself or a broken
//! property; the message says which. Living in the library (rather than
//! in the fuzz crate) lets the stable test suite replay saved crashes
//! through exactly the same checks, without libFuzzer.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use marked_yaml::types::{MarkedScalarNode, Marker, Span};
use marked_yaml::Node;

use crate::copy::Kind;
use crate::import::coerce::{self, Parse};
use crate::import::reader::{Dialect, Encoding, Record, Records};
use crate::model::Database;
use crate::seed::coltype::{text_form, ColType};
use crate::seed::generators::fake::LOCALES;
use crate::seed::generators::spec::{self as genspec, Ctx};
use crate::seed::SeedError;
use crate::spec::{SpecError, SpecIssue};

/// The repository root at build time: the schema the profile target
/// checks against, and where `one_of_file` paths resolve.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Largest value a template may render (bytes). Inputs are at most a few
/// KiB (libFuzzer's `-max_len`); a single cell of more than this from a
/// short template is an amplification the seed limits should refuse.
pub const MAX_TEMPLATE_OUTPUT: usize = 1 << 20;

// ---------------------------------------------------------------- YAML

/// Schema files (`schema/*.yaml`): decode + resolve. An accepted file
/// must also survive `pull`'s writer: the YAML written for the model
/// loads again, and from then on writing is a fixpoint. (Not from the
/// first write: the writer leaves out one-time hints such as
/// `renamed_from`, which can change a column's spelling once.)
pub fn yaml_schema(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = Path::new("fuzz.yaml");
    let db = match crate::spec::load_str(file, &text) {
        Ok(db) => db,
        Err(SpecError::Invalid(issues)) => return check_issues(&text, file, &issues),
        Err(e @ SpecError::Io { .. }) => panic!("load_str did I/O: {e}"),
    };
    let first = rewrite(&crate::spec::render_files(&db));
    let second = rewrite(&first);
    assert_eq!(first, second, "writing a reloaded schema changes the YAML");
}

/// Load the files `pull` wrote and write them again.
fn rewrite(written: &[(String, String)]) -> Vec<(String, String)> {
    let texts: Vec<(PathBuf, String)> = written
        .iter()
        .map(|(name, t)| (PathBuf::from(name), t.clone()))
        .collect();
    match crate::spec::load_texts(&texts) {
        Ok(db) => crate::spec::render_files(&db),
        Err(e) => panic!(
            "the YAML written for an accepted schema does not load:\n{e}\n--- written:\n{texts:#?}"
        ),
    }
}

/// Seed profiles (`seeds/*.yaml`), against the repository's schemas.
pub fn yaml_profile(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = Path::new("fuzz-profile.yaml");
    match crate::seed::profile::load_str(file, &text, profile_db(), Path::new(ROOT)) {
        Ok(_) => {}
        Err(SeedError::Invalid(issues)) => check_issues(&text, file, &issues),
        Err(e) => panic!("profile load_str failed without positions: {e}"),
    }
}

/// Import specs (`*.import.yaml`).
pub fn yaml_import_spec(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = Path::new("fixtures/fuzz.import.yaml");
    if let Err(issues) = crate::import::spec::load_str(file, &text) {
        check_issues(&text, file, &issues);
    }
}

/// The environment `yaml_config` expands `${VAR}`s from: every variable
/// is set to this (a stand-in for a password in `${PGPASSWORD}`) except
/// `UNSET*` ones.
pub const ENV_SECRET: &str = "EnvSecret-7f3a";

/// `strata.yaml`. Besides positions: no message or warning repeats a
/// password given in a URL (`://user:pw@`, `password=pw`, `?password=pw`)
/// or an expanded environment variable.
pub fn yaml_config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = Path::new("strata.yaml");
    let env = |name: &str| (!name.starts_with("UNSET")).then(|| ENV_SECRET.to_string());
    let messages: Vec<String> = match crate::config::Config::parse(file, &text, env) {
        Ok(cfg) => {
            check_positions(&text, file, &cfg.warnings);
            cfg.warnings.iter().map(|w| w.to_string()).collect()
        }
        Err(SpecError::Invalid(issues)) => {
            check_issues(&text, file, &issues);
            issues.iter().map(|i| i.to_string()).collect()
        }
        Err(e @ SpecError::Io { .. }) => panic!("Config::parse did I/O: {e}"),
    };
    let secrets = passwords_in(&text);
    for m in &messages {
        assert!(
            !m.contains(ENV_SECRET),
            "a message shows an environment variable's value: {m:?}"
        );
        for pw in &secrets {
            assert!(
                !m.contains(pw.as_str()),
                "a message shows the password {pw:?}: {m:?}"
            );
        }
    }
}

/// Passwords written in connection strings of `text`, those distinctive
/// enough that finding one in a message means it was copied there: at
/// least 6 characters, occurring once in the whole text.
fn passwords_in(text: &str) -> Vec<String> {
    static PATTERNS: OnceLock<regex::Regex> = OnceLock::new();
    let re = PATTERNS.get_or_init(|| {
        regex::Regex::new(r#"://[^:/@\s]*:([^@\s/?#]+)@|(?i:\bpassword)\s*=\s*'?([^\s'&#]+)"#)
            .expect("valid regex")
    });
    re.captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().to_string())
        .filter(|pw| pw.chars().count() >= 6 && text.matches(pw.as_str()).count() == 1)
        .collect()
}

/// Every issue names the file it was given and a position inside the
/// text (1-based line and column on an existing line, the column at
/// most one past its end), and says something.
fn check_issues(text: &str, file: &Path, issues: &[SpecIssue]) {
    assert!(!issues.is_empty(), "an error without any issue");
    check_positions(text, file, issues);
}

/// [`check_issues`] without requiring any.
fn check_positions(text: &str, file: &Path, issues: &[SpecIssue]) {
    let lines = line_lengths(text);
    for i in issues {
        assert_eq!(i.file, file, "issue names another file: {i}");
        assert!(
            !i.message.trim().is_empty(),
            "issue without a message: {i:?}"
        );
        assert!(
            i.line >= 1 && i.line <= lines.len(),
            "issue on line {} of a {}-line text: {i}",
            i.line,
            lines.len()
        );
        let len = lines[i.line - 1];
        assert!(
            i.column >= 1 && i.column <= len + 1,
            "issue at column {} of a {len}-character line: {i}",
            i.column
        );
    }
}

/// Characters of each line, lines ending at CRLF, CR or LF (YAML's line
/// breaks); the text after the last break is a line too.
fn line_lengths(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(0);
            }
            _ => *out.last_mut().expect("never empty") += 1,
        }
    }
    out
}

/// The schemas of the repository and its examples, as one model (the
/// profile corpus comes from their `seeds/`).
fn profile_db() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| {
        let root = Path::new(ROOT);
        let mut dirs = vec![root.join("schema")];
        for ex in ["imagemanager", "monitoring", "vividshift"] {
            dirs.push(root.join("examples").join(ex).join("schema"));
        }
        let mut texts = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            files.sort();
            for f in files {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    texts.push((f, t));
                }
            }
        }
        crate::spec::load_texts(&texts)
            .or_else(|_| crate::spec::load_dir(&root.join("schema")))
            .unwrap_or_default()
    })
}

// ----------------------------------------------------------------- CSV

/// The CSV reader fed in reads of varying sizes, then every field
/// coerced to every column kind. Input layout: byte 0 picks the dialect
/// and parsing options, byte 1 seeds the read sizes, the rest is the CSV.
///
/// Checks: the records' raw bytes, with the CR/LF runs the reader passes
/// over between them, rebuild the input exactly; each record's line is
/// 1 + the `\n`s before its first byte (so lines never decrease);
/// `offset()` follows; the fields are the `csv` crate's for the same
/// dialect; only the last record can have an open quote.
pub fn csv_import(data: &[u8]) {
    let (Some(&opts), Some(&seed)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = &data[2..];
    let dialect = Dialect {
        delimiter: [b',', b';', b'\t', b'|'][(opts & 3) as usize],
        quote: [b'"', b'\''][((opts >> 2) & 1) as usize],
        escape: [None, Some(b'\\'), None, Some(b'"')][((opts >> 3) & 3) as usize],
        encoding: [Encoding::Utf8, Encoding::Windows1252][((opts >> 5) & 1) as usize],
    };
    let parse = if opts & 0x40 != 0 {
        Parse {
            formats: vec!["%d/%m/%Y".into(), "%Y%m%d %H%M%S".into(), "%s".into()],
            separator: Some(if opts & 0x80 != 0 { ";" } else { "|" }.into()),
        }
    } else {
        Parse::default()
    };
    let src = Dribble {
        data: input.to_vec(),
        at: 0,
        state: u64::from(seed) | 1,
        big: seed & 0x80 != 0,
    };
    let mut records = Records::new(Box::new(src), dialect);
    let mut at = 0usize;
    let mut last_line = 0;
    let mut fields = Vec::new();
    let mut rec = Record::default();
    let mut open_quote_seen = false;
    while records.next_into(&mut rec).expect("reading from memory") {
        assert!(!open_quote_seen, "a record after one with an open quote");
        open_quote_seen = rec.unterminated_quote;
        let gap = &input[at..];
        let skip = gap
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        assert!(
            gap[skip..].starts_with(&rec.raw),
            "record raw bytes {:?} are not the input at offset {}",
            String::from_utf8_lossy(&rec.raw),
            at + skip
        );
        assert!(
            !rec.raw.is_empty(),
            "an empty record at offset {}",
            at + skip
        );
        let line = 1 + input[..at + skip].iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(
            rec.line,
            line,
            "record at offset {} has the wrong line",
            at + skip
        );
        assert!(rec.line >= last_line, "lines went back");
        last_line = rec.line;
        at += skip + rec.raw.len();
        assert_eq!(records.offset(), at as u64, "offset() after the record");
        coerce_all(&rec, dialect.encoding, &parse);
        fields.push(rec.fields.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
    }
    // A byte-order mark alone is an empty file.
    let rest = match input[at..].strip_prefix(b"\xEF\xBB\xBF") {
        Some(after) if at == 0 => after,
        _ => &input[at..],
    };
    assert!(
        rest.iter().all(|&b| b == b'\n' || b == b'\r'),
        "input bytes after the last record were dropped: {:?}",
        String::from_utf8_lossy(&input[at..])
    );
    let escape = dialect.escape.filter(|&e| e != dialect.quote);
    let mut want = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .escape(escape)
        .double_quote(escape.is_none())
        .from_reader(input);
    let want: Vec<Vec<Vec<u8>>> = want
        .byte_records()
        .map(|r| r.expect("csv crate").iter().map(<[u8]>::to_vec).collect())
        .collect();
    assert_eq!(fields, want, "fields differ from the csv crate's");
}

/// Column kinds every field is coerced to.
fn kinds() -> &'static [Kind] {
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let scalars = vec![
            Kind::Bool,
            Kind::Int2,
            Kind::Int4,
            Kind::Int8,
            Kind::Float4,
            Kind::Float8,
            Kind::Numeric(Some((10, 2))),
            Kind::Text { max_chars: Some(5) },
            Kind::Bytea,
            Kind::Uuid,
            Kind::Date,
            Kind::Time,
            Kind::Timestamp,
            Kind::TimestampTz,
            Kind::Jsonb,
            Kind::Enum(vec!["a".into(), "b".into()]),
        ];
        let mut all = scalars.clone();
        all.extend(scalars.into_iter().map(|k| Kind::Array {
            elem_oid: 0,
            elem: Box::new(k),
        }));
        all
    })
}

fn coerce_all(rec: &Record, encoding: Encoding, parse: &Parse) {
    for field in rec.fields.iter() {
        let Ok(text) = coerce::decode(field, encoding) else {
            continue;
        };
        if coerce::is_null(&text) {
            continue;
        }
        for kind in kinds() {
            let _ = coerce::value_with(&text, kind, parse);
        }
    }
}

/// A reader handing out the input a few bytes at a time (sizes from a
/// small LCG), or in large reads when `big`.
struct Dribble {
    data: Vec<u8>,
    at: usize,
    state: u64,
    big: bool,
}

impl Read for Dribble {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (self.state >> 33) as usize;
        let want = if self.big { r % 70_000 + 1 } else { r % 7 + 1 };
        let n = want.min(out.len()).min(self.data.len() - self.at);
        out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

// ----------------------------------------------------------------- SQL

/// The migration statement splitter. Checks: each statement is the
/// input's text at its offset, non-empty, starting with code (not
/// whitespace or a comment) and without trailing whitespace; statements
/// come in order without overlapping; between them there is nothing but
/// whitespace, `;` and comments; and a statement split again is itself.
pub fn split_sql(data: &[u8]) {
    let sql = String::from_utf8_lossy(data);
    let stmts = crate::migrate::split::statements(&sql);
    let sets_standard_strings = sql
        .to_ascii_lowercase()
        .contains("standard_conforming_strings");
    let mut end = 0;
    for s in &stmts {
        assert!(
            s.offset >= end,
            "statement at {} overlaps the previous one",
            s.offset
        );
        assert!(
            sql.get(s.offset..s.offset + s.sql.len()) == Some(s.sql),
            "statement {:?} is not the input at offset {}",
            s.sql,
            s.offset
        );
        assert!(!s.sql.is_empty(), "empty statement at {}", s.offset);
        assert!(
            !s.sql.ends_with(|c: char| c.is_ascii() && pg_space(c as u8)),
            "trailing whitespace kept"
        );
        let gap = &sql[end..s.offset];
        assert!(
            only_separators(gap),
            "code lost between statements: {gap:?}"
        );
        // Alone, a statement is read with standard_conforming_strings on;
        // after a `SET standard_conforming_strings` in the file it may
        // not have been.
        let again = crate::migrate::split::statements(s.sql);
        assert!(
            sets_standard_strings
                || (again.len() == 1 && again[0].offset == 0 && again[0].sql == s.sql),
            "statement {:?} splits again into {again:?}",
            s.sql
        );
        end = s.offset + s.sql.len();
    }
    let tail = &sql[end..];
    assert!(
        only_separators(tail),
        "code lost after the last statement: {tail:?}"
    );
}

/// PostgreSQL's whitespace (`space` in its lexer; `\v` since 16).
/// Anything else, U+00A0 included, is part of a token.
fn pg_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
}

/// PostgreSQL whitespace, `;`, `-- …` and (nested) `/* … */` comments
/// only. A `/*` left open is not a separator: the splitter sends it, so
/// that PostgreSQL refuses the file as it would have.
fn only_separators(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if pg_space(b[i]) || b[i] == b';' {
            i += 1;
        } else if b[i..].starts_with(b"--") {
            // Ends at `\n` or `\r`, as in PostgreSQL's lexer.
            i = b[i..]
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .map_or(b.len(), |p| i + p + 1);
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            if depth > 0 {
                return false;
            }
        } else {
            return false;
        }
    }
    true
}

// ------------------------------------------------------------ template

/// A column generator as a profile writes it in a scalar (a template
/// when it has a `{`, else a generator name), decoded as the profile
/// loader does for a `text` column, then rendered for a few rows with
/// fixed random streams. Byte 0 picks the locale and a large row number;
/// the rest is the text. Checks: no panic, problems at a position inside
/// the text, every value at most [`MAX_TEMPLATE_OUTPUT`] bytes.
pub fn seed_template(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let file = Path::new("fuzz-template.yaml");
    let span = Span::new_start(Marker::new(0, 0, 1, 1));
    let node = Node::Scalar(MarkedScalarNode::new(span, text.as_ref()));
    let mut r = crate::spec::yaml::Reader::new(file, &text);
    let ctx = Ctx::new(LOCALES[pick as usize % LOCALES.len()].1, Path::new(ROOT));
    let decoded = genspec::decode(&mut r, &node, &ColType::Text { max: None }, &ctx);
    if !r.issues.is_empty() {
        check_issues(&text, file, &r.issues);
        return;
    }
    let Some(gen) = decoded.and_then(|c| c.gen) else {
        return;
    };
    // Rows a profile can reach (row counts are far below 2^40).
    let far = 1u64 << (pick % 40);
    for row in [0, 1, 2, far] {
        let mut rng = crate::seed::rng::cell_rng(0x5eed, row, 0);
        let value = text_form(&gen.generate(&mut rng, row));
        assert!(
            value.len() <= MAX_TEMPLATE_OUTPUT,
            "a {}-byte template renders {} bytes for row {row}",
            text.len(),
            value.len()
        );
    }
}
