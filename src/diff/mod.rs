//! `diff`: compare two catalog models and list the typed changes that turn
//! `from` into `to`.
//!
//! Both sides are catalog models (the desired state was materialised in a
//! shadow database first), so equality is PostgreSQL's: types, defaults and
//! expressions are its canonical text, constraints and indexes compare by
//! their `pg_get_constraintdef` / `pg_get_indexdef` definitions. A spec model
//! may also be diffed against an empty database: that is how the shadow is
//! built.
//!
//! The result is unordered in the sense that matters: `plan` puts changes
//! into dependency order, and adds what the current catalog says must be
//! rebuilt around them (indexes and constraints that compare values of a
//! recreated enum type).

pub mod aggregates;
mod column_props;
pub mod columns;
pub mod default_privileges;
mod enums;
pub mod functions;
pub mod owners;
mod partitions;
pub mod policies;
pub mod privileges;
pub mod publications;
mod renames;
mod sequences;
mod serial;
pub mod statistics;
mod table_props;
mod tables;
pub mod types;
mod views;

pub use renames::Hints;

pub use sequences::{mentions_sequence, regclass_literal};
pub use tables::mentions_column;
pub use views::{reads as view_reads, replaceable as view_replaceable};

use crate::model::{
    Check, Column, Database, EnumType, Exclusion, Extension, ForeignKey, Function, Index,
    Namespace, ObjRef, PrimaryKey, QualifiedName, Sequence, StandaloneSequence, Table, Trigger,
    Unique, View,
};

pub use columns::ColumnChange;

/// One constraint of any kind, so that drop/add/rename treat them alike.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    PrimaryKey(PrimaryKey),
    ForeignKey(ForeignKey),
    Unique(Unique),
    Check(Check),
    Exclusion(Exclusion),
}

impl Constraint {
    pub fn name(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
            Constraint::Exclusion(c) => c.name.as_deref(),
        }
    }

    /// PostgreSQL's definition text (catalog models), the equality key.
    pub fn definition(&self) -> &str {
        match self {
            Constraint::PrimaryKey(c) => &c.definition,
            Constraint::ForeignKey(c) => &c.definition,
            Constraint::Unique(c) => &c.definition,
            Constraint::Check(c) => &c.definition,
            Constraint::Exclusion(c) => &c.definition,
        }
    }

    /// Added `NOT VALID` (checks and foreign keys only).
    pub fn not_valid(&self) -> bool {
        match self {
            Constraint::ForeignKey(c) => c.not_valid,
            Constraint::Check(c) => c.not_valid,
            _ => false,
        }
    }

    /// `NOT ENFORCED` (checks and foreign keys only, PostgreSQL 18+).
    pub fn not_enforced(&self) -> bool {
        match self {
            Constraint::ForeignKey(c) => c.not_enforced,
            Constraint::Check(c) => c.not_enforced,
            _ => false,
        }
    }

    pub fn comment(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.comment.as_deref(),
            Constraint::ForeignKey(c) => c.comment.as_deref(),
            Constraint::Unique(c) => c.comment.as_deref(),
            Constraint::Check(c) => c.comment.as_deref(),
            Constraint::Exclusion(c) => c.comment.as_deref(),
        }
    }

    pub fn origin(&self) -> &crate::model::Origin {
        match self {
            Constraint::PrimaryKey(c) => &c.origin,
            Constraint::ForeignKey(c) => &c.origin,
            Constraint::Unique(c) => &c.origin,
            Constraint::Check(c) => &c.origin,
            Constraint::Exclusion(c) => &c.origin,
        }
    }

    pub fn is_foreign_key(&self) -> bool {
        matches!(self, Constraint::ForeignKey(_))
    }

    /// Columns of this table the constraint is defined on (for expressions
    /// of checks and exclusions: none known structurally).
    pub fn columns(&self) -> &[String] {
        match self {
            Constraint::PrimaryKey(c) => &c.columns,
            Constraint::ForeignKey(c) => &c.columns,
            Constraint::Unique(c) => &c.columns,
            Constraint::Check(_) | Constraint::Exclusion(_) => &[],
        }
    }

    /// Human kind for messages and comments.
    pub fn kind(&self) -> &'static str {
        match self {
            Constraint::PrimaryKey(_) => "primary key",
            Constraint::ForeignKey(_) => "foreign key",
            Constraint::Unique(_) => "unique constraint",
            Constraint::Check(_) => "check constraint",
            Constraint::Exclusion(_) => "exclusion constraint",
        }
    }
}

