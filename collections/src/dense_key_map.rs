//! `WeakKeyMap`: Python's `WeakKeyDictionary`, stored densely by slot.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use weakarena_core::{
    AccessError, Arena, ArenaHandle, ArenaId, FrameReport, Generation, RawHandle, SlotTable, Strong, Weak,
};

use crate::caught_drops::CaughtDrops;
use crate::error::InsertError;
use crate::key_check::live_handle;
use crate::sweep::{run_sweep, Clock, Sweep, SweepCursor, SweepMode, SweepStats};

/// One slot's entry: the generation of the key it belongs to, and the value.
struct Slot<V> {
    generation: Generation,
    value: V,
}

/// A map whose keys are objects of one [`Arena`], held weakly and compared
/// by identity; values are owned. Python's `WeakKeyDictionary`, shaped like
/// slotmap's `SecondaryMap`: the map to reach for first, for per-object data
/// beside an arena.
///
/// Entries are indexed by their key's slot and tagged with its generation,
/// so [`get`](WeakKeyMap::get) is an index, a generation check and the
/// liveness check, with no hashing, and a sweep takes the dead slots'
/// entries straight from the report's death list: its cost follows the
/// deaths. Memory follows the arena's slot count (one `Option<(generation,
/// V)>` per slot up to the highest key's), not the entry count: for a few
/// keys of a large arena use [`SparseWeakKeyMap`](crate::SparseWeakKeyMap).
/// Iteration is in slot order.
///
/// A key whose object dies is gone from the map at once for every lookup
/// and iteration; its entry's memory (and value) is reclaimed by the next
/// [`sweep`](Sweep::sweep) with the frame's report (or within the frame end,
/// with [`end_frame_all`](crate::end_frame_all)). Each entry counts in its
/// key's [`weak_count`](Arena::weak_count), as CPython counts dictionary
/// entries. [`len`](WeakKeyMap::len) counts stored entries: exact after each
/// frame's sweep. [`live_len`](WeakKeyMap::live_len) counts live keys at any
/// time.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::{Sweep, WeakKeyMap};
///
/// let mut agents = Arena::new();
/// let mut kills = WeakKeyMap::new(&agents);
/// let wolf = agents.insert("wolf");
/// kills.insert(&wolf, 0u32);
/// *kills.get_mut(&wolf).unwrap() += 1;
/// assert_eq!(kills.get(&wolf), Some(&1));
///
/// let handle = wolf.downgrade();
/// drop(wolf);
/// assert_eq!(kills.get(handle), None); // gone before any sweep
/// assert_eq!(kills.len(), 1);          // still stored
/// let report = agents.end_frame();
/// kills.sweep(&report);
/// assert_eq!(kills.len(), 0);
/// ```
pub struct WeakKeyMap<T, V> {
    table: Arc<SlotTable>,
    slots: Vec<Option<Slot<V>>>,
    len: usize,
    cursor: SweepCursor,
    _keys: PhantomData<fn() -> T>,
}

impl<T, V> WeakKeyMap<T, V> {
    /// An empty map for keys of `arena`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakKeyMap<u8, &str> = WeakKeyMap::new(&arena);
    /// assert!(map.is_empty() && map.arena() == arena.id());
    /// ```
    #[must_use]
    pub fn new(arena: &Arena<T>) -> WeakKeyMap<T, V> {
        WeakKeyMap::on_table(Arc::clone(arena.slot_table()), SweepCursor::new(arena.id(), arena.frame()))
    }

    /// The arena whose objects are the keys.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakKeyMap<u8, ()> = WeakKeyMap::new(&arena);
    /// assert_eq!(map.arena(), arena.id());
    /// ```
    pub fn arena(&self) -> ArenaId {
        self.table.id()
    }

