//! Privileges (GRANT / REVOKE) in the model, normalised so that two
//! databases built by different owners compare equal.
//!
//! PostgreSQL stores an object's privileges as an `aclitem[]` (`relacl`,
//! `attacl`, `nspacl`, `proacl`, `typacl`) where NULL means "the default
//! for the kind and owner" (`acldefault`): the owner holds everything
//! with grant option, and PUBLIC holds EXECUTE on functions and USAGE on
//! types. The model keeps only what differs from that default — the
//! default being the object's initial privileges when `pg_init_privs` has
//! them (the `public` schema, whose initdb ACL changed in PostgreSQL 15) —
//! as one [`PrivState`] per (grantee, privilege):
//!
//! * a privilege a role (or PUBLIC) holds that the default does not give
//!   it: [`PrivState::Granted`] or [`PrivState::WithGrantOption`];
//! * a privilege the default gives and the object no longer has (`REVOKE
//!   EXECUTE … FROM PUBLIC`, or one taken from the owner):
//!   [`PrivState::Revoked`].
//!
//! The owner is [`Grantee::Owner`], never its name, and the grantor is
//! ignored (who granted does not change who may do what).

use std::collections::BTreeMap;
use std::fmt;

use crate::model::QualifiedName;

/// Who holds a privilege.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grantee {
    /// `PUBLIC` (every role). A role cannot be named `public`.
    Public,
    /// The object's owner, whoever that is.
    Owner,
    Role(String),
}

impl Grantee {
    /// From a role name as the catalog prints it (`public` for PUBLIC).
    pub fn from_name(name: &str, owner: &str) -> Self {
        match name {
            "public" => Grantee::Public,
            n if n == owner => Grantee::Owner,
            n => Grantee::Role(n.to_string()),
        }
    }
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::Public => f.write_str("public"),
            Grantee::Owner => f.write_str("the owner"),
            Grantee::Role(r) => f.write_str(&crate::escape::line(r)),
        }
    }
}

/// What a privilege is on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrivTarget {
    Schema(String),
    /// A table, partitioned table, view or materialized view (`ON TABLE`).
    Table(QualifiedName),
    /// Any sequence, standalone or owned by a column.
    Sequence(QualifiedName),
    /// A column of a table or view (`attacl`).
    Column(QualifiedName, String),
    /// A function, procedure or aggregate (name, identity arguments):
    /// `ON ROUTINE` names any of them.
    Routine(QualifiedName, String),
    /// A domain, enum, composite or range type.
    Type(QualifiedName),
}

impl fmt::Display for PrivTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivTarget::Schema(s) => write!(f, "schema {}", crate::escape::line(s)),
            PrivTarget::Table(t) => write!(f, "table {t}"),
            PrivTarget::Sequence(s) => write!(f, "sequence {s}"),
            PrivTarget::Column(t, c) => write!(f, "column {t}.{}", crate::escape::line(c)),
            PrivTarget::Routine(n, i) => write!(f, "function {n}({})", crate::escape::line(i)),
            PrivTarget::Type(t) => write!(f, "type {t}"),
        }
    }
}

/// How a (grantee, privilege) differs from the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrivState {
    Granted,
    WithGrantOption,
    /// The default gives it; it was revoked.
    Revoked,
}

/// An object's privileges beyond its default: (grantee, privilege in
/// upper case as `aclexplode` prints it, e.g. `SELECT`) → state.
pub type Acl = BTreeMap<(Grantee, String), PrivState>;

/// One row of `aclexplode`: grantee name (`public` for PUBLIC),
/// privilege, grant option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclItem {
    pub grantee: String,
    pub privilege: String,
    pub grantable: bool,
}

