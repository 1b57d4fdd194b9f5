//! Strong handles cloned, dropped and upgraded from many threads.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::DropCounter;
use weakarena_core::{Arena, WeakRef};

/// Repetitions: fewer under Miri, which runs these with tree borrows.
const fn reps(native: usize, miri: usize) -> usize {
    if cfg!(miri) {
        miri
    } else {
        native
    }
}

#[test]
fn counts_and_deaths_are_exact_after_concurrent_clone_drop_upgrade() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let objects: Vec<_> = (0..64).map(|_| arena.insert(DropCounter::new("o", &drops))).collect();
    let weak: Vec<_> = objects.iter().map(|s| s.downgrade()).collect();
    let refs: Vec<_> = objects.iter().map(WeakRef::new).collect();
    let arena_ref = &arena;
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let objects = objects.clone();
            let (weak, refs) = (&weak, &refs);
            scope.spawn(move || {
                let mut held = Vec::new();
                for round in 0..reps(5_000, 60) {
                    let i = (round * 7 + thread) % objects.len();
                    held.push(objects[i].clone());
                    if let Some(up) = arena_ref.upgrade(weak[i]) {
                        held.push(up);
                    }
                    if let Some(up) = refs[i].upgrade() {
                        held.push(up);
                    }
                    if held.len() > 32 {
                        held.clear();
                    }
                }
            });
        }
    });
    for object in &objects {
        assert_eq!(object.strong_count(), 1);
    }
    let mut objects = objects;
    objects.truncate(32);
    let report = arena.end_frame();
    assert_eq!(report.death_count(), 32);
    assert_eq!(arena.len(), 32);
    assert_eq!(drops.load(Ordering::SeqCst), 32);
    drop(objects);
    assert_eq!(arena.end_frame().death_count(), 32);
    assert_eq!(drops.load(Ordering::SeqCst), 64);
}

#[test]
fn last_drops_race_with_upgrades_and_never_revive() {
    for _ in 0..reps(50, 3) {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut arena = Arena::new();
        let strong = arena.insert(DropCounter::new("x", &drops));
        let weak = strong.downgrade();
        let arena_ref = &arena;
        let revived = std::thread::scope(|scope| {
            let upgrader = scope.spawn(move || {
                let mut got = 0;
                for _ in 0..reps(1_000, 20) {
                    if let Some(s) = arena_ref.upgrade(weak) {
                        got += 1;
                        drop(s);
                    }
                }
                got
            });
            drop(strong);
            let _ = upgrader.join();
            arena_ref.upgrade(weak).is_some()
        });
        assert!(!revived);
        assert_eq!(arena.end_frame().death_count(), 1);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}

/// The death stack links dead slots through their side words, which also
/// count weak-collection memberships: membership updates racing the deaths
/// must neither lose a death nor leave a count behind for the next occupant.
#[test]
fn membership_updates_racing_deaths_lose_no_death() {
    let objects = reps(5000, 40);
    let rounds = reps(20, 2);
    let mut arena = Arena::new();
    let strongs: Vec<_> = (0..objects).map(|i| arena.insert(i)).collect();
    let mut raws: Vec<_> = strongs.iter().map(|s| s.raw()).collect();
    let table = Arc::clone(arena.slot_table());
    std::thread::scope(|scope| {
        let (table, raws) = (&table, &raws);
        scope.spawn(move || {
            for _ in 0..rounds {
                for &raw in raws {
                    if table.add_membership(raw) {
                        table.remove_membership(raw);
                    }
                    table.remove_membership(raw); // on a dead object: a no-op
                }
            }
        });
        let (first, second) = strongs.split_at(objects / 2);
        let (first, second) = (first.to_vec(), second.to_vec());
        scope.spawn(move || drop(first));
        scope.spawn(move || drop(second));
    });
    drop(strongs);
    for &raw in &raws {
        table.remove_membership(raw); // every side word is a link now, one of them to slot 0
    }
    let mut deaths = arena.end_frame().deaths;
    deaths.sort_unstable();
    raws.sort_unstable();
    assert_eq!(deaths, raws, "every death queued once");
    let again: Vec<_> = (0..objects).map(|i| arena.insert(i)).collect();
    assert!(again.iter().all(|s| arena.weak_count(s) == 0 && s.raw().generation().get() == 2));
}
