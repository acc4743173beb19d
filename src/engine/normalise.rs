//! Symmetric normalisation of deparsed expressions.
//!
//! PostgreSQL stores expressions as trees and prints them back
//! (`pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_expr`); that text is
//! not always a fixpoint. `kind IN ('a', 'b')` on a varchar column prints as
//! `(kind)::text = ANY ((ARRAY['a'::character varying, …])::text[])`, and
//! that text, parsed again, prints differently. A database built by
//! migrations holds text after two parse/print rounds, a shadow built from
//! YAML after one, a hand-built database after one: compared textually,
//! they differ for no reason, and every command would plan a pointless
//! DROP/ADD pair forever.
//!
//! So before a DROP/re-create pair of a check, an exclusion constraint, an
//! index, a column default or a generation expression is trusted, *both*
//! texts are re-printed by PostgreSQL in the same database until each stops
//! changing, and the pair is dropped when the two fixpoints are equal. Each
//! re-print runs in a transaction that is rolled back.

use tokio_postgres::Client;

use crate::catalog::constraints::{check_expression, exclusion_elements};
use crate::diff::policies::PolicyChange;
use crate::diff::{Change, ColumnChange, Constraint};
use crate::model::{quote_ident, Column, QualifiedName};

/// Re-printing rounds before giving up on a fixpoint (seen: two suffice).
const MAX_ROUNDS: usize = 4;

/// Where texts are re-printed.
#[derive(Clone, Copy)]
pub enum Probe<'a> {
    /// A scratch database holding the tables under their own names.
    Scratch(&'a Client),
    /// A live database, never altered: each re-print runs on a temporary
    /// copy of the table's columns (`CREATE TEMP TABLE … (LIKE t)`, which
    /// takes only the lock a SELECT takes), in a rolled-back transaction.
    /// A hot standby refuses temporary tables: nothing is then re-printed
    /// and the pair is kept.
    Temp(&'a Client),
}

/// The temporary table a [`Probe::Temp`] re-prints on.
const TEMP_REL: &str = "strata_probe_rel";

impl Probe<'_> {
    fn client(&self) -> &Client {
        match self {
            Probe::Scratch(c) | Probe::Temp(c) => c,
        }
    }

    /// The relation the DDL of a re-print names.
    fn rel(&self, table: &QualifiedName) -> String {
        match self {
            Probe::Scratch(_) => table.quoted(),
            Probe::Temp(_) => format!("pg_temp.{TEMP_REL}"),
        }
    }
}

/// A change, or drop/re-create pair, that may only re-spell an expression.
#[derive(Clone, Copy)]
enum Candidate {
    /// A column change of nothing but its default expression.
    Default(usize),
    /// A drop and its re-creation with a textually different definition.
    Pair(usize, usize),
    /// An `ALTER POLICY` of nothing but its expressions.
    Policy(usize),
}

/// Whether `changes` hold anything [`drop_phantom_rebuilds`] could remove
/// (checked before a connection is opened for it).
pub fn has_candidates(changes: &[Change]) -> bool {
    !candidates(changes).is_empty()
}

/// What [`drop_phantom_rebuilds`] re-prints. A rebuild on a table whose
/// column types change is left out: re-printed in the desired context the
/// old text would look like the new one (`upper((label)::text)` →
/// `upper(label)` once `label` is text), yet the dependent must go before
/// the type change and come back after. So is the same text dropped and
/// re-created: the diff rebuilds a dependent on purpose (an index or
/// generated column around a type change of what it uses).
fn candidates(changes: &[Change]) -> Vec<Candidate> {
    let retyped: std::collections::HashSet<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AlterColumn { table, changes, .. }
                if changes
                    .iter()
                    .any(|c| matches!(c, ColumnChange::Type { .. })) =>
            {
                Some(table)
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        if table_of(change).is_some_and(|t| retyped.contains(t)) {
            continue;
        }
        if default_only(change) {
            out.push(Candidate::Default(i));
        } else if expressions_only(change) {
            out.push(Candidate::Policy(i));
        } else if let Some(j) = partner(changes, i) {
            if !same_text(change, &changes[j]) {
                out.push(Candidate::Pair(i, j));
            }
        }
    }
    out
}

