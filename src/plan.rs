//! `plan`: put a diff's changes into dependency order, render them, and
//! attach the hazard comments a reviewer needs (data loss, table rewrites,
//! heavy locks).
//!
//! Order: schemas → extensions → enum types → drops of foreign keys, then
//! of other constraints and indexes → renames → new tables (parents before
//! children; foreign keys inline where the referenced key already exists,
//! otherwise added at the end, so cycles work) → new and altered columns →
//! constraints and indexes → foreign keys → dropped columns, tables, types,
//! extensions, schemas (reverse order) → comments.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diff::{columns::default_is_volatile, Change, ColumnChange, Constraint};
use crate::escape::ident;
use crate::model::{Column, Database, Origin, QualifiedName, Table};
use crate::sql;

/// One rendered SQL statement with what a reviewer must know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    /// Hazard notes rendered as `-- ` comments above the statement.
    pub notes: Vec<String>,
    /// Set when the statement can lose data: what is lost.
    pub destructive: Option<String>,
    /// Where the object was declared (spec models), for error messages.
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub statements: Vec<Statement>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// What would be lost, one line per destructive statement.
    pub fn destructive(&self) -> Vec<String> {
        self.statements
            .iter()
            .filter_map(|s| s.destructive.clone())
            .collect()
    }

    /// Refuse destructive statements unless allowed.
    pub fn check_destructive(&self, allow: bool) -> crate::Result<()> {
        let d = self.destructive();
        if d.is_empty() || allow {
            Ok(())
        } else {
            Err(crate::Error::Destructive(d))
        }
    }

    /// The plan as SQL text with hazard comments, statements separated by
    /// blank lines.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        for s in &self.statements {
            if !out.is_empty() {
                out.push('\n');
            }
            if let Some(d) = &s.destructive {
                out.push_str(&sql::comment_line(&format!("DESTRUCTIVE: {d}")));
            }
            for n in &s.notes {
                out.push_str(&sql::comment_line(n));
            }
            out.push_str(&s.sql);
            out.push('\n');
        }
        out
    }
}

/// Order and render `changes`, which turn `from` into the desired state.
pub fn plan(changes: &[Change], from: &Database) -> Plan {
    let ctx = Context::new(changes, from);
    let mut phased: Vec<(u8, usize, Vec<Statement>)> = Vec::new();
    for (i, ch) in changes.iter().enumerate() {
        if let Change::CreateTable(_) = ch {
            continue; // rendered below, in dependency order
        }
        phased.push((ctx.phase(ch), i, render(ch, &ctx)));
    }
    for (i, fk_drop) in early_fk_drops(changes) {
        phased.push((0, i, render(&fk_drop, &ctx)));
    }
    let (tables, late_fks) = create_tables(changes, &ctx);
    phased.push((PHASE_CREATE_TABLE, 0, tables));
    phased.push((PHASE_ADD_FK, usize::MAX, late_fks));
    phased.sort_by_key(|(p, i, _)| (*p, *i));
    Plan {
        statements: phased.into_iter().flat_map(|(_, _, s)| s).collect(),
    }
}

const PHASE_CREATE_TABLE: u8 = 9;
const PHASE_ADD_FK: u8 = 15;

/// Facts about the whole change set that single renderings need.
struct Context<'a> {
    from: &'a Database,
    /// Tables created by this plan: statements on them need no lock notes.
    new_tables: HashSet<QualifiedName>,
    /// Tables gaining a primary key, unique constraint or unique index here.
    keys_added: HashSet<QualifiedName>,
    /// (table, column) dropped and re-added (a rebuilt generated column):
    /// the drop must run before the add.
    readded: HashSet<(QualifiedName, String)>,
    /// Dropped objects whose names created objects take over.
    reused: HashSet<QualifiedName>,
}

