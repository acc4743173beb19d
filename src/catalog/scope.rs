//! What to read: the schema filter, shared by every query as the `ns` CTE,
//! and the server version the queries adapt to.

use super::{CatalogError, CatalogOptions};

/// `server_version_num`, e.g. 150004.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServerVersion(pub i32);

impl ServerVersion {
    pub async fn query(client: &tokio_postgres::Client) -> Result<Self, CatalogError> {
        let row = client
            .query_one("SELECT current_setting('server_version_num')::int4", &[])
            .await
            .map_err(|source| CatalogError::Query {
                what: "server version",
                source,
            })?;
        let v: i32 = super::row::get(&row, 0, "server version")?;
        if let Some(warning) = crate::pg::version::admit(v)? {
            crate::notice::warn_once(&format!("server-version-{v}"), &warning);
        }
        Ok(ServerVersion(v))
    }

    pub fn at_least(&self, major: i32) -> bool {
        self.0 >= major * 10000
    }
}

/// The managed schemas and server version, passed to every query.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Bound as `$1::text[]`; NULL = all non-system schemas.
    pub schemas: Option<Vec<String>>,
    pub version: ServerVersion,
}

impl Scope {
    pub fn new(opts: &CatalogOptions, version: ServerVersion) -> Self {
        Scope {
            schemas: opts.schemas.clone(),
            version,
        }
    }
}

/// `WITH ns AS (…)`: oid and name of every managed schema (`public`
/// included). Names starting with `pg_` are reserved for the system
/// (`pg_catalog`, `pg_toast*`, `pg_temp_*`, `pg_toast_temp_*`).
pub const NS_CTE: &str = "WITH ns AS ( \
    SELECT n.oid, n.nspname::text AS nspname FROM pg_namespace n \
    WHERE n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_' \
      AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[])) \
      AND NOT EXISTS (SELECT 1 FROM pg_depend e \
          WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e') \
)";

/// `WITH ns AS (…), tbl AS (…)`: `tbl` holds the oid of every managed
/// table (see [`super::tables::Relation::is_managed_table`]). Per-table
/// queries join it instead of binding an oid array, which made the planner
/// spend tens of milliseconds estimating `= ANY (<500 oids>)`; the
/// snapshot guarantees it matches the relations query.
pub fn tables_cte() -> String {
    format!(
        "{NS_CTE}, tbl AS ( \
         SELECT c.oid FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
         WHERE {MANAGED_TABLE} AND {})",
        not_extension_member("pg_class", "c.oid")
    )
}

/// SQL predicate on `pg_class c`: a managed table, ordinary or partitioned,
/// a partition or without any parent (legacy `INHERITS` children are not
/// managed). `NOT IN` (`inhrelid` is never NULL) rather than `NOT EXISTS`:
/// the planner hashes `pg_inherits` once instead of probing it for every
/// row of `pg_class`, a few milliseconds in each of the queries that read
/// the tables of a 500-table schema.
pub const MANAGED_TABLE: &str = "c.relkind IN ('r', 'p') AND (c.relispartition \
    OR c.oid NOT IN (SELECT i.inhrelid FROM pg_inherits i))";

/// SQL predicate: the object `oid_expr` of catalog `catalog` is not a
/// member of an extension.
pub fn not_extension_member(catalog: &str, oid_expr: &str) -> String {
    not_dependent(catalog, oid_expr, "'e'")
}

/// SQL predicate: the object has no dependency of the given types
/// (`'e'` extension member, `'i'` internal part of another object, like
/// the constructor functions of a range type). An uncorrelated `NOT IN`
/// (`objid` is never NULL), which PostgreSQL hashes once per query: as a
/// correlated `NOT EXISTS`, the unanalysed catalogs of a freshly built
/// database made the planner rescan every dependency of the class for each
/// row (12 of a trigger query's 14 ms at 500 tables).
pub fn not_dependent(catalog: &str, oid_expr: &str, deptypes: &str) -> String {
    format!(
        "{oid_expr} NOT IN (SELECT e.objid FROM pg_depend e \
         WHERE e.classid = '{catalog}'::regclass AND e.deptype IN ({deptypes}))"
    )
}

/// SQL expression rendering a collation (`"C"`, `ucs_basic`,
/// `myschema."fr"`) the way PostgreSQL prints it with
/// `search_path = pg_catalog`: quoted only when needed, qualified unless in
/// `pg_catalog`.
pub fn collation_name(oid_expr: &str) -> String {
    format!(
        "(SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) \
         ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END \
         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE co.oid = {oid_expr})"
    )
}
