//! The container API: retain, clear, drain, keys, values, get_disjoint_mut,
//! capacity / reserve, `for … in &arena`, and `Debug` with the entries.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{DropCounter, Log};
use weakarena_core::{Arena, Strong, WeakRef};

fn arena_of(values: &[i32]) -> (Arena<i32>, Vec<Strong<i32>>) {
    let mut arena = Arena::new();
    let handles = values.iter().map(|&value| arena.insert(value)).collect();
    (arena, handles)
}

#[test]
fn retain_kills_the_rejected_and_their_callbacks_run_at_the_frame_end() {
    let log = Log::default();
    let (mut arena, handles) = arena_of(&[1, 2, 3, 4]);
    let _watch: Vec<_> =
        handles.iter().map(|h| WeakRef::with_callback(h, log.on(&arena[h].to_string()))).collect();
    let mut seen = Vec::new();
    arena.retain(|handle, value| {
        seen.push(handle);
        *value *= 10;
        *value > 20
    });
    assert_eq!(seen, handles.iter().map(Strong::downgrade).collect::<Vec<_>>(), "slot order");
    assert_eq!(arena.values().copied().collect::<Vec<_>>(), [30, 40]);
    assert!(arena.get(&handles[0]).is_none() && arena.len() == 2);
    assert!(log.lines().is_empty(), "callbacks wait for the frame end");
    let report = arena.end_frame();
    assert_eq!(report.deaths, vec![handles[0].raw(), handles[1].raw()]);
    assert_eq!(log.lines(), ["1", "2"]);
}

#[test]
fn clear_empties_at_once_and_drops_at_the_frame_end() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let handles: Vec<_> = (0..5).map(|_| arena.insert(DropCounter::new("x", &drops))).collect();
    arena.clear();
    assert!(arena.is_empty() && arena.iter().next().is_none());
    assert!(handles.iter().all(|h| !arena.contains(h)));
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    assert_eq!(arena.end_frame().death_count(), 5);
    assert_eq!(drops.load(Ordering::SeqCst), 5);
    drop(handles);
    assert_eq!(arena.end_frame().death_count(), 0);
    arena.clear();
    assert!(!arena.has_pending_deaths(), "clearing an empty arena kills nothing");
}

