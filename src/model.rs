//! The one internal schema model.
//!
//! The same types describe the desired state read from YAML (`spec`), the
//! live state read from `pg_catalog` (`catalog`) and the input of `diff`.
//!
//! Two kinds of model exist at run time and the difference matters:
//! * a **spec model** comes straight from YAML: constraint and index names
//!   may be `None` (PostgreSQL picks them), expressions are the user's text;
//! * a **catalog model** comes from introspection: every name is set and
//!   every type, default and expression is PostgreSQL's own canonical text
//!   (introspection runs with `search_path = pg_catalog`, so user objects are
//!   always schema-qualified).
//!
//! `diff` only ever compares two catalog models (the desired state is first
//! materialised in a shadow database), which is why PostgreSQL, not strata,
//! decides what is equal.

use std::collections::BTreeMap;
use std::fmt;

pub use crate::acl::{Acl, Grantee, PrivState, PrivTarget};

/// A schema-qualified object name. Ordered by (schema, name) so every
/// collection in the model iterates deterministically.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// `"schema"."name"`, always quoted.
    pub fn quoted(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }

    /// The [`Display`](fmt::Display) form without its escaping: for keys
    /// (seed random streams, `import --resume` identities) and for matching
    /// what a user typed, never for output.
    pub fn unescaped(&self) -> String {
        if self.schema == "public" {
            self.name.clone()
        } else {
            format!("{}.{}", self.schema, self.name)
        }
    }

    /// The human form with each part quoted when it would be ambiguous
    /// (`"a.b"`, `"x""y"`) and escaped ([`crate::escape::ident`]): for the
    /// hazard comments of a plan, where a reader must see which object.
    pub fn ident(&self) -> String {
        use crate::escape::ident;
        if self.schema == "public" {
            ident(&self.name).into_owned()
        } else {
            format!("{}.{}", ident(&self.schema), ident(&self.name))
        }
    }
}

impl fmt::Display for QualifiedName {
    /// Human form for messages: `schema.name`, `public` omitted, control
    /// characters escaped ([`crate::escape::line`]) so a hostile name
    /// cannot forge a line of a message or send a terminal escape.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::escape::line(&self.unescaped()))
    }
}

/// Every identifier strata renders is quoted: [`crate::pg::ident::quote`].
pub use crate::pg::ident::quote as quote_ident;

