//! The shadow database is built by an unprivileged role.
//!
//! `schema/*.sql` and migration files are code from the repository, and
//! `strata plan` / `generate` run them in the embedded cluster — in CI, on
//! a pull request from anyone. As a superuser that code could run programs
//! as the cluster's OS user (`COPY … TO PROGRAM`), read and write its
//! files (`pg_read_file`, `lo_export`), load C code or change the server's
//! configuration. So every shadow database on the embedded cluster is owned
//! by, and built over a connection logged in as, [`ROLE`]: a role with no
//! attributes. It owns what it creates, and nothing else; `SET ROLE` or
//! `RESET SESSION AUTHORIZATION` cannot climb back, as they could from a
//! superuser session demoted with `SET`.
//!
//! The one superuser thing a schema legitimately needs is `CREATE
//! EXTENSION` of an extension that is not marked trusted (`postgis`,
//! `postgres_fdw`, …). The superuser installs one function per shadow
//! database, [`FUNCTION`], that creates an *installed* extension and gives
//! it to the role — what PostgreSQL itself does for trusted extensions —
//! and strata sends every plain `CREATE EXTENSION` statement through it
//! ([`rewrite`]). Anything else that needs superuser fails with a message
//! that says why ([`explain`]); `STRATA_SHADOW_SUPERUSER=1` (an environment
//! variable, so a repository cannot set it for itself) restores the old
//! behaviour for projects that trust their files.
//!
//! On a `--dev-url` server nothing changes: strata connects as the user
//! named there, whatever that user may do.

use tokio_postgres::Client;

use crate::db::{DbError, Target};
use crate::model::{quote_ident, quote_literal};
use crate::pg::ident::{fold, unquote};
use crate::pg::lex::{Kind, Lexer};

/// The role shadow databases are built as.
pub const ROLE: &str = "strata_build";

/// The extension-creating function, schema-qualified, with its signature.
pub const FUNCTION: &str =
    "pg_catalog.strata_create_extension(text, text, text, boolean, boolean, text)";

/// Create [`ROLE`] if the cluster lacks it (run on the admin connection;
/// concurrent callers race harmlessly).
pub const ENSURE_ROLE: &str = "DO $strata$ BEGIN \
     CREATE ROLE strata_build LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; \
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $strata$";

/// Settings only a superuser may change that a function's `SET` clause
/// legitimately names (`CREATE FUNCTION … SET temp_file_limit = …` is
/// refused to a role that may not set them) and that give the role no
/// way out of its sandbox: resource limits, logging, statistics. Granted
/// to [`ROLE`] with `GRANT SET ON PARAMETER` (PostgreSQL 15+; on 14 such a
/// function fails with the sandbox's note). Never anything that loads
/// libraries, touches files or lifts a permission check.
pub const GRANT_SETTINGS: &str = "DO $strata$ BEGIN \
     IF pg_catalog.current_setting('server_version_num')::int >= 150000 THEN \
       EXECUTE 'GRANT SET ON PARAMETER temp_file_limit, lc_messages, session_replication_role, \
         deadlock_timeout, commit_delay, compute_query_id, log_duration, log_error_verbosity, \
         log_lock_waits, log_min_duration_sample, log_min_duration_statement, \
         log_min_error_statement, log_min_messages, log_parameter_max_length, log_statement, \
         log_statement_sample_rate, log_temp_files, log_transaction_sample_rate, \
         track_activities, track_counts, track_functions, track_io_timing TO strata_build'; \
     END IF; \
     EXCEPTION WHEN OTHERS THEN NULL; END $strata$";

