//! Table-level constraints: primary key, foreign keys, unique, checks,
//! exclusions — and the helpers the column map shares with them.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::model::{
    Check, Exclusion, FkAction, FkMatch, ForeignKey, PrimaryKey, QualifiedName, Unique,
};

use super::column::{self, RefTarget};
use super::decode::{ColRef, FkRef, TableDecl};
use super::yaml::{is_null, node_pos, scalar_pos, Pos, Reader};
use crate::pg::ident::split_dotted;

pub(crate) const REFERENCES_KEYS: &[&str] = &["table", "column", "columns"];

pub(crate) const PRIMARY_KEY_KEYS: &[&str] = &[
    "columns",
    "include",
    "without_overlaps",
    "deferrable",
    "initially_deferred",
    "name",
    "comment",
];

pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "on_delete",
    "on_update",
    "match",
    "period",
    "deferrable",
    "initially_deferred",
    "not_valid",
    "enforced",
    "name",
    "comment",
];

pub(crate) const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "include",
    "name",
    "nulls_not_distinct",
    "without_overlaps",
    "deferrable",
    "initially_deferred",
    "comment",
];

pub(crate) const CHECK_KEYS: &[&str] = &["expression", "name", "comment", "not_valid", "enforced"];

pub(crate) const EXCLUSION_KEYS: &[&str] = &[
    "using",
    "method",
    "elements",
    "where",
    "with",
    "name",
    "deferrable",
    "initially_deferred",
    "comment",
];

pub(super) fn opt_bool(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str) -> Option<bool> {
    m.get_node(key).and_then(|n| r.bool(n))
}

pub(super) fn action(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str) -> FkAction {
    let Some(n) = m.get_node(key) else {
        return FkAction::NoAction;
    };
    let Some(text) = r.string(n, "an action") else {
        return FkAction::NoAction;
    };
    column::parse_action(&text).unwrap_or_else(|| {
        r.error(
            node_pos(n),
            format!(
                "expected cascade, restrict, set null, set default or no action, found \"{text}\""
            ),
        );
        FkAction::NoAction
    })
}

/// `on_delete`: an action and the columns it sets (`set null (a, b)`).
pub(super) fn delete_action(r: &mut Reader<'_>, m: &MarkedMappingNode) -> (FkAction, Vec<String>) {
    let none = (FkAction::NoAction, Vec::new());
    let Some(n) = m.get_node("on_delete") else {
        return none;
    };
    let Some(text) = r.string(n, "an action") else {
        return none;
    };
    column::parse_delete_action(&text).unwrap_or_else(|e| {
        r.error(node_pos(n), e);
        none
    })
}

/// Report `on_delete` columns that are not among the foreign key's.
pub(super) fn check_delete_columns(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    columns: &[String],
    listed: &[String],
) {
    if let Some(e) = column::foreign_delete_column_error(columns, listed) {
        let at = m.get_node("on_delete").map(node_pos).unwrap_or_default();
        r.error(at, e);
    }
}

pub(super) fn match_type(r: &mut Reader<'_>, m: &MarkedMappingNode) -> FkMatch {
    m.get_node("match")
        .and_then(|n| r.one_of(n, &[("simple", FkMatch::Simple), ("full", FkMatch::Full)]))
        .unwrap_or_default()
}

/// Where a reference's table is written (the `table:` value of the map form).
pub(super) fn ref_table_pos(n: &Node) -> Pos {
    match n {
        Node::Mapping(m) => m.get_node("table").map_or_else(|| node_pos(n), node_pos),
        _ => node_pos(n),
    }
}

/// `table.col`, `table(col, …)`, or `{table: …, column(s): …}`.
pub(super) fn ref_target(r: &mut Reader<'_>, n: &Node, multi: bool) -> Option<RefTarget> {
    match n {
        Node::Mapping(m) => {
            r.check_keys(m, REFERENCES_KEYS, "references");
            let Some(t) = m.get_node("table") else {
                r.error(node_pos(n), "references needs a table");
                return None;
            };
            let ts = r.scalar(t, "a table name")?;
            let table = split_dotted(ts.as_str())
                .map_err(|e| r.error(scalar_pos(ts), e))
                .ok()?;
            if table.len() > 2 {
                r.error(
                    scalar_pos(ts),
                    format!("too many dots in table name \"{}\"", ts.as_str()),
                );
                return None;
            }
            let mut columns = Vec::new();
            for key in ["column", "columns"] {
                if let Some(c) = m.get_node(key) {
                    columns.extend(
                        r.string_list(c, "a list of column names")
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(c, _)| c),
                    );
                }
            }
            if !multi && columns.len() > 1 {
                r.error(node_pos(n), "a column can reference only one column");
            }
            Some(RefTarget { table, columns })
        }
        _ => {
            let s = r.scalar(n, "a reference (table.column or table(column))")?;
            match column::parse_ref_target(s.as_str()) {
                Ok(t) => Some(t),
                Err(e) => {
                    r.error(scalar_pos(s), e);
                    None
                }
            }
        }
    }
}