/// Remove changes that only re-spell an expression: pairs that drop and
/// re-create a check, exclusion, index or generated column, and default
/// changes, whose old and new texts reach the same fixpoint when
/// re-printed by PostgreSQL in `probe` (a database holding the tables).
pub async fn drop_phantom_rebuilds(probe: Probe<'_>, changes: &mut Vec<Change>) {
    let mut same = Vec::new();
    for candidate in candidates(changes) {
        match candidate {
            Candidate::Default(i) => {
                if same_default(probe, &changes[i]).await {
                    same.push(i);
                }
            }
            Candidate::Pair(i, j) => {
                if same_fixpoint(probe, &changes[i], &changes[j]).await {
                    same.extend([i, j]);
                }
            }
            Candidate::Policy(i) => {
                if same_policy(probe, &changes[i]).await {
                    same.push(i);
                }
            }
        }
    }
    same.sort_unstable();
    same.dedup();
    for i in same.into_iter().rev() {
        changes.remove(i);
    }
}

/// A default-only column change whose two expressions reach the same
/// fixpoint.
async fn same_default(probe: Probe<'_>, change: &Change) -> bool {
    let Change::AlterColumn {
        table, from, to, ..
    } = change
    else {
        return false;
    };
    same_fix(
        |e| reprint_default(probe, table, to, e),
        from.default.as_ref(),
        to.default.as_ref(),
    )
    .await
}

/// An `ALTER POLICY` whose clauses' two texts reach the same fixpoints.
async fn same_policy(probe: Probe<'_>, change: &Change) -> bool {
    let Change::Policy(PolicyChange::Alter { from, to }) = change else {
        return false;
    };
    // A clause that is the same text (or absent) on both sides needs no
    // re-print.
    for (clause, a, b) in [
        ("USING", &from.using, &to.using),
        ("WITH CHECK", &from.with_check, &to.with_check),
    ] {
        let print = |e| reprint_policy(probe, &to.table, clause, e);
        if a != b && !same_fix(print, a.as_ref(), b.as_ref()).await {
            return false;
        }
    }
    true
}

/// An `ALTER POLICY` that changes no roles (only expressions, which may
/// only be re-spelt).
fn expressions_only(ch: &Change) -> bool {
    matches!(ch, Change::Policy(PolicyChange::Alter { from, to }) if from.roles == to.roles)
}

fn table_of(ch: &Change) -> Option<&QualifiedName> {
    match ch {
        Change::Policy(p) => Some(crate::diff::policies::table_of(p)),
        Change::DropConstraint { table, .. }
        | Change::DropIndex { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. } => Some(table),
        _ => None,
    }
}

/// A drop/re-create pair whose definitions are textually equal.
fn same_text(drop: &Change, add: &Change) -> bool {
    match (drop, add) {
        (
            Change::DropConstraint { constraint: a, .. },
            Change::AddConstraint { constraint: b, .. },
        ) => a.definition() == b.definition(),
        (Change::DropIndex { index: a, .. }, Change::CreateIndex { index: b, .. }) => {
            a.definition == b.definition
        }
        (Change::DropColumn { column: a, .. }, Change::AddColumn { column: b, .. }) => {
            a.generated == b.generated
        }
        _ => false,
    }
}

/// Both texts reach a fixpoint with `print`, and the same one.
async fn same_fix<F, Fut>(print: F, a: Option<&String>, b: Option<&String>) -> bool
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let a = fix(&print, a).await;
    let b = fix(&print, b).await;
    matches!((a, b), (Some(a), Some(b)) if a == b)
}

async fn same_fixpoint(probe: Probe<'_>, drop: &Change, add: &Change) -> bool {
    match (drop, add) {
        (
            Change::DropConstraint {
                table,
                constraint: Constraint::Check(old),
            },
            Change::AddConstraint {
                constraint: Constraint::Check(new),
                ..
            },
        ) => {
            // Only the expression is re-printed: a pair that also changes
            // enforcement is a real change.
            old.not_enforced == new.not_enforced
                && same_fix(
                    |e| reprint_check(probe, table, e),
                    Some(&old.expression),
                    Some(&new.expression),
                )
                .await
        }
        (
            Change::DropConstraint {
                table,
                constraint: Constraint::Exclusion(old),
            },
            Change::AddConstraint {
                constraint: Constraint::Exclusion(new),
                ..
            },
        ) => {
            same_fix(
                |e| reprint_exclusion(probe, table, e),
                Some(&old.definition),
                Some(&new.definition),
            )
            .await
        }
        (Change::DropIndex { table, index: old }, Change::CreateIndex { index: new, .. }) => {
            let u = old.unique;
            same_fix(
                |d| reprint_index(probe, table, u, d),
                Some(&old.definition),
                Some(&new.definition),
            )
            .await
        }
        (Change::DropColumn { table, column: old }, Change::AddColumn { column: new, .. }) => {
            let same_otherwise = Column {
                generated: old.generated.clone(),
                origin: old.origin.clone(),
                ..new.clone()
            } == *old;
            same_otherwise
                && same_fix(
                    |e| reprint_generated(probe, table, new, e),
                    old.generated.as_ref(),
                    new.generated.as_ref(),
                )
                .await
        }
        _ => false,
    }
}

