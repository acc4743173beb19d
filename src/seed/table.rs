//! Rows for one table: its generators, its foreign keys and its fan-out.
//!
//! [`TableGen::generate`] is a pure function of the row range and the
//! [`Inputs`] (parent key pools, fan-out): call it for any ranges, on any
//! threads, in any order. Uniqueness across rows is then settled by
//! [`super::UniqueState::resolve`], called on consecutive ranges in row
//! order — see `unique.rs`.

use std::ops::Range;

use rand::RngExt;
use rayon::prelude::*;

use super::coltype::{coerce, ColType};
use super::generators::Gen;
use super::rng::{cell_rng, stream_key};
use super::{FanOut, SeedError};
use crate::copy::Value;
use crate::model::QualifiedName;

/// Keys of a parent table, read back after the parent was loaded: one
/// tuple per parent row, in the referenced columns' order. Sort them
/// (e.g. `ORDER BY` the key) so runs are reproducible.
#[derive(Clone, Debug)]
pub enum Pool {
    Keys(Vec<Vec<Value>>),
    /// Leave the foreign key NULL for now (one side of a cycle); fill it
    /// later with [`TableGen::parent_index`] for each row.
    Deferred,
}

/// What `generate` needs besides the row range.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// One pool per [`TableGen::fks`] entry, in that order.
    pub pools: &'a [Pool],
    /// For `per_parent` tables: the assignment of rows to parents (made
    /// with [`FanOut::assign`] from the parent pool's length).
    pub fan_out: Option<&'a FanOut>,
}

/// A foreign key whose columns the generator fills from a parent pool.
#[derive(Clone, Debug)]
pub struct FkSlot {
    /// Index into the table model's `foreign_keys`.
    pub fk_index: usize,
    pub columns: Vec<String>,
    pub ref_table: QualifiedName,
    /// Referenced columns: the order of each pool tuple.
    pub ref_columns: Vec<String>,
    /// More parent columns read into each pool tuple after `ref_columns`,
    /// for `from_parent` columns that copy them.
    pub extra: Vec<String>,
    /// Nullable FK columns: share of rows left NULL.
    pub null_ratio: f64,
    /// This FK is the `per_parent` one: rows follow the fan-out.
    pub per_parent: bool,
    pub(crate) key: u64,
}

