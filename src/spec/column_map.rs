//! The full map form of a column (`{type: uuid, not_null: true, …}`).

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::model::{Identity, IdentityKind, Sequence};

use super::column::{self, ColumnDecl};
use super::constraints::{action, delete_action, match_type, opt_bool, ref_target};
use super::yaml::{node_pos, scalar_pos, Reader};

pub(crate) const COLUMN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "not_null_constraint",
    "nullable",
    "default",
    "primary_key",
    "unique",
    "references",
    "on_delete",
    "on_update",
    "match",
    "deferrable",
    "initially_deferred",
    "check",
    "identity",
    "generated",
    "collation",
    "comment",
    "sequence",
    "renamed_from",
];
pub(crate) const GENERATED_KEYS: &[&str] = &["expression", "stored"];
pub(crate) const SEQUENCE_KEYS: &[&str] = &[
    "as",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
];

pub(super) fn column_map(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    ctx: &str,
) -> Option<ColumnDecl> {
    let keys: Vec<&str> = COLUMN_KEYS
        .iter()
        .chain(super::column_props::KEYS)
        .copied()
        .collect();
    r.check_keys(m, &keys, ctx);
    let mut d = ColumnDecl::default();
    match m.get_node("type") {
        Some(t) => column::set_type(&mut d, &r.string(t, "a type name")?),
        None => {
            let at = m.keys().next().map(scalar_pos).unwrap_or_default();
            r.error(at, format!("{ctx} has no type"));
            return None;
        }
    }
    let not_null = opt_bool(r, m, "not_null");
    let nullable = opt_bool(r, m, "nullable");
    if let (Some(a), Some(b)) = (not_null, nullable) {
        if a == b {
            let at = m.get_node("nullable").map(node_pos).unwrap_or_default();
            r.error(
                at,
                format!("{ctx}: not_null and nullable contradict each other"),
            );
        }
    }
    if let Some(nn) = not_null.or(nullable.map(|n| !n)) {
        d.explicit_not_null = Some(nn);
        d.column.not_null |= nn;
    }
    not_null_constraint(r, m, ctx, &mut d);
    d.column.default = m
        .get_node("default")
        .and_then(|n| r.opt_string(n, "a default expression"));
    if let Some(g) = m.get_node("generated") {
        generated(r, g, &mut d);
    }
    d.column.collation = m
        .get_node("collation")
        .and_then(|n| r.opt_string(n, "a collation name"))
        .map(|c: String| column::normalize_collation(&c));
    d.column.comment = m
        .get_node("comment")
        .and_then(|n| r.opt_string(n, "a string"));
    d.column.renamed_from = m
        .get_node("renamed_from")
        .and_then(|n| r.opt_string(n, "the column's previous name"));
    if opt_bool(r, m, "primary_key") == Some(true) {
        d.primary_key = Some(column::Named::default());
    }
    if opt_bool(r, m, "unique") == Some(true) {
        d.unique = Some(column::UniqueDecl::default());
    }
    if let Some(c) = m
        .get_node("check")
        .and_then(|n| r.opt_string(n, "a check expression"))
    {
        d.check = Some(column::CheckDecl {
            name: None,
            expression: c,
        });
    }
    if let Some(id) = m.get_node("identity") {
        d.column.identity = identity(r, id);
        d.column.not_null = true;
    }
    if let Some(seq) = m.get_node("sequence") {
        if d.column.serial.is_none() {
            r.error(
                node_pos(seq),
                format!(
                    "{ctx}: sequence options need a serial type (serial, bigserial, smallserial)"
                ),
            );
        } else {
            d.column.serial = sequence(r, seq);
        }
    }
    let has_default = d.column.default.is_some();
    if has_default && (d.column.identity.is_some() || d.column.serial.is_some()) {
        let at = m.get_node("default").map(node_pos).unwrap_or_default();
        r.error(
            at,
            format!("{ctx}: identity and serial columns cannot have a default"),
        );
    }
    super::column_props::decode(r, m, ctx, &mut d.column.props);
    column_map_references(r, m, ctx, &mut d);
    Some(d)
}

