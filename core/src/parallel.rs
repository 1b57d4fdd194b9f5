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
        let table = self.slot_table();
        self.values().par_iter().enumerate().filter_map(move |(index, value)| {
            let raw = table.live_handle(index as u32)?;
            Some((Weak::from_raw(raw), value.as_ref()?))
        })
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
        let (table, values) = self.table_and_values_mut();
        values.par_iter_mut().enumerate().filter_map(move |(index, value)| {
            let raw = table.live_handle(index as u32)?;
            Some((Weak::from_raw(raw), value.as_mut()?))
        })
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
