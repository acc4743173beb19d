//! Invalid indexes: `pg_index.indisvalid = false` (or `indisready = false`),
//! what a failed `CREATE INDEX CONCURRENTLY` or `REINDEX CONCURRENTLY`
//! leaves behind. The planner never uses them, but every write still pays
//! for maintaining them, and a UNIQUE one enforces nothing.

use tokio_postgres::{Row, Transaction};

use super::{qualified, query_error, Check, Finding, Report, Scope};
use crate::render::comment_line;
use crate::Result;

/// `"schema"."name"` in SQL, the way strata quotes every identifier.
const QUOTED: &str = "'\"' || replace(pn.nspname, '\"', '\"\"') || '\".\"' || replace(p.relname, '\"', '\"\"') || '\"'";

fn query(scope: &Scope, version: i32) -> String {
    // indnullsnotdistinct appeared in PostgreSQL 15.
    let nnd = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    format!(
        "SELECT n.nspname, ic.relname, tn.nspname, t.relname, i.indisvalid, i.indisready, \
           ic.relkind::text, i.indisunique, pg_get_indexdef(i.indexrelid), \
           (SELECT min(pr.pid) FROM pg_stat_progress_create_index pr \
             WHERE pr.index_relid = i.indexrelid) AS building, \
           ARRAY(SELECT {QUOTED} FROM pg_inherits h \
             JOIN pg_class p ON p.oid = h.inhrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace \
             WHERE h.inhparent = t.oid AND NOT EXISTS (SELECT 1 FROM pg_inherits hi \
               JOIN pg_index pi ON pi.indexrelid = hi.inhrelid \
               WHERE hi.inhparent = i.indexrelid AND pi.indrelid = p.oid) \
             ORDER BY pn.nspname, p.relname) AS unattached, \
           {} AS duplicates \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace \
         JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace \
         WHERE (NOT i.indisvalid OR NOT i.indisready) AND {} \
         ORDER BY n.nspname, ic.relname",
        DUPLICATES.replace("i.indnullsnotdistinct", nnd),
        scope.relation("tn", "t")
    )
}

/// For a UNIQUE index: the query that lists the duplicate keys preventing
/// its build, in SQL built from the index's own key expressions (and
/// predicate), NULL keys left out unless NULLS NOT DISTINCT.
const DUPLICATES: &str = "CASE WHEN i.indisunique THEN (\
    WITH k AS (SELECT pg_get_indexdef(i.indexrelid, g, true) AS e \
               FROM generate_series(1, i.indnkeyatts) g), \
         keys AS (SELECT string_agg(e, ', ') AS list, \
                         string_agg('(' || e || ') IS NOT NULL', ' AND ') AS not_null FROM k) \
    SELECT 'SELECT ' || keys.list || ', count(*) FROM ' \
        || '\"' || replace(tn.nspname, '\"', '\"\"') || '\".\"' || replace(t.relname, '\"', '\"\"') || '\"' \
        || CASE WHEN i.indpred IS NULL AND i.indnullsnotdistinct THEN '' ELSE ' WHERE ' END \
        || concat_ws(' AND ', \
             CASE WHEN i.indnullsnotdistinct THEN NULL ELSE keys.not_null END, \
             '(' || pg_get_expr(i.indpred, i.indrelid, true) || ')') \
        || ' GROUP BY ' || keys.list || ' HAVING count(*) > 1;' FROM keys) END";

pub async fn check(tx: &Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .map_err(query_error("reading the server version"))?
        .get(0);
    let rows = tx
        .query(&query(scope, version), &[&scope.schemas])
        .await
        .map_err(query_error("listing invalid indexes"))?;
    for row in rows {
        let index = qualified(row.get(0), row.get(1));
        if let Some(pid) = row.get::<_, Option<i32>>(9) {
            // A concurrent build in progress is invalid until it finishes:
            // not a problem (yet).
            report.warnings.push(format!(
                "index {index} is being built right now (backend pid {pid}); not reported"
            ));
            continue;
        }
        report.findings.push(finding(&row, index));
    }
    Ok(())
}

