//! The top-level `publications:` section: logical-replication publications.
//!
//! ```yaml
//! publications:
//!   app_changes:
//!     tables:
//!       - orders                        # every column, every row
//!       - table: customers              # PostgreSQL 15+:
//!         columns: [id, email]          #   a column list
//!         where: active                 #   a row filter
//!     publish: [insert, update]         # default: insert, update, delete, truncate
//!     via_partition_root: true
//!     comment: Feeds the warehouse
//!     renamed_from: old_changes
//!   everything:
//!     all_tables: true                  # FOR ALL TABLES
//!   app_schema:
//!     schemas: [app]                    # FOR TABLES IN SCHEMA (PostgreSQL 15+)
//! ```
//!
//! A table is written as in a foreign key (`name` looks in `public`,
//! `schema.name` elsewhere) and must be a table of the schema files; its
//! columns must be its columns. `all_tables` and `schemas` need a superuser
//! in PostgreSQL, which the sandboxed shadow database does not have (see
//! `engine::sandbox`): planning such a publication fails there with the
//! sandbox's note.

use marked_yaml::Node;

use super::decode::FileDecls;
use super::emit::Y;
use super::resolve::{lookup_table, Issues};
use super::yaml::{entries, is_null, node_pos, Reader};
use crate::model::{Database, Origin, Publication, PublishedTable, PUBLISH_ALL};
use crate::pg::ident::split_dotted;

pub(crate) const KEYS: &[&str] = &[
    "tables",
    "all_tables",
    "schemas",
    "publish",
    "via_partition_root",
    "comment",
    "renamed_from",
];
pub(crate) const TABLE_KEYS: &[&str] = &["table", "columns", "where"];

/// A publication and its table references, checked by [`resolve`].
#[derive(Debug)]
pub struct PublicationDecl {
    pub publication: Publication,
    /// (name as written, split; where; entry).
    pub tables: Vec<(Vec<String>, Origin, PublishedTable)>,
}

pub(super) fn decode_publications(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of publication names to publications") else {
        return;
    };
    for (name, pos, body) in entries(map) {
        let ctx = format!("publication \"{name}\"");
        let mut decl = PublicationDecl {
            publication: Publication {
                name: name.to_string(),
                publish: PUBLISH_ALL.map(String::from).to_vec(),
                origin: r.origin(pos),
                ..Default::default()
            },
            tables: Vec::new(),
        };
        if !is_null(body) {
            let Some(m) = r.map(body, "a publication map (tables: …, publish: …)") else {
                continue;
            };
            r.check_keys(m, KEYS, &ctx);
            body_of(r, m, &ctx, &mut decl);
            let p = &decl.publication;
            if p.all_tables && (!decl.tables.is_empty() || !p.schemas.is_empty()) {
                r.error(
                    pos,
                    format!(
                        "{ctx}: all_tables publishes every table; leave out tables and schemas"
                    ),
                );
                continue;
            }
        }
        out.publications.push(decl);
    }
}

fn body_of(
    r: &mut Reader<'_>,
    m: &marked_yaml::types::MarkedMappingNode,
    ctx: &str,
    decl: &mut PublicationDecl,
) {
    let p = &mut decl.publication;
    let get = |k: &str| m.get_node(k).filter(|n| !is_null(n));
    if let Some(n) = get("all_tables") {
        p.all_tables = r.bool(n).unwrap_or(false);
    }
    if let Some(n) = get("via_partition_root") {
        p.via_partition_root = r.bool(n).unwrap_or(false);
    }
    if let Some(n) = get("schemas") {
        let list = r
            .string_list(n, "a list of schema names")
            .unwrap_or_default();
        p.schemas = list.into_iter().map(|(s, _)| s).collect();
        p.schemas.sort();
        p.schemas.dedup();
    }
    if let Some(n) = m.get_node("publish") {
        p.publish = publish(r, n);
    }
    p.comment = get("comment").and_then(|n| r.opt_string(n, "a string"));
    p.renamed_from = get("renamed_from").and_then(|n| r.opt_string(n, "a name"));
    if let Some(n) = get("tables") {
        let Some(items) = r.seq(n, "a list of tables") else {
            return;
        };
        for item in items {
            if let Some(t) = table(r, item, ctx) {
                decl.tables.push(t);
            }
        }
    }
}

/// `publish:` — operations in PostgreSQL's order; `[]` publishes nothing.
fn publish(r: &mut Reader<'_>, node: &Node) -> Vec<String> {
    let ops: Vec<(&str, &str)> = PUBLISH_ALL.iter().map(|o| (*o, *o)).collect();
    let mut chosen = Vec::new();
    match node {
        Node::Sequence(items) => {
            for item in items.iter() {
                chosen.extend(r.one_of(item, &ops));
            }
        }
        _ if is_null(node) => {}
        _ => chosen.extend(r.one_of(node, &ops)),
    }
    PUBLISH_ALL
        .iter()
        .filter(|o| chosen.contains(o))
        .map(|o| o.to_string())
        .collect()
}

