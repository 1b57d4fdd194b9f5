//! Sweeps and clears are panic-safe, every report is applied, and pops never
//! lose a member at the strong-count limit.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use weakarena_collections::{
    end_frame_all, sweep_all, SparseWeakKeyMap, Sweep, SweepMode, WeakKeyMap, WeakSet, WeakValueMap,
};
use weakarena_core::{collect_cycles, end_frames, Arena, PanicSource, Strong, Trace, Tracer};

/// A value whose `Drop` panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("bomb");
    }
}

impl Trace for Bomb {
    fn trace(&self, _: &mut Tracer) {}
}

#[test]
fn a_panicking_value_drop_is_caught_and_the_map_ends_exact() {
    let mut arena = Arena::new();
    let mut map = WeakKeyMap::new(&arena);
    let keys: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    for (i, key) in keys.iter().enumerate() {
        let value = if i < 3 { Some(Bomb) } else { None };
        map.insert(key, value);
    }
    let mut keys = keys.into_iter();
    drop(keys.by_ref().take(3).collect::<Vec<_>>());
    let report = arena.end_frame();
    let stats = map.sweep(&report);
    assert_eq!(stats.panics.len(), 3, "each dropped bomb caught");
    assert_eq!(stats.panics[0], "bomb");
    assert_eq!((stats.mode, stats.removed), (SweepMode::Full, 3));
    assert_eq!(map.len(), 7, "exact after the sweep");
    // The frame was recorded swept only after the work: the next sweep
    // sees no missed frame.
    let rest: Vec<_> = keys.collect();
    drop(rest);
    let stats = map.sweep(&arena.end_frame());
    assert_ne!(stats.mode, SweepMode::Full);
    assert_eq!((stats.removed, map.len()), (7, 0));
}

#[test]
fn the_quiescent_frame_end_reports_a_sweep_panic() {
    let mut arena = Arena::new();
    let mut map = WeakKeyMap::new(&arena);
    let key = arena.insert(1);
    map.insert(&key, Bomb);
    drop(key);
    let end = end_frame_all(&mut [&mut arena], &mut [&mut map]);
    assert_eq!(end.sweeps[0].panics, ["bomb"]);
    assert!(map.is_empty());
}

#[test]
fn an_ephemeron_value_drop_panic_does_not_escape_collect_cycles() {
    let mut arena = Arena::new();
    let mut map = WeakKeyMap::new(&arena);
    let keys: Vec<_> = (0..2).map(|i| arena.insert(i)).collect();
    for key in &keys {
        map.insert(key, Bomb);
    }
    drop(keys);
    let report = catch_unwind(AssertUnwindSafe(|| collect_cycles(&mut [&mut arena], &mut [&mut map])))
        .expect("nothing escapes collect_cycles");
    let panics = &report.frames[0].panics;
    assert_eq!(panics.iter().filter(|panic| panic.source == PanicSource::ValueDrop).count(), 2);
    assert!(panics.iter().all(|panic| panic.message == "bomb"));
    assert!(map.is_empty(), "the table ends exact");
}

#[test]
fn sweep_all_applies_every_report_of_an_arena_in_frame_order() {
    let mut arena = Arena::new();
    let mut set = WeakSet::new(&arena);
    let members: Vec<_> = (0..6).map(|i| arena.insert(i)).collect();
    for member in &members {
        set.insert(member);
    }
    let mut members = members.into_iter();
    drop(members.next());
    let first = end_frames(&mut [&mut arena]).remove(0);
    drop(members.next());
    drop(members.next());
    let second = end_frames(&mut [&mut arena]).remove(0);
    // Given newest first: still applied in frame order, both.
    let stats = sweep_all(&[second, first], &mut [&mut set]);
    assert_eq!(stats[0].removed, 3);
    assert_ne!(stats[0].mode, SweepMode::Full, "frame order: no frame looks missed");
    assert_eq!(set.len(), 3);
}

/// Clones `handle` until its strong count is at the limit (2^28).
fn at_the_limit<T>(handle: &Strong<T>) {
    while let Ok(clone) = handle.try_clone() {
        std::mem::forget(clone);
    }
}

#[test]
#[ignore = "clones a handle 2^28 times: minutes in debug, seconds in release (.ci/run runs it)"]
fn pops_at_the_count_limit_keep_the_member() {
    let mut arena = Arena::new();
    let object = arena.insert(1);
    let mut set = WeakSet::new(&arena);
    let mut keys = WeakKeyMap::new(&arena);
    let mut values = WeakValueMap::new(&arena);
    set.insert(&object);
    keys.insert(&object, "value");
    values.insert("name", &object);
    at_the_limit(&object);
    assert!(catch_unwind(AssertUnwindSafe(|| set.pop())).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| keys.pop_item())).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| values.pop_item())).is_err());
    assert!(set.contains(&object), "the set kept its member");
    assert_eq!(keys.get(&object), Some(&"value"));
    assert!(values.contains_key("name"));
    assert_eq!(arena.weak_count(&object), 3);
}

/// Counts its drops; panics in `Drop` when it is a bomb.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Counted(usize, bool);

thread_local! {
    // Per test thread: the tests run in parallel.
    static DROPPED: Cell<usize> = const { Cell::new(0) };
}

impl Drop for Counted {
    fn drop(&mut self) {
        DROPPED.with(|dropped| dropped.set(dropped.get() + 1));
        if self.1 {
            panic!("bomb {}", self.0);
        }
    }
}

/// The `i`th of ten stored values: numbers 1 and 5 are bombs, so a second
/// panic during unwinding would abort the process.
fn counted(i: usize) -> Counted {
    Counted(i, i % 4 == 1)
}

/// Fills a map with ten `Counted` through `fill`, then `clear`s it under
/// `catch_unwind`: the clear must finish, resume the first panic, drop
/// every stored value once (`stored` copies in all) and leave the map empty
/// with every membership gone.
fn clear_with_two_panicking_drops<M>(
    stored: usize,
    fill: impl FnOnce(&Arena<u32>, &[Strong<u32>]) -> M,
    clear: impl FnOnce(&mut M),
    len: impl FnOnce(&M) -> usize,
) {
    let mut arena = Arena::new();
    let keys: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let mut map = fill(&arena, &keys);
    let before = DROPPED.with(Cell::get);
    let payload = catch_unwind(AssertUnwindSafe(|| clear(&mut map))).expect_err("the first panic is resumed");
    let message = payload.downcast_ref::<String>().expect("a formatted message");
    assert!(message.starts_with("bomb "), "{message}");
    assert_eq!(DROPPED.with(Cell::get) - before, stored, "every stored value dropped once");
    assert_eq!(len(&map), 0, "the map is empty");
    assert!(keys.iter().all(|key| arena.weak_count(key) == 0), "no membership left");
}

#[test]
fn a_key_map_clear_finishes_and_resumes_the_first_panic_when_two_values_drop_panic() {
    clear_with_two_panicking_drops(
        10,
        |arena, keys| {
            let mut map = WeakKeyMap::new(arena);
            keys.iter().enumerate().for_each(|(i, key)| drop(map.insert(key, counted(i))));
            map
        },
        WeakKeyMap::clear,
        WeakKeyMap::len,
    );
    clear_with_two_panicking_drops(
        10,
        |arena, keys| {
            let mut map = SparseWeakKeyMap::new(arena);
            keys.iter().enumerate().for_each(|(i, key)| drop(map.insert(key, counted(i))));
            map
        },
        SparseWeakKeyMap::clear,
        SparseWeakKeyMap::len,
    );
}
