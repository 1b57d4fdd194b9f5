//! Python's `gc.get_referents` / `gc.get_referrers` over arenas, through
//! [`Trace`], and `why_alive`: one chain of strong handles from an object
//! held from outside the arenas (a root) to the one asked about — what keeps
//! a leaked object alive.
//!
//! Costs: [`Arena::referents`] traces one value. [`referrers`] and
//! [`why_alive`] trace every live value of the arenas given, as
//! `gc.get_referrers` walks every tracked object: O(objects + handles held)
//! time; [`why_alive`] also builds the collector's graph (about 16 bytes per
//! slot and 4 per handle held) and runs one breadth-first search. They are
//! debugging tools, for a frame boundary, not for every frame.

use crate::arena::Arena;
use crate::handle::{ArenaHandle, ArenaId, RawHandle};
use crate::strong::Strong;
use crate::trace::{Trace, Tracer};

use super::collector::{build_graph, Collect};

/// One object of one arena: what [`referrers`] and [`why_alive`] answer
/// with, and ask about.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct ObjectId {
    /// The object's arena.
    pub arena: ArenaId,
    /// The object's slot and generation.
    pub handle: RawHandle,
}

impl ObjectId {
    /// The object `handle` names in `arena`.
    pub fn new<T>(arena: &Arena<T>, handle: impl ArenaHandle<T>) -> ObjectId {
        ObjectId { arena: arena.id(), handle: handle.raw_handle() }
    }
}

impl<T> From<&Strong<T>> for ObjectId {
    fn from(strong: &Strong<T>) -> ObjectId {
        ObjectId { arena: strong.arena_id(), handle: strong.raw() }
    }
}

impl<T: Trace> Arena<T> {
    /// The objects whose strong handles the object's value holds, in the
    /// order its [`Trace`] visits them (`gc.get_referents(o)`); empty if it
    /// is dead or foreign. Costs one trace of the value.
    ///
    /// ```
    /// use weakarena_core::{Arena, ObjectId, Strong, Trace, Tracer};
    /// struct Node { next: Option<Strong<Node>> }
    /// impl Trace for Node {
    ///     fn trace(&self, tracer: &mut Tracer) { self.next.trace(tracer) }
    /// }
    /// let mut nodes = Arena::new();
    /// let tail = nodes.insert(Node { next: None });
    /// let head = nodes.insert(Node { next: Some(tail.clone()) });
    /// assert_eq!(nodes.referents(&head), [ObjectId::from(&tail)]);
    /// ```
    pub fn referents(&self, handle: impl ArenaHandle<T>) -> Vec<ObjectId> {
        let Some(value) = self.get(handle) else {
            return Vec::new();
        };
        let mut tracer = Tracer::default();
        value.trace(&mut tracer);
        tracer.strong.iter().map(|&(arena, handle)| ObjectId { arena, handle }).collect()
    }
}

/// The live objects of `arenas` whose values hold a strong handle to
/// `target`, each once, in arena then slot order (`gc.get_referrers(o)`).
/// Handles held outside the arenas (locals, systems, a weak-key map's
/// values) are not objects and are not listed. Traces every live value.
///
/// ```
/// use weakarena_core::{referrers, Arena, ObjectId, Strong, Trace, Tracer};
/// struct Node { next: Option<Strong<Node>> }
/// impl Trace for Node {
///     fn trace(&self, tracer: &mut Tracer) { self.next.trace(tracer) }
/// }
/// let mut nodes = Arena::new();
/// let shared = nodes.insert(Node { next: None });
/// let a = nodes.insert(Node { next: Some(shared.clone()) });
/// let b = nodes.insert(Node { next: Some(shared.clone()) });
/// assert_eq!(referrers(&[&nodes], ObjectId::from(&shared)), [ObjectId::from(&a), ObjectId::from(&b)]);
/// ```
pub fn referrers(arenas: &[&dyn Collect], target: ObjectId) -> Vec<ObjectId> {
    let mut found = Vec::new();
    for arena in arenas {
        let arena_id = arena.collect_id();
        arena.trace_objects(&mut |handle, tracer| {
            if tracer.strong.contains(&(target.arena, target.handle)) {
                found.push(ObjectId { arena: arena_id, handle });
            }
        });
    }
    found
}

/// Why `target` is alive: one shortest chain of strong handles from a root
/// — an object held from outside `arenas` (a local, a system, another
/// arena's value, a weak-key map's value) — to `target`, root first and
/// `target` last (`[target]` when it is itself held from outside).
///
/// `None` when `target` is dead, not in `arenas`, or reached from no root:
/// it is then kept only by a cycle, which
/// [`collect_cycles`](crate::collect_cycles) would free. Call it after the
/// frame end: an object dead by count but not yet reclaimed still holds
/// what its value holds, without being traced, so what it holds counts as
/// held from outside. Traces every live value and searches the graph once.
///
/// ```
/// use weakarena_core::{why_alive, Arena, ObjectId, Strong, Trace, Tracer};
/// struct Node { next: Vec<Strong<Node>> }
/// impl Trace for Node {
///     fn trace(&self, tracer: &mut Tracer) { self.next.trace(tracer) }
/// }
/// let mut nodes = Arena::new();
/// let leaked = nodes.insert(Node { next: vec![] });
/// let cache = nodes.insert(Node { next: vec![leaked.clone()] });
/// let level = nodes.insert(Node { next: vec![cache.clone()] });
/// let (target, via) = (ObjectId::from(&leaked), ObjectId::from(&cache));
/// drop((leaked, cache)); // "dropped", yet alive: by what?
/// assert_eq!(why_alive(&[&nodes], target), Some(vec![ObjectId::from(&level), via, target]));
/// ```
pub fn why_alive(arenas: &[&dyn Collect], target: ObjectId) -> Option<Vec<ObjectId>> {
    let (found, graph, _) = build_graph(arenas, &[]);
    let node = found.iter().position(|found| {
        found.is_some_and(|found| {
            found.handle == target.handle && arenas[found.arena].collect_id() == target.arena
        })
    })?;
    let path = graph.path_to(node as u32)?;
    let object = |node: u32| {
        let found = found[node as usize].expect("a path runs over live objects");
        ObjectId { arena: arenas[found.arena].collect_id(), handle: found.handle }
    };
    Some(path.into_iter().map(object).collect())
}
