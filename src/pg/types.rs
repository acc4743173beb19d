//! PostgreSQL's built-in types as families, and what converting a column
//! from one type to another does to its values: one table that `diff` (is
//! the change destructive? does it rewrite the table?) and `render` (which
//! `USING` keeps PostgreSQL able to refuse a value?) both read.
//!
//! Type names are `format_type` text (`character varying(20)`,
//! `timestamp(3) with time zone`, `numeric(10,2)[]`); the short spellings
//! (`varchar`, `int4`, `timestamptz` …) are accepted too.
//!
//! The rule the table serves: a conversion may never change a value
//! silently. Either every value survives ([`Loss::None`]), or PostgreSQL
//! raises an error for a value that does not fit ([`Loss::Refused`] — for
//! length limits only when no explicit cast is written, since an explicit
//! cast to `varchar(n)` truncates), or it would round or cut a value
//! without an error ([`Loss::Silent`]) and the rendering must guard the
//! conversion ([`Using::Guarded`]).

/// A base type (without array dimensions and modifiers) strata knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Int2,
    Int4,
    Int8,
    Numeric,
    Float4,
    Float8,
    Varchar,
    Char,
    Text,
    Bit,
    VarBit,
    Timestamp,
    Timestamptz,
    Time,
    Timetz,
    Date,
}

/// Every spelling of the known base types: `format_type`'s first.
const NAMES: &[(&str, Base)] = &[
    ("smallint", Base::Int2),
    ("int2", Base::Int2),
    ("integer", Base::Int4),
    ("int", Base::Int4),
    ("int4", Base::Int4),
    ("bigint", Base::Int8),
    ("int8", Base::Int8),
    ("numeric", Base::Numeric),
    ("decimal", Base::Numeric),
    ("real", Base::Float4),
    ("float4", Base::Float4),
    ("double precision", Base::Float8),
    ("float8", Base::Float8),
    ("character varying", Base::Varchar),
    ("varchar", Base::Varchar),
    ("character", Base::Char),
    ("bpchar", Base::Char),
    ("text", Base::Text),
    ("bit", Base::Bit),
    ("bit varying", Base::VarBit),
    ("varbit", Base::VarBit),
    ("timestamp without time zone", Base::Timestamp),
    ("timestamp", Base::Timestamp),
    ("timestamp with time zone", Base::Timestamptz),
    ("timestamptz", Base::Timestamptz),
    ("time without time zone", Base::Time),
    ("time", Base::Time),
    ("time with time zone", Base::Timetz),
    ("timetz", Base::Timetz),
    ("date", Base::Date),
];

/// Decimal digits of the largest value of each integer type: what a
/// `numeric(p,s)` needs left of the point to hold all of them.
fn int_digits(b: Base) -> u32 {
    match b {
        Base::Int2 => 5,
        Base::Int4 => 10,
        _ => 19,
    }
}

fn int_bytes(b: Base) -> Option<u8> {
    match b {
        Base::Int2 => Some(2),
        Base::Int4 => Some(4),
        Base::Int8 => Some(8),
        _ => None,
    }
}

/// A parsed type name.
#[derive(Clone, Debug, PartialEq)]
struct Parsed {
    /// `None`: a type strata has no rules for (enums, domains, uuid, …).
    base: Option<Base>,
    /// The name without modifiers and array brackets, as written.
    name: String,
    /// Type modifiers: `(20)` → [20], `(10,2)` → [10, 2].
    mods: Vec<u32>,
    dims: usize,
}

fn parse(t: &str) -> Parsed {
    let mut base = t.trim();
    let mut dims = 0;
    while let Some(b) = base.strip_suffix("[]") {
        base = b.trim_end();
        dims += 1;
    }
    // `timestamp(3) with time zone`: the modifier sits inside the name.
    let (name, mods) = match (base.find('('), base.find(')')) {
        (Some(i), Some(j)) if i < j => {
            let mods = base[i + 1..j]
                .split(',')
                .filter_map(|m| m.trim().parse().ok())
                .collect();
            let rest = format!("{} {}", base[..i].trim_end(), base[j + 1..].trim_start());
            (rest.trim().to_string(), mods)
        }
        _ => (base.to_string(), Vec::new()),
    };
    let lower = name.to_ascii_lowercase();
    let known = NAMES.iter().find(|(n, _)| *n == lower).map(|(_, b)| *b);
    Parsed {
        base: known,
        name,
        mods,
        dims,
    }
}

