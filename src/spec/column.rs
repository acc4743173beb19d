//! One column declaration — from the shorthand string
//! (`uuid not null references organizations(id) on delete cascade`) or the
//! full map — and the shorthand renderer `strata pull` uses.

use crate::model::{Column, FkAction, FkMatch, Identity, IdentityKind, Sequence};

use super::names::matching_paren;
use crate::pg::ident::dotted_part;

/// A column and the constraints declared on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnDecl {
    pub column: Column,
    /// `Some(false)` = explicitly nullable (`null` / `nullable: true`).
    pub explicit_not_null: Option<bool>,
    pub primary_key: Option<Named>,
    pub unique: Option<UniqueDecl>,
    pub check: Option<CheckDecl>,
    pub references: Option<RefDecl>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Named {
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UniqueDecl {
    pub name: Option<String>,
    pub nulls_not_distinct: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckDecl {
    pub name: Option<String>,
    pub expression: String,
}

/// A column-level foreign key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RefDecl {
    pub name: Option<String>,
    pub target: RefTarget,
    pub on_delete: FkAction,
    /// `on delete set null (col, …)`: the columns it sets (empty = all).
    pub on_delete_columns: Vec<String>,
    pub on_update: FkAction,
    pub match_type: FkMatch,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// Character offset of the target inside the shorthand (for errors).
    pub offset: usize,
}

/// `[schema.]table` and the referenced columns (empty = its primary key).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RefTarget {
    pub table: Vec<String>,
    pub columns: Vec<String>,
}

/// A shorthand problem: character offset into the string and message.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortError {
    pub offset: usize,
    pub message: String,
}

/// Words that end the type (and a `default` expression).
const CLAUSE_WORDS: &[&str] = &[
    "not",
    "null",
    "default",
    "primary",
    "unique",
    "references",
    "check",
    "generated",
    "collate",
    "constraint",
];

/// `serial` pseudo-types → the integer type underneath.
pub fn serial_type(name: &str) -> Option<&'static str> {
    crate::pg::types::serial_base(name)
}

/// Parse an action word sequence (`cascade`, `set null`, `no action`, …).
pub fn parse_action(text: &str) -> Option<FkAction> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["cascade"] => Some(FkAction::Cascade),
        ["restrict"] => Some(FkAction::Restrict),
        ["no", "action"] | ["no_action"] => Some(FkAction::NoAction),
        ["set", "null"] | ["set_null"] => Some(FkAction::SetNull),
        ["set", "default"] | ["set_default"] => Some(FkAction::SetDefault),
        _ => None,
    }
}

/// An `on_delete` value: an action, or `set null (col, …)` /
/// `set default (col, …)` naming the columns the action sets.
pub fn parse_delete_action(text: &str) -> Result<(FkAction, Vec<String>), String> {
    let bad = || {
        format!("expected cascade, restrict, set null, set default or no action, found \"{text}\"")
    };
    let Some(open) = find_unquoted(text, '(') else {
        return parse_action(text).map(|a| (a, Vec::new())).ok_or_else(bad);
    };
    let action = parse_action(&text[..open]).ok_or_else(bad)?;
    if !takes_columns(&action) {
        return Err(format!(
            "a column list is allowed only after set null or set default, found \"{text}\""
        ));
    }
    let group = text[open..].trim_end();
    if matching_paren(group, 0) != Some(group.len() - 1) {
        return Err(format!("expected \")\" at the end of \"{text}\""));
    }
    let columns = parse_column_list(&group[1..group.len() - 1])?;
    Ok((action, columns))
}

/// Actions that may name the columns they set (PostgreSQL 15+).
pub fn takes_columns(action: &FkAction) -> bool {
    matches!(action, FkAction::SetNull | FkAction::SetDefault)
}

/// `set null (a, "B")` as the writer spells an `on_delete` value.
pub fn render_delete_action(action: &FkAction, columns: &[String]) -> String {
    let word = action.sql().to_ascii_lowercase();
    if columns.is_empty() {
        return word;
    }
    let c: Vec<String> = columns.iter().map(|p| dotted_part(p)).collect();
    format!("{word} ({})", c.join(", "))
}