/// `not_null_constraint: NAME`: the column is NOT NULL, and PostgreSQL 18
/// names its constraint NAME (instead of `{table}_{column}_not_null`).
fn not_null_constraint(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, d: &mut ColumnDecl) {
    let Some(n) = m.get_node("not_null_constraint") else {
        return;
    };
    let Some(name) = r.string(n, "a constraint name") else {
        return;
    };
    if d.explicit_not_null == Some(false) {
        r.error(
            node_pos(n),
            format!("{ctx}: not_null_constraint names the NOT NULL constraint of a column declared nullable"),
        );
        return;
    }
    d.column.not_null = true;
    d.column.not_null_name = Some(name);
}

/// `generated: EXPR` (STORED) or `generated: {expression: EXPR, stored:
/// false}` (VIRTUAL, PostgreSQL 18; `stored` defaults to true, as in the
/// string form).
fn generated(r: &mut Reader<'_>, n: &Node, d: &mut ColumnDecl) {
    let Node::Mapping(m) = n else {
        d.column.generated = r.opt_string(n, "a generation expression or a map");
        return;
    };
    r.check_keys(m, GENERATED_KEYS, "generated");
    // A misspelt key is reported once, not also as a missing expression.
    let misspelt = m.keys().any(|k| !GENERATED_KEYS.contains(&k.as_str()));
    match m.get_node("expression") {
        Some(e) => d.column.generated = r.string(e, "a generation expression"),
        None if misspelt => {}
        None => {
            let at = m
                .keys()
                .next()
                .map(scalar_pos)
                .unwrap_or_else(|| node_pos(n));
            r.error(at, "generated: the map needs an expression");
        }
    }
    d.column.generated_virtual = opt_bool(r, m, "stored") == Some(false);
}

fn column_map_references(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, d: &mut ColumnDecl) {
    let fk_keys = [
        "on_delete",
        "on_update",
        "match",
        "deferrable",
        "initially_deferred",
    ];
    let Some(n) = m.get_node("references") else {
        for k in fk_keys {
            if let Some(key) = m.keys().find(|key| key.as_str() == k) {
                r.error(scalar_pos(key), format!("{ctx}: {k} needs references"));
            }
        }
        return;
    };
    let Some(target) = ref_target(r, n, false) else {
        return;
    };
    let (on_delete, on_delete_columns) = delete_action(r, m);
    d.references = Some(column::RefDecl {
        name: None,
        target,
        on_delete,
        on_delete_columns,
        on_update: action(r, m, "on_update"),
        match_type: match_type(r, m),
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
        offset: 0,
    });
}

fn identity(r: &mut Reader<'_>, n: &Node) -> Option<Identity> {
    let kind_of = |r: &mut Reader<'_>, n: &Node| -> Option<IdentityKind> {
        let s = r.string(n, "always or by_default")?;
        match s.as_str() {
            "always" => Some(IdentityKind::Always),
            "by_default" | "by default" => Some(IdentityKind::ByDefault),
            other => {
                r.error(
                    node_pos(n),
                    format!("expected always or by_default, found \"{other}\""),
                );
                None
            }
        }
    };
    match n {
        Node::Mapping(m) => {
            let mut keys = SEQUENCE_KEYS.to_vec();
            keys.push("generation");
            r.check_keys(m, &keys, "identity");
            let kind = match m.get_node("generation") {
                Some(g) => kind_of(r, g)?,
                None => IdentityKind::Always,
            };
            Some(Identity {
                kind,
                sequence: sequence_fields(r, m),
            })
        }
        _ => Some(Identity {
            kind: kind_of(r, n)?,
            sequence: Sequence::default(),
        }),
    }
}

fn sequence(r: &mut Reader<'_>, n: &Node) -> Option<Sequence> {
    let m = r.map(n, "a map of sequence options")?;
    r.check_keys(m, SEQUENCE_KEYS, "sequence");
    Some(sequence_fields(r, m))
}

pub(super) fn sequence_fields(r: &mut Reader<'_>, m: &MarkedMappingNode) -> Sequence {
    let mut int = |key: &str| m.get_node(key).and_then(|n| r.i64(n));
    let (start, increment, min_value, max_value, cache) = (
        int("start"),
        int("increment"),
        int("min_value"),
        int("max_value"),
        int("cache"),
    );
    Sequence {
        name: None,
        data_type: m.get_node("as").and_then(|n| r.string(n, "a type name")),
        start,
        increment,
        min_value,
        max_value,
        cache,
        cycle: opt_bool(r, m, "cycle").unwrap_or(false),
    }
}
