//! Table constraints from `pg_constraint`: primary keys, uniques, foreign
//! keys, checks and exclusions, each with its structured fields and
//! `pg_get_constraintdef` as the equality key.

use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::Scope;
use super::tables::Tables;
use super::CatalogError;
use crate::model::{
    Check, Exclusion, FkAction, FkMatch, ForeignKey, PrimaryKey, QualifiedName, Table, Unique,
};

const WHAT: &str = "constraints";

/// Column names of an attnum array, in array order.
fn column_names(keys: &str, rel: &str) -> String {
    format!(
        "ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.attnum ORDER BY k.ord)"
    )
}

fn sql(scope: &Scope) -> String {
    // indnullsnotdistinct appeared in PostgreSQL 15.
    let nnd = if scope.version.at_least(15) {
        "COALESCE(ix.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    format!(
        "SELECT con.conrelid, con.conname::text AS conname, con.contype::text AS contype, \
           {} AS columns, rn.nspname::text AS ref_schema, rc.relname::text AS ref_table, \
           {} AS ref_columns, con.confdeltype::text AS on_delete, \
           con.confupdtype::text AS on_update, con.confmatchtype::text AS match_type, \
           con.condeferrable, con.condeferred, pg_get_constraintdef(con.oid) AS definition, \
           CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS expression, \
           am.amname::text AS method, \
           CASE WHEN con.contype = 'x' THEN pg_get_expr(ix.indpred, ix.indrelid) END AS predicate, \
           {nnd} AS nulls_not_distinct, d.description \
         FROM pg_constraint con \
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid \
         LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
         LEFT JOIN pg_index ix ON ix.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x') \
         LEFT JOIN pg_class ic ON ic.oid = ix.indexrelid \
         LEFT JOIN pg_am am ON am.oid = ic.relam \
         LEFT JOIN pg_description d ON d.objoid = con.oid \
           AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0 \
         WHERE con.conrelid = ANY ($1::oid[]) AND con.contype IN ('p', 'u', 'f', 'c', 'x') \
           AND con.conparentid = 0",
        column_names("con.conkey", "con.conrelid"),
        column_names("con.confkey", "con.confrelid"),
    )
}

/// Read every constraint of the managed tables in one query.
pub async fn add(
    client: &tokio_postgres::Client,
    scope: &Scope,
    tables: &mut Tables,
) -> Result<(), CatalogError> {
    let oids = tables.oids();
    for row in query(client, WHAT, &sql(scope), &[&oids]).await? {
        let rel: u32 = get(&row, "conrelid", WHAT)?;
        let Some(entry) = tables.by_oid.get_mut(&rel) else {
            continue;
        };
        add_one(&mut entry.table, &row)?;
    }
    Ok(())
}

fn add_one(table: &mut Table, row: &Row) -> Result<(), CatalogError> {
    let contype: String = get(row, "contype", WHAT)?;
    let name: Option<String> = Some(get(row, "conname", WHAT)?);
    let definition: String = get(row, "definition", WHAT)?;
    let comment: Option<String> = get(row, "description", WHAT)?;
    let columns: Vec<String> = get(row, "columns", WHAT)?;
    let deferrable: bool = get(row, "condeferrable", WHAT)?;
    let initially_deferred: bool = get(row, "condeferred", WHAT)?;
    match contype.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name,
                columns,
                definition,
                comment,
                ..PrimaryKey::default()
            })
        }
        "u" => table.uniques.push(Unique {
            name,
            columns,
            nulls_not_distinct: get(row, "nulls_not_distinct", WHAT)?,
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
            on_update: fk_action(&get::<String, _>(row, "on_update", WHAT)?)?,
            match_type: fk_match(&get::<String, _>(row, "match_type", WHAT)?)?,
            deferrable,
            initially_deferred,
            definition,
            comment,
            ..ForeignKey::default()
        }),
        "c" => table.checks.push(Check {
            name,
            expression: get(row, "expression", WHAT)?,
            definition,
            comment,
            ..Check::default()
        }),
        "x" => table.exclusions.push(Exclusion {
            name,
            method: get(row, "method", WHAT)?,
            elements: exclusion_elements(&definition)?,
            predicate: get(row, "predicate", WHAT)?,
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

/// The `expr WITH op` elements of `EXCLUDE USING method (…) …`, exactly as
/// PostgreSQL printed them (including non-default opclass, collation and
/// ordering). The list is the first parenthesised group; identifiers and
/// literals are skipped so quotes, commas and parentheses inside them do
/// not confuse the split.
pub fn exclusion_elements(definition: &str) -> Result<Vec<String>, CatalogError> {
    let bad = || CatalogError::Unexpected(format!("exclusion constraint {definition:?}"));
    let open = definition.find('(').ok_or_else(bad)?;
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut quote: Option<char> = None;
    for (i, ch) in definition.char_indices().skip_while(|(i, _)| *i <= open) {
        match (quote, ch) {
            // A doubled quote closes and reopens: same result.
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => {
                elements.push(definition[start..i].trim().to_string());
                return Ok(elements);
            }
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                elements.push(definition[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::exclusion_elements;

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
