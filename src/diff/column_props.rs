//! Column properties (issue 14): statistics target, storage, compression
//! and attribute options. Each change is one `ALTER TABLE … ALTER COLUMN`
//! in place ([`Change::SetColumnProperty`]); a new column (in a new table
//! or added) gets its properties by the same statements once it exists.
//!
//! A type change (`ALTER COLUMN … TYPE`, collation included) resets the
//! column's storage to the new type's and its compression to the default,
//! so after one they are set again whatever the old column had.

use super::Change;
use crate::model::{Column, ColumnProps, QualifiedName};

/// One property of [`Change::SetColumnProperty`].
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnProperty {
    /// `SET STATISTICS n`; `None` resets (`-1`).
    Statistics(Option<i32>),
    /// `SET STORAGE word`: the wanted storage, or (`None`) the type's own,
    /// `type_storage` (`SET STORAGE DEFAULT` is PostgreSQL 16+ only).
    Storage {
        to: Option<String>,
        type_storage: Option<String>,
    },
    /// `SET COMPRESSION method`; `None` = `default`.
    Compression(Option<String>),
    /// `SET (name = value, …)` and `RESET (name, …)`.
    Options {
        set: Vec<(String, String)>,
        reset: Vec<String>,
    },
}

/// The properties of a column that a change creates (its table or itself).
pub(super) fn on_new(table: &QualifiedName, c: &Column, out: &mut Vec<Change>) {
    changes(table, c, &ColumnProps::default(), &c.props, out);
}

/// The property changes from `old` to `new` (the same column, altered in
/// place by any other change already in `out`).
pub(super) fn alter(table: &QualifiedName, old: &Column, new: &Column, out: &mut Vec<Change>) {
    let retyped = old.data_type != new.data_type || old.collation != new.collation;
    let mut before = old.props.clone();
    if retyped {
        before.storage = None;
        before.compression = None;
    }
    changes(table, new, &before, &new.props, out);
}

fn changes(
    table: &QualifiedName,
    c: &Column,
    old: &ColumnProps,
    new: &ColumnProps,
    out: &mut Vec<Change>,
) {
    let mut props = Vec::new();
    if old.statistics != new.statistics {
        props.push(ColumnProperty::Statistics(new.statistics));
    }
    if old.storage != new.storage {
        props.push(ColumnProperty::Storage {
            to: new.storage.clone(),
            type_storage: new
                .type_storage
                .clone()
                .or_else(|| old.type_storage.clone()),
        });
    }
    if old.compression != new.compression {
        props.push(ColumnProperty::Compression(new.compression.clone()));
    }
    let set: Vec<(String, String)> = new
        .options
        .iter()
        .filter(|(k, v)| old.options.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reset: Vec<String> = old
        .options
        .keys()
        .filter(|k| !new.options.contains_key(*k))
        .cloned()
        .collect();
    if !set.is_empty() || !reset.is_empty() {
        props.push(ColumnProperty::Options { set, reset });
    }
    out.extend(props.into_iter().map(|property| Change::SetColumnProperty {
        table: table.clone(),
        column: c.name.clone(),
        property,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: &str, storage: Option<&str>, compression: Option<&str>) -> Column {
        Column {
            name: "c".into(),
            data_type: ty.into(),
            props: ColumnProps {
                storage: storage.map(str::to_string),
                type_storage: Some("extended".into()),
                compression: compression.map(str::to_string),
                ..ColumnProps::default()
            },
            ..Column::default()
        }
    }

    fn diff(old: &Column, new: &Column) -> Vec<ColumnProperty> {
        let mut out = Vec::new();
        alter(&QualifiedName::new("public", "t"), old, new, &mut out);
        out.into_iter()
            .map(|c| match c {
                Change::SetColumnProperty { property, .. } => property,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_type_change_sets_storage_and_compression_again() {
        let old = col("text", Some("external"), Some("pglz"));
        assert!(diff(&old, &old).is_empty());
        let new = col("character varying(10)", Some("external"), Some("pglz"));
        assert_eq!(
            diff(&old, &new),
            vec![
                ColumnProperty::Storage {
                    to: Some("external".into()),
                    type_storage: Some("extended".into())
                },
                ColumnProperty::Compression(Some("pglz".into())),
            ]
        );
        // Reset to the type's storage: spelled out for PostgreSQL < 16.
        let plain = col("text", None, None);
        assert_eq!(
            diff(&old, &plain),
            vec![
                ColumnProperty::Storage {
                    to: None,
                    type_storage: Some("extended".into())
                },
                ColumnProperty::Compression(None),
            ]
        );
    }
}
