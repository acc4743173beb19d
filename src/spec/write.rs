//! Model → YAML files (`strata pull`). One file per schema. Names that
//! PostgreSQL would pick by itself are omitted; column shorthand is used
//! only when it parses back to exactly the same declaration.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Check, Column, Database, EnumType, Exclusion, FkAction, FkMatch, ForeignKey, IdentityKind,
    Index, IndexKey, QualifiedName, Sequence, Table, Unique,
};

use super::column::{self, CheckDecl, ColumnDecl, Named, RefDecl, RefTarget, UniqueDecl};
use super::emit::{render as render_yaml, Y};
use super::indexes::parse_index_key;
use super::resolve::{enum_lookup, lookup_table};
use crate::pg::ident::dotted_part;
use crate::pg::naming::{check_column, index_key_name, DefaultName};

/// (file name, YAML text) per schema, sorted by schema.
pub fn render(db: &Database) -> Vec<(String, String)> {
    let mut schemas: BTreeSet<&str> = db.schemas.keys().map(String::as_str).collect();
    schemas.extend(db.tables.keys().map(|k| k.schema.as_str()));
    schemas.extend(db.enums.keys().map(|k| k.schema.as_str()));
    schemas.extend(db.sequences.keys().map(|k| k.schema.as_str()));
    schemas.extend(super::types::schemas_of(db));
    schemas.extend(db.views.keys().map(|k| k.schema.as_str()));
    schemas.extend(db.functions.keys().map(|k| k.0.schema.as_str()));
    schemas.extend(db.aggregates.keys().map(|k| k.0.schema.as_str()));
    if !db.extensions.is_empty() || !db.publications.is_empty() {
        schemas.insert("public");
    }
    // Distinct file names even when two schema names sanitise to the same
    // stem, compared case-insensitively (macOS and Windows file systems).
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut unique = |stem: &str| {
        let mut name = format!("{stem}.yaml");
        let mut n = 2;
        while !used.insert(name.to_lowercase()) {
            name = format!("{stem}-{n}.yaml");
            n += 1;
        }
        name
    };
    for s in schemas {
        let name = unique(&file_stem(s));
        out.push((name, render_yaml(&schema_doc(db, s))));
    }
    // Privileges in a file of their own, the one a security review reads.
    let grants = super::grants::section_y(db).map(|g| ("grants".to_string(), g));
    let defaults =
        super::default_privileges::section_y(db).map(|d| ("default_privileges".to_string(), d));
    let sections: Vec<(String, Y)> = grants.into_iter().chain(defaults).collect();
    if !sections.is_empty() {
        out.push((unique("grants"), render_yaml(&Y::Block(sections))));
    }
    if let Some(owners) = super::owners::section_y(db) {
        let doc = Y::Block(vec![("owners".into(), owners)]);
        out.push((unique("owners"), render_yaml(&doc)));
    }
    out
}

