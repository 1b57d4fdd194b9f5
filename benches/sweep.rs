//! Sweep throughput: a weak-keyed map of N entries (`u64` values, keys are
//! 64-byte arena objects) in which a fraction d of the keys died this frame;
//! the timed region is reclaiming their entries, nothing else.
//!
//! Every implementation runs the same steady-state frame loop, outside the
//! timer: spawn keys until the map has N entries again, kill d·N random live
//! keys (same seeded sequence for all), end the frame. Then, timed:
//!
//! | id | reclamation |
//! |---|---|
//! | `weakarena` | the dense `WeakKeyMap`'s `map.sweep(&report)` on rayon's global pool (all cores) |
//! | `weakarena_1t` | the same on a one-thread rayon pool (the frame loop runs inside its `install`) |
//! | `weakarena_sparse` | the hashed `SparseWeakKeyMap`'s `map.sweep(&report)`, all cores |
//! | `slotmap` | `HashMap::retain(\|k, _\| arena.contains_key(*k))` |
//! | `generational_arena` | `HashMap::retain(\|k, _\| arena.contains(*k))` |
//! | `rc_weak` | `Vec<(rc::Weak<_>, u64)>::retain` on `strong_count` |
//! | `weak_table` | `PtrWeakKeyHashMap::remove_expired` |
//!
//! Ids are `sweep/<impl>/<N>/<d>`; throughput is in entries (N). The
//! `bandwidth` group reads a 256 MiB buffer, one thread and all threads: the
//! anchor the README states sweep throughput against.
//!
//! The `sweep_split` group measures where `sweep_all` should stop sweeping
//! inline: a frame's deaths in a 100k-object arena swept from three
//! collections (a `WeakKeyMap`, a `WeakValueMap`, a `WeakSet` of every
//! object), `inline` one after another on the calling thread, `rayon` with
//! `par_iter_mut` on the global pool, as `sweep_all`'s two branches do. Ids
//! `sweep_split/<inline|rayon>/<deaths to sweep, all collections>`.

use std::collections::HashMap;
use std::hint::black_box;
use std::rc::{Rc, Weak as RcWeak};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;
use weakarena::{
    Arena, FrameReport, SparseWeakKeyMap, Strong, Sweep, SweepMode, WeakKeyMap, WeakSet, WeakValueMap,
};

mod support;
use support::{configure, payload, Payload, Rng};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
const DEATH_RATES: [(&str, f64); 4] = [("0.1pct", 0.001), ("1pct", 0.01), ("10pct", 0.1), ("50pct", 0.5)];
/// The bandwidth anchor's buffer: far larger than any cache.
const BANDWIDTH_BYTES: usize = 256 << 20;

/// One implementation's weak-keyed map, run as a frame loop.
trait Workload {
    /// A map of `n` entries over `n` live keys.
    fn build(n: usize) -> Self;
    /// Spawns keys (and their entries) until there are `n` again.
    fn refill(&mut self, n: usize);
    /// Kills `count` random live keys and ends the frame.
    fn kill(&mut self, count: usize, rng: &mut Rng);
    /// Reclaims the dead keys' entries; returns how many went. Timed.
    fn reclaim(&mut self) -> usize;
    /// Runs `frames` where the reclamation should run: here, or on the
    /// implementation's own thread pool (so no hand-off to it is timed).
    fn within<R: Send>(&mut self, frames: impl FnOnce(&mut Self) -> R + Send) -> R
    where
        Self: Sized,
    {
        frames(self)
    }
}

/// The two weak-key maps, as the workload uses them.
trait KeyMap: Sweep {
    fn new_in(arena: &Arena<Payload>) -> Self;
    fn put(&mut self, key: &Strong<Payload>, value: u64);
}

impl KeyMap for WeakKeyMap<Payload, u64> {
    fn new_in(arena: &Arena<Payload>) -> Self {
        WeakKeyMap::new(arena)
    }
    fn put(&mut self, key: &Strong<Payload>, value: u64) {
        self.insert(key, value);
    }
}

impl KeyMap for SparseWeakKeyMap<Payload, u64> {
    fn new_in(arena: &Arena<Payload>) -> Self {
        SparseWeakKeyMap::new(arena)
    }
    fn put(&mut self, key: &Strong<Payload>, value: u64) {
        self.insert(key, value);
    }
}