impl<'a> Context<'a> {
    fn new(changes: &[Change], from: &'a Database) -> Self {
        let mut new_tables = HashSet::new();
        let mut keys_added = HashSet::new();
        let mut added_cols = HashSet::new();
        let mut readded = HashSet::new();
        for ch in changes {
            match ch {
                Change::CreateTable(t) => {
                    new_tables.insert(t.name.clone());
                }
                Change::AddConstraint {
                    table,
                    constraint: Constraint::PrimaryKey(_) | Constraint::Unique(_),
                } => {
                    keys_added.insert(table.clone());
                }
                Change::CreateIndex { table, index } if index.unique => {
                    keys_added.insert(table.clone());
                }
                Change::AddColumn { table, column } => {
                    added_cols.insert((table.clone(), column.name.clone()));
                }
                _ => {}
            }
        }
        for ch in changes {
            if let Change::DropColumn { table, column } = ch {
                let key = (table.clone(), column.name.clone());
                if added_cols.contains(&key) {
                    readded.insert(key);
                }
            }
        }
        Context {
            from,
            new_tables,
            keys_added,
            readded,
            reused: reused_names(changes),
        }
    }

    fn is_new(&self, t: &QualifiedName) -> bool {
        self.new_tables.contains(t)
    }

    fn phase(&self, ch: &Change) -> u8 {
        match ch {
            // Hinted renames first (they come first in the change list, so
            // they sort ahead of phase-0 drops): every later statement uses
            // the new names.
            Change::RenameTable { .. }
            | Change::RenameColumn { .. }
            | Change::RenameSequence { .. } => 0,
            // Drops that free what later statements need come first: they
            // depend on nothing being created.
            Change::DropConstraint { constraint, .. } if constraint.is_foreign_key() => 0,
            Change::DropConstraint { .. } | Change::DropIndex { .. } => 1,
            Change::AlterColumn { from, .. } if self.leaves_reused_type(from) => 2,
            Change::DropTable(t) if self.reused.contains(&t.name) => 3,
            Change::DropEnum(e) if self.reused.contains(&e.name) => 3,
            Change::CreateSchema(_) => 4,
            Change::CreateExtension(_) | Change::AlterExtensionSchema(_) => 5,
            Change::CreateEnum(_) | Change::AddEnumValue { .. } => 6,
            Change::RenameConstraint { .. } | Change::RenameIndex { .. } => 7,
            Change::ValidateConstraint { .. } => PHASE_ADD_FK + 1,
            Change::DropColumn { table, column }
                if self.readded.contains(&(table.clone(), column.name.clone())) =>
            {
                8
            }
            Change::CreateTable(_) => PHASE_CREATE_TABLE,
            // Generated columns after the columns (and type changes) their
            // expressions use.
            Change::AddColumn { column, .. } if column.generated.is_some() => 12,
            Change::AddColumn { .. } => 10,
            Change::AlterColumn { .. } | Change::RecreateEnum { .. } => 11,
            Change::AddConstraint { constraint, .. } if constraint.is_foreign_key() => PHASE_ADD_FK,
            Change::AddConstraint { .. } => 13,
            Change::CreateIndex { .. } => 14,
            // Generated columns before the columns their expressions use.
            Change::DropColumn { column, .. } if column.generated.is_some() => 16,
            Change::DropColumn { .. } => 17,
            Change::DropTable(_) => 18,
            Change::DropEnum(_) => 19,
            Change::DropExtension(_) => 20,
            Change::DropSchema(_) => 21,
            Change::SetComment { .. } => 22,
        }
    }

    /// A column moving off a type whose name a new object takes over.
    fn leaves_reused_type(&self, from: &Column) -> bool {
        self.reused
            .iter()
            .any(|n| crate::diff::type_refers_to(&from.data_type, n))
    }
}

