//! Making unique columns unique, deterministically.
//!
//! Candidates are generated in parallel, each row from its own streams
//! (attempt 0). Then one sequential pass walks the rows in order: a row
//! whose value (or tuple, for a composite constraint) was already taken is
//! regenerated with attempt 1, 2, … of the same cell streams until it is
//! new, up to [`MAX_ATTEMPTS`]. The outcome depends only on the row order,
//! never on batch sizes or threads, as long as `resolve` sees the row
//! ranges in order.
//!
//! The pass remembers a 64-bit hash per taken value, not the value (16
//! bytes a row with the set's overhead, whatever the text length). Two
//! different values with the same hash only cost a needless retry: the
//! result stays correct and deterministic. Injective generators
//! (sequences, UUIDv4) are not tracked at all.

use std::collections::HashSet;
use std::hash::Hasher;

use siphasher::sip::SipHasher13;

use super::coltype::ColType;
use super::generators::Gen;
use super::limits::MAX_UNIQUE_TRACKED;
use super::table::{Inputs, Pool, Source, TableGen};
use super::{SeedError, UniqueError};
use crate::copy::Value;

/// Retries per row before giving up on a unique column.
pub const MAX_ATTEMPTS: u32 = 1000;

/// The values taken so far, per unique group of one table.
#[derive(Debug, Default)]
pub struct UniqueState {
    taken: Vec<HashSet<u64>>,
    /// The next row `resolve` expects (ranges must come in order).
    next_row: Option<u64>,
}

impl UniqueState {
    pub fn new(gen: &TableGen) -> UniqueState {
        UniqueState {
            taken: vec![HashSet::new(); gen.unique.len()],
            next_row: None,
        }
    }

    /// Settle uniqueness for `rows`, generated for rows `first_row..`.
    /// Calls must cover consecutive ranges in row order.
    pub fn resolve(
        &mut self,
        gen: &TableGen,
        first_row: u64,
        rows: &mut [Vec<Value>],
        inputs: &Inputs,
    ) -> Result<(), SeedError> {
        if gen.unique.is_empty() {
            return Ok(());
        }
        if let Some(expected) = self.next_row {
            if expected != first_row {
                return Err(SeedError::Input(format!(
                    "{}: unique resolution got rows from {first_row}, expected {expected} (ranges must come in order)",
                    gen.table
                )));
            }
        }
        for (offset, values) in rows.iter_mut().enumerate() {
            self.resolve_row(gen, first_row + offset as u64, values, inputs)?;
        }
        self.next_row = Some(first_row + rows.len() as u64);
        Ok(())
    }

    fn resolve_row(
        &mut self,
        gen: &TableGen,
        row: u64,
        values: &mut [Value],
        inputs: &Inputs,
    ) -> Result<(), SeedError> {
        let mut attempt = 0;
        loop {
            let hashes: Vec<Option<u64>> = gen
                .unique
                .iter()
                .map(|g| group_hash(&g.cells, g.nulls_distinct, values))
                .collect();
            let clash: Vec<usize> = (0..hashes.len())
                .filter(|&g| hashes[g].is_some_and(|h| self.taken[g].contains(&h)))
                .collect();
            if clash.is_empty() {
                for (g, h) in hashes.into_iter().enumerate() {
                    if let Some(h) = h {
                        self.taken[g].insert(h);
                    }
                }
                return Ok(());
            }
            attempt += 1;
            if attempt > MAX_ATTEMPTS || !regenerate(gen, &clash, row, attempt, values, inputs)? {
                return Err(self.exhausted(gen, clash[0], row));
            }
        }
    }

    fn exhausted(&self, gen: &TableGen, group: usize, row: u64) -> SeedError {
        let cells = &gen.unique[group].cells;
        SeedError::Unique(Box::new(UniqueError {
            table: gen.table.to_string(),
            columns: column_list(gen, cells),
            generator: describe_group(gen, cells),
            distinct: self.taken[group].len() as u128,
            row: Some(row + 1),
            needed: format!(
                "row {} found no new value in {MAX_ATTEMPTS} attempts",
                row + 1
            ),
        }))
    }
}

