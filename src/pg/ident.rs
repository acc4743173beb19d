//! Identifiers: quoting them, reading them back, PostgreSQL's length limit
//! and keyword list, and the dotted-name syntax of strata's own files.
//!
//! Two spellings of a name exist and must not be mixed up:
//! * **SQL text** (catalog definitions, `nextval('…')` arguments, a user's
//!   expressions): unquoted words are folded to lower case and a name that
//!   is not a plain lower-case word is double-quoted ([`quote_if_needed`],
//!   [`fold`], [`parse_sql_name`]);
//! * **strata's dotted names** (YAML keys and references, `--tables`,
//!   profile entries): every part is taken literally, quotes only protect a
//!   dot or a quote inside a part ([`split_dotted`], [`dotted_part`]).

use std::borrow::Cow;

use super::lex::{Kind, Lexer};

/// NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes.
pub const MAX_IDENT: usize = 63;

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary (PostgreSQL's `pg_mbcliplen`).
pub fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Why `name` cannot name anything in PostgreSQL (it is longer than an
/// identifier holds), for the messages of inputs that refer to objects
/// (import specs, seed profiles): `None` when it fits.
pub fn too_long(name: &str) -> Option<String> {
    (name.len() > MAX_IDENT).then(|| {
        format!(
            "\"{}…\" is {} bytes, and a PostgreSQL name holds at most {MAX_IDENT} \
             (longer ones are cut, so it could only match another object)",
            clip(name, MAX_IDENT),
            name.len()
        )
    })
}

/// `name` in double quotes, `"` doubled. strata quotes *every* identifier
/// it renders into SQL, so this is the quoting of generated DDL.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `name` as PostgreSQL's `quote_ident` (and so `format_type`,
/// `pg_get_expr`, `regclass` output) prints it: bare when it is a lower-case
/// word (`[a-z_][a-z0-9_]*`) that is not a keyword outside the unreserved
/// category, quoted otherwise. For matching PostgreSQL's own text.
pub fn quote_if_needed(name: &str) -> Cow<'_, str> {
    let safe = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if safe && keyword(name).is_none() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(quote(name))
    }
}

/// A bare word as PostgreSQL reads it: ASCII letters folded to lower case
/// (in UTF-8 databases nothing else is folded) and the result cut to
/// [`MAX_IDENT`] bytes (`downcase_truncate_identifier`).
pub fn fold(word: &str) -> String {
    clip(&word.to_ascii_lowercase(), MAX_IDENT).to_string()
}

/// The name inside a `"…"` token: `""` undoubled, cut to [`MAX_IDENT`]
/// bytes as PostgreSQL cuts quoted identifiers too.
pub fn unquote(token: &str) -> String {
    let inner = token
        .strip_prefix('"')
        .map(|t| t.strip_suffix('"').unwrap_or(t))
        .unwrap_or(token);
    clip(&inner.replace("\"\"", "\""), MAX_IDENT).to_string()
}

/// A qualified name in SQL text (`a.b`, `"A".b`, `pg_catalog."C"`): its
/// parts as PostgreSQL reads them (bare words folded, quoted ones exact).
/// `None` when the text is anything but names separated by dots.
pub fn parse_sql_name(text: &str) -> Option<Vec<String>> {
    let lx = Lexer::new(text);
    let mut parts = Vec::new();
    let mut want_name = true;
    for t in lx.clone() {
        let s = lx.text(t);
        match (t.kind, want_name) {
            (Kind::Space | Kind::Comment, _) => continue,
            (Kind::Word, true) => parts.push(fold(s)),
            (Kind::QuotedIdent, true) if s.len() >= 2 && s.ends_with('"') => parts.push(unquote(s)),
            (Kind::Other, false) if s == "." => {}
            _ => return None,
        }
        want_name = !want_name;
    }
    (!parts.is_empty() && !want_name).then_some(parts)
}

/// Split one of strata's dotted names into its literal parts. Parts are
/// taken as written (no case folding); a part in double quotes may contain
/// dots, spaces, parentheses, and `""` for a quote.
pub fn split_dotted(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("unterminated quoted name in \"{text}\"")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(format!("misplaced quote in name \"{text}\""));
                }
                part.push(c);
                chars.next();
            }
            part = part.trim().to_string();
        }
        if part.is_empty() {
            return Err(format!("empty name part in \"{text}\""));
        }
        parts.push(part);
        match chars.next() {
            None => return Ok(parts),
            Some('.') => continue,
            Some(c) => {
                return Err(format!(
                    "unexpected '{c}' after a quoted name in \"{text}\""
                ))
            }
        }
    }
}

