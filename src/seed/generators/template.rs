//! Templates: text with `{slot}`s, each slot a generator, e.g.
//! `"{first_name|lower}.{last_name|lower}@example.org"` or `"ORD-{seq:06}"`.
//!
//! Slots: any text family (`first_name`, `city`, …), `uuid`, `url`, …;
//! `seq` is the row's number (1, 2, …), `seq:06` zero-pads it to 6 digits
//! (at most [`MAX_SEQ_WIDTH`]).
//! A slot may end in a filter: `|lower`, `|upper`, `|slug` (lowercase,
//! runs of other characters than letters and digits become `-`).
//! `{{` and `}}` are literal braces.

use std::fmt::Write;

use super::{Gen, Locale};
use crate::seed::coltype::text_form;
use crate::seed::limits::MAX_SEQ_WIDTH;
use crate::seed::rng::SeedRng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    None,
    Lower,
    Upper,
    Slug,
}

#[derive(Clone, Debug)]
pub enum Part {
    Lit(String),
    Slot {
        gen: Gen,
        filter: Filter,
        source: String,
    },
    /// `start + step * row`, zero-padded to `width` digits.
    Seq {
        width: usize,
        start: i64,
        step: i64,
        source: String,
    },
}

/// A template problem: the character offset in the template and the message.
pub type TemplateError = (usize, String);

/// Parse a template. `slot` resolves a slot name to a generator (the
/// caller owns the family tables and the locale).
pub fn parse(
    text: &str,
    locale: Locale,
    slot: &dyn Fn(&str, Locale) -> Result<Gen, String>,
) -> Result<Vec<Part>, TemplateError> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('{', Some('{')) | ('}', Some('}')) => {
                lit.push(chars[i]);
                i += 2;
            }
            ('{', _) => {
                let close = (i + 1..chars.len()).find(|&j| chars[j] == '}').ok_or((
                    i,
                    "unclosed `{` in template (write `{{` for a literal brace)".to_string(),
                ))?;
                let inner: String = chars[i + 1..close].iter().collect();
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(parse_slot(inner.trim(), locale, slot).map_err(|m| (i + 1, m))?);
                i = close + 1;
            }
            ('}', _) => {
                return Err((
                    i,
                    "unmatched `}` in template (write `}}` for a literal brace)".into(),
                ))
            }
            (c, _) => {
                lit.push(c);
                i += 1;
            }
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Ok(parts)
}

fn parse_slot(
    inner: &str,
    locale: Locale,
    slot: &dyn Fn(&str, Locale) -> Result<Gen, String>,
) -> Result<Part, String> {
    let (name, filter) = match inner.split_once('|') {
        Some((n, f)) => (n.trim(), parse_filter(f.trim())?),
        None => (inner, Filter::None),
    };
    if name == "seq" || name.starts_with("seq:") {
        let width = match name.strip_prefix("seq:") {
            Some(w) => seq_width(name, w)?,
            None => 0,
        };

        return Ok(Part::Seq {
            width,
            start: 1,
            step: 1,
            source: inner.to_string(),
        });
    }
    let gen = slot(name, locale)?;
    Ok(Part::Slot {
        gen,
        filter,
        source: inner.to_string(),
    })
}

/// The `06` of `{seq:06}`: digits only, at most [`MAX_SEQ_WIDTH`]
/// (a width past `u16::MAX` made the formatter panic).
fn seq_width(name: &str, w: &str) -> Result<usize, String> {
    let bad =
        || format!("`{{{name}}}`: the width after `seq:` must be a number, e.g. `{{seq:06}}`");
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match w.parse::<usize>() {
        Ok(n) if n <= MAX_SEQ_WIDTH => Ok(n),
        _ => Err(format!(
            "`{{{name}}}`: a `seq` width is at most {MAX_SEQ_WIDTH} digits"
        )),
    }
}

fn parse_filter(f: &str) -> Result<Filter, String> {
    match f {
        "lower" => Ok(Filter::Lower),
        "upper" => Ok(Filter::Upper),
        "slug" => Ok(Filter::Slug),
        other => Err(format!(
            "unknown template filter `{other}` (use lower, upper or slug)"
        )),
    }
}

