//! Sequences: attached to their column as `serial` or `identity`, with
//! options normalised to `None` when they equal PostgreSQL's defaults, or
//! standalone ([`StandaloneSequence`]), possibly `OWNED BY` a column.

use std::collections::HashSet;

use super::row::{get, query};
use super::scope::{not_extension_member, tables_cte, Scope};
use super::tables::Tables;
use super::{report, CatalogError};
use crate::model::{Identity, QualifiedName, Sequence, StandaloneSequence, Unmanaged};

/// One row of `pg_sequence` with its owning column, if any.
#[derive(Debug, Clone)]
pub struct SeqInfo {
    pub oid: u32,
    pub name: QualifiedName,
    /// `regclass` text as `nextval('…'::regclass)` prints it.
    pub regclass: String,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    /// (table oid, attnum, deptype) of an `OWNED BY` ('a') or identity
    /// ('i') link.
    pub owner: Option<(u32, i16, String)>,
    pub comment: Option<String>,
}

/// Sequences in the managed schemas, plus those owned by managed tables
/// wherever they live.
pub async fn sequences(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<SeqInfo>, CatalogError> {
    const WHAT: &str = "sequences";
    let sql = format!(
        "{} SELECT s.seqrelid, n.nspname::text AS nspname, c.relname::text AS relname, \
           c.oid::regclass::text AS regclass, format_type(s.seqtypid, NULL) AS data_type, \
           s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, \
           dep.refobjid AS owner_rel, dep.refobjsubid AS owner_att, dep.deptype::text AS deptype, \
           obj_description(s.seqrelid, 'pg_class') AS description \
         FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass \
           AND dep.objid = s.seqrelid AND dep.refclassid = 'pg_class'::regclass \
           AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i') \
         WHERE (c.relnamespace IN (SELECT oid FROM ns) OR dep.refobjid IN (SELECT oid FROM tbl)) \
           AND {}",
        tables_cte(),
        not_extension_member("pg_class", "c.oid")
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            let owner_rel: Option<u32> = get(row, "owner_rel", WHAT)?;
            let owner_att: Option<i32> = get(row, "owner_att", WHAT)?;
            let deptype: Option<String> = get(row, "deptype", WHAT)?;
            let owner = match (owner_rel, owner_att, deptype) {
                (Some(r), Some(a), Some(d)) => Some((r, att_i16(a)?, d)),
                _ => None,
            };
            Ok(SeqInfo {
                oid: get(row, "seqrelid", WHAT)?,
                name: QualifiedName::new(
                    get::<String, _>(row, "nspname", WHAT)?,
                    get::<String, _>(row, "relname", WHAT)?,
                ),
                regclass: get(row, "regclass", WHAT)?,
                data_type: get(row, "data_type", WHAT)?,
                start: get(row, "seqstart", WHAT)?,
                increment: get(row, "seqincrement", WHAT)?,
                min: get(row, "seqmin", WHAT)?,
                max: get(row, "seqmax", WHAT)?,
                cache: get(row, "seqcache", WHAT)?,
                cycle: get(row, "seqcycle", WHAT)?,
                owner,
                comment: get(row, "description", WHAT)?,
            })
        })
        .collect()
}

fn att_i16(a: i32) -> Result<i16, CatalogError> {
    i16::try_from(a).map_err(|_| CatalogError::Unexpected(format!("attnum {a} out of range")))
}

/// Attach owned sequences to their columns; returns the oids used.
///
/// Identity: the 'i'-linked sequence of an identity column. Serial: an
/// integer column whose default is exactly `nextval('<seq>'::regclass)` of
/// a sequence OWNED BY that column; its default is then cleared.
pub fn attach(tables: &mut Tables, seqs: &[SeqInfo]) -> HashSet<u32> {
    let mut used = HashSet::new();
    for seq in seqs {
        let Some((rel, attnum, deptype)) = &seq.owner else {
            continue;
        };
        let Some(entry) = tables.by_oid.get_mut(rel) else {
            continue;
        };
        let Some(idx) = entry.column_index(*attnum) else {
            continue;
        };
        let identity = entry.identity.get(idx).cloned().flatten();
        let col = &mut entry.table.columns[idx];
        match (deptype.as_str(), identity) {
            ("i", Some(kind)) => {
                col.identity = Some(Identity {
                    kind,
                    sequence: normalise(seq, &col.data_type),
                });
                used.insert(seq.oid);
            }
            ("a", None) if is_serial(seq, &col.data_type, col.default.as_deref()) => {
                col.serial = Some(normalise(seq, &col.data_type));
                col.default = None;
                used.insert(seq.oid);
            }
            _ => {}
        }
    }
    used
}

