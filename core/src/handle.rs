//! Plain handles: the untyped [`RawHandle`], the typed [`Weak`], arena ids,
//! and the [`ArenaHandle`] trait that lets arena methods take any handle.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use crate::generation::Generation;

/// An untyped slot index plus generation: what every handle boils down to.
///
/// Weak collections and frame reports use raw handles so they need not be
/// generic over the payload type.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawHandle {
    index: u32,
    generation: Generation,
}

impl RawHandle {
    /// A raw handle from its parts.
    pub const fn new(index: u32, generation: Generation) -> RawHandle {
        RawHandle { index, generation }
    }

    /// The slot index.
    pub const fn index(self) -> u32 {
        self.index
    }

    /// The slot's generation when the object this handle names lived in it.
    pub const fn generation(self) -> Generation {
        self.generation
    }

    /// The handle packed into one `u64`: generation in the high half, index
    /// in the low half. Useful as a hash input.
    pub const fn to_bits(self) -> u64 {
        ((self.generation.get() as u64) << 32) | self.index as u64
    }
}

impl Hash for RawHandle {
    /// Hashes the packed bits as one `u64`, so an identity hasher sees one write.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.to_bits());
    }
}

impl fmt::Debug for RawHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:?}", self.index, self.generation)
    }
}

/// Identifies one arena. Strong handles, tracked references, proxies and
/// frame reports carry it, so a handle used with the wrong arena is caught.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ArenaId(pub(crate) u64);

impl ArenaId {
    /// The id's number, unique within the process.
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// A weak handle: 8 bytes of slot index and generation, `Copy`, free to hold.
///
/// Python's `weakref.ref` without the bookkeeping: holding a `Weak` keeps
/// nothing alive and is not counted by [`Arena::weak_count`](crate::Arena::weak_count).
/// Read through it with [`Arena::get`](crate::Arena::get), or turn it back into
/// a counted reference with [`Arena::upgrade`](crate::Arena::upgrade). Once the
/// object's last [`Strong`](crate::Strong) is gone both answer `None`, forever:
/// the slot's generation has moved on and a slot that runs out of generations
/// is retired rather than reused.
///
/// Equality, ordering and hashing are by identity (index and generation).
///
/// A plain `Weak` does not know its arena. Used with another arena of the same
/// type it reads whatever that arena holds under the same index and
/// generation — never memory-unsafe, but possibly another object. Handles
/// that carry their arena ([`Strong`](crate::Strong), [`WeakRef`](crate::WeakRef),
/// [`Proxy`](crate::Proxy)) are checked.
///
/// ```
/// use weakarena_core::{Arena, Weak};
/// let mut arena = Arena::new();
/// let hero = arena.insert("hero");
/// let weak: Weak<&str> = hero.downgrade();
/// assert_eq!(arena.get(weak), Some(&"hero"));
/// drop(hero);
/// assert_eq!(arena.get(weak), None);
/// assert_eq!(std::mem::size_of::<Option<Weak<&str>>>(), 8);
/// ```
pub struct Weak<T> {
    raw: RawHandle,
    _payload: PhantomData<fn() -> T>,
}

impl<T> Weak<T> {
    /// A typed handle from a raw one.
    pub const fn from_raw(raw: RawHandle) -> Weak<T> {
        Weak { raw, _payload: PhantomData }
    }

    /// The untyped handle.
    pub const fn raw(self) -> RawHandle {
        self.raw
    }

    /// The slot index.
    pub const fn index(self) -> u32 {
        self.raw.index
    }

    /// The generation of the object this handle names.
    pub const fn generation(self) -> Generation {
        self.raw.generation
    }
}

impl<T> Copy for Weak<T> {}

impl<T> Clone for Weak<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> PartialEq for Weak<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<T> Eq for Weak<T> {}

impl<T> PartialOrd for Weak<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Weak<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.raw.cmp(&other.raw)
    }
}

impl<T> Hash for Weak<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<T> fmt::Debug for Weak<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Weak({:?})", self.raw)
    }
}

/// Anything that names an object of an `Arena<T>`: [`Weak`], [`Strong`](crate::Strong),
/// [`WeakRef`](crate::WeakRef), [`Proxy`](crate::Proxy), and references to them.
///
/// Arena methods take `impl ArenaHandle<T>`, so `arena.get(weak)`,
/// `arena.get(&strong)` and `arena.get(&weak_ref)` all work.
pub trait ArenaHandle<T> {
    /// The slot index and generation named.
    fn raw_handle(&self) -> RawHandle;

    /// The arena the handle belongs to, when the handle knows it.
    fn arena_id(&self) -> Option<ArenaId>;
}

impl<T> ArenaHandle<T> for Weak<T> {
    fn raw_handle(&self) -> RawHandle {
        self.raw
    }

    fn arena_id(&self) -> Option<ArenaId> {
        None
    }
}

impl<T, H: ArenaHandle<T> + ?Sized> ArenaHandle<T> for &H {
    fn raw_handle(&self) -> RawHandle {
        (**self).raw_handle()
    }

    fn arena_id(&self) -> Option<ArenaId> {
        (**self).arena_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn weak_handles_are_eight_bytes_with_a_niche() {
        assert_eq!(size_of::<Weak<[u8; 64]>>(), 8);
        assert_eq!(size_of::<Option<Weak<[u8; 64]>>>(), 8);
        assert_eq!(size_of::<RawHandle>(), 8);
    }

    #[test]
    fn identity_and_debug() {
        let g2 = Generation::new(2).unwrap();
        let a: Weak<u8> = Weak::from_raw(RawHandle::new(3, g2));
        let b: Weak<u8> = Weak::from_raw(RawHandle::new(3, Generation::FIRST));
        assert_ne!(a, b);
        assert_eq!(a, Weak::from_raw(RawHandle::new(3, g2)));
        assert!(b < a);
        assert_eq!(format!("{a:?}"), "Weak(3v2)");
        assert_eq!(a.raw().to_bits(), (2u64 << 32) | 3);
    }
}
