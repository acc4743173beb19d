//! A CHECK expression equivalent to a partition bound, for attaching a
//! table with rows the online way: the CHECK is added `NOT VALID` (no
//! scan), validated under SHARE UPDATE EXCLUSIVE (reads and writes go
//! on), and `ATTACH PARTITION` then skips its own scan under ACCESS
//! EXCLUSIVE because the valid CHECK proves the bound. The expression is
//! written the way PostgreSQL writes the partition constraint (`key IS NOT
//! NULL AND key >= lo AND key < hi`, `key = ANY (…)`), so its proof
//! (`predtest`) recognises it.
//!
//! Only what can be derived exactly: a single plain column key, a RANGE
//! bound of one literal (or MINVALUE/MAXVALUE) each side, a LIST bound of
//! literals. Anything else (expressions, several columns, HASH, DEFAULT)
//! gives `None`, and the attach scans as before.

use super::ident::{fold, unquote};
use super::lex::{Kind, Lexer};
use crate::diff::pg_ident;

/// `RANGE (logdate)` + `FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')`
/// → `logdate IS NOT NULL AND logdate >= '2023-01-01' AND logdate < '2024-01-01'`.
pub fn check_for(partition_key: &str, bound: &str) -> Option<String> {
    let (strategy, column) = single_column_key(partition_key)?;
    let col = pg_ident(&column);
    let t = tokens(bound);
    let words: Vec<&str> = t.iter().map(String::as_str).collect();
    match (strategy.as_str(), words.as_slice()) {
        ("range", ["for", "values", "from", "(", rest @ ..]) => {
            let close = rest.iter().position(|w| *w == ")")?;
            let lo = &rest[..close];
            let ["to", "(", hi @ .., ")"] = &rest[close + 1..] else {
                return None;
            };
            let mut parts = vec![format!("{col} IS NOT NULL")];
            match lo {
                ["minvalue"] => {}
                [v] if literal(v) => parts.push(format!("{col} >= {v}")),
                _ => return None,
            }
            match hi {
                ["maxvalue"] => {}
                [v] if literal(v) => parts.push(format!("{col} < {v}")),
                _ => return None,
            }
            Some(parts.join(" AND "))
        }
        ("list", ["for", "values", "in", "(", rest @ .., ")"]) => {
            let items: Vec<&&str> = rest.iter().filter(|w| **w != ",").collect();
            if items.len() * 2 != rest.len() + 1 {
                return None; // not `v, v, …`
            }
            let null = items.iter().any(|v| **v == "null");
            let values: Vec<&str> = items
                .iter()
                .filter(|v| ***v != "null")
                .map(|v| **v)
                .collect();
            if !values.iter().all(|v| literal(v)) {
                return None;
            }
            let any = format!("{col} = ANY (ARRAY[{}])", values.join(", "));
            Some(match (null, values.is_empty()) {
                (false, _) => format!("{col} IS NOT NULL AND {any}"),
                (true, true) => format!("{col} IS NULL"),
                (true, false) => format!("{col} IS NULL OR {any}"),
            })
        }
        _ => None,
    }
}

/// `RANGE (logdate)` → ("range", "logdate"); `None` for several columns,
/// an expression, a collation or an operator class.
fn single_column_key(key: &str) -> Option<(String, String)> {
    let lx = Lexer::new(key);
    let sig: Vec<_> = lx
        .clone()
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::Comment))
        .collect();
    let [strategy, open, col, close] = sig.as_slice() else {
        return None;
    };
    if strategy.kind != Kind::Word || open.kind != Kind::Open || close.kind != Kind::Close {
        return None;
    }
    let column = match col.kind {
        Kind::Word => fold(lx.text(*col)),
        Kind::QuotedIdent => unquote(lx.text(*col)),
        _ => return None,
    };
    Some((fold(lx.text(*strategy)), column))
}

/// Significant tokens: keywords folded, literals as written, `-` glued to
/// the number after it.
fn tokens(bound: &str) -> Vec<String> {
    let lx = Lexer::new(bound);
    let mut out: Vec<String> = Vec::new();
    for t in lx.clone() {
        let text = lx.text(t);
        match t.kind {
            Kind::Space | Kind::Comment => {}
            Kind::Word => out.push(fold(text)),
            Kind::Number if out.last().is_some_and(|l| l == "-") => {
                out.pop();
                out.push(format!("-{text}"));
            }
            _ => out.push(text.to_string()),
        }
    }
    out
}

/// A string or numeric literal (what `pg_get_expr` prints in bounds).
fn literal(v: &str) -> bool {
    let number = v
        .strip_prefix('-')
        .unwrap_or(v)
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        && !v.is_empty();
    let string = v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'');
    number || string || v == "true" || v == "false"
}

#[cfg(test)]
mod tests {
    use super::check_for;

    #[test]
    fn bounds_become_checks() {
        assert_eq!(
            check_for(
                "RANGE (logdate)",
                "FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')"
            )
            .as_deref(),
            Some("logdate IS NOT NULL AND logdate >= '2023-01-01' AND logdate < '2024-01-01'")
        );
        assert_eq!(
            check_for("RANGE (\"Day\")", "FOR VALUES FROM (MINVALUE) TO (-5)").as_deref(),
            Some("\"Day\" IS NOT NULL AND \"Day\" < -5")
        );
        assert_eq!(
            check_for("LIST (region)", "FOR VALUES IN ('eu', 'it''s')").as_deref(),
            Some("region IS NOT NULL AND region = ANY (ARRAY['eu', 'it''s'])")
        );
        assert_eq!(
            check_for("LIST (region)", "FOR VALUES IN (NULL, 'x')").as_deref(),
            Some("region IS NULL OR region = ANY (ARRAY['x'])")
        );
        // Not derived: several columns, expressions, hash, default.
        assert_eq!(
            check_for("RANGE (a, b)", "FOR VALUES FROM (1, 2) TO (3, 4)"),
            None
        );
        assert_eq!(
            check_for("RANGE (lower(a))", "FOR VALUES FROM ('a') TO ('b')"),
            None
        );
        assert_eq!(
            check_for("HASH (id)", "FOR VALUES WITH (modulus 4, remainder 0)"),
            None
        );
        assert_eq!(check_for("LIST (a)", "DEFAULT"), None);
        assert_eq!(
            check_for("RANGE (a)", "FOR VALUES FROM ('x') TO ('y') junk"),
            None
        );
    }
}
