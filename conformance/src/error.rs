//! The error of a malformed scenario.

use std::fmt;

/// A malformed line, an unknown operation, an unknown variable or one of
/// the wrong kind. Displays as SPEC.md's `error LINE: MESSAGE`.
///
/// ```
/// use weakarena_conformance::run_str;
/// let error = run_str("new a A\ncount b\n").error.unwrap();
/// assert_eq!(error.to_string(), "error 2: unknown variable 'b'");
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScenarioError {
    /// The 1-based line number of the bad line.
    pub line: usize,
    /// What is wrong with it (the CPython runner's wording).
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// A check inside one operation: the message, or the checked value.
pub(crate) type Checked<T> = Result<T, String>;
