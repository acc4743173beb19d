//! Storage parameters (`reloptions`): how their values are spelled in the
//! model and written back into SQL.

/// The boolean table parameters, whose spelling PostgreSQL keeps as given
/// (`off`, `no`, `0`, `false` are one value).
const BOOLEAN: &[&str] = &[
    "autovacuum_enabled",
    "toast.autovacuum_enabled",
    "user_catalog_table",
    "vacuum_truncate",
    "toast.vacuum_truncate",
];

/// `value` of parameter `name` as the model holds it: booleans as `true` /
/// `false`, everything else as PostgreSQL stored it.
pub fn canonical(name: &str, value: &str) -> String {
    if BOOLEAN.contains(&name) {
        match value.to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" | "t" | "y" => return "true".into(),
            "off" | "false" | "no" | "0" | "f" | "n" => return "false".into(),
            _ => {}
        }
    }
    value.to_string()
}

/// `value` as SQL after `name =`: a plain number or word as is, anything
/// else as a quoted literal (PostgreSQL reads both as the same text).
pub fn sql_value(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '+'));
    if plain && !value.starts_with(['.', '-', '+']) || value.parse::<f64>().is_ok() {
        value.to_string()
    } else {
        crate::model::quote_literal(value)
    }
}

/// `name = value, …` for `WITH (…)` / `SET (…)`.
pub fn assignments<'a>(params: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    params
        .into_iter()
        .map(|(k, v)| format!("{} = {}", param_name(k), sql_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A parameter name for SQL, quoted like every identifier strata writes:
/// `"fillfactor"`, `"toast"."autovacuum_enabled"`.
pub fn param_name(name: &str) -> String {
    name.split('.')
        .map(crate::model::quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_one_spelling_and_values_are_safe_sql() {
        assert_eq!(canonical("autovacuum_enabled", "OFF"), "false");
        assert_eq!(canonical("toast.vacuum_truncate", "on"), "true");
        assert_eq!(canonical("fillfactor", "1"), "1");
        assert_eq!(sql_value("70"), "70");
        assert_eq!(sql_value("0.05"), "0.05");
        assert_eq!(sql_value("-1"), "-1");
        assert_eq!(sql_value("auto"), "auto");
        assert_eq!(sql_value("a'; DROP TABLE t; --"), "'a''; DROP TABLE t; --'");
        assert_eq!(param_name("toast.fillfactor"), "\"toast\".\"fillfactor\"");
        assert_eq!(param_name("Evil\"name"), "\"Evil\"\"name\"");
    }
}
