//! Frame ends: cascades, several arenas, exact drops, panics, reports.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{DropCounter, Log};
use weakarena_core::{end_frames, Arena, Finalizer, PanicSource, Strong, WeakRef};

struct Node {
    _counter: DropCounter,
    _next: Option<Strong<Node>>,
}

#[test]
fn a_chain_dies_in_one_frame_end_over_several_passes() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let mut head: Option<Strong<Node>> = None;
    for _ in 0..5 {
        head = Some(arena.insert(Node { _counter: DropCounter::new("n", &drops), _next: head.take() }));
    }
    drop(head);
    let report = arena.end_frame();
    assert_eq!(report.death_count(), 5);
    assert_eq!(report.passes, 5);
    assert_eq!(drops.load(Ordering::SeqCst), 5);
    assert!(arena.is_empty());
    assert!(!arena.has_pending_deaths());
}

struct Holder {
    _counter: DropCounter,
    _held: Vec<Strong<DropCounter>>,
}

#[test]
fn end_frames_follows_cascades_across_arenas_until_quiescent() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut holders = Arena::new();
    let mut items = Arena::new();
    let log = Log::default();
    let item = items.insert(DropCounter::new("item", &drops));
    let _fin = Finalizer::new(&item, log.fin("item finalized"));
    let holder = holders.insert(Holder { _counter: DropCounter::new("holder", &drops), _held: vec![item] });
    drop(holder);
    let reports = end_frames(&mut [&mut holders, &mut items]);
    assert_eq!(reports[0].death_count(), 1);
    assert_eq!(reports[1].death_count(), 1);
    assert_eq!(reports[1].finalizers_run, 1);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    assert_eq!(log.lines(), ["item finalized"]);
    assert_eq!((holders.frame(), items.frame()), (1, 1));
}

#[test]
fn every_value_is_dropped_exactly_once_even_with_panicking_callbacks() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let log = Log::default();
    let mut handles = Vec::new();
    for i in 0..100 {
        let strong = arena.insert(DropCounter::new("v", &drops));
        if i % 10 == 0 {
            let _ = WeakRef::with_callback(&strong, |_| panic!("callback boom"));
            std::mem::forget(WeakRef::with_callback(&strong, |_| panic!("callback boom")));
        }
        std::mem::forget(WeakRef::with_callback(&strong, log.on("cb")));
        handles.push(strong);
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    handles.truncate(40);
    let first = arena.end_frame();
    drop(handles);
    let second = arena.end_frame();
    std::panic::set_hook(hook);
    assert_eq!(first.death_count() + second.death_count(), 100);
    assert_eq!(drops.load(Ordering::SeqCst), 100);
    assert_eq!(first.panics.len() + second.panics.len(), 10);
    assert!(first.panics.iter().all(|p| p.message == "callback boom"));
    assert!(matches!(first.panics[0].source, PanicSource::Callback(_)));
    assert_eq!(log.lines().len(), 100, "the others still ran");
    let again = arena.insert(DropCounter::new("after", &drops));
    assert!(arena.get(&again).is_some());
}

struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("drop boom");
    }
}

#[test]
fn a_panicking_value_drop_is_reported_and_the_slot_recycled() {
    let mut arena = Arena::new();
    let bad = arena.insert(Some(PanicsOnDrop));
    let good = arena.insert(None);
    let weak = bad.downgrade();
    drop(bad);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let report = arena.end_frame();
    std::panic::set_hook(hook);
    assert_eq!(report.panics.len(), 1);
    assert_eq!(report.panics[0].source, PanicSource::ValueDrop);
    assert_eq!(report.panics[0].handle, weak.raw());
    assert_eq!(report.values_dropped, 1);
    let reused = arena.insert(None);
    assert_eq!(reused.downgrade().index(), weak.index());
    assert!(arena.get(&good).is_some());
}

#[test]
fn report_carries_arena_frame_death_set_and_timings() {
    let mut arena = Arena::new();
    let mut handles: Vec<_> = (0..8).map(|i| arena.insert(i)).collect();
    let id = arena.id();
    let third = handles.remove(2);
    let first = handles.remove(0);
    let (w1, w3) = (first.downgrade(), third.downgrade());
    drop((first, third));
    let report = arena.end_frame();
    assert_eq!(report.arena, id);
    assert_eq!(report.frame, 0);
    assert_eq!(report.dead.len(), 8);
    assert_eq!(report.dead.count_ones(), 2);
    assert!(report.dead[w1.index() as usize] && report.dead[w3.index() as usize]);
    assert_eq!(report.deaths, vec![w1.raw(), w3.raw()]);
    assert!(report.timings.total() >= report.timings.drop);
    assert_eq!(arena.end_frame().frame, 1);
}

#[test]
fn callbacks_may_drop_strong_handles_and_the_frame_end_follows() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut arena = Arena::new();
    let a = arena.insert(DropCounter::new("a", &drops));
    let b = arena.insert(DropCounter::new("b", &drops));
    let keep_b = std::sync::Mutex::new(Some(b));
    let _r = WeakRef::with_callback(&a, move |_| drop(keep_b.lock().unwrap().take()));
    drop(a);
    let report = arena.end_frame();
    assert_eq!(report.death_count(), 2);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn finalizers_registered_during_shutdown_run_in_their_turn() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let b = arena.insert(2);
    let _old = Finalizer::new(&b, log.fin("old on b"));
    let (sink, target) = (log.clone(), b.clone());
    let _registers = Finalizer::new(&a, move || {
        sink.push("fin a");
        let late = Finalizer::new(&target, sink.fin("late on b"));
        let (inner, again) = (sink.clone(), target.clone());
        late.set_atexit(true);
        drop(Finalizer::new(&again, move || inner.push("latest on b")));
    });
    let report = arena.shutdown();
    assert_eq!(log.lines(), ["fin a", "latest on b", "late on b", "old on b"]);
    assert_eq!(report.finalizers_run, 4);
    drop((a, b));
}

#[test]
fn an_object_an_atexit_finalizer_kills_is_reclaimed_during_shutdown() {
    let drops = Arc::new(AtomicUsize::new(0));
    let log = Log::default();
    let mut arena = Arena::new();
    let keeper = arena.insert(DropCounter::new("keeper", &drops));
    let kept = arena.insert(DropCounter::new("kept", &drops));
    let watch = WeakRef::with_callback(&kept, {
        let log = log.clone();
        move |_| log.push("kept's callback")
    });
    let _kept_fin = Finalizer::new(&kept, log.fin("kept's finalizer"));
    _kept_fin.set_atexit(false);
    let last = Mutex::new(Some(kept.clone()));
    drop(kept);
    let _releases = Finalizer::new(&keeper, move || drop(last.lock().unwrap().take()));
    let report = arena.shutdown();
    assert_eq!(
        log.lines(),
        ["kept's finalizer", "kept's callback"],
        "the death runs what it owes, newest first"
    );
    assert_eq!((report.death_count(), report.values_dropped), (1, 1));
    assert_eq!(report.finalizers_run, 2);
    assert_eq!(report.callbacks_run, 1);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "its value dropped at shutdown, not at teardown");
    assert!(!watch.is_alive());
    assert_eq!(arena.len(), 1);
    assert_eq!(arena.frame(), 1, "shutdown ends one frame");
    drop(keeper);
}
