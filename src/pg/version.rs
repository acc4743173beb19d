//! Which PostgreSQL majors strata supports, and what it says about the
//! others. One table, read by the catalog (every introspection passes
//! through [`admit`]), the embedded cluster and the docs.
//!
//! - 14–18: supported and tested (the CI matrix runs each).
//! - 12–13: the catalog queries still have their branches; strata works
//!   but warns (the community no longer supports them, strata does not
//!   test them).
//! - below 12: refused (catalog columns strata reads do not exist).
//! - above 18: refused, because strata cannot know what a newer catalog
//!   changed (18 itself moved NOT NULL into `pg_constraint`); setting
//!   `STRATA_ALLOW_NEWER_POSTGRES=1` turns the refusal into a warning.

use crate::model::{Database, Origin, Table};

/// Oldest and newest supported (and tested) majors.
pub const SUPPORTED: (u32, u32) = (14, 18);
/// Oldest major the catalog queries can read at all.
pub const OLDEST_READABLE: u32 = 12;
/// The environment variable that lets strata read a newer major.
pub const ALLOW_NEWER_ENV: &str = "STRATA_ALLOW_NEWER_POSTGRES";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("PostgreSQL {version} is too old: strata reads PostgreSQL {OLDEST_READABLE} or later and supports {}–{}", SUPPORTED.0, SUPPORTED.1)]
    TooOld { version: String },
    #[error("PostgreSQL {version} is newer than strata knows: it supports {}–{} and cannot tell what the newer catalog changed; upgrade strata, or set {ALLOW_NEWER_ENV}=1 to try anyway", SUPPORTED.0, SUPPORTED.1)]
    TooNew { version: String },
}

/// `server_version_num` → `"17.4"` (or `"9.6.24"` before 10).
pub fn display(num: i32) -> String {
    if num >= 100000 {
        format!("{}.{}", num / 10000, num % 10000)
    } else {
        format!("{}.{}.{}", num / 10000, num / 100 % 100, num % 100)
    }
}

/// Whether strata may work with a server of `server_version_num`: `Ok`
/// with a warning to show for the unsupported-but-readable ones.
pub fn admit(num: i32) -> Result<Option<String>, VersionError> {
    admit_with(num, allow_newer())
}

fn allow_newer() -> bool {
    std::env::var(ALLOW_NEWER_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn admit_with(num: i32, allow_newer: bool) -> Result<Option<String>, VersionError> {
    let major = (num / 10000).max(0) as u32;
    let version = display(num);
    if major < OLDEST_READABLE {
        return Err(VersionError::TooOld { version });
    }
    if major < SUPPORTED.0 {
        return Ok(Some(format!(
            "PostgreSQL {version} is past its end of life and not tested by strata (supported: {}–{}); plans are likely right but not guaranteed",
            SUPPORTED.0, SUPPORTED.1
        )));
    }
    if major > SUPPORTED.1 {
        if !allow_newer {
            return Err(VersionError::TooNew { version });
        }
        return Ok(Some(format!(
            "PostgreSQL {version} is newer than strata knows ({ALLOW_NEWER_ENV} is set): what its catalog changed is not read"
        )));
    }
    Ok(None)
}

/// A feature of the model that needs a newer server than the one at hand:
/// `NULLS NOT DISTINCT needs PostgreSQL 15 or later`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    /// What uses it, e.g. `index "public"."users_email_key"`.
    pub object: String,
    pub feature: &'static str,
    pub major: u32,
}

impl std::fmt::Display for Needs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} uses {}, which needs PostgreSQL {} or later",
            self.object, self.feature, self.major
        )
    }
}

/// Every feature `db` uses that a server older than its major lacks. The
/// engine checks a desired model against the server it is built on
/// before running anything, so an older server gives this list instead of
/// a syntax error.
pub fn needs(db: &Database) -> Vec<Needs> {
    let mut out = Vec::new();
    for t in db.tables.values() {
        pg15_needs(t, &mut out);
    }
    out
}

