//! Handles on the wire: `Weak` and `RawHandle` as their bits, `Strong` as
//! its arena's key and its bits.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{arena_key, load_strong, ArenaKey, LoadError};
use crate::handle::{RawHandle, Weak};
use crate::strong::Strong;

impl Serialize for RawHandle {
    /// One `u64`: [`RawHandle::to_bits`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.to_bits())
    }
}

impl<'de> Deserialize<'de> for RawHandle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawHandle, D::Error> {
        let bits = u64::deserialize(deserializer)?;
        RawHandle::try_from_bits(bits).ok_or_else(|| D::Error::custom(LoadError::BadHandle(bits)))
    }
}

impl<T> Serialize for Weak<T> {
    /// One `u64`: [`Weak::to_bits`]. Needs no scope: the arena restores
    /// every slot's generation, so the handle names the same object again.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw().serialize(serializer)
    }
}

impl<'de, T> Deserialize<'de> for Weak<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Weak<T>, D::Error> {
        RawHandle::deserialize(deserializer).map(Weak::from_raw)
    }
}

impl<T> Serialize for Strong<T> {
    /// Its arena's key in the [`SaveScope`](super::SaveScope) and its bits.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let key = arena_key(self.table_ref()).map_err(S::Error::custom)?;
        (key, self.raw()).serialize(serializer)
    }
}

impl<'de, T: 'static> Deserialize<'de> for Strong<T> {
    /// Counted again in its object's strong count, in the arena of its key
    /// in the [`LoadScope`](super::LoadScope).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strong<T>, D::Error> {
        let (key, raw) = <(ArenaKey, RawHandle)>::deserialize(deserializer)?;
        load_strong(key, raw).map_err(D::Error::custom)
    }
}
