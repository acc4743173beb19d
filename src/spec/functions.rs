//! The `functions:` section: functions and procedures, keyed by their
//! signature.
//!
//! ```yaml
//! functions:
//!   full_name(f text, l text DEFAULT ''):
//!     returns: text
//!     language: sql
//!     volatility: immutable      # stable, volatile (the default)
//!     strict: true
//!     parallel: safe             # restricted, unsafe (the default)
//!     security_definer: true
//!     leakproof: false
//!     cost: 10
//!     rows: 100                  # set-returning functions
//!     set: {search_path: "public, pg_temp"}
//!     body: select f || ' ' || l
//!     comment: Display name
//!   app.archive(days integer):
//!     procedure: true
//!     language: plpgsql
//!     body: |
//!       begin delete from app.log where at < now() - days * interval '1 day'; end
//! ```
//!
//! `body` is the text inside the dollar quotes, or a SQL-standard body
//! (`BEGIN ATOMIC … END`, `RETURN …`) for `language: sql`. The model keeps
//! the rendered `CREATE OR REPLACE` statement: it only builds the shadow
//! database, whose `pg_get_functiondef` is what gets compared.

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use super::decode::{qualified, FileDecls};
use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::model::{quote_literal, Function, QualifiedName};
use crate::pg::ident::dotted_part;

pub(crate) const KEYS: &[&str] = &[
    "returns",
    "language",
    "body",
    "procedure",
    "volatility",
    "strict",
    "security_definer",
    "leakproof",
    "parallel",
    "cost",
    "rows",
    "set",
    "comment",
    "grants",
];

/// Settings whose value is a list (`SET search_path TO 'a', 'b'`).
pub(crate) const LIST_SETTINGS: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "local_preload_libraries",
    "session_preload_libraries",
    "shared_preload_libraries",
];

pub(super) fn decode_functions(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of function signatures to functions") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("function \"{key}\"");
        let Some((name, args)) = signature(r, key, pos) else {
            continue;
        };
        let Some(m) = r.map(body, "a function map (language: …, body: …)") else {
            continue;
        };
        r.check_keys(m, KEYS, &ctx);
        if let Some(f) = decode_one(r, m, name, &args, pos, &ctx) {
            let target = crate::acl::PrivTarget::Routine(f.name.clone(), f.identity.clone());
            super::grants::decode_on(r, m, target, &mut out.grants);
            out.functions.push(f);
        }
    }
}

/// `name(args)` → the qualified name and the argument list as written.
fn signature(r: &mut Reader<'_>, key: &str, pos: Pos) -> Option<(QualifiedName, String)> {
    let open = name_end(key);
    let (Some(open), true) = (open, key.trim_end().ends_with(')')) else {
        r.error(
            pos,
            format!("function \"{key}\" needs its arguments: name(…), e.g. f() or f(a integer)"),
        );
        return None;
    };
    let name = qualified(r, key[..open].trim(), pos, "public")?;
    let args = key[open + 1..key.trim_end().len() - 1].trim().to_string();
    Some((name, args))
}

