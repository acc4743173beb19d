//! Column SQL text: definitions, sequence options, and the statements of
//! each `ALTER COLUMN` step (hazards are [`super::column`]'s business).

use crate::diff::ColumnChange;
use crate::model::{quote_ident, quote_literal, Column, IdentityKind, QualifiedName, Sequence};
use crate::pg::types::{self, Using};

/// `"name" type [COLLATE …] [GENERATED …] [DEFAULT …] [[CONSTRAINT n] NOT NULL]`;
/// `not_null_name`: the NOT NULL constraint's name when it must be spelled
/// out ([`super::Context::not_null_name`]).
pub fn column_definition(c: &Column, not_null_name: Option<&str>) -> String {
    let mut s = format!("{} {}", quote_ident(&c.name), column_type(c));
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(id) = &c.identity {
        let opts = sequence_options(&id.sequence, false);
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY{}",
            identity_kind(&id.kind),
            parenthesized(&opts)
        ));
    }
    if let Some(g) = &c.generated {
        let kind = if c.generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) {kind}"));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    match not_null_name.filter(|_| c.not_null) {
        Some(n) => s.push_str(&format!(" CONSTRAINT {} NOT NULL", quote_ident(n))),
        None if c.not_null && c.identity.is_none() && c.serial.is_none() => s.push_str(" NOT NULL"),
        None => {}
    }
    s
}

fn parenthesized(opts: &str) -> String {
    if opts.is_empty() {
        String::new()
    } else {
        format!(" ({opts})")
    }
}

/// The type as written in a column definition: `serial` forms for serial
/// columns (so the owned sequence is created the way PostgreSQL does it).
fn column_type(c: &Column) -> String {
    if c.serial.is_some() {
        return types::serial_for(&c.data_type).into();
    }
    c.data_type.clone()
}

fn identity_kind(k: &IdentityKind) -> &'static str {
    match k {
        IdentityKind::Always => "ALWAYS",
        IdentityKind::ByDefault => "BY DEFAULT",
    }
}

/// Sequence options for `CREATE SEQUENCE` / identity clauses: only what is
/// set. With `explicit`, every option is spelled out (for `ALTER SEQUENCE`,
/// where an omitted option keeps its old value instead of the default).
pub fn sequence_options(s: &Sequence, explicit: bool) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &s.data_type {
        parts.push(format!("AS {t}"));
    }
    let mut opt = |set: Option<String>, default: String| match (set, explicit) {
        (Some(v), _) => parts.push(v),
        (None, true) => parts.push(default),
        _ => {}
    };
    opt(
        s.increment.map(|i| format!("INCREMENT BY {i}")),
        "INCREMENT BY 1".into(),
    );
    opt(
        s.min_value.map(|v| format!("MINVALUE {v}")),
        "NO MINVALUE".into(),
    );
    opt(
        s.max_value.map(|v| format!("MAXVALUE {v}")),
        "NO MAXVALUE".into(),
    );
    opt(
        s.start.map(|v| format!("START WITH {v}")),
        format!("START WITH {}", default_start(s)),
    );
    opt(s.cache.map(|v| format!("CACHE {v}")), "CACHE 1".into());
    if s.cycle {
        parts.push("CYCLE".into());
    } else if explicit {
        parts.push("NO CYCLE".into());
    }
    parts.join(" ")
}

/// PostgreSQL's default start: the minimum for ascending sequences, the
/// maximum for descending ones.
fn default_start(s: &Sequence) -> i64 {
    let inc = s.increment.unwrap_or(1);
    if inc > 0 {
        s.min_value.unwrap_or(1)
    } else {
        s.max_value.unwrap_or(-1)
    }
}

/// Default name PostgreSQL gives a serial column's sequence
/// (`makeObjectName(table, column, "seq")`: the longer of the two is cut
/// until the name fits 63 bytes). Used when the catalog did not tell us
/// the name: a spec model's new serial column.
pub fn serial_sequence_name(table: &QualifiedName, column: &str) -> QualifiedName {
    let name = crate::spec::names::make_object_name(&table.name, Some(column), "seq");
    QualifiedName::new(&table.schema, name)
}

