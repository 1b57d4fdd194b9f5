//! The two layouts of `WeakSet` beside each other — hashed (`WeakSet::new`,
//! the default) and indexed by slot (`WeakSet::dense`) — and std's
//! `HashSet` of slotmap keys as the peer a slotmap user writes.
//!
//! An arena of 100,000 objects and a set of m of them, picked at random:
//! m = 1,000 is a selection, m = 100,000 is every object.
//!
//! | id | timed |
//! |---|---|
//! | `sets/contains/<dense\|sparse\|hashset>/<m>` | 1,000 membership tests of random live objects (members or not) |
//! | `sets/sweep/<dense\|sparse\|hashset>/<m>` | 100 members died this frame: the set's sweep with the frame's report (weakarena), or removing the 100 keys by hand (`HashSet`) |
//! | `sets/iter/<dense\|sparse\|hashset>/<m>` | visiting every live member |
//!
//! Deaths, births and the frame end happen outside the timed part.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use slotmap::{DefaultKey, SlotMap};
use weakarena::{Arena, Strong, Sweep, Weak, WeakSet};

mod support;
use support::{configure, payload, Payload, Rng};

/// Objects in the arena.
const OBJECTS: usize = 100_000;
/// Membership tests per iteration of `contains`.
const PROBES: usize = 1000;
/// Members that die per iteration of `sweep`.
const DEATHS: usize = 100;

/// An arena of `OBJECTS` objects, `members` of them in a set.
struct World {
    arena: Arena<Payload>,
    members: Vec<Strong<Payload>>,
    others: Vec<Strong<Payload>>,
    set: WeakSet<Payload>,
}

impl World {
    fn new(members: usize, dense: bool) -> World {
        let mut arena = Arena::with_capacity(OBJECTS);
        let mut others: Vec<_> = (0..OBJECTS as u64).map(|i| arena.insert(payload(i))).collect();
        Rng::new(3).shuffle(&mut others);
        let members: Vec<_> = others.drain(..members).collect();
        let mut set = if dense { WeakSet::dense(&arena) } else { WeakSet::new(&arena) };
        set.extend(&members);
        World { arena, members, others, set }
    }

    /// Random live objects to test, members or not.
    fn probes(&self, rng: &mut Rng) -> Vec<Weak<Payload>> {
        let all: Vec<_> = self.members.iter().chain(&self.others).collect();
        (0..PROBES).map(|_| all[rng.below(all.len())].downgrade()).collect()
    }

    /// One frame: `DEATHS` members die and as many new objects join; only
    /// the set's sweep is timed.
    fn frame(&mut self, rng: &mut Rng) -> Duration {
        let victims: Vec<_> =
            (0..DEATHS).map(|_| self.members.swap_remove(rng.below(self.members.len()))).collect();
        drop(victims);
        let report = self.arena.end_frame();
        let started = Instant::now();
        black_box(self.set.sweep(&report));
        let elapsed = started.elapsed();
        for i in 0..DEATHS as u64 {
            let born = self.arena.insert(payload(i));
            self.set.insert(&born);
            self.members.push(born);
        }
        elapsed
    }
}

/// The peer: a `SlotMap` and a `HashSet` of `members` of its keys,
/// removed by hand.
struct ByHand {
    objects: SlotMap<DefaultKey, Payload>,
    members: Vec<DefaultKey>,
    set: HashSet<DefaultKey>,
}

impl ByHand {
    fn new(members: usize) -> ByHand {
        let mut objects = SlotMap::with_capacity(OBJECTS);
        let mut all: Vec<_> = (0..OBJECTS as u64).map(|i| objects.insert(payload(i))).collect();
        Rng::new(3).shuffle(&mut all);
        let members = all[..members].to_vec();
        let set = members.iter().copied().collect();
        ByHand { objects, members, set }
    }

    fn frame(&mut self, rng: &mut Rng) -> Duration {
        let victims: Vec<_> =
            (0..DEATHS).map(|_| self.members.swap_remove(rng.below(self.members.len()))).collect();
        for &key in &victims {
            self.objects.remove(key);
        }
        let started = Instant::now();
        for key in victims {
            black_box(self.set.remove(&key));
        }
        let elapsed = started.elapsed();
        for i in 0..DEATHS as u64 {
            let born = self.objects.insert(payload(i));
            self.set.insert(born);
            self.members.push(born);
        }
        elapsed
    }
}

fn layouts(c: &mut Criterion) {
    let mut group = c.benchmark_group("sets");
    configure(&mut group, 300, 1500);
    for members in [1000, OBJECTS] {
        for (name, dense) in [("dense", true), ("sparse", false)] {
            let mut rng = Rng::new(7);
            let mut world = World::new(members, dense);
            let probes = world.probes(&mut rng);
            group.bench_function(BenchmarkId::new(format!("contains/{name}"), members), |bencher| {
                bencher.iter(|| probes.iter().filter(|&&probe| world.set.contains(probe)).count())
            });
            group.bench_function(BenchmarkId::new(format!("iter/{name}"), members), |bencher| {
                bencher.iter(|| world.set.iter().count())
            });
            group.bench_function(BenchmarkId::new(format!("sweep/{name}"), members), |bencher| {
                bencher.iter_custom(|iters| (0..iters).map(|_| world.frame(&mut rng)).sum())
            });
        }
        let mut rng = Rng::new(7);
        let mut peer = ByHand::new(members);
        let keys: Vec<DefaultKey> = peer.objects.keys().collect();
        let probes: Vec<DefaultKey> = (0..PROBES).map(|_| keys[rng.below(keys.len())]).collect();
        group.bench_function(BenchmarkId::new("contains/hashset", members), |bencher| {
            bencher.iter(|| probes.iter().filter(|probe| peer.set.contains(probe)).count())
        });
        group.bench_function(BenchmarkId::new("iter/hashset", members), |bencher| {
            bencher.iter(|| peer.set.iter().filter(|&&key| peer.objects.contains_key(key)).count())
        });
        group.bench_function(BenchmarkId::new("sweep/hashset", members), |bencher| {
            bencher.iter_custom(|iters| (0..iters).map(|_| peer.frame(&mut rng)).sum())
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    layouts(&mut criterion);
    criterion.final_summary();
}