    /// A map of `entries` for keys of `arena`; dead or foreign keys are skipped.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let gone = b.downgrade();
    /// drop(b);
    /// let map = WeakKeyMap::from_iter_in(&arena, [(a.downgrade(), "a"), (gone, "b")]);
    /// assert_eq!(map.len(), 1); // the dead key was skipped
    /// ```
    #[must_use]
    pub fn from_iter_in<H, I>(arena: &Arena<T>, entries: I) -> WeakKeyMap<T, V>
    where
        H: ArenaHandle<T>,
        I: IntoIterator<Item = (H, V)>,
    {
        let mut map = WeakKeyMap::new(arena);
        for (key, value) in entries {
            let _refused = map.try_insert(key, value);
        }
        map
    }

    /// Stores `value` under `key`, returning the value it replaces. A dead
    /// key, or one of another arena, is refused and `value` comes back;
    /// [`insert`](Self::insert) takes a `Strong` and needs no `unwrap`.
    ///
    /// ```
    /// # use weakarena_core::{AccessError, Arena};
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let weak = a.downgrade();
    /// let mut hp = WeakKeyMap::new(&arena);
    /// assert_eq!(hp.try_insert(weak, 10).unwrap(), None);
    /// drop(a);
    /// let refused = hp.try_insert(weak, 7).unwrap_err();
    /// assert_eq!(refused.value, 7);
    /// assert!(matches!(refused.error, AccessError::Dead(_)));
    /// ```
    pub fn try_insert(&mut self, key: impl ArenaHandle<T>, value: V) -> Result<Option<V>, InsertError<V>> {
        let raw = match live_handle(&self.table, &key) {
            Ok(raw) => raw,
            Err(error) => return Err(InsertError { value, error }),
        };
        let index = raw.index() as usize;
        if self.slots.len() <= index {
            self.slots.resize_with(index + 1, || None);
        }
        let slot = Slot { generation: raw.generation(), value };
        match self.slots[index].replace(slot) {
            Some(old) if old.generation == raw.generation() => Ok(Some(old.value)),
            stale => {
                // A stale entry (its key died, not yet swept) is overwritten.
                self.len += usize::from(stale.is_none());
                self.table.add_membership(raw);
                Ok(None)
            }
        }
    }

    /// The value under `key`, inserting `default()` first if there is none
    /// (Python's `setdefault`). A dead key, or one of another arena, is an
    /// error; [`get_or_insert_with`](Self::get_or_insert_with) takes a
    /// `Strong` and needs no `unwrap`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let mut tags: WeakKeyMap<_, Vec<&str>> = WeakKeyMap::new(&arena);
    /// let a = arena.insert(1);
    /// let weak = a.downgrade();
    /// tags.try_get_or_insert_with(weak, Vec::new).unwrap().push("hot");
    /// drop(a);
    /// assert!(tags.try_get_or_insert_with(weak, Vec::new).is_err());
    /// ```
    pub fn try_get_or_insert_with(
        &mut self,
        key: impl ArenaHandle<T>,
        default: impl FnOnce() -> V,
    ) -> Result<&mut V, AccessError> {
        let raw = live_handle(&self.table, &key)?;
        if self.get(raw_key(raw)).is_none() {
            let _replaced = self.try_insert(raw_key::<T>(raw), default());
        }
        Ok(&mut self.slots[raw.index() as usize].as_mut().expect("inserted above").value)
    }

    /// The stored entry of `raw`'s object, alive or not yet swept.
    fn slot(&self, raw: RawHandle) -> Option<&Slot<V>> {
        let slot = self.slots.get(raw.index() as usize)?.as_ref()?;
        (slot.generation == raw.generation()).then_some(slot)
    }

    /// `key` as a raw handle, if it is of this map's arena.
    fn own(&self, key: &impl ArenaHandle<T>) -> Option<RawHandle> {
        match key.arena_id() {
            Some(arena) if arena != self.table.id() => None,
            _ => Some(key.raw_handle()),
        }
    }

