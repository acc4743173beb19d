//! A dependency graph over numbered nodes: explicit edges ("A before B")
//! and a rank per node, sorted topologically. The rank only breaks ties
//! among nodes that are ready at the same time, so the output is stable
//! and reads in a familiar order (creates before alters before drops);
//! it never overrides an edge.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

/// Which of the ready nodes goes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Ties {
    /// Lowest (rank, node number) first: the plan strata writes.
    #[default]
    Rank,
    /// Highest first: every order the edges allow must work, so tests sort
    /// the other way round to show that the edges alone carry correctness.
    Reversed,
}

#[derive(Debug, Default)]
pub struct Graph {
    rank: Vec<u8>,
    after: Vec<Vec<usize>>,
    edges: HashSet<(usize, usize)>,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a node; returns its number.
    pub fn node(&mut self, rank: u8) -> usize {
        self.rank.push(rank);
        self.after.push(Vec::new());
        self.rank.len() - 1
    }

    /// `before` runs before `after`. Self edges and repeats are ignored.
    pub fn edge(&mut self, before: usize, after: usize) {
        if before != after && self.edges.insert((before, after)) {
            self.after[before].push(after);
        }
    }

    pub fn len(&self) -> usize {
        self.rank.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rank.is_empty()
    }

    /// Node numbers in an order that respects every edge. A cycle (a
    /// missing or wrong rule, never a valid plan) is broken at its node
    /// that sorts first, so the result is still deterministic; the
    /// nodes so forced are returned too.
    pub fn sort(&self, ties: Ties) -> (Vec<usize>, Vec<usize>) {
        let n = self.len();
        let mut waiting = vec![0usize; n];
        for &(_, b) in &self.edges {
            waiting[b] += 1;
        }
        let key = |i: usize| match ties {
            Ties::Rank => (self.rank[i], i),
            Ties::Reversed => (u8::MAX - self.rank[i], n - i),
        };
        let mut ready: BinaryHeap<Reverse<((u8, usize), usize)>> = (0..n)
            .filter(|&i| waiting[i] == 0)
            .map(|i| Reverse((key(i), i)))
            .collect();
        let mut done = vec![false; n];
        let (mut order, mut forced) = (Vec::with_capacity(n), Vec::new());
        while order.len() < n {
            let next = match ready.pop() {
                Some(Reverse((_, i))) if !done[i] => i,
                Some(_) => continue,
                None => {
                    let i = (0..n)
                        .filter(|&i| !done[i])
                        .min_by_key(|&i| key(i))
                        .expect("a node is left");
                    forced.push(i);
                    i
                }
            };
            done[next] = true;
            order.push(next);
            for &b in &self.after[next] {
                waiting[b] = waiting[b].saturating_sub(1);
                if waiting[b] == 0 && !done[b] {
                    ready.push(Reverse((key(b), b)));
                }
            }
        }
        (order, forced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_beat_ranks_and_ranks_break_ties() {
        let mut g = Graph::new();
        let a = g.node(5);
        let b = g.node(1);
        let c = g.node(3);
        g.edge(a, b);
        assert_eq!(g.sort(Ties::Rank).0, vec![c, a, b]);
        assert_eq!(g.sort(Ties::Reversed).0, vec![a, c, b]);
    }

    #[test]
    fn a_cycle_is_broken_deterministically() {
        let mut g = Graph::new();
        let a = g.node(2);
        let b = g.node(1);
        g.edge(a, b);
        g.edge(b, a);
        let (order, forced) = g.sort(Ties::Rank);
        assert_eq!(order, vec![b, a]);
        assert_eq!(forced, vec![b]);
    }
}
