//! CSV columns → table columns: header names match case-insensitively
//! (an exact match wins), `--map csv=table` renames, `--map csv=-` skips a
//! CSV column; table columns the CSV does not fill are left out of the
//! COPY so they get their defaults. Without a header, fields map by
//! position onto the table's loadable columns.
//!
//! An import spec adds, per table column, where the value comes from
//! (`from: NAME`, `from: N`, `constant:`) and its [`Rule`]; its `skip:`
//! names CSV columns to ignore. Spec problems are [`SpecIssue`]s at the
//! spec's `file:line:col`, all reported together.

use std::path::PathBuf;

use super::rules::{Nulls, Rule};
use super::ImportError;
use crate::copy::{CopyTarget, TableInfo, Value};
use crate::spec::yaml::{suggest, Pos};
use crate::spec::SpecIssue;

/// Where a COPY column's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The CSV field at this 0-based index.
    Field(usize),
    /// The same value in every row.
    Constant(Value),
}

/// How many fields every record must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Exact(usize),
    /// Headerless with `from: N`: fields past the last one used are ignored.
    AtLeast(usize),
}

/// Which CSV field feeds each COPY column, and its rules.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Table column names, in COPY order.
    pub columns: Vec<String>,
    pub sources: Vec<Source>,
    pub rules: Vec<Rule>,
    pub width: Width,
}

/// `from:` of a spec column.
#[derive(Debug, Clone, PartialEq)]
pub enum From {
    Name(String),
    /// 1-based field position.
    Position(usize),
}

/// One `columns:` entry of an import spec.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// The table column (the entry's key).
    pub name: String,
    pub pos: Pos,
    pub from: Option<(From, Pos)>,
    pub constant: Option<(String, Pos)>,
    /// `default:` as written; converted for the column in [`plan`].
    pub default: Option<(String, Pos)>,
    /// `rule.default` is filled by [`plan`].
    pub rule: Rule,
}

/// What an import spec says about columns (empty without a spec).
#[derive(Debug, Clone, Default)]
pub struct SpecColumns {
    /// The spec file, for messages.
    pub file: PathBuf,
    pub columns: Vec<ColumnSpec>,
    /// CSV header names to ignore.
    pub skip: Vec<(String, Pos)>,
    pub nulls: Nulls,
}

/// Problems found so far, each at the spec's `file:line:col`.
struct Issues<'a> {
    file: &'a PathBuf,
    list: Vec<SpecIssue>,
}

impl Issues<'_> {
    fn add(&mut self, at: Pos, message: impl Into<String>) {
        self.list.push(SpecIssue {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            message: message.into(),
        });
    }
}

/// Build the mapping from the header (`None`: headerless), the `--map`
/// renames and the spec, checking the spec against the live table.
pub fn plan(
    header: Option<&[String]>,
    table: &TableInfo,
    renames: &[(String, String)],
    spec: &SpecColumns,
) -> Result<Mapping, ImportError> {
    let mut issues = Issues {
        file: &spec.file,
        list: Vec::new(),
    };
    let specs = resolve_specs(table, spec, &mut issues);
    let mapping = match header {
        Some(h) => with_header(h, table, renames, spec, &specs, &mut issues),
        None => {
            for (_, at) in &spec.skip {
                issues.add(*at, "skip: names header columns, but the CSV has no header (format.header: false); without `from:` every field is loaded by position, with `from: N` unlisted fields are ignored");
            }
            headerless(table, renames, &specs, &mut issues)
        }
    };
    if !issues.list.is_empty() {
        issues.list.sort_by_key(|i| (i.line, i.column));
        return Err(ImportError::Spec(issues.list));
    }
    let m = mapping?;
    if m.columns.is_empty() {
        return Err(ImportError::Mapping(
            "no CSV column maps to the table".into(),
        ));
    }
    Ok(m)
}

/// A spec column checked against the table: its table name, constant and
/// default converted.
struct Resolved<'a> {
    spec: &'a ColumnSpec,
    column: String,
    constant: Option<Value>,
    rule: Rule,
}