    /// The value under `key`, if its object is alive.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert("a");
    /// let hp = WeakKeyMap::from_iter_in(&arena, [(&a, 10)]);
    /// assert_eq!(hp.get(&a), Some(&10));
    /// let weak = a.downgrade();
    /// drop(a);
    /// assert_eq!(hp.get(weak), None);
    /// ```
    #[inline]
    pub fn get(&self, key: impl ArenaHandle<T>) -> Option<&V> {
        let raw = self.own(&key)?;
        let slot = self.slot(raw)?;
        self.table.is_alive(raw).then_some(&slot.value)
    }

    /// The value under `key`, mutably, if its object is alive.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert("a");
    /// let mut hp = WeakKeyMap::from_iter_in(&arena, [(&a, 10)]);
    /// *hp.get_mut(&a).unwrap() -= 4;
    /// assert_eq!(hp[&a], 6);
    /// ```
    pub fn get_mut(&mut self, key: impl ArenaHandle<T>) -> Option<&mut V> {
        let raw = self.own(&key)?;
        if !self.table.is_alive(raw) {
            return None;
        }
        let slot = self.slots.get_mut(raw.index() as usize)?.as_mut()?;
        (slot.generation == raw.generation()).then_some(&mut slot.value)
    }

    /// Whether `key`'s object is alive and has an entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let map = WeakKeyMap::from_iter_in(&arena, [(&a, ())]);
    /// assert!(map.contains_key(&a) && !map.contains_key(&b));
    /// ```
    pub fn contains_key(&self, key: impl ArenaHandle<T>) -> bool {
        self.get(key).is_some()
    }

    /// Removes `key`'s entry, returning its value if the key was alive
    /// (Python's `pop` and `del`). A dead key's entry is dropped, and `None`
    /// returned.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// assert_eq!(map.remove(&a), Some("a"));
    /// assert_eq!(map.remove(&a), None);
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[doc(alias = "pop")]
    pub fn remove(&mut self, key: impl ArenaHandle<T>) -> Option<V> {
        let raw = self.own(&key)?;
        self.slot(raw)?;
        let value = self.take(raw.index() as usize)?;
        if self.table.is_alive(raw) {
            self.table.remove_membership(raw);
            Some(value)
        } else {
            None
        }
    }

    /// Takes slot `index`'s entry out, whatever its generation.
    fn take(&mut self, index: usize) -> Option<V> {
        let slot = self.slots.get_mut(index)?.take()?;
        self.len -= 1;
        Some(slot.value)
    }

    /// Removes and returns the live entry in the highest slot, with its key
    /// as a strong handle (Python's `popitem`); dead entries met on the way
    /// are dropped.
    ///
    /// # Panics
    ///
    /// If the key's strong count is at its limit (2^28), so no strong
    /// handle can be made; the entry stays in the map.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut map = WeakKeyMap::from_iter_in(&arena, [(&a, "a"), (&b, "b")]);
    /// assert_eq!(map.pop_item(), Some((b, "b"))); // the highest slot first
    /// assert_eq!(map.pop_item(), Some((a, "a")));
    /// assert_eq!(map.pop_item(), None);
    /// ```
    #[doc(alias = "popitem")]
    pub fn pop_item(&mut self) -> Option<(Strong<T>, V)> {
        while let Some(last) = self.slots.last() {
            let Some(slot) = last else {
                self.slots.pop();
                continue;
            };
            let raw = RawHandle::new((self.slots.len() - 1) as u32, slot.generation);
            // Upgrade first: at the count limit this panics with the entry
            // still stored.
            let key = self.table.upgrade(Weak::<T>::from_raw(raw));
            let value = self.take(raw.index() as usize)?;
            self.slots.pop();
            if let Some(key) = key {
                self.table.remove_membership(raw);
                return Some((key, value));
            }
        }
        None
    }

