//! The `domains:`, `types:` and `collations:` sections, and their YAML as
//! `pull` writes it.
//!
//! ```yaml
//! domains:
//!   email: text                      # just the base type
//!   positive_int:
//!     type: integer
//!     default: 1
//!     not_null: true
//!     checks:
//!       - VALUE > 0                  # PostgreSQL names it positive_int_check
//!       - {name: small, expression: VALUE < 1000, not_valid: true}
//!     comment: A count
//!     renamed_from: posint
//! types:
//!   money_amount:                    # a composite type
//!     attributes:
//!       amount: numeric(12,2)
//!       currency: {type: char(3), collation: C}
//!   floatrange:                      # a range type
//!     range: {subtype: float8, subtype_diff: float8mi}
//! collations:
//!   german: {provider: icu, locale: de-DE, deterministic: false}
//!   bytes: {locale: C}               # libc
//!   ordered: {provider: icu, locale: und, rules: '&a < g'}   # ICU rules: 16+
//! ```

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use super::column::normalize_collation;
use super::decode::{qualified, FileDecls};
use super::emit::Y;
use super::yaml::{entries, node_pos, Reader};
use std::collections::BTreeMap;

use super::resolve::{insert_once, Issues};
use super::yaml::did_you_mean;
use crate::model::{
    Attribute, Check, Collation, CompositeType, Database, Domain, EnumType, Origin, QualifiedName,
    RangeType,
};

pub(crate) const TYPE_KEYS: &[&str] = &["attributes", "range", "comment", "schema"];
pub(crate) const ATTRIBUTE_KEYS: &[&str] = &["type", "collation"];
pub(crate) const DOMAIN_KEYS: &[&str] = &[
    "type",
    "default",
    "not_null",
    "collation",
    "checks",
    "comment",
    "renamed_from",
    "schema",
];
pub(crate) const CHECK_KEYS: &[&str] = &["expression", "name", "comment", "not_valid"];
pub(crate) const RANGE_KEYS: &[&str] = &[
    "subtype",
    "subtype_opclass",
    "collation",
    "canonical",
    "subtype_diff",
    "multirange",
];
pub(crate) const COLLATION_KEYS: &[&str] = &[
    "provider",
    "locale",
    "lc_collate",
    "lc_ctype",
    "rules",
    "deterministic",
    "comment",
    "schema",
];

fn text(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str, what: &str) -> Option<String> {
    m.get_node(key).and_then(|n| r.opt_string(n, what))
}

fn flag(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str) -> Option<bool> {
    m.get_node(key).and_then(|n| r.bool(n))
}

pub(super) fn decode_domains(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of domain names to base types or maps") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("domain \"{key}\"");
        let mut d = Domain::default();
        let mut schema = None;
        match body {
            Node::Mapping(m) => {
                r.check_keys(m, DOMAIN_KEYS, &ctx);
                match text(r, m, "type", "a base type") {
                    Some(t) => d.data_type = t,
                    None => r.error(pos, format!("{ctx} needs a type (its base type)")),
                }
                d.default = text(r, m, "default", "a default expression");
                d.not_null = flag(r, m, "not_null").unwrap_or(false);
                d.collation =
                    text(r, m, "collation", "a collation name").map(|c| normalize_collation(&c));
                d.comment = text(r, m, "comment", "a string");
                d.renamed_from = text(r, m, "renamed_from", "the domain's previous name");
                schema = text(r, m, "schema", "a schema name");
                if let Some(list) = m.get_node("checks") {
                    d.checks = decode_checks(r, list);
                }
            }
            _ => match r.string(body, "a base type or a map (type, default, checks, …)") {
                Some(t) => d.data_type = t,
                None => continue,
            },
        }
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        d.name = name;
        d.origin = r.origin(pos);
        out.domains.push(d);
    }
}

/// `checks:` of a domain: expressions on `VALUE`, or maps.
fn decode_checks(r: &mut Reader<'_>, node: &Node) -> Vec<Check> {
    let Some(items) = r.seq(node, "a list of check expressions") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let mut c = Check {
            origin: r.origin(node_pos(item)),
            ..Check::default()
        };
        match item {
            Node::Mapping(m) => {
                r.check_keys(m, CHECK_KEYS, "domain check");
                match text(r, m, "expression", "a check expression") {
                    Some(e) => c.expression = e,
                    None => {
                        r.error(node_pos(item), "domain check needs an expression");
                        continue;
                    }
                }
                c.name = text(r, m, "name", "a constraint name");
                c.comment = text(r, m, "comment", "a string");
                c.not_valid = flag(r, m, "not_valid").unwrap_or(false);
                if c.comment.is_some() && c.name.is_none() {
                    // PostgreSQL's name for it depends on the other checks.
                    r.error(node_pos(item), "a domain check with a comment needs a name");
                }
            }
            _ => match r.string(item, "a check expression or map") {
                Some(e) => c.expression = e,
                None => continue,
            },
        }
        out.push(c);
    }
    out
}

