//! The container API a slotmap user reaches for: removal in bulk
//! ([`retain`](Arena::retain), [`clear`](Arena::clear),
//! [`drain`](Arena::drain), all [kills](Arena::kill)), views
//! ([`keys`](Arena::keys), [`values`](Arena::values),
//! [`values_mut`](Arena::values_mut)), several objects mutably at once
//! ([`get_disjoint_mut`](Arena::get_disjoint_mut)), room ahead
//! ([`capacity`](Arena::capacity), [`reserve`](Arena::reserve)), the
//! iterator types behind `for (handle, value) in &arena`, and a `Debug`
//! that shows the entries.

use std::fmt;
use std::iter::FusedIterator;
use std::marker::PhantomData;

use crate::arena::Arena;
use crate::handle::{ArenaHandle, RawHandle, Weak};

impl<T> Arena<T> {
    /// Keeps the live objects for which `keep` returns `true` and
    /// [kills](Arena::kill) the rest, in slot order (slotmap's `retain`).
    /// The killed read dead at once; their callbacks, finalizers and value
    /// drops come at the next frame end.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let handles: Vec<_> = (1..=6).map(|n| arena.insert(n)).collect();
    /// arena.retain(|_, n| *n % 2 == 0);
    /// assert_eq!(arena.values().copied().collect::<Vec<_>>(), [2, 4, 6]);
    /// assert_eq!(arena.end_frame().death_count(), 3);
    /// # drop(handles);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(Weak<T>, &mut T) -> bool) {
        let doomed: Vec<Weak<T>> =
            self.iter_mut().filter_map(|(handle, value)| (!keep(handle, value)).then_some(handle)).collect();
        for handle in doomed {
            self.kill(handle);
        }
    }

    /// [Kills](Arena::kill) every live object: the arena reads empty at
    /// once, and the next frame end runs their callbacks and finalizers and
    /// drops their values.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// arena.clear();
    /// assert!(arena.is_empty() && arena.get(&a).is_none() && arena.get(&b).is_none());
    /// assert_eq!(arena.end_frame().death_count(), 2);
    /// ```
    pub fn clear(&mut self) {
        let live: Vec<Weak<T>> = self.keys().collect();
        for handle in live {
            self.kill(handle);
        }
    }

    /// [Kills](Arena::kill) every live object and hands its value out, in
    /// slot order. Eager: the arena is empty when this returns, whether or
    /// not the iterator is used. The next frame end reports the deaths and
    /// runs their callbacks and finalizers; the values are the caller's.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(String::from("a")), arena.insert(String::from("b")));
    /// let taken: Vec<(_, String)> = arena.drain().collect();
    /// assert_eq!(taken, [(a.downgrade(), "a".to_string()), (b.downgrade(), "b".to_string())]);
    /// assert!(arena.is_empty());
    /// let report = arena.end_frame();
    /// assert_eq!((report.death_count(), report.values_dropped), (2, 0));
    /// ```
    pub fn drain(&mut self) -> std::vec::IntoIter<(Weak<T>, T)> {
        let live: Vec<Weak<T>> = self.keys().collect();
        let mut values = Vec::with_capacity(live.len());
        for handle in live {
            if self.kill(handle) {
                let value = self.take_value(handle.index()).expect("a live object has a value");
                values.push((handle, value));
            }
        }
        values.into_iter()
    }

    /// Weak handles of the live objects, in slot order (slotmap's `keys`).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// drop(arena.insert(2));
    /// assert_eq!(arena.keys().collect::<Vec<_>>(), [a.downgrade()]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = Weak<T>> + '_ {
        self.iter().map(|(handle, _)| handle)
    }

    /// The live objects' values, in slot order.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let _kept = [arena.insert(1), arena.insert(2)];
    /// assert_eq!(arena.values().sum::<i32>(), 3);
    /// ```
    pub fn values(&self) -> impl Iterator<Item = &T> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The live objects' values, mutably, in slot order.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// arena.values_mut().for_each(|n| *n *= 10);
    /// assert_eq!(arena[&a], 10);
    /// ```
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.iter_mut().map(|(_, value)| value)
    }

    /// Mutable references to `N` live objects at once, or `None` if any
    /// handle is dead or of another arena, or two name the same object.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(10), arena.insert(20));
    /// if let Some([x, y]) = arena.get_disjoint_mut([&a, &b]) {
    ///     std::mem::swap(x, y);
    /// }
    /// assert_eq!((arena[&a], arena[&b]), (20, 10));
    /// assert!(arena.get_disjoint_mut([&a, &a]).is_none());
    /// ```
    #[must_use]
    pub fn get_disjoint_mut<H: ArenaHandle<T>, const N: usize>(
        &mut self,
        handles: [H; N],
    ) -> Option<[&mut T; N]> {
        let mut raws: Vec<RawHandle> = Vec::with_capacity(N);
        for handle in &handles {
            let raw = handle.raw_handle();
            if !self.contains(handle) || raws.iter().any(|seen| seen.index() == raw.index()) {
                return None;
            }
            raws.push(raw);
        }
        let this = &*self;
        let values = raws.iter().map(|&raw| {
            // SAFETY: `&mut self` is held for the results' lifetime and the
            // indices are pairwise distinct (checked above), so each index
            // is asked for once.
            let (handle, value) = unsafe { this.live_entry_mut(raw.index()) }?;
            (handle.raw() == raw).then_some(value)
        });
        values.collect::<Option<Vec<&mut T>>>()?.try_into().ok()
    }

    /// How many objects the arena can hold before it allocates: the slots
    /// of its chunks (up to the slot limit) less the retired ones, dead
    /// objects awaiting their frame end included, as a `Vec`'s capacity
    /// includes its length.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// assert_eq!(arena.capacity(), 0);
    /// let _a = arena.insert(1);
    /// assert!(arena.capacity() >= 1);
    /// ```
    pub fn capacity(&self) -> usize {
        self.slots.capacity().min(self.slot_limit() as usize) - self.retired_slots()
    }

    /// Allocates ahead so that `additional` more objects can be inserted
    /// without allocating (within the slot limit). Storage never moves, so
    /// this only saves the allocations from the insert path.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena: Arena<u64> = Arena::new();
    /// arena.reserve(10_000);
    /// assert!(arena.capacity() >= 10_000);
    /// let before = arena.capacity();
    /// let _kept: Vec<_> = (0..10_000).map(|n| arena.insert(n)).collect();
    /// assert_eq!(arena.capacity(), before);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let fresh_needed = additional.saturating_sub(self.free.len());
        let wanted = (self.slots.len() as usize).saturating_add(fresh_needed).min(self.slot_limit() as usize);
        self.slots.reserve(wanted);
    }
}

