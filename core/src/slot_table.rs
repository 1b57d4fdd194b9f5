//! The side table shared by an arena and every handle to its objects: the
//! chunks that hold each slot's count word and side word (and the arena's
//! values), the stack of deaths since the last frame end (which also counts
//! them, and the objects left alive once the arena is dropped), and the
//! tracked-reference registry.
//!
//! Layering, bottom up: `count_word`, `dead_stack` (atomic protocols) →
//! `chunks` (storage) and `registry` → this table → `strong` (handles that
//! point into it) → `slot` and `arena` (the typed owner).

use std::sync::atomic::{AtomicU64 as StdAtomicU64, Ordering};
use std::sync::Arc;

use crate::chunks::{ChunkLayout, Chunks};
use crate::count_word::{self, count_of, generation_bits, is_tracked};
use crate::dead_stack::DeadStack;
use crate::error::CountOverflow;
use crate::generation::Generation;
use crate::handle::{ArenaId, RawHandle};
use crate::registry::Registry;
use crate::sync::AtomicU64;

static NEXT_ARENA_ID: StdAtomicU64 = StdAtomicU64::new(1);

/// `generation << 32 | count`, the layout of both per-slot words.
#[inline]
const fn pack(generation: Generation, count: u32) -> u64 {
    count_word::pack(generation.get(), count)
}

/// An arena's side table of liveness and counts, shared (through `Arc`) with
/// its handles and weak collections.
///
/// Everything here is safe to call from any thread: a weak collection holds
/// the table to answer "is this handle's object alive?" without the arena.
/// The answer comes from the object's own slot (its count word, which holds
/// the generation), found by one shift and one mask of the index; there is
/// no second copy of the generation to keep in step.
pub struct SlotTable {
    id: ArenaId,
    chunks: Chunks,
    dead: DeadStack,
    frames_ended: StdAtomicU64,
    pub(crate) registry: Registry,
}

impl SlotTable {
    pub(crate) fn new(layout: ChunkLayout) -> SlotTable {
        SlotTable {
            id: ArenaId(NEXT_ARENA_ID.fetch_add(1, Ordering::Relaxed)),
            chunks: Chunks::new(layout),
            dead: DeadStack::new(),
            frames_ended: StdAtomicU64::new(0),
            registry: Registry::default(),
        }
    }

    /// The id of the arena this table belongs to.
    pub fn id(&self) -> ArenaId {
        self.id
    }

    /// Frames the arena has ended: the [`frame`](crate::FrameReport::frame)
    /// of its latest report plus one (0 before the first frame end).
    ///
    /// A weak collection sweeping with the latest report (`report.frame + 1
    /// == frames_ended()`) knows that a slot the report marks dead holds, in
    /// any entry, either the object that died or the slot's next occupant,
    /// whose generation is one more.
    pub fn frames_ended(&self) -> u64 {
        self.frames_ended.load(Ordering::Acquire)
    }

    /// Records that the arena has ended `frames` frames.
    pub(crate) fn set_frames_ended(&self, frames: u64) {
        self.frames_ended.store(frames, Ordering::Release);
    }

    /// Whether the object `handle` names is alive: its slot still holds that
    /// generation and its strong count is above zero.
    ///
    /// Exact at every instant: the last strong handle's drop makes it false
    /// at once, on every thread.
    #[inline]
    pub fn is_alive(&self, handle: RawHandle) -> bool {
        // One range check (`is_live_as`), not the count's extraction: weak
        // collections run this on every lookup.
        self.chunks.word(handle.index()).is_some_and(|word| {
            count_word::is_live_as(word.load(Ordering::Acquire), handle.generation().get())
        })
    }

    /// The strong count of the object `handle` names, or 0 if it is dead.
    #[inline]
    pub fn strong_count(&self, handle: RawHandle) -> usize {
        match self.chunks.word(handle.index()) {
            Some(word) => {
                count_word::live_count(word.load(Ordering::Acquire), handle.generation().get()) as usize
            }
            None => 0,
        }
    }

