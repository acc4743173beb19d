//! A lexer for PostgreSQL's SQL, exactly as far as splitting a file into
//! statements needs: where strings, quoted identifiers, dollar quotes and
//! comments start and end (so a `;` inside them is not a terminator), and
//! the words and parentheses around them. It follows the rules of
//! PostgreSQL's own lexer (`scan.l`):
//!
//! * an identifier starts with a letter, `_` or any non-ASCII byte and
//!   continues with those, digits and `$` — so `a$b$c` is one identifier,
//!   not the start of a `$b$` dollar quote;
//! * `$tag$` opens a dollar quote only at the start of a token, and a tag
//!   cannot start with a digit (`$1` is a parameter);
//! * `E'…'` strings take backslash escapes, other strings only when
//!   `standard_conforming_strings` is off (see [`Lexer::standard_strings`]);
//!   `''` and `""` double a quote everywhere;
//! * `--` and `/*` start a comment anywhere outside quotes (also inside an
//!   operator), and `/* */` comments nest.
//!
//! It never fails: an unterminated quote or comment runs to the end of the
//! text, and PostgreSQL reports the error when the statement is sent.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An unquoted identifier or keyword.
    Word,
    /// `"…"` (also the `"…"` of `U&"…"`).
    QuotedIdent,
    /// `'…'`, `E'…'` (the `E` included), and the quote part of `B'…'`,
    /// `X'…'`, `N'…'`, `U&'…'`.
    String,
    /// `$tag$…$tag$`.
    Dollar,
    /// `-- …` (without the newline) or `/* … */`.
    Comment,
    /// Whitespace.
    Space,
    /// A numeric literal, with any identifier characters glued to it.
    Number,
    Semicolon,
    Open,
    Close,
    /// Anything else: an operator character, `,`, `.`, `$1`, ….
    Other,
}

/// A token: its kind and its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Tokens of `src`, in order, covering every byte.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// `standard_conforming_strings`: when false, backslashes escape in
    /// plain `'…'` strings too. On by default since PostgreSQL 9.1.
    pub standard_strings: bool,
}

fn ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn ident_cont(c: u8) -> bool {
    ident_start(c) || c.is_ascii_digit() || c == b'$'
}

