//! Slot generations: a non-zero counter that never wraps.

use std::fmt;
use std::num::NonZeroU32;

/// How many times a slot has been occupied, starting at [`Generation::FIRST`].
///
/// A generation is never zero, which gives [`Weak`](crate::Weak) its niche:
/// `Option<Weak<T>>` is as small as `Weak<T>`. It never wraps either: when a
/// slot's generation reaches [`Generation::LAST`] the slot is *retired* at
/// reclamation and never handed out again, so a stale handle can never see a
/// later object.
///
/// ```
/// use weakarena_core::Generation;
/// assert_eq!(Generation::FIRST.get(), 1);
/// assert_eq!(Generation::FIRST.next().map(Generation::get), Some(2));
/// assert_eq!(Generation::LAST.next(), None); // the slot retires
/// ```
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Generation(NonZeroU32);

impl Generation {
    /// The generation of a slot's first occupant.
    pub const FIRST: Generation = Generation(NonZeroU32::MIN);
    /// The last generation a slot can have; a slot that reaches it is retired.
    pub const LAST: Generation = Generation(NonZeroU32::MAX);

    /// The generation with number `value`, or `None` for zero.
    pub const fn new(value: u32) -> Option<Generation> {
        match NonZeroU32::new(value) {
            Some(nz) => Some(Generation(nz)),
            None => None,
        }
    }

    /// The generation's number (never zero).
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The following generation, or `None` when this is [`Generation::LAST`].
    pub const fn next(self) -> Option<Generation> {
        match self.0.checked_add(1) {
            Some(nz) => Some(Generation(nz)),
            None => None,
        }
    }
}

impl fmt::Debug for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_not_a_generation() {
        assert_eq!(Generation::new(0), None);
        assert_eq!(Generation::new(7).map(Generation::get), Some(7));
    }

    #[test]
    fn last_generation_has_no_successor() {
        let before_last = Generation::new(u32::MAX - 1).unwrap();
        assert_eq!(before_last.next(), Some(Generation::LAST));
        assert_eq!(Generation::LAST.next(), None);
    }

    #[test]
    fn option_of_generation_is_four_bytes() {
        assert_eq!(std::mem::size_of::<Option<Generation>>(), 4);
    }
}
