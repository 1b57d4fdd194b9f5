//! WeakSet: copy, ==, the in-place algebra, proper subset and superset,
//! the operators; checked against CPython's WeakSet (see each test).

#[path = "../../core/tests/caller/mod.rs"]
mod caller;
mod common;

use std::cmp::Ordering;

use caller::panic_site;
use common::arena_with;
use weakarena_collections::WeakSet;
use weakarena_core::{Arena, Strong};

fn sorted(arena: &Arena<usize>, set: &WeakSet<usize>) -> Vec<usize> {
    let mut values: Vec<usize> = set.iter().map(|w| arena[w]).collect();
    values.sort();
    values
}

fn counts(arena: &Arena<usize>, handles: &[Strong<usize>]) -> Vec<usize> {
    handles.iter().map(|h| arena.weak_count(h)).collect()
}

#[test]
fn a_clone_is_independent_and_counts_its_memberships() {
    let (arena, h) = arena_with(3);
    let set = WeakSet::from_iter_in(&arena, &h[0..2]);
    let mut copy = set.clone();
    assert_eq!(counts(&arena, &h), [2, 2, 0]);
    copy.insert(&h[2]);
    copy.remove(&h[0]);
    assert_eq!(sorted(&arena, &set), [0, 1]);
    assert_eq!(sorted(&arena, &copy), [1, 2]);
    assert_eq!(counts(&arena, &h), [1, 2, 1]);
    drop(set);
    assert_eq!(counts(&arena, &h), [0, 1, 1]);
}

#[test]
fn a_clone_leaves_dead_members_behind() {
    let (arena, mut h) = arena_with(2);
    let set = WeakSet::from_iter_in(&arena, &h);
    drop(h.remove(0));
    let copy = set.clone();
    assert_eq!((set.len(), copy.len()), (2, 1));
    assert_eq!(sorted(&arena, &copy), [1]);
}

#[test]
fn equality_is_over_live_members_by_identity() {
    let (arena, mut h) = arena_with(3);
    let a = WeakSet::from_iter_in(&arena, &h[0..2]);
    let b = WeakSet::from_iter_in(&arena, &h[1..2]);
    assert!(a != b);
    assert!(a == a.clone());
    drop(h.remove(0));
    assert!(a == b, "the dead member is ignored");
    let twin_value = {
        let mut other = Arena::new();
        let one = other.insert(1usize);
        (WeakSet::from_iter_in(&other, [&one]), one)
    };
    assert!(b != twin_value.0, "another arena's object is another object");
    let (other_arena, _g) = arena_with(1);
    assert!(WeakSet::new(&arena) == WeakSet::<usize>::new(&other_arena), "empty sets are equal");
}

#[test]
fn update_adds_each_live_member_once() {
    let (arena, mut h) = arena_with(4);
    let mut a = WeakSet::from_iter_in(&arena, &h[0..2]);
    let b = WeakSet::from_iter_in(&arena, &h[1..4]);
    drop(h.remove(3));
    a.update(&b);
    assert_eq!(sorted(&arena, &a), [0, 1, 2]);
    assert_eq!(a.len(), 3, "the dead member of b was not copied");
    assert_eq!(counts(&arena, &h), [1, 2, 2]);
}

#[test]
fn difference_update_removes_and_uncounts() {
    for (left, right) in [(0..4, 2..3), (2..3, 0..4), (0..3, 1..4)] {
        let (arena, h) = arena_with(4);
        let mut a = WeakSet::from_iter_in(&arena, &h[left.clone()]);
        let b = WeakSet::from_iter_in(&arena, &h[right.clone()]);
        a.difference_update(&b);
        let expected: Vec<usize> = left.clone().filter(|i| !right.contains(i)).collect();
        assert_eq!(sorted(&arena, &a), expected);
        let expected_counts: Vec<usize> =
            (0..4).map(|i| usize::from(expected.contains(&i)) + usize::from(right.contains(&i))).collect();
        assert_eq!(counts(&arena, &h), expected_counts);
    }
}

