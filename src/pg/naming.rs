//! The names PostgreSQL gives objects created without one: constraints,
//! indexes, the sequence of a serial column — so `pull` can leave a name
//! out exactly when PostgreSQL would choose it again, and a shadow
//! database can name a commented object the way PostgreSQL will.
//!
//! Everything follows `src/backend/commands/indexcmds.c` and
//! `catalog/pg_constraint.c` of PostgreSQL 15: `makeObjectName`,
//! `ChooseRelationName`/`ChooseConstraintName` (numbering),
//! `ChooseIndexColumnNames`, `ChooseIndexNameAddition`, and the CHECK rule
//! of `AddRelationNewConstraints` (named after the one column the
//! expression mentions, found by [`super::expr`], never by substring).

use std::collections::BTreeSet;

use super::expr::column_refs;
use super::ident::{clip, MAX_IDENT};
use super::index_colname::{index_column_name, index_element_name};
use crate::model::Database;

/// PostgreSQL's `makeObjectName`: `name1_name2_label`, chopping the longer
/// of name1/name2 one byte at a time until the result fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = MAX_IDENT.saturating_sub(overhead);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// PostgreSQL's `ChooseRelationName` / `ChooseConstraintName`: the first
/// of `name1_name2_label`, `name1_name2_label1`, `…label2`, … that
/// `taken` does not hold. The number goes into the label *before* the
/// name is cut to 63 bytes, as in PostgreSQL: appending it afterwards
/// would make a 64-byte name that PostgreSQL cuts back onto the first.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut name = make_object_name(name1, name2, label);
    let mut pass = 0;
    while taken(&name) {
        pass += 1;
        name = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    name
}

/// PostgreSQL's `ChooseIndexNameAddition` (also used for foreign keys):
/// names joined with `_`, stopping once the buffer reaches NAMEDATALEN.
pub fn name_addition(names: &[String]) -> String {
    let mut buf = String::new();
    for name in names {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip(name, MAX_IDENT));
        if buf.len() > MAX_IDENT {
            break;
        }
    }
    buf
}

/// PostgreSQL's `ChooseIndexColumnNames`: one name per index column
/// (`None` = an expression PostgreSQL would call `expr`), made unique by
/// appending 1, 2, … .
pub fn index_column_names(names: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let orig = name.clone().unwrap_or_else(|| "expr".to_string());
        let mut cur = orig.clone();
        let mut i = 1;
        while out.contains(&cur) {
            let suffix = i.to_string();
            cur = format!("{}{suffix}", clip(&orig, MAX_IDENT - suffix.len()));
            i += 1;
        }
        out.push(cur);
    }
    out
}

/// The parts PostgreSQL builds an object's default name from. [`first`]
/// is the name it picks in an empty schema, [`choose`] the one it picks
/// when some are taken.
///
/// [`first`]: DefaultName::first
/// [`choose`]: DefaultName::choose
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultName {
    pub name1: String,
    pub name2: Option<String>,
    pub label: &'static str,
}

impl DefaultName {
    fn new(table: &str, name2: Option<String>, label: &'static str) -> Self {
        DefaultName {
            name1: table.to_string(),
            name2,
            label,
        }
    }

    pub fn first(&self) -> String {
        make_object_name(&self.name1, self.name2.as_deref(), self.label)
    }

    pub fn choose(&self, taken: impl Fn(&str) -> bool) -> String {
        choose_name(&self.name1, self.name2.as_deref(), self.label, taken)
    }

    /// `{table}_pkey`.
    pub fn primary_key(table: &str) -> Self {
        Self::new(table, None, "pkey")
    }

    /// `{table}_{cols}_key`: key *and* INCLUDE columns, as the index's.
    pub fn unique(table: &str, columns: &[String], include: &[String]) -> Self {
        let all: Vec<Option<String>> = columns.iter().chain(include).cloned().map(Some).collect();
        Self::index_like(table, &all, "key")
    }

    /// `{table}_{cols}_fkey` (`ChooseForeignKeyConstraintNameAddition`).
    pub fn foreign_key(table: &str, columns: &[String]) -> Self {
        Self::new(table, Some(name_addition(columns)), "fkey")
    }