/// Quote a string literal (standard_conforming_strings = on). Backslashes
/// force the `E''` form so the literal is correct whatever the setting.
pub fn quote_literal(s: &str) -> String {
    if s.contains('\\') {
        format!("E'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// A whole database, or the part of it strata manages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Database {
    /// Schemas (namespaces) strata manages. `public` is implicit: it is
    /// never created or dropped by strata.
    pub schemas: BTreeMap<String, Namespace>,
    pub extensions: BTreeMap<String, Extension>,
    pub enums: BTreeMap<QualifiedName, EnumType>,
    /// Sequences that are no column's `serial` or identity sequence.
    pub sequences: BTreeMap<QualifiedName, StandaloneSequence>,
    /// Domains (`CREATE DOMAIN`).
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// Standalone composite types (`CREATE TYPE … AS (…)`), not the row
    /// types of tables.
    pub composites: BTreeMap<QualifiedName, CompositeType>,
    /// Range types (`CREATE TYPE … AS RANGE`), with their multirange.
    pub ranges: BTreeMap<QualifiedName, RangeType>,
    /// User collations (`CREATE COLLATION`).
    pub collations: BTreeMap<QualifiedName, Collation>,
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Views and materialized views.
    pub views: BTreeMap<QualifiedName, View>,
    /// Catalog models: what each managed object reads (`pg_depend`), for
    /// ordering drops and rebuilding dependents ([`Depend`]).
    pub depends: Vec<Depend>,
    /// Functions and procedures, by name and identity arguments: overloads
    /// are different objects.
    pub functions: BTreeMap<FunctionKey, Function>,
    /// User-defined aggregates, keyed like functions (they share
    /// `pg_proc`: a function and an aggregate never have the same key).
    pub aggregates: BTreeMap<FunctionKey, Aggregate>,
    /// Triggers of managed tables, by (table, trigger name).
    pub triggers: BTreeMap<(QualifiedName, String), Trigger>,
    /// Row-level security policies of managed tables, by (table, policy
    /// name).
    pub policies: BTreeMap<(QualifiedName, String), Policy>,
    /// Logical-replication publications, by name ([`Publication`]).
    pub publications: BTreeMap<String, Publication>,
    /// Privileges beyond each object's default ([`crate::acl`]); only
    /// non-empty ACLs are kept.
    pub privileges: BTreeMap<PrivTarget, Acl>,
    /// Object owners, compared only under `manage: [owners]` ([`Owners`]).
    pub owners: Owners,
    /// `ALTER DEFAULT PRIVILEGES` entries (`manage: [privileges]`).
    pub default_privileges: crate::acl::DefaultAcls,
    /// Objects found in the catalog that the model cannot represent yet
    /// (functions, triggers, …). Never diffed; reported as warnings.
    pub unmanaged: Vec<Unmanaged>,
    /// Spec models only: the statements of `schema/*.sql` (objects in plain
    /// SQL, any kind). They are run in the shadow database with the YAML;
    /// what they create is then read back from the catalog like everything
    /// else, so they are never compared as text.
    pub sql: Vec<SqlStatement>,
}

/// Who owns what, by name (`manage: [owners]`). Owners are compared
/// between the YAML and the target's catalog, never through the shadow
/// database, whose objects all belong to the build role (see
/// docs/decisions.md, "Owners"). Keys are the objects' [`PrivTarget`]s
/// (never a column, nor a sequence owned by a column: those follow their
/// table).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Owners {
    /// Whether this model speaks for owners: a live database read under
    /// `manage: [owners]`, or a desired state from YAML under it. A model
    /// that does not (replayed migrations, a shadow) is never compared.
    pub known: bool,
    /// Each object's owner; in a desired state only the objects whose
    /// owner is declared (or given by strata.yaml's `owner:`).
    pub of: BTreeMap<PrivTarget, String>,
    /// Live databases: the role strata is connected as (`current_user`),
    /// who owns what a plan creates.
    pub session: Option<String>,
}

/// One statement of a `schema/*.sql` file and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlStatement {
    pub sql: String,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub name: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extension {
    pub name: String,
    /// Schema the extension's objects live in; `None` = PostgreSQL's choice
    /// (the first schema on the search_path, normally `public`).
    pub schema: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnumType {
    pub name: QualifiedName,
    /// Labels in sort order.
    pub values: Vec<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A domain: a base type with a default, NOT NULL and named CHECKs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Domain {
    pub name: QualifiedName,
    /// Base type as `format_type` prints it (spec models: the user's text).
    pub data_type: String,
    /// Default expression (`pg_get_expr` text in a catalog model).
    pub default: Option<String>,
    pub not_null: bool,
    /// Collation when it differs from the base type's default.
    pub collation: Option<String>,
    /// CHECK constraints on `VALUE`, in name order. Catalog models carry
    /// `pg_get_constraintdef` (without ` NOT VALID`) as `definition`.
    pub checks: Vec<Check>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the previous name in the same schema.
    pub renamed_from: Option<String>,
    pub origin: Origin,
}

/// A standalone composite type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompositeType {
    pub name: QualifiedName,
    /// Attributes in their physical order.
    pub attributes: Vec<Attribute>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// One attribute of a composite type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attribute {
    pub name: String,
    /// `format_type` text (spec models: the user's text).
    pub data_type: String,
    /// Collation when it differs from the type's default.
    pub collation: Option<String>,
}

/// A range type. Optional fields are `None` when PostgreSQL's default
/// applies (a catalog model normalises defaults away).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RangeType {
    pub name: QualifiedName,
    pub subtype: String,
    /// Operator class of the subtype when it is not the default btree one.
    pub subtype_opclass: Option<String>,
    pub collation: Option<String>,
    /// `canonical` function (regproc text).
    pub canonical: Option<String>,
    /// `subtype_diff` function (regproc text).
    pub subtype_diff: Option<String>,
    /// Name of the multirange type when it is not the one PostgreSQL
    /// derives from the range's name.
    pub multirange_name: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A user collation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Collation {
    pub name: QualifiedName,
    /// `libc` (the default), `icu` or `builtin` (PostgreSQL 17+).
    pub provider: String,
    /// The locale (ICU and builtin; libc when `LC_COLLATE` = `LC_CTYPE`).
    pub locale: Option<String>,
    /// libc only, when they differ.
    pub lc_collate: Option<String>,
    pub lc_ctype: Option<String>,
    /// ICU tailoring rules (PostgreSQL 16+).
    pub rules: Option<String>,
    pub deterministic: bool,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A sequence of its own (`CREATE SEQUENCE`), not a column's `serial` or
/// identity sequence: those live in [`Column::serial`] and
/// [`Identity::sequence`]. It may still be `OWNED BY` a column (dropped
/// with it), typically one whose default draws from it without being
/// declared `serial`, or one it is shared with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StandaloneSequence {
    pub name: QualifiedName,
    /// Options; `data_type` `None` means `bigint` (PostgreSQL's default),
    /// `name` is unused.
    pub options: Sequence,
    /// `OWNED BY table.column`: a table of the same schema.
    pub owned_by: Option<(QualifiedName, String)>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the previous name in the same schema.
    pub renamed_from: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub name: QualifiedName,
    /// Columns in their physical order (`attnum`).
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub foreign_keys: Vec<ForeignKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub exclusions: Vec<Exclusion>,
    /// Indexes that do not belong to a constraint (constraint indexes are
    /// implied by their constraint).
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the table's previous name in the same
    /// schema. `diff` renames instead of dropping and creating.
    pub renamed_from: Option<String>,
    /// A partitioned table: its key, `RANGE (payment_date)` (catalog
    /// models: `pg_get_partkeydef`; spec models: the user's text).
    pub partition_by: Option<String>,
    /// A partition: its parent and bound. A partition's columns, and the
    /// constraints and indexes it inherits, are its parent's: its model
    /// holds only what is its own.
    pub partition_of: Option<PartitionOf>,
    /// `UNLOGGED`: not written to the WAL, emptied by a crash, not
    /// replicated.
    pub unlogged: bool,
    /// Storage parameters (`WITH (fillfactor = 70)`), those of the TOAST
    /// table prefixed `toast.`, by name. Booleans are spelled `true` /
    /// `false` whatever the SQL said.
    pub storage: std::collections::BTreeMap<String, String>,
    /// `REPLICA IDENTITY`: what logical decoding logs of an old row.
    pub replica_identity: ReplicaIdentity,
    /// `CLUSTER ON`: the index a bare `CLUSTER` orders the table by.
    pub cluster_on: Option<String>,
    /// `ENABLE ROW LEVEL SECURITY`: policies decide which rows a role
    /// sees (no policy: none, but for the owner).
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`: the owner is subject to the policies
    /// too.
    pub force_row_security: bool,
    /// Extended statistics (`CREATE STATISTICS … FROM` this table) in the
    /// table's schema, in name order.
    pub statistics: Vec<Statistics>,
    pub origin: Origin,
}

/// An extended statistics object (`CREATE STATISTICS`) on one table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statistics {
    /// Its name, in the table's schema.
    pub name: String,
    /// `ndistinct`, `dependencies`, `mcv` in that order; empty = every
    /// kind (PostgreSQL's default, and the only choice for a single
    /// expression).
    pub kinds: Vec<String>,
    /// Columns (catalog models: in `attnum` order, as PostgreSQL keeps
    /// them).
    pub columns: Vec<String>,
    /// Expressions (PostgreSQL 14+), without their parentheses
    /// (catalog models: `pg_get_statisticsobjdef_expressions`).
    pub expressions: Vec<String>,
    /// `ALTER STATISTICS … SET STATISTICS n`; `None` = the columns'
    /// targets decide.
    pub target: Option<i32>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the previous name.
    pub renamed_from: Option<String>,
    pub origin: Origin,
}

/// `ALTER TABLE … REPLICA IDENTITY`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// The primary key's columns (none without one).
    #[default]
    Default,
    /// Every column.
    Full,
    Nothing,
    /// A unique, non-partial index on NOT NULL columns (its name).
    Index(String),
}

/// Where a partition sits in its parent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `FOR VALUES …` or `DEFAULT` (catalog models: `pg_get_expr` of
    /// `relpartbound`, the equality key).
    pub bound: String,
}

impl Database {
    /// Nothing of any kind: as a desired state, "drop everything" (a new
    /// kind belongs in this list, or a schema holding only it is refused).
    pub fn declares_nothing(&self) -> bool {
        self.schemas.is_empty()
            && self.extensions.is_empty()
            && self.enums.is_empty()
            && self.sequences.is_empty()
            && self.domains.is_empty()
            && self.composites.is_empty()
            && self.ranges.is_empty()
            && self.collations.is_empty()
            && self.tables.is_empty()
            && self.views.is_empty()
            && self.functions.is_empty()
            && self.aggregates.is_empty()
            && self.triggers.is_empty()
            && self.sql.is_empty()
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Column {
    pub name: String,
    /// Type as PostgreSQL's `format_type` prints it (`integer`,
    /// `character varying(20)`, `public.job_status[]`); in a spec model the
    /// user's text (`int4`, `varchar(20)`), which the shadow normalises.
    /// For serial columns this is the underlying integer type.
    pub data_type: String,
    pub not_null: bool,
    /// Name of the column's NOT NULL constraint. PostgreSQL 18 keeps NOT
    /// NULL as a named constraint (`{table}_{column}_not_null` unless named
    /// otherwise): a catalog model read from 18 sets it for every NOT NULL
    /// column, older servers never do. In a spec model `Some` is a name the
    /// YAML asks for. `None` on either side of a comparison means "whatever
    /// PostgreSQL picks": names are compared only when both sides have one.
    pub not_null_name: Option<String>,
    /// Default expression (`pg_get_expr` text in a catalog model). Not set
    /// for serial columns (their default is implied by `serial`).
    pub default: Option<String>,
    /// `serial`/`bigserial`/`smallserial`: an owned sequence feeds the
    /// default. The options are those of the owned sequence.
    pub serial: Option<Sequence>,
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (…)` column: `STORED`, or
    /// `VIRTUAL` when `generated_virtual` says so.
    pub generated: Option<String>,
    /// The generated column is `VIRTUAL` (PostgreSQL 18): computed when
    /// read, never stored. Meaningless without `generated`.
    pub generated_virtual: bool,
    /// Collation when it differs from the type's default (qualified, e.g.
    /// `"C"` or `pg_catalog."C"` as PostgreSQL prints it).
    pub collation: Option<String>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the column's previous name.
    pub renamed_from: Option<String>,
    /// Column properties (issue 14): [`ColumnProps`].
    pub props: ColumnProps,
    pub origin: Origin,
}

/// The per-column settings of `ALTER TABLE … ALTER COLUMN` that are not
/// part of its definition. Each `None` / empty is PostgreSQL's default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnProps {
    /// `SET STATISTICS n`: the column's statistics target (0 to 10000);
    /// `None` = `default_statistics_target`.
    pub statistics: Option<i32>,
    /// `SET STORAGE` when it differs from the type's own: `plain`,
    /// `external`, `extended` or `main`.
    pub storage: Option<String>,
    /// Catalog models: the type's own storage, which `storage: None`
    /// means (`SET STORAGE DEFAULT` exists only from PostgreSQL 16). Not a
    /// property: it follows from the type.
    pub type_storage: Option<String>,
    /// `SET COMPRESSION`: `pglz` or `lz4`; `None` =
    /// `default_toast_compression`.
    pub compression: Option<String>,
    /// Attribute options (`n_distinct`, `n_distinct_inherited`) by name,
    /// numbers as [`crate::pg::reloptions::canonical`] spells them.
    pub options: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    Always,
    ByDefault,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub kind: IdentityKind,
    pub sequence: Sequence,
}

/// Options of a sequence. `None` means "PostgreSQL's default for the data
/// type"; a catalog model normalises values equal to the default to `None`
/// so that a spec that omits them compares equal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sequence {
    /// Name of the owned sequence (catalog models; ignored by diff).
    pub name: Option<QualifiedName>,
    /// `smallint` / `integer` / `bigint` (the `AS` clause).
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
}

