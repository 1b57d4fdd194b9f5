//! The typed generational arena.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

use crate::error::{AccessError, ArenaFull, CountOverflow, ReferenceError};
use crate::generation::Generation;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::ref_id::RefId;
use crate::registry::TrackedKind;
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
    table: Arc<SlotTable>,
    values: Vec<Option<T>>,
    free: Vec<u32>,
    retired: usize,
    first_generation: Generation,
    slot_limit: u32,
    pub(crate) frame: u64,
    shut_down: bool,
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

/// Upgrades `handle` in `table`, or `None` if its object is dead.
///
/// # Panics
///
/// If the strong count would overflow.
pub(crate) fn upgrade_in<T>(table: &Arc<SlotTable>, handle: RawHandle) -> Option<Strong<T>> {
    match table.try_upgrade(handle) {
        Ok(true) => Some(Strong::adopt_upgraded(table, handle)),
        Ok(false) => None,
        Err(overflow) => panic!("weakarena: {overflow} ({handle:?})"),
    }
}

impl<T> Arena<T> {
    /// An empty arena.
    pub fn new() -> Arena<T> {
        Arena::with_capacity(0)
    }

    /// An empty arena with room for `capacity` values before reallocating.
    pub fn with_capacity(capacity: usize) -> Arena<T> {
        Arena {
            table: Arc::new(SlotTable::new()),
            values: Vec::with_capacity(capacity),
            free: Vec::new(),
            retired: 0,
            first_generation: Generation::FIRST,
            slot_limit: MAX_SLOTS,
            frame: 0,
            shut_down: false,
        }
    }

    /// An arena that never uses more than `limit` slots: a fixed-budget pool.
    /// Inserting into a full one panics ([`insert`](Arena::insert)) or
    /// returns the value ([`try_insert`](Arena::try_insert)).
    pub fn with_slot_limit(limit: u32) -> Arena<T> {
        let mut arena = Arena::new();
        arena.slot_limit = limit;
        arena
    }

    /// An arena whose fresh slots start at generation `first` instead of
    /// [`Generation::FIRST`]: lets tests drive a slot to retirement quickly.
    pub fn with_first_generation(first: Generation) -> Arena<T> {
        let mut arena = Arena::new();
        arena.first_generation = first;
        arena
    }

    /// This arena's id.
    pub fn id(&self) -> ArenaId {
        self.table.id()
    }

    /// The side table of liveness and counts, shared with weak collections.
    pub fn slot_table(&self) -> &Arc<SlotTable> {
        &self.table
    }

    /// Puts `value` in a slot and returns its first strong handle.
    ///
    /// # Panics
    ///
    /// If every slot up to the slot limit is in use or retired.
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
    pub fn try_insert(&mut self, value: T) -> Result<Strong<T>, ArenaFull<T>> {
        let Some(index) = self.vacant_slot() else {
            return Err(ArenaFull { value, slot_limit: self.slot_limit });
        };
        let generation = self.table.generation_of(index).unwrap_or(self.first_generation);
        let raw = RawHandle::new(index, generation);
        self.values[index as usize] = Some(value);
        self.table.occupy(raw);
        Ok(Strong::first_of_object(&self.table, raw))
    }

    /// A reclaimed slot, or a brand-new one within the limit.
    fn vacant_slot(&mut self) -> Option<u32> {
        if let Some(index) = self.free.pop() {
            return Some(index);
        }
        let index = u32::try_from(self.values.len()).ok().filter(|&i| i < self.slot_limit)?;
        self.table.open_slot(index, self.first_generation);
        self.values.push(None);
        Some(index)
    }

    /// Where `handle`'s live object is, or why there is none.
    fn locate(&self, handle: &impl ArenaHandle<T>) -> Result<usize, AccessError> {
        if let Some(handle_arena) = handle.arena_id() {
            if handle_arena != self.id() {
                return Err(AccessError::WrongArena { arena: self.id(), handle_arena });
            }
        }
        let raw = handle.raw_handle();
        if self.table.is_alive(raw) {
            Ok(raw.index() as usize)
        } else {
            Err(AccessError::Dead(ReferenceError::new(raw)))
        }
    }