    /// Stored entries: exact after the frame's sweep (see the type docs).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakKeyMap::from_iter_in(&arena, [(&a, ())]);
    /// drop(a);
    /// assert_eq!((map.len(), map.live_len()), (1, 0)); // stored until the sweep
    /// weakarena_collections::sweep_all(&[arena.end_frame()], &mut [&mut map]);
    /// assert_eq!(map.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no entry is stored.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let mut map = WeakKeyMap::new(&arena);
    /// assert!(map.is_empty());
    /// let a = arena.insert(1);
    /// map.insert(&a, ());
    /// assert!(!map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries whose key is alive right now (walks the map).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let map = WeakKeyMap::from_iter_in(&arena, [(&a, ()), (&b, ())]);
    /// drop(b);
    /// assert_eq!((map.len(), map.live_len()), (2, 1));
    /// ```
    pub fn live_len(&self) -> usize {
        self.iter().count()
    }

    /// Removes every entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// map.clear();
    /// assert!(map.is_empty());
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    ///
    /// # Panics
    ///
    /// Resumes the first panic of a value's `Drop`, once every entry is
    /// gone (the map is empty; the other values were all dropped).
    pub fn clear(&mut self) {
        let table = &self.table;
        let mut drops = CaughtDrops::default();
        self.len = 0;
        for (index, slot) in std::mem::take(&mut self.slots).into_iter().enumerate() {
            if let Some(slot) = slot {
                table.remove_membership(RawHandle::new(index as u32, slot.generation));
                drops.drop(slot);
            }
        }
        drops.resume();
    }

    /// Every stored entry, dead or alive, with its key's handle.
    fn stored(&self) -> impl Iterator<Item = (RawHandle, &V)> + '_ {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            slot.as_ref().map(|slot| (RawHandle::new(index as u32, slot.generation), &slot.value))
        })
    }

    /// Live entries, in slot order. Objects that die during the iteration
    /// (on other threads) are skipped from then on.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let map = WeakKeyMap::from_iter_in(&arena, [(&b, 2), (&a, 1)]);
    /// let entries: Vec<_> = map.iter().collect();
    /// assert_eq!(entries, [(a.downgrade(), &1), (b.downgrade(), &2)]); // slot order
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Weak<T>, &V)> + '_ {
        let table = &self.table;
        self.stored()
            .filter(move |(raw, _)| table.is_alive(*raw))
            .map(|(raw, value)| (Weak::from_raw(raw), value))
    }

    /// Live entries with mutable values, in slot order.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let mut hp = WeakKeyMap::from_iter_in(&arena, [(&a, 1), (&b, 2)]);
    /// for (_, value) in hp.iter_mut() {
    ///     *value *= 10;
    /// }
    /// assert_eq!((hp[&a], hp[&b]), (10, 20));
    /// ```
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Weak<T>, &mut V)> + '_ {
        let table = &self.table;
        self.slots.iter_mut().enumerate().filter_map(move |(index, slot)| {
            let slot = slot.as_mut()?;
            let raw = RawHandle::new(index as u32, slot.generation);
            table.is_alive(raw).then(|| (Weak::from_raw(raw), &mut slot.value))
        })
    }

    /// Keeps the live entries for which `keep` returns `true`; drops the
    /// rest and every dead entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut hp = WeakKeyMap::from_iter_in(&arena, [(&a, 0), (&b, 5)]);
    /// hp.retain(|_, value| *value > 0);
    /// assert_eq!((hp.get(&a), hp.get(&b)), (None, Some(&5)));
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(Weak<T>, &mut V) -> bool) {
        let table = Arc::clone(&self.table);
        self.retain_slots(|raw, value| {
            if !table.is_alive(raw) {
                return false;
            }
            let kept = keep(Weak::from_raw(raw), value);
            if !kept {
                table.remove_membership(raw);
            }
            kept
        });
    }

    /// Keeps the stored entries, dead or alive, that `keep` accepts.
    fn retain_slots(&mut self, mut keep: impl FnMut(RawHandle, &mut V) -> bool) {
        for (index, entry) in self.slots.iter_mut().enumerate() {
            let kept = match entry {
                Some(slot) => keep(RawHandle::new(index as u32, slot.generation), &mut slot.value),
                None => continue,
            };
            if !kept {
                self.len -= 1;
                // Out of the slot first: a panicking `Drop` leaves it empty.
                drop(entry.take());
            }
        }
    }
}