impl Sequence {
    /// True when only defaults are set (names aside).
    pub fn is_default(&self) -> bool {
        self.data_type.is_none()
            && self.start.is_none()
            && self.increment.is_none()
            && self.min_value.is_none()
            && self.max_value.is_none()
            && self.cache.is_none()
            && !self.cycle
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// `INCLUDE (…)` columns of the backing index (non-key payload).
    pub include: Vec<String>,
    /// `WITHOUT OVERLAPS` on the last key column (PostgreSQL 18+): a
    /// temporal key, backed by a GiST index; that column is a range or
    /// multirange.
    pub without_overlaps: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// Catalog models: `pg_get_constraintdef` text, the equality key.
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(&self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FkMatch {
    #[default]
    Simple,
    Full,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: QualifiedName,
    /// Empty in a spec model means "the referenced table's primary key".
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    /// `ON DELETE SET NULL (col, …)` / `SET DEFAULT (col, …)` (PostgreSQL
    /// 15+): the subset of `columns` the action sets. Empty = all of them
    /// (the classic form).
    pub on_delete_columns: Vec<String>,
    pub on_update: FkAction,
    pub match_type: FkMatch,
    /// `PERIOD` on the last column of both sides (PostgreSQL 18+): a
    /// temporal foreign key, referencing a `WITHOUT OVERLAPS` key.
    pub period: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// Added `NOT VALID`: existing rows were never checked. Always false
    /// when `not_enforced` (PostgreSQL marks those unvalidated too).
    pub not_valid: bool,
    /// `NOT ENFORCED` (PostgreSQL 18+): declared, never checked.
    pub not_enforced: bool,
    /// Catalog models: `pg_get_constraintdef` text (with ` NOT ENFORCED`,
    /// without ` NOT VALID`), the equality key.
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// `INCLUDE (…)` columns of the backing index (non-key payload).
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    /// `WITHOUT OVERLAPS` on the last key column (PostgreSQL 18+), as for
    /// [`PrimaryKey::without_overlaps`].
    pub without_overlaps: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    pub name: Option<String>,
    /// Boolean expression without the `CHECK (…)` wrapper.
    pub expression: String,
    /// Added `NOT VALID`: existing rows were never checked. Always false
    /// when `not_enforced`.
    pub not_valid: bool,
    /// `NOT ENFORCED` (PostgreSQL 18+): declared, never checked.
    pub not_enforced: bool,
    /// Catalog models: `pg_get_constraintdef` text (with ` NOT ENFORCED`,
    /// without ` NOT VALID`), the equality key.
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exclusion {
    pub name: Option<String>,
    /// Index method, `gist` by default.
    pub method: String,
    /// Elements as `expr WITH operator` text, e.g. `room WITH =`.
    pub elements: Vec<String>,
    pub predicate: Option<String>,
    /// Storage parameters of the backing index, `fillfactor=70` style,
    /// sorted.
    pub with: Vec<String>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    pub name: Option<String>,
    pub unique: bool,
    /// `btree`, `hash`, `gin`, `gist`, `brin`, `spgist`, …
    pub method: String,
    pub keys: Vec<IndexKey>,
    /// `INCLUDE (…)` columns.
    pub include: Vec<String>,
    /// Partial index predicate (`WHERE …`).
    pub predicate: Option<String>,
    pub nulls_not_distinct: bool,
    /// Storage parameters, `fillfactor=70` style, sorted.
    pub with: Vec<String>,
    /// Catalog models: `pg_get_indexdef` with the index name and table
    /// removed (everything from `USING`), the equality key.
    pub definition: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndexKey {
    /// A column name, or an expression (then `is_expression`).
    pub expr: String,
    pub is_expression: bool,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    pub descending: bool,
    /// `Some(true)` = NULLS FIRST, `Some(false)` = NULLS LAST, `None` = the
    /// default for the direction (LAST for ASC, FIRST for DESC).
    pub nulls_first: Option<bool>,
}

/// A view (`CREATE VIEW`) or materialized view.
///
/// In a catalog model `definition` is `pg_get_viewdef` read under
/// `search_path = pg_catalog` (the equality key, and what migrations
/// render); in a spec model it is the user's query.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub name: QualifiedName,
    pub materialized: bool,
    pub definition: String,
    /// Output columns in order. Spec models: only those the YAML comments
    /// (no type).
    pub columns: Vec<ViewColumn>,
    pub security_barrier: bool,
    /// `security_invoker` (PostgreSQL 15+).
    pub security_invoker: bool,
    /// `WITH LOCAL|CASCADED CHECK OPTION`: `local` or `cascaded`.
    pub check_option: Option<String>,
    /// Materialized views: populated (`WITH DATA`). Always true for views.
    pub with_data: bool,
    /// Materialized views: their indexes.
    pub indexes: Vec<Index>,
    /// Materialized views: storage parameters (`WITH (fillfactor = 70)`),
    /// as [`Table::storage`].
    pub storage: BTreeMap<String, String>,
    /// Materialized views: the index `CLUSTER` orders it by.
    pub cluster_on: Option<String>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the previous name in the same schema.
    pub renamed_from: Option<String>,
    pub origin: Origin,
}

impl Default for View {
    fn default() -> Self {
        View {
            name: QualifiedName::default(),
            materialized: false,
            definition: String::new(),
            columns: Vec::new(),
            security_barrier: false,
            security_invoker: false,
            check_option: None,
            with_data: true,
            indexes: Vec::new(),
            storage: BTreeMap::new(),
            cluster_on: None,
            comment: None,
            renamed_from: None,
            origin: Origin::default(),
        }
    }
}

impl View {
    /// `VIEW` or `MATERIALIZED VIEW`.
    pub fn kind_sql(&self) -> &'static str {
        if self.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewColumn {
    pub name: String,
    /// `format_type` text, with ` COLLATE …` when the column's collation is
    /// not its type's (catalog models; empty in spec models).
    pub data_type: String,
    pub comment: Option<String>,
}

/// `from` reads `to` (a `pg_depend` row of a view's rewrite rule).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Depend {
    pub from: ObjRef,
    pub to: ObjRef,
}

/// An object a dependency names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjRef {
    Table(QualifiedName),
    Column(QualifiedName, String),
    /// A view or materialized view (a column of one: the whole view).
    View(QualifiedName),
    /// A function by its identity arguments
    /// (`pg_get_function_identity_arguments`).
    Function(QualifiedName, String),
    Type(QualifiedName),
    Sequence(QualifiedName),
}

/// A function's identity: its name and its argument types as
/// `pg_get_function_identity_arguments` prints them (`a integer, b text`;
/// in a spec model the user's argument list, only used as a map key).
pub type FunctionKey = (QualifiedName, String);

/// A function or procedure (not an aggregate or window function), in a
/// trusted language (a non-superuser can create it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Function {
    pub name: QualifiedName,
    /// Identity arguments (the second half of [`FunctionKey`]).
    pub identity: String,
    /// Catalog models: the argument types alone (`oidvectortypes`), what
    /// PostgreSQL tells functions apart by. Two functions that differ
    /// only in argument names are one to PostgreSQL: the old one must go
    /// before the new one comes.
    pub signature: String,
    pub procedure: bool,
    /// The complete `CREATE OR REPLACE FUNCTION` statement: in a catalog
    /// model `pg_get_functiondef`, the equality key (it covers language,
    /// volatility, strictness, security, `SET`, cost, rows, parallel and
    /// the body); in a spec model rendered from the YAML.
    pub definition: String,
    /// `pg_get_function_result` (`integer`, `SETOF text`, `trigger`).
    pub result: String,
    /// Argument list with names, modes and defaults
    /// (`pg_get_function_arguments`).
    pub arguments: String,
    /// Names of the arguments (`proargnames`), and how many have defaults:
    /// what `CREATE OR REPLACE` may not change (or, for defaults, remove).
    pub arg_names: Vec<String>,
    pub defaults: i16,
    /// The attributes `pull` writes back (catalog models).
    pub attrs: FunctionAttrs,
    pub comment: Option<String>,
    /// Catalog models: objects that depend on the function (from
    /// `pg_depend`), re-created around a drop and create of it.
    pub dependents: Vec<FunctionDependent>,
    pub origin: Origin,
}

/// The parts of a function `pull` writes as YAML fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionAttrs {
    pub language: String,
    /// `i`, `s` or `v` (`provolatile`).
    pub volatility: String,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    /// `s`, `r` or `u` (`proparallel`).
    pub parallel: String,
    pub cost: f64,
    pub rows: f64,
    pub returns_set: bool,
    /// `SET` clauses, `name=value` as `proconfig` holds them.
    pub config: Vec<String>,
    /// The body: the text between the dollar quotes, or a SQL-standard
    /// body (`BEGIN ATOMIC … END`, `RETURN …`) as PostgreSQL prints it.
    pub body: String,
}

/// An object depending on a function, found in `pg_depend`.
#[derive(Clone, Debug, PartialEq)]
pub enum FunctionDependent {
    Constraint(QualifiedName, String),
    Index(QualifiedName, String),
    /// A column default or generation expression.
    Column(QualifiedName, String),
    Trigger(QualifiedName, String),
    /// Anything strata cannot re-create (a view, another function's
    /// SQL-standard body, a policy, …): `pg_describe_object` text.
    Other(String),
}

/// A user-defined aggregate (`CREATE AGGREGATE`). Catalog models hold
/// PostgreSQL's own text for every attribute (`regproc`, `format_type`,
/// `regoperator` output under `search_path = pg_catalog`: quoted and
/// qualified where needed), spec models the user's SQL text; both render
/// through [`crate::render::aggregates::definition`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregate {
    pub name: QualifiedName,
    /// Identity arguments (`pg_get_function_identity_arguments`, with
    /// `ORDER BY` for ordered-set aggregates; empty for `agg(*)`).
    pub identity: String,
    /// Catalog models: the argument types alone (`oidvectortypes`), what
    /// `pg_proc` tells routines apart by.
    pub signature: String,
    /// The argument list as `CREATE AGGREGATE` takes it
    /// (`pg_get_function_arguments`).
    pub arguments: String,
    /// Catalog models: `pg_get_function_result`, which `CREATE OR REPLACE`
    /// may not change.
    pub result: String,
    /// `n` (normal), `o` (ordered-set), `h` (hypothetical-set).
    pub kind: char,
    pub attrs: AggregateAttrs,
    pub comment: Option<String>,
    /// Catalog models: the functions it is built on (`pg_depend`), by
    /// identity: a drop of one of them takes the aggregate along.
    pub uses: Vec<(QualifiedName, String)>,
    /// Catalog models: objects other than views depending on it that
    /// strata cannot re-create (`pg_describe_object` text).
    pub blockers: Vec<String>,
    pub origin: Origin,
}

