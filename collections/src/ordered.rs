//! A hash map that iterates in insertion order, as CPython's `dict` does:
//! entries sit in a vector in the order they were first inserted, and a
//! hash index maps each key to its position. Removing leaves a hole, so
//! every removal is O(1) and keeps the order of the rest; holes are
//! squeezed out once they are half the vector (amortised O(1), as
//! CPython's dict resizes). The hashed weak collections store their
//! entries here.
//!
//! Each key is stored twice (in its slot and in the index), so a key whose
//! `Drop` panics panics twice on one removal: every removal drops through
//! [`CaughtDrops`], finishes, and only then resumes the first panic, so a
//! second panic never meets the first's unwinding (an abort).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use crate::caught_drops::CaughtDrops;

/// Holes below which the vector is never squeezed.
const MIN_HOLES: usize = 32;

/// Keys to values, iterated in insertion order.
pub(crate) struct Ordered<K, V, S> {
    /// Each key's position in `slots`.
    index: HashMap<K, usize, S>,
    /// Entries in insertion order; `None` where one was removed.
    slots: Vec<Option<(K, V)>>,
}

impl<K, V, S: Default> Default for Ordered<K, V, S> {
    fn default() -> Self {
        Ordered { index: HashMap::default(), slots: Vec::new() }
    }
}

impl<K, V, S> Ordered<K, V, S> {
    pub(crate) fn with_hasher(hasher: S) -> Self {
        Ordered { index: HashMap::with_hasher(hasher), slots: Vec::new() }
    }

    pub(crate) fn hasher(&self) -> &S {
        self.index.hasher()
    }

    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Entries, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.slots.iter().flatten().map(|(key, value)| (key, value))
    }

    /// Entries with mutable values, oldest first.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> + '_ {
        self.slots.iter_mut().flatten().map(|(key, value)| (&*key, value))
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The newest entry.
    pub(crate) fn last(&self) -> Option<(&K, &V)> {
        self.slots.iter().rev().flatten().map(|(key, value)| (key, value)).next()
    }

    /// Removes every entry, oldest first, handing each to `each`; then
    /// resumes the first panic of a drop (or of `each`), if any.
    pub(crate) fn drain(&mut self, each: impl FnMut((K, V))) {
        let mut drops = CaughtDrops::default();
        self.drain_caught(&mut drops, each);
        drops.resume();
    }

    /// [`drain`](Ordered::drain), catching each panic in `drops`.
    pub(crate) fn drain_caught(&mut self, drops: &mut CaughtDrops, mut each: impl FnMut((K, V))) {
        if std::mem::needs_drop::<K>() {
            self.index.drain().for_each(|(key, _)| drops.drop(key));
        } else {
            self.index.clear();
        }
        for entry in std::mem::take(&mut self.slots).into_iter().flatten() {
            drops.catch(|| each(entry));
        }
    }
}

impl<K, V, S> Drop for Ordered<K, V, S> {
    /// Drops every entry, each under `catch_unwind`: two panicking drops
    /// never abort.
    fn drop(&mut self) {
        if std::mem::needs_drop::<(K, V)>() {
            self.drain(drop);
        }
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Ordered<K, V, S> {
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let &at = self.index.get(key)?;
        self.slots[at].as_ref().map(|(_, value)| value)
    }

    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let &at = self.index.get(key)?;
        self.slots[at].as_mut().map(|(_, value)| value)
    }