    /// `{table}_{col}_check` when the expression refers to exactly one
    /// column (and not to the whole row), else `{table}_check`.
    pub fn check(table: &str, expression: &str, columns: &[&str]) -> Self {
        Self::new(table, check_column(table, expression, columns), "check")
    }

    /// An exclusion constraint (`excl`) or index (`idx`) whose columns PostgreSQL
    /// calls `colnames` (see [`index_key_name`]).
    pub fn index_like(table: &str, colnames: &[Option<String>], label: &'static str) -> Self {
        let names = index_column_names(colnames);
        Self::new(table, Some(name_addition(&names)), label)
    }

    /// `{table}_{column}_seq`: the sequence of a serial column.
    pub fn serial_sequence(table: &str, column: &str) -> Self {
        Self::new(table, Some(column.to_string()), "seq")
    }

    /// `{table}_{column}_not_null`: a NOT NULL constraint (PostgreSQL 18,
    /// `AddRelationNotNullConstraints`).
    pub fn not_null(table: &str, column: &str) -> Self {
        Self::new(table, Some(column.to_string()), "not_null")
    }
}

/// The column a CHECK constraint is named after: the only one its
/// expression refers to (PostgreSQL counts distinct `Var`s, so a whole-row
/// reference counts too, and `tableoid` is a column here).
pub fn check_column(table: &str, expression: &str, columns: &[&str]) -> Option<String> {
    let mut cols = columns.to_vec();
    if !cols.contains(&"tableoid") {
        cols.push("tableoid");
    }
    let refs = column_refs(expression, table, &cols);
    match (refs.columns.as_slice(), refs.whole_row) {
        ([only], false) => Some(only.clone()),
        _ => None,
    }
}

/// The name PostgreSQL gives an index column: the column's own name, or
/// what it derives from the expression. The outer `None`: strata cannot
/// tell, so a name built from it must not be relied on.
pub fn index_key_name(expr: &str, is_expression: bool) -> Option<Option<String>> {
    if !is_expression {
        return Some(Some(expr.to_string()));
    }
    index_column_name(expr).map(|n| (n != "expr").then_some(n))
}

/// Give every commented but unnamed constraint and index of `db` (a spec
/// model) the name PostgreSQL would choose, made unique the way it makes
/// them unique: a comment needs a name to attach to (`COMMENT ON INDEX
/// name`), and the name must be PostgreSQL's, or `pull` of a database built
/// by hand and `plan` against it would disagree.
///
/// Index-backed names (`pkey`, `key`, `excl`) avoid relations and
/// constraints of the schema, plain indexes relations only, checks and
/// foreign keys constraints only (`ChooseRelationName`,
/// `ChooseConstraintName`).
pub fn name_commented(db: &mut Database) {
    let mut taken = Taken::of(db);
    for t in db.tables.values_mut() {
        let (schema, table) = (t.name.schema.clone(), t.name.name.clone());
        let cols: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let mut name = |d: DefaultName, kind: Space| taken.claim(&schema, &d, kind);
        if let Some(pk) = t
            .primary_key
            .as_mut()
            .filter(|p| p.name.is_none() && p.comment.is_some())
        {
            pk.name = Some(name(DefaultName::primary_key(&table), Space::Both));
        }
        for u in t
            .uniques
            .iter_mut()
            .filter(|u| u.name.is_none() && u.comment.is_some())
        {
            u.name = Some(name(
                DefaultName::unique(&table, &u.columns, &u.include),
                Space::Both,
            ));
        }
        for f in t
            .foreign_keys
            .iter_mut()
            .filter(|f| f.name.is_none() && f.comment.is_some())
        {
            f.name = Some(name(
                DefaultName::foreign_key(&table, &f.columns),
                Space::Constraints,
            ));
        }
        for c in t
            .checks
            .iter_mut()
            .filter(|c| c.name.is_none() && c.comment.is_some())
        {
            let d = DefaultName::check(&table, &c.expression, &cols);
            c.name = Some(name(d, Space::Constraints));
        }
        for x in t
            .exclusions
            .iter_mut()
            .filter(|x| x.name.is_none() && x.comment.is_some())
        {
            let keys: Vec<Option<String>> =
                x.elements.iter().map(|e| exclusion_key_name(e)).collect();
            x.name = Some(name(
                DefaultName::index_like(&table, &keys, "excl"),
                Space::Both,
            ));
        }
        for i in t
            .indexes
            .iter_mut()
            .filter(|i| i.name.is_none() && i.comment.is_some())
        {
            let keys: Vec<Option<String>> = i
                .keys
                .iter()
                .map(|k| index_key_name(&k.expr, k.is_expression).flatten())
                .chain(i.include.iter().map(|c| Some(c.clone())))
                .collect();
            i.name = Some(name(
                DefaultName::index_like(&table, &keys, "idx"),
                Space::Relations,
            ));
        }
    }
    // Materialized views are created after every table.
    for v in db.views.values_mut() {
        let (schema, view) = (v.name.schema.clone(), v.name.name.clone());
        for i in v
            .indexes
            .iter_mut()
            .filter(|i| i.name.is_none() && i.comment.is_some())
        {
            let keys: Vec<Option<String>> = i
                .keys
                .iter()
                .map(|k| index_key_name(&k.expr, k.is_expression).flatten())
                .chain(i.include.iter().map(|c| Some(c.clone())))
                .collect();
            let d = DefaultName::index_like(&view, &keys, "idx");
            i.name = Some(taken.claim(&schema, &d, Space::Relations));
        }
    }
}

