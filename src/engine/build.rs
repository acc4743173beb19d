//! Materialising a YAML model: the SQL that creates it in an empty
//! database, and running that SQL in a scratch database with errors that
//! point back into the YAML.

use tokio_postgres::Client;

use crate::db::describe;
use crate::model::{Database, Namespace};
use crate::plan::plan;
use crate::{Error, Result};

/// The SQL that creates `spec` in an empty database, statement by statement.
pub fn creation_plan(spec: &Database) -> crate::plan::Plan {
    let mut spec = with_implied_schemas(spec);
    name_commented_objects(&mut spec);
    let changes = crate::diff::diff(&Database::default(), &spec);
    plan(&changes, &Database::default())
}

/// Every schema a table or type lives in must exist, declared or not.
fn with_implied_schemas(spec: &Database) -> Database {
    let mut db = spec.clone();
    let used = spec
        .tables
        .keys()
        .chain(spec.enums.keys())
        .chain(spec.sequences.keys())
        .chain(spec.domains.keys())
        .chain(spec.composites.keys())
        .chain(spec.ranges.keys())
        .chain(spec.collations.keys())
        .chain(spec.views.keys())
        .chain(spec.functions.keys().map(|k| &k.0))
        .chain(spec.aggregates.keys().map(|k| &k.0))
        .map(|n| n.schema.clone())
        .chain(spec.extensions.values().filter_map(|e| e.schema.clone()));
    for s in used.collect::<Vec<_>>() {
        if s != "public" && !crate::pg::ident::is_system_schema(&s) && !db.schemas.contains_key(&s)
        {
            db.schemas.insert(
                s.clone(),
                Namespace {
                    name: s,
                    ..Default::default()
                },
            );
        }
    }
    db.schemas.remove("public");
    db
}

/// A comment needs a name to attach to: PostgreSQL's own choice
/// ([`crate::pg::naming::name_commented`]).
fn name_commented_objects(db: &mut Database) {
    crate::pg::naming::name_commented(db);
}

/// Run the creation plan of `spec`, and its `schema/*.sql` statements, on
/// `client`; a failing statement is reported with the position of the
/// object it creates (YAML or SQL file).
pub async fn apply_spec(client: &Client, spec: &Database) -> Result<()> {
    refuse_newer_features(client, spec).await?;
    let sandboxed = super::sandbox::active(client).await;
    let sent = |sql: &str| super::sandbox::statement(sql, sandboxed).into_owned();
    let mut plan = creation_plan(spec);
    for s in &mut plan.statements {
        s.sql = sent(&s.sql);
    }
    let spec_sql: Vec<String> = spec.sql.iter().map(|s| sent(&s.sql)).collect();
    // One round trip for the whole script (a multi-statement query runs in
    // one implicit transaction); only when it fails are the statements
    // re-run one by one, to name the one that fails and its YAML origin.
    // The pool below checks bodies as it goes (and retries what it must
    // without the check, saying so).
    plan.statements
        .retain(|s| s.sql != crate::plan::UNCHECKED_BODIES);
    // `SET LOCAL` holds for the script (one implicit transaction): SQL
    // function bodies, YAML or SQL files, are checked afterwards, so their
    // order against the tables they read is free.
    let script: String = std::iter::once(format!("{}\n", crate::plan::UNCHECKED_BODIES))
        .chain(plan.statements.iter().map(|s| format!("{}\n", s.sql)))
        // `;` on its own line: a statement may end in a `--` comment.
        .chain(spec_sql.iter().map(|s| format!("{s}\n;\n")))
        .collect();
    if client.batch_execute(&script).await.is_ok() {
        check_bodies(client, spec).await;
        return Ok(());
    }
    // A SQL function's body is checked when it is created: it may read a
    // table that a check or default of that table's needs the function
    // for; views may read views; a domain or composite type may be over a
    // table's row type (the YAML names it unqualified, which the plan's
    // edges do not follow). The pool's retries find the order.
    let routines = !spec.functions.is_empty() || !spec.aggregates.is_empty();
    let row_types = !spec.domains.is_empty() || !spec.composites.is_empty();
    if !spec.sql.is_empty() || !spec.views.is_empty() || routines || row_types {
        // YAML and SQL files: the order PostgreSQL accepts (see `pool`).
        let items = plan
            .statements
            .iter()
            .map(|s| super::pool::Item {
                sql: &s.sql,
                origin: s.origin.clone(),
            })
            .chain(
                spec.sql
                    .iter()
                    .zip(&spec_sql)
                    .map(|(s, sql)| super::pool::Item {
                        sql,
                        origin: Some(s.origin.clone()),
                    }),
            )
            .collect();
        return super::pool::run(client, items, sandboxed).await;
    }
    client
        .batch_execute("BEGIN")
        .await
        .map_err(|e| shadow_err(&e, None))?;
    for s in &plan.statements {
        if let Err(e) = client.batch_execute(&s.sql).await {
            let _ = client.batch_execute("ROLLBACK").await;
            let origin = column_origin(spec, &s.sql, &e).or_else(|| s.origin.clone());
            return Err(Error::Shadow {
                message: format!(
                    "{}\n  statement: {}",
                    super::sandbox::describe(&e, sandboxed),
                    // A name in it may hold a newline.
                    crate::escape::indented(&s.sql, "    ")
                ),
                origin: origin.map(|o| o.to_string()),
            });
        }
    }
    // The batch failed but every statement alone succeeded: report the
    // batch's own error.
    client
        .batch_execute("ROLLBACK")
        .await
        .map_err(|e| shadow_err(&e, None))?;
    match client.batch_execute(&script).await {
        Ok(()) => Ok(()),
        Err(e) => Err(Error::Shadow {
            message: super::sandbox::describe(&e, sandboxed),
            origin: None,
        }),
    }
}

