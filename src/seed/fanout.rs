//! Fan-out: how many children each parent row gets (`per_parent:
//! {organizations: 5..15}`), decided per parent from the parent's index
//! alone, so the count of parent 7 does not depend on how many parents
//! there are or on any other table.

use rand::RngExt;

use super::rng::cell_rng;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FanOut {
    /// `offsets[p]` = first child row of parent `p`; last entry = total.
    offsets: Vec<u64>,
}

impl FanOut {
    /// Draw a count in `min..=max` for each of `parents` parents. `key` is
    /// the child table's fan-out stream ([`super::TableGen::fan_out_key`]).
    pub fn assign(key: u64, parents: usize, min: u64, max: u64) -> FanOut {
        let (lo, hi) = (min.min(max), min.max(max));
        let counts = (0..parents as u64).map(|p| cell_rng(key, p, 0).random_range(lo..=hi));
        FanOut::from_counts(counts)
    }

    /// A fan-out with given counts (tests, `--scale` adjustments). The
    /// total saturates at `u64::MAX` instead of wrapping: callers refuse
    /// totals above [`crate::seed::limits::MAX_ROWS`] (see
    /// [`crate::seed::run::fan_out`]), which a saturated total is.
    pub fn from_counts(counts: impl IntoIterator<Item = u64>) -> FanOut {
        let mut offsets = vec![0];
        let mut total = 0u64;
        for c in counts {
            total = total.saturating_add(c);
            offsets.push(total);
        }
        FanOut { offsets }
    }

    pub fn parents(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Total number of child rows.
    pub fn total(&self) -> u64 {
        self.offsets.last().copied().unwrap_or(0)
    }

    pub fn count(&self, parent: usize) -> u64 {
        self.offsets[parent + 1] - self.offsets[parent]
    }

    /// The child rows of one parent.
    pub fn rows_of(&self, parent: usize) -> std::ops::Range<u64> {
        self.offsets[parent]..self.offsets[parent + 1]
    }

    /// The parent of child row `row` (children are laid out parent by
    /// parent, in the order of the parent pool). `None` past the end.
    pub fn parent_of(&self, row: u64) -> Option<usize> {
        if row >= self.total() {
            return None;
        }
        // The last offset ≤ row whose parent has children.
        Some(self.offsets.partition_point(|o| *o <= row) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fall_in_range_and_rows_map_back() {
        let f = FanOut::assign(42, 100, 5, 15);
        assert_eq!(f.parents(), 100);
        for p in 0..100 {
            assert!((5..=15).contains(&f.count(p)), "{}", f.count(p));
            for row in f.rows_of(p) {
                assert_eq!(f.parent_of(row), Some(p));
            }
        }
        assert_eq!(f.parent_of(f.total()), None);
        // A parent's count depends on its index only.
        let g = FanOut::assign(42, 10, 5, 15);
        assert_eq!(
            (0..10).map(|p| f.count(p)).collect::<Vec<_>>(),
            (0..10).map(|p| g.count(p)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn totals_saturate_instead_of_wrapping() {
        let f = FanOut::from_counts([u64::MAX - 1, 5, 7]);
        assert_eq!(f.total(), u64::MAX);
        let f = FanOut::assign(1, 100, 1 << 60, 1 << 62);
        assert_eq!(f.total(), u64::MAX);
    }

    #[test]
    fn zero_counts_are_skipped() {
        let f = FanOut::from_counts([2, 0, 0, 1]);
        assert_eq!(f.total(), 3);
        assert_eq!(f.parent_of(0), Some(0));
        assert_eq!(f.parent_of(1), Some(0));
        assert_eq!(f.parent_of(2), Some(3));
    }
}
