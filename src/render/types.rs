//! Domains, composite types, range types and collations
//! ([`TypeChange`]): create, alter, rename, re-create, drop, comment.
//!
//! Nothing is dropped with `CASCADE`: `plan` drops what uses an object
//! first. What PostgreSQL cannot alter in place is dropped and created
//! again with the columns using it parked in between: in `text` for a
//! type (values go out through their text form and come back through the
//! new type's input), in the default collation for a collation.

use super::{Hazard, Statement};
use crate::diff::types::{TypeChange, TypeKind, TypeObject};
use crate::model::{
    quote_ident, quote_literal, Check, Collation, Column, CompositeType, Domain, QualifiedName,
    RangeType,
};

/// Domains with a CHECK or NOT NULL in `from` or as a change leaves them.
pub fn constrained_domains(
    changes: &[crate::diff::Change],
    from: &crate::model::Database,
) -> Vec<QualifiedName> {
    let constrained = |d: &Domain| d.not_null || !d.checks.is_empty();
    let mut out: Vec<QualifiedName> = from
        .domains
        .values()
        .filter(|d| constrained(d))
        .map(|d| d.name.clone())
        .collect();
    for ch in changes {
        let crate::diff::Change::Type(t) = ch else {
            continue;
        };
        let d = match t {
            TypeChange::Create(TypeObject::Domain(d))
            | TypeChange::Recreate {
                to: TypeObject::Domain(d),
                ..
            }
            | TypeChange::AlterDomain { to: d, .. } => d,
            _ => continue,
        };
        if constrained(d) {
            out.push(d.name.clone());
        }
    }
    out
}

pub fn render(ch: &TypeChange) -> Vec<Statement> {
    match ch {
        TypeChange::Create(o) => create(o),
        TypeChange::Drop(o) => vec![drop(o)],
        TypeChange::Recreate { from, to, columns } => recreate(from, to, columns),
        TypeChange::RenameDomain { from, to } => vec![Statement::new(format!(
            "ALTER DOMAIN {} RENAME TO {};",
            from.quoted(),
            quote_ident(to)
        ))
        .with([Hazard::Renamed { on: from.clone() }])],
        TypeChange::AlterDomain { from, to } => alter_domain(from, to),
        TypeChange::AlterComposite { from, to, columns } => alter_composite(from, to, columns),
        TypeChange::Comment {
            kind,
            name,
            comment,
        } => vec![comment_on(*kind, name, comment.as_deref())],
    }
}

fn keyword(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Domain => "DOMAIN",
        TypeKind::Type => "TYPE",
        TypeKind::Collation => "COLLATION",
    }
}

fn comment_on(kind: TypeKind, name: &QualifiedName, comment: Option<&str>) -> Statement {
    let value = comment.map(quote_literal).unwrap_or_else(|| "NULL".into());
    Statement::new(format!(
        "COMMENT ON {} {} IS {value};",
        keyword(kind),
        name.quoted()
    ))
}