/// The first of `listed` that is not one of the foreign key's `columns`,
/// as a message.
pub fn foreign_delete_column_error(columns: &[String], listed: &[String]) -> Option<String> {
    let stray = listed.iter().find(|c| !columns.contains(c))?;
    Some(format!(
        "on delete column \"{stray}\" is not a column of the foreign key ({})",
        columns.join(", ")
    ))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Word,
    Group,
}

#[derive(Clone, Debug)]
struct Tok<'a> {
    text: &'a str,
    /// Byte range in the source.
    start: usize,
    end: usize,
    kind: Kind,
}

impl Tok<'_> {
    fn is(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(word)
    }
    fn is_clause(&self) -> bool {
        CLAUSE_WORDS.iter().any(|w| self.is(w))
    }
}

/// Split into words and parenthesised groups. Quotes are kept inside a
/// token; a `(` starts a group that runs to its matching `)`.
fn tokenize(s: &str) -> Result<Vec<Tok<'_>>, ShortError> {
    let mut toks = Vec::new();
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' {
            let close = matching_paren(s, start).ok_or_else(|| ShortError {
                offset: char_offset(s, start),
                message: "unbalanced parenthesis".into(),
            })?;
            toks.push(Tok {
                text: &s[start..=close],
                start,
                end: close + 1,
                kind: Kind::Group,
            });
            while i < bytes.len() && bytes[i].0 <= close {
                i += 1;
            }
            continue;
        }
        let mut quote: Option<char> = None;
        let mut end = s.len();
        while i < bytes.len() {
            let (at, ch) = bytes[i];
            match quote {
                Some(q) if ch == q => quote = None,
                Some(_) => {}
                None if ch == '\'' || ch == '"' => quote = Some(ch),
                None if ch.is_whitespace() || ch == '(' => {
                    end = at;
                    break;
                }
                None => {}
            }
            i += 1;
        }
        if quote.is_some() {
            return Err(ShortError {
                offset: char_offset(s, start),
                message: "unterminated quote".into(),
            });
        }
        toks.push(Tok {
            text: &s[start..end],
            start,
            end,
            kind: Kind::Word,
        });
    }
    Ok(toks)
}

fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte.min(s.len())].chars().count()
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Tok<'a>>,
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.i)
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        let t = self.toks.get(self.i).cloned();
        self.i += 1;
        t
    }

    fn err<T>(&self, at: Option<&Tok<'_>>, message: String) -> Result<T, ShortError> {
        let offset = at.map_or(self.src.chars().count(), |t| char_offset(self.src, t.start));
        Err(ShortError { offset, message })
    }

    /// Expect the word `word` next.
    fn expect(&mut self, word: &str, after: &str) -> Result<(), ShortError> {
        match self.peek() {
            Some(t) if t.is(word) => {
                self.i += 1;
                Ok(())
            }
            Some(t) => {
                let t = t.clone();
                self.err(
                    Some(&t),
                    format!(
                        "expected \"{word}\" after \"{after}\", found \"{}\"",
                        t.text
                    ),
                )
            }
            None => self.err(None, format!("expected \"{word}\" after \"{after}\"")),
        }
    }

    /// Text of tokens from the current one up to (not including) the next
    /// clause word; `None` when there are none.
    fn run_until_clause(&mut self) -> Option<(&'a str, usize)> {
        let first = self.i;
        while self.peek().is_some_and(|t| !t.is_clause()) {
            self.i += 1;
        }
        if self.i == first {
            return None;
        }
        let (s, e) = (self.toks[first].start, self.toks[self.i - 1].end);
        Some((&self.src[s..e], s))
    }

    /// An integer after `after`, skipping the optional word `noise`
    /// (`start with 10`, `increment by 5`).
    fn number_after(&mut self, after: &str, noise: &str) -> Result<i64, ShortError> {
        if !noise.is_empty() && self.peek().is_some_and(|t| t.is(noise)) {
            self.i += 1;
        }
        match self.next() {
            Some(t) if t.text.parse::<i64>().is_ok() => Ok(t.text.parse().unwrap_or_default()),
            other => self.err(
                other.as_ref(),
                format!(
                    "expected a number after \"{after}\"{}",
                    found(other.as_ref())
                ),
            ),
        }
    }

    /// The word after `after` (a name: not a clause keyword, not a group).
    fn word_after(&mut self, after: &str, what: &str) -> Result<&'a str, ShortError> {
        match self.next() {
            Some(t) if t.kind == Kind::Word && !t.is_clause() => Ok(t.text),
            other => self.err(
                other.as_ref(),
                format!("expected {what} after \"{after}\"{}", found(other.as_ref())),
            ),
        }
    }

    fn group_inner(&mut self, after: &str) -> Result<String, ShortError> {
        match self.next() {
            Some(t) if t.kind == Kind::Group => Ok(t.text[1..t.text.len() - 1].trim().to_string()),
            other => self.err(
                other.as_ref(),
                format!(
                    "expected a parenthesised expression after \"{after}\"{}",
                    found(other.as_ref())
                ),
            ),
        }
    }
}

