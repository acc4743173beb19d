//! Progress of long work — a seed, an import, a migration statement that
//! runs for a while — reported the way the edge asked (`--progress`):
//!
//! * `bar`: an indicatif bar on stderr (drawn only on a terminal);
//! * `lines`: every [`DEFAULT_INTERVAL`] a one-line report handed to the
//!   installed sink (the CLI prints it on stderr): rows done (of the total
//!   when known), a smoothed rate, elapsed time, ETA — the first one only
//!   after a whole interval, so short runs stay quiet, and a closing line
//!   after them;
//! * `none`: nothing;
//! * `auto` (the CLI's default): `bar` when stderr is a terminal, `lines`
//!   otherwise (CI logs).
//!
//! The library never prints lines itself: until the binary calls
//! [`install`], every [`Task`] is silent.
//!
//! * [`task`]: a task's counters and its ticker thread.
//! * [`meter`]: the smoothed rate and the ETA.
//! * [`line`]: the text of a report; [`format`]: its numbers.

pub mod format;
pub mod line;
pub mod meter;
pub mod task;

use std::io::IsTerminal;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

pub use task::{Spec, Task};

/// `--progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Mode {
    /// A bar on a terminal, lines otherwise.
    #[default]
    Auto,
    /// A bar redrawn in place (only on a terminal).
    Bar,
    /// A line every 5 s, then a closing line.
    Lines,
    /// Nothing.
    None,
}

/// What a [`Mode`] comes to once the terminal is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bar,
    Lines,
    None,
}

impl Mode {
    pub fn style(self, stderr_is_terminal: bool) -> Style {
        match self {
            Mode::Auto if stderr_is_terminal => Style::Bar,
            Mode::Auto | Mode::Lines => Style::Lines,
            Mode::Bar => Style::Bar,
            Mode::None => Style::None,
        }
    }
}

/// Where report lines go.
pub type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// Time between two lines of `--progress lines`.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Overrides [`DEFAULT_INTERVAL`], in milliseconds — for tests, which
/// cannot wait five seconds for a line.
pub const INTERVAL_ENV: &str = "STRATA_PROGRESS_INTERVAL_MS";

#[derive(Clone)]
pub struct Config {
    pub style: Style,
    pub interval: Duration,
    pub sink: Sink,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            style: Style::None,
            interval: DEFAULT_INTERVAL,
            sink: Arc::new(|_| {}),
        }
    }
}

fn installed() -> &'static RwLock<Config> {
    static C: OnceLock<RwLock<Config>> = OnceLock::new();
    C.get_or_init(Default::default)
}

/// Report progress as `mode` says (`auto` looks at stderr), lines going
/// to `sink`, every `interval`. Replaces an earlier installation.
pub fn install(mode: Mode, interval: Duration, sink: impl Fn(&str) + Send + Sync + 'static) {
    let config = Config {
        style: mode.style(std::io::stderr().is_terminal()),
        interval,
        sink: Arc::new(sink),
    };
    if let Ok(mut c) = installed().write() {
        *c = config;
    }
}

/// The installed configuration (silent when nothing was installed).
pub fn config() -> Config {
    installed().read().map(|c| c.clone()).unwrap_or_default()
}

