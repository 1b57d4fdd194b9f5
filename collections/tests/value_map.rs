//! WeakValueMap: every method, replacement (bpo-28427), sweeps, counts.

mod common;

use common::arena_with;
use weakarena_collections::{Sweep, SweepMode, WeakValueMap};
use weakarena_core::{AccessError, Arena};

#[test]
fn insert_get_upgrade_remove() {
    let (arena, h) = arena_with(2);
    let mut map = WeakValueMap::new(&arena);
    assert_eq!(map.insert("a".to_string(), &h[0]), None);
    assert_eq!(map.get("a"), Some(h[0].downgrade()));
    assert_eq!(map.upgrade("a").map(|s| arena[&s]), Some(0));
    assert!(map.contains_key("a") && !map.contains_key("b"));
    assert_eq!(map.insert("a".to_string(), &h[1]), Some(h[0].downgrade()));
    assert_eq!(map.remove("a"), Some(h[1].downgrade()));
    assert_eq!(map.remove("a"), None);
    assert!(map.is_empty());
}

#[test]
fn replacing_a_value_never_lets_the_old_ones_death_remove_the_new_entry() {
    let (mut arena, mut h) = arena_with(2);
    let mut map = WeakValueMap::new(&arena);
    map.insert("k", &h[0]);
    map.insert("k", &h[1]);
    assert_eq!(arena.weak_count(&h[0]), 0);
    drop(h.remove(0));
    let report = arena.end_frame();
    map.sweep(&report);
    assert_eq!(map.get(&"k"), Some(h[0].downgrade()));
    assert_eq!(map.len(), 1);
    let mut stale = WeakValueMap::new(&arena);
    stale.insert("k", &h[0]);
    drop(h);
    arena.end_frame();
    let _missed = arena.end_frame();
    assert_eq!(stale.sweep(&arena.end_frame()).mode, SweepMode::Full);
    assert!(stale.is_empty());
}

#[test]
fn one_object_under_several_keys_dies_from_all() {
    let (mut arena, mut h) = arena_with(3);
    let mut map = WeakValueMap::new(&arena);
    map.extend([("x", &h[0]), ("y", &h[0]), ("z", &h[1]), ("w", &h[2])]);
    assert_eq!(arena.weak_count(&h[0]), 2);
    map.remove(&"y");
    map.insert("y", &h[0]);
    drop(h.remove(0));
    assert_eq!(map.live_len(), 2);
    assert_eq!(map.len(), 4);
    let stats = map.sweep(&arena.end_frame());
    assert_eq!(stats.removed, 2);
    let mut keys: Vec<_> = map.keys().copied().collect();
    keys.sort();
    assert_eq!(keys, ["w", "z"]);
    assert_eq!(map.valuerefs().len(), 2);
    assert_eq!(map.values().count(), 2);
}

#[test]
fn dead_or_foreign_values_are_refused_with_the_key_back() {
    let (arena, mut h) = arena_with(1);
    let mut other = Arena::new();
    let foreign = other.insert(1usize);
    let mut map = WeakValueMap::new(&arena);
    let weak = h.pop().unwrap().downgrade();
    let refused = map.try_insert("dead", weak).unwrap_err();
    assert_eq!(refused.value, "dead");
    assert!(matches!(refused.error, AccessError::Dead(_)));
    assert!(matches!(map.try_insert("foreign", &foreign).unwrap_err().error, AccessError::WrongArena { .. }));
    assert!(map.is_empty());
}

#[test]
fn pop_item_retain_clear_and_counts() {
    let (arena, mut h) = arena_with(4);
    let mut map = WeakValueMap::new(&arena);
    for (i, handle) in h.iter().enumerate() {
        map.insert(i, handle);
    }
    map.retain(|&key, _| key != 1);
    assert_eq!(arena.weak_count(&h[1]), 0);
    drop(h.remove(0));
    let (key, object) = map.pop_item().unwrap();
    assert_eq!(arena[&object], key);
    assert_ne!(key, 0);
    assert_eq!(map.live_len(), 1);
    map.clear();
    assert!(map.is_empty());
    assert!(h.iter().all(|s| arena.weak_count(s) == 0));
    map.insert(9, &h[0]);
    assert_eq!(arena.weak_count(&h[0]), 1);
    drop(map);
    assert_eq!(arena.weak_count(&h[0]), 0);
}

#[test]
fn sweeps_follow_deaths_or_stream() {
    let (mut arena, mut h) = arena_with(1000);
    let mut map = WeakValueMap::new(&arena);
    for (i, handle) in h.iter().enumerate() {
        map.insert(i, handle);
    }
    drop(h.drain(..5));
    let stats = map.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed), (SweepMode::Deaths, 5));
    drop(h.drain(..400));
    let stats = map.sweep(&arena.end_frame());
    assert_eq!((stats.mode, stats.removed), (SweepMode::Stream, 400));
    assert_eq!(map.len(), 595);
    assert_eq!(format!("{map:?}").matches("Weak(").count(), 595);
}
