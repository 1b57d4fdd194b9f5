//! The entry API of [`SparseWeakKeyMap`](crate::SparseWeakKeyMap).

use std::marker::PhantomData;

use weakarena_core::{RawHandle, SlotTable, Weak};

use crate::handle_entries::HandleEntry;
use crate::hashing::BuildHandleHasher;
use crate::ordered::{OccupiedOrdered, VacantOrdered};

/// A live key's place in a [`SparseWeakKeyMap`](crate::SparseWeakKeyMap), occupied or not.
pub enum Entry<'a, T, V> {
    /// The key has a value.
    Occupied(OccupiedEntry<'a, T, V>),
    /// The key has no value yet.
    Vacant(VacantEntry<'a, T, V>),
}

/// A live key with a value.
pub struct OccupiedEntry<'a, T, V> {
    inner: OccupiedOrdered<'a, RawHandle, V, BuildHandleHasher>,
    table: &'a SlotTable,
    _keys: PhantomData<fn() -> T>,
}

/// A live key without a value.
pub struct VacantEntry<'a, T, V> {
    inner: VacantOrdered<'a, RawHandle, V, BuildHandleHasher>,
    table: &'a SlotTable,
    _keys: PhantomData<fn() -> T>,
}

impl<'a, T, V> Entry<'a, T, V> {
    pub(crate) fn new(inner: HandleEntry<'a, V>, table: &'a SlotTable) -> Entry<'a, T, V> {
        match inner {
            HandleEntry::Occupied(inner) => {
                Entry::Occupied(OccupiedEntry { inner, table, _keys: PhantomData })
            }
            HandleEntry::Vacant(inner) => Entry::Vacant(VacantEntry { inner, table, _keys: PhantomData }),
        }
    }

    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// assert_eq!(map.entry(&a).key(), a.downgrade());
    /// ```
    pub fn key(&self) -> Weak<T> {
        match self {
            Entry::Occupied(entry) => entry.key(),
            Entry::Vacant(entry) => entry.key(),
        }
    }

    /// The value, inserting `default` first if there is none.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// map.entry(&a).or_insert(vec!["first"]).push("more");
    /// assert_eq!(map.entry(&a).or_insert(vec!["ignored"]).len(), 2);
    /// ```
    pub fn or_insert(self, default: V) -> &'a mut V {
        self.or_insert_with(|| default)
    }

    /// The value, inserting `make()` first if there is none.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// map.entry(&a).or_insert_with(|| vec!["made"]);
    /// assert_eq!(map[&a], ["made"]);
    /// ```
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(make()),
        }
    }

    /// The value, inserting `V::default()` first if there is none.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// map.entry(&a).or_default().push("x");
    /// assert_eq!(map[&a], ["x"]);
    /// ```
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Runs `update` on the value if there is one.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// map.entry(&a).and_modify(|tags| tags.push("unseen")).or_default();
    /// map.entry(&a).and_modify(|tags| tags.push("seen")).or_default();
    /// assert_eq!(map[&a], ["seen"]);
    /// ```
    pub fn and_modify(mut self, update: impl FnOnce(&mut V)) -> Self {
        if let Entry::Occupied(entry) = &mut self {
            update(entry.get_mut());
        }
        self
    }
}

impl<'a, T, V> OccupiedEntry<'a, T, V> {
    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// assert_eq!(entry.key(), a.downgrade());
    /// ```
    pub fn key(&self) -> Weak<T> {
        Weak::from_raw(*self.inner.key())
    }

    /// The value.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// assert_eq!(entry.get(), &["old"]);
    /// ```
    pub fn get(&self) -> &V {
        self.inner.get()
    }

    /// The value, mutably.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// entry.get_mut().push("new");
    /// assert_eq!(map[&a], ["old", "new"]);
    /// ```
    pub fn get_mut(&mut self) -> &mut V {
        self.inner.get_mut()
    }

    /// The value, mutably, for the map's borrow.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// entry.into_mut().clear();
    /// assert!(map[&a].is_empty());
    /// ```
    pub fn into_mut(self) -> &'a mut V {
        self.inner.into_mut()
    }

    /// Replaces the value, returning the old one.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// assert_eq!(entry.insert(vec!["new"]), ["old"]);
    /// assert_eq!(map[&a], ["new"]);
    /// ```
    pub fn insert(&mut self, value: V) -> V {
        self.inner.insert(value)
    }

    /// Removes the entry, returning its value.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = SparseWeakKeyMap::new(&arena);
    /// map.insert(&a, vec!["old"]);
    /// let Entry::Occupied(mut entry) = map.entry(&a) else { unreachable!() };
    /// assert_eq!(entry.remove(), ["old"]);
    /// assert!(map.is_empty() && arena.weak_count(&a) == 0);
    /// ```
    pub fn remove(self) -> V {
        let key = *self.inner.key();
        let value = self.inner.remove();
        self.table.remove_membership(key);
        value
    }
}

impl<'a, T, V> VacantEntry<'a, T, V> {
    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// let Entry::Vacant(entry) = map.entry(&a) else { unreachable!() };
    /// assert_eq!(entry.key(), a.downgrade());
    /// ```
    pub fn key(&self) -> Weak<T> {
        Weak::from_raw(*self.inner.key())
    }

    /// Stores `value` under the key, counting the entry in the key's `weak_count`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{Entry, SparseWeakKeyMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map: SparseWeakKeyMap<i32, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// let Entry::Vacant(entry) = map.entry(&a) else { unreachable!() };
    /// entry.insert(vec!["new"]);
    /// assert_eq!((map[&a].len(), arena.weak_count(&a)), (1, 1));
    /// ```
    pub fn insert(self, value: V) -> &'a mut V {
        let key = *self.inner.key();
        self.table.add_membership(key);
        self.inner.insert(value)
    }
}
