//! Table-level comparison: tables, columns, constraints, indexes, comments.

use std::collections::BTreeSet;

use super::columns::{alterable, compare, virtual_to_plain, ColumnChange};
use super::{constraints_of, Change, CommentTarget, Constraint};
use crate::model::{Column, Database, Index, QualifiedName, Table};

pub(super) fn diff_tables(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let rebuilt = rebuilt_columns(from, to);
    let repartitioned = super::partitions::rebuilt(from, to);
    for (name, table) in &to.tables {
        match from.tables.get(name) {
            None => create_table(table, out),
            Some(_) if repartitioned.contains(name) => create_table(table, out),
            Some(old) => match super::partitions::diff_partition(old, table, to, out) {
                Some(attached) => alter_table(&attached, table, &rebuilt, out),
                None => alter_table(old, table, &rebuilt, out),
            },
        }
    }
    // Ordered: the changes (and so the migration's text) must not depend
    // on a hash seed.
    let dropped: BTreeSet<&QualifiedName> = from
        .tables
        .keys()
        .filter(|n| !to.tables.contains_key(*n) || repartitioned.contains(*n))
        .collect();
    for name in &dropped {
        let table = &from.tables[*name];
        // Foreign keys between dropped tables go first, so the tables can be
        // dropped in any order (cycles included) without CASCADE.
        for fk in &table.foreign_keys {
            if fk.ref_table != table.name && dropped.contains(&fk.ref_table) {
                out.push(Change::DropConstraint {
                    table: table.name.clone(),
                    constraint: Constraint::ForeignKey(fk.clone()),
                });
            }
        }
        out.push(Change::DropTable(table.clone()));
    }
    rebuild_dependent_fks(from, to, out);
}

fn create_table(table: &Table, out: &mut Vec<Change>) {
    let mut bare = table.clone();
    bare.indexes.clear();
    // Set once its indexes exist (`table_props::on_create`).
    bare.replica_identity = Default::default();
    bare.cluster_on = None;
    bare.row_security = false;
    bare.force_row_security = false;
    let folded = split_folded(&mut bare);
    out.push(Change::CreateTable(bare));
    for constraint in folded {
        out.push(Change::AddConstraint {
            table: table.name.clone(),
            constraint,
        });
    }
    if table.comment.is_some() {
        out.push(comment(
            CommentTarget::Table(table.name.clone()),
            &table.comment,
        ));
    }
    for c in &table.columns {
        if c.comment.is_some() {
            out.push(comment(
                CommentTarget::Column(table.name.clone(), c.name.clone()),
                &c.comment,
            ));
        }
        super::column_props::on_new(&table.name, c, out);
    }
    for con in constraints_of(table) {
        if let (Some(name), Some(_)) = (con.name(), con.comment()) {
            out.push(Change::SetComment {
                target: CommentTarget::Constraint(table.name.clone(), name.to_string()),
                comment: con.comment().map(str::to_string),
            });
        }
    }
    for idx in &table.indexes {
        create_index(&table.name, idx, out);
    }
    super::table_props::on_create(table, out);
    super::statistics::on_create(table, out);
}

/// Index-backed constraints that PostgreSQL would fold into an earlier one
/// of the same `CREATE TABLE` (`transformIndexConstraints` keeps one index
/// per identical definition, the primary key first: `id integer primary
/// key unique` makes a primary key only). They are taken out of `t`, to be
/// added by their own `ALTER TABLE`, where PostgreSQL does not fold.
fn split_folded(t: &mut Table) -> Vec<Constraint> {
    let mut seen: Vec<String> = t
        .primary_key
        .iter()
        .map(|pk| {
            index_key(
                key_method(pk.without_overlaps),
                &pk.columns,
                &pk.include,
                false,
                (pk.deferrable, pk.initially_deferred),
                None,
            )
        })
        .collect();
    let mut folded = Vec::new();
    let mut keep = |key: String, c: Constraint| {
        if seen.contains(&key) {
            folded.push(c);
            false
        } else {
            seen.push(key);
            true
        }
    };
    t.uniques.retain(|u| {
        let key = index_key(
            key_method(u.without_overlaps),
            &u.columns,
            &u.include,
            u.nulls_not_distinct,
            (u.deferrable, u.initially_deferred),
            None,
        );
        keep(key, Constraint::Unique(u.clone()))
    });
    t.exclusions.retain(|x| {
        let key = index_key(
            &x.method,
            &x.elements,
            &[],
            false,
            (x.deferrable, x.initially_deferred),
            x.predicate.as_deref(),
        );
        keep(key, Constraint::Exclusion(x.clone()))
    });
    folded
}