fn resolve_specs<'a>(
    table: &TableInfo,
    spec: &'a SpecColumns,
    issues: &mut Issues,
) -> Vec<Resolved<'a>> {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let mut out: Vec<Resolved> = Vec::new();
    for c in &spec.columns {
        let Some(column) = find_column(table, &c.name) else {
            if let Some(why) = crate::pg::ident::too_long(&c.name) {
                issues.add(c.pos, format!("column {why}"));
                continue;
            }
            let hint = hint(&c.name, names.iter().copied());
            issues.add(
                c.pos,
                format!("table {} has no column \"{}\"{hint}", table.name, c.name),
            );
            continue;
        };
        if out.iter().any(|r| r.column == column) {
            issues.add(c.pos, format!("column \"{column}\" is listed twice"));
            continue;
        }
        let info = table.column(&column).expect("found above");
        if info.generated {
            issues.add(
                c.pos,
                format!("column \"{column}\" is generated: it cannot be loaded"),
            );
            continue;
        }
        let check = |text: &str| -> Result<Value, String> {
            let v = super::coerce::value_with(text, &info.kind, &c.rule.parse)?;
            // The encoder's own checks (enum labels, lengths, ranges) too.
            let target = CopyTarget::new(table, &[column.as_str()]).map_err(|e| e.to_string())?;
            let mut batch = target.batch();
            batch
                .push_row(&target, std::slice::from_ref(&v))
                .map_err(|e| e.to_string())?;
            Ok(v)
        };
        let mut rule = c.rule.clone();
        if let Some((text, at)) = &c.default {
            match check(text) {
                Ok(v) => rule.default = Some(v),
                Err(why) => issues.add(*at, format!("default for \"{column}\": {why}")),
            }
        }
        let constant = c
            .constant
            .as_ref()
            .and_then(|(text, at)| match check(text) {
                Ok(v) => Some(v),
                Err(why) => {
                    issues.add(*at, format!("constant for \"{column}\": {why}"));
                    None
                }
            });
        out.push(Resolved {
            spec: c,
            column,
            constant,
            rule,
        });
    }
    out
}

fn with_header(
    header: &[String],
    table: &TableInfo,
    renames: &[(String, String)],
    spec: &SpecColumns,
    specs: &[Resolved],
    issues: &mut Issues,
) -> Result<Mapping, ImportError> {
    for (from, _) in renames {
        if !header.iter().any(|h| h == from) {
            return Err(ImportError::Mapping(format!(
                "--map {}=…: the CSV header has no column {from:?} (header: {})",
                crate::escape::line(from),
                names_list(header.iter().map(String::as_str))
            )));
        }
    }
    let mut claimed = vec![false; header.len()];
    let mut m = Mapping {
        columns: Vec::new(),
        sources: Vec::new(),
        rules: Vec::new(),
        width: Width::Exact(header.len()),
    };
    let hnames = || header.iter().map(String::as_str);
    for (name, at) in &spec.skip {
        match find_name(header, name) {
            Some(i) => claimed[i] = true,
            None => issues.add(
                *at,
                format!(
                    "skip: the CSV header has no column \"{name}\"{}",
                    hint(name, hnames())
                ),
            ),
        }
    }
    // Spec columns first, in spec order; a renamed header name (`--map`)
    // matches the table column it renames to.
    for r in specs {
        let source = match (&r.constant, &r.spec.from) {
            (Some(v), _) => Source::Constant(v.clone()),
            (None, Some((From::Position(n), at))) if *n > header.len() => {
                issues.add(
                    *at,
                    format!("from: {n}, but the header has {} columns", header.len()),
                );
                continue;
            }
            (None, Some((From::Position(n), _))) => Source::Field(n - 1),
            (None, Some((From::Name(name), at))) => match find_name(header, name) {
                Some(i) => Source::Field(i),
                None => {
                    let hint = hint(name, hnames());
                    issues.add(
                        *at,
                        format!("the CSV header has no column \"{name}\"{hint}"),
                    );
                    continue;
                }
            },
            (None, None) => match header_for(header, renames, &r.column) {
                Some(i) => Source::Field(i),
                None => {
                    let hint = hint(&r.spec.name, hnames());
                    issues.add(
                        r.spec.pos,
                        format!(
                            "the CSV header has no column \"{}\"{hint} (name it with `from:`)",
                            r.spec.name
                        ),
                    );
                    continue;
                }
            },
        };
        if let Source::Field(i) = source {
            claimed[i] = true;
        }
        m.columns.push(r.column.clone());
        m.sources.push(source);
        m.rules.push(r.rule.clone());
    }
    auto_map(header, table, renames, &claimed, &mut m)?;
    Ok(m)
}

/// The header fields no spec entry claimed: by name (and `--map`), as
/// without a spec.
fn auto_map(
    header: &[String],
    table: &TableInfo,
    renames: &[(String, String)],
    claimed: &[bool],
    m: &mut Mapping,
) -> Result<(), ImportError> {
    let mut unknown = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if claimed[i] {
            continue;
        }
        let wanted = renamed(renames, h);
        if wanted == "-" {
            continue;
        }
        let Some(col) = find_column(table, wanted) else {
            unknown.push(h.clone());
            continue;
        };
        if m.columns.contains(&col) {
            return Err(ImportError::Mapping(format!(
                "two CSV columns map to table column {col:?} of {}",
                table.name
            )));
        }
        m.columns.push(col);
        m.sources.push(Source::Field(i));
        m.rules.push(Rule::default());
    }
    if !unknown.is_empty() {
        let names = names_list(table.columns.iter().map(|c| c.name.as_str()));
        return Err(ImportError::Mapping(format!(
            "CSV column(s) {} match no column of {} (its columns: {}); rename with --map csv_col=table_col or skip with --map csv_col=- (or `skip:` in the spec)",
            unknown.iter().map(|u| format!("{u:?}")).collect::<Vec<_>>().join(", "),
            table.name,
            names
        )));
    }
    Ok(())
}

