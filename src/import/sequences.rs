//! After an import wrote values into columns a sequence fills (serial,
//! identity), that sequence may be behind the data, and the application's
//! next insert would collide with an imported key. Each such sequence is
//! advanced to its column's maximum — only forward, never for a
//! descending sequence — as pgloader does by default ("reset sequences").
//! Sequences that are not owned by their column (a hand-written `DEFAULT
//! nextval('…')`) are left to `strata validate`, which reports them.

use tokio_postgres::Client;

use super::ImportError;
use crate::model::{quote_ident, QualifiedName};

/// A sequence moved forward, and to what.
#[derive(Debug, Clone, PartialEq)]
pub struct Advanced {
    pub sequence: String,
    pub value: i64,
}

/// Advance the sequences of `columns` of `table` past the loaded data.
pub async fn catch_up(
    client: &Client,
    table: &QualifiedName,
    columns: &[String],
) -> Result<Vec<Advanced>, ImportError> {
    let mut out = Vec::new();
    for column in columns {
        // The second argument is a column name taken literally.
        let row = client
            .query_one(
                "SELECT pg_get_serial_sequence($1, $2)",
                &[&table.quoted(), column],
            )
            .await
            .map_err(sql)?;
        let Some(sequence) = row.get::<_, Option<String>>(0) else {
            continue;
        };
        // `sequence` comes back as a qualified name quoted as needed: an
        // identifier as it is, a literal once its quotes are doubled.
        let advance = format!(
            "SELECT setval('{lit}'::regclass, t.m)
             FROM (SELECT max({col})::bigint AS m FROM {tbl}) t, pg_sequence s
             WHERE s.seqrelid = '{lit}'::regclass AND s.seqincrement > 0
               AND t.m > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
                          FROM {sequence})",
            lit = sequence.replace('\'', "''"),
            col = quote_ident(column),
            tbl = table.quoted(),
        );
        if let Some(row) = client.query_opt(&advance, &[]).await.map_err(sql)? {
            out.push(Advanced {
                sequence,
                value: row.get(0),
            });
        }
    }
    Ok(out)
}

fn sql(e: tokio_postgres::Error) -> ImportError {
    ImportError::Query {
        context: "advancing the sequences of the loaded columns".into(),
        source: e,
    }
}
