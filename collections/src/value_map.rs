//! `WeakValueMap`: Python's `WeakValueDictionary`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;
use std::sync::Arc;

use foldhash::fast::FixedState;

use weakarena_core::{Arena, ArenaHandle, ArenaId, FrameReport, RawHandle, SlotTable, Strong, Weak};

use crate::caught_drops::CaughtDrops;
use crate::error::InsertError;
use crate::key_check::live_handle;
use crate::ordered::Ordered;
use crate::sweep::{run_sweep, Clock, DeathFilter, ParitySets, Sweep, SweepCursor, SweepMode, SweepStats};
use crate::value_keys::ValueKeys;

/// A map from owned keys to objects of one [`Arena`], held weakly: Python's
/// `WeakValueDictionary`.
///
/// An entry vanishes from lookups and iteration the moment its object dies;
/// its memory goes at the next [`sweep`](Sweep::sweep), which finds a dead
/// object's keys through a reverse index, so its cost follows the deaths.
/// Replacing the object under a key unlinks the old one first, so the old
/// object's death never removes the new entry (CPython's bpo-28427).
/// Each entry counts in its object's [`weak_count`](Arena::weak_count).
///
/// `len` counts stored entries, exact after each frame's sweep, as for
/// [`SparseWeakKeyMap`](crate::SparseWeakKeyMap).
///
/// Iteration is in insertion order, as in CPython's dictionaries: a new key
/// goes last, a replaced one keeps its place, a removed and re-inserted
/// one goes last, and [`pop_item`](WeakValueMap::pop_item) takes the
/// newest. The default hasher is seeded the same on every run, so nothing
/// about a map differs between runs.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::WeakValueMap;
/// let mut agents = Arena::new();
/// let mut registry = WeakValueMap::new(&agents);
/// let wolf = agents.insert("wolf #1");
/// registry.insert("alpha", &wolf);
/// assert_eq!(registry.get("alpha").map(|w| agents[w]), Some("wolf #1"));
/// drop(wolf);
/// assert_eq!(registry.get("alpha"), None);
/// ```
pub struct WeakValueMap<K, T, S = FixedState> {
    table: Arc<SlotTable>,
    entries: Ordered<K, RawHandle, S>,
    keys_of: ValueKeys<K>,
    cursor: SweepCursor,
    _values: PhantomData<fn() -> T>,
}