/// `serial` creates its sequence with default options; set the others.
pub fn serial_fixup(table: &QualifiedName, c: &Column) -> Option<String> {
    let seq = c.serial.as_ref()?;
    if seq.is_default() {
        return None;
    }
    let change = ColumnChange::AlterSerial(seq.clone());
    Some(alter_steps(table, (c, c), &change, false, None).join("\n"))
}

/// `TYPE … [COLLATE …] [USING …]` for a type change. The `USING` is the
/// one [`types::conversion`] says keeps PostgreSQL able to refuse a value
/// that does not fit: none where an explicit cast would truncate, a
/// guarded cast where it would round; an enum goes through text (there is
/// no cast from one enum to another).
pub fn type_clause(from: &Column, to: &Column, from_enum: bool) -> String {
    let c = quote_ident(&to.name);
    let coll = to
        .collation
        .as_ref()
        .map(|c| format!(" COLLATE {c}"))
        .unwrap_or_default();
    let (ft, tt) = (&from.data_type, &to.data_type);
    let using = if ft == tt {
        String::new()
    } else if from_enum {
        let text = if ft.ends_with("[]") { "text[]" } else { "text" };
        format!(" USING {c}::{text}::{tt}")
    } else {
        match types::conversion(ft, tt).using {
            Using::Cast => format!(" USING {c}::{tt}"),
            Using::Assignment => String::new(),
            Using::Guarded => format!(" USING {}", types::guarded_using(&c, ft, tt)),
        }
    };
    format!("TYPE {tt}{coll}{using}")
}

/// The statements for one `ALTER COLUMN` step turning column `from` into
/// `to`; `not_null_name` as for [`column_definition`].
pub fn alter_steps(
    table: &QualifiedName,
    (from, to): (&Column, &Column),
    change: &ColumnChange,
    from_enum: bool,
    not_null_name: Option<&str>,
) -> Vec<String> {
    let t = table.quoted();
    let c = quote_ident(&to.name);
    let alter = |what: String| format!("ALTER TABLE {t} ALTER COLUMN {c} {what};");
    let seq_name = |s: Option<&QualifiedName>| {
        s.cloned()
            .unwrap_or_else(|| serial_sequence_name(table, &from.name))
    };
    match change {
        ColumnChange::DropIdentity => vec![alter("DROP IDENTITY".into())],
        ColumnChange::DropSerial(seq) => vec![
            alter("DROP DEFAULT".into()),
            format!("DROP SEQUENCE {};", seq_name(seq.name.as_ref()).quoted()),
        ],
        ColumnChange::DropDefault => vec![alter("DROP DEFAULT".into())],
        ColumnChange::DropExpression => vec![alter("DROP EXPRESSION".into())],
        ColumnChange::Backfill(expr) => vec![format!("UPDATE {t} SET {c} = ({expr});")],
        ColumnChange::Type { .. } => vec![alter(type_clause(from, to, from_enum))],
        ColumnChange::SetDefault(d) => vec![alter(format!("SET DEFAULT {d}"))],
        // Rows that are NULL today get the declared default first (the
        // add-nullable / backfill / SET NOT NULL pattern); without a default
        // PostgreSQL refuses if NULLs remain, which is the right outcome.
        ColumnChange::SetNotNull if to.default.is_some() && to.identity.is_none() => vec![
            format!("UPDATE {t} SET {c} = DEFAULT WHERE {c} IS NULL;"),
            set_not_null(table, to, not_null_name),
        ],
        ColumnChange::SetNotNull => vec![set_not_null(table, to, not_null_name)],
        ColumnChange::DropNotNull => vec![alter("DROP NOT NULL".into())],
        ColumnChange::AddSerial(seq) => add_serial(table, to, seq),
        ColumnChange::AdoptSerial {
            sequence,
            options,
            set_default,
        } => {
            let owned = alter_sequence(sequence, options, &to.data_type);
            let owned = format!("{} OWNED BY {t}.{c};", owned.trim_end_matches(';'));
            let regclass = quote_literal(&sequence.quoted());
            let default = alter(format!("SET DEFAULT nextval({regclass}::regclass)"));
            std::iter::once(owned)
                .chain(set_default.then_some(default))
                .collect()
        }
        ColumnChange::ReleaseSerial(sequence) => {
            vec![format!(
                "ALTER SEQUENCE {} OWNED BY NONE;",
                sequence.quoted()
            )]
        }
        ColumnChange::AlterSerial(seq) => {
            let name = seq_name(from.serial.as_ref().and_then(|s| s.name.as_ref()));
            vec![alter_sequence(&name, seq, &to.data_type)]
        }
        ColumnChange::AddIdentity(id) => {
            let opts = sequence_options(&id.sequence, false);
            let add = alter(format!(
                "ADD GENERATED {} AS IDENTITY{}",
                identity_kind(&id.kind),
                parenthesized(&opts)
            ));
            // The column holds values already (it drew from a serial or
            // standalone sequence, or was filled by hand): the identity
            // goes on past them, as a new serial does, or the next insert
            // would hand out a taken value.
            let ascending = id.sequence.increment.is_none_or(|i| i > 0);
            let seq = format!(
                "pg_get_serial_sequence({}, {})",
                quote_literal(&t),
                quote_literal(&to.name)
            );
            let catch_up =
                format!("SELECT setval({seq}, max({c})) FROM {t} HAVING max({c}) IS NOT NULL;");
            std::iter::once(add)
                .chain(ascending.then_some(catch_up))
                .collect()
        }
        ColumnChange::CreateSequence(s) => vec![super::sequences::create(s).sql],
        ColumnChange::DropSequence(s) => vec![super::sequences::drop(s).sql],
        ColumnChange::SetIdentityKind(k) => {
            vec![alter(format!("SET GENERATED {}", identity_kind(k)))]
        }
        ColumnChange::AlterIdentitySequence(seq) => {
            let name = seq_name(
                from.identity
                    .as_ref()
                    .and_then(|i| i.sequence.name.as_ref()),
            );
            vec![alter_sequence(&name, seq, &to.data_type)]
        }
    }
}

