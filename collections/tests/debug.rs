//! Every collection's `Debug` shows its live entries, and only those.

use weakarena_collections::{SparseWeakKeyMap, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::Arena;

#[test]
fn each_collection_debugs_as_its_live_entries() {
    let mut arena = Arena::new();
    let (a, b) = (arena.insert(1), arena.insert(2));
    let dense = WeakKeyMap::from_iter_in(&arena, [(&a, "a"), (&b, "b")]);
    let sparse = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a"), (&b, "b")]);
    let mut set = WeakSet::new(&arena);
    set.insert(&a);
    set.insert(&b);
    let mut values = WeakValueMap::new(&arena);
    values.insert("a", &a);
    values.insert("b", &b);
    let a_weak = a.downgrade();
    drop(b); // dead at once: gone from every view, swept or not
    let entry = format!("{{{a_weak:?}: \"a\"}}");
    assert_eq!(format!("{dense:?}"), entry);
    assert_eq!(format!("{sparse:?}"), entry);
    assert_eq!(format!("{set:?}"), format!("{{{a_weak:?}}}"));
    assert_eq!(format!("{values:?}"), format!("{{\"a\": {a_weak:?}}}"));
}
