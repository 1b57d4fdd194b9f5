//! The tracked-reference registry: for each object, the weak references,
//! proxies, weak methods and finalizers registered on it, in registration
//! order, each with the action (callback or finalizer) it will run.

use std::any::Any;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::handle::{ArenaId, RawHandle};
use crate::holder_word;
use crate::holders::Holders;
use crate::ref_id::RefId;
use crate::sync::lock;
use crate::trace::Tracer;

/// What kind of tracked reference a registry entry is; Python's names in
/// brackets.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum TrackedKind {
    /// A [`WeakRef`](crate::WeakRef) (`weakref.ref`).
    Ref,
    /// A [`Proxy`](crate::Proxy) (`weakref.proxy`).
    Proxy,
    /// A [`WeakMethod`](crate::WeakMethod) (`weakref.WeakMethod`).
    Method,
    /// A [`Finalizer`](crate::Finalizer) (`weakref.finalize`).
    Finalizer,
    /// An entry in a weak collection (the `KeyedRef`s and `ref`s that
    /// `WeakKeyDictionary`, `WeakValueDictionary` and `WeakSet` hold).
    Membership,
}

/// Runs a payload of type `P` for the object `RawHandle` names; the last
/// argument is the `*const Arena<T>` of the arena whose frame end (or
/// shutdown) runs it, which only the payloads that read their arena use
/// (see [`Record::run`]).
pub(crate) type Runner<P> = fn(P, RawHandle, *const ());
/// Reports the strong handles a payload's captured state holds.
pub(crate) type StateTracer<P> = fn(&P, &mut Tracer);

/// A record's action while it waits: its payload (a callback or finalizer
/// body, `None` once taken or for a reference made without one), stored in
/// the record itself (one allocation per record), and the typed functions
/// that run it and trace its captured state.
pub(crate) struct Waiting<P> {
    payload: Option<P>,
    run: Runner<P>,
    trace_state: Option<StateTracer<P>>,
}

impl<P> Waiting<P> {
    /// `payload`, which `run` runs.
    pub(crate) fn new(payload: P, run: Runner<P>) -> Waiting<P> {
        Waiting { payload: Some(payload), run, trace_state: None }
    }

    /// The action, with a payload whose captured state the collector traces.
    pub(crate) fn with_state_tracer(mut self, trace_state: StateTracer<P>) -> Waiting<P> {
        self.trace_state = Some(trace_state);
        self
    }
}

impl Waiting<()> {
    /// No action: a reference made without a callback.
    pub(crate) fn nothing() -> Waiting<()> {
        Waiting { payload: None, run: |(), _, _| {}, trace_state: None }
    }
}

/// A record's waiting action seen without its payload type: a
/// `Mutex<Waiting<P>>`.
pub(crate) trait Action: Send + Sync {
    /// Takes the payload out and, outside the lock (it may register more
    /// references or ask its own record whether it is alive), runs it;
    /// `taken` turns true before it runs, so a caller that catches a panic
    /// knows it ran.
    fn run(&self, handle: RawHandle, arena: *const (), taken: &mut bool);
    /// Whether the payload is still waiting.
    fn is_pending(&self) -> bool;
    /// Reports the strong handles of the waiting payload's state, if traced.
    fn trace_state(&self, tracer: &mut Tracer);
    /// The action as `Any`, to be typed back as `Mutex<Waiting<P>>`.
    fn as_any(&self) -> &dyn Any;
}

