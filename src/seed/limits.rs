//! The maxima of everything a seed profile or a `seed` flag sizes, so that
//! no profile can exhaust memory or overflow a count (docs/seed-format.md,
//! "Limits"). Generator sizes are checked when the profile is loaded, at
//! the spec's `file:line:col`; row counts are checked against
//! [`MAX_ROWS`] at load time and again after `--scale` and fan-out, with
//! checked arithmetic.
//!
//! Rows themselves are streamed: memory follows the batch, which is
//! bounded in rows ([`MAX_BATCH_ROWS`]) and in estimated bytes
//! ([`BATCH_BYTES`]). What grows with the row count instead — the hashes
//! of `unique` columns, the parent keys a foreign key draws from, the rows
//! a deferred foreign key updates — has its own maximum.

/// Rows of one table (after `--scale` and fan-out): 10^15. Far above what
/// any load can write, low enough that `start + step × row` and every
/// count fit comfortably in 64 bits.
pub const MAX_ROWS: u64 = 1_000_000_000_000_000;

/// Length of one `bytes` value: 1 MiB.
pub const MAX_BYTES: usize = 1 << 20;

/// Elements of one `array` value.
pub const MAX_ARRAY_LENGTH: usize = 10_000;

/// Digits of a template's `{seq:N}` zero padding.
pub const MAX_SEQ_WIDTH: usize = 100;

/// Levels of `json` and `array` inside one another.
pub const MAX_NESTING: usize = 32;

/// The largest value a generator may produce, as estimated from its
/// arguments ([`crate::seed::generators::Gen::max_bytes`]): 16 MiB.
/// Catches sizes that multiply (arrays of arrays, templates of many
/// paragraphs) where each argument alone is within its maximum.
pub const MAX_VALUE_BYTES: u64 = 16 << 20;

/// A seed profile file: 16 MiB.
pub const MAX_PROFILE_BYTES: u64 = 16 << 20;

/// A `one_of_file` file: 32 MiB, and at most [`MAX_FILE_VALUES`] values.
pub const MAX_FILE_BYTES: u64 = 32 << 20;
pub const MAX_FILE_VALUES: usize = 1_000_000;

/// Rows × tracked `unique` groups of one table. A tracked group keeps a
/// 64-bit hash per row (about 16 bytes with the set's overhead, twice that
/// while the set grows): 50 million is under a gigabyte. Injective
/// generators (sequences, UUIDs, templates with `{seq}`) are not tracked
/// and not counted.
pub const MAX_UNIQUE_TRACKED: u64 = 50_000_000;

/// Keys read from one parent table for a foreign key to draw from (and
/// rows a deferred foreign key updates): held in memory, about 100 bytes
/// each.
pub const MAX_PARENT_KEYS: u64 = 10_000_000;

/// `--batch-size`: rows per COPY batch.
pub const MAX_BATCH_ROWS: u64 = 1_000_000;

/// Estimated bytes of one batch: a table whose rows can be wide gets
/// smaller batches (the data is the same whatever the batch size).
pub const BATCH_BYTES: u64 = 64 << 20;

/// `--jobs`: generator threads.
pub const MAX_JOBS: usize = 256;

pub use crate::files::human;

#[cfg(test)]
mod tests {
    #[test]
    fn human_sizes() {
        assert_eq!(super::human(512), "512 bytes");
        assert_eq!(super::human(16 << 20), "16 MiB");
        assert_eq!(super::human(3 << 29), "1.5 GiB");
        assert_eq!(super::human(u64::MAX), "16777216 TiB");
    }
}
