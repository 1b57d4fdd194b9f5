//! The queue of deaths since the last frame end, which is also the count
//! of deaths the owner has not taken yet and, once the arena is dropped,
//! the count of objects still alive: one atomic word, `pending << 32 |
//! head`, moved once per death.
//!
//! **The stack.** A lock-free, push-only stack threaded through the dead
//! slots' side words, emptied all at once by the arena's owner. A dying
//! object's side word no longer counts memberships (a dead object has
//! none), so the drop that kills it writes the stack link there, tagged
//! with generation 0 — no handle's generation — so that membership updates
//! racing with the death find no object to count and leave the link
//! alone. Pushing is one compare-and-swap on the head word, on whichever
//! thread the last strong handle drops; nothing is locked or allocated.
//! Pushes cannot suffer ABA: a push only needs the head it links to be the
//! top, and a slot is pushed at most once between two frame ends.
//!
//! **The count.** The same compare-and-swap adds one to the word's high
//! half, the deaths queued and not yet taken. The owner keeps an ordinary
//! count of the objects it inserted and has not taken back from this
//! stack (`Slots`), so an insert moves no shared counter, and
//! [`Arena::len`](crate::Arena::len) is that count less the pending deaths
//! read here.
//!
//! **Orphaned.** Strong handles point into the side table without owning a
//! reference to it; the arena's own reference is what keeps the table (and
//! every slot) alive. When the arena is dropped with objects still alive,
//! [`orphan`](DeadStack::orphan) hands that reference to them: one swap puts
//! the word in the *orphaned* state, the number of objects still alive
//! with no head (`alive << 32 | EMPTY`), and each later death's
//! compare-and-swap counts it down instead of pushing; the one that reaches
//! zero gives the reference back. An unorphaned stack never holds a count
//! above zero with no head, so the two states share the word without a flag.
//! Every death is one compare-and-swap on this one word either way, so a
//! death racing with the orphaning is counted by exactly one of them: the
//! owner's swap sees its push in the pending count (and leaves it out of
//! the alive count), or the death sees the orphaned word and counts down.
//!
//! Kept apart from the side table so loom can model-check it
//! (`tests/loom_strong.rs`).

use std::sync::atomic::Ordering;

use crate::sync::{fence, AtomicU64};

/// The end of the stack (no slot has this index: `MAX_SLOTS` is `u32::MAX`).
const EMPTY: u32 = u32::MAX;

/// One pending death (or, orphaned, one live object) in the high half.
const ONE: u64 = 1 << 32;

/// No death queued: no pending count, no head. Also what an orphaned word
/// counts down to.
const EMPTY_WORD: u64 = EMPTY as u64;

/// The side word of a dead slot linked to `next`.
#[inline]
const fn link(next: u32) -> u64 {
    next as u64
}

/// The slot on top of the stack in `word`.
#[inline]
const fn head_of(word: u64) -> u32 {
    word as u32
}

/// Deaths queued in `word` (or, orphaned, objects still alive).
#[inline]
const fn count_of(word: u64) -> u32 {
    (word >> 32) as u32
}

/// Whether `word` is orphaned: a count with no head.
#[inline]
const fn is_orphaned(word: u64) -> bool {
    head_of(word) == EMPTY && count_of(word) > 0
}

/// The head word of the stack of dead slots.
pub struct DeadStack {
    head: AtomicU64,
}

impl Default for DeadStack {
    fn default() -> Self {
        DeadStack::new()
    }
}

impl DeadStack {
    /// An empty stack.
    pub fn new() -> DeadStack {
        DeadStack { head: AtomicU64::new(EMPTY_WORD) }
    }

    /// Queues the death of slot `index`, whose side word is `side`. Called
    /// once per death, by the drop that saw the count reach zero. `true`
    /// when the stack was orphaned and this was its last live object: the
    /// caller must give back the reference [`orphan`](Self::orphan) handed
    /// over, and touch nothing of the table after. Otherwise the caller
    /// must not touch the table after either: the owner may take the death
    /// and free everything at once.
    #[inline]
    pub fn push(&self, index: u32, side: &AtomicU64) -> bool {
        let mut word = self.head.load(Ordering::Relaxed);
        loop {
            let next = if is_orphaned(word) {
                word - ONE
            } else {
                side.store(link(head_of(word)), Ordering::Relaxed);
                ((word & !EMPTY_WORD) + ONE) | index as u64
            };
            // Release: the owner that takes the stack sees the link (and
            // everything the dying thread did before); orphaned, the death
            // that counts the word to zero sees every other death's use of
            // the table before it (the acquire fence below).
            match self.head.compare_exchange_weak(word, next, Ordering::Release, Ordering::Relaxed) {
                Ok(_) if next == EMPTY_WORD => {
                    // Only an orphaned count reaches the empty word by a push.
                    fence(Ordering::Acquire);
                    return true;
                }
                Ok(_) => return false,
                Err(current) => word = current,
            }
        }
    }

    /// Whether any death is queued.
    pub fn is_empty(&self) -> bool {
        head_of(self.head.load(Ordering::Acquire)) == EMPTY
    }

