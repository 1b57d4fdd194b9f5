//! Cycle collection: the same garbage graph collected by weakarena's
//! `collect_cycles`, gcmodule (CPython's algorithm over `Cc`) and dumpster
//! (`unsync::Gc`).
//!
//! The graph: N objects in rings of 8, each holding the next in its ring and
//! one random member of it; nothing outside holds any of them. Setup (build,
//! drop the outside handles) is untimed, one graph per iteration (the peers
//! collect whatever their thread holds); the timed region is the
//! collection. Ids: `cycles/<impl>/<N>`.

mod support;

use std::cell::RefCell;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use support::{configure, Rng};
use weakarena::{collect_cycles, Arena, Strong, Trace, Tracer};

const RING: usize = 8;
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// For node `i`: the node after it in its ring, and a random ring member.
fn edges(n: usize, seed: u64) -> Vec<[usize; 2]> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let ring = i - i % RING;
            [ring + (i + 1) % RING, ring + rng.below(RING)]
        })
        .collect()
}

struct Node {
    next: Vec<Strong<Node>>,
}

impl Trace for Node {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
    }
}

fn weakarena_garbage(edges: &[[usize; 2]]) -> Arena<Node> {
    let mut arena = Arena::with_capacity(edges.len());
    let nodes: Vec<Strong<Node>> = edges.iter().map(|_| arena.insert(Node { next: Vec::new() })).collect();
    for (node, targets) in nodes.iter().zip(edges) {
        arena[node].next = targets.iter().map(|&t| nodes[t].clone()).collect();
    }
    arena
}

struct GcmNode {
    next: RefCell<Vec<gcmodule::Cc<GcmNode>>>,
}

impl gcmodule::Trace for GcmNode {
    fn trace(&self, tracer: &mut gcmodule::Tracer) {
        self.next.trace(tracer);
    }
}

fn gcmodule_garbage(edges: &[[usize; 2]]) {
    let nodes: Vec<gcmodule::Cc<GcmNode>> =
        edges.iter().map(|_| gcmodule::Cc::new(GcmNode { next: RefCell::new(Vec::new()) })).collect();
    for (node, targets) in nodes.iter().zip(edges) {
        *node.next.borrow_mut() = targets.iter().map(|&t| nodes[t].clone()).collect();
    }
}

#[derive(dumpster::Trace)]
struct DumpsterNode {
    next: RefCell<Vec<dumpster::unsync::Gc<DumpsterNode>>>,
}

fn dumpster_garbage(edges: &[[usize; 2]]) {
    let nodes: Vec<dumpster::unsync::Gc<DumpsterNode>> = edges
        .iter()
        .map(|_| dumpster::unsync::Gc::new(DumpsterNode { next: RefCell::new(Vec::new()) }))
        .collect();
    for (node, targets) in nodes.iter().zip(edges) {
        *node.next.borrow_mut() = targets.iter().map(|&t| nodes[t].clone()).collect();
    }
}

fn cycles(c: &mut Criterion) {
    dumpster::unsync::set_collect_condition(|_| false); // collect only when asked
    let mut group = c.benchmark_group("cycles");
    configure(&mut group, 300, 1500);
    for n in SIZES {
        let graph = edges(n, n as u64);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("weakarena", n), &graph, |b, graph| {
            b.iter_batched(
                || weakarena_garbage(graph),
                |mut arena| {
                    let report = collect_cycles(&mut [&mut arena], &mut []);
                    assert_eq!(report.garbage, graph.len());
                    arena
                },
                BatchSize::PerIteration,
            )
        });
        group.bench_with_input(BenchmarkId::new("gcmodule", n), &graph, |b, graph| {
            b.iter_batched(
                || gcmodule_garbage(graph),
                |()| assert_eq!(gcmodule::collect_thread_cycles(), graph.len()),
                BatchSize::PerIteration,
            )
        });
        group.bench_with_input(BenchmarkId::new("dumpster", n), &graph, |b, graph| {
            b.iter_batched(
                || dumpster_garbage(graph),
                |()| dumpster::unsync::collect(),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    cycles(&mut criterion);
    criterion.final_summary();
}
