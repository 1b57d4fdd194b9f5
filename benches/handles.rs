//! Handle operations, each beside the closest operation a user would
//! otherwise reach for. Ids are `handles/<operation>/<impl>`; every
//! iteration runs a batch of operations and throughput counts them, so the
//! time per operation is the reported time divided by the batch.
//!
//! | operation | weakarena | peers |
//! |---|---|---|
//! | `insert_remove` | `insert`, drop the `Strong`, `end_frame` | slotmap `insert` + `remove` |
//! | `get_random` (100k objects), `get_random_1m` (1M), `get_seq` (100k) | `arena.get(weak)` | slotmap `get(key)` |
//! | `upgrade_drop` | `arena.upgrade(weak)` + drop | `rc::Weak::upgrade`, `sync::Weak::upgrade` |
//! | `clone_drop` | `Strong::clone` + drop | `Rc`, `Arc` clone + drop |
//! | `tracked_ref` | `WeakRef::new` + drop | `Rc::downgrade`, `Arc::downgrade` + drop |
//! | `finalizer` | `Finalizer::new` | a boxed callback pushed on a list |
//! | `map_get` (1M objects, random order) | the dense `WeakKeyMap`'s `get` | `SecondaryMap::get`; the same behind `SlotMap::contains_key` (`secondary_map_checked`) |

use std::hint::black_box;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput};
use slotmap::{DefaultKey, SlotMap};
use weakarena::{Arena, Finalizer, Strong, Weak, WeakKeyMap, WeakRef};

mod support;
use support::{payload, Payload, Rng};

/// Operations per iteration for the cheap operations.
const BATCH: usize = 1000;
/// Objects in the arenas that `get` reads from (7 MB of payload: past L2).
const GET_OBJECTS: usize = 100_000;
/// Objects for `get_random_1m` (72 MB of slots: past the last-level cache).
const GET_OBJECTS_1M: usize = 1_000_000;

type Group<'a> = BenchmarkGroup<'a, criterion::measurement::WallTime>;

fn insert_remove(group: &mut Group<'_>) {
    let mut arena = Arena::new();
    let mut strongs: Vec<Strong<Payload>> = Vec::with_capacity(BATCH);
    group.bench_function("insert_remove/weakarena", |bencher| {
        bencher.iter(|| {
            for i in 0..BATCH as u64 {
                strongs.push(arena.insert(payload(i)));
            }
            strongs.clear();
            arena.end_frame()
        })
    });
    let mut slots = SlotMap::new();
    let mut keys: Vec<DefaultKey> = Vec::with_capacity(BATCH);
    group.bench_function("insert_remove/slotmap", |bencher| {
        bencher.iter(|| {
            for i in 0..BATCH as u64 {
                keys.push(slots.insert(payload(i)));
            }
            for key in keys.drain(..) {
                black_box(slots.remove(key));
            }
        })
    });
}

/// Reads every handle of `objects`, in `order`, through weakarena and
/// through slotmap.
fn get(group: &mut Group<'_>, name: &str, objects: usize, shuffled: bool) {
    let mut arena = Arena::with_capacity(objects);
    let mut slots = SlotMap::with_capacity(objects);
    let strongs: Vec<Strong<Payload>> = (0..objects as u64).map(|i| arena.insert(payload(i))).collect();
    let keys: Vec<DefaultKey> = (0..objects as u64).map(|i| slots.insert(payload(i))).collect();
    let mut order: Vec<usize> = (0..objects).collect();
    if shuffled {
        Rng::new(7).shuffle(&mut order);
    }
    let weaks: Vec<Weak<Payload>> = order.iter().map(|&i| strongs[i].downgrade()).collect();
    let keys: Vec<DefaultKey> = order.iter().map(|&i| keys[i]).collect();
    group.throughput(Throughput::Elements(objects as u64));
    group.bench_function(format!("{name}/weakarena"), |bencher| {
        bencher.iter(|| weaks.iter().map(|&weak| arena.get(weak).map_or(0, |p| p[0])).sum::<u64>())
    });
    group.bench_function(format!("{name}/slotmap"), |bencher| {
        bencher.iter(|| keys.iter().map(|&key| slots.get(key).map_or(0, |p| p[0])).sum::<u64>())
    });
    group.throughput(Throughput::Elements(BATCH as u64));
}