impl<P: Send + 'static> Action for Mutex<Waiting<P>> {
    fn run(&self, handle: RawHandle, arena: *const (), taken: &mut bool) {
        let (payload, run) = {
            let mut waiting = lock(self);
            (waiting.payload.take(), waiting.run)
        };
        if let Some(payload) = payload {
            *taken = true;
            run(payload, handle, arena);
        }
    }

    fn is_pending(&self) -> bool {
        lock(self).payload.is_some()
    }

    fn trace_state(&self, tracer: &mut Tracer) {
        let waiting = lock(self);
        if let (Some(trace_state), Some(payload)) = (waiting.trace_state, waiting.payload.as_ref()) {
            trace_state(payload, tracer);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One tracked reference, with its action inline (`Record<Mutex<Waiting<P>>>`
/// when made, shared as `Record<dyn Action>`).
pub(crate) struct Record<A: ?Sized = dyn Action> {
    pub(crate) handle: RawHandle,
    pub(crate) kind: TrackedKind,
    pub(crate) has_callback: bool,
    /// Registration order in its arena (finalizers' atexit order), given
    /// by [`Registry::register`].
    pub(crate) order: u64,
    /// The arena whose registry holds it (with `order`, its identity).
    arena: ArenaId,
    atexit: AtomicBool,
    action: A,
}

impl<P: Send + 'static> Record<Mutex<Waiting<P>>> {
    /// A record of `kind` for `handle`'s object, with `action` waiting.
    pub(crate) fn new(handle: RawHandle, kind: TrackedKind, action: Waiting<P>) -> Self {
        Record {
            handle,
            kind,
            has_callback: action.payload.is_some(),
            order: 0,
            arena: ArenaId(0),
            atexit: AtomicBool::new(true),
            action: Mutex::new(action),
        }
    }
}

impl Record {
    /// Reports the strong handles of the waiting action's state, if it has
    /// traced state.
    pub(crate) fn trace_state(&self, tracer: &mut Tracer) {
        self.action.trace_state(tracer);
    }

    /// The record's identity: its arena and registration number, never reused.
    pub(crate) fn id(&self) -> RefId {
        RefId::registered(self.arena, self.order)
    }

    /// The action, typed back, if its payload is a `P`.
    fn waiting<P: 'static>(&self) -> Option<&Mutex<Waiting<P>>> {
        self.action.as_any().downcast_ref()
    }

    /// Takes the payload out, if it is a `P` still waiting, so it runs at
    /// most once.
    pub(crate) fn take<P: 'static>(&self) -> Option<P> {
        lock(self.waiting::<P>()?).payload.take()
    }

    /// Reads the payload while it waits to run, without taking it.
    pub(crate) fn read<P: 'static, R>(&self, read: impl FnOnce(&P) -> Option<R>) -> Option<R> {
        lock(self.waiting::<P>()?).payload.as_ref().and_then(read)
    }

    /// Whether the action is still waiting to run.
    pub(crate) fn is_pending(&self) -> bool {
        self.action.is_pending()
    }

    /// Takes the action and runs it, if it was waiting (`taken` says so,
    /// set before it runs); `arena` is `&Arena<T>` as `*const ()`, `T` the
    /// type of the object the record watches: only the frame end of that
    /// object's own arena runs its records (their registry lives in that
    /// arena's side table).
    pub(crate) fn run(&self, arena: *const (), taken: &mut bool) {
        self.action.run(self.handle, arena, taken);
    }

    pub(crate) fn atexit(&self) -> bool {
        self.atexit.load(Ordering::Acquire)
    }

    pub(crate) fn set_atexit(&self, value: bool) {
        self.atexit.store(value, Ordering::Release);
    }
}

/// How the registry holds a record: weakly for references (dropping the
/// last user handle cancels them), strongly for finalizers (dropping a
/// `Finalizer` does not cancel it).
pub(crate) enum Entry {
    Held(std::sync::Weak<Record>),
    Owned(Arc<Record>),
}

impl Entry {
    /// The record, if it still counts: a reference someone holds, or a
    /// finalizer that has not run or been detached.
    pub(crate) fn live(&self) -> Option<Arc<Record>> {
        match self {
            Entry::Held(weak) => weak.upgrade(),
            Entry::Owned(record) => record.is_pending().then(|| Arc::clone(record)),
        }
    }

    /// Whether this entry holds `record`.
    fn is(&self, record: &Arc<Record>) -> bool {
        match self {
            Entry::Held(weak) => std::ptr::addr_eq(weak.as_ptr(), Arc::as_ptr(record)),
            Entry::Owned(owned) => Arc::ptr_eq(owned, record),
        }
    }
}

/// No node: the end of a list.
const NONE: u32 = u32::MAX;

/// One entry in the slab, linked to the next newer entry of its object.
struct Node {
    entry: Option<Entry>,
    next: u32,
}

/// An object's list: its oldest and newest nodes, and how many it links.
#[derive(Copy, Clone)]
struct List {
    first: u32,
    last: u32,
    len: u32,
}