/// The index method of a primary key or unique constraint: a temporal
/// one (`WITHOUT OVERLAPS`) is backed by GiST.
fn key_method(without_overlaps: bool) -> &'static str {
    if without_overlaps {
        "gist"
    } else {
        "btree"
    }
}

/// What `transformIndexConstraints` compares (index elements, INCLUDE,
/// method, NULLS NOT DISTINCT, deferrability, predicate), as one key.
fn index_key(
    method: &str,
    elements: &[String],
    include: &[String],
    nulls_not_distinct: bool,
    deferral: (bool, bool),
    predicate: Option<&str>,
) -> String {
    format!(
        "{method}\0{elements:?}\0{include:?}\0{nulls_not_distinct}\0{deferral:?}\0{predicate:?}"
    )
}

pub(super) fn create_index(table: &QualifiedName, idx: &Index, out: &mut Vec<Change>) {
    out.push(Change::CreateIndex {
        table: table.clone(),
        index: idx.clone(),
    });
    if let (Some(name), Some(_)) = (&idx.name, &idx.comment) {
        out.push(comment(
            CommentTarget::Index(QualifiedName::new(&table.schema, name)),
            &idx.comment,
        ));
    }
}

fn comment(target: CommentTarget, c: &Option<String>) -> Change {
    Change::SetComment {
        target,
        comment: c.clone(),
    }
}

/// Columns that must be dropped and added again (see `alterable`), as
/// (table, column) pairs.
fn rebuilt_columns(from: &Database, to: &Database) -> BTreeSet<(QualifiedName, String)> {
    let mut out = BTreeSet::new();
    for (name, t) in &to.tables {
        let Some(old) = from.tables.get(name) else {
            continue;
        };
        // Columns whose type changes: PostgreSQL refuses to retype a column
        // a generated column uses, so those generated columns are rebuilt
        // around the type change even when their expression is unchanged.
        let retyped: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| {
                old.column(&c.name)
                    .is_some_and(|oc| oc.data_type != c.data_type || oc.collation != c.collation)
            })
            .map(|c| c.name.as_str())
            .collect();
        for c in &t.columns {
            if let Some(oc) = old.column(&c.name) {
                let uses_retyped = c.generated.as_deref().is_some_and(|g| {
                    retyped
                        .iter()
                        .any(|r| *r != c.name && mentions_column(g, r))
                });
                if !alterable(oc, c) || (uses_retyped && oc.generated.is_some()) {
                    out.insert((name.clone(), c.name.clone()));
                }
            }
        }
    }
    out
}

fn alter_table(
    old: &Table,
    new: &Table,
    rebuilt: &BTreeSet<(QualifiedName, String)>,
    out: &mut Vec<Change>,
) {
    let tname = &new.name;
    let is_rebuilt = |col: &str| rebuilt.contains(&(tname.clone(), col.to_string()));
    let rebuilt_here: Vec<&str> = new
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|c| is_rebuilt(c))
        .collect();

    diff_constraints(old, new, &rebuilt_here, out);
    diff_indexes(old, new, &rebuilt_here, out);
    super::statistics::alter(old, new, &rebuilt_here, out);

    for c in &new.columns {
        match old.column(&c.name) {
            None => add_column(tname, c, out),
            Some(oc) if is_rebuilt(&c.name) => {
                out.push(Change::DropColumn {
                    table: tname.clone(),
                    column: oc.clone(),
                });
                if virtual_to_plain(oc, c) {
                    add_filled_column(tname, oc, c, out);
                } else {
                    add_column(tname, c, out);
                }
            }
            Some(oc) => {
                let changes = compare(oc, c);
                if !changes.is_empty() {
                    out.push(Change::AlterColumn {
                        table: tname.clone(),
                        from: oc.clone(),
                        to: c.clone(),
                        changes,
                    });
                }
                out.extend(not_null_rename(tname, oc, c));
                super::column_props::alter(tname, oc, c, out);
                if oc.comment != c.comment {
                    out.push(comment(
                        CommentTarget::Column(tname.clone(), c.name.clone()),
                        &c.comment,
                    ));
                }
            }
        }
    }
    for oc in &old.columns {
        if new.column(&oc.name).is_none() {
            out.push(Change::DropColumn {
                table: tname.clone(),
                column: oc.clone(),
            });
        }
    }
    if old.comment != new.comment {
        out.push(comment(CommentTarget::Table(tname.clone()), &new.comment));
    }
    super::table_props::alter(old, new, out);
}

