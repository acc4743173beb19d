//! One piece of long work being reported: counters the worker bumps
//! (from any thread: the seed's generator threads, the import's loaders)
//! and a ticker thread that reads them — every [`Config::interval`] it
//! hands a line to the sink (`lines`), or several times a second it
//! redraws the bar (`bar`). A thread rather than a timer on the async
//! runtime: the counters are bumped from blocking threads, and the
//! ticker must keep reporting while the runtime's one thread waits on a
//! statement.
//!
//! A task that printed periodic lines closes with a summary line when
//! [`Task::finish`] is called; one dropped unfinished (an error) stops
//! quietly — the error says the rest.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::line::{self, Snapshot};
use super::meter::Meter;
use super::{Config, Style};

/// How often the bar is redrawn.
const BAR_TICK: Duration = Duration::from_millis(200);

/// What a task counts.
pub struct Spec {
    pub what: String,
    /// `rows`; empty for a task that only runs (a statement).
    pub unit: &'static str,
    pub total: Option<u64>,
    /// Bytes read so far of a file of `size` bytes: the share done and the
    /// ETA then come from these (an import knows its file's size, not its
    /// row count).
    pub bytes: Option<(Arc<AtomicU64>, u64)>,
    pub stage: String,
    /// Nothing is shown before this much time has passed (a statement
    /// that runs for less is not worth a spinner).
    pub quiet_for: Duration,
}

/// A handle on a running task; clones share it. A silent task (mode
/// `none`, or nothing installed) costs an `Option` check per call.
#[derive(Clone, Default)]
pub struct Task(Option<Arc<Shared>>);

struct Shared {
    spec: Spec,
    style: Style,
    interval: Duration,
    sink: super::Sink,
    started: Instant,
    done: AtomicU64,
    /// `u64::MAX`: unknown.
    total: AtomicU64,
    stage: Mutex<String>,
    meters: Mutex<(Meter, Option<Meter>)>,
    printed: AtomicBool,
    finished: AtomicBool,
    bar: Mutex<Option<ProgressBar>>,
    stop: Arc<Stop>,
    ticker: Mutex<Option<JoinHandle<()>>>,
}

const UNKNOWN: u64 = u64::MAX;

impl Task {
    /// A task reported as the installed configuration says.
    pub fn start(spec: Spec) -> Task {
        Task::start_with(&super::config(), spec)
    }

    pub fn start_with(config: &Config, spec: Spec) -> Task {
        if config.style == Style::None {
            return Task(None);
        }
        let bytes_meter = spec
            .bytes
            .as_ref()
            .map(|(read, _)| Meter::new(read.load(Ordering::Relaxed)));
        let shared = Arc::new(Shared {
            style: config.style,
            interval: config.interval,
            sink: Arc::clone(&config.sink),
            started: Instant::now(),
            done: AtomicU64::new(0),
            total: AtomicU64::new(spec.total.unwrap_or(UNKNOWN)),
            stage: Mutex::new(spec.stage.clone()),
            meters: Mutex::new((Meter::new(0), bytes_meter)),
            printed: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            bar: Mutex::new(None),
            stop: Arc::new(Stop::default()),
            ticker: Mutex::new(None),
            spec,
        });
        let weak = Arc::downgrade(&shared);
        let stop = Arc::clone(&shared.stop);
        let spawned = std::thread::Builder::new()
            .name("strata-progress".into())
            .spawn(move || tick(&weak, &stop));
        // No thread (resource limits): no progress, the work goes on.
        if let (Ok(h), Ok(mut slot)) = (spawned, shared.ticker.lock()) {
            *slot = Some(h);
        }
        Task(Some(shared))
    }

    /// False when nothing is reported (callers may skip work done only
    /// for the report, such as counting the rows planned).
    pub fn is_active(&self) -> bool {
        self.0.is_some()
    }

    pub fn inc(&self, n: u64) {
        if let Some(s) = &self.0 {
            s.done.fetch_add(n, Ordering::Relaxed);
        }
    }

    pub fn done(&self) -> u64 {
        self.0
            .as_ref()
            .map_or(0, |s| s.done.load(Ordering::Relaxed))
    }

    pub fn set_total(&self, total: Option<u64>) {
        if let Some(s) = &self.0 {
            s.total.store(total.unwrap_or(UNKNOWN), Ordering::Relaxed);
        }
    }

    /// What is being worked on now (a table).
    pub fn set_stage(&self, stage: impl Into<String>) {
        if let Some(s) = &self.0 {
            if let Ok(mut st) = s.stage.lock() {
                *st = stage.into();
            }
        }
    }

