//! `triggers:` of a table (or of a mixin, which gives them to every table
//! using it).
//!
//! ```yaml
//! tables:
//!   orders:
//!     columns: {…}
//!     triggers:
//!       orders_touch:
//!         timing: before            # after, instead of
//!         events: [update]          # insert, update of (a, b), delete, truncate
//!         for_each: row             # statement (the default)
//!         when: old.* is distinct from new.*
//!         function: set_updated_at()
//!       orders_audit:
//!         timing: after
//!         events: [insert]
//!         referencing: {new_table: inserted}
//!         function: audit('orders')
//!         enabled: false            # true (default), replica, always
//!         comment: Statement-level audit
//!       orders_check:
//!         timing: after
//!         events: [insert, update]
//!         for_each: row
//!         constraint: {deferrable: true, initially_deferred: true}
//!         function: check_order()
//! ```
//!
//! The statement is rendered once the table's name is known (a mixin's
//! triggers belong to every table using it); `pull` writes catalog
//! triggers back by reading their `pg_get_triggerdef` text.

use marked_yaml::Node;

use super::decode::TableDecl;
use super::emit::Y;
use super::yaml::{entries, Reader};
use crate::diff::pg_ident;
use crate::model::{quote_ident, Origin, QualifiedName, Trigger};

pub(crate) const REFERENCING_KEYS: &[&str] = &["old_table", "new_table"];
pub(crate) const CONSTRAINT_KEYS: &[&str] = &["deferrable", "initially_deferred"];
pub(crate) const KEYS: &[&str] = &[
    "timing",
    "events",
    "for_each",
    "when",
    "function",
    "referencing",
    "from",
    "constraint",
    "enabled",
    "comment",
];

/// A trigger as declared, before it knows its table.
#[derive(Debug, Clone, Default)]
pub struct TriggerDecl {
    pub name: String,
    pub timing: String,
    pub events: Vec<String>,
    pub row: bool,
    pub when: Option<String>,
    pub function: String,
    pub old_table: Option<String>,
    pub new_table: Option<String>,
    pub from: Option<String>,
    /// `Some((deferrable, initially_deferred))`: a constraint trigger.
    pub constraint: Option<(bool, bool)>,
    pub enabled: char,
    pub comment: Option<String>,
    pub origin: Origin,
}

pub(super) fn decode_triggers(r: &mut Reader<'_>, node: &Node, decl: &mut TableDecl) {
    let Some(map) = r.map(node, "a map of trigger names to triggers") else {
        return;
    };
    for (name, pos, body) in entries(map) {
        let ctx = format!("trigger \"{name}\"");
        let Some(m) = r.map(body, "a trigger map (timing: …, events: …, function: …)") else {
            continue;
        };
        r.check_keys(m, KEYS, &ctx);
        let mut t = TriggerDecl {
            name: name.to_string(),
            enabled: 'O',
            origin: r.origin(pos),
            ..Default::default()
        };
        let timing = [
            ("before", "BEFORE"),
            ("after", "AFTER"),
            ("instead of", "INSTEAD OF"),
        ];
        t.timing = m
            .get_node("timing")
            .and_then(|n| r.one_of(n, &timing))
            .unwrap_or_default()
            .to_string();
        if let Some(n) = m.get_node("events") {
            let list = r.string_list(n, "a list of events (insert, update, …)");
            t.events = list.unwrap_or_default().into_iter().map(|e| e.0).collect();
        }
        t.row = m
            .get_node("for_each")
            .and_then(|n| r.one_of(n, &[("row", true), ("statement", false)]))
            .unwrap_or(false);
        let mut text = |k: &str, what: &str| m.get_node(k).and_then(|n| r.opt_string(n, what));
        t.when = text("when", "a boolean expression");
        t.function = text("function", "a function call, e.g. f()").unwrap_or_default();
        t.from = text("from", "the referenced table");
        t.comment = text("comment", "a string");
        if let Some(rm) = m
            .get_node("referencing")
            .and_then(|n| r.map(n, "a map with old_table and new_table"))
        {
            r.check_keys(rm, REFERENCING_KEYS, &format!("{ctx} referencing"));
            t.old_table = rm.get_node("old_table").and_then(|n| r.string(n, "a name"));
            t.new_table = rm.get_node("new_table").and_then(|n| r.string(n, "a name"));
        }
        if let Some(c) = m.get_node("constraint") {
            t.constraint = constraint(r, c, &ctx);
        }
        if let Some(e) = m.get_node("enabled") {
            let opts = [
                ("true", 'O'),
                ("false", 'D'),
                ("replica", 'R'),
                ("always", 'A'),
            ];
            t.enabled = r.one_of(e, &opts).unwrap_or('O');
        }
        if t.timing.is_empty() || t.events.is_empty() || t.function.is_empty() {
            // A misspelt key or a wrong value was reported already.
            let absent = ["timing", "events", "function"]
                .iter()
                .any(|k| m.get_node(k).is_none());
            if absent && m.keys().all(|k| KEYS.contains(&k.as_str())) {
                r.error(pos, format!("{ctx} needs timing, events and function"));
            }
            continue;
        }
        decl.triggers.push(t);
    }
}

