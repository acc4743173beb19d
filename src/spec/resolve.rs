//! All files' declarations → one validated model: merge (duplicates are
//! errors), expand mixins, check every reference, fill in what the spec
//! leaves implicit (referenced primary keys, NOT NULL on key columns,
//! qualified enum types).

use std::collections::{BTreeMap, HashMap};

use crate::model::{Database, EnumType, Origin, QualifiedName, Table};

use super::decode::{FileDecls, MixinDecl, TableDecl};
use super::yaml::did_you_mean;
use super::SpecIssue;
use crate::pg::ident::split_dotted;

pub(super) struct Issues(Vec<SpecIssue>);

impl Issues {
    pub(super) fn at(&mut self, o: &Origin, message: impl Into<String>) {
        self.0.push(SpecIssue {
            file: o.file.clone().unwrap_or_default(),
            line: o.line,
            column: o.column,
            message: message.into(),
        });
    }
}

/// Merge and validate. Issues are appended to `out`.
pub fn resolve(files: Vec<FileDecls>, out: &mut Vec<SpecIssue>) -> Database {
    let mut issues = Issues(Vec::new());
    let mut db = Database::default();
    let mut mixins: BTreeMap<String, MixinDecl> = BTreeMap::new();
    let mut tables: Vec<TableDecl> = Vec::new();
    let mut publications = Vec::new();
    let mut grants = Vec::new();
    let mut owners = Vec::new();
    let mut defaults = Vec::new();
    for mut f in files {
        owners.append(&mut f.owners);
        defaults.append(&mut f.default_privileges);
        publications.append(&mut f.publications);
        grants.append(&mut f.grants);
        for s in f.schemas {
            insert_once(
                &mut db.schemas,
                s.name.clone(),
                s,
                "schema",
                |s| &s.origin,
                &mut issues,
            );
        }
        for e in f.extensions {
            insert_once(
                &mut db.extensions,
                e.name.clone(),
                e,
                "extension",
                |e| &e.origin,
                &mut issues,
            );
        }
        for e in f.enums {
            insert_once(
                &mut db.enums,
                e.name.clone(),
                e,
                "enum",
                |e| &e.origin,
                &mut issues,
            );
        }
        for q in f.sequences {
            insert_once(
                &mut db.sequences,
                q.name.clone(),
                q,
                "sequence",
                |q| &q.origin,
                &mut issues,
            );
        }
        super::types::insert_all(
            &mut db,
            f.domains,
            f.composites,
            f.ranges,
            f.collations,
            &mut issues,
        );
        for v in f.views {
            insert_once(
                &mut db.views,
                v.name.clone(),
                v,
                "view",
                |v| &v.origin,
                &mut issues,
            );
        }
        for fun in f.functions {
            let key = (fun.name.clone(), fun.identity.clone());
            let shown = format!("{}({})", fun.name, fun.identity);
            if let Some(prev) = db.functions.get(&key) {
                let msg = format!(
                    "function \"{shown}\" is declared twice (first at {})",
                    prev.origin
                );
                issues.at(&fun.origin, msg);
            } else {
                db.functions.insert(key, fun);
            }
        }
        for a in f.aggregates {
            let key = (a.name.clone(), a.identity.clone());
            if let Some(prev) = db.aggregates.get(&key) {
                let msg = format!(
                    "aggregate \"{}({})\" is declared twice (first at {})",
                    a.name, a.identity, prev.origin
                );
                issues.at(&a.origin, msg);
            } else {
                db.aggregates.insert(key, a);
            }
        }
        for m in f.mixins {
            insert_once(
                &mut mixins,
                m.name.clone(),
                m,
                "mixin",
                |m| &m.origin,
                &mut issues,
            );
        }
        tables.extend(f.tables);
    }
    let expanded = expand_tables(tables, &mixins, &mut issues);
    check_schemas(&db, &expanded, &mut issues);
    for t in &expanded {
        let names = super::partitions::column_names(t, &expanded);
        check_columns(t, &names, &mut issues);
    }
    let targets: BTreeMap<QualifiedName, Table> = expanded
        .iter()
        .map(|t| (t.table.name.clone(), t.table.clone()))
        .collect();
    for mut t in expanded {
        resolve_foreign_keys(&mut t, &targets, &mut issues);
        super::partitions::resolve(&mut t, &targets, &mut issues);
        finish_table(&mut t.table, &super::types::type_names(&db));
        for tg in &t.triggers {
            let trigger = tg.on(&t.table.name);
            let key = (t.table.name.clone(), tg.name.clone());
            if let Some(prev) = db.triggers.get(&key) {
                let msg = format!(
                    "trigger \"{}\" of table \"{}\" is declared twice (first at {})",
                    tg.name, t.table.name, prev.origin
                );
                issues.at(&tg.origin, msg);
            }
            db.triggers.insert(key, trigger);
        }
        for p in super::policies::on(&t.policies, &t.table.name) {
            let key = (p.table.clone(), p.name.clone());
            if let Some(prev) = db.policies.get(&key) {
                let msg = format!(
                    "policy \"{}\" of table \"{}\" is declared twice (first at {})",
                    p.name, p.table, prev.origin
                );
                issues.at(&p.origin, msg);
            }
            db.policies.insert(key, p);
        }
        db.tables.insert(t.table.name.clone(), t.table);
    }
    super::publications::resolve(publications, &mut db, &mut issues);
    check_names(&db, &mut issues);
    check_sequences(&db, &mut issues);
    super::types::check(&db, &mut issues);
    check_views(&db, &mut issues);
    super::grants::resolve(grants, &mut db, &mut issues);
    super::owners::resolve(owners, &mut db, &mut issues);
    super::default_privileges::resolve(defaults, &mut db, &mut issues);
    out.extend(issues.0);
    db
}