fn column_list(gen: &TableGen, cells: &[usize]) -> String {
    match cells {
        [one] => gen.cells[*one].name.clone(),
        many => format!(
            "({})",
            many.iter()
                .map(|c| gen.cells[*c].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn describe_group(gen: &TableGen, cells: &[usize]) -> String {
    cells
        .iter()
        .map(|c| match &gen.cells[*c].source {
            Source::Gen { gen, .. } => gen.describe(),
            Source::Fk { slot, .. } => format!("keys of {}", gen.fks[*slot].ref_table),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Draw the cells of the clashing groups again with `attempt`. FK slots
/// are re-drawn as a whole tuple; a per_parent FK is fixed by the fan-out
/// and cannot change. False when nothing in the groups can change.
fn regenerate(
    gen: &TableGen,
    groups: &[usize],
    row: u64,
    attempt: u32,
    values: &mut [Value],
    inputs: &Inputs,
) -> Result<bool, SeedError> {
    let mut cells: Vec<usize> = groups
        .iter()
        .flat_map(|g| gen.unique[*g].cells.iter().copied())
        .collect();
    // Every column of a re-drawn FK changes together.
    let slots: Vec<usize> = cells
        .iter()
        .filter_map(|c| match &gen.cells[*c].source {
            Source::Fk { slot, .. } if !gen.fks[*slot].per_parent => Some(*slot),
            _ => None,
        })
        .collect();
    for (i, cell) in gen.cells.iter().enumerate() {
        if matches!(&cell.source, Source::Fk { slot, .. } if slots.contains(slot)) {
            cells.push(i);
        }
    }
    cells.sort_unstable();
    cells.dedup();
    let mut parents = gen.parents(row, 0, inputs)?;
    for s in &slots {
        if let Pool::Keys(k) = &inputs.pools[*s] {
            parents[*s] = gen.parent_index(*s, row, attempt, k.len())?;
        }
    }
    let mut changed = false;
    for c in cells {
        let movable = match &gen.cells[c].source {
            Source::Gen { .. } => true,
            Source::Fk { slot, .. } => slots.contains(slot),
        };
        if movable {
            values[c] = gen.cell(c, row, attempt, &parents, inputs)?;
            changed = true;
        }
    }
    Ok(changed)
}

/// The hash of a group's values; `None` when a NULL makes the tuple
/// distinct by definition.
fn group_hash(cells: &[usize], nulls_distinct: bool, values: &[Value]) -> Option<u64> {
    let mut h = SipHasher13::new_with_keys(0x756e_6971, 0x7565);
    for &c in cells {
        if nulls_distinct && values[c].is_null() {
            return None;
        }
        hash_value(&values[c], &mut h);
    }
    Some(h.finish())
}

fn hash_value(v: &Value, h: &mut SipHasher13) {
    let tag = |h: &mut SipHasher13, t: u8| h.write_u8(t);
    match v {
        Value::Null => tag(h, 0),
        Value::Bool(b) => {
            tag(h, 1);
            h.write_u8(*b as u8);
        }
        Value::Int(i) => {
            tag(h, 2);
            h.write_i64(*i);
        }
        // -0.0 and 0.0 are equal in PostgreSQL: hash them alike.
        Value::Float(f) => {
            tag(h, 3);
            h.write_u64(if *f == 0.0 { 0 } else { f.to_bits() });
        }
        Value::Numeric(s) | Value::Text(s) => {
            tag(h, 4);
            h.write(s.as_bytes());
            h.write_u8(0xff);
        }
        Value::Bytes(b) => {
            tag(h, 5);
            h.write_usize(b.len());
            h.write(b);
        }
        Value::Uuid(u) => {
            tag(h, 6);
            h.write(u);
        }
        other => {
            tag(h, 7);
            h.write(crate::seed::coltype::text_form(other).as_bytes());
            h.write_u8(0xff);
        }
    }
}

/// Refuse, before generating, what `unique` cannot do within its limits:
/// tracking more than [`MAX_UNIQUE_TRACKED`] hashes for a table, or a
/// sequence a unique column relies on that clamps (and so repeats its
/// last value) within `rows`. The message names the columns.
pub fn check_limits(gen: &TableGen, rows: u64) -> Result<(), String> {
    let groups = gen.unique.len() as u64;
    if groups > 0 && rows.saturating_mul(groups) > MAX_UNIQUE_TRACKED {
        let names: Vec<String> = gen
            .unique
            .iter()
            .map(|g| format!("{}.{}", gen.table, column_list(gen, &g.cells)))
            .collect();
        return Err(format!(
            "{}: unique over {rows} rows would keep {} hashes in memory for {}; strata tracks at most {MAX_UNIQUE_TRACKED} per table (about 16 bytes each). Give such a column a generator that is distinct by construction (sequence, uuid, a template with {{seq}}), or seed fewer rows",
            gen.table,
            rows.saturating_mul(groups),
            names.join(", ")
        ));
    }
    for &c in &gen.injective_unique {
        let cell = &gen.cells[c];
        let Source::Gen { gen: g, .. } = &cell.source else {
            continue;
        };
        let Gen::Sequence { start, step } = g else {
            continue;
        };
        let (min, max) = match cell.ty {
            ColType::Int { min, max } => (min, max),
            _ => (i64::MIN, i64::MAX),
        };
        if let Some(row) = first_clamped_row(*start, *step, min, max) {
            if row < rows {
                return Err(format!(
                    "{}.{}: {} leaves the column's range [{min}, {max}] at row {}: values from there would repeat {}, but the column must be unique",
                    gen.table,
                    cell.name,
                    g.describe(),
                    row + 1,
                    if *step > 0 { max } else { min }
                ));
            }
        }
    }
    Ok(())
}

/// The first (0-based) row whose `start + step × row` is outside
/// `min..=max`, if any (at most `u64::MAX`).
fn first_clamped_row(start: i64, step: i64, min: i64, max: i64) -> Option<u64> {
    let (start, step) = (i128::from(start), i128::from(step));
    let (min, max) = (i128::from(min), i128::from(max));
    if start < min || start > max {
        return Some(0);
    }
    let room = match step.signum() {
        1 => (max - start) / step,
        -1 => (start - min) / -step,
        _ => return None,
    };
    u64::try_from(room + 1).ok()
}

/// Fail before generating when a unique group is driven by one generator
/// that cannot reach `rows` distinct values (`one_of: [a, b]` for 3 rows)
/// or one FK whose pool is too small.
pub fn check_capacity(gen: &TableGen, rows: u64, pools: &[Pool]) -> Result<(), SeedError> {
    for g in &gen.unique {
        let [cell] = g.cells.as_slice() else { continue };
        let cap = match &gen.cells[*cell].source {
            Source::Gen { gen, .. } => gen.cardinality(),
            Source::Fk { slot, .. } => match pools.get(*slot) {
                Some(Pool::Keys(k)) => Some(k.len() as u128),
                _ => None,
            },
        };
        let null_share = gen.cells[*cell].null_ratio;
        // NULLs do not count against uniqueness; allow for them roughly.
        let needed = ((rows as f64) * (1.0 - null_share)).ceil() as u128;
        if let Some(cap) = cap {
            if cap < needed {
                return Err(SeedError::Unique(Box::new(UniqueError {
                    table: gen.table.to_string(),
                    columns: column_list(gen, &g.cells),
                    generator: describe_group(gen, &g.cells),
                    distinct: cap,
                    row: None,
                    needed: format!("{needed} rows need distinct values"),
                })));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::first_clamped_row;

    #[test]
    fn clamped_rows() {
        let (lo, hi) = (i64::MIN, i64::MAX);
        assert_eq!(first_clamped_row(hi - 1, 1, lo, hi), Some(2));
        assert_eq!(first_clamped_row(1, 1, lo, hi), Some(hi as u64));
        assert_eq!(first_clamped_row(0, hi, lo, hi), Some(2));
        assert_eq!(first_clamped_row(lo + 1, -1, lo, hi), Some(2));
        assert_eq!(first_clamped_row(0, lo, lo, hi), Some(2));
        assert_eq!(first_clamped_row(5, 0, lo, hi), None);
        assert_eq!(first_clamped_row(40_000, 1, -32768, 32767), Some(0));
        assert_eq!(first_clamped_row(32760, 1, -32768, 32767), Some(8));
    }
}
