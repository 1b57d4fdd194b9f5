//! The side table shared by an arena and every handle to its objects:
//! per-slot generation + strong count, generation + membership count, the
//! queue of deaths since the last frame end, and the tracked-reference
//! registry.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::count_word::{self, count_of, generation_bits, is_live};
use crate::error::CountOverflow;
use crate::generation::Generation;
use crate::handle::{ArenaId, RawHandle, Weak};
use crate::registry::Registry;
use crate::segments::Segments;
use crate::strong::Strong;

static NEXT_ARENA_ID: AtomicU64 = AtomicU64::new(1);

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
pub struct SlotTable {
    id: ArenaId,
    slots: Segments,
    live: AtomicUsize,
    frames_ended: AtomicU64,
    dead: Mutex<Vec<u32>>,
    pub(crate) registry: Registry,
}

impl SlotTable {
    pub(crate) fn new() -> SlotTable {
        SlotTable {
            id: ArenaId(NEXT_ARENA_ID.fetch_add(1, Ordering::Relaxed)),
            slots: Segments::new(),
            live: AtomicUsize::new(0),
            frames_ended: AtomicU64::new(0),
            dead: Mutex::new(Vec::new()),
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
        self.strong_count(handle) > 0
    }

    /// The strong count of the object `handle` names, or 0 if it is dead.
    #[inline]
    pub fn strong_count(&self, handle: RawHandle) -> usize {
        let Some(slot) = self.slots.get(handle.index()) else {
            return 0;
        };
        let word = slot.strong.load(Ordering::Acquire);
        if generation_bits(word) == handle.generation().get() && is_live(word) {
            count_of(word) as usize
        } else {
            0
        }
    }

    /// Counts one weak-collection entry for `handle`'s object in its
    /// [`weak_count`](crate::Arena::weak_count). Returns `false`, counting
    /// nothing, when the object is dead.
    pub fn add_membership(&self, handle: RawHandle) -> bool {
        if !self.is_alive(handle) {
            return false;
        }
        let Some(slot) = self.slots.get(handle.index()) else {
            return false;
        };
        let generation = handle.generation().get();
        let updated = slot.members.fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
            (generation_bits(word) == generation).then_some(word + 1)
        });
        updated.is_ok()
    }

    /// Takes back one membership counted by [`add_membership`](Self::add_membership).
    /// Does nothing once the object's slot has been reclaimed (its counts are
    /// gone with it).
    pub fn remove_membership(&self, handle: RawHandle) {
        let Some(slot) = self.slots.get(handle.index()) else {
            return;
        };
        let generation = handle.generation().get();
        let _ = slot.members.fetch_update(Ordering::AcqRel, Ordering::Acquire, |word| {
            (generation_bits(word) == generation && count_of(word) > 0).then_some(word - 1)
        });
    }

    /// Weak-collection entries counted for `handle`'s object (0 when dead).
    pub fn memberships(&self, handle: RawHandle) -> usize {
        if !self.is_alive(handle) {
            return 0;
        }
        let Some(slot) = self.slots.get(handle.index()) else {
            return 0;
        };
        let word = slot.members.load(Ordering::Acquire);
        if generation_bits(word) == handle.generation().get() {
            count_of(word) as usize
        } else {
            0
        }
    }

    /// A strong handle to `handle`'s object if it is alive, without the
    /// arena: what weak collections use to hand out keys as strong handles.
    ///
    /// # Panics
    ///
    /// If the object's strong count would overflow.
    pub fn upgrade<T>(self: &Arc<Self>, handle: Weak<T>) -> Option<Strong<T>> {
        crate::arena::upgrade_in(self, handle.raw())
    }

    /// Live objects: inserted and not yet dead.
    pub(crate) fn live_count(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }

    /// The generation the next occupant of `index` gets (or the current
    /// occupant has).
    pub(crate) fn generation_of(&self, index: u32) -> Option<Generation> {
        let word = self.slots.get(index)?.strong.load(Ordering::Acquire);
        Generation::new(generation_bits(word))
    }

    /// The handle of the live object in `index`, if there is one.
    #[inline]
    pub(crate) fn live_handle(&self, index: u32) -> Option<RawHandle> {
        let word = self.slots.get(index)?.strong.load(Ordering::Acquire);
        if !is_live(word) {
            return None;
        }
        Some(RawHandle::new(index, Generation::new(generation_bits(word))?))
    }

    /// Makes a brand-new slot ready for its first occupant.
    pub(crate) fn open_slot(&self, index: u32, first: Generation) {
        let slot = self.slots.get_or_grow(index);
        slot.strong.store(pack(first, 0), Ordering::Release);
        slot.members.store(pack(first, 0), Ordering::Release);
    }

    /// Puts a new object with one strong reference in a vacant slot.
    pub(crate) fn occupy(&self, handle: RawHandle) {
        let slot = self.slots.get_or_grow(handle.index());
        slot.members.store(pack(handle.generation(), 0), Ordering::Release);
        slot.strong.store(pack(handle.generation(), 1), Ordering::Release);
        self.live.fetch_add(1, Ordering::AcqRel);
    }

    /// Moves a reclaimed slot on to the generation of its next occupant.
    pub(crate) fn vacate(&self, index: u32, next: Generation) {
        let slot = self.slots.get_or_grow(index);
        slot.strong.store(pack(next, 0), Ordering::Release);
        slot.members.store(pack(next, 0), Ordering::Release);
    }

    /// Adds one strong reference to a live object (the caller holds one).
    #[inline]
    pub(crate) fn increment_strong(&self, index: u32) -> Result<(), CountOverflow> {
        count_word::increment(&self.slots.get_or_grow(index).strong)
    }

    /// Removes one strong reference; returns `true` if it was the last, in
    /// which case the death has been queued for the next frame end.
    #[inline]
    pub(crate) fn decrement_strong(&self, index: u32) -> bool {
        if !count_word::decrement(&self.slots.get_or_grow(index).strong) {
            return false;
        }
        self.queue_death(index);
        true
    }

    /// Queues the death of the object in `index` for the next frame end:
    /// the out-of-line part of [`decrement_strong`](Self::decrement_strong),
    /// so every other drop stays a few inlined instructions.
    #[cold]
    #[inline(never)]
    fn queue_death(&self, index: u32) {
        self.live.fetch_sub(1, Ordering::AcqRel);
        lock(&self.dead).push(index);
    }

    /// Adds one strong reference if `handle`'s object is still alive. Never
    /// revives a dead object, even racing with its last drop.
    pub(crate) fn try_upgrade(&self, handle: RawHandle) -> Result<bool, CountOverflow> {
        match self.slots.get(handle.index()) {
            Some(slot) => count_word::try_upgrade(&slot.strong, handle.generation().get()),
            None => Ok(false),
        }
    }

    /// Marks a would-be garbage object pending if its count is still `count`.
    pub(crate) fn begin_condemn(&self, handle: RawHandle, count: u32) -> bool {
        match self.slots.get(handle.index()) {
            Some(slot) => count_word::begin_condemn(&slot.strong, handle.generation().get(), count),
            None => false,
        }
    }

    /// Whether an object marked pending still has the count it was marked
    /// with (no clone or drop landed since).
    pub(crate) fn still_pending(&self, handle: RawHandle, count: u32) -> bool {
        match self.slots.get(handle.index()) {
            Some(slot) => count_word::still_pending(&slot.strong, handle.generation().get(), count),
            None => false,
        }
    }

    /// Clears a pending mark set by [`begin_condemn`](Self::begin_condemn).
    pub(crate) fn cancel_condemn(&self, handle: RawHandle) {
        if let Some(slot) = self.slots.get(handle.index()) {
            count_word::cancel_condemn(&slot.strong);
        }
    }

    /// Condemns an object marked pending: it reads dead from now on.
    pub(crate) fn commit_condemn(&self, handle: RawHandle) {
        if let Some(slot) = self.slots.get(handle.index()) {
            count_word::commit_condemn(&slot.strong);
        }
    }

    /// The slots whose objects died since the last call.
    pub(crate) fn take_dead(&self) -> Vec<u32> {
        std::mem::take(&mut *lock(&self.dead))
    }

    /// Whether any death is waiting for a frame end.
    pub(crate) fn has_dead(&self) -> bool {
        !lock(&self.dead).is_empty()
    }

    /// Sets a live slot's strong count directly (tests of overflow only).
    #[cfg(test)]
    pub(crate) fn force_strong_count(&self, handle: RawHandle, count: u32) {
        let slot = self.slots.get_or_grow(handle.index());
        slot.strong.store(pack(handle.generation(), count), Ordering::Release);
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it:
/// every critical section here leaves its data consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl std::fmt::Debug for SlotTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlotTable").field("id", &self.id).field("live", &self.live_count()).finish()
    }
}