fn add_column(table: &QualifiedName, c: &Column, out: &mut Vec<Change>) {
    out.push(Change::AddColumn {
        table: table.clone(),
        column: c.clone(),
    });
    if c.comment.is_some() {
        out.push(comment(
            CommentTarget::Column(table.clone(), c.name.clone()),
            &c.comment,
        ));
    }
    super::column_props::on_new(table, c, out);
}

/// A VIRTUAL generated column `old` that becomes the plain column `new`
/// (already dropped): added back nullable, filled from the old expression,
/// then made NOT NULL if it is to be (`ADD COLUMN … NOT NULL` fails on a
/// table with rows).
fn add_filled_column(table: &QualifiedName, old: &Column, new: &Column, out: &mut Vec<Change>) {
    let added = Column {
        not_null: false,
        not_null_name: None,
        ..new.clone()
    };
    add_column(table, &added, out);
    let mut changes = vec![ColumnChange::Backfill(
        old.generated.clone().unwrap_or_default(),
    )];
    if new.not_null {
        changes.push(ColumnChange::SetNotNull);
    }
    out.push(Change::AlterColumn {
        table: table.clone(),
        from: added,
        to: new.clone(),
        changes,
    });
}

/// PostgreSQL 18 names NOT NULL constraints, and a table or column rename
/// leaves the name behind (`customers_email_not_null` on `clients`): when
/// both sides name the constraint and the names differ, rename it.
fn not_null_rename(table: &QualifiedName, old: &Column, new: &Column) -> Option<Change> {
    let (Some(from), Some(to)) = (&old.not_null_name, &new.not_null_name) else {
        return None;
    };
    (old.not_null && new.not_null && from != to).then(|| Change::RenameConstraint {
        table: table.clone(),
        from: from.clone(),
        to: to.clone(),
    })
}

pub use crate::pg::expr::mentions_column;

fn constraint_uses(c: &Constraint, cols: &[&str]) -> bool {
    cols.iter()
        .any(|col| c.columns().iter().any(|x| x == col) || mentions_column(c.definition(), col))
}

fn index_uses(i: &Index, cols: &[&str]) -> bool {
    cols.iter().any(|col| {
        i.keys.iter().any(|k| !k.is_expression && k.expr == *col)
            || i.include.iter().any(|x| x == col)
            || mentions_column(&i.definition, col)
    })
}

