//! Column-level comparison: what `ALTER COLUMN` steps turn one column into
//! another, in the order they must run.

use crate::model::{Column, Identity, IdentityKind, QualifiedName, Sequence, StandaloneSequence};

#[derive(Clone, Debug, PartialEq)]
pub enum ColumnChange {
    /// Drop the identity property (before a type or default change).
    DropIdentity,
    /// Drop the default and the owned sequence of a serial column.
    DropSerial(Sequence),
    DropDefault,
    /// A stored generated column becomes a plain column (PG 13+).
    DropExpression,
    /// Fill the column with the values `expression` (the generation
    /// expression of the VIRTUAL column it replaces) gives each row: a
    /// virtual column becoming a plain one keeps its values, as a stored
    /// one does with `DropExpression` (PostgreSQL 18 refuses DROP
    /// EXPRESSION on a virtual column, so the column is dropped and
    /// added again, then filled).
    Backfill(String),
    /// New type and/or collation. `lossy`: values may not survive (refused
    /// without `--allow-destructive`); `rewrite`: the table is rewritten.
    Type {
        lossy: bool,
        rewrite: bool,
    },
    SetDefault(String),
    SetNotNull,
    DropNotNull,
    /// Create the column's own sequence (named as `name` says, else
    /// PostgreSQL's default name) and draw the default from it.
    AddSerial(Sequence),
    /// Make the standalone sequence the default already draws from the
    /// column's own (`OWNED BY`), with the declared options; `set_default`
    /// when a type change dropped the default first.
    AdoptSerial {
        sequence: QualifiedName,
        options: Sequence,
        set_default: bool,
    },
    AlterSerial(Sequence),
    /// The reverse of `AdoptSerial`: the sequence stays (the default still
    /// draws from it) but no longer belongs to the column (`OWNED BY NONE`).
    ReleaseSerial(QualifiedName),
    AddIdentity(Identity),
    /// `CREATE SEQUENCE` of a standalone sequence that takes the name of
    /// the column's own (identity or serial) sequence dropped just before:
    /// it must run between that drop and the new default, so it is a step
    /// of this column's change rather than a change of its own.
    CreateSequence(StandaloneSequence),
    /// `DROP SEQUENCE` of a standalone sequence whose name the column's new
    /// identity sequence takes: after the default stops using it, before
    /// the identity is added (PostgreSQL would pick `…_seq1` otherwise).
    DropSequence(StandaloneSequence),
    SetIdentityKind(IdentityKind),
    AlterIdentitySequence(Sequence),
}

/// Whether `to` can be reached from `from` with `ALTER COLUMN` at all;
/// `false` means the column must be dropped and added again (a plain
/// column becoming generated, a new generation expression, STORED and
/// VIRTUAL trading places, or a VIRTUAL column becoming plain: PostgreSQL
/// 18 has no DROP EXPRESSION for those).
///
/// A new expression of a VIRTUAL column could be `SET EXPRESSION`, but
/// PostgreSQL 18 refuses that on any table with a CHECK constraint, so
/// it is rebuilt like a stored one (nothing is stored: nothing is lost).
pub fn alterable(from: &Column, to: &Column) -> bool {
    match (&from.generated, &to.generated) {
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a == b && from.generated_virtual == to.generated_virtual,
        (Some(_), None) => !from.generated_virtual,
        (None, None) => true,
    }
}

/// A VIRTUAL generated column that becomes a plain one: rebuilt, then
/// filled from its old expression ([`ColumnChange::Backfill`]).
pub fn virtual_to_plain(from: &Column, to: &Column) -> bool {
    from.generated.is_some() && from.generated_virtual && to.generated.is_none()
}

/// Sequences compare on their options, names aside, with the `AS` type made
/// explicit: catalog models leave it unset when it equals the column type,
/// so a column type change alone must not hide a sequence type difference.
fn seq_eq(a: &Sequence, a_col: &str, b: &Sequence, b_col: &str) -> bool {
    let norm = |s: &Sequence, col: &str| {
        let mut s = s.clone();
        s.name = None;
        s.data_type.get_or_insert_with(|| col.to_string());
        s
    };
    norm(a, a_col) == norm(b, b_col)
}