/// The difference between an object's effective privileges and its
/// default ones, the owner being `owner`. Several grantors granting the
/// same privilege merge (with grant option if any of them gave it).
pub fn normalise(effective: &[AclItem], default: &[AclItem], owner: &str) -> Acl {
    let held = |items: &[AclItem]| {
        let mut out: BTreeMap<(Grantee, String), bool> = BTreeMap::new();
        for i in items {
            let key = (Grantee::from_name(&i.grantee, owner), i.privilege.clone());
            *out.entry(key).or_default() |= i.grantable;
        }
        out
    };
    let (eff, def) = (held(effective), held(default));
    let mut acl = Acl::new();
    for (key, grantable) in &eff {
        let state = if *grantable {
            PrivState::WithGrantOption
        } else {
            PrivState::Granted
        };
        match def.get(key) {
            Some(d) if *d == *grantable => {}
            // The owner's grant option taken away is a grant without it;
            // a default without grant option extended is a grant with it.
            _ => {
                acl.insert(key.clone(), state);
            }
        }
    }
    for key in def.keys() {
        if !eff.contains_key(key) {
            acl.insert(key.clone(), PrivState::Revoked);
        }
    }
    acl
}

/// The privileges a kind of object can carry, lower case as the YAML
/// spells them (PostgreSQL 17 added MAINTAIN on tables).
pub fn valid_privileges(target: &PrivTarget) -> &'static [&'static str] {
    match target {
        PrivTarget::Schema(_) => &["usage", "create"],
        PrivTarget::Table(_) => &[
            "select",
            "insert",
            "update",
            "delete",
            "truncate",
            "references",
            "trigger",
            "maintain",
        ],
        PrivTarget::Sequence(_) => &["usage", "select", "update"],
        PrivTarget::Column(..) => &["select", "insert", "update", "references"],
        PrivTarget::Routine(..) => &["execute"],
        PrivTarget::Type(_) => &["usage"],
    }
}

/// The kinds `ALTER DEFAULT PRIVILEGES` applies to (`defaclobjtype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultOn {
    Tables,
    Sequences,
    Functions,
    Types,
    Schemas,
}

impl DefaultOn {
    pub const ALL: [DefaultOn; 5] = [
        DefaultOn::Tables,
        DefaultOn::Sequences,
        DefaultOn::Functions,
        DefaultOn::Types,
        DefaultOn::Schemas,
    ];

    /// The YAML's (and the statement's, upper-cased) word.
    pub fn word(self) -> &'static str {
        match self {
            DefaultOn::Tables => "tables",
            DefaultOn::Sequences => "sequences",
            DefaultOn::Functions => "functions",
            DefaultOn::Types => "types",
            DefaultOn::Schemas => "schemas",
        }
    }

    /// From `pg_default_acl.defaclobjtype`.
    pub fn from_code(c: &str) -> Option<Self> {
        Some(match c {
            "r" => DefaultOn::Tables,
            "S" => DefaultOn::Sequences,
            "f" => DefaultOn::Functions,
            "T" => DefaultOn::Types,
            "n" => DefaultOn::Schemas,
            _ => return None,
        })
    }

    /// An object of the kind, for what privileges it can carry and what
    /// PUBLIC holds by default.
    pub fn sample(self) -> PrivTarget {
        let q = QualifiedName::default;
        match self {
            DefaultOn::Tables => PrivTarget::Table(q()),
            DefaultOn::Sequences => PrivTarget::Sequence(q()),
            DefaultOn::Functions => PrivTarget::Routine(q(), String::new()),
            DefaultOn::Types => PrivTarget::Type(q()),
            DefaultOn::Schemas => PrivTarget::Schema(String::new()),
        }
    }
}

/// One `pg_default_acl` entry: the privileges objects of a kind get when
/// `role` creates them (in `schema`, or anywhere).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultAclKey {
    pub role: String,
    pub schema: Option<String>,
    pub on: DefaultOn,
}

impl fmt::Display for DefaultAclKey {
    /// As the unmanaged report prints it: `for role r in schema s on tables`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "for role {}", self.role)?;
        if let Some(s) = &self.schema {
            write!(f, " in schema {s}")?;
        }
        write!(f, " on {}", self.on.word())
    }
}

