//! Splitting a migration file into statements (for migrations that run
//! outside a transaction, one statement at a time) and mapping positions to
//! line numbers. Knows PostgreSQL's lexical corners: '' and E'' strings,
//! "identifiers", $tag$ dollar quotes, -- and nested /* */ comments.

/// A statement and the byte offset where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt<'a> {
    pub offset: usize,
    pub sql: &'a str,
}

/// Statements of `sql`, without the terminating `;`; empty statements and
/// comment-only stretches are skipped.
pub fn statements(sql: &str) -> Vec<Stmt<'_>> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut start) = (0, 0);
    while i < b.len() {
        i = match b[i] {
            b'\'' => skip_quoted(b, i + 1, b'\'', i > 0 && matches!(b[i - 1], b'E' | b'e')),
            b'"' => skip_quoted(b, i + 1, b'"', false),
            b'-' if b.get(i + 1) == Some(&b'-') => skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => skip_block(b, i),
            b'$' => skip_dollar(sql, i),
            b';' => {
                push(sql, start, i, &mut out);
                start = i + 1;
                i + 1
            }
            _ => i + 1,
        };
    }
    push(sql, start, b.len(), &mut out);
    out
}

fn push<'a>(sql: &'a str, start: usize, end: usize, out: &mut Vec<Stmt<'a>>) {
    let text = &sql[start..end];
    if let Some(lead) = code_start(text) {
        out.push(Stmt {
            offset: start + lead,
            sql: text[lead..].trim_end(),
        });
    }
}

/// Where the code of `text` starts after whitespace and comments; `None`
/// when there is none.
fn code_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => i = skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block(b, i),
            _ => return Some(i),
        }
    }
    None
}

fn skip_quoted(b: &[u8], mut i: usize, q: u8, backslash: bool) -> usize {
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

/// A `--` comment runs to the end of the line; PostgreSQL's lexer ends it
/// at `\n` or `\r`.
fn skip_line(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |p| i + p + 1)
}

fn skip_block(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// `$tag$ … $tag$` (tag may be empty); a lone `$` (e.g. `$1`) is not one.
fn skip_dollar(sql: &str, i: usize) -> usize {
    let rest = &sql[i + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let tag = &rest[..tag_len];
    if !rest[tag_len..].starts_with('$') || tag.starts_with(|c: char| c.is_ascii_digit()) {
        return i + 1;
    }
    let delim = format!("${tag}$");
    let body = i + delim.len();
    match sql[body..].find(&delim) {
        Some(p) => body + p + delim.len(),
        None => sql.len(),
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
    #[test]
    fn line_comments_end_at_carriage_returns() {
        let s: Vec<&str> = statements("-- c\rSELECT 1;\r-- d\rSELECT 2")
            .iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(s, vec!["SELECT 1", "SELECT 2"]);
    }

    #[test]
    fn positions_map_to_lines() {
        let sql = "SELECT 1;\nSELECT x FROM nowhere;";
        let st = statements(sql);
        assert_eq!(line_of(sql, st[1].offset), 2);
        assert_eq!(char_position_to_offset("aé b", 4), 4);
    }
}
