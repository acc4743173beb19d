//! Numbers a person reads in a progress line: counts with thousands
//! separators (`1,234,567`), rates with one decimal and a k/M suffix
//! (`632.1k rows/s`, never `632,124.9944/s`), durations that grow units
//! as they grow (`27.7s`, `4m05s`, `1h02m`), sizes in decimal units.

use std::time::Duration;

/// `1234567` → `"1,234,567"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `632124.99` → `"632.1k"`: below 1,000 a whole number (one decimal
/// below 10, where the digit still means something), then k, M, G with
/// one decimal. A value that rounds up to the next unit moves to it
/// (`999,960` is `"1.0M"`, not `"1000.0k"`).
pub fn human(v: f64) -> String {
    if !v.is_finite() || v < 0.0 {
        return "?".into();
    }
    if v < 9.95 {
        return format!("{v:.1}");
    }
    if v < 999.5 {
        return format!("{v:.0}");
    }
    for (scale, suffix) in [(1e3, "k"), (1e6, "M"), (1e9, "G")] {
        let x = v / scale;
        if x < 999.95 || suffix == "G" {
            return format!("{x:.1}{suffix}");
        }
    }
    unreachable!("the last unit takes every value")
}

/// `45_100.0, "rows"` → `"45.1k rows/s"`.
pub fn rate(per_sec: f64, unit: &str) -> String {
    format!("{} {unit}/s", human(per_sec))
}

/// Bytes in decimal units: `48_213_000` → `"48.2 MB"`.
pub fn bytes(n: u64) -> String {
    let v = n as f64;
    if v < 1000.0 {
        return format!("{n} B");
    }
    for (scale, suffix) in [(1e3, "kB"), (1e6, "MB"), (1e9, "GB")] {
        let x = v / scale;
        if x < 999.95 || suffix == "GB" {
            return format!("{x:.1} {suffix}");
        }
    }
    unreachable!("the last unit takes every value")
}

/// Elapsed time: tenths of a second under a minute (`27.7s`), then
/// minutes and seconds (`4m05s`), then hours and minutes (`1h02m`).
pub fn elapsed(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 59.95 {
        return format!("{s:.1}s");
    }
    whole(s.round() as u64)
}

/// An estimate: whole seconds (`17s`, `4m05s`, `1h02m`); an ETA's tenths
/// would claim a precision it does not have.
pub fn eta(d: Duration) -> String {
    whole(d.as_secs_f64().round() as u64)
}

fn whole(s: u64) -> String {
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234), "1,234");
        assert_eq!(count(1_250_000), "1,250,000");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn rates_have_one_decimal_and_a_unit_suffix() {
        assert_eq!(rate(632_124.994_4, "rows"), "632.1k rows/s");
        assert_eq!(rate(45_100.0, "rows"), "45.1k rows/s");
        assert_eq!(rate(1_300_000.0, "rows"), "1.3M rows/s");
        assert_eq!(rate(999_960.0, "rows"), "1.0M rows/s");
        assert_eq!(rate(999.6, "rows"), "1.0k rows/s");
        assert_eq!(rate(812.4, "rows"), "812 rows/s");
        assert_eq!(rate(2.46, "rows"), "2.5 rows/s");
        assert_eq!(rate(0.0, "rows"), "0.0 rows/s");
        assert_eq!(rate(f64::NAN, "rows"), "? rows/s");
        assert_eq!(human(3.2e12), "3200.0G");
    }

    #[test]
    fn sizes_are_decimal() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(48_213_000), "48.2 MB");
        assert_eq!(bytes(999_999), "1.0 MB");
        assert_eq!(bytes(7_500_000_000), "7.5 GB");
    }

    #[test]
    fn durations_grow_units() {
        let s = Duration::from_secs_f64;
        assert_eq!(elapsed(s(0.04)), "0.0s");
        assert_eq!(elapsed(s(27.7)), "27.7s");
        assert_eq!(elapsed(s(59.96)), "1m00s");
        assert_eq!(elapsed(s(245.0)), "4m05s");
        assert_eq!(elapsed(s(3720.0)), "1h02m");
        assert_eq!(eta(s(16.6)), "17s");
        assert_eq!(eta(s(0.2)), "0s");
        assert_eq!(eta(s(245.4)), "4m05s");
        assert_eq!(eta(s(90_000.0)), "25h00m");
    }
}
