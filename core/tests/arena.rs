//! The arena: insert, access, counts, death, reclamation, retirement, limits.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::DropCounter;
use weakarena_core::{AccessError, Arena, Generation, Weak};

#[test]
fn insert_get_and_mutate_through_any_handle() {
    let mut arena = Arena::new();
    let a = arena.insert(String::from("a"));
    let weak = a.downgrade();
    arena.get_mut(&a).unwrap().push('!');
    arena[weak].push('?');
    assert_eq!(arena.get(weak).map(String::as_str), Some("a!?"));
    assert_eq!(arena[&a], "a!?");
    assert!(arena.contains(weak));
    assert_eq!(arena.len(), 1);
}

#[test]
fn strong_counts_rise_and_fall_with_clone_and_drop() {
    let mut arena = Arena::new();
    let p1 = arena.insert(1);
    assert_eq!(arena.strong_count(&p1), 1);
    let p2 = p1.clone();
    assert_eq!(arena.strong_count(&p1), 2);
    let p3 = arena.upgrade(p1.downgrade()).unwrap();
    assert_eq!(p3.strong_count(), 3);
    drop(p2);
    drop(p3);
    assert_eq!(arena.strong_count(&p1), 1);
}

#[test]
fn death_is_immediate_and_final() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let a = arena.insert(DropCounter::new("a", &drops));
    let weak = a.downgrade();
    drop(a);
    assert!(arena.get(weak).is_none());
    assert!(arena.upgrade(weak).is_none());
    assert_eq!(arena.strong_count(weak), 0);
    assert!(!arena.contains(weak));
    assert_eq!(arena.len(), 0);
    assert!(arena.has_pending_deaths());
    assert_eq!(arena.iter().count(), 0);
    assert_eq!(drops.load(Ordering::SeqCst), 0, "values wait for the frame end");
    let report = arena.end_frame();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(report.deaths, vec![weak.raw()]);
    assert!(report.dead[weak.index() as usize]);
    assert!(report.died(weak.raw()));
    assert_eq!(report.values_dropped, 1);
    assert!(!arena.has_pending_deaths());
    assert!(arena.upgrade(weak).is_none());
}

#[test]
fn a_reused_slot_never_answers_a_stale_handle() {
    let mut arena = Arena::new();
    let old = arena.insert("old");
    let stale = old.downgrade();
    drop(old);
    arena.end_frame();
    let new = arena.insert("new");
    assert_eq!(new.downgrade().index(), stale.index(), "the slot is reused");
    assert_ne!(new.downgrade(), stale);
    assert_eq!(arena.get(stale), None);
    assert!(arena.upgrade(stale).is_none());
    assert_eq!(arena.get(&new), Some(&"new"));
}

#[test]
fn iteration_yields_live_objects_only() {
    let mut arena = Arena::new();
    let handles: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let mut kept = handles.clone();
    kept.retain(|h| arena[h] % 3 == 0);
    drop(handles);
    let seen: Vec<i32> = arena.iter().map(|(_, v)| *v).collect();
    assert_eq!(seen, vec![0, 3, 6, 9]);
    for (_, value) in arena.iter_mut() {
        *value *= 10;
    }
    let weak: Vec<Weak<i32>> = arena.iter().map(|(w, _)| w).collect();
    assert_eq!(weak, kept.iter().map(|s| s.downgrade()).collect::<Vec<_>>());
    assert_eq!(arena.get(&kept[1]), Some(&30));
}

#[test]
fn a_slot_that_runs_out_of_generations_is_retired() {
    let before_last = Generation::new(u32::MAX - 1).unwrap();
    let mut arena = Arena::with_first_generation(before_last);
    let first = arena.insert("first");
    let first_weak = first.downgrade();
    drop(first);
    arena.end_frame();
    let last = arena.insert("last");
    let last_weak = last.downgrade();
    assert_eq!(last_weak.index(), first_weak.index());
    assert_eq!(last_weak.generation(), Generation::LAST);
    drop(last);
    let report = arena.end_frame();
    assert_eq!(report.slots_retired, 1);
    assert_eq!(arena.retired_slots(), 1);
    let next = arena.insert("next");
    assert_ne!(next.downgrade().index(), last_weak.index(), "a retired slot is never reused");
    assert_eq!(arena.get(last_weak), None);
    assert_eq!(arena.get(first_weak), None);
}

#[test]
fn a_full_arena_refuses_with_an_error_or_a_clear_panic() {
    let mut arena = Arena::with_slot_limit(2);
    assert_eq!(arena.slot_limit(), 2);
    let _a = arena.insert(1);
    let _b = arena.insert(2);
    let full = arena.try_insert(3).unwrap_err();
    assert_eq!(full.value, 3);
    assert_eq!(full.to_string(), "arena full: all 2 slots are in use or retired");
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| arena.insert(4))).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("arena full"), "{message}");
}

#[test]
fn handles_of_another_arena_are_detected_where_they_carry_it() {
    let mut a = Arena::new();
    let mut b = Arena::new();
    let in_a = a.insert("a");
    let in_b = b.insert("b");
    assert!(matches!(a.try_get(&in_b), Err(AccessError::WrongArena { .. })));
    assert_eq!(a.get(&in_b), None);
    assert!(a.upgrade(&in_b).is_none());
    assert_eq!(a.strong_count(&in_b), 0);
    let err = a.try_get(&in_b).unwrap_err();
    assert!(err.to_string().contains("used with arena"), "{err}");
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| a[&in_b])).unwrap_err();
    assert!(panic.downcast_ref::<String>().unwrap().contains("used with arena"));
    // A plain Weak carries no arena: it reads whatever the other arena holds
    // under the same index and generation (documented), never memory-unsafe.
    assert_eq!(a.get(in_b.downgrade()), Some(&"a"));
    drop(in_a);
}

#[test]
fn dead_handles_give_reference_errors() {
    let mut arena = Arena::new();
    let a = arena.insert(5);
    let weak = a.downgrade();
    drop(a);
    let err = arena.try_get(weak).unwrap_err();
    assert_eq!(err.to_string(), "weakly-referenced object no longer exists");
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| arena[weak])).unwrap_err();
    assert!(panic.downcast_ref::<String>().unwrap().contains("no longer exists"));
}

#[test]
fn strong_handles_are_send_and_sync_for_send_sync_payloads() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<weakarena_core::Strong<String>>();
    assert_send_sync::<Weak<String>>();
    assert_send_sync::<Arena<String>>();
    assert_send_sync::<weakarena_core::WeakRef<String>>();
    assert_send_sync::<weakarena_core::Proxy<String>>();
    assert_send_sync::<weakarena_core::Finalizer<String>>();
}
