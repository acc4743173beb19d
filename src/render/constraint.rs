//! Constraints of every kind: add, drop, rename, validate, and the
//! `[CONSTRAINT name] <definition>` clause `CREATE TABLE` inlines.

use super::{ident_list, Build, Context, Hazard, LockLevel, Scan, Statement};
use crate::diff::Constraint;
use crate::model::{quote_ident, FkAction, FkMatch, ForeignKey, QualifiedName};

pub fn add(table: &QualifiedName, c: &Constraint, ctx: &Context) -> Statement {
    let sql = format!(
        "ALTER TABLE {} ADD {};",
        table.quoted(),
        constraint_clause(c)
    );
    let hazard = (!ctx.is_new(table)).then(|| match c {
        Constraint::ForeignKey(fk) => Hazard::ValidationScan {
            table: table.clone(),
            scan: Scan::ForeignKey {
                references: fk.ref_table.clone(),
            },
        },
        Constraint::Check(_) => Hazard::ValidationScan {
            table: table.clone(),
            scan: Scan::Check,
        },
        Constraint::PrimaryKey(k) if k.without_overlaps => Hazard::IndexBuild {
            table: table.clone(),
            by: Build::TemporalKey,
        },
        Constraint::Unique(k) if k.without_overlaps => Hazard::IndexBuild {
            table: table.clone(),
            by: Build::TemporalKey,
        },
        _ => Hazard::IndexBuild {
            table: table.clone(),
            by: Build::Constraint,
        },
    });
    // A NOT VALID or NOT ENFORCED constraint checks no existing row: the
    // lock is brief.
    let brief = if c.not_enforced() {
        Some("brief (NOT ENFORCED: rows are not checked)")
    } else if c.not_valid() {
        Some("brief (NOT VALID: existing rows are not checked)")
    } else {
        None
    };
    let hazard = hazard.map(|h| match brief {
        Some(what) => Hazard::Lock {
            level: add_lock(c),
            on: table.clone(),
            what,
        },
        None => h,
    });
    Statement::new(sql).with(hazard).from_origin(c.origin())
}

pub fn drop(table: &QualifiedName, c: &Constraint, ctx: &Context) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} DROP CONSTRAINT {};",
        table.quoted(),
        quote_ident(c.name().unwrap_or_default())
    ))
    .with(ctx.lock(table, "brief"))
}

pub fn rename(table: &QualifiedName, from: &str, to: &str, ctx: &Context) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
        table.quoted(),
        quote_ident(from),
        quote_ident(to)
    ))
    .with(ctx.lock(table, "brief"))
}

pub fn validate(table: &QualifiedName, name: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {};",
        table.quoted(),
        quote_ident(name)
    ))
    .with([Hazard::ValidationScan {
        table: table.clone(),
        scan: Scan::Validate,
    }])
}

/// `ALTER CONSTRAINT … [NOT] ENFORCED` of a foreign key. Both directions
/// take ACCESS EXCLUSIVE on the table (its triggers change); enforcing
/// then checks every row, and not enforcing drops the referenced table's
/// triggers under ACCESS EXCLUSIVE there too.
pub fn set_enforced(table: &QualifiedName, c: &Constraint, ctx: &Context) -> Statement {
    let sql = format!(
        "ALTER TABLE {} ALTER CONSTRAINT {} {};",
        table.quoted(),
        quote_ident(c.name().unwrap_or_default()),
        if c.not_enforced() {
            "NOT ENFORCED"
        } else {
            "ENFORCED"
        }
    );
    let references = match c {
        Constraint::ForeignKey(fk) => Some(&fk.ref_table),
        _ => None,
    };
    let hazards: Vec<Hazard> = if c.not_enforced() {
        let brief = "brief (NOT ENFORCED: its triggers are dropped)";
        let mut on = vec![table];
        on.extend(references.filter(|r| *r != table));
        on.into_iter().filter_map(|t| ctx.lock(t, brief)).collect()
    } else {
        vec![Hazard::ValidationScan {
            table: table.clone(),
            scan: Scan::Enforce {
                references: references.cloned(),
            },
        }]
    };
    Statement::new(sql).with(hazards).from_origin(c.origin())
}

/// The lock `ALTER TABLE … ADD` takes for a constraint of this kind.
pub fn add_lock(c: &Constraint) -> LockLevel {
    match c {
        Constraint::ForeignKey(_) => LockLevel::ShareRowExclusive,
        _ => LockLevel::AccessExclusive,
    }
}

