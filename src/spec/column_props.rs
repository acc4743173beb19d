//! Column properties in YAML (issue 14), keys of a column's map form:
//!
//! ```yaml
//! columns:
//!   body:
//!     type: text
//!     statistics: 1000          # SET STATISTICS (0 to 10000)
//!     storage: external         # plain | external | extended | main
//!     compression: lz4          # pglz | lz4
//!     n_distinct: -0.5          # SET (n_distinct = …): > 0 a count, -1 to 0 a fraction of the rows
//!     n_distinct_inherited: 500 # the same for the table and its children
//! ```
//!
//! Values are checked here, with their position, so a bad one never
//! reaches the shadow database as SQL.

use marked_yaml::types::MarkedMappingNode;

use super::emit::Y;
use super::yaml::{is_null, node_pos, Reader};
use crate::model::ColumnProps;

/// The keys this module reads in a column map.
pub(crate) const KEYS: &[&str] = &[
    "statistics",
    "storage",
    "compression",
    "n_distinct",
    "n_distinct_inherited",
];

/// The attribute options, in the order `pull` writes them.
pub(crate) const OPTIONS: &[&str] = &["n_distinct", "n_distinct_inherited"];

/// The highest statistics target PostgreSQL accepts.
pub const MAX_STATISTICS: i64 = 10000;

pub(super) fn decode(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, p: &mut ColumnProps) {
    let node = |key: &str| m.get_node(key).filter(|n| !is_null(n));
    if let Some(n) = node("statistics") {
        if let Some(v) = r.i64(n) {
            match v {
                -1 => p.statistics = None,
                0..=MAX_STATISTICS => p.statistics = Some(v as i32),
                _ => r.error(
                    node_pos(n),
                    format!("{ctx}: statistics {v} is not between 0 and {MAX_STATISTICS}"),
                ),
            }
        }
    }
    if let Some(n) = node("storage") {
        let words = [
            ("plain", "plain"),
            ("external", "external"),
            ("extended", "extended"),
            ("main", "main"),
        ];
        p.storage = r.one_of(n, &words).map(str::to_string);
    }
    if let Some(n) = node("compression") {
        let words = [
            ("pglz", Some("pglz")),
            ("lz4", Some("lz4")),
            ("default", None),
        ];
        p.compression = r.one_of(n, &words).flatten().map(str::to_string);
    }
    for key in OPTIONS {
        let Some(n) = node(key) else { continue };
        let Some(v) = r.f64(n) else { continue };
        if v < -1.0 || !v.is_finite() {
            let msg = format!("{ctx}: {key} {v} is below -1 (-1 to 0: a fraction of the rows)");
            r.error(node_pos(n), msg);
            continue;
        }
        let text = r.string(n, "a number").unwrap_or_default();
        p.options.insert(key.to_string(), text.trim().to_string());
    }
}

/// `pull`'s keys for the properties `p` has (none for the defaults).
pub(super) fn write(p: &ColumnProps, m: &mut Vec<(String, Y)>) {
    if let Some(s) = p.statistics {
        m.push(("statistics".into(), Y::int(s.into())));
    }
    if let Some(s) = &p.storage {
        m.push(("storage".into(), Y::str(s)));
    }
    if let Some(c) = &p.compression {
        m.push(("compression".into(), Y::str(c)));
    }
    for (k, v) in &p.options {
        let plain = v.parse::<f64>().is_ok_and(f64::is_finite) && !v.contains(['x', 'X']);
        m.push((k.clone(), if plain { Y::Raw(v.clone()) } else { Y::str(v) }));
    }
}
