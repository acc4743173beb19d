//! The migration statement splitter: statements are the input's text, nothing but separators lost.
//! The checks live in `strata::fuzzing::split_sql` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::split_sql(data));