/// Every constraint of a table, in a stable order.
pub fn constraints_of(table: &Table) -> Vec<Constraint> {
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        out.push(Constraint::PrimaryKey(pk.clone()));
    }
    out.extend(table.uniques.iter().cloned().map(Constraint::Unique));
    out.extend(table.checks.iter().cloned().map(Constraint::Check));
    out.extend(table.exclusions.iter().cloned().map(Constraint::Exclusion));
    out.extend(
        table
            .foreign_keys
            .iter()
            .cloned()
            .map(Constraint::ForeignKey),
    );
    out
}

/// What a comment is attached to.
#[derive(Clone, Debug, PartialEq)]
pub enum CommentTarget {
    Schema(String),
    Enum(QualifiedName),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    Index(QualifiedName),
    Constraint(QualifiedName, String),
    /// A view; `true` for a materialized view.
    View(QualifiedName, bool),
    Function {
        name: QualifiedName,
        identity: String,
        procedure: bool,
    },
    Aggregate {
        name: QualifiedName,
        identity: String,
    },
    /// (table, trigger name).
    Trigger(QualifiedName, String),
}

/// One typed change. `plan` orders them and `sql` renders them.
// Variants carry whole tables/columns by value on purpose: a plan holds at
// most a few thousand changes, and owning them keeps `plan` simple.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    CreateSchema(Namespace),
    DropSchema(Namespace),
    CreateExtension(Extension),
    DropExtension(Extension),
    /// The extension moved to another schema.
    AlterExtensionSchema(Extension),
    CreateEnum(EnumType),
    DropEnum(EnumType),
    /// `ALTER TYPE … ADD VALUE`; `before` places it in front of an existing
    /// label, `None` appends.
    AddEnumValue {
        name: QualifiedName,
        value: String,
        before: Option<String>,
    },
    /// Values were removed or reordered: PostgreSQL cannot do that in place,
    /// so the type is recreated and every column using it converted.
    RecreateEnum {
        from: EnumType,
        to: EnumType,
        /// Columns (table, column, column as it will be) typed with the enum.
        columns: Vec<(QualifiedName, Column)>,
    },
    /// A standalone sequence, without its `OWNED BY` (a change of its own:
    /// [`Change::SetSequenceOwner`]).
    CreateSequence(StandaloneSequence),
    /// A standalone sequence goes, and its current value with it.
    DropSequence(StandaloneSequence),
    /// Options of a standalone sequence changed.
    AlterSequence {
        name: QualifiedName,
        from: Sequence,
        to: Sequence,
    },
    /// `ALTER SEQUENCE … OWNED BY` a column or `NONE`.
    SetSequenceOwner {
        name: QualifiedName,
        from: Option<(QualifiedName, String)>,
        to: Option<(QualifiedName, String)>,
    },
    /// A new table with its columns and constraints. Foreign keys that
    /// cannot be created inline are split off by `plan`.
    CreateTable(Table),
    DropTable(Table),
    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
    },
    AlterColumn {
        table: QualifiedName,
        from: Column,
        to: Column,
        changes: Vec<ColumnChange>,
    },
    AddConstraint {
        table: QualifiedName,
        constraint: Constraint,
    },
    DropConstraint {
        table: QualifiedName,
        constraint: Constraint,
    },
    RenameConstraint {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// A `NOT VALID` constraint the desired state has validated.
    ValidateConstraint {
        table: QualifiedName,
        name: String,
    },
    /// `ALTER CONSTRAINT … [NOT] ENFORCED` (foreign keys, PostgreSQL 18):
    /// `constraint` is the constraint as it will be. Enforcing checks
    /// every existing row.
    SetEnforced {
        table: QualifiedName,
        constraint: Constraint,
    },
    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        index: Index,
    },
    RenameIndex {
        schema: String,
        from: String,
        to: String,
    },
    /// `renamed_from` hint: the table keeps its rows.
    RenameTable {
        from: QualifiedName,
        to: String,
    },
    /// An owned sequence following its table or column's rename, or a
    /// standalone sequence's `renamed_from` hint.
    RenameSequence {
        from: QualifiedName,
        to: String,
    },
    /// `renamed_from` hint: the column keeps its values.
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    SetComment {
        target: CommentTarget,
        comment: Option<String>,
    },
    /// Domains, composite and range types, collations ([`types`]).
    Type(types::TypeChange),
    /// A new view or materialized view (comments and indexes are changes
    /// of their own); `reads` is what it reads in the desired database.
    CreateView {
        view: View,
        reads: Vec<ObjRef>,
    },
    /// `reads`: what it reads in the current database.
    DropView {
        view: View,
        reads: Vec<ObjRef>,
    },
    /// `CREATE OR REPLACE VIEW` (see [`view_replaceable`]); `reads` is
    /// what `to` reads.
    ReplaceView {
        from: View,
        to: View,
        reads: Vec<ObjRef>,
        /// What `from` reads in the current database.
        old_reads: Vec<ObjRef>,
    },
    /// `ALTER VIEW … SET (…) / RESET (…)`.
    AlterViewOptions {
        from: View,
        to: View,
    },
    /// `REFRESH MATERIALIZED VIEW [WITH NO DATA]`: populated or emptied.
    RefreshMaterializedView {
        name: QualifiedName,
        with_data: bool,
    },
    /// `renamed_from` hint on a view.
    RenameView {
        from: QualifiedName,
        to: String,
        materialized: bool,
    },
    /// A new function or procedure: its definition as it is.
    CreateFunction(Function),
    /// `CREATE OR REPLACE` of an existing function (same kind, result,
    /// argument names; no default removed).
    ReplaceFunction {
        from: Function,
        to: Function,
    },
    /// `DROP FUNCTION`/`PROCEDURE`, never `CASCADE`.
    DropFunction(Function),
    CreateTrigger(Trigger),
    /// `CREATE OR REPLACE TRIGGER` (not for constraint triggers).
    ReplaceTrigger {
        from: Trigger,
        to: Trigger,
    },
    DropTrigger(Trigger),
    /// `ALTER TABLE … ENABLE/DISABLE [REPLICA|ALWAYS] TRIGGER` to the
    /// trigger's `enabled` state.
    SetTriggerEnabled(Trigger),
    /// User-defined aggregates ([`aggregates`]).
    Aggregate(aggregates::AggregateChange),
    /// A partition detached from its parent (`from`) and attached again
    /// with another bound or to another parent, or (`from` = `None`) an
    /// existing plain table attached as a partition ([`partitions`]).
    MovePartition {
        table: QualifiedName,
        from: Option<crate::model::PartitionOf>,
        to: crate::model::PartitionOf,
        /// Attaching (PostgreSQL 18): the table's NOT NULL constraints
        /// renamed (from, to) to the parent's names first, the names a
        /// partition created under the parent would have.
        not_null_renames: Vec<(String, String)>,
    },
    /// `ALTER TABLE …` of one table property ([`table_props`]).
    SetTableProperty {
        table: QualifiedName,
        property: TableProperty,
    },
    /// Row-level security policies ([`policies`]).
    Policy(policies::PolicyChange),
    /// Logical-replication publications ([`publications`]).
    Publication(publications::PublicationChange),
    /// `ALTER TABLE … ALTER COLUMN …` of one column property
    /// ([`column_props`]).
    SetColumnProperty {
        table: QualifiedName,
        column: String,
        property: ColumnProperty,
    },
    /// Extended statistics ([`statistics`]).
    Statistics(statistics::StatisticsChange),
    /// GRANT / REVOKE ([`privileges`]).
    Privilege(privileges::PrivilegeChange),
    /// `ALTER … OWNER TO` ([`owners`], `manage: [owners]`).
    Owner(owners::OwnerChange),
    /// `ALTER DEFAULT PRIVILEGES` ([`default_privileges`]).
    DefaultPrivilege(default_privileges::DefaultPrivilegeChange),
}

