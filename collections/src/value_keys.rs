//! The reverse index of a [`WeakValueMap`](crate::WeakValueMap): for each
//! value object, the keys it is stored under, so a sweep finds a dead
//! object's entries without walking the map.

use std::collections::hash_map::{Entry, HashMap};

use weakarena_core::RawHandle;

use crate::caught_drops::CaughtDrops;
use crate::hashing::BuildHandleHasher;

/// One key, or several: most objects are stored under one key.
enum Keys<K> {
    One(K),
    Many(Vec<K>),
}

/// Value object to the keys it is stored under.
pub(crate) struct ValueKeys<K> {
    by_value: HashMap<RawHandle, Keys<K>, BuildHandleHasher>,
}

impl<K> Default for ValueKeys<K> {
    fn default() -> Self {
        ValueKeys { by_value: HashMap::default() }
    }
}

impl<K: PartialEq> ValueKeys<K> {
    /// Records that `value` is stored under `key`.
    pub(crate) fn link(&mut self, value: RawHandle, key: K) {
        match self.by_value.entry(value) {
            Entry::Vacant(slot) => {
                slot.insert(Keys::One(key));
            }
            Entry::Occupied(mut slot) => {
                let keys = slot.get_mut();
                match keys {
                    Keys::One(_) => {
                        let Keys::One(first) = std::mem::replace(keys, Keys::Many(Vec::new())) else {
                            unreachable!("matched One above");
                        };
                        *keys = Keys::Many(vec![first, key]);
                    }
                    Keys::Many(list) => list.push(key),
                }
            }
        }
    }

    /// Forgets that `value` is stored under `key`.
    pub(crate) fn unlink(&mut self, value: RawHandle, key: &K) {
        let Entry::Occupied(mut slot) = self.by_value.entry(value) else {
            return;
        };
        let now_empty = match slot.get_mut() {
            Keys::One(only) => only == key,
            Keys::Many(list) => {
                list.retain(|k| k != key);
                list.is_empty()
            }
        };
        if now_empty {
            slot.remove();
        }
    }

    /// Removes the keys `value` was stored under, handing each to `each`
    /// (no allocation for the common single key).
    pub(crate) fn take(&mut self, value: RawHandle, mut each: impl FnMut(K)) {
        match self.by_value.remove(&value) {
            Some(Keys::One(key)) => each(key),
            Some(Keys::Many(keys)) => keys.into_iter().for_each(each),
            None => {}
        }
    }

    /// Keeps the values for which `keep` returns `true`, catching each
    /// panic of a dropped key in `drops`.
    pub(crate) fn retain(&mut self, drops: &mut CaughtDrops, mut keep: impl FnMut(RawHandle) -> bool) {
        self.by_value.retain(|&value, keys| {
            let kept = keep(value);
            if !kept {
                // The keys out first, each dropped on its own: a list
                // dropped whole would meet a second panic while unwinding.
                drop_keys(std::mem::replace(keys, Keys::Many(Vec::new())), drops);
            }
            kept
        });
    }
}

impl<K> ValueKeys<K> {
    /// Forgets every key, catching each panic of a key's drop in `drops`.
    pub(crate) fn clear(&mut self, drops: &mut CaughtDrops) {
        self.by_value.drain().for_each(|(_, keys)| drop_keys(keys, drops));
    }
}

impl<K> Drop for ValueKeys<K> {
    fn drop(&mut self) {
        let mut drops = CaughtDrops::default();
        self.clear(&mut drops);
        drops.resume();
    }
}

/// Drops `keys` one at a time through `drops`.
fn drop_keys<K>(keys: Keys<K>, drops: &mut CaughtDrops) {
    match keys {
        Keys::One(key) => drops.drop(key),
        Keys::Many(list) => list.into_iter().for_each(|key| drops.drop(key)),
    }
}
