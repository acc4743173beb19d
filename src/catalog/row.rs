//! Small helpers so every query and column read maps its error to a
//! [`CatalogError`] naming what was being read.

use tokio_postgres::row::RowIndex;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::Row;

use super::CatalogError;

/// Run one catalog query, tagged with a comment naming it so it can be
/// recognised in the server log and `pg_stat_statements`.
pub async fn query(
    client: &tokio_postgres::Client,
    what: &'static str,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, CatalogError> {
    let tagged = format!("/* strata catalog: {what} */ {sql}");
    client
        .query(&tagged, params)
        .await
        .map_err(|source| CatalogError::Query { what, source })
}

/// Read one column of a row.
pub fn get<'a, T: FromSql<'a>, I: RowIndex + std::fmt::Display>(
    row: &'a Row,
    idx: I,
    what: &'static str,
) -> Result<T, CatalogError> {
    row.try_get(idx)
        .map_err(|source| CatalogError::Query { what, source })
}
