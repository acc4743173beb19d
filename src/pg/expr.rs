//! Reading SQL expressions the way PostgreSQL's parser reads them, as far
//! as naming and dependency questions need: which columns an expression
//! refers to (the column name PostgreSQL derives for an index expression
//! is in [`super::index_colname`], on the same tokens).
//!
//! The text is tokenised with [`super::lex`] — never searched as a string —
//! so a name inside a literal (`'price'`, `E'\'price'`, `$$price$$`), a
//! function name (`price(…)`), a type (`::price`), a collation, or a word of
//! SQL syntax (`AT TIME ZONE`, `IS UNKNOWN`, `EXTRACT(year FROM …)`) is
//! never taken for a column. Bare words are folded to lower case, quoted
//! identifiers compare exactly (PostgreSQL's rules), and a qualified
//! reference `t.col` resolves as PostgreSQL does (`t` a relation when it
//! names the table, else a column whose field is selected).

use super::ident::{fold, keyword, unquote, Keyword};
use super::lex::{Kind, Lexer, Token};

/// One significant token of an expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    /// A bare word (folded; keywords included) or a quoted identifier
    /// (exact; `bare` false).
    Name {
        name: String,
        bare: bool,
    },
    /// A constant: a string of any form, a dollar-quoted string, a number.
    Literal,
    Open,
    Close,
    /// Punctuation and operators: `.`, `,`, `::`, `[`, `]`, `:=`, `=>`,
    /// `+`, `<>`, …
    Op(String),
}

impl Item {
    pub(super) fn is_op(&self, s: &str) -> bool {
        matches!(self, Item::Op(o) if o == s)
    }

    /// A bare word equal to `w` (lower case).
    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(self, Item::Name { name, bare: true } if name == w)
    }

    pub(super) fn name(&self) -> Option<&str> {
        match self {
            Item::Name { name, .. } => Some(name),
            _ => None,
        }
    }

    /// A bare word that can never be a column reference: a reserved or
    /// type/function-name keyword.
    pub(super) fn is_syntax(&self) -> bool {
        match self {
            Item::Name { name, bare: true } => matches!(
                keyword(name),
                Some(Keyword::Reserved | Keyword::TypeFuncName)
            ),
            _ => false,
        }
    }
}

const OPERATOR_CHARS: &[u8] = b"+-*/<>=~!@#%^&|`?";

pub(super) fn items(expr: &str) -> Vec<Item> {
    lexed(expr).0
}

/// The items of `expr` and the byte range each covers.
fn lexed(expr: &str) -> (Vec<Item>, Vec<(usize, usize)>) {
    let lx = Lexer::new(expr);
    let toks: Vec<Token> = lx
        .clone()
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::Comment))
        .collect();
    let text = |i: usize| toks.get(i).map_or("", |t| lx.text(*t));
    let glued = |i: usize| toks.get(i + 1).is_some_and(|n| n.start == toks[i].end);
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let s = text(i);
        let start = toks[i].start;
        let before = out.len();
        match toks[i].kind {
            Kind::Word => {
                let lower = s.to_ascii_lowercase();
                // U&"…" / U&'…': one name or literal.
                if lower == "u" && glued(i) && text(i + 1) == "&" && glued(i + 1) {
                    let kind = toks.get(i + 2).map(|t| t.kind);
                    if matches!(kind, Some(Kind::QuotedIdent | Kind::String)) {
                        let (esc, used) = uescape(&toks, &lx, i + 3);
                        out.push(if kind == Some(Kind::String) {
                            Item::Literal
                        } else {
                            let body = unquote(text(i + 2));
                            let name = decode_unicode(&body, esc).unwrap_or(body);
                            Item::Name { name, bare: false }
                        });
                        i += 3 + used;
                        spans.push((start, toks[i - 1].end));
                        continue;
                    }
                }
                // B'…', X'…', N'…': one literal.
                if matches!(lower.as_str(), "b" | "x" | "n")
                    && glued(i)
                    && toks[i + 1].kind == Kind::String
                {
                    out.push(Item::Literal);
                    i += 2;
                    spans.push((start, toks[i - 1].end));
                    continue;
                }
                out.push(Item::Name {
                    name: fold(s),
                    bare: true,
                });
            }
            Kind::QuotedIdent => out.push(Item::Name {
                name: unquote(s),
                bare: false,
            }),
            Kind::String | Kind::Dollar | Kind::Number => out.push(Item::Literal),
            Kind::Open => out.push(Item::Open),
            Kind::Close => out.push(Item::Close),
            Kind::Semicolon => out.push(Item::Op(";".into())),
            Kind::Space | Kind::Comment => {}
            Kind::Other => {
                let mut op = s.to_string();
                let is_op = |x: &str| x.len() == 1 && OPERATOR_CHARS.contains(&x.as_bytes()[0]);
                if s == ":" && glued(i) && matches!(text(i + 1), ":" | "=") {
                    op.push_str(text(i + 1));
                    i += 1;
                } else if is_op(s) {
                    while glued(i) && is_op(text(i + 1)) {
                        op.push_str(text(i + 1));
                        i += 1;
                    }
                }
                out.push(Item::Op(op));
            }
        }
        if out.len() > before {
            spans.push((start, toks[i].end));
        }
        i += 1;
    }
    (out, spans)
}

