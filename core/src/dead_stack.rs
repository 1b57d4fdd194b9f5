//! The queue of deaths since the last frame end: a lock-free, push-only
//! stack threaded through the dead slots' side words, emptied all at once
//! by the arena's owner.
//!
//! A dying object's side word no longer counts memberships (a dead object
//! has none), so the drop that kills it writes the stack link there,
//! tagged with generation 0 — no handle's generation — so that membership
//! updates racing with the death find no object to count and leave the
//! link alone. Pushing is one compare-and-swap on the head, on whichever
//! thread the last strong handle drops; nothing is locked or allocated.
//! Pushes cannot suffer ABA: a push only needs the head it links to be the
//! top, and a slot is pushed at most once between two frame ends.
//!
//! Kept apart from the side table so loom can model-check it
//! (`tests/loom_strong.rs`).

use std::sync::atomic::Ordering;

use crate::sync::{AtomicU32, AtomicU64};

/// The end of the stack (no slot has this index: `MAX_SLOTS` is `u32::MAX`).
const EMPTY: u32 = u32::MAX;

/// The side word of a dead slot linked to `next`.
#[inline]
const fn link(next: u32) -> u64 {
    next as u64
}

/// The head of the stack of dead slots.
pub struct DeadStack {
    head: AtomicU32,
}

impl Default for DeadStack {
    fn default() -> Self {
        DeadStack::new()
    }
}

impl DeadStack {
    /// An empty stack.
    pub fn new() -> DeadStack {
        DeadStack { head: AtomicU32::new(EMPTY) }
    }

    /// Pushes slot `index`, whose side word is `side`. Called once per
    /// death, by the drop that saw the count reach zero.
    pub fn push(&self, index: u32, side: &AtomicU64) {
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            side.store(link(head), Ordering::Relaxed);
            // Release: the owner that takes the stack sees the link (and
            // everything the dying thread did before).
            match self.head.compare_exchange_weak(head, index, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    /// Whether any death is queued.
    pub fn is_empty(&self) -> bool {
        self.head.load(Ordering::Acquire) == EMPTY
    }

    /// Takes every queued slot, newest first, following links through
    /// `side_of` (the side word of a slot). Only the arena's owner calls it.
    pub fn take_all<'a>(&self, side_of: impl Fn(u32) -> &'a AtomicU64) -> Vec<u32> {
        // Acquire: pairs with every push's release (each later push's CAS
        // continues the release sequence), so every link is visible.
        let mut next = self.head.swap(EMPTY, Ordering::Acquire);
        let mut taken = Vec::new();
        while next != EMPTY {
            taken.push(next);
            next = side_of(next).load(Ordering::Relaxed) as u32;
        }
        taken
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn takes_every_push_once_newest_first_then_starts_empty() {
        let sides: Vec<AtomicU64> = (0..4).map(|_| AtomicU64::new(0)).collect();
        let stack = DeadStack::new();
        assert!(stack.is_empty());
        for index in [2, 0, 3] {
            stack.push(index, &sides[index as usize]);
        }
        assert!(!stack.is_empty());
        assert_eq!(stack.take_all(|index| &sides[index as usize]), vec![3, 0, 2]);
        assert!(stack.is_empty());
        assert!(stack.take_all(|index| &sides[index as usize]).is_empty());
        stack.push(0, &sides[0]);
        assert_eq!(stack.take_all(|index| &sides[index as usize]), vec![0]);
    }

    #[test]
    fn a_linked_side_word_names_no_generation() {
        let side = AtomicU64::new(crate::count_word::pack(5, 3));
        DeadStack::new().push(7, &side);
        assert_eq!(crate::count_word::generation_bits(side.load(Ordering::Relaxed)), 0);
    }
}