/// Set where `{seq}` slots count from (a `sequence` with a `format`).
pub fn set_sequence(parts: &mut [Part], new_start: i64, new_step: i64) {
    for p in parts {
        if let Part::Seq { start, step, .. } = p {
            *start = new_start;
            *step = new_step;
        }
    }
}

pub fn render(parts: &[Part], rng: &mut SeedRng, row: u64) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Lit(s) => out.push_str(s),
            Part::Slot { gen, filter, .. } => {
                let text = text_form(&gen.generate(rng, row));
                apply(*filter, &text, &mut out);
            }
            Part::Seq {
                width, start, step, ..
            } => {
                // Text, not a bigint: counted in i128, which cannot
                // overflow (|step × row| < 2^127 − 2^64), so the numbers
                // stay distinct past i64::MAX.
                let n = i128::from(*start) + i128::from(*step) * i128::from(row);
                let _ = write!(out, "{n:0width$}");
            }
        }
    }
    out
}

/// An upper estimate of a part's bytes (see [`Gen::max_bytes`]): case
/// mapping can triple a character's bytes (`ΐ` → `Ϊ́`).
pub fn max_bytes(part: &Part) -> u64 {
    match part {
        Part::Lit(s) => s.len() as u64,
        Part::Slot { gen, filter, .. } => match filter {
            Filter::None => gen.max_bytes(),
            _ => gen.max_bytes().saturating_mul(3),
        },
        // An i128 has at most 40 characters with its sign.
        Part::Seq { width, .. } => (*width).max(40) as u64,
    }
}

fn apply(filter: Filter, text: &str, out: &mut String) {
    match filter {
        Filter::None => out.push_str(text),
        Filter::Lower => out.push_str(&text.to_lowercase()),
        Filter::Upper => out.push_str(&text.to_uppercase()),
        Filter::Slug => {
            let mut dash = false;
            for c in text.chars().flat_map(char::to_lowercase) {
                if c.is_alphanumeric() {
                    out.push(c);
                    dash = false;
                } else if !dash {
                    out.push('-');
                    dash = true;
                }
            }
        }
    }
}

/// The template text back, for messages.
pub fn source(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.replace('{', "{{").replace('}', "}}"),
            Part::Slot { source, .. } | Part::Seq { source, .. } => format!("{{{source}}}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::Value;

    fn slot(name: &str, _: Locale) -> Result<Gen, String> {
        match name {
            "w" | "ä" => Ok(Gen::Constant(Value::Text("ΐß✓".into()))),
            _ => Err(format!("unknown generator \"{name}\"")),
        }
    }

    /// Any text either parses or is a positioned error within the text,
    /// and whatever parses renders for any row: never a panic.
    #[test]
    fn arbitrary_templates_never_panic() {
        let alphabet: Vec<char> = "{}{}:|seq0123456789+-wä✓ \u{0}\u{301}lowerupperslug"
            .chars()
            .collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = crate::seed::rng::mix(state);
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            match parse(&text, Locale::En, &slot) {
                Ok(mut parts) => {
                    let mut rng = crate::seed::rng::cell_rng(1, 2, 0);
                    for row in [0, 1, u64::MAX] {
                        let _ = render(&parts, &mut rng, row);
                    }
                    set_sequence(&mut parts, i64::MIN, i64::MIN);
                    let _ = render(&parts, &mut rng, u64::MAX);
                    set_sequence(&mut parts, i64::MAX, i64::MAX);
                    let _ = render(&parts, &mut rng, u64::MAX);
                    let _ = source(&parts);
                }
                Err((offset, _)) => assert!(offset <= text.chars().count(), "{text:?}"),
            }
        }
    }

    #[test]
    fn seq_widths_are_bounded() {
        let err = parse("{seq:999999999999}", Locale::En, &slot).unwrap_err();
        assert_eq!(err.0, 1);
        assert!(err.1.contains("at most 100"), "{}", err.1);
        let parts = parse("{seq:100}", Locale::En, &slot).unwrap();
        let mut rng = crate::seed::rng::cell_rng(1, 2, 0);
        assert_eq!(render(&parts, &mut rng, 0).len(), 100);
    }
}
