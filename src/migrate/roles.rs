//! The roles pending migrations name, checked on the target before any of
//! them runs. Roles are cluster-wide and strata never creates them on a
//! target: a policy, grant or owner naming a role the target lacks would
//! fail mid-way through a run (after earlier files committed), so the run
//! is refused up front with the list.
//!
//! Role names are read from the statements that take them: `CREATE` /
//! `ALTER POLICY … TO`, `GRANT … TO`, `REVOKE … FROM`, `… OWNER TO`,
//! `ALTER DEFAULT PRIVILEGES FOR ROLE … GRANT … TO / REVOKE … FROM`. A
//! role a pending file creates itself (`CREATE ROLE`) is not asked for.

use tokio_postgres::Client;

use super::lex::{Kind, Lexer};
use super::split::statements;
use super::Loaded;
use crate::pg::ident::{fold, unquote};
use crate::{Error, Result};

/// Words that stand for no role of their own.
const NOT_ROLES: &[&str] = &["public", "current_user", "current_role", "session_user"];

/// A statement's significant tokens: bare words folded, quoted names
/// unquoted, `(…)` contents dropped (expressions name no roles).
fn words(sql: &str) -> Vec<(String, bool)> {
    let lexer = Lexer::new(sql);
    let mut out = Vec::new();
    let mut depth = 0usize;
    for t in lexer.clone() {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            Kind::Word => out.push((fold(lexer.text(t)), false)),
            Kind::QuotedIdent => out.push((unquote(lexer.text(t)), true)),
            Kind::Other | Kind::String | Kind::Number | Kind::Dollar => {
                out.push((lexer.text(t).to_string(), false))
            }
            _ => {}
        }
    }
    out
}

/// (roles named, roles created) by one statement.
fn statement_roles(sql: &str) -> (Vec<String>, Vec<String>) {
    roles_in(&words(sql))
}

/// [`statement_roles`] over a statement's [`words`].
fn roles_in(w: &[(String, bool)]) -> (Vec<String>, Vec<String>) {
    let is = |i: usize, word: &str| w.get(i).is_some_and(|(x, q)| !q && x == word);
    // ALTER DEFAULT PRIVILEGES [FOR ROLE r, …] [IN SCHEMA s, …] GRANT … TO
    // / REVOKE … FROM: the FOR ROLE list, then the grant's own roles.
    if is(0, "alter") && is(1, "default") && is(2, "privileges") {
        let mut out = Vec::new();
        if is(3, "for") && (is(4, "role") || is(4, "user")) {
            out = role_list(&w[5..], &["in", "grant", "revoke"]);
        }
        if let Some(k) = w
            .iter()
            .position(|(x, q)| !q && (x == "grant" || x == "revoke"))
        {
            out.extend(roles_in(&w[k..]).0);
        }
        return (out, Vec::new());
    }
    if is(0, "create") && (is(1, "role") || is(1, "user") || is(1, "group")) {
        return (
            Vec::new(),
            w.get(2).map(|x| x.0.clone()).into_iter().collect(),
        );
    }
    let policy = (is(0, "create") || is(0, "alter")) && is(1, "policy");
    let (start_at, stops): (Option<usize>, &[&str]) = if policy {
        let rename = w.iter().any(|(x, q)| !q && x == "rename");
        let at = (!rename)
            .then(|| w.iter().position(|(x, q)| !q && x == "to"))
            .flatten();
        (at, &["using", "with"])
    } else if is(0, "grant") {
        (
            w.iter().rposition(|(x, q)| !q && x == "to"),
            &["with", "granted"],
        )
    } else if is(0, "revoke") {
        let at = w.iter().rposition(|(x, q)| !q && x == "from");
        (at, &["granted", "cascade", "restrict"])
    } else if is(0, "alter") {
        let owner = w
            .windows(2)
            .position(|p| !p[0].1 && p[0].0 == "owner" && p[1].0 == "to");
        (owner.map(|i| i + 1), &[])
    } else {
        (None, &[])
    };
    let Some(at) = start_at else {
        return (Vec::new(), Vec::new());
    };
    (role_list(&w[at + 1..], stops), Vec::new())
}

