//! Stable, chunked slot storage, seen without the payload type.
//!
//! An arena's slots live in chunks of [`CHUNK_SLOTS`] slots, each one
//! allocation that never moves or shrinks until the side table is dropped,
//! so other threads keep using a slot while the arena's owner grows.
//! Slot `i` is in chunk `i >> CHUNK_SHIFT` at position `i & CHUNK_MASK`:
//! one shift and one mask. A chunk is laid out as
//!
//! ```text
//! [ header: the side table's address | side words: CHUNK_SLOTS × u64 | slots: CHUNK_SLOTS × stride ]
//! ```
//!
//! where each slot starts with its count word (`count_word.rs`) followed by
//! the value, so the typed arena reads both from one place, and the side
//! word (memberships, or the death-stack link) stays off `get`'s path.
//! Everything here knows only the slot's size (`stride`); `Slot<T>` in
//! `slot.rs` is the typed view.
//!
//! Chunk pointers are kept in a two-level directory of atomic pointers, so
//! a thread that holds only the side table (a weak collection) finds a
//! slot's word without locks, while the owner adds chunks.

use std::alloc::Layout;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::sync::AtomicU64;

/// log2 of the slots per chunk.
#[cfg(not(miri))]
pub(crate) const CHUNK_SHIFT: u32 = 12;
/// log2 of the slots per chunk (small under Miri, so tests cross chunks).
#[cfg(miri)]
pub(crate) const CHUNK_SHIFT: u32 = 8;
/// Slots per chunk.
pub(crate) const CHUNK_SLOTS: usize = 1 << CHUNK_SHIFT;
/// The position of slot `index` in its chunk is `index & CHUNK_MASK`.
const CHUNK_MASK: u32 = CHUNK_SLOTS as u32 - 1;
/// Directory blocks: 1024, each for a 1024th of the `u32` index space.
const TOP_LEN: usize = 1 << 10;
/// log2 of the chunk pointers per directory block.
const BLOCK_SHIFT: u32 = 32 - 10 - CHUNK_SHIFT;
const BLOCK_LEN: usize = 1 << BLOCK_SHIFT;
/// Bytes before the side words: the header, padded to a cache line.
const SIDE_OFFSET: usize = 64;

/// The header at the start of every chunk.
#[repr(C)]
pub(crate) struct ChunkHeader {
    /// The side table that owns the chunk (an `Arc::as_ptr`), so a strong
    /// handle that knows only its slot finds the table on the death path.
    pub(crate) table: *const (),
}

/// Where a chunk's parts are, for slots of one size and alignment.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) struct ChunkLayout {
    stride: usize,
    slots_offset: usize,
    layout: Layout,
}

impl ChunkLayout {
    /// The layout of chunks of `slot`-sized slots.
    pub(crate) const fn new(slot: Layout) -> ChunkLayout {
        let align = if slot.align() > SIDE_OFFSET { slot.align() } else { SIDE_OFFSET };
        let side_end = SIDE_OFFSET + CHUNK_SLOTS * 8;
        let slots_offset = side_end.div_ceil(align) * align;
        let size = slots_offset + CHUNK_SLOTS * slot.size();
        let layout = match Layout::from_size_align(size, align) {
            Ok(layout) => layout,
            Err(_) => panic!("weakarena: a chunk of this payload overflows isize"),
        };
        ChunkLayout { stride: slot.size(), slots_offset, layout }
    }

    /// The address of slot `index`'s first byte (its count word) in the
    /// chunk at `base`. Pointer arithmetic only: the result keeps `base`'s
    /// provenance over the whole chunk.
    #[inline]
    pub(crate) fn slot(&self, base: NonNull<u8>, index: u32) -> NonNull<u8> {
        let offset = self.slots_offset + (index & CHUNK_MASK) as usize * self.stride;
        // SAFETY: `offset` is within the chunk allocation `base` starts
        // (position < CHUNK_SLOTS, and the layout holds CHUNK_SLOTS slots).
        unsafe { base.add(offset) }
    }

