//! The `sequences:` section: standalone sequences (not a column's `serial`
//! or identity sequence).
//!
//! ```yaml
//! sequences:
//!   invoice_number:
//!     as: integer
//!     start: 1000
//!     increment: 10
//!     owned_by: invoices.number
//!     comment: Shared by every invoice series
//!   global_id:            # every option PostgreSQL's default
//! ```

use marked_yaml::Node;

use super::column_map::{sequence_fields, SEQUENCE_KEYS};
use super::decode::{qualified, FileDecls};
use super::emit::Y;
use super::yaml::{entries, Pos, Reader};
use crate::model::{QualifiedName, StandaloneSequence};
use crate::pg::ident::{dotted_part, split_dotted};

pub(crate) const KEYS: &[&str] = &["schema", "comment", "renamed_from", "owned_by", "grants"];

pub(super) fn decode_sequences(r: &mut Reader<'_>, node: &Node, out: &mut FileDecls) {
    let Some(map) = r.map(node, "a map of sequence names to options") else {
        return;
    };
    for (key, pos, body) in entries(map) {
        let ctx = format!("sequence \"{key}\"");
        let mut s = StandaloneSequence::default();
        let mut schema = None;
        let mut owner = None;
        let mut own_grants = None;
        match body {
            Node::Mapping(m) => {
                own_grants = Some(m);
                let allowed: Vec<&str> = SEQUENCE_KEYS.iter().chain(KEYS).copied().collect();
                r.check_keys(m, &allowed, &ctx);
                s.options = sequence_fields(r, m);
                let mut text =
                    |k: &str, what: &str| m.get_node(k).and_then(|n| r.opt_string(n, what));
                s.comment = text("comment", "a string");
                s.renamed_from = text("renamed_from", "the sequence's previous name");
                schema = text("schema", "a schema name");
                owner = m.get_node("owned_by").and_then(|n| {
                    let text = r.string(n, "table.column")?;
                    Some((text, super::yaml::node_pos(n)))
                });
            }
            _ if super::yaml::is_null(body) => {}
            _ => {
                r.map(body, "a map of sequence options");
                continue;
            }
        }
        let Some(name) = qualified(r, key, pos, schema.as_deref().unwrap_or("public")) else {
            continue;
        };
        if let Some((text, at)) = owner {
            s.owned_by = owned_by(r, &text, at, &name.schema);
        }
        if let Some(m) = own_grants {
            let target = crate::acl::PrivTarget::Sequence(name.clone());
            super::grants::decode_on(r, m, target, &mut out.grants);
        }
        s.name = name;
        s.origin = r.origin(pos);
        out.sequences.push(s);
    }
}

/// `table.column` (a table of the sequence's schema) or
/// `schema.table.column`.
fn owned_by(
    r: &mut Reader<'_>,
    text: &str,
    at: Pos,
    schema: &str,
) -> Option<(QualifiedName, String)> {
    match split_dotted(text) {
        Ok(p) if p.len() == 2 => Some((QualifiedName::new(schema, &p[0]), p[1].clone())),
        Ok(p) if p.len() == 3 => Some((QualifiedName::new(&p[0], &p[1]), p[2].clone())),
        Ok(_) => {
            r.error(
                at,
                format!("owned_by \"{text}\" is not table.column (or schema.table.column)"),
            );
            None
        }
        Err(e) => {
            r.error(at, e);
            None
        }
    }
}

/// The YAML body of a standalone sequence (`{}`: nothing but defaults).
pub(super) fn sequence_y(s: &StandaloneSequence) -> Y {
    let mut m = super::write::sequence_entries(&s.options);
    if let Some((t, c)) = &s.owned_by {
        let table = if t.schema == s.name.schema {
            dotted_part(&t.name)
        } else {
            format!("{}.{}", dotted_part(&t.schema), dotted_part(&t.name))
        };
        m.push((
            "owned_by".into(),
            Y::str(format!("{table}.{}", dotted_part(c))),
        ));
    }
    if let Some(c) = &s.comment {
        m.push(("comment".into(), Y::str(c)));
    }
    Y::Map(m)
}
