//! Generators `fake` lacks or gates behind extra dependencies: URLs,
//! domain names, colours, slugs, UUIDv4.

use fake::faker::internet::raw::DomainSuffix;
use fake::faker::lorem::raw::Word;
use fake::locales::EN;
use fake::Fake;
use rand::RngExt;

use super::Own;
use crate::seed::rng::SeedRng;

const COLORS: &[&str] = &[
    "red",
    "green",
    "blue",
    "yellow",
    "orange",
    "purple",
    "pink",
    "brown",
    "black",
    "white",
    "gray",
    "cyan",
    "magenta",
    "lime",
    "olive",
    "maroon",
    "navy",
    "teal",
    "silver",
    "gold",
    "indigo",
    "violet",
    "turquoise",
    "beige",
    "coral",
    "crimson",
    "khaki",
    "lavender",
    "salmon",
    "tan",
];

pub fn generate(o: Own, rng: &mut SeedRng) -> String {
    match o {
        Own::Url => {
            let host = domain(rng);
            let a: &str = Word(EN).fake_with_rng(rng);
            let b: &str = Word(EN).fake_with_rng(rng);
            format!("https://www.{host}/{a}/{b}")
        }
        Own::DomainName => domain(rng),
        Own::Color => COLORS[rng.random_range(0..COLORS.len())].to_string(),
        Own::HexColor => format!("#{:06x}", rng.random_range(0..0x100_0000u32)),
        Own::RgbColor => {
            let [r, g, b]: [u8; 3] = [rng.random(), rng.random(), rng.random()];
            format!("rgb({r}, {g}, {b})")
        }
        Own::Slug => {
            let a: &str = Word(EN).fake_with_rng(rng);
            let b: &str = Word(EN).fake_with_rng(rng);
            format!("{a}-{b}-{:04}", rng.random_range(0..10_000u32))
        }
    }
}

/// `{word}{word}.{suffix}`, lowercase ASCII (the lorem words are Latin).
fn domain(rng: &mut SeedRng) -> String {
    let a: &str = Word(EN).fake_with_rng(rng);
    let b: &str = Word(EN).fake_with_rng(rng);
    let suffix: &str = DomainSuffix(EN).fake_with_rng(rng);
    format!("{a}{b}.{suffix}")
}

/// A version-4 UUID from the cell's stream.
pub fn uuid_v4(rng: &mut SeedRng) -> [u8; 16] {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    b
}
