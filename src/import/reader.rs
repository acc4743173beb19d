//! Streaming CSV records that remember where they came from: the input
//! line they start on and their ORIGINAL BYTES (multi-line quoted fields
//! and the line terminator included), so a rejected record can be written
//! to the rejects file exactly as it was read.
//!
//! `csv_core` (the `csv` crate's parser) parses straight out of our own
//! input buffer, so a record's raw bytes are a slice of that buffer: no
//! second copy of the input, no lock, and the buffer is compacted once per
//! refill rather than once per record. Memory is one refill (64 KiB) plus
//! the longest record kept.
//!
//! A record is kept only up to a maximum size ([`Records::max_record`],
//! `--max-record-bytes`, default [`DEFAULT_MAX_RECORD`]) and field count
//! ([`MAX_FIELDS`]): past either, the parser carries on to the record's
//! end (quotes still count) while its bytes are dropped as they are
//! parsed, and the record comes back [`Record::oversized`], with no fields
//! and no bytes, for the caller to reject. One huge record, a gzip bomb
//! without line breaks, or a flood of delimiters thus costs a bounded
//! amount of memory (the input buffer and the parser's output, each at
//! most the limit), not the record's size several times over. Blank
//! lines between records are dropped as they are parsed, too.

use std::io::Read;

use csv::ByteRecord;
use csv_core::ReadRecordResult;

/// One CSV record.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// 1-based physical line of the record's first byte.
    pub line: u64,
    pub fields: ByteRecord,
    /// The record's bytes as in the input, through its line terminator.
    pub raw: Vec<u8>,
    /// A quoted field was still open at the end of the input.
    pub unterminated_quote: bool,
    /// Too large to keep: `fields` and `raw` are empty.
    pub oversized: Option<Oversized>,
}

/// A record past the limits, passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversized {
    /// Input offset of its first byte (of the decompressed input for gzip).
    pub offset: u64,
    /// Its length, through its line terminator (as far as it was read when
    /// it had too many fields).
    pub bytes: u64,
    /// More than [`MAX_FIELDS`] fields (rather than too many bytes).
    pub too_many_fields: bool,
    /// It ran to the end of the input (an unterminated quote?).
    pub to_end: bool,
    /// The limit in force.
    pub max: usize,
}

impl Oversized {
    /// Why it is rejected, where to find it.
    pub fn reason(&self) -> String {
        let what = if self.too_many_fields {
            format!("record with more than {MAX_FIELDS} fields")
        } else {
            format!(
                "record of {} bytes is larger than the maximum record size of {} bytes \
                 (--max-record-bytes, max_record_bytes: in an import spec)",
                self.bytes, self.max
            )
        };
        format!(
            "{what}; it starts at byte {} of the input{}; not copied to the rejects file",
            self.offset,
            if self.to_end {
                " and runs to its end (an unterminated quoted field?)"
            } else {
                ""
            }
        )
    }
}

/// Default maximum record size: far above real CSV records (a few KiB; a
/// large JSON document or molfile a few MiB), far below memory. The
/// reader and the batch it lands in hold a record a few times over.
pub const DEFAULT_MAX_RECORD: usize = 64 << 20;

/// Largest maximum record size accepted: PostgreSQL takes no field (and
/// COPY no row) over 1 GB anyway.
pub const MAX_MAX_RECORD: usize = 1 << 30;

/// Fields a record may have: each costs 16 bytes of bookkeeping even when
/// empty, so a line of commas would otherwise cost 16 times its size.
/// PostgreSQL tables have at most 1,600 columns.
pub const MAX_FIELDS: usize = 65_536;

/// How much is read from the source at a time.
const REFILL: usize = 64 * 1024;