/// Check the bodies of the SQL functions just created unchecked (YAML or
/// `schema/*.sql`) by creating each again with the check on, from
/// `pg_get_functiondef` (`CREATE OR REPLACE` of the same text changes
/// nothing): one batch, and only when it fails one by one, warning for
/// each body PostgreSQL rejects — the function stays, as pg_dump would
/// have created it.
async fn check_bodies(client: &Client, spec: &Database) {
    if spec.functions.is_empty() && spec.sql.is_empty() {
        return;
    }
    let Ok(rows) = client.query(QUOTED_SQL_FUNCTIONS, &[]).await else {
        return;
    };
    let defs: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    if defs.is_empty() {
        return;
    }
    let all: String = defs
        .iter()
        .map(|(_, d)| format!("{};\n", d.trim_end()))
        .collect();
    if client.batch_execute(&all).await.is_ok() {
        return;
    }
    for (name, def) in &defs {
        if let Err(e) = client.batch_execute(def).await {
            super::pool::warn_unchecked(name, &describe(&e));
        }
    }
}

/// `LANGUAGE sql` functions and procedures with a quoted body (checked at
/// creation, unlike a SQL-standard one), outside system schemas and
/// extensions: their name and `CREATE OR REPLACE` text.
const QUOTED_SQL_FUNCTIONS: &str = "\
SELECT p.oid::pg_catalog.regprocedure::text, pg_catalog.pg_get_functiondef(p.oid)
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE l.lanname = 'sql' AND p.prokind IN ('f', 'p') AND p.prosqlbody IS NULL
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND d.objid = p.oid AND d.deptype = 'e')";

/// When PostgreSQL points into a column definition of a `CREATE TABLE` or
/// `ADD COLUMN`, the YAML position of that column (more precise than the
/// table's).
fn column_origin(
    spec: &Database,
    sql: &str,
    e: &tokio_postgres::Error,
) -> Option<crate::model::Origin> {
    let db = e.as_db_error()?;
    let tokio_postgres::error::ErrorPosition::Original(pos) = db.position()? else {
        return None;
    };
    // `pos` counts characters from 1.
    let at: usize = sql
        .chars()
        .take(*pos as usize - 1)
        .map(char::len_utf8)
        .sum();
    let line_start = sql[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = sql[line_start..].lines().next()?.trim_start();
    let line = line
        .strip_prefix("ALTER TABLE ")
        .map_or(line, |_| line.split(" ADD COLUMN ").nth(1).unwrap_or(""));
    let name = line.strip_prefix('"')?;
    let end = name.find('"')?;
    let column = &name[..end];
    spec.tables
        .values()
        .filter(|t| sql.contains(&t.name.quoted()))
        .find_map(|t| t.column(column))
        .map(|c| c.origin.clone())
        .filter(|o| o.file.is_some())
}

/// A spec using a feature the shadow server's major lacks (NULLS NOT
/// DISTINCT on 14, say) is refused by name before anything runs, instead
/// of failing on a syntax error. Only asks the server when the spec uses
/// such a feature at all.
async fn refuse_newer_features(client: &Client, spec: &Database) -> Result<()> {
    if crate::pg::version::needs(spec).is_empty() {
        return Ok(());
    }
    let num: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .map_err(|e| shadow_err(&e, None))?
        .get(0);
    match crate::pg::version::check(spec, num, "the shadow database") {
        Some(message) => Err(Error::Shadow {
            message: format!("{message}; point STRATA_PG_BINDIR (or --dev-url) at a newer server"),
            origin: None,
        }),
        None => Ok(()),
    }
}

fn shadow_err(e: &tokio_postgres::Error, origin: Option<String>) -> Error {
    Error::Shadow {
        message: describe(e),
        origin,
    }
}