/// `[CONSTRAINT "name"] <definition>`.
pub fn constraint_clause(c: &Constraint) -> String {
    let mut body = body(c);
    if c.not_valid() {
        body.push_str(" NOT VALID");
    }
    match c.name() {
        Some(n) => format!("CONSTRAINT {} {}", quote_ident(n), body),
        None => body,
    }
}

fn body(c: &Constraint) -> String {
    if !c.definition().is_empty() {
        return c.definition().to_string();
    }
    match c {
        Constraint::PrimaryKey(pk) => format!(
            "PRIMARY KEY ({}){}{}",
            key_list(&pk.columns, pk.without_overlaps),
            include(&pk.include),
            deferrable(pk.deferrable, pk.initially_deferred)
        ),
        Constraint::Unique(u) => format!(
            "UNIQUE{} ({}){}{}",
            if u.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            key_list(&u.columns, u.without_overlaps),
            include(&u.include),
            deferrable(u.deferrable, u.initially_deferred)
        ),
        Constraint::Check(ch) => {
            format!("CHECK ({}){}", ch.expression, not_enforced(ch.not_enforced))
        }
        Constraint::Exclusion(x) => format!(
            "EXCLUDE USING {} ({}){}{}{}",
            x.method,
            x.elements.join(", "),
            if x.with.is_empty() {
                String::new()
            } else {
                format!(" WITH ({})", x.with.join(", "))
            },
            x.predicate
                .as_ref()
                .map(|p| format!(" WHERE ({p})"))
                .unwrap_or_default(),
            deferrable(x.deferrable, x.initially_deferred)
        ),
        Constraint::ForeignKey(fk) => foreign_key_body(fk),
    }
}

fn foreign_key_body(fk: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {}",
        period_list(&fk.columns, fk.period),
        fk.ref_table.quoted()
    );
    if !fk.ref_columns.is_empty() {
        s.push_str(&format!(" ({})", period_list(&fk.ref_columns, fk.period)));
    }
    if fk.match_type == FkMatch::Full {
        s.push_str(" MATCH FULL");
    }
    if fk.on_update != FkAction::NoAction {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != FkAction::NoAction {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
        if !fk.on_delete_columns.is_empty() {
            s.push_str(&format!(" ({})", ident_list(&fk.on_delete_columns)));
        }
    }
    s.push_str(&deferrable(fk.deferrable, fk.initially_deferred));
    s.push_str(not_enforced(fk.not_enforced));
    s
}

/// Key columns, the last one `WITHOUT OVERLAPS` for a temporal key.
fn key_list(cols: &[String], without_overlaps: bool) -> String {
    let mut s = ident_list(cols);
    if without_overlaps {
        s.push_str(" WITHOUT OVERLAPS");
    }
    s
}

/// Foreign key columns, the last one `PERIOD` for a temporal key.
fn period_list(cols: &[String], period: bool) -> String {
    match cols.split_last() {
        Some((last, rest)) if period => {
            let mut parts: Vec<String> = rest.iter().map(|c| quote_ident(c)).collect();
            parts.push(format!("PERIOD {}", quote_ident(last)));
            parts.join(", ")
        }
        _ => ident_list(cols),
    }
}

fn not_enforced(on: bool) -> &'static str {
    if on {
        " NOT ENFORCED"
    } else {
        ""
    }
}

/// ` INCLUDE (…)`, or nothing.
pub(super) fn include(cols: &[String]) -> String {
    if cols.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", ident_list(cols))
    }
}

