//! `Arena::kill`, a forced death: every handle reads dead at once, the
//! frame end reports it once and runs its callbacks, finalizers and value
//! drop, and the slot waits for the strong handles still out.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{DropCounter, Log};
use weakarena_core::{collect_cycles, Arena, Finalizer, Proxy, Strong, WeakRef};

#[test]
fn a_killed_object_reads_dead_through_every_handle_at_once() {
    let mut arena = Arena::new();
    let orc = arena.insert(String::from("orc"));
    let held = orc.clone();
    let weak = orc.downgrade();
    let tracked = WeakRef::new(&orc);
    let proxy = Proxy::new(&orc);
    let elf = arena.insert(String::from("elf"));
    assert!(arena.kill(weak));
    assert_eq!((arena.get(weak), arena.contains(&held), arena.upgrade(&held)), (None, false, None));
    assert_eq!((arena.strong_count(weak), held.strong_count(), arena.weak_count(weak)), (0, 0, 0));
    assert!(tracked.upgrade().is_none() && proxy.get(&arena).is_err());
    assert_eq!((arena.len(), arena.keys().collect::<Vec<_>>()), (1, vec![elf.downgrade()]));
    assert!(arena.has_pending_deaths());
    let again = held.clone();
    assert!(arena.get(&again).is_none(), "a clone of a killed handle reads dead too");
    assert_eq!(arena.len(), 1, "clones of the killed object do not count");
}

#[test]
fn the_frame_end_runs_callbacks_finalizers_and_the_drop_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    let log = Log::default();
    let mut arena = Arena::new();
    let orc = arena.insert(DropCounter::new("orc", &drops));
    let held = vec![orc.clone(), orc.clone()];
    let _watch = WeakRef::with_callback(&orc, log.on("callback"));
    let _fin = Finalizer::new(&orc, log.fin("finalizer"));
    assert!(arena.kill(&orc));
    assert_eq!(drops.load(Ordering::SeqCst), 0, "the value waits for the frame end");
    let report = arena.end_frame();
    assert_eq!(report.deaths, vec![orc.raw()]);
    assert_eq!((report.callbacks_run, report.finalizers_run, report.values_dropped), (1, 1, 1));
    assert_eq!(log.lines(), ["finalizer", "callback"], "newest registered first");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop((orc, held));
    let later = arena.end_frame();
    assert_eq!((later.death_count(), later.values_dropped, later.callbacks_run), (0, 0, 0));
    assert_eq!(drops.load(Ordering::SeqCst), 1, "dropped exactly once");
}

#[test]
fn the_slot_is_reused_only_after_the_last_strong_handle_drops() {
    let mut arena = Arena::new();
    let orc = arena.insert(1);
    let index = orc.raw().index();
    arena.kill(&orc);
    arena.end_frame();
    let other = arena.insert(2);
    assert_ne!(other.raw().index(), index, "the killed object's handle still points at its slot");
    let count = orc.clone();
    drop(orc);
    assert!(arena.get(&count).is_none());
    drop(count);
    let report = arena.end_frame();
    assert_eq!(report.death_count(), 0, "the release is not a second death");
    let reused = arena.insert(3);
    assert_eq!(reused.raw().index(), index);
    assert_eq!(reused.raw().generation().get(), 2);
    assert_eq!((arena.len(), arena[&reused], arena[&other]), (2, 3, 2));
}

#[test]
fn a_kill_whose_handles_drop_before_the_frame_end_recycles_there() {
    let mut arena = Arena::new();
    let orc = arena.insert(1);
    let index = orc.raw().index();
    assert!(arena.kill(&orc));
    drop(orc);
    let report = arena.end_frame();
    assert_eq!(report.death_count(), 1, "reported once though it was killed and then dropped to zero");
    assert_eq!(arena.insert(2).raw().index(), index);
}

#[test]
fn dead_foreign_and_killed_handles_are_left_alone() {
    let mut arena = Arena::new();
    let mut other = Arena::new();
    let foreign = other.insert(0);
    let dead = arena.insert(1).downgrade();
    let orc = arena.insert(2);
    assert!(!arena.kill(dead));
    assert!(!arena.kill(&foreign));
    assert!(other.contains(&foreign));
    assert!(arena.kill(&orc));
    assert!(!arena.kill(&orc), "killed twice");
    assert_eq!(arena.end_frame().death_count(), 2);
}

