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

/// The kinds of hazard a plan carries, sorted and deduplicated. Derived
/// from the rendered notes until statements carry typed hazards: one
/// function to replace then.
pub fn hazard_kinds(plan: &Plan) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for s in &plan.statements {
        if s.destructive.is_some() {
            kinds.push("data-loss".into());
        }
        for n in &s.notes {
            kinds.extend(note_kinds(n));
        }
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

fn note_kinds(note: &str) -> Vec<String> {
    const KINDS: &[(&str, &str)] = &[
        ("ACCESS EXCLUSIVE lock", "lock:access-exclusive"),
        ("SHARE ROW EXCLUSIVE lock", "lock:share-row-exclusive"),
        ("SHARE UPDATE EXCLUSIVE", "lock:share-update-exclusive"),
        ("SHARE lock", "lock:share"),
        ("rewrites the table", "table-rewrite"),
        ("every row is checked", "validation-scan"),
        ("scans ", "validation-scan"),
        ("fails if the table has rows", "fails-on-rows"),
        ("get its default before NOT NULL", "backfill"),
        (
            "cannot be used until this transaction commits",
            "enum-value-not-usable-yet",
        ),
        ("values are recomputed", "recomputed"),
        ("code using the old name breaks", "rename"),
        ("the old type, now unused", "type-dropped"),
    ];
    let found: Vec<String> = KINDS
        .iter()
        .filter(|(needle, _)| note.contains(needle))
        .map(|(_, kind)| kind.to_string())
        .collect();
    if found.is_empty() {
        // A note nobody classified yet: visible in the golden file.
        let short: String = note.chars().take(60).collect();
        return vec![format!("note: {short}")];
    }
    found
}

/// Compare `actual` with the golden file `dir/file` (or write it when
/// blessing); `Err` holds a readable diff.
pub fn check(dir: &Path, file: &str, actual: &str) -> Result<(), String> {
    let path = dir.join(file);
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
