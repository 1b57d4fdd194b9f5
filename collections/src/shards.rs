//! A hash table of handles split into shards, so one large collection can
//! be swept by several threads at once.

use std::collections::hash_map::{self, HashMap};

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use weakarena_core::{RawHandle, SlotTable};

use crate::hashing::{shard_of, BuildHandleHasher};
use crate::sweep::DeathFilter;

/// Entries per shard before the shard count doubles.
const SHARD_CAPACITY: usize = 1 << 15;
/// The most shards a table splits into.
const MAX_SHARDS: usize = 64;
/// Deaths below which a death-driven sweep is not worth spreading over threads.
#[cfg(feature = "parallel")]
const PARALLEL_DEATHS: usize = 4096;

type Shard<V> = HashMap<RawHandle, V, BuildHandleHasher>;

/// Handles to values, in 1 to 64 shards.
pub(crate) struct Shards<V> {
    shards: Vec<Shard<V>>,
}

impl<V> Default for Shards<V> {
    fn default() -> Self {
        Shards { shards: vec![Shard::default()] }
    }
}

impl<V> Shards<V> {
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }

    fn shard(&self, handle: RawHandle) -> &Shard<V> {
        &self.shards[shard_of(handle.to_bits(), self.shards.len())]
    }

    fn shard_mut(&mut self, handle: RawHandle) -> &mut Shard<V> {
        let count = self.shards.len();
        &mut self.shards[shard_of(handle.to_bits(), count)]
    }

    pub(crate) fn get(&self, handle: RawHandle) -> Option<&V> {
        self.shard(handle).get(&handle)
    }

    pub(crate) fn get_mut(&mut self, handle: RawHandle) -> Option<&mut V> {
        self.shard_mut(handle).get_mut(&handle)
    }

    pub(crate) fn remove(&mut self, handle: RawHandle) -> Option<V> {
        self.shard_mut(handle).remove(&handle)
    }

    /// The entry for `handle`, growing the shard count first if needed.
    pub(crate) fn entry(&mut self, handle: RawHandle) -> hash_map::Entry<'_, RawHandle, V> {
        self.grow_if_full(handle);
        self.shard_mut(handle).entry(handle)
    }

    /// Doubles the shard count when the shard `handle` goes to is full.
    fn grow_if_full(&mut self, handle: RawHandle) {
        if self.shards.len() < MAX_SHARDS && self.shard(handle).len() >= SHARD_CAPACITY {
            let count = self.shards.len() * 2;
            let old = std::mem::replace(&mut self.shards, (0..count).map(|_| Shard::default()).collect());
            for (moved, value) in old.into_iter().flatten() {
                self.shards[shard_of(moved.to_bits(), count)].insert(moved, value);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (RawHandle, &V)> + '_ {
        self.shards.iter().flat_map(|shard| shard.iter().map(|(&handle, value)| (handle, value)))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (RawHandle, &mut V)> + '_ {
        self.shards.iter_mut().flat_map(|shard| shard.iter_mut().map(|(&handle, value)| (handle, value)))
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(RawHandle, &mut V) -> bool) {
        for shard in &mut self.shards {
            shard.retain(|&handle, value| keep(handle, value));
        }
    }

    /// Removes every entry, handing each to `each`.
    pub(crate) fn drain(&mut self, mut each: impl FnMut(RawHandle, V)) {
        for shard in &mut self.shards {
            for (handle, value) in shard.drain() {
                each(handle, value);
            }
        }
    }

    /// The handle of any one entry.
    pub(crate) fn any(&self) -> Option<RawHandle> {
        self.shards.iter().find_map(|shard| shard.keys().next().copied())
    }
}

impl<V: Send> Shards<V> {
    /// Removes the entries of `deaths` by lookup: cost follows the deaths.
    pub(crate) fn sweep_deaths(&mut self, deaths: &[RawHandle]) -> usize {
        #[cfg(feature = "parallel")]
        if deaths.len() >= PARALLEL_DEATHS && self.shards.len() > 1 {
            return self.par_sweep_deaths(deaths);
        }
        deaths.iter().filter(|&&death| self.remove(death).is_some()).count()
    }

    /// [`sweep_deaths`](Shards::sweep_deaths), the shards in parallel.
    #[cfg(feature = "parallel")]
    fn par_sweep_deaths(&mut self, deaths: &[RawHandle]) -> usize {
        let count = self.shards.len();
        let mut per_shard = vec![Vec::new(); count];
        for &death in deaths {
            per_shard[shard_of(death.to_bits(), count)].push(death);
        }
        self.shards
            .par_iter_mut()
            .zip(per_shard)
            .map(|(shard, deaths)| deaths.iter().filter(|death| shard.remove(death).is_some()).count())
            .sum()
    }

    /// One streaming pass over every entry, shards in parallel: an entry goes
    /// when `filter` says its object died in the report's frame.
    pub(crate) fn sweep_stream(&mut self, filter: &DeathFilter<'_>) -> usize {
        self.par_retain(|handle| !filter.died(handle))
    }

    /// One pass that checks every entry's generation and count: correct
    /// whatever frames were missed.
    pub(crate) fn sweep_full(&mut self, table: &SlotTable) -> usize {
        self.par_retain(|handle| table.is_alive(handle))
    }

    /// Keeps the entries `keep` accepts: with the `parallel` feature, one
    /// shard per task when there are several, else on the calling thread.
    fn par_retain(&mut self, keep: impl Fn(RawHandle) -> bool + Sync) -> usize {
        let retain_shard = |shard: &mut Shard<V>| {
            let before = shard.len();
            shard.retain(|&handle, _| keep(handle));
            before - shard.len()
        };
        #[cfg(feature = "parallel")]
        if self.shards.len() > 1 {
            return self.shards.par_iter_mut().map(retain_shard).sum();
        }
        self.shards.iter_mut().map(retain_shard).sum()
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
    fn grows_into_shards_and_sweeps_many_deaths_in_parallel() {
        let mut shards = Shards::default();
        for index in 0..100_000 {
            shards.entry(handle(index)).or_insert(index);
        }
        assert!(shards.shards.len() >= 4);
        assert_eq!(shards.len(), 100_000);
        let deaths: Vec<RawHandle> = (0..10_000).map(|i| handle(i * 10)).collect();
        assert_eq!(shards.sweep_deaths(&deaths), 10_000);
        assert_eq!(shards.sweep_deaths(&deaths), 0);
        assert_eq!(shards.len(), 90_000);
        assert_eq!(shards.get(handle(11)), Some(&11));
        assert_eq!(shards.get(handle(10)), None);
    }
}
