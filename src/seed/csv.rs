//! Just enough CSV (RFC 4180: quoted fields, doubled quotes, newlines
//! inside quotes) to read one column of a fixtures file for `one_of_file`.

/// The values of the column named `name` (first record = header).
pub fn column(text: &str, name: &str) -> Result<Vec<String>, String> {
    let mut records = records(text).into_iter();
    let header = records.next().ok_or("the file is empty")?;
    let idx = header
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| {
            format!(
                "no column \"{name}\"{} (header: {})",
                crate::spec::yaml::did_you_mean(name, header.iter().map(String::as_str)),
                header.join(", ")
            )
        })?;
    Ok(records
        .filter_map(|mut rec| (idx < rec.len()).then(|| std::mem::take(&mut rec[idx])))
        .filter(|v| !v.is_empty())
        .collect())
}

fn records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => rec.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut rec));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        out.push(rec);
    }
    out.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_quoted_column() {
        let text = "id,smiles,note\n1,CCO,\"a, b\"\n2,\"C\"\"N\",x\n\n3,c1ccccc1,\"multi\nline\"\n";
        assert_eq!(
            super::column(text, "smiles").unwrap(),
            vec!["CCO", "C\"N", "c1ccccc1"]
        );
        assert_eq!(
            super::column(text, "note").unwrap(),
            vec!["a, b", "x", "multi\nline"]
        );
        assert!(super::column(text, "smile")
            .unwrap_err()
            .contains("did you mean \"smiles\""));
    }
}
