//! The edges of the plan graph, from what each change does to named
//! things ([`Key`]s):
//!
//! - it **provides** a key (creates or reshapes it) — every change that
//!   **needs** the key runs after it;
//! - it **disturbs** a key (drops or reshapes it) — every change that
//!   **releases** the key (drops something that depended on it) runs
//!   before it.
//!
//! So "drop the partial index, convert the enum column, re-create the
//! index" is: the index drop releases the type, the conversion disturbs
//! and provides it, the index creation needs it — two edges, no phase.
//! A name that is freed and taken again (`Free`) is the same rule: the
//! drop provides the free name, the create needs it.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diff::{
    constraints_of, mentions_column, mentions_sequence, pg_ident, type_refers_to, Change,
    ColumnChange, CommentTarget, Constraint,
};
use crate::model::{Column, Database, Index, QualifiedName};
use crate::render::has_index;

/// A name in the schema's shared namespace of relations and types
/// (tables, indexes, sequences, a table's row type, enum types).
type Rel = (String, String);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Schema(String),
    /// Every extension: its types, functions and operator classes may be
    /// used anywhere.
    Extensions,
    /// Every type this plan creates.
    NewTypes,
    /// Every table this plan creates (their serial sequences).
    NewTables,
    /// Every standalone sequence this plan creates or renames: a default
    /// of a spec model (`nextval('s')`, the user's spelling) may draw
    /// from any of them.
    NewSequences,
    /// A type (enum, domain, composite, range) in its new form.
    Type(QualifiedName),
    /// A user collation.
    Collation(QualifiedName),
    /// A standalone sequence under its new name.
    Sequence(QualifiedName),
    /// A table under its new name.
    Table(QualifiedName),
    /// A table a hinted rename gave this name: drops on it run after.
    Renamed(QualifiedName),
    Column(QualifiedName, String),
    /// The primary key, unique constraints and unique indexes of a table:
    /// what foreign keys reference.
    Keys(QualifiedName),
    Index(Rel),
    Constraint(QualifiedName, String),
    /// A name nothing holds any more.
    FreeRel(Rel),
    FreeColumn(QualifiedName, String),
    FreeConstraint(QualifiedName, String),
    /// The table has no primary key.
    FreePrimaryKey(QualifiedName),
    /// A view or materialized view in its new form.
    View(QualifiedName),
    /// A function, procedure or aggregate (name, identity arguments) in
    /// its new form.
    Function(QualifiedName, String),
    /// (name, argument types): no function holds the signature.
    FreeFunction(QualifiedName, String),
    /// A trigger (table, name).
    Trigger(QualifiedName, String),
    /// The partition bounds of a partitioned table, once the partitions
    /// this plan drops are gone: new and moved partitions wait for it
    /// (their bound may overlap a dropped one's).
    Bounds(QualifiedName),
    /// The tables this plan attaches as partitions of this table are
    /// attached: a new CHECK or NOT NULL on it would otherwise be missing
    /// on them, which ATTACH refuses.
    Attached(QualifiedName),
    FreeTrigger(QualifiedName, String),
    /// Every `SET NOT NULL` of the table's columns is done.
    NotNullSet(QualifiedName),
    /// The table's replica identity is in its new form (so a column of
    /// the old identity index may drop NOT NULL).
    ReplicaReleased(QualifiedName),
    /// A row-level security policy (table, name).
    Policy(QualifiedName, String),
    FreePolicy(QualifiedName, String),
    /// A publication (by name) exists under its new name.
    Publication(String),
    /// No publication holds the name.
    FreePublication(String),
    /// An extended statistics object (schema, name) exists.
    Statistics(QualifiedName),
    /// No extended statistics object holds the name.
    FreeStatistics(QualifiedName),
}

/// What one change does to keys.
#[derive(Debug, Default)]
pub struct Deps {
    pub provides: Vec<Key>,
    pub needs: Vec<Key>,
    pub releases: Vec<Key>,
    pub disturbs: Vec<Key>,
}

/// Facts about the change set the rules need.
pub struct Facts<'a> {
    from: &'a Database,
    /// Types (enums, domains, composite and range types) the plan creates,
    /// changes or drops: the only types whose mentions can order anything.
    enums: Vec<QualifiedName>,
    /// Collations the plan creates, re-creates or drops.
    collations: Vec<QualifiedName>,
    /// Standalone sequences the plan creates, renames (new name) or drops:
    /// the only sequences whose mentions can order anything.
    sequences: Vec<QualifiedName>,
    /// Columns some change adds, alters, drops or renames, per table: the
    /// only columns whose mentions can order anything.
    touched: HashMap<QualifiedName, BTreeSet<String>>,
    /// Foreign keys dropped by a change of their own (table, name): a
    /// table drop then no longer holds what they reference.
    dropped_fks: BTreeSet<(QualifiedName, String)>,
    /// Columns dropped and not added back.
    gone: HashSet<Key>,
    /// Functions the plan creates, replaces or drops: the only functions
    /// whose mentions can order anything.
    functions: Vec<(QualifiedName, String)>,
    /// Tables the plan creates: a SQL function's body may read them.
    new_tables: Vec<QualifiedName>,
    /// Views the plan creates: so may a SQL function's body (`pg_depend`
    /// records nothing for bodies, so their text is all there is).
    new_views: Vec<QualifiedName>,
}

