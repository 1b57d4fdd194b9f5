//! The collector: build the graph, find the garbage, then CPython's phases —
//! every weak handle to the garbage dead, callbacks of tracked references
//! that are not garbage themselves, finalizers, values dropped — and the
//! frame end that reclaims the slots.

use std::collections::HashSet;

// `std::time::Instant` natively; `performance.now()` on wasm32-unknown-unknown.
use web_time::Instant;

use crate::arena::Arena;
use crate::frame::{drop_value, finish_frames, reclaim_until_quiescent, EndFrame, Step, STEP};
use crate::handle::{ArenaId, RawHandle};
use crate::ref_id::RefId;
use crate::report::{FrameReport, PanicReport};
use crate::slot_table::SlotTable;
use crate::trace::{Trace, Tracer};

use super::graph::{Graph, Node};
use super::report::CycleReport;

/// An arena whose objects take part in cycle collection: any `Arena<T>`
/// with `T: Trace`.
pub trait Collect: EndFrame {
    /// The arena's id.
    fn collect_id(&self) -> ArenaId;

    /// Slots allocated (the node numbers the arena takes).
    fn collect_slots(&self) -> usize;

    /// Each live object's handle and the edges its value reports, in slot order.
    fn trace_objects(&self, visit: &mut dyn FnMut(RawHandle, &Tracer));

    /// The side table.
    fn collect_table(&self) -> &SlotTable;

    /// Runs the death actions of `garbage` (skipping tracked references held
    /// by garbage) and drops their values, into `report`. Sealed like the
    /// [`EndFrame`] steps: only the collector, which has condemned
    /// `garbage`, may call it.
    fn free_garbage(
        &mut self,
        garbage: &[RawHandle],
        skip_refs: &HashSet<RefId>,
        report: &mut FrameReport,
        step: Step,
    );
}

/// A weak-key map whose values may hold strong handles, collected with
/// ephemeron semantics: a value keeps what it holds alive only while its
/// key is alive, even when it holds the key itself.
pub trait EphemeronTable {
    /// The arena of the keys.
    fn key_arena(&self) -> ArenaId;

    /// Each live entry's key and the edges its value reports.
    fn trace_entries(&self, visit: &mut dyn FnMut(RawHandle, &Tracer));

    /// Drops the entries whose key is dead (after a collection), catching
    /// any panic of a value's `Drop`, so the table still ends exact; returns
    /// the panics caught, which join the key arena's frame report.
    fn remove_dead_entries(&mut self) -> Vec<PanicReport>;
}

impl<T: Trace> Collect for Arena<T> {
    fn collect_id(&self) -> ArenaId {
        self.id()
    }

    fn collect_slots(&self) -> usize {
        self.slot_count()
    }

    fn trace_objects(&self, visit: &mut dyn FnMut(RawHandle, &Tracer)) {
        Tracer::trace_each(self.iter(), visit);
    }

    fn collect_table(&self) -> &SlotTable {
        self.slot_table()
    }

    fn free_garbage(
        &mut self,
        garbage: &[RawHandle],
        skip_refs: &HashSet<RefId>,
        report: &mut FrameReport,
        _: Step,
    ) {
        self.run_death_actions_except(garbage, skip_refs, report);
        let values: Vec<Option<T>> = garbage.iter().map(|handle| self.take_value(handle.index())).collect();
        for (handle, value) in garbage.iter().zip(values) {
            drop_value(*handle, value, report);
        }
    }
}

/// One participating arena's place in the node numbering.
struct Participant<'a> {
    id: ArenaId,
    base: usize,
    table: &'a SlotTable,
}

/// Node numbers across the participating arenas (a handful: found by a
/// scan, which beats hashing the id for every edge).
struct NodeSpace<'a> {
    participants: Vec<Participant<'a>>,
}

/// A live object found while tracing: its arena, handle and strong count.
#[derive(Copy, Clone)]
pub(super) struct Found {
    pub(super) arena: usize,
    pub(super) handle: RawHandle,
    count: u32,
}

