//! The side table outlives its arena exactly as long as strong handles
//! need it: the dropped arena hands its reference to the objects still
//! alive, and the last of their deaths, on whichever thread, frees it
//! (`src/dead_stack.rs`, orphaned). Run under Miri too (`.ci/run`), which
//! catches a use after the free or a leaked table.

use std::sync::{Arc, Barrier};
use std::thread;

use weakarena_core::{Arena, WeakRef};

mod common;
use common::scaled;

#[test]
fn handles_dropped_on_other_threads_while_the_arena_drops_free_the_table_once() {
    for _ in 0..scaled(200) {
        let mut arena = Arena::new();
        let handles: Vec<_> = (0..4).map(|i| arena.insert(vec![i; 3])).collect();
        let table = Arc::downgrade(arena.slot_table());
        let start = Arc::new(Barrier::new(3));
        let (left, right) = handles.split_at(2);
        let threads: Vec<_> = [left.to_vec(), right.to_vec()]
            .into_iter()
            .map(|mine| {
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    for strong in mine {
                        assert!(strong.strong_count() >= 1);
                        drop(strong);
                    }
                })
            })
            .collect();
        drop(handles);
        start.wait();
        drop(arena);
        for thread in threads {
            thread.join().unwrap();
        }
        assert!(table.upgrade().is_none(), "freed once every object is dead");
    }
}

#[test]
fn a_tracked_reference_keeps_the_table_after_the_last_death_of_an_orphaned_arena() {
    let mut arena = Arena::new();
    let strong = arena.insert(String::from("watched"));
    let watch = WeakRef::new(&strong);
    let table = Arc::downgrade(&strong.slot_table());
    drop(arena);
    assert!(watch.is_alive());
    drop(strong);
    assert!(!watch.is_alive(), "dead at once, the table still readable");
    assert!(table.upgrade().is_some(), "the reference holds its own count on the table");
    drop(watch);
    assert!(table.upgrade().is_none());
}