/// Re-print `text` with `print` until it stops changing: the fixpoint,
/// or `None` when PostgreSQL refuses it or no fixpoint is reached.
async fn fix<F, Fut>(print: F, text: Option<&String>) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let mut text = text?.clone();
    for _ in 0..MAX_ROUNDS {
        let next = print(text.clone()).await?;
        if next == text {
            return Some(text);
        }
        text = next;
    }
    None
}

/// A column change that only changes a default expression.
fn default_only(ch: &Change) -> bool {
    matches!(ch, Change::AlterColumn { from, to, changes, .. }
        if from.default.is_some() && to.default.is_some()
            && changes.iter().all(|c| matches!(c, ColumnChange::DropDefault | ColumnChange::SetDefault(_))))
}

/// The re-creation matching the drop at `i` (same table, same name).
fn partner(changes: &[Change], i: usize) -> Option<usize> {
    let found = |f: &dyn Fn(&Change) -> bool| changes.iter().position(f);
    match &changes[i] {
        Change::DropConstraint { table, constraint } => {
            let is_expr = matches!(constraint, Constraint::Check(_) | Constraint::Exclusion(_));
            is_expr.then_some(())?;
            found(&|x| {
                matches!(x, Change::AddConstraint { table: t, constraint: n }
                    if t == table && n.name() == constraint.name()
                        && std::mem::discriminant(n) == std::mem::discriminant(constraint))
            })
        }
        Change::DropIndex { table, index } => found(&|x| {
            matches!(x, Change::CreateIndex { table: t, index: n }
                if t == table && n.name == index.name && n.unique == index.unique)
        }),
        Change::DropColumn { table, column } if column.generated.is_some() => found(&|x| {
            matches!(x, Change::AddColumn { table: t, column: n }
                if t == table && n.name == column.name && n.generated.is_some())
        }),
        _ => None,
    }
}

/// Run `ddl` and `read` (one text value) on `table` in a transaction that
/// is rolled back, with only `pg_catalog` on the search path (how `pg_get_*`
/// print for the catalog reader). One round trip: a diff re-prints an
/// expression or two for every changed table.
async fn in_rollback(
    probe: Probe<'_>,
    table: &QualifiedName,
    ddl: &str,
    read: &str,
) -> Option<String> {
    let copy = match probe {
        Probe::Temp(_) => format!("CREATE TEMP TABLE {TEMP_REL} (LIKE {});\n", table.quoted()),
        Probe::Scratch(_) => String::new(),
    };
    // `;` on a line of its own: a text may end in a `--` comment.
    let script =
        format!("BEGIN;\nSET LOCAL search_path = pg_catalog;\n{copy}{ddl}\n;\n{read}\n;\nROLLBACK");
    first_value(probe.client(), &script).await
}

/// The first column of the first row `script` (ending in `ROLLBACK`)
/// returns; on an error, the transaction it opened is rolled back.
pub(super) async fn first_value(client: &Client, script: &str) -> Option<String> {
    match client.simple_query(script).await {
        Ok(messages) => messages.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        }),
        Err(_) => {
            let _ = client.batch_execute("ROLLBACK").await;
            None
        }
    }
}

/// The probed relation as a `regclass` literal.
fn regclass(probe: Probe<'_>, table: &QualifiedName) -> String {
    format!("'{}'::regclass", probe.rel(table).replace('\'', "''"))
}

const PROBE: &str = "strata_probe";

fn constraint_def(probe: Probe<'_>, table: &QualifiedName) -> String {
    format!(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '{PROBE}' \
         AND conrelid = {}",
        regclass(probe, table)
    )
}

/// A check's expression as PostgreSQL prints it back (NOT VALID: rows in
/// the probe database do not matter).
async fn reprint_check(probe: Probe<'_>, table: &QualifiedName, expr: String) -> Option<String> {
    let ddl = format!(
        "ALTER TABLE {} ADD CONSTRAINT {PROBE} CHECK ({expr}) NOT VALID",
        probe.rel(table)
    );
    let def = in_rollback(probe, table, &ddl, &constraint_def(probe, table)).await?;
    check_expression(&def).ok()
}

