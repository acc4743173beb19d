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
        _ => Hazard::IndexBuild {
            table: table.clone(),
            by: Build::Constraint,
        },
    });
    // A NOT VALID constraint checks no existing row: the lock is brief.
    let hazard = hazard.map(|h| match c.not_valid() {
        true => Hazard::Lock {
            level: add_lock(c),
            on: table.clone(),
            what: "brief (NOT VALID: existing rows are not checked)",
        },
        false => h,
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
            ident_list(&pk.columns),
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
            ident_list(&u.columns),
            include(&u.include),
            deferrable(u.deferrable, u.initially_deferred)
        ),
        Constraint::Check(ch) => format!("CHECK ({})", ch.expression),
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
        ident_list(&fk.columns),
        fk.ref_table.quoted()
    );
    if !fk.ref_columns.is_empty() {
        s.push_str(&format!(" ({})", ident_list(&fk.ref_columns)));
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
    s
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
    use super::constraint_clause;
    use crate::diff::Constraint;
    use crate::model::{FkAction, ForeignKey, PrimaryKey, QualifiedName, Unique};

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
}
