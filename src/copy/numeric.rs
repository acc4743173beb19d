//! Exact decimal numbers for `numeric` columns: parsed from text, rounded
//! to the column's scale the way PostgreSQL rounds (half away from zero),
//! precision-checked, and written in PostgreSQL's base-10000 binary form or
//! as plain decimal text.

/// A parsed `numeric` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Numeric {
    NaN,
    PosInf,
    NegInf,
    Finite(Decimal),
}

/// `±0.d₁d₂…dₙ × 10^point`: `digits` are decimal digits (0–9) without
/// leading zeros, `point` is how many of them precede the decimal point
/// (negative or beyond `digits.len()` for very small or large values), and
/// `dscale` is the number of digits shown after the point.
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal {
    pub negative: bool,
    pub digits: Vec<u8>,
    pub point: i64,
    pub dscale: i64,
}

const SIGN_POS: u16 = 0x0000;
const SIGN_NEG: u16 = 0x4000;
const SIGN_NAN: u16 = 0xC000;
const SIGN_PINF: u16 = 0xD000;
const SIGN_NINF: u16 = 0xF000;

/// PostgreSQL's limits: 131072 digits before the point, 16383 after.
const MAX_WEIGHT_DIGITS: i64 = 131_072;
const MAX_DSCALE: i64 = 16_383;

impl Numeric {
    /// Parse decimal text: `[+-]digits[.digits][e[+-]digits]`, `NaN`,
    /// `Infinity`, `-Infinity`, `inf` (case-insensitive, as PostgreSQL).
    pub fn parse(s: &str) -> Result<Numeric, String> {
        let t = s.trim();
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        if body.eq_ignore_ascii_case("nan") && t.len() == body.len() {
            return Ok(Numeric::NaN);
        }
        if body.eq_ignore_ascii_case("infinity") || body.eq_ignore_ascii_case("inf") {
            return Ok(if negative {
                Numeric::NegInf
            } else {
                Numeric::PosInf
            });
        }
        parse_finite(negative, body)
            .map(Numeric::Finite)
            .ok_or_else(|| format!("{s:?} is not a number"))
    }

    pub fn from_i64(v: i64) -> Numeric {
        let digits: Vec<u8> = v
            .unsigned_abs()
            .to_string()
            .bytes()
            .map(|b| b - b'0')
            .collect();
        let point = digits.len() as i64;
        Numeric::Finite(Decimal::normalized(v < 0, digits, point, 0))
    }

    /// The shortest decimal that reads back as `v` (Rust's `Display` for
    /// `f64` never uses an exponent, so this is exact text).
    pub fn from_f64(v: f64) -> Numeric {
        if v.is_nan() {
            Numeric::NaN
        } else if v.is_infinite() {
            if v > 0.0 {
                Numeric::PosInf
            } else {
                Numeric::NegInf
            }
        } else {
            // Display of a finite f64 is always parseable decimal text.
            Numeric::parse(&v.to_string()).unwrap_or(Numeric::NaN)
        }
    }

    /// Apply `numeric(precision, scale)`: round to `scale`, then check that
    /// the integer part fits. Infinity does not fit any typmod.
    pub fn fit(self, typmod: Option<(i32, i32)>) -> Result<Numeric, String> {
        let Some((precision, scale)) = typmod else {
            return match &self {
                Numeric::Finite(d) if d.point > MAX_WEIGHT_DIGITS || d.dscale > MAX_DSCALE => {
                    Err("value overflows numeric format".into())
                }
                _ => Ok(self),
            };
        };
        match self {
            Numeric::NaN => Ok(Numeric::NaN),
            Numeric::PosInf | Numeric::NegInf => Err(format!(
                "numeric({precision},{scale}) cannot hold an infinite value"
            )),
            Numeric::Finite(d) => {
                let d = d.round(scale as i64);
                let int_digits = d.point.max(0);
                if !d.digits.is_empty() && d.point > (precision - scale) as i64 {
                    return Err(format!(
                        "numeric field overflow: numeric({precision},{scale}) allows {} digit(s) \
                         before the decimal point, the value has {int_digits}",
                        (precision - scale).max(0)
                    ));
                }
                Ok(Numeric::Finite(d))
            }
        }
    }

