//! A rate that is smoothed over time, and the ETA it gives.
//!
//! The rate is the amount done over the time taken, both summed with
//! weights that fade exponentially with age (time constant [`TAU`]): early
//! in a run it is the rate over the whole run, later the rate of about
//! the last [`TAU`] seconds. Each stretch between two samples counts for
//! its length, so a bar refreshed every 200 ms and a log line every 5 s
//! give nearly the same estimate, and a short first stretch (the setup
//! before the first rows) cannot dominate it. The first stretch is
//! measured from the start value, not from zero: a resumed import that
//! begins 3 GB into its file does not count those bytes as read in the
//! first second (the ETA indicatif showed then was far too short).

/// Seconds over which older stretches fade (to 1/e): long enough that the
/// bursts of a batched load (10,000 rows at a time) do not make the ETA
/// jump, short enough to follow a seed moving on to a wider table.
pub const TAU: f64 = 20.0;

#[derive(Debug, Clone)]
pub struct Meter {
    last_t: f64,
    last_v: u64,
    /// Weighted amount done and weighted seconds taken.
    amount: f64,
    seconds: f64,
}

impl Meter {
    /// A meter that starts at `start` (what was already done) at time 0.
    pub fn new(start: u64) -> Meter {
        Meter {
            last_t: 0.0,
            last_v: start,
            amount: 0.0,
            seconds: 0.0,
        }
    }

    /// `v` done at `t` seconds after the start. A sample that does not
    /// move time forward is ignored; a value that goes back (a counter
    /// reset) adds nothing and is the new base.
    pub fn sample(&mut self, t: f64, v: u64) {
        let dt = t - self.last_t;
        if dt <= 0.0 || !dt.is_finite() {
            return;
        }
        let w = (-dt / TAU).exp();
        self.amount = self.amount * w + v.saturating_sub(self.last_v) as f64;
        self.seconds = self.seconds * w + dt;
        self.last_t = t;
        self.last_v = v;
    }

    /// The smoothed rate per second (`None` before the first sample).
    pub fn rate(&self) -> Option<f64> {
        (self.seconds > 0.0).then(|| self.amount / self.seconds)
    }

    /// Seconds to go until `total`, at the smoothed rate; `None` without
    /// a rate (nothing measured yet, or nothing moving).
    pub fn eta(&self, total: u64) -> Option<f64> {
        let r = self.rate().filter(|r| *r > 0.0)?;
        Some(total.saturating_sub(self.last_v) as f64 / r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_rate_gives_a_steady_eta() {
        let mut m = Meter::new(0);
        for i in 1..=10 {
            m.sample(i as f64 * 5.0, i * 50_000);
        }
        assert!((m.rate().unwrap() - 10_000.0).abs() < 1e-6);
        // 500,000 of 2,000,000 done at 10k/s: 150 s to go.
        assert!((m.eta(2_000_000).unwrap() - 150.0).abs() < 1e-6);
    }

    #[test]
    fn the_first_sample_is_measured_from_the_start_value() {
        // A resumed import 3 GB in: 10 MB in the first 2 s is 5 MB/s.
        let mut m = Meter::new(3_000_000_000);
        m.sample(2.0, 3_010_000_000);
        assert_eq!(m.rate(), Some(5_000_000.0));
        assert_eq!(m.eta(3_020_000_000), Some(2.0));
    }

    #[test]
    fn a_change_of_pace_is_followed_smoothly() {
        let mut m = Meter::new(0);
        m.sample(5.0, 500_000); // 100k/s
        m.sample(10.0, 600_000); // then 20k/s
        let r = m.rate().unwrap();
        assert!(r < 100_000.0 && r > 20_000.0, "{r}");
        // The weight is by time: ten samples 0.5 s apart move the
        // estimate about as far as one sample 5 s after.
        let mut fine = Meter::new(0);
        fine.sample(5.0, 500_000);
        for i in 1..=10 {
            fine.sample(5.0 + i as f64 * 0.5, 500_000 + i * 10_000);
        }
        let f = fine.rate().unwrap();
        assert!((f - r).abs() < 0.05 * r, "{f} vs {r}");
    }

    #[test]
    fn a_short_first_stretch_does_not_dominate() {
        // 1,000 rows in the first 0.1 s (a small table), then 50k/s for
        // 3 s: the estimate is near 50k/s, not stuck near 10k/s.
        let mut m = Meter::new(0);
        m.sample(0.1, 1_000);
        for i in 1..=30 {
            m.sample(0.1 + i as f64 * 0.1, 1_000 + i * 5_000);
        }
        let r = m.rate().unwrap();
        assert!(r > 45_000.0 && r < 50_000.0, "{r}");
    }

    #[test]
    fn no_rate_no_eta() {
        let mut m = Meter::new(0);
        assert_eq!(m.eta(100), None);
        m.sample(1.0, 0);
        assert_eq!(m.rate(), Some(0.0));
        assert_eq!(m.eta(100), None);
        m.sample(1.0, 50); // time did not move: ignored
        assert_eq!(m.rate(), Some(0.0));
    }
}
