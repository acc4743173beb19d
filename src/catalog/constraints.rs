//! Table constraints from `pg_constraint`: primary keys, uniques, foreign
//! keys, checks and exclusions, each with its structured fields and
//! `pg_get_constraintdef` as the equality key.
//!
//! PostgreSQL 18 adds temporal keys (`conperiod`: `WITHOUT OVERLAPS` on a
//! primary key or unique constraint, `PERIOD` on a foreign key) and
//! `NOT ENFORCED` checks and foreign keys (`conenforced`); older servers
//! have neither column and read as `false` / enforced.

use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::{tables_cte, Scope};
use super::tables::{Entry, Tables};
use super::CatalogError;
use crate::model::{
    Check, Exclusion, FkAction, FkMatch, ForeignKey, PrimaryKey, QualifiedName, Table, Unique,
};

const WHAT: &str = "constraints";

/// Column names of the referenced table of a foreign key, in `confkey`
/// order (one index lookup per key: cheaper than a join per constraint).
/// The constrained table's own `conkey` is resolved from the columns
/// already read.
const REF_COLUMNS: &str = "ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a \
     WHERE a.attrelid = con.confrelid AND a.attnum = k.n) \
     FROM unnest(con.confkey) WITH ORDINALITY AS k(n, ord) ORDER BY k.ord)";

/// `INCLUDE` columns of the index backing a primary key or unique
/// constraint: the `indkey` positions after the `indnkeyatts` key columns
/// (`conkey` holds only the keys).
const INCLUDE_COLUMNS: &str = "ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a \
     WHERE a.attrelid = ix.indrelid AND a.attnum = k.n) \
     FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(n, ord) \
     WHERE k.ord > ix.indnkeyatts ORDER BY k.ord)";

fn sql(scope: &Scope) -> String {
    // indnullsnotdistinct appeared in PostgreSQL 15.
    let nnd = if scope.version.at_least(15) {
        "COALESCE(ix.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    // ON DELETE SET NULL/DEFAULT (col, …) appeared in PostgreSQL 15.
    let del_cols = if scope.version.at_least(15) {
        "con.confdelsetcols"
    } else {
        "NULL::int2[]"
    };
    // Temporal keys (WITHOUT OVERLAPS / PERIOD) and NOT ENFORCED appeared
    // in PostgreSQL 18.
    let (period, enforced) = if scope.version.at_least(18) {
        ("con.conperiod", "con.conenforced")
    } else {
        ("false", "true")
    };
    format!(
        "{} SELECT con.conrelid, con.conname::text AS conname, con.contype::text AS contype, \
           con.conkey, rn.nspname::text AS ref_schema, rc.relname::text AS ref_table, \
           CASE WHEN con.contype = 'f' THEN {REF_COLUMNS} END AS ref_columns, \
           con.confdeltype::text AS on_delete, {del_cols} AS on_delete_columns, \
           CASE WHEN con.contype IN ('p', 'u') THEN {INCLUDE_COLUMNS} END AS include, \
           con.confupdtype::text AS on_update, con.confmatchtype::text AS match_type, \
           con.condeferrable, con.condeferred, NOT con.convalidated AS not_valid, pg_get_constraintdef(con.oid) AS definition, \
           am.amname::text AS method, \
           CASE WHEN con.contype = 'x' THEN pg_get_expr(ix.indpred, ix.indrelid) END AS predicate, \
           ARRAY(SELECT o FROM unnest(ic.reloptions) o ORDER BY o) AS with_opts, \
           {nnd} AS nulls_not_distinct, {period} AS period, \
           NOT {enforced} AS not_enforced, d.description \
         FROM pg_constraint con JOIN tbl ON tbl.oid = con.conrelid \
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid \
         LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
         LEFT JOIN pg_index ix ON ix.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x') \
         LEFT JOIN pg_class ic ON ic.oid = ix.indexrelid \
         LEFT JOIN pg_am am ON am.oid = ic.relam \
         LEFT JOIN pg_description d ON d.objoid = con.oid \
           AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0 \
         WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') \
           AND con.conparentid = 0 AND con.coninhcount = 0",
        tables_cte(),
    )
}

/// Every constraint of the managed tables, in one query.
pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Row>, CatalogError> {
    query(client, WHAT, &sql(scope), &[&scope.schemas]).await
}