impl<'a> Facts<'a> {
    pub fn new(changes: &[Change], from: &'a Database) -> Self {
        let mut enums = BTreeSet::new();
        let mut collations = BTreeSet::new();
        let mut sequences = BTreeSet::new();
        let mut dropped_fks = BTreeSet::new();
        let mut touched: HashMap<QualifiedName, BTreeSet<String>> = HashMap::new();
        let (mut dropped, mut added) = (HashSet::new(), HashSet::new());
        let mut functions = BTreeSet::new();
        let mut new_tables = Vec::new();
        let mut new_views = Vec::new();
        let mut touch = |t: &QualifiedName, c: &str| {
            touched.entry(t.clone()).or_default().insert(c.to_string());
        };
        for ch in changes {
            match ch {
                Change::CreateFunction(fun)
                | Change::DropFunction(fun)
                | Change::ReplaceFunction { to: fun, .. } => {
                    functions.insert((fun.name.clone(), fun.identity.clone()));
                }
                Change::CreateTable(t) => new_tables.push(t.name.clone()),
                Change::CreateView { view, .. } => new_views.push(view.name.clone()),
                Change::CreateEnum(e) | Change::DropEnum(e) => {
                    enums.insert(e.name.clone());
                }
                Change::RecreateEnum { to, columns, .. } => {
                    enums.insert(to.name.clone());
                    for (t, c) in columns {
                        touch(t, &c.name);
                    }
                }
                Change::AddEnumValue { name, .. } => {
                    enums.insert(name.clone());
                }
                Change::Type(t) => {
                    let (ty, coll, cols) = super::type_deps::named(t);
                    enums.extend(ty);
                    collations.extend(coll);
                    for (t, c) in cols {
                        touch(t, c);
                    }
                }
                Change::DropTable(t) => sequences.extend(owned_by(from, &t.name, None)),
                Change::CreateSequence(s) | Change::DropSequence(s) => {
                    sequences.insert(s.name.clone());
                }
                Change::RenameSequence { from, to } => {
                    sequences.insert(QualifiedName::new(&from.schema, to));
                }
                Change::AddColumn { table, column } => {
                    touch(table, &column.name);
                    added.insert(Key::Column(table.clone(), column.name.clone()));
                }
                Change::DropColumn { table, column } => {
                    sequences.extend(owned_by(from, table, Some(&column.name)));
                    touch(table, &column.name);
                    dropped.insert(Key::Column(table.clone(), column.name.clone()));
                }
                Change::AlterColumn {
                    table, to, changes, ..
                } => {
                    touch(table, &to.name);
                    sequences.extend(changes.iter().filter_map(|c| match c {
                        ColumnChange::CreateSequence(s) | ColumnChange::DropSequence(s) => {
                            Some(s.name.clone())
                        }
                        _ => None,
                    }));
                }
                Change::RenameColumn { table, from, to } => {
                    touch(table, from);
                    touch(table, to);
                }
                Change::DropConstraint {
                    table,
                    constraint: Constraint::ForeignKey(fk),
                } => {
                    let name = fk.name.clone().unwrap_or_default();
                    dropped_fks.insert((table.clone(), name));
                }
                _ => {}
            }
        }
        Facts {
            from,
            enums: enums.into_iter().collect(),
            collations: collations.into_iter().collect(),
            sequences: sequences.into_iter().collect(),
            touched,
            dropped_fks,
            gone: dropped.difference(&added).cloned().collect(),
            functions: functions.into_iter().collect(),
            new_tables,
            new_views,
        }
    }

    /// Collations of the plan that a collation name mentions.
    pub(super) fn collations_in(&self, texts: &[&str]) -> Vec<Key> {
        self.collations
            .iter()
            .filter(|c| {
                texts
                    .iter()
                    .any(|t| crate::diff::types::collation_refers_to(t, c))
            })
            .map(|c| Key::Collation(c.clone()))
            .collect()
    }

    /// Types of the plan that a type name or an expression mentions.
    pub(super) fn types_in(&self, texts: &[&str]) -> Vec<Key> {
        self.enums
            .iter()
            .filter(|e| {
                texts
                    .iter()
                    .any(|t| type_refers_to(t, e) || mentions_type(t, e))
            })
            .map(|e| Key::Type(e.clone()))
            .collect()
    }

    /// Standalone sequences of the plan that expressions name.
    fn sequences_in(&self, texts: &[&str]) -> Vec<Key> {
        self.sequences
            .iter()
            .filter(|s| texts.iter().any(|t| mentions_sequence(t, s)))
            .map(|s| Key::Sequence(s.clone()))
            .collect()
    }

    /// Tables the plan creates whose names `texts` mention (a domain or
    /// composite type over a table's row type).
    pub fn new_tables_in(&self, texts: &[&str]) -> Vec<Key> {
        self.new_tables
            .iter()
            .filter(|t| texts.iter().any(|x| mentions_qualified(x, t)))
            .map(|t| Key::Table(t.clone()))
            .collect()
    }

    /// Current tables whose names `texts` mention: a type over a table's
    /// row type is dropped before the table.
    pub fn tables_in(&self, texts: &[&str]) -> Vec<Key> {
        self.from
            .tables
            .keys()
            .filter(|t| texts.iter().any(|x| mentions_qualified(x, t)))
            .map(|t| Key::Table(t.clone()))
            .collect()
    }

    /// Functions of the plan that expressions call.
    pub(super) fn functions_in(&self, texts: &[&str]) -> Vec<Key> {
        self.functions
            .iter()
            .filter(|(n, _)| texts.iter().any(|t| mentions_function(t, n)))
            .map(|(n, i)| Key::Function(n.clone(), i.clone()))
            .collect()
    }

    /// Functions of the plan named `name` (`[schema,] name` as SQL text
    /// parts): what a spec model's aggregate is built on.
    pub(super) fn functions_named(&self, parts: &[String]) -> Vec<Key> {
        let (schema, name) = match parts {
            [n] => (None, n),
            [s, n] => (Some(s), n),
            _ => return Vec::new(),
        };
        self.functions
            .iter()
            .filter(|(q, _)| q.name == *name && schema.is_none_or(|s| q.schema == *s))
            .map(|(q, i)| Key::Function(q.clone(), i.clone()))
            .collect()
    }

