//! The CSV reader in reads of varying sizes, plus coercion of each field to every column kind.
//! The checks live in `strata::fuzzing::csv_import` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::csv_import(data));
