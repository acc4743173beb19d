//! How far an import is, for `--progress`: records read (each loaded or
//! rejected), and the share of the input read out of its size
//! (compressed bytes for gzip, since that is the size known up front),
//! which gives the ETA. Without a size (stdin) only the count, the rate
//! and the elapsed time.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use crate::progress::{Spec, Task};

pub struct Progress(Task);

impl Progress {
    pub fn new(size: Option<u64>, consumed: Arc<AtomicU64>) -> Progress {
        Progress(Task::start(Spec {
            what: "import".into(),
            unit: "rows",
            total: None,
            // A resumed import starts where the file was reopened: the
            // meter measures from there, not from byte 0.
            bytes: size.map(|size| (consumed, size)),
            stage: String::new(),
            quiet_for: Duration::ZERO,
        }))
    }

    /// A batch of `read` records is done.
    pub fn advance(&mut self, read: u64) {
        self.0.inc(read);
    }

    /// Before the summary line is printed.
    pub fn finish(&self) {
        self.0.finish();
    }
}