/// One part of a dotted name as strata writes it: bare when
/// [`split_dotted`] reads it back unchanged, otherwise double-quoted.
pub fn dotted_part(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        quote(name)
    }
}

/// `schema.table` or `table` (then `default_schema`) in strata's dotted
/// syntax; `None` for anything else (three parts, a bad quote).
pub fn split_table_name(text: &str, default_schema: &str) -> Option<(String, String)> {
    match split_dotted(text).ok()?.as_slice() {
        [t] => Some((default_schema.to_string(), t.clone())),
        [s, t] => Some((s.clone(), t.clone())),
        _ => None,
    }
}

/// A schema every database has and nobody creates: `information_schema`
/// and the `pg_` names PostgreSQL reserves (`pg_catalog`, `pg_toast`, …).
pub fn is_system_schema(name: &str) -> bool {
    name == "information_schema" || name.starts_with("pg_")
}

/// PostgreSQL's keyword categories other than "unreserved" (an unreserved
/// keyword is an ordinary name everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// Can name a column, but not a function or type (`int`, `values`).
    ColName,
    /// Can name a function or type, but not a column (`left`, `is`).
    TypeFuncName,
    /// Names nothing unquoted (`select`, `user`, `null`).
    Reserved,
}

/// The category of a lower-case word, `None` for ordinary names and
/// unreserved keywords. The union of `pg_get_keywords()` of PostgreSQL
/// 14–18 (16 added `system_user` and the `json_*` constructors, 17 `json`,
/// `json_table`, `merge_action`, …): a name must be quoted if any supported
/// server needs it quoted, and quoting more is always valid.
/// `tests/versions.rs` checks the list against the server of each major.
pub fn keyword(word: &str) -> Option<Keyword> {
    KEYWORDS
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .map(|i| KEYWORDS[i].1)
}

use Keyword::{ColName as C, Reserved as R, TypeFuncName as T};

