//! The entry API of [`WeakValueMap`]: Python's `setdefault`, and in-place
//! replacement.
//!
//! A key whose entry holds a dead object is vacant, as in CPython, where
//! `setdefault` on a key whose value died stores the default.

use std::hash::{BuildHasher, Hash};

use weakarena_core::{ArenaHandle, Strong, Weak};

use crate::caught_drops::CaughtDrops;
use crate::error::InsertError;
use crate::value_map::WeakValueMap;

/// A key's place in a [`WeakValueMap`]: holding a live object, or not.
pub enum ValueEntry<'a, K, T, S> {
    /// The key holds a live object.
    Occupied(OccupiedValueEntry<'a, K, T, S>),
    /// The key has no entry, or its object is dead.
    Vacant(VacantValueEntry<'a, K, T, S>),
}

/// A key holding a live object.
pub struct OccupiedValueEntry<'a, K, T, S> {
    map: &'a mut WeakValueMap<K, T, S>,
    key: K,
    object: Weak<T>,
}

/// A key with no live object.
pub struct VacantValueEntry<'a, K, T, S> {
    map: &'a mut WeakValueMap<K, T, S>,
    key: K,
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher> WeakValueMap<K, T, S> {
    /// The entry for `key`, for in-place insertion or replacement. Python's
    /// `setdefault(key, default)` is `entry(key).or_insert(&default)`; a key
    /// whose object died is vacant, so the default replaces it.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (first, second) = (arena.insert("first"), arena.insert("second"));
    /// let mut leader = WeakValueMap::new(&arena);
    /// assert_eq!(leader.entry("red").or_insert(&first), first.downgrade());
    /// assert_eq!(leader.entry("red").or_insert(&second), first.downgrade());
    /// drop(first);
    /// assert_eq!(leader.entry("red").or_insert(&second), second.downgrade());
    /// ```
    #[doc(alias = "setdefault")]
    #[must_use = "an entry does nothing until it is used"]
    pub fn entry(&mut self, key: K) -> ValueEntry<'_, K, T, S> {
        match self.get(&key) {
            Some(object) => ValueEntry::Occupied(OccupiedValueEntry { map: self, key, object }),
            None => ValueEntry::Vacant(VacantValueEntry { map: self, key }),
        }
    }
}

impl<'a, K: Hash + Eq + Clone, T, S: BuildHasher> ValueEntry<'a, K, T, S> {
    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let arena: Arena<u8> = Arena::new();
    /// let mut map: WeakValueMap<&str, u8> = WeakValueMap::new(&arena);
    /// assert_eq!(*map.entry("k").key(), "k");
    /// ```
    pub fn key(&self) -> &K {
        match self {
            ValueEntry::Occupied(entry) => entry.key(),
            ValueEntry::Vacant(entry) => entry.key(),
        }
    }

    /// The live object, storing `default` first if there is none (Python's
    /// `setdefault`).
    ///
    /// # Panics
    ///
    /// If `default` is an object of another arena.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// assert_eq!(map.entry("a").or_insert(&a), a.downgrade());
    /// assert_eq!(arena.weak_count(&a), 1);
    /// ```
    #[track_caller]
    pub fn or_insert(self, default: &Strong<T>) -> Weak<T> {
        self.or_insert_with(|| default.clone())
    }

    /// The live object, storing `make()` first if there is none.
    ///
    /// # Panics
    ///
    /// If `make` returns an object of another arena.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// assert_eq!(map.entry("a").or_insert_with(|| a.clone()), a.downgrade());
    /// ```
    #[track_caller]
    pub fn or_insert_with(self, make: impl FnOnce() -> Strong<T>) -> Weak<T> {
        match self {
            ValueEntry::Occupied(entry) => entry.get(),
            ValueEntry::Vacant(entry) => entry.insert(&make()),
        }
    }
}

impl<'a, K: Hash + Eq + Clone, T, S: BuildHasher> OccupiedValueEntry<'a, K, T, S> {
    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// let ValueEntry::Occupied(entry) = map.entry("a") else { panic!() };
    /// assert_eq!(*entry.key(), "a");
    /// ```
    pub fn key(&self) -> &K {
        &self.key
    }

