//! Seed tutorial 1: reference counts going up and down, a weak reference
//! going dead, and weak-key dictionary entries counting as weak references.
//!
//! The story, step by step (each step prints what Python's `weakref` prints
//! for the same code; the scenario `01_refcounts_and_weak_keys.wrs` in
//! `tests/conformance/scenarios/` checks the two against each other):
//!
//! 1. `p2 = p1` and `del p2`: the strong count rises and falls.
//! 2. `weak1 = weakref.ref(q1)`: a weak reference adds nothing to the count;
//!    `q3 = weak1()` does; the object dies with its last strong reference.
//! 3. `d[r1] = ...` in two `WeakKeyDictionary`s: two weak references, no
//!    strong ones; the entry vanishes when the key dies.
//!
//! Run with `cargo run --example ref_counts`.

use weakarena::prelude::*;

fn main() {
    let mut people: Arena<&str> = Arena::new();

    // 1. Strong counts rise and fall.
    let p1 = people.insert("Guido");
    let p2 = p1.clone();
    println!("count p1 {}", p1.strong_count());
    drop(p2);
    println!("count p1 {}", p1.strong_count());
    assert_eq!(p1.strong_count(), 1);

    // 2. A weak reference keeps nothing alive.
    let q1 = people.insert("Guido2");
    let q2 = q1.clone();
    let weak1 = WeakRef::new(&q1);
    println!("count q1 {} (a weak reference adds nothing)", q1.strong_count());
    let q3 = weak1.upgrade().expect("q1 is alive");
    println!("get weak1 {}", people[&q3]);
    println!("count q1 {} (the upgraded reference counts)", q1.strong_count());
    drop(q3);
    drop(q2);
    let name = weak1.upgrade().map(|s| people[&s]);
    println!("get weak1 {}", name.unwrap_or("None"));
    drop(q1); // the last strong reference: dead now
    assert!(weak1.upgrade().is_none());
    println!("get weak1 None");

    // 3. Weak-key dictionary entries are weak references.
    let r1 = people.insert("Guido3");
    let mut d = WeakKeyMap::new(&people);
    let mut d2 = WeakKeyMap::new(&people);
    d.insert(&r1, "Guido");
    println!("count r1 {} (the dictionary holds it weakly)", r1.strong_count());
    println!("weakcount r1 {}", people.weak_count(&r1));
    d2.insert(&r1, "Guido");
    println!("weakcount r1 {}", people.weak_count(&r1));
    assert_eq!(people.weak_count(&r1), 2);
    for (key, value) in d.iter() {
        println!("items d {}={value}", people[key]);
    }
    drop(r1);
    let report = people.end_frame();
    sweep_all(&[report], &mut [&mut d, &mut d2]);
    println!("items d ({} entries)", d.iter().count());
    println!("len d {}", d.len());
    assert!(d.is_empty() && d2.is_empty());
}
