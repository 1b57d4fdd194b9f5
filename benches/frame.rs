//! A whole game frame's reclamation: N objects, of which d die and d are
//! born each frame, with three collections beside them — per-object data
//! for all of them, a name registry of all of them, and a selection of
//! 1,000.
//!
//! | id | timed |
//! |---|---|
//! | `frame/weakarena/<N>/<d>` | dropping the d last `Strong`s, then `end_frame_all` over the arena, a `WeakKeyMap`, a `WeakValueMap` and a `WeakSet` |
//! | `frame/slotmap_by_hand/<N>/<d>` | removing each of the d from a `SlotMap`, its `SecondaryMap`, the name `HashMap` and the selection `HashSet`, by hand |
//!
//! Births (d a frame, and the selection topped up to 1,000) happen outside
//! the timed part, the same for both.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use slotmap::{DefaultKey, SecondaryMap, SlotMap};
use weakarena::{end_frame_all, Arena, Strong, WeakKeyMap, WeakSet, WeakValueMap};

mod support;
use support::{configure, payload, Payload, Rng};

/// Members of the selection.
const SELECTED: usize = 1000;

/// One frame's work: births (untimed), then the timed deaths and cleanup.
trait Frame {
    fn births(&mut self, count: usize);
    fn deaths(&mut self, count: usize, rng: &mut Rng) -> Duration;
}

struct Weakarena {
    arena: Arena<Payload>,
    live: Vec<Strong<Payload>>,
    data: WeakKeyMap<Payload, u64>,
    names: WeakValueMap<u64, Payload>,
    selection: WeakSet<Payload>,
    born: u64,
}

impl Weakarena {
    fn new(n: usize) -> Weakarena {
        let arena = Arena::with_capacity(n);
        let (data, names, selection) =
            (WeakKeyMap::new(&arena), WeakValueMap::new(&arena), WeakSet::new(&arena));
        let mut world = Weakarena { arena, live: Vec::with_capacity(n), data, names, selection, born: 0 };
        world.births(n);
        world
    }
}

impl Frame for Weakarena {
    fn births(&mut self, count: usize) {
        for _ in 0..count {
            let object = self.arena.insert(payload(self.born));
            self.data.insert(&object, self.born);
            self.names.insert(self.born, &object);
            if self.selection.len() < SELECTED {
                self.selection.insert(&object);
            }
            self.live.push(object);
            self.born += 1;
        }
    }

    fn deaths(&mut self, count: usize, rng: &mut Rng) -> Duration {
        let victims: Vec<Strong<Payload>> =
            (0..count).map(|_| self.live.swap_remove(rng.below(self.live.len()))).collect();
        let started = Instant::now();
        drop(victims);
        let end = end_frame_all(
            &mut [&mut self.arena],
            &mut [&mut self.data, &mut self.names, &mut self.selection],
        );
        let elapsed = started.elapsed();
        black_box(end);
        elapsed
    }
}

struct SlotmapByHand {
    objects: SlotMap<DefaultKey, Payload>,
    live: Vec<DefaultKey>,
    data: SecondaryMap<DefaultKey, u64>,
    names: HashMap<u64, DefaultKey>,
    selection: HashSet<DefaultKey>,
    born: u64,
}

impl SlotmapByHand {
    fn new(n: usize) -> SlotmapByHand {
        let mut world = SlotmapByHand {
            objects: SlotMap::with_capacity(n),
            live: Vec::with_capacity(n),
            data: SecondaryMap::new(),
            names: HashMap::new(),
            selection: HashSet::new(),
            born: 0,
        };
        world.births(n);
        world
    }
}

impl Frame for SlotmapByHand {
    fn births(&mut self, count: usize) {
        for _ in 0..count {
            let key = self.objects.insert(payload(self.born));
            self.data.insert(key, self.born);
            self.names.insert(self.born, key);
            if self.selection.len() < SELECTED {
                self.selection.insert(key);
            }
            self.live.push(key);
            self.born += 1;
        }
    }

    fn deaths(&mut self, count: usize, rng: &mut Rng) -> Duration {
        let victims: Vec<DefaultKey> =
            (0..count).map(|_| self.live.swap_remove(rng.below(self.live.len()))).collect();
        let started = Instant::now();
        for key in victims {
            let object = self.objects.remove(key).expect("alive");
            self.data.remove(key);
            self.names.remove(&object[0]);
            self.selection.remove(&key);
            black_box(object);
        }
        started.elapsed()
    }
}

/// Times `iters` frames of `world`.
fn frames(world: &mut impl Frame, d: usize, rng: &mut Rng, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        world.births(d);
        total += world.deaths(d, rng);
    }
    total
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    configure(&mut group, 300, 1500);
    for n in [10_000, 100_000, 1_000_000] {
        for d in [10, 100, 1000] {
            let id = format!("{n}/{d}");
            let mut rng = Rng::new(7);
            let mut world = Weakarena::new(n);
            group.bench_function(BenchmarkId::new("weakarena", &id), |bencher| {
                bencher.iter_custom(|iters| frames(&mut world, d, &mut rng, iters))
            });
            drop(world);
            let mut rng = Rng::new(7);
            let mut world = SlotmapByHand::new(n);
            group.bench_function(BenchmarkId::new("slotmap_by_hand", &id), |bencher| {
                bencher.iter_custom(|iters| frames(&mut world, d, &mut rng, iters))
            });
        }
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    frame(&mut criterion);
    criterion.final_summary();
}
