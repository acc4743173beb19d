//! Enum types: create, add a value, recreate (values removed or
//! reordered), drop.
//!
//! A recreation renames the old type out of the way, creates the new one,
//! converts every column through text and drops the old type. Indexes and
//! constraints that compare values of the type must not exist while the
//! columns convert (PostgreSQL would rebuild them against the old type):
//! `plan` drops and re-creates them around this change.

use super::{Context, Hazard, Statement};
use crate::model::{quote_ident, quote_literal, Column, EnumType, QualifiedName};

pub fn create(e: &EnumType) -> Statement {
    Statement::new(create_sql(e)).from_origin(&e.origin)
}

fn create_sql(e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({});",
        e.name.quoted(),
        values.join(", ")
    )
}

pub fn drop(e: &EnumType) -> Statement {
    Statement::new(format!("DROP TYPE {};", e.name.quoted())).with([Hazard::DataLoss {
        what: format!("drops enum type {}", e.name.ident()),
    }])
}

pub fn add_value(name: &QualifiedName, value: &str, before: Option<&str>) -> Statement {
    let sql = match before {
        Some(b) => format!(
            "ALTER TYPE {} ADD VALUE {} BEFORE {};",
            name.quoted(),
            quote_literal(value),
            quote_literal(b)
        ),
        None => format!(
            "ALTER TYPE {} ADD VALUE {};",
            name.quoted(),
            quote_literal(value)
        ),
    };
    Statement::new(sql).with([Hazard::UnusableUntilCommit {
        value: value.to_string(),
    }])
}

/// `{name}__strata_old`, the name cut first so the whole fits 63 bytes:
/// PostgreSQL would otherwise cut the suffix off, back onto the name.
pub fn old_name(e: &EnumType) -> QualifiedName {
    QualifiedName::new(
        &e.name.schema,
        crate::spec::names::make_object_name(&e.name.name, None, "_strata_old"),
    )
}

pub fn recreate(
    from: &EnumType,
    to: &EnumType,
    columns: &[(QualifiedName, Column)],
    ctx: &Context,
) -> Vec<Statement> {
    let old = old_name(from);
    let mut rename = Statement::new(format!(
        "ALTER TYPE {} RENAME TO {};",
        from.name.quoted(),
        quote_ident(&old.name)
    ));
    let removed: Vec<String> = from
        .values
        .iter()
        .filter(|v| !to.values.contains(v))
        .map(|v| format!("{v:?}"))
        .collect();
    if !removed.is_empty() {
        rename.hazards.push(Hazard::DataLoss {
            what: format!(
                "removes value(s) {} from enum {}: rows holding them make the conversion fail",
                removed.join(", "),
                from.name.ident()
            ),
        });
    }
    let mut out = vec![rename, Statement::new(create_sql(to))];
    // The new type starts without the old one's comment.
    if let Some(c) = &to.comment {
        let target = crate::diff::CommentTarget::Enum(to.name.clone());
        out.push(super::comment::set(&target, Some(c)));
    }
    for (t, c) in columns {
        out.extend(convert_column(t, c, to, ctx));
    }
    out.push(
        Statement::new(format!("DROP TYPE {};", old.quoted()))
            .with([Hazard::Note("the old type, now unused".into())]),
    );
    out
}

/// Convert one column to the new type through text; its default (which
/// names the old type) goes first and comes back after.
fn convert_column(t: &QualifiedName, c: &Column, to: &EnumType, ctx: &Context) -> Vec<Statement> {
    let col = quote_ident(&c.name);
    let (cast_text, cast_new) = if c.data_type.ends_with("[]") {
        ("text[]", format!("{}[]", to.name.quoted()))
    } else {
        ("text", to.name.quoted())
    };
    let mut out = Vec::new();
    if c.default.is_some() {
        out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT;",
            t.quoted()
        )));
    }
    out.push(
        Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} TYPE {cast_new} USING {col}::{cast_text}::{cast_new};",
            t.quoted()
        ))
        .with(ctx.rewrite(t, "rewrites the table")),
    );
    if let Some(d) = &c.default {
        out.push(Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {d};",
            t.quoted()
        )));
    }
    out
}
