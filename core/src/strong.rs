//! Counted strong handles.
//!
//! This file holds the handles' `unsafe`: a `Strong` keeps a raw pointer to
//! its object's slot (whose first word is the count) instead of an `Arc`,
//! so cloning and dropping touch only the object's own count word, never a
//! counter shared by every handle of the arena, and need no lookup.
//!
//! The invariant that makes the pointer valid: the table owns the chunks
//! the slots live in, and the arena holds a reference on the table's `Arc`
//! until it is dropped and then, if objects are still alive, hands that
//! reference to them (`dead_stack.rs`: the death stack is orphaned with
//! their number). A `Strong` exists only while its object's count is at
//! least one, and its object's death is counted on the stack only by the
//! drop that ends the count, so the table, and the slot, outlive every
//! `Strong` that points into them. The drop that kills an object finds the
//! table through its chunk's header (`chunks.rs`), queues the death, and,
//! orphaned, gives the reference back if that was the last live object.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ptr::NonNull;
use std::sync::Arc;

use crate::chunks::ChunkHeader;
use crate::count_word;
use crate::error::CountOverflow;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::slot::layout_of;
use crate::slot_table::SlotTable;
use crate::sync::AtomicU64;

/// A counted reference to an object in an [`Arena`](crate::Arena).
///
/// Cloning adds one to the object's strong count, dropping removes one —
/// Python's assignment and `del`. The drop that removes the last one kills
/// the object at once: from that instant every [`Weak`], tracked reference,
/// proxy and weak-collection lookup sees it dead, and nothing can bring it
/// back. Its value is dropped, and its callbacks and finalizers run, at the
/// arena's next [`end_frame`](crate::Arena::end_frame).
///
/// Strong handles may be cloned and dropped on any thread. They do not give
/// access to the value by themselves: read it through the arena, as with
/// every handle.
///
/// ```
/// use weakarena_core::Arena;
/// let mut arena = Arena::new();
/// let p1 = arena.insert("Guido");
/// let p2 = p1.clone();
/// assert_eq!(p1.strong_count(), 2);
/// drop(p2);
/// assert_eq!(p1.strong_count(), 1);
/// assert_eq!(arena[&p1], "Guido");
/// ```
pub struct Strong<T> {
    /// The object's slot in its chunk (provenance over the whole chunk).
    slot: NonNull<u8>,
    weak: Weak<T>,
}

// SAFETY: a `Strong` only ever touches its slot's count word and its side
// table, which are atomics (and mutexes); it never reads or drops a `T`.
// The `T: Send + Sync` bound keeps handles to objects that must stay on one
// thread on that thread.
unsafe impl<T: Send + Sync> Send for Strong<T> {}
// SAFETY: as for `Send`: shared access is atomic operations on the table.
unsafe impl<T: Send + Sync> Sync for Strong<T> {}

impl<T> Strong<T> {
    /// A handle that owns one strong count the caller has just added to the
    /// object in `slot` (an insert or an upgrade).
    ///
    /// # Safety
    ///
    /// `slot` is the address of `raw`'s slot, with the provenance of its
    /// chunk, in a table whose slots are `Slot<T>`-shaped (the death path
    /// finds the chunk header from it), and the count is the caller's to
    /// hand over.
    pub(crate) unsafe fn from_counted_slot(slot: NonNull<u8>, raw: RawHandle) -> Strong<T> {
        Strong { slot, weak: Weak::from_raw(raw) }
    }

    fn word(&self) -> &AtomicU64 {
        // SAFETY: this handle holds one strong count, so its object is alive
        // and the table that owns the slot is alive (module docs). A slot
        // starts with its count word, an atomic shared with other threads.
        unsafe { self.slot.cast::<AtomicU64>().as_ref() }
    }

    /// The chunk that holds this handle's slot.
    fn chunk(&self) -> NonNull<u8> {
        // SAFETY: `slot` is the address of slot `index` in a chunk of
        // `Slot<T>` layout (`from_counted_slot`), alive as in `word`.
        unsafe { layout_of::<T>().chunk_of(self.slot, self.weak.index()) }
    }

    /// The side table, as the pointer its chunk's header keeps (an
    /// `Arc::as_ptr`, with the provenance of the whole `Arc` allocation).
    fn table_ptr(&self) -> *const SlotTable {
        // SAFETY: every chunk starts with the header `Chunks::add` wrote,
        // and the chunk is alive as in `word`.
        unsafe { self.chunk().cast::<ChunkHeader>().as_ref() }.table.cast()
    }

    fn table(&self) -> &SlotTable {
        // SAFETY: the table outlives this handle (module docs).
        unsafe { &*self.table_ptr() }
    }

    /// A weak handle to the same object.
    pub fn downgrade(&self) -> Weak<T> {
        self.weak
    }

    /// The untyped index and generation.
    pub fn raw(&self) -> RawHandle {
        self.weak.raw()
    }