/// The clauses of `CREATE AGGREGATE (…)`, as SQL text; `None` and `false`
/// are PostgreSQL's defaults. Modify flags hold the keyword
/// (`READ_ONLY`, `SHAREABLE`, `READ_WRITE`) only when not the default
/// for the aggregate's kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AggregateAttrs {
    pub sfunc: String,
    pub stype: String,
    pub sspace: i32,
    pub finalfunc: Option<String>,
    pub finalfunc_extra: bool,
    pub finalfunc_modify: Option<String>,
    pub combinefunc: Option<String>,
    pub serialfunc: Option<String>,
    pub deserialfunc: Option<String>,
    /// The initial state's text (`agginitval`), unquoted.
    pub initcond: Option<String>,
    pub msfunc: Option<String>,
    pub minvfunc: Option<String>,
    pub mstype: Option<String>,
    pub msspace: i32,
    pub mfinalfunc: Option<String>,
    pub mfinalfunc_extra: bool,
    pub mfinalfunc_modify: Option<String>,
    pub minitcond: Option<String>,
    /// The sort operator's name (`>`, `myschema.>`).
    pub sortop: Option<String>,
    /// `s`, `r` or `u` (`proparallel`).
    pub parallel: String,
}

/// A trigger on a managed table (not an internal one, such as a foreign
/// key's).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trigger {
    pub table: QualifiedName,
    pub name: String,
    /// Catalog models: `pg_get_triggerdef`, the equality key; spec models:
    /// the `CREATE TRIGGER` statement rendered from the YAML.
    pub definition: String,
    pub constraint: bool,
    /// `tgenabled`: `O` (origin, the default), `D` (disabled), `R`
    /// (replica), `A` (always).
    pub enabled: char,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl Database {
    /// The roles the model's policies, grants and owners name (not PUBLIC),
    /// sorted: roles are cluster-wide, and a database built from the model
    /// needs them.
    pub fn roles(&self) -> Vec<String> {
        let grantees = self.privileges.values().flat_map(|acl| {
            acl.keys().filter_map(|(g, _)| match g {
                Grantee::Role(r) => Some(r),
                _ => None,
            })
        });
        let mut roles: Vec<String> = self
            .policies
            .values()
            .flat_map(|p| p.roles.iter())
            .filter(|r| *r != "public")
            .chain(grantees)
            .chain(self.owners.of.values())
            .chain(self.default_privileges.of.keys().map(|k| &k.role))
            .chain(self.default_privileges.of.values().flat_map(|acl| {
                acl.keys().filter_map(|(g, _)| match g {
                    Grantee::Role(r) => Some(r),
                    _ => None,
                })
            }))
            .cloned()
            .collect();
        roles.sort();
        roles.dedup();
        roles
    }
}

