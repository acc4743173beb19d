//! In which order to load the tables of a seed run, and which foreign keys
//! must be loaded as NULL and filled afterwards because they close a cycle
//! (guide 002: `organizations.created_by → users → organizations`).
//!
//! Parents load before children. When the remaining tables only reference
//! each other, one foreign key inside the cycle whose columns are all
//! nullable is deferred: its table loads with NULLs there, and once the
//! referenced table is loaded a single UPDATE fills it. Self-references are
//! reported apart: the loader fills them from rows of the same table.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Database, ForeignKey, QualifiedName, Table};

/// One table to load, with the foreign keys it loads without.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub table: QualifiedName,
    /// Foreign keys to other seeded tables loaded as NULL and filled by an
    /// UPDATE after every table has loaded.
    pub deferred: Vec<ForeignKey>,
    /// Foreign keys referencing the table itself (trees).
    pub self_refs: Vec<ForeignKey>,
    /// Foreign keys to tables outside the seed run: those must have rows.
    pub external: Vec<ForeignKey>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OrderError {
    #[error("table {0} is not in the database")]
    UnknownTable(QualifiedName),
    #[error("cannot seed the cycle of foreign keys {}: none of them has only nullable columns, so no table of it can be loaded first; make one of them nullable or DEFERRABLE, or seed these tables by hand", .0.join(", "))]
    Unbreakable(Vec<String>),
}

/// The load order for `tables` (in the profile's order; ties keep it).
pub fn load_order(db: &Database, tables: &[QualifiedName]) -> Result<Vec<Step>, OrderError> {
    let mut graph = Graph::new(db, tables)?;
    let mut steps = Vec::new();
    while !graph.pending.is_empty() {
        match graph.next_ready() {
            Some(t) => steps.push(graph.take(&t)),
            None => graph.break_cycle()?,
        }
    }
    Ok(steps)
}

/// Foreign-key edges between the seeded tables still to load.
struct Graph<'a> {
    db: &'a Database,
    /// Seeded tables not loaded yet, in profile order.
    pending: Vec<QualifiedName>,
    seeded: BTreeSet<QualifiedName>,
    /// Per table: its foreign keys to other seeded tables not yet deferred.
    edges: HashMap<QualifiedName, Vec<&'a ForeignKey>>,
    deferred: HashMap<QualifiedName, Vec<ForeignKey>>,
}

impl<'a> Graph<'a> {
    fn new(db: &'a Database, tables: &[QualifiedName]) -> Result<Self, OrderError> {
        let seeded: BTreeSet<QualifiedName> = tables.iter().cloned().collect();
        let mut edges = HashMap::new();
        for name in tables {
            let t = db
                .tables
                .get(name)
                .ok_or_else(|| OrderError::UnknownTable(name.clone()))?;
            let fks = t
                .foreign_keys
                .iter()
                .filter(|fk| fk.ref_table != t.name && seeded.contains(&fk.ref_table))
                .collect();
            edges.insert(name.clone(), fks);
        }
        Ok(Graph {
            db,
            pending: tables.to_vec(),
            seeded,
            edges,
            deferred: HashMap::new(),
        })
    }

    /// The first pending table whose parents are all loaded.
    fn next_ready(&self) -> Option<QualifiedName> {
        self.pending
            .iter()
            .find(|t| {
                self.edges[*t]
                    .iter()
                    .all(|fk| !self.is_pending(&fk.ref_table))
            })
            .cloned()
    }

    fn is_pending(&self, t: &QualifiedName) -> bool {
        self.pending.contains(t)
    }

    fn take(&mut self, name: &QualifiedName) -> Step {
        self.pending.retain(|t| t != name);
        let t: &Table = &self.db.tables[name];
        let of = |pred: &dyn Fn(&ForeignKey) -> bool| -> Vec<ForeignKey> {
            t.foreign_keys
                .iter()
                .filter(|fk| pred(fk))
                .cloned()
                .collect()
        };
        Step {
            table: name.clone(),
            deferred: self.deferred.remove(name).unwrap_or_default(),
            self_refs: of(&|fk| fk.ref_table == t.name),
            external: of(&|fk| fk.ref_table != t.name && !self.seeded.contains(&fk.ref_table)),
        }
    }

    /// Defer one nullable foreign key that lies on a cycle among the
    /// pending tables (the first in profile order, for stable output).
    fn break_cycle(&mut self) -> Result<(), OrderError> {
        let mut on_cycles = Vec::new();
        for t in &self.pending {
            for (i, fk) in self.edges[t].iter().enumerate() {
                if self.reaches(&fk.ref_table, t) {
                    on_cycles.push((t.clone(), i));
                }
            }
        }
        let nullable = on_cycles
            .iter()
            .find(|(t, i)| self.nullable(t, self.edges[t][*i]));
        let Some((t, i)) = nullable.cloned() else {
            return Err(OrderError::Unbreakable(
                on_cycles
                    .iter()
                    .map(|(t, i)| describe(t, self.edges[t][*i]))
                    .collect(),
            ));
        };
        let fk = self.edges.get_mut(&t).map(|e| e.remove(i));
        if let Some(fk) = fk {
            self.deferred.entry(t).or_default().push(fk.clone());
        }
        Ok(())
    }

