//! One schema file: YAML nodes → declarations. Names that point elsewhere
//! (tables, columns, mixins) are recorded with their position and checked
//! by `resolve` once every file is read.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::model::{
    Check, Column, EnumType, Exclusion, Extension, FkAction, FkMatch, ForeignKey, Identity,
    IdentityKind, Index, IndexKey, Namespace, Origin, PrimaryKey, QualifiedName, Sequence, Table,
    Unique,
};

use super::column::{self, ColumnDecl, RefTarget};
use super::names::split_dotted;
use super::yaml::{entries, is_null, node_pos, scalar_pos, Pos, Reader};

#[derive(Debug, Default)]
pub struct FileDecls {
    pub schemas: Vec<Namespace>,
    pub extensions: Vec<Extension>,
    pub enums: Vec<EnumType>,
    pub mixins: Vec<MixinDecl>,
    pub tables: Vec<TableDecl>,
}

#[derive(Debug)]
pub struct MixinDecl {
    pub name: String,
    pub origin: Origin,
    /// Insert the mixin's columns before the table's own (`position: first`).
    pub first: bool,
    pub body: TableDecl,
}

/// A table (or a mixin body) plus the references still to check.
#[derive(Debug, Default, Clone)]
pub struct TableDecl {
    pub table: Table,
    pub mixins: Vec<(String, Origin)>,
    /// Columns named by constraints and indexes, checked against the final
    /// (mixin-expanded) column list.
    pub col_refs: Vec<ColRef>,
    /// Parallel to `table.foreign_keys`: the unresolved target.
    pub fk_refs: Vec<FkRef>,
}

#[derive(Debug, Clone)]
pub struct ColRef {
    pub column: String,
    /// "primary key", "index", … for the message.
    pub context: &'static str,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct FkRef {
    pub table: Vec<String>,
    pub origin: Origin,
}

const TABLE_KEYS: &[&str] = &[
    "schema",
    "comment",
    "mixins",
    "columns",
    "primary_key",
    "foreign_keys",
    "unique",
    "checks",
    "exclusions",
    "indexes",
];
const MIXIN_KEYS: &[&str] = &[
    "comment",
    "position",
    "columns",
    "primary_key",
    "foreign_keys",
    "unique",
    "checks",
    "exclusions",
    "indexes",
];
const COLUMN_KEYS: &[&str] = &[
    "type",
    "not_null",
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
];
const SEQUENCE_KEYS: &[&str] = &[
    "as",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
];

/// Decode a whole file.
pub fn decode_file(r: &mut Reader<'_>, root: &Node) -> FileDecls {
    let mut out = FileDecls::default();
    let Some(map) = r.map(root, "a map") else {
        return out;
    };
    r.check_keys(
        map,
        &["schemas", "extensions", "enums", "mixins", "tables"],
        "the top level",
    );
    for (key, _, value) in entries(map) {
        match key {
            "schemas" => decode_schemas(r, value, &mut out),
            "extensions" => decode_extensions(r, value, &mut out),
            "enums" => decode_enums(r, value, &mut out),
            "mixins" => decode_mixins(r, value, &mut out),
            "tables" => decode_tables(r, value, &mut out),
            _ => {}
        }
    }
    out
}

/// A `name → body` map, or a list of names (bodies absent).
fn named_items<'n>(
    r: &mut Reader<'_>,
    node: &'n Node,
    expected: &str,
) -> Vec<(String, Pos, Option<&'n Node>)> {
    match node {
        Node::Sequence(items) => items
            .iter()
            .filter_map(|i| {
                r.scalar(i, "a name")
                    .map(|s| (s.as_str().to_string(), scalar_pos(s), None))
            })
            .collect(),
        Node::Mapping(m) => entries(m)
            .map(|(k, p, v)| (k.to_string(), p, (!is_null(v)).then_some(v)))
            .collect(),
        _ if is_null(node) => vec![],
        _ => {
            r.map(node, expected);
            vec![]
        }
    }
}

fn decode_schemas(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    for (name, pos, body) in named_items(r, node, "a list of schema names or a map") {
        let mut ns = Namespace {
            name: name.clone(),
            comment: None,
            origin: r.origin(pos),
        };
        if let Some(m) = body.and_then(|b| r.map(b, "a map with a comment")) {
            r.check_keys(m, &["comment"], &format!("schema \"{name}\""));
            if let Some(c) = m.get_node("comment") {
                ns.comment = r.opt_string(c, "a string");
            }
        }
        out.schemas.push(ns);
    }
}

