//! Extended statistics ([`StatisticsChange`]): `CREATE STATISTICS`,
//! `DROP STATISTICS`, `ALTER STATISTICS … SET STATISTICS` and comments.
//! The statistics themselves are gathered by the next `ANALYZE`, which the
//! plan says.

use super::hazard::{Hazard, LockLevel};
use super::{ident_list, Context, Statement};
use crate::diff::statistics::StatisticsChange;
use crate::model::{quote_ident, quote_literal, QualifiedName, Statistics};

pub fn render(ch: &StatisticsChange, ctx: &Context) -> Vec<Statement> {
    match ch {
        StatisticsChange::Create { table, stats } => create(table, stats, ctx),
        StatisticsChange::Drop { table, stats } => {
            let sql = format!("DROP STATISTICS {};", name(table, &stats.name));
            vec![Statement::new(sql).with(lock(table, "dropping extended statistics", ctx))]
        }
        StatisticsChange::SetTarget {
            table,
            name: s,
            target,
        } => vec![set_target(table, s, *target)],
        StatisticsChange::Comment {
            table,
            name: s,
            comment,
        } => vec![comment_on(table, s, comment.as_deref())],
    }
}

fn create(table: &QualifiedName, s: &Statistics, ctx: &Context) -> Vec<Statement> {
    let kinds = match s.kinds.as_slice() {
        [] => String::new(),
        ks => {
            let words: Vec<&str> = ks.iter().filter_map(|k| kind_sql(k)).collect();
            format!(" ({})", words.join(", "))
        }
    };
    let mut on: Vec<String> = vec![ident_list(&s.columns)];
    on.retain(|x| !x.is_empty());
    on.extend(s.expressions.iter().map(|e| format!("({e})")));
    let sql = format!(
        "CREATE STATISTICS {}{kinds} ON {} FROM {};",
        name(table, &s.name),
        on.join(", "),
        table.quoted()
    );
    let mut hazards = lock(table, "creating extended statistics", ctx);
    if !ctx.is_new(table) {
        hazards.push(Hazard::Note(
            "the statistics are gathered by the next ANALYZE of the table; until then the planner has none".into(),
        ));
    }
    let mut out = vec![Statement::new(sql).with(hazards)];
    if s.target.is_some() {
        out.push(set_target(table, &s.name, s.target));
    }
    if s.comment.is_some() {
        out.push(comment_on(table, &s.name, s.comment.as_deref()));
    }
    out
}

/// The kind words PostgreSQL knows; anything else (never produced by the
/// loader or the catalog) is left out rather than written into SQL.
fn kind_sql(kind: &str) -> Option<&'static str> {
    match kind {
        "ndistinct" => Some("ndistinct"),
        "dependencies" => Some("dependencies"),
        "mcv" => Some("mcv"),
        _ => None,
    }
}

fn set_target(table: &QualifiedName, s: &str, target: Option<i32>) -> Statement {
    Statement::new(format!(
        "ALTER STATISTICS {} SET STATISTICS {};",
        name(table, s),
        target.unwrap_or(-1)
    ))
}

fn comment_on(table: &QualifiedName, s: &str, comment: Option<&str>) -> Statement {
    let value = comment.map(quote_literal).unwrap_or_else(|| "NULL".into());
    Statement::new(format!(
        "COMMENT ON STATISTICS {} IS {value};",
        name(table, s)
    ))
}

/// A statistics object lives in its table's schema.
fn name(table: &QualifiedName, s: &str) -> String {
    format!("{}.{}", quote_ident(&table.schema), quote_ident(s))
}

fn lock(table: &QualifiedName, what: &'static str, ctx: &Context) -> Vec<Hazard> {
    if ctx.is_new(table) {
        return Vec::new();
    }
    vec![Hazard::Lock {
        level: LockLevel::ShareUpdateExclusive,
        on: table.clone(),
        what,
    }]
}