    /// What a column's default and generation expression use, and the
    /// types it names.
    fn used_by(&self, c: &Column) -> Vec<Key> {
        let mut texts = vec![c.data_type.as_str()];
        texts.extend(c.default.as_deref());
        texts.extend(c.generated.as_deref());
        let mut out = self.types_in(&texts);
        out.extend(self.sequences_in(&texts));
        out.extend(self.collations_in(&c.collation.iter().map(String::as_str).collect::<Vec<_>>()));
        out.extend(self.functions_in(&texts));
        out
    }

    /// The plan's columns of its table, functions and types that a
    /// policy's expressions mention.
    pub(super) fn policy_mentions(&self, p: &crate::model::Policy) -> Vec<Key> {
        let texts = super::policy_deps::texts(p);
        let mut out = self.columns_in(&p.table, &[], &texts);
        out.extend(self.functions_in(&texts));
        out.extend(self.types_in(&texts));
        out
    }

    /// Touched columns of `t` that `texts` mention or `cols` name.
    pub(super) fn columns_in(
        &self,
        t: &QualifiedName,
        cols: &[String],
        texts: &[&str],
    ) -> Vec<Key> {
        let Some(touched) = self.touched.get(t) else {
            return Vec::new();
        };
        touched
            .iter()
            .filter(|c| cols.contains(c) || texts.iter().any(|x| mentions_column(x, c)))
            .map(|c| Key::Column(t.clone(), c.clone()))
            .collect()
    }
}

/// Standalone sequences of `from` owned by `column` of `table` (any
/// column: `None`): PostgreSQL drops them with it.
fn owned_by(from: &Database, table: &QualifiedName, column: Option<&str>) -> Vec<QualifiedName> {
    from.sequences
        .values()
        .filter(|s| {
            s.owned_by
                .as_ref()
                .is_some_and(|(t, c)| t == table && column.is_none_or(|x| x == c))
        })
        .map(|s| s.name.clone())
        .collect()
}

/// Whether an expression calls function `f`: by its qualified name as
/// PostgreSQL prints it, or (the user's text of a spec model) by its bare
/// name when it lives in `public`.
pub fn mentions_function(text: &str, f: &QualifiedName) -> bool {
    let qualified = [
        format!("{}.{}(", pg_ident(&f.schema), pg_ident(&f.name)),
        format!("{}(", f.quoted()),
    ];
    if qualified.iter().any(|q| text.contains(q.as_str())) {
        return true;
    }
    let bare = format!("{}(", pg_ident(&f.name));
    f.schema == "public"
        && text.match_indices(&bare).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"')
        })
}

/// Whether catalog text (names qualified, as PostgreSQL prints them with
/// only `pg_catalog` on the search path) names table `t` — a row type in
/// a signature or a domain's base type. Qualified only: `timestamp with
/// time zone` does not name a table `zone`.
fn mentions_qualified(text: &str, t: &QualifiedName) -> bool {
    let name = format!("{}.{}", pg_ident(&t.schema), pg_ident(&t.name));
    text.match_indices(name.as_str()).any(|(i, m)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        !word(text[..i].chars().next_back()) && !word(text[i + m.len()..].chars().next())
    })
}

/// Whether a text mentions a table by name (as a word): what orders a SQL
/// function after a new table its body reads.
fn mentions_table(text: &str, t: &QualifiedName) -> bool {
    let name = pg_ident(&t.name);
    text.match_indices(name.as_str()).any(|(i, m)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(text[..i].chars().next_back()) && !word(text[i + m.len()..].chars().next())
    })
}

/// Whether an expression text mentions type `ty` by its qualified name.
pub fn mentions_type(text: &str, ty: &QualifiedName) -> bool {
    text.contains(&format!("{}.{}", pg_ident(&ty.schema), pg_ident(&ty.name)))
        || text.contains(&ty.quoted())
}

pub(super) fn rel(schema: &str, name: &str) -> Rel {
    (schema.to_string(), name.to_string())
}

