//! `WeakSet`: Python's `weakref.WeakSet`.

use std::fmt;

use weakarena_core::{AccessError, Arena, ArenaHandle, ArenaId, FrameReport, Strong, Weak};

use crate::set_members::Members;
use crate::sweep::{Clock, Sweep, SweepStats};

/// A set of objects of one [`Arena`], held weakly, compared by identity.
/// Python's `WeakSet`, with its set algebra.
///
/// Membership semantics, `len` and sweeping are those of the key maps (a
/// `WeakSet<T>` is one with `()` values), in one of two layouts chosen at
/// construction:
///
/// - [`WeakSet::new`] (the default, and `Default`): hashed, as
///   [`SparseWeakKeyMap`](crate::SparseWeakKeyMap), for a selection of a few objects of a large
///   arena. Memory follows the member count; iteration is in insertion
///   order, the newest popped first.
/// - [`WeakSet::dense`]: indexed by slot, as [`WeakKeyMap`](crate::WeakKeyMap),
///   for a set holding a large share of its arena. Membership and each
///   swept death are an index and a generation check; memory follows the
///   arena's slot count (4 bytes a slot); iteration is in slot order.
///
/// The README's performance section measures both (`benches/sets.rs`).
///
/// # Panics
///
/// The set algebra panics, with a message pointing at the caller's line,
/// when the two sets hold objects of different arenas.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::WeakSet;
/// let mut arena = Arena::new();
/// let (a, b, c) = (arena.insert('a'), arena.insert('b'), arena.insert('c'));
/// let mut selected = WeakSet::new(&arena);
/// let mut visible = WeakSet::new(&arena);
/// selected.extend([&a, &b]);
/// visible.extend([&b, &c]);
/// assert_eq!(selected.intersection(&visible).len(), 1);
/// drop(b);
/// assert!(selected.is_disjoint(&visible)); // b is gone for both
/// ```
pub struct WeakSet<T> {
    pub(crate) map: Members<T>,
}

impl<T> WeakSet<T> {
    /// An empty set for objects of `arena`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let arena: Arena<u8> = Arena::new();
    /// let set = WeakSet::new(&arena);
    /// assert!(set.is_empty() && set.arena() == arena.id());
    /// ```
    #[must_use]
    pub fn new(arena: &Arena<T>) -> WeakSet<T> {
        WeakSet { map: Members::sparse(arena) }
    }

    /// An empty set for objects of `arena`, indexed by slot: the layout
    /// for a set that holds a large share of its arena (every unit on a
    /// team, everything visible). Membership is an index and a generation
    /// check, with no hashing, and a sweep takes the dead members straight
    /// from the report's death list; memory follows the arena's slot count
    /// (4 bytes a slot up to the highest member's), not the member count,
    /// and iteration and [`pop`](Self::pop) go in slot order (the highest
    /// slot first). Everything else is as for [`new`](Self::new)'s sets,
    /// and the two layouts mix freely in the set algebra; a result takes
    /// the layout of `self`.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let units: Vec<_> = (0..100).map(|i| arena.insert(i)).collect();
    /// let mut alive = WeakSet::dense(&arena);
    /// alive.extend(&units);
    /// assert!(alive.is_dense() && alive.contains(&units[42]));
    /// let picked = WeakSet::from_iter_in(&arena, [&units[42]]);
    /// assert_eq!(alive.intersection(&picked).len(), 1);
    /// ```
    #[must_use]
    pub fn dense(arena: &Arena<T>) -> WeakSet<T> {
        WeakSet { map: Members::dense(arena) }
    }

    /// Whether the set is indexed by slot ([`dense`](Self::dense)) rather
    /// than hashed ([`new`](Self::new), the default).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let arena: Arena<u8> = Arena::new();
    /// assert!(!WeakSet::new(&arena).is_dense() && WeakSet::dense(&arena).is_dense());
    /// ```
    pub fn is_dense(&self) -> bool {
        self.map.is_dense()
    }

    /// A set of `members` of `arena`; dead or foreign handles are skipped.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let gone = b.downgrade();
    /// drop(b);
    /// let set = WeakSet::from_iter_in(&arena, [a.downgrade(), gone]);
    /// assert_eq!(set.len(), 1); // the dead handle was skipped
    /// ```
    #[must_use]
    pub fn from_iter_in<H: ArenaHandle<T>>(
        arena: &Arena<T>,
        members: impl IntoIterator<Item = H>,
    ) -> WeakSet<T> {
        let mut set = WeakSet::new(arena);
        for member in members {
            let _refused = set.try_insert(member);
        }
        set
    }