fn create(o: &TypeObject) -> Vec<Statement> {
    match o {
        TypeObject::Domain(d) => create_domain(d),
        TypeObject::Composite(c) => vec![Statement::new(format!(
            "CREATE TYPE {} AS ({});",
            c.name.quoted(),
            c.attributes
                .iter()
                .map(|a| format!(
                    "{} {}",
                    quote_ident(&a.name),
                    type_with_collation(&a.data_type, a.collation.as_deref())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .from_origin(&c.origin)],
        TypeObject::Range(r) => vec![create_range(r)],
        TypeObject::Collation(c) => vec![create_collation(c)],
    }
}

fn type_with_collation(ty: &str, collation: Option<&str>) -> String {
    match collation {
        Some(c) => format!("{ty} COLLATE {c}"),
        None => ty.to_string(),
    }
}

/// `CREATE DOMAIN` with its valid checks inline; a `NOT VALID` check is
/// added after (`CREATE DOMAIN` has no `NOT VALID`), and comments on
/// checks follow.
fn create_domain(d: &Domain) -> Vec<Statement> {
    let mut sql = format!(
        "CREATE DOMAIN {} AS {}",
        d.name.quoted(),
        type_with_collation(&d.data_type, d.collation.as_deref())
    );
    if let Some(def) = &d.default {
        sql.push_str(&format!(" DEFAULT {def}"));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in d.checks.iter().filter(|c| !c.not_valid) {
        sql.push(' ');
        sql.push_str(&check_clause(c));
    }
    sql.push(';');
    let mut out = vec![Statement::new(sql).from_origin(&d.origin)];
    for c in d.checks.iter().filter(|c| c.not_valid) {
        out.push(add_check(&d.name, c));
    }
    out.extend(check_comments(&d.name, &d.checks, &[]));
    out
}

fn check_clause(c: &Check) -> String {
    let body = if c.definition.is_empty() {
        format!("CHECK ({})", c.expression)
    } else {
        c.definition.clone()
    };
    match &c.name {
        Some(n) => format!("CONSTRAINT {} {body}", quote_ident(n)),
        None => body,
    }
}

fn add_check(domain: &QualifiedName, c: &Check) -> Statement {
    let mut sql = format!("ALTER DOMAIN {} ADD {}", domain.quoted(), check_clause(c));
    if c.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql.push(';');
    let stmt = Statement::new(sql).from_origin(&c.origin);
    if c.not_valid {
        stmt
    } else {
        stmt.with([Hazard::MayFail {
            why: "every value of every column typed with the domain is checked; PostgreSQL \
                  refuses the constraint if one violates it (declare it not_valid to skip \
                  existing rows)",
        }])
    }
}

/// Comments on checks that differ from `before` (by name).
fn check_comments(domain: &QualifiedName, checks: &[Check], before: &[Check]) -> Vec<Statement> {
    checks
        .iter()
        .filter_map(|c| {
            let name = c.name.as_ref()?;
            let old = before.iter().find(|b| b.name.as_ref() == Some(name));
            let old_comment = old.and_then(|b| b.comment.as_ref());
            if old_comment == c.comment.as_ref() {
                return None;
            }
            let value = c
                .comment
                .as_deref()
                .map(quote_literal)
                .unwrap_or_else(|| "NULL".into());
            Some(Statement::new(format!(
                "COMMENT ON CONSTRAINT {} ON DOMAIN {} IS {value};",
                quote_ident(name),
                domain.quoted()
            )))
        })
        .collect()
}

fn alter_domain(from: &Domain, to: &Domain) -> Vec<Statement> {
    let name = to.name.quoted();
    let mut out = Vec::new();
    if from.default != to.default {
        out.push(Statement::new(match &to.default {
            Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d};"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
        }));
    }
    if from.not_null != to.not_null {
        out.push(if to.not_null {
            Statement::new(format!("ALTER DOMAIN {name} SET NOT NULL;")).with([Hazard::MayFail {
                why: "every column typed with the domain is scanned; PostgreSQL refuses SET NOT \
                      NULL if one holds a NULL",
            }])
        } else {
            Statement::new(format!("ALTER DOMAIN {name} DROP NOT NULL;"))
        });
    }
    let plan = check_plan(&from.checks, &to.checks);
    for c in &plan.dropped {
        out.push(Statement::new(format!(
            "ALTER DOMAIN {name} DROP CONSTRAINT {};",
            quote_ident(c.name.as_deref().unwrap_or_default())
        )));
    }
    for (a, b) in &plan.renamed {
        out.push(Statement::new(format!(
            "ALTER DOMAIN {name} RENAME CONSTRAINT {} TO {};",
            quote_ident(a),
            quote_ident(b)
        )));
    }
    for c in &plan.added {
        out.push(add_check(&to.name, c));
    }
    for c in &plan.validated {
        out.push(
            Statement::new(format!(
                "ALTER DOMAIN {name} VALIDATE CONSTRAINT {};",
                quote_ident(c)
            ))
            .with([Hazard::MayFail {
                why: "every value of every column typed with the domain is checked; PostgreSQL \
                      refuses to validate if one violates the constraint",
            }]),
        );
    }
    out.extend(check_comments(&to.name, &to.checks, &plan.kept_before));
    out
}

/// How the checks of a domain go from `from` to `to`.
#[derive(Default)]
struct CheckPlan {
    dropped: Vec<Check>,
    /// (old name, new name): same definition.
    renamed: Vec<(String, String)>,
    added: Vec<Check>,
    /// Names of `NOT VALID` checks the desired state has validated.
    validated: Vec<String>,
    /// The checks of `from` as they are after drops and renames (for
    /// comment changes).
    kept_before: Vec<Check>,
}

fn check_plan(from: &[Check], to: &[Check]) -> CheckPlan {
    let mut p = CheckPlan::default();
    let same = |a: &Check, b: &Check| a.name == b.name && a.definition == b.definition;
    let mut unmatched_to: Vec<&Check> = Vec::new();
    for b in to {
        match from.iter().find(|a| same(a, b)) {
            Some(a) => {
                // Validating is the only way to leave NOT VALID; going back
                // to NOT VALID means adding it again.
                if a.not_valid && !b.not_valid {
                    p.validated.push(b.name.clone().unwrap_or_default());
                    p.kept_before.push(a.clone());
                } else if !a.not_valid && b.not_valid {
                    p.dropped.push(a.clone());
                    p.added.push(b.clone());
                } else {
                    p.kept_before.push(a.clone());
                }
            }
            None => unmatched_to.push(b),
        }
    }
    for a in from.iter().filter(|a| !to.iter().any(|b| same(a, b))) {
        let twin = unmatched_to
            .iter()
            .position(|b| b.definition == a.definition && b.not_valid == a.not_valid);
        match twin {
            Some(i) if !to.iter().any(|b| b.name == a.name) => {
                let b = unmatched_to.remove(i);
                let new = b.name.clone().unwrap_or_default();
                p.renamed
                    .push((a.name.clone().unwrap_or_default(), new.clone()));
                p.kept_before.push(Check {
                    name: Some(new),
                    ..a.clone()
                });
            }
            _ => p.dropped.push(a.clone()),
        }
    }
    p.added.extend(unmatched_to.into_iter().cloned());
    p
}

fn create_range(r: &RangeType) -> Statement {
    let mut opts = vec![format!("SUBTYPE = {}", r.subtype)];
    let mut opt = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            opts.push(format!("{k} = {v}"));
        }
    };
    opt("SUBTYPE_OPCLASS", &r.subtype_opclass);
    opt("COLLATION", &r.collation);
    opt("CANONICAL", &r.canonical);
    opt("SUBTYPE_DIFF", &r.subtype_diff);
    opt(
        "MULTIRANGE_TYPE_NAME",
        &r.multirange_name
            .as_ref()
            .map(|m| QualifiedName::new(&r.name.schema, m).quoted()),
    );
    Statement::new(format!(
        "CREATE TYPE {} AS RANGE ({});",
        r.name.quoted(),
        opts.join(", ")
    ))
    .from_origin(&r.origin)
}

fn create_collation(c: &Collation) -> Statement {
    let mut opts = Vec::new();
    if c.provider != "libc" {
        opts.push(format!("PROVIDER = {}", c.provider));
    }
    let mut opt = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            opts.push(format!("{k} = {}", quote_literal(v)));
        }
    };
    opt("LOCALE", &c.locale);
    opt("LC_COLLATE", &c.lc_collate);
    opt("LC_CTYPE", &c.lc_ctype);
    if !c.deterministic {
        opts.push("DETERMINISTIC = false".into());
    }
    Statement::new(format!(
        "CREATE COLLATION {} ({});",
        c.name.quoted(),
        opts.join(", ")
    ))
    .from_origin(&c.origin)
}

