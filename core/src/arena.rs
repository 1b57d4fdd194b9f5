//! The typed generational arena.

use std::ops::{Index, IndexMut};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::arena_container::{Iter, IterMut};
use crate::count_word;
use crate::error::{AccessError, ArenaFull, CountOverflow, ReferenceError};
use crate::generation::Generation;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::kill::Kills;
use crate::ref_id::RefId;
use crate::registry::TrackedKind;
use crate::slot::{Slot, Slots};
use crate::slot_table::SlotTable;
use crate::strong::Strong;

/// The most slots an arena can have: every `u32` index but the last.
pub const MAX_SLOTS: u32 = u32::MAX;

/// Objects of one type in generational slots, with strong counts in a side
/// table.
///
/// [`insert`](Arena::insert) returns the object's first [`Strong`] handle.
/// Reads go through any handle ([`get`](Arena::get), [`get_mut`](Arena::get_mut),
/// indexing); a dead object reads as `None` (or `Err` from
/// [`try_get`](Arena::try_get)), never as another object.
///
/// Objects die the instant their last strong handle drops, on any thread;
/// [`end_frame`](Arena::end_frame) then drops their values, runs their
/// callbacks and finalizers, and reports the frame's deaths.
///
/// ```
/// use weakarena_core::Arena;
/// let mut arena = Arena::new();
/// let a = arena.insert(10);
/// let w = a.downgrade();
/// *arena.get_mut(&a).unwrap() += 1;
/// assert_eq!(arena.get(w), Some(&11));
/// assert_eq!(arena.len(), 1);
/// drop(a);
/// assert_eq!(arena.get(w), None); // dead at once
/// let report = arena.end_frame();  // value dropped here
/// assert_eq!(report.deaths, vec![w.raw()]);
/// assert!(arena.is_empty());
/// ```
pub struct Arena<T> {
    pub(crate) slots: Slots<T>,
    pub(crate) free: Vec<u32>,
    retired: usize,
    first_generation: Generation,
    slot_limit: u32,
    pub(crate) frame: u64,
    shut_down: bool,
    pub(crate) kills: Kills,
    /// Zeroed scratch bits the frame end sorts dense deaths with (kept
    /// between frames, so a frame end allocates nothing for it).
    pub(crate) sort_bits: Vec<u64>,
}

/// What [`Arena::weak_refs`] lists: one tracked reference to an object.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct TrackedRef {
    /// What kind of reference it is.
    pub kind: TrackedKind,
    /// Whether it runs a callback (or finalizer body) when the object dies.
    pub has_callback: bool,
    /// Which reference it is (`None` for a weak-collection entry); the entry
    /// also compares equal to the reference itself (`refs[0] == my_ref`).
    pub id: Option<RefId>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena::new()
    }
}

impl<T> Arena<T> {
    /// An empty arena.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let arena: Arena<String> = Arena::new();
    /// assert!(arena.is_empty() && arena.slot_count() == 0);
    /// ```
    pub fn new() -> Arena<T> {
        Arena::with_capacity(0)
    }

    /// An empty arena with room for `capacity` objects allocated ahead
    /// (see [`reserve`](Arena::reserve)). Values live in fixed chunks that
    /// never move, so this only saves the allocations from the insert path.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let arena: Arena<u64> = Arena::with_capacity(1000);
    /// assert!(arena.capacity() >= 1000 && arena.is_empty());
    /// ```
    pub fn with_capacity(capacity: usize) -> Arena<T> {
        let mut arena = Arena::empty();
        arena.reserve(capacity);
        arena
    }

    fn empty() -> Arena<T> {
        Arena {
            slots: Slots::new(),
            free: Vec::new(),
            retired: 0,
            first_generation: Generation::FIRST,
            slot_limit: MAX_SLOTS,
            frame: 0,
            shut_down: false,
            kills: Kills::default(),
            sort_bits: Vec::new(),
        }
    }