    /// The object's current strong count (Python's `sys.getrefcount`, less
    /// the interpreter's temporaries): at least 1 while the object lives,
    /// since this handle counts, but 0 once the cycle collector has condemned
    /// it (a handle held inside garbage, whose value is about to be dropped).
    pub fn strong_count(&self) -> usize {
        let word = self.word().load(std::sync::atomic::Ordering::Acquire);
        count_word::live_count(word, self.weak.generation().get()) as usize
    }

    /// The arena this handle's object lives in.
    pub fn arena_id(&self) -> ArenaId {
        self.table().id()
    }

    /// The side table of this handle's arena, shared: what lets a weak
    /// collection made without its arena (`Default`) bind to it at its first
    /// insertion.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// assert_eq!(a.slot_table().id(), arena.id());
    /// ```
    #[must_use]
    pub fn slot_table(&self) -> Arc<SlotTable> {
        self.table_arc()
    }

    /// Whether two handles name the same object.
    pub fn ptr_eq(a: &Strong<T>, b: &Strong<T>) -> bool {
        a == b
    }

    /// Clones the handle, or reports that the count would overflow.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let b = a.try_clone().expect("far below the limit");
    /// assert_eq!(b.strong_count(), 2);
    /// ```
    #[inline]
    pub fn try_clone(&self) -> Result<Strong<T>, CountOverflow> {
        count_word::increment(self.word())?;
        Ok(Strong { slot: self.slot, weak: self.weak })
    }

    /// Flags the object as having registry entries, so its frame end looks
    /// them up (objects never flagged skip the registry).
    pub(crate) fn mark_tracked(&self) {
        count_word::mark_tracked(self.word());
    }

    /// A counted `Arc` of the table, for tracked references that must keep
    /// it alive after this handle is gone.
    pub(crate) fn table_arc(&self) -> Arc<SlotTable> {
        let ptr = self.table_ptr();
        // SAFETY: `ptr` came from `Arc::as_ptr` of the table's `Arc`, and the
        // table is alive while this handle is (module docs). Incrementing
        // first means the `Arc` made by `from_raw` owns a count of its own.
        unsafe {
            Arc::increment_strong_count(ptr);
            Arc::from_raw(ptr)
        }
    }

    /// The out-of-line part of the drop that killed the object: queue the
    /// death, and give back the live objects' table reference if the arena
    /// is gone and it was the last live one.
    #[cold]
    #[inline(never)]
    fn die(&self) {
        let table = self.table_ptr();
        let index = self.weak.index();
        let side = layout_of::<T>().side(self.chunk(), index).cast::<AtomicU64>();
        // SAFETY: the object just died, but its death is only counted by
        // `queue_death` itself, so the arena (or, orphaned, its live
        // objects) still holds the table and its chunks here; the side word
        // is a zeroed-at-allocation atomic.
        let last = unsafe { (*table).queue_death(index, side.as_ref()) };
        if last {
            // SAFETY: the death stack was orphaned and this was its last
            // live object, so this is the one give-back of the reference
            // the dropped arena handed over (`Slots`'s `Drop`: `Arc::clone`
            // + `forget`); `table` came from `Arc::as_ptr` of that `Arc`.
            // Nothing touches the table after.
            unsafe { Arc::decrement_strong_count(table) };
        }
    }
}

impl SlotTable {
    /// A strong handle to `handle`'s object if it is alive, without the
    /// arena: what weak collections use to hand out keys as strong handles.
    ///
    /// # Panics
    ///
    /// If the object's strong count would overflow, or `T` is not (laid out
    /// as) the payload type of this table's arena.
    #[track_caller]
    pub fn upgrade<T>(self: &Arc<Self>, handle: Weak<T>) -> Option<Strong<T>> {
        assert_eq!(
            self.layout(),
            &layout_of::<T>(),
            "weakarena: SlotTable::upgrade with another payload type"
        );
        upgrade_in(self, handle.raw())
    }
}

/// Upgrades `handle` in `table`, or `None` if its object is dead.
///
/// # Panics
///
/// If the strong count would overflow.
#[track_caller]
pub(crate) fn upgrade_in<T>(table: &SlotTable, handle: RawHandle) -> Option<Strong<T>> {
    match try_upgrade_in(table, handle) {
        Ok(strong) => strong,
        Err(overflow) => panic!("weakarena: {overflow} ({handle:?})"),
    }
}

/// Upgrades `handle` in `table`, whose payload type is `T` (or laid out as
/// `T`): `Ok(None)` if its object is dead.
pub(crate) fn try_upgrade_in<T>(
    table: &SlotTable,
    handle: RawHandle,
) -> Result<Option<Strong<T>>, CountOverflow> {
    debug_assert_eq!(table.layout(), &layout_of::<T>());
    let Some(slot) = table.slot_address(handle.index()) else {
        return Ok(None);
    };
    if !table.try_upgrade(handle)? {
        return Ok(None);
    }
    // SAFETY: `slot` is the handle's slot as the table's directory gives
    // it (whole-chunk provenance), the table's layout is `T`'s (every
    // caller has a `T`-typed handle of this table; checked where one could
    // lie, in `SlotTable::upgrade`), and the upgrade just added the count.
    Ok(Some(unsafe { Strong::from_counted_slot(slot, handle) }))
}

