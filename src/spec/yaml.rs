//! Spanned-YAML decoding helpers shared by every YAML input of strata
//! (schema files, `strata.yaml`, seed profiles, import specs).
//!
//! Decoding is done by hand from marked-yaml's node tree so that every
//! problem can name `file:line:col`. A [`Reader`] collects issues instead of
//! failing at the first one: each accessor reports what is wrong and returns
//! `None`, and the caller simply skips that piece.
//!
//! ```
//! use std::path::Path;
//! use strata::spec::yaml::{self, Reader};
//!
//! let text = "rows: 10\nname: x\nextra: 1\n";
//! let root = yaml::parse(Path::new("p.yaml"), text).unwrap();
//! let mut r = Reader::new(Path::new("p.yaml"), text);
//! let map = r.map(&root, "a map").unwrap();
//! r.check_keys(map, &["rows", "name"], "the profile");
//! let rows = map.get_node("rows").and_then(|n| r.i64(n));
//! assert_eq!(rows, Some(10));
//! assert_eq!(r.issues[0].to_string(), "p.yaml:3:1: unknown key \"extra\" in the profile");
//! ```

use std::path::{Path, PathBuf};

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{LoaderOptions, Node};

use super::SpecIssue;
use crate::model::Origin;

/// A 1-based position in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The position `chars` characters to the right (same line).
    pub fn shifted(self, chars: usize) -> Pos {
        Pos {
            line: self.line,
            column: self.column + chars,
        }
    }
}

/// `text` without a leading UTF-8 byte-order mark. Editors on Windows
/// write one; the YAML parser would take it for part of the first key.
/// Skipping it (here and in [`Reader::new`], so markers and the reader's
/// characters agree) keeps line 1's columns as an editor counts them.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parse one YAML document whose top level must be a map. Duplicate keys
/// are errors; scalars remember whether they were quoted (`"null"` is a
/// string, `null` is not). A leading byte-order mark is skipped.
pub fn parse(file: &Path, text: &str) -> Result<Node, SpecIssue> {
    let text = strip_bom(text);
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true);
    let lines = Lines::new(text);
    let issue = |line: usize, column: usize, message: String| {
        let at = lines.clamp(Pos { line, column });
        SpecIssue {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
            message,
        }
    };
    if let Some(line) = second_document_line(text) {
        return Err(issue(
            line,
            1,
            "only one YAML document per file is supported (found `---` separator)".into(),
        ));
    }
    marked_yaml::parse_yaml_with_options(0, text, options).map_err(|e| {
        use marked_yaml::LoadError as E;
        match e {
            E::TopLevelMustBeMapping(m) => issue(
                m.line(),
                m.column(),
                "expected a map at the top level".into(),
            ),
            E::TopLevelMustBeSequence(m) => issue(
                m.line(),
                m.column(),
                "expected a list at the top level".into(),
            ),
            E::UnexpectedAnchor(m) => issue(
                m.line(),
                m.column(),
                "YAML anchors and aliases are not supported".into(),
            ),
            E::MappingKeyMustBeScalar(m) => issue(
                m.line(),
                m.column(),
                "map keys must be plain strings".into(),
            ),
            E::UnexpectedTag(m) => issue(
                m.line(),
                m.column(),
                "YAML tags (`!tag`) are not supported".into(),
            ),
            // The scanner's own line count disagrees with an editor's
            // after a lone CR; its character index does not.
            E::ScanError(m, se) => {
                let at = lines.pos_of(m.character());
                let hint = syntax_hint(se.info());
                issue(
                    at.line,
                    at.column,
                    format!("YAML syntax error: {}{hint}", se.info()),
                )
            }
            E::DuplicateKey(inner) => {
                let first = scalar_pos(&inner.prev_key);
                let second = scalar_pos(&inner.key);
                issue(
                    second.line,
                    second.column,
                    format!(
                        "duplicate key \"{}\" (first defined at line {}, column {})",
                        inner.key.as_str(),
                        first.line,
                        first.column
                    ),
                )
            }
        }
    })
}