/// Add the rows of [`fetch`] to their tables (columns must be added).
pub fn add(rows: &[Row], tables: &mut Tables) -> Result<(), CatalogError> {
    for row in rows {
        let rel: u32 = get(row, "conrelid", WHAT)?;
        let Some(entry) = tables.by_oid.get_mut(&rel) else {
            continue;
        };
        let columns = key_columns(entry, row)?;
        let on_delete_columns = column_names(entry, row, "on_delete_columns")?;
        add_one(&mut entry.table, row, columns, on_delete_columns)?;
    }
    Ok(())
}

/// Names of the constrained columns, in `conkey` order, for the kinds that
/// have a column list (exclusion keys may be expressions: attnum 0).
fn key_columns(entry: &Entry, row: &Row) -> Result<Vec<String>, CatalogError> {
    let contype: String = get(row, "contype", WHAT)?;
    if !matches!(contype.as_str(), "p" | "u" | "f") {
        return Ok(Vec::new());
    }
    column_names(entry, row, "conkey")
}

/// Names of the table's columns whose attnums are in the array `field`.
fn column_names(entry: &Entry, row: &Row, field: &str) -> Result<Vec<String>, CatalogError> {
    let attnums: Option<Vec<i16>> = get(row, field, WHAT)?;
    attnums
        .unwrap_or_default()
        .iter()
        .map(|n| {
            entry.column_name(*n).map(str::to_string).ok_or_else(|| {
                CatalogError::Unexpected(format!("constraint on unknown column {n}"))
            })
        })
        .collect()
}

/// `on_delete_columns`: the referencing columns of `ON DELETE SET NULL/SET
/// DEFAULT (…)`, empty for every other constraint.
fn add_one(
    table: &mut Table,
    row: &Row,
    columns: Vec<String>,
    on_delete_columns: Vec<String>,
) -> Result<(), CatalogError> {
    let contype: String = get(row, "contype", WHAT)?;
    let name: Option<String> = Some(get(row, "conname", WHAT)?);
    let definition: String = get(row, "definition", WHAT)?;
    // Validity is a field of its own, so the definition compares on
    // substance (a validated constraint satisfies a NOT VALID one).
    // Enforcement is substance: it stays in the definition (PostgreSQL
    // prints ` NOT ENFORCED`), and a constraint that is not enforced is
    // always unvalidated in the catalog, which says nothing more.
    let not_enforced: bool = get(row, "not_enforced", WHAT)?;
    let not_valid: bool = get::<bool, _>(row, "not_valid", WHAT)? && !not_enforced;
    let period: bool = get(row, "period", WHAT)?;
    let definition = definition
        .strip_suffix(" NOT VALID")
        .map_or(definition.clone(), str::to_string);
    let comment: Option<String> = get(row, "description", WHAT)?;
    let deferrable: bool = get(row, "condeferrable", WHAT)?;
    let initially_deferred: bool = get(row, "condeferred", WHAT)?;
    match contype.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name,
                columns,
                include: include(row)?,
                without_overlaps: period,
                deferrable,
                initially_deferred,
                definition,
                comment,
                ..PrimaryKey::default()
            })
        }
        "u" => table.uniques.push(Unique {
            name,
            columns,
            include: include(row)?,
            nulls_not_distinct: get(row, "nulls_not_distinct", WHAT)?,
            without_overlaps: period,
            deferrable,
            initially_deferred,
            definition,
            comment,
            ..Unique::default()
        }),
        "f" => table.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_table: QualifiedName::new(
                get::<String, _>(row, "ref_schema", WHAT)?,
                get::<String, _>(row, "ref_table", WHAT)?,
            ),
            ref_columns: get(row, "ref_columns", WHAT)?,
            on_delete: fk_action(&get::<String, _>(row, "on_delete", WHAT)?)?,
            on_delete_columns,
            on_update: fk_action(&get::<String, _>(row, "on_update", WHAT)?)?,
            match_type: fk_match(&get::<String, _>(row, "match_type", WHAT)?)?,
            period,
            deferrable,
            initially_deferred,
            not_valid,
            not_enforced,
            definition,
            comment,
            ..ForeignKey::default()
        }),
        "c" => table.checks.push(Check {
            name,
            expression: check_expression(&definition)?,
            not_valid,
            not_enforced,
            definition,
            comment,
            ..Check::default()
        }),
        "x" => table.exclusions.push(Exclusion {
            name,
            method: get(row, "method", WHAT)?,
            elements: exclusion_elements(&definition)?,
            predicate: get(row, "predicate", WHAT)?,
            with: get(row, "with_opts", WHAT)?,
            deferrable,
            initially_deferred,
            definition,
            comment,
            ..Exclusion::default()
        }),
        other => {
            return Err(CatalogError::Unexpected(format!(
                "constraint type {other:?}"
            )))
        }
    }
    Ok(())
}