fn diff_constraints(old: &Table, new: &Table, rebuilt: &[&str], out: &mut Vec<Change>) {
    let t = &new.name;
    let olds = constraints_of(old);
    let news = constraints_of(new);
    let find = |list: &[Constraint], name: Option<&str>| {
        list.iter()
            .find(|c| c.name().is_some() && c.name() == name)
            .cloned()
    };
    let mut unmatched_old: Vec<Constraint> = Vec::new();
    let mut unmatched_new: Vec<Constraint> = Vec::new();
    for oc in &olds {
        match find(&news, oc.name()) {
            Some(nc) if nc.definition() == oc.definition() && !constraint_uses(&nc, rebuilt) => {
                // Validity only ratchets up: a valid constraint already
                // satisfies a desired NOT VALID one.
                if oc.not_valid() && !nc.not_valid() {
                    out.push(Change::ValidateConstraint {
                        table: t.clone(),
                        name: nc.name().unwrap_or_default().to_string(),
                    });
                }
                if nc.comment() != oc.comment() {
                    out.push(constraint_comment(t, &nc));
                }
            }
            Some(nc) if enforcement_only(oc, &nc) && !constraint_uses(&nc, rebuilt) => {
                out.push(Change::SetEnforced {
                    table: t.clone(),
                    constraint: nc.clone(),
                });
                if nc.comment() != oc.comment() {
                    out.push(constraint_comment(t, &nc));
                }
            }
            Some(nc) => {
                drop_constraint(t, oc, out);
                unmatched_new.push(nc);
            }
            None => unmatched_old.push(oc.clone()),
        }
    }
    for nc in &news {
        if nc.name().is_none() || find(&olds, nc.name()).is_none() {
            unmatched_new.push(nc.clone());
        }
    }
    // Same definition under another name: rename instead of rebuilding.
    let mut adds = Vec::new();
    for nc in unmatched_new {
        let pair = unmatched_old.iter().position(|oc| {
            nc.name().is_some()
                && !nc.definition().is_empty()
                && oc.definition() == nc.definition()
                && std::mem::discriminant(oc) == std::mem::discriminant(&nc)
                && !constraint_uses(&nc, rebuilt)
        });
        match pair {
            Some(i) => {
                let oc = unmatched_old.remove(i);
                out.push(Change::RenameConstraint {
                    table: t.clone(),
                    from: oc.name().unwrap_or_default().to_string(),
                    to: nc.name().unwrap_or_default().to_string(),
                });
                if oc.comment() != nc.comment() {
                    out.push(constraint_comment(t, &nc));
                }
            }
            None => adds.push(nc),
        }
    }
    for oc in &unmatched_old {
        drop_constraint(t, oc, out);
    }
    for nc in adds {
        let has_comment = nc.comment().is_some() && nc.name().is_some();
        out.push(Change::AddConstraint {
            table: t.clone(),
            constraint: nc.clone(),
        });
        if has_comment {
            out.push(constraint_comment(t, &nc));
        }
    }
}

/// Whether `old` becomes `new` by `ALTER CONSTRAINT … [NOT] ENFORCED`
/// alone: a foreign key (PostgreSQL 18 alters no other kind's
/// enforcement) that differs only in it. Enforcing checks every row, so a
/// desired `NOT VALID` is met by drop and add instead, which checks none.
fn enforcement_only(old: &Constraint, new: &Constraint) -> bool {
    let bare = |c: &Constraint| {
        let d = c.definition();
        d.strip_suffix(" NOT ENFORCED").unwrap_or(d).to_string()
    };
    old.is_foreign_key()
        && new.is_foreign_key()
        && old.not_enforced() != new.not_enforced()
        && (new.not_enforced() || !new.not_valid())
        && !new.definition().is_empty()
        && bare(old) == bare(new)
}

fn drop_constraint(t: &QualifiedName, c: &Constraint, out: &mut Vec<Change>) {
    out.push(Change::DropConstraint {
        table: t.clone(),
        constraint: c.clone(),
    });
}

fn constraint_comment(t: &QualifiedName, c: &Constraint) -> Change {
    Change::SetComment {
        target: CommentTarget::Constraint(t.clone(), c.name().unwrap_or_default().to_string()),
        comment: c.comment().map(str::to_string),
    }
}

pub(super) fn diff_indexes(old: &Table, new: &Table, rebuilt: &[&str], out: &mut Vec<Change>) {
    let t = &new.name;
    let find = |list: &[Index], name: &Option<String>| {
        list.iter()
            .find(|i| i.name.is_some() && &i.name == name)
            .cloned()
    };
    let mut unmatched_old = Vec::new();
    let mut unmatched_new = Vec::new();
    for oi in &old.indexes {
        match find(&new.indexes, &oi.name) {
            Some(ni) if ni.definition == oi.definition && !index_uses(&ni, rebuilt) => {
                if ni.comment != oi.comment {
                    out.push(index_comment(t, &ni));
                }
            }
            Some(ni) => {
                out.push(Change::DropIndex {
                    table: t.clone(),
                    index: oi.clone(),
                });
                unmatched_new.push(ni);
            }
            None => unmatched_old.push(oi.clone()),
        }
    }
    for ni in &new.indexes {
        if ni.name.is_none() || find(&old.indexes, &ni.name).is_none() {
            unmatched_new.push(ni.clone());
        }
    }
    let mut adds = Vec::new();
    for ni in unmatched_new {
        let pair = unmatched_old.iter().position(|oi: &Index| {
            ni.name.is_some()
                && !ni.definition.is_empty()
                && oi.definition == ni.definition
                && !index_uses(&ni, rebuilt)
        });
        match pair {
            Some(i) => {
                let oi = unmatched_old.remove(i);
                out.push(Change::RenameIndex {
                    schema: t.schema.clone(),
                    from: oi.name.clone().unwrap_or_default(),
                    to: ni.name.clone().unwrap_or_default(),
                });
                if oi.comment != ni.comment {
                    out.push(index_comment(t, &ni));
                }
            }
            None => adds.push(ni),
        }
    }
    for oi in unmatched_old {
        out.push(Change::DropIndex {
            table: t.clone(),
            index: oi,
        });
    }
    for ni in adds {
        create_index(t, &ni, out);
    }
}