fn found(t: Option<&Tok<'_>>) -> String {
    t.map(|t| format!(", found \"{}\"", t.text))
        .unwrap_or_default()
}

/// Parse the column shorthand. See docs/schema-format.md for the grammar.
pub fn parse_shorthand(src: &str) -> Result<ColumnDecl, ShortError> {
    let mut p = Parser {
        src,
        toks: tokenize(src)?,
        i: 0,
    };
    let mut decl = ColumnDecl::default();
    match p.run_until_clause() {
        Some((ty, _)) => set_type(&mut decl, ty),
        None => {
            let first = p.peek().cloned();
            return p.err(
                first.as_ref(),
                format!("expected a column type first{}", found(first.as_ref())),
            );
        }
    }
    let mut pending_name: Option<String> = None;
    while let Some(tok) = p.next() {
        let named = pending_name.take();
        let word = tok.text.to_ascii_lowercase();
        let names_a_constraint = matches!(
            word.as_str(),
            "primary" | "unique" | "check" | "references" | "not"
        );
        if named.is_some() && !names_a_constraint {
            return p.err(
                Some(&tok),
                format!(
                    "expected not null, primary key, unique, check or references after the constraint name, found \"{}\"",
                    tok.text
                ),
            );
        }
        if tok.kind == Kind::Word && word == "constraint" {
            pending_name = Some(
                p.word_after("constraint", "a constraint name")
                    .map(unquote_ident)?,
            );
        } else {
            clause(&mut p, &tok, named, &mut decl)?;
        }
    }
    if pending_name.is_some() {
        return p.err(
            None,
            "expected a constraint after the constraint name".into(),
        );
    }
    Ok(decl)
}

/// One clause starting at `tok` (already consumed); `named` is the name
/// given by a preceding `constraint NAME`.
fn clause(
    p: &mut Parser<'_>,
    tok: &Tok<'_>,
    named: Option<String>,
    decl: &mut ColumnDecl,
) -> Result<(), ShortError> {
    let word = if tok.kind == Kind::Word {
        tok.text.to_ascii_lowercase()
    } else {
        String::new()
    };
    match word.as_str() {
        "not" => {
            p.expect("null", "not")?;
            set_nullability(p, tok, decl, true)?;
            // `constraint NAME not null`: PostgreSQL 18 names the NOT NULL
            // constraint.
            if named.is_some() {
                decl.column.not_null_name = named;
            }
        }
        "null" => set_nullability(p, tok, decl, false)?,
        "default" => decl.column.default = Some(default_expr(p)?),
        "primary" => {
            p.expect("key", "primary")?;
            decl.primary_key = Some(Named { name: named });
        }
        "unique" => decl.unique = Some(unique_clause(p, named)?),
        "check" => {
            let expression = p.group_inner("check")?;
            decl.check = Some(CheckDecl {
                name: named,
                expression,
            });
        }
        "references" => decl.references = Some(parse_references(p, named)?),
        "generated" => parse_generated(p, decl)?,
        "collate" => {
            let name = p.word_after("collate", "a collation name")?;
            decl.column.collation = Some(normalize_collation(name));
        }
        _ => {
            return p.err(
                Some(tok),
                format!(
                    "unexpected \"{}\"; expected not null, null, default, primary key, unique, \
                     references, check, generated, collate or constraint",
                    tok.text
                ),
            )
        }
    }
    Ok(())
}

