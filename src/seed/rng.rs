//! Where every random draw comes from.
//!
//! There is no RNG threaded through the rows: each cell gets its own
//! generator, seeded from `(seed, table, column)` — hashed once into a
//! *stream key* — and the row index. A row's values therefore depend only
//! on the profile, the seed and the row's index, never on which thread
//! generated it, how the rows were batched, or what other tables do.

use std::hash::Hasher;

use siphasher::sip::SipHasher13;

/// The generator behind every draw: PCG-64 MCG (`rand_pcg`), a small,
/// fast, portable generator (same stream on every platform and release),
/// cheap to seed, which matters when every cell seeds its own.
pub type SeedRng = rand_pcg::Pcg64Mcg;

/// The stream key of one (table, column) — or any other named stream of
/// a table (fan-out counts, FK choices): SipHash-1-3 keyed by the seed, so
/// a name maps to the same key on every machine.
pub fn stream_key(seed: u64, table: &str, stream: &str) -> u64 {
    let mut h = SipHasher13::new_with_keys(seed, 0x5354_5241_5441_5345); // "STRATASE"
    h.write(table.as_bytes());
    h.write_u8(0xff);
    h.write(stream.as_bytes());
    h.finish()
}

/// A sub-stream of a key (a JSON field, an array element, a template slot).
pub fn sub_key(key: u64, name: &str) -> u64 {
    let mut h = SipHasher13::new_with_keys(key, 0x5355_424b_4559_0001);
    h.write(name.as_bytes());
    h.finish()
}

/// SplitMix64's finaliser: a bijective scrambler of 64-bit words.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator for one cell: attempt 0 is the row's value; `unique`
/// retries use attempts 1, 2, … so retries are reproducible too.
pub fn cell_rng(key: u64, row: u64, attempt: u32) -> SeedRng {
    let a = mix(key ^ mix(row));
    let b = mix(a ^ u64::from(attempt).wrapping_mul(0xd6e8_feb8_6659_fd93));
    SeedRng::new(((a as u128) << 64) | b as u128 | 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn keys_are_stable_and_distinct() {
        assert_eq!(
            stream_key(1, "public.users", "email"),
            stream_key(1, "public.users", "email")
        );
        assert_ne!(
            stream_key(1, "public.users", "email"),
            stream_key(2, "public.users", "email")
        );
        assert_ne!(
            stream_key(1, "public.users", "email"),
            stream_key(1, "public.user", "semail")
        );
        let mut a = cell_rng(7, 3, 0);
        let mut b = cell_rng(7, 3, 0);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(cell_rng(7, 3, 0).next_u64(), cell_rng(7, 4, 0).next_u64());
        assert_ne!(cell_rng(7, 3, 0).next_u64(), cell_rng(7, 3, 1).next_u64());
    }
}