/// Foreign keys of dropped tables that must go before the table does: the
/// key they reference is dropped or altered in this plan (a unique
/// constraint, a column, its type), and PostgreSQL refuses that while the
/// foreign key still depends on it. Keyed by the table drop's index so
/// they sort with it among the phase-0 foreign-key drops.
fn early_fk_drops(changes: &[Change]) -> Vec<(usize, Change)> {
    let mut touched: HashSet<&QualifiedName> = HashSet::new();
    // Foreign keys some change drops already (cycles among dropped tables).
    let mut dropped_fks: HashSet<(&QualifiedName, &str)> = HashSet::new();
    for ch in changes {
        match ch {
            Change::DropConstraint { table, constraint } if constraint.is_foreign_key() => {
                dropped_fks.insert((table, constraint.name().unwrap_or_default()));
            }
            Change::DropConstraint { table, .. }
            | Change::DropIndex { table, .. }
            | Change::DropColumn { table, .. }
            | Change::AlterColumn { table, .. } => {
                touched.insert(table);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, ch) in changes.iter().enumerate() {
        let Change::DropTable(t) = ch else { continue };
        for fk in &t.foreign_keys {
            let name = fk.name.as_deref().unwrap_or_default();
            if fk.ref_table != t.name
                && touched.contains(&fk.ref_table)
                && !dropped_fks.contains(&(&t.name, name))
            {
                out.push((
                    i,
                    Change::DropConstraint {
                        table: t.name.clone(),
                        constraint: Constraint::ForeignKey(fk.clone()),
                    },
                ));
            }
        }
    }
    out
}

/// Names of dropped tables, indexes and types that a created table, index
/// or type takes over: tables, indexes and types share one namespace per
/// schema (a table also owns a row type of its name), so the drop must run
/// before the create.
fn reused_names(changes: &[Change]) -> HashSet<QualifiedName> {
    let mut created = HashSet::new();
    for ch in changes {
        match ch {
            Change::CreateTable(t) => {
                created.insert(t.name.clone());
            }
            Change::CreateEnum(e) => {
                created.insert(e.name.clone());
            }
            Change::CreateIndex { table, index } => {
                if let Some(n) = &index.name {
                    created.insert(QualifiedName::new(&table.schema, n));
                }
            }
            _ => {}
        }
    }
    changes
        .iter()
        .filter_map(|ch| match ch {
            Change::DropTable(t) => Some(t.name.clone()),
            Change::DropEnum(e) => Some(e.name.clone()),
            _ => None,
        })
        .filter(|n| created.contains(n))
        .collect()
}

fn stmt(sql: String) -> Statement {
    Statement {
        sql,
        notes: Vec::new(),
        destructive: None,
        origin: None,
    }
}

fn with_note(sql: String, note: Option<String>) -> Statement {
    let mut s = stmt(sql);
    s.notes.extend(note);
    s
}

fn lock_note(ctx: &Context, t: &QualifiedName, what: &str) -> Option<String> {
    (!ctx.is_new(t)).then(|| format!("strata: ACCESS EXCLUSIVE lock on {}; {what}", t.quoted()))
}

fn render(ch: &Change, ctx: &Context) -> Vec<Statement> {
    match ch {
        Change::CreateSchema(ns) => vec![origin(stmt(sql::create_schema(&ns.name)), &ns.origin)],
        Change::DropSchema(ns) => {
            let mut s = stmt(sql::drop_schema(&ns.name));
            s.destructive = Some(format!("drops schema {}", ident(&ns.name)));
            vec![s]
        }
        Change::CreateExtension(e) => vec![origin(stmt(sql::create_extension(e)), &e.origin)],
        Change::DropExtension(e) => {
            let mut s = stmt(sql::drop_extension(e));
            s.destructive = Some(format!("drops extension {}", ident(&e.name)));
            vec![s]
        }
        Change::AlterExtensionSchema(e) => vec![stmt(sql::alter_extension_schema(e))],
        Change::CreateEnum(e) => vec![origin(stmt(sql::create_enum(e)), &e.origin)],
        Change::DropEnum(e) => {
            let mut s = stmt(sql::drop_type(&e.name));
            s.destructive = Some(format!("drops enum type {}", e.name.ident()));
            vec![s]
        }
        Change::AddEnumValue {
            name,
            value,
            before,
        } => vec![with_note(
            sql::add_enum_value(name, value, before.as_deref()),
            Some(format!(
                "strata: the new value {value:?} cannot be used until this transaction commits"
            )),
        )],
        Change::RecreateEnum { from, to, columns } => render_recreate_enum(from, to, columns, ctx),
        Change::CreateTable(_) => Vec::new(),
        Change::DropTable(t) => {
            let mut s = stmt(sql::drop_table(&t.name));
            s.destructive = Some(format!("drops table {} and all its rows", t.name.ident()));
            vec![s]
        }
        Change::AddColumn { table, column } => render_add_column(table, column, ctx),
        Change::DropColumn { table, column } => {
            let mut s = stmt(format!(
                "ALTER TABLE {} DROP COLUMN {};",
                table.quoted(),
                crate::model::quote_ident(&column.name)
            ));
            let readded = ctx.readded.contains(&(table.clone(), column.name.clone()));
            // Only a generated column's values come back by themselves.
            if readded && column.generated.is_some() {
                s.notes.push(format!(
                    "strata: {} is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed",
                    ident(&column.name)
                ));
            } else {
                s.destructive = Some(format!(
                    "drops column {}.{} and its data",
                    table.ident(),
                    ident(&column.name)
                ));
            }
            s.notes
                .extend(lock_note(ctx, table, "brief (catalog change only)"));
            vec![s]
        }
        Change::AlterColumn {
            table,
            from,
            to,
            changes,
        } => changes
            .iter()
            .flat_map(|c| render_column_change(table, from, to, c, ctx))
            .collect(),
        Change::AddConstraint { table, constraint } => {
            vec![origin(
                with_note(
                    sql::add_constraint(table, constraint),
                    add_constraint_note(table, constraint, ctx),
                ),
                constraint.origin(),
            )]
        }
        Change::DropConstraint { table, constraint } => vec![with_note(
            sql::drop_constraint(table, constraint.name().unwrap_or_default()),
            lock_note(ctx, table, "brief"),
        )],
        Change::ValidateConstraint { table, name } => vec![with_note(
            format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {};",
                table.quoted(),
                crate::model::quote_ident(name)
            ),
            Some(format!(
                "strata: scans {} under SHARE UPDATE EXCLUSIVE (reads and writes go on)",
                table.quoted()
            )),
        )],
        Change::RenameConstraint { table, from, to } => vec![with_note(
            sql::rename_constraint(table, from, to),
            lock_note(ctx, table, "brief"),
        )],
        Change::CreateIndex { table, index } => {
            let note = (!ctx.is_new(table)).then(|| {
                format!(
                    "strata: SHARE lock on {} blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration",
                    table.quoted()
                )
            });
            vec![origin(
                with_note(sql::create_index(table, index), note),
                &index.origin,
            )]
        }
        Change::DropIndex { table, index } => vec![with_note(
            sql::drop_index(&table.schema, index.name.as_deref().unwrap_or_default()),
            lock_note(ctx, table, "brief; DROP INDEX CONCURRENTLY avoids it"),
        )],
        Change::RenameIndex { schema, from, to } => {
            vec![stmt(sql::rename_index(schema, from, to))]
        }
        Change::RenameTable { from, to } => vec![with_note(
            format!(
                "ALTER TABLE {} RENAME TO {};",
                from.quoted(),
                crate::model::quote_ident(to)
            ),
            Some(format!(
                "strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on {}, brief; code using the old name breaks",
                from.quoted()
            )),
        )],
        Change::RenameSequence { from, to } => vec![stmt(format!(
            "ALTER SEQUENCE {} RENAME TO {};",
            from.quoted(),
            crate::model::quote_ident(to)
        ))],
        Change::RenameColumn { table, from, to } => vec![with_note(
            format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {};",
                table.quoted(),
                crate::model::quote_ident(from),
                crate::model::quote_ident(to)
            ),
            Some(format!(
                "strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on {}, brief; code using the old name breaks",
                table.quoted()
            )),
        )],
        Change::SetComment { target, comment } => {
            vec![stmt(sql::comment_on(target, comment.as_deref()))]
        }
    }
}

