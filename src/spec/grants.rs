//! `grants:` — privileges (with `manage: [privileges]` in strata.yaml),
//! a top-level section keyed by object:
//!
//! ```yaml
//! grants:
//!   schema app: {app_reader: [usage]}
//!   table app.users:
//!     app_reader: [select]
//!     app_writer: [select, insert, update(email) with grant option]
//!   view app.emails: {public: [select]}
//!   sequence app.users_id_seq: {app_writer: [usage]}
//!   function app.answer(): {app_reader: [execute]}   # PUBLIC's EXECUTE revoked
//!   type app.mood: {}                                  # PUBLIC's USAGE revoked
//! ```
//!
//! Each entry lists who holds what beyond the owner; `public` is PUBLIC.
//! PostgreSQL gives PUBLIC EXECUTE on functions and USAGE on types by
//! default: an entry for a function or type is the complete list, so
//! leaving `public` out of it revokes that default, and an object with no
//! entry keeps it. A column privilege is written on its table
//! (`update(email)`). The grantor and the owner's own privileges are not
//! modelled ([`crate::acl`]). The same map may sit under the object
//! itself (`grants:` in a table, view, sequence, function or schema);
//! `pull` writes them all in one `grants.yaml`.

use std::collections::BTreeMap;

use marked_yaml::Node;

use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::acl::{valid_privileges, Acl, Grantee, PrivState, PrivTarget};
use crate::model::{Database, Origin, QualifiedName};

/// One object's grants as declared, checked against the model by
/// [`resolve`].
#[derive(Debug, Clone)]
pub struct GrantDecl {
    pub target: PrivTarget,
    pub acl: Acl,
    pub origin: Origin,
}

const KINDS: &[&str] = &["schema", "table", "view", "sequence", "function", "type"];

/// The `grants:` section of a file.
pub(super) fn decode_section(r: &mut Reader<'_>, node: &Node, out: &mut Vec<GrantDecl>) {
    let Some(map) = r.map(node, "a map of objects (table app.users, …) to grants") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let Some(target) = target(r, key, pos) else {
            continue;
        };
        out.extend(decode_map(r, body, &target, pos));
    }
}

/// `grants:` inside an object's own map (a table, view, sequence,
/// function or schema), same form as an entry of the section.
pub(super) fn decode_on(
    r: &mut Reader<'_>,
    m: &marked_yaml::types::MarkedMappingNode,
    target: PrivTarget,
    out: &mut Vec<GrantDecl>,
) {
    let Some((_, pos, node)) = entries(m).find(|(k, _, _)| *k == "grants") else {
        return;
    };
    if !super::yaml::is_null(node) {
        out.extend(decode_map(r, node, &target, pos));
    }
}

/// `table app.users`, `function app.f(integer)` → the object.
pub(super) fn target(r: &mut Reader<'_>, key: &str, pos: Pos) -> Option<PrivTarget> {
    let (kind, name) = key.trim().split_once(' ').unwrap_or((key.trim(), ""));
    let name = name.trim();
    if !KINDS.contains(&kind) || name.is_empty() {
        let hint = super::yaml::did_you_mean(kind, KINDS.iter().copied());
        r.error(
            pos,
            format!(
                "\"{key}\" names no object: write a kind (schema, table, view, sequence, function, type) and a name{hint}"
            ),
        );
        return None;
    }
    if kind == "schema" {
        let q = super::decode::qualified(r, name, pos, "")?;
        return Some(PrivTarget::Schema(q.name));
    }
    if kind == "function" {
        let Some((n, args)) = name.strip_suffix(')').and_then(|n| n.split_once('(')) else {
            r.error(
                pos,
                format!("function \"{name}\" needs its arguments: name(types)"),
            );
            return None;
        };
        let q = super::decode::qualified(r, n, pos, "public")?;
        return Some(PrivTarget::Routine(q, super::functions::identity(args)));
    }
    let q = super::decode::qualified(r, name, pos, "public")?;
    Some(match kind {
        "sequence" => PrivTarget::Sequence(q),
        "type" => PrivTarget::Type(q),
        _ => PrivTarget::Table(q),
    })
}

/// `{role: [privilege, …]}` on `target`: the ACL of the object, and of
/// its columns for column privileges.
fn decode_map(r: &mut Reader<'_>, node: &Node, target: &PrivTarget, pos: Pos) -> Vec<GrantDecl> {
    decode_acl(r, node, target, pos, true)
}

