//! Partitioning in YAML: `partition_by:` on a partitioned table, and a
//! partition as a table entry with `partition_of:` (its parent) and
//! `bound:` (`FOR VALUES …` or `default`), without columns — a
//! partition's columns are its parent's.
//!
//! ```yaml
//! tables:
//!   payment:
//!     partition_by: RANGE (payment_date)
//!     columns: { id: bigint, payment_date: timestamptz not null }
//!   payment_2022_01:
//!     partition_of: payment
//!     bound: FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')
//!   payment_rest:
//!     partition_of: payment
//!     bound: default
//! ```

use marked_yaml::types::MarkedMappingNode;

use super::decode::{FkRef, TableDecl};
use super::resolve::{lookup_table, Issues};
use super::yaml::{did_you_mean, is_null, node_pos, Reader};
use crate::model::{PartitionOf, QualifiedName, Table};
use crate::pg::ident::split_dotted;

/// Read `partition_by`, `partition_of` and `bound` of a table entry.
pub(super) fn decode(r: &mut Reader<'_>, m: &MarkedMappingNode, ctx: &str, decl: &mut TableDecl) {
    let text = |r: &mut Reader<'_>, key: &str, what: &str| {
        m.get_node(key)
            .filter(|n| !is_null(n))
            .and_then(|n| r.string(n, what).map(|s| (s, node_pos(n))))
    };
    decl.table.partition_by = text(
        r,
        "partition_by",
        "a partition key, e.g. RANGE (created_at)",
    )
    .map(|(s, _)| s);
    let parent = text(r, "partition_of", "the partitioned table's name");
    let bound = text(r, "bound", "FOR VALUES … or default");
    match (parent, bound) {
        (Some((p, ppos)), Some((b, _))) => {
            let parts = match split_dotted(&p) {
                Ok(parts) => parts,
                Err(e) => {
                    r.error(ppos, e);
                    vec![p.clone()]
                }
            };
            decl.partition_ref = Some(FkRef {
                table: parts,
                origin: r.origin(ppos),
            });
            let bound = match b.trim().eq_ignore_ascii_case("default") {
                true => "DEFAULT".to_string(),
                false => b,
            };
            decl.table.partition_of = Some(PartitionOf {
                parent: QualifiedName::default(),
                bound,
            });
            for key in ["columns", "mixins"] {
                if let Some(c) = m.get_node(key).filter(|n| !is_null(n)) {
                    r.error(
                        node_pos(c),
                        format!(
                            "{ctx} is a partition: its columns are its parent's (remove {key}:)"
                        ),
                    );
                }
            }
        }
        (Some((_, ppos)), None) => r.error(
            ppos,
            format!(
                "{ctx} is a partition without a bound (add bound: FOR VALUES … or bound: default)"
            ),
        ),
        (None, Some((_, bpos))) => r.error(bpos, format!("{ctx} has a bound but no partition_of")),
        (None, None) => {}
    }
}

/// Whether a table entry is a partition (it then needs no columns).
pub(super) fn is_partition(m: &MarkedMappingNode) -> bool {
    m.get_node("partition_of").is_some_and(|n| !is_null(n))
}

/// Point a partition at its parent, which must be a partitioned table.
pub(super) fn resolve(
    t: &mut TableDecl,
    targets: &std::collections::BTreeMap<QualifiedName, Table>,
    issues: &mut Issues,
) {
    let Some(r) = &t.partition_ref else { return };
    let schema = t.table.name.schema.clone();
    let Some((name, parent)) = lookup_table(&r.table, &schema, targets) else {
        let written = r.table.join(".");
        let hint = did_you_mean(
            &written,
            targets
                .values()
                .filter(|t| t.partition_by.is_some())
                .map(|t| t.name.name.as_str()),
        );
        issues.at(
            &r.origin,
            format!("partition_of names unknown table \"{written}\"{hint}"),
        );
        return;
    };
    if parent.partition_by.is_none() {
        issues.at(
            &r.origin,
            format!("table \"{name}\" is not partitioned (give it partition_by:)"),
        );
    }
    if let Some(of) = &mut t.table.partition_of {
        of.parent = name.clone();
    }
}

/// The columns of a table entry: a partition's are those of the table at
/// the top of its chain of parents (unknown parents give none; the
/// missing parent is reported by [`resolve`]).
pub(super) fn column_names<'a>(t: &'a TableDecl, all: &'a [TableDecl]) -> Vec<&'a str> {
    let own = |d: &'a TableDecl| d.table.columns.iter().map(|c| c.name.as_str()).collect();
    if t.partition_ref.is_none() {
        return own(t);
    }
    let by_name: std::collections::BTreeMap<QualifiedName, &TableDecl> =
        all.iter().map(|d| (d.table.name.clone(), d)).collect();
    let mut at = t;
    // A chain longer than the number of tables is a cycle.
    for _ in 0..=all.len() {
        let Some(r) = &at.partition_ref else {
            return own(at);
        };
        match lookup_table(&r.table, &at.table.name.schema, &by_name) {
            Some((_, parent)) => at = parent,
            None => return Vec::new(),
        }
    }
    Vec::new()
}
