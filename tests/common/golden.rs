//! Golden files of the pairs under tests/pairs/: `plan.sql` (the plan
//! A → B as `plan` renders it, hazard comments included) and `hazards`
//! (the kinds of hazard the plan must carry, one a line, sorted).
//!
//! `STRATA_BLESS=1 cargo test --test convergence` rewrites them from the
//! current output; otherwise a difference fails the pair with a line diff.
//! Review the rewritten files in `git diff` like any other change.

use std::path::Path;

use strata::plan::Plan;

/// Whether this run rewrites the golden files.
pub fn blessing() -> bool {
    std::env::var("STRATA_BLESS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The kinds of hazard a plan carries, sorted and deduplicated, from the
/// statements' typed hazards (a lock with its level: `lock:access_exclusive`).
pub fn hazard_kinds(plan: &Plan) -> Vec<String> {
    use strata::render::hazard::Hazard;
    let mut kinds: Vec<String> = plan
        .statements
        .iter()
        .flat_map(|s| s.hazards.iter())
        .map(|h| match h {
            Hazard::Lock { level, .. } => {
                format!(
                    "lock:{}",
                    level.to_string().to_lowercase().replace(' ', "_")
                )
            }
            other => other.kind().name().to_string(),
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The major the golden files are written on (Debian's, where the whole
/// suite runs). On another major a pair may have `plan.pg<major>.sql` (or
/// `hazards.pg<major>`) where that server legitimately plans otherwise —
/// PostgreSQL 18 names NOT NULL constraints, so renames rename them too.
pub const REFERENCE_MAJOR: u32 = 15;

/// The golden file to compare with on `major`: the version's own when it
/// has one, else the nearest major's between it and the reference (a plan
/// that changed with 16 has `plan.pg16.sql`, which 17 and 18 share), else
/// the common one. Blessing on another major writes the version's own file
/// only where its output differs from the file it would otherwise use.
fn golden_path(dir: &Path, file: &str, major: u32, actual: &str) -> std::path::PathBuf {
    let common = dir.join(file);
    // A pair for a newer major only (its `min-major` above the reference)
    // is blessed on that major into the common files.
    let min_major: u32 = std::fs::read_to_string(dir.join("min-major"))
        .ok()
        .and_then(|m| m.trim().parse().ok())
        .unwrap_or(0);
    if major == REFERENCE_MAJOR || min_major > REFERENCE_MAJOR {
        return common;
    }
    let of = |m: u32| match file.split_once('.') {
        Some((stem, ext)) => dir.join(format!("{stem}.pg{m}.{ext}")),
        None => dir.join(format!("{file}.pg{m}")),
    };
    let own = of(major);
    if own.exists() {
        return own;
    }
    // Majors between this one and the reference, nearest first.
    let between: Vec<u32> = if major > REFERENCE_MAJOR {
        (REFERENCE_MAJOR + 1..major).rev().collect()
    } else {
        (major + 1..REFERENCE_MAJOR).collect()
    };
    let inherited = between
        .into_iter()
        .map(of)
        .find(|p| p.exists())
        .unwrap_or(common);
    let same = std::fs::read_to_string(&inherited).is_ok_and(|g| g == actual);
    if blessing() && !same {
        return own;
    }
    inherited
}

/// Compare `actual` with the golden file `dir/file` for a server of
/// `major` (or write it when blessing); `Err` holds a readable diff.
pub fn check(dir: &Path, file: &str, major: u32, actual: &str) -> Result<(), String> {
    let path = golden_path(dir, file, major, actual);
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    if blessing() {
        return std::fs::write(&path, actual).map_err(|e| format!("writing {file}: {e}"));
    }
    let expected = std::fs::read_to_string(&path).map_err(|e| {
        format!("{file}: {e} (run `STRATA_BLESS=1 cargo test --test convergence` to create it)")
    })?;
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{file} differs from the golden file (- golden, + now; STRATA_BLESS=1 rewrites it):\n{}",
        line_diff(&expected, actual)
    ))
}

/// A unified-style line diff (longest common subsequence): order changes
/// show, unlike a set difference. Golden files are small.
pub fn line_diff(a: &str, b: &str) -> String {
    let la: Vec<&str> = a.lines().collect();
    let lb: Vec<&str> = b.lines().collect();
    let (n, m) = (la.len(), lb.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if la[i] == lb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && la[i] == lb[j] {
            out.push_str(&format!("  {}\n", la[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", lb[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", la[i]));
            i += 1;
        }
    }
    out
}

/// The golden text of a hazard list.
pub fn hazards_text(kinds: &[String]) -> String {
    kinds.iter().map(|k| format!("{k}\n")).collect()
}