/// The index column name of an exclusion element `expr WITH op` (spec
/// text: a column name as written, or an expression).
fn exclusion_key_name(element: &str) -> Option<String> {
    let lower = element.to_ascii_lowercase();
    let expr = lower.rfind(" with ").map_or(element, |at| &element[..at]);
    index_element_name(expr).filter(|n| n != "expr")
}

/// Which of PostgreSQL's two name spaces a new name must avoid.
#[derive(Clone, Copy, PartialEq)]
enum Space {
    Relations,
    Constraints,
    Both,
}

/// Names in use per schema: relations (tables, indexes, index-backed
/// constraints, owned sequences) and constraints.
struct Taken {
    relations: BTreeSet<(String, String)>,
    constraints: BTreeSet<(String, String)>,
}

impl Taken {
    fn of(db: &Database) -> Self {
        let mut rel = BTreeSet::new();
        let mut con = BTreeSet::new();
        for v in db.views.values() {
            let s = &v.name.schema;
            rel.insert((s.clone(), v.name.name.clone()));
            rel.extend(
                v.indexes
                    .iter()
                    .filter_map(|i| Some((s.clone(), i.name.clone()?))),
            );
        }
        for t in db.tables.values() {
            let s = &t.name.schema;
            let add = |set: &mut BTreeSet<(String, String)>, n: &Option<String>| {
                if let Some(n) = n {
                    set.insert((s.clone(), n.clone()));
                }
            };
            add(&mut rel, &Some(t.name.name.clone()));
            for i in &t.indexes {
                add(&mut rel, &i.name);
            }
            for n in t
                .primary_key
                .iter()
                .map(|p| &p.name)
                .chain(t.uniques.iter().map(|u| &u.name))
                .chain(t.exclusions.iter().map(|x| &x.name))
            {
                add(&mut rel, n);
                add(&mut con, n);
            }
            for n in t
                .foreign_keys
                .iter()
                .map(|f| &f.name)
                .chain(t.checks.iter().map(|c| &c.name))
            {
                add(&mut con, n);
            }
            for c in t
                .columns
                .iter()
                .filter(|c| c.serial.is_some() || c.identity.is_some())
            {
                let seq = DefaultName::serial_sequence(&t.name.name, &c.name).first();
                add(&mut rel, &Some(seq));
            }
        }
        Taken {
            relations: rel,
            constraints: con,
        }
    }