fn finding(row: &Row, index: String) -> Finding {
    let name: &str = row.get(1);
    let table = qualified(row.get(2), row.get(3));
    let flags = if row.get::<_, bool>(5) {
        "indisvalid = false".to_string()
    } else {
        "indisvalid = false, indisready = false".to_string()
    };
    let (why, fix) = if row.get::<_, String>(6) == "I" {
        partitioned(&index, row.get(8), row.get(10))
    } else if leftover(name, "_ccnew") {
        (
            "transient copy left by a failed REINDEX CONCURRENTLY; the original index is intact"
                .to_string(),
            format!(
                "DROP INDEX CONCURRENTLY {index};\n-- then retry the REINDEX ... CONCURRENTLY that failed"
            ),
        )
    } else if leftover(name, "_ccold") {
        (
            "old copy left by a REINDEX CONCURRENTLY whose rebuild succeeded".to_string(),
            format!("DROP INDEX CONCURRENTLY {index};"),
        )
    } else {
        failed_build(&index, row.get(8), row.get(11))
    };
    Finding {
        check: Check::InvalidIndex,
        object: index,
        detail: format!("invalid index on {table} ({flags}): {why}"),
        fix,
    }
}

/// `name_ccnew`, `name_ccnew1`, …: PostgreSQL's names for REINDEX
/// CONCURRENTLY's transient indexes.
fn leftover(name: &str, suffix: &str) -> bool {
    match name.rfind(suffix) {
        Some(at) => name[at + suffix.len()..]
            .chars()
            .all(|c| c.is_ascii_digit()),
        None => false,
    }
}

fn failed_build(index: &str, def: &str, duplicates: Option<String>) -> (String, String) {
    let mut why =
        "left by a failed CREATE INDEX CONCURRENTLY (or REINDEX); the planner ignores it \
                   but writes still maintain it"
            .to_string();
    let mut fix = String::new();
    if let Some(q) = duplicates {
        why.push_str("; as a UNIQUE index it enforces nothing");
        fix.push_str(&format!(
            "-- a UNIQUE build fails again while duplicate keys remain; list them with:\n{q}\n"
        ));
    }
    // The commented-out statements quote names that may hold line breaks:
    // each goes through `comment_line` so it stays one comment.
    fix.push_str(&format!(
        "REINDEX INDEX CONCURRENTLY {index};\n-- or drop it and build it again:\n{}{}",
        comment_line(&format!("DROP INDEX CONCURRENTLY {index};")),
        comment_line(&format!(
            "{};",
            def.replacen("INDEX ", "INDEX CONCURRENTLY ", 1)
        ))
    ));
    fix.pop(); // the last line's newline: fixes end without one
    (why, fix)
}

fn partitioned(index: &str, def: &str, unattached: Vec<String>) -> (String, String) {
    if unattached.is_empty() {
        // Every partition has an attached index; one of them is invalid
        // itself (reported on its own): rebuild it and this one follows.
        return (
            "partitioned index whose partition indexes are attached but not all valid".into(),
            "-- fix the invalid partition index reported for this table's partitions".into(),
        );
    }
    let why = format!(
        "partitioned index with {} partition(s) lacking an attached index: {}",
        unattached.len(),
        unattached.join(", ")
    );
    let mut fix = comment_line(&format!(
        "for each partition listed, build the matching index ({def}) and attach it:"
    ));
    for p in &unattached {
        fix.push_str(&comment_line(&format!(
            "CREATE INDEX CONCURRENTLY <name> ON {p} (...);"
        )));
        fix.push_str(&comment_line(&format!(
            "ALTER INDEX {index} ATTACH PARTITION <schema>.<name>;"
        )));
    }
    (why, fix.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::leftover;

    #[test]
    fn reindex_leftovers_are_recognised_by_suffix() {
        assert!(leftover("t_x_idx_ccnew", "_ccnew"));
        assert!(leftover("t_x_idx_ccnew12", "_ccnew"));
        assert!(!leftover("t_x_idx_ccnewer", "_ccnew"));
        assert!(!leftover("t_x_idx", "_ccnew"));
        assert!(leftover("t_x_idx_ccold", "_ccold"));
    }
}
