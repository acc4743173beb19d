//! Domains: base type, default, NOT NULL, collation and named CHECKs (with
//! their `NOT VALID` state), one query.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{collation_name, not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{Check, Domain, QualifiedName};

pub async fn domains(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<QualifiedName, Domain>, CatalogError> {
    const WHAT: &str = "domains";
    // Checks as parallel arrays in name order; NOT NULL on 17+ is a
    // pg_constraint row too ('n'), read from typnotnull instead.
    let checks = |expr: &str| {
        format!(
            "ARRAY(SELECT {expr} FROM pg_constraint c WHERE c.contypid = t.oid \
             AND c.contype = 'c' ORDER BY c.conname)"
        )
    };
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, t.typname::text AS typname, \
           format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull, \
           pg_get_expr(t.typdefaultbin, 0) AS def, \
           CASE WHEN t.typcollation <> 0 AND t.typcollation <> \
             (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype) \
             THEN {coll} END AS collation, \
           obj_description(t.oid, 'pg_type') AS description, \
           {names} AS check_names, {defs} AS check_defs, {valid} AS check_valid, \
           {comments} AS check_comments \
         FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
         WHERE t.typtype = 'd' AND {member}",
        coll = collation_name("t.typcollation"),
        names = checks("c.conname::text"),
        defs = checks("pg_get_constraintdef(c.oid)"),
        valid = checks("c.convalidated"),
        comments = checks("obj_description(c.oid, 'pg_constraint')"),
        member = not_extension_member("pg_type", "t.oid"),
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name = QualifiedName::new(
            get::<String, _>(&row, "nspname", WHAT)?,
            get::<String, _>(&row, "typname", WHAT)?,
        );
        let names: Vec<String> = get(&row, "check_names", WHAT)?;
        let defs: Vec<String> = get(&row, "check_defs", WHAT)?;
        let valid: Vec<bool> = get(&row, "check_valid", WHAT)?;
        let comments: Vec<Option<String>> = get(&row, "check_comments", WHAT)?;
        let checks = names
            .into_iter()
            .zip(defs)
            .zip(valid)
            .zip(comments)
            .map(|(((n, d), v), c)| check(n, &d, v, c))
            .collect();
        let d = Domain {
            name: name.clone(),
            data_type: get(&row, "base", WHAT)?,
            default: get(&row, "def", WHAT)?,
            not_null: get(&row, "typnotnull", WHAT)?,
            collation: get(&row, "collation", WHAT)?,
            checks,
            comment: get(&row, "description", WHAT)?,
            ..Domain::default()
        };
        out.insert(name, d);
    }
    Ok(out)
}

/// A domain CHECK from its `pg_get_constraintdef` text: the definition
/// without ` NOT VALID` (the equality key), the expression without the
/// `CHECK (…)` wrapper.
fn check(name: String, def: &str, validated: bool, comment: Option<String>) -> Check {
    let definition = def.strip_suffix(" NOT VALID").unwrap_or(def).to_string();
    let expression = definition
        .strip_prefix("CHECK (")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(&definition)
        .to_string();
    Check {
        name: Some(name),
        expression,
        not_valid: !validated,
        definition,
        comment,
        ..Check::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_valid_is_state_not_definition() {
        let c = check("pos".into(), "CHECK ((VALUE > 0)) NOT VALID", false, None);
        assert_eq!(c.definition, "CHECK ((VALUE > 0))");
        assert_eq!(c.expression, "(VALUE > 0)");
        assert!(c.not_valid);
    }
}