    /// An arena that never uses more than `limit` slots: a fixed-budget pool.
    /// Inserting into a full one panics ([`insert`](Arena::insert)) or
    /// returns the value ([`try_insert`](Arena::try_insert)).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut pool = Arena::with_slot_limit(2);
    /// let _both = (pool.insert(1), pool.insert(2));
    /// assert!(pool.try_insert(3).is_err());
    /// assert_eq!(pool.slot_limit(), 2);
    /// ```
    pub fn with_slot_limit(limit: u32) -> Arena<T> {
        let mut arena = Arena::new();
        arena.slot_limit = limit;
        arena
    }

    /// An arena whose fresh slots start at generation `first` instead of
    /// [`Generation::FIRST`]: lets tests drive a slot to retirement quickly.
    ///
    /// ```
    /// use weakarena_core::{Arena, Generation};
    /// let mut arena = Arena::with_first_generation(Generation::new(7).unwrap());
    /// assert_eq!(arena.insert(()).raw().generation().get(), 7);
    /// ```
    pub fn with_first_generation(first: Generation) -> Arena<T> {
        let mut arena = Arena::new();
        arena.first_generation = first;
        arena
    }

    /// This arena's id.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let (mut a, b) = (Arena::new(), Arena::<i32>::new());
    /// assert_ne!(a.id(), b.id());
    /// assert_eq!(a.insert(1).arena_id(), a.id());
    /// ```
    pub fn id(&self) -> ArenaId {
        self.slot_table().id()
    }

    /// The side table of liveness and counts, shared with weak collections.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let table = arena.slot_table();
    /// assert!(table.is_alive(orc.raw()) && table.id() == arena.id());
    /// ```
    pub fn slot_table(&self) -> &Arc<SlotTable> {
        self.slots.table()
    }

    /// Puts `value` in a slot and returns its first strong handle.
    ///
    /// # Panics
    ///
    /// If every slot up to the slot limit is in use or retired.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// assert_eq!((arena[&orc], orc.strong_count()), ("orc", 1));
    /// ```
    #[track_caller]
    #[inline]
    pub fn insert(&mut self, value: T) -> Strong<T> {
        match self.try_insert(value) {
            Ok(strong) => strong,
            Err(full) => panic!("weakarena: {full}"),
        }
    }

    /// Puts `value` in a slot, or gives it back if the arena is full.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut pool = Arena::with_slot_limit(1);
    /// let first = pool.insert('a');
    /// assert_eq!(pool.try_insert('b').unwrap_err().value, 'b');
    /// drop(first);
    /// pool.end_frame();
    /// assert!(pool.try_insert('c').is_ok()); // the slot was reclaimed
    /// ```
    #[inline]
    pub fn try_insert(&mut self, value: T) -> Result<Strong<T>, ArenaFull<T>> {
        let Some(index) = self.vacant_slot() else {
            return Err(ArenaFull { value, slot_limit: self.slot_limit });
        };
        let slot = self.slots.write(index, value);
        // SAFETY: `write` returned the address of an allocated slot, whose
        // chunk lives as long as the table `self` holds.
        let word = unsafe { &slot.as_ref().word };
        let generation = Generation::new(count_word::generation_bits(word.load(Ordering::Relaxed)))
            .expect("a vacant slot holds its next generation");
        self.slots.occupy(index, generation);
        // SAFETY: `slot` is the slot's address from its chunk base, in this
        // arena's `Slot<T>` chunks, and `occupy` just counted the handle.
        Ok(unsafe { Strong::from_counted_slot(slot.cast(), RawHandle::new(index, generation)) })
    }

    /// The count word and side word of an allocated slot.
    fn words(&self, index: u32) -> (&crate::sync::AtomicU64, &crate::sync::AtomicU64) {
        let slot = self.slots.slot(index).expect("an allocated slot");
        (&slot.word, self.slots.side(index).expect("an allocated slot"))
    }

