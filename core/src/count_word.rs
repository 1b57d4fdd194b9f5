//! The strong-count word: `generation << 32 | flags | count`, the first word
//! of every slot, and the lock-free operations on it that clones, drops and
//! upgrades race on.
//!
//! Kept apart from the side table so loom can model-check it (`--cfg loom`,
//! `tests/loom_strong.rs`): an upgrade never succeeds once the count has
//! reached zero, and exactly one decrement observes the death.

use std::sync::atomic::Ordering;

use crate::error::CountOverflow;
use crate::sync::{fence, spin_loop, AtomicU64};

/// The largest strong count a slot may reach. Half the count field, so
/// racing increments past it can never carry into the flag bits.
pub const MAX_STRONG: u32 = 1 << 28;

/// Flag: the registry holds tracked references or finalizers for this
/// object, so its frame end must look there. Objects without it never touch
/// the registry. Set once while the object lives; cleared with the word when
/// the slot is reclaimed.
pub const TRACKED: u32 = 1 << 29;

/// Flag: the cycle collector is deciding whether this object is garbage;
/// upgrades wait (the window holds no user code).
pub const PENDING: u32 = 1 << 30;

/// Flag: the cycle collector found this object garbage. It reads dead from
/// now on, though strong handles inside other garbage still count until
/// their values are dropped.
pub const CONDEMNED: u32 = 1 << 31;

/// The count bits of a word.
const COUNT_MASK: u32 = TRACKED - 1;

/// The word for `generation` with `count` strong references.
#[inline]
pub const fn pack(generation: u32, count: u32) -> u64 {
    ((generation as u64) << 32) | count as u64
}

/// The strong count in `word`, without the collector's flags.
#[inline]
pub const fn count_of(word: u64) -> u32 {
    word as u32 & COUNT_MASK
}

/// Whether the object in `word` is alive: a count above zero and not
/// condemned by the cycle collector.
#[inline]
pub const fn is_live(word: u64) -> bool {
    count_of(word) > 0 && (word as u32) & CONDEMNED == 0
}

/// The generation in `word`.
#[inline]
pub const fn generation_bits(word: u64) -> u32 {
    (word >> 32) as u32
}

/// Adds one strong reference to a live object; the caller holds one, so the
/// count cannot be zero. Refuses (and undoes the add) at [`MAX_STRONG`].
///
/// A clone that lands while the collector has the object pending waits for
/// the collector's decision, so it never returns a handle that is alive and
/// then condemned: the collector sees the count moved and backs off, or
/// (if the add came after the collector checked) the object is condemned
/// before the clone returns, which then orders after the death.
#[inline]
pub fn increment(word: &AtomicU64) -> Result<(), CountOverflow> {
    let before = word.fetch_add(1, Ordering::Relaxed);
    // One mask and compare on the fast path: the count at its limit, or a
    // collector flag set (the registry's flag does not matter here).
    if (before as u32) & !TRACKED >= MAX_STRONG {
        return increment_flagged(word, before);
    }
    Ok(())
}

