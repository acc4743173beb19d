//! `catalog`: introspect a live database from `pg_catalog` into
//! [`crate::model::Database`]. One query per object kind, never one per
//! table, all inside one `REPEATABLE READ READ ONLY` transaction so the model
//! is a consistent snapshot.
//!
//! Scope decisions (documented here because `diff` relies on them):
//! * system schemas, schemas owned by extensions and every extension member
//!   object are skipped;
//! * `public` is implicit in the model: it is never put into
//!   `Database::schemas` (a comment on it is therefore not captured);
//! * `plpgsql` is skipped like `public`: initdb installs it everywhere;
//! * with an explicit schema list, only extensions living in one of those
//!   schemas are read;
//! * `Extension::schema` is `None` when the extension lives in `public`;
//! * plain and partitioned tables and their partitions are managed, legacy
//!   `INHERITS` children are not; every other object is listed in
//!   `Database::unmanaged`;
//! * a partition holds only what is its own: its columns and the
//!   constraints and indexes it inherits from its parent are the parent's;
//! * constants are deparsed with `TimeZone = UTC` (a `timestamptz`
//!   partition bound prints in the session's zone), so both sides of a
//!   comparison read the same text whatever their servers' settings;
//! * a column is `serial` when its default is exactly `nextval('<seq>')` of
//!   a sequence OWNED BY it and its type is smallint/integer/bigint; other
//!   sequences are standalone (`Database::sequences`, with their `OWNED
//!   BY` column), left out when their owner is itself unmanaged;
//! * sequence options equal to PostgreSQL's defaults are `None`, and so is
//!   the sequence type when it equals the column type (`bigint` for a
//!   standalone sequence);
//! * a column's NOT NULL constraint name is read on PostgreSQL 18 (where
//!   NOT NULL is a `pg_constraint` row); `NOT VALID` and `NO INHERIT` ones
//!   and their comments are reported as unmanaged;
//! * invalid indexes (failed `CREATE INDEX CONCURRENTLY`) are in the model,
//!   since they exist and hold their name, and also reported as unmanaged
//!   `invalid indexes` so the user rebuilds them.
//!
//! Speed: every query is sent at once (pipelined), per-table queries join a
//! `tbl` CTE instead of binding oid arrays, and expressions are deparsed
//! without opening relations where PostgreSQL allows it. On 500 tables a
//! fresh-connection introspection takes about half a `pg_dump
//! --schema-only` (see `examples/catalog_bench.rs`).

mod aggregates;
mod collations;
mod column_props;
pub mod constraints;
mod default_acl;
mod depends;
mod domains;
mod functions;
mod indexes;
mod namespaces;
mod not_null;
mod owners;
mod policies;
mod privileges;
mod publications;
mod row;
mod scope;
mod sequences;
mod statistics;
mod tables;
mod triggers;
mod types;
mod unmanaged;
mod views;

pub use types::default_multirange_name;

use futures_util::try_join;

use crate::model::{Database, Unmanaged};

pub use scope::ServerVersion;
pub use views::canonical as view_definition;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog query for {what} failed: {}", crate::db::describe(.source))]
    Query {
        what: &'static str,
        source: tokio_postgres::Error,
    },
    #[error("unexpected catalog content: {0}")]
    Unexpected(String),
    #[error(transparent)]
    Version(#[from] crate::pg::version::VersionError),
}

/// Which schemas to read.
#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// `None`: every schema except system schemas (`pg_catalog`,
    /// `information_schema`, `pg_toast*`, `pg_temp*`) and schemas owned by
    /// extensions.
    pub schemas: Option<Vec<String>>,
    /// Privileges are not the project's (`manage: [privileges]` is not in
    /// strata.yaml): every object with grants is listed in
    /// `Database::unmanaged` as `grants` instead of in
    /// `Database::privileges`, and default privileges stay reported
    /// (`default privileges`) instead of read into
    /// `Database::default_privileges`.
    pub ignore_privileges: bool,
    /// `manage: [owners]`: read every object's owner and the session's
    /// role into `Database::owners` ([`owners`]).
    pub owners: bool,
}

/// Read the database behind `client` into a catalog model.
///
/// The client must not be inside a transaction, nor run another
/// introspection concurrently: introspection opens its own transaction and
/// ends it, leaving the session's settings untouched (`SET LOCAL`). To read
/// two databases at once, use two clients.
pub async fn introspect(
    client: &tokio_postgres::Client,
    opts: &CatalogOptions,
) -> Result<Database, CatalogError> {
    client
        .batch_execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
             SET LOCAL search_path = pg_catalog; \
             SET LOCAL standard_conforming_strings = on; \
             SET LOCAL TimeZone = 'UTC'",
        )
        .await
        .map_err(|source| CatalogError::Query {
            what: "transaction start",
            source,
        })?;
    let result = read_all(client, opts).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = client.batch_execute(end).await;
    let db = result?;
    ended.map_err(|source| CatalogError::Query {
        what: "transaction end",
        source,
    })?;
    Ok(db)
}

