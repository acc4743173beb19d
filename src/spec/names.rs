//! Names: the dotted name syntax of the YAML files (`app.users`,
//! `"odd.name"`), and the names PostgreSQL picks for constraints and
//! indexes created without one (so `strata pull` can omit them).

/// NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes.
pub const MAX_IDENT: usize = 63;

/// Split a dotted name into its literal parts. Parts are taken as written
/// (no case folding); a part in double quotes may contain dots, spaces,
/// parentheses, and `""` for a quote.
pub fn split_dotted(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("unterminated quoted name in \"{text}\"")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(format!("misplaced quote in name \"{text}\""));
                }
                part.push(c);
                chars.next();
            }
            part = part.trim().to_string();
        }
        if part.is_empty() {
            return Err(format!("empty name part in \"{text}\""));
        }
        parts.push(part);
        match chars.next() {
            None => return Ok(parts),
            Some('.') => continue,
            Some(c) => {
                return Err(format!(
                    "unexpected '{c}' after a quoted name in \"{text}\""
                ))
            }
        }
    }
}

/// One part of a dotted name as the writer renders it: bare when it reads
/// back unchanged, otherwise double-quoted.
pub fn dotted_part(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Why `name` cannot name anything in PostgreSQL (it is longer than an
/// identifier holds), for the messages of inputs that refer to objects
/// (import specs, seed profiles): `None` when it fits.
pub fn too_long(name: &str) -> Option<String> {
    (name.len() > MAX_IDENT).then(|| {
        format!(
            "\"{}…\" is {} bytes, and a PostgreSQL name holds at most {MAX_IDENT} \
             (longer ones are cut, so it could only match another object)",
            clip(name, MAX_IDENT),
            name.len()
        )
    })
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary (PostgreSQL's `pg_mbcliplen`).
pub fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// PostgreSQL's `makeObjectName`: `name1_name2_label`, chopping the longer
/// of name1/name2 one byte at a time until the result fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = MAX_IDENT.saturating_sub(overhead);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// PostgreSQL's `ChooseRelationName` / `ChooseConstraintName`: the first
/// of `name1_name2_label`, `name1_name2_label1`, `…label2`, … that
/// `taken` does not hold. The number goes into the label *before* the
/// name is cut to 63 bytes, as in PostgreSQL: appending it afterwards
/// would make a 64-byte name that PostgreSQL cuts back onto the first.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut name = make_object_name(name1, name2, label);
    let mut pass = 0;
    while taken(&name) {
        pass += 1;
        name = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    name
}

/// PostgreSQL's `ChooseIndexNameAddition` (also used for foreign keys):
/// names joined with `_`, stopping once the buffer reaches NAMEDATALEN.
pub fn name_addition(names: &[String]) -> String {
    let mut buf = String::new();
    for name in names {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip(name, MAX_IDENT));
        if buf.len() > MAX_IDENT {
            break;
        }
    }
    buf
}

/// PostgreSQL's `ChooseIndexColumnNames`: one name per index column
/// (`None` = an expression PostgreSQL would call `expr`), made unique by
/// appending 1, 2, … .
pub fn index_column_names(names: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let orig = name.clone().unwrap_or_else(|| "expr".to_string());
        let mut cur = orig.clone();
        let mut i = 1;
        while out.contains(&cur) {
            let suffix = i.to_string();
            cur = format!("{}{suffix}", clip(&orig, MAX_IDENT - suffix.len()));
            i += 1;
        }
        out.push(cur);
    }
    out
}

pub fn default_pkey_name(table: &str) -> String {
    make_object_name(table, None, "pkey")
}

/// Default name of a unique constraint (`key`), exclusion constraint
/// (`excl`), plain index (`idx`) or foreign key (`fkey`) over `columns`.
pub fn default_name(table: &str, columns: &[String], label: &str) -> String {
    make_object_name(table, Some(&name_addition(columns)), label)
}

/// Default name of a CHECK constraint: `{table}_{col}_check` when the
/// expression mentions exactly one column, else `{table}_check`.
pub fn default_check_name(table: &str, single_column: Option<&str>) -> String {
    make_object_name(table, single_column, "check")
}

/// The column name PostgreSQL derives for an index expression
/// (`FigureIndexColname`), for the forms `pull` meets in practice: a
/// function call spanning the whole expression gives the function's name.
/// `None` when unsure: the caller then keeps the index name explicit.
pub fn expression_column_name(expr: &str) -> Option<String> {
    let expr = expr.trim();
    let open = expr.find('(')?;
    let func = &expr[..open];
    if func.is_empty() || !expr.ends_with(')') || matching_paren(expr, open)? != expr.len() - 1 {
        return None;
    }
    let last = func.rsplit('.').next()?;
    if !last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(last.to_ascii_lowercase())
}

/// Byte index of the `)` closing the `(` at `open`, skipping quotes.
pub fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Columns of `columns` that `expr` mentions (outside string literals,
/// not as function names or after `::`), deduplicated, in first-seen order.
pub fn mentioned_columns(expr: &str, columns: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut after_cast = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            continue;
        }
        let ident = if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' && chars.get(i + 1) == Some(&'"') {
                    s.push('"');
                    i += 2;
                } else if chars[i] == '"' {
                    i += 1;
                    break;
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            Some(s)
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            Some(chars[start..i].iter().collect::<String>())
        } else {
            after_cast = c == ':' && chars.get(i + 1) == Some(&':');
            i += if after_cast { 2 } else { 1 };
            None
        };
        if let Some(id) = ident {
            let is_call = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
            if !after_cast && !is_call && columns.contains(&id.as_str()) && !found.contains(&id) {
                found.push(id);
            }
            after_cast = false;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_like_postgres() {
        let long = "a".repeat(60);
        let name = default_name(&long, &["email".to_string()], "key");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_email_key") || name.ends_with("_key"));
        assert_eq!(
            default_pkey_name(&"t".repeat(70)),
            format!("{}_pkey", "t".repeat(58))
        );
    }

    /// Names PostgreSQL 15 chose for unnamed objects (captured from a real
    /// server for this test).
    #[test]
    fn matches_postgres_choices() {
        let t = "Weird Table";
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            default_name(t, &v(&["B c", "y"]), "key"),
            "Weird Table_B c_y_key"
        );
        assert_eq!(default_check_name(t, None), "Weird Table_check");
        assert_eq!(default_check_name(t, Some("x")), "Weird Table_x_check");
        assert_eq!(default_pkey_name(t), "Weird Table_pkey");
        let cols = index_column_names(&[
            Some("lower".into()),
            Some("upper".into()),
            Some("lower".into()),
        ]);
        assert_eq!(
            default_name(t, &cols, "idx"),
            "Weird Table_lower_upper_lower1_idx"
        );
        assert_eq!(
            default_name(t, &v(&["email", "x"]), "idx"),
            "Weird Table_email_x_idx"
        );
        let cols = index_column_names(&[Some("x".into()), None]);
        assert_eq!(default_name(t, &cols, "excl"), "Weird Table_x_expr_excl");
        let long_t = "t".repeat(63);
        let long_c = "é".repeat(31);
        assert_eq!(
            default_name(&long_t, &[long_c], "fkey"),
            format!("{}_{}_fkey", "t".repeat(29), "é".repeat(14))
        );
    }

    /// Captured from PostgreSQL 15: two unique constraints on a 63-byte
    /// table whose default names collide once cut.
    #[test]
    fn numbered_names_are_cut_after_numbering() {
        let t = "t".repeat(63);
        let a = format!("{}1", "a".repeat(40));
        let first = choose_name(&t, Some(&a), "key", |_| false);
        assert_eq!(first, format!("{}_{}_key", &t[..29], &a[..29]));
        let second = choose_name(&t, Some(&a), "key", |n| n == first);
        assert_eq!(second, format!("{}_{}_key1", &t[..29], &a[..28]));
        assert_eq!(choose_name("t", None, "pkey", |n| n == "t_pkey"), "t_pkey1");
    }

    #[test]
    fn dotted_names() {
        assert_eq!(split_dotted("app.users").unwrap(), vec!["app", "users"]);
        assert_eq!(split_dotted("\"a.b\".c").unwrap(), vec!["a.b", "c"]);
        assert_eq!(split_dotted("\"x\"\"y\"").unwrap(), vec!["x\"y"]);
        assert!(split_dotted("a..b").is_err());
    }

    #[test]
    fn expression_names() {
        assert_eq!(
            expression_column_name("lower((email)::text)"),
            Some("lower".into())
        );
        assert_eq!(expression_column_name("lower(a) || b"), None);
        assert_eq!(expression_column_name("(a + b)"), None);
    }

    #[test]
    fn check_columns() {
        let cols = ["price", "status"];
        assert_eq!(
            mentioned_columns("(price > (0)::numeric)", &cols),
            vec!["price"]
        );
        assert_eq!(
            mentioned_columns("((status)::text = 'price'::text)", &cols),
            vec!["status"]
        );
    }
}