    /// PostgreSQL's binary form (`numeric_send`): ndigits, weight, sign,
    /// dscale, then base-10000 digits, all big-endian 16-bit.
    pub fn write_binary(&self, out: &mut Vec<u8>) {
        let d = match self {
            Numeric::NaN => return header(out, 0, 0, SIGN_NAN, 0),
            Numeric::PosInf => return header(out, 0, 0, SIGN_PINF, 0),
            Numeric::NegInf => return header(out, 0, 0, SIGN_NINF, 0),
            Numeric::Finite(d) => d,
        };
        let dscale = d.dscale.clamp(0, MAX_DSCALE) as u16;
        if d.digits.is_empty() {
            return header(out, 0, 0, SIGN_POS, dscale);
        }
        // Align the decimal point on a group boundary: pad on the left so
        // the integer part is a multiple of 4 digits, then on the right.
        let pad_left = (4 - d.point.rem_euclid(4)) % 4;
        let total = pad_left as usize + d.digits.len();
        let groups = total.div_ceil(4);
        let weight = ((d.point + pad_left) / 4 - 1) as i16;
        let sign = if d.negative { SIGN_NEG } else { SIGN_POS };
        // Groups go straight into `out` (no temporary vector: this runs
        // once per numeric field of an import); ndigits is patched after.
        let at = out.len();
        header(out, 0, weight, sign, dscale);
        let mut ndigits = 0;
        for g in 0..groups {
            let mut v: u16 = 0;
            for k in 0..4 {
                let i = (g * 4 + k) as i64 - pad_left;
                let digit = if i >= 0 {
                    d.digits.get(i as usize).copied().unwrap_or(0)
                } else {
                    0
                };
                v = v * 10 + digit as u16;
            }
            out.extend_from_slice(&v.to_be_bytes());
            // Digits carry no leading zeros, so only trailing groups can be 0.
            if v != 0 {
                ndigits = g + 1;
            }
        }
        out.truncate(at + 8 + 2 * ndigits);
        out[at..at + 2].copy_from_slice(&(ndigits as u16).to_be_bytes());
    }

    /// Decimal text as PostgreSQL prints it (`-12.340`, `NaN`, `Infinity`).
    pub fn write_text(&self, out: &mut String) {
        let d = match self {
            Numeric::NaN => return out.push_str("NaN"),
            Numeric::PosInf => return out.push_str("Infinity"),
            Numeric::NegInf => return out.push_str("-Infinity"),
            Numeric::Finite(d) => d,
        };
        if d.negative && !d.digits.is_empty() {
            out.push('-');
        }
        let digit = |i: i64| -> char {
            let v = if i >= 0 {
                d.digits.get(i as usize).copied().unwrap_or(0)
            } else {
                0
            };
            (b'0' + v) as char
        };
        if d.point <= 0 {
            out.push('0');
        } else {
            (0..d.point).for_each(|i| out.push(digit(i)));
        }
        if d.dscale > 0 {
            out.push('.');
            (d.point..d.point + d.dscale).for_each(|i| out.push(digit(i)));
        }
    }
}