/// The keys of one change.
pub fn deps(ch: &Change, f: &Facts) -> Deps {
    let mut d = Deps::default();
    match ch {
        Change::CreateSchema(ns) => d.provides.push(Key::Schema(ns.name.clone())),
        Change::DropSchema(ns) => d.disturbs.push(Key::Schema(ns.name.clone())),
        Change::CreateExtension(e) => {
            d.needs.extend(e.schema.clone().map(Key::Schema));
            d.provides.extend([Key::Extensions, Key::NewTypes]);
        }
        Change::AlterExtensionSchema(e) => {
            d.needs.extend(e.schema.clone().map(Key::Schema));
            d.provides.push(Key::Extensions);
            let old = f
                .from
                .extensions
                .get(&e.name)
                .and_then(|x| x.schema.clone());
            d.releases
                .push(Key::Schema(old.unwrap_or_else(|| "public".into())));
        }
        Change::DropExtension(e) => {
            d.disturbs.push(Key::Extensions);
            d.releases.extend(e.schema.clone().map(Key::Schema));
        }
        Change::CreateEnum(e) => {
            d.needs.push(Key::Schema(e.name.schema.clone()));
            d.needs
                .push(Key::FreeRel(rel(&e.name.schema, &e.name.name)));
            d.provides
                .extend([Key::NewTypes, Key::Type(e.name.clone())]);
        }
        Change::DropEnum(e) => {
            d.disturbs.push(Key::Type(e.name.clone()));
            d.releases.push(Key::Schema(e.name.schema.clone()));
            d.provides
                .push(Key::FreeRel(rel(&e.name.schema, &e.name.name)));
        }
        Change::AddEnumValue { name, .. } => d.provides.push(Key::Type(name.clone())),
        Change::RecreateEnum { to, columns, .. } => {
            d.disturbs.push(Key::Type(to.name.clone()));
            d.provides.push(Key::Type(to.name.clone()));
            for (t, c) in columns {
                let k = Key::Column(t.clone(), c.name.clone());
                d.needs.push(Key::Table(t.clone()));
                d.disturbs.push(k.clone());
                d.provides.push(k);
            }
        }
        Change::CreateTable(t) => create_table(t, f, &mut d),
        Change::DropTable(t) => drop_table(t, f, &mut d),
        Change::RenameTable { from, to } => {
            d.needs.push(Key::FreeRel(rel(&from.schema, to)));
            d.provides.push(Key::FreeRel(rel(&from.schema, &from.name)));
            let now = QualifiedName::new(&from.schema, to);
            d.provides.push(Key::Table(now.clone()));
            d.provides.push(Key::Renamed(now));
        }
        Change::RenameSequence { from, to } => {
            d.needs.push(Key::FreeRel(rel(&from.schema, to)));
            d.provides.push(Key::FreeRel(rel(&from.schema, &from.name)));
            d.provides
                .push(Key::Sequence(QualifiedName::new(&from.schema, to)));
            d.provides.push(Key::NewSequences);
        }
        Change::CreateSequence(s) => {
            d.needs.push(Key::Schema(s.name.schema.clone()));
            d.needs
                .push(Key::FreeRel(rel(&s.name.schema, &s.name.name)));
            d.provides
                .extend([Key::Sequence(s.name.clone()), Key::NewSequences]);
        }
        Change::DropSequence(s) => {
            d.disturbs.push(Key::Sequence(s.name.clone()));
            d.releases.push(Key::Schema(s.name.schema.clone()));
            d.provides
                .push(Key::FreeRel(rel(&s.name.schema, &s.name.name)));
        }
        Change::AlterSequence { name, .. } => d.needs.push(Key::Sequence(name.clone())),
        Change::SetSequenceOwner { name, from, to } => {
            d.needs.push(Key::Sequence(name.clone()));
            if let Some((t, c)) = to {
                d.needs.push(Key::Table(t.clone()));
                d.needs.push(Key::Column(t.clone(), c.clone()));
            }
            // Set free before the old owner goes, or the sequence goes too.
            if let Some((t, c)) = from {
                d.releases.push(Key::Column(t.clone(), c.clone()));
            }
        }
        Change::AddColumn { table, column } => add_column(table, column, f, &mut d),
        Change::DropColumn { table, column } => drop_column(table, column, f, &mut d),
        Change::AlterColumn {
            table,
            from,
            to,
            changes,
        } => {
            alter_column(table, from, to, f, &mut d);
            backfill(table, to, changes, f, &mut d);
            created_inline(changes, &mut d);
            // Setting or dropping a default alone does not reshape the
            // column: nothing waits for it, so the default dropped before
            // a function's drop and set again after its re-creation
            // (`expand`) are no cycle.
            if let [ColumnChange::DropDefault | ColumnChange::SetDefault(_)] = changes.as_slice() {
                let col = Key::Column(table.clone(), to.name.clone());
                d.provides.retain(|k| *k != col);
            }
        }
        Change::RenameColumn { table, from, to } => {
            d.needs.push(Key::Table(table.clone()));
            d.needs.push(Key::FreeColumn(table.clone(), to.clone()));
            d.provides
                .push(Key::FreeColumn(table.clone(), from.clone()));
            d.provides.push(Key::Column(table.clone(), to.clone()));
        }
        Change::AddConstraint { table, constraint } => add_constraint(table, constraint, f, &mut d),
        Change::DropConstraint { table, constraint } => {
            drop_constraint(table, constraint, f, &mut d)
        }
        Change::RenameConstraint { table, from, to } => {
            d.needs.push(Key::Table(table.clone()));
            d.needs.push(Key::FreeConstraint(table.clone(), to.clone()));
            d.needs.push(Key::FreeRel(rel(&table.schema, to)));
            d.provides
                .push(Key::FreeConstraint(table.clone(), from.clone()));
            d.provides.push(Key::FreeRel(rel(&table.schema, from)));
            d.provides.push(Key::Constraint(table.clone(), to.clone()));
        }
        Change::ValidateConstraint { table, name } => {
            d.needs.push(Key::Table(table.clone()));
            d.needs.push(Key::Constraint(table.clone(), name.clone()));
        }
        Change::SetEnforced { table, constraint } => {
            d.needs.push(Key::Table(table.clone()));
            d.needs.extend(constraint_uses(table, constraint, f));
            if let Some(n) = constraint.name() {
                d.needs.push(Key::Constraint(table.clone(), n.to_string()));
            }
        }
        Change::CreateIndex { table, index } => create_index(table, index, f, &mut d),
        Change::DropIndex { table, index } => drop_index(table, index, f, &mut d),
        Change::RenameIndex { schema, from, to } => {
            d.needs.push(Key::FreeRel(rel(schema, to)));
            d.provides.push(Key::FreeRel(rel(schema, from)));
            d.provides.push(Key::Index(rel(schema, to)));
        }
        Change::Type(t) => super::type_deps::deps(t, f, &mut d),
        Change::SetComment { target, .. } => d.needs.push(match target {
            CommentTarget::Schema(s) => Key::Schema(s.clone()),
            CommentTarget::Enum(n) => Key::Type(n.clone()),
            CommentTarget::Sequence(n) => Key::Sequence(n.clone()),
            CommentTarget::Table(t) => Key::Table(t.clone()),
            CommentTarget::Column(t, c) => Key::Column(t.clone(), c.clone()),
            CommentTarget::Index(n) => Key::Index(rel(&n.schema, &n.name)),
            CommentTarget::Constraint(t, c) => Key::Constraint(t.clone(), c.clone()),
            CommentTarget::View(n, _) => Key::View(n.clone()),
            CommentTarget::Function { name, identity, .. } => {
                Key::Function(name.clone(), identity.clone())
            }
            CommentTarget::Aggregate { name, identity } => {
                Key::Function(name.clone(), identity.clone())
            }
            CommentTarget::Trigger(t, n) => Key::Trigger(t.clone(), n.clone()),
        }),
        Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::AlterViewOptions { .. }
        | Change::RefreshMaterializedView { .. }
        | Change::RenameView { .. } => super::view_deps::deps(ch, &mut d),
        Change::CreateFunction(fun) => {
            create_function(fun, f, &mut d);
            d.needs
                .push(Key::FreeFunction(fun.name.clone(), fun.signature.clone()));
        }
        Change::ReplaceFunction { to, .. } => create_function(to, f, &mut d),
        Change::DropFunction(fun) => {
            let key = (fun.name.clone(), fun.identity.clone());
            d.disturbs.push(Key::Function(key.0.clone(), key.1.clone()));
            d.releases.push(Key::Schema(fun.name.schema.clone()));
            d.releases.extend(f.types_in(&[&fun.definition]));
            // A table's row type in its signature: the function goes
            // before the table can.
            d.releases.extend(f.tables_in(&[&signature_text(fun)]));
            d.provides
                .push(Key::FreeFunction(key.0, fun.signature.clone()));
        }
        Change::CreateTrigger(t) => {
            d.needs.extend(trigger_uses(t, f));
            d.needs
                .push(Key::FreeTrigger(t.table.clone(), t.name.clone()));
            d.provides
                .push(Key::Trigger(t.table.clone(), t.name.clone()));
        }
        Change::ReplaceTrigger { from, to } => {
            d.needs.extend(trigger_uses(to, f));
            d.releases.extend(f.functions_in(&[&from.definition]));
            d.provides
                .push(Key::Trigger(to.table.clone(), to.name.clone()));
        }
        Change::DropTrigger(t) => {
            d.needs.push(Key::Renamed(t.table.clone()));
            d.releases.extend(trigger_uses(t, f));
            d.provides
                .push(Key::FreeTrigger(t.table.clone(), t.name.clone()));
        }
        Change::SetTriggerEnabled(t) => {
            d.needs.push(Key::Table(t.table.clone()));
            d.needs.push(Key::Trigger(t.table.clone(), t.name.clone()));
        }
        Change::Aggregate(a) => super::agg_deps::deps(a, f, &mut d),
        Change::MovePartition { table, to, .. } => {
            d.needs.extend([
                Key::Table(table.clone()),
                Key::Table(to.parent.clone()),
                Key::Bounds(to.parent.clone()),
            ]);
            d.provides.push(Key::Attached(to.parent.clone()));
        }
        Change::SetTableProperty { table, property } => table_property(table, property, &mut d),
        Change::Policy(p) => super::policy_deps::deps(p, f, &mut d),
        Change::Publication(p) => super::publication_deps::deps(p, f, &mut d),
        // After the column exists, in its new type (a type change resets
        // storage and compression).
        Change::SetColumnProperty { table, column, .. } => d.needs.extend([
            Key::Table(table.clone()),
            Key::Column(table.clone(), column.clone()),
        ]),
        Change::Statistics(s) => super::stats_deps::deps(s, f, &mut d),
        Change::Privilege(p) => super::privilege_deps::deps(p, &mut d),
        Change::Owner(o) => super::privilege_deps::target(&o.target, &mut d),
        // In a schema: after the schema exists.
        Change::DefaultPrivilege(p) => d.needs.extend(p.key.schema.clone().map(Key::Schema)),
    }
    d
}

