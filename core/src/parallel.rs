//! Parallel iteration over an arena's live objects, with rayon: for game
//! systems that read or update every object at once. Only with the
//! `parallel` feature (on by default).

use rayon::prelude::*;

use crate::arena::Arena;
use crate::handle::Weak;

impl<T: Sync> Arena<T> {
    /// Live objects with their handles, as a rayon parallel iterator.
    /// Objects that die on other threads meanwhile are skipped from then on.
    /// Needs the `parallel` feature (on by default).
    ///
    /// ```
    /// use rayon::prelude::*;
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let handles: Vec<_> = (1..=100u64).map(|i| arena.insert(i)).collect();
    /// let total: u64 = arena.par_iter().map(|(_, value)| *value).sum();
    /// assert_eq!(total, 5050);
    /// # drop(handles);
    /// ```
    pub fn par_iter(&self) -> impl ParallelIterator<Item = (Weak<T>, &T)> + '_ {
        (0..self.slot_len()).into_par_iter().filter_map(move |index| self.live_entry(index))
    }
}

impl<T: Send> Arena<T> {
    /// Live objects with their handles, mutably, as a rayon parallel
    /// iterator: each object is updated by one thread. Needs the
    /// `parallel` feature (on by default).
    ///
    /// ```
    /// use rayon::prelude::*;
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let handles: Vec<_> = (0..1000).map(|i| arena.insert(i)).collect();
    /// arena.par_iter_mut().for_each(|(_, value)| *value *= 2);
    /// assert_eq!(arena[&handles[21]], 42);
    /// ```
    pub fn par_iter_mut(&mut self) -> impl ParallelIterator<Item = (Weak<T>, &mut T)> + '_ {
        let this = ExclusiveArena(&*self);
        (0..self.slot_len()).into_par_iter().filter_map(move |index| {
            // SAFETY: `&mut self` is held for the iterator's lifetime and the
            // range yields each index once, so each value has one `&mut`.
            unsafe { this.entry_mut(index) }
        })
    }
}

/// An arena borrowed from `&mut`, shared with the threads of a parallel
/// iteration that each take distinct slots' values mutably: `Sync` when
/// `T: Send`, as `&mut [T]` is shared out by `par_iter_mut`.
struct ExclusiveArena<'a, T>(&'a Arena<T>);

impl<T> Clone for ExclusiveArena<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ExclusiveArena<'_, T> {}

// SAFETY: only `par_iter_mut` makes one, from `&mut Arena<T>`, and its
// threads reach values only through `live_entry_mut` on distinct indices:
// each `T` is accessed by one thread, which `T: Send` allows. The arena's
// other shared state is atomics.
unsafe impl<T: Send> Sync for ExclusiveArena<'_, T> {}
// SAFETY: as for `Sync`.
unsafe impl<T: Send> Send for ExclusiveArena<'_, T> {}

impl<'a, T> ExclusiveArena<'a, T> {
    /// The live object in `index`, mutably.
    ///
    /// # Safety
    ///
    /// As `Arena::live_entry_mut`: each index at most once per iteration.
    unsafe fn entry_mut(self, index: u32) -> Option<(Weak<T>, &'a mut T)> {
        // SAFETY: the caller's contract, and `par_iter_mut` holds `&mut`.
        unsafe { self.0.live_entry_mut(index) }
    }
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use crate::Arena;

    #[test]
    fn parallel_iteration_sees_exactly_the_live_objects() {
        let mut arena = Arena::new();
        let mut handles: Vec<_> = (0..10_000u32).map(|i| arena.insert(i)).collect();
        handles.retain(|h| arena[h] % 3 != 0); // a third die, not yet reclaimed
        let mut seen: Vec<u32> = arena
            .par_iter()
            .map(|(weak, value)| {
                assert_eq!(&arena[weak], value, "each handle names its own value");
                *value
            })
            .collect();
        seen.sort_unstable();
        let mut expected: Vec<u32> = handles.iter().map(|h| arena[h]).collect();
        expected.sort_unstable();
        assert_eq!(seen, expected);
        arena.par_iter_mut().for_each(|(_, value)| *value += 1);
        assert!(handles.iter().all(|h| arena[h] % 3 != 1));
        assert_eq!(arena.iter().count(), handles.len());
    }
}