impl<'a> NodeSpace<'a> {
    fn new(arenas: &'a [&dyn Collect]) -> NodeSpace<'a> {
        let mut base = 0;
        let mut participants = Vec::new();
        for arena in arenas {
            participants.push(Participant { id: arena.collect_id(), base, table: arena.collect_table() });
            base += arena.collect_slots();
        }
        NodeSpace { participants }
    }

    /// The node of a live object of a participating arena.
    fn node(&self, arena: ArenaId, handle: RawHandle) -> Option<Node> {
        let participant = self.participants.iter().find(|participant| participant.id == arena)?;
        participant.table.is_alive(handle).then(|| (participant.base + handle.index() as usize) as Node)
    }
}

/// Frees every object of `arenas` that nothing outside them keeps alive,
/// including cycles across arenas, with `ephemerons`' values held
/// conditionally on their keys. Returns what was freed and one frame report
/// per arena: this call ends their frames.
///
/// What already died by count is reclaimed first (callbacks, finalizers and
/// value drops, into the same frame reports), so a cycle held only by an
/// object that died this frame is garbage in this very call, as it is for
/// CPython's `gc.collect()`, where that object's refcount freed it at once.
///
/// Phases, as in CPython: every weak handle to the garbage reads dead before
/// any callback runs; callbacks run for tracked references that are not
/// themselves held by the garbage; then (in the same newest-first order per
/// object) finalizers; then the garbage values are dropped, releasing
/// everything they held, and the frame end reclaims the slots.
///
/// Call it where no other thread upgrades handles to these arenas' objects
/// (at the frame boundary): if one does, the collection notices the count
/// change and backs off, freeing nothing ([`CycleReport::backed_off`]).
///
/// ```
/// use weakarena_core::{collect_cycles, Arena, Strong, Trace, Tracer};
/// struct Node { next: Option<Strong<Node>> }
/// impl Trace for Node {
///     fn trace(&self, tracer: &mut Tracer) { self.next.trace(tracer) }
/// }
/// let mut nodes = Arena::new();
/// let a = nodes.insert(Node { next: None });
/// let b = nodes.insert(Node { next: Some(a.clone()) });
/// nodes.get_mut(&a).unwrap().next = Some(b.clone());   // a → b → a
/// drop((a, b));                                         // leaked with plain counting
/// assert_eq!(nodes.len(), 2);
/// let report = collect_cycles(&mut [&mut nodes], &mut []);
/// assert_eq!(report.garbage, 2);
/// assert!(nodes.is_empty());
/// ```
pub fn collect_cycles(
    arenas: &mut [&mut dyn Collect],
    ephemerons: &mut [&mut dyn EphemeronTable],
) -> CycleReport {
    let mut frames: Vec<FrameReport> = arenas.iter().map(|arena| arena.begin_frame_report(STEP)).collect();
    reclaim_until_quiescent(arenas, &mut frames);
    let started = Instant::now();
    let shared: Vec<&dyn Collect> = arenas.iter().map(|arena| &**arena as &dyn Collect).collect();
    let (found, graph, held_refs) = build_graph(&shared, ephemerons);
    drop(shared);
    let traced = Instant::now();
    let examined = found.iter().flatten().count();
    let garbage: Vec<Found> = graph.garbage().into_iter().filter_map(|node| found[node as usize]).collect();
    let mark_time = traced.elapsed();
    let backed_off = !condemn(arenas, &garbage);
    if !backed_off {
        for (index, (arena, frame)) in arenas.iter_mut().zip(&mut frames).enumerate() {
            let own: Vec<RawHandle> = garbage.iter().filter(|f| f.arena == index).map(|f| f.handle).collect();
            arena.free_garbage(&own, &held_refs, frame, STEP);
        }
        for table in ephemerons.iter_mut() {
            let panics = table.remove_dead_entries();
            let arena = table.key_arena();
            let index = frames.iter().position(|frame| frame.arena == arena).unwrap_or(0);
            if let Some(frame) = frames.get_mut(index) {
                frame.panics.extend(panics);
            }
        }
    }
    finish_frames(arenas, &mut frames);
    let garbage = if backed_off { 0 } else { garbage.len() };
    CycleReport { examined, garbage, backed_off, trace_time: traced - started, mark_time, frames }
}

/// Traces every object and ephemeron entry into a graph. Also returns what
/// each node is, and the tracked references that objects hold.
pub(super) fn build_graph(
    arenas: &[&dyn Collect],
    ephemerons: &[&mut dyn EphemeronTable],
) -> (Vec<Option<Found>>, Graph, HashSet<RefId>) {
    let space = NodeSpace::new(arenas);
    let mut graph = Graph::default();
    let mut found = Vec::new();
    let mut held_refs = HashSet::new();
    for (index, arena) in arenas.iter().enumerate() {
        let table = arena.collect_table();
        let base = space.participants[index].base;
        arena.trace_objects(&mut |handle, tracer| {
            found.resize(base + handle.index() as usize, None);
            graph.pad_to(found.len());
            let count = table.strong_count(handle) as u32;
            found.push(Some(Found { arena: index, handle, count }));
            let targets = tracer.strong.iter().filter_map(|&(arena, target)| space.node(arena, target));
            graph.push_node(Some(count), targets);
            held_refs.extend(tracer.weak_refs.iter().copied());
        });
        found.resize(base + arena.collect_slots(), None);
        graph.pad_to(found.len());
    }
    graph.seal();
    for table in ephemerons {
        add_ephemerons(&space, &mut graph, &**table);
    }
    (found, graph, held_refs)
}

/// Adds a weak-key map's entries as conditional edges.
fn add_ephemerons(space: &NodeSpace, graph: &mut Graph, table: &dyn EphemeronTable) {
    let key_arena = table.key_arena();
    table.trace_entries(&mut |key, tracer| {
        let Some(key) = space.node(key_arena, key) else {
            return;
        };
        for &(arena, target) in &tracer.strong {
            if let Some(target) = space.node(arena, target) {
                graph.push_ephemeron(key, target);
            }
        }
    });
}

/// Makes every garbage object read dead at once, all or nothing: backs off
/// if any count moved since the graph was built, or moves while the objects
/// are pending (a clone then waits for this decision: see
/// `count_word::increment`).
fn condemn(arenas: &[&mut dyn Collect], garbage: &[Found]) -> bool {
    let table = |found: &Found| arenas[found.arena].collect_table();
    let marked =
        garbage.iter().take_while(|found| table(found).begin_condemn(found.handle, found.count)).count();
    let unmoved = marked == garbage.len()
        && garbage.iter().all(|found| table(found).still_pending(found.handle, found.count));
    if !unmoved {
        for undo in &garbage[..marked] {
            table(undo).cancel_condemn(undo.handle);
        }
        return false;
    }
    for found in garbage {
        arenas[found.arena].collect_table().commit_condemn(found.handle);
    }
    true
}
