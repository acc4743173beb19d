//! `render`: turn one [`Change`] into the SQL statements that carry it out,
//! each with its typed [`Hazard`]s and the YAML origin of its object. One
//! file per object kind; ordering is `plan`'s job, not this module's.
//!
//! Every identifier strata renders is quoted. Catalog objects carry
//! PostgreSQL's own definition text (`pg_get_constraintdef`,
//! `pg_get_indexdef`), which is used as-is: it is valid DDL, quoted where
//! PostgreSQL needs it, and lossless (INCLUDE, storage parameters, MATCH …).
//! Spec objects without a definition are rendered from their fields.
//!
//! - [`schema`]: schemas and extensions
//! - [`enums`]: enum types (create, add value, recreate, drop)
//! - [`sequences`]: standalone sequences
//! - [`types`]: domains, composite and range types, collations
//! - [`functions`]: functions, procedures and triggers
//! - [`aggregates`]: user-defined aggregates
//! - [`table`]: tables and their owned sequences' renames
//! - [`column`]: added, dropped, altered and renamed columns
//! - [`column_def`]: column definitions, sequence options, `ALTER COLUMN` steps
//! - [`constraint`]: constraints of every kind
//! - [`index`]: the indexes
//! - [`views`]: views and materialized views
//! - [`comment`]: `COMMENT ON`
//! - [`hazard`]: the hazard types

pub mod aggregates;
pub mod column;
pub mod column_def;
pub mod column_props;
pub mod comment;
pub mod constraint;
pub mod default_privileges;
pub mod enums;
pub mod functions;
pub mod hazard;
pub mod index;
pub mod owners;
pub mod partitions;
pub mod policies;
pub mod privileges;
pub mod publications;
pub mod schema;
pub mod sequences;
pub mod statistics;
pub mod table;
pub mod table_props;
pub mod types;
pub mod views;

use std::collections::HashSet;

use crate::diff::{Change, Constraint};
use crate::model::{Column, Database, Origin, QualifiedName};

pub use constraint::constraint_clause;
pub use hazard::{Build, Hazard, HazardKind, LockLevel, Scan};
pub use index::create_index;

/// One rendered SQL statement with what a reviewer must know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub hazards: Vec<Hazard>,
    /// Where the object was declared (spec models), for error messages.
    pub origin: Option<Origin>,
}

impl Statement {
    pub fn new(sql: String) -> Self {
        Statement {
            sql,
            hazards: Vec::new(),
            origin: None,
        }
    }

    pub fn with(mut self, hazards: impl IntoIterator<Item = Hazard>) -> Self {
        self.hazards.extend(hazards);
        self
    }

    /// Set the origin when it names a file (spec models).
    pub fn from_origin(mut self, o: &Origin) -> Self {
        if o.file.is_some() {
            self.origin = Some(o.clone());
        }
        self
    }

    /// What the statement can lose, when it can lose data.
    pub fn destructive(&self) -> Option<String> {
        let what: Vec<&str> = self
            .hazards
            .iter()
            .filter_map(|h| match h {
                Hazard::DataLoss { what } => Some(what.as_str()),
                _ => None,
            })
            .collect();
        (!what.is_empty()).then(|| what.join("; "))
    }

    /// The comment lines above the statement (data loss first), without
    /// `-- `.
    pub fn notes(&self) -> Vec<String> {
        let loss = self
            .hazards
            .iter()
            .filter(|h| h.kind() == HazardKind::DataLoss);
        let rest = self
            .hazards
            .iter()
            .filter(|h| h.kind() != HazardKind::DataLoss);
        loss.chain(rest).map(Hazard::message).collect()
    }

    /// The statement with its hazard comments, ending in a newline.
    pub fn to_sql(&self) -> String {
        let mut out: String = self.notes().iter().map(|n| comment_line(n)).collect();
        out.push_str(&self.sql);
        out.push('\n');
        out
    }
}

/// `text` as one `-- ` comment line (with its newline). Every comment
/// strata writes into SQL goes through here: a newline or carriage return
/// in a name would end the comment and run the rest of the name as SQL
/// (PostgreSQL ends `--` comments at either), so they and every other
/// control character are escaped visibly ([`crate::escape::line`]).
pub fn comment_line(text: &str) -> String {
    format!("-- {}\n", crate::escape::line(text))
}

