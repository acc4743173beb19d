//! `ALTER TABLE` of one table property ([`TableProperty`]).

use super::hazard::{Hazard, LockLevel};
use super::{Context, Statement};
use crate::diff::TableProperty;
use crate::model::{quote_ident, QualifiedName, ReplicaIdentity};
use crate::pg::reloptions::{assignments, param_name};

pub fn render(table: &QualifiedName, property: &TableProperty, ctx: &Context) -> Statement {
    let t = table.quoted();
    let (sql, hazards) = match property {
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
            (format!("ALTER TABLE {t} SET {to};"), vec![hazard])
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
            let lock = lock(table, LockLevel::ShareUpdateExclusive, "storage parameters");
            (sql, vec![lock])
        }
        TableProperty::ReplicaIdentity(r) => {
            let to = match r {
                ReplicaIdentity::Default => "DEFAULT".to_string(),
                ReplicaIdentity::Full => "FULL".to_string(),
                ReplicaIdentity::Nothing => "NOTHING".to_string(),
                ReplicaIdentity::Index(i) => format!("USING INDEX {}", quote_ident(i)),
            };
            let sql = format!("ALTER TABLE {t} REPLICA IDENTITY {to};");
            let lock = lock(table, LockLevel::AccessExclusive, "replica identity");
            (sql, vec![lock])
        }
        TableProperty::ClusterOn(index) => {
            let sql = match index {
                Some(i) => format!("ALTER TABLE {t} CLUSTER ON {};", quote_ident(i)),
                None => format!("ALTER TABLE {t} SET WITHOUT CLUSTER;"),
            };
            let lock = lock(table, LockLevel::ShareUpdateExclusive, "clustering index");
            (sql, vec![lock])
        }
        TableProperty::RowSecurity(on) => row_security(table, *on),
        TableProperty::ForceRowSecurity(on) => {
            let verb = if *on { "FORCE" } else { "NO FORCE" };
            let sql = format!("ALTER TABLE {t} {verb} ROW LEVEL SECURITY;");
            let lock = lock(table, LockLevel::AccessExclusive, "row-level security");
            let note = match on {
                true => "the table's owner becomes subject to its policies too",
                false => "the table's owner is no longer subject to its policies",
            };
            (sql, vec![lock, Hazard::Note(note.into())])
        }
    };
    // A table this plan creates has no rows and no readers yet.
    let hazards = hazards
        .into_iter()
        .filter(|_| !ctx.is_new(table))
        .collect::<Vec<_>>();
    Statement::new(sql).with(hazards)
}

/// `ENABLE` / `DISABLE ROW LEVEL SECURITY`: what every role can see
/// changes, which the plan says.
fn row_security(table: &QualifiedName, on: bool) -> (String, Vec<Hazard>) {
    let (verb, note) = match on {
        true => (
            "ENABLE",
            "with row-level security a role sees and changes only the rows a policy grants it \
             (none without a policy), except the table's owner, superusers and BYPASSRLS roles",
        ),
        false => (
            "DISABLE",
            "without row-level security the table's policies stop applying: every role with \
             privileges on it sees every row",
        ),
    };
    let sql = format!("ALTER TABLE {} {verb} ROW LEVEL SECURITY;", table.quoted());
    let lock = lock(table, LockLevel::AccessExclusive, "row-level security");
    (sql, vec![lock, Hazard::Note(note.into())])
}

fn lock(table: &QualifiedName, level: LockLevel, what: &'static str) -> Hazard {
    Hazard::Lock {
        level,
        on: table.clone(),
        what,
    }
}
