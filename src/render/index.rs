//! Indexes: create, drop, rename.

use super::constraint::include;
use super::{Build, Context, Statement};
use crate::model::{quote_ident, Index, QualifiedName};

pub fn create(table: &QualifiedName, index: &Index, ctx: &Context) -> Statement {
    let partitioned = ctx
        .from
        .tables
        .get(table)
        .is_some_and(|t| t.partition_by.is_some());
    let build = (!ctx.is_new(table)).then(|| super::Hazard::IndexBuild {
        table: table.clone(),
        by: match partitioned {
            true => Build::Partitioned,
            false => Build::Index,
        },
    });
    Statement::new(create_index(table, index))
        .with(build)
        .from_origin(&index.origin)
}

pub fn drop(table: &QualifiedName, index: &Index, ctx: &Context) -> Statement {
    Statement::new(format!(
        "DROP INDEX {}.{};",
        quote_ident(&table.schema),
        quote_ident(index.name.as_deref().unwrap_or_default())
    ))
    .with(ctx.lock(table, "brief; DROP INDEX CONCURRENTLY avoids it"))
}

pub fn rename(schema: &str, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER INDEX {}.{} RENAME TO {};",
        quote_ident(schema),
        quote_ident(from),
        quote_ident(to)
    ))
}

/// `CREATE [UNIQUE] INDEX [name] ON table <definition>`.
pub fn create_index(table: &QualifiedName, i: &Index) -> String {
    let name = i
        .name
        .as_ref()
        .map(|n| format!(" {}", quote_ident(n)))
        .unwrap_or_default();
    let unique = if i.unique { "UNIQUE " } else { "" };
    let body = if i.definition.is_empty() {
        index_body(i)
    } else {
        i.definition.clone()
    };
    format!("CREATE {unique}INDEX{name} ON {} {body};", table.quoted())
}

/// `USING method (keys) [INCLUDE …] [NULLS NOT DISTINCT] [WITH …] [WHERE …]`
/// for a spec index.
fn index_body(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let mut s = if k.is_expression {
                format!("({})", k.expr)
            } else {
                quote_ident(&k.expr)
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(o) = &k.opclass {
                s.push_str(&format!(" {o}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            match (k.nulls_first, k.descending) {
                (Some(true), false) => s.push_str(" NULLS FIRST"),
                (Some(false), true) => s.push_str(" NULLS LAST"),
                _ => {}
            }
            s
        })
        .collect();
    let method = if i.method.is_empty() {
        "btree"
    } else {
        &i.method
    };
    let mut s = format!("USING {} ({})", method, keys.join(", "));
    s.push_str(&include(&i.include));
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        s.push_str(&format!(" WITH ({})", i.with.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE ({p})"));
    }
    s
}