pub use column_props::ColumnProperty;
pub use table_props::TableProperty;

/// The changes that turn `from` into `to`, renaming where `hints` (from
/// the YAML's `renamed_from`) say a table or column was renamed.
pub fn diff_with_hints(from: &Database, to: &Database, hints: &Hints) -> Vec<Change> {
    let (renamed, mut out) = renames::apply(from, to, hints);
    out.extend(diff(&renamed, to));
    out
}

/// The changes that turn `from` into `to`.
pub fn diff(from: &Database, to: &Database) -> Vec<Change> {
    let mut out = Vec::new();
    diff_schemas(from, to, &mut out);
    diff_extensions(from, to, &mut out);
    diff_enums(from, to, &mut out);
    types::diff_types(from, to, &mut out);
    sequences::diff_sequences(from, to, &mut out);
    let moved = with_moved_extension_types(from, to);
    tables::diff_tables(moved.as_ref().unwrap_or(from), to, &mut out);
    functions::diff_functions(from, to, &mut out);
    functions::diff_triggers(from, to, &mut out);
    aggregates::diff_aggregates(from, to, &mut out);
    serial::place_serial_sequences(from, to, &mut out);
    sequences::meet_serial(from, to, &mut out);
    views::diff_views(from, to, &mut out);
    policies::diff_policies(from, to, &mut out);
    publications::diff_publications(from, to, &mut out);
    privileges::diff_privileges(from, to, &mut out);
    owners::diff_owners(from, to, &mut out);
    default_privileges::diff_default_privileges(from, to, &mut out);
    out
}

