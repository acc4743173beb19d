//! Rename hints: `renamed_from` in the YAML turns what would be a drop and
//! a create into `ALTER TABLE … RENAME`. The hints come from the spec model
//! (the shadow's catalog model cannot carry them); `from` is rewritten as
//! if the rename had happened, so the rest of the diff sees matching names.

use super::{pg_ident, Change};
use crate::model::{Database, QualifiedName, Table};

/// Renames the spec asks for.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// (table as named now, its previous name in the same schema).
    pub tables: Vec<(QualifiedName, String)>,
    /// (table as named now, column as named now, its previous name).
    pub columns: Vec<(QualifiedName, String, String)>,
    /// (standalone sequence as named now, its previous name in the same
    /// schema).
    pub sequences: Vec<(QualifiedName, String)>,
    /// (domain as named now, its previous name in the same schema).
    pub domains: Vec<(QualifiedName, String)>,
    /// (view as named now, its previous name in the same schema).
    pub views: Vec<(QualifiedName, String)>,
    /// (table as named now, policy as named now, its previous name).
    pub policies: Vec<(QualifiedName, String, String)>,
    /// (publication as named now, its previous name).
    pub publications: Vec<(String, String)>,
}

impl Hints {
    pub fn from_spec(spec: &Database) -> Hints {
        let mut h = Hints::default();
        for s in spec.sequences.values() {
            if let Some(old) = &s.renamed_from {
                h.sequences.push((s.name.clone(), old.clone()));
            }
        }
        for d in spec.domains.values() {
            if let Some(old) = &d.renamed_from {
                h.domains.push((d.name.clone(), old.clone()));
            }
        }
        for v in spec.views.values() {
            if let Some(old) = &v.renamed_from {
                h.views.push((v.name.clone(), old.clone()));
            }
        }
        for p in spec.policies.values() {
            if let Some(old) = &p.renamed_from {
                h.policies
                    .push((p.table.clone(), p.name.clone(), old.clone()));
            }
        }
        for p in spec.publications.values() {
            if let Some(old) = &p.renamed_from {
                h.publications.push((p.name.clone(), old.clone()));
            }
        }
        for t in spec.tables.values() {
            if let Some(old) = &t.renamed_from {
                h.tables.push((t.name.clone(), old.clone()));
            }
            for c in &t.columns {
                if let Some(old) = &c.renamed_from {
                    h.columns
                        .push((t.name.clone(), c.name.clone(), old.clone()));
                }
            }
        }
        h
    }

    /// The hints that undo the renames in `changes` (a forward plan): what
    /// a down migration needs so it renames back instead of dropping.
    pub fn reversed(changes: &[Change]) -> Hints {
        let mut h = Hints::default();
        let mut old_name = std::collections::HashMap::new();
        for ch in changes {
            if let Change::RenameTable { from, to } = ch {
                let now = QualifiedName::new(&from.schema, to);
                h.tables.push((from.clone(), to.clone()));
                old_name.insert(now, from.clone());
            }
            // Owned sequences' renames too: inert, no standalone one has
            // that name.
            if let Change::RenameSequence { from, to } = ch {
                h.sequences.push((from.clone(), to.clone()));
            }
            if let Change::Type(super::types::TypeChange::RenameDomain { from, to }) = ch {
                h.domains.push((from.clone(), to.clone()));
            }
            if let Change::RenameView { from, to, .. } = ch {
                h.views.push((from.clone(), to.clone()));
            }
            if let Change::Publication(super::publications::PublicationChange::Rename {
                from,
                to,
            }) = ch
            {
                h.publications.push((from.clone(), to.clone()));
            }
        }
        for ch in changes {
            if let Change::Policy(super::policies::PolicyChange::Rename { table, from, to }) = ch {
                let before = old_name.get(table).unwrap_or(table).clone();
                h.policies.push((before, from.clone(), to.clone()));
            }
        }
        for ch in changes {
            if let Change::RenameColumn { table, from, to } = ch {
                let before = old_name.get(table).unwrap_or(table).clone();
                h.columns.push((before, from.clone(), to.clone()));
            }
        }
        h
    }
}