/// log2 of the slots per page of list heads.
const PAGE_SHIFT: u32 = 10;
const PAGE_LEN: usize = 1 << PAGE_SHIFT;
/// An object with no entries.
const EMPTY: List = List { first: NONE, last: NONE, len: 0 };

/// Every object's entries, as lists threaded through one slab of nodes, so
/// registering is a slab push (or a reused node), with no list allocated
/// per object. Each object's list head is found by its slot index in pages
/// of 1,024 heads, made when a slot of theirs first registers.
#[derive(Default)]
struct Lists {
    pages: Vec<Option<Box<[List; PAGE_LEN]>>>,
    /// Objects whose list is not empty.
    objects: usize,
    nodes: Vec<Node>,
    /// Nodes unlinked and free for reuse.
    free: Vec<u32>,
    /// References registered so far: the next one's order.
    registered: u64,
}

/// Slot `index`'s list head, if its page was made.
fn head(pages: &[Option<Box<[List; PAGE_LEN]>>], index: u32) -> Option<&List> {
    let page = pages.get((index >> PAGE_SHIFT) as usize)?.as_ref()?;
    Some(&page[index as usize & (PAGE_LEN - 1)])
}

/// Slot `index`'s list head, making its page if need be.
fn head_mut(pages: &mut Vec<Option<Box<[List; PAGE_LEN]>>>, index: u32) -> &mut List {
    let at = (index >> PAGE_SHIFT) as usize;
    if pages.len() <= at {
        pages.resize_with(at + 1, || None);
    }
    let page = pages[at].get_or_insert_with(new_page);
    &mut page[index as usize & (PAGE_LEN - 1)]
}

/// A page of empty list heads, built on the heap (not on the stack first).
#[cold]
fn new_page() -> Box<[List; PAGE_LEN]> {
    match vec![EMPTY; PAGE_LEN].into_boxed_slice().try_into() {
        Ok(page) => page,
        Err(_) => unreachable!("weakarena: a page has PAGE_LEN heads"),
    }
}

impl Lists {
    /// A node holding `entry`, reused or new.
    fn node(&mut self, entry: Entry) -> u32 {
        let node = Node { entry: Some(entry), next: NONE };
        match self.free.pop() {
            Some(at) => {
                self.nodes[at as usize] = node;
                at
            }
            None => {
                let at = u32::try_from(self.nodes.len()).expect("fewer than 2^32 tracked references");
                self.nodes.push(node);
                at
            }
        }
    }

    /// Appends `entry` to slot `index`'s list (newest last), first
    /// dropping the entries of references that are gone when the list has
    /// reached a power of two (8 or more): an object that outlives many
    /// short-lived references keeps a list at most about twice as long as
    /// its live ones.
    fn push(&mut self, index: u32, entry: Entry) {
        let node = self.node(entry);
        let Lists { pages, objects, nodes, free, .. } = self;
        let list = head_mut(pages, index);
        if list.len == 0 {
            *objects += 1;
        } else if list.len >= 8 && list.len.is_power_of_two() {
            prune(list, nodes, free);
        }
        match list.last {
            NONE => list.first = node,
            last => nodes[last as usize].next = node,
        }
        list.last = node;
        list.len += 1;
    }

    /// The node numbers of slot `index`'s list, oldest first.
    fn walk(&self, index: u32) -> impl Iterator<Item = u32> + '_ {
        let first = head(&self.pages, index).map_or(NONE, |list| list.first);
        std::iter::successors((first != NONE).then_some(first), |&at| {
            let next = self.nodes[at as usize].next;
            (next != NONE).then_some(next)
        })
    }

    /// The entries of slot `index`'s list, oldest first.
    fn entries(&self, index: u32) -> impl Iterator<Item = &Entry> + '_ {
        self.walk(index).filter_map(|at| self.nodes[at as usize].entry.as_ref())
    }

    /// Unlinks slot `index`'s list, returning its entries oldest first.
    fn remove(&mut self, index: u32) -> Vec<Entry> {
        let list = match head(&self.pages, index) {
            Some(&list) if list.len > 0 => list,
            _ => return Vec::new(),
        };
        *head_mut(&mut self.pages, index) = EMPTY;
        self.objects -= 1;
        let mut entries = Vec::with_capacity(list.len as usize);
        let mut at = list.first;
        while at != NONE {
            let node = &mut self.nodes[at as usize];
            entries.extend(node.entry.take());
            self.free.push(at);
            at = std::mem::replace(&mut node.next, NONE);
        }
        entries
    }
}