/// A list of column names, each recorded as a reference to check.
pub(super) fn columns_of(
    r: &mut Reader<'_>,
    n: &Node,
    context: &'static str,
    decl: &mut TableDecl,
) -> Vec<String> {
    let list = r
        .string_list(n, "a list of column names")
        .unwrap_or_default();
    for (c, p) in &list {
        let origin = r.origin(*p);
        decl.col_refs.push(ColRef {
            column: c.clone(),
            context,
            origin,
        });
    }
    list.into_iter().map(|(c, _)| c).collect()
}

/// `without_overlaps: true`: the last of `columns` is the period (a
/// range or multirange) of a temporal key, so there must be another.
fn without_overlaps(r: &mut Reader<'_>, m: &MarkedMappingNode, columns: &[String]) -> bool {
    let on = opt_bool(r, m, "without_overlaps").unwrap_or(false);
    if on && columns.len() < 2 {
        let at = m
            .get_node("without_overlaps")
            .map(node_pos)
            .unwrap_or_default();
        r.error(
            at,
            "without_overlaps needs at least two columns: the last one (a range or multirange) must not overlap among rows equal on the others",
        );
    }
    on
}

/// `period: true`: a temporal foreign key, whose last column (on both
/// sides) is a range or multirange. PostgreSQL 18 supports no referential
/// action on one but `no action`.
fn period(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    columns: &[String],
    actions: [&FkAction; 2],
) -> bool {
    let on = opt_bool(r, m, "period").unwrap_or(false);
    if !on {
        return false;
    }
    let at = m.get_node("period").map(node_pos).unwrap_or_default();
    if columns.len() < 2 {
        r.error(
            at,
            "period needs at least two columns: the last one is the range or multirange that must lie within the referenced rows'",
        );
    }
    for (key, a) in ["on_delete", "on_update"].into_iter().zip(actions) {
        if *a != FkAction::NoAction {
            let at = m.get_node(key).map_or(at, node_pos);
            r.error(
                at,
                format!(
                    "{key} must be no action on a foreign key with period: true (PostgreSQL 18 supports no other), found {}",
                    a.sql().to_ascii_lowercase()
                ),
            );
        }
    }
    true
}

pub(super) fn decode_table_pk(r: &mut Reader<'_>, n: &Node, ctx: &str, decl: &mut TableDecl) {
    let pos = node_pos(n);
    let mut pk = PrimaryKey {
        origin: r.origin(pos),
        ..PrimaryKey::default()
    };
    match n {
        Node::Mapping(m) => {
            r.check_keys(m, PRIMARY_KEY_KEYS, "primary_key");
            match m.get_node("columns").filter(|n| !is_null(n)) {
                Some(c) => pk.columns = columns_of(r, c, "primary key", decl),
                None => r.error(pos, "primary_key needs columns"),
            }
            if let Some(i) = m.get_node("include").filter(|n| !is_null(n)) {
                pk.include = columns_of(r, i, "primary key include", decl);
            }
            pk.without_overlaps = without_overlaps(r, m, &pk.columns);
            pk.deferrable = opt_bool(r, m, "deferrable").unwrap_or(false);
            pk.initially_deferred = opt_bool(r, m, "initially_deferred").unwrap_or(false);
            pk.name = m
                .get_node("name")
                .and_then(|x| r.opt_string(x, "a constraint name"));
            pk.comment = m
                .get_node("comment")
                .and_then(|x| r.opt_string(x, "a string"));
        }
        _ => pk.columns = columns_of(r, n, "primary key", decl),
    }
    if decl.table.primary_key.is_some() {
        r.error(pos, format!("{ctx} has a primary key on a column already"));
        return;
    }
    decl.table.primary_key = Some(pk);
}