/// A file name for a schema (schema names may hold any character).
fn file_stem(schema: &str) -> String {
    schema
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn schema_doc(db: &Database, schema: &str) -> Y {
    let mut doc = Vec::new();
    if let Some(ns) = db.schemas.get(schema) {
        let y = match &ns.comment {
            Some(c) => Y::Block(vec![(
                ns.name.clone(),
                Y::Map(vec![("comment".into(), Y::str(c))]),
            )]),
            None => Y::strs(&[ns.name.as_str()]),
        };
        doc.push(("schemas".to_string(), y));
    } else if schema != "public" {
        // Objects in a schema the model does not list: declare it anyway,
        // the loader requires it.
        doc.push(("schemas".to_string(), Y::strs(&[schema])));
    }
    if schema == "public" && !db.extensions.is_empty() {
        doc.push(("extensions".into(), extensions_y(db)));
    }
    let enums: Vec<(String, Y)> = db
        .enums
        .values()
        .filter(|e| e.name.schema == schema)
        .map(|e| (object_key(&e.name), enum_y(e)))
        .collect();
    if !enums.is_empty() {
        doc.push(("enums".into(), Y::Block(enums)));
    }
    let sequences: Vec<(String, Y)> = db
        .sequences
        .values()
        .filter(|s| s.name.schema == schema)
        .map(|s| (object_key(&s.name), super::sequences::sequence_y(s)))
        .collect();
    if !sequences.is_empty() {
        doc.push(("sequences".into(), Y::Block(sequences)));
    }
    doc.extend(super::types::sections(db, schema, object_key));
    let functions: Vec<(String, Y)> = db
        .functions
        .values()
        .filter(|f| f.name.schema == schema)
        .map(|f| {
            let key = super::functions::function_key(f);
            (key, super::functions::function_y(f))
        })
        .collect();
    if !functions.is_empty() {
        doc.push(("functions".into(), Y::Block(functions)));
    }
    let aggregates: Vec<(String, Y)> = db
        .aggregates
        .values()
        .filter(|a| a.name.schema == schema)
        .map(|a| {
            let key = super::aggregates::aggregate_key(a);
            (key, super::aggregates::aggregate_y(a))
        })
        .collect();
    if !aggregates.is_empty() {
        doc.push(("aggregates".into(), Y::Block(aggregates)));
    }
    let tables: Vec<(String, Y)> = db
        .tables
        .values()
        .filter(|t| t.name.schema == schema)
        .map(|t| (object_key(&t.name), table_y(db, t)))
        .collect();
    if !tables.is_empty() {
        doc.push(("tables".into(), Y::Block(tables)));
    }
    let views: Vec<(String, Y)> = db
        .views
        .values()
        .filter(|v| v.name.schema == schema)
        .map(|v| (object_key(&v.name), super::views::view_y(v)))
        .collect();
    if !views.is_empty() {
        doc.push(("views".into(), Y::Block(views)));
    }
    // Publications belong to no schema: with the extensions, in public's file.
    if schema == "public" {
        if let Some(y) = super::publications::section(db, object_key) {
            doc.push(("publications".into(), y));
        }
    }
    Y::Block(doc)
}

/// `name` in `public`, `schema.name` elsewhere.
fn object_key(q: &QualifiedName) -> String {
    if q.schema == "public" {
        dotted_part(&q.name)
    } else {
        format!("{}.{}", dotted_part(&q.schema), dotted_part(&q.name))
    }
}

fn extensions_y(db: &Database) -> Y {
    if db.extensions.values().all(|e| e.schema.is_none()) {
        return Y::List(db.extensions.keys().map(Y::str).collect());
    }
    Y::Map(
        db.extensions
            .values()
            .map(|e| {
                let body = match &e.schema {
                    Some(s) => vec![("schema".to_string(), Y::str(s))],
                    None => vec![],
                };
                (e.name.clone(), Y::Map(body))
            })
            .collect(),
    )
}

fn enum_y(e: &EnumType) -> Y {
    let values = Y::strs(&e.values);
    match &e.comment {
        None => values,
        Some(c) => Y::Map(vec![
            ("values".into(), values),
            ("comment".into(), Y::str(c)),
        ]),
    }
}

/// Per column: index of the inlined (foreign key, unique, check).
type Slots = (Option<usize>, Option<usize>, Option<usize>);

/// Which constraints are written on their column rather than the table.
#[derive(Default)]
struct Inlined {
    pk: bool,
    fks: BTreeSet<usize>,
    uniques: BTreeSet<usize>,
    checks: BTreeSet<usize>,
    per_column: BTreeMap<String, Slots>,
}

/// Constraint names of one schema that more than one table uses.
/// PostgreSQL gives an unnamed constraint its default name only while no
/// constraint of the schema has it, so which table got the plain name
/// depends on the order things were created in: such names are always
/// written out.
type Shared = BTreeSet<String>;

fn shared_names(db: &Database, schema: &str) -> Shared {
    let mut seen = BTreeSet::new();
    let mut shared = BTreeSet::new();
    for t in db.tables.values().filter(|t| t.name.schema == schema) {
        let names = t
            .primary_key
            .iter()
            .map(|p| &p.name)
            .chain(t.uniques.iter().map(|u| &u.name))
            .chain(t.exclusions.iter().map(|x| &x.name))
            .chain(t.foreign_keys.iter().map(|f| &f.name))
            .chain(t.checks.iter().map(|c| &c.name))
            .chain(t.columns.iter().map(|c| &c.not_null_name));
        for n in names.flatten() {
            if !seen.insert(n.clone()) {
                shared.insert(n.clone());
            }
        }
    }
    shared
}

/// Whether `name` is the one PostgreSQL would choose anyway.
fn is_default(name: &Option<String>, default: &str, shared: &Shared) -> bool {
    name.as_deref()
        .is_none_or(|n| n == default && !shared.contains(n))
}

fn plan_inlining(t: &Table, shared: &Shared) -> Inlined {
    let mut inl = Inlined::default();
    // A partition has no columns of its own to carry them: its keys,
    // foreign keys and checks are all written as lists.
    if t.partition_of.is_some() {
        return inl;
    }
    let tn = &t.name.name;
    if let Some(pk) = &t.primary_key {
        inl.pk = pk.columns.len() == 1
            && pk.include.is_empty()
            && !pk.without_overlaps
            && pk.comment.is_none()
            && !pk.deferrable
            && !pk.initially_deferred
            && is_default(&pk.name, &DefaultName::primary_key(tn).first(), shared);
    }
    for (i, fk) in t.foreign_keys.iter().enumerate() {
        let ok = fk.columns.len() == 1
            && fk.comment.is_none()
            && !fk.not_valid
            && !fk.not_enforced
            && !fk.period
            && is_default(
                &fk.name,
                &DefaultName::foreign_key(tn, &fk.columns).first(),
                shared,
            );
        if !ok {
            continue;
        }
        let slot = inl.per_column.entry(fk.columns[0].clone()).or_default();
        if slot.0.is_none() {
            slot.0 = Some(i);
            inl.fks.insert(i);
        }
    }
    for (i, u) in t.uniques.iter().enumerate() {
        let ok = u.columns.len() == 1
            && u.include.is_empty()
            && u.comment.is_none()
            && !u.deferrable
            && !u.initially_deferred
            // The column map form has no way to say it (`unique: true`).
            && !u.nulls_not_distinct
            && !u.without_overlaps
            && is_default(
                &u.name,
                &DefaultName::unique(tn, &u.columns, &[]).first(),
                shared,
            );
        if !ok {
            continue;
        }
        let slot = inl.per_column.entry(u.columns[0].clone()).or_default();
        if slot.1.is_none() {
            slot.1 = Some(i);
            inl.uniques.insert(i);
        }
    }
    let col_names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in t.checks.iter().enumerate() {
        // `tableoid` names a check but is no column to write it under.
        let Some(column) =
            check_column(tn, &c.expression, &col_names).filter(|c| col_names.contains(&c.as_str()))
        else {
            continue;
        };
        if c.comment.is_some() || c.not_valid || c.not_enforced {
            continue;
        }
        if !is_default(
            &c.name,
            &DefaultName::check(tn, &c.expression, &col_names).first(),
            shared,
        ) {
            continue;
        }
        let slot = inl.per_column.entry(column).or_default();
        if slot.2.is_none() {
            slot.2 = Some(i);
            inl.checks.insert(i);
        }
    }
    inl
}

fn table_y(db: &Database, t: &Table) -> Y {
    let shared = shared_names(db, &t.name.schema);
    let shared = &shared;
    let inl = plan_inlining(t, shared);
    let mut body = Vec::new();
    if let Some(c) = &t.comment {
        body.push(("comment".to_string(), Y::str(c)));
    }
    super::table_props::write(t, &mut body);
    super::statistics::write(t, &mut body);
    if let Some(k) = &t.partition_by {
        body.push(("partition_by".to_string(), Y::str(k)));
    }
    if let Some(of) = &t.partition_of {
        // A partition's columns are its parent's.
        body.push((
            "partition_of".to_string(),
            Y::Str(column::render_ref_target(
                &ref_parts(db, t, &of.parent),
                &[],
            )),
        ));
        body.push(("bound".to_string(), Y::str(&of.bound)));
    } else {
        let columns = t
            .columns
            .iter()
            .map(|c| (c.name.clone(), column_y(db, t, c, &inl, shared)))
            .collect();
        body.push(("columns".into(), Y::Block(columns)));
    }
    if let Some(pk) = t.primary_key.as_ref().filter(|_| !inl.pk) {
        let plain = pk.comment.is_none()
            && pk.include.is_empty()
            && !pk.without_overlaps
            && !pk.deferrable
            && !pk.initially_deferred
            && is_default(
                &pk.name,
                &DefaultName::primary_key(&t.name.name).first(),
                shared,
            );
        let y = if plain {
            Y::strs(&pk.columns)
        } else {
            let mut m = vec![("columns".to_string(), Y::strs(&pk.columns))];
            push_strs(&mut m, "include", &pk.include);
            push_flag(&mut m, "without_overlaps", pk.without_overlaps);
            push_flag(&mut m, "deferrable", pk.deferrable);
            push_flag(&mut m, "initially_deferred", pk.initially_deferred);
            push_name(
                &mut m,
                &pk.name,
                &DefaultName::primary_key(&t.name.name).first(),
                &pk.comment,
                shared,
            );
            push_opt(&mut m, "comment", &pk.comment);
            Y::Map(m)
        };
        body.push(("primary_key".into(), y));
    }
    let fks: Vec<Y> = t
        .foreign_keys
        .iter()
        .enumerate()
        .filter(|(i, _)| !inl.fks.contains(i))
        .map(|(_, fk)| fk_y(db, t, fk, shared))
        .collect();
    push_list(&mut body, "foreign_keys", fks);
    let uniques: Vec<Y> = t
        .uniques
        .iter()
        .enumerate()
        .filter(|(i, _)| !inl.uniques.contains(i))
        .map(|(_, u)| unique_y(t, u, shared))
        .collect();
    push_list(&mut body, "unique", uniques);
    let checks: Vec<Y> = t
        .checks
        .iter()
        .enumerate()
        .filter(|(i, _)| !inl.checks.contains(i))
        .map(|(_, c)| check_y(t, c, shared))
        .collect();
    push_list(&mut body, "checks", checks);
    push_list(
        &mut body,
        "exclusions",
        t.exclusions
            .iter()
            .map(|x| exclusion_y(t, x, shared))
            .collect(),
    );
    push_list(
        &mut body,
        "indexes",
        t.indexes.iter().map(|i| index_y(t, i)).collect(),
    );
    let triggers: Vec<(String, Y)> = db
        .triggers
        .values()
        .filter(|tg| tg.table == t.name)
        .filter_map(|tg| Some((tg.name.clone(), super::triggers::trigger_y(tg)?)))
        .collect();
    if !triggers.is_empty() {
        body.push(("triggers".into(), Y::Block(triggers)));
    }
    let policies: Vec<(String, Y)> = db
        .policies
        .range((t.name.clone(), String::new())..)
        .take_while(|((table, _), _)| *table == t.name)
        .map(|(_, p)| (p.name.clone(), super::policies::policy_y(p)))
        .collect();
    if !policies.is_empty() {
        body.push(("policies".into(), Y::Block(policies)));
    }
    Y::Block(body)
}

fn push_list(body: &mut Vec<(String, Y)>, key: &str, items: Vec<Y>) {
    if !items.is_empty() {
        body.push((key.to_string(), Y::List(items)));
    }
}

fn push_strs(m: &mut Vec<(String, Y)>, key: &str, v: &[String]) {
    if !v.is_empty() {
        m.push((key.to_string(), Y::strs(v)));
    }
}

fn push_opt(m: &mut Vec<(String, Y)>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        m.push((key.to_string(), Y::str(v)));
    }
}