    /// A reclaimed slot, or a brand-new one within the limit.
    fn vacant_slot(&mut self) -> Option<u32> {
        if let Some(index) = self.free.pop() {
            return Some(index);
        }
        if self.slots.len() >= self.slot_limit {
            return None;
        }
        let index = self.slots.push();
        let (word, side) = self.words(index);
        SlotTable::vacate(word, side, self.first_generation);
        Some(index)
    }

    /// The slot of `handle`'s live object, or why there is none.
    #[inline]
    fn locate(&self, handle: &impl ArenaHandle<T>) -> Result<&Slot<T>, AccessError> {
        if let Some(handle_arena) = handle.arena_id() {
            if handle_arena != self.id() {
                return Err(AccessError::WrongArena { arena: self.id(), handle_arena });
            }
        }
        let raw = handle.raw_handle();
        match self.slots.slot(raw.index()) {
            Some(slot) if is_live_in(slot, raw) => Ok(slot),
            _ => Err(AccessError::Dead(ReferenceError::new(raw))),
        }
    }

    /// The object `handle` names, or `None` if it is dead or `handle`
    /// belongs to another arena.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let weak = orc.downgrade();
    /// assert_eq!(arena.get(weak), Some(&"orc"));
    /// drop(orc);
    /// assert_eq!(arena.get(weak), None);
    /// ```
    #[inline]
    pub fn get(&self, handle: impl ArenaHandle<T>) -> Option<&T> {
        self.try_get(handle).ok()
    }

    /// The object `handle` names, or why it cannot be read.
    ///
    /// ```
    /// use weakarena_core::{AccessError, Arena};
    /// let mut a = Arena::new();
    /// let mut b = Arena::new();
    /// let in_b = b.insert(1);
    /// assert!(matches!(a.try_get(&in_b), Err(AccessError::WrongArena { .. })));
    /// ```
    #[inline]
    pub fn try_get(&self, handle: impl ArenaHandle<T>) -> Result<&T, AccessError> {
        let slot = self.locate(&handle)?;
        // SAFETY: the slot's word is live, so it holds a value; `&self` is
        // borrowed for the result's lifetime, so no `&mut` to it exists.
        Ok(unsafe { self.slots.value(slot) })
    }

    /// The object `handle` names, mutably; `None` if dead or foreign.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let hp = arena.insert(10);
    /// *arena.get_mut(&hp).unwrap() -= 3;
    /// assert_eq!(arena[&hp], 7);
    /// ```
    #[inline]
    pub fn get_mut(&mut self, handle: impl ArenaHandle<T>) -> Option<&mut T> {
        let slot = self.locate(&handle).ok()?;
        // SAFETY: live, so it holds a value; `&mut self` is borrowed for the
        // result's lifetime, so no other reference to it exists.
        Some(unsafe { self.slots.value_mut(slot) })
    }

    /// Whether `handle` names a live object of this arena.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let weak = orc.downgrade();
    /// assert!(arena.contains(weak));
    /// drop(orc);
    /// assert!(!arena.contains(weak));
    /// ```
    pub fn contains(&self, handle: impl ArenaHandle<T>) -> bool {
        self.locate(&handle).is_ok()
    }

    /// A new strong handle to the object, or `None` if it is dead or foreign.
    /// Never revives a dead object, even racing with its last drop.
    ///
    /// # Panics
    ///
    /// If the object's strong count would overflow; see [`try_upgrade`](Arena::try_upgrade).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let weak = orc.downgrade();
    /// let again = arena.upgrade(weak).unwrap();
    /// assert_eq!(orc.strong_count(), 2);
    /// drop((orc, again));
    /// assert!(arena.upgrade(weak).is_none(), "never revives");
    /// ```
    #[inline]
    #[track_caller]
    pub fn upgrade(&self, handle: impl ArenaHandle<T>) -> Option<Strong<T>> {
        match self.try_upgrade(&handle) {
            Ok(strong) => strong,
            Err(overflow) => panic!("weakarena: {overflow} ({:?})", handle.raw_handle()),
        }
    }

