//! Domains, composite types, range types and collations: create, alter,
//! rename, drop, comment. All of them are one [`Change::Type`] variant
//! holding a [`TypeChange`], rendered by `render::types`.
//!
//! What PostgreSQL cannot change in place is re-created: a domain's base
//! type or collation, any option of a range type, any option of a
//! collation. Columns typed with a re-created domain or range (or a
//! composite whose attribute changes type) are parked in `text` around it
//! ([`TypeChange::Recreate`]): values go out through their text form and
//! back through the new type's input, so the new definition may refuse
//! them (the statement says so, and the plan is destructive).

use super::{columns_using_type, pg_ident, type_refers_to, Change};
use crate::model::{
    Check, Collation, Column, CompositeType, Database, Domain, QualifiedName, RangeType,
};

/// Which statement family a type-like object takes (`ALTER DOMAIN`,
/// `ALTER TYPE`, `COLLATION`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    Domain,
    /// Composite and range types.
    Type,
    Collation,
}

/// One object of this module, whole.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeObject {
    Domain(Domain),
    Composite(CompositeType),
    Range(RangeType),
    Collation(Collation),
}

impl TypeObject {
    pub fn name(&self) -> &QualifiedName {
        match self {
            TypeObject::Domain(d) => &d.name,
            TypeObject::Composite(c) => &c.name,
            TypeObject::Range(r) => &r.name,
            TypeObject::Collation(c) => &c.name,
        }
    }

    pub fn kind(&self) -> TypeKind {
        match self {
            TypeObject::Domain(_) => TypeKind::Domain,
            TypeObject::Composite(_) | TypeObject::Range(_) => TypeKind::Type,
            TypeObject::Collation(_) => TypeKind::Collation,
        }
    }

    /// The multirange type a range type brings along (same schema).
    pub fn multirange(&self) -> Option<QualifiedName> {
        let TypeObject::Range(r) = self else {
            return None;
        };
        let name = r
            .multirange_name
            .clone()
            .unwrap_or_else(|| crate::catalog::default_multirange_name(&r.name.name));
        Some(QualifiedName::new(&r.name.schema, name))
    }