/// The escape character of a `U&` literal: `\`, or the one of a following
/// `UESCAPE '…'`; and how many tokens that clause used.
fn uescape(toks: &[Token], lx: &Lexer<'_>, at: usize) -> (char, usize) {
    let word = toks.get(at).map(|t| lx.text(*t));
    let lit = toks.get(at + 1).filter(|t| t.kind == Kind::String);
    match (word, lit) {
        (Some(w), Some(l)) if w.eq_ignore_ascii_case("uescape") => {
            let l = lx.text(*l);
            let c = l.trim_matches('\'').chars().next().unwrap_or('\\');
            (c, 2)
        }
        _ => ('\\', 0),
    }
}

/// The body of `U&"…"` with its `\XXXX` / `\+XXXXXX` escapes decoded;
/// `None` when an escape is malformed (PostgreSQL rejects the text then).
fn decode_unicode(body: &str, esc: char) -> Option<String> {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != esc {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&esc) {
            chars.next();
            out.push(esc);
            continue;
        }
        let digits = if chars.peek() == Some(&'+') {
            chars.next();
            6
        } else {
            4
        };
        let hex: String = (0..digits).filter_map(|_| chars.next()).collect();
        let code = u32::from_str_radix(&hex, 16).ok()?;
        out.push(char::from_u32(code)?);
    }
    Some(out)
}

/// A name chain that may refer to a column: `col`, `t.col`, `s.t.col`,
/// `col.field`; `star` for `t.*`.
#[derive(Debug, Clone, PartialEq)]
struct Chain {
    parts: Vec<String>,
    /// The item index of each part.
    at: Vec<usize>,
    star: bool,
}

/// The names of `items` that are not syntax, functions, types, collations,
/// parameter names or fields: every possible column reference.
fn chains(items: &[Item]) -> Vec<Chain> {
    let mut out = Vec::new();
    // The function each open parenthesis belongs to (`None`: grouping).
    let mut calls: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        let prev = i.checked_sub(1).map(|p| &items[p]);
        match item {
            Item::Open => {
                calls.push(None);
                i += 1;
            }
            Item::Close => {
                calls.pop();
                i += 1;
            }
            Item::Op(o) if o == "::" => i = skip_type(items, i + 1),
            _ if item.is_word("as") => i = skip_type(items, i + 1),
            _ if item.is_word("collate") => i = skip_chain(items, i + 1).0,
            _ if item.is_word("is") => i = skip_is_words(items, i + 1),
            _ if item.is_word("at") && is_time_zone(items, i + 1) => i += 3,
            // A field of a composite value (`(x).f`) or a part already
            // read with its chain.
            Item::Name { .. } if prev.is_some_and(|p| p.is_op(".")) => i += 1,
            Item::Name { .. } => {
                let call = calls.last().cloned().flatten();
                let first_arg = prev == Some(&Item::Open);
                i = name_at(items, i, call.as_deref(), first_arg, &mut calls, &mut out);
            }
            _ => i += 1,
        }
    }
    out
}