fn origin(mut s: Statement, o: &Origin) -> Statement {
    if o.file.is_some() {
        s.origin = Some(o.clone());
    }
    s
}

fn add_constraint_note(t: &QualifiedName, c: &Constraint, ctx: &Context) -> Option<String> {
    if ctx.is_new(t) {
        return None;
    }
    Some(match c {
        Constraint::ForeignKey(fk) => format!(
            "strata: SHARE ROW EXCLUSIVE lock on {} and {} while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately",
            t.quoted(),
            fk.ref_table.quoted()
        ),
        Constraint::Check(_) => format!(
            "strata: ACCESS EXCLUSIVE lock on {} while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately",
            t.quoted()
        ),
        _ => format!(
            "strata: ACCESS EXCLUSIVE lock on {} while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX",
            t.quoted()
        ),
    })
}

fn render_add_column(table: &QualifiedName, c: &Column, ctx: &Context) -> Vec<Statement> {
    let mut s = stmt(format!(
        "ALTER TABLE {} ADD COLUMN {};",
        table.quoted(),
        sql::column_definition(c)
    ));
    s.origin = c.origin.file.as_ref().map(|_| c.origin.clone());
    let rewrites = c.identity.is_some()
        || c.serial.is_some()
        || c.generated.is_some()
        || c.default.as_deref().is_some_and(default_is_volatile);
    if !ctx.is_new(table) {
        let what = if rewrites {
            "rewrites the table (the new column's values are computed per row)"
        } else {
            "brief (catalog change only)"
        };
        s.notes.extend(lock_note(ctx, table, what));
        if c.not_null
            && c.default.is_none()
            && c.identity.is_none()
            && c.serial.is_none()
            && c.generated.is_none()
        {
            s.notes.push(
                "strata: NOT NULL without a default fails if the table has rows; add it nullable, backfill, then SET NOT NULL".into(),
            );
        }
    }
    let mut out = vec![s];
    out.extend(serial_fixup(table, c));
    out
}

