//! Warnings the library raises while it works (an unsupported server
//! version, say), handed to whoever the edge installed: the CLI prints
//! them on stderr, tests collect them. The library itself never prints.
//!
//! `warn_once` keys each warning so that a command reading five databases
//! on one old server says so once.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

type Handler = Box<dyn Fn(&str) + Send + Sync>;

fn handler() -> &'static Mutex<Option<Handler>> {
    static H: OnceLock<Mutex<Option<Handler>>> = OnceLock::new();
    H.get_or_init(|| Mutex::new(None))
}

/// Route warnings to `f` (replacing any earlier handler). Without a
/// handler warnings are dropped.
pub fn set_handler(f: impl Fn(&str) + Send + Sync + 'static) {
    if let Ok(mut h) = handler().lock() {
        *h = Some(Box::new(f));
    }
}

/// Raise `message` unless a warning with the same `key` was raised before
/// in this process.
pub fn warn_once(key: &str, message: &str) {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Ok(mut s) = seen.lock() {
        if !s.insert(key.to_string()) {
            return;
        }
    }
    if let Ok(h) = handler().lock() {
        if let Some(f) = h.as_ref() {
            f(message);
        }
    }
}
