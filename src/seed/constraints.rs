//! Loading without row-by-row foreign-key checks, the way pg_restore does:
//! the foreign keys of the seeded tables are dropped inside the seed's
//! transaction and added back at the end, where PostgreSQL validates each
//! with one query instead of one trigger call per row (about two thirds of
//! the load time on the dashboard schema; see benches/seed.rs). Because it
//! all happens in one transaction, a failure or a kill leaves the
//! constraints exactly as they were. Plain (non-unique) indexes are dropped
//! and rebuilt the same way: one sort at the end beats maintaining a GIN
//! index row by row. A role that may not alter the tables (not their
//! owner) keeps both and loads checked, row by row.

use tokio_postgres::Client;

use crate::model::{quote_ident, quote_literal, Database, ForeignKey, Index, QualifiedName};
use crate::{Error, Result};

/// Foreign keys and plain indexes dropped for the load, to add back.
pub struct Suspended {
    fks: Vec<(QualifiedName, ForeignKey)>,
    indexes: Vec<(QualifiedName, Index)>,
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
    // Unique indexes stay: a foreign key elsewhere may depend on one.
    let indexes: Vec<(QualifiedName, Index)> = tables
        .iter()
        .filter_map(|t| db.tables.get(t))
        .flat_map(|t| t.indexes.iter().map(|i| (t.name.clone(), i.clone())))
        .filter(|(_, i)| !i.unique && i.name.is_some())
        .collect();
    if fks.is_empty() && indexes.is_empty() {
        return Ok(None);
    }
    let mut drops: Vec<String> = fks
        .iter()
        .map(|(t, fk)| {
            format!(
                "ALTER TABLE {} DROP CONSTRAINT {};",
                t.quoted(),
                quote_ident(fk.name.as_deref().unwrap_or_default())
            )
        })
        .collect();
    drops.extend(indexes.iter().map(|(t, i)| {
        format!(
            "DROP INDEX {};",
            QualifiedName::new(&t.schema, i.name.as_deref().unwrap_or_default()).quoted()
        )
    }));
    let sql = format!(
        "SAVEPOINT strata_fks; {} RELEASE SAVEPOINT strata_fks;",
        drops.join(" ")
    );
    match client.batch_execute(&sql).await {
        Ok(()) => Ok(Some(Suspended { fks, indexes })),
        Err(e) if e.code().map(|c| c.code()) == Some("42501") => {
            client
                .batch_execute("ROLLBACK TO SAVEPOINT strata_fks")
                .await
                .map_err(|source| query_error("keeping the foreign keys", source))?;
            eprintln!("note: not the owner of the seeded tables: loading with foreign keys and indexes in place (slower)");
            Ok(None)
        }
        Err(source) => Err(query_error("suspending foreign keys for the load", source)),
    }
}

/// Rebuild the indexes, then add the foreign keys back (validating them),
/// with their comments.
pub async fn restore(client: &Client, s: Suspended) -> Result<()> {
    for (table, index) in &s.indexes {
        let name = index.name.as_deref().unwrap_or_default();
        let mut sql = crate::render::create_index(table, index);
        if let Some(c) = &index.comment {
            sql.push_str(&format!(
                " COMMENT ON INDEX {} IS {};",
                QualifiedName::new(&table.schema, name).quoted(),
                quote_literal(c)
            ));
        }
        // Index builds and foreign-key checks over the seeded rows take
        // a while: reported as they run (`--progress`).
        let run = crate::progress::statement(&sql, client.batch_execute(&sql));
        run.await.map_err(|source| {
            query_error(
                &format!("rebuilding index {name} of {table} after the load"),
                source,
            )
        })?;
    }
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
        let run = crate::progress::statement(&sql, client.batch_execute(&sql));
        run.await.map_err(|source| {
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