/// The live objects of an arena with their handles, in slot order:
/// [`Arena::iter`] and `for (handle, value) in &arena`.
pub struct Iter<'a, T> {
    arena: &'a Arena<T>,
    next: u32,
    end: u32,
}

impl<'a, T> Iter<'a, T> {
    pub(crate) fn new(arena: &'a Arena<T>) -> Iter<'a, T> {
        Iter { arena, next: 0, end: arena.slot_count() as u32 }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = (Weak<T>, &'a T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.end {
            let index = self.next;
            self.next += 1;
            if let Some(entry) = self.arena.live_entry(index) {
                return Some(entry);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some((self.end - self.next) as usize))
    }
}

impl<T> FusedIterator for Iter<'_, T> {}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter { arena: self.arena, next: self.next, end: self.end }
    }
}

/// The live objects of an arena with their handles, values mutable, in slot
/// order: [`Arena::iter_mut`] and `for (handle, value) in &mut arena`.
pub struct IterMut<'a, T> {
    /// Shared, so each step can hand out a value for `'a`; the `&mut`
    /// borrow this was made from keeps every other access out.
    arena: &'a Arena<T>,
    next: u32,
    end: u32,
    _values: PhantomData<&'a mut T>,
}

impl<'a, T> IterMut<'a, T> {
    pub(crate) fn new(arena: &'a mut Arena<T>) -> IterMut<'a, T> {
        let end = arena.slot_count() as u32;
        IterMut { arena, next: 0, end, _values: PhantomData }
    }
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = (Weak<T>, &'a mut T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.end {
            let index = self.next;
            self.next += 1;
            // SAFETY: made from `&mut Arena` held for `'a`, and each index
            // is visited once (`next` only grows), so each value is
            // borrowed by one `&mut`.
            if let Some(entry) = unsafe { self.arena.live_entry_mut(index) } {
                return Some(entry);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some((self.end - self.next) as usize))
    }
}

impl<T> FusedIterator for IterMut<'_, T> {}

impl<'a, T> IntoIterator for &'a Arena<T> {
    type Item = (Weak<T>, &'a T);
    type IntoIter = Iter<'a, T>;

    /// The live objects with their handles ([`Arena::iter`]).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// for (handle, value) in &arena {
    ///     assert_eq!((handle, *value), (a.downgrade(), 1));
    /// }
    /// ```
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Arena<T> {
    type Item = (Weak<T>, &'a mut T);
    type IntoIter = IterMut<'a, T>;

    /// The live objects with their handles, mutably ([`Arena::iter_mut`]).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// for (_, value) in &mut arena {
    ///     *value += 1;
    /// }
    /// assert_eq!(arena[&a], 2);
    /// ```
    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T: fmt::Debug> fmt::Debug for Arena<T> {
    /// The arena's id, frame and live count, and its live entries in slot
    /// order (`{:#?}` puts one per line).
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let _a = arena.insert("orc");
    /// let shown = format!("{arena:?}");
    /// assert!(shown.contains("len: 1") && shown.contains(r#"Weak(0v1): "orc""#), "{shown}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("id", &self.id().get())
            .field("frame", &self.frame())
            .field("len", &self.len())
            .field("slots", &self.slot_count())
            .field("entries", &Entries(self))
            .finish()
    }
}

/// An arena's live entries, as a map from handle to value.
struct Entries<'a, T>(&'a Arena<T>);

impl<T: fmt::Debug> fmt::Debug for Entries<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}