/// Insert unless the key is taken; a second declaration is an issue that
/// names the first one's position.
pub(super) fn insert_once<K: Ord + std::fmt::Display, V>(
    map: &mut BTreeMap<K, V>,
    key: K,
    value: V,
    kind: &str,
    origin: impl Fn(&V) -> &Origin,
    issues: &mut Issues,
) {
    match map.get(&key) {
        Some(prev) => {
            let msg = format!(
                "{kind} \"{key}\" is declared twice (first at {})",
                origin(prev)
            );
            issues.at(origin(&value), msg);
        }
        None => {
            map.insert(key, value);
        }
    }
}

/// Drop (and report) tables defined twice, expand the mixins of the rest.
fn expand_tables(
    tables: Vec<TableDecl>,
    mixins: &BTreeMap<String, MixinDecl>,
    issues: &mut Issues,
) -> Vec<TableDecl> {
    let mut seen: HashMap<QualifiedName, Origin> = HashMap::new();
    let mut expanded = Vec::new();
    for mut t in tables {
        if let Some(prev) = seen.get(&t.table.name) {
            let msg = format!(
                "table \"{}\" is defined twice: at {} and at {}",
                t.table.name, prev, t.table.origin
            );
            issues.at(&t.table.origin, msg);
            continue;
        }
        seen.insert(t.table.name.clone(), t.table.origin.clone());
        expand_mixins(&mut t, mixins, issues);
        expanded.push(t);
    }
    expanded
}

fn expand_mixins(t: &mut TableDecl, mixins: &BTreeMap<String, MixinDecl>, issues: &mut Issues) {
    let uses = std::mem::take(&mut t.mixins);
    for (name, origin) in uses {
        let Some(m) = mixins.get(&name) else {
            let hint = did_you_mean(&name, mixins.keys().map(String::as_str));
            issues.at(&origin, format!("unknown mixin \"{name}\"{hint}"));
            continue;
        };
        let body = &m.body;
        for c in &body.table.columns {
            if let Some(own) = t.table.column(&c.name) {
                issues.at(
                    &origin,
                    format!(
                        "mixin \"{name}\" adds column \"{}\", which table \"{}\" already has (declared at {})",
                        c.name, t.table.name, own.origin
                    ),
                );
            }
        }
        let new_cols: Vec<_> = body
            .table
            .columns
            .iter()
            .filter(|c| t.table.column(&c.name).is_none())
            .cloned()
            .collect();
        if m.first {
            let own = std::mem::take(&mut t.table.columns);
            t.table.columns = new_cols.into_iter().chain(own).collect();
        } else {
            t.table.columns.extend(new_cols);
        }
        if let Some(pk) = &body.table.primary_key {
            if t.table.primary_key.is_some() {
                issues.at(
                    &origin,
                    format!(
                        "mixin \"{name}\" adds a primary key, but table \"{}\" already has one",
                        t.table.name
                    ),
                );
            } else {
                t.table.primary_key = Some(pk.clone());
            }
        }
        t.table
            .foreign_keys
            .extend(body.table.foreign_keys.iter().cloned());
        t.fk_refs.extend(body.fk_refs.iter().cloned());
        t.table.uniques.extend(body.table.uniques.iter().cloned());
        t.table.checks.extend(body.table.checks.iter().cloned());
        t.table
            .exclusions
            .extend(body.table.exclusions.iter().cloned());
        t.table.indexes.extend(body.table.indexes.iter().cloned());
        t.triggers.extend(body.triggers.iter().cloned());
        t.policies.extend(body.policies.iter().cloned());
        t.col_refs.extend(body.col_refs.iter().cloned());
    }
}

