//! Counted strong handles.
//!
//! This file holds most of the crate's `unsafe`: a `Strong` keeps a raw
//! pointer to its arena's [`SlotTable`] instead of an `Arc`, so cloning and
//! dropping touch only the object's own count, never a counter shared by
//! every handle of the arena.
//!
//! The invariant that makes the pointer valid: every *live object* holds one
//! reference on its table's `Arc`, taken when the object is inserted and
//! given back by the drop that takes its strong count to zero. A `Strong`
//! exists only while its object's count is at least one, so the table
//! outlives every `Strong` that points to it.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ptr::NonNull;
use std::sync::Arc;

use crate::error::CountOverflow;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::slot_table::SlotTable;

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
    table: NonNull<SlotTable>,
    weak: Weak<T>,
}

// SAFETY: a `Strong` only ever touches its `SlotTable`, which is `Sync`
// (atomics and mutexes); it never reads or drops a `T`. The `T: Send + Sync`
// bound keeps handles to objects that must stay on one thread on that thread.
unsafe impl<T: Send + Sync> Send for Strong<T> {}
// SAFETY: as for `Send`: shared access is atomic operations on the table.
unsafe impl<T: Send + Sync> Sync for Strong<T> {}

/// The table pointer handles keep, with the provenance of the whole `Arc`
/// allocation (so it can later be given back with `Arc::decrement_strong_count`).
fn table_pointer(table: &Arc<SlotTable>) -> NonNull<SlotTable> {
    NonNull::new(Arc::as_ptr(table).cast_mut()).expect("Arc::as_ptr is never null")
}

impl<T> Strong<T> {
    /// The first strong handle of a newly inserted object: takes the object's
    /// reference on the table.
    pub(crate) fn first_of_object(table: &Arc<SlotTable>, raw: RawHandle) -> Strong<T> {
        std::mem::forget(Arc::clone(table));
        Strong { table: table_pointer(table), weak: Weak::from_raw(raw) }
    }

    /// A strong handle for an object whose count the caller has just raised
    /// (an upgrade): the object already holds its table reference.
    pub(crate) fn adopt_upgraded(table: &Arc<SlotTable>, raw: RawHandle) -> Strong<T> {
        Strong { table: table_pointer(table), weak: Weak::from_raw(raw) }
    }

    fn table(&self) -> &SlotTable {
        // SAFETY: this handle holds one strong count, so its object is alive
        // and still holds its reference on the table (see the module docs).
        unsafe { self.table.as_ref() }
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
        self.table().strong_count(self.raw())
    }

    /// The arena this handle's object lives in.
    pub fn arena_id(&self) -> ArenaId {
        self.table().id()
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
    pub fn try_clone(&self) -> Result<Strong<T>, CountOverflow> {
        self.table().increment_strong(self.weak.index())?;
        Ok(Strong { table: self.table, weak: self.weak })
    }

    /// A counted `Arc` of the table, for tracked references that must keep
    /// it alive after this handle is gone.
    pub(crate) fn table_arc(&self) -> Arc<SlotTable> {
        let ptr = self.table.as_ptr().cast_const();
        // SAFETY: `ptr` came from `Arc::as_ptr` of the table's `Arc`, and the
        // table is alive while this handle is (module docs). Incrementing
        // first means the `Arc` made by `from_raw` owns a count of its own.
        unsafe {
            Arc::increment_strong_count(ptr);
            Arc::from_raw(ptr)
        }
    }
}

impl<T> Clone for Strong<T> {
    /// Adds one to the object's strong count.
    ///
    /// # Panics
    ///
    /// If the count would pass 2^29; [`Strong::try_clone`] returns an
    /// error instead.
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
        if self.table().decrement_strong(self.weak.index()) {
            // SAFETY: the count just went from one to zero, so this is the
            // only drop that gives back the object's table reference, taken
            // by `first_of_object` with `Arc::clone` + `forget`; the pointer
            // came from `Arc::as_ptr` of that same `Arc`. `self.table` is not
            // used afterwards.
            unsafe { Arc::decrement_strong_count(self.table.as_ptr()) };
        }
    }
}

impl<T> PartialEq for Strong<T> {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table && self.weak == other.weak
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
}