    /// The object `handle` names, or `None` if it is dead or `handle`
    /// belongs to another arena.
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
        let index = self.locate(&handle)?;
        self.values[index].as_ref().ok_or(AccessError::Dead(ReferenceError::new(handle.raw_handle())))
    }

    /// The object `handle` names, mutably; `None` if dead or foreign.
    #[inline]
    pub fn get_mut(&mut self, handle: impl ArenaHandle<T>) -> Option<&mut T> {
        let index = self.locate(&handle).ok()?;
        self.values[index].as_mut()
    }

    /// Whether `handle` names a live object of this arena.
    pub fn contains(&self, handle: impl ArenaHandle<T>) -> bool {
        self.locate(&handle).is_ok()
    }

    /// A new strong handle to the object, or `None` if it is dead or foreign.
    /// Never revives a dead object, even racing with its last drop.
    ///
    /// # Panics
    ///
    /// If the object's strong count would overflow; see [`try_upgrade`](Arena::try_upgrade).
    pub fn upgrade(&self, handle: impl ArenaHandle<T>) -> Option<Strong<T>> {
        self.locate(&handle).ok()?;
        upgrade_in(&self.table, handle.raw_handle())
    }

    /// Like [`upgrade`](Arena::upgrade), but reports count overflow as an error.
    pub fn try_upgrade(&self, handle: impl ArenaHandle<T>) -> Result<Option<Strong<T>>, CountOverflow> {
        if self.locate(&handle).is_err() {
            return Ok(None);
        }
        let raw = handle.raw_handle();
        Ok(self.table.try_upgrade(raw)?.then(|| Strong::adopt_upgraded(&self.table, raw)))
    }

    /// The object's strong count; 0 if it is dead or foreign.
    pub fn strong_count(&self, handle: impl ArenaHandle<T>) -> usize {
        match self.locate(&handle) {
            Ok(_) => self.table.strong_count(handle.raw_handle()),
            Err(_) => 0,
        }
    }

    /// Tracked references to the object — [`WeakRef`](crate::WeakRef)s,
    /// [`Proxy`](crate::Proxy)s, [`WeakMethod`](crate::WeakMethod)s, live
    /// [`Finalizer`](crate::Finalizer)s and weak-collection entries — as
    /// `weakref.getweakrefcount` counts them. Plain [`Weak`] handles are not
    /// counted. 0 if the object is dead or foreign.
    pub fn weak_count(&self, handle: impl ArenaHandle<T>) -> usize {
        self.weak_refs(handle).len()
    }

    /// The tracked references [`weak_count`](Arena::weak_count) counts, in
    /// registration order, weak-collection entries last
    /// (`weakref.getweakrefs`).
    pub fn weak_refs(&self, handle: impl ArenaHandle<T>) -> Vec<TrackedRef> {
        if self.locate(&handle).is_err() {
            return Vec::new();
        }
        let raw = handle.raw_handle();
        let records = self.table.registry.live_records(raw.index());
        let mut refs: Vec<TrackedRef> = records
            .iter()
            .map(|record| TrackedRef {
                kind: record.kind,
                has_callback: record.has_callback,
                id: Some(record.id()),
            })
            .collect();
        let membership = TrackedRef { kind: TrackedKind::Membership, has_callback: false, id: None };
        refs.extend(std::iter::repeat_n(membership, self.table.memberships(raw)));
        refs
    }

    /// Live objects.
    pub fn len(&self) -> usize {
        self.table.live_count()
    }

    /// Whether no object is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slots ever allocated (live, dead awaiting the frame end, vacant, retired).
    pub fn slot_count(&self) -> usize {
        self.values.len()
    }

    /// Slots retired because they used up every generation.
    pub fn retired_slots(&self) -> usize {
        self.retired
    }

    /// The slot limit this arena was created with.
    pub fn slot_limit(&self) -> u32 {
        self.slot_limit
    }

    /// Frames ended so far.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Whether objects died since the last frame end.
    pub fn has_pending_deaths(&self) -> bool {
        self.table.has_dead()
    }

    /// Live objects with their handles, in slot order
    /// ([`par_iter`](Arena::par_iter) for a parallel iterator).
    pub fn iter(&self) -> impl Iterator<Item = (Weak<T>, &T)> + '_ {
        let table = &self.table;
        self.values.iter().enumerate().filter_map(move |(index, value)| {
            let raw = table.live_handle(index as u32)?;
            Some((Weak::from_raw(raw), value.as_ref()?))
        })
    }

    /// Live objects with their handles, mutably, in slot order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Weak<T>, &mut T)> + '_ {
        let table = &self.table;
        self.values.iter_mut().enumerate().filter_map(move |(index, value)| {
            let raw = table.live_handle(index as u32)?;
            Some((Weak::from_raw(raw), value.as_mut()?))
        })
    }

    /// The value slots, index = slot (dead and vacant ones included).
    pub(crate) fn values(&self) -> &[Option<T>] {
        &self.values
    }

    /// The side table and the value slots, borrowed apart.
    pub(crate) fn table_and_values_mut(&mut self) -> (&SlotTable, &mut [Option<T>]) {
        (&self.table, &mut self.values)
    }

    pub(crate) fn take_value(&mut self, index: u32) -> Option<T> {
        self.values.get_mut(index as usize)?.take()
    }

    /// Gives a reclaimed slot its next generation, or retires it.
    pub(crate) fn recycle_slot(&mut self, handle: RawHandle) -> bool {
        match handle.generation().next() {
            Some(next) => {
                self.table.vacate(handle.index(), next);
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

impl<T, H: ArenaHandle<T>> Index<H> for Arena<T> {
    type Output = T;

    /// # Panics
    ///
    /// If the object is dead or the handle belongs to another arena.
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
    fn index_mut(&mut self, handle: H) -> &mut T {
        let raw = handle.raw_handle();
        match self.locate(&handle) {
            Ok(index) => self.values[index].as_mut().expect("a live object has a value"),
            Err(err) => panic!("weakarena: {err} ({raw:?})"),
        }
    }
}

impl<T> fmt::Debug for Arena<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("id", &self.id())
            .field("len", &self.len())
            .field("slots", &self.slot_count())
            .field("frame", &self.frame)
            .finish()
    }
}
