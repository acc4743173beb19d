//! Triggers of managed tables: not internal ones (a foreign key's), not a
//! partition's clones, not extension members. `pg_get_triggerdef` is the
//! equality key; the enabled state (`tgenabled`) is apart from it, since
//! `ALTER TABLE … ENABLE/DISABLE TRIGGER` changes it in place.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_extension_member, tables_cte, Scope};
use super::tables::Tables;
use super::CatalogError;
use crate::model::{QualifiedName, Trigger};

pub struct TriggerRow {
    rel: u32,
    trigger: Trigger,
}

pub async fn fetch(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<TriggerRow>, CatalogError> {
    const WHAT: &str = "triggers";
    let sql = format!(
        "{} SELECT tg.tgrelid, tg.tgname::text AS tgname, pg_get_triggerdef(tg.oid) AS def, \
           tg.tgconstraint <> 0 AS is_constraint, tg.tgenabled::text AS enabled, \
           obj_description(tg.oid, 'pg_trigger') AS description \
         FROM pg_trigger tg JOIN tbl ON tbl.oid = tg.tgrelid \
         WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND {}",
        tables_cte(),
        not_extension_member("pg_trigger", "tg.oid")
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            let enabled: String = get(row, "enabled", WHAT)?;
            Ok(TriggerRow {
                rel: get(row, "tgrelid", WHAT)?,
                trigger: Trigger {
                    name: get(row, "tgname", WHAT)?,
                    definition: get(row, "def", WHAT)?,
                    constraint: get(row, "is_constraint", WHAT)?,
                    enabled: enabled.chars().next().unwrap_or('O'),
                    comment: get(row, "description", WHAT)?,
                    ..Default::default()
                },
            })
        })
        .collect()
}

/// Triggers keyed by (table, name).
pub fn assemble(
    rows: Vec<TriggerRow>,
    tables: &Tables,
) -> BTreeMap<(QualifiedName, String), Trigger> {
    rows.into_iter()
        .filter_map(|r| {
            let table = tables.by_oid.get(&r.rel)?.table.name.clone();
            let t = Trigger { table, ..r.trigger };
            Some(((t.table.clone(), t.name.clone()), t))
        })
        .collect()
}
