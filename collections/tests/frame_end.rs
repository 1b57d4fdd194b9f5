//! The quiescent frame end: arenas and weak collections together, until
//! nothing more dies.

use weakarena_collections::frame_loop::{FrameLoop, FrameWorld};
use weakarena_collections::{
    end_frame_all, end_frame_parts, sweep_all, FrameParts, Sweep, WeakKeyMap, WeakSet, WeakValueMap,
};
use weakarena_core::{end_frames, Arena, EndFrame, FrameReport, Strong};

struct Node;

/// `d[n0] = n1; d[n1] = n2; …` over `len` nodes; returns the root `n0`.
fn chain(nodes: &mut Arena<Node>, next: &mut WeakKeyMap<Node, Strong<Node>>, len: usize) -> Strong<Node> {
    let links: Vec<Strong<Node>> = (0..len).map(|_| nodes.insert(Node)).collect();
    for pair in links.windows(2) {
        next.insert(&pair[0], pair[1].clone());
    }
    links.into_iter().next().unwrap()
}

#[test]
fn an_eleven_link_chain_of_map_values_dies_at_one_frame_end() {
    let mut nodes = Arena::new();
    let mut next = WeakKeyMap::new(&nodes);
    let root = chain(&mut nodes, &mut next, 11);
    assert_eq!((nodes.len(), next.len()), (11, 10));
    drop(root);
    let end = end_frame_all(&mut [&mut nodes], &mut [&mut next]);
    assert_eq!(end.deaths(), 11);
    assert_eq!(end.passes, 11, "one pass per link");
    assert_eq!(end.swept(), 10);
    assert_eq!(end.reports[0].frame, 0);
    assert_eq!(nodes.frame(), 1, "the frame counter advances once");
    assert!(nodes.is_empty() && next.is_empty());
}

#[test]
fn the_frame_end_and_sweep_apart_leave_the_chain_behind() {
    // What end_frame_all replaces: one link per frame end plus sweep.
    let mut nodes = Arena::new();
    let mut next = WeakKeyMap::new(&nodes);
    drop(chain(&mut nodes, &mut next, 11));
    let reports = end_frames(&mut [&mut nodes]);
    sweep_all(&reports, &mut [&mut next]);
    assert_eq!(nodes.len(), 9, "one link per frame end plus sweep: nine of eleven left");
}

#[test]
fn a_cascade_crosses_arenas_listed_in_either_order() {
    // Map values hold objects of an arena listed before the keys' arena.
    let (mut items, mut owners) = (Arena::new(), Arena::new());
    let mut inventory: WeakKeyMap<&str, Vec<Strong<u32>>> = WeakKeyMap::new(&owners);
    let mut by_item = WeakSet::new(&items);
    let owner = owners.insert("knight");
    let sword = items.insert(7);
    by_item.insert(&sword);
    inventory.insert(&owner, vec![sword]);
    drop(owner);
    let end = end_frame_all(&mut [&mut items, &mut owners], &mut [&mut by_item, &mut inventory]);
    assert_eq!((end.reports[0].death_count(), end.reports[1].death_count()), (1, 1));
    assert_eq!(end.passes, 2);
    assert!(items.is_empty() && inventory.is_empty() && by_item.is_empty());
    assert_eq!((items.frame(), owners.frame()), (1, 1));
}

#[test]
fn a_value_map_key_holding_the_last_handle_cascades() {
    let mut objects = Arena::new();
    let mut registry: WeakValueMap<Strong<u8>, u8> = WeakValueMap::new(&objects);
    let (value, held) = (objects.insert(1), objects.insert(2));
    let held_weak = held.downgrade();
    registry.insert(held, &value);
    drop(value);
    let end = end_frame_all(&mut [&mut objects], &mut [&mut registry]);
    assert_eq!(end.deaths(), 2);
    assert!(objects.get(held_weak).is_none() && registry.is_empty());
}

#[test]
fn a_quiet_frame_takes_no_pass_and_a_stale_collection_catches_up() {
    let mut arena = Arena::new();
    let mut stale = WeakSet::new(&arena);
    let members: Vec<_> = (0..4).map(|i| arena.insert(i)).collect();
    for member in &members {
        stale.insert(member);
    }
    drop(members);
    arena.end_frame(); // `stale` misses this frame
    let end = end_frame_all(&mut [&mut arena], &mut [&mut stale]);
    assert_eq!((end.passes, end.deaths()), (0, 0));
    assert_eq!(end.swept(), 4, "a full pass over what the missed frame killed");
    assert_eq!(stale.len(), 0);
}