/// What a conversion can do to the values of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// Every value converts to an equal value.
    None,
    /// A value that does not fit (overflow, too long, bad input) makes
    /// PostgreSQL raise an error: nothing is changed silently, but the
    /// migration can fail on existing rows.
    Refused,
    /// PostgreSQL would round or cut some values without an error (scale,
    /// precision, time of day): only a guarded `USING` keeps them safe.
    Silent,
    /// Values keep their digits but change meaning (`timestamptz` →
    /// `timestamp` drops the zone: the instant becomes a local time of
    /// the session's `TimeZone`).
    Reinterpreted,
}

impl Loss {
    /// Refused without `--allow-destructive`.
    pub fn is_destructive(self) -> bool {
        self != Loss::None
    }
}

/// How `ALTER COLUMN … TYPE` must convert the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Using {
    /// `USING col::type`: an explicit cast, which never changes a value
    /// silently for this pair (it converts, or raises).
    Cast,
    /// No `USING`: PostgreSQL's assignment conversion, which raises for a
    /// value longer than a length limit where an explicit cast would
    /// truncate it (`varchar(n)`, `character(n)`, `bit(n)`).
    Assignment,
    /// `USING CASE WHEN <value survives the round trip> THEN col::type ELSE
    /// <error> END`: the cast rounds or cuts without an error, so every
    /// value is checked first (see [`guarded_using`]).
    Guarded,
}

/// The verdict on one type change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    pub loss: Loss,
    /// The table is rewritten (its indexes rebuilt) rather than the
    /// change being a catalog update.
    pub rewrite: bool,
    pub using: Using,
}

const fn conv(loss: Loss, rewrite: bool, using: Using) -> Conversion {
    Conversion {
        loss,
        rewrite,
        using,
    }
}

/// Classify a change of a column's type from `from` to `to` (both
/// `format_type` text). Pairs without a rule are destructive with an
/// explicit cast: PostgreSQL's cast decides, strata cannot vouch for it.
pub fn conversion(from: &str, to: &str) -> Conversion {
    if from == to {
        return conv(Loss::None, false, Using::Cast);
    }
    let (f, t) = (parse(from), parse(to));
    if f.dims != t.dims {
        return conv(Loss::Refused, true, Using::Cast);
    }
    if f.name == t.name && f.mods == t.mods {
        return conv(Loss::None, false, Using::Cast);
    }
    match (f.base, t.base) {
        (Some(a), Some(b)) => known(a, &f.mods, b, &t.mods),
        // Anything prints as text; citext (any schema) holds every string.
        (_, Some(Base::Text)) => conv(Loss::None, true, Using::Cast),
        (Some(Base::Text | Base::Varchar | Base::Char), None) if is_citext(&t.name) => {
            conv(Loss::None, true, Using::Cast)
        }
        // Any type converts to a string type through its output function
        // in an assignment, which raises when the text is too long.
        (_, Some(b @ (Base::Varchar | Base::Char))) => {
            if b == Base::Varchar && t.mods.is_empty() {
                conv(Loss::None, true, Using::Cast)
            } else {
                conv(Loss::Refused, true, Using::Assignment)
            }
        }
        _ => conv(Loss::Refused, true, Using::Cast),
    }
}

fn is_citext(name: &str) -> bool {
    name.rsplit('.').next() == Some("citext")
}