fn deferrable(d: bool, initially: bool) -> String {
    match (d, initially) {
        (false, _) => String::new(),
        (true, false) => " DEFERRABLE".into(),
        (true, true) => " DEFERRABLE INITIALLY DEFERRED".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{constraint_clause, set_enforced};
    use crate::diff::Constraint;
    use crate::model::{Check, Database, FkAction, ForeignKey, PrimaryKey, QualifiedName, Unique};
    use crate::render::{Context, HazardKind};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn include_columns_are_rendered() {
        let pk = PrimaryKey {
            columns: s(&["id"]),
            include: s(&["Note"]),
            ..PrimaryKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::PrimaryKey(pk)),
            "PRIMARY KEY (\"id\") INCLUDE (\"Note\")"
        );
        let u = Unique {
            name: Some("u".into()),
            columns: s(&["a"]),
            include: s(&["b", "c"]),
            deferrable: true,
            ..Unique::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::Unique(u)),
            "CONSTRAINT \"u\" UNIQUE (\"a\") INCLUDE (\"b\", \"c\") DEFERRABLE"
        );
    }

    #[test]
    fn delete_column_list_is_rendered() {
        let fk = ForeignKey {
            columns: s(&["t", "a"]),
            ref_table: QualifiedName::new("public", "p"),
            on_delete: FkAction::SetNull,
            on_delete_columns: s(&["a"]),
            ..ForeignKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::ForeignKey(fk)),
            "FOREIGN KEY (\"t\", \"a\") REFERENCES \"public\".\"p\" ON DELETE SET NULL (\"a\")"
        );
    }

    #[test]
    fn temporal_keys_are_rendered() {
        let pk = PrimaryKey {
            columns: s(&["id", "during"]),
            without_overlaps: true,
            ..PrimaryKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::PrimaryKey(pk)),
            "PRIMARY KEY (\"id\", \"during\" WITHOUT OVERLAPS)"
        );
        let u = Unique {
            columns: s(&["a", "during"]),
            include: s(&["b"]),
            without_overlaps: true,
            ..Unique::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::Unique(u)),
            "UNIQUE (\"a\", \"during\" WITHOUT OVERLAPS) INCLUDE (\"b\")"
        );
        let fk = ForeignKey {
            columns: s(&["room", "during"]),
            ref_table: QualifiedName::new("public", "rooms"),
            ref_columns: s(&["id", "valid"]),
            period: true,
            deferrable: true,
            ..ForeignKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::ForeignKey(fk.clone())),
            "FOREIGN KEY (\"room\", PERIOD \"during\") REFERENCES \"public\".\"rooms\" (\"id\", PERIOD \"valid\") DEFERRABLE"
        );
        let implicit = ForeignKey {
            ref_columns: Vec::new(),
            deferrable: false,
            ..fk
        };
        assert_eq!(
            constraint_clause(&Constraint::ForeignKey(implicit)),
            "FOREIGN KEY (\"room\", PERIOD \"during\") REFERENCES \"public\".\"rooms\""
        );
    }

    #[test]
    fn not_enforced_is_rendered_before_not_valid() {
        let c = Check {
            name: Some("c".into()),
            expression: "x > 0".into(),
            not_enforced: true,
            not_valid: true,
            ..Check::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::Check(c)),
            "CONSTRAINT \"c\" CHECK (x > 0) NOT ENFORCED NOT VALID"
        );
        let fk = ForeignKey {
            columns: s(&["a"]),
            ref_table: QualifiedName::new("public", "p"),
            deferrable: true,
            initially_deferred: true,
            not_enforced: true,
            ..ForeignKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::ForeignKey(fk)),
            "FOREIGN KEY (\"a\") REFERENCES \"public\".\"p\" DEFERRABLE INITIALLY DEFERRED NOT ENFORCED"
        );
    }

    #[test]
    fn enforcing_scans_and_not_enforcing_locks_both_tables() {
        let from = Database::default();
        let ctx = Context::new(&[], &from);
        let t = QualifiedName::new("public", "c");
        let fk = ForeignKey {
            name: Some("c_p_fkey".into()),
            columns: s(&["p"]),
            ref_table: QualifiedName::new("public", "p"),
            not_enforced: true,
            ..ForeignKey::default()
        };
        let off = set_enforced(&t, &Constraint::ForeignKey(fk.clone()), &ctx);
        assert_eq!(
            off.sql,
            "ALTER TABLE \"public\".\"c\" ALTER CONSTRAINT \"c_p_fkey\" NOT ENFORCED;"
        );
        let kinds: Vec<HazardKind> = off.hazards.iter().map(|h| h.kind()).collect();
        assert_eq!(kinds, [HazardKind::Lock, HazardKind::Lock]);
        let on = ForeignKey {
            not_enforced: false,
            ..fk
        };
        let on = set_enforced(&t, &Constraint::ForeignKey(on), &ctx);
        assert_eq!(
            on.sql,
            "ALTER TABLE \"public\".\"c\" ALTER CONSTRAINT \"c_p_fkey\" ENFORCED;"
        );
        let msgs: Vec<String> = on.hazards.iter().map(|h| h.message()).collect();
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].starts_with("strata: ACCESS EXCLUSIVE lock on \"public\".\"c\" (SHARE ROW EXCLUSIVE on \"public\".\"p\") while every row is checked"),
            "{msgs:?}"
        );
    }
}
