//! Untrusted text (identifiers, file names, labels, database messages) made
//! safe for the one line of output it lands on.
//!
//! Every identifier is chosen by an attacker. Inside a `-- ` comment a
//! newline (or a carriage return: PostgreSQL's lexer ends a comment at
//! either) turns the rest of a name into SQL that runs when the migration
//! is applied; in a message it forges lines, and an ESC drives the
//! terminal. So every character that can end a line, reorder what a reader
//! sees, or control a terminal is written as a visible escape instead:
//! `\n`, `\r`, `\t`, otherwise `\u{…}` (Rust's spelling, unambiguous and
//! familiar). Backslashes are left alone: they cannot end a line, and
//! doubling them would make every Windows-looking path noisier.
//!
//! The escaped text never round-trips back into a name; it is for humans
//! (and for comment lines, which PostgreSQL ignores).

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that must not reach a line of output raw: C0/C1 controls and
/// DEL (newline, CR, ESC, NEL U+0085 …), the Unicode line and paragraph
/// separators, and the bidirectional controls that reorder what a reader
/// sees ("Trojan Source").
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` on one line: every character of [`needs_escape`] written as a
/// visible escape. Safe inside a `-- ` comment and in a one-line message.
pub fn line(text: &str) -> Cow<'_, str> {
    escape_where(text, needs_escape)
}

/// A whole (possibly multi-line) message for a terminal: like [`line`],
/// but the line breaks the message itself is made of stay. Applied where
/// the CLI prints, so no error text — whatever PostgreSQL or a file put in
/// it — can send an escape sequence to the terminal.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && needs_escape(c))
}

/// Multi-line text inside a message (a statement, a server's detail):
/// every line after the first starts with `indent`, so a line break that
/// a name or value carries cannot put text at the start of a line, where
/// a reader expects strata's own `error:`. Other control characters are
/// left to [`terminal`], applied where the message is printed.
pub fn indented(text: &str, indent: &str) -> String {
    text.replace("\r\n", "\n")
        .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// An identifier in a message: as is when it reads unambiguously, else in
/// double quotes (`""` for a quote, PostgreSQL's spelling) with the
/// characters of [`needs_escape`] escaped, so `a"b`, `x.y` or a name with a
/// newline stay one recognisable token.
pub fn ident(name: &str) -> Cow<'_, str> {
    let plain = !name.is_empty()
        && name == name.trim()
        && !name.contains(['"', '.'])
        && !name.chars().any(needs_escape);
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(line(&crate::pg::ident::quote(name)).into_owned())
    }
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !escape(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_terminal_controls_become_visible() {
        assert_eq!(line("plain text; -- ok"), "plain text; -- ok");
        assert_eq!(
            line("tn\nDROP TABLE x;\r--\u{1b}[2J\u{85}\u{2028}\u{2029}\u{202e}\t\0"),
            "tn\\nDROP TABLE x;\\r--\\u{1b}[2J\\u{85}\\u{2028}\\u{2029}\\u{202e}\\t\\u{0}"
        );
        assert!(!line("a\u{7f}b\u{9b}c").chars().any(needs_escape));
    }

    #[test]
    fn terminal_keeps_the_message_lines() {
        assert_eq!(terminal("a\nb\u{1b}]0;x\u{7}"), "a\nb\\u{1b}]0;x\\u{7}");
        assert_eq!(terminal("x\r\n"), "x\\r\n");
    }

    /// Errors that list items keep one item per line.
    #[test]
    fn error_lists_keep_one_item_per_line() {
        let e = crate::Error::Destructive(vec!["drops x\n  - forged".into()]);
        assert_eq!(e.to_string().lines().count(), 2, "{e}");
        let e = crate::Error::History(vec!["V1__a\n  - forged".into()]);
        assert_eq!(e.to_string().lines().count(), 2, "{e}");
    }

    #[test]
    fn indented_text_starts_no_line() {
        assert_eq!(
            indented("a\nerror: x\r\ny\rz", "  "),
            "a\n  error: x\n  y\n  z"
        );
        assert_eq!(indented("a\u{2028}b", "  "), "a\n  b");
        assert_eq!(indented("one line", "  "), "one line");
    }

    #[test]
    fn identifiers_are_quoted_only_when_ambiguous() {
        assert_eq!(ident("orders"), "orders");
        assert_eq!(ident("Weird Name"), "Weird Name");
        assert_eq!(ident("a.b"), "\"a.b\"");
        assert_eq!(ident("q\"x"), "\"q\"\"x\"");
        assert_eq!(ident(" pad"), "\" pad\"");
        assert_eq!(ident(""), "\"\"");
        assert_eq!(ident("t\n--"), "\"t\\n--\"");
    }
}
