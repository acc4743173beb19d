//! Table properties in YAML (issue 14):
//!
//! ```yaml
//! tables:
//!   events:
//!     unlogged: true
//!     with: {fillfactor: 70, autovacuum_enabled: false, toast.autovacuum_enabled: false}
//!     replica_identity: full          # default | full | nothing | using index NAME
//!     cluster_on: events_created_idx  # an index or primary key/unique constraint name
//!     row_level_security: forced      # enabled | forced (the owner too) | disabled
//! ```

use marked_yaml::types::MarkedMappingNode;

use super::decode::TableDecl;
use super::emit::Y;
use super::yaml::{is_null, node_pos, Reader};
use crate::model::{ReplicaIdentity, Table};

/// The keys this module reads in a table entry.
pub(crate) const KEYS: &[&str] = &[
    "unlogged",
    "with",
    "replica_identity",
    "cluster_on",
    "row_level_security",
];

pub(crate) const RLS_KEYS: &[&str] = &["enabled", "forced"];

pub(super) fn decode(r: &mut Reader<'_>, m: &MarkedMappingNode, decl: &mut TableDecl) {
    let t = &mut decl.table;
    let node = |key: &str| m.get_node(key).filter(|n| !is_null(n));
    if let Some(n) = node("unlogged") {
        t.unlogged = r.bool(n).unwrap_or(false);
    }
    if let Some(n) = node("with") {
        t.storage = storage(r, n);
    }
    if let Some(n) = node("replica_identity") {
        if let Some(text) = r.string(n, "default, full, nothing or using index NAME") {
            match replica_identity(&text) {
                Some(ri) => t.replica_identity = ri,
                None => r.error(
                    node_pos(n),
                    format!(
                        "replica_identity: {text:?} is not default, full, nothing or using index NAME"
                    ),
                ),
            }
        }
    }
    if let Some(n) = node("cluster_on") {
        t.cluster_on = r.string(n, "an index name");
    }
    if let Some(n) = node("row_level_security") {
        row_level_security(r, n, t);
    }
}

/// `with: {fillfactor: 70, …}`: storage parameters by name, booleans
/// spelled `true` / `false` (a table's or a materialized view's).
pub(super) fn storage(
    r: &mut Reader<'_>,
    n: &marked_yaml::Node,
) -> std::collections::BTreeMap<String, String> {
    super::indexes::storage_params(r, n)
        .into_iter()
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            let v = crate::pg::reloptions::canonical(k.trim(), v.trim());
            Some((k.trim().to_string(), v))
        })
        .collect()
}

/// `enabled`, `forced`, `disabled`, or `{enabled: false, forced: true}`.
fn row_level_security(r: &mut Reader<'_>, n: &marked_yaml::Node, t: &mut Table) {
    // The rare FORCE without ENABLE (no effect until enabled) as a map.
    if let marked_yaml::Node::Mapping(flags) = n {
        r.check_keys(flags, RLS_KEYS, "row_level_security");
        let flag = |r: &mut Reader<'_>, k: &str| flags.get_node(k).and_then(|f| r.bool(f));
        t.row_security = flag(r, "enabled").unwrap_or(false);
        t.force_row_security = flag(r, "forced").unwrap_or(false);
        return;
    }
    let expected = "enabled, forced (enabled for the owner too) or disabled";
    match r
        .string(n, expected)
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("enabled" | "true") => t.row_security = true,
        Some("forced") => (t.row_security, t.force_row_security) = (true, true),
        Some("disabled" | "false") | None => {}
        Some(s) => r.error(
            node_pos(n),
            format!("row_level_security: {s:?} is not {expected}"),
        ),
    }
}

/// `default`, `full`, `nothing`, `using index NAME` (keywords in any
/// case; `index NAME` too; NAME as written, spaces and all).
fn replica_identity(text: &str) -> Option<ReplicaIdentity> {
    let text = text.trim();
    match text.to_ascii_lowercase().as_str() {
        "default" => return Some(ReplicaIdentity::Default),
        "full" => return Some(ReplicaIdentity::Full),
        "nothing" => return Some(ReplicaIdentity::Nothing),
        _ => {}
    }
    let mut words = text.splitn(2, char::is_whitespace);
    let mut rest = |want: &str| {
        let w = words.next()?;
        w.eq_ignore_ascii_case(want)
            .then(|| words.next().unwrap_or("").trim_start())
    };
    let name = match text.get(..5).map(str::to_ascii_lowercase).as_deref() {
        Some("using") => {
            let after = rest("using")?;
            let mut w = after.splitn(2, char::is_whitespace);
            let kw = w.next()?;
            kw.eq_ignore_ascii_case("index")
                .then(|| w.next().unwrap_or("").trim())?
        }
        _ => rest("index")?.trim(),
    };
    (!name.is_empty()).then(|| ReplicaIdentity::Index(name.to_string()))
}

/// `pull`'s keys for the properties `t` has (none for the defaults).
pub(super) fn write(t: &Table, body: &mut Vec<(String, Y)>) {
    if t.unlogged {
        body.push(("unlogged".into(), Y::Raw("true".into())));
    }
    if !t.storage.is_empty() {
        let with = t
            .storage
            .iter()
            .map(|(k, v)| (k.clone(), Y::str(v)))
            .collect();
        body.push(("with".into(), Y::Map(with)));
    }
    let ri = match &t.replica_identity {
        ReplicaIdentity::Default => None,
        ReplicaIdentity::Full => Some("full".to_string()),
        ReplicaIdentity::Nothing => Some("nothing".to_string()),
        ReplicaIdentity::Index(i) => Some(format!("using index {i}")),
    };
    if let Some(ri) = ri {
        body.push(("replica_identity".into(), Y::Str(ri)));
    }
    if let Some(i) = &t.cluster_on {
        body.push(("cluster_on".into(), Y::str(i)));
    }
    let rls = match (t.row_security, t.force_row_security) {
        (true, true) => Some(Y::Str("forced".into())),
        (true, false) => Some(Y::Str("enabled".into())),
        (false, true) => Some(Y::Map(vec![
            ("enabled".into(), Y::Raw("false".into())),
            ("forced".into(), Y::Raw("true".into())),
        ])),
        (false, false) => None,
    };
    if let Some(rls) = rls {
        body.push(("row_level_security".into(), rls));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replica_identity_spellings() {
        assert_eq!(replica_identity("FULL"), Some(ReplicaIdentity::Full));
        assert_eq!(
            replica_identity("using index Orders_pkey"),
            Some(ReplicaIdentity::Index("Orders_pkey".into()))
        );
        assert_eq!(
            replica_identity("index my idx"),
            Some(ReplicaIdentity::Index("my idx".into()))
        );
        assert_eq!(replica_identity("using"), None);
        assert_eq!(replica_identity("using index "), None);
        assert_eq!(replica_identity("full please"), None);
    }
}
