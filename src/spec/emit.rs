//! A small, careful YAML emitter: block maps, flow lists/maps when they fit
//! on a line, and plain scalars only when they read back as the same
//! string (everything else is double-quoted with escapes).

/// A YAML value to emit.
#[derive(Clone, Debug, PartialEq)]
pub enum Y {
    /// A string (quoted when needed).
    Str(String),
    /// Emitted verbatim: booleans and integers.
    Raw(String),
    List(Vec<Y>),
    /// A map written in flow style (`{a: b}`) when it is shallow and fits.
    Map(Vec<(String, Y)>),
    /// A map always written in block style (sections, tables, columns).
    Block(Vec<(String, Y)>),
    /// A string written as a literal block (`|`) when it spans lines and
    /// that form holds it exactly (function bodies); else like `Str`.
    Text(String),
}

impl Y {
    pub fn str(s: impl Into<String>) -> Y {
        Y::Str(s.into())
    }
    pub fn text(s: impl Into<String>) -> Y {
        Y::Text(s.into())
    }
    pub fn bool(b: bool) -> Y {
        Y::Raw(b.to_string())
    }
    pub fn int(i: i64) -> Y {
        Y::Raw(i.to_string())
    }
    pub fn strs<S: AsRef<str>>(items: &[S]) -> Y {
        Y::List(items.iter().map(|s| Y::str(s.as_ref())).collect())
    }
}

const WIDTH: usize = 100;

/// Render a document whose root is a map.
pub fn render(root: &Y) -> String {
    let mut out = String::new();
    match root {
        Y::Map(entries) | Y::Block(entries) => block_map(entries, 0, &mut out),
        other => {
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
    out
}

fn block_map(entries: &[(String, Y)], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v) in entries {
        let head = format!("{pad}{}:", scalar(k, true));
        block_value(&head, v, indent, out);
    }
}

/// `head` is `key:` or `-`; the value goes on the same line when it is a
/// scalar or fits as flow, otherwise below, indented.
fn block_value(head: &str, v: &Y, indent: usize, out: &mut String) {
    if let Some(line) = inline(v) {
        if head.len() + 1 + line.len() <= WIDTH
            || !matches!(v, Y::List(_) | Y::Map(_) | Y::Block(_))
        {
            out.push_str(&format!("{head} {line}\n"));
            return;
        }
    }
    if let Y::Text(s) = v {
        literal(head, s, indent + 2, out);
        return;
    }
    out.push_str(head);
    out.push('\n');
    match v {
        Y::Map(entries) | Y::Block(entries) => block_map(entries, indent + 2, out),
        Y::List(items) => block_list(items, indent + 2, out),
        _ => {}
    }
}

fn block_list(items: &[Y], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Y::Map(entries) | Y::Block(entries)
                if !entries.is_empty()
                    && inline(item).is_none_or(|l| l.len() + indent + 2 > WIDTH) =>
            {
                // First entry on the dash line, the rest aligned under it.
                let mut sub = String::new();
                block_map(entries, indent + 2, &mut sub);
                let sub = sub.strip_prefix(&" ".repeat(indent + 2)).unwrap_or(&sub);
                out.push_str(&format!("{pad}- {sub}"));
            }
            _ => block_value(&format!("{pad}-"), item, indent, out),
        }
    }
}

/// One-line form of a value: scalars always; collections as flow when
/// shallow (scalars, lists of scalars, maps of those).
fn inline(v: &Y) -> Option<String> {
    match v {
        Y::Text(s) if literal_ok(s) => None,
        Y::Str(s) | Y::Text(s) => Some(scalar(s, false)),
        Y::Raw(s) => Some(s.clone()),
        Y::Block(e) if e.is_empty() => Some("{}".into()),
        Y::Block(_) => None,
        _ if depth(v) <= 3 => Some(flow(v)),
        _ => None,
    }
}

