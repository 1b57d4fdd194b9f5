//! The paths through the storage's unsafe blocks (`strong.rs`, `slot.rs`,
//! `chunks.rs`, `parallel.rs`), each exercised, with the invariant they rest
//! on checked directly: the arena's own reference on its side table (which
//! owns the slots) is the only one its objects need, and when the arena is
//! dropped with objects still alive it becomes theirs until the last of
//! them dies, so a `Strong` never outlives the slot it points into.

use std::sync::{Arc, Weak as ArcWeak};
use std::thread;

use rayon::prelude::*;
use weakarena_core::{Arena, SlotTable, WeakRef};

fn table_refs(table: &ArcWeak<SlotTable>) -> usize {
    table.strong_count()
}

#[test]
fn the_arenas_table_reference_passes_to_the_objects_that_outlive_it() {
    let mut arena = Arena::new();
    let table = Arc::downgrade(arena.slot_table());
    assert_eq!(table_refs(&table), 1, "the arena's own");
    let a = arena.insert("a"); // an insert takes no reference
    let b = arena.insert("b");
    assert_eq!(table_refs(&table), 1);
    let a2 = a.clone(); // an increment on the slot's word, nothing else
    let b2 = arena.upgrade(b.downgrade()).unwrap(); // from_counted_slot: none either
    assert_eq!(table_refs(&table), 1);
    drop((a, a2)); // a death gives none back
    assert_eq!(table_refs(&table), 1);
    let tracked = WeakRef::new(&b); // table_arc: a counted reference of its own
    assert_eq!(table_refs(&table), 2);
    drop(tracked);
    drop(arena); // b still alive: the arena's reference is handed to it
    assert_eq!(table_refs(&table), 1);
    drop(b);
    assert_eq!(table_refs(&table), 1, "b2 still holds the object");
    drop(b2); // the last live object gives it back at once
    assert_eq!(table_refs(&table), 0, "nothing leaks the table");
}

#[test]
fn strong_handles_and_tracked_references_outlive_their_arena() {
    let mut arena = Arena::new();
    let table = Arc::downgrade(arena.slot_table());
    let strong = arena.insert(String::from("outlives"));
    drop(arena);
    assert_eq!(table_refs(&table), 1, "kept by the live object alone");
    let clone = strong.clone();
    assert_eq!(strong.strong_count(), 2);
    let tracked = WeakRef::new(&strong); // table_arc after the arena is gone
    let upgraded = tracked.upgrade().expect("still counted alive");
    assert_eq!(upgraded.strong_count(), 3);
    drop((strong, clone, upgraded)); // the last one gives the object's reference back
    assert!(!tracked.is_alive());
    assert!(tracked.upgrade().is_none());
    assert_eq!(table_refs(&table), 1, "kept by the tracked reference alone");
    drop(tracked);
    assert_eq!(table_refs(&table), 0);
}

#[test]
fn the_last_strong_handle_may_drop_on_another_thread_after_the_arena() {
    let mut arena = Arena::new();
    let table = Arc::downgrade(arena.slot_table());
    let strong = arena.insert(7_u64);
    let weak = strong.downgrade();
    let tracked = WeakRef::new(&strong);
    drop(arena);
    thread::spawn(move || {
        assert_eq!(strong.downgrade(), weak);
        drop(strong);
    })
    .join()
    .unwrap();
    assert!(!tracked.is_alive());
    drop(tracked);
    assert_eq!(table_refs(&table), 0, "freed by the last holder, on whichever thread");
}

#[test]
fn a_strong_handle_finds_its_table_from_any_chunk() {
    let mut arena = Arena::new();
    let table = Arc::downgrade(arena.slot_table());
    // Enough objects to fill several chunks (32 slots each under Miri).
    let strongs: Vec<_> = (0..CROSS_CHUNKS).map(|i| arena.insert(i)).collect();
    for (strong, i) in strongs.iter().zip(0..) {
        assert_eq!(strong.arena_id(), arena.id(), "the header of the chunk of slot {i}");
        assert_eq!(arena[strong], i);
    }
    drop(arena); // values dropped; slots stay with the table
    let ids: Vec<_> = strongs.iter().map(|s| s.arena_id()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]));
    drop(strongs); // every death found the table through its chunk's header
    assert_eq!(table_refs(&table), 0);
}

