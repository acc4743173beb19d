//! `ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT|REVOKE …`
//! ([`DefaultPrivilegeChange`]). `FOR ROLE` is always written: the entry
//! belongs to that role, whoever runs the migration (who must be a member
//! of it, or a superuser — noted). A change that takes privileges away
//! is noted too: objects created later give the role less.

use super::hazard::Hazard;
use super::Statement;
use crate::acl::Grantee;
use crate::diff::default_privileges::DefaultPrivilegeChange;
use crate::diff::privileges::PrivOp;
use crate::model::quote_ident;

pub fn render(change: &DefaultPrivilegeChange) -> Statement {
    let key = &change.key;
    let mut head = format!(
        "ALTER DEFAULT PRIVILEGES FOR ROLE {}",
        quote_ident(&key.role)
    );
    if let Some(s) = &key.schema {
        head.push_str(&format!(" IN SCHEMA {}", quote_ident(s)));
    }
    let privileges = change.privileges.join(", ");
    let on = key.on.word().to_uppercase();
    let grantee = match &change.grantee {
        Grantee::Public => "PUBLIC".to_string(),
        // The entry's role is the owner of what it creates.
        Grantee::Owner => quote_ident(&key.role),
        Grantee::Role(r) => quote_ident(r),
    };
    let sql = match change.op {
        PrivOp::Grant => format!("{head} GRANT {privileges} ON {on} TO {grantee};"),
        PrivOp::GrantWithOption => {
            format!("{head} GRANT {privileges} ON {on} TO {grantee} WITH GRANT OPTION;")
        }
        PrivOp::RevokeGrantOption => {
            format!("{head} REVOKE GRANT OPTION FOR {privileges} ON {on} FROM {grantee};")
        }
        PrivOp::Revoke => format!("{head} REVOKE {privileges} ON {on} FROM {grantee};"),
    };
    let role = crate::escape::ident(&key.role);
    let mut notes = vec![Hazard::Note(format!(
        "default privileges {key}: the role running the migration must be a member of {role} (or a superuser)",
        key = crate::escape::line(&key.to_string()),
    ))];
    if change.takes_away() {
        notes.push(Hazard::Note(format!(
            "{} loses {} on {} {role} creates from now on (existing objects keep theirs)",
            change.grantee,
            change.privileges.join(", "),
            key.on.word(),
        )));
    }
    Statement::new(sql).with(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::{DefaultAclKey, DefaultOn};

    #[test]
    fn statements() {
        let c = DefaultPrivilegeChange {
            key: DefaultAclKey {
                role: "App Owner".into(),
                schema: Some("app".into()),
                on: DefaultOn::Tables,
            },
            grantee: Grantee::Role("reader".into()),
            op: PrivOp::GrantWithOption,
            privileges: vec!["INSERT".into(), "SELECT".into()],
        };
        assert_eq!(
            render(&c).sql,
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" IN SCHEMA \"app\" GRANT INSERT, SELECT ON TABLES TO \"reader\" WITH GRANT OPTION;"
        );
        let r = DefaultPrivilegeChange {
            key: DefaultAclKey {
                role: "o".into(),
                schema: None,
                on: DefaultOn::Functions,
            },
            grantee: Grantee::Public,
            op: PrivOp::Revoke,
            privileges: vec!["EXECUTE".into()],
        };
        let s = render(&r);
        assert_eq!(
            s.sql,
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"o\" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
        );
        assert_eq!(s.hazards.len(), 2);
    }
}