    /// Like [`upgrade`](Arena::upgrade), but reports count overflow as an error.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let again = arena.try_upgrade(&orc).expect("far below the limit");
    /// assert_eq!(again, Some(orc.clone()));
    /// ```
    #[inline]
    pub fn try_upgrade(&self, handle: impl ArenaHandle<T>) -> Result<Option<Strong<T>>, CountOverflow> {
        if handle.arena_id().is_some_and(|id| id != self.id()) {
            return Ok(None);
        }
        let raw = handle.raw_handle();
        // One slot address, for the word's check and the handle: the count
        // word's upgrade checks the generation and liveness itself.
        let Some(slot) = self.slots.slot_ptr(raw.index()) else {
            return Ok(None);
        };
        // SAFETY: `slot_ptr` addresses an allocated slot, whose chunk lives
        // as long as the table `self` holds; the word is an atomic.
        let word = unsafe { &slot.as_ref().word };
        if !count_word::try_upgrade(word, raw.generation().get())? {
            return Ok(None);
        }
        // SAFETY: the slot's address from its chunk, in this arena's
        // `Slot<T>` chunks; the upgrade just added the handle's count.
        Ok(Some(unsafe { Strong::from_counted_slot(slot.cast(), raw) }))
    }

    /// The object's strong count; 0 if it is dead or foreign.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let weak = orc.downgrade();
    /// let _second = orc.clone();
    /// assert_eq!(arena.strong_count(weak), 2);
    /// drop((orc, _second));
    /// assert_eq!(arena.strong_count(weak), 0);
    /// ```
    pub fn strong_count(&self, handle: impl ArenaHandle<T>) -> usize {
        match self.locate(&handle) {
            Ok(slot) => live_count_in(slot, handle.raw_handle()) as usize,
            Err(_) => 0,
        }
    }

    /// Tracked references to the object — [`WeakRef`](crate::WeakRef)s,
    /// [`Proxy`](crate::Proxy)s, [`WeakMethod`](crate::WeakMethod)s, live
    /// [`Finalizer`](crate::Finalizer)s and weak-collection entries — as
    /// `weakref.getweakrefcount` counts them. Plain [`Weak`] handles are not
    /// counted. 0 if the object is dead or foreign.
    ///
    /// ```
    /// use weakarena_core::{Arena, Proxy, WeakRef};
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let _weak = orc.downgrade(); // plain handles do not count
    /// let (_r, _p) = (WeakRef::new(&orc), Proxy::new(&orc));
    /// assert_eq!(arena.weak_count(&orc), 2);
    /// ```
    pub fn weak_count(&self, handle: impl ArenaHandle<T>) -> usize {
        self.weak_refs(handle).len()
    }

    /// The tracked references [`weak_count`](Arena::weak_count) counts, in
    /// CPython's order (`weakref.getweakrefs`): the object's shared
    /// callback-less [`WeakRef`](crate::WeakRef), then its shared
    /// [`Proxy`](crate::Proxy) (CPython keeps both at the head of the
    /// object's list), then the others in registration order, weak-collection
    /// entries last.
    ///
    /// ```
    /// use weakarena_core::{Arena, TrackedKind, WeakRef};
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let r = WeakRef::new(&orc);
    /// let refs = arena.weak_refs(&orc);
    /// assert_eq!((refs.len(), refs[0].kind), (1, TrackedKind::Ref));
    /// assert!(refs[0] == r);
    /// ```
    pub fn weak_refs(&self, handle: impl ArenaHandle<T>) -> Vec<TrackedRef> {
        if self.locate(&handle).is_err() {
            return Vec::new();
        }
        let raw = handle.raw_handle();
        let table = self.slot_table();
        let listed = table.registry.listed(table.id(), raw, table.is_tracked(raw.index()));
        let mut refs: Vec<TrackedRef> = listed
            .into_iter()
            .map(|(kind, has_callback, id)| TrackedRef { kind, has_callback, id: Some(id) })
            .collect();
        let membership = TrackedRef { kind: TrackedKind::Membership, has_callback: false, id: None };
        refs.extend(std::iter::repeat_n(membership, table.memberships(raw)));
        refs
    }