#[test]
fn a_killed_value_releases_what_it_holds_in_the_same_frame_end() {
    struct Squad {
        _members: Vec<Strong<&'static str>>,
    }
    let mut squads = Arena::new();
    let mut units = Arena::new();
    let grunt = units.insert("grunt");
    let watched = grunt.downgrade();
    let squad = squads.insert(Squad { _members: vec![grunt] });
    let _kept = squad.clone();
    squads.kill(&squad);
    let reports = weakarena_core::end_frames(&mut [&mut squads, &mut units]);
    assert_eq!((reports[0].death_count(), reports[1].deaths.clone()), (1, vec![watched.raw()]));
    assert!(units.is_empty());
}

#[test]
fn references_made_on_a_killed_object_run_at_its_release_not_at_the_next_occupants_death() {
    let log = Log::default();
    let mut arena = Arena::new();
    let orc = arena.insert("orc");
    arena.kill(&orc);
    arena.end_frame();
    let late = WeakRef::with_callback(&orc, log.on("late"));
    assert!(!late.is_alive());
    drop(late); // a pending callback of a dead object still runs
    drop(orc);
    let report = arena.end_frame();
    assert_eq!((report.callbacks_run, log.lines()), (1, vec!["late".to_string()]));
    let next = arena.insert("next");
    drop(next);
    assert_eq!(arena.end_frame().callbacks_run, 0);
    assert_eq!(log.lines().len(), 1);
}

#[test]
fn shutdown_reclaims_pending_kills() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let orc = arena.insert(DropCounter::new("orc", &drops));
    arena.kill(&orc);
    let report = arena.shutdown();
    assert_eq!((report.death_count(), drops.load(Ordering::SeqCst)), (1, 1));
    drop(orc);
    drop(arena);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn strong_handles_of_a_killed_object_outlive_the_arena_safely() {
    let mut arena = Arena::new();
    let orc = arena.insert(String::from("orc"));
    let held = orc.clone();
    arena.kill(&orc);
    drop(arena);
    assert_eq!(held.strong_count(), 0);
    drop(orc);
    drop(held); // gives back the table's last reference
}

#[test]
fn a_collection_after_a_kill_frees_the_rest_of_a_cycle() {
    #[derive(Default)]
    struct Node {
        next: Option<Strong<Node>>,
    }
    impl weakarena_core::Trace for Node {
        fn trace(&self, tracer: &mut weakarena_core::Tracer) {
            self.next.trace(tracer);
        }
    }
    let mut arena = Arena::new();
    let a = arena.insert(Node::default());
    let b = arena.insert(Node { next: Some(a.clone()) });
    arena.get_mut(&a).unwrap().next = Some(b.clone());
    let survivor = arena.insert(Node::default());
    arena.kill(&a);
    drop((a, b));
    let cycles = collect_cycles(&mut [&mut arena], &mut []);
    assert_eq!(cycles.garbage, 0, "killing one link broke the cycle: b died by count");
    assert_eq!(arena.keys().collect::<Vec<_>>(), [survivor.downgrade()]);
    assert!(!arena.has_pending_deaths());
}

#[test]
fn kills_racing_clones_drops_and_upgrades_on_other_threads_stay_exact() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let objects: Vec<_> = (0..64).map(|_| arena.insert(DropCounter::new("o", &drops))).collect();
    let table = Arc::clone(arena.slot_table());
    let weak: Vec<_> = objects.iter().map(Strong::downgrade).collect();
    let shared: Vec<Vec<Strong<DropCounter>>> = (0..4).map(|_| objects.to_vec()).collect();
    std::thread::scope(|scope| {
        for mut handles in shared {
            let (table, weak) = (Arc::clone(&table), weak.clone());
            scope.spawn(move || {
                for round in 0..50 {
                    for (i, handle) in handles.iter().enumerate() {
                        drop(handle.clone());
                        drop(table.upgrade(weak[(i + round) % weak.len()]));
                    }
                }
                handles.clear();
            });
        }
        for handle in objects.iter().step_by(2) {
            assert!(arena.kill(handle));
        }
    });
    assert_eq!(arena.len(), 32);
    let report = arena.end_frame();
    assert_eq!((report.death_count(), drops.load(Ordering::SeqCst)), (32, 32));
    drop(objects);
    let report = arena.end_frame();
    assert_eq!((report.death_count(), drops.load(Ordering::SeqCst)), (32, 64));
    let slots = arena.slot_count();
    let refill: Vec<_> = (0..64).map(|_| arena.insert(DropCounter::new("n", &drops))).collect();
    assert_eq!(arena.slot_count(), slots, "every slot came back exactly once");
    let mut indices: Vec<_> = refill.iter().map(|s| s.raw().index()).collect();
    indices.sort_unstable();
    indices.dedup();
    assert_eq!(indices.len(), 64);
}