/// Buffers grown past this by one large record are given back after it.
const SHRINK_ABOVE: usize = 1 << 20;

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
    src: Box<dyn Read + Send>,
    parser: csv_core::Reader,
    /// Input bytes not yet cut into records: `buf[start..]`, of which the
    /// parser has seen `buf[start..pos]`.
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    base: u64,
    /// Where the next record's bytes begin (blank lines and a CRLF's `\n`
    /// included; `next_into` skips them).
    start: usize,
    pos: usize,
    eof: bool,
    /// Line of the byte at `start`.
    next_line: u64,
    /// The parser's output (unescaped field bytes) and field ends,
    /// reused from record to record.
    out: Vec<u8>,
    ends: Vec<usize>,
    quote: u8,
    delimiter: u8,
    escape: Option<u8>,
    /// Sorted, disjoint `[start, end)` offset ranges whose records are
    /// passed over (batches a resumed import already committed).
    skip: Vec<(u64, u64)>,
    /// First range of `skip` that may still lie ahead.
    skip_at: usize,
    /// The parser has not been called yet. csv-core skips a byte-order
    /// mark only if its first call happens to get all three bytes (a
    /// read of 1–2 bytes kept the mark in the first field, a read of
    /// exactly the mark ended the input), so it is never let do that:
    /// its first call gets one byte, and the mark is skipped here.
    first_call: bool,
    /// At offset 0, where a byte-order mark is skipped (past it, a
    /// resumed import's, it is data).
    strip_bom: bool,
    max_record: usize,
    /// The record being parsed is past the limits: its bytes are dropped.
    over: Option<Over>,
}

