//! Inserting with a [`Strong`]: its object is alive, so the only possible
//! refusal is a handle of another arena, which is a bug: these methods
//! panic for it, with a message pointing at the caller's line, and need no
//! `unwrap`. Their `try_` twins take any handle and return the refusal.

use std::hash::{BuildHasher, Hash};

use weakarena_core::{AccessError, Strong, Weak};

use crate::dense_key_map::WeakKeyMap;
use crate::key_map::SparseWeakKeyMap;
use crate::key_map_entry::Entry;
use crate::set::WeakSet;
use crate::value_map::WeakValueMap;

/// The outcome of a `try_` call made with a `Strong`: a handle of another
/// arena panics; a dead object (possible only after a forced death) gives
/// `if_dead`, nothing stored.
#[track_caller]
fn unless_foreign<R>(result: Result<R, AccessError>, if_dead: R) -> R {
    match result {
        Ok(done) => done,
        Err(AccessError::Dead(_)) => if_dead,
        Err(error) => foreign(error),
    }
}

#[track_caller]
fn foreign(error: AccessError) -> ! {
    panic!("weakarena: {error}; a collection holds objects of one arena (the try_ twin returns this error)")
}

/// `insert` with a `Strong` for the key maps.
macro_rules! key_map_insert {
    ($($map:ident),*) => {$(
        impl<T, V> $map<T, V> {
            /// Stores `value` under `key`, returning the value it replaces (Python's
            /// `d[key] = value`). A map made by `Default` binds to `key`'s arena.
            ///
            /// # Panics
            ///
            /// If `key` is an object of another arena; see
            /// [`try_insert`](Self::try_insert).
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert("a");
            #[doc = concat!("let mut hp = ", stringify!($map), "::new(&arena);")]
            /// assert_eq!(hp.insert(&a, 10), None);
            /// assert_eq!(hp.insert(&a, 7), Some(10));
            /// assert_eq!(arena.weak_count(&a), 1);
            /// ```
            #[track_caller]
            pub fn insert(&mut self, key: &Strong<T>, value: V) -> Option<V> {
                self.bind_to(key);
                unless_foreign(self.try_insert(key, value).map_err(|refused| refused.error), None)
            }
        }
    )*};
}

key_map_insert!(WeakKeyMap, SparseWeakKeyMap);

impl<T, V> WeakKeyMap<T, V> {
    /// The value under `key`, inserting `default()` first if there is none
    /// (Python's `setdefault`). A map made by `Default` binds to `key`'s
    /// arena.
    ///
    /// # Panics
    ///
    /// If `key` is an object of another arena, or was killed; see
    /// [`try_get_or_insert_with`](Self::try_get_or_insert_with).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakKeyMap;
    /// let mut arena = Arena::new();
    /// let mut tags: WeakKeyMap<_, Vec<&str>> = WeakKeyMap::new(&arena);
    /// let a = arena.insert(1);
    /// tags.get_or_insert_with(&a, Vec::new).push("hot");
    /// tags.get_or_insert_with(&a, Vec::new).push("red");
    /// assert_eq!(tags[&a], ["hot", "red"]);
    /// ```
    #[doc(alias = "setdefault")]
    #[track_caller]
    pub fn get_or_insert_with(&mut self, key: &Strong<T>, default: impl FnOnce() -> V) -> &mut V {
        self.bind_to(key);
        match self.try_get_or_insert_with(key, default) {
            Ok(value) => value,
            Err(error) => foreign(error),
        }
    }
}

impl<T, V> SparseWeakKeyMap<T, V> {
    /// The entry for `key`, for in-place insertion or update (Python's
    /// `setdefault` is `entry(&key).or_insert(default)`). A map made by
    /// `Default` binds to `key`'s arena.
    ///
    /// # Panics
    ///
    /// If `key` is an object of another arena, or was killed; see
    /// [`try_entry`](Self::try_entry).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::SparseWeakKeyMap;
    /// let mut arena = Arena::new();
    /// let mut tags: SparseWeakKeyMap<_, Vec<&str>> = SparseWeakKeyMap::new(&arena);
    /// let a = arena.insert(1);
    /// tags.entry(&a).or_default().push("hot");
    /// tags.entry(&a).or_default().push("red");
    /// assert_eq!(tags[&a], ["hot", "red"]);
    /// ```
    #[doc(alias = "setdefault")]
    #[track_caller]
    #[must_use = "an entry does nothing until it is used"]
    pub fn entry(&mut self, key: &Strong<T>) -> Entry<'_, T, V> {
        self.bind_to(key);
        match self.try_entry(key) {
            Ok(entry) => entry,
            Err(error) => foreign(error),
        }
    }
}

impl<T> WeakSet<T> {
    /// Adds `member` (Python's `add`); whether it was not already in. A set
    /// made by `Default` binds to `member`'s arena.
    ///
    /// # Panics
    ///
    /// If `member` is an object of another arena; see
    /// [`try_insert`](Self::try_insert).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert('a');
    /// let mut set = WeakSet::new(&arena);
    /// assert!(set.insert(&a));
    /// assert!(!set.insert(&a));
    /// assert_eq!(arena.weak_count(&a), 1);
    /// ```
    #[track_caller]
    pub fn insert(&mut self, member: &Strong<T>) -> bool {
        self.map.bind_to(member);
        unless_foreign(self.try_insert(member), false)
    }
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher> WeakValueMap<K, T, S> {
    /// Stores `object` under `key`, returning the live object it replaces
    /// (Python's `d[key] = object`). A map made by `Default` binds to
    /// `object`'s arena.
    ///
    /// # Panics
    ///
    /// If `object` is an object of another arena; see
    /// [`try_insert`](Self::try_insert).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut names = WeakValueMap::new(&arena);
    /// assert_eq!(names.insert("x", &a), None);
    /// assert_eq!(names.insert("x", &b), Some(a.downgrade()));
    /// assert_eq!((arena.weak_count(&a), arena.weak_count(&b)), (0, 1));
    /// ```
    #[track_caller]
    pub fn insert(&mut self, key: K, object: &Strong<T>) -> Option<Weak<T>> {
        self.bind_to(object);
        unless_foreign(self.try_insert(key, object).map_err(|refused| refused.error), None)
    }
}
