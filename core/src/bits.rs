//! Handles as one `u64`, as bevy's `Entity::to_bits` / `from_bits`: the
//! generation in the high half, the slot index in the low half. What a save
//! file, a network message or an FFI boundary carries.

use crate::generation::Generation;
use crate::handle::{RawHandle, Weak};

impl RawHandle {
    /// The handle [`to_bits`](RawHandle::to_bits) packed, or `None` when
    /// the high half (the generation) is zero: no handle packs to that.
    ///
    /// ```
    /// use weakarena_core::{Generation, RawHandle};
    /// let raw = RawHandle::new(7, Generation::FIRST);
    /// assert_eq!(RawHandle::try_from_bits(raw.to_bits()), Some(raw));
    /// assert_eq!(RawHandle::try_from_bits(7), None); // generation 0
    /// ```
    pub const fn try_from_bits(bits: u64) -> Option<RawHandle> {
        match Generation::new((bits >> 32) as u32) {
            Some(generation) => Some(RawHandle::new(bits as u32, generation)),
            None => None,
        }
    }

    /// The handle [`to_bits`](RawHandle::to_bits) packed.
    ///
    /// # Panics
    ///
    /// When the generation half is zero; [`try_from_bits`](RawHandle::try_from_bits)
    /// returns `None` instead.
    #[track_caller]
    pub const fn from_bits(bits: u64) -> RawHandle {
        match RawHandle::try_from_bits(bits) {
            Some(raw) => raw,
            None => panic!("weakarena: handle bits with generation 0"),
        }
    }
}

impl<T> Weak<T> {
    /// The handle packed into one `u64`, as [`RawHandle::to_bits`].
    ///
    /// ```
    /// use weakarena_core::{Arena, Weak};
    /// let mut arena = Arena::new();
    /// let hero = arena.insert("hero");
    /// let bits = hero.downgrade().to_bits();
    /// let back: Weak<&str> = Weak::from_bits(bits);
    /// assert_eq!(arena.get(back), Some(&"hero"));
    /// ```
    pub const fn to_bits(self) -> u64 {
        self.raw().to_bits()
    }

    /// The handle [`to_bits`](Weak::to_bits) packed, or `None` for bits
    /// whose generation half is zero.
    pub const fn try_from_bits(bits: u64) -> Option<Weak<T>> {
        match RawHandle::try_from_bits(bits) {
            Some(raw) => Some(Weak::from_raw(raw)),
            None => None,
        }
    }

    /// The handle [`to_bits`](Weak::to_bits) packed.
    ///
    /// # Panics
    ///
    /// When the generation half is zero; [`try_from_bits`](Weak::try_from_bits)
    /// returns `None` instead.
    #[track_caller]
    pub const fn from_bits(bits: u64) -> Weak<T> {
        Weak::from_raw(RawHandle::from_bits(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_and_zero_generations_are_refused() {
        let raw = RawHandle::new(u32::MAX - 1, Generation::LAST);
        assert_eq!(RawHandle::from_bits(raw.to_bits()), raw);
        let weak: Weak<u8> = Weak::from_raw(raw);
        assert_eq!(Weak::<u8>::try_from_bits(weak.to_bits()), Some(weak));
        assert_eq!(Weak::<u8>::try_from_bits(u32::MAX as u64), None);
        let panic = std::panic::catch_unwind(|| RawHandle::from_bits(5)).unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"weakarena: handle bits with generation 0"));
    }
}