/// The role names at the start of `w`, up to a word of `stops` or
/// punctuation other than `,` (`GROUP` noise skipped, PUBLIC and the
/// `CURRENT_USER` family left out).
fn role_list(w: &[(String, bool)], stops: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (x, quoted) in w {
        if !quoted && stops.contains(&x.as_str()) {
            break;
        }
        if !quoted && (x == "," || x == "group") {
            continue;
        }
        if !quoted && x.chars().all(|c| !c.is_alphanumeric() && c != '_') {
            break;
        }
        if *quoted || !NOT_ROLES.contains(&x.as_str()) {
            out.push(x.clone());
        }
    }
    out
}

/// The roles `files` need that they do not create, sorted, each with the
/// first file naming it.
pub fn needed<'a>(files: &[&'a Loaded]) -> Vec<(String, &'a Loaded)> {
    let mut created = std::collections::BTreeSet::new();
    let mut out: Vec<(String, &Loaded)> = Vec::new();
    for f in files {
        for st in statements(&f.sql) {
            let (named, made) = statement_roles(st.sql);
            created.extend(made);
            for r in named {
                if !created.contains(&r) && !out.iter().any(|(x, _)| *x == r) {
                    out.push((r, f));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Refuse the run when the target lacks a role the pending files need.
pub async fn check(client: &Client, files: &[&Loaded]) -> Result<()> {
    let need = needed(files);
    if need.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = need.iter().map(|(r, _)| r.as_str()).collect();
    let rows = client
        .query(
            "SELECT r FROM unnest($1::text[]) r WHERE r NOT IN (SELECT rolname::text FROM pg_roles)",
            &[&names],
        )
        .await
        .map_err(|e| {
            Error::Db(crate::db::DbError::Query {
                context: "checking the roles the migrations name".into(),
                source: e,
            })
        })?;
    let missing: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = need
        .iter()
        .filter(|(r, _)| missing.contains(r))
        .map(|(r, f)| {
            format!(
                "  - {} (first named in {})",
                crate::escape::ident(r),
                f.file.path.display()
            )
        })
        .collect();
    Err(Error::Refused(format!(
        "the target has no role(s) the pending migrations name; nothing was run:\n{}\n  \
         roles are cluster-wide and strata does not create them: create them first \
         (CREATE ROLE name NOLOGIN), or add a migration that does",
        lines.join("\n")
    )))
}

#[cfg(test)]
mod tests {
    use super::statement_roles;

    fn named(sql: &str) -> Vec<String> {
        statement_roles(sql).0
    }

    #[test]
    fn roles_are_read_where_statements_take_them() {
        assert_eq!(
            named(
                r#"CREATE POLICY "p" ON "public"."t" AS PERMISSIVE FOR ALL TO "app_user", PUBLIC, "Report Reader" USING ((a = 1))"#
            ),
            ["app_user", "Report Reader"]
        );
        assert_eq!(
            named("create policy p on t to App_User using (true)"),
            ["app_user"]
        );
        assert!(named("CREATE POLICY p ON t USING (x TO y)").is_empty());
        assert!(named(r#"ALTER POLICY "a" ON "t" RENAME TO "b""#).is_empty());
        assert_eq!(
            named("ALTER POLICY a ON t TO reader WITH CHECK (true)"),
            ["reader"]
        );
        assert_eq!(
            named("GRANT SELECT, UPDATE (a) ON t TO reader, \"W\" WITH GRANT OPTION"),
            ["reader", "W"]
        );
        assert_eq!(named("REVOKE ALL ON t FROM reader CASCADE"), ["reader"]);
        assert_eq!(named("ALTER TABLE t OWNER TO owner_role"), ["owner_role"]);
        assert_eq!(
            named(
                r#"ALTER DEFAULT PRIVILEGES FOR ROLE "App Owner", deployer IN SCHEMA app GRANT SELECT ON TABLES TO reader"#
            ),
            ["App Owner", "deployer", "reader"]
        );
        assert_eq!(
            named("ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC, auditor CASCADE"),
            ["auditor"]
        );
        assert_eq!(
            named("ALTER DEFAULT PRIVILEGES FOR USER owner_role GRANT USAGE ON TYPES TO public"),
            ["owner_role"]
        );
        assert!(named("ALTER TABLE t ADD COLUMN owner text").is_empty());
        assert_eq!(statement_roles("CREATE ROLE app NOLOGIN").1, ["app"]);
    }
}