/// A table property set by name of an index waits for the index (or the
/// constraint backing it). `REPLICA IDENTITY USING INDEX` needs its
/// columns NOT NULL, and a column of the old identity index can drop its
/// NOT NULL only once the identity moved: the change comes after every
/// `SET NOT NULL` of the table and before every `DROP NOT NULL`.
fn table_property(table: &QualifiedName, property: &crate::diff::TableProperty, d: &mut Deps) {
    use crate::diff::TableProperty;
    use crate::model::ReplicaIdentity;
    d.needs.push(Key::Table(table.clone()));
    // A materialized view's storage parameters and clustering index too.
    d.needs.push(Key::View(table.clone()));
    if let TableProperty::ReplicaIdentity(_) = property {
        d.needs.push(Key::NotNullSet(table.clone()));
        d.provides.push(Key::ReplicaReleased(table.clone()));
    }
    let index = match property {
        TableProperty::ReplicaIdentity(ReplicaIdentity::Index(i)) => Some(i),
        TableProperty::ClusterOn(Some(i)) => Some(i),
        _ => None,
    };
    if let Some(i) = index {
        d.needs.extend([
            Key::Index(rel(&table.schema, i)),
            Key::Constraint(table.clone(), i.clone()),
        ]);
    }
}

/// What creating or replacing a function needs: its schema, extensions
/// and types (argument and result types), and the new tables a
/// SQL-standard body (`BEGIN ATOMIC`, `RETURN`) reads — PostgreSQL
/// resolves it on creation — or its signature names (a table's row type).
/// A quoted body is not checked by the plan's migration (see
/// [`crate::plan::UNCHECKED_BODIES`]), so it waits for nothing: a CHECK
/// calling a function whose body reads that table is no cycle.
fn create_function(fun: &crate::model::Function, f: &Facts, d: &mut Deps) {
    d.needs.extend([
        Key::Schema(fun.name.schema.clone()),
        Key::Extensions,
        Key::NewTypes,
    ]);
    let sql = fun.definition.contains("LANGUAGE sql") && !fun.definition.contains("\nAS $");
    let header = signature_text(fun);
    let text = if sql {
        fun.definition.as_str()
    } else {
        &header
    };
    d.needs.extend(
        f.new_tables
            .iter()
            .filter(|t| mentions_table(text, t))
            .map(|t| Key::Table(t.clone())),
    );
    d.needs.extend(
        f.new_views
            .iter()
            .filter(|v| mentions_table(text, v))
            .map(|v| Key::View(v.clone())),
    );
    d.provides
        .push(Key::Function(fun.name.clone(), fun.identity.clone()));
}

