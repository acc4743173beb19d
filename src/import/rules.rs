//! Per-column rules of an import spec, applied to each field in a fixed
//! order (docs/import-format.md, "Rules"):
//!
//! 1. null markers (`format.null`, after `format.trim`) → NULL;
//! 2. transforms in list order (trim, lower, upper, replace), then `map:`;
//! 3. `required`: NULL or blank now rejects the row;
//! 4. `default:` replaces NULL;
//! 5. type coercion (with the column's `format:` and `array:` options);
//! 6. `on_error` when 5 (or the COPY encoder's own check) fails.
//!
//! The NOT NULL check comes after all of them (in the validator).

use std::borrow::Cow;

use regex::Regex;

use super::coerce::{self, Parse};
use crate::copy::{Kind, Value};

/// One transform step.
#[derive(Debug, Clone)]
pub enum Transform {
    Trim,
    Lower,
    Upper,
    /// Every match of the pattern replaced (`$1` refers to groups).
    Replace {
        pattern: Regex,
        with: String,
    },
}

/// What a value that does not convert becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// The row goes to the rejects file (the default).
    #[default]
    Reject,
    /// The value becomes NULL (a NOT NULL column still rejects the row).
    Null,
    /// The rule's `default:` value (required when `on_error: default`).
    Default,
}

/// The rules of one table column. `Rule::default()` is "no rules": the
/// plain import of a column the CSV maps by name.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    pub required: bool,
    pub transforms: Vec<Transform>,
    /// `map:` pairs; a `None` target maps the value to NULL.
    pub map: Vec<(String, Option<String>)>,
    /// A value `map:` does not list rejects the row (else it is kept).
    pub map_strict: bool,
    /// `default:` already converted for the column (checked before any
    /// row is read).
    pub default: Option<Value>,
    pub on_error: OnError,
    pub parse: Parse,
}

/// What the format applies to every field before the column's rules.
#[derive(Debug, Clone)]
pub struct Nulls {
    pub markers: Vec<String>,
    pub trim: bool,
}

impl Default for Nulls {
    fn default() -> Self {
        Nulls {
            markers: vec![String::new(), "\\N".into()],
            trim: false,
        }
    }
}

impl Rule {
    /// The value of one field for a column of `kind`; `Err` is the reject
    /// reason.
    pub fn cell(&self, field: &str, nulls: &Nulls, kind: &Kind) -> Result<Value, String> {
        let field = if nulls.trim { field.trim() } else { field };
        let mut text: Option<Cow<str>> = if nulls.markers.iter().any(|m| m == field) {
            None
        } else {
            Some(Cow::Borrowed(field))
        };
        if let Some(t) = text {
            text = self.transform(t)?;
        }
        if self.required && text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err("required, but empty".into());
        }
        let Some(text) = text else {
            return Ok(self.default.clone().unwrap_or(Value::Null));
        };
        match coerce::value_with(&text, kind, &self.parse) {
            Ok(Value::Null) if self.default.is_some() => Ok(self.default.clone().unwrap()),
            Ok(v) => Ok(v),
            Err(why) => self.fallback().ok_or(why),
        }
    }

    /// What `on_error` puts in place of a bad value; `None` to reject.
    pub fn fallback(&self) -> Option<Value> {
        match self.on_error {
            OnError::Reject => None,
            OnError::Null => Some(Value::Null),
            OnError::Default => self.default.clone(),
        }
    }

    /// Transforms then `map:`; `Ok(None)` when the map says NULL.
    fn transform<'a>(&self, text: Cow<'a, str>) -> Result<Option<Cow<'a, str>>, String> {
        let mut t = text;
        for step in &self.transforms {
            t = match step {
                Transform::Trim => match t {
                    Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
                    Cow::Owned(o) => Cow::Owned(o.trim().to_string()),
                },
                Transform::Lower => Cow::Owned(t.to_lowercase()),
                Transform::Upper => Cow::Owned(t.to_uppercase()),
                Transform::Replace { pattern, with } => {
                    Cow::Owned(pattern.replace_all(&t, with.as_str()).into_owned())
                }
            };
        }
        if self.map.is_empty() {
            return Ok(Some(t));
        }
        match self.map.iter().find(|(from, _)| *from == *t) {
            Some((_, to)) => Ok(to.clone().map(Cow::Owned)),
            None if self.map_strict => Err(format!("{:?} is not in `map:` (map_strict)", &*t)),
            None => Ok(Some(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> Kind {
        Kind::Text { max_chars: None }
    }

    #[test]
    fn order_of_rules() {
        let rule = Rule {
            required: true,
            transforms: vec![
                Transform::Trim,
                Transform::Upper,
                Transform::Replace {
                    pattern: Regex::new("[^A-Z0-9]").unwrap(),
                    with: String::new(),
                },
            ],
            map: vec![("AB1".into(), Some("mapped".into())), ("X".into(), None)],
            ..Rule::default()
        };
        let n = Nulls::default();
        assert_eq!(
            rule.cell(" a-b1 ", &n, &text()),
            Ok(Value::Text("mapped".into()))
        );
        assert_eq!(rule.cell("zz", &n, &text()), Ok(Value::Text("ZZ".into())));
        assert!(rule.cell("x", &n, &text()).is_err()); // mapped to NULL, required
        assert!(rule.cell("", &n, &text()).is_err());
        assert!(rule.cell("   ", &n, &text()).is_err());
    }

    #[test]
    fn on_error_and_default() {
        let mut rule = Rule {
            on_error: OnError::Null,
            ..Rule::default()
        };
        let n = Nulls::default();
        assert_eq!(rule.cell("abc", &n, &Kind::Int4), Ok(Value::Null));
        rule.on_error = OnError::Default;
        rule.default = Some(Value::Int(7));
        assert_eq!(rule.cell("abc", &n, &Kind::Int4), Ok(Value::Int(7)));
        assert_eq!(rule.cell("", &n, &Kind::Int4), Ok(Value::Int(7)));
        rule.on_error = OnError::Reject;
        assert!(rule.cell("abc", &n, &Kind::Int4).is_err());
    }
}
