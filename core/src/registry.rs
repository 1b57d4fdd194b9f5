//! The tracked-reference registry: for each object, the weak references,
//! proxies, weak methods and finalizers registered on it, in registration
//! order, each with the action (callback or finalizer) it will run.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::handle::RawHandle;
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

/// A boxed callback or finalizer body, typed back by its [`Runner`].
pub(crate) type Payload = Box<dyn Any + Send>;
/// Runs a payload for the object `RawHandle` names.
pub(crate) type Runner = fn(Payload, RawHandle);
/// Runs a payload that reads the arena: the last argument is the
/// `*const Arena<T>` of the arena whose frame end runs it (see
/// [`Record::run`]).
pub(crate) type ReadRunner = fn(Payload, RawHandle, *const ());
/// Reports the strong handles a payload's captured state holds.
pub(crate) type StateTracer = fn(&Payload, &mut Tracer);

static NEXT_ORDER: AtomicU64 = AtomicU64::new(0);

/// How many tracked references were ever registered, in every arena: a
/// change tells shutdown that its list of finalizers is out of date.
pub(crate) fn registrations() -> u64 {
    NEXT_ORDER.load(Ordering::Acquire)
}

/// One tracked reference.
pub(crate) struct Record {
    pub(crate) handle: RawHandle,
    pub(crate) kind: TrackedKind,
    pub(crate) has_callback: bool,
    /// Registration order across all arenas (finalizers' atexit order).
    pub(crate) order: u64,
    action: Mutex<Option<Payload>>,
    run: Runner,
    atexit: AtomicBool,
    trace_state: Option<StateTracer>,
    read: Option<ReadRunner>,
}

impl Record {
    pub(crate) fn new(handle: RawHandle, kind: TrackedKind, action: Option<(Payload, Runner)>) -> Record {
        let has_callback = action.is_some();
        let (payload, run) = match action {
            Some((payload, run)) => (Some(payload), run),
            None => (None, run_nothing as Runner),
        };
        Record {
            handle,
            kind,
            has_callback,
            order: NEXT_ORDER.fetch_add(1, Ordering::Relaxed),
            action: Mutex::new(payload),
            run,
            atexit: AtomicBool::new(true),
            trace_state: None,
            read: None,
        }
    }

    /// The record, with a payload that reads its arena when it runs.
    pub(crate) fn with_reader(mut self, read: ReadRunner) -> Record {
        self.read = Some(read);
        self
    }

    /// The record, with a payload whose captured state the collector traces.
    pub(crate) fn with_state_tracer(mut self, trace_state: StateTracer) -> Record {
        self.trace_state = Some(trace_state);
        self
    }

    /// Reports the strong handles of the waiting action's state, if it has
    /// traced state.
    pub(crate) fn trace_state(&self, tracer: &mut Tracer) {
        if let Some(trace_state) = self.trace_state {
            if let Some(payload) = lock(&self.action).as_ref() {
                trace_state(payload, tracer);
            }
        }
    }

    /// The record's identity: its registration number, never reused.
    pub(crate) fn id(&self) -> RefId {
        RefId(self.order)
    }

    /// Takes the action out, so it runs at most once.
    pub(crate) fn take_action(&self) -> Option<Payload> {
        lock(&self.action).take()
    }

    /// Reads the action while it waits to run, without taking it.
    pub(crate) fn read_action<R>(&self, read: impl FnOnce(&Payload) -> Option<R>) -> Option<R> {
        lock(&self.action).as_ref().and_then(read)
    }

    /// Whether the action is still waiting to run.
    pub(crate) fn is_pending(&self) -> bool {
        lock(&self.action).is_some()
    }

    /// Runs a payload taken with [`take_action`](Self::take_action);
    /// `arena` is `&Arena<T>` as `*const ()`, `T` the type of the object the
    /// record watches: only the frame end of that object's own arena runs
    /// its records (their registry lives in that arena's side table).
    pub(crate) fn run(&self, payload: Payload, arena: *const ()) {
        match self.read {
            Some(read) => read(payload, self.handle, arena),
            None => (self.run)(payload, self.handle),
        }
    }

    pub(crate) fn atexit(&self) -> bool {
        self.atexit.load(Ordering::Acquire)
    }

    pub(crate) fn set_atexit(&self, value: bool) {
        self.atexit.store(value, Ordering::Release);
    }
}

fn run_nothing(_: Payload, _: RawHandle) {}

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
            Entry::Held(weak) => std::ptr::eq(weak.as_ptr(), Arc::as_ptr(record)),
            Entry::Owned(owned) => Arc::ptr_eq(owned, record),
        }
    }
}