/// The position of the `(` opening the argument list (outside quotes).
pub(super) fn name_end(key: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in key.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn decode_one(
    r: &mut Reader<'_>,
    m: &MarkedMappingNode,
    name: QualifiedName,
    args: &str,
    pos: Pos,
    ctx: &str,
) -> Option<Function> {
    let procedure = m
        .get_node("procedure")
        .and_then(|n| r.bool(n))
        .unwrap_or(false);
    let mut text = |k: &str, what: &str| m.get_node(k).and_then(|n| r.opt_string(n, what));
    let returns = text("returns", "a type");
    let language = text("language", "a language name");
    let body = text("body", "the function's body");
    let comment = text("comment", "a string");
    let (Some(language), Some(body)) = (language, body) else {
        // A misspelt key already explains a missing one.
        if m.keys().all(|k| KEYS.contains(&k.as_str())) {
            r.error(pos, format!("{ctx} needs a language and a body"));
        }
        return None;
    };
    if procedure == returns.is_some() {
        let why = if procedure {
            "a procedure has no returns"
        } else {
            "needs returns (or procedure: true)"
        };
        r.error(pos, format!("{ctx}: {why}"));
        return None;
    }
    // The fields are kept in `attrs` too, so that a spec model can be
    // written back as YAML (`spec::write_dir`).
    let set_returning = returns
        .as_deref()
        .is_some_and(|t| t.trim_start().to_ascii_uppercase().starts_with("SETOF "));
    let mut attrs = crate::model::FunctionAttrs {
        language: language.clone(),
        volatility: "v".into(),
        parallel: "u".into(),
        cost: 100.0,
        rows: if set_returning { 1000.0 } else { 0.0 },
        returns_set: set_returning,
        body: body.clone(),
        ..Default::default()
    };
    let mut head = vec![format!("LANGUAGE {language}")];
    if let Some(v) = m.get_node("volatility") {
        let opts = [
            ("immutable", ("IMMUTABLE", "i")),
            ("stable", ("STABLE", "s")),
            ("volatile", ("VOLATILE", "v")),
        ];
        if let Some((sql, code)) = r.one_of(v, &opts) {
            head.push(sql.to_string());
            attrs.volatility = code.into();
        }
    }
    for (key, sql) in [
        ("strict", "STRICT"),
        ("security_definer", "SECURITY DEFINER"),
        ("leakproof", "LEAKPROOF"),
    ] {
        if m.get_node(key).and_then(|n| r.bool(n)) == Some(true) {
            head.push(sql.to_string());
            match key {
                "strict" => attrs.strict = true,
                "security_definer" => attrs.security_definer = true,
                _ => attrs.leakproof = true,
            }
        }
    }
    if let Some(v) = m.get_node("parallel") {
        let opts = [
            ("safe", ("SAFE", "s")),
            ("restricted", ("RESTRICTED", "r")),
            ("unsafe", ("UNSAFE", "u")),
        ];
        if let Some((sql, code)) = r.one_of(v, &opts) {
            head.push(format!("PARALLEL {sql}"));
            attrs.parallel = code.into();
        }
    }
    for key in ["cost", "rows"] {
        if let Some(v) = m.get_node(key).and_then(|n| r.f64(n)) {
            head.push(format!("{} {v}", key.to_uppercase()));
            if key == "cost" {
                attrs.cost = v;
            } else {
                attrs.rows = v;
            }
        }
    }
    if let Some(set) = m.get_node("set") {
        let (sql, config) = settings(r, set);
        head.extend(sql);
        attrs.config = config;
    }
    let kind = if procedure { "PROCEDURE" } else { "FUNCTION" };
    let mut sql = format!("CREATE OR REPLACE {kind} {}({args})\n", name.quoted());
    if let Some(t) = &returns {
        sql.push_str(&format!(" RETURNS {t}\n"));
    }
    for h in head {
        sql.push_str(&format!(" {h}\n"));
    }
    sql.push_str(&body_sql(&language, &body, kind));
    Some(Function {
        identity: identity(args),
        name,
        procedure,
        definition: sql,
        result: returns.unwrap_or_default(),
        arguments: args.to_string(),
        attrs,
        comment,
        origin: r.origin(pos),
        ..Default::default()
    })
}

/// `SET` clauses from a map of setting names to values, and the settings
/// as `name=value`.
fn settings(r: &mut Reader<'_>, node: &Node) -> (Vec<String>, Vec<String>) {
    let Some(m) = r.map(node, "a map of settings to values") else {
        return (Vec::new(), Vec::new());
    };
    let (mut out, mut config) = (Vec::new(), Vec::new());
    for (k, _, v) in entries(m) {
        let Some(value) = r.string(v, "a setting's value") else {
            continue;
        };
        config.push(format!("{k}={value}"));
        let value = if LIST_SETTINGS.contains(&k) {
            value
                .split(',')
                .map(|x| quote_literal(x.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            quote_literal(&value)
        };
        out.push(format!("SET {} TO {value}", crate::model::quote_ident(k)));
    }
    (out, config)
}

/// Whether a body is SQL-standard (`BEGIN ATOMIC … END`, `RETURN …`):
/// then written as it is, not between dollar quotes.
fn is_standard(language: &str, body: &str) -> bool {
    let start = body.trim_start().to_ascii_uppercase();
    language.eq_ignore_ascii_case("sql")
        && (start.starts_with("BEGIN ATOMIC") || start.starts_with("RETURN "))
}

fn body_sql(language: &str, body: &str, kind: &str) -> String {
    if is_standard(language, body) {
        return body.trim().to_string();
    }
    let base = kind.to_ascii_lowercase();
    let mut tag = format!("${base}$");
    let mut n = 1;
    while body.contains(&tag) {
        tag = format!("${base}_{n}$");
        n += 1;
    }
    format!("AS {tag}{body}{tag}")
}

/// The argument list without defaults: what `COMMENT ON FUNCTION` takes.
pub fn identity(args: &str) -> String {
    split_top(args, ',')
        .iter()
        .map(|a| cut_default(a).trim().to_string())
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Split at `sep` outside parentheses, quotes and brackets.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, _) if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// An argument without its `DEFAULT …` / `= …`.
fn cut_default(arg: &str) -> &str {
    let upper = arg.to_ascii_uppercase();
    let at = [upper.find(" DEFAULT "), arg.find('=')]
        .into_iter()
        .flatten()
        .min();
    at.map_or(arg, |i| &arg[..i])
}

/// The YAML key of a catalog function: `name(arguments)`, qualified
/// outside `public`.
pub fn function_key(f: &Function) -> String {
    format!("{}({})", routine_name(&f.name), f.arguments)
}

/// A routine's name as a YAML key writes it: qualified outside `public`.
pub fn routine_name(name: &crate::model::QualifiedName) -> String {
    if name.schema == "public" {
        dotted_part(&name.name)
    } else {
        format!("{}.{}", dotted_part(&name.schema), dotted_part(&name.name))
    }
}

/// The YAML body of a catalog function.
pub fn function_y(f: &Function) -> Y {
    let a = &f.attrs;
    let mut m = Vec::new();
    if f.procedure {
        m.push(("procedure".into(), Y::bool(true)));
    } else {
        m.push(("returns".into(), Y::str(&f.result)));
    }
    m.push(("language".into(), Y::str(&a.language)));
    match a.volatility.as_str() {
        "i" => m.push(("volatility".into(), Y::str("immutable"))),
        "s" => m.push(("volatility".into(), Y::str("stable"))),
        _ => {}
    }
    for (key, on) in [
        ("strict", a.strict),
        ("security_definer", a.security_definer),
        ("leakproof", a.leakproof),
    ] {
        if on {
            m.push((key.into(), Y::bool(true)));
        }
    }
    match a.parallel.as_str() {
        "s" => m.push(("parallel".into(), Y::str("safe"))),
        "r" => m.push(("parallel".into(), Y::str("restricted"))),
        _ => {}
    }
    if a.cost != 100.0 {
        m.push(("cost".into(), Y::Raw(a.cost.to_string())));
    }
    if a.returns_set && a.rows != 1000.0 {
        m.push(("rows".into(), Y::Raw(a.rows.to_string())));
    }
    let set: Vec<(String, Y)> = a
        .config
        .iter()
        .filter_map(|c| c.split_once('='))
        .map(|(k, v)| (k.to_string(), Y::str(v)))
        .collect();
    if !set.is_empty() {
        m.push(("set".into(), Y::Map(set)));
    }
    m.push(("body".into(), Y::text(&a.body)));
    if let Some(c) = &f.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    Y::Block(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_drops_defaults() {
        assert_eq!(
            identity("a integer, b text DEFAULT 'x, y'::text"),
            "a integer, b text"
        );
        assert_eq!(
            identity("a int = 1, b numeric(10,2)"),
            "a int, b numeric(10,2)"
        );
        assert_eq!(identity(""), "");
    }

    #[test]
    fn standard_bodies_are_not_quoted() {
        assert_eq!(body_sql("sql", "RETURN a + 1", "FUNCTION"), "RETURN a + 1");
        assert_eq!(
            body_sql("plpgsql", "begin end", "FUNCTION"),
            "AS $function$begin end$function$"
        );
        assert_eq!(
            body_sql("sql", "select '$function$'", "FUNCTION"),
            "AS $function_1$select '$function$'$function_1$"
        );
    }
}
