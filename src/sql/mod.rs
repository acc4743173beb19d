//! `sql`: render model objects and changes as PostgreSQL DDL text.
//!
//! Every identifier strata renders is quoted. Catalog objects carry
//! PostgreSQL's own definition text (`pg_get_constraintdef`,
//! `pg_get_indexdef`), which is used as-is: it is valid DDL, quoted where
//! PostgreSQL needs it, and lossless (INCLUDE, storage parameters, MATCH …).
//! Spec objects without a definition are rendered from their fields.

mod columns;

use crate::diff::Constraint;
use crate::model::{
    quote_ident, quote_literal, EnumType, Extension, ForeignKey, Index, QualifiedName, Table,
};

pub use columns::{alter_column, column_definition, sequence_options};

/// `text` as one `-- ` comment line (with its newline). Every comment
/// strata writes into SQL goes through here: a newline or carriage return
/// in a name would end the comment and run the rest of the name as SQL
/// (PostgreSQL ends `--` comments at either), so they and every other
/// control character are escaped visibly ([`crate::escape::line`]).
pub fn comment_line(text: &str) -> String {
    format!("-- {}\n", crate::escape::line(text))
}

pub fn create_schema(name: &str) -> String {
    format!("CREATE SCHEMA {};", quote_ident(name))
}

pub fn drop_schema(name: &str) -> String {
    format!("DROP SCHEMA {};", quote_ident(name))
}

pub fn create_extension(e: &Extension) -> String {
    match &e.schema {
        Some(s) => format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};",
            quote_ident(&e.name),
            quote_ident(s)
        ),
        None => format!("CREATE EXTENSION IF NOT EXISTS {};", quote_ident(&e.name)),
    }
}

pub fn drop_extension(e: &Extension) -> String {
    format!("DROP EXTENSION {};", quote_ident(&e.name))
}

pub fn alter_extension_schema(e: &Extension) -> String {
    format!(
        "ALTER EXTENSION {} SET SCHEMA {};",
        quote_ident(&e.name),
        quote_ident(e.schema.as_deref().unwrap_or("public"))
    )
}

pub fn create_enum(e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({});",
        e.name.quoted(),
        values.join(", ")
    )
}

pub fn drop_type(name: &QualifiedName) -> String {
    format!("DROP TYPE {};", name.quoted())
}

pub fn add_enum_value(name: &QualifiedName, value: &str, before: Option<&str>) -> String {
    match before {
        Some(b) => format!(
            "ALTER TYPE {} ADD VALUE {} BEFORE {};",
            name.quoted(),
            quote_literal(value),
            quote_literal(b)
        ),
        None => format!(
            "ALTER TYPE {} ADD VALUE {};",
            name.quoted(),
            quote_literal(value)
        ),
    }
}

/// `CREATE TABLE` with columns and the given constraints inline.
pub fn create_table(t: &Table, constraints: &[Constraint]) -> String {
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("    {}", column_definition(c)))
        .collect();
    for c in constraints {
        lines.push(format!("    {}", constraint_clause(c)));
    }
    format!(
        "CREATE TABLE {} (\n{}\n);",
        t.name.quoted(),
        lines.join(",\n")
    )
}

pub fn drop_table(name: &QualifiedName) -> String {
    format!("DROP TABLE {};", name.quoted())
}

/// `[CONSTRAINT "name"] <definition>`.
pub fn constraint_clause(c: &Constraint) -> String {
    let mut body = constraint_body(c);
    if c.not_valid() {
        body.push_str(" NOT VALID");
    }
    match c.name() {
        Some(n) => format!("CONSTRAINT {} {}", quote_ident(n), body),
        None => body,
    }
}

fn constraint_body(c: &Constraint) -> String {
    if !c.definition().is_empty() {
        return c.definition().to_string();
    }
    match c {
        Constraint::PrimaryKey(pk) => format!(
            "PRIMARY KEY ({}){}{}",
            ident_list(&pk.columns),
            include(&pk.include),
            deferrable(pk.deferrable, pk.initially_deferred)
        ),
        Constraint::Unique(u) => format!(
            "UNIQUE{} ({}){}{}",
            if u.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            ident_list(&u.columns),
            include(&u.include),
            deferrable(u.deferrable, u.initially_deferred)
        ),
        Constraint::Check(ch) => format!("CHECK ({})", ch.expression),
        Constraint::Exclusion(x) => format!(
            "EXCLUDE USING {} ({}){}{}{}",
            x.method,
            x.elements.join(", "),
            if x.with.is_empty() {
                String::new()
            } else {
                format!(" WITH ({})", x.with.join(", "))
            },
            x.predicate
                .as_ref()
                .map(|p| format!(" WHERE ({p})"))
                .unwrap_or_default(),
            deferrable(x.deferrable, x.initially_deferred)
        ),
        Constraint::ForeignKey(fk) => foreign_key_body(fk),
    }
}