/// Unlinks the nodes of `list` whose references are gone, in place.
fn prune(list: &mut List, nodes: &mut [Node], free: &mut Vec<u32>) {
    let (mut at, mut kept_last) = (list.first, NONE);
    *list = List { first: NONE, last: NONE, len: 0 };
    while at != NONE {
        let next = std::mem::replace(&mut nodes[at as usize].next, NONE);
        if nodes[at as usize].entry.as_ref().is_some_and(|entry| entry.live().is_some()) {
            match kept_last {
                NONE => list.first = at,
                last => nodes[last as usize].next = at,
            }
            kept_last = at;
            list.len += 1;
        } else {
            nodes[at as usize].entry = None;
            free.push(at);
        }
        at = next;
    }
    list.last = kept_last;
}

/// Per-object lists of tracked references, keyed by slot index, and the
/// holder words of the objects' shared callback-less references (which have
/// no record and never take the lock).
#[derive(Default)]
pub(crate) struct Registry {
    lists: Mutex<Lists>,
    pub(crate) holders: Holders,
}

impl Registry {
    /// Registers `record`, a new reference to the object in slot `index`
    /// of arena `arena`: numbers it, then adds it to the object's list,
    /// held weakly (dropping its last user handle cancels it) or, for a
    /// finalizer, owned (dropping a `Finalizer` does not cancel it).
    pub(crate) fn register<P: Send + 'static>(
        &self,
        index: u32,
        arena: ArenaId,
        mut record: Record<Mutex<Waiting<P>>>,
    ) -> Arc<Record> {
        let mut lists = lock(&self.lists);
        record.arena = arena;
        record.order = lists.registered;
        lists.registered += 1;
        let record: Arc<Record> = Arc::new(record);
        let entry = match record.kind {
            TrackedKind::Finalizer => Entry::Owned(Arc::clone(&record)),
            _ => Entry::Held(Arc::downgrade(&record)),
        };
        lists.push(index, entry);
        record
    }

    /// How many references were ever registered here: a change tells
    /// shutdown that its list of finalizers is out of date.
    pub(crate) fn registrations(&self) -> u64 {
        lock(&self.lists).registered
    }

    /// What `weak_refs` lists for the live object `handle` of arena
    /// `arena`, as (kind, made with a callback, id), in CPython's order: its
    /// shared reference, its shared proxy, then its other live records
    /// oldest first (`tracked`: whether its word says the lists hold
    /// anything for it).
    pub(crate) fn listed(
        &self,
        arena: ArenaId,
        handle: RawHandle,
        tracked: bool,
    ) -> Vec<(TrackedKind, bool, RefId)> {
        let generation = handle.generation().get();
        let shared = [TrackedKind::Ref, TrackedKind::Proxy].into_iter().filter(|&kind| {
            let word = self.holders.word(handle.index(), kind);
            word.is_some_and(|word| holder_word::holders(word.load(Ordering::Acquire), generation) > 0)
        });
        let mut refs: Vec<_> = shared.map(|kind| (kind, false, RefId::shared(arena, handle, kind))).collect();
        if tracked {
            let records = self.live_records(handle.index());
            refs.extend(records.iter().map(|record| (record.kind, record.has_callback, record.id())));
        }
        refs
    }

    /// The object's live records, oldest first.
    pub(crate) fn live_records(&self, index: u32) -> Vec<Arc<Record>> {
        lock(&self.lists).entries(index).filter_map(Entry::live).collect()
    }

    /// Removes and returns the entries of each object of `dead` (at their
    /// deaths), in order, under one lock; an empty list when no object of
    /// the arena has a tracked reference, the common case in a hot loop.
    pub(crate) fn take_all(&self, dead: &[RawHandle]) -> Vec<Vec<Entry>> {
        if dead.is_empty() {
            return Vec::new();
        }
        let mut lists = lock(&self.lists);
        if lists.objects == 0 {
            return Vec::new();
        }
        dead.iter().map(|handle| lists.remove(handle.index())).collect()
    }

    /// Makes the registry own `record` from now on, so its action still runs
    /// at the frame end though its last user handle is being dropped: a
    /// reference dropped after its object died keeps the callback CPython
    /// already ran at the death.
    pub(crate) fn keep(&self, index: u32, record: &Arc<Record>) {
        let mut lists = lock(&self.lists);
        let held = lists
            .walk(index)
            .find(|&at| lists.nodes[at as usize].entry.as_ref().is_some_and(|e| e.is(record)));
        if let Some(at) = held {
            lists.nodes[at as usize].entry = Some(Entry::Owned(Arc::clone(record)));
        }
    }

    /// Every finalizer still waiting to run with its `atexit` flag on.
    pub(crate) fn atexit_finalizers(&self) -> Vec<Arc<Record>> {
        let lists = lock(&self.lists);
        lists
            .nodes
            .iter()
            .filter_map(|node| node.entry.as_ref())
            .filter_map(Entry::live)
            .filter(|record| record.kind == TrackedKind::Finalizer && record.atexit())
            .collect()
    }

    /// Drops every entry, cancelling what has not run (outside the lock: a
    /// dropped closure may register more). Numbering goes on where it was.
    pub(crate) fn clear(&self) {
        let lists = {
            let mut lists = lock(&self.lists);
            let registered = lists.registered;
            std::mem::replace(&mut *lists, Lists { registered, ..Lists::default() })
        };
        drop(lists);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generation::Generation;

    fn list_len(registry: &Registry, index: u32) -> usize {
        lock(&registry.lists).entries(index).count()
    }

    const ARENA: ArenaId = ArenaId(1);

    fn record(index: u32, kind: TrackedKind) -> Record<Mutex<Waiting<()>>> {
        Record::new(RawHandle::new(index, Generation::FIRST), kind, Waiting::new((), |(), _, _| {}))
    }

    #[test]
    fn short_lived_references_do_not_pile_up() {
        let registry = Registry::default();
        let kept = registry.register(3, ARENA, record(3, TrackedKind::Ref));
        for _ in 0..10_000 {
            drop(registry.register(3, ARENA, record(3, TrackedKind::Proxy)));
        }
        assert!(list_len(&registry, 3) <= 8, "{} entries", list_len(&registry, 3));
        let live = registry.live_records(3);
        assert!(live.len() == 1 && Arc::ptr_eq(&live[0], &kept));
    }

    #[test]
    fn interleaved_lists_keep_each_objects_order_and_reuse_their_nodes() {
        let registry = Registry::default();
        let far = 5 * PAGE_LEN as u32 + 7;
        let made: Vec<Arc<Record>> = (0..6)
            .map(|i| registry.register(i % 2 * far, ARENA, record(i % 2 * far, TrackedKind::Finalizer)))
            .collect();
        assert_eq!(made.iter().map(|r| r.order).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5], "numbered in turn");
        let orders = |index| registry.live_records(index).iter().map(|r| r.order).collect::<Vec<_>>();
        let expected = |parity| made.iter().skip(parity).step_by(2).map(|r| r.order).collect::<Vec<_>>();
        assert_eq!((orders(0), orders(far)), (expected(0), expected(1)), "oldest first, per object");
        assert!(orders(1).is_empty() && orders(far + 1).is_empty() && orders(u32::MAX).is_empty());
        let taken = registry.take_all(&[RawHandle::new(far, Generation::FIRST)]);
        let taken: Vec<u64> = taken[0].iter().filter_map(Entry::live).map(|r| r.order).collect();
        assert_eq!(taken, expected(1));
        assert!(orders(far).is_empty() && orders(0) == expected(0), "only object far's list went");
        assert_eq!(lock(&registry.lists).objects, 1);
        let reused = registry.register(5, ARENA, record(5, TrackedKind::Finalizer));
        assert_eq!(lock(&registry.lists).nodes.len(), 6, "a freed node is reused");
        assert_eq!(registry.atexit_finalizers().len(), 4);
        registry.clear();
        assert!(orders(0).is_empty() && registry.atexit_finalizers().is_empty());
        assert_eq!(lock(&registry.lists).objects, 0);
        let after = registry.register(5, ARENA, record(5, TrackedKind::Ref));
        assert!(after.id() != reused.id() && after.order == 7, "numbering goes on after a clear");
    }
}
