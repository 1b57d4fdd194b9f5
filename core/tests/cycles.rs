//! Cycle collection: cycles in one arena and across two, self-references,
//! reachable cycles kept, CPython's phase order, callbacks of garbage refs.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::Log;
use weakarena_core::{collect_cycles, Arena, Finalizer, Strong, Trace, Tracer, WeakRef};

struct Node {
    name: &'static str,
    log: Log,
    next: Vec<Strong<Node>>,
    other: Option<Strong<Other>>,
    held_ref: Option<WeakRef<Node>>,
}

impl Node {
    fn new(name: &'static str, log: &Log) -> Node {
        Node { name, log: log.clone(), next: Vec::new(), other: None, held_ref: None }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.log.push(format!("drop {}", self.name));
    }
}

/// Two nodes named `a` and `b` that hold each other.
fn linked_pair(nodes: &mut Arena<Node>, log: &Log) -> (Strong<Node>, Strong<Node>) {
    let a = nodes.insert(Node::new("a", log));
    let b = nodes.insert(Node::new("b", log));
    nodes[&a].next.push(b.clone());
    nodes[&b].next.push(a.clone());
    (a, b)
}

impl Trace for Node {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
        self.other.trace(tracer);
        self.held_ref.trace(tracer);
    }
}

struct Other {
    back: Option<Strong<Node>>,
    drops: Arc<AtomicUsize>,
}

impl Drop for Other {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

impl Trace for Other {
    fn trace(&self, tracer: &mut Tracer) {
        self.back.trace(tracer);
    }
}

#[test]
fn a_two_object_cycle_in_one_arena_is_collected() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let (a, b) = linked_pair(&mut nodes, &log);
    let (wa, wb) = (a.downgrade(), b.downgrade());
    drop((a, b));
    assert_eq!(nodes.end_frame().death_count(), 0, "plain counting leaks the cycle");
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!((report.examined, report.garbage, report.backed_off), (2, 2, false));
    assert!(nodes.get(wa).is_none() && nodes.get(wb).is_none());
    assert!(nodes.is_empty());
    assert_eq!(report.frames[0].death_count(), 2);
    assert_eq!(report.frames[0].values_dropped, 2);
    let mut drops = log.lines();
    drops.sort();
    assert_eq!(drops, ["drop a", "drop b"]);
}

#[test]
fn a_self_reference_is_collected() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let a = nodes.insert(Node::new("self", &log));
    nodes[&a].next.push(a.clone());
    drop(a);
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 1);
    assert_eq!(log.lines(), ["drop self"]);
}

#[test]
fn a_cycle_across_two_arenas_is_collected() {
    let log = Log::default();
    let drops = Arc::new(AtomicUsize::new(0));
    let mut nodes = Arena::new();
    let mut others = Arena::new();
    let a = nodes.insert(Node::new("a", &log));
    let b = others.insert(Other { back: Some(a.clone()), drops: Arc::clone(&drops) });
    nodes[&a].other = Some(b.clone());
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes, &mut others], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(nodes.is_empty() && others.is_empty());
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(log.lines(), ["drop a"]);
}

#[test]
fn a_cycle_is_kept_while_held_from_outside_or_through_an_absent_arena() {
    let log = Log::default();
    let drops = Arc::new(AtomicUsize::new(0));
    let mut nodes = Arena::new();
    let mut others = Arena::new();
    let a = nodes.insert(Node::new("a", &log));
    let b = nodes.insert(Node::new("b", &log));
    let tail = nodes.insert(Node::new("tail", &log));
    nodes[&a].next.push(b.clone());
    nodes[&b].next.push(a.clone());
    nodes[&b].next.push(tail.clone());
    drop((b, tail));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!((report.examined, report.garbage), (3, 0));
    // The only outside reference is held by an arena that is not collected.
    let holder = others.insert(Other { back: Some(a.clone()), drops });
    drop(a);
    assert_eq!(collect_cycles(&mut [&mut nodes], &mut []).garbage, 0);
    assert!(log.lines().is_empty());
    drop(holder);
    others.end_frame();
    assert_eq!(collect_cycles(&mut [&mut nodes], &mut []).garbage, 3);
    assert_eq!(log.lines().len(), 3);
}

#[test]
fn phases_follow_cpython_dead_handles_then_callbacks_then_finalizers_then_drops() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let (a, b) = linked_pair(&mut nodes, &log);
    let table = Arc::clone(nodes.slot_table());
    let wb = b.downgrade().raw();
    let sink = log.clone();
    let outside =
        WeakRef::with_callback(&a, move |_| sink.push(format!("callback a, b alive={}", table.is_alive(wb))));
    let sink = log.clone();
    let _fin = Finalizer::new(&b, move || sink.push("finalize b"));
    let sink = log.clone();
    let inside = WeakRef::with_callback(&b, move |_| sink.push("callback of a ref the garbage holds"));
    nodes[&a].held_ref = Some(inside);
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 2);
    assert_eq!(report.frames[0].callbacks_run, 1);
    assert_eq!(report.frames[0].finalizers_run, 1);
    let lines = log.lines();
    assert_eq!(&lines[..2], ["callback a, b alive=false", "finalize b"]);
    let mut drops = lines[2..].to_vec();
    drops.sort();
    assert_eq!(drops, ["drop a", "drop b"]);
    assert!(outside.upgrade().is_none());
}

