//! `SparseWeakKeyMap`: Python's `WeakKeyDictionary`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use weakarena_core::{
    AccessError, Arena, ArenaHandle, ArenaId, FrameReport, RawHandle, SlotTable, Strong, Weak,
};

use crate::caught_drops::CaughtDrops;
use crate::error::InsertError;
use crate::handle_entries::HandleEntries;
use crate::key_check::live_handle;
use crate::key_map_entry::Entry;
use crate::sweep::{run_sweep, Clock, DeathFilter, ParitySets, Sweep, SweepCursor, SweepMode, SweepStats};

/// A map whose keys are objects of one [`Arena`], held weakly and compared
/// by identity; values are owned. Python's `WeakKeyDictionary`, hashed: for
/// a few keys of a large arena, as slotmap's `SparseSecondaryMap`. Memory
/// follows the entries; [`WeakKeyMap`](crate::WeakKeyMap), stored by slot,
/// is faster and the one to reach for first.
///
/// A key whose object dies is gone from the map at once for every lookup
/// and iteration; its entry's memory (and value) is reclaimed by the next
/// [`sweep`](Sweep::sweep) with the frame's report. Each entry counts in its
/// key's [`weak_count`](Arena::weak_count), as CPython counts dictionary
/// entries.
///
/// [`len`](SparseWeakKeyMap::len) counts stored entries: exact after each frame's
/// sweep; within a frame it still counts keys that died since the last
/// sweep. [`live_len`](SparseWeakKeyMap::live_len) counts live keys at any time.
///
/// Iteration is in insertion order, as in CPython's dictionaries: a new key
/// goes last, a replaced one keeps its place, and
/// [`pop_item`](SparseWeakKeyMap::pop_item) takes the newest.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::{Sweep, SparseWeakKeyMap};
///
/// let mut agents = Arena::new();
/// let mut kills = SparseWeakKeyMap::new(&agents);
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
pub struct SparseWeakKeyMap<T, V> {
    table: Arc<SlotTable>,
    entries: HandleEntries<V>,
    cursor: SweepCursor,
    _keys: PhantomData<fn() -> T>,
}

impl<T, V> SparseWeakKeyMap<T, V> {
    /// An empty map for keys of `arena`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: SparseWeakKeyMap<u8, &str> = SparseWeakKeyMap::new(&arena);
    /// assert!(map.is_empty() && map.arena() == arena.id());
    /// ```
    #[must_use]
    pub fn new(arena: &Arena<T>) -> SparseWeakKeyMap<T, V> {
        SparseWeakKeyMap {
            table: Arc::clone(arena.slot_table()),
            entries: HandleEntries::default(),
            cursor: SweepCursor::new(arena.id(), arena.frame()),
            _keys: PhantomData,
        }
    }

    /// An empty map over the same arena as `self`.
    pub(crate) fn empty_like(&self) -> SparseWeakKeyMap<T, V> {
        SparseWeakKeyMap {
            table: Arc::clone(&self.table),
            entries: HandleEntries::default(),
            cursor: self.cursor.clone(),
            _keys: PhantomData,
        }
    }

    /// Removes every entry, handing each live one to `each`.
    pub(crate) fn drain_live(&mut self, mut each: impl FnMut(Weak<T>, V)) {
        let table = &self.table;
        self.entries.drain(|raw, value| {
            if table.is_alive(raw) {
                table.remove_membership(raw);
                each(Weak::from_raw(raw), value);
            }
        });
    }

    /// An empty map on `table`, not yet bound when `table` is the unbound one.
    pub(crate) fn on_table(table: Arc<SlotTable>, cursor: SweepCursor) -> SparseWeakKeyMap<T, V> {
        SparseWeakKeyMap { table, entries: HandleEntries::default(), cursor, _keys: PhantomData }
    }

    /// Binds a map made by `Default` to `key`'s arena.
    pub(crate) fn bind_to(&mut self, key: &Strong<T>) {
        crate::unbound::bind(&mut self.table, &mut self.cursor, key);
    }

    /// The arena whose objects are the keys.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: SparseWeakKeyMap<u8, ()> = SparseWeakKeyMap::new(&arena);
    /// assert_eq!(map.arena(), arena.id());
    /// ```
    pub fn arena(&self) -> ArenaId {
        self.table.id()
    }

    /// The side table of the keys' arena.
    pub(crate) fn slot_table(&self) -> &Arc<SlotTable> {
        &self.table
    }

    /// Keeps the entries, dead or alive, whose handle `keep` accepts; the
    /// memberships are the caller's business.
    pub(crate) fn retain_raw(&mut self, mut keep: impl FnMut(RawHandle) -> bool) {
        self.entries.retain(|raw, _| keep(raw));
    }

