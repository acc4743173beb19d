//! Allocation-lean versions of the hottest families, drawing from the
//! same `fake` locale data. fake builds these from intermediate `String`s
//! (`Vec<String>` per sentence, `str::replace` per name template); here
//! each value is one `String` written once. Profiled on the benchmark
//! table: names, emails and lorem text were most of the generation time.

use fake::locales::Data;
use rand::RngExt;

use crate::seed::rng::SeedRng;

fn pick<'a>(list: &[&'a str], rng: &mut SeedRng) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// `L::NAME_TPL` with its `{FirstName}`/`{LastName}` slots filled in one
/// pass (locales order them differently).
pub fn full_name<L: Data>(rng: &mut SeedRng) -> String {
    let first = pick(L::NAME_FIRST_NAME, rng);
    let last = pick(L::NAME_LAST_NAME, rng);
    let mut out = String::with_capacity(first.len() + last.len() + 4);
    let mut rest = L::NAME_TPL;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        match &rest[open + 1..open + close] {
            "FirstName" => out.push_str(first),
            "LastName" => out.push_str(last),
            other => out.push_str(other),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// `count` lorem words separated by `sep`, optionally capitalised and
/// ended with a full stop (a sentence).
fn words_into<L: Data>(out: &mut String, count: usize, sentence: bool, rng: &mut SeedRng) {
    for i in 0..count {
        if i > 0 {
            out.push(' ');
        }
        let w = pick(L::LOREM_WORD, rng);
        if sentence && i == 0 {
            let mut chars = w.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(w);
        }
    }
    if sentence {
        out.push('.');
    }
}

fn count(range: (usize, usize), rng: &mut SeedRng) -> usize {
    rng.random_range(range.0..=range.1)
}

pub fn words<L: Data>(range: (usize, usize), rng: &mut SeedRng) -> String {
    let mut out = String::with_capacity(48);
    let n = count(range, rng);
    words_into::<L>(&mut out, n, false, rng);
    out
}

pub fn sentence<L: Data>(range: (usize, usize), rng: &mut SeedRng) -> String {
    let mut out = String::with_capacity(64);
    let n = count(range, rng);
    words_into::<L>(&mut out, n, true, rng);
    out
}

/// Sentences of 4..=10 words; `sep` between them.
pub fn sentences<L: Data>(range: (usize, usize), sep: &str, rng: &mut SeedRng) -> String {
    let n = count(range, rng);
    let mut out = String::with_capacity(n * 48);
    for i in 0..n {
        if i > 0 {
            out.push_str(sep);
        }
        let words = rng.random_range(4..=10);
        words_into::<L>(&mut out, words, true, rng);
    }
    out
}

/// `first.last@provider`, `first_last@…`, `firstNN@…`, `flastNN@…`:
/// lowercase ASCII letters and digits only (names with accents or
/// apostrophes lose those characters), so the address is always valid.
pub fn email<L: Data>(rng: &mut SeedRng) -> String {
    let first = pick(L::NAME_FIRST_NAME, rng);
    let last = pick(L::NAME_LAST_NAME, rng);
    let provider = pick(L::INTERNET_FREE_EMAIL_PROVIDER, rng);
    let mut out = String::with_capacity(first.len() + last.len() + provider.len() + 6);
    let push = |out: &mut String, s: &str| {
        out.extend(
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        )
    };
    match rng.random_range(0..4u8) {
        0 => {
            push(&mut out, first);
            out.push('.');
            push(&mut out, last);
        }
        1 => {
            push(&mut out, first);
            out.push('_');
            push(&mut out, last);
        }
        2 => {
            push(&mut out, first);
            out.push_str(&rng.random_range(1..100u8).to_string());
        }
        _ => {
            push(
                &mut out,
                &first[..first.chars().next().map_or(0, char::len_utf8)],
            );
            push(&mut out, last);
            out.push_str(&rng.random_range(1..100u8).to_string());
        }
    }
    // Non-Latin locales: nothing ASCII left of the names.
    if out.chars().all(|c| !c.is_ascii_alphabetic()) {
        out.insert_str(0, "user");
    }
    out.push('@');
    out.push_str(provider);
    out
}
