//! NOT VALID constraints (`pg_constraint.convalidated = false`): added
//! without checking the rows already there. For foreign keys and checks the
//! violating rows are counted, so the fix is either `VALIDATE CONSTRAINT`
//! (nothing violates it) or a query listing what must be cleaned first.
//!
//! PostgreSQL 18: a `NOT ENFORCED` constraint is unvalidated too, by
//! design (it checks nothing and cannot be validated): not reported. A
//! temporal foreign key (`PERIOD`) is counted the way PostgreSQL checks
//! it: the referencing range within the union of the referenced ones.

use tokio_postgres::{Row, Transaction};

use super::{guarded, qualified, query_error, Check, Finding, Report, Scope};
use crate::model::quote_ident;
use crate::Result;

/// Constraints declared on the table itself: an inherited copy
/// (`NOT conislocal`, or a partition's clone with `conparentid`) is
/// validated with its parent's, whose count already covers every child.
fn table_query(scope: &Scope, version: i32) -> String {
    // conenforced and conperiod appeared in PostgreSQL 18.
    let (enforced, period) = if version >= 180000 {
        ("c.conenforced", "c.conperiod")
    } else {
        ("true", "false")
    };
    format!(
        "SELECT n.nspname, t.relname, c.conname, c.contype::text, c.confmatchtype::text, \
           pg_get_constraintdef(c.oid), t.relkind::text, pn.nspname, pt.relname, pt.relkind::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(num, i) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.i), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(num, i) \
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.i), \
           ARRAY(SELECT format('OPERATOR(%I.%s)', opn.nspname, o.oprname) \
             FROM unnest(c.conpfeqop) WITH ORDINALITY k(op, i) \
             JOIN pg_operator o ON o.oid = k.op JOIN pg_namespace opn ON opn.oid = o.oprnamespace \
             ORDER BY k.i), \
           pg_get_expr(c.conbin, c.conrelid), {period} \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_class pt ON pt.oid = c.confrelid \
         LEFT JOIN pg_namespace pn ON pn.oid = pt.relnamespace \
         WHERE NOT c.convalidated AND {enforced} AND c.conislocal AND c.conparentid = 0 AND {} \
         ORDER BY n.nspname, t.relname, c.conname",
        scope.relation("n", "t")
    )
}

fn domain_query() -> String {
    format!(
        "SELECT n.nspname, ty.typname, c.conname, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c \
         JOIN pg_type ty ON ty.oid = c.contypid JOIN pg_namespace n ON n.oid = ty.typnamespace \
         WHERE NOT c.convalidated AND c.contypid <> 0 AND {} AND NOT {} \
         ORDER BY n.nspname, ty.typname, c.conname",
        Scope::namespace("n"),
        Scope::extension_member("pg_type", "ty.oid")
    )
}

pub async fn check(tx: &mut Transaction<'_>, scope: &Scope, report: &mut Report) -> Result<()> {
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .map_err(query_error("reading the server version"))?
        .get(0);
    let rows = tx
        .query(&table_query(scope, version), &[&scope.schemas])
        .await
        .map_err(query_error("listing NOT VALID constraints"))?;
    for row in rows {
        let finding = table_constraint(tx, &row).await?;
        report.findings.push(finding);
    }
    let rows = tx
        .query(&domain_query(), &[&scope.schemas])
        .await
        .map_err(query_error("listing NOT VALID domain constraints"))?;
    for row in rows {
        report.findings.push(domain_constraint(&row));
    }
    Ok(())
}

/// What makes a row violate the constraint: a `FROM … WHERE …` tail.
struct Violation {
    from_where: String,
    /// `orphan` or `violating`.
    noun: &'static str,
}

