//! Names: re-exports of [`crate::pg::ident`] and [`crate::pg::naming`]
//! under the paths the spec code and its neighbours used before those
//! moved, plus the shorthand parser's parenthesis matcher.

pub use crate::pg::ident::{clip, dotted_part, split_dotted, too_long, MAX_IDENT};
pub use crate::pg::naming::{
    choose_name, index_column_names, make_object_name, name_addition, DefaultName,
};

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
