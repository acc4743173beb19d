//! Symmetric normalisation of view definitions (see [`super::normalise`]
//! for the expressions of tables). `pg_get_viewdef` text is not always a
//! fixpoint: `CREATE VIEW v AS VALUES (1)` prints as `SELECT … FROM
//! (VALUES (1)) "*VALUES*"`, which parsed again prints `FROM ( VALUES …)`.
//! A view of a hand-built database has been printed once, the same view
//! built from pulled YAML twice. So when the two sides' definitions of a
//! view differ, both are re-printed in the same database (as a temporary
//! view, in a transaction rolled back) until each stops changing; when the
//! fixpoints are equal, the current side takes the desired text and no
//! change is planned.

use tokio_postgres::Client;

use crate::model::{Database, QualifiedName, View};

const MAX_ROUNDS: usize = 4;

/// Whether some view of both models has two definitions that may differ
/// only in spelling (checked before a connection is opened for it).
pub fn has_candidates(current: &Database, desired: &Database) -> bool {
    !differing(current, desired).is_empty()
}

/// The views whose definitions differ textually but may be the same query:
/// same output columns, same objects read. Printed in one database, a call
/// resolves against its routines: a view calling `total(integer)`
/// re-printed where only `total(bigint)` exists reads like the desired
/// one, but is not.
fn differing<'a>(
    current: &'a Database,
    desired: &'a Database,
) -> Vec<(&'a QualifiedName, &'a View)> {
    desired
        .views
        .iter()
        .filter(|(name, want)| {
            current.views.get(*name).is_some_and(|have| {
                have.definition != want.definition
                    && !columns_differ(have, want)
                    && same_reads(current, desired, name)
            })
        })
        .collect()
}

/// Output columns (names and types) that differ, where both sides know
/// them: no spelling of one query yields another row type, so re-printing
/// such a pair can only confirm the change (a view gaining a column).
fn columns_differ(have: &View, want: &View) -> bool {
    let typed =
        |v: &View| !v.columns.is_empty() && v.columns.iter().all(|c| !c.data_type.is_empty());
    let shape = |v: &View| -> Vec<(String, String)> {
        v.columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect()
    };
    typed(have) && typed(want) && shape(have) != shape(want)
}

/// `current` with the definitions that only differ from `desired`'s in
/// spelling replaced by `desired`'s; `None` when there is none. Every
/// differing view is re-printed together, a round trip per round rather
/// than per view (a diff with hundreds of views stays as fast as pg_dump).
pub async fn align(client: &Client, current: &Database, desired: &Database) -> Option<Database> {
    let differing = differing(current, desired);
    let texts: Vec<String> = differing
        .iter()
        .flat_map(|(name, want)| {
            let have = &current.views[*name];
            [have.definition.clone(), want.definition.clone()]
        })
        .collect();
    let fixed = fixpoints(client, texts).await;
    let mut copy = current.clone();
    let mut changed = false;
    for ((name, want), pair) in differing.iter().zip(fixed.chunks(2)) {
        if pair[0].is_some() && pair[0] == pair[1] {
            if let Some(v) = copy.views.get_mut(*name) {
                v.definition = want.definition.clone();
                changed = true;
            }
        }
    }
    changed.then_some(copy)
}

/// Whether the view reads the same objects (`pg_depend`) on both sides.
fn same_reads(current: &Database, desired: &Database, view: &QualifiedName) -> bool {
    let sorted = |db: &Database| {
        let mut r = crate::diff::view_reads(db, view);
        r.sort();
        r
    };
    sorted(current) == sorted(desired)
}

/// Each text re-printed until it stops changing; `None` where it does not
/// within [`MAX_ROUNDS`] or PostgreSQL refuses it.
async fn fixpoints(client: &Client, texts: Vec<String>) -> Vec<Option<String>> {
    let mut now: Vec<Option<String>> = texts.into_iter().map(Some).collect();
    let mut settled = vec![false; now.len()];
    for _ in 0..MAX_ROUNDS {
        let todo: Vec<usize> = (0..now.len())
            .filter(|&i| !settled[i] && now[i].is_some())
            .collect();
        if todo.is_empty() {
            break;
        }
        let queries: Vec<&str> = todo.iter().filter_map(|&i| now[i].as_deref()).collect();
        let printed = reprint_all(client, &queries).await;
        for (i, next) in todo.into_iter().zip(printed) {
            settled[i] = next.is_some() && next == now[i];
            now[i] = next;
        }
    }
    now.into_iter()
        .zip(settled)
        .map(|(t, done)| t.filter(|_| done))
        .collect()
}

/// Every query printed back once, in one transaction; when one of them
/// fails the batch, each alone (so one bad text costs only itself).
async fn reprint_all(client: &Client, queries: &[&str]) -> Vec<Option<String>> {
    if let Some(all) = reprint_batch(client, queries).await {
        return all;
    }
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        out.push(reprint_batch(client, &[q]).await.and_then(|mut v| v.pop()?));
    }
    out
}

/// The queries as PostgreSQL prints them back, read like the catalog reads
/// views (only `pg_catalog` on the search path), as temporary views of a
/// transaction rolled back.
async fn reprint_batch(client: &Client, queries: &[&str]) -> Option<Vec<Option<String>>> {
    // One round trip: BEGIN, the views, one row of their texts, ROLLBACK.
    let mut script = String::from("BEGIN;\nSET LOCAL search_path = pg_catalog;\n");
    for (i, q) in queries.iter().enumerate() {
        // `;` on its own line: a text may end in a `--` comment.
        script.push_str(&format!("CREATE TEMP VIEW strata_probe_{i} AS\n{q}\n;\n"));
    }
    // One JSON array: any number of views in one text value.
    script.push_str(&format!(
        "SELECT pg_catalog.json_agg(pg_catalog.pg_get_viewdef(\
         pg_catalog.format('pg_temp.strata_probe_%s', i)::pg_catalog.regclass) ORDER BY i)::text \
         FROM pg_catalog.generate_series(0, {}) AS i;\nROLLBACK",
        queries.len() as i64 - 1
    ));
    let json = super::normalise::first_value(client, &script).await?;
    let texts: Vec<Option<String>> = serde_json::from_str(&json).ok()?;
    Some(
        texts
            .into_iter()
            .map(|d| d.map(|d| crate::catalog::view_definition(&d)))
            .collect(),
    )
}