    /// A map of `entries` for keys of `arena`; dead or foreign keys are skipped.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let gone = b.downgrade();
    /// drop(b);
    /// let map = SparseWeakKeyMap::from_iter_in(&arena, [(a.downgrade(), "a"), (gone, "b")]);
    /// assert_eq!(map.len(), 1); // the dead key was skipped
    /// ```
    #[must_use]
    pub fn from_iter_in<H, I>(arena: &Arena<T>, entries: I) -> SparseWeakKeyMap<T, V>
    where
        H: ArenaHandle<T>,
        I: IntoIterator<Item = (H, V)>,
    {
        let mut map = SparseWeakKeyMap::new(arena);
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
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert("a");
    /// let weak = a.downgrade();
    /// let mut hp = SparseWeakKeyMap::new(&arena);
    /// assert_eq!(hp.try_insert(weak, 10).ok(), Some(None));
    /// drop(a);
    /// let refused = hp.try_insert(weak, 20).unwrap_err();
    /// assert!(matches!(refused.error, AccessError::Dead(_)) && refused.value == 20);
    /// ```
    pub fn try_insert(&mut self, key: impl ArenaHandle<T>, value: V) -> Result<Option<V>, InsertError<V>> {
        match self.try_entry(key) {
            Ok(Entry::Occupied(mut entry)) => Ok(Some(entry.insert(value))),
            Ok(Entry::Vacant(entry)) => {
                entry.insert(value);
                Ok(None)
            }
            Err(error) => Err(InsertError { value, error }),
        }
    }

    /// The entry for any handle's `key`, or why there is none (the key is
    /// dead or of another arena); [`entry`](Self::entry) takes a `Strong`
    /// and needs no `unwrap`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let mut tags: SparseWeakKeyMap<_, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// let a = arena.insert(1);
    /// let weak = a.downgrade();
    /// tags.try_entry(weak).unwrap().or_default().push("hot");
    /// drop(a);
    /// assert!(tags.try_entry(weak).is_err());
    /// ```
    pub fn try_entry(&mut self, key: impl ArenaHandle<T>) -> Result<Entry<'_, T, V>, AccessError> {
        let raw = live_handle(&self.table, &key)?;
        Ok(Entry::new(self.entries.entry(raw), &self.table))
    }

    /// The value under `key`, if its object is alive.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// let weak = a.downgrade();
    /// assert_eq!(map.get(weak), Some(&"a"));
    /// drop(a);
    /// assert_eq!(map.get(weak), None); // dead at once, before any sweep
    /// ```
    pub fn get(&self, key: impl ArenaHandle<T>) -> Option<&V> {
        let raw = live_handle(&self.table, &key).ok()?;
        self.entries.get(raw)
    }

    /// The value under `key`, mutably, if its object is alive.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut hp = SparseWeakKeyMap::from_iter_in(&arena, [(&a, 10)]);
    /// *hp.get_mut(&a).unwrap() -= 4;
    /// assert_eq!(hp[&a], 6);
    /// ```
    pub fn get_mut(&mut self, key: impl ArenaHandle<T>) -> Option<&mut V> {
        let raw = live_handle(&self.table, &key).ok()?;
        self.entries.get_mut(raw)
    }

    /// Whether `key`'s object is alive and has an entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, ())]);
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
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// assert_eq!(map.remove(&a), Some("a"));
    /// assert_eq!(map.remove(&a), None);
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[doc(alias = "pop")]
    pub fn remove(&mut self, key: impl ArenaHandle<T>) -> Option<V> {
        let raw = key.raw_handle();
        if key.arena_id().is_some_and(|arena| arena != self.table.id()) {
            return None;
        }
        let value = self.entries.remove(raw)?;
        if self.table.is_alive(raw) {
            self.table.remove_membership(raw);
            Some(value)
        } else {
            None
        }
    }

    /// Removes and returns the newest live entry, with its key as a strong
    /// handle (Python's `popitem`, which takes the last inserted); dead
    /// entries met on the way are dropped.
    ///
    /// # Panics
    ///
    /// If the key's strong count is at its limit (2^28), so no strong
    /// handle can be made; the entry stays in the map.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// assert_eq!(map.pop_item(), Some((a, "a")));
    /// assert_eq!(map.pop_item(), None);
    /// ```
    #[doc(alias = "popitem")]
    pub fn pop_item(&mut self) -> Option<(Strong<T>, V)> {
        loop {
            let raw = self.entries.newest()?;
            // Upgrade first: at the count limit this panics with the entry
            // still stored.
            let key = self.table.upgrade(Weak::<T>::from_raw(raw));
            let value = self.entries.remove(raw)?;
            if let Some(key) = key {
                self.table.remove_membership(raw);
                return Some((key, value));
            }
        }
    }