/// A row-level security policy (`CREATE POLICY`).
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub table: QualifiedName,
    pub name: String,
    /// `AS PERMISSIVE` (the default; policies are OR-ed) or `RESTRICTIVE`
    /// (AND-ed with the permissive ones).
    pub permissive: bool,
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`, lower case.
    pub command: String,
    /// Role names, sorted; `public` for PUBLIC (the default).
    pub roles: Vec<String>,
    /// `USING (…)`: which existing rows are visible (`pg_get_expr` text in
    /// a catalog model).
    pub using: Option<String>,
    /// `WITH CHECK (…)`: which new rows may be written.
    pub with_check: Option<String>,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the policy's previous name.
    pub renamed_from: Option<String>,
    /// Catalog models: what the expressions read (`pg_depend`), so that a
    /// policy is dropped before a column it reads is dropped or retyped,
    /// and created again after. Not compared.
    pub reads: Vec<ObjRef>,
    pub origin: Origin,
}

impl PartialEq for Policy {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.table,
            &self.name,
            self.permissive,
            &self.command,
            &self.roles,
            &self.using,
            &self.with_check,
            &self.comment,
        ) == (
            &o.table,
            &o.name,
            o.permissive,
            &o.command,
            &o.roles,
            &o.using,
            &o.with_check,
            &o.comment,
        )
    }
}

/// A logical-replication publication (`CREATE PUBLICATION`). Database-wide;
/// modelled only when every table it names is a managed table and every
/// schema it names a managed schema (otherwise it stays reported).
#[derive(Clone, Debug, Default)]
pub struct Publication {
    pub name: String,
    /// `FOR ALL TABLES`.
    pub all_tables: bool,
    /// `FOR TABLE …`: each table with its column list and row filter.
    pub tables: BTreeMap<QualifiedName, PublishedTable>,
    /// `FOR TABLES IN SCHEMA …` (PostgreSQL 15+), sorted.
    pub schemas: Vec<String>,
    /// What is published, in the order insert, update, delete, truncate
    /// (all four by default).
    pub publish: Vec<String>,
    /// `publish_via_partition_root`.
    pub via_partition_root: bool,
    pub comment: Option<String>,
    /// Rename hint (spec models only): the previous name.
    pub renamed_from: Option<String>,
    pub origin: Origin,
}

/// One table of a publication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublishedTable {
    /// The column list (PostgreSQL 15+); `None` publishes every column.
    /// In a catalog model in column order.
    pub columns: Option<Vec<String>>,
    /// The row filter `WHERE (…)` (PostgreSQL 15+; `pg_get_expr` text in
    /// a catalog model).
    pub row_filter: Option<String>,
}

/// The operations a publication publishes by default.
pub const PUBLISH_ALL: [&str; 4] = ["insert", "update", "delete", "truncate"];

impl PartialEq for Publication {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.name,
            self.all_tables,
            &self.tables,
            &self.schemas,
            &self.publish,
            self.via_partition_root,
            &self.comment,
        ) == (
            &o.name,
            o.all_tables,
            &o.tables,
            &o.schemas,
            &o.publish,
            o.via_partition_root,
            &o.comment,
        )
    }
}

/// A catalog object the model does not manage yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmanaged {
    /// Kind in plural human form: `views`, `functions`, `triggers`, …
    pub kind: String,
    /// Qualified display name, e.g. `public.active_users`.
    pub name: String,
}

/// Where an object was declared: `file:line:col` for spec models, empty for
/// catalog models. Ignored by equality so spec and catalog objects compare
/// on content alone.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub file: Option<std::path::PathBuf>,
    pub line: usize,
    pub column: usize,
}

impl PartialEq for Origin {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            // A file name may hold a newline: kept on its line.
            Some(p) => write!(
                f,
                "{}:{}:{}",
                crate::escape::line(&p.display().to_string()),
                self.line,
                self.column
            ),
            None => write!(f, "<catalog>"),
        }
    }
}
