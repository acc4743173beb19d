//! User-defined aggregates: create, replace in place (`CREATE OR REPLACE
//! AGGREGATE`) where PostgreSQL allows it, drop and create where it does
//! not, comment, drop. All of them are one [`Change::Aggregate`] variant
//! holding an [`AggregateChange`], rendered by `render::aggregates`.
//!
//! Aggregates are keyed like functions (name, identity arguments), so a
//! changed argument list is a drop of one aggregate and the creation of
//! another. An aggregate built on a function the diff drops (its
//! signature or result changes) is dropped before it and created again
//! after. Views reading a dropped aggregate are rebuilt by
//! [`super::views`], which runs after this.

use super::{Change, CommentTarget};
use crate::model::{Aggregate, Database};

// Whole aggregates by value, like the other kinds' changes (see `Change`).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum AggregateChange {
    Create(Aggregate),
    /// `CREATE OR REPLACE AGGREGATE` (same kind, result and argument
    /// names).
    Replace {
        from: Aggregate,
        to: Aggregate,
    },
    /// `DROP AGGREGATE`, never `CASCADE`.
    Drop(Aggregate),
}

/// Append the changes of aggregates from `from` to `to`. Runs after the
/// functions' diff: what it drops decides what is re-created.
pub(super) fn diff_aggregates(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let dropped: Vec<(crate::model::QualifiedName, String)> = out
        .iter()
        .filter_map(|ch| match ch {
            Change::DropFunction(f) => Some((f.name.clone(), f.identity.clone())),
            _ => None,
        })
        .collect();
    for (key, a) in &to.aggregates {
        let Some(old) = from.aggregates.get(key) else {
            create(a, out);
            continue;
        };
        let dragged = old.uses.iter().any(|u| dropped.contains(u));
        if dragged || (differs(old, a) && !replaceable(old, a)) {
            out.push(Change::Aggregate(AggregateChange::Drop(old.clone())));
            create(a, out);
            continue;
        }
        if differs(old, a) {
            out.push(Change::Aggregate(AggregateChange::Replace {
                from: old.clone(),
                to: a.clone(),
            }));
        }
        if old.comment != a.comment {
            out.push(comment(a));
        }
    }
    for (key, a) in &from.aggregates {
        if !to.aggregates.contains_key(key) {
            out.push(Change::Aggregate(AggregateChange::Drop(a.clone())));
        }
    }
}

/// Whether a routine the changes create takes the signature of the
/// dropped aggregate `a` (its re-creation, or a new routine of the same
/// name and argument types): a view reading `a` must then be dropped
/// before it and created after. Otherwise a view that no longer reads it
/// is replaced in place before the drop.
pub fn retaken(a: &Aggregate, changes: &[Change]) -> bool {
    changes.iter().any(|ch| match ch {
        Change::Aggregate(AggregateChange::Create(b)) => {
            b.name == a.name && b.signature == a.signature
        }
        Change::CreateFunction(f) => f.name == a.name && f.signature == a.signature,
        _ => false,
    })
}

/// Whether the definitions differ (the comment aside).
fn differs(old: &Aggregate, new: &Aggregate) -> bool {
    old.arguments != new.arguments || old.kind != new.kind || old.attrs != new.attrs
}

/// Whether `CREATE OR REPLACE AGGREGATE` can turn `old` into `new`:
/// PostgreSQL refuses to change the kind (normal, ordered-set,
/// hypothetical), the number of direct arguments, the result type (the
/// final function's) or the names of the arguments.
pub fn replaceable(old: &Aggregate, new: &Aggregate) -> bool {
    old.kind == new.kind && old.result == new.result && old.arguments == new.arguments
}

fn create(a: &Aggregate, out: &mut Vec<Change>) {
    out.push(Change::Aggregate(AggregateChange::Create(a.clone())));
    if a.comment.is_some() {
        out.push(comment(a));
    }
}

fn comment(a: &Aggregate) -> Change {
    Change::SetComment {
        target: CommentTarget::Aggregate {
            name: a.name.clone(),
            identity: a.identity.clone(),
        },
        comment: a.comment.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AggregateAttrs, QualifiedName};

    fn agg(args: &str, initcond: Option<&str>, result: &str) -> Aggregate {
        Aggregate {
            name: QualifiedName::new("public", "g"),
            identity: args.into(),
            arguments: args.into(),
            result: result.into(),
            kind: 'n',
            attrs: AggregateAttrs {
                sfunc: "public.f".into(),
                stype: "text".into(),
                initcond: initcond.map(str::to_string),
                parallel: "u".into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn run(a: Aggregate, b: Aggregate) -> Vec<&'static str> {
        let mut from = Database::default();
        let mut to = Database::default();
        from.aggregates
            .insert((a.name.clone(), a.identity.clone()), a);
        to.aggregates
            .insert((b.name.clone(), b.identity.clone()), b);
        let mut out = Vec::new();
        diff_aggregates(&from, &to, &mut out);
        out.iter()
            .map(|c| match c {
                Change::Aggregate(AggregateChange::Create(_)) => "create",
                Change::Aggregate(AggregateChange::Replace { .. }) => "replace",
                Change::Aggregate(AggregateChange::Drop(_)) => "drop",
                _ => "other",
            })
            .collect()
    }

    #[test]
    fn attributes_replace_in_place_result_change_recreates() {
        assert_eq!(
            run(agg("text", None, "text"), agg("text", Some(""), "text")),
            ["replace"]
        );
        let mut counted = agg("text", None, "integer");
        counted.attrs.finalfunc = Some("length".into());
        assert_eq!(run(agg("text", None, "text"), counted), ["drop", "create"]);
        assert!(run(agg("text", None, "text"), agg("text", None, "text")).is_empty());
    }
}