/// `constraint: true` or `{deferrable, initially_deferred}`.
fn constraint(r: &mut Reader<'_>, node: &Node, ctx: &str) -> Option<(bool, bool)> {
    if let Node::Mapping(m) = node {
        r.check_keys(m, CONSTRAINT_KEYS, &format!("{ctx} constraint"));
        let mut flag = |k: &str| m.get_node(k).and_then(|n| r.bool(n)).unwrap_or(false);
        return Some((flag("deferrable"), flag("initially_deferred")));
    }
    r.bool(node).and_then(|on| on.then_some((false, false)))
}

impl TriggerDecl {
    /// The model trigger on `table`, with its `CREATE TRIGGER` statement.
    pub fn on(&self, table: &QualifiedName) -> Trigger {
        let mut sql = String::from("CREATE ");
        if self.constraint.is_some() {
            sql.push_str("CONSTRAINT ");
        }
        let events: Vec<String> = self.events.iter().map(|e| event_sql(e)).collect();
        sql.push_str(&format!(
            "TRIGGER {} {} {} ON {}",
            quote_ident(&self.name),
            self.timing,
            events.join(" OR "),
            table.quoted()
        ));
        if let Some(f) = &self.from {
            sql.push_str(&format!(" FROM {f}"));
        }
        if let Some((deferrable, deferred)) = self.constraint {
            sql.push_str(if deferrable {
                " DEFERRABLE"
            } else {
                " NOT DEFERRABLE"
            });
            sql.push_str(if deferred {
                " INITIALLY DEFERRED"
            } else {
                " INITIALLY IMMEDIATE"
            });
        }
        if self.old_table.is_some() || self.new_table.is_some() {
            sql.push_str(" REFERENCING");
            if let Some(o) = &self.old_table {
                sql.push_str(&format!(" OLD TABLE AS {}", quote_ident(o)));
            }
            if let Some(n) = &self.new_table {
                sql.push_str(&format!(" NEW TABLE AS {}", quote_ident(n)));
            }
        }
        let each = if self.row { "ROW" } else { "STATEMENT" };
        sql.push_str(&format!(" FOR EACH {each}"));
        if let Some(w) = &self.when {
            sql.push_str(&format!(" WHEN ({w})"));
        }
        sql.push_str(&format!(" EXECUTE FUNCTION {}", self.function));
        Trigger {
            table: table.clone(),
            name: self.name.clone(),
            definition: sql,
            constraint: self.constraint.is_some(),
            enabled: self.enabled,
            comment: self.comment.clone(),
            origin: self.origin.clone(),
        }
    }
}

/// `update of (a, b)` → `UPDATE OF a, b`; the keyword upper-cased, the
/// column names as written.
fn event_sql(e: &str) -> String {
    let t = e.trim();
    let lower = t.to_ascii_lowercase();
    match lower.strip_prefix("update of") {
        Some(_) => {
            let cols = t["update of".len()..].trim();
            let cols = cols
                .strip_prefix('(')
                .and_then(|c| c.strip_suffix(')'))
                .unwrap_or(cols);
            format!("UPDATE OF {}", cols.trim())
        }
        None => t.to_ascii_uppercase(),
    }
}

/// The YAML of a catalog trigger, read from its `pg_get_triggerdef`
/// text (`None` when the text has a shape strata does not know: then
/// the trigger is not written, and `pull` → `plan` shows it).
pub fn trigger_y(t: &Trigger) -> Option<Y> {
    let d = &t.definition;
    let rest = d
        .strip_prefix("CREATE CONSTRAINT TRIGGER ")
        .or_else(|| d.strip_prefix("CREATE TRIGGER "))?;
    // PostgreSQL quotes a name only when it must; a spec model's statement
    // always does.
    let rest = rest
        .strip_prefix(&format!("{} ", pg_ident(&t.name)))
        .or_else(|| rest.strip_prefix(&format!("{} ", quote_ident(&t.name))))?;
    let (timing, rest) = ["BEFORE ", "AFTER ", "INSTEAD OF "]
        .iter()
        .find_map(|p| rest.strip_prefix(p).map(|r| (p.trim(), r)))?;
    let ons = [
        format!(
            " ON {}.{}",
            pg_ident(&t.table.schema),
            pg_ident(&t.table.name)
        ),
        format!(" ON {}", t.table.quoted()),
    ];
    let (at, on) = ons
        .iter()
        .find_map(|on| Some((rest.find(on.as_str())?, on)))?;
    let events: Vec<Y> = rest[..at]
        .split(" OR ")
        .map(|e| Y::str(e.to_ascii_lowercase_keyword()))
        .collect();
    let rest = &rest[at + on.len()..];
    let exec = rest.rfind(" EXECUTE FUNCTION ")?;
    let (clauses, function) = (&rest[..exec], &rest[exec + " EXECUTE FUNCTION ".len()..]);
    let each = clauses.find(" FOR EACH ")?;
    let (pre, post) = (&clauses[..each], &clauses[each + " FOR EACH ".len()..]);
    let (row, when) = match post.split_once(' ') {
        None => (post == "ROW", None),
        Some((each, w)) => {
            let w = w.strip_prefix("WHEN (")?.strip_suffix(')')?;
            (each == "ROW", Some(w.to_string()))
        }
    };
    let mut m = vec![
        ("timing".to_string(), Y::str(timing.to_ascii_lowercase())),
        ("events".into(), Y::List(events)),
    ];
    if row {
        m.push(("for_each".into(), Y::str("row")));
    }
    if let Some(w) = when {
        m.push(("when".into(), Y::str(w)));
    }
    let function = function.strip_prefix("public.").unwrap_or(function);
    m.push(("function".into(), Y::str(function)));
    m.extend(pre_clauses(pre)?);
    let enabled = match t.enabled {
        'D' => Some(Y::bool(false)),
        'R' => Some(Y::str("replica")),
        'A' => Some(Y::str("always")),
        _ => None,
    };
    if let Some(e) = enabled {
        m.push(("enabled".into(), e));
    }
    if let Some(c) = &t.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    Some(Y::Map(m))
}

