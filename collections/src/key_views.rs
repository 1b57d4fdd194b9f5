//! The key maps' views over their live entries (keys, strong keys,
//! `keyrefs`, values), one definition for the dense and the sparse map:
//! each is a projection of the map's own `iter` / `iter_mut`.

use weakarena_core::{Strong, Weak};

use crate::dense_key_map::WeakKeyMap;
use crate::key_map::SparseWeakKeyMap;

/// `keys`, `keys_strong`, `keyrefs`, `values` and `values_mut`.
macro_rules! key_map_views {
    ($($map:ident),*) => {$(
        impl<T, V> $map<T, V> {
            /// Live keys as weak handles, in the map's iteration order.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert(1);
            #[doc = concat!("let map = ", stringify!($map), "::from_iter_in(&arena, [(&a, \"a\")]);")]
            /// assert_eq!(map.keys().collect::<Vec<_>>(), [a.downgrade()]);
            /// ```
            pub fn keys(&self) -> impl Iterator<Item = Weak<T>> + '_ {
                self.iter().map(|(key, _)| key)
            }

            /// Live keys as strong handles (Python's `keys()`, which yields objects).
            ///
            /// # Panics
            ///
            /// When it reaches a key whose strong count is at its limit (2^28).
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert(1);
            #[doc = concat!("let map = ", stringify!($map), "::from_iter_in(&arena, [(&a, \"a\")]);")]
            /// let held: Vec<_> = map.keys_strong().collect();
            /// assert_eq!(held, [a.clone()]);
            /// assert_eq!(a.strong_count(), 2);
            /// ```
            pub fn keys_strong(&self) -> impl Iterator<Item = Strong<T>> + '_ {
                self.keys().filter_map(|key| self.slot_table().upgrade(key))
            }

            /// Weak handles of the live keys, collected (Python's `keyrefs()`).
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert(1);
            #[doc = concat!("let map = ", stringify!($map), "::from_iter_in(&arena, [(&a, \"a\")]);")]
            /// assert_eq!(map.keyrefs(), vec![a.downgrade()]);
            /// ```
            pub fn keyrefs(&self) -> Vec<Weak<T>> {
                self.keys().collect()
            }

            /// Values of live keys, in the map's iteration order.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let (a, b) = (arena.insert(1), arena.insert(2));
            #[doc = concat!("let hp = ", stringify!($map), "::from_iter_in(&arena, [(&a, 1), (&b, 2)]);")]
            /// assert_eq!(hp.values().sum::<i32>(), 3);
            /// ```
            pub fn values(&self) -> impl Iterator<Item = &V> + '_ {
                self.iter().map(|(_, value)| value)
            }

            /// Values of live keys, mutably.
            ///
            /// ```
            /// # use weakarena_core::Arena;
            #[doc = concat!("# use weakarena_collections::", stringify!($map), ";")]
            /// let mut arena = Arena::new();
            /// let a = arena.insert(1);
            #[doc = concat!("let mut hp = ", stringify!($map), "::from_iter_in(&arena, [(&a, 1)]);")]
            /// hp.values_mut().for_each(|v| *v += 1);
            /// assert_eq!(hp[&a], 2);
            /// ```
            pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> + '_ {
                self.iter_mut().map(|(_, value)| value)
            }
        }
    )*};
}

key_map_views!(WeakKeyMap, SparseWeakKeyMap);