/// `serial` creates its sequence with default options; set the others.
fn serial_fixup(table: &QualifiedName, c: &Column) -> Option<Statement> {
    let seq = c.serial.as_ref()?;
    if seq.is_default() {
        return None;
    }
    let change = ColumnChange::AlterSerial(seq.clone());
    let sql = sql::alter_column(table, c, c, &change).join("\n");
    Some(stmt(sql))
}

fn render_column_change(
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    change: &ColumnChange,
    ctx: &Context,
) -> Vec<Statement> {
    let sqls = sql::alter_column(table, from, to, change);
    let mut out: Vec<Statement> = sqls.into_iter().map(stmt).collect();
    let backfill = out.len() > 1;
    let (first, rest) = match out.split_first_mut() {
        Some(x) => x,
        None => return out,
    };
    match change {
        ColumnChange::Type { lossy, rewrite } => {
            if *lossy {
                first.destructive = Some(format!(
                    "changes {}.{} from {} to {}: values may not convert or may lose precision",
                    table.ident(),
                    ident(&to.name),
                    from.data_type,
                    to.data_type
                ));
            }
            let what = if *rewrite {
                "rewrites the table and rebuilds its indexes"
            } else {
                "brief (no rewrite needed)"
            };
            first.notes.extend(lock_note(ctx, table, what));
        }
        ColumnChange::SetNotNull if backfill => {
            first.notes.push(
                "strata: rows where the column is NULL get its default before NOT NULL is set".into(),
            );
            first.notes.extend(lock_note(ctx, table, "updates those rows"));
            rest[0].notes.extend(lock_note(
                ctx,
                table,
                "scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
            ));
        }
        ColumnChange::SetNotNull => first.notes.extend(lock_note(
            ctx,
            table,
            "scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
        )),
        ColumnChange::DropSerial(_) => first
            .notes
            .extend(lock_note(ctx, table, "brief; the column's sequence is dropped")),
        ColumnChange::AddIdentity(_) | ColumnChange::AddSerial(_) => first
            .notes
            .extend(lock_note(ctx, table, "brief")),
        _ => first.notes.extend(lock_note(ctx, table, "brief")),
    }
    out
}