/// `FROM t`, `[NOT] DEFERRABLE INITIALLY …`, `REFERENCING …` between the
/// table and `FOR EACH`.
fn pre_clauses(pre: &str) -> Option<Vec<(String, Y)>> {
    let mut out = Vec::new();
    let mut words: Vec<&str> = pre.split_whitespace().collect();
    if let Some(i) = words.iter().position(|w| *w == "REFERENCING") {
        let mut refs = Vec::new();
        for pair in words[i + 1..].chunks(4) {
            // OLD TABLE AS name / NEW TABLE AS name
            let [which, "TABLE", "AS", name] = pair else {
                return None;
            };
            let key = if *which == "OLD" {
                "old_table"
            } else {
                "new_table"
            };
            let name = name.trim_matches('"').replace("\"\"", "\"");
            refs.push((key.to_string(), Y::str(name)));
        }
        out.push(("referencing".into(), Y::Map(refs)));
        words.truncate(i);
    }
    let text = words.join(" ");
    let deferrable = text.contains("DEFERRABLE") && !text.contains("NOT DEFERRABLE");
    let deferred = text.contains("INITIALLY DEFERRED");
    if let Some(from) = text.strip_prefix("FROM ") {
        let table = from.split(' ').next()?;
        out.push(("from".into(), Y::str(table)));
    }
    if text.contains("DEFERRABLE") {
        let c = vec![
            ("deferrable".to_string(), Y::bool(deferrable)),
            ("initially_deferred".to_string(), Y::bool(deferred)),
        ];
        out.push(("constraint".into(), Y::Map(c)));
    }
    Some(out)
}

trait EventCase {
    fn to_ascii_lowercase_keyword(&self) -> String;
}

impl EventCase for str {
    /// `UPDATE OF a, "B"` → `update of a, "B"`: the keyword lower-cased,
    /// the columns kept.
    fn to_ascii_lowercase_keyword(&self) -> String {
        match self.strip_prefix("UPDATE OF ") {
            Some(cols) => format!("update of {cols}"),
            None => self.to_ascii_lowercase(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(def: &str, enabled: char) -> Trigger {
        Trigger {
            table: QualifiedName::new("public", "t"),
            name: "tr".into(),
            definition: def.into(),
            enabled,
            ..Default::default()
        }
    }

    /// Catalog text → YAML → decl → statement gives the same text back.
    fn round_trip(def: &str) {
        let t = catalog(def, 'O');
        let y = trigger_y(&t).expect("parsed");
        let table = Y::Block(vec![
            ("columns".into(), Y::Map(vec![("x".into(), Y::str("int"))])),
            ("triggers".into(), Y::Block(vec![("tr".into(), y)])),
        ]);
        let doc = Y::Block(vec![("tables".into(), Y::Block(vec![("t".into(), table)]))]);
        let text = super::super::emit::render(&doc);
        let db = crate::spec::load_str(std::path::Path::new("t.yaml"), &text).expect("loads");
        let back = &db.triggers[&(t.table.clone(), "tr".to_string())];
        // Quoting aside (strata quotes every name it renders).
        assert_eq!(
            back.definition.replace('"', ""),
            def.replace("public.tg", "tg")
        );
    }

    #[test]
    fn catalog_definitions_round_trip() {
        round_trip("CREATE TRIGGER tr BEFORE UPDATE OF x, y ON public.t FOR EACH ROW WHEN ((old.x IS DISTINCT FROM new.x)) EXECUTE FUNCTION public.tg()");
        round_trip("CREATE TRIGGER tr AFTER INSERT OR DELETE ON public.t REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION public.tg('a', 'b')");
        round_trip("CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON public.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.tg()");
    }
}
