//! WeakValueMap's entry API: Python's `WeakValueDictionary.setdefault`,
//! which stores the default over a key whose object died.

#[path = "../../core/tests/caller/mod.rs"]
mod caller;
mod common;

use caller::panic_site;
use common::arena_with;
use weakarena_collections::{Sweep, ValueEntry, WeakValueMap};

#[test]
fn or_insert_keeps_a_live_object_and_counts_a_new_one() {
    let (arena, h) = arena_with(2);
    let mut map = WeakValueMap::new(&arena);
    assert_eq!(map.entry("k").or_insert(&h[0]), h[0].downgrade());
    assert_eq!(map.entry("k").or_insert(&h[1]), h[0].downgrade());
    assert_eq!((arena.weak_count(&h[0]), arena.weak_count(&h[1])), (1, 0));
    assert_eq!(map.entry("j").or_insert_with(|| h[1].clone()), h[1].downgrade());
    assert_eq!(h[1].strong_count(), 1, "the made handle is not kept");
}

#[test]
fn setdefault_on_a_dead_object_replaces_it() {
    let (mut arena, mut h) = arena_with(2);
    let mut map = WeakValueMap::new(&arena);
    map.insert("k", &h[0]);
    drop(h.remove(0));
    assert!(matches!(map.entry("k"), ValueEntry::Vacant(_)));
    assert_eq!(map.entry("k").or_insert(&h[0]), h[0].downgrade());
    assert_eq!(map.get("k"), Some(h[0].downgrade()));
    assert_eq!(arena.weak_count(&h[0]), 1);
    map.sweep(&arena.end_frame());
    assert_eq!(map.get("k"), Some(h[0].downgrade()), "the sweep of the dead object keeps the new entry");
    assert_eq!(map.len(), 1);
}

#[test]
fn occupied_entries_replace_and_remove() {
    let (arena, h) = arena_with(2);
    let mut map = WeakValueMap::new(&arena);
    map.insert("k", &h[0]);
    let ValueEntry::Occupied(entry) = map.entry("k") else { panic!("occupied") };
    assert_eq!((*entry.key(), entry.get()), ("k", h[0].downgrade()));
    assert_eq!(entry.upgrade().as_ref(), Some(&h[0]));
    assert_eq!(entry.insert(&h[1]), h[0].downgrade());
    assert_eq!((arena.weak_count(&h[0]), arena.weak_count(&h[1])), (0, 1));
    let ValueEntry::Occupied(entry) = map.entry("k") else { panic!("occupied") };
    assert_eq!(entry.remove(), h[1].downgrade());
    assert!(map.is_empty());
    assert_eq!(arena.weak_count(&h[1]), 0);
}

#[test]
fn vacant_entries_insert_or_give_the_key_back() {
    let (arena, mut h) = arena_with(2);
    let mut map: WeakValueMap<String, usize> = WeakValueMap::new(&arena);
    let ValueEntry::Vacant(entry) = map.entry("k".to_string()) else { panic!("vacant") };
    assert_eq!(entry.key(), "k");
    let dead = h.remove(0).downgrade();
    assert_eq!(entry.try_insert(dead).unwrap_err().value, "k");
    let ValueEntry::Vacant(entry) = map.entry("k".to_string()) else { panic!("vacant") };
    assert_eq!(entry.try_insert(&h[0]).ok(), Some(h[0].downgrade()));
    assert_eq!(map.get("k"), Some(h[0].downgrade()));
    let ValueEntry::Vacant(entry) = map.entry("gone".to_string()) else { panic!("vacant") };
    assert_eq!(entry.into_key(), "gone");
}

#[test]
fn a_foreign_default_panics_at_the_callers_line() {
    let (arena, _h) = arena_with(1);
    let (_other, g) = arena_with(1);
    let mut map: WeakValueMap<&str, usize> = WeakValueMap::new(&arena);
    let (message, site) = panic_site(|| map.entry("k").or_insert(&g[0]));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("used with arena"), "{message}");
    assert!(map.is_empty());
}