fn header(out: &mut Vec<u8>, ndigits: u16, weight: i16, sign: u16, dscale: u16) {
    out.extend_from_slice(&ndigits.to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
}

fn parse_finite(negative: bool, body: &str) -> Option<Decimal> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    if exponent.abs() > 1_000_000 {
        return None;
    }
    // One pass: digits before and after the first `.`; anything else
    // (a second `.`, a sign, a space) is not a number.
    let mut digits = Vec::with_capacity(mantissa.len());
    let mut int_len = None;
    for b in mantissa.bytes() {
        match b {
            b'0'..=b'9' => digits.push(b - b'0'),
            b'.' if int_len.is_none() => int_len = Some(digits.len()),
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    let int_len = int_len.unwrap_or(digits.len()) as i64;
    let frac_len = digits.len() as i64 - int_len;
    let dscale = (frac_len - exponent).max(0);
    Some(Decimal::normalized(
        negative,
        digits,
        int_len + exponent,
        dscale,
    ))
}

impl Decimal {
    /// Strip leading zeros (moving the point) and trailing zeros (which
    /// `dscale` still shows); zero has no digits and is never negative.
    fn normalized(negative: bool, mut digits: Vec<u8>, mut point: i64, dscale: i64) -> Decimal {
        let lead = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..lead);
        point -= lead as i64;
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            point = 0;
        }
        Decimal {
            negative: negative && !digits.is_empty(),
            digits,
            point,
            dscale,
        }
    }

    /// Round half away from zero to `scale` digits after the point; the
    /// result shows exactly `max(scale, 0)` of them.
    fn round(self, scale: i64) -> Decimal {
        let keep = self.point + scale; // digits that survive
        let dscale = scale.max(0);
        if keep >= self.digits.len() as i64 {
            return Decimal { dscale, ..self };
        }
        if keep < 0 {
            return Decimal::normalized(false, Vec::new(), 0, dscale);
        }
        let keep = keep as usize;
        let round_up = self.digits[keep] >= 5;
        let mut digits = self.digits[..keep].to_vec();
        let mut point = self.point;
        if round_up {
            let mut i = keep;
            loop {
                if i == 0 {
                    // Carry out of the first digit: 999.5 → 1000.
                    digits.insert(0, 1);
                    point += 1;
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        Decimal::normalized(self.negative, digits, point, dscale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, typmod: Option<(i32, i32)>) -> Result<String, String> {
        let n = Numeric::parse(s)?.fit(typmod)?;
        let mut out = String::new();
        n.write_text(&mut out);
        Ok(out)
    }

    fn bin(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        Numeric::parse(s).unwrap().write_binary(&mut out);
        out
    }

    #[test]
    fn text_forms() {
        assert_eq!(text("0", None).unwrap(), "0");
        assert_eq!(text("-0.00", None).unwrap(), "0.00");
        assert_eq!(text("-12.340", None).unwrap(), "-12.340");
        let int = |i: i64| {
            let mut out = String::new();
            Numeric::from_i64(i).write_text(&mut out);
            out
        };
        assert_eq!(int(7), "7");
        assert_eq!(int(-1200), "-1200");
        assert_eq!(int(i64::MIN), "-9223372036854775808");
        assert_eq!(int(0), "0");
        assert_eq!(text("0.0001", None).unwrap(), "0.0001");
        assert_eq!(text("1e20", None).unwrap(), "100000000000000000000");
        assert_eq!(text("1.5e-3", None).unwrap(), "0.0015");
        assert_eq!(text(".5", None).unwrap(), "0.5");
        assert_eq!(text("nan", None).unwrap(), "NaN");
        assert_eq!(text("-inf", None).unwrap(), "-Infinity");
        assert!(text("1.2.3", None).is_err());
        assert!(text("", None).is_err());
        assert!(text("12a", None).is_err());
    }

    #[test]
    fn typmods_round_and_overflow() {
        assert_eq!(text("1", Some((10, 2))).unwrap(), "1.00");
        assert_eq!(text("1.005", Some((10, 2))).unwrap(), "1.01");
        assert_eq!(text("-1.005", Some((10, 2))).unwrap(), "-1.01");
        assert!(text("999.995", Some((5, 2))).is_err());
        assert_eq!(text("99.995", Some((5, 2))).unwrap(), "100.00");
        assert_eq!(text("9.995", Some((5, 2))).unwrap(), "10.00");
        assert_eq!(text("0.004", Some((5, 2))).unwrap(), "0.00");
        assert_eq!(text("1234", Some((5, -2))).unwrap(), "1200");
        assert!(text("Infinity", Some((5, 2))).is_err());
        assert_eq!(text("NaN", Some((5, 2))).unwrap(), "NaN");
    }

    #[test]
    fn binary_digits() {
        // 12345.678: weight 1, groups [1, 2345, 6780], dscale 3
        assert_eq!(
            bin("12345.678"),
            vec![0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c]
        );
        // 0.0001: weight -1, groups [1]
        assert_eq!(bin("0.0001"), vec![0, 1, 0xff, 0xff, 0, 0, 0, 4, 0, 1]);
        // zero with scale
        assert_eq!(bin("0.00"), vec![0, 0, 0, 0, 0, 0, 0, 2]);
        // 1e20: one group 1 with weight 5
        assert_eq!(bin("1e20"), vec![0, 1, 0, 5, 0, 0, 0, 0, 0, 1]);
        assert_eq!(bin("-1"), vec![0, 1, 0, 0, 0x40, 0, 0, 0, 0, 1]);
    }
}
