//! `GRANT` / `REVOKE` ([`PrivilegeChange`]). A revoke is noted in the
//! plan: a role loses access it had, which breaks whatever uses it.
//!
//! The owner ([`Grantee::Owner`]) is spelled `CURRENT_USER`: only a
//! default privilege of the owner is ever granted back or revoked, and a
//! migration runs as the owner of what it changes.

use super::hazard::Hazard;
use super::Statement;
use crate::acl::{Grantee, PrivTarget};
use crate::diff::privileges::{PrivOp, PrivilegeChange};
use crate::model::quote_ident;

pub fn render(change: &PrivilegeChange) -> Statement {
    let privileges = privilege_list(change);
    let (on, grantee) = (on(&change.target), grantee(&change.grantee));
    let sql = match change.op {
        PrivOp::Grant => format!("GRANT {privileges} ON {on} TO {grantee};"),
        PrivOp::GrantWithOption => {
            format!("GRANT {privileges} ON {on} TO {grantee} WITH GRANT OPTION;")
        }
        PrivOp::RevokeGrantOption => {
            format!("REVOKE GRANT OPTION FOR {privileges} ON {on} FROM {grantee};")
        }
        PrivOp::Revoke => format!("REVOKE {privileges} ON {on} FROM {grantee};"),
    };
    let statement = Statement::new(sql);
    if !change.takes_away() {
        return statement;
    }
    let what = match change.op {
        PrivOp::RevokeGrantOption => "may no longer grant",
        _ => "loses",
    };
    statement.with([Hazard::Note(format!(
        "{} {what} {} on {}",
        change.grantee,
        change.privileges.join(", "),
        change.target
    ))])
}

/// `SELECT, UPDATE`, or for a column `SELECT ("c"), UPDATE ("c")`.
fn privilege_list(change: &PrivilegeChange) -> String {
    let column = match &change.target {
        PrivTarget::Column(_, c) => format!(" ({})", quote_ident(c)),
        _ => String::new(),
    };
    change
        .privileges
        .iter()
        .map(|p| format!("{p}{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn on(target: &PrivTarget) -> String {
    match target {
        PrivTarget::Schema(s) => format!("SCHEMA {}", quote_ident(s)),
        PrivTarget::Table(t) | PrivTarget::Column(t, _) => format!("TABLE {}", t.quoted()),
        PrivTarget::Sequence(s) => format!("SEQUENCE {}", s.quoted()),
        PrivTarget::Routine(n, identity) => format!("ROUTINE {}({identity})", n.quoted()),
        PrivTarget::Type(t) => format!("TYPE {}", t.quoted()),
    }
}

fn grantee(g: &Grantee) -> String {
    match g {
        Grantee::Public => "PUBLIC".into(),
        Grantee::Owner => "CURRENT_USER".into(),
        Grantee::Role(r) => quote_ident(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QualifiedName;

    fn change(target: PrivTarget, grantee: Grantee, op: PrivOp, p: &[&str]) -> PrivilegeChange {
        PrivilegeChange {
            target,
            grantee,
            op,
            privileges: p.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn statements() {
        let t = QualifiedName::new("app", "Users");
        let g = change(
            PrivTarget::Column(t.clone(), "email".into()),
            Grantee::Role("App Writer".into()),
            PrivOp::Grant,
            &["SELECT", "UPDATE"],
        );
        assert_eq!(
            render(&g).sql,
            "GRANT SELECT (\"email\"), UPDATE (\"email\") ON TABLE \"app\".\"Users\" TO \"App Writer\";"
        );
        let r = change(
            PrivTarget::Routine(QualifiedName::new("public", "f"), "a integer".into()),
            Grantee::Public,
            PrivOp::Revoke,
            &["EXECUTE"],
        );
        let s = render(&r);
        assert_eq!(
            s.sql,
            "REVOKE EXECUTE ON ROUTINE \"public\".\"f\"(a integer) FROM PUBLIC;"
        );
        assert_eq!(s.hazards.len(), 1);
        let o = change(
            PrivTarget::Schema("app".into()),
            Grantee::Role("r".into()),
            PrivOp::RevokeGrantOption,
            &["USAGE"],
        );
        assert_eq!(
            render(&o).sql,
            "REVOKE GRANT OPTION FOR USAGE ON SCHEMA \"app\" FROM \"r\";"
        );
    }
}
