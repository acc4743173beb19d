//! The `views:` section: views and materialized views.
//!
//! ```yaml
//! views:
//!   active_users: SELECT id, email FROM users WHERE active
//!   reporting.daily_totals:
//!     query: |
//!       SELECT day, sum(total) AS total FROM orders GROUP BY day
//!     materialized: true
//!     with_data: false          # materialized: created WITH NO DATA
//!     indexes:
//!       - columns: [day]
//!         unique: true
//!     comment: Totals per day
//!     columns:
//!       total: Sum of the day's orders   # column comments
//!   secure_orders:
//!     query: SELECT * FROM orders WHERE owner = current_user
//!     security_barrier: true
//!     security_invoker: true    # PostgreSQL 15+
//!     check_option: local       # or cascaded
//!     renamed_from: my_orders
//! ```
//!
//! The query is the user's text; the shadow database turns it into
//! PostgreSQL's own (`pg_get_viewdef`), which is what is compared.

use marked_yaml::Node;

use super::decode::{qualified, FileDecls, TableDecl};
use super::emit::Y;
use super::yaml::{entries, is_null, node_pos, Reader};
use crate::model::{Table, View, ViewColumn};

pub(crate) const KEYS: &[&str] = &[
    "query",
    "schema",
    "materialized",
    "with_data",
    "security_barrier",
    "security_invoker",
    "check_option",
    "comment",
    "columns",
    "indexes",
    "with",
    "cluster_on",
    "renamed_from",
    "grants",
];

pub(super) fn decode_views(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of view names to queries") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("view \"{key}\"");
        let mut v = View::default();
        let mut schema = None;
        let mut own_grants = None;
        match body {
            Node::Scalar(_) if !is_null(body) => {
                v.definition = r.string(body, "a query").unwrap_or_default();
            }
            Node::Mapping(m) => {
                r.check_keys(m, KEYS, &ctx);
                match m.get_node("query") {
                    Some(q) => v.definition = r.string(q, "a query").unwrap_or_default(),
                    None => r.error(pos, format!("{ctx} has no query")),
                }
                let flag = |k: &str, r: &mut Reader<'_>| {
                    m.get_node(k)
                        .filter(|n| !is_null(n))
                        .and_then(|n| r.bool(n))
                };
                v.materialized = flag("materialized", r).unwrap_or(false);
                v.with_data = flag("with_data", r).unwrap_or(true);
                v.security_barrier = flag("security_barrier", r).unwrap_or(false);
                v.security_invoker = flag("security_invoker", r).unwrap_or(false);
                v.check_option = m
                    .get_node("check_option")
                    .filter(|n| !is_null(n))
                    .and_then(|n| r.one_of(n, &[("local", "local"), ("cascaded", "cascaded")]))
                    .map(str::to_string);
                let mut text =
                    |k: &str, what: &str| m.get_node(k).and_then(|n| r.opt_string(n, what));
                v.comment = text("comment", "a string");
                v.renamed_from = text("renamed_from", "the view's previous name");
                schema = text("schema", "a schema name");
                if let Some(cols) = m.get_node("columns").filter(|n| !is_null(n)) {
                    v.columns = column_comments(r, cols);
                }
                if let Some(n) = m.get_node("indexes").filter(|n| !is_null(n)) {
                    v.indexes = indexes(r, n);
                }
                if let Some(n) = m.get_node("with").filter(|n| !is_null(n)) {
                    v.storage = super::table_props::storage(r, n);
                }
                v.cluster_on = m
                    .get_node("cluster_on")
                    .and_then(|n| r.opt_string(n, "an index name"));
                check_materialized_only(r, m, &v, &ctx);
                own_grants = Some(m);
            }
            _ => {
                r.map(body, "a query or a map (query: …)");
                continue;
            }
        }
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        if let Some(m) = own_grants {
            let target = crate::acl::PrivTarget::Table(name.clone());
            super::grants::decode_on(r, m, target, &mut out.grants);
        }
        v.name = name;
        v.origin = r.origin(pos);
        out.views.push(v);
    }
}

/// `columns: {name: comment}`.
fn column_comments(r: &mut Reader<'_>, node: &Node) -> Vec<ViewColumn> {
    let Some(m) = r.map(node, "a map of column names to comments") else {
        return Vec::new();
    };
    entries(m)
        .map(|(name, _, c)| ViewColumn {
            name: name.to_string(),
            data_type: String::new(),
            comment: r.opt_string(c, "a comment"),
        })
        .collect()
}

/// `indexes:` in the syntax of a table's (the columns are checked by
/// PostgreSQL when the shadow builds them).
fn indexes(r: &mut Reader<'_>, node: &Node) -> Vec<crate::model::Index> {
    let mut decl = TableDecl::default();
    for item in r.seq(node, "a list of indexes").unwrap_or_default() {
        super::indexes::decode_index(r, item, &mut decl);
    }
    decl.table.indexes
}

/// Options that only mean something on one kind of view.
fn check_materialized_only(
    r: &mut Reader<'_>,
    m: &marked_yaml::types::MarkedMappingNode,
    v: &View,
    ctx: &str,
) {
    let only_mat = ["with_data", "indexes", "with", "cluster_on"];
    let only_plain = ["security_barrier", "security_invoker", "check_option"];
    let (wrong, kind): (&[&str], &str) = if v.materialized {
        (&only_plain, "a view that is not materialized")
    } else {
        (&only_mat, "a materialized view")
    };
    for k in wrong {
        if let Some(n) = m.get_node(k).filter(|n| !is_null(n)) {
            r.error(node_pos(n), format!("{k} in {ctx} is only for {kind}"));
        }
    }
}

/// The YAML body of a view: its query alone when nothing else is set.
pub(super) fn view_y(v: &View) -> Y {
    let commented: Vec<(String, Y)> = v
        .columns
        .iter()
        .filter_map(|c| Some((c.name.clone(), Y::str(c.comment.as_ref()?))))
        .collect();
    let plain = !v.materialized
        && !v.security_barrier
        && !v.security_invoker
        && v.check_option.is_none()
        && v.comment.is_none()
        && commented.is_empty();
    if plain {
        return Y::Text(v.definition.clone());
    }
    let mut m = vec![("query".to_string(), Y::Text(v.definition.clone()))];
    let mut flag = |k: &str, on: bool| {
        if on {
            m.push((k.to_string(), Y::bool(true)));
        }
    };
    flag("materialized", v.materialized);
    flag("security_barrier", v.security_barrier);
    flag("security_invoker", v.security_invoker);
    if v.materialized && !v.with_data {
        m.push(("with_data".into(), Y::bool(false)));
    }
    if let Some(c) = &v.check_option {
        m.push(("check_option".into(), Y::str(c)));
    }
    if let Some(c) = &v.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    if !commented.is_empty() {
        m.push(("columns".into(), Y::Block(commented)));
    }
    if !v.indexes.is_empty() {
        let t = Table {
            name: v.name.clone(),
            ..Table::default()
        };
        let items = v.indexes.iter().map(|i| super::write::index_y(&t, i));
        m.push(("indexes".into(), Y::List(items.collect())));
    }
    if !v.storage.is_empty() {
        let with = v.storage.iter().map(|(k, x)| (k.clone(), Y::str(x)));
        m.push(("with".into(), Y::Map(with.collect())));
    }
    if let Some(c) = &v.cluster_on {
        m.push(("cluster_on".into(), Y::str(c)));
    }
    Y::Block(m)
}
