//! Misusing a tracked reference (another arena than its object's) panics
//! with a message that points at the caller's line, not into weakarena.

mod caller;

use caller::panic_site;
use weakarena_core::{Arena, Proxy, WeakMethod};

fn two_arenas() -> (Arena<i32>, Arena<i32>) {
    (Arena::new(), Arena::new())
}

#[test]
fn a_proxy_used_with_another_arena_blames_the_caller() {
    let (mut arena, mut other) = two_arenas();
    let object = arena.insert(1);
    let proxy = Proxy::new(&object);
    let (message, site) = panic_site(|| proxy.get(&other));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("proxy of arena"), "{message}");
    let (_, site) = panic_site(|| proxy.get_mut(&mut other));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert_eq!(proxy.get(&arena), Ok(&1));
}

#[test]
fn a_callable_proxy_used_with_another_arena_blames_the_caller() {
    let mut arena: Arena<fn(i32) -> i32> = Arena::new();
    let other: Arena<fn(i32) -> i32> = Arena::new();
    let double = arena.insert(|x| x * 2);
    let proxy = Proxy::new(&double);
    let (_, site) = panic_site(|| proxy.call(&other, 2));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert_eq!(proxy.call(&arena, 2), Ok(4));
}

#[test]
fn a_weak_method_called_with_another_arena_blames_the_caller() {
    let (mut arena, mut other) = two_arenas();
    let object = arena.insert(5);
    let get = WeakMethod::new(&object, |value: &i32, ()| *value);
    let bump = WeakMethod::new(&object, |value: &mut i32, ()| *value += 1);
    let (message, site) = panic_site(|| get.call(&other, ()));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("weak method of arena"), "{message}");
    let (_, site) = panic_site(|| bump.call_mut(&mut other, ()));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert_eq!(get.call(&arena, ()), Some(5));
}

#[test]
fn indexing_an_arena_with_a_dead_or_foreign_handle_blames_the_caller() {
    let (mut arena, mut other) = two_arenas();
    let dead = arena.insert(1).downgrade();
    arena.end_frame();
    let (message, site) = panic_site(|| arena[dead]);
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.starts_with("weakarena: "), "{message}");
    let (_, site) = panic_site(|| arena[dead] += 1);
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let foreign = other.insert(2);
    let (_, site) = panic_site(|| arena[&foreign]);
    assert_eq!(site, (file!().to_string(), line!() - 1));
    let (_, site) = panic_site(|| other[&foreign] += arena[&foreign]);
    assert_eq!(site, (file!().to_string(), line!() - 1));
}

#[test]
fn inserting_into_a_full_arena_blames_the_caller() {
    let mut arena = Arena::with_slot_limit(1);
    let _kept = arena.insert(1);
    let (message, site) = panic_site(|| arena.insert(2));
    assert_eq!(site, (file!().to_string(), line!() - 1));
    assert!(message.contains("weakarena: "), "{message}");
}

#[test]
fn absorbing_another_arenas_report_blames_the_caller() {
    let (mut arena, mut other) = two_arenas();
    let mut report = arena.end_frame();
    let foreign = other.end_frame();
    let (_, site) = panic_site(|| report.absorb(foreign));
    assert_eq!(site, (file!().to_string(), line!() - 1));
}
