//! The source line under an issue, with a caret under its column, the way
//! rustc shows it:
//!
//! ```text
//! error: schema/a.yaml:5:21: "numeric(10,3)" was cut at a comma: …
//!   |
//! 5 |       price: {type: numeric(10,3), nullable: false}
//!   |                     ^
//! ```
//!
//! The file is read again when the error is shown (issues carry positions,
//! not text), one line at a time with a bounded buffer: the file may be
//! huge, have one enormous line, or have changed since. What is shown is
//! made safe for a terminal (control and bidi characters become `?`, one
//! character each so the caret stays aligned), long lines are cut to a
//! window around the column, and a line that looks like it holds a
//! connection string or a password is not shown at all.

use std::io::{BufRead, BufReader};

use super::SpecIssue;

/// Characters of the line shown around the column.
const WINDOW: usize = 100;
/// Bytes of the line kept; the rest of a longer line is skipped.
const MAX_LINE_BYTES: usize = 16 * 1024;

/// The snippet lines for `issue` (without a trailing newline), or `None`
/// when the file or the line cannot be read.
pub fn render(issue: &SpecIssue) -> Option<String> {
    // A regular file only, opened without blocking: the path may have
    // become a FIFO or a device since it was read.
    let file = crate::files::open_regular(&issue.file, u64::MAX).ok()?;
    let line = read_line(BufReader::new(file), issue.line)?;
    // Columns are counted after a byte-order mark ([`super::yaml::strip_bom`]).
    let line = super::yaml::strip_bom(&line);
    Some(format_snippet(line, issue.line, issue.column))
}

/// The snippet for `text` as line `line_no`, caret at 1-based `column`.
pub fn format_snippet(text: &str, line_no: usize, column: usize) -> String {
    let number = line_no.to_string();
    let pad = " ".repeat(number.len());
    if holds_secret(text) {
        return format!("{pad} |\n{number} | (line not shown: it may hold a password)");
    }
    let chars: Vec<char> = text.chars().map(shown).collect();
    let col = column.max(1) - 1;
    let (from, to) = window(chars.len(), col);
    let mut shown_line = String::new();
    let mut caret_at = col - from;
    if from > 0 {
        shown_line.push('…');
        caret_at += 1;
    }
    shown_line.extend(&chars[from..to]);
    if to < chars.len() {
        shown_line.push('…');
    }
    let shown_line = shown_line.trim_end();
    format!(
        "{pad} |\n{number} | {shown_line}\n{pad} | {}^",
        " ".repeat(caret_at)
    )
}

/// The part of a line of `len` characters shown for column `col`.
fn window(len: usize, col: usize) -> (usize, usize) {
    if len <= WINDOW {
        return (0, len);
    }
    let from = col.saturating_sub(WINDOW / 2).min(len - WINDOW);
    (from, from + WINDOW)
}

/// One character, made safe to print on one line.
fn shown(c: char) -> char {
    if c == '\t' {
        ' '
    } else if crate::escape::needs_escape(c) {
        '?'
    } else {
        c
    }
}

/// A line naming a connection string with credentials or a password.
fn holds_secret(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("password") || (lower.contains("://") && lower.contains('@'))
}

/// Line `n` (1-based) of `input`: lines end at LF, CRLF or a lone CR, as
/// the YAML reader counts them. At most [`MAX_LINE_BYTES`] of it are kept.
fn read_line(mut input: impl BufRead, n: usize) -> Option<String> {
    let mut line_no = 1;
    let mut kept = Vec::new();
    let mut after_cr = false;
    loop {
        let buf = input.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        let len = buf.len();
        for &b in buf {
            if after_cr {
                after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    if line_no == n {
                        return Some(String::from_utf8_lossy(&kept).into_owned());
                    }
                    line_no += 1;
                    after_cr = b == b'\r';
                }
                _ if line_no == n && kept.len() < MAX_LINE_BYTES => kept.push(b),
                _ => {}
            }
        }
        input.consume(len);
    }
    (line_no == n).then(|| String::from_utf8_lossy(&kept).into_owned())
}

/// [`read_line`] over any reader (tests).
#[cfg(test)]
fn line_of(text: &[u8], n: usize) -> Option<String> {
    read_line(text, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_column() {
        let s = format_snippet("      price: {type: numeric(10,3)}", 5, 21);
        assert_eq!(
            s,
            "  |\n5 |       price: {type: numeric(10,3)}\n  |                     ^"
        );
    }

    #[test]
    fn lines_end_like_yaml_lines() {
        assert_eq!(line_of(b"a\r\nb\rc\nd", 2).as_deref(), Some("b"));
        assert_eq!(line_of(b"a\r\nb\rc\nd", 3).as_deref(), Some("c"));
        assert_eq!(line_of(b"a\r\nb\rc\nd", 4).as_deref(), Some("d"));
        assert_eq!(line_of(b"a\n", 2).as_deref(), Some(""));
        assert_eq!(line_of(b"a\n", 3), None);
    }

    #[test]
    fn long_lines_are_windowed_and_bounded() {
        let long = "x".repeat(MAX_LINE_BYTES * 4);
        let text = format!("a\n{long}\n");
        assert_eq!(line_of(text.as_bytes(), 2).unwrap().len(), MAX_LINE_BYTES);
        let s = format_snippet(&"y".repeat(1000), 1, 500);
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[1].chars().count() < WINDOW + 10, "{s}");
        // The caret still points at column 500's character.
        let caret = lines[2].find('^').unwrap();
        let line_start = lines[1].find('…').unwrap();
        assert_eq!(
            lines[2][..caret].chars().count() - line_start,
            500 - 1 - (500 - 1 - WINDOW / 2) + 1
        );
    }

    #[test]
    fn hostile_lines_stay_one_safe_line() {
        let s = format_snippet("a\u{1b}[2J\u{202e}b\tc", 1, 6);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'), "{s}");
        assert!(s.ends_with("     ^"), "{s}");
        let secret = format_snippet("database_url: postgres://u:hunter2@db/app", 3, 1);
        assert!(!secret.contains("hunter2"), "{secret}");
    }
}
