//! SparseWeakKeyMap: every method, dead keys, sweeps, membership counts.

mod common;

use common::arena_with;
use weakarena_collections::{Entry, SparseWeakKeyMap, Sweep, SweepMode};
use weakarena_core::{AccessError, Arena, Strong};

#[test]
fn insert_get_replace_remove() {
    let (arena, h) = arena_with(3);
    let mut map = SparseWeakKeyMap::new(&arena);
    assert_eq!(map.insert(&h[0], "a"), None);
    assert_eq!(map.insert(&h[0], "b"), Some("a"));
    map.try_insert(h[1].downgrade(), "c").unwrap();
    assert_eq!(map.get(&h[0]), Some(&"b"));
    *map.get_mut(&h[1]).unwrap() = "d";
    assert_eq!(map.get(h[1].downgrade()), Some(&"d"));
    assert!(map.contains_key(&h[0]) && !map.contains_key(&h[2]));
    assert_eq!(map.remove(&h[0]), Some("b"));
    assert_eq!(map.remove(&h[0]), None);
    assert_eq!(map.len(), 1);
    assert!(!map.is_empty());
}

#[test]
fn dead_keys_are_never_returned_matched_or_iterated_even_before_a_sweep() {
    let (mut arena, mut h) = arena_with(3);
    let mut map = SparseWeakKeyMap::new(&arena);
    for (i, key) in h.iter().enumerate() {
        map.insert(key, i);
    }
    let dead = h.remove(1);
    let weak = dead.downgrade();
    drop(dead);
    assert_eq!(map.get(weak), None);
    assert!(!map.contains_key(weak));
    assert_eq!(map.iter().count(), 2);
    assert_eq!(map.keys().filter(|&k| k == weak).count(), 0);
    assert_eq!(map.len(), 3, "stored until the sweep");
    assert_eq!(map.live_len(), 2);
    let report = arena.end_frame();
    let stats = map.sweep(&report);
    assert_eq!((stats.mode, stats.removed), (SweepMode::Stream, 1));
    assert_eq!(map.len(), 2);
    let reused = arena.insert(99);
    assert_eq!(reused.downgrade().index(), weak.index());
    assert_eq!(map.get(&reused), None, "a new occupant of the slot is another key");
}

#[test]
fn a_dead_key_or_a_foreign_key_is_refused() {
    let (arena, h) = arena_with(1);
    let mut other = Arena::new();
    let foreign = other.insert(7);
    let mut map = SparseWeakKeyMap::new(&arena);
    let weak = h[0].downgrade();
    drop(h);
    let refused = map.try_insert(weak, "x").unwrap_err();
    assert_eq!(refused.value, "x");
    assert!(matches!(refused.error, AccessError::Dead(_)));
    assert!(refused.to_string().contains("no longer exists"));
    let refused = map.try_insert(&foreign, "y").unwrap_err();
    assert!(matches!(refused.error, AccessError::WrongArena { .. }));
    assert!(map.is_empty());
    assert!(map.try_entry(weak).is_err());
}

#[test]
fn entry_is_setdefault() {
    let (arena, h) = arena_with(2);
    let mut map = SparseWeakKeyMap::new(&arena);
    *map.entry(&h[0]).or_insert(0) += 5;
    *map.entry(&h[0]).or_insert(100) += 1;
    assert_eq!(map.get(&h[0]), Some(&6));
    map.entry(&h[1]).and_modify(|v| *v = 1).or_default();
    assert_eq!(map.get(&h[1]), Some(&0));
    match map.entry(&h[1]) {
        Entry::Occupied(entry) => {
            assert_eq!(entry.key(), h[1].downgrade());
            assert_eq!(entry.remove(), 0);
        }
        Entry::Vacant(_) => panic!("occupied"),
    }
    assert_eq!(arena.weak_count(&h[1]), 0);
    assert_eq!(arena.weak_count(&h[0]), 1);
}

#[test]
fn pop_item_returns_live_entries_with_strong_keys() {
    let (arena, mut h) = arena_with(3);
    let mut map = SparseWeakKeyMap::new(&arena);
    for key in &h {
        map.insert(key, arena[key]);
    }
    drop(h.remove(0));
    let mut popped = Vec::new();
    while let Some((key, value)) = map.pop_item() {
        assert_eq!(arena[&key], value);
        popped.push(value);
    }
    popped.sort();
    assert_eq!(popped, vec![1, 2]);
    assert!(map.is_empty());
}

#[test]
fn iteration_views_and_retain() {
    let (arena, h) = arena_with(4);
    let mut map = SparseWeakKeyMap::from_iter_in(&arena, h.iter().map(|k| (k, arena[k] * 10)));
    let mut values: Vec<_> = map.values().copied().collect();
    values.sort();
    assert_eq!(values, vec![0, 10, 20, 30]);
    for value in map.values_mut() {
        *value += 1;
    }
    for (key, value) in map.iter_mut() {
        assert_eq!(*value, arena[key] * 10 + 1);
    }
    let strong: Vec<Strong<usize>> = map.keys_strong().collect();
    assert_eq!(strong.len(), 4);
    assert_eq!(arena.strong_count(&h[0]), 2);
    drop(strong);
    map.retain(|key, _| arena[key] % 2 == 0);
    let mut kept: Vec<_> = map.keyrefs().iter().map(|&k| arena[k]).collect();
    kept.sort();
    assert_eq!(kept, vec![0, 2]);
    assert_eq!(arena.weak_count(&h[1]), 0);
    assert_eq!(format!("{map:?}").matches("Weak(").count(), 2);
}

