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

use crate::model::{Database, Origin};

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
    let mut out = column_needs(db);
    out.extend(constraint_needs(db));
    out.extend(
        db.views
            .values()
            .filter(|v| v.security_invoker)
            .map(|v| Needs {
                object: format!("view {}{}", v.name, declared_at(&v.origin)),
                feature: "security_invoker",
                major: 15,
            }),
    );
    out.extend(collation_needs(db));
    out.extend(publication_needs(db));
    out
}

/// Column lists, row filters and `FOR TABLES IN SCHEMA` of publications
/// (15).
fn publication_needs(db: &Database) -> Vec<Needs> {
    let mut out = Vec::new();
    for p in db.publications.values() {
        let object = format!(
            "publication {}{}",
            crate::escape::ident(&p.name),
            declared_at(&p.origin)
        );
        let mut need = |feature| {
            out.push(Needs {
                object: object.clone(),
                feature,
                major: 15,
            })
        };
        if p.tables.values().any(|t| t.columns.is_some()) {
            need("a published column list");
        }
        if p.tables.values().any(|t| t.row_filter.is_some()) {
            need("a row filter (WHERE)");
        }
        if !p.schemas.is_empty() {
            need("FOR TABLES IN SCHEMA");
        }
    }
    out
}

/// ICU tailoring `rules` (16) and the `builtin` provider (17).
fn collation_needs(db: &Database) -> Vec<Needs> {
    let mut out = Vec::new();
    for c in db.collations.values() {
        let object = format!("collation {}{}", c.name, declared_at(&c.origin));
        if c.rules.is_some() {
            out.push(Needs {
                object: object.clone(),
                feature: "ICU rules",
                major: 16,
            });
        }
        if c.provider == "builtin" {
            out.push(Needs {
                object,
                feature: "the builtin collation provider",
                major: 17,
            });
        }
    }
    out
}

// constraints

/// Every use in `db` of a constraint or index feature that needs a newer
/// PostgreSQL than 14: `NULLS NOT DISTINCT` and `ON DELETE SET NULL/SET
/// DEFAULT (columns)` (15); temporal keys (`WITHOUT OVERLAPS`, `PERIOD`)
/// and `NOT ENFORCED` (18). Pure: the caller compares the majors with the
/// server's.
pub fn constraint_needs(db: &Database) -> Vec<Needs> {
    let mut out = Vec::new();
    for t in db.tables.values() {
        let need = |object: String, feature, major, origin| Needs {
            object: format!("{object}{}", declared_at(origin)),
            feature,
            major,
        };
        let cols = |c: &[String]| crate::escape::line(&c.join(", ")).into_owned();
        if let Some(pk) = t.primary_key.as_ref().filter(|p| p.without_overlaps) {
            let o = format!("the primary key of {} ({})", t.name, cols(&pk.columns));
            out.push(need(o, "WITHOUT OVERLAPS", 18, &pk.origin));
        }
        for u in &t.uniques {
            let o = || format!("the unique constraint on {} ({})", t.name, cols(&u.columns));
            if u.nulls_not_distinct {
                out.push(need(o(), "NULLS NOT DISTINCT", 15, &u.origin));
            }
            if u.without_overlaps {
                out.push(need(o(), "WITHOUT OVERLAPS", 18, &u.origin));
            }
        }
        for i in t.indexes.iter().filter(|i| i.nulls_not_distinct) {
            let o = match &i.name {
                Some(n) => format!("index {} on {}", crate::escape::line(n), t.name),
                None => format!("an index on {}", t.name),
            };
            out.push(need(o, "NULLS NOT DISTINCT", 15, &i.origin));
        }
        for f in &t.foreign_keys {
            let o = || format!("the foreign key on {} ({})", t.name, cols(&f.columns));
            if !f.on_delete_columns.is_empty() {
                let feature = "ON DELETE SET NULL/SET DEFAULT with a column list";
                out.push(need(o(), feature, 15, &f.origin));
            }
            if f.period {
                out.push(need(o(), "PERIOD (a temporal foreign key)", 18, &f.origin));
            }
            if f.not_enforced {
                out.push(need(o(), "NOT ENFORCED", 18, &f.origin));
            }
        }
        for c in t.checks.iter().filter(|c| c.not_enforced) {
            let o = match &c.name {
                Some(n) => format!("check constraint {} on {}", crate::escape::line(n), t.name),
                None => format!(
                    "the check ({}) on {}",
                    crate::escape::line(&c.expression),
                    t.name
                ),
            };
            out.push(need(o, "NOT ENFORCED", 18, &c.origin));
        }
    }
    out
}

// columns