fn foreign_key_body(fk: &ForeignKey) -> String {
    use crate::model::{FkAction, FkMatch};
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {}",
        ident_list(&fk.columns),
        fk.ref_table.quoted()
    );
    if !fk.ref_columns.is_empty() {
        s.push_str(&format!(" ({})", ident_list(&fk.ref_columns)));
    }
    if fk.match_type == FkMatch::Full {
        s.push_str(" MATCH FULL");
    }
    if fk.on_update != FkAction::NoAction {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != FkAction::NoAction {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
        if !fk.on_delete_columns.is_empty() {
            s.push_str(&format!(" ({})", ident_list(&fk.on_delete_columns)));
        }
    }
    s.push_str(&deferrable(fk.deferrable, fk.initially_deferred));
    s
}

/// ` INCLUDE (…)`, or nothing.
fn include(cols: &[String]) -> String {
    if cols.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", ident_list(cols))
    }
}

fn deferrable(d: bool, initially: bool) -> String {
    match (d, initially) {
        (false, _) => String::new(),
        (true, false) => " DEFERRABLE".into(),
        (true, true) => " DEFERRABLE INITIALLY DEFERRED".into(),
    }
}

pub fn ident_list(cols: &[String]) -> String {
    cols.iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn add_constraint(table: &QualifiedName, c: &Constraint) -> String {
    format!(
        "ALTER TABLE {} ADD {};",
        table.quoted(),
        constraint_clause(c)
    )
}

pub fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {};",
        table.quoted(),
        quote_ident(name)
    )
}

pub fn rename_constraint(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
        table.quoted(),
        quote_ident(from),
        quote_ident(to)
    )
}

pub fn create_index(table: &QualifiedName, i: &Index) -> String {
    let name = i
        .name
        .as_ref()
        .map(|n| format!(" {}", quote_ident(n)))
        .unwrap_or_default();
    let unique = if i.unique { "UNIQUE " } else { "" };
    let body = if i.definition.is_empty() {
        index_body(i)
    } else {
        i.definition.clone()
    };
    format!("CREATE {unique}INDEX{name} ON {} {body};", table.quoted())
}

/// `USING method (keys) [INCLUDE …] [NULLS NOT DISTINCT] [WITH …] [WHERE …]`
/// for a spec index.
fn index_body(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let mut s = if k.is_expression {
                format!("({})", k.expr)
            } else {
                quote_ident(&k.expr)
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(o) = &k.opclass {
                s.push_str(&format!(" {o}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            match (k.nulls_first, k.descending) {
                (Some(true), false) => s.push_str(" NULLS FIRST"),
                (Some(false), true) => s.push_str(" NULLS LAST"),
                _ => {}
            }
            s
        })
        .collect();
    let method = if i.method.is_empty() {
        "btree"
    } else {
        &i.method
    };
    let mut s = format!("USING {} ({})", method, keys.join(", "));
    s.push_str(&include(&i.include));
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        s.push_str(&format!(" WITH ({})", i.with.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE ({p})"));
    }
    s
}

pub fn drop_index(schema: &str, name: &str) -> String {
    format!("DROP INDEX {}.{};", quote_ident(schema), quote_ident(name))
}

pub fn rename_index(schema: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER INDEX {}.{} RENAME TO {};",
        quote_ident(schema),
        quote_ident(from),
        quote_ident(to)
    )
}

pub fn comment_on(target: &crate::diff::CommentTarget, comment: Option<&str>) -> String {
    use crate::diff::CommentTarget as T;
    let what = match target {
        T::Schema(s) => format!("SCHEMA {}", quote_ident(s)),
        T::Enum(n) => format!("TYPE {}", n.quoted()),
        T::Table(n) => format!("TABLE {}", n.quoted()),
        T::Column(t, c) => format!("COLUMN {}.{}", t.quoted(), quote_ident(c)),
        T::Index(n) => format!("INDEX {}", n.quoted()),
        T::Constraint(t, c) => format!("CONSTRAINT {} ON {}", quote_ident(c), t.quoted()),
    };
    let value = comment.map(quote_literal).unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {what} IS {value};")
}

#[cfg(test)]
mod tests {
    use super::constraint_clause;
    use crate::diff::Constraint;
    use crate::model::{FkAction, ForeignKey, PrimaryKey, QualifiedName, Unique};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn include_columns_are_rendered() {
        let pk = PrimaryKey {
            columns: s(&["id"]),
            include: s(&["Note"]),
            ..PrimaryKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::PrimaryKey(pk)),
            "PRIMARY KEY (\"id\") INCLUDE (\"Note\")"
        );
        let u = Unique {
            name: Some("u".into()),
            columns: s(&["a"]),
            include: s(&["b", "c"]),
            deferrable: true,
            ..Unique::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::Unique(u)),
            "CONSTRAINT \"u\" UNIQUE (\"a\") INCLUDE (\"b\", \"c\") DEFERRABLE"
        );
    }

    #[test]
    fn delete_column_list_is_rendered() {
        let fk = ForeignKey {
            columns: s(&["t", "a"]),
            ref_table: QualifiedName::new("public", "p"),
            on_delete: FkAction::SetNull,
            on_delete_columns: s(&["a"]),
            ..ForeignKey::default()
        };
        assert_eq!(
            constraint_clause(&Constraint::ForeignKey(fk)),
            "FOREIGN KEY (\"t\", \"a\") REFERENCES \"public\".\"p\" ON DELETE SET NULL (\"a\")"
        );
    }
}