#[test]
fn extend_skips_dead_keys() {
    let (arena, mut h) = arena_with(3);
    let dead = h.pop().unwrap().downgrade();
    let mut map = SparseWeakKeyMap::new(&arena);
    map.extend([(h[0].downgrade(), 'a'), (dead, 'x'), (h[1].downgrade(), 'b')]);
    assert_eq!(map.len(), 2);
}

#[test]
fn entries_count_in_weak_count_until_removed_cleared_dropped_or_dead() {
    let (mut arena, mut h) = arena_with(2);
    let mut m1 = SparseWeakKeyMap::new(&arena);
    let mut m2 = SparseWeakKeyMap::new(&arena);
    m1.insert(&h[0], ());
    m2.insert(&h[0], ());
    m1.insert(&h[0], ());
    assert_eq!(arena.weak_count(&h[0]), 2);
    m1.remove(&h[0]);
    assert_eq!(arena.weak_count(&h[0]), 1);
    drop(m2);
    assert_eq!(arena.weak_count(&h[0]), 0);
    m1.insert(&h[1], ());
    m1.clear();
    assert_eq!(arena.weak_count(&h[1]), 0);
    m1.insert(&h[1], ());
    drop(h.pop());
    arena.end_frame();
    let newcomer = arena.insert(5);
    assert_eq!(arena.weak_count(&newcomer), 0, "a dead object's counts die with it");
    drop(m1);
    assert_eq!(arena.weak_count(&newcomer), 0);
}

#[test]
fn few_deaths_are_swept_by_lookup_and_missed_frames_by_a_full_pass() {
    let (mut arena, mut h) = arena_with(1000);
    let mut map = SparseWeakKeyMap::new(&arena);
    for key in &h {
        map.insert(key, ());
    }
    drop(h.drain(0..3));
    let stats = map.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed, stats.entries), (SweepMode::Deaths, 3, 1000));
    drop(h.drain(0..500));
    let _missed = arena.end_frame();
    drop(h.drain(0..10));
    let stats = map.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed), (SweepMode::Full, 510));
    assert_eq!(map.len(), 487);
    let mut other = Arena::<u8>::new();
    let foreign_report = other.end_frame();
    assert_eq!(map.sweep(&foreign_report).mode, SweepMode::Skipped);
}

#[test]
fn large_maps_shard_and_sweep_in_parallel_exactly() {
    let (mut arena, mut h) = arena_with(140_000);
    let mut map = SparseWeakKeyMap::new(&arena);
    for key in &h {
        map.insert(key, arena[key]);
    }
    let mut index = 0;
    h.retain(|_| {
        index += 1;
        index % 3 != 0
    });
    let stats = map.sweep(&arena.end_frame());
    assert_eq!(stats.mode, SweepMode::Stream);
    assert_eq!(stats.removed, 46_666);
    assert_eq!(map.len(), h.len());
    h.truncate(h.len() - 2_000);
    let stats = map.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed), (SweepMode::Deaths, 2_000), "few deaths: by lookup");
    for key in &h {
        assert_eq!(map.get(key), Some(&arena[key]));
    }
}

#[test]
fn deaths_on_other_threads_during_iteration_never_break_it() {
    let (arena, h) = arena_with(10_000);
    let mut map = SparseWeakKeyMap::new(&arena);
    for key in &h {
        map.insert(key, ());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || drop(h));
        let mut seen = 0;
        for (key, ()) in map.iter() {
            let _ = arena.get(key);
            seen += 1;
        }
        assert!(seen <= 10_000);
    });
    assert_eq!(map.live_len(), 0);
}

#[test]
fn collections_are_send_and_sync() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<SparseWeakKeyMap<String, Vec<u8>>>();
    assert_send_sync::<weakarena_collections::WeakValueMap<String, String>>();
    assert_send_sync::<weakarena_collections::WeakSet<String>>();
}

#[test]
fn deaths_sparser_than_the_death_set_are_swept_by_lookup_whatever_the_entries() {
    let (mut arena, mut h) = arena_with(200);
    let mut map = SparseWeakKeyMap::new(&arena);
    map.insert(&h[0], 0);
    map.insert(&h[1], 1);
    drop(h.swap_remove(0));
    let report = arena.end_frame();
    assert!(report.dead.is_empty(), "one death in 200 slots keeps no death set");
    let stats = map.sweep(&report);
    assert_eq!((stats.mode, stats.removed), (SweepMode::Deaths, 1));
    assert_eq!(map.len(), 1);
}