fn index_comment(t: &QualifiedName, i: &Index) -> Change {
    comment(
        CommentTarget::Index(QualifiedName::new(
            &t.schema,
            i.name.clone().unwrap_or_default(),
        )),
        &i.comment,
    )
}

/// Foreign keys that are themselves unchanged but reference a primary key,
/// unique constraint or unique index that this diff drops (PostgreSQL will
/// not drop those while a foreign key depends on them), or a column that is
/// rebuilt: drop them first and add them back afterwards.
fn rebuild_dependent_fks(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let mut dropped_keys: Vec<(QualifiedName, Vec<String>)> = Vec::new();
    // Columns whose type changes (beyond a length/precision modifier): a
    // foreign key on either end must not exist while the two ends briefly
    // have different types.
    let mut retyped: Vec<(QualifiedName, String)> = Vec::new();
    for ch in out.iter() {
        match ch {
            Change::AlterColumn {
                table, from, to, ..
            } if base_type(&from.data_type) != base_type(&to.data_type) => {
                retyped.push((table.clone(), to.name.clone()))
            }
            Change::DropConstraint {
                table,
                constraint: c @ (Constraint::PrimaryKey(_) | Constraint::Unique(_)),
            } => dropped_keys.push((table.clone(), c.columns().to_vec())),
            Change::DropIndex { table, index } if index.unique => dropped_keys.push((
                table.clone(),
                index.keys.iter().map(|k| k.expr.clone()).collect(),
            )),
            Change::DropColumn { table, column } => {
                dropped_keys.push((table.clone(), vec![column.name.clone()]))
            }
            _ => {}
        }
    }
    let already: Vec<(QualifiedName, String)> = out
        .iter()
        .filter_map(|ch| match ch {
            Change::DropConstraint { table, constraint } => {
                Some((table.clone(), constraint.name()?.to_string()))
            }
            Change::DropTable(t) => Some((t.name.clone(), String::new())),
            _ => None,
        })
        .collect();
    let mut extra = Vec::new();
    let mut rebuilt: Vec<(QualifiedName, String)> = Vec::new();
    for (tname, t) in &from.tables {
        let Some(new_t) = to.tables.get(tname) else {
            continue;
        };
        for fk in &t.foreign_keys {
            let Some(name) = &fk.name else { continue };
            let hit = dropped_keys.iter().any(|(rt, cols)| {
                *rt == fk.ref_table && cols.iter().any(|c| fk.ref_columns.contains(c))
            }) || retyped.iter().any(|(rt, c)| {
                (*rt == fk.ref_table && fk.ref_columns.contains(c))
                    || (rt == tname && fk.columns.contains(c))
            });
            let handled = already
                .iter()
                .any(|(at, an)| at == tname && (an == name || an.is_empty()));
            let kept = new_t
                .foreign_keys
                .iter()
                .find(|n| n.name.as_ref() == Some(name));
            if let (true, false, Some(kept)) = (hit, handled, kept) {
                rebuilt.push((tname.clone(), name.clone()));
                extra.push(Change::DropConstraint {
                    table: tname.clone(),
                    constraint: Constraint::ForeignKey(fk.clone()),
                });
                extra.push(Change::AddConstraint {
                    table: tname.clone(),
                    constraint: Constraint::ForeignKey(kept.clone()),
                });
            }
        }
    }
    // A rebuilt foreign key is added back as desired, enforcement included.
    out.retain(|ch| match ch {
        Change::SetEnforced { table, constraint } => !rebuilt
            .iter()
            .any(|(t, n)| t == table && Some(n.as_str()) == constraint.name()),
        _ => true,
    });
    out.extend(extra);
}