/// Drops the entries of references that are gone when the list reaches a
/// power of two (8 or more), so an object that outlives many short-lived
/// references keeps a list at most about twice as long as its live ones.
fn prune_before_push(entries: &mut Vec<Entry>) {
    if entries.len() >= 8 && entries.len().is_power_of_two() {
        entries.retain(|entry| entry.live().is_some());
    }
}

/// Per-object lists of tracked references, keyed by slot index.
#[derive(Default)]
pub(crate) struct Registry {
    by_slot: Mutex<HashMap<u32, Vec<Entry>>>,
}

impl Registry {
    /// Adds an entry to the object's list.
    pub(crate) fn register(&self, index: u32, entry: Entry) {
        let mut by_slot = lock(&self.by_slot);
        let entries = by_slot.entry(index).or_default();
        prune_before_push(entries);
        entries.push(entry);
    }

    /// The object's shared callback-less reference of `kind`, created by
    /// `make` if there is none (`ref(o) is ref(o)` in CPython).
    pub(crate) fn shared(
        &self,
        index: u32,
        kind: TrackedKind,
        make: impl FnOnce() -> Arc<Record>,
    ) -> Arc<Record> {
        let mut by_slot = lock(&self.by_slot);
        let entries = by_slot.entry(index).or_default();
        let existing =
            entries.iter().filter_map(Entry::live).find(|record| record.kind == kind && !record.has_callback);
        existing.unwrap_or_else(|| {
            prune_before_push(entries);
            let record = make();
            entries.push(Entry::Held(Arc::downgrade(&record)));
            record
        })
    }

    /// The object's live records, oldest first.
    pub(crate) fn live_records(&self, index: u32) -> Vec<Arc<Record>> {
        let by_slot = lock(&self.by_slot);
        by_slot
            .get(&index)
            .map(|entries| entries.iter().filter_map(Entry::live).collect())
            .unwrap_or_default()
    }

    /// Removes and returns the entries of each object of `dead` (at their
    /// deaths), in order, under one lock; an empty list when no object of
    /// the arena has a tracked reference, the common case in a hot loop.
    pub(crate) fn take_all(&self, dead: &[RawHandle]) -> Vec<Vec<Entry>> {
        let mut by_slot = lock(&self.by_slot);
        if by_slot.is_empty() {
            return Vec::new();
        }
        dead.iter().map(|handle| by_slot.remove(&handle.index()).unwrap_or_default()).collect()
    }

    /// Makes the registry own `record` from now on, so its action still runs
    /// at the frame end though its last user handle is being dropped: a
    /// reference dropped after its object died keeps the callback CPython
    /// already ran at the death.
    pub(crate) fn keep(&self, index: u32, record: &Arc<Record>) {
        let mut by_slot = lock(&self.by_slot);
        let Some(entries) = by_slot.get_mut(&index) else {
            return;
        };
        let held = entries.iter_mut().find(|entry| entry.is(record));
        if let Some(entry) = held {
            *entry = Entry::Owned(Arc::clone(record));
        }
    }

    /// Every finalizer still waiting to run with its `atexit` flag on.
    pub(crate) fn atexit_finalizers(&self) -> Vec<Arc<Record>> {
        let by_slot = lock(&self.by_slot);
        by_slot
            .values()
            .flatten()
            .filter_map(Entry::live)
            .filter(|record| record.kind == TrackedKind::Finalizer && record.atexit())
            .collect()
    }

    /// Drops every entry, cancelling what has not run.
    pub(crate) fn clear(&self) {
        let entries = std::mem::take(&mut *lock(&self.by_slot));
        drop(entries);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generation::Generation;

    fn list_len(registry: &Registry, index: u32) -> usize {
        lock(&registry.by_slot).get(&index).map_or(0, Vec::len)
    }

    #[test]
    fn short_lived_shared_references_do_not_pile_up() {
        let registry = Registry::default();
        let handle = RawHandle::new(3, Generation::FIRST);
        let make = |kind| move || Arc::new(Record::new(handle, kind, None));
        let kept = registry.shared(3, TrackedKind::Ref, make(TrackedKind::Ref));
        for _ in 0..10_000 {
            drop(registry.shared(3, TrackedKind::Proxy, make(TrackedKind::Proxy)));
        }
        assert!(list_len(&registry, 3) <= 8, "{} entries", list_len(&registry, 3));
        assert!(Arc::ptr_eq(&kept, &registry.shared(3, TrackedKind::Ref, make(TrackedKind::Ref))));
    }
}
