//! Error values: every failure here is a value with a message.

use std::fmt;

use crate::handle::{ArenaId, RawHandle};

/// Access through a [`Proxy`](crate::Proxy) (or any handle) to an object that
/// no longer exists: Python's `ReferenceError`, with CPython's message.
///
/// ```
/// use weakarena_core::{Arena, Proxy};
/// let mut arena = Arena::new();
/// let bear = arena.insert(String::from("Teddy"));
/// let proxy = Proxy::new(&bear);
/// drop(bear);
/// let err = proxy.get(&arena).unwrap_err();
/// assert_eq!(err.to_string(), "weakly-referenced object no longer exists");
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct ReferenceError {
    handle: RawHandle,
}

impl ReferenceError {
    /// The error for the dead object `handle` named.
    pub fn new(handle: RawHandle) -> ReferenceError {
        ReferenceError { handle }
    }

    /// The handle that was used.
    pub fn handle(&self) -> RawHandle {
        self.handle
    }
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("weakly-referenced object no longer exists")
    }
}

impl std::error::Error for ReferenceError {}

/// Why [`Arena::try_get`](crate::Arena::try_get) found nothing.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AccessError {
    /// The object is dead (or the handle never named one in this arena).
    Dead(ReferenceError),
    /// The handle belongs to another arena.
    WrongArena {
        /// The arena that was asked.
        arena: ArenaId,
        /// The arena the handle belongs to.
        handle_arena: ArenaId,
    },
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessError::Dead(err) => err.fmt(f),
            AccessError::WrongArena { arena, handle_arena } => {
                write!(f, "handle of arena {} used with arena {}", handle_arena.get(), arena.get())
            }
        }
    }
}

impl std::error::Error for AccessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AccessError::Dead(err) => Some(err),
            AccessError::WrongArena { .. } => None,
        }
    }
}

impl From<ReferenceError> for AccessError {
    fn from(err: ReferenceError) -> Self {
        AccessError::Dead(err)
    }
}

/// A strong count would pass its limit (2^28 handles to one object).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct CountOverflow;

impl fmt::Display for CountOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "strong count overflow: more than {} strong handles to one object",
            crate::count_word::MAX_STRONG
        )
    }
}

impl std::error::Error for CountOverflow {}

/// [`Arena::try_insert`](crate::Arena::try_insert) found every slot in use or
/// retired; the value comes back.
pub struct ArenaFull<T> {
    /// The value that was not inserted.
    pub value: T,
    /// The arena's slot limit.
    pub slot_limit: u32,
}

impl<T> fmt::Debug for ArenaFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArenaFull").field("slot_limit", &self.slot_limit).finish_non_exhaustive()
    }
}

impl<T> fmt::Display for ArenaFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arena full: all {} slots are in use or retired", self.slot_limit)
    }
}

impl<T> std::error::Error for ArenaFull<T> {}