fn check_schemas(db: &Database, tables: &[TableDecl], issues: &mut Issues) {
    let declared = |s: &str| s == "public" || db.schemas.contains_key(s);
    for t in tables {
        if !declared(&t.table.name.schema) {
            issues.at(
                &t.table.origin,
                format!(
                    "schema \"{}\" of table \"{}\" is not declared (add it under schemas:)",
                    t.table.name.schema, t.table.name.name
                ),
            );
        }
    }
    for e in db.enums.values() {
        if !declared(&e.name.schema) {
            issues.at(
                &e.origin,
                format!(
                    "schema \"{}\" of enum \"{}\" is not declared (add it under schemas:)",
                    e.name.schema, e.name.name
                ),
            );
        }
    }
}

/// `names`: the table's columns (a partition's are its parent's).
fn check_columns(t: &TableDecl, names: &[&str], issues: &mut Issues) {
    for r in &t.col_refs {
        if !names.contains(&r.column.as_str()) {
            let hint = did_you_mean(&r.column, names.iter().copied());
            issues.at(
                &r.origin,
                format!(
                    "{} column \"{}\" does not exist in table \"{}\"{hint}",
                    r.context, r.column, t.table.name
                ),
            );
        }
    }
}

/// Find a table by the parts written in a reference: `table` looks in the
/// referencing table's schema first, then in `public`.
pub fn lookup_table<'a, T>(
    parts: &[String],
    own_schema: &str,
    tables: &'a BTreeMap<QualifiedName, T>,
) -> Option<(&'a QualifiedName, &'a T)> {
    match parts {
        [name] => [own_schema, "public"]
            .iter()
            .find_map(|s| tables.get_key_value(&QualifiedName::new(*s, name))),
        [schema, name] => tables.get_key_value(&QualifiedName::new(schema, name)),
        _ => None,
    }
}

fn resolve_foreign_keys(
    t: &mut TableDecl,
    targets: &BTreeMap<QualifiedName, Table>,
    issues: &mut Issues,
) {
    let schema = t.table.name.schema.clone();
    for (fk, r) in t.table.foreign_keys.iter_mut().zip(&t.fk_refs) {
        let Some((name, target)) = lookup_table(&r.table, &schema, targets) else {
            let written = r.table.join(".");
            let hint = did_you_mean(&written, targets.values().map(|t| t.name.name.as_str()));
            issues.at(
                &r.origin,
                format!("foreign key references unknown table \"{written}\"{hint}"),
            );
            continue;
        };
        fk.ref_table = name.clone();
        if fk.ref_columns.is_empty() {
            match &target.primary_key {
                // PostgreSQL takes PERIOD from a temporal primary key and
                // refuses a foreign key that does not say it alike.
                Some(pk) if pk.without_overlaps != fk.period => {
                    let (pk_is, fk_says) = match pk.without_overlaps {
                        true => ("WITHOUT OVERLAPS", "set period: true"),
                        false => ("not WITHOUT OVERLAPS", "remove period: true, or name the referenced columns of a temporal unique key"),
                    };
                    issues.at(
                        &r.origin,
                        format!("foreign key references the primary key of table \"{name}\", which is {pk_is}: {fk_says}"),
                    );
                    continue;
                }
                Some(pk) => fk.ref_columns = pk.columns.clone(),
                None => {
                    issues.at(
                        &r.origin,
                        format!("table \"{name}\" has no primary key; name the referenced columns (e.g. {}(id))", r.table.join(".")),
                    );
                    continue;
                }
            }
        }
        for c in &fk.ref_columns {
            if target.column(c).is_none() {
                let hint = did_you_mean(c, target.columns.iter().map(|c| c.name.as_str()));
                issues.at(
                    &r.origin,
                    format!(
                        "foreign key references unknown column \"{c}\" of table \"{name}\"{hint}"
                    ),
                );
            }
        }
        if fk.ref_columns.len() != fk.columns.len() {
            issues.at(
                &r.origin,
                format!(
                    "foreign key has {} column(s) but references {} column(s) of table \"{name}\"",
                    fk.columns.len(),
                    fk.ref_columns.len()
                ),
            );
        }
    }
}

