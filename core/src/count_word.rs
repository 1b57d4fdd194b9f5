//! The strong-count word: `generation << 32 | count`, one per slot, and the
//! three lock-free operations on it that clones, drops and upgrades race on.
//!
//! Kept apart from the side table so loom can model-check it (`--cfg loom`,
//! `tests/loom_strong.rs`): an upgrade never succeeds once the count has
//! reached zero, and exactly one decrement observes the death.

use std::sync::atomic::Ordering;

use crate::error::CountOverflow;
use crate::sync::{fence, AtomicU64};

/// The largest strong count a slot may reach. Far below `u32::MAX`, so
/// racing increments past it can never carry into the generation bits.
pub const MAX_STRONG: u32 = i32::MAX as u32;

/// The word for `generation` with `count` strong references.
#[inline]
pub const fn pack(generation: u32, count: u32) -> u64 {
    ((generation as u64) << 32) | count as u64
}

/// The strong count in `word`.
#[inline]
pub const fn count_of(word: u64) -> u32 {
    word as u32
}

/// The generation in `word`.
#[inline]
pub const fn generation_bits(word: u64) -> u32 {
    (word >> 32) as u32
}

/// Adds one strong reference to a live object; the caller holds one, so the
/// count cannot be zero. Refuses (and undoes the add) at [`MAX_STRONG`].
#[inline]
pub fn increment(word: &AtomicU64) -> Result<(), CountOverflow> {
    let before = word.fetch_add(1, Ordering::Relaxed);
    if count_of(before) >= MAX_STRONG {
        word.fetch_sub(1, Ordering::Relaxed);
        return Err(CountOverflow);
    }
    Ok(())
}

/// Removes one strong reference; `true` for the one call that took the
/// count to zero. That call also sees every write the other holders made
/// before their own decrements (release/acquire, as in `Arc`).
#[inline]
pub fn decrement(word: &AtomicU64) -> bool {
    let before = word.fetch_sub(1, Ordering::Release);
    if count_of(before) != 1 {
        return false;
    }
    fence(Ordering::Acquire);
    true
}

/// Adds one strong reference if the word still holds `generation` with a
/// count above zero. Never revives a dead object, even racing with its last
/// drop: the count only moves from zero by a new occupant's store.
pub fn try_upgrade(word: &AtomicU64, generation: u32) -> Result<bool, CountOverflow> {
    let mut current = word.load(Ordering::Acquire);
    loop {
        if generation_bits(current) != generation || count_of(current) == 0 {
            return Ok(false);
        }
        if count_of(current) >= MAX_STRONG {
            return Err(CountOverflow);
        }
        match word.compare_exchange_weak(current, current + 1, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => return Ok(true),
            Err(actual) => current = actual,
        }
    }
}