/// Without a header: field `i` is the table's `i`-th loadable column
/// (constant columns left out), unless spec columns say `from: N`: then
/// exactly those (and the constants) are loaded.
fn headerless(
    table: &TableInfo,
    renames: &[(String, String)],
    specs: &[Resolved],
    issues: &mut Issues,
) -> Result<Mapping, ImportError> {
    if !renames.is_empty() {
        return Err(ImportError::Mapping(
            "--map needs a header (it renames header names); drop --no-header".into(),
        ));
    }
    let explicit = specs.iter().any(|r| r.spec.from.is_some());
    let mut m = Mapping {
        columns: Vec::new(),
        sources: Vec::new(),
        rules: Vec::new(),
        width: Width::Exact(0),
    };
    let rule_of = |name: &str| specs.iter().find(|r| r.column == name);
    if !explicit {
        let mut n = 0;
        for c in table.columns.iter().filter(|c| !c.generated) {
            let r = rule_of(&c.name);
            if r.is_some_and(|r| r.constant.is_some()) {
                continue;
            }
            m.columns.push(c.name.clone());
            m.sources.push(Source::Field(n));
            m.rules.push(r.map(|r| r.rule.clone()).unwrap_or_default());
            n += 1;
        }
        m.width = Width::Exact(n);
    }
    let mut widest = 0;
    for r in specs {
        let source = match (&r.constant, &r.spec.from) {
            (Some(v), _) => Source::Constant(v.clone()),
            (None, _) if !explicit => continue, // mapped by position above
            (None, Some((From::Position(n), _))) => {
                widest = widest.max(*n);
                Source::Field(n - 1)
            }
            (None, Some((From::Name(_), at))) => {
                issues.add(*at, "the CSV has no header (format.header: false): use `from: N` (1-based position)");
                continue;
            }
            (None, None) => {
                issues.add(
                    r.spec.pos,
                    "without a header, once a column says `from: N` every CSV column loaded needs one",
                );
                continue;
            }
        };
        m.columns.push(r.column.clone());
        m.sources.push(source);
        m.rules.push(r.rule.clone());
    }
    if explicit {
        m.width = Width::AtLeast(widest);
    }
    Ok(m)
}

/// Column or header names for a message, each on the message's line
/// (a name may hold a newline or an escape sequence: [`crate::escape::ident`]).
fn names_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(crate::escape::ident)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `; did you mean "x"?` ignoring case (CSV headers often shout).
fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = candidates.into_iter().collect();
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    suggest(&word.to_lowercase(), lower.iter().map(String::as_str))
        .and_then(|s| lower.iter().position(|l| l == s))
        .map(|i| format!("; did you mean \"{}\"?", names[i]))
        .unwrap_or_default()
}

fn renamed<'a>(renames: &'a [(String, String)], h: &'a str) -> &'a str {
    renames
        .iter()
        .find(|(from, _)| from == h)
        .map(|(_, to)| to.as_str())
        .unwrap_or(h)
}

/// The header field that names table column `column` (directly or
/// through `--map`).
fn header_for(header: &[String], renames: &[(String, String)], column: &str) -> Option<usize> {
    let names: Vec<String> = header
        .iter()
        .map(|h| renamed(renames, h).to_string())
        .collect();
    find_name(&names, column)
}

/// Exact name first, then a unique case-insensitive match.
fn find_name(names: &[String], name: &str) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| n == name) {
        return Some(i);
    }
    let mut hits = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.eq_ignore_ascii_case(name.trim()));
    match (hits.next(), hits.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Exact name first, then a unique case-insensitive match.
fn find_column(table: &TableInfo, name: &str) -> Option<String> {
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    find_name(&names, name).map(|i| names[i].clone())
}

/// `csv_col=table_col` (or `csv_col=-`).
pub fn parse_rename(s: &str) -> Result<(String, String), ImportError> {
    match s.split_once('=') {
        Some((_, b)) if crate::pg::ident::too_long(b).is_some() => {
            let why = crate::pg::ident::too_long(b).unwrap_or_default();
            Err(ImportError::Mapping(format!("--map …={why}")))
        }
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(ImportError::Mapping(format!(
            "--map {s:?}: expected csv_col=table_col or csv_col=-"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_target_longer_than_a_name_is_refused() {
        let long = format!("a={}", "c".repeat(64));
        let e = parse_rename(&long).unwrap_err().to_string();
        assert!(e.contains("64 bytes"), "{e}");
        assert!(parse_rename(&format!("a={}", "c".repeat(63))).is_ok());
    }
}