/// Primary key columns are NOT NULL (as the catalog reports them); enum
/// types named in the spec are qualified.
fn finish_table(t: &mut Table, enums: &BTreeMap<QualifiedName, EnumType>) {
    // An index key written bare that is exactly a column's name is that
    // column, even when the name has spaces or quotes that make it look
    // like an expression (`Nom "complet"`).
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    for k in t.indexes.iter_mut().flat_map(|i| i.keys.iter_mut()) {
        if k.is_expression && names.iter().any(|n| n == k.expr.trim()) {
            k.expr = k.expr.trim().to_string();
            k.is_expression = false;
        }
    }
    if let Some(pk) = &t.primary_key {
        for c in t.columns.iter_mut() {
            if pk.columns.contains(&c.name) {
                c.not_null = true;
            }
        }
    }
    for c in t.columns.iter_mut() {
        if let Some(q) = resolve_enum_type(&c.data_type, &t.name.schema, enums) {
            c.data_type = q;
        }
    }
}

/// `job_status[]` → `public.job_status[]` when it names a spec enum.
/// Unqualified names look in the table's schema, then `public`.
pub fn resolve_enum_type(
    ty: &str,
    own_schema: &str,
    enums: &BTreeMap<QualifiedName, EnumType>,
) -> Option<String> {
    let base = ty.trim_end_matches("[]").trim_end();
    let dims = &ty[base.len()..];
    let name = enum_lookup(base, own_schema, enums)?;
    Some(format!(
        "{}.{}{}",
        pg_ident(&name.schema),
        pg_ident(&name.name),
        dims.trim()
    ))
}

/// The enum a type name refers to, if any.
pub fn enum_lookup<'a>(
    base: &str,
    own_schema: &str,
    enums: &'a BTreeMap<QualifiedName, EnumType>,
) -> Option<&'a QualifiedName> {
    let literal = [own_schema, "public"].iter().find_map(|s| {
        enums
            .get_key_value(&QualifiedName::new(*s, base))
            .map(|(k, _)| k)
    });
    if literal.is_some() {
        return literal;
    }
    let parts = split_dotted(base).ok()?;
    lookup_table(&parts, own_schema, enums).map(|(k, _)| k)
}

/// An identifier as `format_type` prints it
/// ([`crate::pg::ident::quote_if_needed`]).
pub fn pg_ident(name: &str) -> String {
    crate::pg::ident::quote_if_needed(name).into_owned()
}

