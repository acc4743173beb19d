//! The keys of extended statistics changes: created after their table,
//! the columns they name and the functions and types their expressions
//! use; dropped before any of those is dropped or reshaped (and before a
//! column they use is dropped: PostgreSQL would take them with it, and
//! the drop would then fail). A name is free once the old object of that
//! name is dropped.

use super::deps::{Deps, Facts, Key};
use crate::diff::statistics::StatisticsChange;
use crate::model::{QualifiedName, Statistics};

/// The tie-break rank ([`super::rank`]): with the indexes.
pub fn rank(ch: &StatisticsChange) -> u8 {
    match ch {
        StatisticsChange::Drop { .. } => 2,
        StatisticsChange::Create { .. } => 11,
        StatisticsChange::SetTarget { .. } => 13,
        StatisticsChange::Comment { .. } => 19,
    }
}

fn name(table: &QualifiedName, stats: &str) -> QualifiedName {
    QualifiedName::new(&table.schema, stats)
}

/// The table, columns, functions and types `s` uses.
fn uses(table: &QualifiedName, s: &Statistics, f: &Facts) -> Vec<Key> {
    let texts: Vec<&str> = s.expressions.iter().map(String::as_str).collect();
    let mut out = vec![Key::Table(table.clone())];
    out.extend(
        s.columns
            .iter()
            .map(|c| Key::Column(table.clone(), c.clone())),
    );
    out.extend(f.columns_in(table, &s.columns, &texts));
    out.extend(f.functions_in(&texts));
    out.extend(f.types_in(&texts));
    out
}

pub fn deps(ch: &StatisticsChange, f: &Facts, d: &mut Deps) {
    match ch {
        StatisticsChange::Create { table, stats } => {
            let n = name(table, &stats.name);
            d.needs.extend(uses(table, stats, f));
            d.needs.extend([
                Key::Schema(table.schema.clone()),
                Key::Extensions,
                Key::FreeStatistics(n.clone()),
            ]);
            d.provides.push(Key::Statistics(n));
        }
        StatisticsChange::Drop { table, stats } => {
            d.needs.push(Key::Renamed(table.clone()));
            d.releases.extend(uses(table, stats, f));
            d.releases.push(Key::Extensions);
            d.provides
                .push(Key::FreeStatistics(name(table, &stats.name)));
        }
        StatisticsChange::SetTarget { table, name: s, .. }
        | StatisticsChange::Comment { table, name: s, .. } => {
            d.needs.push(Key::Statistics(name(table, s)));
        }
    }
}