/// Both types known: the family rules.
fn known(a: Base, am: &[u32], b: Base, bm: &[u32]) -> Conversion {
    use Base::*;
    let m = |mods: &[u32], i: usize| mods.get(i).copied();
    match (a, b) {
        (Int2 | Int4 | Int8, Int2 | Int4 | Int8) => {
            let loss = if int_bytes(b) < int_bytes(a) {
                Loss::Refused
            } else {
                Loss::None
            };
            conv(loss, true, Using::Cast)
        }
        (Int2 | Int4 | Int8, Numeric) => {
            let fits = match (m(bm, 0), m(bm, 1).unwrap_or(0)) {
                (None, _) => true,
                (Some(p), s) => p.saturating_sub(s) >= int_digits(a),
            };
            conv(loss_if(!fits, Loss::Refused), true, Using::Cast)
        }
        // A float's mantissa holds 24 (real) or 53 (double) bits.
        (Int2, Float4 | Float8) | (Int4, Float8) | (Float4, Float8) => {
            conv(Loss::None, true, Using::Cast)
        }
        (Int4 | Int8, Float4) | (Int8, Float8) | (Float8, Float4) => guarded(),
        (Numeric, Numeric) => numeric(am, bm),
        (Numeric | Float4 | Float8, Int2 | Int4 | Int8 | Numeric | Float4 | Float8) => guarded(),
        (Varchar | Char | Text, Varchar | Char | Text) => string(a, am, b, bm),
        (Bit | VarBit, Bit | VarBit) => bits(a, am, b, bm),
        (Timestamp | Timestamptz, Timestamp | Timestamptz) => timestamp(a, am, b, bm),
        (Time, Time) | (Timetz, Timetz) | (Time, Timetz) => {
            if precision_shrinks(am, bm) {
                guarded()
            } else {
                conv(Loss::None, true, Using::Cast)
            }
        }
        (Timestamp | Timestamptz, Date) => guarded(),
        (Date, Timestamp | Timestamptz) => conv(Loss::None, true, Using::Cast),
        (_, Text) => conv(Loss::None, true, Using::Cast),
        (_, Varchar) if bm.is_empty() => conv(Loss::None, true, Using::Cast),
        (_, Varchar | Char) => conv(Loss::Refused, true, Using::Assignment),
        _ => conv(Loss::Refused, true, Using::Cast),
    }
}

fn loss_if(cond: bool, loss: Loss) -> Loss {
    if cond {
        loss
    } else {
        Loss::None
    }
}

fn guarded() -> Conversion {
    conv(Loss::Silent, true, Using::Guarded)
}

/// numeric(p,s) → numeric(p2,s2). A smaller scale rounds (silently); fewer
/// integer digits overflow (PostgreSQL raises). Unconstrained numeric
/// holds every value; only a pure precision increase skips the rewrite.
fn numeric(am: &[u32], bm: &[u32]) -> Conversion {
    let ps = |m: &[u32]| m.first().map(|p| (*p, m.get(1).copied().unwrap_or(0)));
    match (ps(am), ps(bm)) {
        (_, None) => conv(Loss::None, false, Using::Cast),
        (None, Some(_)) => guarded(),
        (Some((p1, s1)), Some((p2, s2))) => {
            let rewrite = !(s1 == s2 && p2 >= p1);
            if s2 < s1 {
                guarded()
            } else if p2.saturating_sub(s2) < p1.saturating_sub(s1) {
                conv(Loss::Refused, rewrite, Using::Cast)
            } else {
                conv(Loss::None, rewrite, Using::Cast)
            }
        }
    }
}

/// Between `text`, `varchar(n)` and `character(n)`. A shorter (or any)
/// limit is checked by the assignment conversion; `character(n)` pads
/// with spaces, which PostgreSQL treats as insignificant (they are
/// stripped when it becomes text again).
fn string(a: Base, am: &[u32], b: Base, bm: &[u32]) -> Conversion {
    use Base::*;
    // `character` without a length is character(1).
    let limit = |base: Base, m: &[u32]| match base {
        Char => Some(m.first().copied().unwrap_or(1)),
        Varchar => m.first().copied(),
        _ => None,
    };
    let (la, lb) = (limit(a, am), limit(b, bm));
    let shrinks = match (la, lb) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y < x,
    };
    if shrinks {
        return conv(Loss::Refused, true, Using::Assignment);
    }
    // Binary-coercible: varchar widening, varchar/text to unlimited
    // varchar or text.
    let free = matches!((a, b), (Varchar | Text, Varchar | Text)) && lb.is_none()
        || (a == Varchar && b == Varchar);
    conv(Loss::None, !free, Using::Cast)
}