    /// [`insert_caught`](Ordered::insert_caught), resuming its panic.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        let mut drops = CaughtDrops::default();
        let old = self.insert_caught(key, value, &mut drops);
        drops.finish(old)
    }

    /// Stores `value` under `key`, returning the value it replaces. A new
    /// key goes last; a present one keeps its place and stored copy, as in
    /// a `dict`: a panic of the spare `key`'s drop is caught in `drops`.
    pub(crate) fn insert_caught(&mut self, key: K, value: V, drops: &mut CaughtDrops) -> Option<V> {
        match self.get_mut(&key) {
            Some(old) => {
                let old = std::mem::replace(old, value);
                drops.drop(key);
                Some(old)
            }
            None => {
                self.push(key, value);
                None
            }
        }
    }

    /// Appends an entry whose key is not present; returns its value.
    fn push(&mut self, key: K, value: V) -> &mut V {
        let at = self.slots.len();
        self.index.insert(key.clone(), at);
        self.slots.push(Some((key, value)));
        &mut self.slots[at].as_mut().expect("just pushed").1
    }

    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.remove_entry(key).map(|(_, value)| value)
    }

    pub(crate) fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut drops = CaughtDrops::default();
        let entry = self.remove_entry_caught(key, &mut drops);
        drops.finish(entry)
    }

    /// [`remove_entry`](Ordered::remove_entry), catching a panic of the
    /// index's copy of the key in `drops`: the entry comes back either way.
    pub(crate) fn remove_entry_caught<Q>(&mut self, key: &Q, drops: &mut CaughtDrops) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let (indexed, at) = self.index.remove_entry(key)?;
        let entry = self.slots[at].take();
        self.tidy();
        drops.drop(indexed);
        entry
    }

    /// Removes `key`'s entry if `doomed` accepts its value, in one hash
    /// lookup when it does (a sweep's removal of a dead object's entry),
    /// catching a panic of the index's copy of the key in `drops`. The hole
    /// stays: a sweep removes a batch, then calls [`tidy`](Ordered::tidy)
    /// once.
    #[inline]
    pub(crate) fn remove_if(
        &mut self,
        key: &K,
        drops: &mut CaughtDrops,
        doomed: impl FnOnce(&V) -> bool,
    ) -> Option<(K, V)> {
        let (indexed, at) = self.index.remove_entry(key)?;
        let (_, value) = self.slots[at].as_ref().expect("an indexed slot holds its entry");
        if !doomed(value) {
            self.index.insert(indexed, at); // rare: the key now names another object
            return None;
        }
        let entry = self.slots[at].take();
        drops.drop(indexed);
        entry
    }

    /// Keeps the entries `keep` accepts, in their order; the others are
    /// all dropped before the first panic of a drop is resumed.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        let mut drops = CaughtDrops::default();
        self.retain_caught(&mut drops, keep);
        drops.resume();
    }

    /// [`retain`](Ordered::retain), catching each panic in `drops`.
    pub(crate) fn retain_caught(
        &mut self,
        drops: &mut CaughtDrops,
        mut keep: impl FnMut(&K, &mut V) -> bool,
    ) {
        for slot in &mut self.slots {
            let Some((key, value)) = slot else { continue };
            if keep(key, value) {
                continue;
            }
            // Out of the slot and the index first: a panicking `Drop`
            // leaves the table consistent.
            let Some(entry) = slot.take() else { continue };
            let indexed = self.index.remove_entry(&entry.0);
            drops.drop(indexed);
            drops.drop(entry);
        }
        self.tidy();
    }

    /// The entry for `key`, to read, fill or remove in place.
    pub(crate) fn entry(&mut self, key: K) -> OrderedEntry<'_, K, V, S> {
        match self.index.get(&key) {
            Some(&at) => OrderedEntry::Occupied(OccupiedOrdered { map: self, at }),
            None => OrderedEntry::Vacant(VacantOrdered { map: self, key }),
        }
    }

    /// Drops trailing holes, and squeezes the holes out once they are half
    /// the vector, renumbering the positions: each old position's new one
    /// is the entries before it, so the index is renumbered in one pass
    /// over its own table, hashing nothing.
    pub(crate) fn tidy(&mut self) {
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        let holes = self.slots.len() - self.index.len();
        if holes >= MIN_HOLES && holes * 2 >= self.slots.len() {
            let mut entries_before = 0;
            let renumbered: Vec<usize> = self
                .slots
                .iter()
                .map(|slot| {
                    let at = entries_before;
                    entries_before += usize::from(slot.is_some());
                    at
                })
                .collect();
            self.slots.retain(Option::is_some);
            for at in self.index.values_mut() {
                *at = renumbered[*at];
            }
        }
    }
}

/// A key's place in an [`Ordered`] map.
pub(crate) enum OrderedEntry<'a, K, V, S> {
    Occupied(OccupiedOrdered<'a, K, V, S>),
    Vacant(VacantOrdered<'a, K, V, S>),
}

/// A stored entry.
pub(crate) struct OccupiedOrdered<'a, K, V, S> {
    map: &'a mut Ordered<K, V, S>,
    at: usize,
}

