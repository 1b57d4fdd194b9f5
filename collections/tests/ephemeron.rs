//! Ephemeron semantics: a WeakKeyMap value that holds its own key, directly
//! or through other objects, does not keep the key alive in a collection.

use weakarena_collections::WeakKeyMap;
use weakarena_core::{collect_cycles, Arena, Strong, Trace, Tracer};

struct Thing {
    friend: Option<Strong<Thing>>,
}

impl Trace for Thing {
    fn trace(&self, tracer: &mut Tracer) {
        self.friend.trace(tracer);
    }
}

#[test]
fn a_value_holding_its_own_key_does_not_keep_it_alive() {
    let mut things = Arena::new();
    let key = things.insert(Thing { friend: None });
    let mut meta: WeakKeyMap<Thing, Strong<Thing>> = WeakKeyMap::new(&things);
    meta.insert(&key, key.clone());
    let weak = key.downgrade();
    drop(key);
    assert!(things.get(weak).is_some(), "plain counting: the value keeps its key");
    let report = collect_cycles(&mut [&mut things], &mut [&mut meta]);
    assert_eq!(report.garbage, 1);
    assert!(things.get(weak).is_none());
    assert!(meta.is_empty(), "the entry went with its key");
    assert!(things.is_empty());
}

#[test]
fn a_value_reaching_its_key_through_other_objects_does_not_keep_it_alive() {
    let mut things = Arena::new();
    let key = things.insert(Thing { friend: None });
    let middle = things.insert(Thing { friend: Some(key.clone()) });
    let mut meta: WeakKeyMap<Thing, Strong<Thing>> = WeakKeyMap::new(&things);
    meta.insert(&key, middle);
    drop(key);
    let report = collect_cycles(&mut [&mut things], &mut [&mut meta]);
    assert_eq!(report.garbage, 2);
    assert!(things.is_empty() && meta.is_empty());
}

#[test]
fn a_live_key_keeps_what_its_value_holds() {
    let mut things = Arena::new();
    let key = things.insert(Thing { friend: None });
    let held = things.insert(Thing { friend: None });
    let weak_held = held.downgrade();
    let mut meta: WeakKeyMap<Thing, Strong<Thing>> = WeakKeyMap::new(&things);
    meta.insert(&key, held);
    let report = collect_cycles(&mut [&mut things], &mut [&mut meta]);
    assert_eq!(report.garbage, 0);
    assert!(things.get(weak_held).is_some());
    drop(key);
    let report = collect_cycles(&mut [&mut things], &mut [&mut meta]);
    assert_eq!(report.frames[0].death_count(), 2, "the key died; its value's object with it");
    assert!(things.is_empty());
}

#[test]
fn without_the_map_in_the_collection_its_values_count_as_outside_references() {
    let mut things = Arena::new();
    let key = things.insert(Thing { friend: None });
    let mut meta: WeakKeyMap<Thing, Strong<Thing>> = WeakKeyMap::new(&things);
    meta.insert(&key, key.clone());
    drop(key);
    assert_eq!(collect_cycles(&mut [&mut things], &mut []).garbage, 0);
    assert_eq!(things.len(), 1);
}
