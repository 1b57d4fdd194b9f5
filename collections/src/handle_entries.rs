//! The entries of a hashed weak collection: handles to values, iterated in
//! insertion order (an [`Ordered`] map), as CPython's dictionaries are.

use weakarena_core::{RawHandle, SlotTable};

use crate::hashing::BuildHandleHasher;
use crate::ordered::{Ordered, OrderedEntry};
use crate::sweep::DeathFilter;

/// Handles to values, oldest first.
pub(crate) struct HandleEntries<V> {
    entries: Ordered<RawHandle, V, BuildHandleHasher>,
}

/// The place of one handle.
pub(crate) type HandleEntry<'a, V> = OrderedEntry<'a, RawHandle, V, BuildHandleHasher>;

impl<V> Default for HandleEntries<V> {
    fn default() -> Self {
        HandleEntries { entries: Ordered::default() }
    }
}

impl<V> HandleEntries<V> {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn get(&self, handle: RawHandle) -> Option<&V> {
        self.entries.get(&handle)
    }

    pub(crate) fn get_mut(&mut self, handle: RawHandle) -> Option<&mut V> {
        self.entries.get_mut(&handle)
    }

    pub(crate) fn remove(&mut self, handle: RawHandle) -> Option<V> {
        self.entries.remove(&handle)
    }

    pub(crate) fn entry(&mut self, handle: RawHandle) -> HandleEntry<'_, V> {
        self.entries.entry(handle)
    }

    /// Entries, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (RawHandle, &V)> + '_ {
        self.entries.iter().map(|(&handle, value)| (handle, value))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (RawHandle, &mut V)> + '_ {
        self.entries.iter_mut().map(|(&handle, value)| (handle, value))
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(RawHandle, &mut V) -> bool) {
        self.entries.retain(|&handle, value| keep(handle, value));
    }

    /// Removes every entry, oldest first, handing each to `each`.
    pub(crate) fn drain(&mut self, mut each: impl FnMut(RawHandle, V)) {
        self.entries.drain(|(handle, value)| each(handle, value));
    }

    /// The handle of the newest entry.
    pub(crate) fn newest(&self) -> Option<RawHandle> {
        self.entries.last().map(|(&handle, _)| handle)
    }

    /// Removes the entries of `deaths` by lookup: cost follows the deaths.
    pub(crate) fn sweep_deaths(&mut self, deaths: &[RawHandle]) -> usize {
        deaths.iter().filter(|&&death| self.remove(death).is_some()).count()
    }

    /// One streaming pass over every entry: an entry goes when `filter`
    /// says its object died in the report's frame.
    pub(crate) fn sweep_stream(&mut self, filter: &DeathFilter<'_>) -> usize {
        self.retain_counted(|handle| !filter.died(handle))
    }

    /// One pass that checks every entry's generation and count: correct
    /// whatever frames were missed.
    pub(crate) fn sweep_full(&mut self, table: &SlotTable) -> usize {
        self.retain_counted(|handle| table.is_alive(handle))
    }

    /// Keeps the entries `keep` accepts; returns how many went.
    fn retain_counted(&mut self, keep: impl Fn(RawHandle) -> bool) -> usize {
        let before = self.len();
        self.entries.retain(|&handle, _| keep(handle));
        before - self.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weakarena_core::Generation;

    fn handle(index: u32) -> RawHandle {
        RawHandle::new(index, Generation::FIRST)
    }

    #[test]
    fn many_deaths_swept_by_lookup_leave_the_rest_in_insertion_order() {
        let mut entries = HandleEntries::default();
        for index in (0..10_000).rev() {
            if let HandleEntry::Vacant(slot) = entries.entry(handle(index)) {
                slot.insert(index);
            }
        }
        assert_eq!(entries.len(), 10_000);
        let deaths: Vec<RawHandle> = (0..1_000).map(|i| handle(i * 10)).collect();
        assert_eq!(entries.sweep_deaths(&deaths), 1_000);
        assert_eq!(entries.sweep_deaths(&deaths), 0);
        assert_eq!(entries.len(), 9_000);
        assert_eq!(entries.get(handle(11)), Some(&11));
        assert_eq!(entries.get(handle(10)), None);
        let order: Vec<u32> = entries.iter().map(|(handle, _)| handle.index()).collect();
        let expected: Vec<u32> = (0..10_000).rev().filter(|i| i % 10 != 0).collect();
        assert_eq!(order, expected);
        assert_eq!(entries.newest(), Some(handle(1)));
    }
}
