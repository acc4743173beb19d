//! `default_privileges:` — `ALTER DEFAULT PRIVILEGES` (with `manage:
//! [privileges]` in strata.yaml), a top-level section keyed by the role
//! whose new objects they apply to:
//!
//! ```yaml
//! default_privileges:
//!   app_owner:
//!     tables: {app_reader: [select]}     # tables app_owner creates anywhere
//!     functions: {}                      # PUBLIC's EXECUTE revoked
//!     in app:                            # … in schema app only (adds)
//!       sequences: {app_writer: [usage]}
//! ```
//!
//! Kinds: `tables`, `sequences`, `functions`, `types`, `schemas` (not
//! under `in`). An entry for every schema is the complete list, like an
//! object's grants (leaving `public` out of `functions` or `types`
//! revokes PUBLIC's default); an entry under `in <schema>` adds to it,
//! as PostgreSQL's per-schema defaults do. Compared with the target's
//! `pg_default_acl` directly ([`crate::diff::default_privileges`]).

use std::collections::BTreeMap;

use marked_yaml::Node;

use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::acl::{Acl, DefaultAclKey, DefaultOn, Grantee, PrivState};
use crate::model::{Database, Origin};

/// One declared entry, checked against the model by [`resolve`].
#[derive(Debug, Clone)]
pub struct DefaultDecl {
    pub key: DefaultAclKey,
    pub acl: Acl,
    pub origin: Origin,
}

pub(super) fn decode_section(r: &mut Reader<'_>, node: &Node, out: &mut Vec<DefaultDecl>) {
    let Some(map) = r.map(node, "a map of roles to their default privileges") else {
        return;
    };
    for (role, _, body) in entries(map) {
        let Some(m) = r.map(body, "a map of kinds (tables, sequences, functions, types, schemas) or `in <schema>` to grants") else {
            continue;
        };
        for (key, pos, value) in entries(m) {
            match key.strip_prefix("in ") {
                Some(schema) => {
                    let Some(q) = super::decode::qualified(r, schema.trim(), pos, "") else {
                        continue;
                    };
                    let Some(inner) = r.map(value, "a map of kinds to grants") else {
                        continue;
                    };
                    for (kind, kpos, v) in entries(inner) {
                        one(r, role, Some(&q.name), kind, kpos, v, out);
                    }
                }
                None => one(r, role, None, key, pos, value, out),
            }
        }
    }
}

fn one(
    r: &mut Reader<'_>,
    role: &str,
    schema: Option<&str>,
    kind: &str,
    pos: Pos,
    node: &Node,
    out: &mut Vec<DefaultDecl>,
) {
    let Some(on) = DefaultOn::ALL.into_iter().find(|o| o.word() == kind) else {
        let hint = super::yaml::did_you_mean(kind, DefaultOn::ALL.iter().map(|o| o.word()));
        r.error(
            pos,
            format!("\"{kind}\" is no kind of default privileges (tables, sequences, functions, types, schemas, or `in <schema>`){hint}"),
        );
        return;
    };
    if schema.is_some() && on == DefaultOn::Schemas {
        r.error(
            pos,
            "default privileges on schemas apply to every schema, not under `in`",
        );
        return;
    }
    let sample = on.sample();
    let decls = super::grants::decode_acl(r, node, &sample, pos, schema.is_none());
    if decls.iter().any(|d| d.target != sample) {
        r.error(pos, "default privileges have no column privileges");
        return;
    }
    let acl = decls.into_iter().next().map(|d| d.acl).unwrap_or_default();
    out.push(DefaultDecl {
        key: DefaultAclKey {
            role: role.to_string(),
            schema: schema.map(str::to_string),
            on,
        },
        acl,
        origin: r.origin(pos),
    });
}

/// Put the declared entries into the model (their schema must be one it
/// has).
pub(super) fn resolve(
    decls: Vec<DefaultDecl>,
    db: &mut Database,
    issues: &mut super::resolve::Issues,
) {
    for d in decls {
        if let Some(s) = &d.key.schema {
            if s != "public" && !db.schemas.contains_key(s) {
                issues.at(
                    &d.origin,
                    format!("default privileges {}: schema {s} is not declared", d.key),
                );
                continue;
            }
        }
        if db.default_privileges.of.contains_key(&d.key) {
            issues.at(
                &d.origin,
                format!("default privileges {} are declared twice", d.key),
            );
            continue;
        }
        if !d.acl.is_empty() {
            db.default_privileges.of.insert(d.key, d.acl);
        }
    }
}