/// What the columns of `db` use that needs PostgreSQL 18: VIRTUAL
/// generated columns, and NOT NULL constraints with a name other than the
/// one PostgreSQL picks (`{table}_{column}_not_null`; before 18 a NOT NULL
/// has no name at all, and `CONSTRAINT x NOT NULL` is silently unnamed).
/// Works on spec and catalog models alike (a catalog model from 18 names
/// every NOT NULL: only names other than the default count).
pub fn column_needs(db: &Database) -> Vec<Needs> {
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

/// ` (declared at file:line:col)` for spec objects, nothing for catalog
/// ones.
fn declared_at(origin: &Origin) -> String {
    if origin.file.is_some() {
        format!(" (declared at {origin})")
    } else {
        String::new()
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
    fn icu_rules_need_16_and_the_builtin_provider_17() {
        use crate::model::{Collation, Database, QualifiedName};
        let mut db = Database::default();
        for (name, provider, rules) in [
            ("ruled", "icu", Some("&a < b")),
            ("fast", "builtin", None),
            ("plain", "libc", None),
        ] {
            let c = Collation {
                name: QualifiedName::new("public", name),
                provider: provider.into(),
                rules: rules.map(str::to_string),
                ..Collation::default()
            };
            db.collations.insert(c.name.clone(), c);
        }
        let needs: Vec<(String, u32)> = needs(&db)
            .iter()
            .map(|n| (n.object.clone(), n.major))
            .collect();
        assert_eq!(
            needs,
            [
                ("collation fast".to_string(), 17),
                ("collation ruled".to_string(), 16)
            ]
        );
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

    fn needs_of(yaml: &str) -> Vec<(String, &'static str, u32)> {
        let db = crate::spec::load_str(std::path::Path::new("s.yaml"), yaml).unwrap();
        constraint_needs(&db)
            .into_iter()
            .map(|n| (n.object, n.feature, n.major))
            .collect()
    }

    #[test]
    fn plain_constraints_need_nothing_new() {
        let yaml = "tables:
  p: {columns: {id: int primary key, r: int4range}}
  c:
    columns: {id: int, pid: int, x: int}
    unique: [[id, x]]
    foreign_keys: [{columns: [pid], references: p, on_delete: set null}]
    checks: [x > 0]
    indexes: [{columns: [x], unique: true}]
";
        assert_eq!(needs_of(yaml), vec![]);
    }

    #[test]
    fn lists_every_use_with_its_major_and_origin() {
        let yaml = "tables:
  p:
    columns: {id: int, during: tstzrange, t: int}
    primary_key: {columns: [id, during], without_overlaps: true}
    unique:
      - {columns: [t, during], without_overlaps: true, nulls_not_distinct: true}
    indexes: [{name: p_t, columns: [t], unique: true, nulls_not_distinct: true}]
  c:
    columns: {id: int, during: tstzrange, t: int, x: int}
    foreign_keys:
      - {columns: [id, during], references: p, period: true, enforced: false}
      - {columns: [t, id], references: {table: p, columns: [t, id]}, on_delete: set null (t)}
    checks:
      - {expression: x > 0, enforced: false}
      - {name: c_big, expression: x < 10, enforced: false}
";
        let got = needs_of(yaml);
        let expected = [
            ("the primary key of p (id, during)", "WITHOUT OVERLAPS", 18),
            (
                "the unique constraint on p (t, during)",
                "NULLS NOT DISTINCT",
                15,
            ),
            (
                "the unique constraint on p (t, during)",
                "WITHOUT OVERLAPS",
                18,
            ),
            ("index p_t on p", "NULLS NOT DISTINCT", 15),
            (
                "the foreign key on c (id, during)",
                "PERIOD (a temporal foreign key)",
                18,
            ),
            ("the foreign key on c (id, during)", "NOT ENFORCED", 18),
            (
                "the foreign key on c (t, id)",
                "ON DELETE SET NULL/SET DEFAULT with a column list",
                15,
            ),
            ("the check (x > 0) on c", "NOT ENFORCED", 18),
            ("check constraint c_big on c", "NOT ENFORCED", 18),
        ];
        let mut want: Vec<(String, &str, u32)> = expected
            .iter()
            .map(|(o, f, m)| (o.to_string(), *f, *m))
            .collect();
        let mut got: Vec<(String, &str, u32)> = got
            .into_iter()
            .map(|(o, f, m)| {
                (
                    o.split(" (declared at s.yaml:").next().unwrap().to_string(),
                    f,
                    m,
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want);
        let db = crate::spec::load_str(std::path::Path::new("s.yaml"), yaml).unwrap();
        let pk = constraint_needs(&db)
            .iter()
            .map(Needs::to_string)
            .find(|n| n.starts_with("the primary key"))
            .unwrap();
        assert!(
            pk.starts_with("the primary key of p (id, during) (declared at s.yaml:4:")
                && pk.ends_with("uses WITHOUT OVERLAPS, which needs PostgreSQL 18 or later"),
            "{pk}"
        );
    }
}
