//! The text of one progress report, from a snapshot of a task: the
//! periodic line of `--progress lines`, the message beside the bar, and
//! the closing line.
//!
//! ```text
//! seed: 1,250,000 / 2,000,000 rows (62%) · 45.1k rows/s · 27.7s elapsed · ETA 17s · public.orders
//! import: 250,000 rows · 52% of 48.2 MB · 10.4k rows/s · 24.0s elapsed · ETA 22s
//! statement still running · 10.0s elapsed · CREATE INDEX big_v_idx ON big (v)
//! ```

use std::time::Duration;

use super::format;

/// What a task has done so far, as the meters see it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot<'a> {
    /// `seed`, `import`, `statement`.
    pub what: &'a str,
    /// `rows`; empty for a task that counts nothing (a statement).
    pub unit: &'a str,
    pub done: u64,
    pub total: Option<u64>,
    /// Bytes read of a file of known size (an import's progress).
    pub bytes: Option<(u64, u64)>,
    /// Smoothed `unit` per second.
    pub rate: Option<f64>,
    pub elapsed: Duration,
    pub eta: Option<Duration>,
    /// What is being worked on: a table, a statement's first line.
    pub stage: &'a str,
}

/// The periodic line.
pub fn running(s: &Snapshot) -> String {
    let mut parts = Vec::new();
    if s.unit.is_empty() {
        parts.push(format!("{} still running", s.what));
        parts.push(format!("{} elapsed", format::elapsed(s.elapsed)));
    } else {
        parts.push(format!("{}: {}", s.what, amount(s)));
        if let Some((read, size)) = s.bytes {
            parts.push(format!(
                "{}% of {}",
                percent(read, size),
                format::bytes(size)
            ));
        }
        if let Some(r) = s.rate {
            parts.push(format::rate(r, s.unit));
        }
        parts.push(format!("{} elapsed", format::elapsed(s.elapsed)));
        if let Some(eta) = s.eta {
            parts.push(format!("ETA {}", format::eta(eta)));
        }
    }
    if !s.stage.is_empty() {
        parts.push(s.stage.to_string());
    }
    parts.join(" · ")
}

/// The closing line: the amount, the time, the rate over the whole run.
pub fn finished(s: &Snapshot) -> String {
    if s.unit.is_empty() {
        let mut line = format!("{} finished · {}", s.what, format::elapsed(s.elapsed));
        if !s.stage.is_empty() {
            line.push_str(" · ");
            line.push_str(s.stage);
        }
        return line;
    }
    let secs = s.elapsed.as_secs_f64();
    let mut line = format!(
        "{}: done · {} {} in {}",
        s.what,
        format::count(s.done),
        s.unit,
        format::elapsed(s.elapsed)
    );
    if secs > 0.0 {
        line.push_str(" · ");
        line.push_str(&format::rate(s.done as f64 / secs, s.unit));
    }
    line
}

/// `1,250,000 / 2,000,000 rows (62%)`, or `250,000 rows` without a total.
fn amount(s: &Snapshot) -> String {
    match s.total {
        Some(total) => format!(
            "{} / {} {} ({}%)",
            format::count(s.done),
            format::count(total),
            s.unit,
            percent(s.done, total)
        ),
        None => format!("{} {}", format::count(s.done), s.unit),
    }
}

/// Whole percent, rounded down: 100% only when everything is done.
fn percent(done: u64, total: u64) -> u64 {
    if total == 0 || done >= total {
        return 100;
    }
    (done as u128 * 100 / total as u128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_seed_line_has_rows_total_rate_elapsed_eta_and_table() {
        let s = Snapshot {
            what: "seed",
            unit: "rows",
            done: 1_250_000,
            total: Some(2_000_000),
            rate: Some(45_100.0),
            elapsed: secs(27.7),
            eta: Some(secs(16.6)),
            stage: "public.orders",
            ..Default::default()
        };
        assert_eq!(
            running(&s),
            "seed: 1,250,000 / 2,000,000 rows (62%) · 45.1k rows/s · 27.7s elapsed · ETA 17s · public.orders"
        );
    }

    #[test]
    fn an_unknown_total_shows_no_percent_and_no_eta() {
        let s = Snapshot {
            what: "import",
            unit: "rows",
            done: 250_000,
            rate: Some(10_400.0),
            elapsed: secs(24.0),
            ..Default::default()
        };
        assert_eq!(
            running(&s),
            "import: 250,000 rows · 10.4k rows/s · 24.0s elapsed"
        );
        let first = Snapshot { rate: None, ..s };
        assert_eq!(running(&first), "import: 250,000 rows · 24.0s elapsed");
    }

    #[test]
    fn an_import_counts_rows_and_measures_bytes() {
        let s = Snapshot {
            what: "import",
            unit: "rows",
            done: 250_000,
            bytes: Some((25_100_000, 48_213_000)),
            rate: Some(10_400.0),
            elapsed: secs(24.0),
            eta: Some(secs(22.2)),
            ..Default::default()
        };
        assert_eq!(
            running(&s),
            "import: 250,000 rows · 52% of 48.2 MB · 10.4k rows/s · 24.0s elapsed · ETA 22s"
        );
    }

    #[test]
    fn percent_is_never_100_before_the_end() {
        assert_eq!(percent(1_999_999, 2_000_000), 99);
        assert_eq!(percent(2_000_000, 2_000_000), 100);
        assert_eq!(percent(5, 0), 100);
        assert_eq!(percent(u64::MAX - 1, u64::MAX), 99);
    }

    #[test]
    fn statements_say_how_long_they_have_run() {
        let s = Snapshot {
            what: "statement",
            elapsed: secs(10.04),
            stage: "CREATE INDEX big_v_idx ON big (v)",
            ..Default::default()
        };
        assert_eq!(
            running(&s),
            "statement still running · 10.0s elapsed · CREATE INDEX big_v_idx ON big (v)"
        );
        assert_eq!(
            finished(&Snapshot {
                elapsed: secs(75.0),
                ..s
            }),
            "statement finished · 1m15s · CREATE INDEX big_v_idx ON big (v)"
        );
    }

    #[test]
    fn the_closing_line_gives_the_rate_over_the_whole_run() {
        let s = Snapshot {
            what: "seed",
            unit: "rows",
            done: 2_000_000,
            total: Some(2_000_000),
            rate: Some(1.0),
            elapsed: secs(44.6),
            ..Default::default()
        };
        assert_eq!(
            finished(&s),
            "seed: done · 2,000,000 rows in 44.6s · 44.8k rows/s"
        );
    }
}