fn render_recreate_enum(
    from: &crate::model::EnumType,
    to: &crate::model::EnumType,
    columns: &[(QualifiedName, Column)],
    ctx: &Context,
) -> Vec<Statement> {
    use crate::model::quote_ident;
    // `{name}__strata_old`, the name cut first so the whole fits 63 bytes:
    // PostgreSQL would otherwise cut the suffix off, back onto the name.
    let old = QualifiedName::new(
        &from.name.schema,
        crate::spec::names::make_object_name(&from.name.name, None, "_strata_old"),
    );
    let mut out = vec![stmt(format!(
        "ALTER TYPE {} RENAME TO {};",
        from.name.quoted(),
        quote_ident(&old.name)
    ))];
    out.push(stmt(sql::create_enum(to)));
    let removed: Vec<&String> = from
        .values
        .iter()
        .filter(|v| !to.values.contains(v))
        .collect();
    for (t, c) in columns {
        let col = quote_ident(&c.name);
        let (cast_text, cast_new) = if c.data_type.ends_with("[]") {
            ("text[]", format!("{}[]", to.name.quoted()))
        } else {
            ("text", to.name.quoted())
        };
        if c.default.is_some() {
            out.push(stmt(format!(
                "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT;",
                t.quoted()
            )));
        }
        let mut s = stmt(format!(
            "ALTER TABLE {} ALTER COLUMN {col} TYPE {cast_new} USING {col}::{cast_text}::{cast_new};",
            t.quoted()
        ));
        s.notes.extend(lock_note(ctx, t, "rewrites the table"));
        out.push(s);
        if let Some(d) = &c.default {
            out.push(stmt(format!(
                "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {d};",
                t.quoted()
            )));
        }
    }
    let mut drop = stmt(format!("DROP TYPE {};", old.quoted()));
    if !removed.is_empty() {
        let list: Vec<String> = removed.iter().map(|v| format!("{v:?}")).collect();
        out[0].destructive = Some(format!(
            "removes value(s) {} from enum {}: rows holding them make the conversion fail",
            list.join(", "),
            from.name.ident()
        ));
    }
    drop.notes.push("strata: the old type, now unused".into());
    out.push(drop);
    out
}

