//! `COMMENT ON` any object strata manages.

use super::Statement;
use crate::diff::CommentTarget;
use crate::model::{quote_ident, quote_literal};

pub fn set(target: &CommentTarget, comment: Option<&str>) -> Statement {
    Statement::new(comment_on(target, comment))
}

fn comment_on(target: &CommentTarget, comment: Option<&str>) -> String {
    use CommentTarget as T;
    let what = match target {
        T::Schema(s) => format!("SCHEMA {}", quote_ident(s)),
        T::Enum(n) => format!("TYPE {}", n.quoted()),
        T::Sequence(n) => format!("SEQUENCE {}", n.quoted()),
        T::Table(n) => format!("TABLE {}", n.quoted()),
        T::Column(t, c) => format!("COLUMN {}.{}", t.quoted(), quote_ident(c)),
        T::Index(n) => format!("INDEX {}", n.quoted()),
        T::Constraint(t, c) => format!("CONSTRAINT {} ON {}", quote_ident(c), t.quoted()),
        T::View(n, false) => format!("VIEW {}", n.quoted()),
        T::View(n, true) => format!("MATERIALIZED VIEW {}", n.quoted()),
        T::Function {
            name,
            identity,
            procedure,
        } => {
            let kind = if *procedure { "PROCEDURE" } else { "FUNCTION" };
            format!("{kind} {}({identity})", name.quoted())
        }
        T::Aggregate { name, identity } => {
            format!("AGGREGATE {}", super::aggregates::signature(name, identity))
        }
        T::Trigger(t, n) => format!("TRIGGER {} ON {}", quote_ident(n), t.quoted()),
    };
    let value = comment.map(quote_literal).unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {what} IS {value};")
}
