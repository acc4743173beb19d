//! Types the seed sees through: a domain is its base type, narrowed by
//! the simple CHECKs it can read (`VALUE > 0`, `VALUE BETWEEN …` as
//! PostgreSQL prints it, `length(VALUE) <= n`); ranges and multiranges
//! (built in and user range types) get their subtype. Other CHECKs are
//! left to the server: a generated value that violates one fails the load
//! with PostgreSQL's message.

use super::coltype::ColType;
use crate::model::{Database, QualifiedName};

/// The built-in range types and their subtypes.
const RANGES: &[(&str, &str)] = &[
    ("int4range", "integer"),
    ("int8range", "bigint"),
    ("numrange", "numeric"),
    ("daterange", "date"),
    ("tsrange", "timestamp"),
    ("tstzrange", "timestamptz"),
];

/// A type [`ColType::parse`] has no rule for: a domain, a range, or other.
/// `t` is the text as written, `base` its lowercase form without
/// modifiers.
pub fn parse_other(t: &str, base: &str, db: &Database) -> ColType {
    for (range, sub) in RANGES {
        let multi = range.replace("range", "multirange");
        if base == *range || base == multi {
            return ColType::Range {
                subtype: Box::new(ColType::parse(sub, db)),
                multi: base != *range,
            };
        }
    }
    let Some(q) = name_of(t) else {
        return ColType::Other(t.to_string());
    };
    let found = |m: &QualifiedName| m == &q || (q.schema.is_empty() && m.name == q.name);
    if let Some(d) = db.domains.values().find(|d| found(&d.name)) {
        let mut ty = ColType::parse(&d.data_type, db);
        for c in &d.checks {
            narrow(&mut ty, &c.expression);
        }
        return ty;
    }
    for r in db.ranges.values() {
        let multi_name = r
            .multirange_name
            .clone()
            .unwrap_or_else(|| crate::catalog::default_multirange_name(&r.name.name));
        let multi = QualifiedName::new(&r.name.schema, multi_name);
        if found(&r.name) || found(&multi) {
            return ColType::Range {
                subtype: Box::new(ColType::parse(&r.subtype, db)),
                multi: found(&multi),
            };
        }
    }
    ColType::Other(t.to_string())
}

/// `schema.name` or a bare `name` (empty schema) as SQL reads it.
fn name_of(t: &str) -> Option<QualifiedName> {
    let parts = crate::pg::ident::parse_sql_name(t)?;
    match parts.as_slice() {
        [schema, name] => Some(QualifiedName::new(schema, name)),
        [name] => Some(QualifiedName::new("", name)),
        _ => None,
    }
}

/// Narrow integer bounds or a text length by one CHECK expression: each
/// `AND`ed comparison of `VALUE` (or `length(VALUE)`) with a number.
fn narrow(ty: &mut ColType, expr: &str) {
    for part in expr.split(" AND ") {
        let p: String = part.chars().filter(|c| *c != '(' && *c != ')').collect();
        let p = strip_casts(&p);
        let words: Vec<&str> = p.split_whitespace().collect();
        let [lhs, op, n] = words.as_slice() else {
            continue;
        };
        let Ok(n) = n.parse::<i64>() else {
            continue;
        };
        match (ty as &mut ColType, *lhs) {
            (ColType::Int { min, max }, "VALUE" | "value") => match *op {
                ">" => *min = (*min).max(n.saturating_add(1)),
                ">=" => *min = (*min).max(n),
                "<" => *max = (*max).min(n.saturating_sub(1)),
                "<=" => *max = (*max).min(n),
                _ => {}
            },
            (ColType::Text { max }, "lengthVALUE" | "char_lengthVALUE" | "lengthvalue") => {
                let limit = match *op {
                    "<" => n.saturating_sub(1),
                    "<=" => n,
                    _ => continue,
                };
                let limit = usize::try_from(limit.max(0)).unwrap_or(0);
                *max = Some(max.map_or(limit, |m| m.min(limit)));
            }
            _ => {}
        }
    }
}

/// `VALUE::integer` → `VALUE` (PostgreSQL casts `VALUE` of a domain over
/// a domain).
fn strip_casts(p: &str) -> String {
    p.split_whitespace()
        .map(|w| w.split("::").next().unwrap_or(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int() -> ColType {
        ColType::Int {
            min: i32::MIN.into(),
            max: i32::MAX.into(),
        }
    }

    #[test]
    fn integer_checks_narrow_the_bounds() {
        let mut t = int();
        narrow(&mut t, "((VALUE >= 1) AND (VALUE < 100))");
        assert_eq!(t, ColType::Int { min: 1, max: 99 });
        let mut t = int();
        narrow(&mut t, "((VALUE)::integer > 0)");
        assert_eq!(
            t,
            ColType::Int {
                min: 1,
                max: i32::MAX.into()
            }
        );
        let mut t = int();
        narrow(&mut t, "(VALUE <> 13)");
        assert_eq!(t, int());
    }

    #[test]
    fn length_checks_narrow_text() {
        let mut t = ColType::Text { max: None };
        narrow(&mut t, "(length(VALUE) < 8)");
        assert_eq!(t, ColType::Text { max: Some(7) });
    }

    #[test]
    fn domains_and_ranges_resolve() {
        let mut db = Database::default();
        let d = crate::model::Domain {
            name: QualifiedName::new("public", "posint"),
            data_type: "integer".into(),
            checks: vec![crate::model::Check {
                expression: "(VALUE > 0)".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        db.domains.insert(d.name.clone(), d);
        assert_eq!(
            ColType::parse("public.posint", &db),
            ColType::Int {
                min: 1,
                max: i32::MAX.into()
            }
        );
        let r = ColType::parse("int4multirange", &db);
        assert!(matches!(r, ColType::Range { multi: true, .. }));
        let r = crate::model::RangeType {
            name: QualifiedName::new("public", "floatrange"),
            subtype: "double precision".into(),
            ..Default::default()
        };
        db.ranges.insert(r.name.clone(), r);
        assert_eq!(
            ColType::parse("public.floatmultirange", &db),
            ColType::Range {
                subtype: Box::new(ColType::Float),
                multi: true
            }
        );
    }
}
