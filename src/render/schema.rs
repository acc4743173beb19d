//! Schemas and extensions.

use super::{Hazard, Statement};
use crate::diff::Change;
use crate::escape::ident;
use crate::model::{quote_ident, Extension};

pub fn render(ch: &Change) -> Vec<Statement> {
    let s = match ch {
        Change::CreateSchema(ns) => {
            Statement::new(format!("CREATE SCHEMA {};", quote_ident(&ns.name)))
                .from_origin(&ns.origin)
        }
        Change::DropSchema(ns) => Statement::new(format!("DROP SCHEMA {};", quote_ident(&ns.name)))
            .with([Hazard::DataLoss {
                what: format!("drops schema {}", ident(&ns.name)),
            }]),
        Change::CreateExtension(e) => Statement::new(create_extension(e)).from_origin(&e.origin),
        Change::DropExtension(e) => {
            Statement::new(format!("DROP EXTENSION {};", quote_ident(&e.name))).with([
                Hazard::DataLoss {
                    what: format!("drops extension {}", ident(&e.name)),
                },
            ])
        }
        Change::AlterExtensionSchema(e) => Statement::new(format!(
            "ALTER EXTENSION {} SET SCHEMA {};",
            quote_ident(&e.name),
            quote_ident(e.schema.as_deref().unwrap_or("public"))
        )),
        _ => return Vec::new(),
    };
    vec![s]
}

fn create_extension(e: &Extension) -> String {
    match &e.schema {
        Some(s) => format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};",
            quote_ident(&e.name),
            quote_ident(s)
        ),
        None => format!("CREATE EXTENSION IF NOT EXISTS {};", quote_ident(&e.name)),
    }
}
