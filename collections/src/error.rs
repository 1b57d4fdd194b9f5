//! Errors of weak collections.

use std::fmt;

use weakarena_core::AccessError;

/// An insertion that was refused, with the value given back: the handle was
/// dead ([`AccessError::Dead`]) or belonged to another arena
/// ([`AccessError::WrongArena`]). Nothing was stored.
pub struct InsertError<V> {
    /// The value that was not stored.
    pub value: V,
    /// Why.
    pub error: AccessError,
}

impl<V> fmt::Debug for InsertError<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InsertError").field("error", &self.error).finish_non_exhaustive()
    }
}

impl<V> fmt::Display for InsertError<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "insert refused: {}", self.error)
    }
}

impl<V> std::error::Error for InsertError<V> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}