fn decode_extensions(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    for (name, pos, body) in named_items(r, node, "a list of extension names or a map") {
        let mut ext = Extension {
            name: name.clone(),
            schema: None,
            origin: r.origin(pos),
        };
        if let Some(m) = body.and_then(|b| r.map(b, "a map with a schema")) {
            r.check_keys(m, &["schema"], &format!("extension \"{name}\""));
            if let Some(s) = m.get_node("schema") {
                ext.schema = r.opt_string(s, "a schema name");
            }
        }
        out.extensions.push(ext);
    }
}

/// `name` or `schema.name`, with a default schema.
fn qualified(
    r: &mut Reader<'_>,
    text: &str,
    pos: Pos,
    default_schema: &str,
) -> Option<QualifiedName> {
    match split_dotted(text) {
        Ok(parts) if parts.len() == 1 => Some(QualifiedName::new(default_schema, &parts[0])),
        Ok(parts) if parts.len() == 2 => Some(QualifiedName::new(&parts[0], &parts[1])),
        Ok(_) => {
            r.error(
                pos,
                format!("too many dots in name \"{text}\" (expected name or schema.name)"),
            );
            None
        }
        Err(e) => {
            r.error(pos, e);
            None
        }
    }
}

fn decode_enums(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of enum names to values") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("enum \"{key}\"");
        let (values_node, mut comment, mut schema) = (Some(body), None, None);
        let values_node = match body {
            Node::Mapping(m) => {
                r.check_keys(m, &["values", "comment", "schema"], &ctx);
                comment = m
                    .get_node("comment")
                    .and_then(|c| r.opt_string(c, "a string"));
                schema = m
                    .get_node("schema")
                    .and_then(|s| r.string(s, "a schema name"));
                if m.get_node("values").is_none() {
                    r.error(pos, format!("{ctx} has no values"));
                }
                m.get_node("values")
            }
            _ => values_node,
        };
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        let mut values: Vec<String> = Vec::new();
        if let Some(list) = values_node.and_then(|v| r.seq(v, "a list of enum values")) {
            for v in list {
                let Some(s) = r.scalar(v, "an enum value") else {
                    continue;
                };
                if values.iter().any(|x| x == s.as_str()) {
                    r.error(
                        scalar_pos(s),
                        format!("duplicate value \"{}\" in {ctx}", s.as_str()),
                    );
                } else {
                    values.push(s.as_str().to_string());
                }
            }
        }
        out.enums.push(EnumType {
            name,
            values,
            comment,
            origin: r.origin(pos),
        });
    }
}

fn decode_mixins(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of mixin names to mixins") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("mixin \"{key}\"");
        let Some(m) = r.map(body, "a map with columns") else {
            continue;
        };
        r.check_keys(m, MIXIN_KEYS, &ctx);
        let first = match m.get_node("position") {
            None => false,
            Some(p) => match r.string(p, "first or last").as_deref() {
                Some("first") => true,
                Some("last") => false,
                Some(other) => {
                    r.error(
                        node_pos(p),
                        format!("expected first or last, found \"{other}\""),
                    );
                    false
                }
                None => false,
            },
        };
        let mut body_decl = TableDecl::default();
        body_decl.table.name = QualifiedName::new("", key);
        decode_table_body(r, m, &ctx, &mut body_decl);
        out.mixins.push(MixinDecl {
            name: key.to_string(),
            origin: r.origin(pos),
            first,
            body: body_decl,
        });
    }
}