fn bits(a: Base, am: &[u32], b: Base, bm: &[u32]) -> Conversion {
    let len = |m: &[u32], base: Base| match base {
        Base::Bit => Some(m.first().copied().unwrap_or(1)),
        _ => m.first().copied(),
    };
    let (la, lb) = (len(am, a), len(bm, b));
    // bit(n) takes exactly n bits: a value of another length (any
    // varbit, a bit(m) of m != n) raises on assignment.
    let fits = b == Base::VarBit
        && match (la, lb) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(x), Some(y)) => y >= x,
        };
    if fits {
        conv(Loss::None, b == Base::Bit, Using::Cast)
    } else {
        conv(Loss::Refused, true, Using::Assignment)
    }
}

/// Fractional-second precision (default 6) that shrinks rounds silently;
/// dropping the zone reinterprets every value.
fn timestamp(a: Base, am: &[u32], b: Base, bm: &[u32]) -> Conversion {
    if precision_shrinks(am, bm) {
        return guarded();
    }
    match (a, b) {
        (Base::Timestamptz, Base::Timestamp) => conv(Loss::Reinterpreted, true, Using::Cast),
        _ if a != b => conv(Loss::None, true, Using::Cast),
        _ => conv(Loss::None, false, Using::Cast),
    }
}

fn precision_shrinks(am: &[u32], bm: &[u32]) -> bool {
    bm.first().copied().unwrap_or(6) < am.first().copied().unwrap_or(6)
}

/// `USING` for a [`Using::Guarded`] conversion of `col` (quoted) from
/// `from` to `to`: the cast when the value comes back equal through the
/// round trip, otherwise a cast of an explanatory text to `to`, which
/// raises `invalid input syntax for type …: "strata: … does not fit …"`.
/// The text contains the value, so the planner cannot fold it into a
/// constant and raise it for every row (PostgreSQL evaluates constant
/// subexpressions of a `CASE` at plan time).
pub fn guarded_using(col: &str, from: &str, to: &str) -> String {
    let message = crate::model::quote_literal(&format!(
        "strata: {} value does not fit {to} unchanged: ",
        crate::escape::line(col)
    ));
    format!(
        "CASE WHEN {col}::{to}::{from} IS NOT DISTINCT FROM {col} THEN {col}::{to} \
         ELSE ({message} || {col}::text)::{to} END"
    )
}

/// The `serial` pseudo-type that creates a column of integer type `t`
/// with its own sequence (`smallserial`, `serial`, `bigserial`).
pub fn serial_for(t: &str) -> &'static str {
    match parse(t).base {
        Some(Base::Int2) => "smallserial",
        Some(Base::Int8) => "bigserial",
        _ => "serial",
    }
}

