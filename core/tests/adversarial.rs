//! The library attacked as a hostile user would: `Trace` impls that could
//! over-report, cascades that need a second pass over arenas, and handles
//! used in ways the happy path never tries. Each test pins a promise that
//! broke once (see RELIABILITY.md).

mod common;

use std::sync::Arc;

use common::Log;
use weakarena_core::{collect_cycles, end_frames, Arena, Strong, Trace, Tracer};

/// A node that may hold a handle directly, or through an `Arc` it may share.
struct Node {
    name: &'static str,
    next: Option<Strong<Node>>,
    shared: Option<Arc<Strong<Node>>>,
    log: Log,
}

impl Trace for Node {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
        self.shared.trace(tracer);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.log.push(self.name);
    }
}

fn node(nodes: &mut Arena<Node>, log: &Log, name: &'static str) -> Strong<Node> {
    nodes.insert(Node { name, next: None, shared: None, log: log.clone() })
}

/// Two nodes holding each other, the first also holding `shared`.
fn cycle_holding(nodes: &mut Arena<Node>, log: &Log, names: [&'static str; 2], shared: &Arc<Strong<Node>>) {
    let first = node(nodes, log, names[0]);
    let second = node(nodes, log, names[1]);
    nodes[&first].next = Some(second.clone());
    nodes[&first].shared = Some(Arc::clone(shared));
    nodes[&second].next = Some(first);
}

#[test]
fn two_cycles_sharing_one_arc_never_free_what_the_user_holds_directly() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let x = node(&mut nodes, &log, "x");
    let shared = Arc::new(x.clone());
    cycle_holding(&mut nodes, &log, ["a1", "a2"], &shared);
    cycle_holding(&mut nodes, &log, ["b1", "b2"], &shared);
    drop(shared); // x: held by the user, and once by the Arc both cycles share

    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert!(nodes.contains(&x), "x was freed while the user holds it");
    assert_eq!(nodes[&x].name, "x");
    assert_eq!(report.garbage, 4, "both cycles are still garbage");
    assert_eq!(x.strong_count(), 1, "the shared Arc went with the last cycle");
    let mut dropped = log.lines();
    dropped.sort();
    assert_eq!(dropped, ["a1", "a2", "b1", "b2"]);
}

#[test]
fn a_cycle_through_an_unshared_arc_is_still_collected() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let a = node(&mut nodes, &log, "a");
    let b = node(&mut nodes, &log, "b");
    nodes[&a].shared = Some(Arc::new(b.clone()));
    nodes[&b].next = Some(a.clone());
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(nodes.is_empty());
}

/// A node of one arena that holds a handle into another.
struct Holder {
    _held: Option<Strong<&'static str>>,
}

#[test]
fn a_cascade_into_an_arena_listed_earlier_needs_and_gets_a_second_pass() {
    let mut names = Arena::new();
    let mut holders = Arena::new();
    let name = names.insert("held");
    let holder = holders.insert(Holder { _held: Some(name.clone()) });
    let weak = name.downgrade();
    drop((name, holder));
    // `names` comes first: its object dies only when `holders` drops the
    // holder's value, after `names` took its first step.
    let reports = end_frames(&mut [&mut names, &mut holders]);
    assert_eq!(reports[0].deaths, vec![weak.raw()], "the second pass reclaimed it");
    assert_eq!(reports[1].death_count(), 1);
    assert!(names.is_empty() && !names.has_pending_deaths());
    assert_eq!((reports[0].passes, reports[1].passes), (1, 1));
}

/// A value that clones the handle it holds while being dropped: in a cycle
/// collection that handle's object is already condemned.
struct Clinger {
    next: Option<Strong<Clinger>>,
    clones_seen_dead: Arc<std::sync::atomic::AtomicUsize>,
}

impl Trace for Clinger {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
    }
}

impl Drop for Clinger {
    fn drop(&mut self) {
        if let Some(next) = &self.next {
            let clone = next.clone();
            if clone.strong_count() == 0 {
                self.clones_seen_dead.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }
}

#[test]
fn garbage_whose_drop_clones_a_condemned_handle_is_still_freed_exactly() {
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut nodes = Arena::new();
    let clinger = |next| Clinger { next, clones_seen_dead: Arc::clone(&seen) };
    let a = nodes.insert(clinger(None));
    let b = nodes.insert(clinger(Some(a.clone())));
    nodes[&a].next = Some(b.clone());
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(nodes.is_empty() && !nodes.has_pending_deaths());
    assert_eq!(report.frames[0].death_count(), 2);
    assert!(seen.load(std::sync::atomic::Ordering::SeqCst) >= 1, "a clone of a condemned handle reads dead");
}

/// A unit that may watch another with a traced callback.
struct Unit {
    target: Option<Strong<Unit>>,
    watch: Option<weakarena_core::WeakRef<Unit>>,
}

impl Trace for Unit {
    fn trace(&self, tracer: &mut Tracer) {
        self.target.trace(tracer);
        self.watch.trace(tracer);
    }
}

#[test]
fn a_traced_callback_state_the_user_can_still_reach_is_never_collected() {
    let mut units = Arena::new();
    let unit = |target| Unit { target, watch: None };
    let a = units.insert(unit(None));
    let b = units.insert(unit(Some(a.clone())));
    units[&a].target = Some(b.clone());
    let x = units.insert(unit(None));
    let x_weak = x.downgrade();
    // a holds a watch on b whose callback state holds x; the user keeps a
    // clone of that watch, so x stays reachable through it.
    let watch = weakarena_core::WeakRef::with_traced_callback(&b, x, |_x, _dead| ());
    let kept = watch.clone();
    units[&a].watch = Some(watch);
    drop((a, b));
    let report = collect_cycles(&mut [&mut units], &mut []);
    assert_eq!(report.garbage, 2, "the a <-> b cycle is garbage");
    assert!(units.contains(x_weak), "x was freed while the user's watch still holds it");
    drop(kept);
    assert!(!units.contains(x_weak), "the last clone of the watch released x");
}