/// The expression after `default`: up to the next clause keyword.
fn default_expr(p: &mut Parser<'_>) -> Result<String, ShortError> {
    match p.run_until_clause() {
        Some((e, _)) => Ok(e.to_string()),
        // `default null`: null is the expression, not a clause.
        None if p.peek().is_some_and(|t| t.is("null")) => {
            Ok(p.next().map(|t| t.text.to_string()).unwrap_or_default())
        }
        None => p.err(p.peek(), "expected an expression after \"default\"".into()),
    }
}

/// `unique [nulls [not] distinct]` (after `unique`).
fn unique_clause(p: &mut Parser<'_>, name: Option<String>) -> Result<UniqueDecl, ShortError> {
    let mut u = UniqueDecl {
        name,
        nulls_not_distinct: false,
    };
    if p.peek().is_some_and(|t| t.is("nulls")) {
        p.next();
        u.nulls_not_distinct = p.peek().is_some_and(|t| t.is("not"));
        if u.nulls_not_distinct {
            p.next();
        }
        p.expect("distinct", "nulls")?;
    }
    Ok(u)
}

fn set_nullability(
    p: &mut Parser<'_>,
    tok: &Tok<'_>,
    decl: &mut ColumnDecl,
    not_null: bool,
) -> Result<(), ShortError> {
    if decl.explicit_not_null.is_some_and(|v| v != not_null) {
        return p.err(Some(tok), "conflicting null / not null".into());
    }
    decl.explicit_not_null = Some(not_null);
    decl.column.not_null = not_null || decl.column.not_null;
    Ok(())
}

/// Set the type; `serial` types become their integer type plus an owned
/// sequence, and like identity columns they are implicitly NOT NULL.
pub fn set_type(decl: &mut ColumnDecl, ty: &str) {
    match serial_type(ty.trim()) {
        Some(int) => {
            decl.column.data_type = int.to_string();
            decl.column.serial = Some(Sequence::default());
            decl.column.not_null = true;
        }
        None => decl.column.data_type = ty.trim().to_string(),
    }
}

/// Collation names are literal: `C` means `"C"`, `en_US.utf8` means
/// `"en_US.utf8"`. Kept as SQL text: anything with double quotes, and a
/// lowercase `schema.name` (how PostgreSQL prints a qualified collation).
pub fn normalize_collation(text: &str) -> String {
    let sql_qualified = text.contains('.')
        && text
            .chars()
            .all(|c| c == '.' || c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit());
    if text.contains('"') || sql_qualified {
        text.to_string()
    } else {
        crate::model::quote_ident(text)
    }
}

/// A constraint name in the shorthand: `"quoted name"` or a bare word,
/// both literal.
fn unquote_ident(text: &str) -> String {
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        text[1..text.len() - 1].replace("\"\"", "\"")
    } else {
        text.to_string()
    }
}

fn parse_references(p: &mut Parser<'_>, name: Option<String>) -> Result<RefDecl, ShortError> {
    let target_tok = match p.next() {
        Some(t) if t.kind == Kind::Word && !t.is_clause() => t,
        other => {
            return p.err(
                other.as_ref(),
                format!(
                    "expected a table after \"references\"{}",
                    found(other.as_ref())
                ),
            )
        }
    };
    let offset = char_offset(p.src, target_tok.start);
    let mut text = target_tok.text.to_string();
    if let Some(g) = p.peek().filter(|t| t.kind == Kind::Group).cloned() {
        p.next();
        text.push_str(g.text);
    }
    let target = parse_ref_target(&text).map_err(|message| ShortError { offset, message })?;
    let mut r = RefDecl {
        name,
        target,
        offset,
        ..RefDecl::default()
    };
    while let Some(t) = p.peek().cloned() {
        if t.is("on") {
            p.next();
            let which = p.next();
            let which_word = which.as_ref().map(|w| w.text.to_ascii_lowercase());
            let action = take_action(p)?;
            match which_word.as_deref() {
                Some("delete") => {
                    r.on_delete_columns = action_columns(p, &action)?;
                    r.on_delete = action;
                }
                Some("update") => r.on_update = action,
                _ => {
                    return p.err(
                        which.as_ref(),
                        format!(
                            "expected delete or update after \"on\"{}",
                            found(which.as_ref())
                        ),
                    )
                }
            }
        } else if t.is("match") {
            p.next();
            r.match_type = match p.next() {
                Some(m) if m.is("full") => FkMatch::Full,
                Some(m) if m.is("simple") => FkMatch::Simple,
                other => {
                    return p.err(
                        other.as_ref(),
                        format!(
                            "expected full or simple after \"match\"{}",
                            found(other.as_ref())
                        ),
                    )
                }
            };
        } else if t.is("deferrable") {
            p.next();
            r.deferrable = true;
        } else if t.is("not") && p.toks.get(p.i + 1).is_some_and(|n| n.is("deferrable")) {
            p.i += 2;
            r.deferrable = false;
        } else if t.is("initially") {
            p.next();
            r.initially_deferred = match p.next() {
                Some(m) if m.is("deferred") => true,
                Some(m) if m.is("immediate") => false,
                other => {
                    return p.err(
                        other.as_ref(),
                        format!(
                            "expected deferred or immediate after \"initially\"{}",
                            found(other.as_ref())
                        ),
                    )
                }
            };
        } else {
            break;
        }
    }
    Ok(r)
}