fn decode_tables(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of table names to tables") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("table \"{key}\"");
        let Some(m) = r.map(body, "a table map (columns: …)") else {
            continue;
        };
        r.check_keys(m, TABLE_KEYS, &ctx);
        let schema_key = m
            .get_node("schema")
            .and_then(|s| r.string(s, "a schema name").map(|v| (v, node_pos(s))));
        let Some(name) = qualified(
            r,
            key,
            pos,
            schema_key.as_ref().map_or("public", |s| s.0.as_str()),
        ) else {
            continue;
        };
        if let Some((s, spos)) = &schema_key {
            if &name.schema != s {
                r.error(
                    *spos,
                    format!(
                        "{ctx} is qualified with schema \"{}\" but says schema: {s}",
                        name.schema
                    ),
                );
            }
        }
        let mut decl = TableDecl::default();
        decl.table.name = name;
        decl.table.origin = r.origin(pos);
        decl.table.comment = m
            .get_node("comment")
            .and_then(|c| r.opt_string(c, "a string"));
        if let Some(mx) = m.get_node("mixins") {
            for (name, p) in r
                .string_list(mx, "a list of mixin names")
                .unwrap_or_default()
            {
                let o = r.origin(p);
                decl.mixins.push((name, o));
            }
        }
        if m.get_node("columns").is_none() && decl.mixins.is_empty() {
            r.error(pos, format!("{ctx} has no columns"));
        }
        decode_table_body(r, m, &ctx, &mut decl);
        out.tables.push(decl);
    }
}

