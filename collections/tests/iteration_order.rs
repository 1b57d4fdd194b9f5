//! Deterministic iteration: the hashed collections in insertion order, as
//! CPython's dictionaries (`popitem` takes the newest), the dense map in
//! slot order; nothing seeded per run or per map.

mod common;

use common::arena_with;
use weakarena_collections::{SparseWeakKeyMap, Sweep, WeakKeyMap, WeakSet, WeakValueMap};

/// Objects in a scrambled order (not slot order, not hash order).
const ORDER: [usize; 8] = [5, 2, 7, 0, 6, 3, 1, 4];

#[test]
fn a_sparse_key_map_iterates_in_insertion_order_and_pops_the_newest() {
    let (mut arena, mut h) = arena_with(8);
    let mut map = SparseWeakKeyMap::new(&arena);
    for i in ORDER {
        map.insert(&h[i], i);
    }
    map.insert(&h[2], 22); // a replaced key keeps its place
    assert_eq!(map.remove(&h[7]), Some(7));
    map.insert(&h[7], 77); // back in, now the newest
    let values: Vec<usize> = map.values().copied().collect();
    assert_eq!(values, [5, 22, 0, 6, 3, 1, 4, 77]);
    // A death and its sweep keep the order of the rest.
    let dead = std::mem::replace(&mut h[6], arena.insert(99));
    drop(dead);
    map.sweep(&arena.end_frame());
    let (key, value) = map.pop_item().unwrap();
    assert_eq!((arena[&key], value), (7, 77));
    assert_eq!(map.pop_item().map(|(_, value)| value), Some(4));
    let values: Vec<usize> = map.values().copied().collect();
    assert_eq!(values, [5, 22, 0, 3, 1]);
}

#[test]
fn a_value_map_iterates_in_insertion_order_and_pops_the_newest() {
    let (arena, h) = arena_with(8);
    let mut map = WeakValueMap::new(&arena);
    for i in ORDER {
        map.insert(format!("k{i}"), &h[i]);
    }
    map.insert("k2".to_string(), &h[3]); // replaced: keeps its place
    map.remove("k7");
    map.insert("k7".to_string(), &h[7]); // re-inserted: goes last
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(keys, ["k5", "k2", "k0", "k6", "k3", "k1", "k4", "k7"]);
    let (key, object) = map.pop_item().unwrap();
    assert_eq!((key.as_str(), arena[&object]), ("k7", 7));
    assert_eq!(map.pop_item().map(|(key, _)| key), Some("k4".to_string()));
}

#[test]
fn a_weak_set_iterates_in_insertion_order_and_pops_the_newest() {
    let (arena, h) = arena_with(8);
    let mut set = WeakSet::new(&arena);
    for i in ORDER {
        set.insert(&h[i]);
    }
    let members: Vec<usize> = set.iter().map(|member| arena[member]).collect();
    assert_eq!(members, ORDER);
    assert_eq!(set.pop().map(|member| arena[&member]), Some(4));
}

#[test]
fn the_dense_key_map_iterates_in_slot_order_whatever_the_insertion_order() {
    let (arena, h) = arena_with(8);
    let mut map = WeakKeyMap::new(&arena);
    for i in ORDER {
        map.insert(&h[i], i);
    }
    let values: Vec<usize> = map.values().copied().collect();
    assert_eq!(values, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(map.pop_item().map(|(_, value)| value), Some(7), "the highest slot");
}
