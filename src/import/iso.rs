//! A fast path for the common ISO 8601 date-times: `YYYY-MM-DD`, `T` or
//! space, `HH:MM:SS`, an optional `.fraction` (1–9 digits), an optional
//! `Z` or `±HH[[:]MM]`. chrono's `parse_from_str` re-reads its format
//! string on every call and the coercion tries several formats in turn:
//! most of an import's time went there. Anything else (`HH:MM` without
//! seconds, leap seconds, odd widths) returns `None` and the caller falls
//! back to chrono, so this never accepts what chrono would refuse.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A date-time and its offset east of UTC in seconds (`None`: no offset
/// written; `Z` is `Some(0)`).
pub fn datetime(s: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    // No year 0 (chrono's 1 BC): PostgreSQL refuses it.
    let year = num(&b[0..4]).filter(|&y| y > 0)? as i32;
    let date = NaiveDate::from_ymd_opt(year, num(&b[5..7])?, num(&b[8..10])?)?;
    let (h, m, sec) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nanos = num(&tail[..digits])? * 10u32.pow(9 - digits as u32);
        rest = &tail[digits..];
    }
    // Seconds of 60 (leap seconds) are chrono's business.
    let time = NaiveTime::from_hms_nano_opt(h, m, sec.min(60), nanos).filter(|_| sec < 60)?;
    Some((date.and_time(time), offset(rest)?))
}

/// `""` (none), `Z`, `+HH`, `+HHMM`, `+HH:MM` (or `-`): seconds east.
fn offset(b: &[u8]) -> Option<Option<i32>> {
    let (sign, tail) = match b {
        [] => return Some(None),
        [b'Z'] => return Some(Some(0)),
        [b'+', tail @ ..] => (1, tail),
        [b'-', tail @ ..] => (-1, tail),
        _ => return None,
    };
    let (h, m) = match tail {
        [h1, h2] => (num(&[*h1, *h2])?, 0),
        [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => (num(&[*h1, *h2])?, num(&[*m1, *m2])?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(Some(sign * (h * 3600 + m * 60) as i32))
}

/// ASCII digits only (no sign, no spaces), at most 9 of them.
fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn common_forms() {
        let t = at("2024-02-03 04:05:06");
        assert_eq!(datetime("2024-02-03 04:05:06"), Some((t, None)));
        assert_eq!(datetime("2024-02-03T04:05:06Z"), Some((t, Some(0))));
        assert_eq!(datetime("2024-02-03 04:05:06+02"), Some((t, Some(7200))));
        assert_eq!(
            datetime("2024-02-03 04:05:06-05:30"),
            Some((t, Some(-19800)))
        );
        assert_eq!(datetime("2024-02-03 04:05:06+0130"), Some((t, Some(5400))));
        assert_eq!(
            datetime("2024-02-03 04:05:06.25"),
            Some((at("2024-02-03 04:05:06.25"), None))
        );
        assert_eq!(
            datetime("2024-02-03 04:05:06.123456789+00"),
            Some((at("2024-02-03 04:05:06.123456789"), Some(0)))
        );
    }

    #[test]
    fn everything_else_falls_back() {
        for s in [
            "2024-02-30 04:05:06",
            "2024-02-03 24:05:06",
            "2024-02-03 04:05:60",
            "2024-02-03 04:05",
            "2024-02-03",
            "2024-02-03 04:05:06.",
            "2024-02-03 04:05:06.1234567890",
            "2024-02-03 04:05:06+2",
            "2024-02-03 04:05:06+24",
            "2024-02-03 04:05:06 +02",
            "2024-02-03x04:05:06",
            "+024-02-03 04:05:06",
            "2024-02-03 04:05:06Zx",
        ] {
            assert_eq!(datetime(s), None, "{s}");
        }
    }
}
