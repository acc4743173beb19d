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

// columns

/// What the columns of `db` use that needs PostgreSQL 18: VIRTUAL
/// generated columns, and NOT NULL constraints with a name other than the
/// one PostgreSQL picks (`{table}_{column}_not_null`; before 18 a NOT NULL
/// has no name at all, and `CONSTRAINT x NOT NULL` is silently unnamed).
/// Works on spec and catalog models alike (a catalog model from 18 names
/// every NOT NULL: only names other than the default count).
pub fn column_needs(db: &crate::model::Database) -> Vec<Needs> {
    use crate::model::quote_ident;
    let mut out = Vec::new();
    for t in db.tables.values() {
        for c in &t.columns {
            let object = || {
                let mut o = format!("column {}.{}", t.name.quoted(), quote_ident(&c.name));
                if c.origin.file.is_some() {
                    o.push_str(&format!(" ({})", c.origin));
                }
                o
            };
            if c.generated.is_some() && c.generated_virtual {
                out.push(Needs {
                    object: object(),
                    feature: "VIRTUAL generation (generated: {stored: false})",
                    major: 18,
                });
            }
            let default = super::naming::DefaultName::not_null(&t.name.name, &c.name).first();
            if c.not_null_name.as_ref().is_some_and(|n| *n != default) {
                out.push(Needs {
                    object: object(),
                    feature: "a NOT NULL constraint with a name of its own (not_null_constraint)",
                    major: 18,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn virtual_columns_and_named_not_nulls_need_18() {
        use crate::model::{Column, Database, QualifiedName, Table};
        let name = QualifiedName::new("public", "t");
        let col = |n: &str| Column {
            name: n.into(),
            data_type: "integer".into(),
            ..Column::default()
        };
        let table = Table {
            name: name.clone(),
            columns: vec![
                Column {
                    generated: Some("(a * 2)".into()),
                    generated_virtual: true,
                    ..col("v")
                },
                Column {
                    generated: Some("(a * 3)".into()),
                    ..col("s")
                },
                Column {
                    not_null: true,
                    not_null_name: Some("t_a_not_null".into()),
                    ..col("a")
                },
                Column {
                    not_null: true,
                    not_null_name: Some("a_must_be_set".into()),
                    ..col("b")
                },
            ],
            ..Table::default()
        };
        let mut db = Database::default();
        db.tables.insert(name, table);
        let needs: Vec<String> = column_needs(&db).iter().map(|n| n.to_string()).collect();
        assert_eq!(
            needs,
            vec![
                "column \"public\".\"t\".\"v\" uses VIRTUAL generation (generated: {stored: false}), which needs PostgreSQL 18 or later",
                "column \"public\".\"t\".\"b\" uses a NOT NULL constraint with a name of its own (not_null_constraint), which needs PostgreSQL 18 or later",
            ]
        );
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