async fn table_constraint(tx: &mut Transaction<'_>, row: &Row) -> Result<Finding> {
    let table = qualified(row.get(0), row.get(1));
    let name: &str = row.get(2);
    let def: &str = row.get(5);
    let validate = format!(
        "ALTER TABLE {table} VALIDATE CONSTRAINT {};\n\
         -- VALIDATE takes a SHARE UPDATE EXCLUSIVE lock: reads and writes go on meanwhile",
        quote_ident(name)
    );
    let object = format!("{table}.{}", quote_ident(name));
    let Some(v) = violation(row, &table) else {
        return Ok(Finding {
            check: Check::NotValidConstraint,
            object,
            detail: format!("{def}: existing rows were never checked"),
            fix: validate,
        });
    };
    let listing = format!("SELECT * {};", v.from_where);
    let (detail, fix) = match guarded(tx, &format!("SELECT count(*) {}", v.from_where)).await? {
        Ok(count) => match count.get::<_, i64>(0) {
            0 => (format!("{def}: 0 {} rows", v.noun), validate),
            n => (
                format!("{def}: {n} {} row(s)", v.noun),
                format!(
                    "-- {n} row(s) violate it: fix or delete them first; list them with:\n\
                     {listing}\n-- then:\n{validate}"
                ),
            ),
        },
        Err(why) => (
            format!("{def}: counting {} rows failed: {why}", v.noun),
            format!("-- look for violating rows first:\n{listing}\n-- then:\n{validate}"),
        ),
    };
    Ok(Finding {
        check: Check::NotValidConstraint,
        object,
        detail,
        fix,
    })
}

fn violation(row: &Row, table: &str) -> Option<Violation> {
    match row.get::<_, &str>(3) {
        "f" => Some(foreign_key(row, table)),
        // NULL passes a CHECK: `NOT (NULL)` is NULL, never counted.
        "c" => row.get::<_, Option<&str>>(13).map(|expr| Violation {
            from_where: format!("FROM {table} WHERE NOT ({expr})"),
            noun: "violating",
        }),
        _ => None,
    }
}

/// Rows of the referencing table with no referenced row, the way
/// PostgreSQL's own validation (`RI_Initial_Check`) decides it: the key's
/// equality operators, `ONLY` unless partitioned, and MATCH SIMPLE (any
/// NULL column passes) or MATCH FULL (all NULL passes, some NULL fails).
/// A temporal key (`PERIOD`) compares its last column otherwise: the
/// referencing range must lie within the referenced rows' ranges together.
fn foreign_key(row: &Row, table: &str) -> Violation {
    let only = |kind: &str| if kind == "p" { "" } else { "ONLY " };
    let parent = qualified(row.get(7), row.get(8));
    let cols: Vec<String> = row.get(10);
    let pcols: Vec<String> = row.get(11);
    let ops: Vec<String> = row.get(12);
    let child = |c: &String| format!("ch.{}", quote_ident(c));
    let period = row.get::<_, bool>(14);
    let keys = cols.len() - usize::from(period);
    let matches: Vec<String> = cols
        .iter()
        .zip(&pcols)
        .zip(&ops)
        .take(keys)
        .map(|((c, p), op)| format!("pa.{} {op} {}", quote_ident(p), child(c)))
        .collect();
    let from = format!("FROM {}{parent} pa", only(row.get(9)));
    let missing = match (period, cols.last(), pcols.last()) {
        (true, Some(c), Some(p)) => format!(
            "NOT COALESCE({} <@ (SELECT range_agg(pa.{}) {from} WHERE {}), false)",
            child(c),
            quote_ident(p),
            if matches.is_empty() {
                "true".to_string()
            } else {
                matches.join(" AND ")
            }
        ),
        _ => format!(
            "NOT EXISTS (SELECT 1 {from} WHERE {})",
            matches.join(" AND ")
        ),
    };
    let is_null: Vec<String> = cols
        .iter()
        .map(|c| format!("{} IS NULL", child(c)))
        .collect();
    let not_null: Vec<String> = cols
        .iter()
        .map(|c| format!("{} IS NOT NULL", child(c)))
        .collect();
    let cond = if row.get::<_, &str>(4) == "f" {
        format!(
            "NOT ({}) AND ({} OR {missing})",
            is_null.join(" AND "),
            is_null.join(" OR ")
        )
    } else {
        format!("{} AND {missing}", not_null.join(" AND "))
    };
    Violation {
        from_where: format!("FROM {}{table} ch WHERE {cond}", only(row.get(6))),
        noun: "orphan",
    }
}

fn domain_constraint(row: &Row) -> Finding {
    let domain = qualified(row.get(0), row.get(1));
    let name = quote_ident(row.get(2));
    Finding {
        check: Check::NotValidConstraint,
        object: format!("{domain}.{name}"),
        detail: format!(
            "domain constraint {}: values stored before it was added were never checked \
             (not counted; VALIDATE names the first violating value)",
            row.get::<_, &str>(3)
        ),
        fix: format!("ALTER DOMAIN {domain} VALIDATE CONSTRAINT {name};"),
    }
}