/// The integer type a `serial` spelling stands for, or `None` for any
/// other type name.
pub fn serial_base(t: &str) -> Option<&'static str> {
    match t.trim().to_ascii_lowercase().as_str() {
        "smallserial" | "serial2" => Some("smallint"),
        "serial" | "serial4" => Some("integer"),
        "bigserial" | "serial8" => Some("bigint"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(f: &str, t: &str) -> (Loss, bool, Using) {
        let x = conversion(f, t);
        (x.loss, x.rewrite, x.using)
    }

    #[test]
    fn parsing_keeps_modifiers_inside_names() {
        let p = parse("timestamp(3) with time zone[]");
        assert_eq!(p.base, Some(Base::Timestamptz));
        assert_eq!((p.mods.as_slice(), p.dims), (&[3][..], 1));
        assert_eq!(parse("numeric(10,2)").mods, vec![10, 2]);
        assert_eq!(parse("public.job_status").base, None);
    }

    #[test]
    fn integers_and_numerics() {
        use Loss::*;
        assert_eq!(c("integer", "bigint"), (None, true, Using::Cast));
        assert_eq!(c("bigint", "integer"), (Refused, true, Using::Cast));
        assert_eq!(c("integer", "smallint").0, Refused);
        assert_eq!(c("integer", "numeric(10,0)").0, None);
        assert_eq!(c("integer", "numeric(9,0)").0, Refused);
        assert_eq!(c("bigint", "double precision").2, Using::Guarded);
        assert_eq!(
            c("numeric(10,2)", "numeric(12,2)"),
            (None, false, Using::Cast)
        );
        assert_eq!(
            c("numeric(12,4)", "numeric(10,2)"),
            (Silent, true, Using::Guarded)
        );
        assert_eq!(
            c("numeric(12,2)", "numeric(10,2)"),
            (Refused, true, Using::Cast)
        );
        assert_eq!(c("numeric(10,2)", "numeric"), (None, false, Using::Cast));
        assert_eq!(c("numeric", "numeric(10,2)").2, Using::Guarded);
        assert_eq!(c("numeric(10,2)", "integer").2, Using::Guarded);
        assert_eq!(c("double precision", "real").2, Using::Guarded);
        assert_eq!(c("real", "double precision").0, None);
    }

    #[test]
    fn strings_narrow_by_assignment() {
        use Loss::*;
        let v = |a, b| c(a, b);
        assert_eq!(
            v("character varying(20)", "character varying(40)"),
            (None, false, Using::Cast)
        );
        assert_eq!(
            v("character varying(64)", "character varying(16)"),
            (Refused, true, Using::Assignment)
        );
        assert_eq!(
            v("character varying(40)", "text"),
            (None, false, Using::Cast)
        );
        assert_eq!(v("text", "character varying(100)").2, Using::Assignment);
        assert_eq!(v("text", "character(3)").2, Using::Assignment);
        assert_eq!(v("character(3)", "text").0, None);
        assert_eq!(v("integer", "character varying(2)").2, Using::Assignment);
        assert_eq!(
            v("character varying(5)[]", "character varying(3)[]").2,
            Using::Assignment
        );
        assert_eq!(v("bit(4)", "bit(2)").2, Using::Assignment);
        assert_eq!(v("text", "public.citext").0, None);
    }

    #[test]
    fn times() {
        use Loss::*;
        assert_eq!(
            c("timestamp without time zone", "timestamp with time zone").0,
            None
        );
        assert_eq!(
            c("timestamp with time zone", "timestamp without time zone").0,
            Reinterpreted
        );
        assert_eq!(
            c("timestamp with time zone", "timestamp(0) with time zone").2,
            Using::Guarded
        );
        assert_eq!(c("timestamp with time zone", "date").2, Using::Guarded);
        assert_eq!(c("date", "timestamp without time zone").0, None);
    }

    #[test]
    fn unknown_pairs_are_destructive_casts() {
        assert_eq!(c("text", "integer"), (Loss::Refused, true, Using::Cast));
        assert_eq!(c("integer", "text"), (Loss::None, true, Using::Cast));
        assert_eq!(c("integer[]", "bigint").0, Loss::Refused);
        assert_eq!(c("public.a", "public.b").0, Loss::Refused);
    }

    #[test]
    fn guard_text() {
        assert_eq!(
            guarded_using("\"n\"", "numeric(12,4)", "numeric(10,2)"),
            "CASE WHEN \"n\"::numeric(10,2)::numeric(12,4) IS NOT DISTINCT FROM \"n\" THEN \"n\"::numeric(10,2) ELSE ('strata: \"n\" value does not fit numeric(10,2) unchanged: ' || \"n\"::text)::numeric(10,2) END"
        );
    }

    #[test]
    fn serial_names() {
        assert_eq!(serial_for("bigint"), "bigserial");
        assert_eq!(serial_for("int2"), "smallserial");
        assert_eq!(serial_for("integer"), "serial");
        assert_eq!(serial_base("BIGSERIAL"), Some("bigint"));
        assert_eq!(serial_base("text"), None);
    }
}