fn is_serial(seq: &SeqInfo, data_type: &str, default: Option<&str>) -> bool {
    // With standard_conforming_strings on (set by `introspect`), ruleutils
    // only doubles single quotes inside the literal.
    let expected = format!("nextval('{}'::regclass)", seq.regclass.replace('\'', "''"));
    matches!(data_type, "smallint" | "integer" | "bigint") && default == Some(expected.as_str())
}

/// Sequence options with PostgreSQL's defaults (see `init_params` in
/// sequence.c) replaced by `None`; `data_type` is `None` when it equals the
/// column's type.
pub fn normalise(seq: &SeqInfo, column_type: &str) -> Sequence {
    let (type_min, type_max) = match seq.data_type.as_str() {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let ascending = seq.increment > 0;
    let (default_min, default_max) = if ascending {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if ascending { seq.min } else { seq.max };
    let unless = |value: i64, default: i64| (value != default).then_some(value);
    Sequence {
        name: Some(seq.name.clone()),
        data_type: (seq.data_type != column_type).then(|| seq.data_type.clone()),
        start: unless(seq.start, default_start),
        increment: unless(seq.increment, 1),
        min_value: unless(seq.min, default_min),
        max_value: unless(seq.max, default_max),
        cache: unless(seq.cache, 1),
        cycle: seq.cycle,
    }
}

/// Sequences not represented by a serial or identity column: standalone,
/// with the column that owns them, if any. A sequence owned by a relation
/// the model does not manage (a partitioned table's serial column, say) is
/// left out: its owner is reported already. An identity link ('i') to a
/// column that is no identity any more cannot happen; such a sequence is
/// reported rather than guessed at.
pub fn standalone(
    seqs: &[SeqInfo],
    used: &HashSet<u32>,
    tables: &Tables,
) -> (Vec<StandaloneSequence>, Vec<Unmanaged>) {
    let (mut managed, mut odd) = (Vec::new(), Vec::new());
    for s in seqs.iter().filter(|s| !used.contains(&s.oid)) {
        let owned_by = match &s.owner {
            None => None,
            Some((rel, attnum, deptype)) => {
                let Some(entry) = tables.by_oid.get(rel) else {
                    continue;
                };
                let col = entry.column_index(*attnum).map(|i| &entry.table.columns[i]);
                match col {
                    Some(c) if deptype == "a" => Some((entry.table.name.clone(), c.name.clone())),
                    _ => {
                        odd.push(report(
                            "sequences",
                            format!("{}.{}", s.name.schema, s.name.name),
                        ));
                        continue;
                    }
                }
            }
        };
        let mut options = normalise(s, "bigint");
        options.name = None;
        managed.push(StandaloneSequence {
            name: s.name.clone(),
            options,
            owned_by,
            comment: s.comment.clone(),
            ..Default::default()
        });
    }
    (managed, odd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(data_type: &str, start: i64, inc: i64, min: i64, max: i64) -> SeqInfo {
        SeqInfo {
            oid: 1,
            name: QualifiedName::new("public", "s"),
            regclass: "public.s".into(),
            data_type: data_type.into(),
            start,
            increment: inc,
            min,
            max,
            cache: 1,
            cycle: false,
            owner: None,
            comment: None,
        }
    }

    #[test]
    fn defaults_normalise_to_none() {
        let s = normalise(&seq("integer", 1, 1, 1, i32::MAX as i64), "integer");
        assert!(s.is_default());
        let s = normalise(&seq("bigint", -1, -1, i64::MIN, -1), "bigint");
        assert_eq!((s.start, s.min_value, s.max_value), (None, None, None));
        assert_eq!(s.increment, Some(-1));
        let s = normalise(&seq("smallint", 1, 1, 1, 32767), "smallint");
        assert!(s.is_default());
    }

    #[test]
    fn non_defaults_are_kept() {
        let s = normalise(&seq("integer", 100, 5, 1, 1000), "bigint");
        assert_eq!(s.data_type.as_deref(), Some("integer"));
        assert_eq!(s.start, Some(100));
        assert_eq!(s.increment, Some(5));
        assert_eq!(s.min_value, None);
        assert_eq!(s.max_value, Some(1000));
        // Start equal to a non-default minimum is the implied start.
        let s = normalise(&seq("integer", 10, 1, 10, i32::MAX as i64), "integer");
        assert_eq!((s.start, s.min_value), (None, Some(10)));
    }

    #[test]
    fn serial_default_must_name_the_sequence() {
        let s = seq("integer", 1, 1, 1, 10);
        assert!(is_serial(
            &s,
            "integer",
            Some("nextval('public.s'::regclass)")
        ));
        assert!(!is_serial(
            &s,
            "numeric",
            Some("nextval('public.s'::regclass)")
        ));
        assert!(!is_serial(
            &s,
            "integer",
            Some("nextval('public.t'::regclass)")
        ));
        assert!(!is_serial(&s, "integer", None));
    }
}