/// Apply the hints that fit (the old name exists in `from` and not in `to`,
/// the new one in `to` and not in `from`) to a copy of `from`; return it
/// with the rename changes. Hints that do not fit are ignored: after the
/// rename has shipped, the hint left in the YAML is simply inert.
pub(super) fn apply(from: &Database, to: &Database, hints: &Hints) -> (Database, Vec<Change>) {
    let mut db = from.clone();
    let mut out = super::types::rename_domains(&mut db, to, &hints.domains);
    for (new, old) in &hints.sequences {
        let old_q = QualifiedName::new(&new.schema, old);
        let fits = db.sequences.contains_key(&old_q)
            && !db.sequences.contains_key(new)
            && to.sequences.contains_key(new)
            && !to.sequences.contains_key(&old_q);
        if fits {
            rename_sequence(&mut db, &old_q, new);
            out.push(Change::RenameSequence {
                from: old_q,
                to: new.name.clone(),
            });
        }
    }
    out.extend(super::views::apply_renames(&mut db, to, &hints.views));
    for (new, old) in &hints.tables {
        let old_q = QualifiedName::new(&new.schema, old);
        let fits = db.tables.contains_key(&old_q)
            && !db.tables.contains_key(new)
            && to.tables.contains_key(new)
            && !to.tables.contains_key(&old_q);
        if fits {
            let seqs = rename_table(&mut db, &old_q, new);
            out.push(Change::RenameTable {
                from: old_q,
                to: new.name.clone(),
            });
            out.extend(seqs);
        }
    }
    for (table, new, old) in &hints.columns {
        let (Some(t), Some(want)) = (db.tables.get(table), to.tables.get(table)) else {
            continue;
        };
        let fits = t.column(old).is_some()
            && t.column(new).is_none()
            && want.column(new).is_some()
            && want.column(old).is_none();
        if fits {
            rename_column(&mut db, table, old, new);
            out.push(Change::RenameColumn {
                table: table.clone(),
                from: old.clone(),
                to: new.clone(),
            });
            if let Some(t) = db.tables.get_mut(table) {
                let name = t.name.name.clone();
                out.extend(follow_sequences(t, &name, Some((old, new))));
            }
        }
    }
    out.extend(super::policies::apply_renames(&mut db, to, &hints.policies));
    out.extend(super::publications::apply_renames(
        &mut db,
        to,
        &hints.publications,
    ));
    super::privileges::follow_renames(&mut db, &out);
    super::owners::follow_renames(&mut db, &out);
    (db, out)
}

/// Owned sequences (serial, identity) still named after the table and
/// column they were created for (`{table}_{column}_seq`) follow a rename,
/// as a fresh build would name them. `column`: (old, new) for a column
/// rename; `None` for a table rename (every column). Returns the renames.
fn follow_sequences(t: &mut Table, old_table: &str, column: Option<(&str, &str)>) -> Vec<Change> {
    use crate::pg::naming::DefaultName;
    let mut out = Vec::new();
    let new_table = t.name.name.clone();
    for c in t.columns.iter_mut() {
        let old_col = match column {
            Some((old, new)) if c.name == new => old.to_string(),
            Some(_) => continue,
            None => c.name.clone(),
        };
        let old_default = DefaultName::serial_sequence(old_table, &old_col).first();
        let new_default = DefaultName::serial_sequence(&new_table, &c.name).first();
        let seq = c
            .serial
            .as_mut()
            .or(c.identity.as_mut().map(|i| &mut i.sequence));
        let Some(name) = seq.and_then(|s| s.name.as_mut()) else {
            continue;
        };
        if name.name == old_default && old_default != new_default {
            let from = name.clone();
            name.name = new_default.clone();
            out.push(Change::RenameSequence {
                from,
                to: new_default,
            });
        }
    }
    out
}

fn rename_table(db: &mut Database, old: &QualifiedName, new: &QualifiedName) -> Vec<Change> {
    super::views::rename_in_depends(db, old, new, None);
    super::policies::rename_table(db, old, new);
    super::publications::rename_table(db, old, new);
    let mut seqs = Vec::new();
    if let Some(mut t) = db.tables.remove(old) {
        t.name = new.clone();
        seqs = follow_sequences(&mut t, &old.name, None);
        db.tables.insert(new.clone(), t);
    }
    for s in db.sequences.values_mut() {
        if let Some((t, _)) = s.owned_by.as_mut().filter(|(t, _)| t == old) {
            *t = new.clone();
        }
    }
    let (o, n) = (qualified_text(old), qualified_text(new));
    // Triggers follow their table (PostgreSQL keeps them, and prints the
    // new name in their definition).
    let moved: Vec<_> = db
        .triggers
        .keys()
        .filter(|(t, _)| t == old)
        .cloned()
        .collect();
    for key in moved {
        if let Some(mut tg) = db.triggers.remove(&key) {
            tg.table = new.clone();
            tg.definition = tg
                .definition
                .replacen(&format!(" ON {o} "), &format!(" ON {n} "), 1);
            db.triggers.insert((new.clone(), key.1), tg);
        }
    }
    for t in db.tables.values_mut() {
        for fk in t.foreign_keys.iter_mut().filter(|fk| &fk.ref_table == old) {
            fk.ref_table = new.clone();
            fk.definition = fk.definition.replace(&format!("{o}("), &format!("{n}("));
        }
    }
    seqs
}