#[test]
fn drain_hands_the_values_out_and_the_frame_end_drops_none() {
    let drops = Arc::new(AtomicUsize::new(0));
    let log = Log::default();
    let mut arena = Arena::new();
    let a = arena.insert(DropCounter::new("a", &drops));
    let dead = arena.insert(DropCounter::new("dead", &drops));
    let b = arena.insert(DropCounter::new("b", &drops));
    let _watch = WeakRef::with_callback(&a, log.on("a gone"));
    drop(dead);
    let drained: Vec<_> = arena.drain().collect();
    let names: Vec<_> = drained.iter().map(|(handle, value)| (*handle, value.name)).collect();
    assert_eq!(names, [(a.downgrade(), "a"), (b.downgrade(), "b")]);
    assert!(arena.is_empty());
    let report = arena.end_frame();
    assert_eq!((report.death_count(), report.values_dropped, report.callbacks_run), (3, 1, 1));
    assert_eq!(drops.load(Ordering::SeqCst), 1, "only the value that died by count");
    drop(drained);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn an_unused_drain_still_empties_the_arena() {
    let (mut arena, handles) = arena_of(&[1, 2]);
    drop(arena.drain());
    assert!(arena.is_empty() && handles.iter().all(|h| arena.get(h).is_none()));
}

#[test]
fn keys_values_and_values_mut_see_only_live_objects() {
    let (mut arena, mut handles) = arena_of(&[1, 2, 3]);
    drop(handles.remove(1));
    let keys: Vec<_> = arena.keys().collect();
    assert_eq!(keys, [handles[0].downgrade(), handles[1].downgrade()]);
    arena.values_mut().for_each(|value| *value += 100);
    assert_eq!(arena.values().copied().collect::<Vec<_>>(), [101, 103]);
    arena.kill(&handles[0]);
    assert_eq!(arena.keys().collect::<Vec<_>>(), [handles[1].downgrade()]);
}

#[test]
fn get_disjoint_mut_refuses_dead_foreign_and_repeated_handles() {
    let (mut arena, mut handles) = arena_of(&[1, 2, 3]);
    let (_other, foreign) = arena_of(&[9]);
    {
        let [a, c] = arena.get_disjoint_mut([&handles[0], &handles[2]]).unwrap();
        std::mem::swap(a, c);
    }
    assert_eq!((arena[&handles[0]], arena[&handles[2]]), (3, 1));
    assert!(arena.get_disjoint_mut([&handles[0], &handles[0]]).is_none());
    assert!(arena.get_disjoint_mut([handles[0].downgrade(), handles[0].downgrade()]).is_none());
    assert!(arena.get_disjoint_mut([&handles[1], &foreign[0]]).is_none());
    let dead = handles.remove(1).downgrade();
    assert!(arena.get_disjoint_mut([handles[0].downgrade(), dead]).is_none());
    arena.kill(&handles[0]);
    assert!(arena.get_disjoint_mut([&handles[0]]).is_none(), "a killed object is dead");
    let [only] = arena.get_disjoint_mut([&handles[1]]).unwrap();
    *only = 7;
    assert_eq!(arena[&handles[1]], 7);
    let none: [&mut i32; 0] = arena.get_disjoint_mut::<&Strong<i32>, 0>([]).unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_reused_slot_is_not_the_old_handle_in_get_disjoint_mut() {
    let mut arena = Arena::new();
    let old = arena.insert(1).downgrade();
    arena.end_frame();
    let new = arena.insert(2);
    assert_eq!(new.raw().index(), old.index());
    assert!(arena.get_disjoint_mut([old]).is_none());
}

#[test]
fn reserve_allocates_ahead_within_the_slot_limit() {
    let mut arena: Arena<u32> = Arena::new();
    assert_eq!(arena.capacity(), 0);
    arena.reserve(5000);
    let reserved = arena.capacity();
    assert!(reserved >= 5000, "{reserved}");
    let _kept: Vec<_> = (0..5000).map(|n| arena.insert(n)).collect();
    assert_eq!(arena.capacity(), reserved, "no allocation while inserting what was reserved");
    let mut pool: Arena<u32> = Arena::with_slot_limit(10);
    pool.reserve(1_000_000);
    assert_eq!(pool.capacity(), 10, "capped by the slot limit");
    assert!(Arena::<u8>::with_capacity(300).capacity() >= 300);
}

#[test]
fn reserve_counts_the_free_slots() {
    let mut arena: Arena<u32> = Arena::new();
    let first: Vec<_> = (0..10).map(|n| arena.insert(n)).collect();
    let before = arena.capacity();
    drop(first);
    arena.end_frame();
    arena.reserve(10);
    assert_eq!(arena.capacity(), before, "ten free slots already fit ten objects");
}

#[test]
fn for_loops_over_the_arena_see_live_entries_in_slot_order() {
    let (mut arena, mut handles) = arena_of(&[1, 2, 3]);
    drop(handles.remove(0));
    let mut seen = Vec::new();
    for (handle, value) in &arena {
        seen.push((handle, *value));
    }
    assert_eq!(seen, [(handles[0].downgrade(), 2), (handles[1].downgrade(), 3)]);
    for (_, value) in &mut arena {
        *value = -*value;
    }
    assert_eq!(arena.values().copied().collect::<Vec<_>>(), [-2, -3]);
    let mut iter = arena.iter();
    assert_eq!(iter.size_hint(), (0, Some(3)));
    assert!(iter.by_ref().count() == 2 && iter.next().is_none());
}

#[test]
fn debug_shows_the_live_entries() {
    let (mut arena, mut handles) = arena_of(&[10, 20]);
    drop(handles.remove(0));
    let shown = format!("{arena:?}");
    assert!(shown.contains("len: 1") && shown.contains("entries: {Weak(1v1): 20}"), "{shown}");
    assert!(!shown.contains(": 10"), "{shown}");
    arena.end_frame();
    assert!(format!("{arena:#?}").contains("frame: 1"));
}