impl<K: Hash + Eq + Clone, T> WeakValueMap<K, T> {
    /// An empty map for objects of `arena`, hashing keys with foldhash's
    /// `FixedState`: fast, and seeded the same on every run, so nothing
    /// about the map differs between runs. For keys an attacker chooses,
    /// give [`with_hasher`](WeakValueMap::with_hasher) a randomly seeded
    /// hasher (`std::collections::hash_map::RandomState`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakValueMap<&str, u8> = WeakValueMap::new(&arena);
    /// assert!(map.is_empty() && map.arena() == arena.id());
    /// ```
    #[must_use]
    pub fn new(arena: &Arena<T>) -> WeakValueMap<K, T> {
        WeakValueMap::with_hasher(arena, FixedState::default())
    }
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher> WeakValueMap<K, T, S> {
    /// An empty map for objects of `arena` whose keys hash with `hasher`.
    /// Give a fixed-seed hasher for an iteration order that is the same on
    /// every run (simulations that must replay exactly).
    ///
    /// ```
    /// use std::hash::BuildHasherDefault;
    /// use std::collections::hash_map::DefaultHasher;
    /// use weakarena_core::Arena;
    /// use weakarena_collections::WeakValueMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakValueMap<&str, u8, BuildHasherDefault<DefaultHasher>> =
    ///     WeakValueMap::with_hasher(&arena, BuildHasherDefault::default());
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn with_hasher(arena: &Arena<T>, hasher: S) -> WeakValueMap<K, T, S> {
        WeakValueMap {
            table: Arc::clone(arena.slot_table()),
            entries: Ordered::with_hasher(hasher),
            keys_of: ValueKeys::default(),
            cursor: SweepCursor::new(arena.id(), arena.frame()),
            _values: PhantomData,
        }
    }

    /// An empty map over the same arena as `self`, with a clone of its hasher.
    pub(crate) fn empty_like(&self) -> WeakValueMap<K, T, S>
    where
        S: Clone,
    {
        WeakValueMap {
            table: Arc::clone(&self.table),
            entries: Ordered::with_hasher(self.entries.hasher().clone()),
            keys_of: ValueKeys::default(),
            cursor: self.cursor.clone(),
            _values: PhantomData,
        }
    }

    /// Removes every entry, handing each live one to `each`; a panic of a
    /// key's drop (or in `each`) is resumed once all are gone.
    pub(crate) fn drain_live(&mut self, mut each: impl FnMut(K, Weak<T>)) {
        let table = &self.table;
        let mut drops = CaughtDrops::default();
        self.entries.drain_caught(&mut drops, |(key, raw)| {
            let alive = table.is_alive(raw);
            table.remove_membership(raw);
            if alive {
                each(key, Weak::from_raw(raw));
            }
        });
        self.keys_of.clear(&mut drops);
        drops.resume();
    }

    /// An empty map on `table`, not yet bound when `table` is the unbound one.
    pub(crate) fn on_table(table: Arc<SlotTable>, cursor: SweepCursor, hasher: S) -> WeakValueMap<K, T, S> {
        WeakValueMap {
            table,
            entries: Ordered::with_hasher(hasher),
            keys_of: ValueKeys::default(),
            cursor,
            _values: PhantomData,
        }
    }

    /// Binds a map made by `Default` to `object`'s arena.
    pub(crate) fn bind_to(&mut self, object: &Strong<T>) {
        crate::unbound::bind(&mut self.table, &mut self.cursor, object);
    }

    /// The arena whose objects are the values.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakValueMap<&str, u8> = WeakValueMap::new(&arena);
    /// assert_eq!(map.arena(), arena.id());
    /// ```
    pub fn arena(&self) -> ArenaId {
        self.table.id()
    }

    /// Stores `value` under `key`, returning the live object it replaces. A
    /// dead object, or one of another arena, is refused and `key` comes
    /// back; [`insert`](Self::insert) takes a `Strong` and needs no `unwrap`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let weak = a.downgrade();
    /// let mut names = WeakValueMap::new(&arena);
    /// assert_eq!(names.try_insert("a", weak).ok(), Some(None));
    /// drop(a);
    /// assert_eq!(names.try_insert("b", weak).unwrap_err().value, "b");
    /// ```
    pub fn try_insert(
        &mut self,
        key: K,
        value: impl ArenaHandle<T>,
    ) -> Result<Option<Weak<T>>, InsertError<K>> {
        let raw = match live_handle(&self.table, &value) {
            Ok(raw) => raw,
            Err(error) => return Err(InsertError { value: key, error }),
        };
        // A present key's spare copies are dropped: a panic of their `Drop`
        // is resumed once the map is consistent.
        let mut drops = CaughtDrops::default();
        let old = self.entries.insert_caught(key.clone(), raw, &mut drops);
        if old == Some(raw) {
            drops.drop(key);
        } else {
            if let Some(old) = old {
                let keys_of = &mut self.keys_of;
                drops.catch(|| keys_of.unlink(old, &key));
                self.table.remove_membership(old);
            }
            self.keys_of.link(raw, key);
            self.table.add_membership(raw);
        }
        drops.finish(Ok(old.filter(|&old| self.table.is_alive(old)).map(Weak::from_raw)))
    }

    /// The live object under `key`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert_eq!(map.get("a"), Some(a.downgrade()));
    /// drop(a);
    /// assert_eq!(map.get("a"), None);
    /// ```
    pub fn get<Q>(&self, key: &Q) -> Option<Weak<T>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let raw = *self.entries.get(key)?;
        self.table.is_alive(raw).then(|| Weak::from_raw(raw))
    }

