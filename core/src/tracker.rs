//! What every tracked reference shares: a registry record, the table that
//! keeps its object's liveness, and the typed operations on both.

use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::Arc;

use crate::arena::Arena;
use crate::handle::{ArenaId, RawHandle, Weak};
use crate::holder_word;
use crate::ref_id::RefId;
use crate::registry::{Record, TrackedKind, Waiting};
use crate::slot_table::SlotTable;
use crate::strong::Strong;
use crate::sync::AtomicU64;

/// A tracked reference's record and table.
pub(crate) struct Tracker<T> {
    pub(crate) record: Arc<Record>,
    table: Arc<SlotTable>,
    _payload: PhantomData<fn() -> T>,
}

/// Runs a weak-reference callback with its object's handle.
fn run_callback<T, C: FnOnce(Weak<T>)>(callback: C, handle: RawHandle, _: *const ()) {
    callback(Weak::from_raw(handle));
}

/// The waiting action of a callback closure.
pub(crate) fn callback_action<T, C: FnOnce(Weak<T>) + Send + 'static>(callback: C) -> Waiting<C> {
    Waiting::new(callback, run_callback::<T, C>)
}

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
    /// A new, unshared reference of `kind` to `strong`'s object, with its
    /// own `action` (stored in its record). Finalizers are held by the
    /// registry; other kinds only while a user holds them.
    pub(crate) fn new<P: Send + 'static>(
        strong: &Strong<T>,
        kind: TrackedKind,
        action: Waiting<P>,
    ) -> Tracker<T> {
        let table = strong.table_arc();
        strong.mark_tracked();
        let record = Record::new(strong.raw(), kind, action);
        let record = table.registry.register(strong.raw().index(), table.id(), record);
        Tracker { record, table, _payload: PhantomData }
    }

    /// The weak handle of the referent.
    pub(crate) fn handle(&self) -> Weak<T> {
        Weak::from_raw(self.record.handle)
    }

    /// The referent's table and handle.
    fn target(&self) -> Target<'_> {
        Target { table: &self.table, handle: self.record.handle }
    }

    /// Whether the referent is alive.
    pub(crate) fn is_alive(&self) -> bool {
        self.target().is_alive()
    }

    /// A strong handle to the referent, if it is alive.
    #[track_caller]
    pub(crate) fn upgrade(&self) -> Option<Strong<T>> {
        self.target().upgrade()
    }

    /// Panics with a message if `arena` is not the referent's arena.
    #[track_caller]
    pub(crate) fn check_arena(&self, arena: &Arena<T>, what: &str) {
        self.target().check_arena(arena, what);
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

/// A tracked reference's table and referent, what every kind's queries read.
#[derive(Copy, Clone)]
struct Target<'a> {
    table: &'a Arc<SlotTable>,
    handle: RawHandle,
}

impl Target<'_> {
    fn is_alive(self) -> bool {
        self.table.is_alive(self.handle)
    }

    fn upgrade<T>(self) -> Option<Strong<T>> {
        crate::strong::upgrade_in(self.table, self.handle)
    }

    #[track_caller]
    fn check_arena<T>(self, arena: &Arena<T>, what: &str) {
        let expected = self.table.id();
        let found = arena.id();
        assert!(
            expected == found,
            "weakarena: {what} of arena {} used with arena {}",
            expected.get(),
            found.get()
        );
    }
}

/// One handle of an object's shared callback-less reference of `kind` (its
/// basic `WeakRef` or `Proxy`): no record, only a count of handles in the
/// object's holder word (`holder_word.rs`), so making and dropping one is a
/// table reference and one atomic update each way, and never the registry's
/// lock. The handle keeps the word's address, found once when it is made.
pub(crate) struct Basic<T> {
    table: Arc<SlotTable>,
    handle: RawHandle,
    /// The holder word this handle counts in: in a page of `table`'s
    /// registry, which never frees its pages before it is dropped itself.
    word: NonNull<AtomicU64>,
    kind: TrackedKind,
    _payload: PhantomData<fn() -> T>,
}

impl<T> Basic<T> {
    /// A handle of `strong`'s object's shared reference of `kind`.
    ///
    /// # Panics
    ///
    /// With a message if that reference already has `u32::MAX` handles.
    #[inline]
    fn new(strong: &Strong<T>, kind: TrackedKind) -> Basic<T> {
        let table = strong.table_arc();
        let handle = strong.raw();
        let word = table.registry.holders.word_or_make(handle.index(), kind);
        if !holder_word::enter_live(word, handle.generation().get()) {
            too_many(kind);
        }
        let word = NonNull::from(word);
        Basic { table, handle, word, kind, _payload: PhantomData }
    }

    /// The holder word this handle counts in.
    fn word(&self) -> &AtomicU64 {
        // SAFETY: `word` came from `Holders::word_or_make` of `table`'s
        // registry, whose pages stay put and are freed only when the
        // registry is dropped, with the table; this handle holds the table
        // alive. The word is an atomic, shared with other threads.
        unsafe { self.word.as_ref() }
    }
}

/// Panics: the shared reference of `kind` has as many handles as it can
/// count. Out of line, so the paths that count stay small enough to inline.
#[cold]
#[inline(never)]
fn too_many(kind: TrackedKind) -> ! {
    panic!("weakarena: the shared {kind:?} of one object has {} handles, the most it can count", u32::MAX)
}

