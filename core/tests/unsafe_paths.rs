//! The paths through `strong.rs`'s unsafe blocks, each exercised, with the
//! invariant they rest on checked directly: every live object holds one
//! reference on its arena's side table, so a `Strong` never outlives it.

use std::sync::{Arc, Weak as ArcWeak};
use std::thread;

use weakarena_core::{Arena, SlotTable, WeakRef};

fn table_refs(table: &ArcWeak<SlotTable>) -> usize {
    table.strong_count()
}

#[test]
fn every_live_object_holds_exactly_one_table_reference() {
    let mut arena = Arena::new();
    let table = Arc::downgrade(arena.slot_table());
    assert_eq!(table_refs(&table), 1, "the arena's own");
    let a = arena.insert("a");
    let b = arena.insert("b");
    assert_eq!(table_refs(&table), 3);
    let a2 = a.clone(); // Strong::table + increment: no table reference
    let b2 = arena.upgrade(b.downgrade()).unwrap(); // adopt_upgraded: none either
    assert_eq!(table_refs(&table), 3);
    drop((a, a2)); // the last drop gives a's reference back at once
    assert_eq!(table_refs(&table), 2);
    let tracked = WeakRef::new(&b); // table_arc: a counted reference of its own
    assert_eq!(table_refs(&table), 3);
    drop((tracked, b, b2));
    assert_eq!(table_refs(&table), 1);
    arena.end_frame();
    drop(arena);
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
