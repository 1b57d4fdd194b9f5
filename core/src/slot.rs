//! The typed view of an arena's slots: each [`Slot<T>`] is the object's
//! count word followed by its value, in the chunks of `chunks.rs`, plus the
//! owner's record of which slots hold a value.
//!
//! Other threads only ever touch a slot's words (atomics). The value is
//! read and written only by the arena's owner, through `&Arena` / `&mut
//! Arena`, so the borrow checker on the arena is what keeps value access
//! exclusive; no reference to a whole slot is ever made mutable.

use std::alloc::Layout;
use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::Arc;

#[cfg(test)]
use crate::chunks::CHUNK_SLOTS;
use crate::chunks::{ChunkLayout, CHUNK_SHIFT};
use crate::generation::Generation;
use crate::slot_table::SlotTable;
use crate::sync::AtomicU64;

/// One slot: the count word first (the type-erased view reads it at offset
/// 0), then the value, initialized while the slot holds an object.
#[repr(C)]
pub(crate) struct Slot<T> {
    pub(crate) word: AtomicU64,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// The chunk layout of `Slot<T>`s.
pub(crate) const fn layout_of<T>() -> ChunkLayout {
    // Evaluated at compile time, once per `T`: the stride and offsets are
    // constants on `get`'s path (a runtime call here kept the CPU from
    // overlapping the cache misses of consecutive reads).
    const { ChunkLayout::new(Layout::new::<Slot<T>>()) }
}

/// An arena's slots, owned by the arena: the side table (which owns the
/// chunk memory), the chunks' first slots for one-shift-one-mask access
/// without the directory, which slots hold a value, and how many hold an
/// object whose death the owner has not taken yet.
pub(crate) struct Slots<T> {
    table: Arc<SlotTable>,
    /// Chunk bases, for the chunk layout of `Slot<T>`.
    chunks: Vec<NonNull<u8>>,
    /// Each chunk's origin (`ChunkLayout::origin`): where `get` finds a
    /// slot, in fewer instructions than base plus masked position.
    origins: Vec<*mut u8>,
    present: Vec<u64>,
    len: u32,
    /// Objects put in a slot ([`occupy`](Slots::occupy)) and not yet taken
    /// back from the death stack ([`take_dead`](Slots::take_dead)): the live
    /// objects plus the deaths pending. An ordinary count, so an insert
    /// moves nothing shared.
    occupied: usize,
    /// The values are owned here (for the drop check).
    _values: PhantomData<T>,
}

// SAFETY: a `Slots<T>` owns its values like a `Vec<T>` does (they move
// with it, and are dropped by it); everything else it reaches is atomics
// shared through the side table, which is `Send + Sync`.
unsafe impl<T: Send> Send for Slots<T> {}
// SAFETY: `&Slots<T>` gives out only `&T` (and atomics), like `&Vec<T>`.
unsafe impl<T: Sync> Sync for Slots<T> {}

impl<T> Slots<T> {
    /// No slots yet, in a new side table.
    pub(crate) fn new() -> Slots<T> {
        Slots {
            table: Arc::new(SlotTable::new(layout_of::<T>())),
            chunks: Vec::new(),
            origins: Vec::new(),
            present: Vec::new(),
            len: 0,
            occupied: 0,
            _values: PhantomData,
        }
    }

    pub(crate) fn table(&self) -> &Arc<SlotTable> {
        &self.table
    }

    /// Slots allocated.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// Slots the allocated chunks hold.
    pub(crate) fn capacity(&self) -> usize {
        self.chunks.len() << CHUNK_SHIFT
    }

    /// Adds chunks until `slots` slots fit without another.
    pub(crate) fn reserve(&mut self, slots: usize) {
        while self.capacity() < slots {
            self.add_chunk(u32::try_from(self.capacity()).expect("the slot limit fits in u32"));
        }
    }

    /// Adds the chunk whose first slot is `first`, the next one in order.
    fn add_chunk(&mut self, first: u32) {
        let base = self.table.add_chunk(first);
        self.chunks.push(base);
        self.origins.push(layout_of::<T>().origin(base, first));
    }

