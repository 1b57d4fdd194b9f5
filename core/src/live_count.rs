//! The count of an arena's live objects, which doubles as their keep-alive
//! reference on the side table.
//!
//! [`Arena::len`](crate::Arena::len) needs the number of live objects, and
//! strong handles need the side table to outlive them. One counter serves
//! both: while the count is above zero, the live objects together hold one
//! reference on the table's `Arc`, taken by the insert that moves the count
//! from zero and given back by the death that moves it to zero. An insert
//! or a death is then one atomic add on this counter, never a second one
//! on the `Arc`'s.
//!
//! Why the reference is exact under races: moves 0 → 1 and 1 → 0 alternate
//! on the one atomic, each taking or giving back exactly one reference; the
//! only 0 → 1 moves are inserts by the owner, which holds its own reference
//! meanwhile, so a give-back racing with a take never frees the table.
//! Kept apart so loom can model-check it (`tests/loom_strong.rs`).

use std::sync::atomic::Ordering;

use crate::sync::AtomicUsize;

/// Live objects, and whether they hold the table.
pub struct LiveCount {
    live: AtomicUsize,
}

impl Default for LiveCount {
    fn default() -> Self {
        LiveCount::new()
    }
}

impl LiveCount {
    /// No live object.
    pub fn new() -> LiveCount {
        LiveCount { live: AtomicUsize::new(0) }
    }

    /// Counts an inserted object; `true` when it is the only live one, and
    /// the caller must take the objects' table reference.
    #[inline]
    pub fn enter(&self) -> bool {
        self.live.fetch_add(1, Ordering::AcqRel) == 0
    }

    /// Counts a death; `true` when no live object is left, and the caller
    /// must give the objects' table reference back (its last use of the
    /// table).
    #[inline]
    pub fn leave(&self) -> bool {
        self.live.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// Live objects now.
    pub fn get(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }
}
