//! A rate that is smoothed over time, and the ETA it gives.
//!
//! Each sample's rate (the amount done since the previous sample over the
//! time between them) moves an exponentially weighted average with a time
//! constant of [`TAU`] seconds; the weight depends on the time between
//! samples, so a bar refreshed every 200 ms and a log line every 5 s give
//! the same estimate. The first sample is measured from the start value,
//! not from zero: a resumed import that begins 3 GB into its file does
//! not count those bytes as read in the first second (the ETA indicatif
//! showed then was far too short).

/// Seconds over which older rates fade (to 1/e): long enough that the
/// bursts of a batched load (10,000 rows at a time) do not make the ETA
/// jump, short enough to follow a seed moving on to a wider table.
pub const TAU: f64 = 20.0;

#[derive(Debug, Clone)]
pub struct Meter {
    last_t: f64,
    last_v: u64,
    rate: Option<f64>,
}

impl Meter {
    /// A meter that starts at `start` (what was already done) at time 0.
    pub fn new(start: u64) -> Meter {
        Meter {
            last_t: 0.0,
            last_v: start,
            rate: None,
        }
    }

    /// `v` done at `t` seconds after the start. A sample that does not
    /// move time forward is ignored; a value that goes back (a counter
    /// reset) is taken as the new base.
    pub fn sample(&mut self, t: f64, v: u64) {
        let dt = t - self.last_t;
        if dt <= 0.0 || !dt.is_finite() {
            return;
        }
        let r = v.saturating_sub(self.last_v) as f64 / dt;
        self.rate = Some(match self.rate {
            None => r,
            Some(old) => {
                let w = (-dt / TAU).exp();
                old * w + r * (1.0 - w)
            }
        });
        self.last_t = t;
        self.last_v = v;
    }

    /// The smoothed rate per second (`None` before the first sample).
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// Seconds to go until `total`, at the smoothed rate; `None` without
    /// a rate (nothing measured yet, or nothing moving).
    pub fn eta(&self, total: u64) -> Option<f64> {
        let r = self.rate.filter(|r| *r > 0.0)?;
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
        // estimate as far as one sample 5 s after.
        let mut fine = Meter::new(0);
        fine.sample(5.0, 500_000);
        for i in 1..=10 {
            fine.sample(5.0 + i as f64 * 0.5, 500_000 + i * 10_000);
        }
        assert!((fine.rate().unwrap() - r).abs() < 1.0, "{fine:?} vs {r}");
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
