//! What every tracked reference shares: a registry record, the table that
//! keeps its object's liveness, and the typed operations on both.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::arena::Arena;
use crate::handle::{ArenaId, RawHandle, Weak};
use crate::ref_id::RefId;
use crate::registry::{Entry, Payload, Record, Runner, TrackedKind};
use crate::slot_table::SlotTable;
use crate::strong::Strong;

/// A tracked reference's record and table.
pub(crate) struct Tracker<T> {
    pub(crate) record: Arc<Record>,
    table: Arc<SlotTable>,
    _payload: PhantomData<fn() -> T>,
}

/// Runs a weak-reference callback payload of closure type `C`.
pub(crate) fn run_callback<T, C: FnOnce(Weak<T>) + Send + 'static>(payload: Payload, handle: RawHandle) {
    if let Ok(callback) = payload.downcast::<C>() {
        callback(Weak::from_raw(handle));
    }
}

/// The payload and runner of a callback closure.
pub(crate) fn callback_action<T, C: FnOnce(Weak<T>) + Send + 'static>(callback: C) -> (Payload, Runner) {
    (Box::new(callback), run_callback::<T, C>)
}

/// The plain runner of a reading record (one that reads its arena), never
/// used: the record's reader runs it.
pub(crate) fn run_unread(_: Payload, _: RawHandle) {}

/// The arena a reading record's runner is lent, as `&Arena<T>`.
///
/// # Safety
///
/// The runner was registered for an object of an `Arena<T>` (from a
/// `Strong<T>`), in that arena's registry. `Record::run` runs it only from
/// that arena's own frame end or shutdown, which pass `&self`
/// (`Arena::erased`) while holding that borrow, so the pointer names a live
/// `Arena<T>` that nothing mutates during the call.
pub(crate) unsafe fn lent_arena<'a, T>(arena: *const ()) -> &'a Arena<T> {
    // SAFETY: the caller's contract.
    unsafe { &*arena.cast::<Arena<T>>() }
}

impl<T> Tracker<T> {
    /// The object's shared callback-less reference of `kind`.
    pub(crate) fn shared(strong: &Strong<T>, kind: TrackedKind) -> Tracker<T> {
        let table = strong.table_arc();
        let raw = strong.raw();
        strong.mark_tracked();
        let record = table.registry.shared(raw.index(), kind, || Arc::new(Record::new(raw, kind, None)));
        Tracker { record, table, _payload: PhantomData }
    }

    /// A new, unshared reference of `kind` with its own action, if any. Finalizers (`owned`)
    /// are held by the registry; other kinds only while a user holds them.
    pub(crate) fn with_action(
        strong: &Strong<T>,
        kind: TrackedKind,
        action: Option<(Payload, Runner)>,
    ) -> Tracker<T> {
        Tracker::register(strong, Record::new(strong.raw(), kind, action))
    }

    /// Registers `record`, a new reference to `strong`'s object.
    pub(crate) fn register(strong: &Strong<T>, record: Record) -> Tracker<T> {
        let table = strong.table_arc();
        let raw = strong.raw();
        let kind = record.kind;
        let record = Arc::new(record);
        let entry = match kind {
            TrackedKind::Finalizer => Entry::Owned(Arc::clone(&record)),
            _ => Entry::Held(Arc::downgrade(&record)),
        };
        strong.mark_tracked();
        table.registry.register(raw.index(), entry);
        Tracker { record, table, _payload: PhantomData }
    }

    /// The weak handle of the referent.
    pub(crate) fn handle(&self) -> Weak<T> {
        Weak::from_raw(self.record.handle)
    }

    /// Whether the referent is alive.
    pub(crate) fn is_alive(&self) -> bool {
        self.table.is_alive(self.record.handle)
    }

    /// A strong handle to the referent, if it is alive.
    #[track_caller]
    pub(crate) fn upgrade(&self) -> Option<Strong<T>> {
        crate::strong::upgrade_in(&self.table, self.record.handle)
    }

    /// The referent's arena.
    pub(crate) fn arena_id(&self) -> ArenaId {
        self.table.id()
    }

    /// Panics with a message if `arena` is not the referent's arena.
    #[track_caller]
    pub(crate) fn check_arena(&self, arena: &Arena<T>, what: &str) {
        let expected = self.table.id();
        let found = arena.id();
        assert!(
            expected == found,
            "weakarena: {what} of arena {} used with arena {}",
            expected.get(),
            found.get()
        );
    }

    /// Which tracked reference this is.
    pub(crate) fn id(&self) -> RefId {
        self.record.id()
    }

    /// Whether two trackers share one record (Python's `is`).
    pub(crate) fn same(a: &Tracker<T>, b: &Tracker<T>) -> bool {
        Arc::ptr_eq(&a.record, &b.record)
    }
}

impl<T> Drop for Tracker<T> {
    /// Dropping a reference while its object lives cancels its callback (the
    /// registry holds it weakly); dropping it once the object is dead hands
    /// the pending callback to the registry, which runs it at the frame end:
    /// in CPython it already ran at the death.
    fn drop(&mut self) {
        let record = &self.record;
        if record.has_callback && !self.table.is_alive(record.handle) && record.is_pending() {
            self.table.registry.keep(record.handle.index(), record);
        }
    }
}

impl<T> Clone for Tracker<T> {
    fn clone(&self) -> Self {
        Tracker { record: Arc::clone(&self.record), table: Arc::clone(&self.table), _payload: PhantomData }
    }
}
