//! The progress bar on stderr (only when it is a terminal): bytes of the
//! input read out of its size (compressed bytes for gzip, since that is
//! the size known up front), rows per second, ETA. A spinner when the
//! size is unknown (stdin).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    consumed: Arc<AtomicU64>,
    started: Instant,
    rows: u64,
}

impl Progress {
    pub fn new(size: Option<u64>, consumed: Arc<AtomicU64>) -> Progress {
        let bar = if std::io::stderr().is_terminal() {
            let template = match size {
                Some(_) => "{bar:16} {bytes}/{total_bytes} {msg} eta {eta}",
                None => "{spinner} {bytes} {msg}",
            };
            let bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            consumed,
            started: Instant::now(),
            rows: 0,
        }
    }

    /// A batch of `read` records is done.
    pub fn advance(&mut self, read: u64) {
        if self.bar.is_hidden() {
            return;
        }
        self.rows += read;
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_position(self.consumed.load(Ordering::Relaxed));
        self.bar.set_message(format!(
            "{} rows  {:.0} rows/s",
            self.rows,
            self.rows as f64 / secs
        ));
    }

    /// Cleared before the summary line is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