/// The steps from `from` to `to`, in execution order (empty: equal).
/// Requires `alterable(from, to)`.
pub fn compare(from: &Column, to: &Column) -> Vec<ColumnChange> {
    let mut out = Vec::new();
    let type_changes = from.data_type != to.data_type || from.collation != to.collation;
    let serial_gone = from.serial.is_some() && to.serial.is_none();
    let identity_gone = from.identity.is_some() && to.identity.is_none();

    if identity_gone {
        out.push(ColumnChange::DropIdentity);
    }
    if let (true, Some(seq)) = (serial_gone, &from.serial) {
        out.push(ColumnChange::DropSerial(seq.clone()));
    }
    // A default must go before a type change (it may not cast) and comes
    // back afterwards.
    let default_changes = from.default != to.default;
    let drop_default = from.default.is_some() && (default_changes || type_changes);
    if drop_default {
        out.push(ColumnChange::DropDefault);
    }
    if from.generated.is_some() && to.generated.is_none() {
        out.push(ColumnChange::DropExpression);
    }
    if type_changes {
        let (lossy, rewrite) = classify_type_change(&from.data_type, &to.data_type);
        let coll = from.collation != to.collation;
        out.push(ColumnChange::Type {
            lossy,
            rewrite: rewrite || coll,
        });
    }
    if let Some(d) = &to.default {
        if drop_default || from.default.is_none() {
            out.push(ColumnChange::SetDefault(d.clone()));
        }
    }
    if to.not_null && !from.not_null {
        out.push(ColumnChange::SetNotNull);
    }
    if !to.not_null && from.not_null {
        out.push(ColumnChange::DropNotNull);
    }
    match (&from.serial, &to.serial) {
        (None, Some(s)) => out.push(ColumnChange::AddSerial(s.clone())),
        (Some(a), Some(b)) if !seq_eq(a, &from.data_type, b, &to.data_type) => {
            out.push(ColumnChange::AlterSerial(b.clone()))
        }
        _ => {}
    }
    match (&from.identity, &to.identity) {
        (None, Some(i)) => out.push(ColumnChange::AddIdentity(i.clone())),
        (Some(a), Some(b)) => {
            if a.kind != b.kind {
                out.push(ColumnChange::SetIdentityKind(b.kind.clone()));
            }
            if !seq_eq(&a.sequence, &from.data_type, &b.sequence, &to.data_type) {
                out.push(ColumnChange::AlterIdentitySequence(b.sequence.clone()));
            }
        }
        _ => {}
    }
    out
}

/// `(lossy, rewrite)` for a type change, from PostgreSQL's `format_type`
/// names: [`crate::pg::types::conversion`]'s verdict. Conservative:
/// anything not known to be safe is lossy.
pub fn classify_type_change(from: &str, to: &str) -> (bool, bool) {
    let c = crate::pg::types::conversion(from, to);
    (c.loss.is_destructive(), c.rewrite)
}

/// Whether a default expression is volatile enough that `ADD COLUMN` with
/// it rewrites the table (PostgreSQL 11+ stores non-volatile defaults in the
/// catalog instead). A name list: the catalog would know for sure, but
/// this only decides a warning comment.
pub fn default_is_volatile(expr: &str) -> bool {
    const VOLATILE: &[&str] = &[
        "random(",
        "gen_random_uuid(",
        "uuid_generate_v1",
        "uuid_generate_v4",
        "clock_timestamp(",
        "timeofday(",
        "nextval(",
        "statement_timestamp(",
    ];
    let e = expr.to_ascii_lowercase();
    VOLATILE.iter().any(|f| e.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_change_classes() {
        assert_eq!(classify_type_change("integer", "bigint"), (false, true));
        assert_eq!(classify_type_change("bigint", "integer"), (true, true));
        assert_eq!(
            classify_type_change("character varying(20)", "character varying(40)"),
            (false, false)
        );
        assert_eq!(
            classify_type_change("character varying(40)", "character varying(20)"),
            (true, true)
        );
        assert_eq!(
            classify_type_change("character varying(40)", "text"),
            (false, false)
        );
        assert_eq!(
            classify_type_change("numeric(10,2)", "numeric(12,2)"),
            (false, false)
        );
        assert_eq!(
            classify_type_change("numeric(10,3)", "numeric(10,2)"),
            (true, true)
        );
        assert_eq!(
            classify_type_change("numeric(10,2)", "numeric"),
            (false, false)
        );
        assert_eq!(classify_type_change("text", "integer"), (true, true));
        assert_eq!(classify_type_change("integer", "text"), (false, true));
        assert_eq!(classify_type_change("integer[]", "bigint"), (true, true));
    }

    #[test]
    fn default_dropped_around_type_change() {
        let from = Column {
            name: "n".into(),
            data_type: "integer".into(),
            default: Some("0".into()),
            ..Default::default()
        };
        let to = Column {
            data_type: "bigint".into(),
            ..from.clone()
        };
        assert_eq!(
            compare(&from, &to),
            vec![
                ColumnChange::DropDefault,
                ColumnChange::Type {
                    lossy: false,
                    rewrite: true
                },
                ColumnChange::SetDefault("0".into())
            ]
        );
    }
}
