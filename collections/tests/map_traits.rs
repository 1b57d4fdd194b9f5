//! The maps' copy, ==, Index and merging; checked against CPython's
//! WeakKeyDictionary and WeakValueDictionary (copy, ==, update).

#[path = "../../core/tests/caller/mod.rs"]
mod caller;
mod common;

use std::collections::hash_map::DefaultHasher;
use std::hash::BuildHasherDefault;

use caller::panic_site;
use common::arena_with;
use weakarena_collections::{SparseWeakKeyMap, WeakValueMap};
use weakarena_core::{Arena, Strong};

fn counts(arena: &Arena<usize>, handles: &[Strong<usize>]) -> Vec<usize> {
    handles.iter().map(|h| arena.weak_count(h)).collect()
}

/// The std traits of a key map, for the dense and the sparse one.
macro_rules! key_map_traits {
    ($module:ident, $map:ident) => {
        mod $module {
            use super::*;
            use weakarena_collections::$map;

            fn key_map(
                arena: &Arena<usize>,
                entries: &[(&Strong<usize>, &'static str)],
            ) -> $map<usize, &'static str> {
                $map::from_iter_in(arena, entries.iter().copied())
            }

            #[test]
            fn a_key_map_clone_is_independent_and_counts_its_entries() {
                let (arena, mut h) = arena_with(3);
                let map = key_map(&arena, &[(&h[0], "a"), (&h[1], "b"), (&h[2], "c")]);
                drop(h.remove(2));
                let mut copy = map.clone();
                assert_eq!(copy.len(), 2, "the dead entry is not copied");
                assert_eq!(counts(&arena, &h), [2, 2]);
                copy[&h[0]] = "changed";
                copy.remove(&h[1]);
                assert_eq!((map[&h[0]], map.get(&h[1])), ("a", Some(&"b")));
                assert_eq!(counts(&arena, &h), [2, 1]);
            }

            #[test]
            fn key_maps_are_equal_on_live_entries() {
                let (arena, mut h) = arena_with(2);
                let both = key_map(&arena, &[(&h[0], "a"), (&h[1], "b")]);
                let one = key_map(&arena, &[(&h[0], "a")]);
                assert!(both != one && both == both.clone());
                assert!(one != key_map(&arena, &[(&h[0], "other value")]));
                drop(h.remove(1));
                assert!(both == one, "the dead entry is ignored");
                let (other, g) = arena_with(1);
                assert!(one != key_map(&other, &[(&g[0], "a")]), "another arena's keys are other keys");
                assert!($map::<usize, u8>::new(&arena) == $map::new(&other));
            }

            #[test]
            fn index_panics_at_the_callers_line_for_a_missing_key() {
                let (arena, mut h) = arena_with(2);
                let mut map = key_map(&arena, &[(&h[0], "a")]);
                assert_eq!(map[&h[0]], "a");
                let (message, site) = panic_site(|| map[&h[1]]);
                assert_eq!(
                    site,
                    (file!().to_string(), line!()),
                    "inside a macro, both name the invocation's line"
                );
                assert!(message.contains("no live entry"), "{message}");
                let dead = h.remove(0).downgrade();
                let (_, site) = panic_site(|| map[dead] = "x");
                assert_eq!(
                    site,
                    (file!().to_string(), line!()),
                    "inside a macro, both name the invocation's line"
                );
            }

            #[test]
            fn update_copies_live_entries_and_counts_them() {
                let (arena, mut h) = arena_with(4);
                let mut hp: $map<usize, u32> = $map::from_iter_in(&arena, [(&h[0], 1), (&h[1], 2)]);
                let more = $map::from_iter_in(&arena, [(&h[1], 20), (&h[2], 30), (&h[3], 40)]);
                drop(h.remove(3));
                hp.update(&more);
                assert_eq!((hp[&h[0]], hp[&h[1]], hp[&h[2]]), (1, 20, 30));
                assert_eq!((hp.len(), more[&h[1]]), (3, 20));
                assert_eq!(counts(&arena, &h), [1, 2, 2]);
            }

            #[test]
            fn append_moves_live_entries_and_empties_the_source() {
                let (arena, mut h) = arena_with(4);
                let mut inbox = $map::from_iter_in(&arena, [(&h[0], vec![1]), (&h[1], vec![2])]);
                let mut late =
                    $map::from_iter_in(&arena, [(&h[1], vec![20]), (&h[2], vec![30]), (&h[3], vec![40])]);
                drop(h.remove(3));
                inbox.append(&mut late);
                assert!(late.is_empty());
                assert_eq!((inbox.len(), &inbox[&h[1]], &inbox[&h[2]]), (3, &vec![20], &vec![30]));
                assert_eq!(counts(&arena, &h), [1, 1, 1]);
            }
        }
    };
}

key_map_traits!(dense, WeakKeyMap);
key_map_traits!(sparse, SparseWeakKeyMap);

#[test]
fn a_value_map_clone_keeps_the_hasher_and_counts() {
    let (arena, mut h) = arena_with(3);
    let mut map: WeakValueMap<&str, usize, BuildHasherDefault<DefaultHasher>> =
        WeakValueMap::with_hasher(&arena, BuildHasherDefault::default());
    map.extend([("a", &h[0]), ("b", &h[1]), ("c", &h[2])]);
    drop(h.remove(2));
    let mut copy = map.clone();
    assert_eq!(copy.len(), 2);
    assert_eq!(counts(&arena, &h), [2, 2]);
    copy.insert("a", &h[1]);
    assert_eq!(map.get("a"), Some(h[0].downgrade()));
    assert_eq!(counts(&arena, &h), [1, 3]);
    let keys: Vec<_> = map.keys().collect();
    assert_eq!(map.clone().keys().collect::<Vec<_>>(), keys, "same hasher, same order");
}

#[test]
fn value_maps_are_equal_on_live_objects_by_identity() {
    let (arena, mut h) = arena_with(3);
    let mut one = WeakValueMap::new(&arena);
    let mut other: WeakValueMap<&str, usize, BuildHasherDefault<DefaultHasher>> =
        WeakValueMap::with_hasher(&arena, BuildHasherDefault::default());
    one.insert("x", &h[0]);
    other.insert("x", &h[1]);
    assert!(one != other);
    other.insert("x", &h[0]);
    assert!(one == other, "hashers may differ");
    one.insert("dies", &h[2]);
    assert!(one != other);
    drop(h.remove(2));
    assert!(one == other, "the dead entry is ignored");
}

#[test]
fn value_map_update_and_append_merge_live_entries() {
    let (arena, mut h) = arena_with(3);
    let mut names = WeakValueMap::new(&arena);
    names.insert("a", &h[0]);
    let mut more = WeakValueMap::new(&arena);
    more.extend([("a", &h[1]), ("b", &h[1]), ("dies", &h[2])]);
    drop(h.remove(2));
    names.update(&more);
    assert_eq!((names.len(), names.get("a")), (2, Some(h[1].downgrade())));
    assert_eq!(counts(&arena, &h), [0, 4]);
    let mut target = WeakValueMap::new(&arena);
    target.insert("b", &h[0]);
    target.append(&mut more);
    assert!(more.is_empty());
    assert_eq!((target.len(), target.get("b")), (2, Some(h[1].downgrade())));
    assert_eq!(counts(&arena, &h), [0, 4]);
}

#[test]
fn merging_maps_of_two_arenas_panics_at_the_callers_line() {
    let (arena, _h) = arena_with(1);
    let (other, _g) = arena_with(1);
    let mut mine: SparseWeakKeyMap<usize, u8> = SparseWeakKeyMap::new(&arena);
    let mut theirs = SparseWeakKeyMap::new(&other);
    let (message, site) = panic_site(|| mine.update(&theirs));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("update between collections of arenas"), "{message}");
    let (_, site) = panic_site(|| mine.append(&mut theirs));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let mut names: WeakValueMap<&str, usize> = WeakValueMap::new(&arena);
    let mut foreign: WeakValueMap<&str, usize> = WeakValueMap::new(&other);
    let (_, site) = panic_site(|| names.update(&foreign));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (message, site) = panic_site(|| names.append(&mut foreign));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("append"), "{message}");
}