/// Relation names (tables, indexes, index-backed constraints) are unique
/// per schema; constraint names per table.
fn check_names(db: &Database, issues: &mut Issues) {
    let mut relations: HashMap<(String, String), (Origin, &'static str)> = HashMap::new();
    let mut claim = |schema: &str,
                     name: &str,
                     origin: &Origin,
                     kind: &'static str,
                     issues: &mut Issues| {
        let key = (schema.to_string(), name.to_string());
        match relations.get(&key) {
            Some((prev, prev_kind)) => issues.at(
                origin,
                format!(
                    "{kind} name \"{name}\" is already used by {} {prev_kind} in schema \"{schema}\" (at {prev})",
                    if prev_kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
                ),
            ),
            None => {
                relations.insert(key, (origin.clone(), kind));
            }
        }
    };
    for t in db.tables.values() {
        claim(&t.name.schema, &t.name.name, &t.origin, "table", issues);
    }
    for t in db.tables.values() {
        let s = &t.name.schema;
        if let Some(pk) = &t.primary_key {
            if let Some(n) = &pk.name {
                claim(s, n, &pk.origin, "primary key", issues);
            }
        }
        for u in &t.uniques {
            if let Some(n) = &u.name {
                claim(s, n, &u.origin, "unique constraint", issues);
            }
        }
        for x in &t.exclusions {
            if let Some(n) = &x.name {
                claim(s, n, &x.origin, "exclusion constraint", issues);
            }
        }
        for i in &t.indexes {
            if let Some(n) = &i.name {
                claim(s, n, &i.origin, "index", issues);
            }
        }
        check_constraint_names(t, issues);
    }
    for e in db.enums.values() {
        if let Some(t) = db.tables.get(&e.name) {
            issues.at(
                &e.origin,
                format!(
                    "enum \"{}\" has the same name as table declared at {}",
                    e.name, t.origin
                ),
            );
        }
    }
}

/// Views: a declared schema, a name no table holds.
fn check_views(db: &Database, issues: &mut Issues) {
    let declared = |s: &str| s == "public" || db.schemas.contains_key(s);
    for v in db.views.values() {
        if !declared(&v.name.schema) {
            issues.at(
                &v.origin,
                format!(
                    "schema \"{}\" of view \"{}\" is not declared (add it under schemas:)",
                    v.name.schema, v.name.name
                ),
            );
        }
        if let Some(t) = db.tables.get(&v.name) {
            issues.at(
                &v.origin,
                format!(
                    "view \"{}\" has the same name as the table declared at {}",
                    v.name, t.origin
                ),
            );
        }
    }
}

/// Standalone sequences: a declared schema, a name no table or enum
/// holds, an `OWNED BY` column that exists in a table of the same schema.
fn check_sequences(db: &Database, issues: &mut Issues) {
    let declared = |s: &str| s == "public" || db.schemas.contains_key(s);
    for s in db.sequences.values() {
        if !declared(&s.name.schema) {
            issues.at(
                &s.origin,
                format!(
                    "schema \"{}\" of sequence \"{}\" is not declared (add it under schemas:)",
                    s.name.schema, s.name.name
                ),
            );
        }
        let clash = db
            .tables
            .get(&s.name)
            .map(|t| ("table", &t.origin))
            .or(db.enums.get(&s.name).map(|e| ("enum", &e.origin)));
        if let Some((kind, at)) = clash {
            issues.at(
                &s.origin,
                format!(
                    "sequence \"{}\" has the same name as {kind} declared at {at}",
                    s.name
                ),
            );
        }
        let Some((table, column)) = &s.owned_by else {
            continue;
        };
        let message = match db.tables.get(table) {
            _ if table.schema != s.name.schema => format!(
                "sequence \"{}\" is owned_by a table of another schema (\"{table}\"): \
                 PostgreSQL requires the same schema",
                s.name
            ),
            None => format!(
                "sequence \"{}\" is owned_by table \"{table}\", which is not declared{}",
                s.name,
                did_you_mean(&table.name, db.tables.keys().map(|k| k.name.as_str()))
            ),
            Some(t) if t.column(column).is_none() => format!(
                "sequence \"{}\" is owned_by column \"{column}\", which table \"{table}\" does \
                 not have{}",
                s.name,
                did_you_mean(column, t.columns.iter().map(|c| c.name.as_str()))
            ),
            Some(_) => continue,
        };
        issues.at(&s.origin, message);
    }
}

fn check_constraint_names(t: &Table, issues: &mut Issues) {
    // (name, origin, index-backed): two index-backed names clashing were
    // already reported as a relation-name clash.
    let all: Vec<(&Option<String>, &Origin, bool)> = t
        .primary_key
        .iter()
        .map(|c| (&c.name, &c.origin, true))
        .chain(t.uniques.iter().map(|c| (&c.name, &c.origin, true)))
        .chain(t.exclusions.iter().map(|c| (&c.name, &c.origin, true)))
        .chain(t.foreign_keys.iter().map(|c| (&c.name, &c.origin, false)))
        .chain(t.checks.iter().map(|c| (&c.name, &c.origin, false)))
        .chain(
            t.columns
                .iter()
                .map(|c| (&c.not_null_name, &c.origin, false)),
        )
        .collect();
    let all = all
        .into_iter()
        .filter_map(|(n, o, b)| n.as_deref().map(|n| (n, o, b)));
    let mut seen: HashMap<&str, (&Origin, bool)> = HashMap::new();
    for (name, origin, backed) in all {
        match seen.get(name) {
            Some((_, true)) if backed => {}
            Some((prev, _)) => issues.at(
                origin,
                format!(
                    "constraint name \"{name}\" is used twice in table \"{}\" (first at {prev})",
                    t.name
                ),
            ),
            None => {
                seen.insert(name, (origin, backed));
            }
        }
    }
}