    /// Counts one weak-collection entry for `handle`'s object in its
    /// [`weak_count`](crate::Arena::weak_count). Returns `false`, counting
    /// nothing, when the object is dead.
    pub fn add_membership(&self, handle: RawHandle) -> bool {
        if !self.is_alive(handle) {
            return false;
        }
        let Some(side) = self.chunks.side(handle.index()) else {
            return false;
        };
        let generation = handle.generation().get();
        let updated = side.fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
            (generation_bits(word) == generation).then(|| word + 1)
        });
        updated.is_ok()
    }

    /// Takes back one membership counted by [`add_membership`](Self::add_membership).
    /// Does nothing once the object is dead (its counts are gone with it).
    pub fn remove_membership(&self, handle: RawHandle) {
        let Some(side) = self.chunks.side(handle.index()) else {
            return;
        };
        let generation = handle.generation().get();
        let _ = side.fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
            (generation_bits(word) == generation && count_of(word) > 0).then(|| word - 1)
        });
    }

    /// Weak-collection entries counted for `handle`'s object (0 when dead).
    pub fn memberships(&self, handle: RawHandle) -> usize {
        if !self.is_alive(handle) {
            return 0;
        }
        let Some(side) = self.chunks.side(handle.index()) else {
            return 0;
        };
        let word = side.load(Ordering::Acquire);
        if generation_bits(word) == handle.generation().get() {
            count_of(word) as usize
        } else {
            0
        }
    }

    /// Deaths queued since the last frame end: what the owner's count of
    /// occupied slots less makes the live count.
    pub(crate) fn pending_deaths(&self) -> usize {
        self.dead.pending()
    }

    /// The chunk layout of this table's slots.
    pub(crate) fn layout(&self) -> &ChunkLayout {
        self.chunks.layout()
    }

    /// Adds the chunk whose first slot is `first`; returns its base.
    pub(crate) fn add_chunk(self: &Arc<Self>, first: u32) -> std::ptr::NonNull<u8> {
        self.chunks.add(first, Arc::as_ptr(self).cast())
    }

    /// The address of slot `index` (count word first), for a strong handle.
    #[inline]
    pub(crate) fn slot_address(&self, index: u32) -> Option<std::ptr::NonNull<u8>> {
        self.chunks.slot(index)
    }

    /// Slot `index`'s count word (tests of the type-erased view only).
    #[cfg(test)]
    pub(crate) fn word_for_test(&self, index: u32) -> Option<&AtomicU64> {
        self.chunks.word(index)
    }

    /// The generation the next occupant of `index` gets (or the current
    /// occupant has); `None` for a brand-new slot.
    pub(crate) fn generation_of(&self, index: u32) -> Option<Generation> {
        let word = self.chunks.word(index)?.load(Ordering::Acquire);
        Generation::new(generation_bits(word))
    }

    /// Whether the registry holds anything for the object in `index`.
    pub(crate) fn is_tracked(&self, index: u32) -> bool {
        self.chunks.word(index).is_some_and(|word| is_tracked(word.load(Ordering::Acquire)))
    }

    /// Puts a new object of `generation` with one strong reference in the
    /// vacant slot whose words are `word` and `side`. Nothing shared is
    /// counted: the owner counts its occupied slots itself (`Slots`).
    pub(crate) fn occupy(word: &AtomicU64, side: &AtomicU64, generation: Generation) {
        side.store(pack(generation, 0), Ordering::Release);
        word.store(pack(generation, 1), Ordering::Release);
    }

    /// Moves a reclaimed (or brand-new) slot, whose words are `word` and
    /// `side`, on to the generation of its next occupant.
    pub(crate) fn vacate(word: &AtomicU64, side: &AtomicU64, next: Generation) {
        word.store(pack(next, 0), Ordering::Release);
        side.store(pack(next, 0), Ordering::Release);
    }

    /// Queues the death of the object in `index`, whose side word is
    /// `side`, for the next frame end (one compare-and-swap, which also
    /// counts it). The caller touches the table no more after; `true` if
    /// the arena was dropped and this was its last live object, in which
    /// case the caller must first give back the table reference the arena
    /// handed its live objects ([`DeadStack::push`]).
    #[inline]
    pub(crate) fn queue_death(&self, index: u32, side: &AtomicU64) -> bool {
        self.dead.push(index, side)
    }

    /// Hands the dropped arena's table reference to its objects still
    /// alive, if any: `live` were occupied and not taken back. `true` if the
    /// caller must leave its reference to them ([`DeadStack::orphan`]).
    pub(crate) fn orphan(&self, live: usize) -> bool {
        self.dead.orphan(live)
    }

    /// Adds one strong reference if `handle`'s object is still alive. Never
    /// revives a dead object, even racing with its last drop.
    pub(crate) fn try_upgrade(&self, handle: RawHandle) -> Result<bool, CountOverflow> {
        match self.chunks.word(handle.index()) {
            Some(word) => count_word::try_upgrade(word, handle.generation().get()),
            None => Ok(false),
        }
    }

    /// Kills `handle`'s object by force if it is alive (see
    /// [`count_word::kill`]); `true` if this call killed it.
    pub(crate) fn kill(&self, handle: RawHandle) -> bool {
        match self.chunks.word(handle.index()) {
            Some(word) => count_word::kill(word, handle.generation().get()),
            None => false,
        }
    }

    /// Strong handles still counted on `handle`'s object, dead or alive: a
    /// killed object's outstanding handles (0 once the slot moved on).
    pub(crate) fn outstanding(&self, handle: RawHandle) -> u32 {
        match self.chunks.word(handle.index()) {
            Some(word) => {
                let word = word.load(Ordering::Acquire);
                if generation_bits(word) == handle.generation().get() {
                    count_of(word)
                } else {
                    0
                }
            }
            None => 0,
        }
    }

    /// Marks a would-be garbage object pending if its count is still `count`.
    pub(crate) fn begin_condemn(&self, handle: RawHandle, count: u32) -> bool {
        match self.chunks.word(handle.index()) {
            Some(word) => count_word::begin_condemn(word, handle.generation().get(), count),
            None => false,
        }
    }

    /// Whether an object marked pending still has the count it was marked
    /// with (no clone or drop landed since).
    pub(crate) fn still_pending(&self, handle: RawHandle, count: u32) -> bool {
        match self.chunks.word(handle.index()) {
            Some(word) => count_word::still_pending(word, handle.generation().get(), count),
            None => false,
        }
    }

    /// Clears a pending mark set by [`begin_condemn`](Self::begin_condemn).
    pub(crate) fn cancel_condemn(&self, handle: RawHandle) {
        if let Some(word) = self.chunks.word(handle.index()) {
            count_word::cancel_condemn(word);
        }
    }

    /// Condemns an object marked pending: it reads dead from now on.
    pub(crate) fn commit_condemn(&self, handle: RawHandle) {
        if let Some(word) = self.chunks.word(handle.index()) {
            count_word::commit_condemn(word);
        }
    }

    /// Appends the slots whose objects died since the last call (any
    /// order) to `taken`, reading each link through `side_of`; returns how
    /// many. Only the arena's owner calls it.
    pub(crate) fn take_dead<'a>(
        &self,
        taken: &mut Vec<u32>,
        side_of: impl Fn(u32) -> &'a AtomicU64,
    ) -> usize {
        self.dead.take_all(taken, side_of)
    }

    /// Whether any death is waiting for a frame end.
    pub(crate) fn has_dead(&self) -> bool {
        !self.dead.is_empty()
    }

    /// Sets a live slot's strong count directly (tests of overflow only).
    #[cfg(test)]
    pub(crate) fn force_strong_count(&self, handle: RawHandle, count: u32) {
        let word = self.chunks.word(handle.index()).expect("an allocated slot");
        word.store(pack(handle.generation(), count), Ordering::Release);
    }
}

impl std::fmt::Debug for SlotTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlotTable")
            .field("id", &self.id)
            .field("pending_deaths", &self.pending_deaths())
            .finish()
    }
}
