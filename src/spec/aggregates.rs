//! The `aggregates:` section: user-defined aggregates, keyed like
//! functions by `name(arguments)` (`name(*)` for none; ordered-set ones
//! with `ORDER BY`), each clause of `CREATE AGGREGATE` a key.
//!
//! ```yaml
//! aggregates:
//!   group_concat(text):
//!     sfunc: _group_concat       # SQL names, as CREATE AGGREGATE takes them
//!     stype: text
//!     initcond: ""
//!     finalfunc: upper
//!     combinefunc: _group_concat
//!     parallel: safe             # restricted, unsafe (the default)
//!     comment: Comma-separated
//!   app.pct(p float8 ORDER BY anyelement):
//!     sfunc: app.pct_add
//!     stype: numeric[]
//!     finalfunc: app.pct_final
//!     finalfunc_extra: true
//! ```
//!
//! Also: `sspace`, `finalfunc_modify` (`read_only`, `shareable`,
//! `read_write`), `serialfunc`, `deserialfunc`, the moving-aggregate
//! clauses `msfunc`, `minvfunc`, `mstype`, `msspace`, `mfinalfunc`,
//! `mfinalfunc_extra`, `mfinalfunc_modify`, `minitcond`, and `sortop`,
//! `hypothetical`, `schema`. Values are SQL text: they only build the
//! shadow database, whose catalog is what gets compared.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use super::decode::{qualified, FileDecls};
use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::model::{Aggregate, AggregateAttrs, QualifiedName};

/// Clauses holding SQL text, in the order `pull` writes them.
pub(crate) const TEXT_KEYS: &[&str] = &[
    "sfunc",
    "stype",
    "initcond",
    "finalfunc",
    "combinefunc",
    "serialfunc",
    "deserialfunc",
    "msfunc",
    "minvfunc",
    "mstype",
    "minitcond",
    "mfinalfunc",
    "sortop",
];

pub(crate) const OTHER_KEYS: &[&str] = &[
    "sspace",
    "msspace",
    "finalfunc_extra",
    "mfinalfunc_extra",
    "finalfunc_modify",
    "mfinalfunc_modify",
    "hypothetical",
    "parallel",
    "comment",
    "schema",
];

const MODIFY: [(&str, &str); 3] = [
    ("read_only", "READ_ONLY"),
    ("shareable", "SHAREABLE"),
    ("read_write", "READ_WRITE"),
];

pub(super) fn decode_aggregates(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of aggregate signatures to aggregates") else {
        return;
    };
    let keys: Vec<&str> = TEXT_KEYS.iter().chain(OTHER_KEYS).copied().collect();
    for (key, pos, body) in entries(map) {
        let ctx = format!("aggregate \"{key}\"");
        let Some(m) = r.map(body, "an aggregate map (sfunc: …, stype: …)") else {
            continue;
        };
        r.check_keys(m, &keys, &ctx);
        let schema = m
            .get_node("schema")
            .and_then(|n| r.opt_string(n, "a schema name"));
        let Some((name, args)) = signature(r, key, pos, schema.as_deref()) else {
            continue;
        };
        if let Some(a) = decode_one(r, m, name, &args, pos, &ctx, &keys) {
            out.aggregates.push(a);
        }
    }
}

/// `name(args)` → the qualified name and the argument list as written
/// (`*` is no arguments).
fn signature(
    r: &mut Reader<'_>,
    key: &str,
    pos: Pos,
    schema: Option<&str>,
) -> Option<(QualifiedName, String)> {
    let open = super::functions::name_end(key);
    let (Some(open), true) = (open, key.trim_end().ends_with(')')) else {
        r.error(
            pos,
            format!("aggregate \"{key}\" needs its arguments: name(…), e.g. agg(text) or agg(*)"),
        );
        return None;
    };
    let name = qualified(r, key[..open].trim(), pos, schema.unwrap_or("public"))?;
    let args = key[open + 1..key.trim_end().len() - 1].trim();
    let args = if args == "*" { "" } else { args };
    Some((name, args.to_string()))
}

