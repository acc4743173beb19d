//! A seed generator scalar (template or name) decoded and rendered with fixed random streams.
//! The checks live in `strata::fuzzing::seed_template` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::seed_template(data));
