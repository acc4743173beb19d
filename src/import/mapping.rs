//! CSV columns → table columns: header names match case-insensitively
//! (an exact match wins), `--map csv=table` renames, `--map csv=-` skips a
//! CSV column; table columns the CSV does not fill are left out of the
//! COPY so they get their defaults. Without a header, fields map by
//! position onto the table's loadable columns.

use super::ImportError;
use crate::copy::TableInfo;

/// Which CSV field feeds each COPY column.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// Table column names, in COPY order.
    pub columns: Vec<String>,
    /// For each COPY column, the index of the CSV field it comes from.
    pub fields: Vec<usize>,
    /// Fields every record must have.
    pub width: usize,
}

/// Map a header onto the table.
pub fn from_header(
    header: &[String],
    table: &TableInfo,
    renames: &[(String, String)],
) -> Result<Mapping, ImportError> {
    for (from, _) in renames {
        if !header.iter().any(|h| h == from) {
            return Err(ImportError::Mapping(format!(
                "--map {from}=…: the CSV header has no column {from:?} (header: {})",
                header.join(", ")
            )));
        }
    }
    let (mut columns, mut fields, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    for (i, h) in header.iter().enumerate() {
        let wanted = renames
            .iter()
            .find(|(from, _)| from == h)
            .map(|(_, to)| to.as_str())
            .unwrap_or(h.as_str());
        if wanted == "-" {
            continue;
        }
        let Some(col) = find_column(table, wanted) else {
            unknown.push(h.clone());
            continue;
        };
        if columns.contains(&col) {
            return Err(ImportError::Mapping(format!(
                "two CSV columns map to table column {col:?} of {}",
                table.name
            )));
        }
        columns.push(col);
        fields.push(i);
    }
    if !unknown.is_empty() {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        return Err(ImportError::Mapping(format!(
            "CSV column(s) {} match no column of {} (its columns: {}); rename with --map csv_col=table_col or skip with --map csv_col=-",
            unknown.iter().map(|u| format!("{u:?}")).collect::<Vec<_>>().join(", "),
            table.name,
            names.join(", ")
        )));
    }
    if columns.is_empty() {
        return Err(ImportError::Mapping(
            "no CSV column maps to the table".into(),
        ));
    }
    Ok(Mapping {
        columns,
        fields,
        width: header.len(),
    })
}

/// Without a header: field `i` is the table's `i`-th loadable column.
pub fn by_position(table: &TableInfo) -> Mapping {
    let columns: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !c.generated)
        .map(|c| c.name.clone())
        .collect();
    Mapping {
        fields: (0..columns.len()).collect(),
        width: columns.len(),
        columns,
    }
}

/// Exact name first, then a unique case-insensitive match.
fn find_column(table: &TableInfo, name: &str) -> Option<String> {
    if let Some(c) = table.column(name) {
        return Some(c.name.clone());
    }
    let mut hits = table
        .columns
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(name.trim()));
    match (hits.next(), hits.next()) {
        (Some(c), None) => Some(c.name.clone()),
        _ => None,
    }
}

/// `csv_col=table_col` (or `csv_col=-`).
pub fn parse_rename(s: &str) -> Result<(String, String), ImportError> {
    match s.split_once('=') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(ImportError::Mapping(format!(
            "--map {s:?}: expected csv_col=table_col or csv_col=-"
        ))),
    }
}
