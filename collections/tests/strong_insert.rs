//! Inserting with a `Strong` needs no `unwrap`; a `Strong` of another
//! arena is a bug that panics at the caller's line, and the `try_` twins
//! return the error instead.

#[path = "../../core/tests/caller/mod.rs"]
mod caller;
mod common;

use caller::panic_site;
use common::arena_with;
use weakarena_collections::{Entry, SparseWeakKeyMap, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::AccessError;

#[test]
fn strong_inserts_return_plain_values() {
    let (arena, h) = arena_with(2);
    let mut map = WeakKeyMap::new(&arena);
    let mut set = WeakSet::new(&arena);
    let mut names = WeakValueMap::new(&arena);
    let replaced: Option<&str> = map.insert(&h[0], "a");
    let added: bool = set.insert(&h[0]);
    let before: Option<_> = names.insert("x", &h[0]);
    assert_eq!((replaced, added, before), (None, true, None));
    assert_eq!(map.insert(&h[0], "b"), Some("a"));
    assert!(!set.insert(&h[0]));
    assert_eq!(names.insert("x", &h[1]), Some(h[0].downgrade()));
    *map.get_or_insert_with(&h[1], || "c") = "d";
    assert_eq!(map[&h[1]], "d");
    let mut sparse = SparseWeakKeyMap::new(&arena);
    assert_eq!(sparse.insert(&h[0], "a"), None);
    assert_eq!(sparse.insert(&h[0], "b"), Some("a"));
    *sparse.entry(&h[1]).or_insert("c") = "d";
    assert_eq!(sparse[&h[1]], "d");
    assert!(matches!(sparse.entry(&h[0]), Entry::Occupied(_)));
    assert_eq!((arena.weak_count(&h[0]), arena.weak_count(&h[1])), (3, 3));
}

#[test]
fn a_foreign_strong_panics_at_the_callers_line() {
    let (arena, _h) = arena_with(1);
    let (_other, g) = arena_with(1);
    let mut map: WeakKeyMap<usize, u8> = WeakKeyMap::new(&arena);
    let mut set = WeakSet::new(&arena);
    let mut names = WeakValueMap::new(&arena);
    let (message, site) = panic_site(|| map.insert(&g[0], 1));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("used with arena") && message.contains("try_"), "{message}");
    let (_, site) = panic_site(|| *map.get_or_insert_with(&g[0], || 1));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let mut sparse: SparseWeakKeyMap<usize, u8> = SparseWeakKeyMap::new(&arena);
    let (_, site) = panic_site(|| sparse.insert(&g[0], 1));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| *sparse.entry(&g[0]).or_insert(1));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| set.insert(&g[0]));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| names.insert("x", &g[0]));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| set.extend([&g[0]]));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(map.is_empty() && set.is_empty() && names.is_empty());
}

#[test]
fn the_try_twins_return_the_refusal() {
    let (arena, mut h) = arena_with(1);
    let (_other, g) = arena_with(1);
    let mut map: WeakKeyMap<usize, u8> = WeakKeyMap::new(&arena);
    let mut set = WeakSet::new(&arena);
    let mut names = WeakValueMap::new(&arena);
    let foreign = |error: AccessError| matches!(error, AccessError::WrongArena { .. });
    assert!(foreign(map.try_insert(&g[0], 1).unwrap_err().error));
    assert!(foreign(map.try_get_or_insert_with(&g[0], || 1).err().unwrap()));
    let mut sparse: SparseWeakKeyMap<usize, u8> = SparseWeakKeyMap::new(&arena);
    assert!(foreign(sparse.try_insert(&g[0], 1).unwrap_err().error));
    assert!(foreign(sparse.try_entry(&g[0]).err().unwrap()));
    assert!(foreign(set.try_insert(&g[0]).unwrap_err()));
    assert!(foreign(names.try_insert("x", &g[0]).unwrap_err().error));
    let dead = h.remove(0).downgrade();
    assert!(matches!(map.try_insert(dead, 2).unwrap_err().error, AccessError::Dead(_)));
    assert!(matches!(set.try_insert(dead), Err(AccessError::Dead(_))));
    assert_eq!(names.try_insert("y", dead).unwrap_err().value, "y");
}

#[test]
fn extending_with_weak_handles_skips_the_dead() {
    let (arena, mut h) = arena_with(3);
    let weak: Vec<_> = h.iter().map(|s| s.downgrade()).collect();
    drop(h.remove(0));
    let mut set = WeakSet::new(&arena);
    set.extend(weak.iter());
    set.extend(weak.clone());
    let mut map = WeakKeyMap::new(&arena);
    map.extend(weak.iter().map(|w| (w, 1)));
    let mut sparse = SparseWeakKeyMap::new(&arena);
    sparse.extend(weak.iter().map(|w| (*w, 1)));
    let mut names = WeakValueMap::new(&arena);
    names.extend(weak.iter().enumerate());
    assert_eq!((set.len(), map.len(), sparse.len(), names.len()), (2, 2, 2, 2));
    assert_eq!(arena.weak_count(&h[0]), 4);
}
