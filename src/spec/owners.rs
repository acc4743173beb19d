//! Owners (with `manage: [owners]` in strata.yaml): `owner: role` on a
//! table, view, sequence, function or schema, or the top-level `owners:`
//! section keyed like `grants:` — the only place for types, whose YAML
//! (an enum's label list) has no room for it:
//!
//! ```yaml
//! owners:
//!   schema app: app_owner
//!   table app.users: app_owner
//!   type app.mood: app_owner
//!   function app.answer(): app_owner    # procedures and aggregates too
//! ```
//!
//! strata.yaml's `owner:` gives every object without one its owner. The
//! `public` schema's owner is not managed (initdb's). `pull` writes the
//! owners that differ from that default in `owners.yaml`.

use marked_yaml::Node;

use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::acl::PrivTarget;
use crate::model::{Database, Origin};

/// One object's owner as declared, checked against the model by
/// [`resolve`].
#[derive(Debug, Clone)]
pub struct OwnerDecl {
    pub target: PrivTarget,
    pub owner: String,
    pub origin: Origin,
}

/// The `owners:` section of a file.
pub(super) fn decode_section(r: &mut Reader<'_>, node: &Node, out: &mut Vec<OwnerDecl>) {
    let Some(map) = r.map(node, "a map of objects (table app.users, …) to roles") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let Some(target) = super::grants::target(r, key, pos) else {
            continue;
        };
        one(r, body, target, pos, out);
    }
}

/// `owner:` inside an object's own map.
pub(super) fn decode_on(
    r: &mut Reader<'_>,
    m: &marked_yaml::types::MarkedMappingNode,
    target: &PrivTarget,
    out: &mut Vec<OwnerDecl>,
) {
    if let Some((_, pos, node)) = entries(m).find(|(k, _, _)| *k == "owner") {
        one(r, node, target.clone(), pos, out);
    }
}

fn one(r: &mut Reader<'_>, node: &Node, target: PrivTarget, pos: Pos, out: &mut Vec<OwnerDecl>) {
    let Some(owner) = r.string(node, "a role name") else {
        return;
    };
    if matches!(&target, PrivTarget::Schema(s) if s == "public") {
        r.error(
            pos,
            "the public schema's owner is not managed (initdb creates it; strata leaves it alone)",
        );
        return;
    }
    if owner.eq_ignore_ascii_case("public") || owner.is_empty() {
        r.error(
            pos,
            format!("\"{owner}\" cannot own an object: name a role"),
        );
        return;
    }
    out.push(OwnerDecl {
        target,
        owner,
        origin: r.origin(pos),
    });
}

/// Put the declared owners into the model, each on an object it holds (a
/// function named without its exact argument spelling is found by name
/// when it has no overloads).
pub(super) fn resolve(
    decls: Vec<OwnerDecl>,
    db: &mut Database,
    issues: &mut super::resolve::Issues,
) {
    for mut d in decls {
        super::grants::settle_routine(&mut d.target, db);
        if let PrivTarget::Sequence(s) = &d.target {
            if db.sequences.get(s).is_some_and(|s| s.owned_by.is_some()) {
                issues.at(
                    &d.origin,
                    format!(
                        "{} is owned by a column: it has its table's owner",
                        d.target
                    ),
                );
                continue;
            }
        }
        if crate::diff::owners::kind(db, &d.target).is_none() {
            issues.at(
                &d.origin,
                format!("owner of {}, which is not declared", d.target),
            );
            continue;
        }
        if db.owners.of.contains_key(&d.target) {
            issues.at(
                &d.origin,
                format!("the owner of {} is declared twice", d.target),
            );
            continue;
        }
        db.owners.of.insert(d.target, d.owner);
    }
}

/// The `owners:` section for `pull` (which leaves out the owners equal
/// to strata.yaml's `owner:` first). `None` when there is none to write.
pub fn section_y(db: &Database) -> Option<Y> {
    let entries: Vec<(String, Y)> = db
        .owners
        .of
        .iter()
        .map(|(t, o)| (super::grants::key(db, t), Y::Str(o.clone())))
        .collect();
    (!entries.is_empty()).then_some(Y::Block(entries))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    const OBJECTS: &str = "schemas:\n  app:\n    owner: schema_owner\n\
        tables:\n  app.t:\n    owner: t_owner\n    columns:\n      id: bigint\n\
        enums:\n  app.mood: [ok, sad]\n\
        functions:\n  app.f(x integer):\n    returns: integer\n    language: sql\n    body: SELECT x\n";

    fn load(extra: &str) -> Result<crate::model::Database, String> {
        let text = format!("{OBJECTS}{extra}");
        crate::spec::load_str(Path::new("s.yaml"), &text).map_err(|e| e.to_string())
    }

    #[test]
    fn owners_on_objects_and_in_the_section() {
        let db =
            load("owners:\n  type app.mood: type_owner\n  function app.f(integer): fn_owner\n")
                .unwrap();
        let of: std::collections::BTreeMap<String, String> = db
            .owners
            .of
            .iter()
            .map(|(t, o)| (t.to_string(), o.clone()))
            .collect();
        assert_eq!(of["schema app"], "schema_owner");
        assert_eq!(of["table app.t"], "t_owner");
        assert_eq!(of["type app.mood"], "type_owner");
        assert_eq!(of["function app.f(x integer)"], "fn_owner");
        let y = super::section_y(&db).unwrap();
        let text =
            crate::spec::emit::render(&crate::spec::emit::Y::Block(vec![("owners".into(), y)]));
        assert!(text.contains("table app.t: t_owner"), "{text}");
        assert!(text.contains("type app.mood: type_owner"), "{text}");
    }

    #[test]
    fn mistakes_are_positioned() {
        let e = load("owners:\n  table app.nope: x\n").unwrap_err();
        assert!(
            e.contains("owner of table app.nope, which is not declared"),
            "{e}"
        );
        let e = load("owners:\n  table app.t: x\n").unwrap_err();
        assert!(e.contains("declared twice"), "{e}");
        let e = load("owners:\n  schema public: x\n").unwrap_err();
        assert!(e.contains("public schema's owner is not managed"), "{e}");
        let e = load("owners:\n  type app.mood: [a]\n").unwrap_err();
        assert!(e.contains("s.yaml:"), "{e}");
    }
}