/// The usual cause of a scanner error in schema files, as a hint.
fn syntax_hint(info: &str) -> &'static str {
    if info.contains("did not find expected ',' or") {
        " (inside {…} or […] YAML splits at commas and brackets: quote values such as \"numeric(10,2)\" or \"text[]\")"
    } else if info.contains("mapping values are not allowed") {
        " (a value containing \": \" must be quoted)"
    } else if info.contains("after double-quoted scalar") {
        " (a \"…\" string ends at the next \"; write '…' around text containing \" or escape it as \\\")"
    } else {
        ""
    }
}

/// marked-yaml silently keeps only the first document of a stream; a second
/// one would be lost, so it is refused. Returns the separator's line.
fn second_document_line(text: &str) -> Option<usize> {
    let mut seen_content = false;
    for (i, line) in text.lines().enumerate() {
        let is_separator = line == "---" || line.starts_with("--- ");
        if is_separator && seen_content {
            return Some(i + 1);
        }
        let trimmed = line.trim_start();
        if !is_separator && !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
    }
    None
}

/// Where each line of a text starts, lines ending at LF, CRLF or a lone
/// CR (YAML's line breaks, and what an editor shows). Markers at the end
/// of the input can name a line past the last one (the scanner adds a
/// line break at EOF), and a scalar's offsets can run past its first
/// line: positions are mapped through this so that every issue points at
/// a character of the file, or just past a line's end.
struct Lines {
    /// Character index of each line's first character, and its width in
    /// characters (its line break not counted).
    lines: Vec<(usize, usize)>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut lines = Vec::new();
        let (mut start, mut width) = (0, 0);
        let mut chars = text.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\r' | '\n' => {
                    lines.push((start, width));
                    let crlf = c == '\r' && chars.next_if(|&(_, n)| n == '\n').is_some();
                    start = i + 1 + usize::from(crlf);
                    width = 0;
                }
                _ => width += 1,
            }
        }
        lines.push((start, width));
        Lines { lines }
    }

    /// `at` moved onto the text: a line past the last is the end of the
    /// last line, a column past a line's end is just past that end.
    fn clamp(&self, at: Pos) -> Pos {
        let last = self.lines.len();
        if at.line > last {
            return Pos {
                line: last,
                column: self.lines[last - 1].1 + 1,
            };
        }
        let line = at.line.max(1);
        Pos {
            line,
            column: at.column.clamp(1, self.lines[line - 1].1 + 1),
        }
    }

    /// The position of character `index` (the end of the text for an
    /// index past it).
    fn pos_of(&self, index: usize) -> Pos {
        let n = self
            .lines
            .partition_point(|&(start, _)| start <= index)
            .max(1);
        let (start, width) = self.lines[n - 1];
        Pos {
            line: n,
            column: (index - start).min(width) + 1,
        }
    }
}

pub fn scalar_pos(s: &MarkedScalarNode) -> Pos {
    s.span()
        .start()
        .map(|m| Pos {
            line: m.line(),
            column: m.column(),
        })
        .unwrap_or_default()
}

/// Where a node starts. A block map's own marker points past its first key,
/// so the first key's position is used instead.
pub fn node_pos(node: &Node) -> Pos {
    let own = node
        .span()
        .start()
        .map(|m| Pos {
            line: m.line(),
            column: m.column(),
        })
        .unwrap_or_default();
    match node {
        Node::Mapping(m) => match m.keys().next() {
            Some(k) if scalar_pos(k) < own => scalar_pos(k),
            _ => own,
        },
        _ => own,
    }
}

/// True for a plain (unquoted) `null`, `~` or empty value.
pub fn is_null(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => {
            s.may_coerce() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
        }
        _ => false,
    }
}

/// How a node is described in "expected X, found Y" messages.
pub fn describe(node: &Node) -> &'static str {
    match node {
        Node::Mapping(_) => "a map",
        Node::Sequence(_) => "a list",
        Node::Scalar(s) => {
            if is_null(node) {
                "null"
            } else if s.as_bool().is_some() {
                "a boolean"
            } else if s.may_coerce() && s.as_str().parse::<f64>().is_ok() {
                "a number"
            } else {
                "a string"
            }
        }
    }
}

/// Closest candidate for a did-you-mean hint (Jaro-Winkler ≥ 0.8 or a
/// Levenshtein distance of at most 2).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        let close = score >= 0.8 || strsim::levenshtein(word, c) <= 2.min(c.len() / 2);
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