/// New tables in dependency order (referenced tables first), each with the
/// foreign keys whose referenced key already exists inline; the rest (cycles,
/// keys added later in this plan) come back as `ALTER TABLE … ADD` statements.
fn create_tables(changes: &[Change], ctx: &Context) -> (Vec<Statement>, Vec<Statement>) {
    let tables: BTreeMap<&QualifiedName, &Table> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some((&t.name, t)),
            _ => None,
        })
        .collect();
    let order = topo_order(&tables);
    let mut created: BTreeSet<&QualifiedName> = BTreeSet::new();
    let (mut stmts, mut late) = (Vec::new(), Vec::new());
    let t_of = |n: &QualifiedName| tables[n];
    for name in order {
        let t = tables[name];
        // NOT VALID constraints are added after the table: CREATE TABLE
        // would validate them.
        let mut inline: Vec<Constraint> = Vec::new();
        for c in crate::diff::constraints_of(t) {
            if c.not_valid() {
                late.push(stmt(sql::add_constraint(name, &c)));
            } else if !c.is_foreign_key() {
                inline.push(c);
            }
        }
        for fk in t.foreign_keys.iter().filter(|fk| !fk.not_valid) {
            let target = &fk.ref_table;
            // A key on a new table is ready once that table exists, unless
            // it is a unique *index* (created later, with the indexes).
            let new_key_ready = |t: &Table| {
                let same = |cols: &[String]| {
                    cols.len() == fk.ref_columns.len()
                        && cols.iter().all(|c| fk.ref_columns.contains(c))
                };
                fk.ref_columns.is_empty()
                    || t.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
                    || t.uniques.iter().any(|u| same(&u.columns))
            };
            let ready = ((target == name || created.contains(target))
                && new_key_ready(t_of(target)))
                || (ctx.from.tables.contains_key(target)
                    && !ctx.keys_added.contains(target)
                    && !tables.contains_key(target));
            let c = Constraint::ForeignKey(fk.clone());
            if ready {
                inline.push(c);
            } else {
                late.push(origin(stmt(sql::add_constraint(name, &c)), &fk.origin));
            }
        }
        // A default drawing from a sequence (`nextval('other_seq')`, a
        // serial of another table) may name one that is created later:
        // set it once every table exists.
        let mut bare = t.clone();
        for c in bare.columns.iter_mut() {
            if c.default.as_deref().is_some_and(|d| d.contains("nextval(")) {
                let d = c.default.take().unwrap_or_default();
                late.push(stmt(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {d};",
                    name.quoted(),
                    crate::model::quote_ident(&c.name)
                )));
            }
        }
        stmts.push(origin(stmt(sql::create_table(&bare, &inline)), &t.origin));
        for c in &t.columns {
            stmts.extend(serial_fixup(name, c));
        }
        created.insert(name);
    }
    (stmts, late)
}

/// Kahn's algorithm over foreign-key edges between new tables; tables left
/// in cycles follow in name order (their back edges become late FKs).
fn topo_order<'a>(tables: &BTreeMap<&'a QualifiedName, &'a Table>) -> Vec<&'a QualifiedName> {
    let mut deps: BTreeMap<&QualifiedName, BTreeSet<&QualifiedName>> = BTreeMap::new();
    for (name, t) in tables {
        let d = deps.entry(name).or_default();
        for fk in &t.foreign_keys {
            if let Some((target, _)) = tables.get_key_value(&fk.ref_table) {
                if target != name {
                    d.insert(target);
                }
            }
        }
    }
    let mut order = Vec::new();
    let mut done: BTreeSet<&QualifiedName> = BTreeSet::new();
    while done.len() < deps.len() {
        let ready: Vec<&QualifiedName> = deps
            .iter()
            .filter(|(n, d)| !done.contains(*n) && d.iter().all(|x| done.contains(x)))
            .map(|(n, _)| *n)
            .collect();
        let next = if ready.is_empty() {
            cycle_breaker(&deps, &done).into_iter().collect()
        } else {
            ready
        };
        for n in next {
            done.insert(n);
            order.push(n);
        }
    }
    order
}

