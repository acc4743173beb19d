//! `strata.yaml`: issues positioned inside the input, no password or expanded variable in a message.
//! The checks live in `strata::fuzzing::yaml_config` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::yaml_config(data));
