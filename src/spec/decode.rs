//! One schema file: YAML nodes → declarations. Names that point elsewhere
//! (tables, columns, mixins) are recorded with their position and checked
//! by `resolve` once every file is read.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use crate::model::{
    Check, Column, EnumType, Extension, ForeignKey, Namespace, Origin, PrimaryKey, QualifiedName,
    Table, Unique,
};

use super::column::{self, ColumnDecl};
use super::column_map::column_map;
use super::constraints::{
    decode_check, decode_exclusion, decode_fk, decode_table_pk, decode_unique, ref_table_pos,
};
use super::indexes::decode_index;
use super::yaml::{entries, is_null, node_pos, scalar_pos, Pos, Reader};
use crate::pg::ident::split_dotted;

#[derive(Debug, Default)]
pub struct FileDecls {
    pub schemas: Vec<Namespace>,
    pub extensions: Vec<Extension>,
    pub enums: Vec<EnumType>,
    pub sequences: Vec<crate::model::StandaloneSequence>,
    pub domains: Vec<crate::model::Domain>,
    pub composites: Vec<crate::model::CompositeType>,
    pub ranges: Vec<crate::model::RangeType>,
    pub collations: Vec<crate::model::Collation>,
    pub views: Vec<crate::model::View>,
    pub functions: Vec<crate::model::Function>,
    pub aggregates: Vec<crate::model::Aggregate>,
    pub mixins: Vec<MixinDecl>,
    pub tables: Vec<TableDecl>,
    pub publications: Vec<super::publications::PublicationDecl>,
    /// The `grants:` section ([`super::grants`]).
    pub grants: Vec<super::grants::GrantDecl>,
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
    /// Triggers, rendered once the table's name is known (mixins).
    pub triggers: Vec<super::triggers::TriggerDecl>,
    /// Row-level security policies, given their table once it is known.
    pub policies: Vec<crate::model::Policy>,
    /// A partition's unresolved parent ([`super::partitions`]).
    pub partition_ref: Option<FkRef>,
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

pub(crate) const TABLE_KEYS: &[&str] = &[
    "schema",
    "comment",
    "renamed_from",
    "mixins",
    "columns",
    "primary_key",
    "foreign_keys",
    "unique",
    "checks",
    "exclusions",
    "indexes",
    "triggers",
    "policies",
    "grants",
    "partition_by",
    "partition_of",
    "bound",
];
pub(crate) const MIXIN_KEYS: &[&str] = &[
    "comment",
    "position",
    "columns",
    "primary_key",
    "foreign_keys",
    "unique",
    "checks",
    "exclusions",
    "indexes",
    "triggers",
    "policies",
];
pub(crate) const FILE_KEYS: &[&str] = &[
    "schemas",
    "extensions",
    "enums",
    "sequences",
    "domains",
    "types",
    "collations",
    "functions",
    "aggregates",
    "mixins",
    "tables",
    "views",
    "publications",
    "grants",
];

pub(crate) const SCHEMA_ENTRY_KEYS: &[&str] = &["comment", "grants"];

pub(crate) const EXTENSION_KEYS: &[&str] = &["schema"];

pub(crate) const ENUM_KEYS: &[&str] = &["values", "comment", "schema"];

/// Decode a whole file.
pub fn decode_file(r: &mut Reader<'_>, root: &Node) -> FileDecls {
    let mut out = FileDecls::default();
    let Some(map) = r.map(root, "a map") else {
        return out;
    };
    r.check_keys(map, FILE_KEYS, "the top level");
    // An empty section (`tables:` with nothing under it) is just empty.
    for (key, _, value) in entries(map).filter(|(_, _, v)| !is_null(v)) {
        match key {
            "schemas" => decode_schemas(r, value, &mut out),
            "extensions" => decode_extensions(r, value, &mut out),
            "enums" => decode_enums(r, value, &mut out),
            "sequences" => super::sequences::decode_sequences(r, value, &mut out),
            "domains" => super::types::decode_domains(r, value, &mut out),
            "types" => super::types::decode_types(r, value, &mut out),
            "collations" => super::types::decode_collations(r, value, &mut out),
            "functions" => super::functions::decode_functions(r, value, &mut out),
            "aggregates" => super::aggregates::decode_aggregates(r, value, &mut out),
            "mixins" => decode_mixins(r, value, &mut out),
            "tables" => decode_tables(r, value, &mut out),
            "views" => super::views::decode_views(r, value, &mut out),
            "publications" => super::publications::decode_publications(r, value, &mut out),
            "grants" => super::grants::decode_section(r, value, &mut out.grants),
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
            r.check_keys(m, SCHEMA_ENTRY_KEYS, &format!("schema \"{name}\""));
            if let Some(c) = m.get_node("comment") {
                ns.comment = r.opt_string(c, "a string");
            }
            let target = crate::acl::PrivTarget::Schema(name.clone());
            super::grants::decode_on(r, m, target, &mut out.grants);
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
            r.check_keys(m, EXTENSION_KEYS, &format!("extension \"{name}\""));
            if let Some(s) = m.get_node("schema") {
                ext.schema = r.opt_string(s, "a schema name");
            }
        }
        out.extensions.push(ext);
    }
}

/// `name` or `schema.name`, with a default schema.
pub(super) fn qualified(
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
                r.check_keys(m, ENUM_KEYS, &ctx);
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
                } else if s.as_str().len() > crate::pg::ident::MAX_IDENT {
                    // PostgreSQL refuses such a label (NAMEDATALEN): say
                    // so here, at the label, not in a shadow database.
                    r.error(
                        scalar_pos(s),
                        format!(
                            "value \"{}…\" of {ctx} is {} bytes: PostgreSQL allows at most {}",
                            crate::pg::ident::clip(s.as_str(), crate::pg::ident::MAX_IDENT),
                            s.as_str().len(),
                            crate::pg::ident::MAX_IDENT
                        ),
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
        let first = m
            .get_node("position")
            .and_then(|p| r.one_of(p, &[("first", true), ("last", false)]))
            .unwrap_or(false);
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
        let keys: Vec<&str> = TABLE_KEYS
            .iter()
            .chain(super::table_props::KEYS)
            .chain(super::statistics::KEYS)
            .copied()
            .collect();
        r.check_keys(m, &keys, &ctx);
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
        decl.table.renamed_from = m
            .get_node("renamed_from")
            .and_then(|c| r.opt_string(c, "the table's previous name"));
        if let Some(mx) = m.get_node("mixins").filter(|n| !is_null(n)) {
            for (name, p) in r
                .string_list(mx, "a list of mixin names")
                .unwrap_or_default()
            {
                let o = r.origin(p);
                decl.mixins.push((name, o));
            }
        }
        super::partitions::decode(r, m, &ctx, &mut decl);
        super::table_props::decode(r, m, &mut decl);
        super::statistics::decode(r, m, &ctx, &mut decl);
        if m.get_node("columns").filter(|n| !is_null(n)).is_none()
            && decl.mixins.is_empty()
            && !super::partitions::is_partition(m)
        {
            r.error(pos, format!("{ctx} has no columns"));
        }
        decode_table_body(r, m, &ctx, &mut decl);
        let target = crate::acl::PrivTarget::Table(decl.table.name.clone());
        super::grants::decode_on(r, m, target, &mut out.grants);
        out.tables.push(decl);
    }
}

/// Columns, constraints and indexes (shared by tables and mixins).
fn decode_table_body(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, decl: &mut TableDecl) {
    if let Some(node) = m.get_node("columns").filter(|n| !is_null(n)) {
        let in_flow = r.is_flow(node);
        if let Some(cols) = r.map(node, "a map of column names to types") {
            for (name, pos, body) in entries(cols) {
                decode_column(r, name, pos, body, in_flow, decl);
            }
        }
    }
    if let Some(pk) = m.get_node("primary_key").filter(|n| !is_null(n)) {
        decode_table_pk(r, pk, ctx, decl);
    }
    if let Some(n) = m.get_node("foreign_keys").filter(|n| !is_null(n)) {
        for item in r.seq(n, "a list of foreign keys").unwrap_or_default() {
            decode_fk(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("unique").filter(|n| !is_null(n)) {
        for item in r.seq(n, "a list of unique constraints").unwrap_or_default() {
            decode_unique(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("checks").filter(|n| !is_null(n)) {
        for item in r.seq(n, "a list of check expressions").unwrap_or_default() {
            decode_check(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("exclusions").filter(|n| !is_null(n)) {
        for item in r
            .seq(n, "a list of exclusion constraints")
            .unwrap_or_default()
        {
            decode_exclusion(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("indexes").filter(|n| !is_null(n)) {
        for item in r.seq(n, "a list of indexes").unwrap_or_default() {
            decode_index(r, item, decl);
        }
    }
    if let Some(n) = m.get_node("triggers").filter(|n| !is_null(n)) {
        super::triggers::decode_triggers(r, n, decl);
    }
    if let Some(n) = m.get_node("policies").filter(|n| !is_null(n)) {
        super::policies::decode_policies(r, n, decl);
    }
}

/// `in_flow`: the column map is `{…}`, where YAML splits `numeric(10,2)`
/// at the comma — worth a hint when the shorthand then looks broken.
fn decode_column(
    r: &mut Reader<'_>,
    name: &str,
    pos: Pos,
    body: &Node,
    in_flow: bool,
    decl: &mut TableDecl,
) {
    let ctx = format!("column \"{name}\"");
    let (parsed, ref_pos) = match body {
        Node::Scalar(s) if !is_null(body) => match column::parse_shorthand(s.as_str()) {
            Ok(d) => {
                let at = d.references.as_ref().map(|x| r.pos_in(s, x.offset));
                check_column_delete_columns(r, name, &d, at.unwrap_or(pos));
                (d, at)
            }
            Err(e) => {
                let at = r.pos_in(s, e.offset);
                let hint = if in_flow && e.message == "unbalanced parenthesis" {
                    " (inside {…} YAML splits at commas: quote the value, e.g. \"numeric(10,2)\")"
                } else {
                    ""
                };
                r.error(at, format!("in {ctx}: {}{hint}", e.message));
                placeholder_column(r, name, pos, decl);
                return;
            }
        },
        Node::Mapping(m) => match column_map(r, m, &ctx) {
            Some(d) => {
                let at = m.get_node("references").map(ref_table_pos);
                let del = m.get_node("on_delete").map(node_pos);
                check_column_delete_columns(r, name, &d, del.or(at).unwrap_or(pos));
                (d, at)
            }
            None => {
                placeholder_column(r, name, pos, decl);
                return;
            }
        },
        _ if is_null(body) => {
            r.error(pos, format!("{ctx} has no type"));
            placeholder_column(r, name, pos, decl);
            return;
        }
        _ => {
            r.map(body, &format!("a type string or a column map for {ctx}"));
            placeholder_column(r, name, pos, decl);
            return;
        }
    };
    let origin = r.origin(pos);
    add_column(decl, name, parsed, origin, ref_pos.map(|p| r.origin(p)), r);
}

/// A column's own foreign key can only set that column
/// (`on delete set null (name)`).
fn check_column_delete_columns(r: &mut Reader<'_>, name: &str, d: &ColumnDecl, at: Pos) {
    let listed = d
        .references
        .as_ref()
        .map(|x| x.on_delete_columns.as_slice());
    let err = listed.and_then(|l| column::foreign_delete_column_error(&[name.to_string()], l));
    if let Some(e) = err {
        r.error(at, format!("column \"{name}\": {e}"));
    }
}

/// A column that failed to decode still exists: references to it must not
/// produce a second, misleading "does not exist" error.
fn placeholder_column(r: &Reader<'_>, name: &str, pos: Pos, decl: &mut TableDecl) {
    decl.table.columns.push(Column {
        name: name.to_string(),
        origin: r.origin(pos),
        ..Column::default()
    });
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
            on_delete_columns: fk.on_delete_columns,
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