    /// Live objects (not counting [killed](Arena::kill) ones).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let _b = arena.insert(2);
    /// assert_eq!(arena.len(), 2);
    /// drop(a);
    /// assert_eq!(arena.len(), 1); // dead at once, before the frame end
    /// ```
    pub fn len(&self) -> usize {
        self.slots.live().saturating_sub(self.kills.still_counted(self.slot_table()))
    }

    /// Whether no object is alive.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// assert!(arena.is_empty());
    /// let a = arena.insert(1);
    /// assert!(!arena.is_empty());
    /// arena.kill(&a);
    /// assert!(arena.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slots ever allocated (live, dead awaiting the frame end, vacant, retired).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// drop(arena.insert(1));
    /// assert_eq!((arena.slot_count(), arena.len()), (1, 0));
    /// arena.end_frame();
    /// let _b = arena.insert(2); // reuses the reclaimed slot
    /// assert_eq!(arena.slot_count(), 1);
    /// ```
    pub fn slot_count(&self) -> usize {
        self.slots.len() as usize
    }

    /// Slots retired because they used up every generation.
    ///
    /// ```
    /// use weakarena_core::{Arena, Generation};
    /// let mut arena = Arena::with_first_generation(Generation::LAST);
    /// drop(arena.insert(1)); // the slot's last generation
    /// assert_eq!(arena.end_frame().slots_retired, 1);
    /// assert_eq!(arena.retired_slots(), 1);
    /// ```
    pub fn retired_slots(&self) -> usize {
        self.retired
    }

    /// The slot limit this arena was created with.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// assert_eq!(Arena::<u8>::with_slot_limit(64).slot_limit(), 64);
    /// assert_eq!(Arena::<u8>::new().slot_limit(), weakarena_core::MAX_SLOTS);
    /// ```
    pub fn slot_limit(&self) -> u32 {
        self.slot_limit
    }

    /// Frames ended so far.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena: Arena<u8> = Arena::new();
    /// assert_eq!(arena.frame(), 0);
    /// let report = arena.end_frame();
    /// assert_eq!((report.frame, arena.frame()), (0, 1));
    /// ```
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Whether objects died (or were [killed](Arena::kill)) since the last frame end.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// drop(arena.insert(1));
    /// assert!(arena.has_pending_deaths());
    /// arena.end_frame();
    /// assert!(!arena.has_pending_deaths());
    /// ```
    pub fn has_pending_deaths(&self) -> bool {
        self.slot_table().has_dead() || self.kills.is_pending()
    }