/// [`decode_map`]; `complete`: the list replaces PUBLIC's default (an
/// object's, a default privilege of every schema) rather than adding to
/// it (a default privilege of one schema).
pub(super) fn decode_acl(
    r: &mut Reader<'_>,
    node: &Node,
    target: &PrivTarget,
    pos: Pos,
    complete: bool,
) -> Vec<GrantDecl> {
    let mut acls: BTreeMap<PrivTarget, Acl> = BTreeMap::new();
    acls.insert(target.clone(), Acl::new());
    let Some(map) = r.map(node, "a map of roles to lists of privileges") else {
        return Vec::new();
    };
    let mut public_has = Vec::new();
    for (role, rpos, list) in entries(map) {
        let grantee = match role {
            "public" => Grantee::Public,
            r => Grantee::Role(r.to_string()),
        };
        let Some(items) = r.string_list(list, "a list of privileges") else {
            continue;
        };
        for (text, ipos) in items {
            let Some(p) = privilege(r, &text, ipos, target) else {
                continue;
            };
            let state = if p.grant_option {
                PrivState::WithGrantOption
            } else {
                PrivState::Granted
            };
            if grantee == Grantee::Public && p.columns.is_empty() {
                public_has.push(p.name.clone());
            }
            let key = (grantee.clone(), p.name.to_uppercase());
            let targets: Vec<PrivTarget> = match (&p.columns[..], target) {
                ([], t) => vec![t.clone()],
                (cols, PrivTarget::Table(t)) => cols
                    .iter()
                    .map(|c| PrivTarget::Column(t.clone(), c.clone()))
                    .collect(),
                _ => {
                    r.error(
                        ipos,
                        format!("column privileges are for tables and views, not {target}"),
                    );
                    continue;
                }
            };
            for t in targets {
                acls.entry(t).or_default().insert(key.clone(), state);
            }
        }
        let _ = rpos;
    }
    // PUBLIC's default left out of a complete list: revoked.
    if let Some(d) = public_default(target).filter(|_| complete) {
        let acl = acls.get_mut(target).expect("inserted above");
        if public_has.iter().any(|p| p == d) {
            acl.remove(&(Grantee::Public, d.to_uppercase()));
        } else {
            acl.insert((Grantee::Public, d.to_uppercase()), PrivState::Revoked);
        }
    }
    let origin = r.origin(pos);
    acls.into_iter()
        .map(|(target, acl)| GrantDecl {
            target,
            acl,
            origin: origin.clone(),
        })
        .collect()
}

/// What PostgreSQL gives PUBLIC on an object of this kind by default.
pub(super) fn public_default(target: &PrivTarget) -> Option<&'static str> {
    match target {
        PrivTarget::Routine(..) => Some("execute"),
        PrivTarget::Type(_) => Some("usage"),
        _ => None,
    }
}

struct Privilege {
    name: String,
    columns: Vec<String>,
    grant_option: bool,
}

/// `select`, `update(email, name)`, `insert with grant option`.
fn privilege(r: &mut Reader<'_>, text: &str, pos: Pos, target: &PrivTarget) -> Option<Privilege> {
    let lower = text.trim().to_lowercase();
    let (body, grant_option) = match lower.strip_suffix("with grant option") {
        Some(b) => (b.trim_end().to_string(), true),
        None => (lower.clone(), false),
    };
    let (name, columns) = match body.split_once('(') {
        Some((n, cols)) => {
            let Some(cols) = cols.trim_end().strip_suffix(')') else {
                r.error(pos, format!("unclosed column list in privilege \"{text}\""));
                return None;
            };
            // Column names as written (case kept): from the original text.
            let start = text.find('(').map_or(0, |i| i + 1);
            let end = text.rfind(')').unwrap_or(text.len());
            let _ = cols;
            let names = text[start..end]
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .filter(|c| !c.is_empty())
                .collect();
            (n.trim().to_string(), names)
        }
        None => (body.trim().to_string(), Vec::new()),
    };
    let valid = if columns.is_empty() {
        valid_privileges(target)
    } else {
        valid_privileges(&PrivTarget::Column(QualifiedName::default(), String::new()))
    };
    if !valid.contains(&name.as_str()) {
        let hint = super::yaml::did_you_mean(&name, valid.iter().copied());
        r.error(
            pos,
            format!(
                "\"{name}\" is no privilege on a {} ({}){hint}",
                kind_word(target, !columns.is_empty()),
                valid.join(", ")
            ),
        );
        return None;
    }
    Some(Privilege {
        name,
        columns,
        grant_option,
    })
}

