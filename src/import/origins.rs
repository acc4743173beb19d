//! Where a batch's rows came from — record index, line and original bytes
//! of each — kept so a row the server refuses can go to the rejects file.
//! Every row's bytes sit in one buffer: no allocation per row on the hot
//! path; splitting and removing (rare: only after a refusal) rebuild.

#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Per row: (record index, line, end of its bytes in `bytes`).
    rows: Vec<(u64, u64, usize)>,
    bytes: Vec<u8>,
}

/// One row's origin.
pub struct Origin<'a> {
    pub index: u64,
    pub line: u64,
    pub raw: &'a [u8],
}

impl Origins {
    /// Room for `rows` rows of `bytes` in all.
    pub fn with_capacity(rows: usize, bytes: usize) -> Origins {
        Origins {
            rows: Vec::with_capacity(rows),
            bytes: Vec::with_capacity(bytes),
        }
    }

    pub fn push(&mut self, index: u64, line: u64, raw: &[u8]) {
        self.bytes.extend_from_slice(raw);
        self.rows.push((index, line, self.bytes.len()));
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Bytes of all rows.
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, i: usize) -> Origin<'_> {
        let (index, line, end) = self.rows[i];
        let start = if i == 0 { 0 } else { self.rows[i - 1].2 };
        Origin {
            index,
            line,
            raw: &self.bytes[start..end],
        }
    }

    /// All rows but row `r`.
    pub fn without(&self, r: usize) -> Origins {
        self.pick((0..self.len()).filter(|&i| i != r))
    }

    /// Rows `..at` and `at..`.
    pub fn split_at(&self, at: usize) -> (Origins, Origins) {
        (self.pick(0..at), self.pick(at..self.len()))
    }

    fn pick(&self, rows: impl Iterator<Item = usize>) -> Origins {
        let mut out = Origins::default();
        for i in rows {
            let o = self.get(i);
            out.push(o.index, o.line, o.raw);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_split_without() {
        let mut o = Origins::default();
        for (i, raw) in [&b"a,1\n"[..], b"bb,2\r\n", b"", b"\"c\nd\",3\n"]
            .iter()
            .enumerate()
        {
            o.push(i as u64 * 10, i as u64 + 1, raw);
        }
        assert_eq!(o.len(), 4);
        assert_eq!(o.get(1).raw, b"bb,2\r\n");
        assert_eq!(o.get(2).raw, b"");
        assert_eq!((o.get(3).index, o.get(3).line), (30, 4));
        let w = o.without(1);
        let raws: Vec<&[u8]> = (0..w.len()).map(|i| w.get(i).raw).collect();
        assert_eq!(raws, vec![&b"a,1\n"[..], b"", b"\"c\nd\",3\n"]);
        let (a, b) = o.split_at(3);
        assert_eq!((a.len(), b.len()), (3, 1));
        assert_eq!(b.get(0).raw, b"\"c\nd\",3\n");
        assert_eq!(a.get(2).index, 20);
    }
}
