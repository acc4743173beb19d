//! Edges of GRANT / REVOKE ([`PrivilegeChange`]): after the object exists
//! in its new form. The diff never grants on an object that goes, so no
//! drop has to wait for a privilege change.

use super::deps::{Deps, Key};
use crate::acl::PrivTarget;
use crate::diff::privileges::PrivilegeChange;

pub fn deps(change: &PrivilegeChange, d: &mut Deps) {
    target(&change.target, d)
}

/// After `target` exists (also what an owner change waits for).
pub fn target(target: &PrivTarget, d: &mut Deps) {
    match target {
        PrivTarget::Schema(s) => d.needs.push(Key::Schema(s.clone())),
        PrivTarget::Table(t) => d
            .needs
            .extend([Key::Table(t.clone()), Key::View(t.clone())]),
        // An owned sequence comes with its table (or a serial column).
        PrivTarget::Sequence(s) => {
            d.needs
                .extend([Key::Sequence(s.clone()), Key::NewSequences, Key::NewTables])
        }
        PrivTarget::Column(t, c) => d.needs.extend([
            Key::Table(t.clone()),
            Key::View(t.clone()),
            Key::Column(t.clone(), c.clone()),
        ]),
        PrivTarget::Routine(n, i) => d.needs.push(Key::Function(n.clone(), i.clone())),
        PrivTarget::Type(t) => d.needs.extend([Key::Type(t.clone()), Key::NewTypes]),
    }
}
