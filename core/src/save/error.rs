//! Why a save or a load failed.

use std::fmt;

use super::ArenaKey;
use crate::handle::{ArenaId, RawHandle};

/// Why a world could not be saved.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SaveError {
    /// An arena or strong handle was serialized outside a [`SaveScope`](super::SaveScope).
    NoScope,
    /// Objects of this arena died since its last frame end: save between frames.
    PendingDeaths(ArenaId),
    /// The same arena was serialized twice in one save.
    SavedTwice(ArenaId),
    /// Strong handles or weak collections of this arena were saved, but not the arena.
    MissingArena(ArenaId),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::NoScope => write!(f, "an arena or strong handle was saved outside a SaveScope"),
            SaveError::PendingDeaths(id) => {
                write!(f, "arena {} has deaths awaiting its frame end: end the frame before saving", id.get())
            }
            SaveError::SavedTwice(id) => write!(f, "arena {} was saved twice", id.get()),
            SaveError::MissingArena(id) => {
                write!(f, "handles to arena {} were saved but the arena itself was not", id.get())
            }
        }
    }
}

impl std::error::Error for SaveError {}

/// Why a world could not be loaded.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LoadError {
    /// An arena, strong handle or collection was deserialized outside a
    /// [`LoadScope`](super::LoadScope).
    NoScope,
    /// Two things of one arena key expect different payload types.
    WrongType {
        /// The arena's key in the file.
        key: ArenaKey,
        /// The payload type first seen for it.
        first: &'static str,
        /// The payload type asked for now.
        now: &'static str,
    },
    /// Handle bits with generation 0.
    BadHandle(u64),
    /// A strong handle or collection entry names an object the arena's data
    /// does not hold alive (or another generation of its slot).
    NotLive {
        /// The arena's key.
        key: ArenaKey,
        /// The handle.
        handle: RawHandle,
    },
    /// The arena's own data is inconsistent.
    BadArena {
        /// The arena's key.
        key: ArenaKey,
        /// What is wrong.
        reason: String,
    },
    /// The same arena key's data appears twice.
    LoadedTwice(ArenaKey),
    /// Handles of this arena were loaded, but not the arena itself.
    MissingArena {
        /// The arena's key.
        key: ArenaKey,
        /// Its payload type.
        payload: &'static str,
    },
    /// More strong handles to an object were loaded than it had when saved.
    TooManyStrong {
        /// The arena's key.
        key: ArenaKey,
        /// The object.
        handle: RawHandle,
        /// Its strong count when saved.
        saved: u32,
        /// Strong handles loaded.
        loaded: u32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NoScope => write!(f, "an arena or strong handle was loaded outside a LoadScope"),
            LoadError::WrongType { key, first, now } => {
                write!(f, "arena {} holds {first}, but is loaded as holding {now}", key.0)
            }
            LoadError::BadHandle(bits) => write!(f, "handle bits {bits:#x} have generation 0"),
            LoadError::NotLive { key, handle } => {
                write!(f, "arena {}: {handle:?} names no live object of the saved arena", key.0)
            }
            LoadError::BadArena { key, reason } => write!(f, "arena {}: {reason}", key.0),
            LoadError::LoadedTwice(key) => write!(f, "arena {} appears twice", key.0),
            LoadError::MissingArena { key, payload } => {
                write!(
                    f,
                    "handles to arena {} (of {payload}) were loaded but the arena itself was not",
                    key.0
                )
            }
            LoadError::TooManyStrong { key, handle, saved, loaded } => write!(
                f,
                "arena {}: {loaded} strong handles to {handle:?} were loaded, but it had {saved} when saved",
                key.0
            ),
        }
    }
}

impl std::error::Error for LoadError {}
