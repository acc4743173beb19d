//! Indexes and their key columns.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::model::{Index, IndexKey};

use super::column;
use super::constraints::{columns_of, opt_bool};
use super::decode::{ColRef, TableDecl};
use super::yaml::{entries, is_null, node_pos, Pos, Reader};
use crate::pg::ident::split_dotted;

pub(crate) const INDEX_KEYS: &[&str] = &[
    "columns",
    "where",
    "unique",
    "method",
    "using",
    "include",
    "name",
    "comment",
    "nulls_not_distinct",
    "with",
];

pub(crate) const INDEX_COLUMN_KEYS: &[&str] = &[
    "column",
    "expression",
    "opclass",
    "collation",
    "order",
    "nulls",
];

pub(super) fn decode_index(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "an index map (columns: …)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(m, INDEX_KEYS, "index");
    let mut keys = Vec::new();
    match m.get_node("columns").filter(|n| !is_null(n)) {
        Some(Node::Sequence(items)) => {
            for it in items.iter() {
                if let Some(k) = index_key(r, it, decl) {
                    keys.push(k);
                }
            }
        }
        Some(one @ Node::Scalar(_)) => {
            if let Some(k) = index_key(r, one, decl) {
                keys.push(k);
            }
        }
        Some(other) => {
            r.seq(other, "a list of index columns");
        }
        None => r.error(pos, "index needs columns"),
    }
    let include = m
        .get_node("include")
        .map(|n| columns_of(r, n, "index include", decl))
        .unwrap_or_default();
    let origin = r.origin(pos);
    decl.table.indexes.push(Index {
        name: m
            .get_node("name")
            .and_then(|x| r.opt_string(x, "an index name")),
        unique: opt_bool(r, m, "unique").unwrap_or(false),
        method: ["method", "using"]
            .iter()
            .find_map(|k| m.get_node(k))
            .and_then(|x| r.string(x, "an index method"))
            .unwrap_or_else(|| "btree".to_string()),
        keys,
        include,
        predicate: m
            .get_node("where")
            .and_then(|x| r.opt_string(x, "a predicate")),
        nulls_not_distinct: opt_bool(r, m, "nulls_not_distinct").unwrap_or(false),
        with: m
            .get_node("with")
            .map(|w| storage_params(r, w))
            .unwrap_or_default(),
        definition: String::new(),
        comment: m
            .get_node("comment")
            .and_then(|x| r.opt_string(x, "a string")),
        origin,
    });
}

/// `{fillfactor: 70}` or `[fillfactor=70]` → sorted `name=value` strings.
pub(super) fn storage_params(r: &mut Reader<'_>, n: &Node) -> Vec<String> {
    let mut out: Vec<String> = match n {
        Node::Mapping(m) => entries(m)
            .filter_map(|(k, _, v)| r.string(v, "a value").map(|v| format!("{k}={v}")))
            .collect(),
        _ => r
            .string_list(n, "a map of storage parameters")
            .unwrap_or_default()
            .into_iter()
            .map(|(s, _)| s)
            .collect(),
    };
    out.sort();
    out
}

fn index_key(r: &mut Reader<'_>, n: &Node, decl: &mut TableDecl) -> Option<IndexKey> {
    if let Node::Mapping(m) = n {
        return index_key_map(r, m, node_pos(n), decl);
    }
    let text = r.string(n, "a column, an expression or a map")?;
    let key = parse_index_key(&text);
    if !key.is_expression {
        let origin = r.origin(node_pos(n));
        decl.col_refs.push(ColRef {
            column: key.expr.clone(),
            context: "index",
            origin,
        });
    }
    Some(key)
}

/// `{column|expression, opclass, collation, order, nulls}`.
fn index_key_map(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    pos: Pos,
    decl: &mut TableDecl,
) -> Option<IndexKey> {
    r.check_keys(m, INDEX_COLUMN_KEYS, "index column");
    let mut key = IndexKey::default();
    match (m.get_node("column"), m.get_node("expression")) {
        (Some(c), None) => {
            key.expr = r.string(c, "a column name")?;
            let origin = r.origin(node_pos(c));
            decl.col_refs.push(ColRef {
                column: key.expr.clone(),
                context: "index",
                origin,
            });
        }
        (None, Some(e)) => {
            key.expr = r.string(e, "an expression")?;
            key.is_expression = true;
        }
        _ => {
            r.error(
                pos,
                "an index column needs exactly one of column or expression",
            );
            return None;
        }
    }
    key.opclass = m
        .get_node("opclass")
        .and_then(|x| r.opt_string(x, "an operator class"));
    key.collation = m
        .get_node("collation")
        .and_then(|x| r.opt_string(x, "a collation"))
        .map(|c| column::normalize_collation(&c));
    if let Some(o) = m.get_node("order") {
        key.descending = r
            .one_of(o, &[("asc", false), ("desc", true)])
            .unwrap_or(false);
    }
    if let Some(o) = m.get_node("nulls") {
        key.nulls_first = r.one_of(o, &[("first", true), ("last", false)]);
    }
    Some(key)
}

/// `col`, `col desc`, `lower(email) desc nulls last`: a single name is a
/// column (taken literally, `"quoted"` allowed), anything else an expression.
pub fn parse_index_key(text: &str) -> IndexKey {
    let mut rest = text.trim();
    let mut key = IndexKey::default();
    for (suffix, first) in [("nulls first", true), ("nulls last", false)] {
        if let Some(r) = strip_word_suffix(rest, suffix) {
            rest = r;
            key.nulls_first = Some(first);
            break;
        }
    }
    for (suffix, desc) in [("asc", false), ("desc", true)] {
        if let Some(r) = strip_word_suffix(rest, suffix) {
            rest = r;
            key.descending = desc;
            break;
        }
    }
    match single_name(rest) {
        Some(name) => key.expr = name,
        None => {
            key.expr = rest.to_string();
            key.is_expression = true;
        }
    }
    key
}

/// `text` without a trailing ` suffix` (case-insensitive, whole words).
fn strip_word_suffix<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let cut = text.len().checked_sub(suffix.len())?;
    if !text.is_char_boundary(cut) || !text[cut..].eq_ignore_ascii_case(suffix) {
        return None;
    }
    let head = &text[..cut];
    head.ends_with(char::is_whitespace).then(|| head.trim_end())
}

/// A bare identifier or one `"quoted"` name; `None` for anything else.
pub fn single_name(text: &str) -> Option<String> {
    if text.starts_with('"') {
        return split_dotted(text)
            .ok()
            .filter(|p| p.len() == 1)
            .and_then(|mut p| p.pop());
    }
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !text.starts_with(|c: char| c.is_ascii_digit());
    bare.then(|| text.to_string())
}