    /// The arena whose objects are the members.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let arena: Arena<u8> = Arena::new();
    /// assert_eq!(WeakSet::new(&arena).arena(), arena.id());
    /// ```
    pub fn arena(&self) -> ArenaId {
        self.map.arena()
    }

    /// Adds `member` (Python's `add`); `Ok(true)` if it was not already in.
    /// A dead handle, or one of another arena, is refused;
    /// [`insert`](Self::insert) takes a `Strong` and needs no `unwrap`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert('a');
    /// let weak = a.downgrade();
    /// let mut set = WeakSet::new(&arena);
    /// assert_eq!(set.try_insert(weak), Ok(true));
    /// assert_eq!(set.try_insert(weak), Ok(false));
    /// drop(a);
    /// assert!(set.try_insert(weak).is_err());
    /// ```
    pub fn try_insert(&mut self, member: impl ArenaHandle<T>) -> Result<bool, AccessError> {
        self.map.try_insert(member).map(|old| old.is_none()).map_err(|refused| refused.error)
    }

    /// Removes `member` (Python's `discard`); whether it was a live member.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut set = WeakSet::from_iter_in(&arena, [&a]);
    /// assert!(set.remove(&a));
    /// assert!(!set.remove(&a));
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[doc(alias = "discard")]
    pub fn remove(&mut self, member: impl ArenaHandle<T>) -> bool {
        self.map.remove(member)
    }

    /// Whether `member` is alive and in the set.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let set = WeakSet::from_iter_in(&arena, [&a]);
    /// let weak = a.downgrade();
    /// assert!(set.contains(weak));
    /// drop(a);
    /// assert!(!set.contains(weak)); // dead at once, before any sweep
    /// ```
    pub fn contains(&self, member: impl ArenaHandle<T>) -> bool {
        self.map.contains(member)
    }

    /// Removes and returns the newest live member (Python's `pop`, whose
    /// choice is arbitrary; here it is always the last inserted).
    ///
    /// # Panics
    ///
    /// If the member's strong count is at its limit (2^28), so no strong
    /// handle can be made; the member stays in the set.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut set = WeakSet::from_iter_in(&arena, [&a]);
    /// assert_eq!(set.pop(), Some(a));
    /// assert_eq!(set.pop(), None);
    /// ```
    pub fn pop(&mut self) -> Option<Strong<T>> {
        self.map.pop()
    }