/// Facts about the whole change set that single renderings need.
pub struct Context<'a> {
    pub from: &'a Database,
    /// Tables created by this plan: statements on them need no lock notes.
    new_tables: HashSet<QualifiedName>,
    /// (table, column) dropped and re-added (a rebuilt generated column).
    readded: HashSet<(QualifiedName, String)>,
    /// (schema, constraint name) held by more than one table, now or
    /// after the plan ([`Context::not_null_name`]).
    contested: HashSet<(String, String)>,
    /// Domains with a CHECK or NOT NULL, now or after the plan: adding a
    /// column of one rewrites the table.
    constrained_domains: Vec<QualifiedName>,
    /// Views dropped and created again by this plan.
    rebuilt_views: HashSet<QualifiedName>,
    /// Views this plan drops (for good or to re-create them), as
    /// `pg_describe_object` names their rewrite rule: a function's drop is
    /// not blocked by them.
    dropped_view_rules: HashSet<String>,
}

impl<'a> Context<'a> {
    pub fn new(changes: &[Change], from: &'a Database) -> Self {
        let mut new_tables = HashSet::new();
        let mut added = HashSet::new();
        for ch in changes {
            match ch {
                Change::CreateTable(t) => {
                    new_tables.insert(t.name.clone());
                }
                // Its indexes are built on an empty or fresh relation.
                Change::CreateView { view, .. } if view.materialized => {
                    new_tables.insert(view.name.clone());
                }
                Change::AddColumn { table, column } => {
                    added.insert((table.clone(), column.name.clone()));
                }
                _ => {}
            }
        }
        let readded = changes
            .iter()
            .filter_map(|ch| match ch {
                Change::DropColumn { table, column } => Some((table.clone(), column.name.clone())),
                _ => None,
            })
            .filter(|k| added.contains(k))
            .collect();
        Context {
            from,
            new_tables,
            readded,
            contested: contested_names(changes, from),
            constrained_domains: types::constrained_domains(changes, from),
            rebuilt_views: rebuilt_views(changes),
            dropped_view_rules: dropped_view_rules(changes),
        }
    }

    /// The name of `c`'s NOT NULL constraint (PostgreSQL 18) when a
    /// statement creating it must spell it out: when it is not the one
    /// PostgreSQL picks by itself (`{table}_{column}_not_null`), or when
    /// another table holds that name too (PostgreSQL would then pick
    /// `…_not_null1`). Default names stay implicit, so plans read the same
    /// on every major.
    pub fn not_null_name<'c>(&self, table: &QualifiedName, c: &'c Column) -> Option<&'c str> {
        let name = c.not_null_name.as_deref().filter(|_| c.not_null)?;
        let default = crate::pg::naming::DefaultName::not_null(&table.name, &c.name).first();
        let contested = self
            .contested
            .contains(&(table.schema.clone(), name.to_string()));
        (name != default || contested).then_some(name)
    }

    pub fn is_new(&self, t: &QualifiedName) -> bool {
        self.new_tables.contains(t)
    }

    pub fn is_readded(&self, t: &QualifiedName, column: &str) -> bool {
        self.readded.contains(&(t.clone(), column.to_string()))
    }

    /// Whether `data_type` is (an array of) an enum type that exists now.
    pub fn is_enum(&self, data_type: &str) -> bool {
        self.from
            .enums
            .keys()
            .any(|e| crate::diff::type_refers_to(data_type, e))
    }

    /// Whether `data_type` is (not an array of) a domain with a CHECK or
    /// NOT NULL.
    pub fn is_constrained_domain(&self, data_type: &str) -> bool {
        !data_type.ends_with("[]")
            && self
                .constrained_domains
                .iter()
                .any(|d| crate::diff::type_refers_to(data_type, d))
    }

    /// `ACCESS EXCLUSIVE` on an existing table; nothing on a new one.
    pub fn lock(&self, t: &QualifiedName, what: &'static str) -> Option<Hazard> {
        (!self.is_new(t)).then(|| Hazard::Lock {
            level: LockLevel::AccessExclusive,
            on: t.clone(),
            what,
        })
    }

    /// A table rewrite on an existing table; nothing on a new one.
    pub fn rewrite(&self, t: &QualifiedName, what: &'static str) -> Option<Hazard> {
        (!self.is_new(t)).then(|| Hazard::TableRewrite {
            table: t.clone(),
            what,
        })
    }
}