/// An exclusion constraint's definition (`EXCLUDE USING …`) printed back.
async fn reprint_exclusion(probe: Probe<'_>, table: &QualifiedName, def: String) -> Option<String> {
    let ddl = format!(
        "ALTER TABLE {} ADD CONSTRAINT {PROBE} {def}",
        probe.rel(table)
    );
    let printed = in_rollback(probe, table, &ddl, &constraint_def(probe, table)).await?;
    // Parsed as the catalog reader parses it: a definition it cannot read
    // is no fixpoint.
    exclusion_elements(&printed).ok()?;
    Some(printed)
}

/// An index definition (from `USING`) printed back.
async fn reprint_index(
    probe: Probe<'_>,
    table: &QualifiedName,
    unique: bool,
    definition: String,
) -> Option<String> {
    let unique = if unique { "UNIQUE " } else { "" };
    let ddl = format!(
        "CREATE {unique}INDEX {PROBE} ON {} {definition}",
        probe.rel(table)
    );
    // The index lives in the table's schema (the session's temporary
    // schema for a temporary copy).
    let (schema, prefix) = match probe {
        Probe::Scratch(_) => (
            quote_ident(&table.schema),
            format!(
                "CREATE {unique}INDEX {PROBE} ON {}.{} ",
                crate::diff::pg_ident(&table.schema),
                crate::diff::pg_ident(&table.name)
            ),
        ),
        Probe::Temp(_) => ("pg_temp".to_string(), format!("{TEMP_REL} ")),
    };
    let read = format!(
        "SELECT pg_get_indexdef('{}.{PROBE}'::regclass)",
        schema.replace('\'', "''")
    );
    let def = in_rollback(probe, table, &ddl, &read).await?;
    match probe {
        Probe::Scratch(_) => def.strip_prefix(&prefix).map(str::to_string),
        // `CREATE INDEX strata_probe ON pg_temp_N.strata_probe_rel USING …`
        Probe::Temp(_) => def.split_once(&prefix).map(|(_, d)| d.to_string()),
    }
}

/// A policy clause (`USING` or `WITH CHECK`) printed back. An expression
/// naming its table (a subquery's `documents.org_id`) cannot be re-printed
/// on a temporary copy: it is then left as a change.
async fn reprint_policy(
    probe: Probe<'_>,
    table: &QualifiedName,
    clause: &str,
    expr: String,
) -> Option<String> {
    let ddl = format!(
        "CREATE POLICY {PROBE} ON {} {clause} ({expr})",
        probe.rel(table)
    );
    let column = if clause == "USING" {
        "polqual"
    } else {
        "polwithcheck"
    };
    let read = format!(
        "SELECT pg_get_expr({column}, polrelid) FROM pg_policy WHERE polname = '{PROBE}' \
         AND polrelid = {}",
        regclass(probe, table)
    );
    in_rollback(probe, table, &ddl, &read).await
}

/// A default expression printed back, set on `column` (which the probe
/// database has, with its desired type).
async fn reprint_default(
    probe: Probe<'_>,
    table: &QualifiedName,
    column: &Column,
    expr: String,
) -> Option<String> {
    let ddl = format!(
        "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {expr}",
        probe.rel(table),
        quote_ident(&column.name)
    );
    let read = attrdef_read(probe, table, &column.name);
    in_rollback(probe, table, &ddl, &read).await
}

/// The query reading back the default or generation expression of
/// `column` of the probed relation.
fn attrdef_read(probe: Probe<'_>, table: &QualifiedName, column: &str) -> String {
    format!(
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d \
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
         WHERE d.adrelid = {} AND a.attname = '{}'",
        regclass(probe, table),
        column.replace('\'', "''")
    )
}

/// A generation expression printed back, on a probe column of `column`'s
/// type.
async fn reprint_generated(
    probe: Probe<'_>,
    table: &QualifiedName,
    column: &Column,
    expr: String,
) -> Option<String> {
    let kind = if column.generated_virtual {
        "VIRTUAL"
    } else {
        "STORED"
    };
    let ddl = format!(
        "ALTER TABLE {} ADD COLUMN {PROBE} {} GENERATED ALWAYS AS ({expr}) {kind}",
        probe.rel(table),
        column.data_type
    );
    let read = attrdef_read(probe, table, PROBE);
    in_rollback(probe, table, &ddl, &read).await
}
