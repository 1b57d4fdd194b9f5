//! Generation exhaustion: a slot driven through its last generations keeps
//! every stale handle dead, is retired after the last one, and is never
//! handed out again.

use weakarena_core::{AccessError, Arena, Generation, RawHandle, Weak, WeakRef};

/// Generations the slot goes through before it retires.
const LAST_FEW: u32 = 6;

fn first_of_the_last_few() -> Generation {
    Generation::new(u32::MAX - (LAST_FEW - 1)).unwrap()
}

/// Asserts that nothing answers through `stale` any more.
fn assert_dead(arena: &Arena<u32>, stale: Weak<u32>) {
    assert_eq!(arena.get(stale), None, "{stale:?}");
    assert!(arena.upgrade(stale).is_none(), "{stale:?}");
    assert!(!arena.contains(stale), "{stale:?}");
    assert_eq!(arena.strong_count(stale), 0, "{stale:?}");
    assert_eq!(arena.weak_count(stale), 0, "{stale:?}");
    assert!(matches!(arena.try_get(stale), Err(AccessError::Dead(_))), "{stale:?}");
}

/// One occupant of the slot: inserted, checked, killed and reclaimed.
/// Returns its handle and the tracked reference it had.
fn live_and_die(arena: &mut Arena<u32>, value: u32) -> (Weak<u32>, WeakRef<u32>) {
    let strong = arena.insert(value);
    let weak = strong.downgrade();
    let tracked = WeakRef::new(&strong);
    assert_eq!(tracked.handle(), weak, "never the shared reference of an earlier occupant");
    assert_eq!(arena.get(weak), Some(&value));
    drop(strong);
    let report = arena.end_frame();
    assert_eq!(report.deaths, vec![weak.raw()]);
    (weak, tracked)
}

#[test]
fn a_slot_driven_through_its_last_generations_retires_without_aliasing() {
    let mut arena = Arena::with_first_generation(first_of_the_last_few());
    let mut stale: Vec<(Weak<u32>, WeakRef<u32>)> = Vec::new();
    for value in 0..LAST_FEW {
        let (weak, tracked) = live_and_die(&mut arena, value);
        assert_eq!(weak.index(), 0, "the one slot is reused while it has generations");
        assert_eq!(weak.generation().get(), first_of_the_last_few().get() + value);
        stale.push((weak, tracked));
        for (old, old_ref) in &stale {
            assert_dead(&arena, *old);
            assert!(old_ref.upgrade().is_none());
        }
    }
    assert_eq!(stale.last().unwrap().0.generation(), Generation::LAST);
    assert_eq!(arena.retired_slots(), 1);
    assert_eq!(arena.slot_count(), 1);

    let fresh = arena.insert(100);
    assert_eq!(fresh.downgrade().index(), 1, "the retired slot is skipped");
    assert_eq!(arena.slot_count(), 2);
    for (old, old_ref) in &stale {
        assert_dead(&arena, *old);
        assert!(!old_ref.is_alive());
    }
    assert_eq!(arena.get(&fresh), Some(&100));
}

#[test]
fn forged_handles_to_a_retired_slot_find_nothing() {
    let mut arena = Arena::with_first_generation(Generation::LAST);
    let (last, _) = live_and_die(&mut arena, 7);
    assert_eq!(arena.retired_slots(), 1);
    let keep = arena.insert(8);
    let generations = [1, 2, u32::MAX - 1, u32::MAX].map(|g| Generation::new(g).unwrap());
    for generation in generations {
        let forged: Weak<u32> = Weak::from_raw(RawHandle::new(last.index(), generation));
        assert_dead(&arena, forged);
    }
    assert_eq!(arena.get(&keep), Some(&8));
}

#[test]
fn retirement_is_reported_once_per_slot() {
    let mut arena = Arena::with_first_generation(Generation::LAST);
    let handles: Vec<_> = (0..3).map(|value| arena.insert(value)).collect();
    drop(handles);
    let report = arena.end_frame();
    assert_eq!(report.slots_retired, 3);
    assert_eq!(arena.retired_slots(), 3);
    assert_eq!(arena.end_frame().slots_retired, 0);
    let next = arena.insert(3);
    assert_eq!(next.downgrade().index(), 3);
}
