//! `policies:` of a table (or of a mixin, which gives them to every table
//! using it): row-level security policies.
//!
//! ```yaml
//! tables:
//!   job_results:
//!     row_level_security: forced
//!     policies:
//!       tenant_isolation:
//!         command: all                  # select, insert, update, delete
//!         as: permissive                # restrictive
//!         to: [app_user]                # roles; public (the default)
//!         using: organization_id = current_setting('app.current_org_id')::uuid
//!         with_check: organization_id = current_setting('app.current_org_id')::uuid
//!         comment: Each tenant sees its own rows
//!         renamed_from: tenant_rows     # rename in place
//! ```
//!
//! Role names are written as they are (`App Reader`, not quoted);
//! `public` means PUBLIC. `current_user`, `current_role` and
//! `session_user` are refused: PostgreSQL stores the role they stand for
//! when the policy is created, which differs between the shadow database
//! and the target.

use marked_yaml::Node;

use super::decode::TableDecl;
use super::emit::Y;
use super::yaml::{entries, Reader};
use crate::model::{Policy, QualifiedName};

pub(crate) const KEYS: &[&str] = &[
    "command",
    "as",
    "to",
    "using",
    "with_check",
    "comment",
    "renamed_from",
];

const COMMANDS: [(&str, &str); 5] = [
    ("all", "all"),
    ("select", "select"),
    ("insert", "insert"),
    ("update", "update"),
    ("delete", "delete"),
];

pub(super) fn decode_policies(r: &mut Reader<'_>, node: &Node, decl: &mut TableDecl) {
    let Some(map) = r.map(node, "a map of policy names to policies") else {
        return;
    };
    for (name, pos, body) in entries(map) {
        let ctx = format!("policy \"{name}\"");
        let Some(m) = r.map(body, "a policy map (command: …, to: …, using: …)") else {
            continue;
        };
        r.check_keys(m, KEYS, &ctx);
        let mut p = Policy {
            name: name.to_string(),
            permissive: true,
            command: "all".into(),
            roles: vec!["public".into()],
            origin: r.origin(pos),
            ..Default::default()
        };
        if let Some(n) = m.get_node("command") {
            p.command = r.one_of(n, &COMMANDS).unwrap_or("all").to_string();
        }
        if let Some(n) = m.get_node("as") {
            let opts = [("permissive", true), ("restrictive", false)];
            p.permissive = r.one_of(n, &opts).unwrap_or(true);
        }
        if let Some(n) = m.get_node("to") {
            p.roles = roles(r, n, &ctx);
        }
        let mut text = |k: &str| m.get_node(k).and_then(|n| r.opt_string(n, "an expression"));
        p.using = text("using").filter(|s| !s.trim().is_empty());
        p.with_check = text("with_check").filter(|s| !s.trim().is_empty());
        p.comment = text("comment");
        p.renamed_from = text("renamed_from");
        let wrong = match p.command.as_str() {
            "insert" if p.using.is_some() => {
                Some("an insert policy has no `using` (only `with_check`)")
            }
            "select" | "delete" if p.with_check.is_some() => {
                Some("a select or delete policy has no `with_check` (only `using`)")
            }
            _ => None,
        };
        if let Some(why) = wrong {
            r.error(pos, format!("{ctx}: {why}"));
            continue;
        }
        decl.policies.push(p);
    }
}

/// `to:` — a role or a list of roles, sorted; `public` is PUBLIC.
fn roles(r: &mut Reader<'_>, node: &Node, ctx: &str) -> Vec<String> {
    let list = r
        .string_list(node, "a role or a list of roles")
        .unwrap_or_default();
    let mut out = Vec::new();
    for (role, pos) in list {
        let lower = role.to_ascii_lowercase();
        if ["current_user", "current_role", "session_user"].contains(&lower.as_str()) {
            r.error(
                pos,
                format!(
                    "{ctx}: name the role instead of {role} (PostgreSQL stores the role it stands \
                     for when the policy is created, which differs between databases)"
                ),
            );
            continue;
        }
        out.push(if lower == "public" { lower } else { role });
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push("public".into());
    }
    out
}

/// The policies of `decl` on `table`.
pub fn on(policies: &[Policy], table: &QualifiedName) -> Vec<Policy> {
    policies
        .iter()
        .map(|p| Policy {
            table: table.clone(),
            ..p.clone()
        })
        .collect()
}

/// The YAML of a policy: only what differs from the defaults.
pub fn policy_y(p: &Policy) -> Y {
    let mut m = Vec::new();
    if p.command != "all" {
        m.push(("command".to_string(), Y::str(&p.command)));
    }
    if !p.permissive {
        m.push(("as".into(), Y::str("restrictive")));
    }
    if p.roles != ["public"] {
        m.push(("to".into(), Y::strs(&p.roles)));
    }
    if let Some(u) = &p.using {
        m.push(("using".into(), Y::str(u)));
    }
    if let Some(w) = &p.with_check {
        m.push(("with_check".into(), Y::str(w)));
    }
    if let Some(c) = &p.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    if m.is_empty() {
        // A policy of all defaults still needs a map to be one.
        m.push(("command".into(), Y::str("all")));
    }
    Y::Block(m)
}
