//! The column name PostgreSQL gives an index column that is an
//! expression (`FigureIndexColname` in `parse_target.c`), read from the
//! tokens of [`super::expr`]: a column's name, a function's name, `case`,
//! `array`, a cast's type (`int8` for `::bigint`), `timezone` for
//! `AT TIME ZONE`, `expr` for operators and predicates. Index and
//! exclusion names are built from these ([`super::naming`]).

use super::expr::{is_time_zone, items, matching, skip_chain, skip_type, Item, TYPE_WORDS};

/// The column name PostgreSQL derives for an index expression
/// (`FigureIndexColname`): a column's name, a function's name, `case`,
/// `array`, `row`, a cast's type, `expr` for operators. `None` when strata
/// cannot tell; callers then keep the object's name explicit.
pub fn index_column_name(expr: &str) -> Option<String> {
    let figured = figure(&items(expr))?;
    Some(figured.map_or_else(|| "expr".to_string(), |(n, _)| n))
}

/// The name of a whole expression: one operand with its postfixes, or
/// none for operators and predicates — except `a AT TIME ZONE b`, which is
/// the function `timezone`.
fn figure(its: &[Item]) -> Option<Figured> {
    let (end, figured) = primary(its, 0)?;
    if end == its.len() {
        return Some(figured);
    }
    let tz = its[end].is_word("at") && is_time_zone(its, end + 1);
    Some(tz.then(|| ("timezone".to_string(), 2)))
}

/// The column name PostgreSQL derives for one element of an index or an
/// exclusion constraint as written: `expr [COLLATE c] [opclass [(…)]]
/// [ASC|DESC] [NULLS FIRST|LAST]` (without an exclusion's `WITH op`).
/// `None` when strata cannot tell.
pub fn index_element_name(element: &str) -> Option<String> {
    let its = items(element);
    let (mut j, figured) = primary(&its, 0)?;
    while j < its.len() {
        j = match &its[j] {
            Item::Name { .. } => skip_chain(&its, j).0,
            Item::Open => matching(&its, j, &Item::Open, &Item::Close) + 1,
            _ => return None,
        };
    }
    Some(figured.map_or_else(|| "expr".to_string(), |(n, _)| n))
}

/// A name with its strength as `FigureColnameInternal` ranks it: 2 for a
/// column, function or field; 1 for `case` and a cast's type.
type Figured = Option<(String, u8)>;

/// One operand and its postfix casts, subscripts and field selections
/// from `i`: where it ends and its name. `None` when unsure.
fn primary(its: &[Item], i: usize) -> Option<(usize, Figured)> {
    let (mut j, mut name) = operand(its, i)?;
    loop {
        match its.get(j) {
            Some(Item::Op(o)) if o == "::" => {
                let end = skip_type(its, j + 1);
                let ty = type_name(&its[j + 1..end])?;
                if name.as_ref().is_none_or(|(_, s)| *s <= 1) {
                    name = Some((ty, 1));
                }
                j = end;
            }
            Some(Item::Op(o)) if o == "[" => {
                j = matching(its, j, &Item::Op("[".into()), &Item::Op("]".into())) + 1;
            }
            Some(Item::Op(o)) if o == "." => match its.get(j + 1) {
                Some(Item::Name { name: f, .. }) => {
                    name = Some((f.clone(), 2));
                    j += 2;
                }
                _ => return None,
            },
            Some(x) if x.is_word("collate") => j = skip_chain(its, j + 1).0,
            _ => return Some((j, name)),
        }
    }
}

/// The operand at `i` without postfixes.
fn operand(its: &[Item], i: usize) -> Option<(usize, Figured)> {
    let close = |j: usize| matching(its, j, &Item::Open, &Item::Close);
    match its.get(i)? {
        Item::Literal => Some((i + 1, None)),
        // A signed number is one constant; any other prefix operator (or
        // NOT) makes the rest one operator expression.
        Item::Op(o) if (o == "-" || o == "+") && its.get(i + 1) == Some(&Item::Literal) => {
            Some((i + 2, None))
        }
        x if matches!(x, Item::Op(_)) || x.is_word("not") => Some((its.len(), None)),
        Item::Open => {
            let end = close(i);
            let inner = &its[i + 1..end.min(its.len())];
            Some((end + 1, figure(inner)?))
        }
        x if x.is_word("case") => {
            let mut depth = 0usize;
            for (j, y) in its.iter().enumerate().skip(i) {
                if y.is_word("case") {
                    depth += 1;
                } else if y.is_word("end") {
                    depth -= 1;
                    if depth == 0 {
                        return Some((j + 1, Some(("case".into(), 1))));
                    }
                }
            }
            None
        }
        x if x.is_word("array") => match its.get(i + 1) {
            Some(Item::Op(o)) if o == "[" => {
                let end = matching(its, i + 1, &Item::Op("[".into()), &Item::Op("]".into()));
                Some((end + 1, Some(("array".into(), 2))))
            }
            Some(Item::Open) => Some((close(i + 1) + 1, Some(("array".into(), 2)))),
            _ => None,
        },
        x if x.is_word("cast") && its.get(i + 1) == Some(&Item::Open) => {
            let end = close(i + 1);
            let inner = &its[i + 2..end.min(its.len())];
            let as_at = top_level_as(inner)?;
            let (e, arg) = primary(&inner[..as_at], 0)?;
            let arg = if e == as_at { arg } else { None };
            let ty = type_name(&inner[as_at + 1..])?;
            let figured = match arg {
                Some((n, 2)) => Some((n, 2)),
                _ => Some((ty, 1)),
            };
            Some((end + 1, figured))
        }
        Item::Name { .. } => name_operand(its, i),
        _ => None,
    }
}