/// Read the chain starting at `i`; record it in `out` when it can be a
/// column reference. Returns the index after what was consumed.
fn name_at(
    items: &[Item],
    i: usize,
    call: Option<&str>,
    first_arg: bool,
    calls: &mut Vec<Option<String>>,
    out: &mut Vec<Chain>,
) -> usize {
    let (end, parts, star) = skip_chain(items, i);
    let at = chain_indices(items, i, parts.len());
    let next = items.get(end);
    let word = &items[i];
    match next {
        // A function call: its name is not a column.
        Some(Item::Open) => {
            calls.push(parts.last().cloned());
            return end + 1;
        }
        // `type 'literal'` (`interval '1 day' hour`, `date '…'`).
        Some(Item::Literal) => {
            let mut j = end + 1;
            while items.get(j).is_some_and(is_interval_field) {
                j += 1;
            }
            return j;
        }
        // A named argument `f(a => 1)`.
        Some(Item::Op(o)) if o == "=>" || o == ":=" => return end,
        _ => {}
    }
    let syntax = parts.len() == 1 && !star && word.is_syntax();
    // `EXTRACT(field FROM …)`, `NORMALIZE(x, NFC)`, `XMLPARSE(DOCUMENT …)`,
    // `XMLELEMENT(NAME n, …)`: words of the call's own syntax.
    let call_word = match call {
        Some("extract") => first_arg,
        Some("xmlparse" | "xmlserialize") => {
            first_arg && (word.is_word("document") || word.is_word("content"))
        }
        Some("xmlelement" | "xmlpi") if first_arg && word.is_word("name") => {
            return skip_chain(items, end).0;
        }
        Some("normalize") => {
            items[i - 1].is_op(",") && parts.len() == 1 && is_normal_form(&parts[0])
        }
        Some("operator") => true,
        _ => false,
    };
    if !syntax && !call_word {
        out.push(Chain { parts, at, star });
    }
    end
}

/// `name(.name)*(.*)?` from `i`: the index after it, its parts, and
/// whether it ends in `.*`.
pub(super) fn skip_chain(items: &[Item], i: usize) -> (usize, Vec<String>, bool) {
    let mut parts = Vec::new();
    let Some(first) = items.get(i).and_then(Item::name) else {
        return (i, parts, false);
    };
    parts.push(first.to_string());
    let mut j = i + 1;
    while items.get(j).is_some_and(|x| x.is_op(".")) {
        match items.get(j + 1) {
            Some(Item::Name { name, .. }) => parts.push(name.clone()),
            Some(Item::Op(o)) if o == "*" => return (j + 2, parts, true),
            _ => break,
        }
        j += 2;
    }
    (j, parts, false)
}

/// Item indexes of the `n` parts of the chain starting at `i`.
fn chain_indices(items: &[Item], i: usize, n: usize) -> Vec<usize> {
    (0..n)
        .map(|k| i + 2 * k)
        .filter(|&j| j < items.len())
        .collect()
}

/// Words that continue a type name after its first word
/// (`double precision`, `character varying`, `time with time zone`,
/// `interval day to second`).
pub(super) const TYPE_WORDS: &[&str] = &[
    "precision",
    "varying",
    "character",
    "char",
    "with",
    "without",
    "time",
    "zone",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "to",
];

/// The index after the type name starting at `i` (after `::` or `AS`):
/// a qualified name, the words of a multi-word type, type modifiers in
/// parentheses and array bounds.
pub(super) fn skip_type(items: &[Item], i: usize) -> usize {
    let (mut j, parts, _) = skip_chain(items, i);
    if parts.is_empty() {
        return i;
    }
    loop {
        let at = j;
        while items
            .get(j)
            .is_some_and(|x| TYPE_WORDS.iter().any(|w| x.is_word(w)))
        {
            j += 1;
        }
        if items.get(j) == Some(&Item::Open) {
            j = matching(items, j, &Item::Open, &Item::Close) + 1;
        }
        while items.get(j).is_some_and(|x| x.is_op("[")) {
            j = matching(items, j, &Item::Op("[".into()), &Item::Op("]".into())) + 1;
        }
        if j == at {
            return j;
        }
    }
}

