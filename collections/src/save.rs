//! Save and load (feature `serde`): each weak collection saves its arena's
//! key and its live entries, and loads them back against that arena in the
//! same [`LoadScope`](weakarena_core::save::LoadScope), counting each entry
//! in its object's `weak_count` again.
//!
//! What is saved is what lookups see: entries whose object died and that no
//! sweep has reclaimed yet are left out, so a loaded collection's `len` is
//! its `live_len`. Entries load in the order the collection iterates, so a
//! map that iterates in insertion order keeps it.

use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use weakarena_core::save::{arena_key, load_strong, table_of, ArenaKey, LoadError, SaveError};
use weakarena_core::{RawHandle, SlotTable, Strong};

use crate::set_members::Members;
use crate::{SparseWeakKeyMap, WeakKeyMap, WeakSet, WeakValueMap};

/// A collection on the wire: its arena, the next frame it sweeps, its live
/// entries in iteration order.
#[derive(Serialize, Deserialize)]
struct Image<E> {
    arena: ArenaKey,
    frame: u64,
    entries: Vec<E>,
}

/// The image of a collection over `table` holding `entries`.
fn image<E>(table: &SlotTable, entries: Vec<E>) -> Result<Image<E>, SaveError> {
    Ok(Image { arena: arena_key(table)?, frame: table.frames_ended(), entries })
}

/// Serializes `entries` of a collection over `table`.
fn save<S: Serializer, E: Serialize>(
    serializer: S,
    table: &SlotTable,
    entries: Vec<E>,
) -> Result<S::Ok, S::Error> {
    image(table, entries).map_err(S::Error::custom)?.serialize(serializer)
}

/// What stops a saved collection from loading.
#[derive(Debug)]
enum Refused {
    Load(LoadError),
    Entry,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Load(error) => error.fmt(f),
            Refused::Entry => f.write_str("weakarena: a loaded collection refused a live entry"),
        }
    }
}

/// Rebuilds a collection from its image: `empty` makes it for the arena's
/// table, `insert` adds one entry under a strong handle to its object.
fn rebuild<T: 'static, E, C>(
    image: Image<E>,
    empty: impl FnOnce(Arc<SlotTable>, u64) -> C,
    mut insert: impl FnMut(&mut C, E, Strong<T>) -> bool,
    handle_of: fn(&E) -> RawHandle,
) -> Result<C, Refused> {
    let table = table_of::<T>(image.arena).map_err(Refused::Load)?;
    let mut collection = empty(table, image.frame);
    for entry in image.entries {
        let strong = load_strong::<T>(image.arena, handle_of(&entry)).map_err(Refused::Load)?;
        if !insert(&mut collection, entry, strong) {
            return Err(Refused::Entry);
        }
    }
    Ok(collection)
}

/// Deserializes a collection's image and rebuilds it (see [`rebuild`]).
fn load<'de, D, T, E, C>(
    deserializer: D,
    empty: impl FnOnce(Arc<SlotTable>, u64) -> C,
    insert: impl FnMut(&mut C, E, Strong<T>) -> bool,
    handle_of: fn(&E) -> RawHandle,
) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    T: 'static,
    E: Deserialize<'de>,
{
    let image = Image::<E>::deserialize(deserializer)?;
    rebuild(image, empty, insert, handle_of).map_err(D::Error::custom)
}

/// Save and load of the key maps: entries as `(handle, value)` in the
/// map's iteration order (`$order`), loaded back in that order.
macro_rules! key_map_serde {
    ($($map:ident: $order:literal),*) => {$(
        impl<T, V: Serialize> Serialize for $map<T, V> {
            #[doc = concat!("Its arena's key and its live entries, in ", $order, ", inside a")]
            /// [`SaveScope`](weakarena_core::save::SaveScope).
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let entries: Vec<(RawHandle, &V)> = self.iter().map(|(key, value)| (key.raw(), value)).collect();
                save(serializer, self.slot_table(), entries)
            }
        }

        impl<'de, T: 'static, V: Deserialize<'de>> Deserialize<'de> for $map<T, V> {
            /// The saved entries, against their arena in the
            /// [`LoadScope`](weakarena_core::save::LoadScope).
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let insert =
                    |map: &mut Self, (_, value): (RawHandle, V), key: Strong<T>| map.try_insert(&key, value).is_ok();
                load(deserializer, $map::for_table, insert, |entry: &(RawHandle, V)| entry.0)
            }
        }
    )*};
}

key_map_serde!(WeakKeyMap: "slot order", SparseWeakKeyMap: "insertion order");

impl<T> Serialize for WeakSet<T> {
    /// Its layout (dense or sparse), its arena's key and its live members,
    /// in iteration order, inside a
    /// [`SaveScope`](weakarena_core::save::SaveScope).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let members: Vec<RawHandle> = self.iter().map(|member| member.raw()).collect();
        let image = image(self.map.slot_table(), members).map_err(S::Error::custom)?;
        (self.is_dense(), image).serialize(serializer)
    }
}

impl<'de, T: 'static> Deserialize<'de> for WeakSet<T> {
    /// The saved members, in their saved order and layout, against their
    /// arena in the [`LoadScope`](weakarena_core::save::LoadScope).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (dense, image) = <(bool, Image<RawHandle>)>::deserialize(deserializer)?;
        let empty = |table, frame| WeakSet {
            map: match dense {
                true => Members::Dense(WeakKeyMap::for_table(table, frame)),
                false => Members::Sparse(SparseWeakKeyMap::for_table(table, frame)),
            },
        };
        let insert = |set: &mut Self, _: RawHandle, member: Strong<T>| set.try_insert(&member).is_ok();
        rebuild(image, empty, insert, |member: &RawHandle| *member).map_err(D::Error::custom)
    }
}

impl<K: Hash + Eq + Clone + Serialize, T, S: BuildHasher> Serialize for WeakValueMap<K, T, S> {
    /// Its arena's key and its live entries, in iteration order, inside a
    /// [`SaveScope`](weakarena_core::save::SaveScope).
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let entries: Vec<(&K, RawHandle)> = self.iter().map(|(key, value)| (key, value.raw())).collect();
        save(serializer, self.slot_table(), entries)
    }
}

impl<'de, K, T, S> Deserialize<'de> for WeakValueMap<K, T, S>
where
    K: Hash + Eq + Clone + Deserialize<'de>,
    T: 'static,
    S: BuildHasher + Default,
{
    /// The saved entries, in their saved order, against their arena in the
    /// [`LoadScope`](weakarena_core::save::LoadScope); keys hash with a
    /// default `S`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let empty = |table, frame| WeakValueMap::for_table(table, frame, S::default());
        let insert =
            |map: &mut Self, (key, _): (K, RawHandle), value: Strong<T>| map.try_insert(key, &value).is_ok();
        load(deserializer, empty, insert, |entry: &(K, RawHandle)| entry.1)
    }
}