#[test]
fn intersection_update_keeps_the_shared_members() {
    let (arena, h) = arena_with(4);
    let mut a = WeakSet::from_iter_in(&arena, &h[0..3]);
    let b = WeakSet::from_iter_in(&arena, &h[1..4]);
    a.intersection_update(&b);
    assert_eq!(sorted(&arena, &a), [1, 2]);
    assert_eq!(counts(&arena, &h), [0, 2, 2, 1]);
}

#[test]
fn symmetric_difference_update_flips_membership() {
    let (arena, mut h) = arena_with(5);
    let mut a = WeakSet::from_iter_in(&arena, &h[0..3]);
    let b = WeakSet::from_iter_in(&arena, &h[2..5]);
    drop(h.remove(4));
    a.symmetric_difference_update(&b);
    assert_eq!(sorted(&arena, &a), [0, 1, 3]);
    assert_eq!(counts(&arena, &h), [1, 1, 1, 2]);
}

#[test]
fn proper_subset_and_superset_follow_deaths() {
    let (arena, mut h) = arena_with(2);
    let one = WeakSet::from_iter_in(&arena, &h[0..1]);
    let two = WeakSet::from_iter_in(&arena, &h[0..2]);
    assert!(one.is_proper_subset(&two) && two.is_proper_superset(&one));
    assert!(!one.is_proper_subset(&one.clone()) && !two.is_proper_superset(&two.clone()));
    assert!(!two.is_proper_subset(&one));
    drop(h.remove(1));
    assert!(!one.is_proper_subset(&two), "the extra member died: the sets are equal");
    assert!(!two.is_proper_superset(&one));
}

#[test]
fn comparison_operators_order_by_inclusion() {
    let (arena, h) = arena_with(3);
    let a = WeakSet::from_iter_in(&arena, &h[0..1]);
    let ab = WeakSet::from_iter_in(&arena, &h[0..2]);
    let c = WeakSet::from_iter_in(&arena, &h[2..3]);
    assert_eq!((a < ab, a <= ab, ab > a, ab >= a, a > ab), (true, true, true, true, false));
    assert_eq!(a.partial_cmp(&a.clone()), Some(Ordering::Equal));
    assert_eq!(ab.partial_cmp(&a), Some(Ordering::Greater));
    assert_eq!(a.partial_cmp(&c), None, "disjoint sets are not comparable");
    assert_eq!((a < c, a > c, a <= c, a >= c, a == c), (false, false, false, false, false));
}

#[test]
fn operators_are_the_algebra() {
    let (arena, h) = arena_with(4);
    let a = WeakSet::from_iter_in(&arena, &h[0..3]);
    let b = WeakSet::from_iter_in(&arena, &h[2..4]);
    assert_eq!(sorted(&arena, &(&a | &b)), [0, 1, 2, 3]);
    assert_eq!(sorted(&arena, &(&a & &b)), [2]);
    assert_eq!(sorted(&arena, &(&a - &b)), [0, 1]);
    assert_eq!(sorted(&arena, &(&a ^ &b)), [0, 1, 3]);
    let mut x = a.clone();
    x |= &b;
    assert_eq!(sorted(&arena, &x), [0, 1, 2, 3]);
    x -= &a;
    assert_eq!(sorted(&arena, &x), [3]);
    x ^= &b;
    assert_eq!(sorted(&arena, &x), [2]);
    x &= &a;
    assert_eq!(sorted(&arena, &x), [2]);
}

#[test]
fn in_place_algebra_between_arenas_panics_at_the_callers_line() {
    let (arena, _h) = arena_with(1);
    let (other, _g) = arena_with(1);
    let mut a = WeakSet::new(&arena);
    let b = WeakSet::new(&other);
    let (message, site) = panic_site(|| a.intersection_update(&b));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("sets of arenas"), "{message}");
    let (_, site) = panic_site(|| a.is_proper_subset(&b));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| a |= &b);
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| a.union(&b));
    assert_eq!(site, (file!().to_string(), line!() - 1));
}
