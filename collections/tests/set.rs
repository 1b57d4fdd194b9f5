//! WeakSet: membership, algebra, sweeps.

mod common;

use common::arena_with;
use weakarena_collections::{sweep_all, Sweep, WeakSet};
use weakarena_core::Arena;

fn sorted(arena: &Arena<usize>, set: &WeakSet<usize>) -> Vec<usize> {
    let mut values: Vec<usize> = set.iter().map(|w| arena[w]).collect();
    values.sort();
    values
}

#[test]
fn insert_remove_contains_pop_clear() {
    let (arena, h) = arena_with(3);
    let mut set = WeakSet::new(&arena);
    assert!(set.insert(&h[0]));
    assert!(!set.insert(&h[0]));
    set.insert(&h[1]);
    assert!(set.contains(&h[0]) && !set.contains(&h[2]));
    assert_eq!(arena.weak_count(&h[0]), 1);
    assert!(set.remove(&h[0]));
    assert!(!set.remove(&h[0]));
    assert_eq!(arena.weak_count(&h[0]), 0);
    let popped = set.pop().unwrap();
    assert_eq!(arena[&popped], 1);
    assert!(set.pop().is_none());
    set.extend(&h);
    assert_eq!(set.len(), 3);
    set.retain(|w| arena[w] != 2);
    assert_eq!(sorted(&arena, &set), [0, 1]);
    assert_eq!(set.iter_strong().count(), 2);
    set.clear();
    assert!(set.is_empty());
    assert!(format!("{set:?}").starts_with('{'));
}

#[test]
fn a_dead_member_is_refused_and_vanishes() {
    let (mut arena, mut h) = arena_with(2);
    let mut set = WeakSet::from_iter_in(&arena, &h);
    let dead = h.remove(0);
    let weak = dead.downgrade();
    drop(dead);
    assert!(!set.contains(weak));
    assert!(set.try_insert(weak).is_err());
    assert_eq!((set.len(), set.live_len()), (2, 1));
    sweep_all(&[arena.end_frame()], &mut [&mut set]);
    assert_eq!(set.len(), 1);
}

#[test]
fn set_algebra_on_live_members() {
    let (arena, mut h) = arena_with(6);
    let a = WeakSet::from_iter_in(&arena, &h[0..4]);
    let b = WeakSet::from_iter_in(&arena, &h[2..6]);
    assert_eq!(sorted(&arena, &a.union(&b)), [0, 1, 2, 3, 4, 5]);
    assert_eq!(sorted(&arena, &a.intersection(&b)), [2, 3]);
    assert_eq!(sorted(&arena, &a.difference(&b)), [0, 1]);
    assert_eq!(sorted(&arena, &a.symmetric_difference(&b)), [0, 1, 4, 5]);
    let small = WeakSet::from_iter_in(&arena, &h[2..3]);
    assert!(small.is_subset(&a) && small.is_subset(&b));
    assert!(a.is_superset(&small));
    assert!(!a.is_subset(&b));
    assert!(!a.is_disjoint(&b));
    drop(h.drain(2..4));
    assert!(a.is_disjoint(&b), "the shared members died");
    assert!(small.is_subset(&WeakSet::new(&arena)), "an all-dead set is empty");
}

#[test]
fn algebra_between_arenas_panics_with_a_message() {
    let (arena, _h) = arena_with(1);
    let (other, _g) = arena_with(1);
    let a = WeakSet::new(&arena);
    let b = WeakSet::new(&other);
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| a.union(&b))).unwrap_err();
    assert!(panic.downcast_ref::<String>().unwrap().contains("sets of arenas"));
}

#[test]
fn sweep_reports_its_arena() {
    let (mut arena, h) = arena_with(1);
    let mut set = WeakSet::from_iter_in(&arena, &h);
    assert_eq!(set.arena_id(), arena.id());
    drop(h);
    assert_eq!(set.sweep(&arena.end_frame()).removed, 1);
}

#[test]
fn a_dense_set_keeps_its_layout_and_mixes_with_a_hashed_one() {
    let (arena, h) = arena_with(6);
    let mut dense = WeakSet::dense(&arena);
    dense.extend([&h[4], &h[1], &h[3]]);
    let hashed = WeakSet::from_iter_in(&arena, [&h[3], &h[5], &h[1]]);
    assert!(dense.is_dense() && !hashed.is_dense());
    let members: Vec<usize> = dense.iter().map(|w| arena[w]).collect();
    assert_eq!(members, [1, 3, 4], "slot order, not insertion order");
    let both = dense.intersection(&hashed);
    assert!(both.is_dense(), "a result takes the layout of self");
    assert_eq!(sorted(&arena, &both), [1, 3]);
    assert!(!hashed.union(&dense).is_dense());
    assert_eq!(sorted(&arena, &hashed.union(&dense)), [1, 3, 4, 5]);
    assert!(dense.clone().is_dense() && dense.clone() == dense);
    assert_eq!(arena.weak_count(&h[1]), 3, "dense, hashed and their intersection");
    drop(both);
    let mut dense = dense;
    assert_eq!(dense.pop().map(|s| arena[&s]), Some(4), "the highest slot first");
    assert!(!dense.contains(&h[4]) && arena.weak_count(&h[4]) == 0);
    assert!(format!("{dense:?}").starts_with('{'));
}

#[test]
fn a_dense_set_sweeps_exactly_even_after_missed_frames() {
    let (mut arena, mut h) = arena_with(5);
    let mut dense = WeakSet::dense(&arena);
    dense.extend(&h);
    drop(h.remove(3));
    let missed = arena.end_frame();
    drop(h.remove(0));
    let latest = arena.end_frame();
    let reborn = arena.insert(99);
    assert!(dense.insert(&reborn));
    assert_eq!(dense.live_len(), 4);
    assert!(dense.len() >= 5, "the dead members stay stored until a sweep");
    dense.sweep(&latest);
    assert_eq!(dense.len(), 4, "the sweep catches up on the frame it missed: {missed:?}");
    assert!(dense.contains(&reborn) && h.iter().all(|s| dense.contains(s)));
}
