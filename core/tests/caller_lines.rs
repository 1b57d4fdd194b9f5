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
