//! Columns: add, drop, alter (one statement group per `ALTER COLUMN`
//! step), rename; with their locks, rewrites and data-loss hazards.

use super::column_def::{alter_steps, column_definition, serial_fixup};
use super::{Context, Hazard, Scan, Statement};
use crate::diff::columns::default_is_volatile;
use crate::diff::ColumnChange;
use crate::escape::ident;
use crate::model::{quote_ident, Column, QualifiedName};
use crate::pg::types::{self, Loss};

const NOT_NULL_NO_DEFAULT: &str = "NOT NULL without a default fails if the table has rows; add it nullable, backfill, then SET NOT NULL";

pub fn add(table: &QualifiedName, c: &Column, ctx: &Context) -> Vec<Statement> {
    let mut s = Statement::new(format!(
        "ALTER TABLE {} ADD COLUMN {};",
        table.quoted(),
        column_definition(c, ctx.not_null_name(table, c))
    ))
    .from_origin(&c.origin);
    // A VIRTUAL generated column is computed when read: adding one only
    // changes the catalog.
    let computed = c.identity.is_some()
        || c.serial.is_some()
        || (c.generated.is_some() && !c.generated_virtual)
        || c.default.as_deref().is_some_and(default_is_volatile);
    if computed {
        s.hazards.extend(ctx.rewrite(
            table,
            "rewrites the table (the new column's values are computed per row)",
        ));
    } else if ctx.is_constrained_domain(&c.data_type) {
        s.hazards.extend(ctx.rewrite(
            table,
            "rewrites the table (the new column's value is checked against its domain's \
             constraints on every row)",
        ));
    } else {
        s.hazards
            .extend(ctx.lock(table, "brief (catalog change only)"));
    }
    let unfillable = c.not_null
        && c.default.is_none()
        && c.identity.is_none()
        && c.serial.is_none()
        && c.generated.is_none();
    if unfillable && !ctx.is_new(table) {
        s.hazards.push(Hazard::MayFail {
            why: NOT_NULL_NO_DEFAULT,
        });
    }
    let mut out = vec![s];
    out.extend(serial_fixup(table, c).map(Statement::new));
    out
}

pub fn drop(table: &QualifiedName, column: &Column, ctx: &Context) -> Statement {
    let mut s = Statement::new(format!(
        "ALTER TABLE {} DROP COLUMN {};",
        table.quoted(),
        quote_ident(&column.name)
    ));
    // Only a generated column's values come back by themselves (a
    // virtual one's stores nothing; becoming plain, it is filled again).
    if ctx.is_readded(table, &column.name) && column.generated_virtual {
        s.hazards.push(Hazard::Note(format!(
            "{} is a virtual generated column (nothing stored, nothing lost); it is recreated below",
            ident(&column.name)
        )));
    } else if ctx.is_readded(table, &column.name) && column.generated.is_some() {
        s.hazards.push(Hazard::Note(format!(
            "{} is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed",
            ident(&column.name)
        )));
    } else {
        s.hazards.push(Hazard::DataLoss {
            what: format!(
                "drops column {}.{} and its data",
                table.ident(),
                ident(&column.name)
            ),
        });
    }
    s.with(ctx.lock(table, "brief (catalog change only)"))
}

pub fn rename(table: &QualifiedName, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {};",
        table.quoted(),
        quote_ident(from),
        quote_ident(to)
    ))
    .with([Hazard::Renamed { on: table.clone() }])
}

/// One `ALTER COLUMN` step.
pub fn alter(
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    change: &ColumnChange,
    ctx: &Context,
) -> Vec<Statement> {
    let from_enum = ctx.is_enum(&from.data_type);
    let nn = ctx.not_null_name(table, to);
    let mut out: Vec<Statement> = alter_steps(table, (from, to), change, from_enum, nn)
        .into_iter()
        .map(Statement::new)
        .collect();
    let backfill = out.len() > 1;
    let Some((first, rest)) = out.split_first_mut() else {
        return out;
    };
    let scan = || Hazard::ValidationScan {
        table: table.clone(),
        scan: Scan::NotNull,
    };
    match change {
        ColumnChange::Type { lossy, rewrite } => {
            if *lossy {
                first.hazards.push(Hazard::DataLoss {
                    what: type_loss(table, from, to, from_enum),
                });
            }
            first.hazards.extend(if *rewrite {
                ctx.rewrite(table, "rewrites the table and rebuilds its indexes")
            } else {
                ctx.lock(table, "brief (no rewrite needed)")
            });
        }
        ColumnChange::SetNotNull if backfill => {
            first.hazards.push(Hazard::Note(
                "rows where the column is NULL get its default before NOT NULL is set".into(),
            ));
            first.hazards.extend(ctx.lock(table, "updates those rows"));
            if !ctx.is_new(table) {
                rest[0].hazards.push(scan());
            }
        }
        ColumnChange::SetNotNull => {
            if !ctx.is_new(table) {
                first.hazards.push(scan());
            }
        }
        ColumnChange::DropSerial(_) => first
            .hazards
            .extend(ctx.lock(table, "brief; the column's sequence is dropped")),
        ColumnChange::Backfill(_) => {
            first.hazards.push(Hazard::Note(format!(
                "{} was a virtual generated column: every row gets the value it computed",
                ident(&to.name)
            )));
            first.hazards.extend(ctx.lock(table, "updates every row"));
        }
        ColumnChange::CreateSequence(_) => {}
        ColumnChange::DropSequence(s) => {
            first.hazards = crate::render::sequences::drop(s).hazards;
        }
        _ => first.hazards.extend(ctx.lock(table, "brief")),
    }
    out
}

/// What a destructive type change risks, and what happens to a value that
/// does not fit.
fn type_loss(table: &QualifiedName, from: &Column, to: &Column, from_enum: bool) -> String {
    let what = format!(
        "changes {}.{} from {} to {}",
        table.ident(),
        ident(&to.name),
        from.data_type,
        to.data_type
    );
    let loss = if from_enum {
        Loss::Refused
    } else {
        types::conversion(&from.data_type, &to.data_type).loss
    };
    match loss {
        Loss::Reinterpreted => format!(
            "{what}: values keep their digits but not their meaning (the time zone is dropped; values become local times of the session's TimeZone)"
        ),
        Loss::Silent => format!(
            "{what}: a value that would be rounded or cut makes the migration fail (the conversion is guarded)"
        ),
        _ => format!("{what}: a value that does not convert or fit makes the migration fail"),
    }
}