    /// Stored entries: exact after the frame's sweep (see the type docs).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// drop(a);
    /// assert_eq!((map.len(), map.live_len()), (1, 0)); // stored until the sweep
    /// weakarena_collections::sweep_all(&[arena.end_frame()], &mut [&mut map]);
    /// assert_eq!(map.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is stored.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: SparseWeakKeyMap<u8, ()> = SparseWeakKeyMap::new(&arena);
    /// assert!(map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries whose key is alive right now (walks the map).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, ()), (&b, ())]);
    /// drop(b);
    /// assert_eq!(map.live_len(), 1);
    /// ```
    pub fn live_len(&self) -> usize {
        self.iter().count()
    }

    /// Removes every entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a")]);
    /// map.clear();
    /// assert!(map.is_empty() && arena.weak_count(&a) == 0);
    /// ```
    ///
    /// # Panics
    ///
    /// Resumes the first panic of a value's `Drop`, once every entry is
    /// gone (the map is empty; the other values were all dropped).
    pub fn clear(&mut self) {
        let table = &self.table;
        let mut drops = CaughtDrops::default();
        self.entries.drain(|raw, value| {
            table.remove_membership(raw);
            drops.drop(value);
        });
        drops.resume();
    }

    /// Live entries, in insertion order. Objects that die during the
    /// iteration (on other threads) are skipped from then on.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let map = SparseWeakKeyMap::from_iter_in(&arena, [(&a, "a"), (&b, "b")]);
    /// drop(a);
    /// assert_eq!(map.iter().collect::<Vec<_>>(), [(b.downgrade(), &"b")]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Weak<T>, &V)> + '_ {
        let table = &self.table;
        self.entries
            .iter()
            .filter(move |(raw, _)| table.is_alive(*raw))
            .map(|(raw, value)| (Weak::from_raw(raw), value))
    }

    /// Live entries with mutable values.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut hp = SparseWeakKeyMap::from_iter_in(&arena, [(&a, 1), (&b, 2)]);
    /// for (key, value) in hp.iter_mut() {
    ///     *value += arena[key];
    /// }
    /// assert_eq!((hp[&a], hp[&b]), (2, 4));
    /// ```
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Weak<T>, &mut V)> + '_ {
        let table = &self.table;
        self.entries
            .iter_mut()
            .filter(move |(raw, _)| table.is_alive(*raw))
            .map(|(raw, value)| (Weak::from_raw(raw), value))
    }

    /// Keeps the live entries for which `keep` returns `true`; drops the
    /// rest and every dead entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut hp = SparseWeakKeyMap::from_iter_in(&arena, [(&a, 0), (&b, 5)]);
    /// hp.retain(|_, value| *value > 0);
    /// assert!(!hp.contains_key(&a) && arena.weak_count(&a) == 0);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(Weak<T>, &mut V) -> bool) {
        let table = &self.table;
        self.entries.retain(|raw, value| {
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
}

impl<T, V: Send> Sweep for SparseWeakKeyMap<T, V> {
    fn arena_id(&self) -> ArenaId {
        self.cursor.arena()
    }

    fn sweep(&mut self, report: &FrameReport) -> SweepStats {
        self.sweep_with(report, Clock::Read)
    }

    fn sweep_untimed(&mut self, report: &FrameReport) -> SweepStats {
        self.sweep_with(report, Clock::Skip)
    }
}

impl<T, V: Send> SparseWeakKeyMap<T, V> {
    /// [`Sweep::sweep`], timed or not.
    pub(crate) fn sweep_with(&mut self, report: &FrameReport, clock: Clock) -> SweepStats {
        let mut cursor = self.cursor.clone();
        let table = Arc::clone(&self.table);
        let stats =
            run_sweep(clock, &mut cursor, report, &mut self.entries, HandleEntries::len, |shards, mode| {
                match mode {
                    SweepMode::Skipped => {}
                    SweepMode::Deaths => {
                        shards.sweep_deaths(&report.deaths);
                    }
                    SweepMode::Stream => {
                        shards.sweep_stream(&DeathFilter::new(report, &table, &mut ParitySets::default()));
                    }
                    SweepMode::Full => {
                        shards.sweep_full(&table);
                    }
                }
            });
        self.cursor = cursor;
        stats
    }
}

impl<T, V> Drop for SparseWeakKeyMap<T, V> {
    /// Takes back every entry's count in its key's `weak_count`.
    fn drop(&mut self) {
        self.clear();
    }
}

impl<T, V: fmt::Debug> fmt::Debug for SparseWeakKeyMap<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// An empty map for a table, for load (`collections/src/save.rs`).
#[cfg(feature = "serde")]
impl<T, V> SparseWeakKeyMap<T, V> {
    pub(crate) fn for_table(table: Arc<SlotTable>, next_frame: u64) -> SparseWeakKeyMap<T, V> {
        let cursor = SweepCursor::new(table.id(), next_frame);
        SparseWeakKeyMap { table, entries: HandleEntries::default(), cursor, _keys: PhantomData }
    }
}
