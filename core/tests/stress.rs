//! Threads clone, drop and upgrade strong handles to shared objects between
//! frame ends; afterwards counts, `len`, the deaths a frame end reports and
//! the drop counts are exact, and no upgrade ever revived a dead object.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use common::{scaled, DropCounter};
use weakarena_core::{Arena, Strong, Weak};

const THREADS: usize = 4;
const OBJECTS: usize = 16;
const FRAMES: usize = 3;

/// Loop iterations per thread and frame: each clones, upgrades or reads.
fn iterations() -> usize {
    scaled(if cfg!(debug_assertions) { 100_000 } else { 1_000_000 })
}

/// A small seeded xorshift generator: each thread's choices are reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

type Item = (usize, DropCounter);

/// Objects with an even number are doomed: every thread drops its handle
/// mid-run, at a point of its own, while the others keep upgrading them.
fn doomed(object: usize) -> bool {
    object % 2 == 0
}

fn drop_point(thread: usize, object: usize) -> usize {
    iterations() * (thread + 1) / (THREADS + 1) + object
}

/// One thread's churn; returns the handles it keeps (the survivors').
fn churn(
    arena: &Arena<Item>,
    weaks: &[Weak<Item>],
    held: Vec<Strong<Item>>,
    thread: usize,
) -> Vec<Strong<Item>> {
    let mut held: Vec<Option<Strong<Item>>> = held.into_iter().map(Some).collect();
    let mut seen_dead = [false; OBJECTS];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (thread as u64 + 1));
    for step in 0..iterations() {
        let object = rng.below(OBJECTS);
        if doomed(object) && step >= drop_point(thread, object) {
            held[object] = None;
        }
        match (&held[object], rng.below(3)) {
            (Some(strong), 0) => assert!(strong.clone().strong_count() >= 2),
            (Some(_), 1) => assert_eq!(arena.get(weaks[object]).map(|item| item.0), Some(object)),
            (Some(_), _) => assert!(arena.upgrade(weaks[object]).is_some(), "held, so alive"),
            (None, _) => {
                let upgraded = arena.upgrade(weaks[object]);
                assert!(!(seen_dead[object] && upgraded.is_some()), "object {object} revived");
                seen_dead[object] |= upgraded.is_none();
            }
        }
    }
    held.into_iter().enumerate().filter(|(object, _)| !doomed(*object)).filter_map(|(_, s)| s).collect()
}

/// Runs one frame's threads; returns every handle they kept.
fn run_threads(arena: &Arena<Item>, weaks: &[Weak<Item>], originals: Vec<Strong<Item>>) -> Vec<Strong<Item>> {
    let per_thread: Vec<Vec<Strong<Item>>> = (0..THREADS).map(|_| originals.clone()).collect();
    drop(originals);
    let start = &Barrier::new(THREADS);
    thread::scope(|scope| {
        let workers: Vec<_> = per_thread
            .into_iter()
            .enumerate()
            .map(|(thread, held)| {
                scope.spawn(move || {
                    start.wait();
                    churn(arena, weaks, held, thread)
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap()).collect()
    })
}

#[test]
fn racing_clones_drops_and_upgrades_keep_every_count_exact() {
    let mut arena = Arena::new();
    let drops: Vec<Arc<AtomicUsize>> = (0..FRAMES * OBJECTS).map(|_| Arc::default()).collect();
    let mut kept = Vec::new();
    for frame in 0..FRAMES {
        let originals: Vec<Strong<Item>> = (0..OBJECTS)
            .map(|object| arena.insert((object, DropCounter::new("item", &drops[frame * OBJECTS + object]))))
            .collect();
        let weaks: Vec<Weak<Item>> = originals.iter().map(Strong::downgrade).collect();
        kept.extend(run_threads(&arena, &weaks, originals));

        for (object, &weak) in weaks.iter().enumerate() {
            let expected = if doomed(object) { 0 } else { THREADS };
            assert_eq!(arena.strong_count(weak), expected, "frame {frame}, object {object}");
        }
        assert_eq!(arena.len(), (frame + 1) * OBJECTS / 2);
        let report = arena.end_frame();
        let mut dead: Vec<_> = weaks.iter().step_by(2).map(|weak| weak.raw()).collect();
        dead.sort();
        assert_eq!(report.deaths, dead, "frame {frame}: the doomed, once each, in slot order");
        assert_eq!(report.values_dropped, OBJECTS / 2);
        for (object, count) in drops[frame * OBJECTS..][..OBJECTS].iter().enumerate() {
            assert_eq!(count.load(Ordering::SeqCst), usize::from(doomed(object)), "frame {frame}, {object}");
        }
    }
    drop(kept);
    assert_eq!(arena.end_frame().death_count(), FRAMES * OBJECTS / 2);
    assert!(drops.iter().all(|count| count.load(Ordering::SeqCst) == 1));
    assert!(arena.is_empty());
}
