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

use crate::model::Database;

const MAX_ROUNDS: usize = 4;

/// Whether some view of both models has two different definitions.
pub fn has_candidates(current: &Database, desired: &Database) -> bool {
    desired.views.iter().any(|(n, v)| {
        current
            .views
            .get(n)
            .is_some_and(|c| c.definition != v.definition)
    })
}

/// `current` with the definitions that only differ from `desired`'s in
/// spelling replaced by `desired`'s; `None` when there is none.
pub async fn align(client: &Client, current: &Database, desired: &Database) -> Option<Database> {
    let mut copy = current.clone();
    let mut changed = false;
    for (name, want) in &desired.views {
        let Some(have) = copy.views.get_mut(name) else {
            continue;
        };
        if have.definition == want.definition {
            continue;
        }
        // Printed in one database, a call resolves against its routines:
        // a view calling `total(integer)` re-printed where only
        // `total(bigint)` exists reads like the desired one, but is not.
        if !same_reads(current, desired, name) {
            continue;
        }
        let old = fixpoint(client, &have.definition).await;
        let new = fixpoint(client, &want.definition).await;
        if old.is_some() && old == new {
            have.definition = want.definition.clone();
            changed = true;
        }
    }
    changed.then_some(copy)
}

/// Whether the view reads the same objects (`pg_depend`) on both sides.
fn same_reads(current: &Database, desired: &Database, view: &crate::model::QualifiedName) -> bool {
    let sorted = |db: &Database| {
        let mut r = crate::diff::view_reads(db, view);
        r.sort();
        r
    };
    sorted(current) == sorted(desired)
}

async fn fixpoint(client: &Client, text: &str) -> Option<String> {
    let mut text = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let next = reprint(client, &text).await?;
        if next == text {
            return Some(text);
        }
        text = next;
    }
    None
}

/// The query as PostgreSQL prints it back once, read like the catalog
/// reads views (only `pg_catalog` on the search path).
async fn reprint(client: &Client, query: &str) -> Option<String> {
    client.batch_execute("BEGIN").await.ok()?;
    let result = async {
        let ddl = format!(
            "SET LOCAL search_path = pg_catalog; \
             CREATE TEMP VIEW strata_probe_view AS\n{query}"
        );
        client.batch_execute(&ddl).await.ok()?;
        let row = client
            .query_one(
                "SELECT pg_catalog.pg_get_viewdef('pg_temp.strata_probe_view'::pg_catalog.regclass)",
                &[],
            )
            .await
            .ok()?;
        row.get::<_, Option<String>>(0)
    }
    .await;
    let _ = client.batch_execute("ROLLBACK").await;
    result.map(|d| crate::catalog::view_definition(&d))
}
