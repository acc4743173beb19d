//! Changes the plan adds or reshapes before ordering them:
//!
//! - **new tables**: a foreign key whose referenced key is not there yet
//!   (a cycle among new tables, a key added later in this plan), a `NOT
//!   VALID` constraint (CREATE TABLE would validate it) and a default
//!   drawing from a sequence some other new table creates are split off
//!   into changes of their own;
//! - **enum recreation**: the columns it converts are the ones that hold
//!   the type now and keep it, and every index and constraint that
//!   compares values of the type is dropped and created again around it
//!   (found in the current catalog: a `pg_depend` question, not a diff).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::deps::mentions_type;
use crate::diff::{
    constraints_of, type_refers_to, Change, ColumnChange, CommentTarget, Constraint,
};
use crate::model::{Database, QualifiedName, Table};

pub fn expand(changes: &[Change], from: &Database) -> Vec<Change> {
    let mut out = changes.to_vec();
    split_new_tables(&mut out, from);
    recreated_columns(&mut out);
    rebuild_enum_dependents(&mut out, from);
    super::fn_dependents::rebuild(&mut out, from);
    out
}

/// Tables gaining a primary key, unique constraint or unique index here.
fn keys_added(changes: &[Change]) -> HashSet<QualifiedName> {
    changes
        .iter()
        .filter_map(|ch| match ch {
            Change::AddConstraint {
                table,
                constraint: Constraint::PrimaryKey(_) | Constraint::Unique(_),
            } => Some(table.clone()),
            Change::CreateIndex { table, index } if index.unique => Some(table.clone()),
            _ => None,
        })
        .collect()
}

fn split_new_tables(changes: &mut Vec<Change>, from: &Database) {
    let tables: BTreeMap<QualifiedName, Table> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some((t.name.clone(), t.clone())),
            _ => None,
        })
        .collect();
    if tables.is_empty() {
        return;
    }
    let keys_added = keys_added(changes);
    let mut created: BTreeSet<&QualifiedName> = BTreeSet::new();
    let mut bare: HashMap<QualifiedName, Table> = HashMap::new();
    let mut late = Vec::new();
    for name in topo_order(&tables) {
        let t = &tables[name];
        let mut b = t.clone();
        let (checks, later): (Vec<_>, Vec<_>) =
            t.checks.iter().cloned().partition(|c| !c.not_valid);
        b.checks = checks;
        late.extend(later.into_iter().map(|c| Change::AddConstraint {
            table: name.clone(),
            constraint: Constraint::Check(c),
        }));
        let ready = |fk: &crate::model::ForeignKey| {
            let target = &fk.ref_table;
            let new_key_ready = |t: &Table| {
                let same = |cols: &[String]| {
                    cols.len() == fk.ref_columns.len()
                        && cols.iter().all(|c| fk.ref_columns.contains(c))
                };
                fk.ref_columns.is_empty()
                    || t.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
                    || t.uniques.iter().any(|u| same(&u.columns))
            };
            // A key on a new table is ready once that table exists, unless
            // it is a unique *index* (created later, with the indexes).
            !fk.not_valid
                && (((target == name || created.contains(target))
                    && new_key_ready(&tables[target]))
                    || (from.tables.contains_key(target)
                        && !keys_added.contains(target)
                        && !tables.contains_key(target)))
        };
        let (inline, later): (Vec<_>, Vec<_>) =
            t.foreign_keys.iter().cloned().partition(|fk| ready(fk));
        b.foreign_keys = inline;
        late.extend(later.into_iter().map(|fk| Change::AddConstraint {
            table: name.clone(),
            constraint: Constraint::ForeignKey(fk),
        }));
        // A default drawing from a sequence (`nextval('other_seq')`, a
        // serial of another table) may name one created later: set it
        // once every table exists.
        for c in b.columns.iter_mut() {
            if c.default.as_deref().is_some_and(|d| d.contains("nextval(")) {
                let to = c.clone();
                let d = c.default.take().unwrap_or_default();
                late.push(Change::AlterColumn {
                    table: name.clone(),
                    from: c.clone(),
                    to,
                    changes: vec![ColumnChange::SetDefault(d)],
                });
            }
        }
        bare.insert(name.clone(), b);
        created.insert(name);
    }
    for ch in changes.iter_mut() {
        if let Change::CreateTable(t) = ch {
            if let Some(b) = bare.remove(&t.name) {
                *t = b;
            }
        }
    }
    changes.extend(late);
}