struct Graph {
    nodes: Arena<Node>,
    next: WeakKeyMap<Node, Strong<Node>>,
    root: Option<Strong<Node>>,
}

impl FrameWorld for Graph {
    fn run_systems(&mut self, frame: u64) {
        if frame == 1 {
            self.root = None;
        }
    }
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
        vec![&mut self.nodes]
    }
    fn collections(&mut self) -> Vec<&mut dyn Sweep> {
        vec![&mut self.next]
    }
}

#[test]
fn the_frame_loop_ends_the_chain_in_one_step() {
    let mut nodes = Arena::new();
    let mut next = WeakKeyMap::new(&nodes);
    let root = Some(chain(&mut nodes, &mut next, 11));
    let mut game = FrameLoop::new(Graph { nodes, next, root });
    assert_eq!(game.step().passes, 0);
    let outcome = game.step();
    assert_eq!((outcome.deaths(), outcome.passes, outcome.swept()), (11, 11, 10));
    assert!(game.world().nodes.is_empty());
}

/// Nodes released one per pass by work outside the arena, and a map swept
/// with them.
struct Released {
    nodes: Arena<Node>,
    map: WeakKeyMap<Node, u32>,
    outside: Vec<Strong<Node>>,
    /// The deaths each `after_pass` call saw.
    calls: Vec<usize>,
}

impl FrameParts for Released {
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
        vec![&mut self.nodes]
    }

    fn collections(&mut self) -> Vec<&mut dyn Sweep> {
        vec![&mut self.map]
    }

    fn after_pass(&mut self, pass: &[FrameReport]) {
        self.calls.push(pass[0].death_count());
        self.outside.pop();
    }
}

#[test]
fn after_pass_runs_once_per_pass_with_deaths_and_the_frame_ends_once() {
    let mut nodes = Arena::new();
    let mut map = WeakKeyMap::new(&nodes);
    let outside: Vec<_> = (0..2).map(|_| nodes.insert(Node)).collect();
    for node in &outside {
        map.insert(node, 1);
    }
    let first = nodes.insert(Node);
    let mut parts = Released { nodes, map, outside, calls: Vec::new() };
    drop(first);
    let end = end_frame_parts(&mut parts);
    assert_eq!(parts.calls, [1, 1, 1], "never called for the pass that found nothing");
    assert_eq!((end.passes, end.reports[0].death_count(), end.swept()), (3, 3, 2));
    assert_eq!(parts.nodes.frame(), 1);
    assert!(parts.map.is_empty());
    let end = end_frame_parts(&mut parts);
    assert_eq!((parts.calls.len(), end.passes, parts.nodes.frame()), (3, 0, 2));
}

#[test]
fn a_slot_retired_in_a_combined_frame_end_is_counted_once() {
    use weakarena_core::Generation;
    let mut nodes = Arena::with_first_generation(Generation::LAST);
    let mut next: WeakKeyMap<Node, Strong<Node>> = WeakKeyMap::new(&nodes);
    let root = chain(&mut nodes, &mut next, 2); // the second dies in a second pass
    drop(root);
    let end = end_frame_all(&mut [&mut nodes], &mut [&mut next]);
    assert_eq!((end.passes, end.reports[0].death_count()), (2, 2));
    assert_eq!(end.reports[0].slots_retired, 2, "both slots used up their generations");
    // The merged sweep keeps the heaviest mode of its passes.
    assert_eq!(end.sweeps[0].mode, weakarena_collections::SweepMode::Deaths);
    assert_eq!(nodes.retired_slots(), 2);
}

#[test]
fn a_frames_total_time_is_the_sum_of_its_phases() {
    use std::time::Duration;
    use weakarena_collections::frame_loop::FrameTimings;
    let ms = Duration::from_millis;
    let timings = FrameTimings { systems: ms(1), end_frame: ms(2), sweep: ms(4) };
    assert_eq!(timings.total(), ms(7));
}

#[test]
fn the_reclaim_time_is_the_reports_phase_timings() {
    let mut nodes = Arena::new();
    let mut next = WeakKeyMap::new(&nodes);
    drop(chain(&mut nodes, &mut next, 5));
    let end = end_frame_all(&mut [&mut nodes], &mut [&mut next]);
    assert_eq!(end.passes, 5);
    let phases: std::time::Duration = end.reports.iter().map(|report| report.timings.total()).sum();
    assert_eq!(end.reclaim_time, phases, "no clock read of its own around the arenas");
    assert!(end.sweep_time >= end.sweeps[0].elapsed);
}
