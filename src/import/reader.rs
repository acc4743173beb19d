//! Streaming CSV records that remember where they came from: the input
//! line they start on and their ORIGINAL BYTES (multi-line quoted fields
//! and the line terminator included), so a rejected record can be written
//! to the rejects file exactly as it was read.
//!
//! The `csv` crate parses; it reads from a [`Tap`] that keeps every byte
//! it hands over in a shared buffer until the record holding it is cut
//! out, so memory is one record plus the parser's read-ahead (8 KiB).

use std::io::Read;
use std::sync::{Arc, Mutex, MutexGuard};

use csv::ByteRecord;

/// One CSV record.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based physical line of the record's first byte.
    pub line: u64,
    pub fields: ByteRecord,
    /// The record's bytes as in the input, through its line terminator.
    pub raw: Vec<u8>,
    /// A quoted field was still open at the end of the input.
    pub unterminated_quote: bool,
}

/// The bytes handed to the parser and not yet cut into records.
struct Shared {
    src: Box<dyn Read + Send>,
    /// Input bytes from offset `base` on.
    buf: Vec<u8>,
    base: u64,
    /// Bytes handed to the parser so far (an offset into the input).
    served: u64,
    eof: bool,
}

impl Shared {
    /// Read more of the source into `buf`; false at end of input.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let at = self.buf.len();
        self.buf.resize(at + 64 * 1024, 0);
        let n = loop {
            match self.src.read(&mut self.buf[at..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(at);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(at + n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// The input byte at `offset`, reading ahead if needed.
    fn byte_at(&mut self, offset: u64) -> std::io::Result<Option<u8>> {
        while offset >= self.base + self.buf.len() as u64 {
            if !self.fill()? {
                return Ok(None);
            }
        }
        Ok(offset
            .checked_sub(self.base)
            .and_then(|i| self.buf.get(i as usize).copied()))
    }
}

/// The parser's view of the input: serves bytes from the shared buffer.
struct Tap(Arc<Mutex<Shared>>);

fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock leaves plain bytes behind: still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Read for Tap {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut s = lock(&self.0);
        if s.served >= s.base + s.buf.len() as u64 && !s.fill()? {
            return Ok(0);
        }
        let from = (s.served - s.base) as usize;
        let n = out.len().min(s.buf.len() - from);
        out[..n].copy_from_slice(&s.buf[from..from + n]);
        s.served += n as u64;
        Ok(n)
    }
}

/// CSV dialect options.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub delimiter: u8,
    pub quote: u8,
    /// Inside quotes, this byte makes the next one literal. `None` (or the
    /// quote itself): a quote is written doubled (`""`).
    pub escape: Option<u8>,
    /// How field bytes become text (the records keep the bytes).
    pub encoding: Encoding,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            delimiter: b',',
            quote: b'"',
            escape: None,
            encoding: Encoding::Utf8,
        }
    }
}

impl Dialect {
    /// The escape byte when it differs from the quote.
    fn backslash_style(&self) -> Option<u8> {
        self.escape.filter(|&e| e != self.quote)
    }
}

/// Text encodings of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8; a byte-order mark at the start is skipped.
    #[default]
    Utf8,
    /// windows-1252, a superset of ISO-8859-1 (the WHATWG `latin1` label).
    Windows1252,
}

/// Records of a CSV input, in order.
pub struct Records {
    csv: csv::Reader<Tap>,
    shared: Arc<Mutex<Shared>>,
    /// Input offset where the next record's bytes begin.
    next_start: u64,
    /// Line of the byte at `next_start`.
    next_line: u64,
    quote: u8,
    delimiter: u8,
    escape: Option<u8>,
    /// Input offset of the parser's byte 0 (non-zero when `src` was
    /// positioned mid-input by [`Records::starting_at`]).
    origin: u64,
    /// Sorted, disjoint `[start, end)` offset ranges whose records are
    /// passed over (batches a resumed import already committed).
    skip: Vec<(u64, u64)>,
    /// First range of `skip` that may still lie ahead.
    skip_at: usize,
}