pub(super) fn decode_fk(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "a foreign key map (columns, references)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(m, FOREIGN_KEY_KEYS, "foreign key");
    let columns = match m.get_node("columns").filter(|n| !is_null(n)) {
        Some(c) => columns_of(r, c, "foreign key", decl),
        None => {
            r.error(pos, "foreign key needs columns");
            return;
        }
    };
    let Some(refs) = m.get_node("references") else {
        r.error(pos, "foreign key needs references");
        return;
    };
    let Some(target) = ref_target(r, refs, true) else {
        return;
    };
    let origin = r.origin(pos);
    let (on_delete, on_delete_columns) = delete_action(r, m);
    check_delete_columns(r, m, &columns, &on_delete_columns);
    let on_update = action(r, m, "on_update");
    let period = period(r, m, &columns, [&on_delete, &on_update]);
    decl.table.foreign_keys.push(ForeignKey {
        name: m
            .get_node("name")
            .and_then(|x| r.opt_string(x, "a constraint name")),
        columns,
        ref_table: QualifiedName::default(),
        ref_columns: target.columns,
        on_delete,
        on_delete_columns,
        on_update,
        match_type: match_type(r, m),
        period,
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
        not_valid: opt_bool(r, m, "not_valid").unwrap_or(false),
        not_enforced: !opt_bool(r, m, "enforced").unwrap_or(true),
        definition: String::new(),
        comment: m
            .get_node("comment")
            .and_then(|x| r.opt_string(x, "a string")),
        origin,
    });
    let o = r.origin(ref_table_pos(refs));
    decl.fk_refs.push(FkRef {
        table: target.table,
        origin: o,
    });
}

pub(super) fn decode_unique(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let pos = node_pos(item);
    let mut u = Unique {
        origin: r.origin(pos),
        ..Unique::default()
    };
    match item {
        Node::Mapping(m) => {
            r.check_keys(m, UNIQUE_KEYS, "unique constraint");
            match m.get_node("columns").filter(|n| !is_null(n)) {
                Some(c) => u.columns = columns_of(r, c, "unique constraint", decl),
                None => r.error(pos, "unique constraint needs columns"),
            }
            if let Some(i) = m.get_node("include").filter(|n| !is_null(n)) {
                u.include = columns_of(r, i, "unique constraint include", decl);
            }
            u.name = m
                .get_node("name")
                .and_then(|x| r.opt_string(x, "a constraint name"));
            u.nulls_not_distinct = opt_bool(r, m, "nulls_not_distinct").unwrap_or(false);
            u.without_overlaps = without_overlaps(r, m, &u.columns);
            u.deferrable = opt_bool(r, m, "deferrable").unwrap_or(false);
            u.initially_deferred = opt_bool(r, m, "initially_deferred").unwrap_or(false);
            u.comment = m
                .get_node("comment")
                .and_then(|x| r.opt_string(x, "a string"));
        }
        _ => u.columns = columns_of(r, item, "unique constraint", decl),
    }
    decl.table.uniques.push(u);
}

pub(super) fn decode_check(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let pos = node_pos(item);
    let mut c = Check {
        origin: r.origin(pos),
        ..Check::default()
    };
    match item {
        Node::Mapping(m) => {
            r.check_keys(m, CHECK_KEYS, "check constraint");
            c.not_valid = opt_bool(r, m, "not_valid").unwrap_or(false);
            c.not_enforced = !opt_bool(r, m, "enforced").unwrap_or(true);
            match m
                .get_node("expression")
                .and_then(|x| r.string(x, "a check expression"))
            {
                Some(e) => c.expression = e,
                None => {
                    if m.get_node("expression").is_none() {
                        r.error(pos, "check constraint needs an expression");
                    }
                    return;
                }
            }
            c.name = m
                .get_node("name")
                .and_then(|x| r.opt_string(x, "a constraint name"));
            c.comment = m
                .get_node("comment")
                .and_then(|x| r.opt_string(x, "a string"));
        }
        _ => match r.string(item, "a check expression or map") {
            Some(e) => c.expression = e,
            None => return,
        },
    }
    decl.table.checks.push(c);
}

pub(super) fn decode_exclusion(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "an exclusion constraint map (using, elements)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(m, EXCLUSION_KEYS, "exclusion constraint");
    let method = ["using", "method"]
        .iter()
        .find_map(|k| m.get_node(k))
        .and_then(|x| r.string(x, "an index method"))
        .unwrap_or_else(|| "gist".to_string());
    let elements: Vec<String> = match m.get_node("elements") {
        Some(e) => r
            .string_list(e, "a list of `expression WITH operator`")
            .unwrap_or_default()
            .into_iter()
            .map(|(s, _)| s)
            .collect(),
        None => {
            r.error(pos, "exclusion constraint needs elements");
            return;
        }
    };
    let origin = r.origin(pos);
    decl.table.exclusions.push(Exclusion {
        name: m
            .get_node("name")
            .and_then(|x| r.opt_string(x, "a constraint name")),
        method,
        elements,
        predicate: m
            .get_node("where")
            .and_then(|x| r.opt_string(x, "a predicate")),
        with: m
            .get_node("with")
            .map(|w| super::indexes::storage_params(r, w))
            .unwrap_or_default(),
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
        definition: String::new(),
        comment: m
            .get_node("comment")
            .and_then(|x| r.opt_string(x, "a string")),
        origin,
    });
}