/// A column reference, function call or typed literal at `i`.
fn name_operand(its: &[Item], i: usize) -> Option<(usize, Figured)> {
    let (end, parts, star) = skip_chain(its, i);
    if star {
        return None;
    }
    let last = parts.last()?.clone();
    match its.get(end) {
        Some(Item::Open) => {
            let close = matching(its, end, &Item::Open, &Item::Close);
            let name = match last.as_str() {
                "trim" if parts.len() == 1 => match its.get(end + 1) {
                    Some(x) if x.is_word("leading") => "ltrim".to_string(),
                    Some(x) if x.is_word("trailing") => "rtrim".to_string(),
                    _ => "btrim".to_string(),
                },
                _ => last,
            };
            Some((close + 1, Some((name, 2))))
        }
        Some(Item::Literal) => {
            let ty = type_name(&its[i..end])?;
            Some((end + 1, Some((ty, 1))))
        }
        _ if parts.len() == 1 && its[i].is_syntax() => {
            // `collation for (…)` is a function; other keywords here
            // (NOT, current_date, …) are beyond what strata figures.
            let for_call = last == "collation" && its.get(end).is_some_and(|x| x.is_word("for"));
            for_call.then(|| {
                (
                    close_after(its, end + 1),
                    Some(("pg_collation_for".into(), 2)),
                )
            })
        }
        _ => Some((end, Some((last, 2)))),
    }
}

fn close_after(its: &[Item], open: usize) -> usize {
    matching(its, open, &Item::Open, &Item::Close) + 1
}

/// The index of the `AS` of `CAST(x AS t)` at depth 0.
fn top_level_as(its: &[Item]) -> Option<usize> {
    let mut depth = 0i32;
    for (j, x) in its.iter().enumerate() {
        match x {
            Item::Open => depth += 1,
            Item::Close => depth -= 1,
            _ if depth == 0 && x.is_word("as") => return Some(j),
            _ => {}
        }
    }
    None
}

/// The last name of a type as PostgreSQL's grammar stores it: SQL's
/// spellings become the internal names (`integer` → `int4`,
/// `character varying` → `varchar`), others stay as written.
fn type_name(its: &[Item]) -> Option<String> {
    let (end, parts, _) = skip_chain(its, 0);
    let words: Vec<&str> = its[end..]
        .iter()
        .filter_map(|x| match x {
            Item::Name { name, bare: true } if TYPE_WORDS.contains(&name.as_str()) => {
                Some(name.as_str())
            }
            _ => None,
        })
        .collect();
    let last = parts.last()?.as_str();
    if parts.len() > 1 || !its[0].is_word(last) {
        return Some(last.to_string());
    }
    let tz = words.contains(&"with");
    let varying = words.contains(&"varying");
    Some(
        match last {
            "int" | "integer" => "int4",
            "smallint" => "int2",
            "bigint" => "int8",
            "real" => "float4",
            "float" | "double" => "float8",
            "boolean" => "bool",
            "dec" | "decimal" => "numeric",
            "varchar" => "varchar",
            "char" | "character" | "nchar" | "national" if varying => "varchar",
            "char" | "character" | "nchar" | "national" => "bpchar",
            "bit" if varying => "varbit",
            "timestamp" if tz => "timestamptz",
            "time" if tz => "timetz",
            other => other,
        }
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names PostgreSQL 15 gave `CREATE INDEX ON t (<expr>)` (the part
    /// between `t_` and `_idx`).
    #[test]
    fn index_expression_names() {
        for (expr, want) in [
            ("lower((email)::text)", Some("lower")),
            ("lower(email)", Some("lower")),
            ("(a + b)", Some("expr")),
            ("a + b", Some("expr")),
            ("((a)::text)", Some("a")),
            ("('x'::text)", Some("text")),
            ("(a)::character varying", Some("a")),
            ("CASE WHEN a THEN 1 ELSE 2 END", Some("case")),
            ("(CASE WHEN a THEN 1 ELSE 2 END)::bigint", Some("int8")),
            ("COALESCE(a, b)", Some("coalesce")),
            ("pg_catalog.upper(a)", Some("upper")),
            ("TRIM(BOTH FROM a)", Some("btrim")),
            ("(a AT TIME ZONE 'UTC'::text)", Some("timezone")),
            ("CAST(a AS text)", Some("a")),
            ("(x).f", Some("f")),
            ("ARRAY[a, b]", Some("array")),
            ("a[1]", Some("a")),
            ("('1 day'::interval)", Some("interval")),
            ("((- a))", Some("expr")),
            ("((a IS NULL))", Some("expr")),
            ("SUBSTRING(email FROM 1 FOR 2)", Some("substring")),
            ("EXTRACT(year FROM ts)", Some("extract")),
            ("TRIM(LEADING 'x'::text FROM email)", Some("ltrim")),
            ("NULLIF(a, b)", Some("nullif")),
            ("((a)::numeric(10,2))", Some("a")),
            (
                "((\nCASE\n    WHEN (a > 0) THEN 1\n    ELSE 2\nEND)::bigint)",
                Some("int8"),
            ),
        ] {
            assert_eq!(index_column_name(expr).as_deref(), want, "{expr}");
        }
        for (element, want) in [
            ("room", Some("room")),
            ("\"Room\" gist_int4_ops DESC NULLS LAST", Some("Room")),
            ("lower(name) COLLATE \"C\" text_pattern_ops", Some("lower")),
            ("(a + b)", Some("expr")),
            ("a + b", None),
        ] {
            assert_eq!(index_element_name(element).as_deref(), want, "{element}");
        }
    }
}
