//! Sweeps and clears are panic-safe, every report is applied, and pops never
//! lose a member at the strong-count limit.

use std::borrow::Borrow;
use std::cell::Cell;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};

use weakarena_collections::{
    end_frame_all, sweep_all, SparseWeakKeyMap, Sweep, SweepMode, ValueEntry, WeakKeyMap, WeakSet,
    WeakValueMap,
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

/// Counts its drops; panics in `Drop` when it is a bomb. Compares, hashes
/// and borrows as its number, so a value map can look it up by number.
#[derive(Clone)]
struct Counted(usize, bool);

impl PartialEq for Counted {
    fn eq(&self, other: &Counted) -> bool {
        self.0 == other.0
    }
}

impl Eq for Counted {}

impl Hash for Counted {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Borrow<usize> for Counted {
    fn borrow(&self) -> &usize {
        &self.0
    }
}

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

/// The `i`th stored value: numbers 1 and 5 (and 21 and 25) are bombs, so a second
/// panic during unwinding would abort the process.
fn counted(i: usize) -> Counted {
    Counted(i, counted_is_bomb(i))
}

fn counted_is_bomb(i: usize) -> bool {
    i % 20 == 1 || i % 20 == 5
}

/// Fills a map with ten `Counted` through `fill`, then `clear`s it under
/// `catch_unwind`, then fills another and drops it: each must finish,
/// resume the first panic, drop every stored value once (`stored` copies in
/// all) and leave every membership gone (the cleared map empty).
fn clear_with_two_panicking_drops<M>(
    stored: usize,
    fill: impl Fn(&Arena<u32>, &[Strong<u32>]) -> M,
    clear: impl FnOnce(&mut M),
    len: impl FnOnce(&M) -> usize,
) {
    let mut arena = Arena::new();
    let keys: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let mut map = fill(&arena, &keys);
    let payload = |act: &mut dyn FnMut()| {
        let before = DROPPED.with(Cell::get);
        let payload = catch_unwind(AssertUnwindSafe(act)).expect_err("the first panic is resumed");
        let message = payload.downcast_ref::<String>().expect("a formatted message");
        assert!(message.starts_with("bomb "), "{message}");
        assert_eq!(DROPPED.with(Cell::get) - before, stored, "every stored value dropped once");
        assert!(keys.iter().all(|key| arena.weak_count(key) == 0), "no membership left");
    };
    let mut clear = Some(clear);
    payload(&mut || clear.take().expect("run once")(&mut map));
    assert_eq!(len(&map), 0, "the map is empty");
    let mut dropped = Some(fill(&arena, &keys));
    payload(&mut || drop(dropped.take()));
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

/// A value map with ten `Counted` keys (two of them bombs), one object each.
fn value_map_of(arena: &Arena<u32>, objects: &[Strong<u32>]) -> WeakValueMap<Counted, u32> {
    let mut map = WeakValueMap::new(arena);
    objects.iter().enumerate().for_each(|(i, object)| {
        map.insert(counted(i), object);
    });
    map
}

#[test]
fn a_value_map_clear_finishes_and_resumes_the_first_panic_when_two_keys_drop_panic() {
    // Three copies of each key: the ordered table's slot and hash index,
    // and the reverse index. It aborted the test binary before the fix.
    clear_with_two_panicking_drops(30, value_map_of, WeakValueMap::clear, WeakValueMap::len);
}

/// The keys a value map holds an entry for, sorted.
fn stored_keys(map: &WeakValueMap<Counted, u32>) -> Vec<usize> {
    let mut keys: Vec<usize> = map.keys().map(|key| key.0).collect();
    keys.sort_unstable();
    keys
}

#[test]
fn removing_value_map_entries_with_panicking_keys_never_aborts_and_keeps_counts_exact() {
    let mut arena = Arena::new();
    let objects: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let mut map = value_map_of(&arena, &objects);
    let removed = |map: &mut WeakValueMap<Counted, u32>,
                   act: &mut dyn FnMut(&mut WeakValueMap<Counted, u32>)| {
        let payload = catch_unwind(AssertUnwindSafe(|| act(map))).expect_err("the key's panic is resumed");
        assert!(payload.downcast_ref::<String>().is_some_and(|message| message.starts_with("bomb ")));
    };
    // `retain` meets both bombs (1 and 5): it must go on after the first.
    removed(&mut map, &mut |map| map.retain(|key, _| key.0 % 2 == 0 || key.0 == 9));
    assert_eq!(stored_keys(&map), [0, 2, 4, 6, 8, 9]);
    // `pop_item` takes the newest, whose key is a bomb.
    map.insert(counted(5), &objects[5]);
    removed(&mut map, &mut |map| drop(map.pop_item()));
    // `remove`, by key and through an entry (which holds one more copy).
    map.insert(counted(1), &objects[1]);
    removed(&mut map, &mut |map| {
        map.remove(&1);
    });
    map.insert(counted(1), &objects[1]);
    removed(&mut map, &mut |map| match map.entry(counted(1)) {
        ValueEntry::Occupied(entry) => {
            entry.remove();
        }
        ValueEntry::Vacant(_) => unreachable!("key 1 is stored"),
    });
    assert_eq!(stored_keys(&map), [0, 2, 4, 6, 8, 9]);
    // Re-inserting a present bomb drops the spare copies, for the same
    // object and for another.
    map.insert(counted(5), &objects[5]);
    removed(&mut map, &mut |map| {
        map.insert(counted(5), &objects[5]);
    });
    removed(&mut map, &mut |map| {
        map.insert(counted(5), &objects[4]);
    });
    assert_eq!(map.get(&5), Some(objects[4].downgrade()));
    removed(&mut map, &mut |map| {
        map.remove(&5);
    });
    assert_eq!(stored_keys(&map), [0, 2, 4, 6, 8, 9]);
    assert_eq!(map.len(), 6);
    for (i, object) in objects.iter().enumerate() {
        let expected = usize::from(stored_keys(&map).contains(&i));
        assert_eq!(arena.weak_count(object), expected, "object {i}");
    }
}

#[test]
fn sweeping_value_map_entries_with_panicking_keys_never_aborts_in_any_mode() {
    // Deaths (2 of 22 entries), Stream (12 of 22), Full (a frame missed).
    for (dying, missed_frame) in
        [(vec![1, 5], false), ((0..20).step_by(2).chain([1, 5]).collect(), false), (vec![1, 5], true)]
    {
        let mut arena = Arena::new();
        let objects: Vec<_> = (0..20).map(|i| arena.insert(i)).collect();
        let mut map = WeakValueMap::new(&arena);
        objects.iter().enumerate().for_each(|(i, object)| {
            map.insert(counted(i), object);
        });
        // Object 1 under three bomb keys: its reverse-index entry holds a list.
        map.insert(counted(21), &objects[1]);
        map.insert(counted(25), &objects[1]);
        let mut kept = Vec::new();
        for (i, object) in objects.into_iter().enumerate() {
            if !dying.contains(&i) {
                kept.push((i, object));
            }
        }
        if missed_frame {
            arena.end_frame();
        }
        let stats = map.sweep(&arena.end_frame());
        assert!(!stats.panics.is_empty() && stats.panics.iter().all(|panic| panic.starts_with("bomb ")));
        assert_eq!(map.len(), kept.len(), "exact after the sweep ({:?})", stats.mode);
        assert_eq!(stored_keys(&map), kept.iter().map(|(i, _)| *i).collect::<Vec<_>>());
        assert!(kept.iter().all(|(_, object)| arena.weak_count(object) == 1));
    }
}

#[test]
fn appending_maps_whose_dead_entries_panic_in_drop_never_aborts() {
    let mut arena = Arena::new();
    let objects: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let mut values = value_map_of(&arena, &objects);
    let mut keys = SparseWeakKeyMap::new(&arena);
    objects.iter().enumerate().for_each(|(i, object)| drop(keys.insert(object, counted(i))));
    let (bombs, alive): (Vec<_>, Vec<_>) =
        objects.into_iter().enumerate().partition(|(i, _)| counted_is_bomb(*i));
    drop(bombs); // the entries of both bombs die, unswept
    let mut into_values = WeakValueMap::new(&arena);
    let mut into_keys = SparseWeakKeyMap::new(&arena);
    assert!(catch_unwind(AssertUnwindSafe(|| into_values.append(&mut values))).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| into_keys.append(&mut keys))).is_err());
    assert!(values.is_empty() && keys.is_empty());
    assert_eq!((into_values.len(), into_keys.len()), (alive.len(), alive.len()));
    assert!(alive.iter().all(|(_, object)| arena.weak_count(object) == 2));
}