    /// Is `to` reachable from `from` along pending edges (child → parent)?
    fn reaches(&self, from: &QualifiedName, to: &QualifiedName) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(t) = stack.pop() {
            if &t == to {
                return true;
            }
            if !seen.insert(t.clone()) || !self.is_pending(&t) {
                continue;
            }
            stack.extend(self.edges[&t].iter().map(|fk| fk.ref_table.clone()));
        }
        false
    }

    /// Can the table load with this foreign key's columns NULL?
    fn nullable(&self, table: &QualifiedName, fk: &ForeignKey) -> bool {
        let t = &self.db.tables[table];
        fk.columns
            .iter()
            .all(|c| t.column(c).is_some_and(|col| !col.not_null))
    }
}

fn describe(t: &QualifiedName, fk: &ForeignKey) -> String {
    format!("{}({}) → {}", t, fk.columns.join(", "), fk.ref_table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;

    fn q(n: &str) -> QualifiedName {
        QualifiedName::new("public", n)
    }

    fn table(name: &str, fks: &[(&str, &str, bool)]) -> Table {
        let mut t = Table {
            name: q(name),
            ..Default::default()
        };
        for (col, parent, not_null) in fks {
            t.columns.push(Column {
                name: col.to_string(),
                data_type: "integer".into(),
                not_null: *not_null,
                ..Default::default()
            });
            t.foreign_keys.push(ForeignKey {
                name: Some(format!("{name}_{col}_fkey")),
                columns: vec![col.to_string()],
                ref_table: q(parent),
                ..Default::default()
            });
        }
        t
    }

    fn db(tables: Vec<Table>) -> Database {
        let mut d = Database::default();
        for t in tables {
            d.tables.insert(t.name.clone(), t);
        }
        d
    }

    fn names(steps: &[Step]) -> Vec<String> {
        steps.iter().map(|s| s.table.name.clone()).collect()
    }

    #[test]
    fn parents_first_profile_order_kept_otherwise() {
        let d = db(vec![
            table(
                "jobs",
                &[
                    ("molecule_id", "molecules", true),
                    ("user_id", "users", true),
                ],
            ),
            table("molecules", &[("user_id", "users", true)]),
            table("users", &[("org_id", "orgs", true)]),
            table("orgs", &[]),
            table("tags", &[]),
        ]);
        let order = load_order(
            &d,
            &[q("jobs"), q("tags"), q("molecules"), q("users"), q("orgs")],
        )
        .unwrap();
        assert_eq!(
            names(&order),
            ["tags", "orgs", "users", "molecules", "jobs"]
        );
        assert!(order.iter().all(|s| s.deferred.is_empty()));
    }

    #[test]
    fn a_cycle_defers_its_nullable_foreign_key() {
        let d = db(vec![
            table("organizations", &[("created_by", "users", false)]),
            table("users", &[("organization_id", "organizations", true)]),
        ]);
        let order = load_order(&d, &[q("users"), q("organizations")]).unwrap();
        assert_eq!(names(&order), ["organizations", "users"]);
        assert_eq!(order[0].deferred.len(), 1);
        assert_eq!(order[0].deferred[0].columns, ["created_by"]);
    }

    #[test]
    fn a_cycle_of_not_null_keys_is_refused_by_name() {
        let d = db(vec![
            table("a", &[("b_id", "b", true)]),
            table("b", &[("a_id", "a", true)]),
            table("c", &[("a_id", "a", true)]),
        ]);
        let err = load_order(&d, &[q("a"), q("b"), q("c")]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("a(b_id) → b"), "{msg}");
        assert!(msg.contains("b(a_id) → a"), "{msg}");
        // c only hangs off the cycle: not part of it.
        assert!(!msg.contains("c("), "{msg}");
    }

    #[test]
    fn self_references_and_outside_parents_are_reported_apart() {
        let d = db(vec![
            table(
                "nodes",
                &[("parent_id", "nodes", false), ("owner_id", "users", true)],
            ),
            table("users", &[]),
        ]);
        let order = load_order(&d, &[q("nodes")]).unwrap();
        assert_eq!(order[0].self_refs.len(), 1);
        assert_eq!(order[0].external[0].ref_table, q("users"));
        assert!(order[0].deferred.is_empty());
        assert!(matches!(
            load_order(&d, &[q("nope")]),
            Err(OrderError::UnknownTable(_))
        ));
    }
}