/// `rule _RETURN on [materialized ]view schema.name` of every view
/// `changes` drop, as `pg_describe_object` prints it (names quoted only
/// where needed).
fn dropped_view_rules(changes: &[Change]) -> HashSet<String> {
    use crate::pg::ident::quote_if_needed as q;
    changes
        .iter()
        .filter_map(|ch| match ch {
            Change::DropView { view, .. } => Some(format!(
                "rule _RETURN on {}view {}.{}",
                if view.materialized {
                    "materialized "
                } else {
                    ""
                },
                q(&view.name.schema),
                q(&view.name.name)
            )),
            _ => None,
        })
        .collect()
}

impl Context<'_> {
    /// Whether `what` (a `pg_describe_object` text) is a view's rule this
    /// plan drops.
    pub fn drops_view_rule(&self, what: &str) -> bool {
        self.dropped_view_rules.contains(what)
    }
}

/// Views both dropped and created by `changes`.
fn rebuilt_views(changes: &[Change]) -> HashSet<QualifiedName> {
    let dropped: HashSet<&QualifiedName> = changes
        .iter()
        .filter_map(|ch| match ch {
            Change::DropView { view, .. } => Some(&view.name),
            _ => None,
        })
        .collect();
    changes
        .iter()
        .filter_map(|ch| match ch {
            Change::CreateView { view, .. } if dropped.contains(&view.name) => {
                Some(view.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Constraint names (NOT NULL ones included) that more than one table of
/// a schema holds, in `from` or in what `changes` create.
fn contested_names(changes: &[Change], from: &Database) -> HashSet<(String, String)> {
    use crate::model::Table;
    fn of_table(t: &Table) -> Vec<(QualifiedName, Option<String>)> {
        let cons = crate::diff::constraints_of(t);
        let named = cons.iter().map(|c| c.name().map(str::to_string));
        let nn = t.columns.iter().map(|c| c.not_null_name.clone());
        named.chain(nn).map(|n| (t.name.clone(), n)).collect()
    }
    let mut held: Vec<(QualifiedName, Option<String>)> =
        from.tables.values().flat_map(of_table).collect();
    for ch in changes {
        match ch {
            Change::CreateTable(t) => held.extend(of_table(t)),
            Change::AddColumn { table, column }
            | Change::AlterColumn {
                table, to: column, ..
            } => held.push((table.clone(), column.not_null_name.clone())),
            Change::AddConstraint { table, constraint } => {
                held.push((table.clone(), constraint.name().map(str::to_string)))
            }
            Change::RenameConstraint { table, to, .. } => {
                held.push((table.clone(), Some(to.clone())))
            }
            _ => {}
        }
    }
    let mut holders: std::collections::HashMap<(String, String), HashSet<String>> =
        Default::default();
    for (t, name) in held {
        if let Some(n) = name {
            holders.entry((t.schema, n)).or_default().insert(t.name);
        }
    }
    holders
        .into_iter()
        .filter(|(_, tables)| tables.len() > 1)
        .map(|(k, _)| k)
        .collect()
}

/// The statements that carry out `ch`, in execution order.
pub fn render(ch: &Change, ctx: &Context) -> Vec<Statement> {
    match ch {
        Change::CreateSchema(_)
        | Change::DropSchema(_)
        | Change::CreateExtension(_)
        | Change::DropExtension(_)
        | Change::AlterExtensionSchema(_) => schema::render(ch),
        Change::CreateEnum(e) => vec![enums::create(e)],
        Change::DropEnum(e) => vec![enums::drop(e)],
        Change::AddEnumValue {
            name,
            value,
            before,
        } => vec![enums::add_value(name, value, before.as_deref())],
        Change::RecreateEnum { from, to, columns } => enums::recreate(from, to, columns, ctx),
        Change::CreateSequence(s) => vec![sequences::create(s)],
        Change::DropSequence(s) => vec![sequences::drop(s)],
        Change::AlterSequence { name, from, to } => vec![sequences::alter(name, from, to)],
        Change::SetSequenceOwner { name, to, .. } => vec![sequences::set_owner(name, to.as_ref())],
        Change::CreateTable(t) => table::create(t, ctx),
        Change::DropTable(t) => table::drop(t),
        Change::RenameTable { from, to } => vec![table::rename(from, to)],
        Change::RenameSequence { from, to } if ctx.from.sequences.contains_key(from) => {
            vec![sequences::rename(from, to)]
        }
        Change::RenameSequence { from, to } => vec![table::rename_sequence(from, to)],
        Change::AddColumn { table, column } => column::add(table, column, ctx),
        Change::DropColumn { table, column } => vec![column::drop(table, column, ctx)],
        Change::AlterColumn {
            table,
            from,
            to,
            changes,
        } => changes
            .iter()
            .flat_map(|c| column::alter(table, from, to, c, ctx))
            .collect(),
        Change::RenameColumn { table, from, to } => vec![column::rename(table, from, to)],
        Change::AddConstraint { table, constraint } => {
            vec![constraint::add(table, constraint, ctx)]
        }
        Change::DropConstraint { table, constraint } => {
            vec![constraint::drop(table, constraint, ctx)]
        }
        Change::RenameConstraint { table, from, to } => {
            vec![constraint::rename(table, from, to, ctx)]
        }
        Change::ValidateConstraint { table, name } => vec![constraint::validate(table, name)],
        Change::SetEnforced { table, constraint } => {
            vec![constraint::set_enforced(table, constraint, ctx)]
        }
        Change::CreateIndex { table, index } => vec![index::create(table, index, ctx)],
        Change::DropIndex { table, index } => vec![index::drop(table, index, ctx)],
        Change::RenameIndex { schema, from, to } => vec![index::rename(schema, from, to)],
        Change::SetComment { target, comment } => vec![comment::set(target, comment.as_deref())],
        Change::Type(t) => types::render(t),
        Change::CreateView { view, .. } => {
            // Grants of a rebuilt view are lost unless strata manages
            // privileges (then the diff grants them again).
            let managed = ctx
                .from
                .privileges
                .contains_key(&crate::acl::PrivTarget::Table(view.name.clone()));
            let lost = ctx.rebuilt_views.contains(&view.name) && !managed;
            vec![views::create(view, lost)]
        }
        Change::DropView { view, .. } => {
            vec![views::drop(view, ctx.rebuilt_views.contains(&view.name))]
        }
        Change::ReplaceView { to, .. } => vec![views::replace(to)],
        Change::AlterViewOptions { from, to } => views::alter_options(from, to),
        Change::RefreshMaterializedView { name, with_data } => {
            vec![views::refresh(name, *with_data)]
        }
        Change::RenameView {
            from,
            to,
            materialized,
        } => vec![views::rename(from, to, *materialized)],
        Change::CreateFunction(f) => vec![functions::create(f)],
        Change::ReplaceFunction { to, .. } => vec![functions::replace(to)],
        Change::DropFunction(f) => vec![functions::drop(f, ctx)],
        Change::CreateTrigger(t) => vec![functions::create_trigger(t, ctx)],
        Change::ReplaceTrigger { to, .. } => vec![functions::replace_trigger(to, ctx)],
        Change::DropTrigger(t) => vec![functions::drop_trigger(t, ctx)],
        Change::SetTriggerEnabled(t) => vec![functions::set_enabled(t, ctx)],
        Change::Aggregate(a) => aggregates::render(a),
        Change::Policy(p) => vec![policies::render(p, ctx)],
        Change::Publication(p) => vec![publications::render(p)],
        Change::MovePartition {
            table,
            from,
            to,
            not_null_renames,
        } => partitions::move_partition(table, from.as_ref(), to, not_null_renames, ctx),
        Change::SetTableProperty { table, property } => {
            vec![table_props::render(table, property, ctx)]
        }
        Change::SetColumnProperty {
            table,
            column,
            property,
        } => vec![column_props::render(table, column, property, ctx)],
        Change::Statistics(s) => statistics::render(s, ctx),
        Change::Privilege(p) => vec![privileges::render(p)],
        Change::Owner(o) => vec![owners::render(o)],
        Change::DefaultPrivilege(d) => vec![default_privileges::render(d)],
    }
}

/// Every constraint of `c`'s kind that an index backs (and so takes a
/// name in the schema's relation namespace).
pub fn has_index(c: &Constraint) -> bool {
    matches!(
        c,
        Constraint::PrimaryKey(_) | Constraint::Unique(_) | Constraint::Exclusion(_)
    )
}

/// `"a", "b"`.
pub fn ident_list(cols: &[String]) -> String {
    cols.iter()
        .map(|c| crate::model::quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}
