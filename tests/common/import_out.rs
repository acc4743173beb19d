//! What `strata import` left behind, read back by the import tests: the
//! counts line and the rejects sidecar.

use std::path::Path;
use std::process::Output;

use super::runner::text;

/// The sidecar `PATH.errors.csv` as (line, column, reason); empty when
/// there is none.
pub fn read_errors(path: &Path) -> Vec<(u64, String, String)> {
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[0].parse().unwrap(),
                rec[1].to_string(),
                rec[2].to_string(),
            )
        })
        .collect()
}

/// The counts line (`read N, loaded L, rejected R`, also after `already
/// complete: `) as (read, loaded, rejected).
pub fn counts(out: &Output) -> (u64, u64, u64) {
    let err = text(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("read "))
        .unwrap_or_else(|| panic!("no counts line in:\n{err}"));
    let at = line.find("read ").unwrap();
    let nums: Vec<u64> = line[at..]
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter(|w| !w.is_empty() && !w.contains('.'))
        .take(3)
        .map(|w| w.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2])
}
