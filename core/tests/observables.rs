//! Behaviours that mutation testing found no test pinning down: handle
//! identity (equality, hashing), `SlotTable`'s own upgrade and membership
//! counts, and what `Debug` shows. Each test fails on the mutant named in
//! RELIABILITY.md.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use weakarena_core::{Arena, ArenaFull, Finalizer, Strong};

fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn strong_handles_are_equal_and_hash_alike_exactly_when_they_name_one_object() {
    let mut arena = Arena::new();
    let (a, b) = (arena.insert(1), arena.insert(1));
    let again = a.clone();
    assert!(a == again && Strong::ptr_eq(&a, &again));
    assert!(a != b && !Strong::ptr_eq(&a, &b), "equal values, different objects");
    assert_eq!(hash_of(&a), hash_of(&again));
    assert_ne!(hash_of(&a), hash_of(&b));
    assert_eq!(hash_of(&a), hash_of(&a.downgrade()), "a strong handle hashes as its weak handle");
}

#[test]
fn handles_of_two_arenas_with_the_same_slot_are_different() {
    let (mut first, mut second) = (Arena::new(), Arena::new());
    let (a, b) = (first.insert(1), second.insert(1));
    assert_eq!(a.raw(), b.raw(), "same slot and generation");
    assert!(a != b && !Strong::ptr_eq(&a, &b));
}

#[test]
fn the_side_table_upgrades_live_objects_and_refuses_dead_ones() {
    let mut arena = Arena::new();
    let a = arena.insert("a");
    let weak = a.downgrade();
    let table = arena.slot_table().clone();
    let upgraded = table.upgrade(weak).expect("alive");
    assert!(upgraded == a);
    assert_eq!(a.strong_count(), 2);
    drop((a, upgraded));
    assert!(table.upgrade(weak).is_none());
}

#[test]
fn removing_a_membership_never_touches_another_generation_or_goes_below_zero() {
    let mut arena = Arena::new();
    let old = arena.insert(0);
    let stale = old.raw();
    drop(old);
    arena.end_frame();
    let new = arena.insert(1);
    assert_eq!(new.raw().index(), stale.index(), "the slot was reused");
    let table = arena.slot_table();
    assert!(table.add_membership(new.raw()));
    table.remove_membership(stale);
    assert_eq!(table.memberships(new.raw()), 1, "a stale handle took the new occupant's membership");
    table.remove_membership(new.raw());
    table.remove_membership(new.raw());
    assert_eq!(table.memberships(new.raw()), 0);
    assert!(table.add_membership(new.raw()), "a removal at zero broke the word");
    assert_eq!(table.memberships(new.raw()), 1);
    assert_eq!(arena.weak_count(&new), 1);
}

#[test]
fn debug_shows_handles_finalizers_tables_and_errors() {
    let mut arena = Arena::with_slot_limit(1);
    let a = arena.insert(7);
    assert_eq!(format!("{a:?}"), format!("Strong({:?})", a.raw()));
    let finalizer = Finalizer::new(&a, || ());
    assert_eq!(format!("{finalizer:?}"), format!("Finalizer({:?}, alive)", a.raw()));
    finalizer.call();
    assert_eq!(format!("{finalizer:?}"), format!("Finalizer({:?}, dead)", a.raw()));
    let table = format!("{:?}", arena.slot_table());
    assert!(table.starts_with("SlotTable { id: ") && table.ends_with("pending_deaths: 0 }"), "{table}");
    let full: ArenaFull<i32> = arena.try_insert(8).unwrap_err();
    assert_eq!(format!("{full:?}"), "ArenaFull { slot_limit: 1, .. }");
    assert_eq!(full.to_string(), "arena full: all 1 slots are in use or retired");
    let other = Arena::<i32>::new();
    let wrong = other.try_get(&a).unwrap_err();
    let expected = format!("handle of arena {} used with arena {}", arena.id().get(), other.id().get());
    assert_eq!(wrong.to_string(), expected);
    assert!(std::error::Error::source(&wrong).is_none());
    drop(a);
    let dead = arena.try_get(finalizer.handle()).unwrap_err();
    assert_eq!(dead.to_string(), "weakly-referenced object no longer exists");
    assert!(std::error::Error::source(&dead).is_some());
    let overflow = weakarena_core::CountOverflow.to_string();
    assert!(overflow.starts_with("strong count overflow: more than 268435456 "), "{overflow}");
}
