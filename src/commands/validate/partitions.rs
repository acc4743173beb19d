//! Partitioned tables whose rows do not go where the partitions say:
//!
//! * rows in a DEFAULT partition: they matched no other partition's
//!   bound; while they sit there, a new partition whose bound covers any
//!   of them cannot be created or attached (PostgreSQL scans the DEFAULT
//!   partition and refuses), and every such CREATE scans it under an
//!   ACCESS EXCLUSIVE lock;
//! * hash partitions that leave remainders uncovered: an insert whose key
//!   hashes there fails ("no partition of relation … found for row").
//!
//! (A partitioned index some partition lacks is an invalid index, reported
//! by [`super::indexes`] with the partitions to index.)

use tokio_postgres::Transaction;

use super::{guarded, qualified, query_error, Check, Finding, Report, Scope};
use crate::render::comment_line;
use crate::Result;

/// Counting stops here: enough to say "many", cheap on a huge partition.
const COUNT_LIMIT: i64 = 1_000_000;

pub async fn check(tx: &mut Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    defaults(tx, scope, report).await?;
    hash_gaps(tx, scope, report).await
}

async fn defaults(tx: &mut Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let sql = format!(
        "SELECT pn.nspname, p.relname, n.nspname, d.relname \
         FROM pg_class d JOIN pg_namespace n ON n.oid = d.relnamespace \
         JOIN pg_inherits h ON h.inhrelid = d.oid JOIN pg_class p ON p.oid = h.inhparent \
         JOIN pg_namespace pn ON pn.oid = p.relnamespace \
         WHERE d.relispartition AND pg_get_expr(d.relpartbound, d.oid) = 'DEFAULT' AND {} \
         ORDER BY n.nspname, d.relname",
        scope.relation("pn", "p")
    );
    let rows = tx
        .query(&sql, &[&scope.schemas])
        .await
        .map_err(query_error("listing DEFAULT partitions"))?;
    for row in rows {
        let parent = qualified(row.get(0), row.get(1));
        let default = qualified(row.get(2), row.get(3));
        let count = format!(
            "SELECT count(*) FROM (SELECT FROM {default} LIMIT {}) s",
            COUNT_LIMIT + 1
        );
        let n: i64 = match guarded(tx, &count).await? {
            Ok(r) => r.get(0),
            Err(why) => {
                report
                    .warnings
                    .push(format!("rows of {default} not counted: {why}"));
                continue;
            }
        };
        if n == 0 {
            continue;
        }
        let many = if n > COUNT_LIMIT { "more than " } else { "" };
        let shown = n.min(COUNT_LIMIT);
        report.findings.push(Finding {
            check: Check::RowsInDefaultPartition,
            object: default.clone(),
            detail: format!(
                "{many}{shown} row(s) of {parent} matched no partition's bound and sit in its \
                 DEFAULT partition"
            ),
            fix: comment_line(
                "a partition whose bound covers any of them cannot be added until they move; \
                 see which keys they hold:",
            ) + &comment_line(&format!("SELECT * FROM {default} LIMIT 100;"))
                + comment_line(
                    "then create the partitions they belong in (detach the DEFAULT partition, \
                     create them, move the rows, attach it again)",
                )
                .trim_end(),
        });
    }
    Ok(())
}

async fn hash_gaps(tx: &mut Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let sql = format!(
        "SELECT n.nspname, p.relname, \
           ARRAY(SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits h \
                 JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = p.oid) \
         FROM pg_partitioned_table pt JOIN pg_class p ON p.oid = pt.partrelid \
         JOIN pg_namespace n ON n.oid = p.relnamespace \
         WHERE pt.partstrat = 'h' AND {} ORDER BY n.nspname, p.relname",
        scope.relation("n", "p")
    );
    let rows = tx
        .query(&sql, &[&scope.schemas])
        .await
        .map_err(query_error("listing hash-partitioned tables"))?;
    for row in rows {
        let table = qualified(row.get(0), row.get(1));
        let bounds: Vec<(u32, u32)> = row
            .get::<_, Vec<String>>(2)
            .iter()
            .filter_map(|b| hash_bound(b))
            .collect();
        let Some((modulus, missing)) = uncovered(&bounds) else {
            continue;
        };
        let list: Vec<String> = missing.iter().map(u32::to_string).collect();
        let fix = missing
            .iter()
            .map(|r| {
                format!(
                    "CREATE TABLE {} PARTITION OF {table} FOR VALUES WITH (modulus {modulus}, remainder {r});",
                    qualified(row.get(0), &format!("{}_r{r}", row.get::<_, &str>(1)))
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        report.findings.push(Finding {
            check: Check::HashPartitionGap,
            object: table,
            detail: format!(
                "no partition takes remainder(s) {} of modulus {modulus}: inserting a row whose \
                 key hashes there fails",
                list.join(", ")
            ),
            fix,
        });
    }
    Ok(())
}

/// `FOR VALUES WITH (modulus 4, remainder 1)` → (4, 1).
fn hash_bound(bound: &str) -> Option<(u32, u32)> {
    let inner = bound
        .strip_prefix("FOR VALUES WITH (modulus ")?
        .strip_suffix(')')?;
    let (m, r) = inner.split_once(", remainder ")?;
    Some((m.trim().parse().ok()?, r.trim().parse().ok()?))
}

/// The largest modulus and the remainders of it no partition covers (a
/// partition (m, r) covers every x ≡ r mod m); `None` when all are.
fn uncovered(bounds: &[(u32, u32)]) -> Option<(u32, Vec<u32>)> {
    let modulus = bounds.iter().map(|b| b.0).max()?;
    let missing: Vec<u32> = (0..modulus)
        .filter(|x| !bounds.iter().any(|(m, r)| *m > 0 && x % m == *r))
        .collect();
    (!missing.is_empty()).then_some((modulus, missing))
}

#[cfg(test)]
mod tests {
    use super::{hash_bound, uncovered};

    #[test]
    fn hash_coverage() {
        assert_eq!(
            hash_bound("FOR VALUES WITH (modulus 4, remainder 1)"),
            Some((4, 1))
        );
        assert_eq!(uncovered(&[(4, 0), (4, 1), (4, 2), (4, 3)]), None);
        assert_eq!(uncovered(&[(4, 0), (4, 2), (2, 1)]), None);
        assert_eq!(uncovered(&[(4, 0), (4, 1), (4, 3)]), Some((4, vec![2])));
        assert_eq!(uncovered(&[(8, 0), (2, 1)]), Some((8, vec![2, 4, 6])));
    }
}