    fn claim(&mut self, schema: &str, d: &DefaultName, space: Space) -> String {
        let key = |n: &str| (schema.to_string(), n.to_string());
        let name = d.choose(|n| {
            let r = space != Space::Constraints && self.relations.contains(&key(n));
            let c = space != Space::Relations && self.constraints.contains(&key(n));
            r || c
        });
        if space != Space::Constraints {
            self.relations.insert(key(&name));
        }
        if space != Space::Relations {
            self.constraints.insert(key(&name));
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn truncates_like_postgres() {
        let long = "a".repeat(60);
        let name = DefaultName::unique(&long, &v(&["email"]), &[]).first();
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_email_key") || name.ends_with("_key"));
        assert_eq!(
            DefaultName::primary_key(&"t".repeat(70)).first(),
            format!("{}_pkey", "t".repeat(58))
        );
    }

    /// Names PostgreSQL 15 chose for unnamed objects (captured from a real
    /// server for this test).
    #[test]
    fn matches_postgres_choices() {
        let t = "Weird Table";
        assert_eq!(
            DefaultName::unique(t, &v(&["B c", "y"]), &[]).first(),
            "Weird Table_B c_y_key"
        );
        assert_eq!(
            DefaultName::unique(t, &v(&["a"]), &v(&["b"])).first(),
            "Weird Table_a_b_key"
        );
        assert_eq!(
            DefaultName::check(t, "x > y", &["x", "y"]).first(),
            "Weird Table_check"
        );
        assert_eq!(
            DefaultName::check(t, "x > 0", &["x", "y"]).first(),
            "Weird Table_x_check"
        );
        assert_eq!(DefaultName::primary_key(t).first(), "Weird Table_pkey");
        let lower = Some("lower".to_string());
        let cols = [lower.clone(), Some("upper".into()), lower];
        assert_eq!(
            DefaultName::index_like(t, &cols, "idx").first(),
            "Weird Table_lower_upper_lower1_idx"
        );
        let cols = [Some("x".to_string()), None];
        assert_eq!(
            DefaultName::index_like(t, &cols, "excl").first(),
            "Weird Table_x_expr_excl"
        );
        let long_t = "t".repeat(63);
        let long_c = "é".repeat(31);
        assert_eq!(
            DefaultName::foreign_key(&long_t, &[long_c]).first(),
            format!("{}_{}_fkey", "t".repeat(29), "é".repeat(14))
        );
    }

    /// Captured from PostgreSQL 15: two unique constraints on a 63-byte
    /// table whose default names collide once cut.
    #[test]
    fn numbered_names_are_cut_after_numbering() {
        let t = "t".repeat(63);
        let a = format!("{}1", "a".repeat(40));
        let first = choose_name(&t, Some(&a), "key", |_| false);
        assert_eq!(first, format!("{}_{}_key", &t[..29], &a[..29]));
        let second = choose_name(&t, Some(&a), "key", |n| n == first);
        assert_eq!(second, format!("{}_{}_key1", &t[..29], &a[..28]));
        assert_eq!(choose_name("t", None, "pkey", |n| n == "t_pkey"), "t_pkey1");
    }

    /// Issue 11 item 5: a literal naming another column does not count.
    #[test]
    fn check_names_ignore_literals() {
        let cols = ["price", "status"];
        let name = |e: &str| DefaultName::check("t", e, &cols).first();
        assert_eq!(name("status = 'price'"), "t_status_check");
        assert_eq!(name("((status)::text = 'price'::text)"), "t_status_check");
        assert_eq!(name("price > 0 AND status <> ''"), "t_check");
        assert_eq!(name("t IS NOT NULL"), "t_check");
        assert_eq!(name("tableoid <> 0"), "t_tableoid_check");
        assert_eq!(name("now() > '2020-01-01'"), "t_check");
    }

    #[test]
    fn index_keys() {
        assert_eq!(index_key_name("email", false), Some(Some("email".into())));
        assert_eq!(
            index_key_name("lower((email)::text)", true),
            Some(Some("lower".into()))
        );
        assert_eq!(index_key_name("(a + b)", true), Some(None));
    }
}