    /// Adds a slot at index `len()`, adding its chunk when it starts one.
    /// Its words are zero (generation 0: no handle names it).
    pub(crate) fn push(&mut self) -> u32 {
        let index = self.len;
        if index as usize >= self.chunks.len() << CHUNK_SHIFT {
            self.add_chunk(index);
        }
        if index as usize % 64 == 0 {
            self.present.push(0);
        }
        self.len += 1;
        index
    }

    /// The address of the slot at `index`, with its chunk's provenance
    /// (what a strong handle keeps), if its chunk is allocated.
    #[inline]
    pub(crate) fn slot_ptr(&self, index: u32) -> Option<NonNull<Slot<T>>> {
        let origin = *self.origins.get((index >> CHUNK_SHIFT) as usize)?;
        // SAFETY: `origins[c]` is the origin of chunk `c`, which holds the
        // slots `c << CHUNK_SHIFT ..`, `index` among them.
        Some(unsafe { layout_of::<T>().at_origin(origin, index) }.cast())
    }

    /// The slot at `index`, if its chunk is allocated.
    #[inline]
    pub(crate) fn slot(&self, index: u32) -> Option<&Slot<T>> {
        // SAFETY: the chunk lives as long as the table this owns, and its
        // slots are `Slot<T>`s (zeroed words; values as `present` says). A
        // shared reference to a slot is sound on every thread: both fields
        // are interior-mutable, and the value is only accessed as
        // `value`/`value_mut` below allow.
        Some(unsafe { self.slot_ptr(index)?.as_ref() })
    }

    /// The side word of the slot at `index`, if its chunk is allocated.
    pub(crate) fn side(&self, index: u32) -> Option<&AtomicU64> {
        let base = *self.chunks.get((index >> CHUNK_SHIFT) as usize)?;
        // SAFETY: every chunk holds a zeroed atomic side word per slot.
        Some(unsafe { layout_of::<T>().side(base, index).cast::<AtomicU64>().as_ref() })
    }

    /// Puts a new object of `generation` with one strong count in the
    /// vacant slot `index`, and counts it. The caller hands the count to
    /// the object's first `Strong`.
    #[inline]
    pub(crate) fn occupy(&mut self, index: u32, generation: Generation) {
        let word = &self.slot(index).expect("an allocated slot").word;
        SlotTable::occupy(word, self.side(index).expect("an allocated slot"), generation);
        self.occupied += 1;
    }

    /// Live objects: occupied, less the deaths queued and not yet taken.
    pub(crate) fn live(&self) -> usize {
        self.occupied - self.table.pending_deaths()
    }

    /// Appends the slots whose objects died since the last call to `taken`
    /// (newest first), following the death stack's links through this
    /// arena's own chunk list; returns how many, now no longer counted.
    pub(crate) fn take_dead(&mut self, taken: &mut Vec<u32>) -> usize {
        let count = self.table.take_dead(taken, |index| self.side(index).expect("a dead slot has a chunk"));
        self.occupied -= count;
        count
    }

    /// Whether slot `index` holds a value.
    fn is_present(&self, index: u32) -> bool {
        self.present.get(index as usize / 64).is_some_and(|bits| bits >> (index % 64) & 1 == 1)
    }

    fn set_present(&mut self, index: u32, present: bool) {
        let bits = &mut self.present[index as usize / 64];
        let mask = 1 << (index % 64);
        *bits = if present { *bits | mask } else { *bits & !mask };
    }

    /// Puts `value` in the vacant slot `index`; returns the slot's address.
    pub(crate) fn write(&mut self, index: u32, value: T) -> NonNull<Slot<T>> {
        assert!(index < self.len && !self.is_present(index), "weakarena: write to an occupied slot");
        let slot = self.slot_ptr(index).expect("an allocated slot");
        // SAFETY: an allocated slot (its chunk lives with the table);
        // `&mut self` excludes every other access to values, and the slot
        // holds none (so nothing is overwritten without a drop).
        unsafe { (*slot.as_ref().value.get()).write(value) };
        self.set_present(index, true);
        slot
    }