/// A type without its modifier: `character varying(20)` → `character varying`.
fn base_type(t: &str) -> &str {
    match t.find('(') {
        Some(i) if !t.ends_with("[]") => t[..i].trim_end(),
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_mentions() {
        assert!(mentions_column("(price > (0)::numeric)", "price"));
        assert!(!mentions_column("(prices > 0)", "price"));
        assert!(mentions_column("lower(\"Email\")", "Email"));
        assert!(!mentions_column("x_price", "price"));
    }

    #[test]
    fn dropped_tables_come_in_name_order() {
        let mut from = Database::default();
        for i in 0..30 {
            let name = QualifiedName::new("public", format!("t{i:02}"));
            from.tables.insert(
                name.clone(),
                Table {
                    name,
                    ..Table::default()
                },
            );
        }
        let mut out = Vec::new();
        diff_tables(&from, &Database::default(), &mut out);
        let names: Vec<String> = out
            .iter()
            .filter_map(|c| match c {
                Change::DropTable(t) => Some(t.name.name.clone()),
                _ => None,
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    fn one_fk_table(fk: crate::model::ForeignKey, check: crate::model::Check) -> Database {
        let name = QualifiedName::new("public", "c");
        let mut db = Database::default();
        db.tables.insert(
            name.clone(),
            Table {
                name,
                foreign_keys: vec![fk],
                checks: vec![check],
                ..Table::default()
            },
        );
        db
    }

    fn enforced(on: bool, not_valid: bool) -> Database {
        let suffix = if on { "" } else { " NOT ENFORCED" };
        one_fk_table(
            crate::model::ForeignKey {
                name: Some("f".into()),
                columns: vec!["a".into()],
                ref_table: QualifiedName::new("public", "p"),
                ref_columns: vec!["id".into()],
                not_enforced: !on,
                not_valid,
                definition: format!("FOREIGN KEY (a) REFERENCES public.p(id){suffix}"),
                ..Default::default()
            },
            crate::model::Check {
                name: Some("k".into()),
                expression: "(a > 0)".into(),
                not_enforced: !on,
                definition: format!("CHECK ((a > 0)){suffix}"),
                ..Default::default()
            },
        )
    }

    fn kinds(from: &Database, to: &Database) -> Vec<String> {
        let mut out = Vec::new();
        diff_tables(from, to, &mut out);
        out.iter()
            .map(|c| match c {
                Change::SetEnforced { constraint, .. } => {
                    format!(
                        "set {} {}",
                        constraint.name().unwrap(),
                        !constraint.not_enforced()
                    )
                }
                Change::DropConstraint { constraint, .. } => {
                    format!("drop {}", constraint.name().unwrap())
                }
                Change::AddConstraint { constraint, .. } => {
                    format!("add {}", constraint.name().unwrap())
                }
                other => format!("{other:?}"),
            })
            .collect()
    }

    /// Only a foreign key's enforcement is altered in place (PostgreSQL
    /// 18 refuses it for checks); a desired NOT VALID one is added back
    /// unchecked rather than enforced with a scan.
    #[test]
    fn enforcement_flips_in_place_for_foreign_keys_only() {
        let (on, off) = (enforced(true, false), enforced(false, false));
        assert_eq!(kinds(&off, &on), ["drop k", "set f true", "add k"]);
        assert_eq!(kinds(&on, &off), ["drop k", "set f false", "add k"]);
        let on_not_valid = enforced(true, true);
        assert_eq!(
            kinds(&on_not_valid, &off),
            ["drop k", "set f false", "add k"]
        );
        assert_eq!(
            kinds(&off, &on_not_valid),
            ["drop k", "drop f", "add k", "add f"]
        );
        assert!(kinds(&off, &off).is_empty());
    }
}