/// [`DEFAULT_INTERVAL`], or [`INTERVAL_ENV`] when it holds a number of
/// milliseconds (at least 1).
pub fn interval_from_env() -> Duration {
    std::env::var(INTERVAL_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map_or(DEFAULT_INTERVAL, Duration::from_millis)
}

/// A task counting rows (`what`: `seed`, `import`).
pub fn rows(what: &str, total: Option<u64>) -> Task {
    Task::start(Spec {
        what: what.into(),
        unit: "rows",
        total,
        bytes: None,
        stage: String::new(),
        quiet_for: Duration::ZERO,
    })
}

/// Run `fut`, the execution of `sql`, reporting it once it has run for an
/// interval and every interval after (a long index build, a big UPDATE).
pub async fn statement<F: std::future::Future>(sql: &str, fut: F) -> F::Output {
    let config = config();
    if config.style == Style::None {
        return fut.await;
    }
    let quiet_for = config.interval;
    let task = Task::start_with(
        &config,
        Spec {
            what: "statement".into(),
            unit: "",
            total: None,
            bytes: None,
            stage: first_line(sql),
            quiet_for,
        },
    );
    let out = fut.await;
    task.finish();
    out
}

/// Longest statement text shown.
const SHOWN: usize = 80;

/// A statement as one line: its first line that is not blank or a `--`
/// comment, whitespace collapsed, cut at [`SHOWN`] characters, `…` when
/// anything was left out, control characters escaped.
pub fn first_line(sql: &str) -> String {
    let mut lines = sql
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--"));
    let one = lines
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut shown: String = one.chars().take(SHOWN).collect();
    if one.chars().count() > SHOWN || lines.next().is_some() {
        shown.push_str(" …");
    }
    crate::escape::line(&shown).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;

    #[test]
    fn auto_is_a_bar_on_a_terminal_and_lines_elsewhere() {
        assert_eq!(Mode::Auto.style(true), Style::Bar);
        assert_eq!(Mode::Auto.style(false), Style::Lines);
        assert_eq!(Mode::Lines.style(true), Style::Lines);
        assert_eq!(Mode::Bar.style(false), Style::Bar);
        assert_eq!(Mode::None.style(true), Style::None);
    }

    #[test]
    fn statements_are_shown_on_one_line() {
        assert_eq!(
            first_line("-- build it\n  CREATE INDEX big_v_idx\n    ON big (v)"),
            "CREATE INDEX big_v_idx …"
        );
        assert_eq!(first_line("UPDATE t SET   x = 1"), "UPDATE t SET x = 1");
        let long = format!("UPDATE t SET x = '{}'", "a".repeat(200));
        let shown = first_line(&long);
        assert_eq!(shown.chars().count(), SHOWN + 2);
        assert!(shown.ends_with(" …"), "{shown}");
        assert!(!first_line("SELECT '\u{1b}[2J'").contains('\u{1b}'));
    }

    fn collecting(interval_ms: u64) -> (Config, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let config = Config {
            style: Style::Lines,
            interval: Duration::from_millis(interval_ms),
            sink: Arc::new(move |l: &str| sink.lock().unwrap().push(l.to_string())),
        };
        (config, lines)
    }

    fn spec(total: Option<u64>) -> Spec {
        Spec {
            what: "seed".into(),
            unit: "rows",
            total,
            bytes: None,
            stage: "public.t".into(),
            quiet_for: Duration::ZERO,
        }
    }

    #[test]
    fn lines_come_every_interval_and_close_with_a_summary() {
        let (config, lines) = collecting(20);
        let task = Task::start_with(&config, spec(Some(1_000)));
        for _ in 0..10 {
            task.inc(50);
            std::thread::sleep(Duration::from_millis(15));
        }
        task.finish();
        task.finish();
        let lines = lines.lock().unwrap().clone();
        assert!(lines.len() >= 3, "{lines:?}");
        let (last, periodic) = lines.split_last().unwrap();
        for l in periodic {
            assert!(l.starts_with("seed: "), "{l}");
            assert!(l.contains(" / 1,000 rows ("), "{l}");
            assert!(l.contains(" rows/s · "), "{l}");
            assert!(l.ends_with(" · public.t"), "{l}");
        }
        assert!(last.starts_with("seed: done · 500 rows in "), "{last}");
    }

    #[test]
    fn a_short_task_prints_nothing() {
        let (config, lines) = collecting(60_000);
        let task = Task::start_with(&config, spec(None));
        task.inc(5);
        task.finish();
        assert!(lines.lock().unwrap().is_empty());
    }

    #[test]
    fn a_dropped_task_stops_without_a_closing_line() {
        let (config, lines) = collecting(10);
        let task = Task::start_with(&config, spec(None));
        std::thread::sleep(Duration::from_millis(35));
        drop(task);
        // A report already under way when the task was dropped may still
        // land; none may start after it.
        std::thread::sleep(Duration::from_millis(15));
        let n = lines.lock().unwrap().len();
        std::thread::sleep(Duration::from_millis(40));
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), n, "lines after the drop: {lines:?}");
        assert!(lines.iter().all(|l| !l.contains("done")), "{lines:?}");
    }

    #[test]
    fn an_import_measures_its_file() {
        let (config, lines) = collecting(20);
        let read = Arc::new(AtomicU64::new(0));
        let task = Task::start_with(
            &config,
            Spec {
                what: "import".into(),
                unit: "rows",
                total: None,
                bytes: Some((Arc::clone(&read), 4_000_000)),
                stage: String::new(),
                quiet_for: Duration::ZERO,
            },
        );
        for _ in 0..4 {
            read.fetch_add(500_000, Ordering::Relaxed);
            task.inc(10_000);
            std::thread::sleep(Duration::from_millis(15));
        }
        task.finish();
        let lines = lines.lock().unwrap();
        let l = lines.iter().rev().nth(1).expect("a periodic line");
        assert!(l.starts_with("import: "), "{l}");
        assert!(l.contains("% of 4.0 MB · "), "{l}");
        assert!(l.contains(" · ETA "), "{l}");
    }

    #[test]
    fn silent_tasks_count_nothing() {
        let task = Task::start_with(&Config::default(), spec(Some(5)));
        task.inc(3);
        assert!(!task.is_active());
        assert_eq!(task.done(), 0);
    }
}
