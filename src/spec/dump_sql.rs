//! What `pull` cannot write as YAML, written as SQL: the objects of kinds
//! strata does not model (text search configurations, operators, legacy
//! inheritance children, …), as `pg_dump` prints them, into one
//! `schema/*.sql` file. The shadow database builds that file with the YAML
//! (see `engine::pool`), so a table whose CHECK calls a function or whose
//! column is a domain builds, and `pull` → `plan` is empty.
//!
//! `pg_dump` rather than strata's own DDL: it knows how to write every kind
//! on every major, and in an order that builds. The steps: `pg_dump -Fc -s`
//! into a private temporary file, `pg_restore -l` for its table of
//! contents, keep the entries of unmodelled kinds ([`keep`]), then
//! `pg_restore -L` those entries as SQL. The connection goes through `PG*`
//! environment variables, as for `--backup`.
//!
//! Left out on purpose, and so still only reported: privileges (`ACL`,
//! `DEFAULT ACL`) and row-level security (`POLICY`, `ROW SECURITY`), which
//! name roles the shadow's cluster does not have (a later issue); and the
//! kinds that need a superuser, which the unprivileged shadow role could
//! not build (event triggers, languages, foreign-data wrappers and their
//! servers, user mappings and foreign tables, access methods, operator
//! classes and families, text search parsers and templates, transforms
//! (for a language), subscriptions; and publications: YAML when they name only managed
//! tables, else left out altogether (nothing depends on them).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use tokio_postgres::Client;

use crate::db::{DbError, Target};
use crate::embedded::EmbeddedOptions;
use crate::{Error, Result};

/// Table-of-contents kinds (`pg_restore -l`'s "desc") written to SQL.
/// `TYPE`, `TRIGGER` and `STATISTICS` are decided per object ([`keep`]): enum, composite
/// and range types are YAML, and so are triggers of tables (those of views
/// are not). Functions and procedures are YAML; the ones strata does not
/// model are in languages only a superuser can use, which the shadow
/// could not build anyway. Aggregates are YAML too.
const UNMODELLED: &[&str] = &[
    "CAST",
    "CONVERSION",
    "OPERATOR",
    "RULE",
    "SHELL TYPE",
    "TEXT SEARCH CONFIGURATION",
    "TEXT SEARCH DICTIONARY",
];

/// Every desc `pg_restore -l` may print, longest first, to split a line.
const DESCS: &[&str] = &[
    "PUBLICATION TABLES IN SCHEMA",
    "TEXT SEARCH CONFIGURATION",
    "TEXT SEARCH DICTIONARY",
    "FOREIGN DATA WRAPPER",
    "TEXT SEARCH TEMPLATE",
    "TEXT SEARCH PARSER",
    "PROCEDURAL LANGUAGE",
    "SEQUENCE OWNED BY",
    "MATERIALIZED VIEW",
    "PUBLICATION TABLE",
    "OPERATOR FAMILY",
    "OPERATOR CLASS",
    "CHECK CONSTRAINT",
    "FK CONSTRAINT",
    "ACCESS METHOD",
    "EVENT TRIGGER",
    "FOREIGN TABLE",
    "INDEX ATTACH",
    "TABLE ATTACH",
    "ROW SECURITY",
    "SEQUENCE SET",
    "USER MAPPING",
    "DEFAULT ACL",
    "SHELL TYPE",
    "TABLE DATA",
    "CONSTRAINT",
    "CONVERSION",
    "PUBLICATION",
    "SUBSCRIPTION",
    "STATISTICS",
    "AGGREGATE",
    "COLLATION",
    "EXTENSION",
    "PROCEDURE",
    "TRANSFORM",
    "FUNCTION",
    "OPERATOR",
    "SEQUENCE",
    "COMMENT",
    "DEFAULT",
    "TRIGGER",
    "DOMAIN",
    "POLICY",
    "SCHEMA",
    "SERVER",
    "INDEX",
    "TABLE",
    "RULE",
    "TYPE",
    "VIEW",
    "CAST",
    "ACL",
];

/// One line of `pg_restore -l`: `id; tableoid oid DESC schema tag owner`.
#[derive(Debug, PartialEq)]
struct Entry<'a> {
    line: &'a str,
    oid: u32,
    desc: &'a str,
    /// `schema tag owner` (a `-` schema for database-wide objects).
    rest: &'a str,
}

fn parse(line: &str) -> Option<Entry<'_>> {
    let (_, after) = line.split_once("; ")?;
    let mut parts = after.splitn(3, ' ');
    let _tableoid = parts.next()?;
    let oid = parts.next()?.parse().ok()?;
    let tail = parts.next()?;
    let desc = DESCS
        .iter()
        .find(|d| tail.starts_with(*d) && tail[d.len()..].starts_with(' '))?;
    Some(Entry {
        line,
        oid,
        desc,
        rest: &tail[desc.len() + 1..],
    })
}