    /// Live objects with their handles, in slot order
    /// ([`par_iter`](Arena::par_iter) for a parallel iterator).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let entries: Vec<_> = arena.iter().collect();
    /// assert_eq!(entries, [(a.downgrade(), &1), (b.downgrade(), &2)]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(self)
    }

    /// Live objects with their handles, mutably, in slot order.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// for (_, value) in arena.iter_mut() {
    ///     *value *= 10;
    /// }
    /// assert_eq!((arena[&a], arena[&b]), (10, 20));
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        IterMut::new(self)
    }

    /// The live object in slot `index`, with its handle.
    #[inline]
    pub(crate) fn live_entry(&self, index: u32) -> Option<(Weak<T>, &T)> {
        let (raw, slot) = self.live_slot(index)?;
        // SAFETY: live, so it holds a value; shared borrow of `self`.
        Some((Weak::from_raw(raw), unsafe { self.slots.value(slot) }))
    }

    /// The live object in slot `index`, with its handle, mutably.
    ///
    /// # Safety
    ///
    /// The caller holds `&mut` of the arena for the result's lifetime and
    /// asks for each index at most once during it.
    #[inline]
    #[allow(clippy::mut_from_ref, reason = "exclusivity is the caller's contract")]
    pub(crate) unsafe fn live_entry_mut(&self, index: u32) -> Option<(Weak<T>, &mut T)> {
        let (raw, slot) = self.live_slot(index)?;
        // SAFETY: live, so it holds a value; exclusive by the caller's contract.
        Some((Weak::from_raw(raw), unsafe { self.slots.value_mut(slot) }))
    }

    /// The handle and slot of the live object in slot `index`.
    #[inline]
    fn live_slot(&self, index: u32) -> Option<(RawHandle, &Slot<T>)> {
        let slot = self.slots.slot(index)?;
        let word = slot.word.load(Ordering::Acquire);
        if !count_word::is_live(word) {
            return None;
        }
        Some((RawHandle::new(index, Generation::new(count_word::generation_bits(word))?), slot))
    }

    /// Slots allocated, as the `u32` indices run.
    #[cfg(feature = "parallel")]
    pub(crate) fn slot_len(&self) -> u32 {
        self.slots.len()
    }

    pub(crate) fn take_value(&mut self, index: u32) -> Option<T> {
        self.slots.take(index)
    }

    /// Gives a reclaimed slot its next generation, or retires it.
    #[inline]
    pub(crate) fn recycle_slot(&mut self, handle: RawHandle) -> bool {
        match handle.generation().next() {
            Some(next) => {
                let (word, side) = self.words(handle.index());
                SlotTable::vacate(word, side, next);
                self.free.push(handle.index());
                false
            }
            None => {
                self.retired += 1;
                true
            }
        }
    }

    pub(crate) fn mark_shut_down(&mut self) -> bool {
        std::mem::replace(&mut self.shut_down, true)
    }
}

/// Whether `slot`'s word holds `raw`'s generation, alive.
#[inline]
fn is_live_in<T>(slot: &Slot<T>, raw: RawHandle) -> bool {
    count_word::is_live_as(slot.word.load(Ordering::Acquire), raw.generation().get())
}

/// The strong count of `raw`'s object in `slot` (0 if dead or replaced).
#[inline]
fn live_count_in<T>(slot: &Slot<T>, raw: RawHandle) -> u32 {
    count_word::live_count(slot.word.load(Ordering::Acquire), raw.generation().get())
}

impl<T, H: ArenaHandle<T>> Index<H> for Arena<T> {
    type Output = T;

    /// # Panics
    ///
    /// If the object is dead or the handle belongs to another arena.
    #[track_caller]
    fn index(&self, handle: H) -> &T {
        match self.try_get(&handle) {
            Ok(value) => value,
            Err(err) => panic!("weakarena: {err} ({:?})", handle.raw_handle()),
        }
    }
}

impl<T, H: ArenaHandle<T>> IndexMut<H> for Arena<T> {
    /// # Panics
    ///
    /// If the object is dead or the handle belongs to another arena.
    #[track_caller]
    fn index_mut(&mut self, handle: H) -> &mut T {
        if let Err(err) = self.locate(&handle) {
            panic!("weakarena: {err} ({:?})", handle.raw_handle());
        }
        self.get_mut(handle).expect("a located object has a value")
    }
}

/// What save and load (`core/src/save/`) read and rebuild besides the slots.
#[cfg(feature = "serde")]
impl<T> Arena<T> {
    pub(crate) fn slots_ref(&self) -> &Slots<T> {
        &self.slots
    }

    pub(crate) fn slots_mut(&mut self) -> &mut Slots<T> {
        &mut self.slots
    }

    pub(crate) fn bookkeeping(&self) -> crate::save::Bookkeeping {
        crate::save::Bookkeeping {
            free: self.free.clone(),
            retired: self.retired,
            first_generation: self.first_generation,
            slot_limit: self.slot_limit,
            frame: self.frame,
        }
    }

    pub(crate) fn set_bookkeeping(&mut self, kept: crate::save::Bookkeeping) {
        self.free = kept.free;
        self.retired = kept.retired;
        self.first_generation = kept.first_generation;
        self.slot_limit = kept.slot_limit;
        self.frame = kept.frame;
        self.slot_table().set_frames_ended(kept.frame);
    }
}
