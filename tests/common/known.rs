//! Known failures of test pairs: a `known-failure` file in a pair's
//! directory names the tests the pair is known to fail and how, one line
//! each, `plan: TEXT` (the convergence suite) or `generate: TEXT` (the
//! pair through `generate`), followed by free text saying why. The pair
//! must go on failing that way, with TEXT in the failure; once it passes,
//! the test fails until the line (or the file) is removed. Bugs stay
//! visible and pinned without turning the suites red.

use std::path::Path;

/// `result` of running the pair in `dir` under `test` (`plan` or
/// `generate`), as the pair's `known-failure` file says it must be.
pub fn check(dir: &Path, test: &str, result: Result<(), String>) -> Result<(), String> {
    let file = std::fs::read_to_string(dir.join("known-failure")).unwrap_or_default();
    let prefix = format!("{test}:");
    let Some(expected) = file
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(str::trim)
    else {
        return result;
    };
    match result {
        Ok(()) => Err(format!(
            "passes `{test}` now: remove the `{prefix}` line from its known-failure file:\n{}",
            file.trim()
        )),
        Err(e) if e.contains(expected) => Ok(()),
        Err(e) => Err(format!(
            "a known failure, but failing otherwise than its known-failure file says ({expected:?}):\n{e}"
        )),
    }
}