/// The SQL of every object of `target` that YAML cannot express, or
/// `None` when there is none. Errors when no usable `pg_dump` exists.
pub async fn unmodelled_sql(
    client: &Client,
    target: &Target,
    bins: &EmbeddedOptions,
) -> Result<Option<String>> {
    let dump = Unmodelled::dump(client, target, bins).await?;
    let all: Vec<&str> = dump.lines.iter().map(String::as_str).collect();
    dump.restore(&all).await
}

/// A schema-only dump of a database and the listing lines of its objects
/// YAML cannot express ([`keep`]).
pub struct Unmodelled {
    dir: tempfile::TempDir,
    file: PathBuf,
    pg_restore: PathBuf,
    pub lines: Vec<String>,
}

impl Unmodelled {
    pub async fn dump(client: &Client, target: &Target, bins: &EmbeddedOptions) -> Result<Self> {
        let major = crate::migrate::backup::server_major(client).await?;
        let pg_dump = crate::migrate::backup::find_pg_dump(bins, major, "pull")?;
        let pg_restore = pg_dump.with_file_name("pg_restore");
        let dir =
            tempfile::tempdir().map_err(|e| Error::io("creating a temporary directory", e))?;
        let file = dir.path().join("schema.dump");
        let mut cmd = Command::new(&pg_dump);
        cmd.args(["--format=custom", "--schema-only", "--no-owner", "--file"])
            .arg(&file);
        crate::migrate::backup::connection_env(&mut cmd, target);
        run(cmd, &pg_dump).await?;
        let mut cmd = Command::new(&pg_restore);
        cmd.arg("--list").arg(&file);
        let listing = run(cmd, &pg_restore).await?;
        let entries: Vec<Entry> = listing.lines().filter_map(parse).collect();
        let lines = keep(client, &entries)
            .await?
            .into_iter()
            .map(str::to_string)
            .collect();
        Ok(Unmodelled {
            dir,
            file,
            pg_restore,
            lines,
        })
    }

    /// What names a listing line's object across databases: its kind,
    /// schema and tag, without the dump ids, oids and owner.
    pub fn key(line: &str) -> Option<String> {
        let e = parse(line)?;
        let named = e.rest.rsplit_once(' ').map_or(e.rest, |(n, _owner)| n);
        Some(format!("{} {named}", e.desc))
    }

    /// The SQL of the objects of `lines` (some of [`Self::lines`]), in
    /// pg_dump's order; `None` when `lines` is empty.
    pub async fn restore(&self, lines: &[&str]) -> Result<Option<String>> {
        self.restore_with(lines, &[]).await
    }

    /// The `DROP` statements of the objects of `lines`, dependents first
    /// (pg_restore's `--clean` part).
    pub async fn drops(&self, lines: &[&str]) -> Result<Vec<String>> {
        // IF EXISTS: a trigger of a view goes with the view too.
        let Some(sql) = self
            .restore_with(lines, &["--clean", "--if-exists"])
            .await?
        else {
            return Ok(Vec::new());
        };
        Ok(crate::migrate::split::statements(&sql)
            .iter()
            .map(|st| st.sql.trim())
            .filter(|st| st.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("DROP ")))
            .map(|st| format!("{st};"))
            .collect())
    }

    async fn restore_with(&self, lines: &[&str], args: &[&str]) -> Result<Option<String>> {
        if lines.is_empty() {
            return Ok(None);
        }
        let list = self.dir.path().join("keep.list");
        std::fs::write(&list, lines.join("\n") + "\n")
            .map_err(|e| Error::io(format!("writing {}", list.display()), e))?;
        let mut cmd = Command::new(&self.pg_restore);
        cmd.args(["--no-owner", "--no-privileges"])
            .args(args)
            .arg("--use-list")
            .arg(&list)
            .args(["--file", "-"])
            .arg(&self.file);
        let sql = run(cmd, &self.pg_restore).await?;
        // `--clean`'s DROPs come before the first object header.
        Ok(Some(match args.is_empty() {
            true => strip_session_settings(&sql),
            false => sql,
        }))
    }
}