    /// Type names and expressions the definition uses (for ordering).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            TypeObject::Domain(d) => {
                let mut v = vec![d.data_type.as_str()];
                v.extend(d.default.as_deref());
                v.extend(d.collation.as_deref());
                v.extend(d.checks.iter().map(|c| c.expression.as_str()));
                v
            }
            TypeObject::Composite(c) => c
                .attributes
                .iter()
                .flat_map(|a| std::iter::once(a.data_type.as_str()).chain(a.collation.as_deref()))
                .collect(),
            TypeObject::Range(r) => {
                let mut v = vec![r.subtype.as_str()];
                v.extend(r.collation.as_deref());
                v
            }
            TypeObject::Collation(_) => Vec::new(),
        }
    }

    fn comment(&self) -> Option<&String> {
        match self {
            TypeObject::Domain(d) => d.comment.as_ref(),
            TypeObject::Composite(c) => c.comment.as_ref(),
            TypeObject::Range(r) => r.comment.as_ref(),
            TypeObject::Collation(c) => c.comment.as_ref(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeChange {
    Create(TypeObject),
    /// Never `CASCADE`: what uses the object is dropped or re-typed first.
    Drop(TypeObject),
    /// Dropped and created again; `columns` (table, column as it will be)
    /// are parked in `text` around it.
    Recreate {
        from: TypeObject,
        to: TypeObject,
        columns: Vec<(QualifiedName, Column)>,
    },
    /// `ALTER DOMAIN … RENAME TO` (`renamed_from`).
    RenameDomain {
        from: QualifiedName,
        to: String,
    },
    /// Default, NOT NULL and CHECKs of a domain.
    AlterDomain {
        from: Domain,
        to: Domain,
    },
    /// Attributes added, dropped, retyped or renamed; `columns` using
    /// the type are parked in `text` when an attribute changes type.
    AlterComposite {
        from: CompositeType,
        to: CompositeType,
        columns: Vec<(QualifiedName, Column)>,
    },
    Comment {
        kind: TypeKind,
        name: QualifiedName,
        comment: Option<String>,
    },
}

/// Append the changes of domains, composite, range types and collations.
pub(super) fn diff_types(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let pairs = objects(from)
        .into_iter()
        .map(|o| (o.name().clone(), o.kind(), o));
    let old: Vec<(QualifiedName, TypeKind, TypeObject)> = pairs.collect();
    let new = objects(to);
    for o in &new {
        let found = old
            .iter()
            .find(|(n, k, x)| n == o.name() && *k == o.kind() && same_variant(x, o));
        match found {
            None => {
                push(out, TypeChange::Create(o.clone()));
                if o.comment().is_some() {
                    push(out, comment(o));
                }
            }
            Some((_, _, was)) => changed(from, to, was, o, out),
        }
    }
    for (_, _, o) in &old {
        let kept = new
            .iter()
            .any(|n| n.name() == o.name() && n.kind() == o.kind() && same_variant(o, n));
        if !kept {
            push(out, TypeChange::Drop(o.clone()));
        }
    }
}

fn push(out: &mut Vec<Change>, t: TypeChange) {
    out.push(Change::Type(t));
}

fn same_variant(a: &TypeObject, b: &TypeObject) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Every object of this module in `db`.
pub fn objects(db: &Database) -> Vec<TypeObject> {
    let mut v: Vec<TypeObject> = db
        .domains
        .values()
        .cloned()
        .map(TypeObject::Domain)
        .collect();
    v.extend(db.composites.values().cloned().map(TypeObject::Composite));
    v.extend(db.ranges.values().cloned().map(TypeObject::Range));
    v.extend(db.collations.values().cloned().map(TypeObject::Collation));
    v
}

fn comment(o: &TypeObject) -> TypeChange {
    TypeChange::Comment {
        kind: o.kind(),
        name: o.name().clone(),
        comment: o.comment().cloned(),
    }
}

fn changed(
    from: &Database,
    to: &Database,
    was: &TypeObject,
    now: &TypeObject,
    out: &mut Vec<Change>,
) {
    let name = now.name();
    let recreate = |out: &mut Vec<Change>, columns| {
        push(
            out,
            TypeChange::Recreate {
                from: was.clone(),
                to: now.clone(),
                columns,
            },
        );
        if now.comment().is_some() {
            push(out, comment(now));
        }
    };
    let typed = || existing(from, columns_using_type(to, name));
    match (was, now) {
        (TypeObject::Domain(a), TypeObject::Domain(b))
            if a.data_type != b.data_type || a.collation != b.collation =>
        {
            return recreate(out, typed());
        }
        (TypeObject::Domain(a), TypeObject::Domain(b)) if domain_body_differs(a, b) => push(
            out,
            TypeChange::AlterDomain {
                from: a.clone(),
                to: b.clone(),
            },
        ),
        (TypeObject::Composite(a), TypeObject::Composite(b)) if a.attributes != b.attributes => {
            let retyped = b.attributes.iter().any(|x| {
                a.attributes.iter().any(|y| {
                    y.name == x.name && (&y.data_type, &y.collation) != (&x.data_type, &x.collation)
                })
            });
            let columns = if retyped { typed() } else { Vec::new() };
            push(
                out,
                TypeChange::AlterComposite {
                    from: a.clone(),
                    to: b.clone(),
                    columns,
                },
            );
        }
        (TypeObject::Range(a), TypeObject::Range(b))
            if without_comment_range(a) != without_comment_range(b) =>
        {
            return recreate(out, typed());
        }
        (TypeObject::Collation(a), TypeObject::Collation(b))
            if without_comment_collation(a) != without_comment_collation(b) =>
        {
            return recreate(out, existing(from, columns_using_collation(to, name)));
        }
        _ => {}
    }
    if was.comment() != now.comment() {
        push(out, comment(now));
    }
}

fn without_comment_range(r: &RangeType) -> RangeType {
    RangeType {
        comment: None,
        ..r.clone()
    }
}

fn without_comment_collation(c: &Collation) -> Collation {
    Collation {
        comment: None,
        ..c.clone()
    }
}

/// Whether default, NOT NULL or the checks (definition, validity, name,
/// comment) differ.
fn domain_body_differs(a: &Domain, b: &Domain) -> bool {
    let key = |c: &Check| {
        (
            c.name.clone(),
            c.definition.clone(),
            c.not_valid,
            c.comment.clone(),
        )
    };
    a.default != b.default
        || a.not_null != b.not_null
        || a.checks.iter().map(key).ne(b.checks.iter().map(key))
}

/// The columns that exist in `from` already (with their type and
/// collation): only those have values to park.
fn existing(from: &Database, cols: Vec<(QualifiedName, Column)>) -> Vec<(QualifiedName, Column)> {
    cols.into_iter()
        .filter(|(t, c)| {
            from.tables
                .get(t)
                .and_then(|x| x.column(&c.name))
                .is_some_and(|old| old.data_type == c.data_type && old.collation == c.collation)
        })
        .collect()
}

/// Columns of `db` whose collation is `coll`.
pub fn columns_using_collation(
    db: &Database,
    coll: &QualifiedName,
) -> Vec<(QualifiedName, Column)> {
    let mut out = Vec::new();
    for t in db.tables.values() {
        for c in &t.columns {
            if c.collation
                .as_deref()
                .is_some_and(|x| collation_refers_to(x, coll))
            {
                out.push((t.name.clone(), c.clone()));
            }
        }
    }
    out
}

/// Whether a collation as the catalog prints it (`public.de`, `"C"`)
/// names `coll`.
/// A spec model's collation is the user's name quoted (`"bytes"`), which
/// resolves through the search path: `public` is on it.
pub fn collation_refers_to(text: &str, coll: &QualifiedName) -> bool {
    type_refers_to(text, coll)
        || (coll.schema == "public" && text == crate::model::quote_ident(&coll.name))
}

/// Apply domain rename hints to a copy of `from` (the domain and every
/// column or domain typed with it), returning the renames.
pub(super) fn rename_domains(
    db: &mut Database,
    to: &Database,
    hints: &[(QualifiedName, String)],
) -> Vec<Change> {
    let mut out = Vec::new();
    for (new, old) in hints {
        let old_q = QualifiedName::new(&new.schema, old);
        let fits = db.domains.contains_key(&old_q)
            && !db.domains.contains_key(new)
            && to.domains.contains_key(new)
            && !to.domains.contains_key(&old_q);
        if !fits {
            continue;
        }
        let mut d = db.domains.remove(&old_q).expect("checked");
        d.name = new.clone();
        db.domains.insert(new.clone(), d);
        let b = qualified_text(new);
        let retype = |t: &mut String| {
            if type_refers_to(t, &old_q) {
                let dims = &t[t.trim_end_matches("[]").len()..];
                *t = format!("{b}{dims}");
            }
        };
        for t in db.tables.values_mut() {
            for c in t.columns.iter_mut() {
                retype(&mut c.data_type);
            }
        }
        for d in db.domains.values_mut() {
            retype(&mut d.data_type);
        }
        out.push(Change::Type(TypeChange::RenameDomain {
            from: old_q,
            to: new.name.clone(),
        }));
    }
    out
}

/// `schema.name` as `format_type` prints a type outside `pg_catalog`.
fn qualified_text(q: &QualifiedName) -> String {
    format!("{}.{}", pg_ident(&q.schema), pg_ident(&q.name))
}

/// The tables whose rows a change rewrites (parked columns).
pub fn tables_of(t: &TypeChange) -> Vec<QualifiedName> {
    match t {
        TypeChange::Recreate { columns, .. } | TypeChange::AlterComposite { columns, .. } => {
            columns.iter().map(|(t, _)| t.clone()).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collation_names_as_catalog_and_spec_write_them() {
        let c = QualifiedName::new("public", "bytes");
        assert!(collation_refers_to("public.bytes", &c));
        assert!(collation_refers_to("\"bytes\"", &c));
        assert!(!collation_refers_to("\"C\"", &c));
        let g = QualifiedName::new("geo", "Root");
        assert!(collation_refers_to("geo.\"Root\"", &g));
    }
}