/// `(col, …)` after `on delete set null` / `set default`, if present.
fn action_columns(p: &mut Parser<'_>, action: &FkAction) -> Result<Vec<String>, ShortError> {
    let Some(g) = p
        .peek()
        .filter(|t| t.kind == Kind::Group && takes_columns(action))
        .cloned()
    else {
        return Ok(Vec::new());
    };
    p.next();
    parse_column_list(&g.text[1..g.text.len() - 1]).map_err(|message| ShortError {
        offset: char_offset(p.src, g.start),
        message,
    })
}

fn take_action(p: &mut Parser<'_>) -> Result<FkAction, ShortError> {
    let first = p.next();
    let Some(first) = first else {
        return p.err(
            None,
            "expected cascade, restrict, set null, set default or no action".into(),
        );
    };
    let two_words = first.is("set") || first.is("no");
    let text = if two_words {
        match p.next() {
            Some(second) => format!("{} {}", first.text, second.text),
            None => first.text.to_string(),
        }
    } else {
        first.text.to_string()
    };
    parse_action(&text).map_or_else(
        || {
            p.err(
                Some(&first),
                format!("expected cascade, restrict, set null, set default or no action, found \"{text}\""),
            )
        },
        Ok,
    )
}

fn parse_generated(p: &mut Parser<'_>, decl: &mut ColumnDecl) -> Result<(), ShortError> {
    let kind = match p.next() {
        Some(t) if t.is("always") => IdentityKind::Always,
        Some(t) if t.is("by") => {
            p.expect("default", "by")?;
            IdentityKind::ByDefault
        }
        other => {
            return p.err(
                other.as_ref(),
                format!(
                    "expected always or by default after \"generated\"{}",
                    found(other.as_ref())
                ),
            )
        }
    };
    p.expect("as", "generated")?;
    match p.peek().cloned() {
        Some(t) if t.is("identity") => {
            p.next();
            let sequence = match p.peek().filter(|t| t.kind == Kind::Group).cloned() {
                Some(g) => {
                    p.next();
                    let base = g.start + 1;
                    sequence_options(&g.text[1..g.text.len() - 1]).map_err(|e| ShortError {
                        offset: char_offset(p.src, base) + e.offset,
                        message: e.message,
                    })?
                }
                None => Sequence::default(),
            };
            decl.column.identity = Some(Identity { kind, sequence });
            decl.column.not_null = true;
            Ok(())
        }
        Some(t) if t.kind == Kind::Group && kind == IdentityKind::Always => {
            let expr = p.group_inner("as")?;
            // Always spelled out: a bare `generated always as (…)` is
            // STORED before PostgreSQL 18 and VIRTUAL from 18 on.
            decl.column.generated_virtual = match p.next() {
                Some(k) if k.is("stored") => false,
                Some(k) if k.is("virtual") => true,
                other => {
                    return p.err(
                        other.as_ref(),
                        format!(
                            "expected \"stored\" or \"virtual\" after \"generated always as {}\"{}",
                            t.text,
                            found(other.as_ref())
                        ),
                    )
                }
            };
            decl.column.generated = Some(expr);
            Ok(())
        }
        other => p.err(
            other.as_ref(),
            format!(
                "expected identity or a parenthesised expression after \"as\"{}",
                found(other.as_ref())
            ),
        ),
    }
}

