//! Import spec YAML (`*.import.yaml`): issues positioned inside the input.
//! The checks live in `strata::fuzzing::yaml_import_spec` so that
//! `tests/fuzz_regressions.rs` replays saved crashes through them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| strata::fuzzing::yaml_import_spec(data));
