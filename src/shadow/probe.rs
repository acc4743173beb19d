//! PostgreSQL's deparsed text is not always a fixpoint: a CHECK or index
//! predicate written as `role IN ('a', 'b')` on a varchar column comes back
//! as one text, and that text, parsed again, prints as another. A database
//! built by hand (Alembic, Django) then differs textually from the shadow
//! built from its own pulled YAML, and `diff` plans a pointless drop and
//! re-add. Before trusting such a rebuild, re-print the current definition
//! through the shadow (inside a rolled-back transaction) and drop the pair
//! when PostgreSQL prints it exactly as the desired one.

use tokio_postgres::Client;

use crate::diff::{Change, Constraint};
use crate::model::{quote_ident, QualifiedName};

/// Remove drop/re-create pairs of checks and indexes whose current
/// definition, re-printed by PostgreSQL in the shadow database `shadow`
/// (which holds the desired tables), equals the desired one.
pub async fn drop_phantom_rebuilds(shadow: &Client, changes: &mut Vec<Change>) {
    let mut same = Vec::new();
    for (i, ch) in changes.iter().enumerate() {
        let Some(j) = partner(changes, i) else {
            continue;
        };
        let equal = match (ch, &changes[j]) {
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
                reprint_check(shadow, table, &old.expression)
                    .await
                    .as_deref()
                    == Some(new.definition.as_str())
            }
            (Change::DropIndex { table, index: old }, Change::CreateIndex { index: new, .. }) => {
                reprint_index(shadow, table, old.unique, &old.definition)
                    .await
                    .as_deref()
                    == Some(new.definition.as_str())
            }
            _ => false,
        };
        if equal {
            same.extend([i, j]);
        }
    }
    same.sort_unstable();
    same.dedup();
    for i in same.into_iter().rev() {
        changes.remove(i);
    }
}

/// The re-creation matching the drop at `i` (same table, same name).
fn partner(changes: &[Change], i: usize) -> Option<usize> {
    match &changes[i] {
        Change::DropConstraint { table, constraint: Constraint::Check(c) } => {
            changes.iter().position(|x| {
                matches!(x, Change::AddConstraint { table: t, constraint: Constraint::Check(n) }
                    if t == table && n.name == c.name)
            })
        }
        Change::DropIndex { table, index } => changes.iter().position(|x| {
            matches!(x, Change::CreateIndex { table: t, index: n } if t == table && n.name == index.name)
        }),
        _ => None,
    }
}

async fn in_rollback(shadow: &Client, ddl: &str, read: &str) -> Option<String> {
    shadow.batch_execute("BEGIN").await.ok()?;
    let result = async {
        shadow
            .batch_execute("SET LOCAL search_path = pg_catalog")
            .await
            .ok()?;
        shadow.batch_execute(ddl).await.ok()?;
        shadow
            .query_one(read, &[])
            .await
            .ok()
            .map(|r| r.get::<_, String>(0))
    }
    .await;
    let _ = shadow.batch_execute("ROLLBACK").await;
    result
}

async fn reprint_check(shadow: &Client, table: &QualifiedName, expr: &str) -> Option<String> {
    let ddl = format!(
        "ALTER TABLE {} ADD CONSTRAINT strata_probe CHECK ({expr}) NOT VALID",
        table.quoted()
    );
    let read = format!(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'strata_probe' \
         AND conrelid = '{}'::regclass",
        table.quoted().replace('\'', "''")
    );
    // The probe is NOT VALID; the definition compared is the valid form.
    in_rollback(shadow, &ddl, &read)
        .await
        .map(|d| d.trim_end_matches(" NOT VALID").to_string())
}

async fn reprint_index(
    shadow: &Client,
    table: &QualifiedName,
    unique: bool,
    definition: &str,
) -> Option<String> {
    let name = "strata_probe";
    let ddl = format!(
        "CREATE {}INDEX {} ON {} {definition}",
        if unique { "UNIQUE " } else { "" },
        quote_ident(name),
        table.quoted()
    );
    let prefix = format!(
        "CREATE {}INDEX {name} ON {}.{} ",
        if unique { "UNIQUE " } else { "" },
        crate::diff::pg_ident(&table.schema),
        crate::diff::pg_ident(&table.name)
    );
    let read = format!(
        "SELECT pg_get_indexdef('{}.{name}'::regclass)",
        quote_ident(&table.schema).replace('\'', "''")
    );
    in_rollback(shadow, &ddl, &read)
        .await
        .and_then(|d| d.strip_prefix(&prefix).map(str::to_string))
}