    /// Stored members: exact after the frame's sweep (see [`SparseWeakKeyMap::len`](crate::SparseWeakKeyMap::len)).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut set = WeakSet::from_iter_in(&arena, [&a]);
    /// drop(a);
    /// assert_eq!((set.len(), set.live_len()), (1, 0)); // stored until the sweep
    /// weakarena_collections::sweep_all(&[arena.end_frame()], &mut [&mut set]);
    /// assert_eq!(set.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no member is stored.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let mut set = WeakSet::new(&arena);
    /// assert!(set.is_empty());
    /// set.insert(&arena.insert(1)); // dies at once, but is stored until the sweep
    /// assert!(!set.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.map.len() == 0
    }

    /// Members alive right now (walks the set).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let set = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// drop(b);
    /// assert_eq!(set.live_len(), 1);
    /// ```
    pub fn live_len(&self) -> usize {
        self.map.live_len()
    }

    /// Removes every member.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let mut set = WeakSet::from_iter_in(&arena, [&a]);
    /// set.clear();
    /// assert!(set.is_empty() && arena.weak_count(&a) == 0);
    /// ```
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Live members as weak handles, in insertion order.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let set = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// drop(a);
    /// let members: Vec<_> = set.iter().collect();
    /// assert_eq!(members, [b.downgrade()]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Weak<T>> + '_ {
        self.map.iter()
    }

    /// Live members as strong handles.
    ///
    /// # Panics
    ///
    /// When it reaches a member whose strong count is at its limit (2^28).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let a = arena.insert(1);
    /// let set = WeakSet::from_iter_in(&arena, [&a]);
    /// let held: Vec<_> = set.iter_strong().collect();
    /// assert_eq!(held, [a.clone()]);
    /// assert_eq!(a.strong_count(), 2);
    /// ```
    pub fn iter_strong(&self) -> impl Iterator<Item = Strong<T>> + '_ {
        let table = self.map.slot_table();
        self.iter().filter_map(move |member| table.upgrade(member))
    }

    /// Keeps the live members for which `keep` returns `true`.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let mut set = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// set.retain(|member| arena[member] % 2 == 0);
    /// assert!(!set.contains(&a) && set.contains(&b));
    /// ```
    pub fn retain(&mut self, keep: impl FnMut(Weak<T>) -> bool) {
        self.map.retain(keep);
    }

    /// Members of `self` or `other` (`|`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let left = WeakSet::from_iter_in(&arena, [&a]);
    /// let right = WeakSet::from_iter_in(&arena, [&b]);
    /// assert_eq!(left.union(&right).live_len(), 2);
    /// ```
    #[track_caller]
    #[must_use]
    pub fn union(&self, other: &WeakSet<T>) -> WeakSet<T> {
        self.check_same_arena(other);
        let mut result = self.filtered(|_| true);
        result.extend(other.iter());
        result
    }

    /// Members of both (`&`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let left = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// let right = WeakSet::from_iter_in(&arena, [&b]);
    /// assert_eq!(left.intersection(&right).iter().collect::<Vec<_>>(), [b.downgrade()]);
    /// ```
    #[track_caller]
    #[must_use]
    pub fn intersection(&self, other: &WeakSet<T>) -> WeakSet<T> {
        self.check_same_arena(other);
        self.filtered(|member| other.contains(member))
    }

    /// Members of `self` not in `other` (`-`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let left = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// let right = WeakSet::from_iter_in(&arena, [&b]);
    /// assert_eq!(left.difference(&right).iter().collect::<Vec<_>>(), [a.downgrade()]);
    /// ```
    #[track_caller]
    #[must_use]
    pub fn difference(&self, other: &WeakSet<T>) -> WeakSet<T> {
        self.check_same_arena(other);
        self.filtered(|member| !other.contains(member))
    }

    /// Members of exactly one of the two (`^`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b, c) = (arena.insert(1), arena.insert(2), arena.insert(3));
    /// let left = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// let right = WeakSet::from_iter_in(&arena, [&b, &c]);
    /// let odd = left.symmetric_difference(&right);
    /// assert!(odd.contains(&a) && !odd.contains(&b) && odd.contains(&c));
    /// ```
    #[track_caller]
    #[must_use]
    pub fn symmetric_difference(&self, other: &WeakSet<T>) -> WeakSet<T> {
        let mut result = self.difference(other);
        result.extend(other.iter().filter(|&member| !self.contains(member)));
        result
    }

    /// Whether every live member of `self` is in `other` (`<=`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let one = WeakSet::from_iter_in(&arena, [&a]);
    /// let two = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// assert!(one.is_subset(&two) && one.is_subset(&one) && !two.is_subset(&one));
    /// ```
    #[track_caller]
    #[must_use]
    pub fn is_subset(&self, other: &WeakSet<T>) -> bool {
        self.check_same_arena(other);
        self.iter().all(|member| other.contains(member))
    }

    /// Whether every live member of `other` is in `self` (`>=`).
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let one = WeakSet::from_iter_in(&arena, [&a]);
    /// let two = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// assert!(two.is_superset(&one) && !one.is_superset(&two));
    /// ```
    #[track_caller]
    #[must_use]
    pub fn is_superset(&self, other: &WeakSet<T>) -> bool {
        other.is_subset(self)
    }

    /// Whether no live member is in both.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let left = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// let right = WeakSet::from_iter_in(&arena, [&b]);
    /// assert!(!left.is_disjoint(&right));
    /// drop(b);
    /// assert!(left.is_disjoint(&right)); // the shared member died
    /// ```
    #[track_caller]
    #[must_use]
    pub fn is_disjoint(&self, other: &WeakSet<T>) -> bool {
        self.check_same_arena(other);
        self.iter().all(|member| !other.contains(member))
    }

    /// A new set of the live members that pass `keep`.
    fn filtered(&self, keep: impl Fn(Weak<T>) -> bool) -> WeakSet<T> {
        let mut result = WeakSet { map: self.map.empty_like() };
        result.extend(self.iter().filter(|&member| keep(member)));
        result
    }

    #[track_caller]
    pub(crate) fn check_same_arena(&self, other: &WeakSet<T>) {
        assert!(
            self.arena() == other.arena(),
            "weakarena: set algebra between sets of arenas {} and {}",
            self.arena().get(),
            other.arena().get()
        );
    }
}

impl<T> Sweep for WeakSet<T> {
    fn arena_id(&self) -> ArenaId {
        self.map.arena()
    }

    fn sweep(&mut self, report: &FrameReport) -> SweepStats {
        self.map.sweep(report, Clock::Read)
    }

    fn sweep_untimed(&mut self, report: &FrameReport) -> SweepStats {
        self.map.sweep(report, Clock::Skip)
    }
}

impl<T> fmt::Debug for WeakSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}
