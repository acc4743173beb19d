//! Tables without a primary key: logical replication cannot replicate
//! their UPDATEs and DELETEs, and nothing identifies a row.
//!
//! Partitions are not reported on their own: a key must be added on the
//! partitioned parent (which then has it on every partition), and a
//! partition of a parent that has one has it too.

use tokio_postgres::{Row, Transaction};

use super::{qualified, query_error, Check, Finding, Report, Scope};
use crate::model::quote_ident;
use crate::render::comment_line;
use crate::Result;

/// A UNIQUE index `ADD PRIMARY KEY USING INDEX` accepts: btree, valid,
/// not partial, no expressions or INCLUDE columns, default sort order,
/// every column NOT NULL, not already behind a constraint.
const CANDIDATE: &str = "(SELECT ic.relname FROM pg_index x \
    JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam \
    WHERE x.indrelid = t.oid AND x.indisunique AND x.indisvalid AND am.amname = 'btree' \
      AND x.indpred IS NULL AND x.indexprs IS NULL AND x.indnkeyatts = x.indnatts \
      AND NOT EXISTS (SELECT 1 FROM unnest(x.indoption::int2[]) o WHERE o <> 0) \
      AND NOT EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) k JOIN pg_attribute a \
        ON a.attrelid = t.oid AND a.attnum = k WHERE NOT a.attnotnull) \
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
    ORDER BY ic.relname LIMIT 1)";

fn query(scope: &Scope) -> String {
    format!(
        "SELECT n.nspname, t.relname, t.relkind::text, \
           (SELECT count(*) FROM pg_inherits h WHERE h.inhparent = t.oid), \
           CASE WHEN t.relkind = 'r' THEN {CANDIDATE} END, \
           CASE WHEN t.relkind = 'p' THEN pg_get_partkeydef(t.oid) END \
         FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE t.relkind IN ('r', 'p') AND NOT t.relispartition \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
             WHERE c.conrelid = t.oid AND c.contype = 'p') \
           AND {} \
         ORDER BY n.nspname, t.relname",
        scope.relation("n", "t")
    )
}

pub async fn check(tx: &Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let rows = tx
        .query(&query(scope), &[&scope.schemas])
        .await
        .map_err(query_error("listing tables without a primary key"))?;
    report.findings.extend(rows.iter().map(finding));
    Ok(())
}

fn finding(row: &Row) -> Finding {
    let table = qualified(row.get(0), row.get(1));
    let detail = if row.get::<_, &str>(2) == "p" {
        format!(
            "partitioned table with {} partition(s) has no primary key (add it on this table)",
            row.get::<_, i64>(3)
        )
    } else {
        "table has no primary key".to_string()
    };
    let fix = match (row.get::<_, Option<&str>>(4), row.get::<_, Option<&str>>(5)) {
        (_, Some(partkey)) => {
            comment_line(&format!(
                "a partitioned table's key must include its partition key, {partkey}:"
            )) + comment_line(&format!("ALTER TABLE {table} ADD PRIMARY KEY (...);")).trim_end()
        }
        (Some(index), None) => format!(
            "{}ALTER TABLE {table} ADD PRIMARY KEY USING INDEX {};",
            comment_line(&format!(
                "unique index {} on NOT NULL columns can become the key:",
                quote_ident(index)
            )),
            quote_ident(index)
        ),
        (None, None) => [
            "choose the column(s) that identify a row:".to_string(),
            format!("ALTER TABLE {table} ADD PRIMARY KEY (...);"),
            "or add a surrogate key:".to_string(),
            format!(
                "ALTER TABLE {table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"
            ),
        ]
        .iter()
        .map(|l| comment_line(l))
        .collect::<String>()
        .trim_end()
        .to_string(),
    };
    Finding {
        check: Check::MissingPrimaryKey,
        object: table,
        detail,
        fix,
    }
}
