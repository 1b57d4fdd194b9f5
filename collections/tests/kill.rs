//! A killed object (`Arena::kill`, a despawn) leaves every weak collection
//! at once, its entries are swept with the frame's report, and inserting
//! it again with a strong handle still out stores nothing.

mod common;

use common::arena_with;
use weakarena_collections::{end_frame_all, sweep_all, SparseWeakKeyMap, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::{AccessError, Arena, Strong};

#[test]
fn a_killed_key_leaves_every_collection_at_once_and_is_swept_with_the_report() {
    let (mut arena, h) = arena_with(3);
    let mut dense = WeakKeyMap::new(&arena);
    let mut sparse = SparseWeakKeyMap::new(&arena);
    let mut names = WeakValueMap::new(&arena);
    let mut set = WeakSet::new(&arena);
    for (i, handle) in h.iter().enumerate() {
        dense.insert(handle, i);
        sparse.insert(handle, i);
        names.insert(i, handle);
        set.insert(handle);
    }
    assert!(arena.kill(&h[1]));
    assert_eq!(
        (dense.get(&h[1]), sparse.get(&h[1]), names.get(&1), set.contains(&h[1])),
        (None, None, None, false)
    );
    assert_eq!((dense.live_len(), sparse.live_len(), names.live_len(), set.live_len()), (2, 2, 2, 2));
    assert_eq!(dense.len(), 3, "stored until the sweep");
    let report = arena.end_frame();
    sweep_all(&[report], &mut [&mut dense, &mut sparse, &mut names, &mut set]);
    assert_eq!((dense.len(), sparse.len(), names.len(), set.len()), (2, 2, 2, 2));
    assert_eq!(arena.weak_count(&h[0]), 4);
}

#[test]
fn inserting_a_killed_object_stores_nothing_and_the_try_twins_say_why() {
    let (mut arena, h) = arena_with(1);
    let mut dense: WeakKeyMap<usize, u8> = WeakKeyMap::new(&arena);
    let mut sparse: SparseWeakKeyMap<usize, u8> = SparseWeakKeyMap::new(&arena);
    let mut names = WeakValueMap::new(&arena);
    let mut set = WeakSet::new(&arena);
    arena.kill(&h[0]);
    assert_eq!(dense.insert(&h[0], 1), None);
    assert_eq!(sparse.insert(&h[0], 1), None);
    assert_eq!(names.insert("orc", &h[0]), None);
    assert!(!set.insert(&h[0]));
    assert!(dense.is_empty() && sparse.is_empty() && names.is_empty() && set.is_empty());
    assert!(matches!(dense.try_insert(&h[0], 1).unwrap_err().error, AccessError::Dead(_)));
    assert!(matches!(set.try_insert(&h[0]), Err(AccessError::Dead(_))));
}

#[test]
fn a_killed_keys_value_is_released_in_the_same_frame_end() {
    struct Unit;
    let mut units = Arena::new();
    let mut escort: WeakKeyMap<Unit, Strong<Unit>> = WeakKeyMap::new(&units);
    let (leader, guard) = (units.insert(Unit), units.insert(Unit));
    let guard_weak = guard.downgrade();
    escort.insert(&leader, guard);
    let _still_held = leader.clone();
    units.kill(&leader);
    let end = end_frame_all(&mut [&mut units], &mut [&mut escort]);
    assert_eq!(end.deaths(), 2, "the leader, then the guard its entry held");
    assert!(units.get(guard_weak).is_none() && escort.is_empty());
}