pub(super) fn decode_types(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of type names to {attributes: …} or {range: …}") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("type \"{key}\"");
        let Some(m) = r.map(body, "a map with attributes (composite) or range") else {
            continue;
        };
        r.check_keys(m, TYPE_KEYS, &ctx);
        let schema = text(r, m, "schema", "a schema name");
        let comment = text(r, m, "comment", "a string");
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        let origin = r.origin(pos);
        match (m.get_node("attributes"), m.get_node("range")) {
            (Some(a), None) => out.composites.push(CompositeType {
                name,
                attributes: decode_attributes(r, a, &ctx),
                comment,
                origin,
            }),
            (None, Some(rg)) => {
                let Some(rm) = r.map(rg, "a map with a subtype") else {
                    continue;
                };
                r.check_keys(rm, RANGE_KEYS, &format!("range {ctx}"));
                let Some(subtype) = text(r, rm, "subtype", "a type") else {
                    r.error(node_pos(rg), format!("range {ctx} needs a subtype"));
                    continue;
                };
                out.ranges.push(RangeType {
                    name,
                    subtype,
                    subtype_opclass: text(r, rm, "subtype_opclass", "an operator class"),
                    collation: text(r, rm, "collation", "a collation name")
                        .map(|c| normalize_collation(&c)),
                    canonical: text(r, rm, "canonical", "a function name"),
                    subtype_diff: text(r, rm, "subtype_diff", "a function name"),
                    multirange_name: text(r, rm, "multirange", "a type name"),
                    comment,
                    origin,
                });
            }
            (Some(_), Some(_)) => r.error(
                pos,
                format!("{ctx} has both attributes and range: a type is one or the other"),
            ),
            (None, None) => r.error(
                pos,
                format!("{ctx} needs attributes (a composite type) or range (a range type)"),
            ),
        }
    }
}

fn decode_attributes(r: &mut Reader<'_>, node: &Node, ctx: &str) -> Vec<Attribute> {
    let Some(map) = r.map(node, "a map of attribute names to types") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, _, body) in entries(map) {
        let mut a = Attribute {
            name: name.to_string(),
            ..Attribute::default()
        };
        match body {
            Node::Mapping(m) => {
                r.check_keys(m, ATTRIBUTE_KEYS, &format!("attribute \"{name}\" of {ctx}"));
                match text(r, m, "type", "a type") {
                    Some(t) => a.data_type = t,
                    None => {
                        r.error(
                            node_pos(body),
                            format!("attribute \"{name}\" of {ctx} needs a type"),
                        );
                        continue;
                    }
                }
                a.collation =
                    text(r, m, "collation", "a collation name").map(|c| normalize_collation(&c));
            }
            _ => match r.string(body, "a type or {type, collation}") {
                Some(t) => a.data_type = t,
                None => continue,
            },
        }
        out.push(a);
    }
    out
}

pub(super) fn decode_collations(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of collation names to options") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("collation \"{key}\"");
        let Some(m) = r.map(body, "a map with provider and locale") else {
            continue;
        };
        r.check_keys(m, COLLATION_KEYS, &ctx);
        let schema = text(r, m, "schema", "a schema name");
        let provider = m
            .get_node("provider")
            .and_then(|n| {
                r.one_of(
                    n,
                    &[("libc", "libc"), ("icu", "icu"), ("builtin", "builtin")],
                )
            })
            .unwrap_or("libc");
        let c = Collation {
            provider: provider.to_string(),
            locale: text(r, m, "locale", "a locale"),
            lc_collate: text(r, m, "lc_collate", "a locale"),
            lc_ctype: text(r, m, "lc_ctype", "a locale"),
            rules: text(r, m, "rules", "ICU rules"),
            deterministic: flag(r, m, "deterministic").unwrap_or(true),
            comment: text(r, m, "comment", "a string"),
            ..Collation::default()
        };
        if c.locale.is_none() && (c.lc_collate.is_none() || c.lc_ctype.is_none()) {
            r.error(
                pos,
                format!("{ctx} needs a locale (or lc_collate and lc_ctype)"),
            );
            continue;
        }
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        out.collations.push(Collation {
            name,
            origin: r.origin(pos),
            ..c
        });
    }
}