#[test]
fn collecting_nothing_ends_the_frame_normally() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let a = nodes.insert(Node::new("a", &log));
    let b = nodes.insert(Node::new("b", &log));
    drop(b);
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 0);
    assert_eq!(report.frames[0].death_count(), 1, "ordinary deaths are reclaimed too");
    assert_eq!(nodes.frame(), 1);
    assert!(nodes.get(&a).is_some());
}

#[test]
fn a_cycle_held_only_by_an_object_dead_this_frame_is_freed_in_the_same_collection() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let (a, b) = linked_pair(&mut nodes, &log);
    let holder = nodes.insert(Node::new("holder", &log));
    nodes[&holder].next.push(a.clone());
    drop((a, b));
    drop(holder); // dead by count; its value still holds the cycle
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!((report.examined, report.garbage), (2, 2));
    assert!(nodes.is_empty(), "as gc.collect() frees a cycle whose holder's refcount hit zero");
    assert_eq!(report.frames[0].death_count(), 3);
    assert_eq!(log.lines()[0], "drop holder");
    assert_eq!(nodes.frame(), 1, "one frame end");
}

/// A callback's state holding a node strongly, and the log it writes to.
struct Held {
    node: Strong<Node>,
    log: Log,
}

impl Trace for Held {
    fn trace(&self, tracer: &mut Tracer) {
        self.node.trace(tracer);
    }
}

fn log_callback(held: &mut Held, _: weakarena_core::Weak<Node>) {
    held.log.push("callback of a's reference");
}

#[test]
fn a_traced_callback_holding_its_holder_is_garbage_with_the_cycle_and_does_not_run() {
    // Python: a.wr = weakref.ref(b, a.method), a <-> b, then del a, b; gc.collect()
    let log = Log::default();
    let mut nodes = Arena::new();
    let (a, b) = linked_pair(&mut nodes, &log);
    let state = Held { node: a.clone(), log: log.clone() };
    nodes[&a].held_ref = Some(WeakRef::with_traced_callback(&b, state, log_callback));
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(nodes.is_empty());
    assert_eq!(report.frames[0].callbacks_run, 0, "the reference is garbage itself");
    let mut lines = log.lines();
    lines.sort();
    assert_eq!(lines, ["drop a", "drop b"]);
}

#[test]
fn an_opaque_callback_holding_a_strong_handle_roots_the_cycle() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let (a, b) = linked_pair(&mut nodes, &log);
    let captured = a.clone();
    nodes[&a].held_ref = Some(WeakRef::with_callback(&b, move |_| drop(captured)));
    drop((a, b));
    assert_eq!(collect_cycles(&mut [&mut nodes], &mut []).garbage, 0, "the collector cannot see inside");
    assert_eq!(nodes.len(), 2);
}

#[test]
fn a_traced_callback_held_from_outside_keeps_its_state_and_runs() {
    let log = Log::default();
    let mut nodes = Arena::new();
    let keeper = nodes.insert(Node::new("keeper", &log));
    let b = nodes.insert(Node::new("b", &log));
    let state = Held { node: keeper.clone(), log: log.clone() };
    let outside = WeakRef::with_traced_callback(&b, state, log_callback);
    let kept = keeper.downgrade();
    drop(keeper);
    assert_eq!(collect_cycles(&mut [&mut nodes], &mut []).garbage, 0, "held by an outside reference's state");
    assert!(nodes.get(kept).is_some());
    drop(b);
    let report = nodes.end_frame();
    assert_eq!(report.callbacks_run, 1);
    assert_eq!(log.lines(), ["callback of a's reference", "drop b", "drop keeper"]);
    assert!(nodes.get(kept).is_none(), "the state was dropped after the callback, and with it the keeper");
    drop(outside);
}

/// A node whose links are a fixed-size array: traced through `[T; N]`.
struct Pair {
    links: [Option<Strong<Pair>>; 2],
}

impl Trace for Pair {
    fn trace(&self, tracer: &mut Tracer) {
        self.links.trace(tracer);
    }
}

#[test]
fn a_cycle_through_an_array_field_is_collected() {
    let mut pairs = Arena::new();
    let a = pairs.insert(Pair { links: [None, None] });
    let b = pairs.insert(Pair { links: [Some(a.clone()), None] });
    pairs[&a].links[1] = Some(b.clone());
    drop((a, b));
    let report = collect_cycles(&mut [&mut pairs], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(pairs.is_empty());
}