/// `; did you mean "x"?` or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    suggest(word, candidates)
        .map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}

/// Decodes one file, collecting issues.
pub struct Reader<'a> {
    pub file: PathBuf,
    pub text: &'a str,
    /// The text as characters: markers count characters, and positions
    /// inside scalars need to look at the character a marker points to.
    chars: Vec<char>,
    lines: Lines,
    pub issues: Vec<SpecIssue>,
}

impl<'a> Reader<'a> {
    /// `text` as given to [`parse`] (a byte-order mark is skipped alike).
    pub fn new(file: &Path, text: &'a str) -> Self {
        let text = strip_bom(text);
        Reader {
            file: file.to_path_buf(),
            text,
            chars: text.chars().collect(),
            lines: Lines::new(text),
            issues: Vec::new(),
        }
    }

    /// Record a problem at `at` (moved onto the text if it lies past a
    /// line's end or the last line: see [`Lines`]).
    pub fn error(&mut self, at: Pos, message: impl Into<String>) {
        let at = self.lines.clamp(at);
        self.issues.push(SpecIssue {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            message: message.into(),
        });
    }

    pub fn origin(&self, at: Pos) -> Origin {
        Origin {
            file: Some(self.file.clone()),
            line: at.line,
            column: at.column,
        }
    }

    /// Position of the first character of a scalar's *content*: skips the
    /// opening quote of a quoted scalar.
    pub fn content_pos(&self, s: &MarkedScalarNode) -> Pos {
        self.content_start(s)
            .map_or_else(|| scalar_pos(s), |i| self.lines.pos_of(i))
    }

    /// Character index of a scalar's content in the text.
    fn content_start(&self, s: &MarkedScalarNode) -> Option<usize> {
        let i = s.span().start()?.character();
        let quoted = matches!(self.chars.get(i), Some('"' | '\''));
        Some(i + usize::from(quoted))
    }

    /// Position of the character `offset` characters into a scalar's
    /// value. The value is matched against the source so that a plain or
    /// quoted scalar folded over several lines (a line break and the next
    /// line's indentation read as one space) maps onto the line the
    /// character is on. Where the source differs in another way (an
    /// escape such as `\t`), the position falls back to the value's start.
    pub fn pos_in(&self, s: &MarkedScalarNode, offset: usize) -> Pos {
        let Some(start) = self.content_start(s) else {
            return scalar_pos(s);
        };
        let mut src = start;
        for (i, want) in s.as_str().chars().enumerate().take(offset + 1) {
            loop {
                match self.chars.get(src) {
                    Some(&c) if c == want => break,
                    // Folded or trimmed whitespace: skip it in the source.
                    Some(' ' | '\t' | '\r' | '\n') => src += 1,
                    _ => return self.lines.pos_of(start),
                }
            }
            if i == offset {
                break;
            }
            src += 1;
        }
        self.lines.pos_of(src)
    }

    /// True for a `{…}` or `[…]` (flow style) collection.
    pub fn is_flow(&self, node: &Node) -> bool {
        node.span()
            .start()
            .and_then(|m| self.chars.get(m.character()))
            .is_some_and(|c| *c == '{' || *c == '[')
    }

    fn mismatch(&mut self, node: &Node, expected: &str) {
        let found = describe(node);
        self.error(
            node_pos(node),
            format!("expected {expected}, found {found}"),
        );
    }

