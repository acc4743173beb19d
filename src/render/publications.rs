//! `CREATE` / `ALTER` / `DROP PUBLICATION` and their comments
//! ([`PublicationChange`]). Nothing here reads or rewrites rows; what the
//! plan says is what subscribers see change: a table or operation that
//! stops replicating, a new table they only receive after `ALTER
//! SUBSCRIPTION … REFRESH PUBLICATION`, a renamed publication their
//! subscription no longer finds.

use super::hazard::Hazard;
use super::Statement;
use crate::diff::publications::{names, PublicationChange};
use crate::escape::line;
use crate::model::{quote_ident, quote_literal, Publication, PublishedTable, QualifiedName};

pub fn render(change: &PublicationChange) -> Statement {
    let (sql, note) = match change {
        PublicationChange::Create(p) => (create(p), None),
        PublicationChange::Drop(p) => (
            format!("DROP PUBLICATION {};", quote_ident(&p.name)),
            Some(format!(
                "subscribers of publication {} stop receiving changes (their subscriptions \
                 fail until altered or dropped)",
                line(&p.name)
            )),
        ),
        PublicationChange::Rename { from, to } => (
            format!(
                "ALTER PUBLICATION {} RENAME TO {};",
                quote_ident(from),
                quote_ident(to)
            ),
            Some(format!(
                "subscriptions naming publication {} fail until altered to {}",
                line(from),
                line(to)
            )),
        ),
        PublicationChange::Comment(p) => {
            let value = p.comment.as_deref().map_or("NULL".into(), quote_literal);
            let sql = format!(
                "COMMENT ON PUBLICATION {} IS {value};",
                quote_ident(&p.name)
            );
            (sql, None)
        }
        PublicationChange::AddTables {
            name,
            tables,
            around,
        } => (
            format!(
                "ALTER PUBLICATION {} ADD TABLE {};",
                quote_ident(name),
                table_list(tables.iter().map(|(t, e)| (t, e)))
            ),
            (!around).then(|| refresh(name, &names(tables))),
        ),
        PublicationChange::DropTables {
            name,
            tables,
            around: true,
        } => (
            drop_tables(name, tables),
            Some(format!(
                "{} leave(s) publication {} while a column it publishes changes type, and \
                 come(s) back in the same transaction",
                line(&names(tables)),
                line(name)
            )),
        ),
        PublicationChange::DropTables { name, tables, .. } => (
            drop_tables(name, tables),
            Some(format!(
                "subscribers of publication {} stop receiving changes to {}",
                line(name),
                line(&names(tables))
            )),
        ),
        PublicationChange::SetTables { from, to } => (
            format!(
                "ALTER PUBLICATION {} SET TABLE {};",
                quote_ident(&to.name),
                table_list(to.tables.iter())
            ),
            Some(set_tables_note(from, to)),
        ),
        PublicationChange::AddSchemas { name, schemas } => (
            format!(
                "ALTER PUBLICATION {} ADD TABLES IN SCHEMA {};",
                quote_ident(name),
                schema_list(schemas)
            ),
            Some(refresh(
                name,
                &format!("the tables of {}", schemas.join(", ")),
            )),
        ),
        PublicationChange::DropSchemas { name, schemas } => (
            format!(
                "ALTER PUBLICATION {} DROP TABLES IN SCHEMA {};",
                quote_ident(name),
                schema_list(schemas)
            ),
            Some(format!(
                "subscribers of publication {} stop receiving changes to the tables of {}",
                line(name),
                line(&schemas.join(", "))
            )),
        ),
        PublicationChange::SetOptions { from, to } => {
            (set_options(from, to), options_note(from, to))
        }
    };
    let statement = Statement::new(sql).with(note.map(Hazard::Note));
    // A failure in the shadow points at the publication in the YAML.
    match change {
        PublicationChange::Create(p)
        | PublicationChange::Comment(p)
        | PublicationChange::SetTables { to: p, .. }
        | PublicationChange::SetOptions { to: p, .. } => statement.from_origin(&p.origin),
        _ => statement,
    }
}