fn include(row: &Row) -> Result<Vec<String>, CatalogError> {
    Ok(get::<Option<Vec<String>>, _>(row, "include", WHAT)?.unwrap_or_default())
}

fn fk_action(code: &str) -> Result<FkAction, CatalogError> {
    Ok(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        other => {
            return Err(CatalogError::Unexpected(format!(
                "foreign key action {other:?}"
            )))
        }
    })
}

fn fk_match(code: &str) -> Result<FkMatch, CatalogError> {
    match code {
        "s" => Ok(FkMatch::Simple),
        "f" => Ok(FkMatch::Full),
        other => Err(CatalogError::Unexpected(format!(
            "foreign key match type {other:?}"
        ))),
    }
}

/// The expression of `CHECK (<expr>)[ NO INHERIT][ NOT VALID | NOT
/// ENFORCED]`: the same text `pg_get_expr(conbin, conrelid)` prints (both
/// deparse without pretty flags), taken from the definition to deparse
/// each check only once.
pub fn check_expression(definition: &str) -> Result<String, CatalogError> {
    let mut rest = definition;
    for suffix in [" NOT ENFORCED", " NOT VALID", " NO INHERIT"] {
        rest = rest.strip_suffix(suffix).unwrap_or(rest);
    }
    rest.strip_prefix("CHECK (")
        .and_then(|r| r.strip_suffix(')'))
        .map(str::to_string)
        .ok_or_else(|| CatalogError::Unexpected(format!("check constraint {definition:?}")))
}

/// The `expr WITH op` elements of `EXCLUDE USING method (…) …`, exactly as
/// PostgreSQL printed them (including non-default opclass, collation and
/// ordering). The list is the first parenthesised group, split with
/// PostgreSQL's lexer ([`crate::pg::lex`]) so quotes, commas and
/// parentheses inside names and literals do not confuse it.
pub fn exclusion_elements(definition: &str) -> Result<Vec<String>, CatalogError> {
    use crate::pg::lex::{Kind, Lexer};
    let bad = || CatalogError::Unexpected(format!("exclusion constraint {definition:?}"));
    let lx = Lexer::new(definition);
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for t in lx.clone() {
        match t.kind {
            Kind::Open => {
                depth += 1;
                if depth == 1 {
                    start = t.end;
                }
            }
            Kind::Close if depth == 1 => {
                elements.push(definition[start..t.start].trim().to_string());
                return Ok(elements);
            }
            Kind::Close => depth = depth.checked_sub(1).ok_or_else(bad)?,
            Kind::Other if depth == 1 && lx.text(t) == "," => {
                elements.push(definition[start..t.start].trim().to_string());
                start = t.end;
            }
            _ => {}
        }
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::{check_expression, exclusion_elements};

    #[test]
    fn check_expression_strips_wrapper_and_flags() {
        let e = check_expression("CHECK ((a > 0)) NO INHERIT NOT VALID").unwrap();
        assert_eq!(e, "(a > 0)");
        assert_eq!(check_expression("CHECK (ok)").unwrap(), "ok");
        let e = check_expression("CHECK ((a > 0)) NO INHERIT NOT ENFORCED").unwrap();
        assert_eq!(e, "(a > 0)");
        assert!(check_expression("UNIQUE (a)").is_err());
    }

    #[test]
    fn splits_top_level_elements() {
        let def = "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0))";
        assert_eq!(
            exclusion_elements(def).unwrap(),
            vec!["room WITH =", "during WITH &&"]
        );
    }

    #[test]
    fn ignores_commas_in_expressions_quotes_and_operators() {
        let def = "EXCLUDE USING gist (\"a,)\" WITH =, tsrange(s, e, '[),') WITH OPERATOR(public.&&)) DEFERRABLE";
        assert_eq!(
            exclusion_elements(def).unwrap(),
            vec![
                "\"a,)\" WITH =",
                "tsrange(s, e, '[),') WITH OPERATOR(public.&&)"
            ]
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(exclusion_elements("EXCLUDE USING gist (a WITH =").is_err());
    }
}