/// All queries, sent at once: tokio-postgres pipelines concurrent queries
/// on one connection, so the server runs them back to back while the
/// client decodes. The model is then assembled in dependency order (tables,
/// columns, sequences, constraints, indexes).
async fn read_all(
    client: &tokio_postgres::Client,
    opts: &CatalogOptions,
) -> Result<Database, CatalogError> {
    let version = ServerVersion::query(client).await?;
    let scope = scope::Scope::new(opts, version);
    let s = &scope;
    let (
        types,
        (schemas, extensions, enums, relations, columns, seqs, cons, idx, other),
        views,
        fns,
    ) = try_join!(
        async {
            try_join!(
                domains::domains(client, s),
                types::composites(client, s),
                types::ranges(client, s),
                collations::collations(client, s),
            )
        },
        async {
            try_join!(
                namespaces::schemas(client, s),
                namespaces::extensions(client, s),
                namespaces::enums(client, s),
                tables::relations(client, s),
                tables::fetch_columns(client, s),
                sequences::sequences(client, s),
                constraints::fetch(client, s),
                indexes::fetch(client, s),
                unmanaged::objects(client, s),
            )
        },
        async {
            try_join!(
                views::fetch(client, s),
                depends::fetch(client, s),
                statistics::fetch(client, s),
                publications::fetch(client, s),
            )
        },
        async {
            try_join!(
                functions::fetch(client, s),
                functions::dependents(client, s),
                triggers::fetch(client, s),
                aggregates::fetch(client, s),
                policies::fetch(client, s),
                privileges::fetch(client, s),
                default_acl::fetch(client, s),
                async {
                    match opts.owners {
                        true => owners::fetch(client, s).await.map(Some),
                        false => Ok(None),
                    }
                },
            )
        },
    )?;
    let (domains, composites, ranges, collations) = types;
    let (views, depends, stats, pubs) = views;
    let (fns, fn_deps, trigs, aggregates, pols, privileges, defaults, owners) = fns;
    let mut tables = tables::Tables::new(&relations);
    let odd_not_nulls = tables.add_columns(&columns)?;
    let used_sequences = sequences::attach(&mut tables, &seqs);
    constraints::add(&cons, &mut tables)?;
    let (invalid, view_indexes) = indexes::add(indexes::decode(idx)?, &mut tables);
    let odd_statistics = statistics::add(&stats, &mut tables)?;
    let (views, odd_views) = views::assemble(views, view_indexes)?;
    let functions = functions::assemble(fns, &fn_deps, &tables);
    let triggers = triggers::assemble(trigs, &tables);
    let policies = policies::assemble(pols, &tables);
    let (publications, odd_publications) = publications::assemble(pubs, &tables);

    let mut unmanaged = tables::unmanaged_relations(&relations);
    let (standalone, odd_sequences) = sequences::standalone(&seqs, &used_sequences, &tables);
    unmanaged.extend(odd_sequences);
    unmanaged.extend(invalid);
    unmanaged.extend(odd_not_nulls);
    unmanaged.extend(other);
    unmanaged.extend(odd_views);
    unmanaged.extend(odd_statistics);
    unmanaged.extend(odd_publications);
    let privileges = if opts.ignore_privileges {
        unmanaged.extend(privileges.keys().map(|t| report(GRANTS, t.to_string())));
        Default::default()
    } else {
        privileges
    };
    // Default privileges strata manages are no longer reported (those of
    // schemas out of scope still are: the report reads them all).
    let read_defaults: std::collections::BTreeSet<String> =
        defaults.keys().map(ToString::to_string).collect();
    let default_privileges = crate::acl::DefaultAcls {
        known: !opts.ignore_privileges,
        of: if opts.ignore_privileges {
            Default::default()
        } else {
            defaults
        },
    };
    if default_privileges.known {
        unmanaged.retain(|u| u.kind != DEFAULT_PRIVILEGES || !read_defaults.contains(&u.name));
    }
    unmanaged.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    unmanaged.dedup();
    let mut db = Database {
        schemas,
        extensions,
        enums,
        sequences: standalone
            .into_iter()
            .map(|s| (s.name.clone(), s))
            .collect(),
        domains,
        composites,
        ranges,
        collations,
        tables: tables.finish(),
        views,
        depends,
        functions,
        aggregates,
        triggers,
        policies,
        publications,
        privileges,
        owners: Default::default(),
        default_privileges,
        unmanaged,
        sql: Vec::new(),
    };
    if let Some(read) = owners {
        db.owners = owners::assemble(&db, read);
    }
    Ok(db)
}

/// The unmanaged kind of `pg_default_acl` entries.
pub const DEFAULT_PRIVILEGES: &str = "default privileges";

/// The unmanaged kind of objects with grants strata was told to ignore.
pub const GRANTS: &str = "grants";

fn report(kind: &str, name: impl Into<String>) -> Unmanaged {
    Unmanaged {
        kind: kind.to_string(),
        name: name.into(),
    }
}