/// Installed by the superuser in each shadow database. It lives in
/// `pg_catalog` (like plpgsql's handlers) so introspection, which never
/// reads `pg_catalog`, does not see it. Arguments: name, explicit schema,
/// version, CASCADE, IF NOT EXISTS, and the caller's `current_schema()`
/// (where PostgreSQL would put an extension whose control file names no
/// schema). Its own `search_path` is fixed, so a hostile path cannot
/// replace `format()`; the extension script sets its own path anyway.
/// Its privileges stay the default (EXECUTE for PUBLIC): the only other
/// role in the cluster is the superuser, and a changed ACL would make
/// `pg_dump` of a `dev --keep` database dump a GRANT on it.
pub const SETUP: &str = r#"
CREATE FUNCTION pg_catalog.strata_create_extension(
    ext text, ext_schema text, ext_version text, with_cascade boolean,
    if_not_exists boolean, caller_schema text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $strata$
DECLARE
    before oid[];
    fixed text;
    target text;
    stmt text;
BEGIN
    IF if_not_exists AND EXISTS (SELECT FROM pg_extension WHERE extname = ext) THEN
        RAISE NOTICE 'extension "%" already exists, skipping', ext;
        RETURN;
    END IF;
    SELECT array_agg(oid) INTO before FROM pg_extension;
    SELECT v.schema INTO fixed FROM pg_available_extension_versions v
     WHERE v.name = ext AND v.schema IS NOT NULL LIMIT 1;
    target := coalesce(ext_schema, CASE WHEN fixed IS NULL THEN caller_schema END);
    IF target IS NULL AND fixed IS NULL THEN
        RAISE EXCEPTION 'no schema has been selected to create in' USING ERRCODE = '3F000';
    END IF;
    stmt := format('CREATE EXTENSION %I', ext);
    IF target IS NOT NULL THEN stmt := stmt || format(' SCHEMA %I', target); END IF;
    IF ext_version IS NOT NULL THEN stmt := stmt || format(' VERSION %L', ext_version); END IF;
    IF with_cascade THEN stmt := stmt || ' CASCADE'; END IF;
    EXECUTE stmt;
    -- Owned by the caller, as a trusted extension would be: it may then
    -- drop, move or comment on it (its member objects stay the superuser's).
    UPDATE pg_extension SET extowner = session_user::regrole
     WHERE NOT (oid = ANY (coalesce(before, '{}')));
END $strata$;
"#;

/// Make the empty database `db` (reached as a superuser) a sandbox: owned
/// by [`ROLE`] (created if the cluster lacks it), with [`FUNCTION`]
/// installed. Returns the target to build it through, logged in as
/// [`ROLE`].
pub async fn enter(db: &Target) -> Result<Target, crate::Error> {
    let fail = |e| {
        crate::Error::Db(DbError::Query {
            context: "preparing the shadow database's unprivileged role".into(),
            source: e,
        })
    };
    let name = db.config.get_dbname().unwrap_or_default().to_string();
    let client = db.connect().await?;
    client.batch_execute(ENSURE_ROLE).await.map_err(fail)?;
    // Best effort (two builds granting at once may collide): without it a
    // function setting one of them fails with the sandbox's note.
    client.batch_execute(GRANT_SETTINGS).await.map_err(fail)?;
    let owner = format!("ALTER DATABASE {} OWNER TO {ROLE}", quote_ident(&name));
    client.batch_execute(&owner).await.map_err(fail)?;
    client.batch_execute(SETUP).await.map_err(fail)?;
    Ok(db.with_user(ROLE))
}

/// The role a build failed for lack of, from PostgreSQL's message `role
/// "x" does not exist` (English messages: the embedded cluster's). The
/// name runs to the last `" does not exist`, so quotes inside it survive.
pub fn missing_role(message: &str) -> Option<String> {
    const HEAD: &str = "role \"";
    const TAIL: &str = "\" does not exist";
    let start = message.find(HEAD)? + HEAD.len();
    let end = message[start..].rfind(TAIL)? + start;
    Some(message[start..end].to_string())
}

/// Whether `STRATA_SHADOW_SUPERUSER=1` asks for superuser shadows.
pub fn superuser_requested() -> bool {
    std::env::var("STRATA_SHADOW_SUPERUSER").is_ok_and(|v| v == "1")
}

/// Whether `client` is connected to a sandboxed shadow database (one
/// holding [`FUNCTION`]): only then are statements rewritten.
pub async fn active(client: &Client) -> bool {
    let sql = format!("SELECT to_regprocedure('{FUNCTION}') IS NOT NULL");
    match client.query_one(sql.as_str(), &[]).await {
        Ok(row) => row.get(0),
        Err(_) => false,
    }
}

/// The statement to send instead of `sql` in a sandbox: a plain `CREATE
/// EXTENSION` becomes a call of [`FUNCTION`]; anything else (including a
/// `CREATE EXTENSION` with an option strata does not know) is sent as it
/// is, and PostgreSQL decides.
pub fn rewrite(sql: &str) -> Option<String> {
    let ext = parse_create_extension(sql)?;
    let lit = |v: &Option<String>| v.as_deref().map_or("NULL".into(), quote_literal);
    Some(format!(
        "SELECT pg_catalog.strata_create_extension({}, {}, {}, {}, {}, pg_catalog.current_schema());",
        quote_literal(&ext.name),
        lit(&ext.schema),
        lit(&ext.version),
        ext.cascade,
        ext.if_not_exists,
    ))
}

/// `sql`, rewritten when `sandboxed` and [`rewrite`] applies.
pub fn statement(sql: &str, sandboxed: bool) -> std::borrow::Cow<'_, str> {
    match sandboxed.then(|| rewrite(sql)).flatten() {
        Some(s) => s.into(),
        None => sql.into(),
    }
}

#[derive(Debug, Default, PartialEq)]
struct CreateExtension {
    name: String,
    schema: Option<String>,
    version: Option<String>,
    cascade: bool,
    if_not_exists: bool,
}

/// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v]
/// [CASCADE] [;]`, options in any order, each at most once.
fn parse_create_extension(sql: &str) -> Option<CreateExtension> {
    let lexer = Lexer::new(sql);
    let tokens: Vec<(Kind, &str)> = Lexer::new(sql)
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::Comment))
        .map(|t| (t.kind, lexer.text(t)))
        .collect();
    let mut it = Tokens(tokens.into_iter().peekable());
    if !it.keyword("create") || !it.keyword("extension") {
        return None;
    }
    let mut ext = CreateExtension::default();
    if it.keyword("if") {
        if !(it.keyword("not") && it.keyword("exists")) {
            return None;
        }
        ext.if_not_exists = true;
    }
    ext.name = name(it.0.next()?)?;
    it.keyword("with");
    loop {
        if ext.schema.is_none() && it.keyword("schema") {
            ext.schema = Some(name(it.0.next()?)?);
        } else if ext.version.is_none() && it.keyword("version") {
            ext.version = Some(value(it.0.next()?)?);
        } else if !ext.cascade && it.keyword("cascade") {
            ext.cascade = true;
        } else {
            break;
        }
    }
    while matches!(it.0.peek(), Some((Kind::Semicolon, _))) {
        it.0.next();
    }
    it.0.next().is_none().then_some(ext)
}

