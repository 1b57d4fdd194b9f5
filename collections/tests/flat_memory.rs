//! Churning a weak-value map keeps its memory flat: the bookkeeping that
//! finds a dead object's keys (the reverse index) forgets a key when its
//! entry is removed, cleared or swept, not only when the object dies.
//!
//! Measured as the process's resident memory (Linux `/proc/self/statm`),
//! so this file holds only these tests, run one at a time. Keeping one word
//! per round would grow it by a megabyte or more; the allowance is a quarter.
#![cfg(target_os = "linux")]

mod memory;

use std::sync::Mutex;

use memory::resident_bytes;

use weakarena_collections::{Sweep, SweepMode, WeakValueMap};
use weakarena_core::Arena;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Growth allowed between the warm-up and the end.
const SLACK: usize = 256 << 10;

/// Runs `round` `rounds` times; asserts resident memory grew by at most
/// SLACK after the first tenth.
fn assert_flat(rounds: u64, mut round: impl FnMut(u64)) {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut warm = 0;
    for i in 0..rounds {
        if i == rounds / 10 {
            warm = resident_bytes();
        }
        round(i);
    }
    let grown = resident_bytes().saturating_sub(warm);
    assert!(grown <= SLACK, "grew by {grown} bytes over {} rounds", rounds * 9 / 10);
}

#[test]
fn inserting_and_removing_keys_of_one_live_object_keeps_memory_flat() {
    let mut arena = Arena::new();
    let object = arena.insert(0_u8);
    let mut map = WeakValueMap::new(&arena);
    assert_flat(100_000, |i| {
        map.insert(i, &object);
        assert_eq!(map.remove(&i), Some(object.downgrade()));
    });
}

#[test]
fn inserting_and_clearing_keeps_memory_flat() {
    let mut arena = Arena::new();
    let object = arena.insert(0_u8);
    let mut map = WeakValueMap::new(&arena);
    assert_flat(100_000, |i| {
        map.insert(i, &object);
        map.clear();
    });
}

#[test]
fn full_sweeps_of_dying_objects_keep_memory_flat() {
    let mut arena = Arena::new();
    let mut map = WeakValueMap::new(&arena);
    let _warm = arena.end_frame();
    assert_flat(30_000, |i| {
        let object = arena.insert(0_u8);
        map.insert(i, &object);
        drop(object);
        let _missed = arena.end_frame();
        let stats = map.sweep(&arena.end_frame());
        assert_eq!((stats.mode, stats.removed), (SweepMode::Full, 1));
    });
}
