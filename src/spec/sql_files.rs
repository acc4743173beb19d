//! `schema/*.sql`: objects in plain SQL beside the YAML — any kind,
//! including the ones strata does not model (functions a CHECK calls, text
//! search configurations, operators…). Each file is split into statements
//! with the migration splitter (dollar quotes, `BEGIN ATOMIC` bodies) and
//! every statement keeps its file:line:col for error messages.
//!
//! The statements run in the shadow database together with the YAML's,
//! inside one transaction (see `engine::build`), so transaction control and
//! commands that cannot run in a transaction are refused here, by
//! position, instead of failing obscurely there.

use std::path::{Path, PathBuf};

use super::{SpecError, SpecIssue};
use crate::model::{Origin, SqlStatement};

/// First words a schema file may not use (transaction control: the shadow
/// build owns the transaction).
const REFUSED: &[&str] = &[
    "begin",
    "start",
    "commit",
    "end",
    "rollback",
    "abort",
    "savepoint",
    "release",
    "prepare",
];

/// Statements of every file in `files`, in order.
pub fn load(files: &[PathBuf]) -> Result<Vec<SqlStatement>, SpecError> {
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for f in files {
        let text = crate::files::read_text(f).map_err(|source| SpecError::Io {
            path: f.clone(),
            source,
        })?;
        statements(f, &text, &mut out, &mut issues);
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(SpecError::Invalid(issues))
    }
}

fn statements(file: &Path, text: &str, out: &mut Vec<SqlStatement>, issues: &mut Vec<SpecIssue>) {
    for st in crate::migrate::split::statements(text) {
        let lead = st.sql.len() - st.sql.trim_start().len();
        let at = st.offset + lead;
        let line = crate::migrate::split::line_of(text, at);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..at].chars().count() + 1;
        let first = first_word(st.sql.trim_start());
        if REFUSED.contains(&first.as_str()) {
            issues.push(SpecIssue {
                file: file.to_path_buf(),
                line,
                column,
                message: format!(
                    "`{}` is not allowed in a schema SQL file: strata runs these files inside its own transaction (put data changes and transaction control in migrations)",
                    first.to_uppercase()
                ),
            });
            continue;
        }
        out.push(SqlStatement {
            sql: st.sql.trim().to_string(),
            origin: Origin {
                file: Some(file.to_path_buf()),
                line,
                column,
            },
        });
    }
}

/// The statement's first word, lower-cased (`BEGIN;` → `begin`).
fn first_word(sql: &str) -> String {
    sql.chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> Result<Vec<SqlStatement>, Vec<String>> {
        let (mut out, mut issues) = (Vec::new(), Vec::new());
        statements(Path::new("schema/f.sql"), text, &mut out, &mut issues);
        if issues.is_empty() {
            Ok(out)
        } else {
            Err(issues.iter().map(|i| i.to_string()).collect())
        }
    }

    #[test]
    fn statements_keep_their_positions() {
        let text = "-- helpers\nCREATE FUNCTION f() RETURNS int\n  LANGUAGE sql AS $$ SELECT 1; $$;\n\n  CREATE DOMAIN d AS int CHECK (VALUE > 0);\n";
        let s = load_one(text).unwrap();
        assert_eq!(s.len(), 2);
        assert!(s[0].sql.starts_with("CREATE FUNCTION f()") && s[0].sql.ends_with("$$"));
        assert_eq!((s[0].origin.line, s[0].origin.column), (2, 1));
        assert_eq!((s[1].origin.line, s[1].origin.column), (5, 3));
        assert_eq!(s[1].origin.to_string(), "schema/f.sql:5:3");
    }

    #[test]
    fn transaction_control_is_refused_by_position() {
        let e = load_one("CREATE TABLE t (a int);\nBEGIN;\ncommit;\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("schema/f.sql:2:1: `BEGIN` is not allowed"),
            "{e:?}"
        );
        assert!(e[1].starts_with("schema/f.sql:3:1: `COMMIT`"), "{e:?}");
    }
}
