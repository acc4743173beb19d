//! Views and materialized views: create, replace, set options, refresh,
//! rename, drop.
//!
//! A catalog view's definition is `pg_get_viewdef` read with `search_path
//! = pg_catalog`: every name in it is qualified, so the statement means
//! the same whatever the migration session's `search_path`. Options go in
//! `WITH (…)` (`check_option` included: it is the `WITH … CHECK OPTION`
//! clause's storage); `CREATE OR REPLACE VIEW` replaces them all.

use super::{Hazard, LockLevel, Statement};
use crate::model::{quote_ident, QualifiedName, View};

/// The `WITH (…)` list of a plain view's options (empty: none set).
fn options(v: &View) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &v.check_option {
        out.push(format!("check_option={c}"));
    }
    if v.security_barrier {
        out.push("security_barrier=true".into());
    }
    if v.security_invoker {
        out.push("security_invoker=true".into());
    }
    out
}

fn with_clause(v: &View) -> String {
    if v.materialized {
        return match v.storage.is_empty() {
            true => String::new(),
            false => format!(
                " WITH ({})",
                crate::pg::reloptions::assignments(v.storage.iter())
            ),
        };
    }
    let opts = options(v);
    if opts.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", opts.join(", "))
    }
}

/// `CREATE [MATERIALIZED] VIEW … AS <query> [WITH NO DATA];`
pub fn create(v: &View, rebuilt: bool) -> Statement {
    let no_data = if v.materialized && !v.with_data {
        "\n  WITH NO DATA"
    } else {
        ""
    };
    let sql = format!(
        "CREATE {} {}{} AS\n{}{no_data};",
        v.kind_sql(),
        v.name.quoted(),
        with_clause(v),
        v.definition.trim_end().trim_end_matches(';')
    );
    let mut hazards = Vec::new();
    if v.materialized && v.with_data {
        hazards.push(Hazard::Note(format!(
            "runs the query of materialized view {} to fill it",
            v.name.ident()
        )));
    }
    if rebuilt {
        hazards.push(Hazard::Note(format!(
            "{} {} is created again: grants on it are not restored",
            v.kind_sql().to_lowercase(),
            v.name.ident()
        )));
    }
    Statement::new(sql).with(hazards).from_origin(&v.origin)
}

/// `DROP [MATERIALIZED] VIEW …;` — `rebuilt`: created again by this plan.
pub fn drop(v: &View, rebuilt: bool) -> Statement {
    let sql = format!("DROP {} {};", v.kind_sql(), v.name.quoted());
    let why = if rebuilt {
        "dropped to be created again (PostgreSQL cannot change it, or what it reads, in place)"
    } else {
        "dropped"
    };
    let mut hazards = vec![Hazard::Note(format!(
        "{} {} is {why}: queries using it fail until it exists again",
        v.kind_sql().to_lowercase(),
        v.name.ident()
    ))];
    if v.materialized {
        hazards.push(Hazard::Lock {
            level: LockLevel::AccessExclusive,
            on: v.name.clone(),
            what: "while the materialized view is dropped",
        });
    }
    Statement::new(sql).with(hazards)
}

/// `CREATE OR REPLACE VIEW` with `to`'s query and options.
pub fn replace(to: &View) -> Statement {
    Statement::new(format!(
        "CREATE OR REPLACE VIEW {}{} AS\n{};",
        to.name.quoted(),
        with_clause(to),
        to.definition.trim_end().trim_end_matches(';')
    ))
    .from_origin(&to.origin)
}

/// `ALTER VIEW … SET (…)` for the options `to` sets differently, `RESET
/// (…)` for those it no longer sets.
pub fn alter_options(from: &View, to: &View) -> Vec<Statement> {
    let (old, new) = (options(from), options(to));
    let key = |o: &String| o.split('=').next().unwrap_or_default().to_string();
    let set: Vec<String> = new.iter().filter(|o| !old.contains(o)).cloned().collect();
    let reset: Vec<String> = old
        .iter()
        .map(key)
        .filter(|k| !new.iter().any(|o| key(o) == *k))
        .collect();
    let mut out = Vec::new();
    let name = to.name.quoted();
    if !reset.is_empty() {
        out.push(Statement::new(format!(
            "ALTER VIEW {name} RESET ({});",
            reset.join(", ")
        )));
    }
    if !set.is_empty() {
        out.push(Statement::new(format!(
            "ALTER VIEW {name} SET ({});",
            set.join(", ")
        )));
    }
    out
}

/// `REFRESH MATERIALIZED VIEW … [WITH NO DATA]`.
pub fn refresh(name: &QualifiedName, with_data: bool) -> Statement {
    let (tail, note) = if with_data {
        ("", "runs the query to fill it")
    } else {
        (
            " WITH NO DATA",
            "empties it: reading it fails until it is refreshed",
        )
    };
    Statement::new(format!(
        "REFRESH MATERIALIZED VIEW {}{tail};",
        name.quoted()
    ))
    .with([
        Hazard::Lock {
            level: LockLevel::AccessExclusive,
            on: name.clone(),
            what: "while the materialized view is refreshed",
        },
        Hazard::Note(format!("materialized view {}: {note}", name.ident())),
    ])
}

pub fn rename(from: &QualifiedName, to: &str, materialized: bool) -> Statement {
    let kind = if materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    Statement::new(format!(
        "ALTER {kind} {} RENAME TO {};",
        from.quoted(),
        quote_ident(to)
    ))
    .with([Hazard::Renamed { on: from.clone() }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_set_and_reset() {
        let mut a = View {
            name: QualifiedName::new("public", "v"),
            security_barrier: true,
            ..View::default()
        };
        let mut b = a.clone();
        b.security_barrier = false;
        b.check_option = Some("local".into());
        let sql: Vec<String> = alter_options(&a, &b).into_iter().map(|s| s.sql).collect();
        assert_eq!(
            sql,
            [
                "ALTER VIEW \"public\".\"v\" RESET (security_barrier);",
                "ALTER VIEW \"public\".\"v\" SET (check_option=local);"
            ]
        );
        a.materialized = true;
        a.with_data = false;
        a.definition = "SELECT 1".into();
        assert_eq!(
            create(&a, false).sql,
            "CREATE MATERIALIZED VIEW \"public\".\"v\" AS\nSELECT 1\n  WITH NO DATA;"
        );
    }
}
