//! `Default`, `Extend` and `FromIterator` for the collections.
//!
//! A collection made by `Default` (or collected) has no arena yet: it binds
//! to the arena of the first `Strong` inserted (see `unbound.rs`).
//! Extending with `Strong`s inserts each as [`insert`](WeakSet::insert)
//! does (a handle of another arena panics); extending with `Weak`s skips
//! dead objects, as [`try_insert`](WeakSet::try_insert) refuses them.
//!
//! ```
//! use weakarena_core::Arena;
//! use weakarena_collections::{WeakKeyMap, WeakSet, WeakValueMap};
//!
//! #[derive(Default)]
//! struct Observers {
//!     watching: WeakSet<&'static str>,
//!     hp: WeakKeyMap<&'static str, u32>,
//!     by_name: WeakValueMap<&'static str, &'static str>,
//! }
//!
//! let mut arena = Arena::new();
//! let (orc, elf) = (arena.insert("orc"), arena.insert("elf"));
//! let mut seen = Observers::default();
//! seen.watching.extend([&orc, &elf]);
//! seen.hp.extend([(&orc, 10), (&elf, 7)]);
//! seen.by_name.extend([("grunt", &orc)]);
//! assert_eq!(seen.watching.arena(), arena.id());
//! assert_eq!(arena.weak_count(&orc), 3);
//!
//! let hp: WeakKeyMap<_, u32> = [(&orc, 1), (&elf, 2)].into_iter().collect();
//! let party: WeakSet<_> = [&orc, &elf].into_iter().collect();
//! let names: WeakValueMap<_, _> = [("o", &orc)].into_iter().collect();
//! assert_eq!((hp[&elf], party.len(), names.get("o")), (2, 2, Some(orc.downgrade())));
//! ```

use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use weakarena_core::{Strong, Weak};

use crate::dense_key_map::WeakKeyMap;
use crate::key_map::SparseWeakKeyMap;
use crate::set::WeakSet;
use crate::unbound::{unbound_cursor, unbound_table};
use crate::value_map::WeakValueMap;

/// `Default` for the key maps: on the unbound table, bound by the first
/// `Strong` inserted.
macro_rules! key_map_default {
    ($($map:ident),*) => {$(
        impl<T, V> Default for $map<T, V> {
            /// An empty map with no arena yet: the first `Strong` inserted binds it.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert(1);
            #[doc = concat!("let mut hp = ", stringify!($map), "::default();")]
            /// hp.insert(&a, 10);
            /// assert_eq!((hp.arena(), hp[&a]), (arena.id(), 10));
            /// ```
            fn default() -> Self {
                $map::on_table(Arc::clone(unbound_table()), unbound_cursor())
            }
        }
    )*};
}

key_map_default!(WeakKeyMap, SparseWeakKeyMap);

