//! Enum values used in the same plan that adds them. (The objects a type
//! recreation must rebuild are `plan`'s business: `plan::expand`.)

use super::pg_ident;
use crate::model::{quote_literal, Database, QualifiedName, Table};

/// Whether the desired state uses label `value` of enum `ty` anywhere
/// (defaults, checks, index predicates …). Such a use is new in this plan,
/// and PostgreSQL rejects a label added by `ALTER TYPE … ADD VALUE` until
/// the transaction commits, so the type is recreated instead.
pub(super) fn value_used(db: &Database, ty: &QualifiedName, value: &str) -> bool {
    let needle = format!(
        "{}::{}.{}",
        quote_literal(value),
        pg_ident(&ty.schema),
        pg_ident(&ty.name)
    );
    db.tables
        .values()
        .any(|t| table_texts(t).any(|s| s.contains(&needle)))
}

/// Every expression-bearing text of a table.
fn table_texts(t: &Table) -> impl Iterator<Item = &str> {
    let cols = t
        .columns
        .iter()
        .flat_map(|c| c.default.iter().chain(c.generated.iter()));
    let cons = t
        .checks
        .iter()
        .map(|c| &c.definition)
        .chain(t.exclusions.iter().map(|x| &x.definition));
    let idx = t.indexes.iter().map(|i| &i.definition);
    cols.chain(cons).chain(idx).map(String::as_str)
}
