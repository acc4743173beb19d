//! Views and materialized views (`relkind` `v` and `m`), not extension
//! members, in the managed schemas: their definition as `pg_get_viewdef`
//! prints it (with `search_path = pg_catalog`, so every name it reads is
//! qualified), their options (`reloptions`), columns with types and
//! comments, and the indexes of materialized views (read like a table's).
//! A materialized view's storage parameters and clustering index are
//! modelled; defaults of view columns are reported, not modelled.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{collation_name, not_extension_member, Scope, NS_CTE};
use super::{report, CatalogError};
use crate::model::{Index, QualifiedName, Unmanaged, View, ViewColumn};

fn views_sql() -> String {
    format!(
        "{NS_CTE} SELECT c.oid, ns.nspname, c.relname::text AS relname, \
           c.relkind = 'm' AS materialized, pg_get_viewdef(c.oid) AS def, \
           c.relispopulated, coalesce(c.reloptions, '{{}}') AS options, \
           obj_description(c.oid, 'pg_class') AS description, \
           (SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index \
         FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
         WHERE c.relkind IN ('v', 'm') AND {}",
        not_extension_member("pg_class", "c.oid")
    )
}

fn columns_sql() -> String {
    format!(
        "{NS_CTE} SELECT a.attrelid, a.attname::text AS attname, \
           format_type(a.atttypid, a.atttypmod) AS data_type, \
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation \
             THEN {} END AS collation, \
           col_description(a.attrelid, a.attnum) AS description, a.atthasdef \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN ns ON ns.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid \
         WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attrelid, a.attnum",
        collation_name("a.attcollation")
    )
}

/// Rows of the two view queries (the indexes of materialized views are
/// read with those of tables, [`super::indexes::fetch`]).
pub struct Fetched {
    views: Vec<tokio_postgres::Row>,
    columns: Vec<tokio_postgres::Row>,
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Fetched, CatalogError> {
    let (vsql, csql) = (views_sql(), columns_sql());
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&scope.schemas];
    let (views, columns) = futures_util::try_join!(
        query(client, "views", &vsql, &params),
        query(client, "view columns", &csql, &params),
    )?;
    Ok(Fetched { views, columns })
}

/// The views by name, and what of them the model cannot hold (storage
/// parameters of a materialized view, invalid indexes).
/// `indexes`: the fetched indexes that are not a table's.
pub fn assemble(
    fetched: Fetched,
    indexes: Vec<(u32, Index, bool)>,
) -> Result<(BTreeMap<QualifiedName, View>, Vec<Unmanaged>), CatalogError> {
    const WHAT: &str = "views";
    let mut by_oid: BTreeMap<u32, View> = BTreeMap::new();
    let mut odd = Vec::new();
    for row in &fetched.views {
        let name = QualifiedName::new(
            get::<String, _>(row, "nspname", WHAT)?,
            get::<String, _>(row, "relname", WHAT)?,
        );
        let def: String = get(row, "def", WHAT)?;
        let mut v = View {
            materialized: get(row, "materialized", WHAT)?,
            definition: canonical(&def),
            with_data: get(row, "relispopulated", WHAT)?,
            comment: get(row, "description", WHAT)?,
            ..View::default()
        };
        let options: Vec<String> = get(row, "options", WHAT)?;
        if !apply_options(&mut v, &options) {
            odd.push(report(
                "view options",
                format!("{}.{}", name.schema, name.name),
            ));
        }
        v.cluster_on = get(row, "cluster_index", WHAT)?;
        v.name = name;
        by_oid.insert(get(row, "oid", WHAT)?, v);
    }
    for row in &fetched.columns {
        let oid: u32 = get(row, "attrelid", "view columns")?;
        let Some(v) = by_oid.get_mut(&oid) else {
            continue;
        };
        let col: String = get(row, "attname", "view columns")?;
        if get::<bool, _>(row, "atthasdef", "view columns")? {
            // `ALTER VIEW … ALTER COLUMN … SET DEFAULT`: not modelled.
            let n = &v.name;
            odd.push(report(
                "view column defaults",
                format!("{}.{}.{col}", n.schema, n.name),
            ));
        }
        let mut data_type: String = get(row, "data_type", "view columns")?;
        if let Some(c) = get::<Option<String>, _>(row, "collation", "view columns")? {
            data_type = format!("{data_type} COLLATE {c}");
        }
        v.columns.push(ViewColumn {
            name: col,
            data_type,
            comment: get(row, "description", "view columns")?,
        });
    }
    for (rel, index, valid) in indexes {
        let Some(v) = by_oid.get_mut(&rel) else {
            continue;
        };
        if !valid {
            let n = &v.name;
            let i = index.name.clone().unwrap_or_default();
            odd.push(report(
                "invalid indexes",
                format!("{}.{i} on {}.{}", n.schema, n.schema, n.name),
            ));
        }
        v.indexes.push(index);
    }
    let views = by_oid.into_values().map(|v| (v.name.clone(), v)).collect();
    Ok((views, odd))
}

/// `pg_get_viewdef` text without its leading space and final `;`: the
/// query alone, as `CREATE VIEW … AS <query>` takes it.
pub fn canonical(def: &str) -> String {
    def.trim().trim_end_matches(';').trim_end().to_string()
}

/// Set the view options PostgreSQL stores in `reloptions`; false when
/// some other (storage) parameter is set, which the model does not hold.
fn apply_options(v: &mut View, options: &[String]) -> bool {
    let mut all_known = true;
    for o in options {
        let (k, val) = o.split_once('=').unwrap_or((o, "true"));
        let on = matches!(
            val.to_ascii_lowercase().as_str(),
            "true" | "on" | "yes" | "1"
        );
        match k {
            "security_barrier" => v.security_barrier = on,
            "security_invoker" => v.security_invoker = on,
            "check_option" => v.check_option = Some(val.to_ascii_lowercase()),
            // A materialized view's options are storage parameters.
            _ if v.materialized => {
                let val = crate::pg::reloptions::canonical(k, val);
                v.storage.insert(k.to_string(), val);
            }
            _ => all_known = false,
        }
    }
    all_known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_whatever_their_spelling() {
        let mut v = View::default();
        let opts = ["security_barrier=on", "check_option=LOCAL"].map(String::from);
        assert!(apply_options(&mut v, &opts));
        assert!(v.security_barrier && !v.security_invoker);
        assert_eq!(v.check_option.as_deref(), Some("local"));
        let mut v = View::default();
        assert!(!apply_options(&mut v, &["fillfactor=70".to_string()]));
        assert!(apply_options(
            &mut v,
            &["security_barrier=false".to_string()]
        ));
        assert!(!v.security_barrier);
    }

    #[test]
    fn definition_loses_its_frame() {
        assert_eq!(
            canonical(" SELECT t.id\n   FROM t;"),
            "SELECT t.id\n   FROM t"
        );
    }
}
