//! Composite types (a `pg_type` of kind `c` whose relation is a standalone
//! composite, not a table's row type) and range types, one query each.
//! Range options equal to PostgreSQL's defaults are `None`.

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{collation_name, not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{Attribute, CompositeType, QualifiedName, RangeType};

pub async fn composites(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<QualifiedName, CompositeType>, CatalogError> {
    const WHAT: &str = "composite types";
    let attrs = |expr: &str| {
        format!(
            "ARRAY(SELECT {expr} FROM pg_attribute a WHERE a.attrelid = t.typrelid \
             AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)"
        )
    };
    let coll = format!(
        "CASE WHEN a.attcollation <> (SELECT x.typcollation FROM pg_type x \
         WHERE x.oid = a.atttypid) THEN {} END",
        collation_name("a.attcollation")
    );
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, t.typname::text AS typname, \
           obj_description(t.oid, 'pg_type') AS description, \
           {names} AS names, {types} AS types, {colls} AS colls \
         FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
         JOIN pg_class c ON c.oid = t.typrelid \
         WHERE t.typtype = 'c' AND c.relkind = 'c' AND {member}",
        names = attrs("a.attname::text"),
        types = attrs("format_type(a.atttypid, a.atttypmod)"),
        colls = attrs(&coll),
        member = not_extension_member("pg_type", "t.oid"),
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name = QualifiedName::new(
            get::<String, _>(&row, "nspname", WHAT)?,
            get::<String, _>(&row, "typname", WHAT)?,
        );
        let names: Vec<String> = get(&row, "names", WHAT)?;
        let types: Vec<String> = get(&row, "types", WHAT)?;
        let colls: Vec<Option<String>> = get(&row, "colls", WHAT)?;
        let attributes = names
            .into_iter()
            .zip(types)
            .zip(colls)
            .map(|((name, data_type), collation)| Attribute {
                name,
                data_type,
                collation,
            })
            .collect();
        let c = CompositeType {
            name: name.clone(),
            attributes,
            comment: get(&row, "description", WHAT)?,
            ..CompositeType::default()
        };
        out.insert(name, c);
    }
    Ok(out)
}

pub async fn ranges(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<QualifiedName, RangeType>, CatalogError> {
    const WHAT: &str = "range types";
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, t.typname::text AS typname, \
           obj_description(t.oid, 'pg_type') AS description, \
           format_type(r.rngsubtype, NULL) AS subtype, \
           (SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname) \
              ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END \
              FROM pg_opclass opc JOIN pg_namespace opn ON opn.oid = opc.opcnamespace \
             WHERE opc.oid = r.rngsubopc AND NOT opc.opcdefault) AS opclass, \
           CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation \
             THEN {coll} END AS collation, \
           CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical, \
           CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subdiff, \
           (SELECT m.typname::text FROM pg_type m WHERE m.oid = r.rngmultitypid) AS multi \
         FROM pg_type t JOIN ns ON ns.oid = t.typnamespace \
         JOIN pg_range r ON r.rngtypid = t.oid JOIN pg_type st ON st.oid = r.rngsubtype \
         WHERE t.typtype = 'r' AND {member}",
        coll = collation_name("r.rngcollation"),
        member = not_extension_member("pg_type", "t.oid"),
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name = QualifiedName::new(
            get::<String, _>(&row, "nspname", WHAT)?,
            get::<String, _>(&row, "typname", WHAT)?,
        );
        let multi: Option<String> = get(&row, "multi", WHAT)?;
        let r = RangeType {
            subtype: get(&row, "subtype", WHAT)?,
            subtype_opclass: get(&row, "opclass", WHAT)?,
            collation: get(&row, "collation", WHAT)?,
            canonical: get(&row, "canonical", WHAT)?,
            subtype_diff: get(&row, "subdiff", WHAT)?,
            multirange_name: multi.filter(|m| *m != default_multirange_name(&name.name)),
            comment: get(&row, "description", WHAT)?,
            name: name.clone(),
            ..RangeType::default()
        };
        out.insert(name, r);
    }
    Ok(out)
}

/// The multirange name PostgreSQL derives from a range's name
/// (`makeMultirangeTypeName`): the first `range` becomes `multirange`,
/// or `_multirange` is appended.
pub fn default_multirange_name(range: &str) -> String {
    match range.find("range") {
        Some(i) => format!("{}multirange{}", &range[..i], &range[i + 5..]),
        None => format!("{range}_multirange"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multirange_names() {
        assert_eq!(default_multirange_name("floatrange"), "floatmultirange");
        assert_eq!(default_multirange_name("span"), "span_multirange");
    }
}