/// The `default_privileges:` section for `pull`; `None` when there are
/// none.
pub fn section_y(db: &Database) -> Option<Y> {
    type Kinds = BTreeMap<String, Y>;
    let mut roles: BTreeMap<String, (Kinds, BTreeMap<String, Kinds>)> = BTreeMap::new();
    for (key, acl) in &db.default_privileges.of {
        let list = grants_y(acl, key.on, key.schema.is_none());
        let (global, schemas) = roles.entry(key.role.clone()).or_default();
        match &key.schema {
            None => global.insert(key.on.word().into(), list),
            Some(s) => schemas
                .entry(s.clone())
                .or_default()
                .insert(key.on.word().into(), list),
        };
    }
    if roles.is_empty() {
        return None;
    }
    let entries = roles
        .into_iter()
        .map(|(role, (global, schemas))| {
            let mut items: Vec<(String, Y)> = global.into_iter().collect();
            items.extend(schemas.into_iter().map(|(s, kinds)| {
                let name = crate::pg::ident::quote_if_needed(&s).into_owned();
                (format!("in {name}"), Y::Block(kinds.into_iter().collect()))
            }));
            (role, Y::Block(items))
        })
        .collect();
    Some(Y::Block(entries))
}

/// `{role: [privileges]}` of one entry; a complete list names PUBLIC's
/// default when it is kept.
fn grants_y(acl: &Acl, on: DefaultOn, complete: bool) -> Y {
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(d) = super::grants::public_default(&on.sample()).filter(|_| complete) {
        if !acl.contains_key(&(Grantee::Public, d.to_uppercase())) {
            roles.entry("public".into()).or_default().push(d.into());
        }
    }
    for ((grantee, p), state) in acl {
        let role = match grantee {
            Grantee::Public => "public".to_string(),
            Grantee::Role(r) => r.clone(),
            Grantee::Owner => continue,
        };
        let text = p.to_lowercase();
        match state {
            PrivState::Granted => roles.entry(role).or_default().push(text),
            PrivState::WithGrantOption => roles
                .entry(role)
                .or_default()
                .push(format!("{text} with grant option")),
            PrivState::Revoked => {}
        }
    }
    Y::Map(
        roles
            .into_iter()
            .map(|(r, ps)| (r, Y::List(ps.into_iter().map(Y::Str).collect())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::acl::{DefaultAclKey, DefaultOn, Grantee, PrivState};

    fn load(text: &str) -> Result<crate::model::Database, String> {
        let text = format!("schemas: [app]\ndefault_privileges:\n{text}");
        crate::spec::load_str(Path::new("s.yaml"), &text).map_err(|e| e.to_string())
    }

    #[test]
    fn entries_of_every_schema_are_complete_those_of_one_add() {
        let db = load(
            "  owner:\n    functions: {}\n    tables: {r: [select]}\n    \
             in app:\n      functions: {r: [execute]}\n",
        )
        .unwrap();
        let key = |schema: Option<&str>, on| DefaultAclKey {
            role: "owner".into(),
            schema: schema.map(Into::into),
            on,
        };
        let of = &db.default_privileges.of;
        assert_eq!(
            of[&key(None, DefaultOn::Functions)][&(Grantee::Public, "EXECUTE".into())],
            PrivState::Revoked
        );
        let app = &of[&key(Some("app"), DefaultOn::Functions)];
        assert_eq!(app.len(), 1, "{app:?}");
        assert_eq!(
            of[&key(None, DefaultOn::Tables)][&(Grantee::Role("r".into()), "SELECT".into())],
            PrivState::Granted
        );
        let y = super::section_y(&db).unwrap();
        let text = crate::spec::emit::render(&crate::spec::emit::Y::Block(vec![(
            "default_privileges".into(),
            y,
        )]));
        let again =
            crate::spec::load_str(Path::new("s.yaml"), &format!("schemas: [app]\n{text}")).unwrap();
        assert_eq!(again.default_privileges, db.default_privileges, "{text}");
    }

    #[test]
    fn mistakes_are_positioned() {
        let e = load("  owner:\n    tabels: {r: [select]}\n").unwrap_err();
        assert!(
            e.contains("s.yaml:4:5") && e.contains("did you mean \"tables\""),
            "{e}"
        );
        let e = load("  owner:\n    in nope:\n      tables: {r: [select]}\n").unwrap_err();
        assert!(e.contains("schema nope is not declared"), "{e}");
        let e = load("  owner:\n    in app:\n      schemas: {r: [usage]}\n").unwrap_err();
        assert!(e.contains("not under `in`"), "{e}");
        let e = load("  owner:\n    tables: {r: [execute]}\n").unwrap_err();
        assert!(e.contains("no privilege on a table"), "{e}");
    }
}
