//! Names longer than PostgreSQL keeps. An identifier holds at most
//! NAMEDATALEN - 1 = 63 bytes; PostgreSQL cuts a longer one (on a UTF-8
//! character boundary) with only a NOTICE, so the object gets a name other
//! than the one written, and two names that differ after byte 63 become
//! one. strata refuses every such name where the YAML declares it.
//!
//! Names strata does not declare but derives (the default names of
//! constraints and indexes, serial sequences) are cut the way PostgreSQL
//! cuts them instead (`names::make_object_name`): a long table name is
//! valid, its `…_pkey` simply gets shortened.

use crate::model::{Database, Origin};

use super::SpecIssue;
use crate::pg::ident::{clip, MAX_IDENT};

/// Append an issue for every declared name of `db` over [`MAX_IDENT`] bytes.
pub fn check(db: &Database, out: &mut Vec<SpecIssue>) {
    let mut c = Checker(out);
    for ns in db.schemas.values() {
        c.name("schema", &ns.name, &ns.origin);
    }
    for e in db.extensions.values() {
        c.name("extension", &e.name, &e.origin);
    }
    for e in db.enums.values() {
        // (Labels are checked where decoded, at their own position.)
        c.name("enum", &e.name.name, &e.origin);
    }
    for s in db.sequences.values() {
        c.name("sequence", &s.name.name, &s.origin);
        c.opt("renamed_from", &s.renamed_from, &s.origin);
    }
    for d in db.domains.values() {
        c.name("domain", &d.name.name, &d.origin);
        c.opt("renamed_from", &d.renamed_from, &d.origin);
        for k in &d.checks {
            c.opt("check constraint", &k.name, &k.origin);
        }
    }
    for t in db.composites.values() {
        c.name("type", &t.name.name, &t.origin);
        for a in &t.attributes {
            c.name("attribute", &a.name, &t.origin);
        }
    }
    for r in db.ranges.values() {
        c.name("type", &r.name.name, &r.origin);
        c.opt("multirange", &r.multirange_name, &r.origin);
    }
    for k in db.collations.values() {
        c.name("collation", &k.name.name, &k.origin);
    }
    for v in db.views.values() {
        c.name("view", &v.name.name, &v.origin);
        c.opt("renamed_from", &v.renamed_from, &v.origin);
        for i in &v.indexes {
            c.opt("index", &i.name, &i.origin);
        }
    }
    for t in db.tables.values() {
        c.name("table", &t.name.name, &t.origin);
        c.opt("renamed_from", &t.renamed_from, &t.origin);
        for col in &t.columns {
            c.name("column", &col.name, &col.origin);
            c.opt("renamed_from", &col.renamed_from, &col.origin);
            c.opt("NOT NULL constraint", &col.not_null_name, &col.origin);
        }
        if let Some(pk) = &t.primary_key {
            c.opt("primary key", &pk.name, &pk.origin);
        }
        for fk in &t.foreign_keys {
            c.opt("foreign key", &fk.name, &fk.origin);
        }
        for u in &t.uniques {
            c.opt("unique constraint", &u.name, &u.origin);
        }
        for k in &t.checks {
            c.opt("check constraint", &k.name, &k.origin);
        }
        for x in &t.exclusions {
            c.opt("exclusion constraint", &x.name, &x.origin);
        }
        for i in &t.indexes {
            c.opt("index", &i.name, &i.origin);
        }
    }
}

struct Checker<'a>(&'a mut Vec<SpecIssue>);

impl Checker<'_> {
    fn opt(&mut self, what: &str, name: &Option<String>, o: &Origin) {
        if let Some(n) = name {
            self.name(what, n, o);
        }
    }

    fn name(&mut self, what: &str, name: &str, o: &Origin) {
        if name.len() <= MAX_IDENT {
            return;
        }
        self.0.push(SpecIssue {
            file: o.file.clone().unwrap_or_default(),
            line: o.line,
            column: o.column,
            message: format!(
                "{what} name \"{}…\" is {} bytes: PostgreSQL keeps only the first {MAX_IDENT} \
                 (the part shown), so the object would get another name and could collide \
                 with one whose name starts the same; shorten it",
                clip(name, MAX_IDENT),
                name.len()
            ),
        });
    }
}