fn drop(o: &TypeObject) -> Statement {
    let (what, noun) = match o {
        TypeObject::Domain(_) => ("DOMAIN", "domain"),
        TypeObject::Composite(_) => ("TYPE", "composite type"),
        TypeObject::Range(_) => ("TYPE", "range type"),
        TypeObject::Collation(_) => ("COLLATION", "collation"),
    };
    let stmt = Statement::new(format!("DROP {what} {};", o.name().quoted()));
    match o {
        TypeObject::Collation(_) => stmt,
        _ => stmt.with([Hazard::Note(format!(
            "drops {noun} {}; the columns using it are dropped or re-typed before",
            o.name().ident()
        ))]),
    }
}

/// Drop and create again, the columns using it parked around the change.
fn recreate(
    from: &TypeObject,
    to: &TypeObject,
    columns: &[(QualifiedName, Column)],
) -> Vec<Statement> {
    let collation = matches!(to, TypeObject::Collation(_));
    let mut out: Vec<Statement> = columns
        .iter()
        .flat_map(|(t, c)| park(t, c, collation))
        .collect();
    out.push(drop(from));
    out.extend(create(to));
    out.extend(columns.iter().flat_map(|(t, c)| unpark(t, c, collation)));
    if !columns.is_empty() {
        let names: Vec<String> = columns
            .iter()
            .map(|(t, c)| format!("{}.{}", t.ident(), crate::escape::ident(&c.name)))
            .collect();
        let what = if collation {
            format!(
                "collation {} is re-created: columns {} are re-collated (their indexes rebuilt) and \
                 sort and compare differently",
                to.name().ident(),
                names.join(", ")
            )
        } else {
            format!(
                "{} is re-created: the values of columns {} go through text and back into the \
                 new definition, which may change or refuse them",
                to.name().ident(),
                names.join(", ")
            )
        };
        if let Some(first) = out.first_mut() {
            first.hazards.push(Hazard::DataLoss { what });
        }
    }
    out
}