/// The listing lines to restore: unmodelled kinds, base and shell types,
/// triggers and column defaults of views, and comments on any of those.
async fn keep<'a>(client: &Client, entries: &[Entry<'a>]) -> Result<Vec<&'a str>> {
    let oids = |desc: &str| -> Vec<u32> {
        entries
            .iter()
            .filter(|e| e.desc == desc)
            .map(|e| e.oid)
            .collect()
    };
    let query = |sql: &'static str, oids: Vec<u32>| async move {
        let rows = client
            .query(sql, &[&oids])
            .await
            .map_err(|source| DbError::Query {
                context: "reading which objects pull writes as SQL".into(),
                source,
            })?;
        Ok::<HashSet<u32>, Error>(rows.iter().map(|r| r.get(0)).collect())
    };
    let types = query(
        "SELECT oid FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[]) AND typtype NOT IN ('e', 'c', 'r', 'm')",
        oids("TYPE"),
    )
    .await?;
    let view_triggers = query(
        "SELECT t.oid FROM pg_catalog.pg_trigger t \
         JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
         WHERE t.oid = ANY($1::oid[]) AND c.relkind = 'v'",
        oids("TRIGGER"),
    )
    .await?;
    // `ALTER VIEW … ALTER COLUMN … SET DEFAULT` (what an insert through
    // the view gets): reported as unmanaged, written here.
    let view_defaults = query(
        "SELECT d.oid FROM pg_catalog.pg_attrdef d \
         JOIN pg_catalog.pg_class c ON c.oid = d.adrelid \
         WHERE d.oid = ANY($1::oid[]) AND c.relkind = 'v'",
        oids("DEFAULT"),
    )
    .await?;
    // Extended statistics are YAML on a managed table of their own
    // schema (`catalog::statistics`); on anything else they are SQL.
    let statistics = query(
        "SELECT s.oid FROM pg_catalog.pg_statistic_ext s \
         JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid \
         WHERE s.oid = ANY($1::oid[]) AND (c.relkind NOT IN ('r', 'p') \
           OR s.stxnamespace <> c.relnamespace \
           OR (NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i \
             WHERE i.inhrelid = c.oid)))",
        oids("STATISTICS"),
    )
    .await?;
    let children = inheritance_children(client, entries).await?;
    let kept = |e: &Entry| match e.desc {
        "TYPE" => types.contains(&e.oid),
        "STATISTICS" => statistics.contains(&e.oid),
        "TRIGGER" => view_triggers.contains(&e.oid) || children.contains(&e.oid),
        "DEFAULT" => view_defaults.contains(&e.oid) || children.contains(&e.oid),
        "TABLE" | "CONSTRAINT" | "FK CONSTRAINT" | "INDEX" => children.contains(&e.oid),
        d => UNMODELLED.contains(&d),
    };
    // A comment's tag names its object: `FUNCTION f(integer)`, `TYPE t`.
    // Kept when that object is.
    let kept_names: HashSet<String> = entries
        .iter()
        .filter(|e| kept(e))
        .map(|e| format!("{} {}", e.desc, e.rest))
        .collect();
    // Every object of an unmodelled kind is kept, so is every comment on
    // one — whatever its tag looks like (an operator's comment names its
    // arguments, the operator's entry does not; a cast's tag repeats
    // `CAST`). Types and triggers are kept one by one: match the object.
    let comment_kept = |e: &Entry| {
        let Some((schema, tag)) = e.rest.split_once(' ') else {
            return false;
        };
        // Longest kind first: `OPERATOR CLASS x` is no `OPERATOR`.
        let of_unmodelled_kind = DESCS
            .iter()
            .find(|d| tag.starts_with(*d) && tag[d.len()..].starts_with(' '))
            .is_some_and(|d| UNMODELLED.contains(d));
        of_unmodelled_kind || kept_names.iter().any(|k| comment_matches(k, schema, tag))
    };
    Ok(entries
        .iter()
        .filter(|e| kept(e) || (e.desc == "COMMENT" && comment_kept(e)))
        .map(|e| e.line)
        .collect())
}

/// Legacy inheritance children (`CREATE TABLE … INHERITS (…)`), not
/// modelled but reported: the oids of their TABLE entries and of their
/// own defaults, constraints, indexes and triggers, so they build with
/// their parent and `pull` → `plan` stays empty. (Their policies and
/// grants stay out, like every table's.)
async fn inheritance_children(client: &Client, entries: &[Entry<'_>]) -> Result<HashSet<u32>> {
    let oids: Vec<u32> = entries
        .iter()
        .filter(|e| {
            matches!(
                e.desc,
                "TABLE" | "DEFAULT" | "CONSTRAINT" | "FK CONSTRAINT" | "INDEX" | "TRIGGER"
            )
        })
        .map(|e| e.oid)
        .collect();
    if oids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = "WITH child AS (SELECT c.oid FROM pg_catalog.pg_class c \
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
                   AND c.oid IN (SELECT inhrelid FROM pg_catalog.pg_inherits)) \
               SELECT oid FROM child WHERE oid = ANY($1::oid[]) \
               UNION SELECT oid FROM pg_catalog.pg_attrdef \
                 WHERE oid = ANY($1::oid[]) AND adrelid IN (SELECT oid FROM child) \
               UNION SELECT oid FROM pg_catalog.pg_constraint \
                 WHERE oid = ANY($1::oid[]) AND conrelid IN (SELECT oid FROM child) \
               UNION SELECT indexrelid FROM pg_catalog.pg_index \
                 WHERE indexrelid = ANY($1::oid[]) AND indrelid IN (SELECT oid FROM child) \
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k \
                     WHERE k.conindid = indexrelid) \
               UNION SELECT oid FROM pg_catalog.pg_trigger \
                 WHERE oid = ANY($1::oid[]) AND tgrelid IN (SELECT oid FROM child)";
    let rows = client
        .query(sql, &[&oids])
        .await
        .map_err(|source| DbError::Query {
            context: "reading the inheritance children pull writes as SQL".into(),
            source,
        })?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Whether comment tag `tag` in `schema` (`FUNCTION f(integer) owner`)