fn upgrade_drop(group: &mut Group<'_>) {
    let mut arena = Arena::new();
    let strong = arena.insert(payload(1));
    let weak = strong.downgrade();
    group.bench_function("upgrade_drop/weakarena", |bencher| {
        bencher.iter(|| (0..BATCH).filter(|_| arena.upgrade(black_box(weak)).is_some()).count())
    });
    let rc = Rc::new(payload(1));
    let rc_weak = Rc::downgrade(&rc);
    group.bench_function("upgrade_drop/rc", |bencher| {
        bencher.iter(|| (0..BATCH).filter(|_| black_box(&rc_weak).upgrade().is_some()).count())
    });
    let arc = Arc::new(payload(1));
    let arc_weak = Arc::downgrade(&arc);
    group.bench_function("upgrade_drop/arc", |bencher| {
        bencher.iter(|| (0..BATCH).filter(|_| black_box(&arc_weak).upgrade().is_some()).count())
    });
}

fn clone_drop(group: &mut Group<'_>) {
    let mut arena = Arena::new();
    let strong = arena.insert(payload(1));
    group.bench_function("clone_drop/weakarena", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(black_box(&strong).clone()))))
    });
    let rc = Rc::new(payload(1));
    group.bench_function("clone_drop/rc", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(Rc::clone(black_box(&rc))))))
    });
    let arc = Arc::new(payload(1));
    group.bench_function("clone_drop/arc", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(Arc::clone(black_box(&arc))))))
    });
}

fn tracked_ref(group: &mut Group<'_>) {
    let mut arena = Arena::new();
    let strong = arena.insert(payload(1));
    group.bench_function("tracked_ref/weakarena", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(WeakRef::new(black_box(&strong))))))
    });
    let rc = Rc::new(payload(1));
    group.bench_function("tracked_ref/rc_downgrade", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(Rc::downgrade(black_box(&rc))))))
    });
    let arc = Arc::new(payload(1));
    group.bench_function("tracked_ref/arc_downgrade", |bencher| {
        bencher.iter(|| (0..BATCH).for_each(|_| drop(black_box(Arc::downgrade(black_box(&arc))))))
    });
}

