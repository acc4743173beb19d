//! What a failed (or killed) statement of a no-transaction migration can
//! leave behind, and removing it before the statement is retried:
//! `CREATE [UNIQUE] INDEX CONCURRENTLY name` leaves an INVALID index
//! `name` (which makes the retry fail, or with IF NOT EXISTS silently keep
//! the broken index); `REINDEX … CONCURRENTLY` leaves INVALID `*_ccnew`
//! (new copy never finished) or `*_ccold` (old copy not yet dropped)
//! indexes. Both are removed with `DROP INDEX CONCURRENTLY IF EXISTS`, as
//! the PostgreSQL documentation recommends.

use tokio_postgres::Client;

use crate::db::DbError;
use crate::Result;

/// What a statement may leave behind.
#[derive(Debug, Clone, PartialEq)]
pub enum Leftover {
    /// An index of this (unquoted) name on this table (SQL text, for
    /// `to_regclass`).
    Index { name: String, table: String },
    /// `_ccnew`/`_ccold` copies of the indexes of this table (`table`) or
    /// of the table of this index (`index`).
    Reindex { target: String, is_index: bool },
}

/// Words of `sql`, with "quoted identifiers" (dots included) kept whole
/// and parentheses as their own tokens.
fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in sql.chars() {
        if quoted {
            cur.push(c);
            quoted = c != '"';
            continue;
        }
        match c {
            '"' => {
                cur.push(c);
                quoted = true;
            }
            '(' | ')' => {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
                out.push(c.to_string());
            }
            c if c.is_whitespace() => {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
            }
            c => cur.push(c),
        }
    }
    out.extend((!cur.is_empty()).then_some(cur));
    out
}

/// An identifier as PostgreSQL stores it: quoted kept (`""` → `"`),
/// unquoted folded (ASCII letters only, as in a UTF-8 database), both cut
/// to 63 bytes.
fn unquote(ident: &str) -> String {
    if ident.starts_with('"') && ident.len() >= 2 && ident.ends_with('"') {
        crate::pg::ident::unquote(ident)
    } else {
        crate::pg::ident::fold(ident)
    }
}

/// What `statement` could leave behind if interrupted, if anything.
pub fn of(statement: &str) -> Option<Leftover> {
    let t = tokens(statement);
    let up: Vec<String> = t.iter().map(|w| w.to_uppercase()).collect();
    let is = |i: usize, w: &str| up.get(i).is_some_and(|u| u == w);
    if is(0, "CREATE") {
        let mut i = 1 + usize::from(is(1, "UNIQUE"));
        if !(is(i, "INDEX") && is(i + 1, "CONCURRENTLY")) {
            return None;
        }
        i += 2;
        if is(i, "IF") && is(i + 1, "NOT") && is(i + 2, "EXISTS") {
            i += 3;
        }
        // Without a name PostgreSQL picks one we cannot know for sure.
        if is(i, "ON") || !is(i + 1, "ON") {
            return None;
        }
        let table = i + 2 + usize::from(is(i + 2, "ONLY"));
        return Some(Leftover::Index {
            name: unquote(t.get(i)?),
            table: t.get(table)?.clone(),
        });
    }
    if is(0, "REINDEX") && up.iter().any(|w| w.contains("CONCURRENTLY")) {
        let kind = up.iter().position(|w| w == "INDEX" || w == "TABLE")?;
        return Some(Leftover::Reindex {
            target: t.last()?.clone(),
            is_index: up[kind] == "INDEX",
        });
    }
    None
}

/// INVALID indexes left by `l`, schema-qualified and quoted.
async fn find(client: &Client, l: &Leftover) -> Result<Vec<String>> {
    const SELECT: &str = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i \
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
        WHERE NOT i.indisvalid AND ";
    let rows = match l {
        Leftover::Index { name, table } => {
            let sql = format!("{SELECT} c.relname = $1 AND i.indrelid = to_regclass($2)");
            client.query(&sql, &[name, table]).await
        }
        Leftover::Reindex { target, is_index } => {
            let table = if *is_index {
                "(SELECT indrelid FROM pg_index WHERE indexrelid = to_regclass($1))"
            } else {
                "to_regclass($1)"
            };
            let sql = format!(
                "{SELECT} c.relname ~ '_cc(new|old)[0-9]*$' AND i.indrelid = {table} ORDER BY 1"
            );
            client.query(&sql, &[target]).await
        }
    }
    .map_err(|source| DbError::Query {
        context: "looking for invalid indexes left by the failed statement".into(),
        source,
    })?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Drop what the given statements left behind; returns what was dropped.
pub async fn clean(client: &Client, statements: &[&str]) -> Result<Vec<String>> {
    let mut dropped = Vec::new();
    for l in statements.iter().filter_map(|s| of(s)) {
        for index in find(client, &l).await? {
            if dropped.contains(&index) {
                continue;
            }
            client
                .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
                .await
                .map_err(|source| DbError::Query {
                    context: format!("dropping the invalid index {index}"),
                    source,
                })?;
            eprintln!(
                "cleaned up: dropped the INVALID index {} left by the failed statement",
                crate::escape::line(&index)
            );
            dropped.push(index);
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(name: &str, table: &str) -> Option<Leftover> {
        Some(Leftover::Index {
            name: name.into(),
            table: table.into(),
        })
    }

    #[test]
    fn recognises_concurrent_index_builds() {
        assert_eq!(
            of("create unique index concurrently Ux on s.t (a)"),
            index("ux", "s.t")
        );
        assert_eq!(
            of("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"My Idx\" ON ONLY \"my t\"(a)"),
            index("My Idx", "\"my t\"")
        );
        // PostgreSQL folds ASCII letters only, and cuts names to 63 bytes.
        assert_eq!(
            of("create index concurrently ÉCOLE_Idx on t (a)"),
            index("École_idx", "t")
        );
        let long = "i".repeat(70);
        assert_eq!(
            of(&format!("create index concurrently {long} on t (a)")),
            index(&long[..63], "t")
        );
        assert_eq!(of("CREATE INDEX CONCURRENTLY ON t (a)"), None);
        assert_eq!(of("CREATE INDEX i ON t (a)"), None);
        assert_eq!(
            of("REINDEX (VERBOSE) TABLE CONCURRENTLY public.t"),
            Some(Leftover::Reindex {
                target: "public.t".into(),
                is_index: false
            })
        );
        assert_eq!(
            of("reindex index concurrently i"),
            Some(Leftover::Reindex {
                target: "i".into(),
                is_index: true
            })
        );
    }
}
