//! `catalog`: introspect a live database from `pg_catalog` into
//! [`crate::model::Database`]. One query per object kind.

use crate::model::Database;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog query for {what} failed: {source}")]
    Query {
        what: &'static str,
        source: tokio_postgres::Error,
    },
    #[error("unexpected catalog content: {0}")]
    Unexpected(String),
}

/// Which schemas to read.
#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// `None`: every schema except system schemas (`pg_catalog`,
    /// `information_schema`, `pg_toast*`, `pg_temp*`) and schemas owned by
    /// extensions.
    pub schemas: Option<Vec<String>>,
}

/// Read the database behind `client` into a catalog model.
pub async fn introspect(
    client: &tokio_postgres::Client,
    opts: &CatalogOptions,
) -> Result<Database, CatalogError> {
    let _ = (client, opts);
    todo!("catalog::introspect")
}