    /// The live object under `key`, as a strong handle (Python's `d[key]`).
    ///
    /// # Panics
    ///
    /// If the object's strong count is at its limit (2^28).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// let held = map.upgrade("a").unwrap();
    /// drop(a);
    /// assert_eq!(arena[&held], 1); // `held` keeps it alive
    /// ```
    pub fn upgrade<Q>(&self, key: &Q) -> Option<Strong<T>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.table.upgrade(self.get(key)?)
    }

    /// Whether a live object is stored under `key`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert!(map.contains_key("a") && !map.contains_key("b"));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Removes `key`'s entry, returning its object if it was alive
    /// (Python's `pop` and `del`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert_eq!(map.remove("a"), Some(a.downgrade()));
    /// assert_eq!(map.remove("a"), None);
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[doc(alias = "pop")]
    pub fn remove<Q>(&mut self, key: &Q) -> Option<Weak<T>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut drops = CaughtDrops::default();
        let object = self.remove_caught(key, &mut drops);
        drops.finish(object)
    }

    /// [`remove`](WeakValueMap::remove), catching each panic of a key
    /// copy's drop in `drops`: the entry, its reverse-index link and its
    /// membership all go either way.
    pub(crate) fn remove_caught<Q>(&mut self, key: &Q, drops: &mut CaughtDrops) -> Option<Weak<T>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let (key, raw) = self.entries.remove_entry_caught(key, drops)?;
        let keys_of = &mut self.keys_of;
        drops.catch(|| keys_of.unlink(raw, &key));
        drops.drop(key);
        let alive = self.table.is_alive(raw);
        self.table.remove_membership(raw);
        alive.then(|| Weak::from_raw(raw))
    }

    /// Removes and returns the newest live entry, its object as a strong
    /// handle (Python's `popitem`, which takes the last inserted); dead
    /// entries met on the way are dropped.
    ///
    /// # Panics
    ///
    /// If the object's strong count is at its limit (2^28), so no strong
    /// handle can be made; the entry stays in the map.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert_eq!(map.pop_item(), Some(("a", a)));
    /// assert_eq!(map.pop_item(), None);
    /// ```
    #[doc(alias = "popitem")]
    pub fn pop_item(&mut self) -> Option<(K, Strong<T>)> {
        loop {
            let (key, &raw) = self.entries.last()?;
            let key = key.clone();
            // Upgrade first: at the count limit this panics with the entry
            // still stored.
            let object = self.table.upgrade(Weak::from_raw(raw));
            let mut drops = CaughtDrops::default();
            self.remove_caught(&key, &mut drops);
            match object {
                Some(object) => return drops.finish(Some((key, object))),
                None => drops.finish(key),
            };
        }
    }

    /// Stored entries: exact after the frame's sweep.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
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
    /// # use weakarena_collections::WeakValueMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let map: WeakValueMap<&str, u8> = WeakValueMap::new(&arena);
    /// assert!(map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries whose object is alive right now (walks the map).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut map = WeakValueMap::new(&arena);
    /// map.extend([("a", &a), ("b", &b)]);
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
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// map.clear();
    /// assert!(map.is_empty() && arena.weak_count(&a) == 0);
    /// ```
    ///
    /// # Panics
    ///
    /// Resumes the first panic of a key's `Drop`, once every entry is gone
    /// (the map is empty; the other keys were all dropped).
    pub fn clear(&mut self) {
        let table = &self.table;
        let mut drops = CaughtDrops::default();
        self.entries.drain_caught(&mut drops, |(_, raw)| table.remove_membership(raw));
        self.keys_of.clear(&mut drops);
        drops.resume();
    }

    /// Live entries, in insertion order (a replaced key keeps its place).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut map = WeakValueMap::new(&arena);
    /// map.extend([("a", &a), ("b", &b)]);
    /// drop(a);
    /// assert_eq!(map.iter().collect::<Vec<_>>(), [(&"b", b.downgrade())]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&K, Weak<T>)> + '_ {
        let table = &self.table;
        self.entries
            .iter()
            .filter(move |(_, &raw)| table.is_alive(raw))
            .map(|(key, &raw)| (key, Weak::from_raw(raw)))
    }

    /// Keys of live entries.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"a"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.iter().map(|(key, _)| key)
    }

    /// Live objects (one per entry).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.extend([("a", &a), ("alias", &a)]);
    /// assert!(map.values().all(|object| object == a.downgrade()));
    /// ```
    pub fn values(&self) -> impl Iterator<Item = Weak<T>> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// Weak handles of the live objects, collected (Python's `valuerefs()`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// assert_eq!(map.valuerefs(), [a.downgrade()]);
    /// ```
    pub fn valuerefs(&self) -> Vec<Weak<T>> {
        self.values().collect()
    }

    /// Keeps the live entries for which `keep` returns `true`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut map = WeakValueMap::new(&arena);
    /// map.extend([("a", &a), ("b", &b)]);
    /// map.retain(|_, object| arena[object] > 1);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&"b"]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&K, Weak<T>) -> bool) {
        let removed: Vec<K> = self
            .entries
            .iter()
            .filter(|(key, &raw)| !self.table.is_alive(raw) || !keep(key, Weak::from_raw(raw)))
            .map(|(key, _)| key.clone())
            .collect();
        let mut drops = CaughtDrops::default();
        for key in removed {
            self.remove_caught(&key, &mut drops);
            drops.drop(key);
        }
        drops.resume();
    }

    /// Removes the entries of objects in `deaths` through the reverse index.
    /// A panic of a key's drop is resumed once every death is swept.
    fn sweep_deaths(&mut self, deaths: &[RawHandle]) {
        let entries = &mut self.entries;
        let mut drops = CaughtDrops::default();
        for &dead in deaths {
            self.keys_of.take(dead, |key| {
                let removed = entries.remove_if(&key, &mut drops, |raw| *raw == dead);
                drops.drop(removed);
                drops.drop(key);
            });
        }
        entries.tidy();
        drops.resume();
    }

    /// Removes every entry whose object `is_dead` says is dead; a panic of
    /// a key's drop is resumed once all are gone.
    fn sweep_where(&mut self, is_dead: impl Fn(RawHandle) -> bool) {
        let mut drops = CaughtDrops::default();
        self.entries.retain_caught(&mut drops, |_, raw| !is_dead(*raw));
        self.keys_of.retain(&mut drops, |raw| !is_dead(raw));
        drops.resume();
    }
}

