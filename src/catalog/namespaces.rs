//! Schemas, extensions and enum types: the database-level objects.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{EnumType, Extension, Namespace, QualifiedName};

/// Managed schemas except `public`, which the model treats as implicit.
pub async fn schemas(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<String, Namespace>, CatalogError> {
    const WHAT: &str = "schemas";
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, d.description FROM ns \
         LEFT JOIN pg_description d ON d.objoid = ns.oid \
           AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0 \
         WHERE ns.nspname <> 'public'"
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name: String = get(&row, "nspname", WHAT)?;
        let ns = Namespace {
            name: name.clone(),
            comment: get(&row, "description", WHAT)?,
            ..Namespace::default()
        };
        out.insert(name, ns);
    }
    Ok(out)
}

/// Installed extensions except `plpgsql` (initdb installs it everywhere).
/// `schema` is `None` for `public`, PostgreSQL's usual choice. With an
/// explicit schema list only extensions living in those schemas are read.
pub async fn extensions(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<String, Extension>, CatalogError> {
    const WHAT: &str = "extensions";
    let sql = "SELECT x.extname::text AS extname, n.nspname::text AS nspname \
         FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace \
         WHERE x.extname <> 'plpgsql' \
           AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))";
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, sql, &[&scope.schemas]).await? {
        let name: String = get(&row, "extname", WHAT)?;
        let schema: String = get(&row, "nspname", WHAT)?;
        let ext = Extension {
            name: name.clone(),
            schema: (schema != "public").then_some(schema),
            ..Extension::default()
        };
        out.insert(name, ext);
    }
    Ok(out)
}

/// Enum types with their labels in sort order.
pub async fn enums(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<QualifiedName, EnumType>, CatalogError> {
    const WHAT: &str = "enum types";
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, t.typname::text AS typname, d.description, \
           ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid \
                 ORDER BY e.enumsortorder) AS labels \
         FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
         LEFT JOIN pg_description d ON d.objoid = t.oid \
           AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
         WHERE t.typtype = 'e' AND {}",
        not_extension_member("pg_type", "t.oid")
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name = QualifiedName::new(
            get::<String, _>(&row, "nspname", WHAT)?,
            get::<String, _>(&row, "typname", WHAT)?,
        );
        let e = EnumType {
            name: name.clone(),
            values: get(&row, "labels", WHAT)?,
            comment: get(&row, "description", WHAT)?,
            ..EnumType::default()
        };
        out.insert(name, e);
    }
    Ok(out)
}