fn kind_word(target: &PrivTarget, column: bool) -> &'static str {
    match target {
        _ if column => "column",
        PrivTarget::Schema(_) => "schema",
        PrivTarget::Table(_) | PrivTarget::Column(..) => "table",
        PrivTarget::Sequence(_) => "sequence",
        PrivTarget::Routine(..) => "function",
        PrivTarget::Type(_) => "type",
    }
}

/// Put the declared grants into the model, each on an object the model
/// holds (a function given without its exact argument spelling is found
/// by name when it has no overloads).
pub(super) fn resolve(
    decls: Vec<GrantDecl>,
    db: &mut Database,
    issues: &mut super::resolve::Issues,
) {
    for mut d in decls {
        settle_routine(&mut d.target, db);
        if !crate::diff::privileges::exists(db, &d.target) {
            issues.at(
                &d.origin,
                format!("grants on {}, which is not declared", d.target),
            );
            continue;
        }
        if d.acl.is_empty() {
            continue;
        }
        if db.privileges.contains_key(&d.target) {
            issues.at(
                &d.origin,
                format!("grants on {} are declared twice", d.target),
            );
            continue;
        }
        db.privileges.insert(d.target, d.acl);
    }
}

/// The `grants:` section for `pull`: every object's privileges, column
/// privileges on their table. `None` when there are none.
pub fn section_y(db: &Database) -> Option<Y> {
    let mut lists: BTreeMap<PrivTarget, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (target, acl) in &db.privileges {
        let (object, column) = match target {
            PrivTarget::Column(t, c) => (PrivTarget::Table(t.clone()), Some(c)),
            t => (t.clone(), None),
        };
        let roles = lists.entry(object.clone()).or_default();
        if let Some(d) = public_default(&object) {
            if !acl.contains_key(&(Grantee::Public, d.to_uppercase())) {
                roles.entry("public".into()).or_default().push(d.into());
            }
        }
        for ((grantee, p), state) in acl {
            let role = match grantee {
                Grantee::Public => "public".to_string(),
                Grantee::Role(r) => r.clone(),
                // The owner's own privileges are not written (see the
                // module doc).
                Grantee::Owner => continue,
            };
            let mut text = p.to_lowercase();
            if let Some(c) = column {
                text = format!("{text}({})", crate::pg::ident::quote_if_needed(c));
            }
            match state {
                PrivState::Granted => roles.entry(role).or_default().push(text),
                PrivState::WithGrantOption => roles
                    .entry(role)
                    .or_default()
                    .push(format!("{text} with grant option")),
                PrivState::Revoked => {}
            }
        }
    }
    if lists.is_empty() {
        return None;
    }
    let entries = lists
        .into_iter()
        .map(|(target, roles)| {
            let roles = roles
                .into_iter()
                .map(|(r, ps)| (r, Y::List(ps.into_iter().map(Y::Str).collect())))
                .collect();
            (key(db, &target), Y::Map(roles))
        })
        .collect();
    Some(Y::Block(entries))
}

/// `table app.users`, `function app.f(integer)`; `public.` left out,
/// names quoted where [`super::decode::qualified`] needs it.
pub(super) fn key(db: &Database, target: &PrivTarget) -> String {
    use crate::pg::ident::quote_if_needed as q;
    let name = |n: &QualifiedName| match n.schema.as_str() {
        "public" => q(&n.name).into_owned(),
        s => format!("{}.{}", q(s), q(&n.name)),
    };
    match target {
        PrivTarget::Schema(s) => format!("schema {}", q(s)),
        PrivTarget::Table(t) | PrivTarget::Column(t, _) => {
            let kind = if db.views.contains_key(t) {
                "view"
            } else {
                "table"
            };
            format!("{kind} {}", name(t))
        }
        PrivTarget::Sequence(s) => format!("sequence {}", name(s)),
        PrivTarget::Routine(n, i) => format!("function {}({i})", name(n)),
        PrivTarget::Type(t) => format!("type {}", name(t)),
    }
}