impl<T, V: Send> WeakKeyMap<T, V> {
    /// Removes the entries of `deaths` whose generation matches: cost
    /// follows the deaths. Many deaths are split over rayon's threads by
    /// slot range ([`PARALLEL_DEATHS`](crate::sweep_all::PARALLEL_DEATHS)).
    fn sweep_deaths(&mut self, deaths: &[RawHandle]) {
        #[cfg(feature = "parallel")]
        if deaths.len() >= crate::sweep_all::PARALLEL_DEATHS && rayon::current_num_threads() > 1 {
            self.len -= par_take_deaths(&mut self.slots, deaths);
            return;
        }
        self.len -= take_deaths(&mut self.slots, 0, deaths);
    }
}

/// Takes the entries of `deaths` (those with slots in `slots`, the slots
/// from `first` on) whose generation matches; returns how many went.
fn take_deaths<V>(slots: &mut [Option<Slot<V>>], first: usize, deaths: &[RawHandle]) -> usize {
    let mut taken = 0;
    for death in deaths {
        let Some(entry) = (death.index() as usize).checked_sub(first).and_then(|at| slots.get_mut(at)) else {
            continue;
        };
        if entry.as_ref().is_some_and(|slot| slot.generation == death.generation()) {
            taken += 1;
            // Out of the slot first: a panicking `Drop` leaves it empty.
            drop(entry.take());
        }
    }
    taken
}

/// [`take_deaths`] with the slots split into one range per rayon thread;
/// each thread reads the whole death list and takes the deaths of its range.
#[cfg(feature = "parallel")]
fn par_take_deaths<V: Send>(slots: &mut [Option<Slot<V>>], deaths: &[RawHandle]) -> usize {
    use rayon::prelude::*;
    let range = slots.len().div_ceil(rayon::current_num_threads()).max(1);
    slots
        .par_chunks_mut(range)
        .enumerate()
        .map(|(part, slots)| take_deaths(slots, part * range, deaths))
        .sum()
}

/// A raw handle as a key.
fn raw_key<T>(raw: RawHandle) -> Weak<T> {
    Weak::from_raw(raw)
}

impl<T, V: Send> Sweep for WeakKeyMap<T, V> {
    fn arena_id(&self) -> ArenaId {
        self.cursor.arena()
    }

    /// Takes each death's entry by index, checking its generation (no
    /// streaming pass is ever needed: a slot's new occupant has another
    /// generation); a map that missed frames checks every entry.
    fn sweep(&mut self, report: &FrameReport) -> SweepStats {
        self.sweep_with(report, Clock::Read)
    }

    fn sweep_untimed(&mut self, report: &FrameReport) -> SweepStats {
        self.sweep_with(report, Clock::Skip)
    }
}

impl<T, V: Send> WeakKeyMap<T, V> {
    /// [`Sweep::sweep`], timed or not.
    pub(crate) fn sweep_with(&mut self, report: &FrameReport, clock: Clock) -> SweepStats {
        let mut cursor = self.cursor.clone();
        let table = Arc::clone(&self.table);
        let stats = run_sweep(clock, &mut cursor, report, self, WeakKeyMap::len, |map, mode| match mode {
            SweepMode::Skipped => {}
            SweepMode::Deaths | SweepMode::Stream => map.sweep_deaths(&report.deaths),
            SweepMode::Full => {
                map.retain_slots(|raw, _| table.is_alive(raw));
                // After a panic in a parallel pass, whose removals went uncounted.
                map.len = map.slots.iter().flatten().count();
            }
        });
        self.cursor = cursor;
        SweepStats {
            mode: if stats.mode == SweepMode::Stream { SweepMode::Deaths } else { stats.mode },
            ..stats
        }
    }
}