/// `text` (or `text[]`) for a column parked while its type is re-created;
/// the same type with the default collation for a collation.
fn parked_type(c: &Column, collation: bool) -> String {
    if collation {
        return format!("{} COLLATE pg_catalog.\"default\"", c.data_type);
    }
    let dims = &c.data_type[c.data_type.trim_end_matches("[]").len()..];
    format!("text{dims}")
}

fn park(t: &QualifiedName, c: &Column, collation: bool) -> Vec<Statement> {
    let col = quote_ident(&c.name);
    let mut out = Vec::new();
    if c.default.is_some() && !collation {
        out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT;",
            t.quoted()
        )));
    }
    let ty = parked_type(c, collation);
    let using = if collation {
        String::new()
    } else {
        format!(" USING {col}::{ty}")
    };
    out.push(
        Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} TYPE {ty}{using};",
            t.quoted()
        ))
        .with([Hazard::TableRewrite {
            table: t.clone(),
            what: "the column is rewritten twice (parked while its type or collation is \
                   changed) and its indexes rebuilt",
        }]),
    );
    out
}

fn unpark(t: &QualifiedName, c: &Column, collation: bool) -> Vec<Statement> {
    let col = quote_ident(&c.name);
    let ty = type_with_collation(&c.data_type, c.collation.as_deref());
    let using = if collation {
        String::new()
    } else {
        format!(" USING {col}::{}", c.data_type)
    };
    let mut out = vec![Statement::new(format!(
        "ALTER TABLE {} ALTER COLUMN {col} TYPE {ty}{using};",
        t.quoted()
    ))];
    if let (Some(d), false) = (&c.default, collation) {
        out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {d};",
            t.quoted()
        )));
    }
    out
}