/// `orders`, or `{table: customers, columns: [id], where: active}`.
fn table(
    r: &mut Reader<'_>,
    item: &Node,
    ctx: &str,
) -> Option<(Vec<String>, Origin, PublishedTable)> {
    let mut entry = PublishedTable::default();
    let name_node = match item {
        Node::Mapping(m) => {
            r.check_keys(m, TABLE_KEYS, &format!("a table of {ctx}"));
            if let Some(n) = m.get_node("columns").filter(|n| !is_null(n)) {
                let cols = r.string_list(n, "a list of column names")?;
                entry.columns = Some(cols.into_iter().map(|(c, _)| c).collect());
            }
            entry.row_filter = m
                .get_node("where")
                .and_then(|n| r.opt_string(n, "a row filter expression"))
                .filter(|s| !s.trim().is_empty());
            let Some(n) = m.get_node("table") else {
                r.error(node_pos(item), format!("a table of {ctx} has no `table:`"));
                return None;
            };
            n
        }
        _ => item,
    };
    let text = r.string(name_node, "a table name")?;
    let origin = r.origin(node_pos(name_node));
    match split_dotted(&text) {
        Ok(parts) if parts.len() <= 2 => Some((parts, origin, entry)),
        Ok(_) => {
            r.error(
                node_pos(name_node),
                format!("too many dots in name \"{text}\" (expected name or schema.name)"),
            );
            None
        }
        Err(e) => {
            r.error(node_pos(name_node), e);
            None
        }
    }
}

/// Publications into `db`, their tables and columns checked.
pub(super) fn resolve(decls: Vec<PublicationDecl>, db: &mut Database, issues: &mut Issues) {
    for d in decls {
        let mut p = d.publication;
        for (parts, origin, entry) in d.tables {
            let Some((name, t)) = lookup_table(&parts, "public", &db.tables) else {
                let written = parts.join(".");
                let hint =
                    super::yaml::did_you_mean(&written, db.tables.keys().map(|k| k.name.as_str()));
                let msg = format!(
                    "publication \"{}\": unknown table \"{written}\"{hint}",
                    p.name
                );
                issues.at(&origin, msg);
                continue;
            };
            for c in entry.columns.iter().flatten() {
                if t.column(c).is_none() {
                    let hint =
                        super::yaml::did_you_mean(c, t.columns.iter().map(|c| c.name.as_str()));
                    let msg = format!(
                        "publication \"{}\": table \"{}\" has no column \"{c}\"{hint}",
                        p.name, name
                    );
                    issues.at(&origin, msg);
                }
            }
            p.tables.insert(name.clone(), entry);
        }
        if let Some(prev) = db.publications.get(&p.name) {
            let msg = format!(
                "publication \"{}\" is declared twice (first at {})",
                p.name, prev.origin
            );
            issues.at(&p.origin, msg);
            continue;
        }
        db.publications.insert(p.name.clone(), p);
    }
}

/// The `publications:` section of `db`, if it has any.
pub fn section(db: &Database, key: impl Fn(&crate::model::QualifiedName) -> String) -> Option<Y> {
    if db.publications.is_empty() {
        return None;
    }
    let items = db
        .publications
        .values()
        .map(|p| (p.name.clone(), publication_y(p, &key)))
        .collect();
    Some(Y::Block(items))
}

/// Only what differs from the defaults.
fn publication_y(p: &Publication, key: &impl Fn(&crate::model::QualifiedName) -> String) -> Y {
    let mut m = Vec::new();
    if p.all_tables {
        m.push(("all_tables".to_string(), Y::bool(true)));
    }
    if !p.tables.is_empty() {
        let tables = p.tables.iter().map(|(t, e)| {
            if e.columns.is_none() && e.row_filter.is_none() {
                return Y::str(key(t));
            }
            let mut t_m = vec![("table".to_string(), Y::str(key(t)))];
            if let Some(c) = &e.columns {
                t_m.push(("columns".into(), Y::strs(c)));
            }
            if let Some(w) = &e.row_filter {
                t_m.push(("where".into(), Y::str(w)));
            }
            Y::Map(t_m)
        });
        m.push(("tables".into(), Y::List(tables.collect())));
    }
    if !p.schemas.is_empty() {
        m.push(("schemas".into(), Y::strs(&p.schemas)));
    }
    if p.publish != PUBLISH_ALL {
        m.push(("publish".into(), Y::strs(&p.publish)));
    }
    if p.via_partition_root {
        m.push(("via_partition_root".into(), Y::bool(true)));
    }
    if let Some(c) = &p.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    if m.is_empty() {
        // An empty publication still needs a map to be one.
        m.push(("tables".into(), Y::List(Vec::new())));
    }
    Y::Block(m)
}
