//! Splitting a migration file into statements (for migrations that run
//! outside a transaction, one statement at a time) and mapping positions to
//! line numbers. The lexical corners are [`super::lex`]'s; on top of them a
//! `;` ends a statement only outside parentheses (`CREATE RULE … DO ALSO
//! (…; …)`) and outside the `BEGIN ATOMIC … END` body of a
//! `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (where `CASE … END` nests),
//! the rules psql uses. `SET [SESSION] standard_conforming_strings` and
//! `RESET` in the file are followed for the statements after them; the
//! file is assumed to start with it on (PostgreSQL's default since 9.1).

use super::lex::{Kind, Lexer, Token};

/// A statement and the byte offset where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt<'a> {
    pub offset: usize,
    pub sql: &'a str,
}

/// What the splitter knows about the statement being read.
#[derive(Default)]
struct Current {
    /// Where its code starts (first token not a comment or whitespace).
    code: Option<usize>,
    /// Its first few significant tokens, lower-cased words and values.
    head: Vec<String>,
    parens: usize,
    /// Open `BEGIN ATOMIC` (and `CASE` inside one) blocks.
    atomic: usize,
}

const HEAD: usize = 6;

impl Current {
    fn routine(&self) -> bool {
        let h: Vec<&str> = self.head.iter().map(String::as_str).collect();
        matches!(
            h.as_slice(),
            ["create", "function" | "procedure", ..]
                | ["create", "or", "replace", "function" | "procedure", ..]
        )
    }

    /// `Some(on)` when the statement sets `standard_conforming_strings`
    /// for the session.
    fn sets_standard_strings(&self) -> Option<bool> {
        let h: Vec<&str> = self.head.iter().map(String::as_str).collect();
        let value = match h.as_slice() {
            ["reset", "standard_conforming_strings" | "all", ..] => return Some(true),
            ["set", "session", "standard_conforming_strings", "=" | "to", v, ..]
            | ["set", "standard_conforming_strings", "=" | "to", v, ..] => *v,
            _ => return None,
        };
        let v = value.trim_matches(|c| c == '\'' || c == '"');
        // PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0 and
        // unambiguous prefixes; `DEFAULT` is on.
        let off = ["off", "of", "0"].contains(&v)
            || (!v.is_empty() && ("false".starts_with(v) || "no".starts_with(v)));
        Some(!off)
    }
}

/// Statements of `sql`, without the terminating `;`; empty statements and
/// comment-only stretches are skipped.
pub fn statements(sql: &str) -> Vec<Stmt<'_>> {
    let mut lx = Lexer::new(sql);
    let mut out = Vec::new();
    let mut cur = Current::default();
    while let Some(t) = lx.next() {
        if t.kind == Kind::Comment && cur.code.is_none() && unterminated(lx.text(t)) {
            // A `/*` never closed after the last statement: PostgreSQL
            // refuses the file ("unterminated /* comment"); sent as a
            // statement of its own, it still does, instead of whatever it
            // hides being dropped silently.
            cur.code = Some(t.start);
            continue;
        }
        if matches!(t.kind, Kind::Space | Kind::Comment) {
            continue;
        }
        if t.kind == Kind::Semicolon && cur.parens == 0 && cur.atomic == 0 {
            push(sql, &cur, t.start, &mut out);
            if let Some(on) = cur.sets_standard_strings() {
                lx.standard_strings = on;
            }
            cur = Current::default();
            continue;
        }
        cur.code.get_or_insert(t.start);
        if cur.head.len() < HEAD {
            cur.head.push(lx.text(t).to_lowercase());
        }
        match t.kind {
            Kind::Open => cur.parens += 1,
            Kind::Close => cur.parens = cur.parens.saturating_sub(1),
            Kind::Word if cur.parens == 0 => track_atomic(&lx, t, &mut cur),
            _ => {}
        }
    }
    push(sql, &cur, sql.len(), &mut out);
    out
}

/// A block comment whose `/*`s are not all closed (it runs to the end).
fn unterminated(comment: &str) -> bool {
    let b = comment.as_bytes();
    if !b.starts_with(b"/*") {
        return false;
    }
    let (mut depth, mut i) = (0usize, 0);
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i < b.len();
            }
        } else {
            i += 1;
        }
    }
    true
}