/// Attributes dropped, added, retyped and renamed. A rename is an
/// attribute of the same type whose old name is gone and whose new name
/// is new, at the same position.
fn alter_composite(
    from: &CompositeType,
    to: &CompositeType,
    columns: &[(QualifiedName, Column)],
) -> Vec<Statement> {
    let name = to.name.quoted();
    let mut out: Vec<Statement> = columns
        .iter()
        .flat_map(|(t, c)| park(t, c, false))
        .collect();
    let has = |ty: &CompositeType, n: &str| ty.attributes.iter().any(|a| a.name == n);
    let mut renamed = Vec::new();
    for (i, a) in from.attributes.iter().enumerate() {
        if has(to, &a.name) {
            continue;
        }
        let twin = to.attributes.get(i).filter(|b| {
            !has(from, &b.name) && b.data_type == a.data_type && b.collation == a.collation
        });
        match twin {
            Some(b) => {
                out.push(Statement::new(format!(
                    "ALTER TYPE {name} RENAME ATTRIBUTE {} TO {};",
                    quote_ident(&a.name),
                    quote_ident(&b.name)
                )));
                renamed.push(b.name.clone());
            }
            None => out.push(
                Statement::new(format!(
                    "ALTER TYPE {name} DROP ATTRIBUTE {};",
                    quote_ident(&a.name)
                ))
                .with([Hazard::DataLoss {
                    what: format!(
                        "drops attribute {} of {} and its values in every column using the type",
                        crate::escape::ident(&a.name),
                        to.name.ident()
                    ),
                }]),
            ),
        }
    }
    for b in &to.attributes {
        let ty = type_with_collation(&b.data_type, b.collation.as_deref());
        match from.attributes.iter().find(|a| a.name == b.name) {
            None if !renamed.contains(&b.name) => out.push(Statement::new(format!(
                "ALTER TYPE {name} ADD ATTRIBUTE {} {ty};",
                quote_ident(&b.name)
            ))),
            Some(a) if (&a.data_type, &a.collation) != (&b.data_type, &b.collation) => {
                let conv = crate::pg::types::conversion(&a.data_type, &b.data_type);
                let stmt = Statement::new(format!(
                    "ALTER TYPE {name} ALTER ATTRIBUTE {} TYPE {ty};",
                    quote_ident(&b.name)
                ));
                out.push(if conv.loss.is_destructive() {
                    stmt.with([Hazard::DataLoss {
                        what: format!(
                            "attribute {} of {} goes from {} to {}: values may not survive",
                            crate::escape::ident(&b.name),
                            to.name.ident(),
                            a.data_type,
                            b.data_type
                        ),
                    }])
                } else {
                    stmt
                });
            }
            _ => {}
        }
    }
    out.extend(columns.iter().flat_map(|(t, c)| unpark(t, c, false)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, def: &str, not_valid: bool) -> Check {
        Check {
            name: Some(name.into()),
            definition: def.into(),
            not_valid,
            ..Check::default()
        }
    }

    #[test]
    fn checks_renamed_validated_added_dropped() {
        let from = [
            check("a", "CHECK (x)", false),
            check("b", "CHECK (y)", true),
            check("c", "CHECK (z)", false),
        ];
        let to = [
            check("a2", "CHECK (x)", false),
            check("b", "CHECK (y)", false),
            check("d", "CHECK (w)", false),
        ];
        let p = check_plan(&from, &to);
        assert_eq!(p.renamed, vec![("a".to_string(), "a2".to_string())]);
        assert_eq!(p.validated, vec!["b".to_string()]);
        assert_eq!(p.dropped.len(), 1);
        assert_eq!(p.added.len(), 1);
    }

    #[test]
    fn parked_type_keeps_array_dimensions() {
        let c = Column {
            data_type: "public.pos[]".into(),
            ..Column::default()
        };
        assert_eq!(parked_type(&c, false), "text[]");
    }
}