    /// The chunk at `base`, seen as if its slots started at index 0: the
    /// address slot 0 would have, so that slot `index` of this chunk is at
    /// `origin + index × stride` (one multiply, no mask: see
    /// [`at_origin`](Self::at_origin)). `first` is the chunk's first index.
    /// Wrapping arithmetic: the origin is usually outside the chunk, but it
    /// keeps `base`'s provenance and is only offset back into it.
    #[inline]
    pub(crate) fn origin(&self, base: NonNull<u8>, first: u32) -> *mut u8 {
        base.as_ptr().wrapping_add(self.slots_offset).wrapping_sub(first as usize * self.stride)
    }

    /// The address of slot `index` from its chunk's [`origin`](Self::origin).
    ///
    /// # Safety
    ///
    /// `origin` is the origin of the chunk that holds slot `index`.
    #[inline]
    pub(crate) unsafe fn at_origin(&self, origin: *mut u8, index: u32) -> NonNull<u8> {
        // SAFETY: for an index of this chunk, the origin plus its offset is
        // `slot(base, index)`: inside the chunk allocation, so not null.
        unsafe { NonNull::new_unchecked(origin.wrapping_add(index as usize * self.stride)) }
    }

    /// The address of slot `index`'s side word in the chunk at `base`.
    #[inline]
    pub(crate) fn side(&self, base: NonNull<u8>, index: u32) -> NonNull<u8> {
        // SAFETY: as for `slot`: the side words fill SIDE_OFFSET.. within the chunk.
        unsafe { base.add(SIDE_OFFSET + (index & CHUNK_MASK) as usize * 8) }
    }

    /// The chunk that holds `slot`, the address of slot `index` (the
    /// inverse of [`slot`](Self::slot)).
    ///
    /// # Safety
    ///
    /// `slot` must be what [`slot`](Self::slot) returned for `index` and a
    /// chunk of this layout.
    #[inline]
    pub(crate) unsafe fn chunk_of(&self, slot: NonNull<u8>, index: u32) -> NonNull<u8> {
        let offset = self.slots_offset + (index & CHUNK_MASK) as usize * self.stride;
        // SAFETY: the caller's slot address lies `offset` bytes into its chunk.
        unsafe { slot.sub(offset) }
    }
}

/// One directory block: the pointers of `BLOCK_LEN` consecutive chunks.
type Block = [AtomicPtr<u8>; BLOCK_LEN];

/// A boxed slice of `len` null atomic pointers, allocated zeroed (one
/// `memset`, also under Miri, instead of `len` stores).
fn null_pointers<P>(len: usize) -> Box<[AtomicPtr<P>]> {
    let layout = Layout::array::<AtomicPtr<P>>(len).expect("a small directory");
    // SAFETY: `len` is non-zero (TOP_LEN, BLOCK_LEN), so the layout is too.
    let raw = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<AtomicPtr<P>>();
    if raw.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    // SAFETY: `raw` is a fresh allocation of `layout`, the global
    // allocator's, holding `len` all-zero `AtomicPtr`s: null pointers,
    // valid values. The box owns it and frees it with the same layout.
    unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(raw, len)) }
}

/// The chunks of one side table.
pub(crate) struct Chunks {
    layout: ChunkLayout,
    /// A fixed-size array, so that indexing it by `index >> 22` (always
    /// below [`TOP_LEN`]) needs no bounds check on the lookup path.
    top: Box<[AtomicPtr<Block>; TOP_LEN]>,
    /// Chunks added (always chunk numbers `0..added`), for the drop.
    added: AtomicUsize,
}

impl Chunks {
    pub(crate) fn new(layout: ChunkLayout) -> Chunks {
        let top = null_pointers(TOP_LEN).try_into().expect("TOP_LEN pointers");
        Chunks { layout, top, added: AtomicUsize::new(0) }
    }

    pub(crate) fn layout(&self) -> &ChunkLayout {
        &self.layout
    }

    /// The chunk that holds slot `index`, if it has been added.
    #[inline]
    pub(crate) fn chunk(&self, index: u32) -> Option<NonNull<u8>> {
        let chunk = (index >> CHUNK_SHIFT) as usize;
        let block = NonNull::new(self.top[chunk >> BLOCK_SHIFT].load(Ordering::Acquire))?;
        // SAFETY: a published block stays allocated until `self` drops, and
        // holds BLOCK_LEN entries (only the one entry is borrowed).
        let entry = unsafe { block.cast::<AtomicPtr<u8>>().add(chunk & (BLOCK_LEN - 1)).as_ref() };
        NonNull::new(entry.load(Ordering::Acquire))
    }