    /// Takes slot `index`'s value out, if it holds one.
    pub(crate) fn take(&mut self, index: u32) -> Option<T> {
        if !self.is_present(index) {
            return None;
        }
        self.set_present(index, false);
        let slot = self.slot(index)?;
        // SAFETY: present, so initialized; marked absent first, so it is
        // read out (moved) exactly once. `&mut self` excludes other access.
        Some(unsafe { (*slot.value.get()).assume_init_read() })
    }

    /// The value of slot `index`, which must hold an object: its word was
    /// just seen live. Another thread may drop the last handle right after
    /// (the word then reads dead), but the value stays until the owner's
    /// frame end, which needs `&mut` and so waits for this borrow: no check
    /// of the word here (a debug assertion on it raced with such drops).
    ///
    /// # Safety
    ///
    /// The slot holds a value (a live word implies it) and no `&mut` to it
    /// exists: the caller borrows `self` shared for the result's lifetime.
    #[inline]
    pub(crate) unsafe fn value(&self, slot: &Slot<T>) -> &T {
        // SAFETY: the caller's contract.
        unsafe { (*slot.value.get()).assume_init_ref() }
    }

    /// The value of slot `slot`, mutably.
    ///
    /// # Safety
    ///
    /// The slot holds a value, and the caller has exclusive access to it for
    /// the result's lifetime (through `&mut self`, or as the only user of
    /// this slot in a parallel iteration under `&mut self`).
    #[inline]
    #[allow(clippy::mut_from_ref, reason = "exclusivity is the caller's contract")]
    pub(crate) unsafe fn value_mut(&self, slot: &Slot<T>) -> &mut T {
        // SAFETY: the caller's contract.
        unsafe { (*slot.value.get()).assume_init_mut() }
    }
}

impl<T> Drop for Slots<T> {
    /// Drops every value still held: live objects' (their strong handles
    /// may outlive the arena) and those of objects that died on other
    /// threads since the last frame end. The chunk memory stays with the
    /// side table: if objects are still alive, this arena's reference on
    /// the table becomes theirs (the death stack is orphaned with their
    /// number, and the last of their deaths gives it back), which is what
    /// keeps every `Strong`'s slot valid after the arena is gone.
    fn drop(&mut self) {
        for index in 0..self.len {
            drop(self.take(index));
        }
        let handed = Arc::clone(&self.table);
        if self.table.orphan(self.occupied) {
            std::mem::forget(handed); // the live objects' now: `Strong::die` gives it back
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn values_are_written_taken_and_dropped_once() {
        let counter = Rc::new(());
        let mut slots: Slots<Rc<()>> = Slots::new();
        for _ in 0..(CHUNK_SLOTS + 3) {
            let index = slots.push();
            slots.write(index, Rc::clone(&counter));
        }
        assert_eq!(Rc::strong_count(&counter), CHUNK_SLOTS + 4);
        assert!(slots.take(1).is_some());
        assert!(slots.take(1).is_none(), "taken once");
        assert_eq!(Rc::strong_count(&counter), CHUNK_SLOTS + 3);
        slots.write(1, Rc::clone(&counter));
        drop(slots);
        assert_eq!(Rc::strong_count(&counter), 1, "every held value dropped at the end");
    }

    #[test]
    fn slots_across_chunks_are_where_the_side_table_sees_them() {
        let mut slots: Slots<[u8; 24]> = Slots::new();
        for _ in 0..(2 * CHUNK_SLOTS + 1) {
            slots.push();
        }
        for index in [0, CHUNK_SLOTS as u32 - 1, CHUNK_SLOTS as u32, 2 * CHUNK_SLOTS as u32] {
            let typed = &slots.slot(index).unwrap().word as *const AtomicU64;
            let erased = slots.table().word_for_test(index).unwrap() as *const AtomicU64;
            assert_eq!(typed, erased, "slot {index}");
        }
    }
}