/// Write the name unless PostgreSQL would choose it. A commented object
/// always keeps its name: `COMMENT ON CONSTRAINT/INDEX` needs one.
fn push_name(
    m: &mut Vec<(String, Y)>,
    name: &Option<String>,
    default: &str,
    comment: &Option<String>,
    shared: &Shared,
) {
    if comment.is_some() || !is_default(name, default, shared) {
        push_opt(m, "name", name);
    }
}

/// `enforced: false` for a `NOT ENFORCED` constraint (enforced is the
/// default, never written).
fn push_not_enforced(m: &mut Vec<(String, Y)>, not_enforced: bool) {
    if not_enforced {
        m.push(("enforced".to_string(), Y::bool(false)));
    }
}

fn push_flag(m: &mut Vec<(String, Y)>, key: &str, on: bool) {
    if on {
        m.push((key.to_string(), Y::bool(true)));
    }
}

/// The type as the loader will read it back: spec enums by their short
/// name when that resolves to the same enum.
fn type_text(db: &Database, t: &Table, ty: &str) -> String {
    let base = ty.trim_end_matches("[]").trim_end();
    let dims = &ty[base.len()..];
    let Some(parts) = sql_name_parts(base) else {
        return ty.to_string();
    };
    let [schema, name] = parts.as_slice() else {
        return ty.to_string();
    };
    let q = QualifiedName::new(schema, name);
    if !db.enums.contains_key(&q) {
        return ty.to_string();
    }
    // The shortest spelling the loader resolves to this very enum.
    let short = dotted_part(name);
    let qualified = format!("{}.{short}", dotted_part(schema));
    [short, qualified]
        .into_iter()
        .find(|text| enum_lookup(text, &t.name.schema, &db.enums) == Some(&q))
        .map_or_else(|| ty.to_string(), |text| format!("{text}{dims}"))
}