/// A collation as the loader reads it back: `C` for `"C"`.
fn collation_text(c: &str) -> String {
    let bare = c
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|s| !s.contains('"'));
    match bare {
        Some(b) if normalize_collation(b) == c => b.to_string(),
        _ => c.to_string(),
    }
}

fn push_collation(m: &mut Vec<(String, Y)>, v: &Option<String>) {
    if let Some(c) = v {
        m.push(("collation".into(), Y::str(collation_text(c))));
    }
}

fn push_text(m: &mut Vec<(String, Y)>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        m.push((key.into(), Y::str(v)));
    }
}

/// A domain's YAML: the bare base type when nothing else is set.
pub(super) fn domain_y(d: &Domain) -> Y {
    let mut m = vec![("type".to_string(), Y::str(&d.data_type))];
    push_text(&mut m, "default", &d.default);
    if d.not_null {
        m.push(("not_null".into(), Y::bool(true)));
    }
    push_collation(&mut m, &d.collation);
    if !d.checks.is_empty() {
        let checks = d.checks.iter().map(|c| {
            let mut cm = Vec::new();
            push_text(&mut cm, "name", &c.name);
            cm.push(("expression".into(), Y::str(&c.expression)));
            if c.not_valid {
                cm.push(("not_valid".into(), Y::bool(true)));
            }
            push_text(&mut cm, "comment", &c.comment);
            Y::Map(cm)
        });
        m.push(("checks".into(), Y::List(checks.collect())));
    }
    push_text(&mut m, "comment", &d.comment);
    if m.len() == 1 {
        return Y::str(&d.data_type);
    }
    Y::Block(m)
}

pub(super) fn composite_y(c: &CompositeType) -> Y {
    let attrs = c.attributes.iter().map(|a| {
        let y = match &a.collation {
            None => Y::str(&a.data_type),
            Some(coll) => Y::Map(vec![
                ("type".into(), Y::str(&a.data_type)),
                ("collation".into(), Y::str(collation_text(coll))),
            ]),
        };
        (a.name.clone(), y)
    });
    let mut m = vec![("attributes".to_string(), Y::Block(attrs.collect()))];
    push_text(&mut m, "comment", &c.comment);
    Y::Block(m)
}

pub(super) fn range_y(r: &RangeType) -> Y {
    let mut rm = vec![("subtype".to_string(), Y::str(&r.subtype))];
    push_text(&mut rm, "subtype_opclass", &r.subtype_opclass);
    push_collation(&mut rm, &r.collation);
    push_text(&mut rm, "canonical", &r.canonical);
    push_text(&mut rm, "subtype_diff", &r.subtype_diff);
    push_text(&mut rm, "multirange", &r.multirange_name);
    let mut m = vec![("range".to_string(), Y::Map(rm))];
    push_text(&mut m, "comment", &r.comment);
    Y::Block(m)
}

pub(super) fn collation_y(c: &Collation) -> Y {
    let mut m = Vec::new();
    if c.provider != "libc" {
        m.push(("provider".to_string(), Y::str(&c.provider)));
    }
    push_text(&mut m, "locale", &c.locale);
    push_text(&mut m, "lc_collate", &c.lc_collate);
    push_text(&mut m, "lc_ctype", &c.lc_ctype);
    push_text(&mut m, "rules", &c.rules);
    if !c.deterministic {
        m.push(("deterministic".into(), Y::bool(false)));
    }
    push_text(&mut m, "comment", &c.comment);
    Y::Map(m)
}

/// Add a file's domains, types and collations to `db`; a name declared
/// twice is an issue.
pub(super) fn insert_all(
    db: &mut Database,
    domains: Vec<Domain>,
    composites: Vec<CompositeType>,
    ranges: Vec<RangeType>,
    collations: Vec<Collation>,
    issues: &mut Issues,
) {
    for d in domains {
        insert_once(
            &mut db.domains,
            d.name.clone(),
            d,
            "domain",
            |d| &d.origin,
            issues,
        );
    }
    for c in composites {
        insert_once(
            &mut db.composites,
            c.name.clone(),
            c,
            "type",
            |c| &c.origin,
            issues,
        );
    }
    for r in ranges {
        insert_once(
            &mut db.ranges,
            r.name.clone(),
            r,
            "type",
            |r| &r.origin,
            issues,
        );
    }
    for c in collations {
        insert_once(
            &mut db.collations,
            c.name.clone(),
            c,
            "collation",
            |c| &c.origin,
            issues,
        );
    }
}

