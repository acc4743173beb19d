//! Extended statistics in YAML (issue 14), a map under a table:
//!
//! ```yaml
//! tables:
//!   orders:
//!     statistics:
//!       orders_city_zip: [city, zip]              # columns, every kind
//!       orders_lower_email:
//!         columns: [tenant]
//!         expressions: ["lower(email)"]
//!         kinds: [ndistinct, mcv]                 # ndistinct | dependencies | mcv
//!         target: 500                             # ALTER STATISTICS … SET STATISTICS
//!         comment: …
//! ```

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use super::decode::TableDecl;
use super::emit::Y;
use super::yaml::{entries, is_null, node_pos, Reader};
use crate::model::{Statistics, Table};

/// The table key this module reads.
pub(crate) const KEYS: &[&str] = &["statistics"];

pub(crate) const ENTRY_KEYS: &[&str] = &["columns", "expressions", "kinds", "target", "comment"];

pub(crate) const KINDS: &[&str] = &["ndistinct", "dependencies", "mcv"];

pub(super) fn decode(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, decl: &mut TableDecl) {
    let Some(node) = m.get_node("statistics").filter(|n| !is_null(n)) else {
        return;
    };
    let Some(map) = r.map(node, "a map of statistics names to column lists") else {
        return;
    };
    for (name, pos, body) in entries(map) {
        let ctx = format!("{ctx}: statistics \"{}\"", crate::escape::line(name));
        let mut s = Statistics {
            name: name.to_string(),
            origin: r.origin(pos),
            ..Statistics::default()
        };
        match body {
            Node::Sequence(_) => s.columns = strings(r, body),
            _ => {
                let Some(e) = r.map(body, "a list of columns or a map (columns: …)") else {
                    continue;
                };
                entry(r, e, &ctx, &mut s);
            }
        }
        if s.expressions.is_empty() && s.columns.len() < 2 {
            r.error(
                node_pos(body),
                format!("{ctx} needs two columns or more, or an expression"),
            );
        }
        decl.table.statistics.push(s);
    }
}

fn entry(r: &mut Reader<'_>, e: &MarkedMappingNode, ctx: &str, s: &mut Statistics) {
    r.check_keys(e, ENTRY_KEYS, ctx);
    if let Some(n) = e.get_node("columns").filter(|n| !is_null(n)) {
        s.columns = strings(r, n);
    }
    if let Some(n) = e.get_node("expressions").filter(|n| !is_null(n)) {
        s.expressions = strings(r, n);
    }
    if let Some(n) = e.get_node("kinds").filter(|n| !is_null(n)) {
        for (k, p) in r.string_list(n, "a list of kinds").unwrap_or_default() {
            let word = k.to_ascii_lowercase();
            if KINDS.contains(&word.as_str()) {
                s.kinds.push(word);
            } else {
                r.error(
                    p,
                    format!(
                        "{ctx}: kind \"{}\" is not ndistinct, dependencies or mcv",
                        crate::escape::line(&k)
                    ),
                );
            }
        }
        // PostgreSQL's order, and every kind is the default.
        s.kinds = KINDS
            .iter()
            .filter(|k| s.kinds.iter().any(|x| x == *k))
            .map(|k| k.to_string())
            .collect();
        if s.kinds.len() == KINDS.len() {
            s.kinds.clear();
        }
    }
    if let Some(n) = e.get_node("target").filter(|n| !is_null(n)) {
        if let Some(v) = r.i64(n) {
            match v {
                -1 => s.target = None,
                0..=super::column_props::MAX_STATISTICS => s.target = Some(v as i32),
                _ => r.error(
                    node_pos(n),
                    format!(
                        "{ctx}: target {v} is not between 0 and {}",
                        super::column_props::MAX_STATISTICS
                    ),
                ),
            }
        }
    }
    s.comment = e
        .get_node("comment")
        .and_then(|n| r.opt_string(n, "a string"));
}

fn strings(r: &mut Reader<'_>, n: &Node) -> Vec<String> {
    r.string_list(n, "a list")
        .unwrap_or_default()
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// `pull`'s `statistics:` map of a table (nothing when it has none).
pub(super) fn write(t: &Table, body: &mut Vec<(String, Y)>) {
    if t.statistics.is_empty() {
        return;
    }
    let entries = t
        .statistics
        .iter()
        .map(|s| {
            let short = s.kinds.is_empty()
                && s.expressions.is_empty()
                && s.target.is_none()
                && s.comment.is_none();
            if short {
                return (s.name.clone(), Y::strs(&s.columns));
            }
            let mut m = Vec::new();
            if !s.columns.is_empty() {
                m.push(("columns".to_string(), Y::strs(&s.columns)));
            }
            if !s.expressions.is_empty() {
                m.push(("expressions".to_string(), Y::strs(&s.expressions)));
            }
            if !s.kinds.is_empty() {
                m.push(("kinds".to_string(), Y::strs(&s.kinds)));
            }
            if let Some(t) = s.target {
                m.push(("target".to_string(), Y::int(t.into())));
            }
            if let Some(c) = &s.comment {
                m.push(("comment".to_string(), Y::str(c)));
            }
            (s.name.clone(), Y::Map(m))
        })
        .collect();
    body.push(("statistics".into(), Y::Block(entries)));
}