fn drop_tables(name: &str, tables: &[(QualifiedName, PublishedTable)]) -> String {
    let names: Vec<String> = tables.iter().map(|(t, _)| t.quoted()).collect();
    format!(
        "ALTER PUBLICATION {} DROP TABLE {};",
        quote_ident(name),
        names.join(", ")
    )
}

fn refresh(name: &str, what: &str) -> String {
    format!(
        "subscribers of publication {} receive {} only after ALTER SUBSCRIPTION … REFRESH \
         PUBLICATION",
        line(name),
        line(what)
    )
}

/// `t (a, b) WHERE (…), u`.
fn table_list<'a>(tables: impl Iterator<Item = (&'a QualifiedName, &'a PublishedTable)>) -> String {
    tables
        .map(|(t, e)| {
            let mut s = t.quoted();
            if let Some(cols) = &e.columns {
                let cols: Vec<String> = cols.iter().map(|c| quote_ident(c)).collect();
                s.push_str(&format!(" ({})", cols.join(", ")));
            }
            if let Some(f) = &e.row_filter {
                s.push_str(&format!(" WHERE ({f})"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn schema_list(schemas: &[String]) -> String {
    schemas
        .iter()
        .map(|s| quote_ident(s))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn create(p: &Publication) -> String {
    let mut sql = format!("CREATE PUBLICATION {}", quote_ident(&p.name));
    if p.all_tables {
        sql.push_str(" FOR ALL TABLES");
    } else {
        let mut parts = Vec::new();
        if !p.tables.is_empty() {
            parts.push(format!("TABLE {}", table_list(p.tables.iter())));
        }
        if !p.schemas.is_empty() {
            parts.push(format!("TABLES IN SCHEMA {}", schema_list(&p.schemas)));
        }
        if !parts.is_empty() {
            sql.push_str(&format!(" FOR {}", parts.join(", ")));
        }
    }
    let options = options(&defaults(), p);
    if !options.is_empty() {
        sql.push_str(&format!(" WITH ({options})"));
    }
    sql.push(';');
    sql
}

/// A publication with PostgreSQL's default options.
fn defaults() -> Publication {
    Publication {
        publish: crate::model::PUBLISH_ALL.map(String::from).to_vec(),
        ..Default::default()
    }
}

/// The options of `to` that differ from `from`.
fn options(from: &Publication, to: &Publication) -> String {
    let mut out = Vec::new();
    if from.publish != to.publish {
        out.push(format!(
            "publish = {}",
            quote_literal(&to.publish.join(", "))
        ));
    }
    if from.via_partition_root != to.via_partition_root {
        out.push(format!(
            "publish_via_partition_root = {}",
            to.via_partition_root
        ));
    }
    out.join(", ")
}

fn set_options(from: &Publication, to: &Publication) -> String {
    format!(
        "ALTER PUBLICATION {} SET ({});",
        quote_ident(&to.name),
        options(from, to)
    )
}

fn options_note(from: &Publication, to: &Publication) -> Option<String> {
    let stopped: Vec<&str> = from
        .publish
        .iter()
        .filter(|op| !to.publish.contains(op))
        .map(String::as_str)
        .collect();
    let mut notes = Vec::new();
    if !stopped.is_empty() {
        notes.push(format!(
            "subscribers of publication {} stop receiving {}",
            line(&to.name),
            stopped.join(", ")
        ));
    }
    if from.via_partition_root != to.via_partition_root {
        notes.push(format!(
            "subscribers of publication {} receive partitions' changes {}",
            line(&to.name),
            if to.via_partition_root {
                "as changes of their root table"
            } else {
                "as changes of each partition"
            }
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn set_tables_note(from: &Publication, to: &Publication) -> String {
    let gone: Vec<String> = from
        .tables
        .keys()
        .filter(|t| !to.tables.contains_key(t))
        .map(|t| t.to_string())
        .collect();
    let mut s = format!(
        "subscribers of publication {} receive other columns or rows of its tables from now on",
        line(&to.name)
    );
    if !gone.is_empty() {
        s.push_str(&format!(
            ", and stop receiving changes to {}",
            line(&gone.join(", "))
        ));
    }
    s
}
