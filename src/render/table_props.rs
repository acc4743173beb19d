//! `ALTER TABLE` of one table property ([`TableProperty`]).

use super::hazard::{Hazard, LockLevel};
use super::{Context, Statement};
use crate::diff::TableProperty;
use crate::model::{quote_ident, QualifiedName, ReplicaIdentity};
use crate::pg::reloptions::{assignments, param_name};

pub fn render(table: &QualifiedName, property: &TableProperty, ctx: &Context) -> Statement {
    let t = table.quoted();
    let (sql, hazard) = match property {
        TableProperty::Logged(logged) => {
            let to = if *logged { "LOGGED" } else { "UNLOGGED" };
            let hazard = Hazard::TableRewrite {
                table: table.clone(),
                what: if *logged {
                    "SET LOGGED (the table is written to the WAL)"
                } else {
                    "SET UNLOGGED (from then on emptied by a crash and not replicated)"
                },
            };
            (format!("ALTER TABLE {t} SET {to};"), hazard)
        }
        TableProperty::Storage { set, reset } => {
            let mut parts = Vec::new();
            if !set.is_empty() {
                let pairs = set.iter().map(|(k, v)| (k, v));
                parts.push(format!("SET ({})", assignments(pairs)));
            }
            if !reset.is_empty() {
                let names: Vec<String> = reset.iter().map(|k| param_name(k)).collect();
                parts.push(format!("RESET ({})", names.join(", ")));
            }
            let sql = format!("ALTER TABLE {t} {};", parts.join(", "));
            (
                sql,
                lock(table, LockLevel::ShareUpdateExclusive, "storage parameters"),
            )
        }
        TableProperty::ReplicaIdentity(r) => {
            let to = match r {
                ReplicaIdentity::Default => "DEFAULT".to_string(),
                ReplicaIdentity::Full => "FULL".to_string(),
                ReplicaIdentity::Nothing => "NOTHING".to_string(),
                ReplicaIdentity::Index(i) => format!("USING INDEX {}", quote_ident(i)),
            };
            let sql = format!("ALTER TABLE {t} REPLICA IDENTITY {to};");
            (
                sql,
                lock(table, LockLevel::AccessExclusive, "replica identity"),
            )
        }
        TableProperty::ClusterOn(index) => {
            let sql = match index {
                Some(i) => format!("ALTER TABLE {t} CLUSTER ON {};", quote_ident(i)),
                None => format!("ALTER TABLE {t} SET WITHOUT CLUSTER;"),
            };
            (
                sql,
                lock(table, LockLevel::ShareUpdateExclusive, "clustering index"),
            )
        }
    };
    let hazard = (!ctx.is_new(table)).then_some(hazard);
    Statement::new(sql).with(hazard)
}

fn lock(table: &QualifiedName, level: LockLevel, what: &'static str) -> Hazard {
    Hazard::Lock {
        level,
        on: table.clone(),
        what,
    }
}