impl<T> Clone for Strong<T> {
    /// Adds one to the object's strong count.
    ///
    /// # Panics
    ///
    /// If the count would pass 2^28; [`Strong::try_clone`] returns an
    /// error instead.
    #[track_caller]
    fn clone(&self) -> Self {
        match self.try_clone() {
            Ok(strong) => strong,
            Err(overflow) => panic!("weakarena: {overflow} ({:?})", self.raw()),
        }
    }
}

impl<T> Drop for Strong<T> {
    #[inline]
    fn drop(&mut self) {
        if count_word::decrement(self.word()) {
            self.die();
        }
    }
}

impl<T> PartialEq for Strong<T> {
    fn eq(&self, other: &Self) -> bool {
        self.slot == other.slot && self.weak == other.weak
    }
}

impl<T> Eq for Strong<T> {}

impl<T> Hash for Strong<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.weak.hash(state);
    }
}

impl<T> fmt::Debug for Strong<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Strong({:?})", self.raw())
    }
}

impl<T> ArenaHandle<T> for Strong<T> {
    fn raw_handle(&self) -> RawHandle {
        self.raw()
    }

    fn arena_id(&self) -> Option<ArenaId> {
        Some(Strong::arena_id(self))
    }
}

/// The side table, for save's arena keys (`core/src/save/`).
#[cfg(feature = "serde")]
impl<T> Strong<T> {
    pub(crate) fn table_ref(&self) -> &SlotTable {
        self.table()
    }
}

#[cfg(test)]
mod tests {
    use crate::Arena;
    use std::mem::size_of;

    #[test]
    fn strong_handles_are_sixteen_bytes() {
        assert_eq!(size_of::<super::Strong<[u8; 64]>>(), 16);
        assert_eq!(size_of::<Option<super::Strong<[u8; 64]>>>(), 16);
    }

    #[test]
    fn overflow_is_refused_and_clone_panics_with_a_message() {
        let mut arena = Arena::new();
        let a = arena.insert(0u8);
        arena.slot_table().force_strong_count(a.raw(), crate::count_word::MAX_STRONG);
        assert!(a.try_clone().is_err());
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| a.clone())).unwrap_err();
        let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("strong count overflow"), "{message}");
        assert!(matches!(arena.try_upgrade(a.downgrade()), Err(crate::CountOverflow)));
        arena.slot_table().force_strong_count(a.raw(), 1);
        assert_eq!(a.strong_count(), 1);
    }

    #[test]
    fn handles_outlive_their_arena_safely() {
        let mut arena = Arena::new();
        let a = arena.insert(String::from("kept"));
        let b = a.clone();
        drop(arena);
        assert_eq!(a.strong_count(), 2);
        drop(a);
        assert_eq!(b.strong_count(), 1);
        drop(b); // gives back the table's last reference
    }

    #[test]
    fn the_last_live_object_after_its_arena_frees_the_table() {
        let mut arena = Arena::new();
        let (a, b, c) = (arena.insert(1_u8), arena.insert(2), arena.insert(3));
        drop(b); // queued, never taken: the dropped arena counts it dead
        let table = std::sync::Arc::downgrade(arena.slot_table());
        drop(arena);
        assert!(table.upgrade().is_some(), "two objects still alive hold the table");
        drop(a);
        assert_eq!(c.strong_count(), 1);
        assert!(table.upgrade().is_some(), "one object still alive holds the table");
        drop(c);
        assert!(table.upgrade().is_none(), "the last death gave the reference back");
    }

    #[test]
    fn an_arena_whose_objects_all_died_frees_its_table_when_dropped() {
        let mut arena = Arena::new();
        let a = arena.insert(String::from("gone"));
        drop(arena.insert(String::from("taken")));
        arena.end_frame();
        drop(a); // queued and not taken
        let table = std::sync::Arc::downgrade(arena.slot_table());
        drop(arena);
        assert!(table.upgrade().is_none(), "no death to come: the arena freed it");
    }

    #[test]
    fn len_is_the_occupied_slots_less_the_deaths_pending() {
        let mut arena = Arena::new();
        let kept: Vec<_> = (0..5).map(|i| arena.insert(i)).collect();
        drop(arena.insert(9));
        assert_eq!(arena.len(), 5, "a death counts at once");
        arena.end_frame();
        assert_eq!(arena.len(), 5, "and once: taking it changes nothing");
        let again = arena.insert(10);
        assert_eq!(arena.len(), 6);
        drop(kept);
        assert_eq!(arena.len(), 1);
        arena.end_frame();
        drop(again);
        assert_eq!(arena.len(), 0);
    }
}