/// The definition up to its `LANGUAGE` line: name, arguments, result.
fn signature_text(fun: &crate::model::Function) -> String {
    fun.definition
        .lines()
        .take_while(|l| !l.trim_start().starts_with("LANGUAGE"))
        .collect()
}

/// What a trigger uses: its table, the columns and functions its
/// definition names.
fn trigger_uses(t: &crate::model::Trigger, f: &Facts) -> Vec<Key> {
    let mut out = vec![Key::Table(t.table.clone())];
    out.extend(f.functions_in(&[&t.definition]));
    out.extend(f.columns_in(&t.table, &[], &[&t.definition]));
    out
}

/// What a column's definition uses: types, extensions, sequences.
fn column_needs(table: &QualifiedName, c: &Column, f: &Facts, d: &mut Deps) {
    d.needs.extend(f.used_by(c));
    if let Some(g) = &c.generated {
        let cols = f.columns_in(table, &[], &[g]);
        d.needs.extend(
            cols.into_iter()
                .filter(|k| k != &Key::Column(table.clone(), c.name.clone())),
        );
    }
    // A default may draw from a sequence a new table's serial creates.
    if c.default.as_deref().is_some_and(|x| x.contains("nextval(")) {
        d.needs.extend([Key::NewTables, Key::NewSequences]);
    }
}

fn create_table(t: &crate::model::Table, f: &Facts, d: &mut Deps) {
    let name = &t.name;
    d.needs.extend([
        Key::Schema(name.schema.clone()),
        Key::Extensions,
        Key::NewTypes,
        Key::FreeRel(rel(&name.schema, &name.name)),
    ]);
    d.provides
        .extend([Key::Table(name.clone()), Key::NewTables]);
    if let Some(of) = &t.partition_of {
        // After its parent, and after the partitions this plan drops.
        d.needs.extend([
            Key::Table(of.parent.clone()),
            Key::Bounds(of.parent.clone()),
        ]);
        let defs: Vec<&str> = constraints_of_defs(t);
        d.needs.extend(f.columns_in(&of.parent, &[], &defs));
    }
    for c in &t.columns {
        column_needs(name, c, f, d);
        d.provides.push(Key::Column(name.clone(), c.name.clone()));
    }
    for c in constraints_of(t) {
        let cname = c.name().map(str::to_string);
        if let Some(n) = &cname {
            d.provides.push(Key::Constraint(name.clone(), n.clone()));
            if has_index(&c) {
                d.needs.push(Key::FreeRel(rel(&name.schema, n)));
            }
        }
        d.needs.extend(f.types_in(&[c.definition()]));
        if let Constraint::Check(k) = &c {
            d.needs
                .extend(f.functions_in(&[c.definition(), &k.expression]));
        }
        match &c {
            Constraint::PrimaryKey(_) | Constraint::Unique(_) => {
                d.provides.push(Key::Keys(name.clone()))
            }
            Constraint::ForeignKey(fk) if fk.ref_table != *name => {
                d.needs.extend(references(fk));
            }
            _ => {}
        }
    }
}

/// What a foreign key needs of the table it references.
fn references(fk: &crate::model::ForeignKey) -> Vec<Key> {
    let r = &fk.ref_table;
    let mut out = vec![Key::Table(r.clone()), Key::Keys(r.clone())];
    out.extend(
        fk.ref_columns
            .iter()
            .map(|c| Key::Column(r.clone(), c.clone())),
    );
    out
}

fn drop_table(t: &crate::model::Table, f: &Facts, d: &mut Deps) {
    let name = &t.name;
    d.disturbs
        .extend([Key::Table(name.clone()), Key::Keys(name.clone())]);
    d.disturbs.extend(
        t.columns
            .iter()
            .map(|c| Key::Column(name.clone(), c.name.clone())),
    );
    d.releases
        .extend([Key::Schema(name.schema.clone()), Key::Extensions]);
    d.releases
        .extend(t.columns.iter().flat_map(|c| f.used_by(c)));
    let mut texts: Vec<&str> = constraints_of_defs(t);
    texts.extend(t.indexes.iter().map(|i| i.definition.as_str()));
    texts.extend(
        f.from
            .triggers
            .values()
            .filter(|tg| tg.table == *name)
            .map(|tg| tg.definition.as_str()),
    );
    d.releases.extend(f.functions_in(&texts));
    // Sequences it owns go with it: whatever still uses them goes first.
    d.disturbs
        .extend(owned_by(f.from, name, None).into_iter().map(Key::Sequence));
    d.provides.push(Key::FreeRel(rel(&name.schema, &name.name)));
    if let Some(of) = &t.partition_of {
        // Before its parent goes; frees its bound for new partitions.
        d.releases.push(Key::Table(of.parent.clone()));
        d.provides.push(Key::Bounds(of.parent.clone()));
    }
    for c in constraints_of(t) {
        match (&c, c.name()) {
            (Constraint::ForeignKey(fk), n) if fk.ref_table != *name => {
                let key = (name.clone(), n.unwrap_or_default().to_string());
                if !f.dropped_fks.contains(&key) {
                    d.releases.extend(references(fk))
                }
            }
            (_, Some(n)) if has_index(&c) => d.provides.push(Key::FreeRel(rel(&name.schema, n))),
            _ => {}
        }
    }
    for i in &t.indexes {
        if let Some(n) = &i.name {
            d.provides.push(Key::FreeRel(rel(&name.schema, n)));
        }
    }
}