    pub fn map<'n>(&mut self, node: &'n Node, expected: &str) -> Option<&'n MarkedMappingNode> {
        match node {
            Node::Mapping(m) => Some(m),
            _ => {
                self.mismatch(node, expected);
                None
            }
        }
    }

    pub fn seq<'n>(&mut self, node: &'n Node, expected: &str) -> Option<&'n [Node]> {
        match node {
            Node::Sequence(s) => Some(s.as_slice()),
            _ => {
                self.mismatch(node, expected);
                None
            }
        }
    }

    /// A non-null scalar, as text (numbers and booleans keep their text).
    pub fn scalar<'n>(&mut self, node: &'n Node, expected: &str) -> Option<&'n MarkedScalarNode> {
        match node {
            Node::Scalar(s) if !is_null(node) => Some(s),
            _ => {
                self.mismatch(node, expected);
                None
            }
        }
    }

    pub fn string(&mut self, node: &Node, expected: &str) -> Option<String> {
        self.scalar(node, expected).map(|s| s.as_str().to_string())
    }

    /// Like [`Reader::string`] but a plain `null` means "not set".
    pub fn opt_string(&mut self, node: &Node, expected: &str) -> Option<String> {
        if is_null(node) {
            return None;
        }
        self.string(node, expected)
    }

    pub fn bool(&mut self, node: &Node) -> Option<bool> {
        match node {
            Node::Scalar(s) if s.may_coerce() => match s.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            },
            _ => {}
        }
        self.mismatch(node, "true or false");
        None
    }

    pub fn i64(&mut self, node: &Node) -> Option<i64> {
        if let Node::Scalar(s) = node {
            if let Ok(v) = s.as_str().trim().parse::<i64>() {
                return Some(v);
            }
        }
        self.mismatch(node, "an integer");
        None
    }

    pub fn f64(&mut self, node: &Node) -> Option<f64> {
        if let Node::Scalar(s) = node {
            if let Ok(v) = s.as_str().trim().parse::<f64>() {
                return Some(v);
            }
        }
        self.mismatch(node, "a number");
        None
    }

    /// One of a few words (case-insensitive), e.g. `asc`/`desc`.
    pub fn one_of<T: Clone>(&mut self, node: &Node, options: &[(&str, T)]) -> Option<T> {
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let expected = match names.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        let text = self.string(node, &expected)?;
        let found = options.iter().find(|(n, _)| n.eq_ignore_ascii_case(&text));
        if found.is_none() {
            self.error(
                node_pos(node),
                format!("expected {expected}, found \"{text}\""),
            );
        }
        found.map(|(_, v)| v.clone())
    }

    /// A list of strings; a single string is accepted as a one-item list.
    pub fn string_list(&mut self, node: &Node, expected: &str) -> Option<Vec<(String, Pos)>> {
        match node {
            Node::Scalar(s) if !is_null(node) => {
                Some(vec![(s.as_str().to_string(), scalar_pos(s))])
            }
            Node::Sequence(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    if let Some(s) = self.scalar(item, "a string") {
                        out.push((s.as_str().to_string(), scalar_pos(s)));
                    }
                }
                Some(out)
            }
            _ => {
                self.mismatch(node, expected);
                None
            }
        }
    }

    /// Report every key of `map` not in `allowed`, with a did-you-mean.
    /// `context` completes "unknown key "x" in …", e.g. `column "id"`.
    pub fn check_keys(&mut self, map: &MarkedMappingNode, allowed: &[&str], context: &str) {
        // A plain value with an unclosed `(` and the valueless unknown keys
        // after it: inside `{…}` YAML ends a value at a comma, so
        // `{type: numeric(10,3)}` reads as `type: numeric(10` plus a key
        // `3)`. Saying "unknown key 3)" would send the user looking for a
        // key; the fix is quotes. One issue for the whole value.
        let mut open: Option<(&MarkedScalarNode, Option<&MarkedScalarNode>)> = None;
        for (key, value) in map.iter() {
            if let Some((start, _)) = open {
                if !allowed.contains(&key.as_str()) && is_null(value) && key.may_coerce() {
                    open = Some((start, Some(key)));
                    continue;
                }
            }
            if let Some((start, Some(last))) = open.take() {
                self.comma_split(start, last);
            }
            open = match value {
                Node::Scalar(v) if v.may_coerce() && unclosed_paren(v.as_str()) => Some((v, None)),
                _ => None,
            };
            if !allowed.contains(&key.as_str()) {
                let hint = did_you_mean(key.as_str(), allowed.iter().copied());
                self.error(
                    scalar_pos(key),
                    format!(
                        "unknown key \"{}\" in {context}{hint}",
                        shown_key(key.as_str())
                    ),
                );
            }
        }
        if let Some((start, Some(last))) = open {
            self.comma_split(start, last);
        }
    }
}

