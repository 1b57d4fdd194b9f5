//! The reverse index of a [`WeakValueMap`](crate::WeakValueMap): for each
//! value object, the keys it is stored under, so a sweep finds a dead
//! object's entries without walking the map.
//!
//! Indexed by the object's slot, as the dense `WeakKeyMap` is: a sweep
//! takes a dead object's keys with one index and one generation check, no
//! hashing. A slot holds the keys of one generation; the rare older
//! generation still linked when a slot's next occupant is linked (a dead
//! object whose entries are not swept yet) moves to a small hashed side
//! table, so both stay exact.

use std::collections::hash_map::{Entry, HashMap};

use weakarena_core::{Generation, RawHandle};

use crate::caught_drops::CaughtDrops;
use crate::hashing::BuildHandleHasher;

/// One key, or several: most objects are stored under one key.
enum Keys<K> {
    One(K),
    Many(Vec<K>),
}

impl<K> Keys<K> {
    /// Hands every key to `each`.
    fn each(self, mut each: impl FnMut(K)) {
        match self {
            Keys::One(key) => each(key),
            Keys::Many(keys) => keys.into_iter().for_each(each),
        }
    }
}

impl<K: PartialEq> Keys<K> {
    /// Adds `key`.
    fn add(&mut self, key: K) {
        match self {
            Keys::One(_) => {
                let Keys::One(first) = std::mem::replace(self, Keys::Many(Vec::new())) else {
                    unreachable!("matched One above");
                };
                *self = Keys::Many(vec![first, key]);
            }
            Keys::Many(list) => list.push(key),
        }
    }

    /// Removes `key`; `true` when no key is left.
    fn remove(&mut self, key: &K) -> bool {
        match self {
            Keys::One(only) => only == key,
            Keys::Many(list) => {
                list.retain(|k| k != key);
                list.is_empty()
            }
        }
    }
}

/// Value object to the keys it is stored under.
pub(crate) struct ValueKeys<K> {
    /// Slot index → the generation linked there and its keys.
    by_slot: Vec<Option<(Generation, Keys<K>)>>,
    /// Older generations of slots whose next occupant was linked while
    /// they still were (their entries not swept yet).
    displaced: HashMap<RawHandle, Keys<K>, BuildHandleHasher>,
}

impl<K> Default for ValueKeys<K> {
    fn default() -> Self {
        ValueKeys { by_slot: Vec::new(), displaced: HashMap::default() }
    }
}

impl<K: PartialEq> ValueKeys<K> {
    /// Records that `value` is stored under `key`.
    pub(crate) fn link(&mut self, value: RawHandle, key: K) {
        let index = value.index() as usize;
        if index >= self.by_slot.len() {
            self.by_slot.resize_with(index + 1, || None);
        }
        let slot = &mut self.by_slot[index];
        match slot {
            Some((generation, keys)) if *generation == value.generation() => keys.add(key),
            Some(_) => {
                let Some((generation, keys)) = slot.replace((value.generation(), Keys::One(key))) else {
                    unreachable!("matched Some above");
                };
                match self.displaced.entry(RawHandle::new(value.index(), generation)) {
                    Entry::Occupied(mut older) => keys.each(|key| older.get_mut().add(key)),
                    Entry::Vacant(vacant) => {
                        vacant.insert(keys);
                    }
                }
            }
            None => *slot = Some((value.generation(), Keys::One(key))),
        }
    }

    /// Forgets that `value` is stored under `key`.
    pub(crate) fn unlink(&mut self, value: RawHandle, key: &K) {
        if let Some(slot) = self.by_slot.get_mut(value.index() as usize) {
            if let Some((generation, keys)) = slot {
                if *generation == value.generation() {
                    if keys.remove(key) {
                        *slot = None;
                    }
                    return;
                }
            }
        }
        if let Entry::Occupied(mut entry) = self.displaced.entry(value) {
            if entry.get_mut().remove(key) {
                entry.remove();
            }
        }
    }

    /// Removes the keys `value` was stored under, handing each to `each`
    /// (no allocation for the common single key).
    #[inline]
    pub(crate) fn take(&mut self, value: RawHandle, each: impl FnMut(K)) {
        if let Some(slot) = self.by_slot.get_mut(value.index() as usize) {
            if slot.as_ref().is_some_and(|(generation, _)| *generation == value.generation()) {
                if let Some((_, keys)) = slot.take() {
                    keys.each(each);
                }
                return;
            }
        }
        if self.displaced.is_empty() {
            return;
        }
        if let Some(keys) = self.displaced.remove(&value) {
            keys.each(each);
        }
    }

    /// Keeps the values for which `keep` returns `true`, catching each
    /// panic of a dropped key in `drops`.
    pub(crate) fn retain(&mut self, drops: &mut CaughtDrops, mut keep: impl FnMut(RawHandle) -> bool) {
        for (index, slot) in self.by_slot.iter_mut().enumerate() {
            let linked = slot.as_ref().map(|(generation, _)| RawHandle::new(index as u32, *generation));
            if linked.is_some_and(|value| !keep(value)) {
                if let Some((_, keys)) = slot.take() {
                    drop_keys(keys, drops);
                }
            }
        }
        self.displaced.retain(|&value, keys| {
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
        self.by_slot.drain(..).flatten().for_each(|(_, keys)| drop_keys(keys, drops));
        self.displaced.drain().for_each(|(_, keys)| drop_keys(keys, drops));
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
    keys.each(|key| drops.drop(key));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(index: u32, generation: u32) -> RawHandle {
        RawHandle::new(index, Generation::new(generation).unwrap())
    }

    fn taken(keys: &mut ValueKeys<&'static str>, value: RawHandle) -> Vec<&'static str> {
        let mut out = Vec::new();
        keys.take(value, |key| out.push(key));
        out
    }

    #[test]
    fn a_slots_next_occupant_keeps_the_older_generations_keys_apart() {
        let mut keys = ValueKeys::default();
        keys.link(handle(3, 1), "old");
        keys.link(handle(3, 2), "new");
        keys.link(handle(3, 2), "newer");
        assert_eq!(taken(&mut keys, handle(3, 1)), ["old"]);
        assert!(taken(&mut keys, handle(3, 1)).is_empty(), "taken once");
        keys.unlink(handle(3, 2), &"new");
        assert_eq!(taken(&mut keys, handle(3, 2)), ["newer"]);
    }

    #[test]
    fn retain_sees_both_generations_of_a_slot() {
        let mut keys = ValueKeys::default();
        keys.link(handle(0, 1), "a");
        keys.link(handle(0, 2), "b");
        keys.link(handle(5, 1), "c");
        let mut seen = Vec::new();
        keys.retain(&mut CaughtDrops::default(), |value| {
            seen.push(value);
            value.generation().get() == 2
        });
        seen.sort_by_key(|value| (value.index(), value.generation().get()));
        assert_eq!(seen, [handle(0, 1), handle(0, 2), handle(5, 1)]);
        assert!(taken(&mut keys, handle(0, 1)).is_empty() && taken(&mut keys, handle(5, 1)).is_empty());
        assert_eq!(taken(&mut keys, handle(0, 2)), ["b"]);
    }
}