    /// Deaths queued and not yet taken (0 once orphaned: nothing is
    /// queued then).
    pub fn pending(&self) -> usize {
        let word = self.head.load(Ordering::Acquire);
        if is_orphaned(word) {
            0
        } else {
            count_of(word) as usize
        }
    }

    /// Takes every queued slot, newest first, into `taken` (appended),
    /// following links through `side_of` (the side word of a slot); returns
    /// how many. Only the arena's owner calls it.
    pub fn take_all<'a>(&self, taken: &mut Vec<u32>, side_of: impl Fn(u32) -> &'a AtomicU64) -> usize {
        // Acquire: pairs with every push's release (each later push's CAS
        // continues the release sequence), so every link is visible.
        let word = self.head.swap(EMPTY_WORD, Ordering::Acquire);
        debug_assert!(!is_orphaned(word), "only the owner takes the stack");
        let count = count_of(word) as usize;
        taken.reserve(count);
        let mut next = head_of(word);
        for _ in 0..count {
            taken.push(next);
            next = side_of(next).load(Ordering::Relaxed) as u32;
        }
        debug_assert_eq!(next, EMPTY, "the pending count is the stack's length");
        count
    }

    /// The owner's last call, as the arena is dropped: `live` objects were
    /// inserted and not taken back from this stack. If any of them is still
    /// alive (not queued), orphans the stack with that many, and returns
    /// `true`: the caller hands its table reference to them (the death that
    /// counts them to zero gives it back, [`push`](Self::push)). `false`
    /// when every one is dead: the caller keeps its reference.
    pub fn orphan(&self, live: usize) -> bool {
        let mut word = self.head.load(Ordering::Acquire);
        loop {
            debug_assert!(!is_orphaned(word), "orphaned twice");
            let pending = count_of(word) as usize;
            debug_assert!(pending <= live, "more deaths than objects");
            let alive = live.saturating_sub(pending) as u64;
            if alive == 0 {
                return false; // no death is still to come
            }
            let orphaned = alive << 32 | EMPTY_WORD;
            match self.head.compare_exchange_weak(word, orphaned, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return true,
                Err(current) => word = current,
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn sides(n: usize) -> Vec<AtomicU64> {
        (0..n).map(|_| AtomicU64::new(0)).collect()
    }

    fn take(stack: &DeadStack, sides: &[AtomicU64]) -> Vec<u32> {
        let mut taken = Vec::new();
        let count = stack.take_all(&mut taken, |index| &sides[index as usize]);
        assert_eq!(count, taken.len());
        taken
    }

    #[test]
    fn takes_every_push_once_newest_first_then_starts_empty() {
        let sides = sides(4);
        let stack = DeadStack::new();
        assert!(stack.is_empty());
        for index in [2, 0, 3] {
            assert!(!stack.push(index, &sides[index as usize]));
        }
        assert!(!stack.is_empty());
        assert_eq!(stack.pending(), 3);
        assert_eq!(take(&stack, &sides), vec![3, 0, 2]);
        assert!(stack.is_empty() && stack.pending() == 0);
        assert!(take(&stack, &sides).is_empty());
        stack.push(0, &sides[0]);
        assert_eq!(take(&stack, &sides), vec![0]);
    }

    #[test]
    fn the_last_slot_index_is_a_slot_not_the_end() {
        let sides = sides(1);
        let stack = DeadStack::new();
        let last = crate::MAX_SLOTS - 1;
        stack.push(last, &sides[0]);
        assert!(!stack.is_empty());
        let mut taken = Vec::new();
        stack.take_all(&mut taken, |_| &sides[0]);
        assert_eq!(taken, vec![last]);
    }

    #[test]
    fn a_linked_side_word_names_no_generation() {
        let side = AtomicU64::new(crate::count_word::pack(5, 3));
        DeadStack::new().push(7, &side);
        assert_eq!(crate::count_word::generation_bits(side.load(Ordering::Relaxed)), 0);
    }

    #[test]
    fn an_orphaned_stack_counts_the_live_objects_down_to_the_last() {
        let sides = sides(4);
        let stack = DeadStack::new();
        stack.push(1, &sides[1]); // queued before the arena drops
        assert!(stack.orphan(4), "three of the four still alive");
        assert_eq!(stack.pending(), 0, "orphaned: nothing queued");
        let before = sides[2].load(Ordering::Relaxed);
        assert!(!stack.push(2, &sides[2]));
        assert_eq!(sides[2].load(Ordering::Relaxed), before, "orphaned: no link written");
        assert!(!stack.push(0, &sides[0]));
        assert!(stack.push(3, &sides[3]), "the last live object gives the reference back");
    }

    #[test]
    fn a_stack_whose_objects_are_all_dead_is_not_orphaned() {
        let sides = sides(2);
        let stack = DeadStack::new();
        assert!(!stack.orphan(0));
        stack.push(0, &sides[0]);
        stack.push(1, &sides[1]);
        assert!(!stack.orphan(2), "both queued: no death to come");
    }
}