#[test]
fn values_of_objects_killed_on_other_threads_are_dropped_once_with_the_arena() {
    let value = Arc::new(());
    let mut arena = Arena::new();
    let strongs: Vec<_> = (0..CROSS_CHUNKS).map(|_| arena.insert(Arc::clone(&value))).collect();
    thread::scope(|scope| {
        for chunk in strongs.chunks(strongs.len() / 2) {
            let chunk = chunk.to_vec();
            scope.spawn(move || drop(chunk));
        }
    });
    drop(strongs); // every object dead and queued, none reclaimed yet
    assert!(arena.has_pending_deaths());
    drop(arena); // shutdown reclaims them; nothing is dropped twice
    assert_eq!(Arc::strong_count(&value), 1);
}

#[test]
#[cfg_attr(miri, ignore = "rayon's pool threads outlive the test, which Miri reports as an error")]
fn parallel_mutation_reaches_each_value_once() {
    let mut arena = Arena::new();
    let strongs: Vec<_> = (0..CROSS_CHUNKS as u64).map(|i| arena.insert(i)).collect();
    arena.par_iter_mut().for_each(|(_, value)| *value += 1);
    let sum: u64 = strongs.iter().map(|s| arena[s]).sum();
    let n = CROSS_CHUNKS as u64;
    assert_eq!(sum, n * (n + 1) / 2);
}

#[test]
fn a_side_table_upgrade_with_another_payload_type_panics_instead_of_misreading() {
    let mut arena = Arena::new();
    let strong = arena.insert(1_u8);
    let table = Arc::clone(arena.slot_table());
    let raw = strong.raw();
    let same: Option<weakarena_core::Strong<u8>> = table.upgrade(weakarena_core::Weak::from_raw(raw));
    assert_eq!(same.map(|s| s.strong_count()), Some(2));
    let other = std::panic::catch_unwind(|| {
        let _: Option<weakarena_core::Strong<[u64; 4]>> = table.upgrade(weakarena_core::Weak::from_raw(raw));
    });
    assert!(other.is_err());
}

/// Objects that span more than two chunks, natively and under Miri.
#[cfg(miri)]
const CROSS_CHUNKS: usize = 600;
/// Objects that span more than two chunks, natively and under Miri.
#[cfg(not(miri))]
const CROSS_CHUNKS: usize = 9000;

/// The arena lent to reading callbacks and finalizers (`tracker.rs`'s
/// `lent_arena`): each reads through the pointer at the frame end and at
/// shutdown, while the arena is borrowed by the call that runs them.
#[test]
fn reading_callbacks_and_finalizers_read_the_lent_arena() {
    use std::sync::Mutex;
    use weakarena_core::Finalizer;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut arena = Arena::new();
    let (dies, stays) = (arena.insert(String::from("dies")), arena.insert(String::from("stays")));
    let (log, other) = (Arc::clone(&seen), stays.downgrade());
    let _r = WeakRef::with_reading_callback(&dies, move |arena: &Arena<String>, dead| {
        log.lock().unwrap().push(format!("callback: {} {}", arena[other], arena.get(dead).is_none()));
    });
    let log = Arc::clone(&seen);
    let _f = Finalizer::new_reading(&stays, move |arena: &Arena<String>| {
        log.lock()
            .unwrap()
            .push(format!("finalizer: {}", arena.iter().map(|(_, v)| v.as_str()).collect::<String>()));
    });
    drop(dies);
    arena.end_frame();
    arena.shutdown();
    assert_eq!(*seen.lock().unwrap(), ["callback: stays true", "finalizer: stays"]);
    drop(stays);
}