/// A function named without its exact argument spelling (`f(int)` for
/// `f(integer)`) becomes the one function or aggregate of that name, when
/// there is exactly one; otherwise the target is left as written (and
/// reported as not declared).
pub(super) fn settle_routine(target: &mut PrivTarget, db: &Database) {
    let PrivTarget::Routine(name, identity) = &*target else {
        return;
    };
    let key = (name.clone(), identity.clone());
    if db.functions.contains_key(&key) || db.aggregates.contains_key(&key) {
        return;
    }
    let same: Vec<_> = db
        .functions
        .keys()
        .chain(db.aggregates.keys())
        .filter(|(n, _)| n == name)
        .collect();
    if let [(n, i)] = same[..] {
        *target = PrivTarget::Routine(n.clone(), i.clone());
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::acl::{Grantee, PrivState, PrivTarget};
    use crate::model::QualifiedName;

    const OBJECTS: &str = "tables:\n  t:\n    columns:\n      id: bigint\n      email: text\n\
        functions:\n  f(x integer):\n    returns: integer\n    language: sql\n    body: SELECT x\n";

    fn load(grants: &str) -> Result<crate::model::Database, String> {
        let text = format!("{OBJECTS}grants:\n{grants}");
        crate::spec::load_str(Path::new("s.yaml"), &text).map_err(|e| e.to_string())
    }

    #[test]
    fn privileges_columns_options_and_public_defaults() {
        let db = load(
            "  table t: {r: [select, update(email) with grant option], public: [insert]}\n  \
             function f(integer): {r: [execute]}\n",
        )
        .unwrap();
        let t = QualifiedName::new("public", "t");
        let role = |r: &str| Grantee::Role(r.into());
        let acl = &db.privileges[&PrivTarget::Table(t.clone())];
        assert_eq!(acl[&(role("r"), "SELECT".into())], PrivState::Granted);
        assert_eq!(acl[&(Grantee::Public, "INSERT".into())], PrivState::Granted);
        let col = &db.privileges[&PrivTarget::Column(t, "email".into())];
        assert_eq!(
            col[&(role("r"), "UPDATE".into())],
            PrivState::WithGrantOption
        );
        // Found by name; PUBLIC left out of a function's list: revoked.
        let f = PrivTarget::Routine(QualifiedName::new("public", "f"), "x integer".into());
        assert_eq!(
            db.privileges[&f][&(Grantee::Public, "EXECUTE".into())],
            PrivState::Revoked
        );
        assert!(db.roles().contains(&"r".to_string()));
    }

    #[test]
    fn grants_under_the_objects_themselves() {
        let text = "schemas:\n  app: {grants: {r: [usage]}}\n\
            tables:\n  app.t:\n    columns:\n      id: bigint\n    grants: {r: [select, update(id)]}\n\
            views:\n  app.v:\n    query: SELECT id FROM app.t\n    grants: {public: [select]}\n\
            sequences:\n  app.s: {grants: {r: [usage]}}\n\
            functions:\n  app.f():\n    returns: integer\n    language: sql\n    body: SELECT 1\n    grants: {}\n";
        let db = crate::spec::load_str(Path::new("s.yaml"), text).unwrap();
        let q = |n: &str| QualifiedName::new("app", n);
        for target in [
            PrivTarget::Schema("app".into()),
            PrivTarget::Table(q("t")),
            PrivTarget::Column(q("t"), "id".into()),
            PrivTarget::Table(q("v")),
            PrivTarget::Sequence(q("s")),
            PrivTarget::Routine(q("f"), String::new()),
        ] {
            assert!(
                db.privileges.contains_key(&target),
                "{target}: {:?}",
                db.privileges
            );
        }
        // Twice (under the object and in the section) is an error.
        let twice = format!("{text}grants:\n  table app.t: {{r: [select]}}\n");
        let e = crate::spec::load_str(Path::new("s.yaml"), &twice).unwrap_err();
        assert!(e.to_string().contains("declared twice"), "{e}");
    }

    #[test]
    fn mistakes_are_positioned() {
        let e = load("  table t: {r: [selct]}\n").unwrap_err();
        assert!(
            e.contains("s.yaml:12:17:") && e.contains("did you mean \"select\""),
            "{e}"
        );
        let e = load("  tabel t: {r: [select]}\n").unwrap_err();
        assert!(e.contains("did you mean \"table\""), "{e}");
        let e = load("  table nope: {r: [select]}\n").unwrap_err();
        assert!(e.contains("table nope, which is not declared"), "{e}");
        let e = load("  function f(integer): {r: [select]}\n").unwrap_err();
        assert!(e.contains("no privilege on a function"), "{e}");
    }
}
