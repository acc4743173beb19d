//! Which objects `validate` looks at: user schemas only (no system or temp
//! schemas), optionally a given list; never objects that belong to an
//! extension, never strata's bookkeeping tables.

use crate::migrations::{HISTORY_TABLE, IMPORT_PROGRESS_TABLE, STATE_TABLE};
use crate::model::quote_literal;

/// The schemas to check; `None` = every user schema.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub schemas: Option<Vec<String>>,
}

impl Scope {
    pub fn new(schemas: Option<Vec<String>>) -> Scope {
        Scope { schemas }
    }

    /// SQL predicate: relation `rel` (a `pg_class` alias) in namespace `ns`
    /// (a `pg_namespace` alias) is in scope. The schema list is query
    /// parameter `$1` (`text[]`, NULL = all).
    pub fn relation(&self, ns: &str, rel: &str) -> String {
        format!(
            "{} AND {rel}.relname NOT IN ({}, {}, {}) AND NOT {}",
            Self::namespace(ns),
            quote_literal(HISTORY_TABLE),
            quote_literal(STATE_TABLE),
            quote_literal(IMPORT_PROGRESS_TABLE),
            Self::extension_member("pg_class", &format!("{rel}.oid"))
        )
    }

    /// SQL predicate on a namespace alias alone (for domains).
    pub fn namespace(ns: &str) -> String {
        // pg_toast, pg_toast_temp_N, pg_temp_N: LIKE's `_` is a wildcard,
        // harmless here since no user schema may start with `pg_`.
        format!(
            "{ns}.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND {ns}.nspname NOT LIKE 'pg\\_toast%' AND {ns}.nspname NOT LIKE 'pg\\_temp\\_%' \
             AND ($1::text[] IS NULL OR {ns}.nspname = ANY($1::text[]))"
        )
    }

    /// `EXISTS` clause: the object `oid` of catalog `class` belongs to an
    /// extension (created by its script; the extension manages it).
    pub fn extension_member(class: &str, oid: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{class}'::regclass \
             AND e.objid = {oid} AND e.deptype = 'e')"
        )
    }
}
