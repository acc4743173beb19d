//! Relations and columns. Every relation in the managed schemas is read in
//! one query; plain tables become model tables, the rest is reported as
//! unmanaged. Columns carry their NOT NULL constraint's name on
//! PostgreSQL 18 ([`super::not_null`]).

use std::collections::{BTreeMap, HashMap};

use tokio_postgres::Row;

use super::row::{get, query};
use super::scope::{collation_name, not_extension_member, tables_cte, Scope, NS_CTE};
use super::{report, CatalogError};
use crate::model::{
    Column, IdentityKind, PartitionOf, QualifiedName, ReplicaIdentity, Table, Unmanaged,
};

/// One row of `pg_class` in a managed schema.
#[derive(Debug, Clone)]
pub struct Relation {
    pub oid: u32,
    pub name: QualifiedName,
    pub relkind: i8,
    pub is_partition: bool,
    pub inherits: bool,
    pub row_security: bool,
    pub force_row_security: bool,
    pub unlogged: bool,
    /// `reloptions`, and the TOAST table's prefixed `toast.` (see
    /// [`storage_parameters`]).
    pub storage: BTreeMap<String, String>,
    pub replica_identity: ReplicaIdentity,
    pub cluster_on: Option<String>,
    pub has_tablespace: bool,
    pub typed: bool,
    pub comment: Option<String>,
    /// Partitioned tables: `pg_get_partkeydef`.
    pub partition_key: Option<String>,
    /// Partitions: the parent and `pg_get_expr(relpartbound)`.
    pub partition_of: Option<PartitionOf>,
}

impl Relation {
    /// A table the model manages: ordinary or partitioned, a partition or
    /// no parent at all (legacy `INHERITS` children are not managed).
    pub fn is_managed_table(&self) -> bool {
        matches!(self.relkind as u8, b'r' | b'p') && (self.is_partition || !self.inherits)
    }

    fn display(&self) -> String {
        format!("{}.{}", self.name.schema, self.name.name)
    }
}

