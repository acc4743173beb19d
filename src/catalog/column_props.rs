//! Column properties ([`ColumnProps`]): statistics target, storage,
//! compression and attribute options, read with the columns
//! ([`super::tables::fetch_columns`]).
//!
//! `attstattarget` is `-1` for "the default" up to PostgreSQL 16 and
//! NULL from 17 (where it became nullable): `NULLIF` reads both as NULL.
//! A storage is a property only when it differs from the type's
//! (`typstorage`); `attcompression` is `''` for the default.

use tokio_postgres::Row;

use super::row::get;
use super::CatalogError;
use crate::model::ColumnProps;

/// The select-list items [`read`] expects (`a` is `pg_attribute`, `t`
/// the column's `pg_type`).
pub const SELECT: &str = "NULLIF(a.attstattarget::int4, -1) AS stat_target, \
     a.attstorage::text AS att_storage, t.typstorage::text AS type_storage, \
     a.attcompression::text AS att_compression, a.attoptions AS att_options";

pub fn read(row: &Row) -> Result<ColumnProps, CatalogError> {
    const WHAT: &str = "columns";
    let att: String = get(row, "att_storage", WHAT)?;
    let typ: String = get(row, "type_storage", WHAT)?;
    let compression: String = get(row, "att_compression", WHAT)?;
    let options: Option<Vec<String>> = get(row, "att_options", WHAT)?;
    Ok(ColumnProps {
        statistics: get(row, "stat_target", WHAT)?,
        storage: (att != typ).then(|| storage_word(&att)).flatten(),
        type_storage: storage_word(&typ),
        compression: match compression.as_str() {
            "p" => Some("pglz".into()),
            "l" => Some("lz4".into()),
            _ => None,
        },
        options: options
            .unwrap_or_default()
            .iter()
            .filter_map(|o| {
                let (k, v) = o.split_once('=')?;
                Some((k.to_string(), crate::pg::reloptions::canonical(k, v)))
            })
            .collect(),
    })
}

/// `attstorage` / `typstorage` letters as `SET STORAGE` spells them.
pub fn storage_word(letter: &str) -> Option<String> {
    let word = match letter {
        "p" => "plain",
        "e" => "external",
        "x" => "extended",
        "m" => "main",
        _ => return None,
    };
    Some(word.into())
}