/// The definition (and check expression) of every constraint of `t`.
fn constraints_of_defs(t: &crate::model::Table) -> Vec<&str> {
    let mut out: Vec<&str> = t.checks.iter().map(|c| c.definition.as_str()).collect();
    out.extend(t.checks.iter().map(|c| c.expression.as_str()));
    out.extend(t.exclusions.iter().map(|c| c.definition.as_str()));
    out
}

fn add_column(table: &QualifiedName, c: &Column, f: &Facts, d: &mut Deps) {
    d.needs.extend([
        Key::Table(table.clone()),
        Key::Extensions,
        Key::NewTypes,
        Key::FreeColumn(table.clone(), c.name.clone()),
    ]);
    column_needs(table, c, f, d);
    d.needs.extend(not_null_key(table, c));
    d.provides.push(Key::Column(table.clone(), c.name.clone()));
}

/// The name of a column's NOT NULL constraint (PostgreSQL 18) as a
/// per-table constraint name: freed when the column or its NOT NULL goes,
/// needed where one is created.
fn not_null_key(table: &QualifiedName, c: &Column) -> Option<Key> {
    let name = c.not_null_name.as_ref().filter(|_| c.not_null)?;
    Some(Key::FreeConstraint(table.clone(), name.clone()))
}

fn drop_column(table: &QualifiedName, c: &Column, f: &Facts, d: &mut Deps) {
    d.needs.push(Key::Renamed(table.clone()));
    d.disturbs.push(Key::Column(table.clone(), c.name.clone()));
    d.releases
        .extend([Key::Table(table.clone()), Key::Extensions]);
    d.releases.extend(f.used_by(c));
    d.disturbs.extend(
        owned_by(f.from, table, Some(&c.name))
            .into_iter()
            .map(Key::Sequence),
    );
    if let Some(g) = &c.generated {
        d.releases.extend(f.columns_in(table, &[], &[g]));
    }
    d.provides
        .push(Key::FreeColumn(table.clone(), c.name.clone()));
    d.provides.extend(not_null_key(table, c));
}