/// weakarena: an arena, a weak-key map `M`, and the frame's report; swept on
/// rayon's global pool, or on a pool of one thread when `ONE_THREAD`.
struct WeakArenaWork<M, const ONE_THREAD: bool> {
    arena: Arena<Payload>,
    map: M,
    live: Vec<Strong<Payload>>,
    report: Option<FrameReport>,
    pool: Option<rayon::ThreadPool>,
    spawned: u64,
}

impl<M: KeyMap, const ONE_THREAD: bool> Workload for WeakArenaWork<M, ONE_THREAD> {
    fn build(n: usize) -> Self {
        let pool = ONE_THREAD.then(|| {
            rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a one-thread rayon pool")
        });
        let arena = Arena::with_capacity(n);
        let map = M::new_in(&arena);
        let mut work =
            WeakArenaWork { arena, map, live: Vec::with_capacity(n), report: None, pool, spawned: 0 };
        work.refill(n);
        work
    }

    fn refill(&mut self, n: usize) {
        while self.live.len() < n {
            let key = self.arena.insert(payload(self.spawned));
            self.map.put(&key, self.spawned);
            self.live.push(key);
            self.spawned += 1;
        }
    }

    fn kill(&mut self, count: usize, rng: &mut Rng) {
        for _ in 0..count {
            drop(self.live.swap_remove(rng.below(self.live.len())));
        }
        self.report = Some(self.arena.end_frame());
    }

    fn reclaim(&mut self) -> usize {
        let report = self.report.take().expect("kill ended a frame");
        let stats = self.map.sweep(&report);
        assert_ne!(stats.mode, SweepMode::Full, "the map missed a frame");
        stats.removed
    }

    fn within<R: Send>(&mut self, frames: impl FnOnce(&mut Self) -> R + Send) -> R {
        match self.pool.take() {
            Some(pool) => {
                let done = pool.install(|| frames(self));
                self.pool = Some(pool);
                done
            }
            None => frames(self),
        }
    }
}

/// What the slotmap and generational-arena workloads differ in: the arena.
trait PeerArena {
    type Key: Copy + Eq + std::hash::Hash;
    fn with_capacity(n: usize) -> Self;
    fn insert(&mut self, value: Payload) -> Self::Key;
    fn remove(&mut self, key: Self::Key);
    fn contains(&self, key: Self::Key) -> bool;
}

impl PeerArena for slotmap::SlotMap<slotmap::DefaultKey, Payload> {
    type Key = slotmap::DefaultKey;

    fn with_capacity(n: usize) -> Self {
        slotmap::SlotMap::with_capacity(n)
    }

    fn insert(&mut self, value: Payload) -> Self::Key {
        slotmap::SlotMap::insert(self, value)
    }

    fn remove(&mut self, key: Self::Key) {
        slotmap::SlotMap::remove(self, key);
    }

    fn contains(&self, key: Self::Key) -> bool {
        self.contains_key(key)
    }
}

impl PeerArena for generational_arena::Arena<Payload> {
    type Key = generational_arena::Index;

    fn with_capacity(n: usize) -> Self {
        generational_arena::Arena::with_capacity(n)
    }

    fn insert(&mut self, value: Payload) -> Self::Key {
        generational_arena::Arena::insert(self, value)
    }

    fn remove(&mut self, key: Self::Key) {
        generational_arena::Arena::remove(self, key);
    }

    fn contains(&self, key: Self::Key) -> bool {
        generational_arena::Arena::contains(self, key)
    }
}

/// A peer arena and a std `HashMap` keyed by its keys, reclaimed with
/// `retain(|k, _| arena.contains(*k))`.
struct ArenaMapWork<A: PeerArena> {
    arena: A,
    map: HashMap<A::Key, u64>,
    live: Vec<A::Key>,
    spawned: u64,
}

/// slotmap: a `SlotMap` arena and a std `HashMap` keyed by its keys.
type SlotMapWork = ArenaMapWork<slotmap::SlotMap<slotmap::DefaultKey, Payload>>;

/// generational-arena: its `Arena` and a std `HashMap` keyed by `Index`.
type GenArenaWork = ArenaMapWork<generational_arena::Arena<Payload>>;

impl<A: PeerArena> Workload for ArenaMapWork<A> {
    fn build(n: usize) -> Self {
        let arena = A::with_capacity(n);
        let mut work = ArenaMapWork { arena, map: HashMap::with_capacity(n), live: Vec::new(), spawned: 0 };
        work.refill(n);
        work
    }

    fn refill(&mut self, n: usize) {
        while self.live.len() < n {
            let key = self.arena.insert(payload(self.spawned));
            self.map.insert(key, self.spawned);
            self.live.push(key);
            self.spawned += 1;
        }
    }