/// A key with no entry.
pub(crate) struct VacantOrdered<'a, K, V, S> {
    map: &'a mut Ordered<K, V, S>,
    key: K,
}

impl<'a, K: Hash + Eq + Clone, V, S: BuildHasher> OccupiedOrdered<'a, K, V, S> {
    fn pair(&self) -> &(K, V) {
        self.map.slots[self.at].as_ref().expect("an occupied entry's slot is full")
    }

    pub(crate) fn key(&self) -> &K {
        &self.pair().0
    }

    pub(crate) fn get(&self) -> &V {
        &self.pair().1
    }

    pub(crate) fn get_mut(&mut self) -> &mut V {
        &mut self.map.slots[self.at].as_mut().expect("an occupied entry's slot is full").1
    }

    pub(crate) fn into_mut(self) -> &'a mut V {
        &mut self.map.slots[self.at].as_mut().expect("an occupied entry's slot is full").1
    }

    pub(crate) fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }

    pub(crate) fn remove(self) -> V {
        let mut drops = CaughtDrops::default();
        let (key, value) = self.remove_caught(&mut drops);
        drops.drop(key);
        drops.finish(value)
    }

    /// Removes the entry, catching a panic of the index's copy of the key
    /// in `drops`.
    pub(crate) fn remove_caught(self, drops: &mut CaughtDrops) -> (K, V) {
        let entry = self.map.slots[self.at].take().expect("an occupied entry's slot is full");
        let indexed = self.map.index.remove_entry(&entry.0);
        self.map.tidy();
        drops.drop(indexed);
        entry
    }
}

impl<'a, K: Hash + Eq + Clone, V, S: BuildHasher> VacantOrdered<'a, K, V, S> {
    pub(crate) fn key(&self) -> &K {
        &self.key
    }

    pub(crate) fn insert(self, value: V) -> &'a mut V {
        self.map.push(self.key, value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::RandomState;

    use super::{Ordered, OrderedEntry};

    type Map = Ordered<u32, u32, RandomState>;

    fn keys(map: &Map) -> Vec<u32> {
        map.iter().map(|(&key, _)| key).collect()
    }

    #[test]
    fn iterates_in_insertion_order_through_removals_and_squeezes() {
        let mut map = Map::default();
        for key in (0..200).rev() {
            assert_eq!(map.insert(key, key * 10), None);
        }
        assert_eq!(map.insert(150, 1), Some(1500), "a present key keeps its place");
        map.retain(|&key, _| key % 3 == 0); // enough holes to squeeze
        assert_eq!(map.remove(&3), Some(30));
        map.insert(3, 3); // back in, now the newest
        let expected: Vec<u32> = (0..200).rev().filter(|key| key % 3 == 0 && *key != 3).chain([3]).collect();
        assert_eq!(keys(&map), expected);
        assert!(map.slots.len() < 2 * map.len(), "holes were squeezed out");
        assert!(expected.iter().all(|key| map.get(key).is_some()), "positions renumbered");
        assert_eq!(map.get(&150), Some(&1));
        assert_eq!(map.last(), Some((&3, &3)));
        assert_eq!(map.remove(&3), Some(3));
        assert_eq!(map.last(), Some((&0, &0)), "the newest after a removal");
        assert_eq!(map.len(), expected.len() - 1);
    }

    #[test]
    fn entries_fill_read_and_remove_in_place() {
        let mut map = Map::default();
        map.insert(1, 10);
        match map.entry(2) {
            OrderedEntry::Vacant(entry) => *entry.insert(20) += 1,
            OrderedEntry::Occupied(_) => panic!("2 is not stored"),
        }
        match map.entry(1) {
            OrderedEntry::Occupied(mut entry) => {
                assert_eq!((*entry.key(), *entry.get()), (1, 10));
                assert_eq!(entry.insert(11), 10);
                assert_eq!(entry.remove(), 11);
            }
            OrderedEntry::Vacant(_) => panic!("1 is stored"),
        }
        assert_eq!(keys(&map), [2]);
        assert_eq!(map.get(&2), Some(&21));
        let mut drained = Vec::new();
        map.drain(|entry| drained.push(entry));
        assert_eq!((drained, map.is_empty()), (vec![(2, 21)], true));
    }
}
