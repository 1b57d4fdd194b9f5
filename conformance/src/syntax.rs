//! The lexical rules of WRS, exactly as the CPython runner applies them:
//! tokens split on Python's whitespace, `#` comment lines, names, and
//! Python's `repr` of a token for error messages.

/// Whether `c` separates tokens: Python's `str.isspace`, which is Unicode
/// `White_Space` plus the four ASCII information separators.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The tokens of one line (Python's `line.split()`).
///
/// ```
/// use weakarena_conformance::syntax::tokens;
/// assert_eq!(tokens("  put d\tk1  a "), ["put", "d", "k1", "a"]);
/// ```
pub fn tokens(line: &str) -> Vec<&str> {
    line.split(is_space).filter(|token| !token.is_empty()).collect()
}

/// Whether a line's tokens are a comment or nothing at all.
pub fn is_blank_or_comment(tokens: &[&str]) -> bool {
    tokens.first().is_none_or(|first| first.starts_with('#'))
}

/// Whether `token` is a variable, object or field name:
/// `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_ident(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `token` checked as a name, or the CPython runner's error message
/// (`bad variable name 'x-1'`).
pub fn ident<'a>(token: &'a str, what: &str) -> Result<&'a str, String> {
    if is_ident(token) {
        Ok(token)
    } else {
        Err(format!("bad {what} name {}", py_repr(token)))
    }
}

/// Python's `repr` of a string, for error messages: single quotes unless
/// the text has a single quote and no double quote, with control characters
/// escaped. (Non-ASCII characters that Python would also escape, such as
/// format characters beyond U+00AD, are kept as they are.)
///
/// ```
/// use weakarena_conformance::syntax::py_repr;
/// assert_eq!(py_repr("a"), "'a'");
/// assert_eq!(py_repr("it's"), "\"it's\"");
/// assert_eq!(py_repr("'\"\\"), "'\\'\"\\\\'");
/// ```
pub fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '\u{ad}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str(bool)`: `True` or `False`.
pub fn py_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_whitespace_includes_the_information_separators() {
        assert_eq!(tokens("a\u{1c}b\u{1f}c\u{a0}d\u{3000}e"), ["a", "b", "c", "d", "e"]);
        assert_eq!(tokens("a\u{200b}b"), ["a\u{200b}b"], "zero-width space is not whitespace");
    }

    #[test]
    fn comments_start_the_first_token_only() {
        assert!(is_blank_or_comment(&tokens("   # note")));
        assert!(is_blank_or_comment(&tokens("#note")));
        assert!(is_blank_or_comment(&tokens(" \t ")));
        assert!(!is_blank_or_comment(&tokens("put d #k a")));
    }

    #[test]
    fn names_are_ascii_identifiers() {
        for good in ["a", "_", "_x9", "Obj_2"] {
            assert!(is_ident(good), "{good}");
        }
        for bad in ["", "9a", "a-b", "é", "a.b"] {
            assert!(!is_ident(bad), "{bad}");
        }
        assert_eq!(ident("x-1", "field"), Err("bad field name 'x-1'".to_owned()));
    }

    #[test]
    fn repr_escapes_controls() {
        assert_eq!(py_repr("a\u{1}b\u{7f}"), "'a\\x01b\\x7f'");
        assert_eq!(py_repr("ü"), "'ü'");
    }
}
