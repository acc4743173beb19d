//! User collations: provider, locale (or `LC_COLLATE` / `LC_CTYPE` when a
//! libc collation sets them apart), determinism. The column holding an
//! ICU or builtin locale moved across majors (`colliculocale` in 15-16,
//! `colllocale` from 17; 14 kept it in `collcollate`).

use std::collections::BTreeMap;

use super::row::{get, query};
use super::scope::{not_extension_member, Scope, NS_CTE};
use super::CatalogError;
use crate::model::{Collation, QualifiedName};

pub async fn collations(
    client: &tokio_postgres::Client,
    scope: &Scope,
) -> Result<BTreeMap<QualifiedName, Collation>, CatalogError> {
    const WHAT: &str = "collations";
    let icu_locale = if scope.version.at_least(17) {
        "co.colllocale"
    } else if scope.version.at_least(15) {
        "co.colliculocale"
    } else {
        "NULL::text"
    };
    let sql = format!(
        "{NS_CTE} SELECT ns.nspname, co.collname::text AS collname, \
           co.collprovider::text AS provider, co.collcollate::text AS lc_collate, \
           co.collctype::text AS lc_ctype, {icu_locale}::text AS locale, \
           co.collisdeterministic AS deterministic, \
           obj_description(co.oid, 'pg_collation') AS description \
         FROM pg_collation co JOIN ns ON ns.oid = co.collnamespace WHERE {}",
        not_extension_member("pg_collation", "co.oid")
    );
    let mut out = BTreeMap::new();
    for row in query(client, WHAT, &sql, &[&scope.schemas]).await? {
        let name = QualifiedName::new(
            get::<String, _>(&row, "nspname", WHAT)?,
            get::<String, _>(&row, "collname", WHAT)?,
        );
        let provider: String = get(&row, "provider", WHAT)?;
        let collate: Option<String> = get(&row, "lc_collate", WHAT)?;
        let ctype: Option<String> = get(&row, "lc_ctype", WHAT)?;
        let locale: Option<String> = get(&row, "locale", WHAT)?;
        let mut c = Collation {
            name: name.clone(),
            deterministic: get(&row, "deterministic", WHAT)?,
            comment: get(&row, "description", WHAT)?,
            ..Collation::default()
        };
        c.provider = match provider.as_str() {
            "i" => "icu",
            "b" => "builtin",
            "d" => "default",
            _ => "libc",
        }
        .to_string();
        if c.provider == "libc" {
            if collate == ctype {
                c.locale = collate;
            } else {
                (c.lc_collate, c.lc_ctype) = (collate, ctype);
            }
        } else {
            // 14 keeps an ICU locale in collcollate.
            c.locale = locale.or(collate);
        }
        out.insert(name, c);
    }
    Ok(out)
}