/// Default privileges (`ALTER DEFAULT PRIVILEGES`), each entry normalised
/// like an object's ACL: against `acldefault(kind, role)` for an entry of
/// every schema (its ACL replaces that default), against nothing for an
/// entry of one schema (its ACL adds to the other). The role is
/// [`Grantee::Owner`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DefaultAcls {
    /// Whether this model speaks for default privileges: a live database
    /// read under `manage: [privileges]`, or a YAML state under it
    /// (never the shadow, which builds as its own role).
    pub known: bool,
    pub of: BTreeMap<DefaultAclKey, Acl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(g: &str, p: &str, go: bool) -> AclItem {
        AclItem {
            grantee: g.into(),
            privilege: p.into(),
            grantable: go,
        }
    }

    fn key(g: Grantee, p: &str) -> (Grantee, String) {
        (g, p.to_string())
    }

    fn owner_all(owner: &str) -> Vec<AclItem> {
        ["SELECT", "INSERT", "UPDATE"]
            .iter()
            .map(|p| item(owner, p, true))
            .collect()
    }

    #[test]
    fn default_acl_is_empty_whoever_owns() {
        assert!(normalise(&owner_all("alice"), &owner_all("alice"), "alice").is_empty());
        assert!(normalise(&owner_all("bob"), &owner_all("bob"), "bob").is_empty());
    }

    #[test]
    fn grants_beyond_the_default_and_grant_options() {
        let mut eff = owner_all("alice");
        eff.push(item("reader", "SELECT", false));
        eff.push(item("public", "SELECT", false));
        eff.push(item("admin", "UPDATE", true));
        let acl = normalise(&eff, &owner_all("alice"), "alice");
        assert_eq!(acl.len(), 3);
        assert_eq!(
            acl[&key(Grantee::Role("reader".into()), "SELECT")],
            PrivState::Granted
        );
        assert_eq!(acl[&key(Grantee::Public, "SELECT")], PrivState::Granted);
        assert_eq!(
            acl[&key(Grantee::Role("admin".into()), "UPDATE")],
            PrivState::WithGrantOption
        );
    }

    #[test]
    fn revoked_from_public_and_from_the_owner() {
        let def = vec![
            item("bob", "EXECUTE", true),
            item("public", "EXECUTE", false),
        ];
        let eff = vec![item("bob", "EXECUTE", true)];
        let acl = normalise(&eff, &def, "bob");
        assert_eq!(acl.len(), 1);
        assert_eq!(acl[&key(Grantee::Public, "EXECUTE")], PrivState::Revoked);
        // Owner revoking their own privilege: same key whoever the owner.
        let eff = vec![item("carol", "SELECT", true)];
        let def = vec![item("carol", "SELECT", true), item("carol", "DELETE", true)];
        let acl = normalise(&eff, &def, "carol");
        assert_eq!(acl[&key(Grantee::Owner, "DELETE")], PrivState::Revoked);
    }

    #[test]
    fn grantors_merge_and_any_grant_option_wins() {
        let eff = vec![
            item("x", "SELECT", false),
            item("x", "SELECT", true),
            item("x", "INSERT", false),
            item("x", "INSERT", false),
        ];
        let acl = normalise(&eff, &[], "o");
        assert_eq!(
            acl[&key(Grantee::Role("x".into()), "SELECT")],
            PrivState::WithGrantOption
        );
        assert_eq!(
            acl[&key(Grantee::Role("x".into()), "INSERT")],
            PrivState::Granted
        );
    }

    #[test]
    fn initial_privileges_of_the_public_schema_are_the_default() {
        // PostgreSQL 15: pg_database_owner=UC, =U; 14: postgres=UC, =UC.
        let v15 = vec![
            item("pg_database_owner", "USAGE", true),
            item("pg_database_owner", "CREATE", true),
            item("public", "USAGE", false),
        ];
        assert!(normalise(&v15, &v15, "pg_database_owner").is_empty());
        let mut revoked = v15.clone();
        revoked.pop();
        let acl = normalise(&revoked, &v15, "pg_database_owner");
        assert_eq!(acl[&key(Grantee::Public, "USAGE")], PrivState::Revoked);
    }

    #[test]
    fn a_grant_to_the_owner_is_no_grant() {
        let mut eff = owner_all("alice");
        eff.push(item("alice", "SELECT", false));
        assert!(normalise(&eff, &owner_all("alice"), "alice").is_empty());
    }
}
