//! Collections made without their arena (`Default`, `collect`) bind to the
//! arena of the first `Strong` inserted, then behave as if made with it.

mod common;

use common::arena_with;
use weakarena_collections::{SparseWeakKeyMap, Sweep, SweepMode, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::Arena;

#[test]
fn a_default_collection_binds_at_its_first_strong_insert() {
    let (mut arena, h) = arena_with(2);
    let mut map = WeakKeyMap::default();
    let mut set = WeakSet::default();
    let mut names: WeakValueMap<&str, usize> = WeakValueMap::default();
    let mut sparse: SparseWeakKeyMap<usize, u8> = SparseWeakKeyMap::default();
    assert_ne!(map.arena(), arena.id());
    assert!(sparse.try_insert(&h[0], 1).is_err(), "unbound: try_insert cannot bind it");
    sparse.insert(&h[0], 1);
    assert_eq!(sparse.arena(), arena.id());
    assert!(map.try_insert(h[0].downgrade(), 1).is_err(), "unbound: a plain Weak cannot bind it");
    assert!(set.try_insert(&h[0]).is_err(), "unbound: try_insert cannot bind it");
    assert_eq!((map.get(&h[0]), set.contains(&h[0]), names.get("a")), (None, false, None));
    map.insert(&h[0], 1);
    set.insert(&h[0]);
    names.insert("a", &h[0]);
    assert_eq!((map.arena(), set.arena(), names.arena()), (arena.id(), arena.id(), arena.id()));
    assert_eq!(map.try_insert(h[1].downgrade(), 2).ok(), Some(None), "bound: weak handles work");
    assert_eq!(arena.weak_count(&h[0]), 4);
    assert_eq!(map.sweep(&arena.end_frame()).mode, SweepMode::Skipped);
}

#[test]
fn a_late_bound_collection_sweeps_from_the_current_frame() {
    let (mut arena, mut h) = arena_with(64);
    for _ in 0..3 {
        arena.end_frame();
    }
    let mut set = WeakSet::default();
    set.extend(&h);
    drop(h.remove(0));
    let stats = set.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed), (SweepMode::Deaths, 1), "it missed no frame");
    assert_eq!(set.len(), 63);
}

#[test]
fn collecting_strong_handles_binds_and_counts() {
    let (arena, h) = arena_with(3);
    let set: WeakSet<usize> = h.iter().collect();
    let map: WeakKeyMap<usize, usize> = h.iter().map(|s| (s, arena[s] * 10)).collect();
    let names: WeakValueMap<usize, usize> = h.iter().map(|s| (arena[s], s)).collect();
    assert_eq!((set.arena(), map.arena(), names.arena()), (arena.id(), arena.id(), arena.id()));
    assert_eq!((set.len(), map[&h[2]], names.get(&1)), (3, 20, Some(h[1].downgrade())));
    let sparse: SparseWeakKeyMap<usize, usize> = h.iter().map(|s| (s, arena[s])).collect();
    assert_eq!((sparse.arena(), sparse[&h[2]]), (arena.id(), 2));
    assert!(h.iter().all(|s| arena.weak_count(s) == 4));
    let owned: WeakSet<usize> = h.iter().cloned().collect();
    assert_eq!(owned.len(), 3, "owned strong handles: the originals keep the objects alive");
}

#[test]
fn collecting_handles_of_two_arenas_panics_with_a_message() {
    let (_arena, h) = arena_with(1);
    let (_other, g) = arena_with(1);
    let mixed = [&h[0], &g[0]];
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mixed.into_iter().collect::<WeakSet<usize>>()
    }))
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("used with arena"), "{message}");
}

#[test]
fn a_collection_of_owned_handles_holds_them_weakly() {
    let mut arena = Arena::new();
    let set: WeakSet<u8> = (0..3).map(|i| arena.insert(i)).collect();
    assert_eq!((set.len(), set.live_len()), (3, 0), "each object died with its only handle");
}