/// Nesting depth: scalars 0, `[a]` 1, `{k: [a]}` 2, `[{k: [a]}]` 3.
fn depth(v: &Y) -> usize {
    match v {
        Y::Str(_) | Y::Raw(_) | Y::Text(_) => 0,
        Y::List(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Y::Map(e) | Y::Block(e) => 1 + e.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
    }
}

fn flow(v: &Y) -> String {
    match v {
        Y::Str(s) | Y::Text(s) => scalar(s, true),
        Y::Raw(s) => s.clone(),
        Y::List(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Y::Map(entries) | Y::Block(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k, true), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether `s` reads back exactly from a literal block: several lines,
/// the first with text not starting with whitespace (the block's
/// indentation is taken from it), no control characters but tabs.
fn literal_ok(s: &str) -> bool {
    let first = s.lines().find(|l| !l.trim().is_empty());
    s.contains('\n')
        && first.is_some_and(|l| !l.starts_with([' ', '\t']))
        && s.chars()
            .all(|c| c == '\n' || c == '\t' || (!c.is_control() && safe_break(c)))
}

/// Not a character YAML readers treat as a line break or a BOM.
fn safe_break(c: char) -> bool {
    !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// `head |` and the lines of `s` indented: `|-` without a final newline,
/// `|` with one, `|+` with more.
fn literal(head: &str, s: &str, indent: usize, out: &mut String) {
    let (chomp, text) = match s.strip_suffix('\n') {
        None => ("-", s),
        Some(rest) if rest.ends_with('\n') => ("+", rest),
        Some(rest) => ("", rest),
    };
    out.push_str(&format!("{head} |{chomp}\n"));
    let pad = " ".repeat(indent);
    for line in text.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A string as a YAML scalar: plain when safe, else double-quoted.
/// `in_flow` also forbids the flow indicators `, [ ] { }`.
pub fn scalar(s: &str, in_flow: bool) -> String {
    if plain_ok(s, in_flow) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.ends_with(':') || s.contains('#') || s.starts_with("<<") {
        return false;
    }
    if in_flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    // Indicator characters next to a space or the end confuse readers in
    // flow context (`name: ix -}` is rejected by yaml-rust2): quote them.
    let indicator_edge = |ind: char| {
        s.ends_with(ind)
            || (in_flow
                && (s.contains(&format!(" {ind}")[..]) || s.contains(&format!("{ind} ")[..])))
    };
    if ['-', '?', ':'].into_iter().any(indicator_edge) {
        return false;
    }
    if !s
        .chars()
        .all(|c| c == ' ' || c.is_ascii_graphic() || safe_unicode(c))
    {
        return false;
    }
    !looks_typed(s)
}

/// Would a YAML 1.1 or 1.2 reader take this plain scalar for something
/// other than a string (null, boolean, number)?
fn looks_typed(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "y", "n", "on", "off", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let body = lower.trim_start_matches(['+', '-']);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "._:xob+-e".contains(c))
}

/// Non-ASCII characters written as they are: printable, not whitespace
/// (YAML only knows space and tab; a raw NBSP would be invisible), not the
/// line separators and BOM that YAML readers treat specially.
fn safe_unicode(c: char) -> bool {
    !c.is_ascii()
        && !c.is_control()
        && !c.is_whitespace()
        && !matches!(
            c,
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{200b}'..='\u{200f}'
        )
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == ' ' || c.is_ascii_graphic() || safe_unicode(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) {
        for doc in [
            render(&Y::Map(vec![("k".into(), Y::str(s))])),
            render(&Y::Map(vec![(
                "k".into(),
                Y::List(vec![Y::str(s), Y::str("x")]),
            )])),
            render(&Y::Map(vec![(s.to_string(), Y::str("v"))])),
        ] {
            let node = marked_yaml::parse_yaml_with_options(
                0,
                &doc,
                marked_yaml::LoaderOptions::default().prevent_coercion(true),
            )
            .unwrap_or_else(|e| panic!("{s:?} → {doc:?}: {e}"));
            let map = node.as_mapping().unwrap();
            let (key, value) = map.iter().next().unwrap();
            let got = match value {
                marked_yaml::Node::Scalar(v) if key.as_str() == "k" => {
                    assert!(
                        !super::super::yaml::is_null(value),
                        "{s:?} read as null: {doc}"
                    );
                    v.as_str().to_string()
                }
                marked_yaml::Node::Sequence(items) => {
                    items[0].as_scalar().unwrap().as_str().to_string()
                }
                _ => key.as_str().to_string(),
            };
            assert_eq!(got, s, "document: {doc}");
        }
    }

    #[test]
    fn tricky_strings_round_trip() {
        for s in [
            "plain",
            "null",
            "Null",
            "~",
            "true",
            "no",
            "yes",
            "off",
            "1",
            "-1",
            "1.5",
            "1e3",
            "0x1F",
            ".inf",
            "",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "-",
            "?",
            ":x",
            "x:",
            "[a]",
            "a, b",
            "{x}",
            "'q'",
            "\"dq\"",
            "it's",
            "say \"hi\"",
            "back\\slash",
            "multi\nline",
            "tab\there",
            "uni ✓ ü",
            "%x",
            "@x",
            "`x`",
            "&a",
            "*a",
            "!t",
            "|",
            ">",
            "---",
            "...",
            "<<",
            "now()",
            "price > 0",
            "lower(email)",
            "'x'::text",
            "a || b",
            "nextval('s'::regclass)",
            "\u{7f}",
            "\u{2028}",
            "é",
            "1:20",
            "0o17",
            "+1",
            "during WITH &&",
            "ix -",
            "a ?",
            "a - b",
            "x -y",
            "k:",
            "a WITH =",
            "E'a\\\\b'::text",
            "naïve — ✓",
            "\u{a0}nbsp",
            "\u{feff}bom",
            "a\u{200b}b",
        ] {
            roundtrip(s);
        }
    }

    #[test]
    fn readable_output() {
        let doc = Y::Block(vec![(
            "tables".into(),
            Y::Block(vec![(
                "users".into(),
                Y::Block(vec![
                    (
                        "columns".into(),
                        Y::Block(vec![("id".into(), Y::str("bigint primary key"))]),
                    ),
                    (
                        "indexes".into(),
                        Y::List(vec![Y::Map(vec![("columns".into(), Y::strs(&["a", "b"]))])]),
                    ),
                ]),
            )]),
        )]);
        assert_eq!(
            render(&doc),
            "tables:\n  users:\n    columns:\n      id: bigint primary key\n    indexes: [{columns: [a, b]}]\n"
        );
    }
}