impl<T> Default for WeakSet<T> {
    /// An empty set with no arena yet: the first `Strong` inserted binds it.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut set = WeakSet::default();
    /// assert!(set.insert(&a));
    /// assert_eq!(set.arena(), arena.id());
    /// ```
    fn default() -> Self {
        WeakSet { map: crate::set_members::Members::default() }
    }
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher + Default> Default for WeakValueMap<K, T, S> {
    /// An empty map with no arena yet: the first `Strong` inserted binds it.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut names: WeakValueMap<&str, i32> = WeakValueMap::default();
    /// names.insert("a", &a);
    /// assert_eq!((names.arena(), names.get("a")), (arena.id(), Some(a.downgrade())));
    /// ```
    fn default() -> Self {
        WeakValueMap::on_table(Arc::clone(unbound_table()), unbound_cursor(), S::default())
    }
}

/// `Extend` impls: `$insert` for each item (its result ignored).
macro_rules! extend_by {
    ($(impl[$($gen:tt)*] $item:ty => $coll:ty, |$this:ident, $pattern:pat_param| $insert:expr;)*) => {$(
        impl<$($gen)*> Extend<$item> for $coll {
            #[track_caller]
            fn extend<I: IntoIterator<Item = $item>>(&mut self, items: I) {
                for $pattern in items {
                    let $this = &mut *self;
                    let _inserted_or_refused = $insert;
                }
            }
        }
    )*};
}

extend_by! {
    impl['a, T] &'a Strong<T> => WeakSet<T>, |set, member| set.insert(member);
    impl[T] Strong<T> => WeakSet<T>, |set, member| set.insert(&member);
    impl['a, T] &'a Weak<T> => WeakSet<T>, |set, member| set.try_insert(member);
    impl[T] Weak<T> => WeakSet<T>, |set, member| set.try_insert(member);
    impl['a, T, V] (&'a Strong<T>, V) => WeakKeyMap<T, V>, |map, (key, value)| map.insert(key, value);
    impl[T, V] (Strong<T>, V) => WeakKeyMap<T, V>, |map, (key, value)| map.insert(&key, value);
    impl['a, T, V] (&'a Weak<T>, V) => WeakKeyMap<T, V>, |map, (key, value)| map.try_insert(key, value);
    impl[T, V] (Weak<T>, V) => WeakKeyMap<T, V>, |map, (key, value)| map.try_insert(key, value);
    impl['a, T, V] (&'a Strong<T>, V) => SparseWeakKeyMap<T, V>, |map, (key, value)| map.insert(key, value);
    impl[T, V] (Strong<T>, V) => SparseWeakKeyMap<T, V>, |map, (key, value)| map.insert(&key, value);
    impl['a, T, V] (&'a Weak<T>, V) => SparseWeakKeyMap<T, V>, |map, (key, value)| map.try_insert(key, value);
    impl[T, V] (Weak<T>, V) => SparseWeakKeyMap<T, V>, |map, (key, value)| map.try_insert(key, value);
    impl['a, K: Hash + Eq + Clone, T, S: BuildHasher] (K, &'a Strong<T>) => WeakValueMap<K, T, S>,
        |map, (key, object)| map.insert(key, object);
    impl[K: Hash + Eq + Clone, T, S: BuildHasher] (K, Strong<T>) => WeakValueMap<K, T, S>,
        |map, (key, object)| map.insert(key, &object);
    impl['a, K: Hash + Eq + Clone, T, S: BuildHasher] (K, &'a Weak<T>) => WeakValueMap<K, T, S>,
        |map, (key, object)| map.try_insert(key, object);
    impl[K: Hash + Eq + Clone, T, S: BuildHasher] (K, Weak<T>) => WeakValueMap<K, T, S>,
        |map, (key, object)| map.try_insert(key, object);
}

/// `FromIterator` impls over `Strong`s: a `Default` collection, extended.
macro_rules! collect_by {
    ($(impl[$($gen:tt)*] $item:ty => $coll:ty;)*) => {$(
        impl<$($gen)*> FromIterator<$item> for $coll {
            #[track_caller]
            fn from_iter<I: IntoIterator<Item = $item>>(items: I) -> Self {
                let mut collection = Self::default();
                collection.extend(items);
                collection
            }
        }
    )*};
}

collect_by! {
    impl['a, T] &'a Strong<T> => WeakSet<T>;
    impl[T] Strong<T> => WeakSet<T>;
    impl['a, T, V] (&'a Strong<T>, V) => WeakKeyMap<T, V>;
    impl[T, V] (Strong<T>, V) => WeakKeyMap<T, V>;
    impl['a, T, V] (&'a Strong<T>, V) => SparseWeakKeyMap<T, V>;
    impl[T, V] (Strong<T>, V) => SparseWeakKeyMap<T, V>;
    impl['a, K: Hash + Eq + Clone, T, S: BuildHasher + Default] (K, &'a Strong<T>) => WeakValueMap<K, T, S>;
    impl[K: Hash + Eq + Clone, T, S: BuildHasher + Default] (K, Strong<T>) => WeakValueMap<K, T, S>;
}