/// A standalone sequence renamed in `db`, with every default and
/// generation expression that names it (PostgreSQL keeps the oid, and
/// prints the new name).
fn rename_sequence(db: &mut Database, old: &QualifiedName, new: &QualifiedName) {
    if let Some(mut s) = db.sequences.remove(old) {
        s.name = new.clone();
        db.sequences.insert(new.clone(), s);
    }
    let (o, n) = (super::regclass_literal(old), super::regclass_literal(new));
    for c in db.tables.values_mut().flat_map(|t| t.columns.iter_mut()) {
        for e in [&mut c.default, &mut c.generated].into_iter().flatten() {
            *e = e.replace(&o, &n);
        }
    }
}

/// `schema.name` as PostgreSQL prints it in definitions.
fn qualified_text(q: &QualifiedName) -> String {
    format!("{}.{}", pg_ident(&q.schema), pg_ident(&q.name))
}

fn rename_column(db: &mut Database, table: &QualifiedName, old: &str, new: &str) {
    super::views::rename_in_depends(db, table, table, Some((old, new)));
    super::policies::rename_column(db, table, old, new);
    super::publications::rename_column(db, table, old, new);
    let swap = |v: &mut Vec<String>| {
        for x in v.iter_mut().filter(|x| *x == old) {
            *x = new.to_string();
        }
    };
    if let Some(t) = db.tables.get_mut(table) {
        rename_in_table(t, old, new, &swap);
    }
    // `UPDATE OF col` and `WHEN (new.col …)` of the table's triggers.
    for tg in db.triggers.values_mut().filter(|tg| tg.table == *table) {
        tg.definition = replace_ident(&tg.definition, old, new);
    }
    for s in db.sequences.values_mut() {
        if let Some((_, c)) = s.owned_by.as_mut().filter(|(t, c)| t == table && c == old) {
            *c = new.to_string();
        }
    }
    for t in db.tables.values_mut() {
        for fk in t
            .foreign_keys
            .iter_mut()
            .filter(|fk| &fk.ref_table == table)
        {
            if fk.ref_columns.iter().any(|c| c == old) {
                let mut cols = fk.ref_columns.clone();
                swap(&mut cols);
                fk.ref_columns = cols;
                // Only the part after REFERENCES names the other table's columns.
                if let Some(at) = fk.definition.find(" REFERENCES ") {
                    let (head, tail) = fk.definition.split_at(at);
                    fk.definition = format!("{head}{}", replace_ident(tail, old, new));
                }
            }
        }
    }
}

fn rename_in_table(t: &mut Table, old: &str, new: &str, swap: &dyn Fn(&mut Vec<String>)) {
    for c in t.columns.iter_mut() {
        if c.name == old {
            c.name = new.to_string();
        }
        for e in [&mut c.default, &mut c.generated].into_iter().flatten() {
            *e = replace_ident(e, old, new);
        }
    }
    let fix = |d: &mut String| *d = replace_ident(d, old, new);
    if let Some(pk) = t.primary_key.as_mut() {
        swap(&mut pk.columns);
        fix(&mut pk.definition);
    }
    for u in t.uniques.iter_mut() {
        swap(&mut u.columns);
        fix(&mut u.definition);
    }
    for fk in t.foreign_keys.iter_mut() {
        swap(&mut fk.columns);
        // Local columns come before REFERENCES.
        if let Some(at) = fk.definition.find(" REFERENCES ") {
            let (head, tail) = fk.definition.split_at(at);
            fk.definition = format!("{}{tail}", replace_ident(head, old, new));
        }
    }
    for c in t.checks.iter_mut() {
        fix(&mut c.expression);
        fix(&mut c.definition);
    }
    for x in t.exclusions.iter_mut() {
        fix(&mut x.definition);
    }
    for i in t.indexes.iter_mut() {
        for k in i.keys.iter_mut() {
            if k.is_expression {
                fix(&mut k.expr);
            } else if k.expr == old {
                k.expr = new.to_string();
            }
        }
        swap(&mut i.include);
        if let Some(p) = i.predicate.as_mut() {
            fix(p);
        }
        fix(&mut i.definition);
    }
}

/// Replace column `old` with `new` (as PostgreSQL would print it) where
/// the text refers to it — by tokens, never inside a literal
/// ([`crate::pg::expr::rename_column`]).
pub(crate) fn replace_ident(text: &str, old: &str, new: &str) -> String {
    crate::pg::expr::rename_column(text, old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_replaced_outside_literals() {
        assert_eq!(
            replace_ident("(price > 0) AND name <> 'price'", "price", "cost"),
            "(cost > 0) AND name <> 'price'"
        );
        assert_eq!(
            replace_ident("lower(\"Email\")", "Email", "mail"),
            "lower(mail)"
        );
        assert_eq!(
            replace_ident("prices + price_x", "price", "p"),
            "prices + price_x"
        );
        assert_eq!(replace_ident("a", "a", "New Name"), "\"New Name\"");
    }
}
