//! Loading without row-by-row foreign-key checks, the way pg_restore does:
//! the foreign keys of the seeded tables are dropped inside the seed's
//! transaction and added back at the end, where PostgreSQL validates each
//! with one query instead of one trigger call per row (about two thirds of
//! the load time on the dashboard schema; see benches/seed.rs). Because it
//! all happens in one transaction, a failure or a kill leaves the
//! constraints exactly as they were. A role that may not alter the tables
//! (not their owner) keeps the constraints and loads checked, row by row.

use tokio_postgres::Client;

use crate::model::{quote_ident, quote_literal, Database, ForeignKey, QualifiedName};
use crate::{Error, Result};

/// Foreign keys dropped for the load, to add back.
pub struct Suspended {
    fks: Vec<(QualifiedName, ForeignKey)>,
}

/// Drop the foreign keys of `tables` (inside the caller's transaction).
/// `None` when the role may not: the load then runs with them in place.
pub async fn suspend(
    client: &Client,
    db: &Database,
    tables: &[QualifiedName],
) -> Result<Option<Suspended>> {
    let fks: Vec<(QualifiedName, ForeignKey)> = tables
        .iter()
        .filter_map(|t| db.tables.get(t))
        .flat_map(|t| t.foreign_keys.iter().map(|fk| (t.name.clone(), fk.clone())))
        .filter(|(_, fk)| fk.name.is_some())
        .collect();
    if fks.is_empty() {
        return Ok(None);
    }
    let drops: Vec<String> = fks
        .iter()
        .map(|(t, fk)| {
            format!(
                "ALTER TABLE {} DROP CONSTRAINT {};",
                t.quoted(),
                quote_ident(fk.name.as_deref().unwrap_or_default())
            )
        })
        .collect();
    let sql = format!(
        "SAVEPOINT strata_fks; {} RELEASE SAVEPOINT strata_fks;",
        drops.join(" ")
    );
    match client.batch_execute(&sql).await {
        Ok(()) => Ok(Some(Suspended { fks })),
        Err(e) if e.code().map(|c| c.code()) == Some("42501") => {
            client
                .batch_execute("ROLLBACK TO SAVEPOINT strata_fks")
                .await
                .map_err(|source| query_error("keeping the foreign keys", source))?;
            eprintln!("note: not the owner of the seeded tables: loading with foreign keys checked row by row (slower)");
            Ok(None)
        }
        Err(source) => Err(query_error("suspending foreign keys for the load", source)),
    }
}

/// Add the foreign keys back (validating them) with their comments.
pub async fn restore(client: &Client, s: Suspended) -> Result<()> {
    for (table, fk) in &s.fks {
        let name = fk.name.as_deref().unwrap_or_default();
        let mut sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}{};",
            table.quoted(),
            quote_ident(name),
            fk.definition,
            if fk.not_valid { " NOT VALID" } else { "" }
        );
        if let Some(c) = &fk.comment {
            sql.push_str(&format!(
                " COMMENT ON CONSTRAINT {} ON {} IS {};",
                quote_ident(name),
                table.quoted(),
                quote_literal(c)
            ));
        }
        client.batch_execute(&sql).await.map_err(|source| {
            query_error(
                &format!("restoring foreign key {name} of {table} after the load (the seeded rows break it)"),
                source,
            )
        })?;
    }
    Ok(())
}

fn query_error(context: &str, source: tokio_postgres::Error) -> Error {
    Error::Db(crate::db::DbError::Query {
        context: context.to_string(),
        source,
    })
}
