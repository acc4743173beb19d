//! Default privileges (`ALTER DEFAULT PRIVILEGES`, under `manage:
//! [privileges]`): the GRANT and REVOKE that turn one entry's normalised
//! ACL ([`crate::acl::DefaultAcls`]) into another's.
//!
//! Compared only when both models speak for them: a live database read
//! under the opt-in, and a YAML state whose entries come from the YAML
//! (never from the shadow: `FOR ROLE r` needs membership in `r`, which the
//! build role has not). As with grants the YAML's list is complete: an
//! entry the database has and the YAML lacks goes back to the default.

use super::privileges::{acl_ops, PrivOp};
use super::Change;
use crate::acl::{Acl, DefaultAclKey, Grantee};
use crate::model::Database;

/// `ALTER DEFAULT PRIVILEGES FOR ROLE … [IN SCHEMA …] GRANT|REVOKE …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultPrivilegeChange {
    pub key: DefaultAclKey,
    pub grantee: Grantee,
    pub op: PrivOp,
    /// Upper case, sorted.
    pub privileges: Vec<String>,
}

impl DefaultPrivilegeChange {
    /// Objects created later give a role (or PUBLIC) less than before.
    pub fn takes_away(&self) -> bool {
        matches!(self.op, PrivOp::Revoke | PrivOp::RevokeGrantOption)
    }
}

/// Append the default-privilege changes from `from` to `to`.
pub(super) fn diff_default_privileges(from: &Database, to: &Database, out: &mut Vec<Change>) {
    let (a, b) = (&from.default_privileges, &to.default_privileges);
    if !(a.known && b.known) {
        return;
    }
    let empty = Acl::new();
    let keys: std::collections::BTreeSet<&DefaultAclKey> = a.of.keys().chain(b.of.keys()).collect();
    for key in keys {
        // An entry of a schema that goes goes with it (and one cannot be
        // declared for a schema that is not there).
        if key
            .schema
            .as_ref()
            .is_some_and(|s| s != "public" && !to.schemas.contains_key(s))
        {
            continue;
        }
        let old = a.of.get(key).unwrap_or(&empty);
        let new = b.of.get(key).unwrap_or(&empty);
        out.extend(
            acl_ops(old, new)
                .into_iter()
                .map(|(grantee, op, privileges)| {
                    Change::DefaultPrivilege(DefaultPrivilegeChange {
                        key: key.clone(),
                        grantee,
                        op,
                        privileges,
                    })
                }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::{DefaultOn, PrivState};

    fn db(entries: &[(Option<&str>, DefaultOn, Grantee, &str, PrivState)]) -> Database {
        let mut db = Database::default();
        db.schemas.insert("app".into(), Default::default());
        db.default_privileges.known = true;
        for (schema, on, g, p, s) in entries {
            let key = DefaultAclKey {
                role: "owner".into(),
                schema: schema.map(Into::into),
                on: *on,
            };
            db.default_privileges
                .of
                .entry(key)
                .or_default()
                .insert((g.clone(), p.to_string()), *s);
        }
        db
    }

    #[test]
    fn grants_revokes_and_entries_gone_back_to_the_default() {
        let reader = Grantee::Role("reader".into());
        let from = db(&[
            (
                Some("app"),
                DefaultOn::Tables,
                reader.clone(),
                "SELECT",
                PrivState::Granted,
            ),
            (
                None,
                DefaultOn::Functions,
                Grantee::Public,
                "EXECUTE",
                PrivState::Revoked,
            ),
        ]);
        let to = db(&[(
            Some("app"),
            DefaultOn::Tables,
            reader.clone(),
            "INSERT",
            PrivState::Granted,
        )]);
        let changes: Vec<(Option<String>, Grantee, PrivOp, Vec<String>)> =
            crate::diff::diff(&from, &to)
                .into_iter()
                .filter_map(|c| match c {
                    Change::DefaultPrivilege(d) => {
                        Some((d.key.schema, d.grantee, d.op, d.privileges))
                    }
                    _ => None,
                })
                .collect();
        assert_eq!(
            changes,
            vec![
                (None, Grantee::Public, PrivOp::Grant, vec!["EXECUTE".into()]),
                (
                    Some("app".into()),
                    reader.clone(),
                    PrivOp::Grant,
                    vec!["INSERT".into()]
                ),
                (
                    Some("app".into()),
                    reader,
                    PrivOp::Revoke,
                    vec!["SELECT".into()]
                ),
            ]
        );
        let mut unknown = to.clone();
        unknown.default_privileges.known = false;
        assert!(crate::diff::diff(&from, &unknown).is_empty());
    }
}