/// Columns, constraints and indexes (shared by tables and mixins).
fn decode_table_body(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, decl: &mut TableDecl) {
    if let Some(cols) = m.get_node("columns") {
        if let Some(cols) = r.map(cols, "a map of column names to types") {
            for (name, pos, body) in entries(cols) {
                decode_column(r, name, pos, body, decl);
            }
        }
    }
    if let Some(pk) = m.get_node("primary_key") {
        decode_table_pk(r, pk, ctx, decl);
    }
    if let Some(n) = m.get_node("foreign_keys") {
        for item in r.seq(n, "a list of foreign keys").unwrap_or_default() {
            decode_fk(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("unique") {
        for item in r.seq(n, "a list of unique constraints").unwrap_or_default() {
            decode_unique(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("checks") {
        for item in r.seq(n, "a list of check expressions").unwrap_or_default() {
            decode_check(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("exclusions") {
        for item in r
            .seq(n, "a list of exclusion constraints")
            .unwrap_or_default()
        {
            decode_exclusion(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("indexes") {
        for item in r.seq(n, "a list of indexes").unwrap_or_default() {
            decode_index(r, item, decl);
        }
    }
}

fn decode_column(r: &mut Reader<'_>, name: &str, pos: Pos, body: &Node, decl: &mut TableDecl) {
    let ctx = format!("column \"{name}\"");
    let (parsed, ref_pos) = match body {
        Node::Scalar(s) if !is_null(body) => match column::parse_shorthand(s.as_str()) {
            Ok(d) => {
                let at = d
                    .references
                    .as_ref()
                    .map(|x| r.content_pos(s).shifted(x.offset));
                (d, at)
            }
            Err(e) => {
                let at = r.content_pos(s).shifted(e.offset);
                r.error(at, format!("in {ctx}: {}", e.message));
                return;
            }
        },
        Node::Mapping(m) => match column_map(r, m, &ctx) {
            Some(d) => {
                let at = m.get_node("references").map(ref_table_pos);
                (d, at)
            }
            None => return,
        },
        _ => {
            r.map(body, &format!("a type string or a column map for {ctx}"));
            return;
        }
    };
    let origin = r.origin(pos);
    add_column(decl, name, parsed, origin, ref_pos.map(|p| r.origin(p)), r);
}

/// Add a column and turn its column-level constraints into table-level ones
/// (unnamed unless `constraint NAME` was given: PostgreSQL names them).
fn add_column(
    decl: &mut TableDecl,
    name: &str,
    d: ColumnDecl,
    origin: Origin,
    ref_origin: Option<Origin>,
    r: &mut Reader<'_>,
) {
    let mut col: Column = d.column;
    col.name = name.to_string();
    col.origin = origin.clone();
    let cols = vec![name.to_string()];
    if let Some(pk) = d.primary_key {
        if decl.table.primary_key.is_some() {
            r.error(
                Pos { line: origin.line, column: origin.column },
                format!(
                    "column \"{name}\": the table already has a primary key; declare a composite key as primary_key: [a, b]"
                ),
            );
        } else {
            decl.table.primary_key = Some(PrimaryKey {
                name: pk.name,
                columns: cols.clone(),
                origin: origin.clone(),
                ..PrimaryKey::default()
            });
        }
    }
    if let Some(u) = d.unique {
        decl.table.uniques.push(Unique {
            name: u.name,
            columns: cols.clone(),
            nulls_not_distinct: u.nulls_not_distinct,
            origin: origin.clone(),
            ..Unique::default()
        });
    }
    if let Some(c) = d.check {
        decl.table.checks.push(Check {
            name: c.name,
            expression: c.expression,
            origin: origin.clone(),
            ..Check::default()
        });
    }
    if let Some(fk) = d.references {
        let o = ref_origin.unwrap_or_else(|| origin.clone());
        decl.table.foreign_keys.push(ForeignKey {
            name: fk.name,
            columns: cols,
            ref_columns: fk.target.columns,
            on_delete: fk.on_delete,
            on_update: fk.on_update,
            match_type: fk.match_type,
            deferrable: fk.deferrable,
            initially_deferred: fk.initially_deferred,
            origin: o.clone(),
            ..ForeignKey::default()
        });
        decl.fk_refs.push(FkRef {
            table: fk.target.table,
            origin: o,
        });
    }
    decl.table.columns.push(col);
}

fn opt_bool(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str) -> Option<bool> {
    m.get_node(key).and_then(|n| r.bool(n))
}

fn action(r: &mut Reader<'_>, m: &MarkedMappingNode, key: &str) -> FkAction {
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

fn match_type(r: &mut Reader<'_>, m: &MarkedMappingNode) -> FkMatch {
    let Some(n) = m.get_node("match") else {
        return FkMatch::Simple;
    };
    match r
        .string(n, "full or simple")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("full") => FkMatch::Full,
        Some("simple") | None => FkMatch::Simple,
        Some(other) => {
            r.error(
                node_pos(n),
                format!("expected full or simple, found \"{other}\""),
            );
            FkMatch::Simple
        }
    }
}

fn column_map(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str) -> Option<ColumnDecl> {
    r.check_keys(m, COLUMN_KEYS, ctx);
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
    d.column.default = m
        .get_node("default")
        .and_then(|n| r.opt_string(n, "a default expression"));
    d.column.generated = m
        .get_node("generated")
        .and_then(|n| r.opt_string(n, "a generation expression"));
    d.column.collation = m
        .get_node("collation")
        .and_then(|n| r.opt_string(n, "a collation name"))
        .map(|c: String| column::normalize_collation(&c));
    d.column.comment = m
        .get_node("comment")
        .and_then(|n| r.opt_string(n, "a string"));
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
    column_map_references(r, m, ctx, &mut d);
    Some(d)
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
    d.references = Some(column::RefDecl {
        name: None,
        target,
        on_delete: action(r, m, "on_delete"),
        on_update: action(r, m, "on_update"),
        match_type: match_type(r, m),
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
        offset: 0,
    });
}

/// Where a reference's table is written (the `table:` value of the map form).
fn ref_table_pos(n: &Node) -> Pos {
    match n {
        Node::Mapping(m) => m.get_node("table").map_or_else(|| node_pos(n), node_pos),
        _ => node_pos(n),
    }
}

/// `table.col`, `table(col, …)`, or `{table: …, column(s): …}`.
fn ref_target(r: &mut Reader<'_>, n: &Node, multi: bool) -> Option<RefTarget> {
    match n {
        Node::Mapping(m) => {
            r.check_keys(m, &["table", "column", "columns"], "references");
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

fn sequence_fields(r: &mut Reader<'_>, m: &MarkedMappingNode) -> Sequence {
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

/// A list of column names, each recorded as a reference to check.
fn columns_of(
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

fn decode_table_pk(r: &mut Reader<'_>, n: &Node, ctx: &str, decl: &mut TableDecl) {
    let pos = node_pos(n);
    let mut pk = PrimaryKey {
        origin: r.origin(pos),
        ..PrimaryKey::default()
    };
    match n {
        Node::Mapping(m) => {
            r.check_keys(m, &["columns", "name", "comment"], "primary_key");
            match m.get_node("columns") {
                Some(c) => pk.columns = columns_of(r, c, "primary key", decl),
                None => r.error(pos, "primary_key needs columns"),
            }
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

fn decode_fk(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "a foreign key map (columns, references)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(
        m,
        &[
            "columns",
            "references",
            "on_delete",
            "on_update",
            "match",
            "deferrable",
            "initially_deferred",
            "name",
            "comment",
        ],
        "foreign key",
    );
    let columns = match m.get_node("columns") {
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
    decl.table.foreign_keys.push(ForeignKey {
        name: m
            .get_node("name")
            .and_then(|x| r.opt_string(x, "a constraint name")),
        columns,
        ref_table: QualifiedName::default(),
        ref_columns: target.columns,
        on_delete: action(r, m, "on_delete"),
        on_update: action(r, m, "on_update"),
        match_type: match_type(r, m),
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
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

fn decode_unique(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let pos = node_pos(item);
    let mut u = Unique {
        origin: r.origin(pos),
        ..Unique::default()
    };
    match item {
        Node::Mapping(m) => {
            r.check_keys(
                m,
                &[
                    "columns",
                    "name",
                    "nulls_not_distinct",
                    "deferrable",
                    "initially_deferred",
                    "comment",
                ],
                "unique constraint",
            );
            match m.get_node("columns") {
                Some(c) => u.columns = columns_of(r, c, "unique constraint", decl),
                None => r.error(pos, "unique constraint needs columns"),
            }
            u.name = m
                .get_node("name")
                .and_then(|x| r.opt_string(x, "a constraint name"));
            u.nulls_not_distinct = opt_bool(r, m, "nulls_not_distinct").unwrap_or(false);
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

fn decode_check(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let pos = node_pos(item);
    let mut c = Check {
        origin: r.origin(pos),
        ..Check::default()
    };
    match item {
        Node::Mapping(m) => {
            r.check_keys(m, &["expression", "name", "comment"], "check constraint");
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

fn decode_exclusion(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "an exclusion constraint map (using, elements)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(
        m,
        &[
            "using",
            "method",
            "elements",
            "where",
            "name",
            "deferrable",
            "initially_deferred",
            "comment",
        ],
        "exclusion constraint",
    );
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
        deferrable: opt_bool(r, m, "deferrable").unwrap_or(false),
        initially_deferred: opt_bool(r, m, "initially_deferred").unwrap_or(false),
        definition: String::new(),
        comment: m
            .get_node("comment")
            .and_then(|x| r.opt_string(x, "a string")),
        origin,
    });
}

fn decode_index(r: &mut Reader<'_>, item: &Node, decl: &mut TableDecl) {
    let Some(m) = r.map(item, "an index map (columns: …)") else {
        return;
    };
    let pos = node_pos(item);
    r.check_keys(
        m,
        &[
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
        ],
        "index",
    );
    let mut keys = Vec::new();
    match m.get_node("columns") {
        Some(Node::Sequence(items)) => {
            for it in items.iter() {
                if let Some(k) = index_key(r, it, decl) {
                    keys.push(k);
                }
            }
        }
        Some(Node::Scalar(s)) if !s.as_str().is_empty() => {
            if let Some(k) = index_key(r, m.get_node("columns").unwrap_or(item), decl) {
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
fn storage_params(r: &mut Reader<'_>, n: &Node) -> Vec<String> {
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
    let pos = node_pos(n);
    match n {
        Node::Mapping(m) => {
            r.check_keys(
                m,
                &[
                    "column",
                    "expression",
                    "opclass",
                    "collation",
                    "order",
                    "nulls",
                ],
                "index column",
            );
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
                match r
                    .string(o, "asc or desc")
                    .map(|s| s.to_ascii_lowercase())
                    .as_deref()
                {
                    Some("asc") => {}
                    Some("desc") => key.descending = true,
                    Some(other) => r.error(
                        node_pos(o),
                        format!("expected asc or desc, found \"{other}\""),
                    ),
                    None => {}
                }
            }
            if let Some(o) = m.get_node("nulls") {
                match r
                    .string(o, "first or last")
                    .map(|s| s.to_ascii_lowercase())
                    .as_deref()
                {
                    Some("first") => key.nulls_first = Some(true),
                    Some("last") => key.nulls_first = Some(false),
                    Some(other) => r.error(
                        node_pos(o),
                        format!("expected first or last, found \"{other}\""),
                    ),
                    None => {}
                }
            }
            Some(key)
        }
        _ => {
            let text = r.string(n, "a column, an expression or a map")?;
            let key = parse_index_key(&text);
            if !key.is_expression {
                let origin = r.origin(pos);
                decl.col_refs.push(ColRef {
                    column: key.expr.clone(),
                    context: "index",
                    origin,
                });
            }
            Some(key)
        }
    }
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