/// The index of the item closing the `open` at `i` (or the end).
pub(super) fn matching(items: &[Item], i: usize, open: &Item, close: &Item) -> usize {
    let mut depth = 0usize;
    for (j, x) in items.iter().enumerate().skip(i) {
        if x == open {
            depth += 1;
        } else if x == close {
            depth -= 1;
            if depth == 0 {
                return j;
            }
        }
    }
    items.len()
}

/// After `IS`: `NOT`, `UNKNOWN`, `DOCUMENT`, `[NFC…] NORMALIZED`,
/// `JSON [VALUE|ARRAY|OBJECT|SCALAR] …` are syntax, not columns.
fn skip_is_words(items: &[Item], mut i: usize) -> usize {
    const WORDS: &[&str] = &[
        "not",
        "unknown",
        "document",
        "normalized",
        "json",
        "value",
        "object",
        "scalar",
        "keys",
    ];
    while items
        .get(i)
        .is_some_and(|x| WORDS.iter().any(|w| x.is_word(w)) || x.name().is_some_and(is_normal_form))
    {
        i += 1;
    }
    i
}

fn is_normal_form(w: &str) -> bool {
    matches!(w, "nfc" | "nfd" | "nfkc" | "nfkd")
}

fn is_interval_field(x: &Item) -> bool {
    ["year", "month", "day", "hour", "minute", "second", "to"]
        .iter()
        .any(|w| x.is_word(w))
}

/// `TIME ZONE` at `i` (after `AT`).
pub(super) fn is_time_zone(items: &[Item], i: usize) -> bool {
    items.get(i).is_some_and(|x| x.is_word("time"))
        && items.get(i + 1).is_some_and(|x| x.is_word("zone"))
}

/// The columns (of `columns`) an expression on table `table` refers to,
/// each once in first-seen order, and whether it refers to the whole row
/// (`t`, `t.*`) — what PostgreSQL's `pull_var_clause` finds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnRefs {
    pub columns: Vec<String>,
    pub whole_row: bool,
}

/// See [`ColumnRefs`]. Names are compared as PostgreSQL does: bare words
/// folded, quoted identifiers exact.
pub fn column_refs(expr: &str, table: &str, columns: &[&str]) -> ColumnRefs {
    let mut out = ColumnRefs::default();
    let is_col = |n: &str| columns.contains(&n);
    for c in chains(&items(expr)) {
        let p = &c.parts;
        let col = if c.star {
            out.whole_row |= p.last().is_some_and(|t| t == table);
            None
        } else if p.len() == 1 {
            out.whole_row |= !is_col(&p[0]) && p[0] == table;
            Some(p[0].as_str()).filter(|n| is_col(n))
        } else {
            // `t.col` / `s.t.col` (a relation first), else `col.field…`.
            let qualified = (0..p.len() - 1)
                .take(2)
                .find(|&k| p[k] == table && is_col(&p[k + 1]))
                .map(|k| p[k + 1].as_str());
            qualified.or(Some(p[0].as_str()).filter(|n| is_col(n)))
        };
        if let Some(col) = col {
            if !out.columns.iter().any(|x| x == col) {
                out.columns.push(col.to_string());
            }
        }
    }
    out
}

/// Whether `expr` may refer to column `column` of whatever table it is
/// on: any part of a name chain that is not a function, type or syntax.
/// For dependency questions, where a false positive only rebuilds
/// something that did not need it.
pub fn mentions_column(expr: &str, column: &str) -> bool {
    chains(&items(expr))
        .iter()
        .any(|c| c.parts.iter().any(|p| p == column))
}