impl Records {
    pub fn new(src: Box<dyn Read + Send>, dialect: Dialect) -> Records {
        Records::starting_at(src, dialect, 0, 1)
    }

    /// Records of an input whose first `offset` bytes (`line - 1` lines,
    /// ending at a record boundary) were already consumed: `src` yields
    /// the input from `offset` on. Offsets and lines continue from there.
    pub fn starting_at(
        src: Box<dyn Read + Send>,
        dialect: Dialect,
        offset: u64,
        line: u64,
    ) -> Records {
        let shared = Arc::new(Mutex::new(Shared {
            src,
            buf: Vec::new(),
            base: offset,
            served: offset,
            eof: false,
        }));
        let escape = dialect.backslash_style();
        let csv = csv::ReaderBuilder::new()
            .has_headers(false) // the header is a record here: its bytes go to the rejects file
            .flexible(true) // a wrong field count is a reject, not a parse error
            .delimiter(dialect.delimiter)
            .quote(dialect.quote)
            .escape(escape)
            .double_quote(escape.is_none())
            .from_reader(Tap(Arc::clone(&shared)));
        Records {
            csv,
            shared,
            next_start: offset,
            next_line: line,
            quote: dialect.quote,
            delimiter: dialect.delimiter,
            escape,
            origin: offset,
            skip: Vec::new(),
            skip_at: 0,
        }
    }

    /// Input offset where the next record's bytes (or blank lines) begin.
    pub fn offset(&self) -> u64 {
        self.next_start
    }

    /// Line of the byte at [`Records::offset`].
    pub fn line(&self) -> u64 {
        self.next_line
    }

    /// Pass over every record whose offset (its [`Records::offset`]
    /// before it is read) lies in one of `ranges` (sorted, disjoint).
    pub fn skip(&mut self, ranges: Vec<(u64, u64)>) {
        self.skip = ranges;
        self.skip_at = 0;
    }

    /// The next record not skipped, or `None` at the end of the input.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record>> {
        loop {
            let at = self.next_start;
            let Some(rec) = self.next_any()? else {
                return Ok(None);
            };
            if !self.skipped(at) {
                return Ok(Some(rec));
            }
        }
    }

    fn skipped(&mut self, at: u64) -> bool {
        while self.skip.get(self.skip_at).is_some_and(|r| r.1 <= at) {
            self.skip_at += 1;
        }
        self.skip.get(self.skip_at).is_some_and(|r| r.0 <= at)
    }

    fn next_any(&mut self) -> std::io::Result<Option<Record>> {
        let mut fields = ByteRecord::new();
        let more = self.csv.read_byte_record(&mut fields).map_err(csv_io)?;
        if !more {
            return Ok(None);
        }
        let mut end = self.origin + self.csv.position().byte();
        let mut s = lock(&self.shared);
        // With CRLF the parser ends the record at `\r` and skips the `\n`
        // with the next one: it belongs to this record.
        if end > 0 && s.byte_at(end - 1)? == Some(b'\r') && s.byte_at(end)? == Some(b'\n') {
            end += 1;
        }
        let first = self.next_start == 0;
        let (from, to) = ((self.next_start - s.base) as usize, (end - s.base) as usize);
        let slice = &s.buf[from..to.min(s.buf.len())];
        // Blank lines and a previous record's leftover terminator are not
        // part of this record.
        let skip = slice
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let line = self.next_line + count_newlines(&slice[..skip]);
        let raw = slice[skip..].to_vec();
        self.next_line += count_newlines(slice);
        self.next_start = end;
        // Forget what was cut out.
        let cut = ((end - s.base) as usize).min(s.buf.len());
        s.buf.drain(..cut);
        s.base = end;
        drop_lock(s);
        // The parser skips a UTF-8 byte-order mark at the start of the input.
        let body = match raw.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if first => rest,
            _ => &raw[..],
        };
        let unterminated_quote = body.contains(&self.quote) && open_quote(body, self);
        Ok(Some(Record {
            line,
            fields,
            raw,
            unterminated_quote,
        }))
    }
}