/// When only cycles remain: the first table (by name) of a cycle that
/// depends on nothing outside itself, so tables that merely hang off a cycle
/// still come after it. Its back edges become late foreign keys.
fn cycle_breaker<'a>(
    deps: &BTreeMap<&'a QualifiedName, BTreeSet<&'a QualifiedName>>,
    done: &BTreeSet<&'a QualifiedName>,
) -> Option<&'a QualifiedName> {
    let reach = |from: &'a QualifiedName| {
        let mut seen: BTreeSet<&QualifiedName> = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for d in &deps[n] {
                if !done.contains(d) && seen.insert(*d) {
                    stack.push(*d);
                }
            }
        }
        seen
    };
    let remaining: Vec<&QualifiedName> = deps
        .keys()
        .filter(|n| !done.contains(*n))
        .copied()
        .collect();
    remaining
        .iter()
        .find(|n| reach(n).iter().all(|m| reach(m).contains(**n)))
        .or(remaining.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ForeignKey, PrimaryKey};

    fn table(name: &str, refs: &[&str]) -> Table {
        let q = |n: &str| QualifiedName::new("public", n);
        Table {
            name: q(name),
            columns: vec![Column {
                name: "id".into(),
                data_type: "integer".into(),
                not_null: true,
                ..Default::default()
            }],
            primary_key: Some(PrimaryKey {
                name: Some(format!("{name}_pkey")),
                columns: vec!["id".into()],
                ..Default::default()
            }),
            foreign_keys: refs
                .iter()
                .map(|r| ForeignKey {
                    name: Some(format!("{name}_{r}_fkey")),
                    columns: vec!["id".into()],
                    ref_table: q(r),
                    ref_columns: vec!["id".into()],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn db(tables: Vec<Table>) -> Database {
        Database {
            tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn parents_are_created_before_children() {
        let want = db(vec![
            table("a_child", &["b_parent"]),
            table("b_parent", &[]),
        ]);
        let p = plan(
            &crate::diff::diff(&Database::default(), &want),
            &Database::default(),
        );
        let sql = p.to_sql();
        let parent = sql.find("CREATE TABLE \"public\".\"b_parent\"").unwrap();
        let child = sql.find("CREATE TABLE \"public\".\"a_child\"").unwrap();
        assert!(parent < child, "{sql}");
        assert!(!sql.contains("ALTER TABLE"), "FK should be inline:\n{sql}");
    }

    #[test]
    fn foreign_key_cycles_are_closed_with_alter_table() {
        let want = db(vec![table("orgs", &["users"]), table("users", &["orgs"])]);
        let p = plan(
            &crate::diff::diff(&Database::default(), &want),
            &Database::default(),
        );
        let sql = p.to_sql();
        assert_eq!(sql.matches("CREATE TABLE").count(), 2, "{sql}");
        assert_eq!(sql.matches("ALTER TABLE").count(), 1, "{sql}");
        let alter = sql.find("ALTER TABLE").unwrap();
        assert!(sql.rfind("CREATE TABLE").unwrap() < alter, "{sql}");
    }

    #[test]
    fn tables_hanging_off_a_cycle_keep_inline_keys() {
        let want = db(vec![
            table("a_leaf", &["orgs"]),
            table("orgs", &["users"]),
            table("users", &["orgs"]),
        ]);
        let p = plan(
            &crate::diff::diff(&Database::default(), &want),
            &Database::default(),
        );
        let sql = p.to_sql();
        assert_eq!(sql.matches("ALTER TABLE").count(), 1, "{sql}");
        assert!(!sql.contains("ALTER TABLE \"public\".\"a_leaf\""), "{sql}");
    }

    #[test]
    fn drops_are_destructive_and_refused() {
        let have = db(vec![table("orgs", &["users"]), table("users", &["orgs"])]);
        let p = plan(&crate::diff::diff(&have, &Database::default()), &have);
        assert_eq!(p.destructive().len(), 2);
        assert!(p.check_destructive(false).is_err());
        assert!(p.check_destructive(true).is_ok());
        // The cycle is cut before either table is dropped.
        let sql = p.to_sql();
        let cut = sql.find("DROP CONSTRAINT").unwrap();
        assert!(cut < sql.find("DROP TABLE").unwrap(), "{sql}");
    }

    #[test]
    fn changes_on_existing_tables_carry_lock_notes() {
        let have = db(vec![table("t", &[])]);
        let mut want = have.clone();
        want.tables
            .values_mut()
            .next()
            .unwrap()
            .columns
            .push(Column {
                name: "n".into(),
                data_type: "integer".into(),
                not_null: true,
                ..Default::default()
            });
        let p = plan(&crate::diff::diff(&have, &want), &have);
        let sql = p.to_sql();
        assert!(sql.contains("ACCESS EXCLUSIVE"), "{sql}");
        assert!(sql.contains("fails if the table has rows"), "{sql}");
    }
}