/// `BEGIN ATOMIC` opens a body in a routine definition; inside it `CASE`
/// opens and `END` closes a level.
fn track_atomic(lx: &Lexer<'_>, t: Token, cur: &mut Current) {
    let word = lx.text(t);
    if word.eq_ignore_ascii_case("begin") {
        let atomic = lx
            .peek_significant()
            .is_some_and(|n| n.kind == Kind::Word && lx.text(n).eq_ignore_ascii_case("atomic"));
        if atomic && cur.routine() {
            cur.atomic += 1;
        }
    } else if word.eq_ignore_ascii_case("case") && cur.atomic > 0 {
        cur.atomic += 1;
    } else if word.eq_ignore_ascii_case("end") {
        cur.atomic = cur.atomic.saturating_sub(1);
    }
}

fn push<'a>(sql: &'a str, cur: &Current, end: usize, out: &mut Vec<Stmt<'a>>) {
    if let Some(code) = cur.code {
        out.push(Stmt {
            offset: code,
            // PostgreSQL's whitespace only: a trailing U+00A0 belongs to
            // the last word (`RENAME TO x\u{a0}` names `x\u{a0}`).
            sql: sql[code..end]
                .trim_end_matches(|c: char| c.is_ascii() && super::lex::is_space(c as u8)),
        });
    }
}