/// is about the kept object `kept` (`FUNCTION public f(integer) owner`).
fn comment_matches(kept: &str, schema: &str, tag: &str) -> bool {
    let Some(desc) = DESCS
        .iter()
        .find(|d| tag.starts_with(*d) && tag[d.len()..].starts_with(' '))
    else {
        return false;
    };
    let object = &tag[desc.len() + 1..];
    kept.strip_prefix(desc)
        .and_then(|k| k.strip_prefix(' '))
        .and_then(|k| k.strip_prefix(schema))
        .and_then(|k| k.strip_prefix(' '))
        .is_some_and(|k| k == object)
}

/// Drop pg_restore's session preamble (`SET …`, `SELECT
/// pg_catalog.set_config('search_path', '', false)`) and psql's
/// `\restrict` lines: the file is built in the shadow's session together
/// with the YAML, whose statements must not see an empty search_path, and
/// it is loaded as SQL, not by psql. pg_dump qualifies every name.
fn strip_session_settings(sql: &str) -> String {
    let mut out = String::new();
    let mut preamble = true;
    for line in sql.lines() {
        if line.starts_with("\\restrict ") || line.starts_with("\\unrestrict ") {
            continue;
        }
        if preamble {
            if line.starts_with("-- Name:") || line.starts_with("-- TOC entry") {
                preamble = false;
                out.push_str("--\n");
            } else {
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

/// Run a pg_dump/pg_restore command off the async runtime; its stdout.
async fn run(mut cmd: Command, bin: &Path) -> Result<String> {
    let bin: PathBuf = bin.to_path_buf();
    let shown = bin.display().to_string();
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| Error::Config(format!("running {shown}: {e}")))?
        .map_err(|e| Error::io(format!("running {}", bin.display()), e))?;
    if !out.status.success() {
        return Err(Error::Refused(format!(
            "could not dump the objects YAML cannot express: {} exited with {}:\n{}",
            bin.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_lines_split_into_kind_and_name() {
        let e = parse("259; 1255 16681 FUNCTION public f(integer) postgres").unwrap();
        assert_eq!(
            (e.oid, e.desc, e.rest),
            (16681, "FUNCTION", "public f(integer) postgres")
        );
        let e = parse("2112; 3602 16697 TEXT SEARCH CONFIGURATION public tsc postgres").unwrap();
        assert_eq!(e.desc, "TEXT SEARCH CONFIGURATION");
        let e = parse("3477; 0 0 COMMENT public VIEW v postgres").unwrap();
        assert_eq!((e.desc, e.rest), ("COMMENT", "public VIEW v postgres"));
        assert_eq!(parse(";\n"), None);
        assert_eq!(parse("; Archive created at 2026-12-06"), None);
    }

    #[test]
    fn comments_follow_their_object() {
        assert!(comment_matches(
            "FUNCTION public f(integer) postgres",
            "public",
            "FUNCTION f(integer) postgres"
        ));
        assert!(!comment_matches(
            "FUNCTION public f(integer) postgres",
            "public",
            "TABLE f(integer) postgres"
        ));
        assert!(!comment_matches(
            "FUNCTION public f(integer) postgres",
            "other",
            "FUNCTION f(integer) postgres"
        ));
    }

    #[test]
    fn the_session_preamble_and_psql_lines_go() {
        let sql = "\\restrict abc\n--\n-- PostgreSQL database dump\n--\nSET statement_timeout = 0;\n\
                   SELECT pg_catalog.set_config('search_path', '', false);\n\n--\n-- Name: f(); Type: FUNCTION\n--\n\n\
                   CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'select 1';\n\\unrestrict abc\n";
        let out = strip_session_settings(sql);
        assert!(
            !out.contains("SET ") && !out.contains("set_config") && !out.contains('\\'),
            "{out}"
        );
        assert!(out.contains("CREATE FUNCTION public.f()"), "{out}");
    }
}