impl<T> Clone for Basic<T> {
    fn clone(&self) -> Self {
        let generation = self.handle.generation().get();
        if !holder_word::enter_held(self.word(), generation) {
            too_many(self.kind);
        }
        let table = Arc::clone(&self.table);
        Basic { table, handle: self.handle, word: self.word, kind: self.kind, _payload: PhantomData }
    }
}

impl<T> Drop for Basic<T> {
    #[inline]
    fn drop(&mut self) {
        holder_word::leave(self.word(), self.handle.generation().get());
    }
}

/// What a `WeakRef` or `Proxy` holds: a handle of its object's shared
/// callback-less reference, or a reference with its own record.
pub(crate) enum RefTracker<T> {
    Basic(Basic<T>),
    Record(Tracker<T>),
}

impl<T> RefTracker<T> {
    /// A handle of `strong`'s object's shared callback-less reference of
    /// `kind` (`ref(o) is ref(o)`).
    #[inline]
    pub(crate) fn shared(strong: &Strong<T>, kind: TrackedKind) -> RefTracker<T> {
        RefTracker::Basic(Basic::new(strong, kind))
    }

    fn target(&self) -> Target<'_> {
        match self {
            RefTracker::Basic(basic) => Target { table: &basic.table, handle: basic.handle },
            RefTracker::Record(tracker) => tracker.target(),
        }
    }

    /// The referent's raw handle.
    pub(crate) fn raw(&self) -> RawHandle {
        self.target().handle
    }

    /// The weak handle of the referent.
    pub(crate) fn handle(&self) -> Weak<T> {
        Weak::from_raw(self.raw())
    }

    /// Whether the referent is alive.
    pub(crate) fn is_alive(&self) -> bool {
        self.target().is_alive()
    }

    /// A strong handle to the referent, if it is alive.
    pub(crate) fn upgrade(&self) -> Option<Strong<T>> {
        self.target().upgrade()
    }

    /// The referent's arena.
    pub(crate) fn arena_id(&self) -> ArenaId {
        self.target().table.id()
    }

    /// Panics with a message if `arena` is not the referent's arena.
    #[track_caller]
    pub(crate) fn check_arena(&self, arena: &Arena<T>, what: &str) {
        self.target().check_arena(arena, what);
    }

    /// The record of a reference that has one.
    pub(crate) fn record(&self) -> Option<&Arc<Record>> {
        match self {
            RefTracker::Basic(_) => None,
            RefTracker::Record(tracker) => Some(&tracker.record),
        }
    }

    /// Whether it was made with a callback.
    pub(crate) fn made_with_callback(&self) -> bool {
        self.record().is_some_and(|record| record.has_callback)
    }

    /// Which tracked reference this is.
    pub(crate) fn id(&self) -> RefId {
        match self {
            RefTracker::Basic(basic) => RefId::shared(basic.table.id(), basic.handle, basic.kind),
            RefTracker::Record(tracker) => tracker.id(),
        }
    }

    /// Whether two handles are of one tracked reference (Python's `is`).
    pub(crate) fn same(a: &RefTracker<T>, b: &RefTracker<T>) -> bool {
        match (a, b) {
            (RefTracker::Basic(a), RefTracker::Basic(b)) => {
                Arc::ptr_eq(&a.table, &b.table) && a.handle == b.handle && a.kind == b.kind
            }
            (RefTracker::Record(a), RefTracker::Record(b)) => Tracker::same(a, b),
            _ => false,
        }
    }
}

impl<T> Clone for RefTracker<T> {
    fn clone(&self) -> Self {
        match self {
            RefTracker::Basic(basic) => RefTracker::Basic(basic.clone()),
            RefTracker::Record(tracker) => RefTracker::Record(tracker.clone()),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use crate::{Arena, Finalizer, Proxy, WeakMethod, WeakRef};

    #[test]
    fn a_shared_reference_handle_is_four_words_and_a_registered_one_three() {
        // `WeakRef`/`Proxy`: the table, the handle, the holder word's
        // address and the kind (the tag sits in the kind's spare values);
        // the others: the record (a pointer to it and to its action's
        // functions, the action stored inline) and the table.
        assert_eq!(size_of::<WeakRef<u64>>(), 32);
        assert_eq!(size_of::<Proxy<u64>>(), 32);
        assert_eq!(size_of::<Finalizer<u64>>(), 24);
        assert_eq!(size_of::<WeakMethod<u64, fn(&u64, ())>>(), 32, "and the method");
    }

    #[test]
    fn shared_refs_never_flag_their_object_for_the_registry() {
        let mut arena = Arena::new();
        let a = arena.insert(1);
        let (r, p) = (WeakRef::new(&a), Proxy::new(&a));
        let tracked = |arena: &Arena<i32>| arena.slot_table().is_tracked(a.raw().index());
        assert!(!tracked(&arena), "nothing registered: the frame end skips the registry");
        drop((r.clone(), p.clone()));
        assert!(!tracked(&arena));
        let _c = WeakRef::with_callback(&a, |_| {});
        assert!(tracked(&arena));
        assert_eq!(arena.weak_count(&a), 3);
    }
}