/// `SET NOT NULL`, or on PostgreSQL 18 `ADD CONSTRAINT name NOT NULL col`
/// when the constraint is to have a name of its own.
fn set_not_null(table: &QualifiedName, to: &Column, name: Option<&str>) -> String {
    let (t, c) = (table.quoted(), quote_ident(&to.name));
    match name {
        Some(n) => format!(
            "ALTER TABLE {t} ADD CONSTRAINT {} NOT NULL {c};",
            quote_ident(n)
        ),
        None => format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;"),
    }
}

fn alter_sequence(name: &QualifiedName, seq: &Sequence, column_type: &str) -> String {
    let mut s = seq.clone();
    if s.data_type.is_none() {
        s.data_type = Some(column_type.to_string());
    }
    format!(
        "ALTER SEQUENCE {} {};",
        name.quoted(),
        sequence_options(&s, true)
    )
}

/// Turn an existing column into a serial one: an owned sequence, the
/// default, and the sequence moved past the values already in the column.
fn add_serial(table: &QualifiedName, col: &Column, seq: &Sequence) -> Vec<String> {
    let name = seq
        .name
        .clone()
        .unwrap_or_else(|| serial_sequence_name(table, &col.name));
    let mut s = seq.clone();
    if s.data_type.is_none() {
        s.data_type = Some(col.data_type.clone());
    }
    let c = quote_ident(&col.name);
    let regclass = quote_literal(&name.quoted());
    vec![
        format!(
            "CREATE SEQUENCE {} {} OWNED BY {}.{c};",
            name.quoted(),
            sequence_options(&s, false),
            table.quoted()
        ),
        format!(
            "ALTER TABLE {} ALTER COLUMN {c} SET DEFAULT nextval({regclass}::regclass);",
            table.quoted()
        ),
        format!(
            "SELECT setval({regclass}, max({c})) FROM {} HAVING max({c}) IS NOT NULL;",
            table.quoted()
        ),
    ]
}
