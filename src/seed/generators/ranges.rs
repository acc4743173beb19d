//! Default generators for range and multirange columns: a lower bound
//! drawn below an upper bound, so every value is a non-empty range
//! (`[lo,hi)`), for integer, numeric, float, date and timestamp subtypes.

use chrono::NaiveDate;

use super::template::{Filter, Part};
use super::Gen;
use crate::seed::coltype::ColType;

/// `[lo,hi)` (or `{[lo,hi)}` for a multirange), `None` for a subtype
/// without a rule (the column then needs a generator in the profile).
pub fn for_range(subtype: &ColType, multi: bool) -> Option<Gen> {
    let (lo, hi) = bounds(subtype)?;
    let slot = |gen: Gen| Part::Slot {
        gen,
        filter: Filter::None,
        source: "range".into(),
    };
    let (open, close) = if multi { ("{[", ")}") } else { ("[", ")") };
    Some(Gen::Template(vec![
        Part::Lit(open.into()),
        slot(lo),
        Part::Lit(",".into()),
        slot(hi),
        Part::Lit(close.into()),
    ]))
}

/// Generators of the lower and upper bound: the lower one always below.
fn bounds(subtype: &ColType) -> Option<(Gen, Gen)> {
    Some(match subtype {
        ColType::Int { .. } => (
            Gen::UniformInt { lo: 0, hi: 499 },
            Gen::UniformInt { lo: 500, hi: 1000 },
        ),
        ColType::Numeric { .. } | ColType::Float => (
            Gen::UniformFloat { lo: 0.0, hi: 499.0 },
            Gen::UniformFloat {
                lo: 500.0,
                hi: 1000.0,
            },
        ),
        // A date's text form is also a valid timestamp.
        ColType::Date | ColType::Timestamp | ColType::TimestampTz => {
            (dates(2020, 1, 180), dates(2020, 7, 180))
        }
        _ => return None,
    })
}

fn dates(year: i32, month: u32, days: i64) -> Gen {
    Gen::Date {
        from: NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default(),
        days,
    }
}
