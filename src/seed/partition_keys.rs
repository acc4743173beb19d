//! The default generator of a partitioned table's key column draws values
//! its partitions take: PostgreSQL routes each seeded row by the key, and
//! a row no partition takes fails the table. Only without a DEFAULT
//! partition (which takes anything) and for a single-column key:
//!
//! * LIST: one of the listed values;
//! * RANGE over integers, dates or timestamps: uniform over the union of
//!   the bounds when the partitions are contiguous (each one's upper
//!   bound the next one's lower), so every value lands in one;
//! * HASH: any value lands somewhere; nothing to do.
//!
//! An explicit generator in the profile always wins; values it draws
//! outside the partitions fail with a hint (see `run::no_partition_hint`).

use chrono::{NaiveDateTime, TimeZone};

use super::coltype::{coerce, parse_datetime, ColType};
use super::generators::Gen;
use crate::copy::Value;
use crate::model::{Column, Database, Table};
use crate::pg::bound_check::{literal_text, parse, single_column_key, Bound};

pub fn default_for_key(db: &Database, table: &Table, col: &Column, ty: &ColType) -> Option<Gen> {
    let (_, key) = single_column_key(table.partition_by.as_deref()?)?;
    if key != col.name {
        return None;
    }
    let bounds: Vec<&str> = db
        .tables
        .values()
        .filter_map(|t| t.partition_of.as_ref())
        .filter(|p| p.parent == table.name)
        .map(|p| p.bound.as_str())
        .collect();
    if bounds.is_empty() || bounds.iter().any(|b| b.eq_ignore_ascii_case("default")) {
        return None;
    }
    let parsed: Vec<Bound> = bounds.iter().map(|b| parse(b)).collect::<Option<_>>()?;
    let label = format!("the partition bounds of {}", table.name);
    match parsed.first()? {
        Bound::List { .. } => list(&parsed, ty, label),
        Bound::Range { .. } => range(&parsed, ty),
    }
}

fn list(bounds: &[Bound], ty: &ColType, label: String) -> Option<Gen> {
    let mut values = Vec::new();
    for b in bounds {
        let Bound::List { values: v, .. } = b else {
            return None;
        };
        for text in v {
            values.push(coerce(Value::Text(literal_text(text)), ty).ok()?);
        }
    }
    (!values.is_empty()).then(|| Gen::Choice {
        values: values.into(),
        cumulative: None,
        label,
    })
}

/// Contiguous ranges of one type → one uniform generator over them all.
fn range(bounds: &[Bound], ty: &ColType) -> Option<Gen> {
    let mut spans: Vec<(i64, i64)> = Vec::new();
    for b in bounds {
        let Bound::Range {
            lo: Some(lo),
            hi: Some(hi),
        } = b
        else {
            return None; // MINVALUE / MAXVALUE: no finite span to draw from
        };
        spans.push((number(lo, ty)?, number(hi, ty)?));
    }
    spans.sort();
    let contiguous = spans.windows(2).all(|w| w[0].1 == w[1].0);
    let (lo, hi) = (spans.first()?.0, spans.last()?.1);
    if !contiguous || hi <= lo {
        return None;
    }
    match ty {
        ColType::Int { .. } => Some(Gen::UniformInt { lo, hi: hi - 1 }),
        ColType::Date => Some(Gen::Date {
            from: chrono::DateTime::from_timestamp(lo * 86_400, 0)?.date_naive(),
            days: hi - lo - 1,
        }),
        ColType::Timestamp | ColType::TimestampTz => Some(Gen::Timestamp {
            from: chrono::DateTime::from_timestamp(lo, 0)?.naive_utc(),
            seconds: hi - lo - 1,
        }),
        _ => None,
    }
}

/// A bound as a number on the type's scale: integers as they are, dates
/// in days and timestamps in seconds since the epoch.
fn number(literal: &str, ty: &ColType) -> Option<i64> {
    let text = literal_text(literal);
    match ty {
        ColType::Int { .. } => text.trim().parse().ok(),
        ColType::Date => Some(datetime(&text)?.and_utc().timestamp().div_euclid(86_400)),
        ColType::Timestamp | ColType::TimestampTz => Some(datetime(&text)?.and_utc().timestamp()),
        _ => None,
    }
}

/// `2024-01-01`, `2024-01-01 00:00:00`, or with an offset (`+00`, as the
/// catalog prints `timestamptz` bounds under `TimeZone = UTC`).
fn datetime(text: &str) -> Option<NaiveDateTime> {
    if let Some(t) = parse_datetime(text) {
        return Some(t);
    }
    let padded = match text.rsplit_once(['+', '-']) {
        Some((_, off)) if off.len() == 2 => format!("{text}:00"),
        _ => text.to_string(),
    };
    chrono::DateTime::parse_from_str(&padded, "%Y-%m-%d %H:%M:%S%.f%:z")
        .ok()
        .map(|d| chrono::Utc.from_utc_datetime(&d.naive_utc()).naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PartitionOf, QualifiedName};

    fn db(key: &str, bounds: &[&str]) -> (Database, Table) {
        let parent = Table {
            name: QualifiedName::new("public", "p"),
            partition_by: Some(key.into()),
            ..Default::default()
        };
        let mut db = Database::default();
        db.tables.insert(parent.name.clone(), parent.clone());
        for (i, b) in bounds.iter().enumerate() {
            let t = Table {
                name: QualifiedName::new("public", format!("p{i}")),
                partition_of: Some(PartitionOf {
                    parent: parent.name.clone(),
                    bound: b.to_string(),
                }),
                ..Default::default()
            };
            db.tables.insert(t.name.clone(), t);
        }
        (db, parent)
    }

    fn col(name: &str) -> Column {
        Column {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn keys_draw_inside_the_partitions() {
        let (d, p) = db(
            "RANGE (at)",
            &[
                "FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00')",
                "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')",
            ],
        );
        let Some(Gen::Timestamp { from, seconds }) =
            default_for_key(&d, &p, &col("at"), &ColType::TimestampTz)
        else {
            panic!("no timestamp generator");
        };
        assert_eq!(from.to_string(), "2024-01-01 00:00:00");
        assert_eq!(seconds, 60 * 86_400 - 1);
        let (d, p) = db(
            "RANGE (n)",
            &[
                "FOR VALUES FROM (0) TO (10)",
                "FOR VALUES FROM (10) TO (20)",
            ],
        );
        let int = ColType::Int {
            min: i64::MIN,
            max: i64::MAX,
        };
        assert!(matches!(
            default_for_key(&d, &p, &col("n"), &int),
            Some(Gen::UniformInt { lo: 0, hi: 19 })
        ));
        // A gap, another column, a DEFAULT partition: no default.
        let (d, p) = db(
            "RANGE (n)",
            &[
                "FOR VALUES FROM (0) TO (10)",
                "FOR VALUES FROM (11) TO (20)",
            ],
        );
        assert!(default_for_key(&d, &p, &col("n"), &int).is_none());
        assert!(default_for_key(&d, &p, &col("m"), &int).is_none());
        let (d, p) = db("LIST (r)", &["FOR VALUES IN ('eu', 'us')", "DEFAULT"]);
        let text = ColType::Text { max: None };
        assert!(default_for_key(&d, &p, &col("r"), &text).is_none());
        let (d, p) = db(
            "LIST (r)",
            &["FOR VALUES IN ('eu', 'us')", "FOR VALUES IN ('it''s')"],
        );
        let Some(Gen::Choice { values, .. }) = default_for_key(&d, &p, &col("r"), &text) else {
            panic!("no choice");
        };
        assert_eq!(values.len(), 3);
    }
}
