//! Crashes the fuzz targets found (`fuzz/regressions/<target>/`), replayed
//! through the same checks (`strata::fuzzing`) on the stable toolchain,
//! so a fixed crash stays fixed in the ordinary `cargo test`. Every file
//! of a target's directory runs even when an earlier one fails; the test
//! then names all that failed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        // `.gitkeep` keeps a target's empty directory in git.
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            failed.push(format!("{}: {msg}", f.display()));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {target} regressions fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn yaml_schema() {
    replay("yaml_schema", strata::fuzzing::yaml_schema);
}

#[test]
fn yaml_profile() {
    replay("yaml_profile", strata::fuzzing::yaml_profile);
}

#[test]
fn yaml_import_spec() {
    replay("yaml_import_spec", strata::fuzzing::yaml_import_spec);
}

#[test]
fn yaml_config() {
    replay("yaml_config", strata::fuzzing::yaml_config);
}

#[test]
fn csv_import() {
    replay("csv_import", strata::fuzzing::csv_import);
}

#[test]
fn split_sql() {
    replay("split_sql", strata::fuzzing::split_sql);
}

#[test]
fn seed_template() {
    replay("seed_template", strata::fuzzing::seed_template);
}