    /// Run `f` (which prints on stderr) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        let bar = self
            .0
            .as_ref()
            .and_then(|s| s.bar.lock().ok().and_then(|b| b.clone()));
        match bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Stop reporting: the bar is cleared; after periodic lines, a
    /// closing line. Later calls do nothing.
    pub fn finish(&self) {
        let Some(s) = &self.0 else { return };
        if s.finished.swap(true, Ordering::SeqCst) {
            return;
        }
        s.stop.set();
        let ticker = s.ticker.lock().ok().and_then(|mut t| t.take());
        if let Some(h) = ticker {
            let _ = h.join(); // no periodic line after the closing one
        }
        s.clear_bar();
        if s.printed.load(Ordering::SeqCst) {
            let stage = s.stage.lock().map(|g| g.clone()).unwrap_or_default();
            (s.sink)(&line::finished(&s.snapshot(&stage, None)));
        }
    }
}

impl Shared {
    /// Sample the meters at `now` and build the snapshot of this moment.
    fn snapshot<'a>(
        &'a self,
        stage: &'a str,
        meters: Option<&mut (Meter, Option<Meter>)>,
    ) -> Snapshot<'a> {
        let elapsed = self.started.elapsed();
        let t = elapsed.as_secs_f64();
        let done = self.done.load(Ordering::Relaxed);
        let total = Some(self.total.load(Ordering::Relaxed)).filter(|t| *t != UNKNOWN);
        let bytes = self
            .spec
            .bytes
            .as_ref()
            .map(|(read, size)| (read.load(Ordering::Relaxed).min(*size), *size));
        let (mut rate, mut eta) = (None, None);
        if let Some((rows, by_bytes)) = meters {
            rows.sample(t, done);
            rate = rows.rate();
            eta = match (by_bytes, bytes, total) {
                (Some(m), Some((read, size)), _) => {
                    m.sample(t, read);
                    m.eta(size)
                }
                (_, _, Some(total)) => rows.eta(total),
                _ => None,
            };
        }
        Snapshot {
            what: &self.spec.what,
            unit: self.spec.unit,
            done,
            total,
            bytes,
            rate,
            elapsed,
            eta: eta.and_then(|s| Duration::try_from_secs_f64(s).ok()),
            stage,
        }
    }

    /// One tick: a line, or a redraw of the bar.
    fn report(&self) {
        if self.started.elapsed() < self.spec.quiet_for {
            return;
        }
        let stage = self.stage.lock().map(|g| g.clone()).unwrap_or_default();
        let Ok(mut meters) = self.meters.lock() else {
            return;
        };
        let snap = self.snapshot(&stage, Some(&mut meters));
        let text = line::running(&snap);
        match self.style {
            Style::Lines => {
                self.printed.store(true, Ordering::SeqCst);
                (self.sink)(&text);
            }
            Style::Bar => self.draw(&snap, text),
            Style::None => {}
        }
    }

    fn draw(&self, snap: &Snapshot, text: String) {
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        let bar = slot.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(style(false));
            b
        });
        // The bar's length is the share done: rows of a known total, or
        // bytes of a file; a spinner otherwise.
        let share = match (snap.bytes, snap.total) {
            (Some((read, size)), _) => Some((read, size)),
            (None, Some(total)) => Some((snap.done.min(total), total)),
            (None, None) => None,
        };
        match share {
            Some((pos, len)) => {
                if bar.length() != Some(len) {
                    bar.set_style(style(true));
                    bar.set_length(len);
                }
                bar.set_position(pos);
            }
            None => bar.tick(),
        }
        bar.set_message(text);
    }

    fn clear_bar(&self) {
        if let Some(b) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            b.finish_and_clear();
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.stop.set();
        self.clear_bar();
    }
}

fn style(bar: bool) -> ProgressStyle {
    let template = if bar {
        "{bar:20} {wide_msg}"
    } else {
        "{spinner} {wide_msg}"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// The ticker: report every period until stopped or the task is gone.
fn tick(task: &Weak<Shared>, stop: &Stop) {
    let period = match task.upgrade() {
        Some(s) if s.style == Style::Bar => BAR_TICK.min(s.interval),
        Some(s) => s.interval,
        None => return,
    };
    while !stop.wait(period) {
        match task.upgrade() {
            Some(s) => s.report(),
            None => return,
        }
    }
}

/// A flag the ticker sleeps on, woken when it is set.
#[derive(Default)]
struct Stop {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Stop {
    fn set(&self) {
        if let Ok(mut s) = self.stopped.lock() {
            *s = true;
        }
        self.wake.notify_all();
    }

    /// Sleep up to `d`; true once stopped.
    fn wait(&self, d: Duration) -> bool {
        let Ok(guard) = self.stopped.lock() else {
            return true;
        };
        match self.wake.wait_timeout_while(guard, d, |stopped| !*stopped) {
            Ok((s, _)) => *s,
            Err(_) => true,
        }
    }
}
