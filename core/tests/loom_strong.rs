//! Loom model checks of the storage's lock-free protocols: the strong-count
//! word (`src/count_word.rs`: clones, drops and upgrades racing with the last
//! drop) and the death stack (`src/dead_stack.rs`: deaths on any thread,
//! taken by the owner; its word also counts the deaths pending and, once
//! the arena is dropped, the objects still alive, whose last death gives the
//! table reference back).
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p weakarena-core --test loom_strong --release`.
#![cfg(loom)]

use loom::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize};
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering;

use weakarena_core::count_word::{
    count_of, decrement, increment, is_tracked, mark_tracked, pack, try_upgrade,
};
use weakarena_core::dead_stack::DeadStack;

const GENERATION: u32 = 7;

fn word_with(count: u32) -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(pack(GENERATION, count)))
}

/// Drops `held` references to `word`; whether one of them was the last.
fn drop_all(word: &AtomicU64, held: u32) -> bool {
    (0..held).map(|_| decrement(word)).fold(false, |any, last| any | last)
}

#[test]
fn the_death_observer_sees_a_tracked_flag_set_by_either_holder() {
    // `mark_tracked` writes only when its read finds the flag clear; the
    // thread that observes the death must still see it, whichever holder
    // set it and whichever skipped the write.
    loom::model(|| {
        let word = word_with(2);
        let other = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                mark_tracked(&word);
                decrement(&word).then(|| is_tracked(word.load(Ordering::Acquire)))
            }
        });
        mark_tracked(&word);
        let here = decrement(&word).then(|| is_tracked(word.load(Ordering::Acquire)));
        let there = other.join().unwrap();
        assert_eq!(here.or(there), Some(true), "here {here:?}, there {there:?}");
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 0);
    });
}

#[test]
fn an_upgrade_racing_the_last_drop_never_revives() {
    loom::model(|| {
        let word = word_with(1);
        let dropper = thread::spawn({
            let word = Arc::clone(&word);
            move || decrement(&word)
        });
        let upgraded = try_upgrade(&word, GENERATION).unwrap();
        let dropper_saw_death = dropper.join().unwrap();
        assert_ne!(upgraded, dropper_saw_death, "exactly one of them wins");
        let main_saw_death = upgraded && decrement(&word);
        assert_eq!(main_saw_death, upgraded);
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 0);
        assert!(!try_upgrade(&word, GENERATION).unwrap(), "dead stays dead");
    });
}

#[test]
fn exactly_one_of_two_racing_last_drops_observes_the_death() {
    loom::model(|| {
        let word = word_with(2);
        let other = thread::spawn({
            let word = Arc::clone(&word);
            move || decrement(&word)
        });
        let here = decrement(&word);
        let there = other.join().unwrap();
        assert!(here ^ there, "here {here}, there {there}");
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 0);
    });
}

#[test]
fn clones_drops_and_upgrades_balance_with_one_death() {
    loom::model(|| {
        let word = word_with(2);
        let cloner = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                increment(&word).unwrap();
                drop_all(&word, 2)
            }
        });
        let upgraded = try_upgrade(&word, GENERATION).unwrap();
        let held = 1 + u32::from(upgraded);
        let here = drop_all(&word, held);
        let there = cloner.join().unwrap();
        assert!(here ^ there, "exactly one death: here {here}, there {there}");
        assert!(!try_upgrade(&word, GENERATION).unwrap());
    });
}

#[test]
fn a_stale_upgrade_racing_slot_reuse_never_sees_the_new_occupant() {
    loom::model(|| {
        let word = word_with(1);
        let stale = thread::spawn({
            let word = Arc::clone(&word);
            move || try_upgrade(&word, GENERATION).unwrap()
        });
        if decrement(&word) {
            // The owner reclaims the slot and puts the next occupant in it.
            word.store(pack(GENERATION + 1, 1), Ordering::Release);
        }
        let upgraded = stale.join().unwrap();
        let word_now = word.load(Ordering::Acquire);
        if upgraded {
            assert_eq!(word_now, pack(GENERATION, 1), "won before the last drop, never after");
        } else {
            assert_eq!(word_now, pack(GENERATION + 1, 1));
        }
    });
}

/// The thread that observes the death sees every write the other holder
/// made before dropping: what lets a frame end read and drop the value.
/// (A relaxed store and load: loom lets the load return the stale 0 unless
/// the count's release/acquire pair orders them.)
#[test]
fn the_death_observer_sees_the_other_holders_writes() {
    loom::model(|| {
        let word = word_with(2);
        let data = Arc::new(AtomicU32::new(0));
        let writer = thread::spawn({
            let (word, data) = (Arc::clone(&word), Arc::clone(&data));
            move || {
                data.store(42, Ordering::Relaxed);
                decrement(&word)
            }
        });
        if decrement(&word) {
            assert_eq!(data.load(Ordering::Relaxed), 42);
        }
        writer.join().unwrap();
    });
}

#[test]
fn a_condemnation_and_a_racing_upgrade_never_both_succeed() {
    use weakarena_core::count_word::{begin_condemn, cancel_condemn, commit_condemn, is_live};
    loom::model(|| {
        // One reference, held inside the would-be garbage; a weak handle
        // elsewhere races to upgrade while the collector condemns.
        let word = word_with(1);
        let upgrader = thread::spawn({
            let word = Arc::clone(&word);
            move || try_upgrade(&word, GENERATION).unwrap()
        });
        let marked = begin_condemn(&word, GENERATION, 1);
        if marked {
            commit_condemn(&word);
        }
        let upgraded = upgrader.join().unwrap();
        assert!(!(marked && upgraded), "an upgraded object was condemned");
        assert!(marked || upgraded, "the condemnation failed only because of the upgrade");
        assert_eq!(is_live(word.load(Ordering::Relaxed)), upgraded);
        if !marked {
            cancel_condemn(&word); // a no-op without the mark
            assert_eq!(count_of(word.load(Ordering::Relaxed)), 2);
        }
    });
}

/// A thread that can reach a handle the collector saw inside would-be
/// garbage clones it while the object is pending: the clone waits for the
/// collector's decision and never returns a handle that is then condemned.
/// The collector backs off if it sees the clone; if the clone landed after
/// the collector's last check, the object is condemned before the clone
/// returns, and the clone reads it dead (it orders after the death).
#[test]
fn a_clone_while_pending_is_never_condemned_after_it_returns() {
    use weakarena_core::count_word::{begin_condemn, cancel_condemn, commit_condemn, is_live, still_pending};
    loom::model(|| {
        let word = word_with(1);
        let cloner = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                increment(&word).unwrap();
                is_live(word.load(Ordering::Acquire))
            }
        });
        let committed = begin_condemn(&word, GENERATION, 1) && still_pending(&word, GENERATION, 1);
        if committed {
            commit_condemn(&word);
        } else {
            cancel_condemn(&word);
        }
        let clone_saw_live = cloner.join().unwrap();
        assert!(!(committed && clone_saw_live), "a clone returned alive, then its object was condemned");
        let word_now = word.load(Ordering::Relaxed);
        assert_eq!(count_of(word_now), 2, "the clone is counted either way");
        assert_eq!(is_live(word_now), !committed);
    });
}

/// Side words for slots 0..n, as the chunk keeps them.
fn side_words(n: usize) -> Arc<Vec<AtomicU64>> {
    Arc::new((0..n).map(|slot| AtomicU64::new(pack(GENERATION, slot as u32))).collect())
}

/// Takes the whole stack; the taken slots, checked against the count.
fn take(stack: &DeadStack, sides: &[AtomicU64]) -> Vec<u32> {
    let mut taken = Vec::new();
    let count = stack.take_all(&mut taken, |slot| &sides[slot as usize]);
    assert_eq!(count, taken.len(), "the pending count is the stack's length");
    taken
}

#[test]
fn deaths_pushed_on_two_threads_while_the_owner_takes_are_each_taken_once() {
    loom::model(|| {
        let sides = side_words(3);
        let stack = Arc::new(DeadStack::new());
        let dying: Vec<_> = [0u32, 2]
            .into_iter()
            .map(|slot| {
                let (sides, stack) = (Arc::clone(&sides), Arc::clone(&stack));
                thread::spawn(move || assert!(!stack.push(slot, &sides[slot as usize])))
            })
            .collect();
        stack.push(1, &sides[1]); // a death on the owner's thread too
        let mut taken = take(&stack, &sides);
        // The owner's live count (3 occupied, less what it took, less
        // what is pending) never goes below the deaths still to come.
        let live = 3 - taken.len() - stack.pending();
        assert!(live <= 2, "the owner's own death is counted: live {live}");
        for thread in dying {
            thread.join().unwrap();
        }
        taken.extend(take(&stack, &sides));
        taken.sort_unstable();
        assert_eq!(taken, vec![0, 1, 2], "every death exactly once");
        assert!(stack.is_empty());
        assert_eq!(stack.pending(), 0);
    });
}

/// The owner that takes a death sees what the dying thread did before it
/// pushed (it drops the value next).
#[test]
fn the_owner_that_takes_a_death_sees_the_dying_threads_writes() {
    loom::model(|| {
        let sides = side_words(2);
        let stack = Arc::new(DeadStack::new());
        let data = Arc::new(AtomicU32::new(0));
        let dying = thread::spawn({
            let (sides, stack, data) = (Arc::clone(&sides), Arc::clone(&stack), Arc::clone(&data));
            move || {
                data.store(42, Ordering::Relaxed);
                stack.push(1, &sides[1]);
            }
        });
        stack.push(0, &sides[0]);
        let taken = take(&stack, &sides);
        if taken.contains(&1) {
            assert_eq!(data.load(Ordering::Relaxed), 42);
        }
        dying.join().unwrap();
    });
}

/// The table's `Arc`, as a count: `refs` stands for its strong count, and
/// `freed` records the one give-back that reached zero. Whoever gives a
/// reference back must find the table not yet freed.
struct Table {
    refs: AtomicUsize,
    freed: AtomicU32,
}

impl Table {
    fn release(&self) {
        let before = self.refs.fetch_sub(1, Ordering::AcqRel);
        assert!(before > 0, "a reference given back twice");
        if before == 1 {
            assert_eq!(self.freed.fetch_add(1, Ordering::AcqRel), 0, "freed twice");
        }
    }
}

/// The arena is dropped while one object's last handle drops on another
/// thread (its death taken, pending, or after the drop), and the owner's
/// thread drops the other object's last handle after the arena: the
/// dropped arena hands its table reference to the objects still alive
/// (orphaning the stack with their number), and the last of their deaths
/// gives it back. Every interleaving frees the table exactly once, only
/// when nothing needs it.
#[test]
fn the_dropped_arenas_table_reference_is_freed_once_by_the_last_death() {
    loom::model(|| {
        let sides = side_words(2);
        let stack = Arc::new(DeadStack::new());
        let table = Arc::new(Table { refs: AtomicUsize::new(1), freed: AtomicU32::new(0) });
        let dying = thread::spawn({
            let (sides, stack, table) = (Arc::clone(&sides), Arc::clone(&stack), Arc::clone(&table));
            move || {
                if stack.push(0, &sides[0]) {
                    table.release();
                }
            }
        });
        let occupied = 2 - take(&stack, &sides).len(); // the owner's ordinary count
                                                       // The arena drops: `Slots`'s `Drop` clones its reference, hands the
                                                       // clone over if objects are still alive, then drops its own.
        table.refs.fetch_add(1, Ordering::Relaxed);
        if !stack.orphan(occupied) {
            table.release();
        }
        table.release();
        assert_eq!(table.freed.load(Ordering::Acquire), 0, "object 1 is still alive");
        if stack.push(1, &sides[1]) {
            table.release();
        }
        dying.join().unwrap();
        assert_eq!(table.refs.load(Ordering::Acquire), 0, "no reference leaked");
        assert_eq!(table.freed.load(Ordering::Acquire), 1);
    });
}

/// The death that frees an orphaned table sees what the other deaths did
/// before theirs (their last uses of the table happen before it is freed).
#[test]
fn the_death_that_frees_an_orphaned_table_sees_the_other_deaths_writes() {
    loom::model(|| {
        let sides = side_words(2);
        let stack = Arc::new(DeadStack::new());
        assert!(stack.orphan(2), "two objects outlive the arena");
        let data = Arc::new(AtomicU32::new(0));
        let other = thread::spawn({
            let (sides, stack, data) = (Arc::clone(&sides), Arc::clone(&stack), Arc::clone(&data));
            move || {
                data.store(42, Ordering::Relaxed);
                stack.push(1, &sides[1])
            }
        });
        let here = stack.push(0, &sides[0]);
        let there = other.join().unwrap();
        assert!(here ^ there, "exactly one last death: here {here}, there {there}");
        if here {
            assert_eq!(data.load(Ordering::Relaxed), 42);
        }
    });
}