/// A record being passed over.
struct Over {
    offset: u64,
    line: u64,
    /// Its bytes dropped so far.
    dropped: u64,
    too_many_fields: bool,
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
        // As the `csv` crate: CRLF, CR or LF end a record, `""` is a quote
        // inside a quoted field (unless an escape byte is set), a UTF-8 BOM
        // is skipped. A wrong field count is the caller's reject, not a
        // parse error.
        let escape = dialect.backslash_style();
        let mut parser = csv_core::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .quote(dialect.quote)
            .escape(escape)
            .double_quote(escape.is_none())
            .build();
        parser.set_line(line);
        Records {
            src,
            parser,
            buf: Vec::with_capacity(REFILL),
            base: offset,
            start: 0,
            pos: 0,
            eof: false,
            next_line: line,
            out: vec![0; 1024],
            ends: vec![0; 32],
            quote: dialect.quote,
            delimiter: dialect.delimiter,
            escape,
            skip: Vec::new(),
            skip_at: 0,
            first_call: true,
            strip_bom: offset == 0,
            max_record: DEFAULT_MAX_RECORD,
            over: None,
        }
    }

    /// Records longer than `bytes` are [`Record::oversized`].
    pub fn max_record(mut self, bytes: usize) -> Records {
        self.max_record = bytes.max(1);
        self
    }

    /// Input offset where the next record's bytes (or blank lines) begin.
    pub fn offset(&self) -> u64 {
        self.base + self.start as u64
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

    fn skipped(&mut self, at: u64) -> bool {
        while self.skip.get(self.skip_at).is_some_and(|r| r.1 <= at) {
            self.skip_at += 1;
        }
        self.skip.get(self.skip_at).is_some_and(|r| r.0 <= at)
    }

    /// The next record not skipped, or `None` at the end of the input.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record>> {
        let mut rec = Record::default();
        Ok(self.next_into(&mut rec)?.then_some(rec))
    }

    /// Read the next record not skipped into `rec` (reusing its
    /// buffers); false at the end of the input, `rec` then unspecified.
    pub fn next_into(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        loop {
            let at = self.offset();
            if !self.next_any(rec)? {
                return Ok(false);
            }
            if !self.skipped(at) {
                return Ok(true);
            }
        }
    }

    fn next_any(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        let first = self.offset() == 0;
        let Some(fields) = self.parse()? else {
            return Ok(false);
        };
        // What a huge record grew is not kept for the small ones.
        if rec.raw.capacity() > SHRINK_ABOVE {
            rec.raw = Vec::new();
        }
        if rec.fields.as_slice().len() > SHRINK_ABOVE || rec.fields.len() > 4096 {
            rec.fields = ByteRecord::new();
        }
        if let Some(over) = self.over.take() {
            return self.passed_over(rec, over);
        }
        rec.fields.clear();
        let mut from = 0;
        for &to in &self.ends[..fields] {
            rec.fields.push_field(&self.out[from..to]);
            from = to;
        }
        // With CRLF the parser ends the record at `\r` and skips the `\n`
        // with the next one: it belongs to this record.
        let crlf = self.pos > 0 && self.buf[self.pos - 1] == b'\r' && self.peek()? == Some(b'\n');
        let end = self.pos + crlf as usize;
        let slice = &self.buf[self.start..end];
        // Blank lines and a previous record's leftover terminator are not
        // part of this record.
        let skip = slice
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        rec.line = self.next_line + count_newlines(&slice[..skip]);
        rec.raw.clear();
        rec.oversized = None;
        let record = &slice[skip..];
        if record.len() > self.max_record {
            // Whole in one refill, yet over the limit: the same answer as
            // for one parsed across many.
            let over = Over {
                offset: self.base + (self.start + skip) as u64,
                line: rec.line,
                dropped: 0,
                too_many_fields: false,
            };
            self.start += skip;
            rec.fields.clear();
            return self.passed_over(rec, over);
        }
        rec.raw.extend_from_slice(record);
        // The parser counts the `\n`s it consumed (starting at 1): the line
        // of `end` without scanning the record again.
        self.next_line = self.parser.line() + crlf as u64;
        self.start = end;
        // A quote left open swallows the rest of the input, so only a
        // record that reached the end of the input can have one.
        let at_end = self.eof && self.pos >= self.buf.len();
        // The parser skips a UTF-8 byte-order mark at the start of the input.
        let body = match rec.raw.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if first => rest,
            _ => &rec.raw[..],
        };
        rec.unterminated_quote = at_end && body.contains(&self.quote) && open_quote(body, self);
        Ok(true)
    }

    /// Finish a record passed over (the parser has just ended it): an
    /// [`Oversized`] record with no fields and no bytes.
    fn passed_over(&mut self, rec: &mut Record, over: Over) -> std::io::Result<bool> {
        let crlf = self.pos > 0 && self.buf[self.pos - 1] == b'\r' && self.peek()? == Some(b'\n');
        let end = self.pos + crlf as usize;
        rec.fields.clear();
        rec.raw.clear();
        rec.line = over.line;
        rec.unterminated_quote = false;
        rec.oversized = Some(Oversized {
            offset: over.offset,
            bytes: over.dropped + (end - self.start) as u64,
            too_many_fields: over.too_many_fields,
            to_end: self.eof
                && self.pos >= self.buf.len()
                && !(self.pos > 0 && matches!(self.buf[self.pos - 1], b'\n' | b'\r')),
            max: self.max_record,
        });
        self.next_line = self.parser.line() + crlf as u64;
        self.start = end;
        Ok(true)
    }

    /// The record being parsed is past the limits: from now on its bytes
    /// are dropped as they are parsed.
    fn pass_over(&mut self, too_many_fields: bool) {
        let lead = self.lead();
        let line = self.next_line + count_newlines(&self.buf[self.start..self.start + lead]);
        self.over = Some(Over {
            offset: self.base + (self.start + lead) as u64,
            line,
            dropped: 0,
            too_many_fields,
        });
        self.start += lead;
        self.next_line = line;
        self.drop_parsed();
    }

    /// Blank-line bytes before the record being parsed.
    fn lead(&self) -> usize {
        self.buf[self.start..self.pos]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count()
    }

    /// In pass-over mode: forget the bytes parsed so far.
    fn drop_parsed(&mut self) {
        if let Some(over) = &mut self.over {
            over.dropped += (self.pos - self.start) as u64;
            self.start = self.pos;
        }
    }

    /// Before a record starts, blank lines (and a previous record's
    /// leftover terminator) need not be kept: move past them.
    fn drop_blank_lines(&mut self) {
        let blank = &self.buf[self.start..self.pos];
        if !blank.is_empty() && blank.iter().all(|&b| b == b'\n' || b == b'\r') {
            // Keep a trailing `\r`: with the `\n` after it, it may end
            // this record (the caller looks one byte back).
            let n = blank.len() - 1;
            self.next_line += count_newlines(&blank[..n]);
            self.start += n;
        }
    }

    /// Parse one record into `out`/`ends`; its field count, or `None` at
    /// the end of the input.
    fn parse(&mut self) -> std::io::Result<Option<usize>> {
        // What a huge record grew is not kept for the small ones.
        if self.out.len() > SHRINK_ABOVE {
            self.out = vec![0; 1024];
        }
        if self.ends.len() > 4096 {
            self.ends = vec![0; 32];
        }
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            if std::mem::take(&mut self.strip_bom) {
                self.skip_bom()?;
            }
            // An empty slice tells csv-core the input has ended.
            if self.pos == self.buf.len() && !self.eof {
                self.fill()?;
            }
            let end = if std::mem::take(&mut self.first_call) {
                (self.pos + 1).min(self.buf.len())
            } else {
                self.buf.len()
            };
            let (res, nin, nout, nend) = self.parser.read_record(
                &self.buf[self.pos..end],
                &mut self.out[outlen..],
                &mut self.ends[endlen..],
            );
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty if self.over.is_none() => {
                    self.drop_blank_lines();
                    if self.pos - self.start - self.lead() > self.max_record {
                        self.pass_over(false);
                    }
                }
                ReadRecordResult::InputEmpty => {}
                // Passing over: the output is only overwritten.
                ReadRecordResult::OutputFull if self.over.is_some() => outlen = 0,
                // Field bytes are never more than the record's: output
                // past the limit means the record is past it too.
                ReadRecordResult::OutputFull if self.out.len() >= self.max_record => {
                    self.pass_over(false);
                    outlen = 0;
                }
                ReadRecordResult::OutputFull => {
                    let grown = (self.out.len() * 2).min(self.max_record);
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull if self.over.is_some() => endlen = 0,
                ReadRecordResult::OutputEndsFull if endlen >= MAX_FIELDS => {
                    self.pass_over(true);
                    endlen = 0;
                }
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => return Ok(Some(endlen)),
                ReadRecordResult::End => return Ok(None),
            }
            self.drop_parsed();
        }
    }

    /// The byte at `pos` (not yet parsed), reading ahead if needed.
    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        if self.pos == self.buf.len() && !self.eof {
            self.fill()?;
        }
        Ok(self.buf.get(self.pos).copied())
    }

    /// Read more input after the parsed bytes (all of `buf` parsed). What
    /// was cut into records is dropped first: what stays is the current
    /// record's beginning, so a long record grows the buffer, nothing else.
    /// Skip a UTF-8 byte-order mark at the start of the input, however
    /// the reads split it. The record's raw bytes still hold it (`start`
    /// stays): a rejected first line is kept as it was.
    fn skip_bom(&mut self) -> std::io::Result<()> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        while self.buf.len() - self.pos < BOM.len()
            && BOM.starts_with(&self.buf[self.pos..])
            && !self.eof
        {
            self.fill()?;
        }
        if self.buf[self.pos..].starts_with(BOM) {
            self.pos += BOM.len();
        }
        Ok(())
    }

    fn fill(&mut self) -> std::io::Result<()> {
        let keep = self.start.min(self.pos);
        self.buf.drain(..keep);
        self.base += keep as u64;
        self.start -= keep;
        self.pos -= keep;
        if self.buf.capacity() > SHRINK_ABOVE && self.buf.len() < REFILL {
            self.buf.shrink_to(2 * REFILL);
        }
        let at = self.buf.len();
        self.buf.resize(at + REFILL, 0);
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
        Ok(())
    }
}

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
    fn a_mark_after_offset_zero_is_data() {
        // A resumed import reopens the file where a record starts; a
        // field starting with U+FEFF there keeps it.
        let mut r = Records::starting_at(
            Box::new(std::io::Cursor::new(b"\xEF\xBB\xBFb,2\n".to_vec())),
            Dialect::default(),
            9,
            3,
        );
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(&rec.fields[0], b"\xEF\xBB\xBFb");
        assert_eq!(rec.raw, b"\xEF\xBB\xBFb,2\n");
        assert_eq!(rec.line, 3);
        // At offset 0 it is the file's mark, dropped.
        let mut r = Records::new(
            Box::new(std::io::Cursor::new(b"\xEF\xBB\xBFb,2\n".to_vec())),
            Dialect::default(),
        );
        assert_eq!(&r.next_record().unwrap().unwrap().fields[0], b"b");
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

    /// Records longer than a refill, CRLFs split across refills, a
    /// byte-order mark, quoted fields over several lines: raw bytes,
    /// fields and lines as the `csv` crate and a line count give them.
    #[test]
    fn long_records_and_refill_boundaries() {
        let mut input = b"\xEF\xBB\xBF\"a\",b\r\n".to_vec();
        let mut expected: Vec<(u64, Vec<u8>, Vec<Vec<u8>>)> =
            vec![(1, input.clone(), vec![b"a".to_vec(), b"b".to_vec()])];
        let mut line = 2;
        for i in 0..300u64 {
            let long = "x".repeat((i as usize * 997) % (3 * REFILL));
            let raw = format!("{i},\"{long}\r\n\"\"q\"\"\"\r\n");
            let field = format!("{long}\r\n\"q\"");
            expected.push((
                line,
                raw.clone().into_bytes(),
                vec![i.to_string().into_bytes(), field.into_bytes()],
            ));
            line += 2;
            input.extend_from_slice(raw.as_bytes());
        }
        let recs = all(&input);
        let got: Vec<(u64, Vec<u8>, Vec<Vec<u8>>)> = recs
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.raw.clone(),
                    r.fields.iter().map(<[u8]>::to_vec).collect(),
                )
            })
            .collect();
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e);
        }
        assert!(recs.iter().all(|r| !r.unterminated_quote));
        assert!(all(b"\xEF\xBB\xBF\"open,x\n")[0].unterminated_quote);
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

    /// A byte-order mark is skipped however the first reads split it
    /// (found by fuzzing: a first read of exactly the mark ended the
    /// input with no record; one of 1–2 bytes kept it in the first field).
    #[test]
    fn a_mark_split_across_reads_is_skipped() {
        struct Steps(Vec<u8>, usize, usize);
        impl Read for Steps {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.2.min(out.len()).min(self.0.len() - self.1);
                out[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                self.1 += n;
                Ok(n)
            }
        }
        for input in [
            &b"\xEF\xBB\xBFid,name\n1,x\n"[..],
            b"\xEF\xBB\xBF\xEF\xBB\xBFa\n",
        ] {
            let want: Vec<Vec<Vec<u8>>> = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(input)
                .byte_records()
                .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect();
            for step in 1..=5 {
                let src = Steps(input.to_vec(), 0, step);
                let mut r = Records::new(Box::new(src), Dialect::default());
                let mut got = Vec::new();
                while let Some(rec) = r.next_record().unwrap() {
                    got.push(rec.fields.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
                }
                assert_eq!(got, want, "reads of {step} bytes");
            }
        }
    }

    /// Random inputs of quotes, delimiters, CR, LF and letters, fed in
    /// reads of random sizes: the fields are the `csv` crate's, each raw
    /// slice sits in the input at the line given, and the raw slices and
    /// what was skipped between them (blank lines, a CRLF's `\n`) rebuild
    /// the input exactly.
    #[test]
    fn same_records_as_the_csv_crate() {
        struct Dribble(Vec<u8>, usize, u64);
        impl Read for Dribble {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                self.2 = self.2.wrapping_mul(6364136223846793005).wrapping_add(1);
                let n = ((self.2 >> 33) as usize % 7 + 1).min(out.len());
                let n = n.min(self.0.len() - self.1);
                out[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                self.1 += n;
                Ok(n)
            }
        }
        let mut seed = 7u64;
        for case in 0..400 {
            let mut input = Vec::new();
            for _ in 0..(case % 60) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.push(b"ab,\"\r\n\"x,\n"[(seed >> 35) as usize % 10]);
            }
            let mut want = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&input[..]);
            let want: Vec<Vec<Vec<u8>>> = want
                .byte_records()
                .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect();
            let src = Dribble(input.clone(), 0, case);
            let mut r = Records::new(Box::new(src), Dialect::default());
            let (mut got, mut at) = (Vec::new(), 0);
            while let Some(rec) = r.next_record().unwrap() {
                let gap = &input[at..];
                let skip = gap
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                assert_eq!(&gap[skip..skip + rec.raw.len()], &rec.raw[..], "{input:?}");
                let line = 1 + count_newlines(&input[..at + skip]);
                assert_eq!(rec.line, line, "{input:?}");
                at += skip + rec.raw.len();
                assert_eq!(r.offset(), at as u64, "{input:?}");
                // Checked only at the end of the input: the same answer.
                assert_eq!(rec.unterminated_quote, open_quote(&rec.raw, &r));
                got.push(rec.fields.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
            }
            assert!(input[at..].iter().all(|&b| b == b'\n' || b == b'\r'));
            assert_eq!(got, want, "{input:?}");
        }
    }

    /// (line, offset, raw or oversized length) of each record, read in
    /// reads of `step` bytes with `max` as the record limit.
    fn shapes(input: &[u8], max: usize, step: usize) -> Vec<(u64, u64, Result<Vec<u8>, u64>)> {
        struct Steps(Vec<u8>, usize, usize);
        impl Read for Steps {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.2.min(out.len()).min(self.0.len() - self.1);
                out[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                self.1 += n;
                Ok(n)
            }
        }
        let src = Steps(input.to_vec(), 0, step);
        let mut r = Records::new(Box::new(src), Dialect::default()).max_record(max);
        let mut out = Vec::new();
        let mut rec = Record::default();
        let mut at = 0u64;
        while r.next_into(&mut rec).unwrap() {
            let shape = match rec.oversized {
                Some(o) => {
                    assert!(rec.raw.is_empty() && rec.fields.is_empty());
                    assert_eq!(o.max, max);
                    // The offset is the record's own start (blank lines
                    // before it not included).
                    at = o.offset;
                    Err(o.bytes)
                }
                None => {
                    let gap = &input[at as usize..];
                    let skip = gap
                        .iter()
                        .take_while(|&&b| b == b'\n' || b == b'\r')
                        .count();
                    at += skip as u64;
                    Ok(rec.raw.clone())
                }
            };
            let len = match &shape {
                Ok(raw) => raw.len() as u64,
                Err(n) => *n,
            };
            out.push((rec.line, at, shape));
            at += len;
            assert_eq!(r.offset(), at);
        }
        out
    }

    /// Records over the limit come back oversized with their line, offset
    /// and length, whatever the read sizes; the others are as without a
    /// limit.
    #[test]
    fn oversized_records_are_passed_over() {
        let mut seed = 3u64;
        for case in 0..120 {
            let mut input = Vec::new();
            for _ in 0..(case % 80) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.push(b"ab,\"\r\n\"x,\nyy"[(seed >> 35) as usize % 12]);
            }
            let unlimited = shapes(&input, usize::MAX, 1 << 20);
            for (max, step) in [(1, 1), (3, 2), (5, 7), (8, 3), (20, 5)] {
                let want: Vec<_> = unlimited
                    .iter()
                    .map(|(line, at, s)| match s {
                        Ok(raw) if raw.len() > max => (*line, *at, Err(raw.len() as u64)),
                        other => (*line, *at, other.clone()),
                    })
                    .collect();
                assert_eq!(
                    shapes(&input, max, step),
                    want,
                    "{input:?} max {max} step {step}"
                );
            }
        }
    }

    #[test]
    fn an_oversized_record_costs_no_more_than_the_limit() {
        // 2 MiB of one record, a quoted field over lines, blank lines.
        let mut input = b"a,b\n\n\n1,\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', 1 << 20));
        input.extend_from_slice(b"\n");
        input.extend(std::iter::repeat_n(b'y', 1 << 20));
        input.extend_from_slice(b"\"\r\n");
        input.extend(std::iter::repeat_n(b'\n', 1 << 20));
        input.extend_from_slice(b"2,z\n");
        let mut r = Records::new(Box::new(std::io::Cursor::new(input)), Dialect::default())
            .max_record(1 << 14);
        let mut rec = Record::default();
        assert!(r.next_into(&mut rec).unwrap());
        assert!(r.next_into(&mut rec).unwrap());
        let o = rec.oversized.unwrap();
        assert_eq!((rec.line, o.offset, o.bytes), (4, 6, (2 << 20) + 7));
        assert!(!o.to_end);
        assert!(o.reason().contains("not copied to the rejects file"));
        assert!(r.buf.capacity() < 1 << 18, "{}", r.buf.capacity());
        assert!(r.out.len() < 1 << 18);
        // A million blank lines are not kept either.
        assert!(r.next_into(&mut rec).unwrap());
        assert_eq!(
            (rec.line, rec.raw.as_slice()),
            ((1 << 20) + 6, &b"2,z\n"[..])
        );
        assert!(rec.oversized.is_none());
        assert!(r.buf.capacity() < 1 << 18, "{}", r.buf.capacity());
    }

    #[test]
    fn a_flood_of_fields_is_passed_over() {
        let mut input = b"1".to_vec();
        input.extend(std::iter::repeat_n(b',', MAX_FIELDS + 10));
        input.extend_from_slice(b"\n2,x");
        let mut r = Records::new(Box::new(std::io::Cursor::new(input)), Dialect::default());
        let first = r.next_record().unwrap().unwrap();
        let o = first.oversized.unwrap();
        assert!(o.too_many_fields);
        assert!(o.reason().contains("more than 65536 fields"));
        let second = r.next_record().unwrap().unwrap();
        assert_eq!((second.line, second.fields.len()), (2, 2));
        assert!(r.ends.len() <= 4096);
        // Unterminated at the end of the input: said so.
        let mut r = Records::new(
            Box::new(std::io::Cursor::new(b"1,\"open and long".to_vec())),
            Dialect::default(),
        )
        .max_record(4);
        let o = r.next_record().unwrap().unwrap().oversized.unwrap();
        assert!(o.to_end && o.reason().contains("unterminated"), "{o:?}");
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
}