/// The rare rest of [`increment`]: refuse at the limit, wait out a pending mark.
#[cold]
#[inline(never)]
fn increment_flagged(word: &AtomicU64, before: u64) -> Result<(), CountOverflow> {
    if count_of(before) >= MAX_STRONG {
        word.fetch_sub(1, Ordering::Relaxed);
        return Err(CountOverflow);
    }
    while (word.load(Ordering::Acquire) as u32) & PENDING != 0 {
        spin_loop();
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
///
/// Inlined: the common case (alive, no collector mark, far from the limit,
/// no racing change) is one load, one range check and one
/// compare-exchange; everything else is [`try_upgrade_contended`].
#[inline]
pub fn try_upgrade(word: &AtomicU64, generation: u32) -> Result<bool, CountOverflow> {
    let current = word.load(Ordering::Acquire);
    // `is_live_as` ignores the pending mark; the second test refuses it and
    // a count at the limit in one compare.
    if is_live_as(current, generation)
        && (current as u32) & (PENDING | COUNT_MASK) < MAX_STRONG
        && word.compare_exchange_weak(current, current + 1, Ordering::Acquire, Ordering::Acquire).is_ok()
    {
        return Ok(true);
    }
    try_upgrade_contended(word, generation)
}

/// The rest of [`try_upgrade`]: a dead or replaced object, a pending mark
/// to wait out, the count limit, or a compare-exchange that lost a race.
#[cold]
#[inline(never)]
fn try_upgrade_contended(word: &AtomicU64, generation: u32) -> Result<bool, CountOverflow> {
    let mut current = word.load(Ordering::Acquire);
    loop {
        if (current as u32) & PENDING != 0 {
            spin_loop();
            current = word.load(Ordering::Acquire);
            continue;
        }
        if generation_bits(current) != generation || !is_live(current) {
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

/// The strong count of `generation`'s object in `word`: 0 when the slot
/// holds another generation or its object is dead.
#[inline]
pub const fn live_count(word: u64, generation: u32) -> u32 {
    if generation_bits(word) == generation && is_live(word) {
        count_of(word)
    } else {
        0
    }
}

/// Kills a live object by force (`Arena::kill`): condemns it if the word
/// still holds `generation` alive, so it reads dead at once on every thread;
/// `true` if this call killed it. Outstanding strong handles keep counting
/// (clones and drops move the count; upgrades refuse), and the drop that
/// takes the count to zero still reports the death, as for the collector's
/// condemned objects. A compare-exchange, so it races exactly with a last
/// drop (whichever lands first: the kill finds the object dead, or the drop
/// finds it condemned) and with upgrades (they land before it, or refuse).
/// The caller holds the arena mutably, so no collection has the word pending.
pub fn kill(word: &AtomicU64, generation: u32) -> bool {
    let mut current = word.load(Ordering::Acquire);
    loop {
        if generation_bits(current) != generation || !is_live(current) {
            return false;
        }
        let condemned = current | CONDEMNED as u64;
        match word.compare_exchange_weak(current, condemned, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return true,
            Err(actual) => current = actual,
        }
    }
}

/// Whether `generation`'s object is alive in `word`: `live_count(word,
/// generation) > 0`, in one mask, one subtraction and one compare.
///
/// `get` runs this on every read, and a random read is bound by how many
/// reads the CPU keeps in flight, which is by instructions per read (ten
/// idle instructions per read slow a flat array's random read about 2×):
/// so the three conditions (same generation, a count, not condemned) are
/// one range check. With the generation's bits cleared by the XOR and the
/// ignored flags masked off, the word is in `1..=COUNT_MASK` exactly when
/// all three hold (another generation leaves high bits, a condemned object
/// bit 31, a zero count wraps the subtraction).
#[inline]
pub const fn is_live_as(word: u64, generation: u32) -> bool {
    const CHECKED: u64 = 0xFFFF_FFFF_0000_0000 | CONDEMNED as u64 | COUNT_MASK as u64;
    ((word ^ ((generation as u64) << 32)) & CHECKED).wrapping_sub(1) < COUNT_MASK as u64
}

/// Whether the registry holds anything for the object in `word`.
#[inline]
pub const fn is_tracked(word: u64) -> bool {
    (word as u32) & TRACKED != 0
}

/// Sets [`TRACKED`]: the registry is about to hold something for this
/// object. The caller holds a strong reference, so the generation cannot
/// move meanwhile; the frame end sees the flag through the death's
/// release/acquire chain.
#[inline]
pub fn mark_tracked(word: &AtomicU64) {
    // A read first: an object's second and later references find the flag
    // set and write nothing (no read-modify-write on a shared line).
    if !is_tracked(word.load(Ordering::Relaxed)) {
        word.fetch_or(TRACKED as u64, Ordering::Relaxed);
    }
}

/// Marks the object pending condemnation if its word still holds
/// `generation` with exactly `count` references (what the collector saw)
/// and no collector flag.
pub fn begin_condemn(word: &AtomicU64, generation: u32, count: u32) -> bool {
    let current = word.load(Ordering::Acquire);
    if generation_bits(current) != generation || (current as u32) & !TRACKED != count {
        return false;
    }
    word.compare_exchange(current, current | PENDING as u64, Ordering::AcqRel, Ordering::Acquire).is_ok()
}

/// Whether the object is still pending with exactly the `count` it was
/// marked with: no clone or drop landed since [`begin_condemn`].
pub fn still_pending(word: &AtomicU64, generation: u32, count: u32) -> bool {
    let current = word.load(Ordering::Acquire);
    generation_bits(current) == generation && (current as u32) & !TRACKED == count | PENDING
}

/// Clears a pending mark: the collection backed off.
pub fn cancel_condemn(word: &AtomicU64) {
    word.fetch_and(!(PENDING as u64), Ordering::AcqRel);
}

/// Turns a pending mark into condemnation: the object reads dead from now on.
pub fn commit_condemn(word: &AtomicU64) {
    word.fetch_xor((PENDING | CONDEMNED) as u64, Ordering::AcqRel);
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn is_live_as_is_a_live_count_above_zero() {
        let counts = [0, 1, 2, MAX_STRONG - 1, MAX_STRONG, MAX_STRONG + 7, COUNT_MASK];
        let flag_sets = [0, TRACKED, PENDING, CONDEMNED, TRACKED | PENDING, TRACKED | CONDEMNED, !COUNT_MASK];
        for generation in [0, 1, 2, u32::MAX - 1, u32::MAX] {
            for count in counts {
                for flags in flag_sets {
                    let word = pack(generation, count | flags);
                    for asked in [generation, generation.wrapping_add(1), generation ^ 1 << 31] {
                        assert_eq!(
                            is_live_as(word, asked),
                            live_count(word, asked) > 0,
                            "{generation} {count:#x} {flags:#x} asked {asked}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn upgrades_add_one_exactly_when_alive_below_the_limit() {
        // Every count and every flag set but the pending mark (an upgrade
        // waits that out): the inlined fast path and the contended rest
        // together agree with `live_count`, and only a success moves the word.
        let counts = [0, 1, 2, MAX_STRONG - 1, MAX_STRONG, MAX_STRONG + 7];
        for generation in [1, 2, u32::MAX] {
            for count in counts {
                for flags in [0, TRACKED, CONDEMNED, TRACKED | CONDEMNED] {
                    let before = pack(generation, count | flags);
                    for asked in [generation, generation.wrapping_add(1), generation ^ 1 << 31] {
                        let word = AtomicU64::new(before);
                        let alive = live_count(before, asked) > 0;
                        let expected = match alive && count >= MAX_STRONG {
                            true => Err(CountOverflow),
                            false => Ok(alive),
                        };
                        let got = try_upgrade(&word, asked);
                        let case = format!("{generation} {count:#x} {flags:#x} asked {asked}");
                        assert_eq!(got, expected, "{case}");
                        let after = if got == Ok(true) { before + 1 } else { before };
                        assert_eq!(word.load(Ordering::Relaxed), after, "{case}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_upgrade_that_waits_out_a_pending_mark_adds_one() {
        // The fast path refuses a pending mark, so this takes the contended
        // rest: it spins until the collector backs off, then adds one.
        let word = std::sync::Arc::new(AtomicU64::new(pack(4, 1 | PENDING)));
        let collector = {
            let word = std::sync::Arc::clone(&word);
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(20));
                word.store(pack(4, 1), Ordering::Release);
            })
        };
        assert_eq!(try_upgrade(&word, 4), Ok(true));
        collector.join().expect("the collector thread");
        assert_eq!(word.load(Ordering::Relaxed), pack(4, 2));
    }

    #[test]
    fn condemnation_needs_the_count_the_collector_saw() {
        let word = AtomicU64::new(pack(3, 2));
        assert!(!begin_condemn(&word, 3, 1), "a count that moved backs off");
        assert!(!begin_condemn(&word, 4, 2), "another generation backs off");
        assert!(begin_condemn(&word, 3, 2));
        assert!(is_live(word.load(Ordering::Relaxed)), "pending still reads alive");
        cancel_condemn(&word);
        assert_eq!(word.load(Ordering::Relaxed), pack(3, 2));
    }

    #[test]
    fn the_tracked_flag_changes_neither_count_nor_liveness() {
        let word = AtomicU64::new(pack(3, 2));
        mark_tracked(&word);
        let bits = word.load(Ordering::Relaxed);
        assert!(is_tracked(bits));
        assert_eq!((count_of(bits), live_count(bits, 3), live_count(bits, 4)), (2, 2, 0));
        assert!(begin_condemn(&word, 3, 2), "the flag does not hide the count");
        commit_condemn(&word);
        assert!(is_tracked(word.load(Ordering::Relaxed)));
        assert_eq!(live_count(word.load(Ordering::Relaxed), 3), 0);
    }

    #[test]
    fn a_condemned_object_reads_dead_and_dies_at_its_last_drop() {
        let word = AtomicU64::new(pack(3, 2));
        assert!(begin_condemn(&word, 3, 2));
        commit_condemn(&word);
        assert!(!is_live(word.load(Ordering::Relaxed)));
        assert_eq!(try_upgrade(&word, 3), Ok(false));
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 2);
        assert!(!decrement(&word));
        assert!(decrement(&word), "the last drop still reports the death");
    }

    #[test]
    fn a_kill_condemns_a_live_object_once_and_its_handles_count_down() {
        let word = AtomicU64::new(pack(3, 2));
        assert!(!kill(&word, 4), "another generation is not killed");
        assert!(kill(&word, 3));
        assert!(!kill(&word, 3), "a killed object is dead");
        assert_eq!(try_upgrade(&word, 3), Ok(false));
        increment(&word).unwrap();
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 3, "a clone still counts");
        assert!(!decrement(&word) && !decrement(&word));
        assert!(decrement(&word), "the last drop reports the death");
        assert!(!kill(&pack_word(3, 0), 3), "a dead object cannot be killed");
    }

    fn pack_word(generation: u32, count: u32) -> AtomicU64 {
        AtomicU64::new(pack(generation, count))
    }
}