impl FkSlot {
    /// The parent columns each pool tuple holds: the key, then `extra`.
    pub fn pool_columns(&self) -> Vec<String> {
        self.ref_columns
            .iter()
            .chain(&self.extra)
            .cloned()
            .collect()
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Source {
    Gen {
        gen: Gen,
        key: u64,
    },
    /// Part `part` of the tuple chosen for FK slot `slot`.
    Fk {
        slot: usize,
        part: usize,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub name: String,
    pub source: Source,
    pub ty: ColType,
    pub null_ratio: f64,
}

/// A set of output columns whose values must be distinct together.
#[derive(Clone, Debug)]
pub(crate) struct UniqueGroup {
    /// Output column indexes.
    pub cells: Vec<usize>,
    pub nulls_distinct: bool,
}

#[derive(Clone, Debug)]
pub struct TableGen {
    pub table: QualifiedName,
    /// Output columns, in the order of every generated row. Columns the
    /// database fills (identity, serial, defaults) are not here.
    pub columns: Vec<String>,
    /// Foreign keys to fill: one [`Pool`] each, in this order.
    pub fks: Vec<FkSlot>,
    pub(crate) cells: Vec<Cell>,
    pub(crate) unique: Vec<UniqueGroup>,
    /// Cells whose injective generator (a sequence, a `{seq}` template)
    /// is what makes a unique group hold, so it is not tracked: checked
    /// instead for clamping within the rows (see `unique::check_limits`).
    pub(crate) injective_unique: Vec<usize>,
    /// The stream fan-out counts are drawn from.
    pub fan_out_key: u64,
}

impl TableGen {
    pub(crate) fn new(table: QualifiedName, seed: u64) -> TableGen {
        let fan_out_key = stream_key(seed, &table.unescaped(), "\u{0}fan_out");
        TableGen {
            table,
            columns: Vec::new(),
            fks: Vec::new(),
            cells: Vec::new(),
            unique: Vec::new(),
            injective_unique: Vec::new(),
            fan_out_key,
        }
    }

    /// The index of the `per_parent` FK slot, if any.
    pub fn per_parent_slot(&self) -> Option<usize> {
        self.fks.iter().position(|f| f.per_parent)
    }

    /// The generator of an output column (`None` for FK columns).
    pub fn generator(&self, column: &str) -> Option<&Gen> {
        self.cells
            .iter()
            .find(|c| c.name == column)
            .and_then(|c| match &c.source {
                Source::Gen { gen, .. } => Some(gen),
                Source::Fk { .. } => None,
            })
    }

    /// An upper estimate of one row's size in bytes (for batch sizing):
    /// the generators' maxima, 64 bytes for a foreign-key value.
    pub fn max_row_bytes(&self) -> u64 {
        self.cells
            .iter()
            .map(|c| match &c.source {
                Source::Gen { gen, .. } => gen.max_bytes(),
                Source::Fk { .. } => 64,
            })
            .fold(0u64, u64::saturating_add)
    }

    /// Rows `rows` (candidates before uniqueness is settled).
    pub fn generate(
        &self,
        rows: Range<u64>,
        inputs: &Inputs,
    ) -> Result<Vec<Vec<Value>>, SeedError> {
        self.check_inputs(inputs)?;
        // Collecting `Result`s loses the size hint: size the batch up front.
        let mut out = Vec::with_capacity((rows.end.saturating_sub(rows.start)) as usize);
        for row in rows {
            out.push(self.row(row, 0, inputs)?);
        }
        Ok(out)
    }

    /// [`TableGen::generate`] split in chunks of `chunk` rows over rayon's
    /// current pool. Same result as one call, whatever the thread count.
    pub fn generate_par(
        &self,
        rows: Range<u64>,
        chunk: u64,
        inputs: &Inputs,
    ) -> Result<Vec<Vec<Value>>, SeedError> {
        let chunk = chunk.max(1);
        let starts: Vec<u64> = rows.clone().step_by(chunk as usize).collect();
        let parts: Vec<Vec<Vec<Value>>> = starts
            .into_par_iter()
            .map(|s| self.generate(s..(s + chunk).min(rows.end), inputs))
            .collect::<Result<_, _>>()?;
        Ok(parts.into_iter().flatten().collect())
    }

    fn check_inputs(&self, inputs: &Inputs) -> Result<(), SeedError> {
        if inputs.pools.len() != self.fks.len() {
            return Err(SeedError::Input(format!(
                "{}: {} parent key pools given, {} foreign keys to fill",
                self.table,
                inputs.pools.len(),
                self.fks.len()
            )));
        }
        for (slot, pool) in self.fks.iter().zip(inputs.pools) {
            if let Pool::Keys(keys) = pool {
                let width = slot.ref_columns.len() + slot.extra.len();
                if keys.iter().any(|k| k.len() != width) {
                    return Err(SeedError::Input(format!(
                        "{}: parent keys of {} must have {width} values each ({})",
                        self.table,
                        slot.ref_table,
                        slot.pool_columns().join(", ")
                    )));
                }
            }
        }
        if self.per_parent_slot().is_some() && inputs.fan_out.is_none() {
            return Err(SeedError::Input(format!(
                "{}: a per_parent table needs its fan-out",
                self.table
            )));
        }
        Ok(())
    }

    /// One row; `attempt` > 0 only when `unique` retries (see `cell`).
    pub(crate) fn row(
        &self,
        row: u64,
        attempt: u32,
        inputs: &Inputs,
    ) -> Result<Vec<Value>, SeedError> {
        let parents = self.parents(row, attempt, inputs)?;
        let mut values = Vec::with_capacity(self.cells.len());
        for i in 0..self.cells.len() {
            values.push(self.cell(i, row, attempt, &parents, inputs)?);
        }
        Ok(values)
    }

    /// The parent index of each FK slot for a row (`None` = NULL).
    pub(crate) fn parents(
        &self,
        row: u64,
        attempt: u32,
        inputs: &Inputs,
    ) -> Result<Vec<Option<usize>>, SeedError> {
        (0..self.fks.len())
            .map(|s| self.parent_for(s, row, attempt, inputs))
            .collect()
    }

    fn parent_for(
        &self,
        slot: usize,
        row: u64,
        attempt: u32,
        inputs: &Inputs,
    ) -> Result<Option<usize>, SeedError> {
        let fk = &self.fks[slot];
        let len = match &inputs.pools[slot] {
            Pool::Deferred => return Ok(None),
            Pool::Keys(k) => k.len(),
        };
        if fk.per_parent {
            let fan = inputs
                .fan_out
                .ok_or_else(|| SeedError::Input(format!("{}: fan-out missing", self.table)))?;
            return match fan.parent_of(row) {
                Some(p) if p < len => Ok(Some(p)),
                _ => Err(SeedError::Input(format!(
                    "{}: row {row} has no parent in the fan-out over {len} {} rows",
                    self.table, fk.ref_table
                ))),
            };
        }
        self.parent_index(slot, row, attempt, len)
    }

    /// Which parent row an FK slot takes for `row`: uniform over the pool,
    /// NULL with the slot's null ratio. Also what fills a deferred FK later.
    pub fn parent_index(
        &self,
        slot: usize,
        row: u64,
        attempt: u32,
        pool_len: usize,
    ) -> Result<Option<usize>, SeedError> {
        let fk = &self.fks[slot];
        let mut rng = cell_rng(fk.key, row, attempt);
        // The null draw is made even at ratio 0, so that setting a ratio
        // keeps the parents of the non-null rows.
        if rng.random::<f64>() < fk.null_ratio {
            return Ok(None);
        }
        if pool_len == 0 {
            return Err(SeedError::Input(format!(
                "{}.{} references {}, which has no rows: seed {} first (or include it)",
                self.table,
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_table
            )));
        }
        Ok(Some(rng.random_range(0..pool_len)))
    }

    /// One cell. Every cell draws from its own stream `(column, row,
    /// attempt)`: the null draw first, then the value.
    pub(crate) fn cell(
        &self,
        i: usize,
        row: u64,
        attempt: u32,
        parents: &[Option<usize>],
        inputs: &Inputs,
    ) -> Result<Value, SeedError> {
        let cell = &self.cells[i];
        match &cell.source {
            Source::Fk { slot, part } => Ok(match (parents[*slot], &inputs.pools[*slot]) {
                (Some(p), Pool::Keys(keys)) => keys[p][*part].clone(),
                _ => Value::Null,
            }),
            Source::Gen { gen, key } => {
                let mut rng = cell_rng(*key, row, attempt);
                if rng.random::<f64>() < cell.null_ratio {
                    return Ok(Value::Null);
                }
                coerce(gen.generate(&mut rng, row), &cell.ty).map_err(|m| {
                    SeedError::Input(format!("{}.{}: row {row}: {m}", self.table, cell.name))
                })
            }
        }
    }
}