    /// The object, as it was when the entry was made.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// let ValueEntry::Occupied(entry) = map.entry("a") else { panic!() };
    /// assert_eq!(entry.get(), a.downgrade());
    /// ```
    pub fn get(&self) -> Weak<T> {
        self.object
    }

    /// The object as a strong handle, unless it died since the entry was made.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("a", &a);
    /// let ValueEntry::Occupied(entry) = map.entry("a") else { panic!() };
    /// assert_eq!(entry.upgrade(), Some(a));
    /// ```
    pub fn upgrade(&self) -> Option<Strong<T>> {
        self.map.upgrade(&self.key)
    }

    /// Stores `object` under the key instead, returning the one it replaces.
    ///
    /// # Panics
    ///
    /// If `object` is an object of another arena.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("k", &a);
    /// let ValueEntry::Occupied(entry) = map.entry("k") else { panic!() };
    /// assert_eq!(entry.insert(&b), a.downgrade());
    /// assert_eq!(map.get("k"), Some(b.downgrade()));
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[track_caller]
    pub fn insert(self, object: &Strong<T>) -> Weak<T> {
        self.map.insert(self.key, object);
        self.object
    }

    /// Removes the entry, returning its object.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// map.insert("k", &a);
    /// let ValueEntry::Occupied(entry) = map.entry("k") else { panic!() };
    /// assert_eq!(entry.remove(), a.downgrade());
    /// assert!(map.is_empty());
    /// ```
    pub fn remove(self) -> Weak<T> {
        let OccupiedValueEntry { map, key, object } = self;
        // The entry's own key too is dropped before a key's panic resumes.
        let mut drops = CaughtDrops::default();
        map.remove_caught(&key, &mut drops);
        drops.drop(key);
        drops.finish(object)
    }
}

impl<'a, K: Hash + Eq + Clone, T, S: BuildHasher> VacantValueEntry<'a, K, T, S> {
    /// The key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let arena: Arena<u8> = Arena::new();
    /// let mut map: WeakValueMap<&str, u8> = WeakValueMap::new(&arena);
    /// let ValueEntry::Vacant(entry) = map.entry("k") else { panic!() };
    /// assert_eq!(*entry.key(), "k");
    /// ```
    pub fn key(&self) -> &K {
        &self.key
    }

    /// Gives back the key.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let arena: Arena<u8> = Arena::new();
    /// let mut map: WeakValueMap<String, u8> = WeakValueMap::new(&arena);
    /// let ValueEntry::Vacant(entry) = map.entry("k".to_string()) else { panic!() };
    /// assert_eq!(entry.into_key(), "k");
    /// ```
    pub fn into_key(self) -> K {
        self.key
    }

    /// Stores `object` under the key (replacing a dead one), counting the
    /// entry in its `weak_count`; returns its weak handle.
    ///
    /// # Panics
    ///
    /// If `object` is an object of another arena; see
    /// [`try_insert`](Self::try_insert).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut map = WeakValueMap::new(&arena);
    /// let ValueEntry::Vacant(entry) = map.entry("k") else { panic!() };
    /// assert_eq!(entry.insert(&a), a.downgrade());
    /// assert_eq!(arena.weak_count(&a), 1);
    /// ```
    #[track_caller]
    pub fn insert(self, object: &Strong<T>) -> Weak<T> {
        self.map.insert(self.key, object);
        object.downgrade()
    }

    /// Stores the object `object` names under the key, or gives the key
    /// back if the object is dead or of another arena.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::{ValueEntry, WeakValueMap};
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let gone = a.downgrade();
    /// drop(a);
    /// let mut map = WeakValueMap::new(&arena);
    /// let ValueEntry::Vacant(entry) = map.entry("k") else { panic!() };
    /// assert_eq!(entry.try_insert(gone).unwrap_err().value, "k");
    /// ```
    pub fn try_insert(self, object: impl ArenaHandle<T>) -> Result<Weak<T>, InsertError<K>> {
        let weak = Weak::from_raw(object.raw_handle());
        self.map.try_insert(self.key, object).map(|_| weak)
    }
}