/// Sorted by word (binary search).
const KEYWORDS: &[(&str, Keyword)] = &[
    ("all", R),
    ("analyse", R),
    ("analyze", R),
    ("and", R),
    ("any", R),
    ("array", R),
    ("as", R),
    ("asc", R),
    ("asymmetric", R),
    ("authorization", T),
    ("between", C),
    ("bigint", C),
    ("binary", T),
    ("bit", C),
    ("boolean", C),
    ("both", R),
    ("case", R),
    ("cast", R),
    ("char", C),
    ("character", C),
    ("check", R),
    ("coalesce", C),
    ("collate", R),
    ("collation", T),
    ("column", R),
    ("concurrently", T),
    ("constraint", R),
    ("create", R),
    ("cross", T),
    ("current_catalog", R),
    ("current_date", R),
    ("current_role", R),
    ("current_schema", T),
    ("current_time", R),
    ("current_timestamp", R),
    ("current_user", R),
    ("dec", C),
    ("decimal", C),
    ("default", R),
    ("deferrable", R),
    ("desc", R),
    ("distinct", R),
    ("do", R),
    ("else", R),
    ("end", R),
    ("except", R),
    ("exists", C),
    ("extract", C),
    ("false", R),
    ("fetch", R),
    ("float", C),
    ("for", R),
    ("foreign", R),
    ("freeze", T),
    ("from", R),
    ("full", T),
    ("grant", R),
    ("greatest", C),
    ("group", R),
    ("grouping", C),
    ("having", R),
    ("ilike", T),
    ("in", R),
    ("initially", R),
    ("inner", T),
    ("inout", C),
    ("int", C),
    ("integer", C),
    ("intersect", R),
    ("interval", C),
    ("into", R),
    ("is", T),
    ("isnull", T),
    ("join", T),
    ("json", C),
    ("json_array", C),
    ("json_arrayagg", C),
    ("json_exists", C),
    ("json_object", C),
    ("json_objectagg", C),
    ("json_query", C),
    ("json_scalar", C),
    ("json_serialize", C),
    ("json_table", C),
    ("json_value", C),
    ("lateral", R),
    ("leading", R),
    ("least", C),
    ("left", T),
    ("like", T),
    ("limit", R),
    ("localtime", R),
    ("localtimestamp", R),
    ("merge_action", C),
    ("national", C),
    ("natural", T),
    ("nchar", C),
    ("none", C),
    ("normalize", C),
    ("not", R),
    ("notnull", T),
    ("null", R),
    ("nullif", C),
    ("numeric", C),
    ("offset", R),
    ("on", R),
    ("only", R),
    ("or", R),
    ("order", R),
    ("out", C),
    ("outer", T),
    ("overlaps", T),
    ("overlay", C),
    ("placing", R),
    ("position", C),
    ("precision", C),
    ("primary", R),
    ("real", C),
    ("references", R),
    ("returning", R),
    ("right", T),
    ("row", C),
    ("select", R),
    ("session_user", R),
    ("setof", C),
    ("similar", T),
    ("smallint", C),
    ("some", R),
    ("substring", C),
    ("symmetric", R),
    ("system_user", R),
    ("table", R),
    ("tablesample", T),
    ("then", R),
    ("time", C),
    ("timestamp", C),
    ("to", R),
    ("trailing", R),
    ("treat", C),
    ("trim", C),
    ("true", R),
    ("union", R),
    ("unique", R),
    ("user", R),
    ("using", R),
    ("values", C),
    ("varchar", C),
    ("variadic", R),
    ("verbose", T),
    ("when", R),
    ("where", R),
    ("window", R),
    ("with", R),
    ("xmlattributes", C),
    ("xmlconcat", C),
    ("xmlelement", C),
    ("xmlexists", C),
    ("xmlforest", C),
    ("xmlnamespaces", C),
    ("xmlparse", C),
    ("xmlpi", C),
    ("xmlroot", C),
    ("xmlserialize", C),
    ("xmltable", C),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_table_is_sorted_for_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(KEYWORDS.len(), 78 + 63 + 23);
        assert_eq!(keyword("select"), Some(Keyword::Reserved));
        assert_eq!(keyword("int"), Some(Keyword::ColName));
        assert_eq!(keyword("left"), Some(Keyword::TypeFuncName));
        assert_eq!(keyword("zone"), None);
    }

    /// Compared with `quote_ident()` of PostgreSQL 15.
    #[test]
    fn quotes_like_quote_ident() {
        for (name, want) in [
            ("orders", "orders"),
            ("_x1", "_x1"),
            ("zone", "zone"),
            ("Orders", "\"Orders\""),
            ("a$b", "\"a$b\""),
            ("1a", "\"1a\""),
            ("int", "\"int\""),
            ("is", "\"is\""),
            ("user", "\"user\""),
            ("é", "\"é\""),
            ("a\"b", "\"a\"\"b\""),
            ("", "\"\""),
        ] {
            assert_eq!(quote_if_needed(name), want, "{name}");
        }
        assert_eq!(quote("x"), "\"x\"");
    }

    #[test]
    fn sql_names_fold_and_unquote() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_sql_name("Public.Users"),
            Some(v(&["public", "users"]))
        );
        assert_eq!(
            parse_sql_name("\"A.b\" . \"x\"\"y\""),
            Some(v(&["A.b", "x\"y"]))
        );
        // Only ASCII letters fold (UTF-8 databases).
        assert_eq!(parse_sql_name("ÉCOLE"), Some(v(&["École"])));
        assert_eq!(parse_sql_name("a."), None);
        assert_eq!(parse_sql_name("a b"), None);
        assert_eq!(parse_sql_name("f(x)"), None);
        assert_eq!(parse_sql_name(""), None);
        let long = "X".repeat(70);
        assert_eq!(parse_sql_name(&long), Some(vec!["x".repeat(63)]));
    }

    #[test]
    fn dotted_names() {
        assert_eq!(split_dotted("app.users").unwrap(), vec!["app", "users"]);
        assert_eq!(split_dotted("\"a.b\".c").unwrap(), vec!["a.b", "c"]);
        assert_eq!(split_dotted("\"x\"\"y\"").unwrap(), vec!["x\"y"]);
        assert!(split_dotted("a..b").is_err());
        assert_eq!(dotted_part("Weird"), "Weird");
        assert_eq!(dotted_part("a.b"), "\"a.b\"");
        assert_eq!(
            split_table_name("\"a.b\".c", "public"),
            Some(("a.b".into(), "c".into()))
        );
        assert_eq!(
            split_table_name("users", "public"),
            Some(("public".into(), "users".into()))
        );
        assert_eq!(split_table_name("a.b.c", "public"), None);
    }

    #[test]
    fn clipping_keeps_characters_whole() {
        assert_eq!(clip("ééé", 5), "éé");
        assert_eq!(clip("abc", 63), "abc");
        assert!(too_long(&"x".repeat(64)).is_some());
        assert!(too_long(&"x".repeat(63)).is_none());
    }
}