/// `expr` with every reference to column `old` (as [`mentions_column`]
/// finds them) replaced by `new` (quoted as PostgreSQL would print it);
/// everything else, literals included, is kept byte for byte.
pub fn rename_column(expr: &str, old: &str, new: &str) -> String {
    let (its, spans) = lexed(expr);
    let mut at: Vec<usize> = chains(&its)
        .iter()
        .flat_map(|c| c.parts.iter().zip(&c.at))
        .filter(|(p, _)| *p == old)
        .map(|(_, &j)| j)
        .collect();
    at.sort_unstable();
    let new_text = super::ident::quote_if_needed(new);
    let mut out = String::with_capacity(expr.len());
    let mut last = 0;
    for j in at {
        let (start, end) = spans[j];
        out.push_str(&expr[last..start]);
        out.push_str(&new_text);
        last = end;
    }
    out.push_str(&expr[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(expr: &str) -> Vec<String> {
        column_refs(
            expr,
            "t",
            &["price", "status", "Mixed", "year", "zone", "name", "t2"],
        )
        .columns
    }

    #[test]
    fn literals_never_count() {
        assert_eq!(refs("((status)::text = 'price'::text)"), vec!["status"]);
        assert_eq!(refs("status = E'\\'price'"), vec!["status"]);
        assert_eq!(
            refs("status = $$price$$ or status = $q$ price $q$"),
            vec!["status"]
        );
        assert_eq!(refs("status = U&'price'"), vec!["status"]);
        assert_eq!(refs("status = B'101' -- price\n"), vec!["status"]);
        assert_eq!(refs("status /* price */ > 0"), vec!["status"]);
    }

    #[test]
    fn names_fold_unless_quoted() {
        assert_eq!(refs("PRICE > 0"), vec!["price"]);
        assert_eq!(refs("\"PRICE\" > 0"), Vec::<String>::new());
        assert_eq!(refs("\"Mixed\" > 0 AND mixed > 0"), vec!["Mixed"]);
        assert_eq!(refs("U&\"Mi\\0078ed\" > 0"), vec!["Mixed"]);
    }

    #[test]
    fn functions_types_and_syntax_are_not_columns() {
        assert_eq!(refs("price(status) > 0"), vec!["status"]);
        assert_eq!(refs("status::price IS NOT NULL"), vec!["status"]);
        assert_eq!(refs("CAST(status AS price) IS UNKNOWN"), vec!["status"]);
        assert_eq!(
            refs("(status)::character varying(10) <> ''"),
            vec!["status"]
        );
        assert_eq!(refs("EXTRACT(year FROM status) > 0"), vec!["status"]);
        assert_eq!(refs("status AT TIME ZONE 'UTC' > now()"), vec!["status"]);
        assert_eq!(refs("status > interval '1' year"), vec!["status"]);
        assert_eq!(refs("status COLLATE \"price\" > ''"), vec!["status"]);
        assert_eq!(refs("f(price => status)"), vec!["status"]);
        assert_eq!(
            refs("xmlelement(name price, status) IS NOT NULL"),
            vec!["status"]
        );
        assert_eq!(refs("pg_catalog.lower(status) = 'x'"), vec!["status"]);
    }

    #[test]
    fn qualified_references_resolve_like_postgres() {
        assert_eq!(refs("t.price > 0"), vec!["price"]);
        assert_eq!(refs("public.t.price > 0"), vec!["price"]);
        // Not the table: a column with a field selected.
        assert_eq!(refs("(status).price > 0"), vec!["status"]);
        assert_eq!(refs("status.price > 0"), vec!["status"]);
        let r = column_refs("t IS NOT NULL", "t", &["a"]);
        assert!(r.whole_row && r.columns.is_empty());
        let r = column_refs("row(t.*) IS NOT NULL AND a > 0", "t", &["a"]);
        assert!(r.whole_row && r.columns == ["a"]);
    }

    #[test]
    fn mentions_for_dependencies() {
        assert!(mentions_column("(price > (0)::numeric)", "price"));
        assert!(!mentions_column("(prices > 0)", "price"));
        assert!(mentions_column("lower(\"Email\")", "Email"));
        assert!(!mentions_column("x_price", "price"));
        assert!(!mentions_column("status = 'price'", "price"));
    }

    #[test]
    fn renames_only_references() {
        assert_eq!(
            rename_column(
                "((price > 0) AND (status = 'price'::text))",
                "price",
                "Cost"
            ),
            "((\"Cost\" > 0) AND (status = 'price'::text))"
        );
        assert_eq!(
            rename_column("price(price)", "price", "cost"),
            "price(cost)"
        );
        assert_eq!(rename_column("t.price", "price", "cost"), "t.cost");
        assert_eq!(rename_column("\"a b\" > 1", "a b", "c"), "c > 1");
        assert_eq!(rename_column("x > 1", "price", "c"), "x > 1");
    }
}