impl<T, V> Drop for WeakKeyMap<T, V> {
    /// Takes back every entry's count in its key's `weak_count`.
    fn drop(&mut self) {
        self.clear();
    }
}

impl<T, V: fmt::Debug> fmt::Debug for WeakKeyMap<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T, V> WeakKeyMap<T, V> {
    /// An empty map on `table`, not yet bound when `table` is the unbound one.
    pub(crate) fn on_table(table: Arc<SlotTable>, cursor: SweepCursor) -> WeakKeyMap<T, V> {
        WeakKeyMap { table, slots: Vec::new(), len: 0, cursor, _keys: PhantomData }
    }

    /// An empty map over the same arena as `self`.
    pub(crate) fn empty_like(&self) -> WeakKeyMap<T, V> {
        WeakKeyMap::on_table(Arc::clone(&self.table), self.cursor.clone())
    }

    /// Removes every entry, handing each live one to `each`, in slot order.
    pub(crate) fn drain_live(&mut self, mut each: impl FnMut(Weak<T>, V)) {
        self.len = 0;
        for (index, slot) in std::mem::take(&mut self.slots).into_iter().enumerate() {
            let Some(Slot { generation, value }) = slot else { continue };
            let raw = RawHandle::new(index as u32, generation);
            if self.table.is_alive(raw) {
                self.table.remove_membership(raw);
                each(Weak::from_raw(raw), value);
            }
        }
    }

    /// Binds a map made by `Default` to `key`'s arena.
    pub(crate) fn bind_to(&mut self, key: &Strong<T>) {
        crate::unbound::bind(&mut self.table, &mut self.cursor, key);
    }

    /// The side table of the keys' arena.
    pub(crate) fn slot_table(&self) -> &Arc<SlotTable> {
        &self.table
    }

    /// Keeps the entries, dead or alive, whose handle `keep` accepts; the
    /// memberships are the caller's business.
    pub(crate) fn retain_raw(&mut self, mut keep: impl FnMut(RawHandle) -> bool) {
        self.retain_slots(|raw, _| keep(raw));
    }
}

/// An empty map for a table, for load (`collections/src/save.rs`).
#[cfg(feature = "serde")]
impl<T, V> WeakKeyMap<T, V> {
    pub(crate) fn for_table(table: Arc<SlotTable>, next_frame: u64) -> WeakKeyMap<T, V> {
        let cursor = SweepCursor::new(table.id(), next_frame);
        WeakKeyMap { table, slots: Vec::new(), len: 0, cursor, _keys: PhantomData }
    }
}

#[cfg(all(test, feature = "parallel", not(miri)))]
mod tests {
    use weakarena_core::Arena;

    use super::WeakKeyMap;
    use crate::sweep::Sweep;
    use crate::sweep_all::PARALLEL_DEATHS;

    #[test]
    fn a_sweep_split_over_threads_takes_exactly_the_dead_entries() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let mut arena = Arena::new();
        let mut map = WeakKeyMap::new(&arena);
        let objects = PARALLEL_DEATHS * 2 + 7;
        let mut keys: Vec<_> = (0..objects).map(|i| arena.insert(i)).collect();
        for key in &keys {
            map.insert(key, arena[key]);
        }
        // Every third object survives: deaths spread over every thread's range.
        let survivors: Vec<_> =
            keys.drain(..).enumerate().filter(|(i, _)| i % 3 == 0).map(|(_, k)| k).collect();
        let report = arena.end_frame();
        assert!(report.deaths.len() >= PARALLEL_DEATHS);
        let stats = pool.install(|| map.sweep(&report));
        assert_eq!(stats.removed, objects - survivors.len());
        assert_eq!(map.len(), survivors.len());
        assert!(survivors.iter().all(|key| map.get(key) == Some(&arena[key])));
    }
}