pub async fn relations(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Relation>, CatalogError> {
    const WHAT: &str = "relations";
    let sql = format!(
        "{NS_CTE} SELECT c.oid, ns.nspname, c.relname::text AS relname, c.relkind, \
           c.relispartition, \
           EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS inherits, \
           c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, \
           c.relpersistence = 'u' AS unlogged, c.reloptions AS options, \
           (SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid) AS toast_options, \
           c.relreplident::text AS replident, \
           (SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             WHERE i.indrelid = c.oid AND i.indisreplident) AS replica_index, \
           (SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index, \
           c.reltablespace <> 0 AS has_tablespace, c.reloftype <> 0 AS typed, d.description, \
           CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey, \
           CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound, \
           pn.nspname::text AS parent_schema, pc.relname::text AS parent_name \
         FROM pg_class c JOIN ns ON ns.oid = c.relnamespace \
         LEFT JOIN pg_inherits pi ON c.relispartition AND pi.inhrelid = c.oid \
         LEFT JOIN pg_class pc ON pc.oid = pi.inhparent \
         LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace \
         LEFT JOIN pg_description d ON d.objoid = c.oid \
           AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND {} \
           AND (c.relkind <> 'c' OR {})",
        not_extension_member("pg_class", "c.oid"),
        // A standalone composite type's extension membership is recorded
        // on its pg_type row, not on its pg_class row.
        not_extension_member("pg_type", "c.reltype"),
    );
    let rows = query(client, WHAT, &sql, &[&scope.schemas]).await?;
    rows.iter()
        .map(|row| {
            Ok(Relation {
                oid: get(row, "oid", WHAT)?,
                name: QualifiedName::new(
                    get::<String, _>(row, "nspname", WHAT)?,
                    get::<String, _>(row, "relname", WHAT)?,
                ),
                relkind: get(row, "relkind", WHAT)?,
                is_partition: get(row, "relispartition", WHAT)?,
                inherits: get(row, "inherits", WHAT)?,
                row_security: get(row, "rls", WHAT)?,
                force_row_security: get(row, "force_rls", WHAT)?,
                unlogged: get(row, "unlogged", WHAT)?,
                storage: storage_parameters(
                    get(row, "options", WHAT)?,
                    get(row, "toast_options", WHAT)?,
                ),
                replica_identity: replica_identity(row)?,
                cluster_on: get(row, "cluster_index", WHAT)?,
                has_tablespace: get(row, "has_tablespace", WHAT)?,
                typed: get(row, "typed", WHAT)?,
                comment: get(row, "description", WHAT)?,
                partition_key: get(row, "partkey", WHAT)?,
                partition_of: partition_of(row)?,
            })
        })
        .collect()
}

/// Storage parameters by name: `reloptions` entries (`fillfactor=70`),
/// the TOAST table's prefixed `toast.`. PostgreSQL keeps the spelling it
/// was given (`autovacuum_enabled=off`); booleans are spelled `true` /
/// `false` so that YAML's `false` and SQL's `off` compare equal.
pub fn storage_parameters(
    options: Option<Vec<String>>,
    toast: Option<Vec<String>>,
) -> BTreeMap<String, String> {
    let prefixed = toast
        .unwrap_or_default()
        .into_iter()
        .map(|o| format!("toast.{o}"));
    options
        .unwrap_or_default()
        .into_iter()
        .chain(prefixed)
        .filter_map(|o| {
            let (k, v) = o.split_once('=')?;
            Some((k.to_string(), crate::pg::reloptions::canonical(k, v)))
        })
        .collect()
}

/// `relreplident` with the index it names; an `i` whose index was
/// dropped logs nothing, like `NOTHING`.
fn replica_identity(row: &Row) -> Result<ReplicaIdentity, CatalogError> {
    const WHAT: &str = "relations";
    let kind: String = get(row, "replident", WHAT)?;
    let index: Option<String> = get(row, "replica_index", WHAT)?;
    Ok(match (kind.as_str(), index) {
        ("f", _) => ReplicaIdentity::Full,
        ("n", _) | ("i", None) => ReplicaIdentity::Nothing,
        ("i", Some(i)) => ReplicaIdentity::Index(i),
        _ => ReplicaIdentity::Default,
    })
}

fn partition_of(row: &Row) -> Result<Option<PartitionOf>, CatalogError> {
    const WHAT: &str = "relations";
    let bound: Option<String> = get(row, "bound", WHAT)?;
    let schema: Option<String> = get(row, "parent_schema", WHAT)?;
    let name: Option<String> = get(row, "parent_name", WHAT)?;
    Ok(match (bound, schema, name) {
        (Some(bound), Some(schema), Some(name)) => Some(PartitionOf {
            parent: QualifiedName::new(schema, name),
            bound,
        }),
        _ => None,
    })
}

/// Relations and table properties the model cannot represent.
pub fn unmanaged_relations(relations: &[Relation]) -> Vec<Unmanaged> {
    let mut out = Vec::new();
    for r in relations {
        // Partitioned tables and partitions are managed; a foreign table
        // stays reported, partition or not.
        let kind = match r.relkind as u8 {
            b'r' if r.inherits && !r.is_partition => Some("inheritance children"),
            b'f' => Some("foreign tables"),
            // Standalone composite types are managed (`super::types`).
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(report(kind, r.display()));
        }
        if !r.is_managed_table() {
            continue;
        }
        let props = [
            (r.has_tablespace, "table tablespaces"),
            (r.typed, "typed tables"),
        ];
        for (set, kind) in props {
            if set {
                out.push(report(kind, r.display()));
            }
        }
    }
    out
}

/// A managed table while it is being assembled, with the `attnum` of each
/// column so sequences and constraints can find them.
#[derive(Debug)]
pub struct Entry {
    pub table: Table,
    pub attnums: Vec<i16>,
    /// A partition's inherited columns (`attnum`, name): not modelled on
    /// it (they are its parent's), but its own constraints name them.
    pub inherited: Vec<(i16, String)>,
    /// `attidentity` of each column.
    pub identity: Vec<Option<IdentityKind>>,
}

impl Entry {
    pub fn column_index(&self, attnum: i16) -> Option<usize> {
        self.attnums.iter().position(|a| *a == attnum)
    }

    /// The name of column `attnum`, modelled or inherited.
    pub fn column_name(&self, attnum: i16) -> Option<&str> {
        match self.column_index(attnum) {
            Some(i) => Some(&self.table.columns[i].name),
            None => self
                .inherited
                .iter()
                .find(|(n, _)| *n == attnum)
                .map(|(_, name)| name.as_str()),
        }
    }
}

/// The managed tables, keyed by oid until [`Tables::finish`].
#[derive(Debug, Default)]
pub struct Tables {
    pub by_oid: HashMap<u32, Entry>,
}

impl Tables {
    pub fn new(relations: &[Relation]) -> Self {
        let by_oid = relations
            .iter()
            .filter(|r| r.is_managed_table())
            .map(|r| {
                let table = Table {
                    name: r.name.clone(),
                    comment: r.comment.clone(),
                    partition_by: r.partition_key.clone(),
                    partition_of: r.partition_of.clone(),
                    unlogged: r.unlogged,
                    storage: r.storage.clone(),
                    replica_identity: r.replica_identity.clone(),
                    cluster_on: r.cluster_on.clone(),
                    row_security: r.row_security,
                    force_row_security: r.force_row_security,
                    ..Table::default()
                };
                let entry = Entry {
                    table,
                    attnums: Vec::new(),
                    inherited: Vec::new(),
                    identity: Vec::new(),
                };
                (r.oid, entry)
            })
            .collect();
        Tables { by_oid }
    }

    /// Sort every per-table list by name so the model never depends on
    /// oids or creation order.
    pub fn finish(self) -> BTreeMap<QualifiedName, Table> {
        let mut out = BTreeMap::new();
        for (_, entry) in self.by_oid {
            let mut t = entry.table;
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
            t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.statistics.sort_by(|a, b| a.name.cmp(&b.name));
            out.insert(t.name.clone(), t);
        }
        out
    }

    /// Add the rows of [`fetch_columns`] to their tables; returns what
    /// of their NOT NULL constraints the model cannot hold
    /// ([`super::not_null`]).
    pub fn add_columns(&mut self, rows: &[Row]) -> Result<Vec<Unmanaged>, CatalogError> {
        const WHAT: &str = "columns";
        let mut unmanaged = Vec::new();
        for row in rows {
            let oid: u32 = get(row, "attrelid", WHAT)?;
            let Some(entry) = self.by_oid.get_mut(&oid) else {
                continue;
            };
            let local: bool = get(row, "attislocal", WHAT)?;
            if !local {
                let attnum = get(row, "attnum", WHAT)?;
                entry.inherited.push((attnum, get(row, "attname", WHAT)?));
                continue;
            }
            let (not_null_name, odd) = super::not_null::read(row, &entry.table.name)?;
            unmanaged.extend(odd);
            entry.attnums.push(get(row, "attnum", WHAT)?);
            entry.table.columns.push(Column {
                name: get(row, "attname", WHAT)?,
                data_type: get(row, "data_type", WHAT)?,
                not_null: get(row, "attnotnull", WHAT)?,
                not_null_name,
                default: get(row, "dflt", WHAT)?,
                generated: get(row, "generated", WHAT)?,
                generated_virtual: get(row, "generated_virtual", WHAT)?,
                collation: get(row, "collation", WHAT)?,
                comment: get(row, "description", WHAT)?,
                props: super::column_props::read(row)?,
                ..Column::default()
            });
            // Kept aside until the sequence step can fill `Identity`.
            let identity: String = get(row, "identity", WHAT)?;
            entry.identity.push(match identity.as_str() {
                "a" => Some(IdentityKind::Always),
                "d" => Some(IdentityKind::ByDefault),
                _ => None,
            });
        }
        Ok(unmanaged)
    }
}

/// The columns of every managed table, in one query, ordered by table and
/// `attnum`.
pub async fn fetch_columns(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<Vec<Row>, CatalogError> {
    const WHAT: &str = "columns";
    // Defaults cannot reference columns, so they are deparsed without
    // a relation (relid 0): same text, but the server does not have to
    // open every table (a relcache build each, the bulk of the cost on
    // a fresh connection). Generated expressions do need it. 's' is
    // STORED, 'v' VIRTUAL (PostgreSQL 18). A partition's columns are all
    // inherited (`attislocal` false): they are its parent's, not modelled
    // on it, only named for its own constraints ([`Entry::inherited`]).
    let (nn_select, nn_join) = super::not_null::sql(scope);
    let sql = format!(
            "{} SELECT a.attrelid, a.attnum, a.attname::text AS attname, a.attislocal, \
               format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull, \
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS dflt, \
               CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated, \
               a.attgenerated = 'v' AS generated_virtual, \
               a.attidentity::text AS identity, \
               CASE WHEN a.attcollation <> t.typcollation THEN {} END AS collation, \
               d.description, {}, {nn_select} \
             FROM pg_attribute a JOIN tbl ON tbl.oid = a.attrelid \
             JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
             LEFT JOIN pg_description d ON d.objoid = a.attrelid \
               AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum \
             {nn_join} \
             WHERE a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attrelid, a.attnum",
            tables_cte(),
            collation_name("a.attcollation"),
            super::column_props::SELECT,
        );
    query(client, WHAT, &sql, &[&scope.schemas]).await
}