/// `ALTER EXTENSION … SET SCHEMA` moves the extension's types too, so a
/// column typed `public.citext` becomes `ext.citext` without any column
/// change. When extensions move, rewrite such column types in a copy of
/// `from` (only types that are no enum of ours and that the desired column
/// names under the new schema), so no pointless type change is planned.
fn with_moved_extension_types(from: &Database, to: &Database) -> Option<Database> {
    let moves: Vec<(String, String)> = to
        .extensions
        .iter()
        .filter_map(|(n, e)| {
            let old = from.extensions.get(n)?;
            let (a, b) = (
                old.schema.clone().unwrap_or_else(|| "public".into()),
                e.schema.clone().unwrap_or_else(|| "public".into()),
            );
            (a != b).then_some((pg_ident(&a), pg_ident(&b)))
        })
        .collect();
    if moves.is_empty() {
        return None;
    }
    let mut copy = from.clone();
    for (name, t) in copy.tables.iter_mut() {
        let Some(want) = to.tables.get(name) else {
            continue;
        };
        for c in t.columns.iter_mut() {
            let Some(wc) = want.column(&c.name) else {
                continue;
            };
            for (a, b) in &moves {
                let Some(rest) = c.data_type.strip_prefix(&format!("{a}.")) else {
                    continue;
                };
                let ours = from.enums.keys().any(|e| type_refers_to(&c.data_type, e));
                if !ours && wc.data_type == format!("{b}.{rest}") {
                    c.data_type = wc.data_type.clone();
                }
            }
        }
    }
    Some(copy)
}