/// `(declared at file:line:col)` for spec objects, nothing for catalog
/// ones.
fn at(origin: &Origin) -> String {
    if origin.file.is_some() {
        format!(" (declared at {origin})")
    } else {
        String::new()
    }
}

/// NULLS NOT DISTINCT and `ON DELETE SET NULL/SET DEFAULT (columns)`.
fn pg15_needs(t: &Table, out: &mut Vec<Needs>) {
    for u in t.uniques.iter().filter(|u| u.nulls_not_distinct) {
        out.push(Needs {
            object: format!(
                "the unique constraint on {} ({}){}",
                t.name,
                crate::escape::line(&u.columns.join(", ")),
                at(&u.origin)
            ),
            feature: "NULLS NOT DISTINCT",
            major: 15,
        });
    }
    for i in t.indexes.iter().filter(|i| i.nulls_not_distinct) {
        out.push(Needs {
            object: format!("an index on {}{}", t.name, at(&i.origin)),
            feature: "NULLS NOT DISTINCT",
            major: 15,
        });
    }
    for f in t
        .foreign_keys
        .iter()
        .filter(|f| !f.on_delete_columns.is_empty())
    {
        out.push(Needs {
            object: format!(
                "the foreign key on {} ({}){}",
                t.name,
                crate::escape::line(&f.columns.join(", ")),
                at(&f.origin)
            ),
            feature: "ON DELETE SET NULL/SET DEFAULT with a column list",
            major: 15,
        });
    }
}

/// The first feature of `db` that a server of `server_version_num` lacks,
/// as a message naming both versions (`None`: the server has them all).
pub fn check(db: &Database, num: i32, server: &str) -> Option<String> {
    let major = (num / 10000).max(0) as u32;
    let missing: Vec<Needs> = needs(db).into_iter().filter(|n| n.major > major).collect();
    let first = missing.first()?;
    let more = match missing.len() {
        1 => String::new(),
        n => format!(" (and {} more use of newer features)", n - 1),
    };
    Some(format!(
        "{first}; {server} runs PostgreSQL {}{more}",
        display(num)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_checked_against_the_major() {
        let text = "tables:\n  t:\n    columns: {a: int, b: int}\n    unique:\n      - {columns: [a], nulls_not_distinct: true}\n";
        let db = crate::spec::load_str(std::path::Path::new("s.yaml"), text).unwrap();
        assert_eq!(check(&db, 150004, "the shadow database"), None);
        let m = check(&db, 140023, "the shadow database").unwrap();
        assert!(
            m.contains("NULLS NOT DISTINCT, which needs PostgreSQL 15 or later")
                && m.contains("s.yaml:")
                && m.contains("the shadow database runs PostgreSQL 14.23"),
            "{m}"
        );
    }

    #[test]
    fn the_supported_range_passes_silently() {
        for num in [140000, 150004, 160013, 170010, 180004] {
            assert_eq!(admit_with(num, false), Ok(None), "{num}");
        }
    }

    #[test]
    fn older_majors_warn_then_refuse() {
        let w = admit_with(130020, false).unwrap().unwrap();
        assert!(w.contains("13.20") && w.contains("14–18"), "{w}");
        assert!(admit_with(120000, false).unwrap().is_some());
        let e = admit_with(110022, false).unwrap_err().to_string();
        assert!(
            e.contains("11.22 is too old") && e.contains("12 or later"),
            "{e}"
        );
        assert_eq!(display(90624), "9.6.24");
    }

    #[test]
    fn newer_majors_are_refused_unless_allowed() {
        let e = admit_with(190001, false).unwrap_err().to_string();
        assert!(
            e.contains("19.1 is newer") && e.contains(ALLOW_NEWER_ENV),
            "{e}"
        );
        let w = admit_with(190001, true).unwrap().unwrap();
        assert!(w.contains("19.1"), "{w}");
    }
}