/// Registers one finalizer on each of `BATCH` fresh objects; the peer pushes
/// a boxed callback, keyed by a slotmap key, on a list. Both closures
/// capture a `u64`, so both allocate.
fn finalizer(group: &mut Group<'_>) {
    group.bench_function("finalizer/weakarena", |bencher| {
        bencher.iter_batched(
            || {
                let mut arena = Arena::with_capacity(BATCH);
                let strongs: Vec<Strong<Payload>> =
                    (0..BATCH as u64).map(|i| arena.insert(payload(i))).collect();
                (arena, strongs)
            },
            |(arena, strongs)| {
                let finalizers: Vec<_> = strongs
                    .iter()
                    .zip(0u64..)
                    .map(|(strong, i)| {
                        Finalizer::new(strong, move || {
                            black_box(i);
                        })
                    })
                    .collect();
                (arena, strongs, finalizers)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("finalizer/boxed_callback", |bencher| {
        bencher.iter_batched(
            || {
                let mut slots = SlotMap::with_capacity(BATCH);
                let keys: Vec<DefaultKey> = (0..BATCH as u64).map(|i| slots.insert(payload(i))).collect();
                (slots, keys)
            },
            |(slots, keys)| {
                let mut callbacks: Vec<(DefaultKey, Box<dyn FnOnce() + Send>)> = Vec::new();
                for (&key, i) in keys.iter().zip(0u64..) {
                    callbacks.push((
                        key,
                        Box::new(move || {
                            black_box(i);
                        }),
                    ));
                }
                (slots, keys, callbacks)
            },
            BatchSize::SmallInput,
        )
    });
}

/// Objects behind `map_get`: a million, so the maps are far past the caches.
const MAP_OBJECTS: usize = 1_000_000;

/// `handles/map_get/weakarena`: the dense `WeakKeyMap`'s `get`, keys in
/// random order, a million objects.
fn map_get_weakarena(group: &mut Group<'_>) {
    let mut arena = Arena::with_capacity(MAP_OBJECTS);
    let strongs: Vec<Strong<Payload>> = (0..MAP_OBJECTS as u64).map(|i| arena.insert(payload(i))).collect();
    let mut map = WeakKeyMap::new(&arena);
    for (strong, i) in strongs.iter().zip(0u64..) {
        map.insert(strong, i);
    }
    let mut keys: Vec<Weak<Payload>> = strongs.iter().map(Strong::downgrade).collect();
    Rng::new(11).shuffle(&mut keys);
    let mut at = 0;
    group.bench_function("map_get/weakarena", |bencher| {
        bencher.iter(|| {
            let batch = &keys[at..at + BATCH];
            at = (at + BATCH) % (MAP_OBJECTS - BATCH);
            batch.iter().map(|&key| *map.get(key).expect("live")).sum::<u64>()
        })
    });
}

/// The slotmap side of `map_get`: `MAP_OBJECTS` objects, a `SecondaryMap`
/// of them, and their keys in the same shuffled order as the weakarena side.
fn secondary_map_fixture(
) -> (SlotMap<DefaultKey, Payload>, slotmap::SecondaryMap<DefaultKey, u64>, Vec<DefaultKey>) {
    let mut slots = SlotMap::with_capacity(MAP_OBJECTS);
    let mut keys: Vec<DefaultKey> = (0..MAP_OBJECTS as u64).map(|i| slots.insert(payload(i))).collect();
    let mut map = slotmap::SecondaryMap::new();
    for (&key, i) in keys.iter().zip(0u64..) {
        map.insert(key, i);
    }
    Rng::new(11).shuffle(&mut keys);
    (slots, map, keys)
}

/// `handles/map_get/secondary_map`: slotmap's `SecondaryMap::get`, the same
/// keys and order; and `handles/map_get/secondary_map_checked`: the same
/// behind `SlotMap::contains_key`, the liveness check a `WeakKeyMap` makes
/// (a `SecondaryMap` alone answers for a removed key until it is removed by
/// hand).
fn map_get_secondary_map(group: &mut Group<'_>) {
    let (slots, map, keys) = secondary_map_fixture();
    let mut at = 0;
    group.bench_function("map_get/secondary_map", |bencher| {
        bencher.iter(|| {
            let batch = &keys[at..at + BATCH];
            at = (at + BATCH) % (MAP_OBJECTS - BATCH);
            batch.iter().map(|&key| *map.get(key).expect("live")).sum::<u64>()
        })
    });
    let mut at = 0;
    group.bench_function("map_get/secondary_map_checked", |bencher| {
        bencher.iter(|| {
            let batch = &keys[at..at + BATCH];
            at = (at + BATCH) % (MAP_OBJECTS - BATCH);
            batch
                .iter()
                .map(|&key| *slots.contains_key(key).then(|| map.get(key)).flatten().expect("live"))
                .sum::<u64>()
        })
    });
}

fn handles(c: &mut Criterion) {
    let mut group = c.benchmark_group("handles");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200));
    group.throughput(Throughput::Elements(BATCH as u64));
    insert_remove(&mut group);
    get(&mut group, "get_random", GET_OBJECTS, true);
    get(&mut group, "get_random_1m", GET_OBJECTS_1M, true);
    get(&mut group, "get_seq", GET_OBJECTS, false);
    upgrade_drop(&mut group);
    clone_drop(&mut group);
    tracked_ref(&mut group);
    finalizer(&mut group);
    map_get_weakarena(&mut group);
    map_get_secondary_map(&mut group);
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    handles(&mut criterion);
    criterion.final_summary();
}