    /// The address of slot `index` (its count word first), with the
    /// provenance of its whole chunk, if the chunk has been added.
    #[inline]
    pub(crate) fn slot(&self, index: u32) -> Option<NonNull<u8>> {
        Some(self.layout.slot(self.chunk(index)?, index))
    }

    /// Slot `index`'s count word, if its chunk has been added.
    #[inline]
    pub(crate) fn word(&self, index: u32) -> Option<&AtomicU64> {
        let slot = self.slot(index)?;
        // SAFETY: every slot starts with its count word (`Slot<T>` is
        // `repr(C)`), zeroed at allocation, and the chunk lives as long as
        // `self`; atomics allow shared access from any thread.
        Some(unsafe { slot.cast::<AtomicU64>().as_ref() })
    }

    /// Slot `index`'s side word, if its chunk has been added.
    #[inline]
    pub(crate) fn side(&self, index: u32) -> Option<&AtomicU64> {
        let side = self.layout.side(self.chunk(index)?, index);
        // SAFETY: as for `word`: the side words are zeroed atomics in the chunk.
        Some(unsafe { side.cast::<AtomicU64>().as_ref() })
    }

    /// Allocates the chunk for slots from `first` on (a multiple of
    /// [`CHUNK_SLOTS`]), zeroed, with `table` in its header, and publishes
    /// it. Only the arena's owner adds chunks, one at a time.
    pub(crate) fn add(&self, first: u32, table: *const ()) -> NonNull<u8> {
        let chunk = (first >> CHUNK_SHIFT) as usize;
        assert!(
            first & CHUNK_MASK == 0 && chunk == self.added.load(Ordering::Relaxed),
            "chunks are added in order"
        );
        let block = self.block_or_add(chunk >> BLOCK_SHIFT);
        // SAFETY: the layout has a non-zero size (the side words alone).
        let base = unsafe { std::alloc::alloc_zeroed(self.layout.layout) };
        let Some(base) = NonNull::new(base) else { std::alloc::handle_alloc_error(self.layout.layout) };
        // SAFETY: the chunk starts with room for its header, aligned to 64.
        unsafe { base.cast::<ChunkHeader>().write(ChunkHeader { table }) };
        // SAFETY: the block holds BLOCK_LEN entries; only this one is borrowed.
        let entry = unsafe { block.cast::<AtomicPtr<u8>>().add(chunk & (BLOCK_LEN - 1)).as_ref() };
        entry.store(base.as_ptr(), Ordering::Release);
        self.added.store(chunk + 1, Ordering::Relaxed);
        base
    }

    /// The directory block `top`, allocated and published if new.
    fn block_or_add(&self, top: usize) -> NonNull<Block> {
        let mut block = self.top[top].load(Ordering::Acquire);
        if block.is_null() {
            let fresh: Box<Block> = null_pointers(BLOCK_LEN).try_into().expect("BLOCK_LEN pointers");
            block = Box::into_raw(fresh);
            self.top[top].store(block, Ordering::Release);
        }
        NonNull::new(block).expect("Box::into_raw is never null")
    }
}

impl Drop for Chunks {
    /// Frees every chunk and block. The arena has dropped every value
    /// already; words and headers need no drop.
    fn drop(&mut self) {
        for chunk in 0..*self.added.get_mut() {
            let block = self.top[chunk >> BLOCK_SHIFT].get_mut().cast::<AtomicPtr<u8>>();
            // SAFETY: chunks `0..added` were published in blocks made by
            // `block_or_add`, still allocated, of BLOCK_LEN entries.
            let base = unsafe { (*block.add(chunk & (BLOCK_LEN - 1))).load(Ordering::Relaxed) };
            // SAFETY: allocated in `add` with this layout, freed once here.
            unsafe { std::alloc::dealloc(base, self.layout.layout) };
        }
        for block in self.top.iter_mut().map(|block| *block.get_mut()).filter(|b| !b.is_null()) {
            // SAFETY: made by `Box::into_raw` in `block_or_add`, freed once here.
            drop(unsafe { Box::from_raw(block) });
        }
    }
}

// SAFETY: the chunk memory is only reached through atomics (words, side
// words, directory) or, for values, by the owning arena under `&mut`/`&`
// borrows of the arena; the raw pointers are owned allocations.
unsafe impl Send for Chunks {}
// SAFETY: as for `Send`.
unsafe impl Sync for Chunks {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering::Relaxed;

