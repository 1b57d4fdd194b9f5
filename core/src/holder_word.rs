//! The holder word of an object's shared callback-less reference (its basic
//! [`WeakRef`](crate::WeakRef) or basic [`Proxy`](crate::Proxy)):
//! `generation << 32 | holders`, where `holders` counts the user handles
//! (clones) of that one reference. The reference has no record: it is alive
//! while its object lives and this count is above zero, which is all
//! `weak_count` and `weak_refs` need to list it once.
//!
//! The generation tag is what lets the word outlive its object without a
//! reset: handles of a dead object's reference change nothing once the
//! word holds a later generation, and the first reference to a slot's next
//! occupant replaces a stale word outright. Kept apart from the registry so
//! loom can model-check it (`--cfg loom`, `tests/loom_strong.rs`).

use std::sync::atomic::Ordering;

use crate::sync::AtomicU64;

/// The word for `generation`'s reference with `holders` handles.
#[inline]
pub const fn pack(generation: u32, holders: u32) -> u64 {
    ((generation as u64) << 32) | holders as u64
}

/// The handles of `generation`'s reference in `word`: 0 when the word
/// belongs to another generation.
#[inline]
pub const fn holders(word: u64, generation: u32) -> u32 {
    if (word >> 32) as u32 == generation {
        word as u32
    } else {
        0
    }
}

/// Counts a new handle of the reference of a live object of `generation`
/// (the caller holds a strong handle to it). A word of another generation
/// belongs to a dead occupant of the slot (generations only grow while an
/// object lives), whose handles no longer count: it is replaced. Refuses,
/// counting nothing (`false`), at `u32::MAX` handles.
#[inline]
pub fn enter_live(word: &AtomicU64, generation: u32) -> bool {
    let updated = word.fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
        match holders(current, generation) {
            u32::MAX => None,
            _ if current >> 32 != u64::from(generation) => Some(pack(generation, 1)),
            _ => Some(current + 1),
        }
    });
    updated.is_ok()
}

/// Counts one more handle of the reference a handle of `generation`
/// already holds (a clone), whose object may be dead: a word that has
/// moved on to a later generation is left alone (the clone will find it so
/// at its drop too). Refuses, counting nothing (`false`), at `u32::MAX` handles.
#[inline]
pub fn enter_held(word: &AtomicU64, generation: u32) -> bool {
    let updated = word.fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
        match holders(current, generation) {
            0 | u32::MAX => None,
            _ => Some(current + 1),
        }
    });
    !matches!(updated, Err(seen) if holders(seen, generation) == u32::MAX)
}

/// Takes back one handle of `generation`'s reference; nothing once the word
/// has moved on to a later generation.
#[inline]
pub fn leave(word: &AtomicU64, generation: u32) {
    let _ = word.fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
        (holders(current, generation) > 0).then(|| current - 1)
    });
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn load(word: &AtomicU64) -> u64 {
        word.load(Ordering::Relaxed)
    }

    #[test]
    fn handles_count_up_and_down_within_one_generation() {
        let word = AtomicU64::new(0);
        assert!(enter_live(&word, 3));
        assert!(enter_held(&word, 3));
        assert!(enter_live(&word, 3));
        assert_eq!(holders(load(&word), 3), 3);
        assert_eq!(holders(load(&word), 4), 0, "another generation has none");
        leave(&word, 3);
        leave(&word, 3);
        leave(&word, 3);
        assert_eq!(load(&word), pack(3, 0));
        leave(&word, 3);
        assert_eq!(load(&word), pack(3, 0), "never below zero");
    }

    #[test]
    fn a_later_occupant_replaces_the_dead_ones_word_and_stale_handles_leave_it_alone() {
        let word = AtomicU64::new(pack(3, 5));
        assert!(enter_live(&word, 4));
        assert_eq!(load(&word), pack(4, 1), "the dead object's five handles no longer count");
        leave(&word, 3);
        assert!(enter_held(&word, 3));
        assert_eq!(load(&word), pack(4, 1), "a stale handle's drop and clone change nothing");
    }

    #[test]
    fn the_count_refuses_at_its_limit_without_counting() {
        let word = AtomicU64::new(pack(3, u32::MAX));
        assert!(!enter_live(&word, 3));
        assert!(!enter_held(&word, 3));
        assert_eq!(load(&word), pack(3, u32::MAX));
        leave(&word, 3);
        assert!(enter_held(&word, 3));
    }
}
