//! The long soak: a steady population churns for a million frames (by
//! default; `WEAKARENA_SOAK_FRAMES` sets it) with callbacks, finalizers,
//! cascades and three weak collections swept every frame. Every count stays
//! exact and resident memory stays flat.
//!
//! Ignored in the normal run; `.ci/run` runs it in release:
//! `cargo test --release -p weakarena-collections --test soak -- --ignored`.
#![cfg(target_os = "linux")]

mod memory;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use memory::resident_bytes;
use weakarena_collections::{sweep_all, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::{Arena, Finalizer, FrameReport, Strong, WeakRef};

const POPULATION: usize = 1_000;
const DEATHS_PER_FRAME: usize = 10;
/// Resident growth allowed after the first tenth of the frames.
const SLACK: usize = 4 << 20;

struct Agent {
    /// Every fourth agent keeps the one inserted before it alive: its death
    /// cascades into a second pass.
    _buddy: Option<Strong<Agent>>,
    /// Every third agent's own callback reference, held by its value.
    callback: Option<WeakRef<Agent>>,
}

/// A small seeded xorshift generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn frames() -> u64 {
    std::env::var("WEAKARENA_SOAK_FRAMES").ok().and_then(|frames| frames.parse().ok()).unwrap_or(1_000_000)
}

struct World {
    arena: Arena<Agent>,
    alive: Vec<Strong<Agent>>,
    keys: WeakKeyMap<Agent, u64>,
    values: WeakValueMap<u64, Agent>,
    members: WeakSet<Agent>,
    callbacks: Arc<AtomicUsize>,
    finalized: Arc<AtomicUsize>,
    inserted: u64,
    /// Agents inserted with a callback and with a finalizer.
    with_callback: usize,
    with_finalizer: usize,
}

impl World {
    fn new() -> World {
        let arena = Arena::new();
        let (keys, values, members) =
            (WeakKeyMap::new(&arena), WeakValueMap::new(&arena), WeakSet::new(&arena));
        let mut world = World {
            arena,
            alive: Vec::new(),
            keys,
            values,
            members,
            callbacks: Arc::default(),
            finalized: Arc::default(),
            inserted: 0,
            with_callback: 0,
            with_finalizer: 0,
        };
        (0..POPULATION).for_each(|_| world.spawn());
        world
    }

    fn spawn(&mut self) {
        let id = self.inserted;
        self.inserted += 1;
        let buddy = (id % 4 == 0).then(|| self.alive.last().cloned()).flatten();
        let agent = self.arena.insert(Agent { _buddy: buddy, callback: None });
        if id % 3 == 0 {
            let callbacks = Arc::clone(&self.callbacks);
            let callback = WeakRef::with_callback(&agent, move |_| {
                callbacks.fetch_add(1, Ordering::Relaxed);
            });
            self.arena[&agent].callback = Some(callback);
            self.with_callback += 1;
        }
        if id % 5 == 0 {
            let finalized = Arc::clone(&self.finalized);
            let _ = Finalizer::new(&agent, move || {
                finalized.fetch_add(1, Ordering::Relaxed);
            });
            self.with_finalizer += 1;
        }
        self.keys.insert(&agent, id);
        self.values.insert(id, &agent);
        self.members.insert(&agent);
        self.alive.push(agent);
    }

    /// Kills some agents, replaces them, ends the frame and sweeps.
    fn frame(&mut self, rng: &mut Rng) -> FrameReport {
        for _ in 0..DEATHS_PER_FRAME {
            let victim = rng.below(self.alive.len());
            drop(self.alive.swap_remove(victim));
            self.spawn();
        }
        let report = self.arena.end_frame();
        sweep_all(std::slice::from_ref(&report), &mut [&mut self.keys, &mut self.values, &mut self.members]);
        report
    }

    fn assert_exact(&self) {
        let live = self.arena.len();
        assert!((POPULATION..POPULATION * 2).contains(&live), "population drifted to {live}");
        assert_eq!((self.keys.len(), self.values.len(), self.members.len()), (live, live, live));
    }

    /// Callbacks and finalizers of every agent that ever died ran, once.
    fn assert_actions_ran(&self) {
        let alive = |has: fn(&Agent, u64) -> bool| {
            self.arena.iter().filter(|(handle, agent)| has(agent, *self.keys.get(handle).unwrap())).count()
        };
        let callbacks_alive = alive(|agent, _| agent.callback.is_some());
        let finalizers_alive = alive(|_, id| id % 5 == 0);
        assert_eq!(self.callbacks.load(Ordering::Relaxed), self.with_callback - callbacks_alive);
        assert_eq!(self.finalized.load(Ordering::Relaxed), self.with_finalizer - finalizers_alive);
    }
}

#[test]
#[ignore = "long: run in release by .ci/run"]
fn a_million_frames_of_churn_keep_counts_exact_and_memory_flat() {
    let frames = frames();
    let mut world = World::new();
    let mut rng = Rng(0x5eed_50a6);
    let (mut warm, mut deaths, mut passes) = (0, 0, 0);
    for frame in 0..frames {
        if frame == frames / 10 {
            warm = resident_bytes();
        }
        let report = world.frame(&mut rng);
        assert!(report.panics.is_empty());
        deaths += report.death_count();
        passes = passes.max(report.passes);
        if frame % 1_000 == 0 {
            world.assert_exact();
        }
    }
    world.assert_exact();
    world.assert_actions_ran();
    let grown = resident_bytes().saturating_sub(warm);
    println!(
        "soak: {frames} frames, {deaths} deaths, up to {passes} passes, population {}, resident +{grown} bytes after warm-up",
        world.arena.len()
    );
    assert!(deaths as u64 >= frames * DEATHS_PER_FRAME as u64 / 2, "the churn killed too little");
    assert!(passes >= 2, "no cascade needed a second pass");
    assert!(grown <= SLACK, "resident memory grew by {grown} bytes");
}
