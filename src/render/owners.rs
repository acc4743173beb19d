//! `ALTER <kind> <name> OWNER TO <role>` ([`OwnerChange`]). Noted in the
//! plan: the role running the migration must be able to become the new
//! owner (be a member of it, or a superuser), and the old owner loses the
//! rights only an owner has (ALTER, DROP, GRANT).

use super::hazard::Hazard;
use super::Statement;
use crate::acl::PrivTarget;
use crate::diff::owners::OwnerChange;
use crate::model::quote_ident;

pub fn render(change: &OwnerChange) -> Statement {
    let name = match &change.target {
        PrivTarget::Schema(s) => quote_ident(s),
        PrivTarget::Table(t) | PrivTarget::Sequence(t) | PrivTarget::Type(t) => t.quoted(),
        PrivTarget::Routine(n, identity) => format!("{}({identity})", n.quoted()),
        // Columns have no owner; the diff never asks.
        PrivTarget::Column(t, _) => t.quoted(),
    };
    let sql = format!(
        "ALTER {} {name} OWNER TO {};",
        change.kind,
        quote_ident(&change.to)
    );
    let from = match &change.from {
        Some(f) => format!(" from {}", crate::escape::ident(f)),
        None => " (created by this migration, so owned by the role running it)".into(),
    };
    Statement::new(sql).with([Hazard::Note(format!(
        "{} changes owner{from} to {}: the role running the migration must be a member of {} (or a superuser)",
        change.target,
        crate::escape::ident(&change.to),
        crate::escape::ident(&change.to),
    ))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QualifiedName;

    #[test]
    fn statements_quote_names_and_note_the_membership_needed() {
        let c = OwnerChange {
            target: PrivTarget::Routine(QualifiedName::new("app", "F"), "x integer".into()),
            kind: "FUNCTION",
            from: Some("old".into()),
            to: "App Owner".into(),
        };
        let s = render(&c);
        assert_eq!(
            s.sql,
            "ALTER FUNCTION \"app\".\"F\"(x integer) OWNER TO \"App Owner\";"
        );
        assert_eq!(s.hazards.len(), 1);
        let c = OwnerChange {
            target: PrivTarget::Schema("app".into()),
            kind: "SCHEMA",
            from: None,
            to: "o".into(),
        };
        assert_eq!(render(&c).sql, "ALTER SCHEMA \"app\" OWNER TO \"o\";");
    }
}