/// `a.b`, `"A".b` (SQL identifier syntax) → its parts.
fn sql_name_parts(s: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars
                .peek()
                .filter(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '$')
            {
                part.push(c);
                chars.next();
            }
            if part.is_empty() {
                return None;
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

fn ref_parts(db: &Database, t: &Table, target: &QualifiedName) -> Vec<String> {
    let short = vec![target.name.clone()];
    if lookup_table(&short, &t.name.schema, &db.tables).map(|(k, _)| k) == Some(target) {
        short
    } else {
        vec![target.schema.clone(), target.name.clone()]
    }
}

/// The declaration the loader must produce for this column.
fn column_decl(db: &Database, t: &Table, c: &Column, inl: &Inlined, shared: &Shared) -> ColumnDecl {
    let mut col = c.clone();
    col.name = String::new();
    // A NOT NULL constraint (PostgreSQL 18) is named only when PostgreSQL
    // would not choose that name by itself.
    let nn_default = DefaultName::not_null(&t.name.name, &c.name).first();
    if is_default(&col.not_null_name, &nn_default, shared) {
        col.not_null_name = None;
    }
    col.comment = None;
    col.origin = Default::default();
    // Follows from the type; the loader never sets it.
    col.props.type_storage = None;
    col.data_type = type_text(db, t, &c.data_type);
    // The loader reads collations literally (`ucs_basic` → `"ucs_basic"`):
    // compare in that form so the shorthand is not rejected for it.
    col.collation = c.collation.as_deref().map(column::normalize_collation);
    if let Some(s) = col.serial.as_mut() {
        s.name = None;
    }
    if let Some(id) = col.identity.as_mut() {
        id.sequence.name = None;
    }
    let slots = inl.per_column.get(&c.name).copied().unwrap_or_default();
    let references = slots.0.filter(|i| inl.fks.contains(i)).map(|i| {
        let fk = &t.foreign_keys[i];
        RefDecl {
            name: None,
            target: RefTarget {
                table: ref_parts(db, t, &fk.ref_table),
                columns: fk.ref_columns.clone(),
            },
            on_delete: fk.on_delete.clone(),
            on_delete_columns: fk.on_delete_columns.clone(),
            on_update: fk.on_update.clone(),
            match_type: fk.match_type.clone(),
            deferrable: fk.deferrable,
            initially_deferred: fk.initially_deferred,
            offset: 0,
        }
    });
    let pk_here = inl.pk
        && t.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns[0] == c.name);
    ColumnDecl {
        column: col,
        explicit_not_null: None,
        primary_key: pk_here.then(Named::default),
        unique: slots
            .1
            .filter(|i| inl.uniques.contains(i))
            .map(|i| UniqueDecl {
                name: None,
                nulls_not_distinct: t.uniques[i].nulls_not_distinct,
            }),
        check: slots
            .2
            .filter(|i| inl.checks.contains(i))
            .map(|i| CheckDecl {
                name: None,
                expression: t.checks[i].expression.clone(),
            }),
        references,
    }
}

/// Normalise a parsed declaration for comparison with the intended one.
fn comparable(mut d: ColumnDecl) -> ColumnDecl {
    d.explicit_not_null = None;
    if d.primary_key.is_some() {
        d.column.not_null = true;
    }
    if let Some(r) = d.references.as_mut() {
        r.offset = 0;
    }
    d
}

fn column_y(db: &Database, t: &Table, c: &Column, inl: &Inlined, shared: &Shared) -> Y {
    let decl = column_decl(db, t, c, inl, shared);
    if c.comment.is_none() {
        if let Some(short) = column::render_shorthand(&decl) {
            let back = column::parse_shorthand(&short).map(comparable);
            if back.as_ref() == Ok(&decl) {
                return Y::Str(short);
            }
        }
    }
    column_map_y(&decl, c)
}

fn column_map_y(d: &ColumnDecl, c: &Column) -> Y {
    let col = &d.column;
    let mut m: Vec<(String, Y)> = Vec::new();
    let ty = match &col.serial {
        Some(_) => crate::pg::types::serial_for(&col.data_type).to_string(),
        None => col.data_type.clone(),
    };
    m.push(("type".into(), Y::Str(ty)));
    let implied = col.serial.is_some() || col.identity.is_some() || d.primary_key.is_some();
    match &col.not_null_name {
        Some(n) => m.push(("not_null_constraint".into(), Y::str(n))),
        None => push_flag(&mut m, "not_null", col.not_null && !implied),
    }
    push_opt(&mut m, "default", &col.default);
    match &col.generated {
        Some(g) if col.generated_virtual => m.push((
            "generated".into(),
            Y::Map(vec![
                ("expression".into(), Y::str(g)),
                ("stored".into(), Y::bool(false)),
            ]),
        )),
        g => push_opt(&mut m, "generated", g),
    }
    push_opt(&mut m, "collation", &col.collation);
    if let Some(id) = &col.identity {
        let gen = match id.kind {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "by_default",
        };
        let y = if id.sequence.is_default() {
            Y::str(gen)
        } else {
            let mut im = vec![("generation".to_string(), Y::str(gen))];
            im.extend(sequence_entries(&id.sequence));
            Y::Map(im)
        };
        m.push(("identity".into(), y));
    }
    if let Some(s) = col.serial.as_ref().filter(|s| !s.is_default()) {
        m.push(("sequence".into(), Y::Map(sequence_entries(s))));
    }
    push_flag(&mut m, "primary_key", d.primary_key.is_some());
    push_flag(&mut m, "unique", d.unique.is_some());
    if let Some(r) = &d.references {
        m.push((
            "references".into(),
            Y::Str(column::render_ref_target(
                &r.target.table,
                &r.target.columns,
            )),
        ));
        fk_options(
            &mut m,
            (&r.on_delete, &r.on_delete_columns),
            &r.on_update,
            &r.match_type,
            r.deferrable,
            r.initially_deferred,
        );
    }
    if let Some(ch) = &d.check {
        m.push(("check".into(), Y::str(&ch.expression)));
    }
    super::column_props::write(&c.props, &mut m);
    push_opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

pub(super) fn sequence_entries(s: &Sequence) -> Vec<(String, Y)> {
    let mut m = Vec::new();
    push_opt(&mut m, "as", &s.data_type);
    for (k, v) in [
        ("start", s.start),
        ("increment", s.increment),
        ("min_value", s.min_value),
        ("max_value", s.max_value),
        ("cache", s.cache),
    ] {
        if let Some(v) = v {
            m.push((k.to_string(), Y::int(v)));
        }
    }
    push_flag(&mut m, "cycle", s.cycle);
    m
}

/// `del`: the delete action and the columns it sets (empty = all).
fn fk_options(
    m: &mut Vec<(String, Y)>,
    del: (&FkAction, &[String]),
    upd: &FkAction,
    mt: &FkMatch,
    deferrable: bool,
    deferred: bool,
) {
    if *del.0 != FkAction::NoAction {
        let text = column::render_delete_action(del.0, del.1);
        m.push(("on_delete".into(), Y::Str(text)));
    }
    if *upd != FkAction::NoAction {
        m.push(("on_update".into(), Y::str(upd.sql().to_ascii_lowercase())));
    }
    if *mt == FkMatch::Full {
        m.push(("match".into(), Y::str("full")));
    }
    push_flag(m, "deferrable", deferrable);
    push_flag(m, "initially_deferred", deferred);
}

fn fk_y(db: &Database, t: &Table, fk: &ForeignKey, shared: &Shared) -> Y {
    let mut m = vec![("columns".to_string(), Y::strs(&fk.columns))];
    let target = column::render_ref_target(&ref_parts(db, t, &fk.ref_table), &fk.ref_columns);
    m.push(("references".into(), Y::Str(target)));
    fk_options(
        &mut m,
        (&fk.on_delete, &fk.on_delete_columns),
        &fk.on_update,
        &fk.match_type,
        fk.deferrable,
        fk.initially_deferred,
    );
    push_flag(&mut m, "period", fk.period);
    push_flag(&mut m, "not_valid", fk.not_valid);
    push_not_enforced(&mut m, fk.not_enforced);
    push_name(
        &mut m,
        &fk.name,
        &DefaultName::foreign_key(&t.name.name, &fk.columns).first(),
        &fk.comment,
        shared,
    );
    push_opt(&mut m, "comment", &fk.comment);
    Y::Map(m)
}

fn unique_y(t: &Table, u: &Unique, shared: &Shared) -> Y {
    let default = DefaultName::unique(&t.name.name, &u.columns, &u.include).first();
    let plain = is_default(&u.name, &default, shared)
        && u.include.is_empty()
        && u.comment.is_none()
        && !u.nulls_not_distinct
        && !u.without_overlaps
        && !u.deferrable
        && !u.initially_deferred;
    if plain {
        return Y::strs(&u.columns);
    }
    let mut m = vec![("columns".to_string(), Y::strs(&u.columns))];
    push_strs(&mut m, "include", &u.include);
    push_flag(&mut m, "nulls_not_distinct", u.nulls_not_distinct);
    push_flag(&mut m, "without_overlaps", u.without_overlaps);
    push_flag(&mut m, "deferrable", u.deferrable);
    push_flag(&mut m, "initially_deferred", u.initially_deferred);
    push_name(&mut m, &u.name, &default, &u.comment, shared);
    push_opt(&mut m, "comment", &u.comment);
    Y::Map(m)
}

fn check_y(t: &Table, c: &Check, shared: &Shared) -> Y {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let default = DefaultName::check(&t.name.name, &c.expression, &cols).first();
    if is_default(&c.name, &default, shared)
        && c.comment.is_none()
        && !c.not_valid
        && !c.not_enforced
    {
        return Y::str(&c.expression);
    }
    let mut m = vec![("expression".to_string(), Y::str(&c.expression))];
    push_flag(&mut m, "not_valid", c.not_valid);
    push_not_enforced(&mut m, c.not_enforced);
    push_name(&mut m, &c.name, &default, &c.comment, shared);
    push_opt(&mut m, "comment", &c.comment);
    Y::Map(m)
}

/// Index column name PostgreSQL derives for a key; `None` when strata
/// cannot tell (then the object's name is always written out).
fn key_colname(k: &IndexKey) -> Option<Option<String>> {
    index_key_name(&k.expr, k.is_expression)
}

fn exclusion_y(t: &Table, x: &Exclusion, shared: &Shared) -> Y {
    let colnames: Option<Vec<Option<String>>> = x
        .elements
        .iter()
        .map(|e| {
            let lower = e.to_ascii_lowercase();
            let at = lower.rfind(" with ")?;
            key_colname(&parse_index_key(&e[..at]))
        })
        .collect();
    let default = colnames.map(|c| DefaultName::index_like(&t.name.name, &c, "excl").first());
    let mut m = Vec::new();
    if x.method != "gist" {
        m.push(("using".to_string(), Y::str(&x.method)));
    }
    m.push(("elements".into(), Y::strs(&x.elements)));
    push_opt(&mut m, "where", &x.predicate);
    if !x.with.is_empty() {
        m.push(("with".into(), with_y(&x.with)));
    }
    push_flag(&mut m, "deferrable", x.deferrable);
    push_flag(&mut m, "initially_deferred", x.initially_deferred);
    match default {
        Some(d) => push_name(&mut m, &x.name, &d, &x.comment, shared),
        None => push_opt(&mut m, "name", &x.name),
    }
    push_opt(&mut m, "comment", &x.comment);
    Y::Map(m)
}

fn index_key_y(k: &IndexKey) -> Y {
    if k.opclass.is_none() && k.collation.is_none() {
        let head = if k.is_expression {
            k.expr.clone()
        } else {
            dotted_part(&k.expr)
        };
        let mut s = head;
        if k.descending {
            s += " desc";
        }
        match k.nulls_first {
            Some(true) => s += " nulls first",
            Some(false) => s += " nulls last",
            None => {}
        }
        if parse_index_key(&s) == *k {
            return Y::Str(s);
        }
    }
    let mut m = Vec::new();
    let which = if k.is_expression {
        "expression"
    } else {
        "column"
    };
    m.push((which.to_string(), Y::str(&k.expr)));
    push_opt(&mut m, "opclass", &k.opclass);
    push_opt(&mut m, "collation", &k.collation);
    if k.descending {
        m.push(("order".into(), Y::str("desc")));
    }
    match k.nulls_first {
        Some(true) => m.push(("nulls".into(), Y::str("first"))),
        Some(false) => m.push(("nulls".into(), Y::str("last"))),
        None => {}
    }
    Y::Map(m)
}

pub(super) fn index_y(t: &Table, i: &Index) -> Y {
    let colnames: Option<Vec<Option<String>>> = i
        .keys
        .iter()
        .map(key_colname)
        .chain(i.include.iter().map(|c| Some(Some(c.clone()))))
        .collect();
    let default = colnames.map(|c| DefaultName::index_like(&t.name.name, &c, "idx").first());
    let mut m = vec![(
        "columns".to_string(),
        Y::List(i.keys.iter().map(index_key_y).collect()),
    )];
    push_flag(&mut m, "unique", i.unique);
    if i.method != "btree" {
        m.push(("using".into(), Y::str(&i.method)));
    }
    if !i.include.is_empty() {
        m.push(("include".into(), Y::strs(&i.include)));
    }
    push_opt(&mut m, "where", &i.predicate);
    push_flag(&mut m, "nulls_not_distinct", i.nulls_not_distinct);
    if !i.with.is_empty() {
        m.push(("with".into(), with_y(&i.with)));
    }
    match default {
        // A plain index's name only avoids relations, which are unique.
        Some(d) => push_name(&mut m, &i.name, &d, &i.comment, &Shared::new()),
        None => push_opt(&mut m, "name", &i.name),
    }
    push_opt(&mut m, "comment", &i.comment);
    Y::Map(m)
}

fn with_y(params: &[String]) -> Y {
    let pairs: Option<Vec<(String, Y)>> = params
        .iter()
        .map(|p| {
            let (k, v) = p.split_once('=')?;
            let v = if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
                Y::Raw(v.to_string())
            } else {
                Y::str(v)
            };
            Some((k.to_string(), v))
        })
        .collect();
    pairs.map_or_else(|| Y::strs(params), Y::Map)
}