/// `start with 10 increment by 5 minvalue 1 no maxvalue cache 20 cycle
/// as bigint` (the SQL sequence options; offsets relative to `src`).
fn sequence_options(src: &str) -> Result<Sequence, ShortError> {
    let mut p = Parser {
        src,
        toks: tokenize(src)?,
        i: 0,
    };
    let mut s = Sequence::default();
    while let Some(tok) = p.next() {
        let word = tok.text.to_ascii_lowercase();
        match word.as_str() {
            "start" => s.start = Some(p.number_after("start", "with")?),
            "increment" => s.increment = Some(p.number_after("increment", "by")?),
            "minvalue" => s.min_value = Some(p.number_after("minvalue", "")?),
            "maxvalue" => s.max_value = Some(p.number_after("maxvalue", "")?),
            "cache" => s.cache = Some(p.number_after("cache", "")?),
            "cycle" => s.cycle = true,
            "as" => s.data_type = Some(p.word_after("as", "a type")?.to_string()),
            "no" => match p.next() {
                Some(t) if t.is("cycle") => s.cycle = false,
                Some(t) if t.is("minvalue") => s.min_value = None,
                Some(t) if t.is("maxvalue") => s.max_value = None,
                other => {
                    return p.err(
                        other.as_ref(),
                        format!(
                            "expected cycle, minvalue or maxvalue after \"no\"{}",
                            found(other.as_ref())
                        ),
                    )
                }
            },
            _ => {
                return p.err(
                    Some(&tok),
                    format!(
                    "unexpected \"{}\" in sequence options; expected start, increment, minvalue, \
                         maxvalue, cache, cycle, no or as",
                    tok.text
                ),
                )
            }
        }
    }
    Ok(s)
}

/// Parse a reference target: `table`, `schema.table(col, …)`, `table.col`,
/// `schema.table.col`.
pub fn parse_ref_target(text: &str) -> Result<RefTarget, String> {
    let text = text.trim();
    let paren = find_unquoted(text, '(');
    match paren {
        Some(open) => {
            if !text.ends_with(')') {
                return Err(format!("expected \")\" at the end of reference \"{text}\""));
            }
            let table = crate::pg::ident::split_dotted(&text[..open])?;
            if table.len() > 2 {
                return Err(format!("too many dots in table name \"{}\"", &text[..open]));
            }
            let columns = parse_column_list(&text[open + 1..text.len() - 1])?;
            Ok(RefTarget { table, columns })
        }
        None => {
            let mut parts = crate::pg::ident::split_dotted(text)?;
            match parts.len() {
                1 => Ok(RefTarget {
                    table: parts,
                    columns: vec![],
                }),
                2 | 3 => {
                    let col = parts.pop().unwrap_or_default();
                    Ok(RefTarget {
                        table: parts,
                        columns: vec![col],
                    })
                }
                _ => Err(format!("too many dots in reference \"{text}\"")),
            }
        }
    }
}

/// `a, "B", c` → column names.
fn parse_column_list(inner: &str) -> Result<Vec<String>, String> {
    let mut columns = Vec::new();
    for part in split_unquoted(inner, ',') {
        let mut c = crate::pg::ident::split_dotted(part)?;
        if c.len() != 1 {
            return Err(format!("expected a column name, found \"{}\"", part.trim()));
        }
        columns.append(&mut c);
    }
    Ok(columns)
}

fn find_unquoted(s: &str, needle: char) -> Option<usize> {
    let mut in_quote = false;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quote = !in_quote;
        } else if c == needle && !in_quote {
            return Some(i);
        }
    }
    None
}

fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = find_unquoted(rest, sep) {
        out.push(&rest[..i]);
        rest = &rest[i + sep.len_utf8()..];
    }
    out.push(rest);
    out
}

/// Render a reference target as `table(col, …)` (the form the writer uses).
pub fn render_ref_target(table: &[String], columns: &[String]) -> String {
    let t: Vec<String> = table.iter().map(|p| dotted_part(p)).collect();
    let c: Vec<String> = columns.iter().map(|p| dotted_part(p)).collect();
    if c.is_empty() {
        t.join(".")
    } else {
        format!("{}({})", t.join("."), c.join(", "))
    }
}