    fn kill(&mut self, count: usize, rng: &mut Rng) {
        for _ in 0..count {
            let key = self.live.swap_remove(rng.below(self.live.len()));
            self.arena.remove(key);
        }
    }

    fn reclaim(&mut self) -> usize {
        let before = self.map.len();
        let arena = &self.arena;
        self.map.retain(|key, _| arena.contains(*key));
        before - self.map.len()
    }
}

/// std `Rc`s owned in a `Vec`, and a `Vec` of (`rc::Weak`, value) pairs.
struct RcWeakWork {
    owners: Vec<Rc<Payload>>,
    entries: Vec<(RcWeak<Payload>, u64)>,
    spawned: u64,
}

impl Workload for RcWeakWork {
    fn build(n: usize) -> Self {
        let mut work = RcWeakWork { owners: Vec::new(), entries: Vec::with_capacity(n), spawned: 0 };
        work.refill(n);
        work
    }

    fn refill(&mut self, n: usize) {
        while self.owners.len() < n {
            let owner = Rc::new(payload(self.spawned));
            self.entries.push((Rc::downgrade(&owner), self.spawned));
            self.owners.push(owner);
            self.spawned += 1;
        }
    }

    fn kill(&mut self, count: usize, rng: &mut Rng) {
        for _ in 0..count {
            drop(self.owners.swap_remove(rng.below(self.owners.len())));
        }
    }

    fn reclaim(&mut self) -> usize {
        let before = self.entries.len();
        self.entries.retain(|(key, _)| key.strong_count() > 0);
        before - self.entries.len()
    }
}

/// weak-table's `PtrWeakKeyHashMap` over std `Rc`s.
struct WeakTableWork {
    owners: Vec<Rc<Payload>>,
    map: weak_table::PtrWeakKeyHashMap<RcWeak<Payload>, u64>,
    spawned: u64,
}

impl Workload for WeakTableWork {
    fn build(n: usize) -> Self {
        let map = weak_table::PtrWeakKeyHashMap::with_capacity(n);
        let mut work = WeakTableWork { owners: Vec::new(), map, spawned: 0 };
        work.refill(n);
        work
    }

    fn refill(&mut self, n: usize) {
        while self.owners.len() < n {
            let owner = Rc::new(payload(self.spawned));
            self.map.insert(Rc::clone(&owner), self.spawned);
            self.owners.push(owner);
            self.spawned += 1;
        }
    }

    fn kill(&mut self, count: usize, rng: &mut Rng) {
        for _ in 0..count {
            drop(self.owners.swap_remove(rng.below(self.owners.len())));
        }
    }

    fn reclaim(&mut self) -> usize {
        let before = self.map.len();
        self.map.remove_expired();
        before - self.map.len()
    }
}

/// Warm-up and measurement milliseconds for maps of `n` entries.
fn budget(n: usize) -> (u64, u64) {
    match n {
        0..=10_000 => (200, 1000),
        10_001..=100_000 => (200, 1200),
        _ => (200, 2000),
    }
}

/// Times `W`'s reclamation of `deaths` dead keys in a map of `n`, each
/// iteration a fresh frame of the loop (refill, kill: untimed).
fn bench_impl<W: Workload>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    n: usize,
    (label, rate): (&str, f64),
) {
    let deaths = ((n as f64) * rate).round() as usize;
    let mut rng = Rng::new(0x5EED ^ (n as u64) << 8 ^ deaths as u64);
    let mut work: Option<W> = None;
    group.bench_function(BenchmarkId::new(format!("{name}/{n}"), label), |bencher| {
        let work = work.get_or_insert_with(|| W::build(n));
        bencher.iter_custom(|iters| {
            let rng = &mut rng;
            work.within(|work| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    work.refill(n);
                    work.kill(deaths, rng);
                    let started = Instant::now();
                    let removed = black_box(work.reclaim());
                    timed += started.elapsed();
                    assert_eq!(removed, deaths, "{name} reclaimed the wrong count");
                }
                timed
            })
        });
    });
}

fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    for n in SIZES {
        let (warm_up, measure) = budget(n);
        configure(&mut group, warm_up, measure);
        group.throughput(Throughput::Elements(n as u64));
        for rate in DEATH_RATES {
            bench_impl::<WeakArenaWork<WeakKeyMap<Payload, u64>, false>>(&mut group, "weakarena", n, rate);
            bench_impl::<WeakArenaWork<WeakKeyMap<Payload, u64>, true>>(&mut group, "weakarena_1t", n, rate);
            bench_impl::<WeakArenaWork<SparseWeakKeyMap<Payload, u64>, false>>(
                &mut group,
                "weakarena_sparse",
                n,
                rate,
            );
            bench_impl::<SlotMapWork>(&mut group, "slotmap", n, rate);
            bench_impl::<GenArenaWork>(&mut group, "generational_arena", n, rate);
            bench_impl::<RcWeakWork>(&mut group, "rc_weak", n, rate);
            bench_impl::<WeakTableWork>(&mut group, "weak_table", n, rate);
        }
    }
    group.finish();
}

/// Sums a buffer in independent lanes, so the loads, not the adds, limit it.
fn sum_lanes(words: &[u64]) -> u64 {
    let mut lanes = [0u64; 8];
    for chunk in words.chunks_exact(8) {
        for (lane, word) in lanes.iter_mut().zip(chunk) {
            *lane = lane.wrapping_add(*word);
        }
    }
    lanes.iter().fold(0, |sum, lane| sum.wrapping_add(*lane))
}

fn bandwidth(c: &mut Criterion) {
    let words: Vec<u64> = (0..(BANDWIDTH_BYTES / 8) as u64).collect();
    let mut group = c.benchmark_group("bandwidth");
    configure(&mut group, 500, 2000);
    group.throughput(Throughput::Bytes(BANDWIDTH_BYTES as u64));
    group.bench_function("read/1t", |bencher| bencher.iter(|| sum_lanes(black_box(&words))));
    group.bench_function("read/all", |bencher| {
        bencher.iter(|| black_box(&words).par_chunks(1 << 16).map(sum_lanes).reduce(|| 0, u64::wrapping_add))
    });
    group.finish();
}

/// Objects behind `sweep_split`.
const SPLIT_OBJECTS: usize = 100_000;

/// Three collections of every object of one arena, and the frame's report.
struct SplitWork {
    arena: Arena<Payload>,
    live: Vec<Strong<Payload>>,
    data: WeakKeyMap<Payload, u64>,
    names: WeakValueMap<u64, Payload>,
    members: WeakSet<Payload>,
    born: u64,
}

impl SplitWork {
    fn new() -> SplitWork {
        let arena = Arena::with_capacity(SPLIT_OBJECTS);
        let (data, names, members) =
            (WeakKeyMap::new(&arena), WeakValueMap::new(&arena), WeakSet::new(&arena));
        let mut work = SplitWork { arena, live: Vec::new(), data, names, members, born: 0 };
        work.refill();
        work
    }

    fn refill(&mut self) {
        while self.live.len() < SPLIT_OBJECTS {
            let object = self.arena.insert(payload(self.born));
            self.data.insert(&object, self.born);
            self.names.insert(self.born, &object);
            self.members.insert(&object);
            self.live.push(object);
            self.born += 1;
        }
    }

    /// Kills `count` objects and ends the frame (untimed), then sweeps the
    /// three collections inline or on rayon's pool (timed).
    fn frame(&mut self, count: usize, rng: &mut Rng, parallel: bool) -> Duration {
        self.refill();
        for _ in 0..count {
            drop(self.live.swap_remove(rng.below(self.live.len())));
        }
        let report = self.arena.end_frame();
        let mut collections: [&mut dyn Sweep; 3] = [&mut self.data, &mut self.names, &mut self.members];
        let started = Instant::now();
        let removed: usize = if parallel {
            collections.par_iter_mut().map(|collection| collection.sweep(&report).removed).sum()
        } else {
            collections.iter_mut().map(|collection| collection.sweep(&report).removed).sum()
        };
        let elapsed = started.elapsed();
        assert_eq!(removed, 3 * count, "every collection swept every death");
        elapsed
    }
}

fn sweep_split(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep_split");
    configure(&mut group, 200, 1000);
    let mut work = SplitWork::new();
    for per_collection in [32, 128, 512, 1024, 2048, 8192] {
        for (name, parallel) in [("inline", false), ("rayon", true)] {
            let mut rng = Rng::new(per_collection as u64);
            let id = BenchmarkId::new(name, 3 * per_collection);
            group.bench_function(id, |bencher| {
                bencher.iter_custom(|iters| {
                    (0..iters).map(|_| work.frame(per_collection, &mut rng, parallel)).sum()
                })
            });
        }
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bandwidth(&mut criterion);
    sweep(&mut criterion);
    sweep_split(&mut criterion);
    criterion.final_summary();
}