/// 1-based line of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Byte offset of PostgreSQL's 1-based character `position` in `text`.
pub fn char_position_to_offset(text: &str, position: u32) -> usize {
    text.char_indices()
        .nth(position.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a `/*` left open after the last statement hid
    /// code that was then never sent, where PostgreSQL refuses the file.
    #[test]
    fn an_unterminated_comment_at_the_end_is_sent() {
        let sql = "CREATE TABLE a ();\n/* not closed\nDROP TABLE a;";
        let s = statements(sql);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1].sql, "/* not closed\nDROP TABLE a;");
        // Closed ones, nested ones and `--` comments stay separators.
        assert_eq!(statements("SELECT 1; /* a /* b */ c */ -- d\n").len(), 1);
        assert_eq!(statements("SELECT 1; /* a /* b */").len(), 2);
        assert_eq!(statements("--\r/*\nc").len(), 1);
    }

    #[test]
    fn splits_around_quotes_comments_and_dollar_bodies() {
        let sql = "CREATE TABLE a (x text DEFAULT ';');\n-- c; d\nINSERT INTO a VALUES (E'\\';'), ('it''s;');\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   /* a; /* nested; */ */ SELECT \"a;b\" FROM a;\n-- trailing comment only\n";
        let s: Vec<&str> = statements(sql).iter().map(|s| s.sql).collect();
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(s[1].starts_with("INSERT"), "{s:?}");
        assert!(s[2].contains("$body$ SELECT 1; $body$"), "{s:?}");
        assert!(s[3].starts_with("SELECT \"a;b\""), "{s:?}");
    }

    /// Names and literals may hold anything: a newline, `--`, `/*`, `;`,
    /// `$$` inside quotes is text, not syntax.
    #[test]
    fn quoted_names_and_literals_hold_comment_markers() {
        let sql = "CREATE TABLE \"t\n--;$$\" (\"c /* ;\" text DEFAULT '-- ; /* $$');\n\
                   CREATE INDEX \"i\r\nDROP TABLE x;\" ON \"t\n--;$$\" (\"c /* ;\");\n\
                   COMMENT ON TABLE \"t\n--;$$\" IS E'it\\'s -- not; $q$ a comment';\n\
                   SELECT 1;";
        let s: Vec<&str> = statements(sql).iter().map(|s| s.sql).collect();
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(s[1].starts_with("CREATE INDEX"), "{s:?}");
        assert!(s[1].ends_with("(\"c /* ;\")"), "{s:?}");
        assert!(s[2].starts_with("COMMENT ON"), "{s:?}");
        assert_eq!(s[3], "SELECT 1");
    }

    /// PostgreSQL ends a `--` comment at a carriage return too: what
    /// follows it is code.
    /// Whitespace is PostgreSQL's (found by fuzzing: a trailing U+00A0
    /// was trimmed off a name, and a lone `\v` made an empty statement);
    /// only `E` starting a token opens an escape string.
    #[test]
    fn whitespace_and_string_prefixes_are_postgresqls() {
        let s = statements("ALTER TABLE t RENAME TO x\u{a0};\x0b;\u{a0};");
        let sql: Vec<&str> = s.iter().map(|s| s.sql).collect();
        assert_eq!(sql, ["ALTER TABLE t RENAME TO x\u{a0}", "\u{a0}"]);
        let s = statements("SELECT date'C:\\';SELECT 2");
        let sql: Vec<&str> = s.iter().map(|s| s.sql).collect();
        assert_eq!(sql, ["SELECT date'C:\\'", "SELECT 2"]);
    }

    #[test]
    fn line_comments_end_at_carriage_returns() {
        let s: Vec<&str> = statements("-- c\rSELECT 1;\r-- d\rSELECT 2")
            .iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(s, vec!["SELECT 1", "SELECT 2"]);
    }

    fn split(sql: &str) -> Vec<&str> {
        statements(sql).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn begin_atomic_bodies_are_one_statement() {
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE CASE WHEN a < 0 THEN -1 END END;\n  SELECT 2;\nEND;\n\
                   create or replace procedure p() language sql begin atomic insert into t values (1); insert into t values (2); end;\n\
                   SELECT 3;";
        let s = split(sql);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("SELECT 2;\nEND"), "{s:?}");
        assert!(s[1].ends_with("values (2); end"), "{s:?}");
        assert_eq!(s[2], "SELECT 3");
        // BEGIN without ATOMIC (a function named begin, a transaction) and
        // CASE … END outside a body change nothing.
        let s = split("CREATE FUNCTION begin() RETURNS int AS 'SELECT 1' LANGUAGE sql; BEGIN; SELECT CASE WHEN true THEN 1 END; END;");
        assert_eq!(s.len(), 4, "{s:?}");
    }

    #[test]
    fn dollars_inside_identifiers_do_not_open_quotes() {
        let s = split(
            "CREATE TABLE a$b$c (x int);\nSELECT x FROM a$b$c;\nPREPARE q AS SELECT $1::int;",
        );
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[1], "SELECT x FROM a$b$c");
    }

    #[test]
    fn multi_action_rules_split_on_the_outer_semicolon_only() {
        let s = split("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO l VALUES (1); INSERT INTO l VALUES (2));\nCREATE RULE s AS ON UPDATE TO t DO INSTEAD (NOTHING);\nSELECT 1;");
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("VALUES (2))"), "{s:?}");
    }

    #[test]
    fn standard_conforming_strings_is_followed() {
        let s = split("SET standard_conforming_strings = off;\nSELECT 'a\\';b';\nRESET standard_conforming_strings;\nSELECT 'c\\';\nSELECT 1;");
        assert_eq!(
            s,
            vec![
                "SET standard_conforming_strings = off",
                "SELECT 'a\\';b'",
                "RESET standard_conforming_strings",
                "SELECT 'c\\'",
                "SELECT 1"
            ]
        );
        for (set, on) in [
            ("SET SESSION standard_conforming_strings TO 'false'", false),
            ("SET standard_conforming_strings = on", true),
            ("SET standard_conforming_strings TO 0", false),
            ("SET LOCAL standard_conforming_strings = off", true),
        ] {
            let sql = format!("{set}; SELECT '\\'; SELECT 2;");
            assert_eq!(split(&sql).len(), if on { 3 } else { 2 }, "{set}");
        }
    }

    #[test]
    fn unicode_identifiers_and_escape_strings() {
        let s = split("SELECT U&\"d\\0061t;\" FROM t; SELECT E'\\\\'; SELECT U&'\\0041;' UESCAPE '!'; SELECT 'é;' AS \"ü;\"");
        assert_eq!(s.len(), 4, "{s:?}");
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_pieces_are_slices() {
        let alphabet = [
            "$",
            "a",
            "$$",
            "'",
            "\"",
            ";",
            "(",
            ")",
            "--",
            "/*",
            "*/",
            "\n",
            "E'",
            "\\",
            "é",
            "begin atomic",
            "create function",
            "case",
            "end",
            "1",
            " ",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut sql = String::new();
            for _ in 0..(x % 24) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                sql.push_str(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            for st in statements(&sql) {
                assert!(sql[st.offset..].starts_with(st.sql), "{sql:?}");
            }
        }
    }

    #[test]
    fn positions_map_to_lines() {
        let sql = "SELECT 1;\nSELECT x FROM nowhere;";
        let st = statements(sql);
        assert_eq!(line_of(sql, st[1].offset), 2);
        assert_eq!(char_position_to_offset("aé b", 4), 4);
    }
}