fn decode_one(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    name: QualifiedName,
    args: &str,
    pos: Pos,
    ctx: &str,
    keys: &[&str],
) -> Option<Aggregate> {
    let mut text = |k: &str| {
        m.get_node(k)
            .and_then(|n| r.opt_string(n, "SQL text (a name, a type, a value)"))
    };
    let (sfunc, stype) = (text("sfunc"), text("stype"));
    let mut t = AggregateAttrs {
        initcond: text("initcond"),
        finalfunc: text("finalfunc"),
        combinefunc: text("combinefunc"),
        serialfunc: text("serialfunc"),
        deserialfunc: text("deserialfunc"),
        msfunc: text("msfunc"),
        minvfunc: text("minvfunc"),
        mstype: text("mstype"),
        minitcond: text("minitcond"),
        mfinalfunc: text("mfinalfunc"),
        sortop: text("sortop"),
        parallel: "u".into(),
        ..Default::default()
    };
    let (Some(sfunc), Some(stype)) = (sfunc, stype) else {
        // A misspelt key already explains a missing one.
        if m.keys().all(|k| keys.contains(&k.as_str())) {
            r.error(pos, format!("{ctx} needs an sfunc and an stype"));
        }
        return None;
    };
    (t.sfunc, t.stype) = (sfunc, stype);
    let mut int = |k: &str| {
        m.get_node(k)
            .and_then(|n| r.i64(n))
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(0)
    };
    (t.sspace, t.msspace) = (int("sspace"), int("msspace"));
    let mut flag = |k: &str| m.get_node(k).and_then(|n| r.bool(n)).unwrap_or(false);
    (t.finalfunc_extra, t.mfinalfunc_extra) = (flag("finalfunc_extra"), flag("mfinalfunc_extra"));
    let hypothetical = flag("hypothetical");
    let mut modify = |k: &str| m.get_node(k).and_then(|n| r.one_of(n, &MODIFY));
    t.finalfunc_modify = modify("finalfunc_modify").map(str::to_string);
    t.mfinalfunc_modify = modify("mfinalfunc_modify").map(str::to_string);
    if let Some(v) = m.get_node("parallel") {
        let opts = [("safe", "s"), ("restricted", "r"), ("unsafe", "u")];
        if let Some(code) = r.one_of(v, &opts) {
            t.parallel = code.into();
        }
    }
    let comment = m
        .get_node("comment")
        .and_then(|n| r.opt_string(n, "a string"));
    let ordered = args.to_ascii_uppercase().contains("ORDER BY");
    Some(Aggregate {
        identity: super::functions::identity(args),
        arguments: args.to_string(),
        kind: match (hypothetical, ordered) {
            (true, _) => 'h',
            (false, true) => 'o',
            _ => 'n',
        },
        attrs: t,
        comment,
        origin: r.origin(pos),
        name,
        ..Default::default()
    })
}

/// The YAML key of a catalog aggregate: `name(arguments)`, qualified
/// outside `public`, `name(*)` without arguments.
pub fn aggregate_key(a: &Aggregate) -> String {
    let name = super::functions::routine_name(&a.name);
    let args = if a.arguments.is_empty() {
        "*"
    } else {
        &a.arguments
    };
    format!("{name}({args})")
}

/// The YAML body of a catalog aggregate.
pub fn aggregate_y(a: &Aggregate) -> Y {
    let t = &a.attrs;
    let mut m: Vec<(String, Y)> = Vec::new();
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.push((k.to_string(), Y::str(v)));
        }
    };
    put("sfunc", &Some(t.sfunc.clone()));
    put("stype", &Some(t.stype.clone()));
    put("initcond", &t.initcond);
    put("finalfunc", &t.finalfunc);
    put("combinefunc", &t.combinefunc);
    put("serialfunc", &t.serialfunc);
    put("deserialfunc", &t.deserialfunc);
    put("msfunc", &t.msfunc);
    put("minvfunc", &t.minvfunc);
    put("mstype", &t.mstype);
    put("minitcond", &t.minitcond);
    put("mfinalfunc", &t.mfinalfunc);
    put("sortop", &t.sortop);
    let lower = |v: &Option<String>| v.as_ref().map(|s| s.to_ascii_lowercase());
    put("finalfunc_modify", &lower(&t.finalfunc_modify));
    put("mfinalfunc_modify", &lower(&t.mfinalfunc_modify));
    let parallel = match t.parallel.as_str() {
        "s" => Some("safe".to_string()),
        "r" => Some("restricted".to_string()),
        _ => None,
    };
    put("parallel", &parallel);
    put("comment", &a.comment);
    for (k, v) in [("sspace", t.sspace), ("msspace", t.msspace)] {
        if v != 0 {
            m.push((k.into(), Y::int(v.into())));
        }
    }
    for (k, on) in [
        ("finalfunc_extra", t.finalfunc_extra),
        ("mfinalfunc_extra", t.mfinalfunc_extra),
        ("hypothetical", a.kind == 'h'),
    ] {
        if on {
            m.push((k.into(), Y::bool(true)));
        }
    }
    Y::Block(m)
}
