//! Enum changes that reach beyond the type: values used in the same plan,
//! and the objects a type recreation must rebuild.

use super::{constraints_of, pg_ident, Change, Constraint};
use crate::model::{quote_literal, Database, QualifiedName, Table};

/// Whether the desired state uses label `value` of enum `ty` anywhere
/// (defaults, checks, index predicates …). Such a use is new in this plan,
/// and PostgreSQL rejects a label added by `ALTER TYPE … ADD VALUE` until
/// the transaction commits, so the type is recreated instead.
pub(super) fn value_used(db: &Database, ty: &QualifiedName, value: &str) -> bool {
    let needle = format!(
        "{}::{}.{}",
        quote_literal(value),
        pg_ident(&ty.schema),
        pg_ident(&ty.name)
    );
    db.tables
        .values()
        .any(|t| table_texts(t).any(|s| s.contains(&needle)))
}

/// Every expression-bearing text of a table.
fn table_texts(t: &Table) -> impl Iterator<Item = &str> {
    let cols = t
        .columns
        .iter()
        .flat_map(|c| c.default.iter().chain(c.generated.iter()));
    let cons = t
        .checks
        .iter()
        .map(|c| &c.definition)
        .chain(t.exclusions.iter().map(|x| &x.definition));
    let idx = t.indexes.iter().map(|i| &i.definition);
    cols.chain(cons).chain(idx).map(String::as_str)
}

fn mentions_type(text: &str, ty: &QualifiedName) -> bool {
    text.contains(&format!("{}.{}", pg_ident(&ty.schema), pg_ident(&ty.name)))
}

/// Recreating an enum type converts its columns with `ALTER COLUMN TYPE`;
/// PostgreSQL then rebuilds indexes and constraints on those columns, and
/// fails for the ones that compare with the old type (a partial index
/// predicate, a CHECK, a foreign key between two columns of the type). Drop
/// those before and create them again after, unless the diff already does.
pub(super) fn rebuild_enum_dependents(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let recreated: Vec<QualifiedName> = out
        .iter()
        .filter_map(|c| match c {
            Change::RecreateEnum { to, .. } => Some(to.name.clone()),
            _ => None,
        })
        .collect();
    if recreated.is_empty() {
        return;
    }
    let mut extra = Vec::new();
    for (tname, old) in &from.tables {
        let Some(new) = to.tables.get(tname) else {
            continue;
        };
        let enum_col = |t: &Table, col: &str| {
            t.column(col).is_some_and(|c| {
                recreated
                    .iter()
                    .any(|ty| super::type_refers_to(&c.data_type, ty))
            })
        };
        for idx in &old.indexes {
            let hit = recreated
                .iter()
                .any(|ty| mentions_type(&idx.definition, ty));
            let kept = new.indexes.iter().find(|i| i.name == idx.name);
            if let (true, Some(kept)) = (hit, kept) {
                if !already_dropped_index(out, tname, idx.name.as_deref()) {
                    extra.push(Change::DropIndex {
                        table: tname.clone(),
                        index: idx.clone(),
                    });
                    extra.push(Change::CreateIndex {
                        table: tname.clone(),
                        index: kept.clone(),
                    });
                }
            }
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
                Constraint::Check(_) | Constraint::Exclusion(_) => recreated
                    .iter()
                    .any(|ty| mentions_type(con.definition(), ty)),
                _ => false,
            };
            let kept = constraints_of(new)
                .into_iter()
                .find(|c| c.name() == con.name());
            if let (true, Some(kept)) = (hit, kept) {
                if !already_dropped_constraint(out, tname, con.name()) {
                    extra.push(Change::DropConstraint {
                        table: tname.clone(),
                        constraint: con.clone(),
                    });
                    extra.push(Change::AddConstraint {
                        table: tname.clone(),
                        constraint: kept,
                    });
                }
            }
        }
    }
    out.extend(extra);
}

fn already_dropped_index(out: &[Change], t: &QualifiedName, name: Option<&str>) -> bool {
    out.iter().any(|c| matches!(c, Change::DropIndex { table, index } if table == t && index.name.as_deref() == name))
        || out.iter().any(|c| matches!(c, Change::DropTable(x) if &x.name == t))
}

fn already_dropped_constraint(out: &[Change], t: &QualifiedName, name: Option<&str>) -> bool {
    out.iter().any(|c| matches!(c, Change::DropConstraint { table, constraint } if table == t && constraint.name() == name))
        || out.iter().any(|c| matches!(c, Change::DropTable(x) if &x.name == t))
}