impl Reader<'_> {
    /// The issue for a plain value `start` cut at a comma inside `{…}`,
    /// `piece` being the last (unknown, valueless) key that holds the rest.
    fn comma_split(&mut self, start: &MarkedScalarNode, piece: &MarkedScalarNode) {
        let (Some(from), Some(to)) = (self.content_start(start), self.content_start(piece)) else {
            return;
        };
        let end = (to + piece.as_str().chars().count()).min(self.chars.len());
        let whole: String = self.chars[from.min(end)..end].iter().collect();
        let whole = crate::escape::line(&whole);
        self.error(
            scalar_pos(start),
            format!(
                "\"{whole}\" was cut at a comma: inside {{…}} a comma separates entries, so \"{}\" was read as a key; \
                 quote the value: \"{whole}\"",
                shown_key(piece.as_str())
            ),
        );
    }
}

/// True when `text` opens more `(` than it closes.
fn unclosed_paren(text: &str) -> bool {
    text.matches('(').count() > text.matches(')').count()
}

/// A key as quoted in a message. A "key" that holds a connection string
/// (`database_url=postgres://app:pw@host/app:` — a line whose `: ` went
/// missing) is cut before its first `=`, `:` or `@`, so that the message
/// does not copy a password into logs.
fn shown_key(key: &str) -> std::borrow::Cow<'_, str> {
    let lower = key.to_ascii_lowercase();
    if !(key.contains("://") || key.contains('@') || lower.contains("password")) {
        return key.into();
    }
    let end = key.find(['=', ':', '@']).unwrap_or(key.len());
    format!("{}…", &key[..end]).into()
}

/// Iterate a map's entries with each key's position.
pub fn entries(map: &MarkedMappingNode) -> impl Iterator<Item = (&str, Pos, &Node)> {
    map.iter().map(|(k, v)| (k.as_str(), scalar_pos(k), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_issue(text: &str) -> String {
        match crate::spec::load_str(Path::new("t.yaml"), text) {
            Err(crate::spec::SpecError::Invalid(i)) => i[0].to_string(),
            other => panic!("expected an issue, got {other:?}"),
        }
    }

    #[test]
    fn an_error_at_the_end_of_a_file_without_final_newline_is_on_its_last_line() {
        assert_eq!(
            first_issue("tables: !x"),
            "t.yaml:1:11: YAML tags (`!tag`) are not supported"
        );
        assert!(first_issue(":\n\u{ff}").starts_with("t.yaml:2:"));
    }

    #[test]
    fn an_offset_into_a_folded_scalar_names_the_line_it_is_on() {
        let text = "tables:\n  people:\n    columns:\n      id: integer primary key\n        lwe\n";
        assert!(
            first_issue(text).starts_with("t.yaml:5:9: in column \"id\": unexpected \"lwe\""),
            "{}",
            first_issue(text)
        );
        // One line: the column is exact, after a quote too.
        let text = "tables:\n  t:\n    columns:\n      id: 'integer unique lwe'\n";
        assert!(
            first_issue(text).starts_with("t.yaml:4:27:"),
            "{}",
            first_issue(text)
        );
    }

    #[test]
    fn positions_count_a_lone_cr_as_a_line_break() {
        let lines = Lines::new("a\rbc\r\nd");
        assert_eq!(lines.pos_of(2), Pos { line: 2, column: 1 });
        assert_eq!(lines.pos_of(6), Pos { line: 3, column: 1 });
        assert_eq!(lines.pos_of(99), Pos { line: 3, column: 2 });
        let past = lines.clamp(Pos {
            line: 2,
            column: 40,
        });
        assert_eq!(past, Pos { line: 2, column: 3 });
    }

    #[test]
    fn an_unknown_key_holding_a_connection_string_is_not_repeated() {
        let mut r = Reader::new(Path::new("s.yaml"), "");
        let root = parse(
            Path::new("s.yaml"),
            "database_url=postgres://app:Sup3rSecret@h/app: x\n",
        )
        .unwrap();
        let Node::Mapping(map) = &root else {
            panic!("a map")
        };
        r.check_keys(map, &["database_url"], "s.yaml");
        let m = r.issues[0].to_string();
        assert!(!m.contains("Sup3rSecret"), "{m}");
        assert!(m.contains("\"database_url…\""), "{m}");
    }
}