impl<K: Hash + Eq + Clone + Send, T, S: BuildHasher + Send> Sweep for WeakValueMap<K, T, S> {
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

impl<K: Hash + Eq + Clone + Send, T, S: BuildHasher + Send> WeakValueMap<K, T, S> {
    /// [`Sweep::sweep`], timed or not.
    fn sweep_with(&mut self, report: &FrameReport, clock: Clock) -> SweepStats {
        let mut cursor = self.cursor.clone();
        let table = Arc::clone(&self.table);
        let stats = run_sweep(clock, &mut cursor, report, self, WeakValueMap::len, |map, mode| match mode {
            SweepMode::Skipped => {}
            SweepMode::Deaths => map.sweep_deaths(&report.deaths),
            SweepMode::Stream => {
                let mut parity = ParitySets::default();
                let filter = DeathFilter::new(report, &table, &mut parity);
                map.sweep_where(|raw| filter.died(raw));
            }
            SweepMode::Full => map.sweep_where(|raw| !table.is_alive(raw)),
        });
        self.cursor = cursor;
        stats
    }
}

impl<K, T, S> Drop for WeakValueMap<K, T, S> {
    /// Takes back every entry's count in its object's `weak_count`. The
    /// tables then drop every key copy, each under `catch_unwind`, so keys
    /// whose `Drop` panics never abort the process.
    fn drop(&mut self) {
        for raw in self.entries.values() {
            self.table.remove_membership(*raw);
        }
    }
}

impl<K: Hash + Eq + Clone + fmt::Debug, T, S: BuildHasher> fmt::Debug for WeakValueMap<K, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// An empty map for a table, and the table, for save and load
/// (`collections/src/save.rs`).
#[cfg(feature = "serde")]
impl<K, T, S> WeakValueMap<K, T, S> {
    pub(crate) fn for_table(table: Arc<SlotTable>, next_frame: u64, hasher: S) -> WeakValueMap<K, T, S> {
        WeakValueMap {
            cursor: SweepCursor::new(table.id(), next_frame),
            table,
            entries: Ordered::with_hasher(hasher),
            keys_of: ValueKeys::default(),
            _values: PhantomData,
        }
    }

    pub(crate) fn slot_table(&self) -> &Arc<SlotTable> {
        &self.table
    }
}
