//! Live entries survive every kind of sweep and stay reachable through every
//! accessor; behaviours mutation testing found unpinned.

mod common;

use common::arena_with;
use weakarena_collections::{Sweep, SweepMode, WeakKeyMap, WeakValueMap};

#[test]
fn a_value_map_with_an_entry_is_not_empty_until_the_entry_goes() {
    let (_arena, h) = arena_with(1);
    let mut map = WeakValueMap::new(&_arena);
    assert!(map.is_empty());
    map.insert("a", &h[0]);
    assert!(!map.is_empty());
    map.remove("a");
    assert!(map.is_empty());
}

/// Kills every other object of `h`, leaving the rest alive.
fn kill_odd(h: &mut Vec<weakarena_core::Strong<usize>>) {
    let kept: Vec<_> = h.drain(..).enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, s)| s).collect();
    *h = kept;
}

#[test]
fn streaming_and_full_sweeps_drop_only_the_dead_entries_of_a_value_map() {
    for missed_a_frame in [false, true] {
        let (mut arena, mut h) = arena_with(64);
        let mut map = WeakValueMap::new(&arena);
        map.extend(h.iter().enumerate());
        kill_odd(&mut h);
        let mut report = arena.end_frame();
        if missed_a_frame {
            report = arena.end_frame();
        }
        let stats = map.sweep(&report);
        let expected = if missed_a_frame { SweepMode::Full } else { SweepMode::Stream };
        assert_eq!(stats.mode, expected, "half the entries died: not a lookup sweep");
        assert_eq!((stats.removed, map.len()), (32, 32));
        for (i, strong) in h.iter().enumerate() {
            assert_eq!(map.get(&(2 * i)), Some(strong.downgrade()), "a live entry was swept");
        }
    }
}

#[test]
fn iter_mut_reaches_every_live_value_of_a_key_map() {
    let (_arena, h) = arena_with(3);
    let mut map = WeakKeyMap::new(&_arena);
    for strong in &h {
        map.insert(strong, 10);
    }
    let mut seen = 0;
    for (key, value) in map.iter_mut() {
        *value += key.raw().index() as i32;
        seen += 1;
    }
    assert_eq!(seen, 3);
    for (i, strong) in h.iter().enumerate() {
        assert_eq!(map.get(strong), Some(&(10 + i as i32)));
    }
}

#[test]
fn a_refused_insert_shows_why_in_debug() {
    let (_arena, h) = arena_with(1);
    let other = weakarena_core::Arena::<usize>::new();
    let mut map = WeakKeyMap::new(&other);
    let refused = map.try_insert(&h[0], 'v').unwrap_err();
    let debug = format!("{refused:?}");
    assert!(debug.starts_with("InsertError { error: WrongArena") && debug.ends_with(", .. }"), "{debug}");
}

#[test]
fn the_dense_map_counts_and_lists_only_live_keys() {
    let (arena, mut h) = arena_with(3);
    let mut map = WeakKeyMap::new(&arena);
    for key in &h {
        map.insert(key, arena[key]);
    }
    assert_eq!(map.live_len(), 3);
    drop(h.remove(1));
    assert_eq!((map.len(), map.live_len()), (3, 2), "stored until the sweep, live at once");
    let mut kept: Vec<usize> = map.keyrefs().iter().map(|&key| arena[key]).collect();
    kept.sort_unstable();
    assert_eq!(kept, [0, 2]);
}
