//! [`WeakSet`]'s in-place set algebra (Python's `update`, `-=`, `&=`, `^=`),
//! proper subset and superset (`<`, `>`), and the algebra's operators.
//!
//! Every membership a method adds or removes is counted in its object's
//! [`weak_count`](weakarena_core::Arena::weak_count) at once, so the counts
//! stay exact through the in-place operations.

use std::cmp::Ordering;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, BitXor, BitXorAssign, Sub, SubAssign};

use crate::set::WeakSet;

impl<T> WeakSet<T> {
    /// Adds every live member of `other` (Python's `update` and `|=`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let mut seen = WeakSet::from_iter_in(&arena, [&a]);
    /// seen.update(&WeakSet::from_iter_in(&arena, [&a, &b]));
    /// assert_eq!(seen.live_len(), 2);
    /// assert_eq!(arena.weak_count(&a), 1); // `a` was already in: counted once
    /// ```
    #[track_caller]
    pub fn update(&mut self, other: &WeakSet<T>) {
        self.check_same_arena(other);
        self.extend(other.iter());
    }

    /// Removes every member of `other` (Python's `difference_update` and `-=`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let mut todo = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// todo.difference_update(&WeakSet::from_iter_in(&arena, [&a]));
    /// assert!(!todo.contains(&a) && todo.contains(&b));
    /// assert_eq!(arena.weak_count(&a), 0);
    /// ```
    #[track_caller]
    pub fn difference_update(&mut self, other: &WeakSet<T>) {
        self.check_same_arena(other);
        if other.len() < self.len() {
            for member in other.iter() {
                self.remove(member);
            }
        } else {
            self.retain(|member| !other.contains(member));
        }
    }

    /// Keeps only the members that are also in `other` (Python's
    /// `intersection_update` and `&=`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let mut both = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// both.intersection_update(&WeakSet::from_iter_in(&arena, [&b]));
    /// assert!(!both.contains(&a) && both.contains(&b));
    /// ```
    #[track_caller]
    pub fn intersection_update(&mut self, other: &WeakSet<T>) {
        self.check_same_arena(other);
        self.retain(|member| other.contains(member));
    }

    /// Keeps the members of exactly one of the two sets (Python's
    /// `symmetric_difference_update` and `^=`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b, c) = (arena.insert('a'), arena.insert('b'), arena.insert('c'));
    /// let mut odd = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// odd.symmetric_difference_update(&WeakSet::from_iter_in(&arena, [&b, &c]));
    /// assert!(odd.contains(&a) && !odd.contains(&b) && odd.contains(&c));
    /// ```
    #[track_caller]
    pub fn symmetric_difference_update(&mut self, other: &WeakSet<T>) {
        self.check_same_arena(other);
        for member in other.iter() {
            if !self.remove(member) {
                let _died_meanwhile = self.try_insert(member);
            }
        }
    }

    /// Whether every live member of `self` is in `other`, and `other` has
    /// more (Python's `<`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let one = WeakSet::from_iter_in(&arena, [&a]);
    /// let two = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// assert!(one.is_proper_subset(&two));
    /// assert!(!one.is_proper_subset(&one.clone()));
    /// drop(b);
    /// assert!(!one.is_proper_subset(&two)); // `b` died: the sets are equal
    /// ```
    #[track_caller]
    #[must_use]
    pub fn is_proper_subset(&self, other: &WeakSet<T>) -> bool {
        self.is_subset(other) && self.live_len() < other.live_len()
    }

    /// Whether every live member of `other` is in `self`, and `self` has
    /// more (Python's `>`).
    ///
    /// # Panics
    ///
    /// If the sets hold objects of different arenas.
    ///
    /// ```
    /// # use weakarena_core::Arena;
    /// # use weakarena_collections::WeakSet;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert('a'), arena.insert('b'));
    /// let two = WeakSet::from_iter_in(&arena, [&a, &b]);
    /// assert!(two.is_proper_superset(&WeakSet::from_iter_in(&arena, [&b])));
    /// ```
    #[track_caller]
    #[must_use]
    pub fn is_proper_superset(&self, other: &WeakSet<T>) -> bool {
        other.is_proper_subset(self)
    }

    /// Whether every live member of `self` is in `other`. Never panics: sets
    /// of different arenas share no member.
    pub(crate) fn live_subset_of(&self, other: &WeakSet<T>) -> bool {
        if self.arena() == other.arena() {
            self.iter().all(|member| other.contains(member))
        } else {
            self.iter().next().is_none()
        }
    }
}

impl<T> PartialEq for WeakSet<T> {
    /// Whether the two sets have the same live members (Python's `==`);
    /// dead entries not yet swept do not count. Sets of different arenas
    /// are equal only when both have no live member.
    fn eq(&self, other: &WeakSet<T>) -> bool {
        self.live_subset_of(other) && other.live_subset_of(self)
    }
}

impl<T> Eq for WeakSet<T> {}

impl<T> PartialOrd for WeakSet<T> {
    /// Sets are ordered by inclusion, as in Python: `a < b` is a proper
    /// subset, `a <= b` a subset; two sets neither of which holds the other
    /// are not comparable (`None`).
    fn partial_cmp(&self, other: &WeakSet<T>) -> Option<Ordering> {
        match (self.live_subset_of(other), other.live_subset_of(self)) {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (false, false) => None,
        }
    }
}

/// `&a | &b` and friends: the algebra with Python's operators; `a |= &b`
/// and friends in place. They panic, as the methods do, for sets of
/// different arenas.
macro_rules! set_operators {
    ($($op:ident $method:ident => $named:ident, $assign:ident $assign_method:ident => $in_place:ident;)*) => {$(
        impl<T> $op<&WeakSet<T>> for &WeakSet<T> {
            type Output = WeakSet<T>;

            #[doc = concat!("[`WeakSet::", stringify!($named), "`].")]
            #[track_caller]
            fn $method(self, other: &WeakSet<T>) -> WeakSet<T> {
                self.$named(other)
            }
        }

        impl<T> $assign<&WeakSet<T>> for WeakSet<T> {
            #[doc = concat!("[`WeakSet::", stringify!($in_place), "`].")]
            #[track_caller]
            fn $assign_method(&mut self, other: &WeakSet<T>) {
                self.$in_place(other);
            }
        }
    )*};
}

set_operators! {
    BitOr bitor => union, BitOrAssign bitor_assign => update;
    BitAnd bitand => intersection, BitAndAssign bitand_assign => intersection_update;
    Sub sub => difference, SubAssign sub_assign => difference_update;
    BitXor bitxor => symmetric_difference, BitXorAssign bitxor_assign => symmetric_difference_update;
}