    fn layout() -> ChunkLayout {
        ChunkLayout::new(Layout::new::<[u64; 9]>())
    }

    #[test]
    fn one_shift_and_one_mask_locate_every_slot() {
        let chunks = Chunks::new(layout());
        assert!(chunks.word(0).is_none(), "no chunk yet");
        let first = chunks.add(0, std::ptr::null());
        let second = chunks.add(CHUNK_SLOTS as u32, std::ptr::null());
        let last = CHUNK_SLOTS as u32 - 1;
        assert_eq!(chunks.chunk(last), Some(first));
        assert_eq!(chunks.chunk(last + 1), Some(second));
        assert!(chunks.chunk(2 * CHUNK_SLOTS as u32).is_none());
        assert!(chunks.chunk(u32::MAX).is_none(), "the top of the index space is reachable");
        let word = chunks.word(last).unwrap() as *const AtomicU64 as usize;
        assert_eq!(word - first.as_ptr() as usize, layout().slots_offset + last as usize * 72);
    }

    #[test]
    fn a_chunk_origin_locates_its_slots_as_the_mask_does() {
        let chunks = Chunks::new(layout());
        chunks.add(0, std::ptr::null());
        let first = CHUNK_SLOTS as u32;
        let base = chunks.add(first, std::ptr::null());
        let origin = layout().origin(base, first);
        for index in [first, first + 1, first + 77, 2 * first - 1] {
            // SAFETY: `origin` is the origin of the chunk holding `index`.
            let found = unsafe { layout().at_origin(origin, index) };
            assert_eq!(found, layout().slot(base, index), "slot {index}");
            // SAFETY: the slot is in a live chunk, and starts with its zeroed word.
            unsafe { found.cast::<AtomicU64>().as_ref() }.store(u64::from(index), Relaxed);
            assert_eq!(chunks.word(index).unwrap().load(Relaxed), u64::from(index));
        }
    }

    #[test]
    fn words_start_zeroed_and_keep_their_address() {
        let chunks = Chunks::new(layout());
        chunks.add(0, std::ptr::null());
        chunks.word(3).unwrap().store(42, Relaxed);
        chunks.side(3).unwrap().store(7, Relaxed);
        let before = chunks.word(3).unwrap() as *const AtomicU64;
        for chunk in 1..4u32 {
            chunks.add(chunk * CHUNK_SLOTS as u32, std::ptr::null());
        }
        assert_eq!(chunks.word(3).unwrap() as *const AtomicU64, before);
        assert_eq!((chunks.word(3).unwrap().load(Relaxed), chunks.side(3).unwrap().load(Relaxed)), (42, 7));
        assert_eq!(chunks.word(4).unwrap().load(Relaxed), 0);
        assert_eq!(chunks.side(CHUNK_SLOTS as u32 * 3 + 1).unwrap().load(Relaxed), 0);
    }

    #[test]
    fn a_slot_finds_its_chunk_and_header() {
        let chunks = Chunks::new(layout());
        let table = 0x5eed_u64;
        let marker = (&raw const table).cast::<()>();
        chunks.add(0, std::ptr::null());
        let base = chunks.add(CHUNK_SLOTS as u32, marker);
        let index = CHUNK_SLOTS as u32 + 9;
        let slot = layout().slot(base, index);
        // SAFETY: `slot` is `layout().slot(base, index)` of a chunk of that layout.
        let found = unsafe { layout().chunk_of(slot, index) };
        assert_eq!(found, base);
        // SAFETY: `found` is a live chunk, whose header `add` wrote.
        assert_eq!(unsafe { found.cast::<ChunkHeader>().as_ref() }.table, marker);
    }

    #[test]
    fn payloads_aligned_past_a_cache_line_keep_their_alignment() {
        #[repr(align(128))]
        struct Wide(#[allow(dead_code, reason = "only its layout matters")] u8);
        let layout = ChunkLayout::new(Layout::new::<(u64, Wide)>());
        let chunks = Chunks::new(layout);
        let base = chunks.add(0, std::ptr::null());
        assert_eq!(base.as_ptr() as usize % 128, 0);
        assert_eq!(layout.slot(base, 5).as_ptr() as usize % 128, 0);
    }
}