fn drop_lock(_s: MutexGuard<'_, Shared>) {}

fn count_newlines(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

/// Whether a quoted field is still open at the end of `raw` (the parser
/// then took the rest of the input as that field). Mirrors the parser: a
/// quote opens a field only at its start; `""` inside is a quote (or,
/// with an escape byte, the escape makes the next byte literal).
fn open_quote(raw: &[u8], r: &Records) -> bool {
    let (mut quoted, mut at_start, mut i) = (false, true, 0);
    while i < raw.len() {
        let c = raw[i];
        if quoted {
            if Some(c) == r.escape {
                i += 1;
            } else if c == r.quote && r.escape.is_some() {
                quoted = false;
            } else if c == r.quote {
                if raw.get(i + 1) == Some(&r.quote) {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if at_start && c == r.quote {
            quoted = true;
        }
        at_start = !quoted && (c == r.delimiter || c == b'\n' || c == b'\r');
        i += 1;
    }
    quoted
}

fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<Record> {
        let mut r = Records::new(
            Box::new(std::io::Cursor::new(input.to_vec())),
            Dialect::default(),
        );
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push(rec);
        }
        out
    }

    #[test]
    fn raw_bytes_and_lines() {
        let input = b"a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z\r\n3,w";
        let recs = all(input);
        let raws: Vec<&[u8]> = recs.iter().map(|r| r.raw.as_slice()).collect();
        assert_eq!(
            raws,
            vec![&b"a,b\r\n"[..], b"1,\"x\r\ny\"\r\n", b"2,z\r\n", b"3,w"]
        );
        let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 5, 6]);
        assert_eq!(&recs[1].fields[1], b"x\r\ny");
    }

    #[test]
    fn unterminated_quote() {
        let recs = all(b"a,b\n1,\"open\n2,x\n");
        assert_eq!(recs.len(), 2);
        assert!(recs[1].unterminated_quote);
        assert_eq!(recs[1].raw, b"1,\"open\n2,x\n");
        assert!(!all(b"1,\"a\"\"b\"\n")[0].unterminated_quote);
    }

    #[test]
    fn backslash_escape() {
        let dialect = Dialect {
            escape: Some(b'\\'),
            ..Dialect::default()
        };
        let input = b"1,\"a\\\"b\"\n2,\"x\\\"\n".to_vec();
        let mut r = Records::new(Box::new(std::io::Cursor::new(input)), dialect);
        let first = r.next_record().unwrap().unwrap();
        assert_eq!(&first.fields[1], b"a\"b");
        assert!(!first.unterminated_quote);
        let second = r.next_record().unwrap().unwrap();
        assert!(second.unterminated_quote);
    }

    #[test]
    fn many_records_across_buffers() {
        let mut input = Vec::new();
        for i in 0..20000 {
            input.extend_from_slice(format!("{i},\"v{i}\"\r\n").as_bytes());
        }
        let recs = all(&input);
        assert_eq!(recs.len(), 20000);
        let joined: Vec<u8> = recs.iter().flat_map(|r| r.raw.clone()).collect();
        assert_eq!(joined, input);
        assert_eq!(recs[19999].line, 20000);
    }

    #[test]
    fn starting_at_an_offset_and_skipping_ranges() {
        let input = b"h\n1\n\n2\n3\n4\n";
        // From offset 4 (`\n2…`, line 3) on, skipping the record at 7 (`3`).
        let mut r = Records::starting_at(
            Box::new(std::io::Cursor::new(input[4..].to_vec())),
            Dialect::default(),
            4,
            3,
        );
        r.skip(vec![(7, 9)]);
        let a = r.next_record().unwrap().unwrap();
        assert_eq!((a.raw.as_slice(), a.line, r.offset()), (&b"2\n"[..], 4, 7));
        let b = r.next_record().unwrap().unwrap();
        assert_eq!(
            (b.raw.as_slice(), b.line, r.offset(), r.line()),
            (&b"4\n"[..], 6, 11, 7)
        );
        assert!(r.next_record().unwrap().is_none());
    }
}