struct Tokens<'a>(std::iter::Peekable<std::vec::IntoIter<(Kind, &'a str)>>);

impl Tokens<'_> {
    /// Consume the next token when it is the keyword `want`.
    fn keyword(&mut self, want: &str) -> bool {
        let hit = matches!(self.0.peek(), Some((Kind::Word, w)) if fold(w) == want);
        if hit {
            self.0.next();
        }
        hit
    }
}

fn name((kind, text): (Kind, &str)) -> Option<String> {
    match kind {
        Kind::Word => Some(fold(text)),
        Kind::QuotedIdent if text.starts_with('"') => Some(unquote(text)),
        _ => None,
    }
}

/// A version: an identifier or a plain `'…'` string.
fn value((kind, text): (Kind, &str)) -> Option<String> {
    match kind {
        Kind::String if text.starts_with('\'') => Some(text[1..text.len() - 1].replace("''", "'")),
        Kind::Number => Some(text.to_string()),
        _ => name((kind, text)),
    }
}

/// Why a statement failed in a sandboxed shadow, when it was a privilege
/// error: the role is unprivileged on purpose, and what to do.
pub fn explain(e: &tokio_postgres::Error, sandboxed: bool) -> Option<String> {
    let code = e.code()?;
    (sandboxed && *code == tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE).then(|| {
        format!(
            "the shadow database is built by the unprivileged role {ROLE}: schema files and \
             migrations are code from the repository, so strata gives them no superuser rights \
             there (installed extensions are the exception); if this project's files are \
             trusted, set STRATA_SHADOW_SUPERUSER=1"
        )
    })
}

/// [`crate::db::describe`] plus [`explain`].
pub fn describe(e: &tokio_postgres::Error, sandboxed: bool) -> String {
    let mut s = crate::db::describe(e);
    if let Some(why) = explain(e, sandboxed) {
        s.push_str(&format!("\n  note: {why}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(sql: &str) -> Option<CreateExtension> {
        parse_create_extension(sql)
    }

    #[test]
    fn plain_create_extension_statements_are_recognised() {
        let e = parsed("CREATE EXTENSION postgis;").unwrap();
        assert_eq!(
            (e.name.as_str(), e.schema, e.cascade),
            ("postgis", None, false)
        );
        let e = parsed(
            "create extension if not exists \"Odd\"\"x\" with schema \"Ext\" version '1.0' cascade",
        )
        .unwrap();
        assert_eq!(e.name, "Odd\"x");
        assert_eq!(e.schema.as_deref(), Some("Ext"));
        assert_eq!(e.version.as_deref(), Some("1.0"));
        assert!(e.cascade && e.if_not_exists);
        let e = parsed("/* c */ CREATE EXTENSION hstore CASCADE SCHEMA s -- x\n;").unwrap();
        assert_eq!(e.schema.as_deref(), Some("s"));
    }

    #[test]
    fn anything_else_is_sent_as_it_is() {
        for sql in [
            "CREATE TABLE t (a int)",
            "CREATE EXTENSION",
            "CREATE EXTENSION x; COPY t TO PROGRAM 'id'",
            "CREATE EXTENSION x SCHEMA a SCHEMA b",
            "CREATE EXTENSION x FROM unpackaged",
            "CREATE EXTENSION x VERSION E'1\\'",
            "DO $$ BEGIN CREATE EXTENSION x; END $$",
        ] {
            assert_eq!(rewrite(sql), None, "{sql}");
        }
    }

    #[test]
    fn the_rewrite_quotes_every_value() {
        let sql = rewrite("CREATE EXTENSION \"a'b\" SCHEMA \"s'\"").unwrap();
        assert_eq!(
            sql,
            "SELECT pg_catalog.strata_create_extension('a''b', 's''', NULL, false, false, pg_catalog.current_schema());"
        );
    }
}
