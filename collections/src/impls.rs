//! The std traits of the collections: `Clone` (Python's `copy`), `==` over
//! live entries, and `Index` on [`WeakKeyMap`] and [`SparseWeakKeyMap`].

use std::hash::{BuildHasher, Hash};
use std::ops::{Index, IndexMut};

use weakarena_core::ArenaHandle;

use crate::dense_key_map::WeakKeyMap;
use crate::key_map::SparseWeakKeyMap;
use crate::set::WeakSet;
use crate::value_map::WeakValueMap;

impl<T> Clone for WeakSet<T> {
    /// A new set of the live members (Python's `copy`); each counts in its
    /// object's `weak_count`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let set = WeakSet::from_iter_in(&arena, [&a]);
    /// let mut copy = set.clone();
    /// copy.insert(&b);
    /// assert!(!set.contains(&b) && copy.contains(&b));
    /// assert_eq!(arena.weak_count(&a), 2);
    /// ```
    fn clone(&self) -> Self {
        WeakSet { map: self.map.clone() }
    }
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher + Clone> Clone for WeakValueMap<K, T, S> {
    /// A new map of the live entries, keys cloned, with a clone of the
    /// hasher (Python's `copy`); each entry counts in its object's
    /// `weak_count`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut names = WeakValueMap::new(&arena);
    /// names.insert("a", &a);
    /// let mut copy = names.clone();
    /// copy.insert("a", &b);
    /// assert_eq!((names.get("a"), copy.get("a")), (Some(a.downgrade()), Some(b.downgrade())));
    /// assert_eq!(arena.weak_count(&a), 1);
    /// ```
    fn clone(&self) -> Self {
        let mut copy = self.empty_like();
        copy.extend(self.iter().map(|(key, object)| (key.clone(), object)));
        copy
    }
}

impl<K, T, S, S2> PartialEq<WeakValueMap<K, T, S2>> for WeakValueMap<K, T, S>
where
    K: Hash + Eq + Clone,
    S: BuildHasher,
    S2: BuildHasher,
{
    /// Whether both maps have the same keys for the same live objects
    /// (by identity), whatever their hashers; dead entries do not count.
    /// Maps of different arenas are equal only when both have no live entry.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(1));
    /// let mut one = WeakValueMap::new(&arena);
    /// let mut other = WeakValueMap::new(&arena);
    /// one.insert("x", &a);
    /// other.insert("x", &b);
    /// assert!(one != other); // equal values, different objects
    /// other.insert("x", &a);
    /// assert!(one == other);
    /// ```
    fn eq(&self, other: &WeakValueMap<K, T, S2>) -> bool {
        if self.arena() != other.arena() {
            return self.live_len() == 0 && other.live_len() == 0;
        }
        self.live_len() == other.live_len() && self.iter().all(|(key, object)| other.get(key) == Some(object))
    }
}

impl<K: Hash + Eq + Clone, T, S: BuildHasher> Eq for WeakValueMap<K, T, S> {}

/// `Clone`, `==` and `Index` for the key maps.
macro_rules! key_map_traits {
    ($($map:ident),*) => {$(
        impl<T, V: Clone> Clone for $map<T, V> {
            /// A new map of the live entries, values cloned (Python's `copy`). Each
            /// copied entry counts in its key's `weak_count`, like any entry; the
            /// copy is independent of the original from then on.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert("a");
            #[doc = concat!("let mut hp = ", stringify!($map), "::new(&arena);")]
            /// hp.insert(&a, 10);
            /// let mut copy = hp.clone();
            /// *copy.get_mut(&a).unwrap() = 0;
            /// assert_eq!((hp[&a], copy[&a]), (10, 0));
            /// assert_eq!(arena.weak_count(&a), 2);
            /// ```
            fn clone(&self) -> Self {
                let mut copy = self.empty_like();
                copy.extend(self.iter().map(|(key, value)| (key, value.clone())));
                copy
            }
        }

        impl<T, V: PartialEq> PartialEq for $map<T, V> {
            /// Whether both maps have the same live keys with equal values (Python's
            /// `==` on dictionaries); dead entries not yet swept do not count. Maps
            /// of different arenas are equal only when both have no live entry.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let (a, b) = (arena.insert('a'), arena.insert('b'));
            #[doc = concat!("let one = ", stringify!($map), "::from_iter_in(&arena, [(&a, 1), (&b, 2)]);")]
            #[doc = concat!("let other = ", stringify!($map), "::from_iter_in(&arena, [(&a, 1)]);")]
            /// assert!(one != other);
            /// drop(b);
            /// assert!(one == other); // the dead entry is ignored
            /// ```
            fn eq(&self, other: &$map<T, V>) -> bool {
                if self.arena() != other.arena() {
                    return self.live_len() == 0 && other.live_len() == 0;
                }
                self.live_len() == other.live_len() && self.iter().all(|(key, value)| other.get(key) == Some(value))
            }
        }

        impl<T, V: Eq> Eq for $map<T, V> {}

        impl<T, V, H: ArenaHandle<T>> Index<H> for $map<T, V> {
            type Output = V;

            /// The value under `key` (Python's `d[key]`).
            ///
            /// # Panics
            ///
            /// With a message pointing at the caller's line, if `key`'s object is
            /// dead, of another arena, or has no entry (Python's `KeyError`); use
            #[doc = concat!("[`get`](", stringify!($map), "::get) for an `Option`.")]
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert("a");
            #[doc = concat!("let hp = ", stringify!($map), "::from_iter_in(&arena, [(&a, 10)]);")]
            /// assert_eq!(hp[&a], 10);
            /// ```
            #[track_caller]
            fn index(&self, key: H) -> &V {
                let raw = key.raw_handle();
                match self.get(key) {
                    Some(value) => value,
                    None => panic!(concat!("weakarena: no live entry for key {:?} in this ", stringify!($map)), raw),
                }
            }
        }

        impl<T, V, H: ArenaHandle<T>> IndexMut<H> for $map<T, V> {
            /// The value under `key`, mutably (Python's `d[key] = …` on an existing
            /// key).
            ///
            /// # Panics
            ///
            /// As [`Index`]: if the key is dead, foreign, or has no entry.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert("a");
            #[doc = concat!("let mut hp = ", stringify!($map), "::from_iter_in(&arena, [(&a, 10)]);")]
            /// hp[&a] -= 3;
            /// assert_eq!(hp[&a], 7);
            /// ```
            #[track_caller]
            fn index_mut(&mut self, key: H) -> &mut V {
                let raw = key.raw_handle();
                match self.get_mut(key) {
                    Some(value) => value,
                    None => panic!(concat!("weakarena: no live entry for key {:?} in this ", stringify!($map)), raw),
                }
            }
        }
    )*};
}

key_map_traits!(WeakKeyMap, SparseWeakKeyMap);