/// Render `decl` as shorthand. The caller checks that it parses back to the
/// same declaration before using it (anything ambiguous falls back to the
/// map form).
pub fn render_shorthand(decl: &ColumnDecl) -> Option<String> {
    let c = &decl.column;
    let mut out = match (&c.serial, c.data_type.as_str()) {
        (Some(_), "integer") => "serial".to_string(),
        (Some(_), "bigint") => "bigserial".to_string(),
        (Some(_), "smallint") => "smallserial".to_string(),
        (Some(_), _) => return None,
        (None, t) => t.to_string(),
    };
    if let Some(coll) = &c.collation {
        out += &format!(" collate {coll}");
    }
    if let Some(id) = &c.identity {
        out += match id.kind {
            IdentityKind::Always => " generated always as identity",
            IdentityKind::ByDefault => " generated by default as identity",
        };
        if !id.sequence.is_default() {
            out += &format!(" ({})", render_sequence_options(&id.sequence));
        }
    }
    if let Some(g) = &c.generated {
        let kind = if c.generated_virtual {
            "virtual"
        } else {
            "stored"
        };
        out += &format!(" generated always as ({g}) {kind}");
    }
    let implied = c.serial.is_some() || c.identity.is_some() || decl.primary_key.is_some();
    if let Some(n) = &c.not_null_name {
        out += &format!(" constraint {} not null", dotted_part(n));
    } else if c.not_null && !implied {
        out += " not null";
    }
    if let Some(d) = &c.default {
        out += &format!(" default {d}");
    }
    if decl.primary_key.is_some() {
        out += " primary key";
    }
    if let Some(u) = &decl.unique {
        out += if u.nulls_not_distinct {
            " unique nulls not distinct"
        } else {
            " unique"
        };
    }
    if let Some(r) = &decl.references {
        out += &format!(
            " references {}",
            render_ref_target(&r.target.table, &r.target.columns)
        );
        out += &render_fk_options(r);
    }
    if let Some(ch) = &decl.check {
        out += &format!(" check ({})", ch.expression);
    }
    Some(out)
}

/// `start with 10 increment by 5 …` in the shorthand's spelling.
fn render_sequence_options(s: &Sequence) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &s.data_type {
        parts.push(format!("as {t}"));
    }
    for (word, v) in [
        ("start with", s.start),
        ("increment by", s.increment),
        ("minvalue", s.min_value),
        ("maxvalue", s.max_value),
        ("cache", s.cache),
    ] {
        if let Some(v) = v {
            parts.push(format!("{word} {v}"));
        }
    }
    if s.cycle {
        parts.push("cycle".into());
    }
    parts.join(" ")
}

fn render_fk_options(r: &RefDecl) -> String {
    let mut out = String::new();
    if r.match_type == FkMatch::Full {
        out += " match full";
    }
    if r.on_delete != FkAction::NoAction {
        out += &format!(
            " on delete {}",
            render_delete_action(&r.on_delete, &r.on_delete_columns)
        );
    }
    if r.on_update != FkAction::NoAction {
        out += &format!(" on update {}", r.on_update.sql().to_ascii_lowercase());
    }
    if r.deferrable {
        out += " deferrable";
    }
    if r.initially_deferred {
        out += " initially deferred";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_delete_action, render_delete_action};
    use crate::model::FkAction;

    #[test]
    fn delete_action_with_columns_round_trips() {
        let cols = vec!["a".to_string(), "B c".to_string()];
        let text = render_delete_action(&FkAction::SetNull, &cols);
        assert_eq!(text, "set null (a, \"B c\")");
        assert_eq!(parse_delete_action(&text), Ok((FkAction::SetNull, cols)));
        assert_eq!(
            parse_delete_action("SET DEFAULT(x)"),
            Ok((FkAction::SetDefault, vec!["x".to_string()]))
        );
        assert_eq!(
            parse_delete_action("cascade"),
            Ok((FkAction::Cascade, vec![]))
        );
    }

    #[test]
    fn delete_action_errors() {
        assert!(parse_delete_action("restrict (a)")
            .unwrap_err()
            .starts_with("a column list is allowed only after set null or set default"));
        assert_eq!(
            parse_delete_action("set null (a"),
            Err("expected \")\" at the end of \"set null (a\"".to_string())
        );
        assert!(parse_delete_action("set null (a) x").is_err());
        assert!(parse_delete_action("explode (a)").is_err());
    }
}