/// New tables in dependency order (referenced tables first); tables left
/// in cycles follow in name order (their back edges become late foreign
/// keys). This order only decides which foreign keys can be inline; the
/// graph orders the statements.
fn topo_order(tables: &BTreeMap<QualifiedName, Table>) -> Vec<&QualifiedName> {
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

/// A recreation converts the columns that hold the type now and keep it:
/// not those of new tables or added columns (they are created with the new
/// type), nor those an `ALTER COLUMN … TYPE` brings to the type (they
/// convert themselves, once the new type exists).
fn recreated_columns(changes: &mut [Change]) {
    let mut new: HashSet<(QualifiedName, Option<String>)> = HashSet::new();
    let mut retyped: HashMap<(QualifiedName, String), String> = HashMap::new();
    for ch in changes.iter() {
        match ch {
            Change::CreateTable(t) => {
                new.insert((t.name.clone(), None));
            }
            Change::AddColumn { table, column } => {
                new.insert((table.clone(), Some(column.name.clone())));
            }
            Change::AlterColumn {
                table, from, to, ..
            } if from.data_type != to.data_type => {
                retyped.insert((table.clone(), to.name.clone()), from.data_type.clone());
            }
            _ => {}
        }
    }
    for ch in changes.iter_mut() {
        let Change::RecreateEnum { to, columns, .. } = ch else {
            continue;
        };
        columns.retain(|(t, c)| {
            let was = retyped.get(&(t.clone(), c.name.clone()));
            !new.contains(&(t.clone(), None))
                && !new.contains(&(t.clone(), Some(c.name.clone())))
                && was.is_none_or(|old| type_refers_to(old, &to.name))
        });
    }
}

/// Indexes and constraints that compare values of a recreated enum type:
/// PostgreSQL rebuilds them when the columns convert and fails for those
/// that compare with the old type (a partial index predicate, a CHECK, a
/// foreign key between two columns of the type). Drop them before and
/// create them again after (from their current definitions), unless the
/// change set drops them already. One renamed in the same plan is
/// re-created under its new name instead of renamed.
fn rebuild_enum_dependents(changes: &mut Vec<Change>, from: &Database) {
    let recreated: Vec<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RecreateEnum { to, .. } => Some(to.name.clone()),
            _ => None,
        })
        .collect();
    if recreated.is_empty() {
        return;
    }
    let renamed: HashMap<QualifiedName, QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { from, to } => {
                Some((from.clone(), QualifiedName::new(&from.schema, to)))
            }
            _ => None,
        })
        .collect();
    let hits_type = |text: &str| recreated.iter().any(|ty| mentions_type(text, ty));
    let enum_col = |t: &Table, col: &str| {
        t.column(col)
            .is_some_and(|c| recreated.iter().any(|ty| type_refers_to(&c.data_type, ty)))
    };
    let mut extra = Vec::new();
    let mut unrenamed = Vec::new();
    for (old_name, old) in &from.tables {
        let tname = renamed.get(old_name).unwrap_or(old_name).clone();
        if changes
            .iter()
            .any(|c| matches!(c, Change::DropTable(x) if x.name == tname))
        {
            continue;
        }
        for idx in old.indexes.iter().filter(|i| hits_type(&i.definition)) {
            let name = idx.name.clone().unwrap_or_default();
            if dropped_index(changes, &tname, &name) {
                continue;
            }
            let mut kept = idx.clone();
            if let Some((i, to)) = index_rename(changes, &tname.schema, &name) {
                unrenamed.push(i);
                kept.name = Some(to);
            }
            extra.push(Change::DropIndex {
                table: tname.clone(),
                index: idx.clone(),
            });
            if let (Some(n), Some(_)) = (&kept.name, &kept.comment) {
                extra.push(Change::SetComment {
                    target: CommentTarget::Index(QualifiedName::new(&tname.schema, n)),
                    comment: kept.comment.clone(),
                });
            }
            extra.push(Change::CreateIndex {
                table: tname.clone(),
                index: kept,
            });
        }
        for con in constraints_of(old) {
            let hit = match &con {
                Constraint::ForeignKey(fk) => {
                    fk.columns.iter().any(|c| enum_col(old, c))
                        || from
                            .tables
                            .get(&fk.ref_table)
                            .is_some_and(|rt| fk.ref_columns.iter().any(|c| enum_col(rt, c)))
                }
                Constraint::Check(_) | Constraint::Exclusion(_) => hits_type(con.definition()),
                _ => false,
            };
            let name = con.name().unwrap_or_default().to_string();
            if !hit || dropped_constraint(changes, &tname, &name) {
                continue;
            }
            let mut kept = con.clone();
            if let Some((i, to)) = constraint_rename(changes, &tname, &name) {
                unrenamed.push(i);
                set_name(&mut kept, to);
            }
            extra.push(Change::DropConstraint {
                table: tname.clone(),
                constraint: con.clone(),
            });
            if let (Some(n), Some(c)) = (kept.name(), kept.comment()) {
                extra.push(Change::SetComment {
                    target: CommentTarget::Constraint(tname.clone(), n.to_string()),
                    comment: Some(c.to_string()),
                });
            }
            extra.push(Change::AddConstraint {
                table: tname.clone(),
                constraint: kept,
            });
        }
    }
    unrenamed.sort_unstable();
    for i in unrenamed.into_iter().rev() {
        changes.remove(i);
    }
    changes.extend(extra);
}

fn dropped_index(changes: &[Change], t: &QualifiedName, name: &str) -> bool {
    changes.iter().any(|c| {
        matches!(c, Change::DropIndex { table, index }
            if table == t && index.name.as_deref() == Some(name))
    })
}

fn dropped_constraint(changes: &[Change], t: &QualifiedName, name: &str) -> bool {
    changes.iter().any(|c| {
        matches!(c, Change::DropConstraint { table, constraint }
            if table == t && constraint.name() == Some(name))
    })
}

fn index_rename(changes: &[Change], schema: &str, name: &str) -> Option<(usize, String)> {
    changes.iter().enumerate().find_map(|(i, c)| match c {
        Change::RenameIndex {
            schema: s,
            from,
            to,
        } if s == schema && from == name => Some((i, to.clone())),
        _ => None,
    })
}

fn constraint_rename(changes: &[Change], t: &QualifiedName, name: &str) -> Option<(usize, String)> {
    changes.iter().enumerate().find_map(|(i, c)| match c {
        Change::RenameConstraint { table, from, to } if table == t && from == name => {
            Some((i, to.clone()))
        }
        _ => None,
    })
}

fn set_name(c: &mut Constraint, name: String) {
    let slot = match c {
        Constraint::PrimaryKey(x) => &mut x.name,
        Constraint::ForeignKey(x) => &mut x.name,
        Constraint::Unique(x) => &mut x.name,
        Constraint::Check(x) => &mut x.name,
        Constraint::Exclusion(x) => &mut x.name,
    };
    *slot = Some(name);
}