/// Every type name a column may use bare (enums, domains, composite and
/// range types), for resolving column types against the table's schema.
pub(super) fn type_names(db: &Database) -> BTreeMap<QualifiedName, EnumType> {
    let mut out = db.enums.clone();
    let names = db
        .domains
        .keys()
        .chain(db.composites.keys())
        .chain(db.ranges.keys());
    for n in names {
        out.entry(n.clone()).or_insert_with(|| EnumType {
            name: n.clone(),
            ..EnumType::default()
        });
    }
    out
}

/// Declared schemas, and one name per type in a schema (enums, domains,
/// composite and range types and tables share PostgreSQL's type names).
pub(super) fn check(db: &Database, issues: &mut Issues) {
    let declared = |s: &str| s == "public" || db.schemas.contains_key(s);
    let mut taken: BTreeMap<&QualifiedName, (&str, &Origin)> = BTreeMap::new();
    for t in db.tables.values() {
        taken.insert(&t.name, ("table", &t.origin));
    }
    for e in db.enums.values() {
        taken.entry(&e.name).or_insert(("enum", &e.origin));
    }
    let ours = db
        .domains
        .values()
        .map(|d| (&d.name, "domain", &d.origin))
        .chain(db.composites.values().map(|c| (&c.name, "type", &c.origin)))
        .chain(db.ranges.values().map(|r| (&r.name, "type", &r.origin)))
        .chain(
            db.collations
                .values()
                .map(|c| (&c.name, "collation", &c.origin)),
        );
    for (name, kind, origin) in ours {
        if !declared(&name.schema) {
            issues.at(
                origin,
                format!(
                    "schema \"{}\" of {kind} \"{}\" is not declared (add it under schemas:){}",
                    name.schema,
                    name.name,
                    did_you_mean(&name.schema, db.schemas.keys().map(String::as_str))
                ),
            );
        }
        if kind == "collation" {
            continue;
        }
        match taken.get(name) {
            Some((other, at)) => issues.at(
                origin,
                format!("{kind} \"{name}\" has the same name as {other} declared at {at}"),
            ),
            None => {
                taken.insert(name, (kind, origin));
            }
        }
    }
}

/// The schemas holding a domain, type or collation.
pub(super) fn schemas_of(db: &Database) -> impl Iterator<Item = &str> {
    db.domains
        .keys()
        .chain(db.composites.keys())
        .chain(db.ranges.keys())
        .chain(db.collations.keys())
        .map(|k| k.schema.as_str())
}

/// `collations:`, `domains:` and `types:` of one schema's file.
pub(super) fn sections(
    db: &Database,
    schema: &str,
    key: fn(&QualifiedName) -> String,
) -> Vec<(String, Y)> {
    let mut out = Vec::new();
    let mut section = |name: &str, items: Vec<(String, Y)>| {
        if !items.is_empty() {
            out.push((name.to_string(), Y::Block(items)));
        }
    };
    let here = |q: &QualifiedName| q.schema == schema;
    section(
        "collations",
        db.collations
            .values()
            .filter(|c| here(&c.name))
            .map(|c| (key(&c.name), collation_y(c)))
            .collect(),
    );
    section(
        "domains",
        db.domains
            .values()
            .filter(|d| here(&d.name))
            .map(|d| (key(&d.name), domain_y(d)))
            .collect(),
    );
    let composites = db
        .composites
        .values()
        .filter(|c| here(&c.name))
        .map(|c| (key(&c.name), composite_y(c)));
    let ranges = db
        .ranges
        .values()
        .filter(|r| here(&r.name))
        .map(|r| (key(&r.name), range_y(r)));
    let mut types: Vec<(String, Y)> = composites.chain(ranges).collect();
    types.sort_by(|a, b| a.0.cmp(&b.0));
    section("types", types);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collations_written_as_the_loader_reads_them() {
        assert_eq!(collation_text("\"C\""), "C");
        assert_eq!(collation_text("public.bytes"), "public.bytes");
        assert_eq!(collation_text("\"en_US.utf8\""), "en_US.utf8");
    }
}