fn alter_column(table: &QualifiedName, from: &Column, to: &Column, f: &Facts, d: &mut Deps) {
    if to.not_null && !from.not_null {
        d.provides.push(Key::NotNullSet(table.clone()));
    }
    if from.not_null && !to.not_null {
        d.needs.push(Key::ReplicaReleased(table.clone()));
    }
    let col = Key::Column(table.clone(), to.name.clone());
    d.needs
        .extend([Key::Table(table.clone()), Key::Extensions, col.clone()]);
    d.needs.push(Key::Attached(table.clone()));
    let mut texts = vec![to.data_type.as_str()];
    texts.extend(to.default.as_deref());
    let wanted = f.types_in(&texts);
    if from.collation != to.collation {
        let coll = |c: &Column| {
            f.collations_in(&c.collation.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let wanted = coll(to);
        d.releases
            .extend(coll(from).into_iter().filter(|k| !wanted.contains(k)));
        d.needs.extend(wanted);
    }
    if from.data_type != to.data_type {
        // Leaving a type: whoever drops or recreates it waits.
        let left = f
            .types_in(&[&from.data_type])
            .into_iter()
            .filter(|k| !wanted.contains(k));
        d.releases.extend(left);
        d.releases.push(Key::Extensions);
    }
    d.needs.extend(wanted);
    // Leaving a sequence (a default that no longer draws from it): whoever
    // drops it waits; one the new default draws from comes first.
    let (used, left) = (f.used_by(to), f.used_by(from));
    d.releases.extend(
        left.iter()
            .filter(|k| matches!(k, Key::Sequence(_)) && !used.contains(k))
            .cloned(),
    );
    let is_fn = |k: &Key| matches!(k, Key::Function(..));
    d.releases.extend(
        left.iter()
            .filter(|k| is_fn(k) && !used.contains(k))
            .cloned(),
    );
    d.needs.extend(used.iter().filter(|k| is_fn(k)).cloned());
    d.needs
        .extend(used.into_iter().filter(|k| matches!(k, Key::Sequence(_))));
    if to
        .default
        .as_deref()
        .is_some_and(|x| x.contains("nextval("))
    {
        d.needs.extend([Key::NewTables, Key::NewSequences]);
    }
    if from.not_null != to.not_null {
        d.provides.extend(not_null_key(table, from));
        d.needs.extend(not_null_key(table, to));
    }
    d.disturbs.push(col.clone());
    d.provides.push(col);
}

/// A sequence created as a step of the column's change
/// ([`ColumnChange::CreateSequence`]): the change provides it, and so does
/// not wait for it. One dropped as a step ([`ColumnChange::DropSequence`])
/// is disturbed by it.
fn created_inline(changes: &[ColumnChange], d: &mut Deps) {
    for ch in changes {
        match ch {
            ColumnChange::CreateSequence(s) => {
                let key = Key::Sequence(s.name.clone());
                d.needs.retain(|k| *k != key);
                d.provides.extend([key, Key::NewSequences]);
            }
            // Dropped as a step: whoever else still uses it goes first.
            ColumnChange::DropSequence(s) => {
                d.disturbs.push(Key::Sequence(s.name.clone()));
                d.provides
                    .push(Key::FreeRel(rel(&s.name.schema, &s.name.name)));
            }
            _ => {}
        }
    }
}

/// A [`ColumnChange::Backfill`] reads the columns its expression names:
/// after they are renamed or retyped, before they are dropped.
fn backfill(table: &QualifiedName, to: &Column, changes: &[ColumnChange], f: &Facts, d: &mut Deps) {
    let own = Key::Column(table.clone(), to.name.clone());
    for ch in changes {
        let ColumnChange::Backfill(expr) = ch else {
            continue;
        };
        for k in f.columns_in(table, &[], &[expr]) {
            if k == own {
                continue;
            }
            if f.gone.contains(&k) {
                d.releases.push(k);
            } else {
                d.needs.push(k);
            }
        }
    }
}

/// Keys an existing constraint's definition depends on.
fn constraint_uses(table: &QualifiedName, c: &Constraint, f: &Facts) -> Vec<Key> {
    let mut out = vec![Key::Table(table.clone()), Key::Extensions];
    out.extend(f.types_in(&[c.definition()]));
    let check = match c {
        Constraint::Check(k) => k.expression.as_str(),
        _ => "",
    };
    out.extend(f.functions_in(&[c.definition(), check]));
    out.extend(f.columns_in(table, c.columns(), &[c.definition()]));
    // A self-reference too: it binds to the table's own key.
    if let Constraint::ForeignKey(fk) = c {
        out.extend(references(fk));
    }
    out
}

fn add_constraint(table: &QualifiedName, c: &Constraint, f: &Facts, d: &mut Deps) {
    d.needs.extend(constraint_uses(table, c, f));
    if matches!(c, Constraint::Check(_)) {
        d.needs.push(Key::Attached(table.clone()));
    }
    if let Some(n) = c.name() {
        d.needs
            .push(Key::FreeConstraint(table.clone(), n.to_string()));
        if has_index(c) {
            d.needs.push(Key::FreeRel(rel(&table.schema, n)));
        }
        d.provides
            .push(Key::Constraint(table.clone(), n.to_string()));
    }
    match c {
        Constraint::PrimaryKey(_) => {
            d.needs.push(Key::FreePrimaryKey(table.clone()));
            d.provides.push(Key::Keys(table.clone()));
        }
        Constraint::Unique(_) => d.provides.push(Key::Keys(table.clone())),
        _ => {}
    }
}

fn drop_constraint(table: &QualifiedName, c: &Constraint, f: &Facts, d: &mut Deps) {
    d.needs.push(Key::Renamed(table.clone()));
    d.releases.extend(constraint_uses(table, c, f));
    if let Some(n) = c.name() {
        d.provides
            .push(Key::FreeConstraint(table.clone(), n.to_string()));
        if has_index(c) {
            d.provides.push(Key::FreeRel(rel(&table.schema, n)));
        }
    }
    // A foreign key binds to whichever unique index fits when it is
    // created: it waits for the keys to be dropped too, or it could bind
    // to one that is going.
    match c {
        Constraint::PrimaryKey(_) => {
            d.provides.push(Key::FreePrimaryKey(table.clone()));
            d.disturbs.push(Key::Keys(table.clone()));
            d.provides.push(Key::Keys(table.clone()));
        }
        Constraint::Unique(_) => {
            d.disturbs.push(Key::Keys(table.clone()));
            d.provides.push(Key::Keys(table.clone()));
        }
        _ => {}
    }
}

/// Keys an index's definition depends on.
fn index_uses(table: &QualifiedName, i: &Index, f: &Facts) -> Vec<Key> {
    let mut cols: Vec<String> = i
        .keys
        .iter()
        .filter(|k| !k.is_expression)
        .map(|k| k.expr.clone())
        .collect();
    cols.extend(i.include.iter().cloned());
    let mut texts = vec![i.definition.as_str()];
    texts.extend(
        i.keys
            .iter()
            .filter(|k| k.is_expression)
            .map(|k| k.expr.as_str()),
    );
    texts.extend(i.predicate.as_deref());
    let mut out = vec![Key::Table(table.clone()), Key::Extensions];
    out.extend(f.types_in(&texts));
    out.extend(f.functions_in(&texts));
    out.extend(f.columns_in(table, &cols, &texts));
    out
}

fn create_index(table: &QualifiedName, i: &Index, f: &Facts, d: &mut Deps) {
    d.needs.extend(index_uses(table, i, f));
    if let Some(n) = &i.name {
        d.needs.push(Key::FreeRel(rel(&table.schema, n)));
        d.provides.push(Key::Index(rel(&table.schema, n)));
    }
    if i.unique {
        d.provides.push(Key::Keys(table.clone()));
    }
}

fn drop_index(table: &QualifiedName, i: &Index, f: &Facts, d: &mut Deps) {
    d.needs.push(Key::Renamed(table.clone()));
    d.releases.extend(index_uses(table, i, f));
    if let Some(n) = &i.name {
        d.provides.push(Key::FreeRel(rel(&table.schema, n)));
    }
    if i.unique {
        d.disturbs.push(Key::Keys(table.clone()));
        d.provides.push(Key::Keys(table.clone()));
    }
}

/// Every edge (before, after) between the changes, by their position.
pub fn edges(changes: &[Change], from: &Database) -> Vec<(usize, usize)> {
    let facts = Facts::new(changes, from);
    let mut providers: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut releasers: HashMap<Key, Vec<usize>> = HashMap::new();
    let all: Vec<Deps> = changes.iter().map(|c| deps(c, &facts)).collect();
    for (i, d) in all.iter().enumerate() {
        for k in &d.provides {
            providers.entry(k.clone()).or_default().push(i);
        }
        for k in &d.releases {
            releasers.entry(k.clone()).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, d) in all.iter().enumerate() {
        for k in &d.needs {
            out.extend(providers.get(k).into_iter().flatten().map(|&p| (p, i)));
        }
        for k in &d.disturbs {
            out.extend(releasers.get(k).into_iter().flatten().map(|&r| (r, i)));
        }
    }
    out.extend(in_list_order(changes));
    out.retain(|(a, b)| a != b);
    out
}

/// Changes whose relative order is the diff's: labels added to one enum
/// (appended or inserted before the same label, their order is the order
/// of the new labels).
fn in_list_order(changes: &[Change]) -> Vec<(usize, usize)> {
    let mut last: HashMap<&QualifiedName, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, ch) in changes.iter().enumerate() {
        if let Change::AddEnumValue { name, .. } = ch {
            if let Some(prev) = last.insert(name, i) {
                out.push((prev, i));
            }
        }
    }
    out
}