/// A dollar-quote tag character (an identifier character except `$`).
fn tag_cont(c: u8) -> bool {
    ident_start(c) || c.is_ascii_digit()
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer {
            src,
            pos: 0,
            standard_strings: true,
        }
    }

    /// The text of `t`.
    pub fn text(&self, t: Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    /// The next token that is not whitespace or a comment, without
    /// consuming anything.
    pub fn peek_significant(&self) -> Option<Token> {
        let mut ahead = self.clone();
        ahead.find(|t| !matches!(t.kind, Kind::Space | Kind::Comment))
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes().get(i).copied()
    }

    /// End of `'…'` or `"…"` opened at `open` (the quote's index).
    fn quoted_end(&self, open: usize, backslash: bool) -> usize {
        let b = self.bytes();
        let q = b[open];
        let mut i = open + 1;
        while i < b.len() {
            match b[i] {
                b'\\' if backslash => i += 2,
                c if c == q => {
                    if b.get(i + 1) == Some(&q) {
                        i += 2;
                    } else {
                        return i + 1;
                    }
                }
                _ => i += 1,
            }
        }
        b.len()
    }

    /// PostgreSQL's lexer ends a `--` comment at `\n` or `\r`: what
    /// follows a carriage return is code.
    fn line_comment_end(&self, i: usize) -> usize {
        let b = self.bytes();
        b[i..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .map_or(b.len(), |p| i + p)
    }

    fn block_comment_end(&self, mut i: usize) -> usize {
        let b = self.bytes();
        let mut depth = 0usize;
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

    /// `$tag$…$tag$` starting at `i` (a `$`), or `None` when the `$` does
    /// not open a dollar quote (`$1`, a lone `$`).
    fn dollar_end(&self, i: usize) -> Option<usize> {
        let b = self.bytes();
        let mut j = i + 1;
        if b.get(j).is_some_and(|&c| ident_start(c)) {
            while b.get(j).is_some_and(|&c| tag_cont(c)) {
                j += 1;
            }
        }
        if b.get(j) != Some(&b'$') {
            return None;
        }
        let delim = &self.src[i..=j];
        let body = j + 1;
        Some(
            self.src[body..]
                .find(delim)
                .map_or(b.len(), |p| body + p + delim.len()),
        )
    }

    fn word_end(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(ident_cont) {
            i += 1;
        }
        i
    }
}

/// PostgreSQL's whitespace (`space` in its scanner: `\v` is one since
/// 16, and before that a syntax error either way). Nothing else is, not
/// U+00A0 nor other Unicode spaces: in SQL they are part of a word.
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let b = self.bytes();
        let i = self.pos;
        let c = *b.get(i)?;
        let next = self.at(i + 1);
        let (kind, end) = match c {
            c if is_space(c) => {
                let mut j = i;
                while self.at(j).is_some_and(is_space) {
                    j += 1;
                }
                (Kind::Space, j)
            }
            b'-' if next == Some(b'-') => (Kind::Comment, self.line_comment_end(i)),
            b'/' if next == Some(b'*') => (Kind::Comment, self.block_comment_end(i)),
            b'\'' => (Kind::String, self.quoted_end(i, !self.standard_strings)),
            b'"' => (Kind::QuotedIdent, self.quoted_end(i, false)),
            b'$' => match self.dollar_end(i) {
                Some(end) => (Kind::Dollar, end),
                None => {
                    let mut j = i + 1;
                    while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                        j += 1;
                    }
                    (Kind::Other, j)
                }
            },
            // E'…': the only prefix that changes how the string ends.
            b'E' | b'e' if next == Some(b'\'') => (Kind::String, self.quoted_end(i + 1, true)),
            c if ident_start(c) => (Kind::Word, self.word_end(i)),
            c if c.is_ascii_digit() => {
                let mut j = i;
                while self
                    .at(j)
                    .is_some_and(|c| c.is_ascii_digit() || c == b'.' || c == b'_')
                {
                    j += 1;
                }
                // `1e5`, `0x1F`, `123abc` (junk PostgreSQL rejects): the
                // letters belong to the number, never start a quote.
                if self.at(j).is_some_and(ident_start) {
                    j = self.word_end(j);
                }
                (Kind::Number, j)
            }
            b';' => (Kind::Semicolon, i + 1),
            b'(' => (Kind::Open, i + 1),
            b')' => (Kind::Close, i + 1),
            _ => (Kind::Other, i + 1),
        };
        self.pos = end;
        Some(Token {
            kind,
            start: i,
            end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(Kind, &str)> {
        let lx = Lexer::new(sql);
        lx.clone()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, lx.text(t)))
            .collect()
    }

    #[test]
    fn dollars_inside_identifiers_and_parameters_are_not_quotes() {
        assert_eq!(
            kinds("a$b$c $1 $x$ ; $x$"),
            vec![
                (Kind::Word, "a$b$c"),
                (Kind::Other, "$1"),
                (Kind::Dollar, "$x$ ; $x$")
            ]
        );
        assert_eq!(kinds("$$a;b$$")[0], (Kind::Dollar, "$$a;b$$"));
        // A tag may not start with a digit; `$é$` is a tag (non-ASCII).
        assert_eq!(kinds("$1$")[0], (Kind::Other, "$1"));
        assert_eq!(kinds("$é$;$é$")[0], (Kind::Dollar, "$é$;$é$"));
        // After a number, a `$` starts a token again.
        assert_eq!(kinds("1$q$;$q$")[1], (Kind::Dollar, "$q$;$q$"));
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(kinds(r"E'\';'")[0], (Kind::String, r"E'\';'"));
        assert_eq!(kinds(r"e'\\'")[0], (Kind::String, r"e'\\'"));
        // `xe'…'` is identifier xe and a standard string.
        assert_eq!(
            kinds(r"xe'\' ';'"),
            vec![
                (Kind::Word, "xe"),
                (Kind::String, r"'\'"),
                (Kind::String, "';'")
            ]
        );
        assert_eq!(kinds("'it''s;'")[0], (Kind::String, "'it''s;'"));
        assert_eq!(
            kinds("U&\"a;\"\"b\"")[2],
            (Kind::QuotedIdent, "\"a;\"\"b\"")
        );
        let mut off = Lexer::new(r"'a\';b'");
        off.standard_strings = false;
        assert_eq!(off.next().map(|t| t.end), Some(7));
    }

    #[test]
    fn comments_nest_and_start_inside_operators() {
        assert_eq!(
            kinds("/* a /* b */ ; */x"),
            vec![(Kind::Comment, "/* a /* b */ ; */"), (Kind::Word, "x")]
        );
        assert_eq!(
            kinds("1 +-- c;\n2"),
            vec![
                (Kind::Number, "1"),
                (Kind::Other, "+"),
                (Kind::Comment, "-- c;"),
                (Kind::Number, "2")
            ]
        );
    }
}
