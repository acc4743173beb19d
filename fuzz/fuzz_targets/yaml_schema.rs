//! Schema YAML (`schema/*.yaml`): decode + resolve, issues positioned inside the input, accepted schemas survive pull's writer.
//! The checks live in `strata::fuzzing::yaml_schema` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::yaml_schema(data));