fn diff_schemas(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (name, ns) in &to.schemas {
        match from.schemas.get(name) {
            None => {
                out.push(Change::CreateSchema(ns.clone()));
                if ns.comment.is_some() {
                    out.push(Change::SetComment {
                        target: CommentTarget::Schema(name.clone()),
                        comment: ns.comment.clone(),
                    });
                }
            }
            Some(old) if old.comment != ns.comment => out.push(Change::SetComment {
                target: CommentTarget::Schema(name.clone()),
                comment: ns.comment.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, ns) in &from.schemas {
        if !to.schemas.contains_key(name) {
            out.push(Change::DropSchema(ns.clone()));
        }
    }
}

fn diff_extensions(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (name, ext) in &to.extensions {
        match from.extensions.get(name) {
            None => out.push(Change::CreateExtension(ext.clone())),
            Some(old) if old.schema != ext.schema => {
                out.push(Change::AlterExtensionSchema(ext.clone()))
            }
            Some(_) => {}
        }
    }
    for (name, ext) in &from.extensions {
        if !to.extensions.contains_key(name) {
            out.push(Change::DropExtension(ext.clone()));
        }
    }
}

fn diff_enums(from: &Database, to: &Database, out: &mut Vec<Change>) {
    for (name, e) in &to.enums {
        let Some(old) = from.enums.get(name) else {
            out.push(Change::CreateEnum(e.clone()));
            if e.comment.is_some() {
                out.push(enum_comment(e));
            }
            continue;
        };
        if old.values != e.values {
            let additions = enum_additions(&old.values, &e.values)
                .filter(|adds| !adds.iter().any(|(v, _)| enums::value_used(to, name, v)));
            match additions {
                Some(adds) => {
                    out.extend(
                        adds.into_iter()
                            .map(|(value, before)| Change::AddEnumValue {
                                name: name.clone(),
                                value,
                                before,
                            }),
                    )
                }
                None => out.push(Change::RecreateEnum {
                    from: old.clone(),
                    to: e.clone(),
                    columns: columns_using_type(to, name),
                }),
            }
        }
        if old.comment != e.comment {
            out.push(enum_comment(e));
        }
    }
    for (name, e) in &from.enums {
        if !to.enums.contains_key(name) {
            out.push(Change::DropEnum(e.clone()));
        }
    }
}

fn enum_comment(e: &EnumType) -> Change {
    Change::SetComment {
        target: CommentTarget::Enum(e.name.clone()),
        comment: e.comment.clone(),
    }
}

/// When `new` is `old` with labels inserted (old order kept), the labels to
/// add, each with the existing label it goes before (`None` = append).
/// Added in order, each `BEFORE` target already exists when it runs.
fn enum_additions(old: &[String], new: &[String]) -> Option<Vec<(String, Option<String>)>> {
    let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
    if kept.len() != old.len() || kept.iter().zip(old).any(|(a, b)| *a != b) {
        return None;
    }
    let mut adds = Vec::new();
    for (i, v) in new.iter().enumerate() {
        if old.contains(v) {
            continue;
        }
        // The next label after `v` that already exists (old, or added earlier
        // in this loop is impossible since we walk forwards: use old only).
        let before = new[i + 1..].iter().find(|n| old.contains(n)).cloned();
        adds.push((v.clone(), before));
    }
    Some(adds)
}

/// Columns of `db` whose type is `ty` or an array of it.
pub fn columns_using_type(db: &Database, ty: &QualifiedName) -> Vec<(QualifiedName, Column)> {
    let mut out = Vec::new();
    for t in db.tables.values() {
        for c in &t.columns {
            if type_refers_to(&c.data_type, ty) {
                out.push((t.name.clone(), c.clone()));
            }
        }
    }
    out
}

/// Whether a `format_type` string names `ty` (possibly as an array).
pub fn type_refers_to(data_type: &str, ty: &QualifiedName) -> bool {
    let base = data_type.trim_end_matches("[]");
    let candidates = [
        format!("{}.{}", pg_ident(&ty.schema), pg_ident(&ty.name)),
        ty.quoted(),
        format!("{}.{}", ty.schema, ty.name),
    ];
    candidates.iter().any(|c| c == base) || (ty.schema == "public" && base == pg_ident(&ty.name))
}

/// An identifier as PostgreSQL's `quote_ident` prints it
/// ([`crate::pg::ident::quote_if_needed`]).
pub fn pg_ident(s: &str) -> String {
    crate::pg::ident::quote_if_needed(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn enum_values_appended_and_inserted() {
        let adds = enum_additions(&v(&["a", "c"]), &v(&["a", "b", "c", "d"])).unwrap();
        assert_eq!(
            adds,
            vec![
                ("b".to_string(), Some("c".to_string())),
                ("d".to_string(), None)
            ]
        );
    }

    #[test]
    fn enum_reorder_or_removal_needs_recreate() {
        assert!(enum_additions(&v(&["a", "b"]), &v(&["b", "a"])).is_none());
        assert!(enum_additions(&v(&["a", "b"]), &v(&["a"])).is_none());
    }

    #[test]
    fn type_reference_forms() {
        let t = QualifiedName::new("public", "job_status");
        assert!(type_refers_to("public.job_status", &t));
        assert!(type_refers_to("public.job_status[]", &t));
        assert!(!type_refers_to("public.job_status2", &t));
        let t = QualifiedName::new("App", "Status");
        assert!(type_refers_to("\"App\".\"Status\"", &t));
    }
}
