//! Merging one weak map into another: Python's `d.update(other)`, by copy
//! ([`update`](WeakKeyMap::update)) or by move ([`append`](WeakKeyMap::append)).
//! Only live entries are merged; `weak_count` stays exact (an entry moved
//! over one of the same key counts once).

use std::hash::{BuildHasher, Hash};

use crate::dense_key_map::WeakKeyMap;
use crate::key_check::assert_same_arena;
use crate::key_map::SparseWeakKeyMap;
use crate::value_map::WeakValueMap;

/// `update` and `append` for the key maps.
macro_rules! key_map_merge {
    ($($map:ident),*) => {$(
        impl<T, V> $map<T, V> {
            /// Copies every live entry of `other` into `self`, replacing the values
            /// of keys both have (Python's `d.update(other)`).
            ///
            /// # Panics
            ///
            /// If the maps' keys are objects of different arenas.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let (a, b) = (arena.insert('a'), arena.insert('b'));
            #[doc = concat!("let mut hp = ", stringify!($map), "::from_iter_in(&arena, [(&a, 1), (&b, 2)]);")]
            #[doc = concat!("let healed = ", stringify!($map), "::from_iter_in(&arena, [(&a, 9)]);")]
            /// hp.update(&healed);
            /// assert_eq!((hp[&a], hp[&b], healed[&a]), (9, 2, 9));
            /// ```
            #[track_caller]
            pub fn update(&mut self, other: &$map<T, V>)
            where
                V: Clone,
            {
                assert_same_arena(self.arena(), other.arena(), "update");
                self.extend(other.iter().map(|(key, value)| (key, value.clone())));
            }

            /// Moves every live entry of `other` into `self`, replacing the values
            /// of keys both have, and leaves `other` empty (std's `append`; values
            /// need not be `Clone`).
            ///
            /// # Panics
            ///
            /// If the maps' keys are objects of different arenas.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let (a, b) = (arena.insert('a'), arena.insert('b'));
            #[doc = concat!("let mut inbox = ", stringify!($map), "::from_iter_in(&arena, [(&a, vec![\"hi\"])]);")]
            #[doc = concat!("let mut late = ", stringify!($map), "::from_iter_in(&arena, [(&b, vec![\"yo\"])]);")]
            /// inbox.append(&mut late);
            /// assert!(late.is_empty() && inbox.live_len() == 2);
            /// assert_eq!(arena.weak_count(&b), 1);
            /// ```
            #[track_caller]
            pub fn append(&mut self, other: &mut $map<T, V>) {
                assert_same_arena(self.arena(), other.arena(), "append");
                other.drain_live(|key, value| {
                    let _died_meanwhile = self.try_insert(key, value);
                });
            }
        }
    )*};
}

key_map_merge!(WeakKeyMap, SparseWeakKeyMap);

impl<K: Hash + Eq + Clone, T, S: BuildHasher> WeakValueMap<K, T, S> {
    /// Copies every live entry of `other` into `self`, replacing the
    /// objects under keys both have (Python's `d.update(other)`).
    ///
    /// # Panics
    ///
    /// If the maps' values are objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut names = WeakValueMap::new(&arena);
    /// names.insert("a", &a);
    /// let mut more = WeakValueMap::new(&arena);
    /// more.insert("a", &b);
    /// more.insert("b", &b);
    /// names.update(&more);
    /// assert_eq!(names.get("a"), Some(b.downgrade()));
    /// assert_eq!(arena.weak_count(&b), 4);
    /// ```
    #[track_caller]
    pub fn update<S2: BuildHasher>(&mut self, other: &WeakValueMap<K, T, S2>) {
        assert_same_arena(self.arena(), other.arena(), "update");
        self.extend(other.iter().map(|(key, object)| (key.clone(), object)));
    }

    /// Moves every live entry of `other` into `self`, replacing the objects
    /// under keys both have, and leaves `other` empty.
    ///
    /// # Panics
    ///
    /// If the maps' values are objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakValueMap;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut names = WeakValueMap::new(&arena);
    /// let mut more = WeakValueMap::new(&arena);
    /// more.insert("a", &a);
    /// names.append(&mut more);
    /// assert!(more.is_empty() && names.contains_key("a"));
    /// assert_eq!(arena.weak_count(&a), 1);
    /// ```
    #[track_caller]
    pub fn append<S2: BuildHasher>(&mut self, other: &mut WeakValueMap<K, T, S2>) {
        assert_same_arena(self.arena(), other.arena(), "append");
        other.drain_live(|key, object| {
            let _died_meanwhile = self.try_insert(key, object);
        });
    }
}
