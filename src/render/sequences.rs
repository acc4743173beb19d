//! Standalone sequences: create, alter options, `OWNED BY`, rename, drop.
//!
//! `ALTER SEQUENCE` spells every option out: an option left out keeps its
//! old value, and after an `AS` change PostgreSQL would otherwise move the
//! bounds by its own rule. PostgreSQL refuses bounds (or a type) the
//! current value no longer fits in; the statement says so.

use super::column_def::sequence_options;
use super::{Hazard, Statement};
use crate::model::{quote_ident, QualifiedName, Sequence, StandaloneSequence};

pub fn create(s: &StandaloneSequence) -> Statement {
    let opts = sequence_options(&s.options, false);
    let sep = if opts.is_empty() { "" } else { " " };
    Statement::new(format!("CREATE SEQUENCE {}{sep}{opts};", s.name.quoted()))
        .from_origin(&s.origin)
}

pub fn drop(s: &StandaloneSequence) -> Statement {
    Statement::new(format!("DROP SEQUENCE {};", s.name.quoted())).with([Hazard::DataLoss {
        what: format!("drops sequence {} and its current value", s.name.ident()),
    }])
}

pub fn alter(name: &QualifiedName, from: &Sequence, to: &Sequence) -> Statement {
    let mut s = to.clone();
    if s.data_type.is_none() {
        s.data_type = Some("bigint".into());
    }
    let stmt = Statement::new(format!(
        "ALTER SEQUENCE {} {};",
        name.quoted(),
        sequence_options(&s, true)
    ));
    if narrows(from, to) {
        stmt.with([Hazard::MayFail {
            why: "PostgreSQL refuses the new type or bounds if the sequence's current value \
                  does not fit in them",
        }])
    } else {
        stmt
    }
}

/// Whether the new type or bounds may leave out the current value.
fn narrows(from: &Sequence, to: &Sequence) -> bool {
    let width = |t: &Option<String>| match t.as_deref() {
        Some("smallint") => 2,
        Some("integer") => 4,
        _ => 8,
    };
    let ascending = |s: &Sequence| s.increment.unwrap_or(1) > 0;
    width(&to.data_type) < width(&from.data_type)
        || ascending(from) != ascending(to)
        || (to.min_value.is_some() && to.min_value != from.min_value)
        || (to.max_value.is_some() && to.max_value != from.max_value)
}

pub fn set_owner(name: &QualifiedName, owner: Option<&(QualifiedName, String)>) -> Statement {
    let target = match owner {
        Some((t, c)) => format!("{}.{}", t.quoted(), quote_ident(c)),
        None => "NONE".into(),
    };
    Statement::new(format!(
        "ALTER SEQUENCE {} OWNED BY {target};",
        name.quoted()
    ))
}

pub fn rename(from: &QualifiedName, to: &str) -> Statement {
    super::table::rename_sequence(from, to).with([Hazard::Renamed { on: from.clone() }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_is_flagged_widening_is_not() {
        let int = Sequence {
            data_type: Some("integer".into()),
            ..Default::default()
        };
        assert!(narrows(&Sequence::default(), &int));
        assert!(!narrows(&int, &Sequence::default()));
        let capped = Sequence {
            max_value: Some(100),
            ..Default::default()
        };
        assert!(narrows(&Sequence::default(), &capped));
        assert!(!narrows(&capped, &Sequence::default()));
    }

    #[test]
    fn create_spells_only_what_is_set() {
        let s = StandaloneSequence {
            name: QualifiedName::new("public", "s"),
            ..Default::default()
        };
        assert_eq!(create(&s).sql, "CREATE SEQUENCE \"public\".\"s\";");
    }
}
