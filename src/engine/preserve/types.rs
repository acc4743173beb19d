//! Which values can be compared across a column's type change, and how.
//!
//! A column that keeps its type compares by text. A type change compares
//! by text when the text form of every value is meant to survive it (a
//! text-like target, an enum target from text or another enum, the same
//! base type with another length or precision), by number between exact
//! numeric types (so `1.5` → `1.50` is no change but `1.55` → `1.6` is),
//! and otherwise only by how many values are non-NULL: converting text to
//! `jsonb` or `integer` to `double precision` changes the representation,
//! which is what the migration asked for.
//!
//! (Type families belong in one place for the whole crate; until that
//! exists this is the proof's own, small, table.)

use crate::model::{Database, QualifiedName};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Family {
    /// `text`, `varchar`, `char`, `name`, `citext`.
    Text,
    /// `smallint`, `integer`, `bigint`, `numeric`.
    Exact,
    /// An enum type of the model.
    Enum,
    #[default]
    Other,
}

/// How a column's before and after values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Text,
    Number,
    /// The number of non-NULL values only.
    Count,
}

/// The family of a scalar (non-array) type as `format_type` prints it.
pub fn family(data_type: &str) -> Family {
    let (base, dims) = split_array(data_type);
    if dims > 0 {
        return Family::Other;
    }
    match base_name(base).as_str() {
        "text" | "character varying" | "character" | "bpchar" | "name" => Family::Text,
        "smallint" | "integer" | "bigint" | "numeric" => Family::Exact,
        other if other.rsplit('.').next() == Some("citext") => Family::Text,
        _ => Family::Other,
    }
}

/// [`family`], with the model's enum types recognised.
pub fn family_in(data_type: &str, enums: &[QualifiedName]) -> Family {
    let (base, dims) = split_array(data_type);
    if dims == 0 && enums.iter().any(|e| crate::diff::type_refers_to(base, e)) {
        return Family::Enum;
    }
    family(data_type)
}

/// The enum types of a model, for [`family_in`].
pub fn enums_of(db: &Database) -> Vec<QualifiedName> {
    db.enums.keys().cloned().collect()
}

/// How values of a column typed `from` (family `ff`) compare with its
/// values once typed `to` (family `tf`).
pub fn comparison(from: &str, ff: Family, to: &str, tf: Family) -> Comparison {
    if from == to {
        return Comparison::Text;
    }
    let (fb, fd) = split_array(from);
    let (tb, td) = split_array(to);
    if fd != td {
        return Comparison::Count;
    }
    if fd > 0 {
        // Element-wise: arrays of text-like types, or of one base type.
        let text = |t: &str| family(t) == Family::Text;
        return if (text(fb) && text(tb)) || base_name(fb) == base_name(tb) {
            Comparison::Text
        } else {
            Comparison::Count
        };
    }
    match (ff, tf) {
        (Family::Exact, Family::Exact) => Comparison::Number,
        // Every value's text form survives a cast to text, and to an enum
        // (a label the enum lacks makes the cast fail instead).
        (_, Family::Text) | (Family::Text | Family::Enum, Family::Enum) => Comparison::Text,
        _ if base_name(fb) == base_name(tb) => Comparison::Text,
        _ => Comparison::Count,
    }
}

/// `character varying(20)` → `character varying`; `timestamp(3) with
/// time zone` → `timestamp with time zone`.
fn base_name(t: &str) -> String {
    match (t.find('('), t.find(')')) {
        (Some(open), Some(close)) if close > open => {
            format!("{}{}", t[..open].trim_end(), &t[close + 1..])
        }
        _ => t.to_string(),
    }
}

fn split_array(t: &str) -> (&str, usize) {
    let mut base = t;
    let mut dims = 0;
    while let Some(b) = base.strip_suffix("[]") {
        base = b;
        dims += 1;
    }
    (base, dims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(from: &str, to: &str) -> Comparison {
        comparison(from, family(from), to, family(to))
    }

    #[test]
    fn type_changes_compare_as_their_values_survive() {
        assert_eq!(cmp("integer", "integer"), Comparison::Text);
        assert_eq!(
            cmp("character varying(64)", "character varying(16)"),
            Comparison::Text
        );
        assert_eq!(cmp("numeric(10,2)", "numeric(12,4)"), Comparison::Number);
        assert_eq!(cmp("bigint", "integer"), Comparison::Number);
        assert_eq!(cmp("integer", "text"), Comparison::Text);
        assert_eq!(cmp("text", "integer"), Comparison::Count);
        assert_eq!(cmp("text", "jsonb"), Comparison::Count);
        assert_eq!(cmp("real", "double precision"), Comparison::Count);
        assert_eq!(
            cmp(
                "timestamp(6) without time zone",
                "timestamp(0) without time zone"
            ),
            Comparison::Text
        );
        assert_eq!(cmp("text[]", "character varying(3)[]"), Comparison::Text);
        assert_eq!(cmp("integer[]", "bigint[]"), Comparison::Count);
        assert_eq!(cmp("text", "public.citext"), Comparison::Text);
        assert_eq!(
            comparison("public.a", Family::Enum, "public.b", Family::Enum),
            Comparison::Text
        );
    }
}
