//! Sequences behind their column: after rows were inserted with explicit
//! ids (a data import, `OVERRIDING SYSTEM VALUE`, a restore without
//! `setval`), the next `nextval()` hands out an id the column already
//! holds and the insert fails on the primary key.
//!
//! Covered: sequences owned by a column (serial: pg_depend `a`, identity:
//! `i`) and sequences a column's DEFAULT draws from (`nextval('x')`) even
//! when no column owns them.

use std::collections::BTreeMap;

use tokio_postgres::Transaction;

use super::{guarded, qualified, query_error, Check, Finding, Report, Scope};
use crate::model::{quote_ident, quote_literal};
use crate::Result;

/// One column drawing from a sequence. A child table (partition or
/// inheritance) drawing from the same sequence as its parent is left out:
/// the parent's `max()` already reads the children's rows.
fn query(scope: &Scope) -> String {
    format!(
        "WITH uses AS ( \
           SELECT d.objid AS seq, d.refobjid AS tbl, d.refobjsubid AS col FROM pg_depend d \
           WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass \
             AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 \
           UNION \
           SELECT d.refobjid, ad.adrelid, ad.adnum FROM pg_attrdef ad \
           JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid \
             AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n' \
           WHERE pg_get_expr(ad.adbin, ad.adrelid) LIKE '%nextval(%') \
         SELECT sn.nspname, s.relname, n.nspname, t.relname, a.attname::text, \
           sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcycle \
         FROM uses u \
         JOIN pg_class s ON s.oid = u.seq AND s.relkind = 'S' \
         JOIN pg_namespace sn ON sn.oid = s.relnamespace \
         JOIN pg_sequence sq ON sq.seqrelid = s.oid \
         JOIN pg_class t ON t.oid = u.tbl AND t.relkind IN ('r', 'p') \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.col AND NOT a.attisdropped \
         WHERE a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype) \
           AND NOT EXISTS (SELECT 1 FROM pg_inherits h JOIN uses pu ON pu.tbl = h.inhparent \
             WHERE h.inhrelid = t.oid AND pu.seq = u.seq) \
           AND NOT {} AND {} \
         ORDER BY sn.nspname, s.relname, n.nspname, t.relname, a.attname",
        Scope::extension_member("pg_class", "s.oid"),
        scope.relation("n", "t")
    )
}

/// A sequence and the columns that draw from it.
struct Sequence {
    increment: i64,
    min: i64,
    max: i64,
    cycle: bool,
    /// (`"schema"."table"`, column name)
    columns: Vec<(String, String)>,
}

pub async fn check(tx: &mut Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let rows = tx
        .query(&query(scope), &[&scope.schemas])
        .await
        .map_err(query_error("listing sequences and their columns"))?;
    let mut seqs: BTreeMap<String, Sequence> = BTreeMap::new();
    for r in rows {
        let entry = seqs
            .entry(qualified(r.get(0), r.get(1)))
            .or_insert_with(|| Sequence {
                increment: r.get(5),
                min: r.get(6),
                max: r.get(7),
                cycle: r.get(8),
                columns: Vec::new(),
            });
        entry
            .columns
            .push((qualified(r.get(2), r.get(3)), r.get(4)));
    }
    for (name, seq) in &seqs {
        if let Some(f) = behind(tx, name, seq, report).await? {
            report.findings.push(f);
        }
    }
    Ok(())
}

/// What the next `nextval()` returns, `None` when it would fail (the
/// sequence is exhausted: a different problem, reported by PostgreSQL).
fn next_value(last: i64, is_called: bool, seq: &Sequence) -> Option<i64> {
    if !is_called {
        return Some(last);
    }
    let next = i128::from(last) + i128::from(seq.increment);
    if next > i128::from(seq.max) || next < i128::from(seq.min) {
        return match (seq.cycle, seq.increment > 0) {
            (false, _) => None,
            (true, true) => Some(seq.min),
            (true, false) => Some(seq.max),
        };
    }
    i64::try_from(next).ok()
}

async fn behind(
    tx: &mut Transaction<'_>,
    name: &str,
    seq: &Sequence,
    report: &mut Report,
) -> Result<Option<Finding>> {
    let state = match guarded(tx, &format!("SELECT last_value, is_called FROM {name}")).await? {
        Ok(row) => (row.get::<_, i64>(0), row.get::<_, bool>(1)),
        Err(why) => {
            report
                .warnings
                .push(format!("sequence {name} not checked: {why}"));
            return Ok(None);
        }
    };
    let Some(next) = next_value(state.0, state.1, seq) else {
        return Ok(None);
    };
    // Ascending sequences collide with the largest value, descending ones
    // with the smallest.
    let (agg, worst) = if seq.increment > 0 {
        ("max", "GREATEST")
    } else {
        ("min", "LEAST")
    };
    let mut colliding = Vec::new();
    for (table, col) in &seq.columns {
        let sql = format!("SELECT {agg}({})::int8 FROM {table}", quote_ident(col));
        match guarded(tx, &sql).await? {
            Ok(row) => {
                if let Some(v) = row.get::<_, Option<i64>>(0) {
                    if (seq.increment > 0 && v >= next) || (seq.increment < 0 && v <= next) {
                        colliding.push(format!("{agg}({table}.{}) = {v}", quote_ident(col)));
                    }
                }
            }
            Err(why) => report.warnings.push(format!(
                "sequence {name}: {agg}({table}.{}) not read: {why}",
                quote_ident(col)
            )),
        }
    }
    if colliding.is_empty() {
        return Ok(None);
    }
    let values: Vec<String> = seq
        .columns
        .iter()
        .map(|(t, c)| format!("(SELECT {agg}({}) FROM {t})", quote_ident(c)))
        .collect();
    let target = if values.len() == 1 {
        values[0].clone()
    } else {
        format!("{worst}({})", values.join(", "))
    };
    Ok(Some(Finding {
        check: Check::SequenceBehind,
        object: name.to_string(),
        detail: format!(
            "next nextval() returns {next} but {}: inserts that use the default will collide",
            colliding.join(", ")
        ),
        fix: format!("SELECT setval({}, {target});", quote_literal(name)),
    }))
}

#[cfg(test)]
mod tests {
    use super::{next_value, Sequence};

    fn seq(increment: i64, min: i64, max: i64, cycle: bool) -> Sequence {
        Sequence {
            increment,
            min,
            max,
            cycle,
            columns: Vec::new(),
        }
    }

    #[test]
    fn next_value_follows_is_called_direction_and_bounds() {
        let up = seq(1, 1, 10, false);
        assert_eq!(next_value(1, false, &up), Some(1));
        assert_eq!(next_value(5, true, &up), Some(6));
        assert_eq!(next_value(10, true, &up), None);
        assert_eq!(next_value(10, true, &seq(1, 1, 10, true)), Some(1));
        let down = seq(-2, -100, -1, false);
        assert_eq!(next_value(-1, true, &down), Some(-3));
        assert_eq!(next_value(-99, true, &down), None);
        assert_eq!(next_value(-99, true, &seq(-2, -100, -1, true)), Some(-1));
        assert_eq!(
            next_value(i64::MAX, true, &seq(1, 1, i64::MAX, false)),
            None
        );
    }
}
