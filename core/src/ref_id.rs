//! The identity of a tracked reference, so what [`Arena::weak_refs`] lists
//! compares with the references themselves (`getweakrefs(o) == [r]`).
//!
//! [`Arena::weak_refs`]: crate::Arena::weak_refs

use crate::arena::TrackedRef;
use crate::finalizer::Finalizer;
use crate::handle::{ArenaId, RawHandle};
use crate::proxy::Proxy;
use crate::registry::TrackedKind;
use crate::weak_method::WeakMethod;
use crate::weak_ref::WeakRef;

/// Which tracked reference this is, so two `RefId`s of references alive at
/// the same time are equal exactly when they name the same reference —
/// Python's `is`. Clones of a [`WeakRef`] or [`Proxy`] share their id, as do
/// the callback-less references that are one shared reference.
///
/// An object's shared callback-less reference (of each kind) has no record:
/// its id is its object's and its kind's, so one made after every handle to
/// the previous one was dropped has the same id again (as a CPython
/// `ref(o)` made after the old one was freed may get its `id()`). Every other
/// reference's id is its arena's and its registration number there, never
/// reused in the process.
///
/// ```
/// use weakarena_core::{Arena, WeakRef};
/// let mut arena = Arena::new();
/// let o = arena.insert(1);
/// let r1 = WeakRef::new(&o);
/// let r2 = WeakRef::with_callback(&o, |_| {});
/// let refs = arena.weak_refs(&o);
/// assert_eq!(refs.len(), 2);
/// assert!(refs[0] == r1 && refs[1] == r2);
/// assert_eq!(refs[1].id, Some(r2.id()));
/// assert_eq!(WeakRef::new(&o).id(), r1.id()); // ref(o) is ref(o)
/// drop(r1);
/// assert!(arena.weak_refs(&o) == [r2]);
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RefId {
    /// The arena's id shifted left twice, with 0 in the low bits for a
    /// registered reference, 1 for a shared one, 2 for a shared proxy.
    scope: u64,
    /// The registration number in the arena, or the shared reference's
    /// object's handle bits.
    number: u64,
}

impl RefId {
    /// The id of the reference with registration number `order` in arena
    /// `arena`.
    pub(crate) const fn registered(arena: ArenaId, order: u64) -> RefId {
        RefId { scope: arena.get() << 2, number: order }
    }

    /// The id of the shared callback-less reference of `kind` (a `Ref` or a
    /// `Proxy`) to `handle`'s object in arena `arena`.
    pub(crate) fn shared(arena: ArenaId, handle: RawHandle, kind: TrackedKind) -> RefId {
        let shared = if kind == TrackedKind::Proxy { 2 } else { 1 };
        RefId { scope: arena.get() << 2 | shared, number: handle.to_bits() }
    }
}

/// `TrackedRef == reference`: the listed entry is that reference.
macro_rules! compare_with_tracked {
    ($($reference:ident<$($param:ident),*>),* $(,)?) => {$(
        impl<$($param),*> PartialEq<$reference<$($param),*>> for TrackedRef {
            fn eq(&self, other: &$reference<$($param),*>) -> bool {
                self.id == Some(other.id())
            }
        }
    )*};
}

compare_with_tracked!(WeakRef<T>, Proxy<T>, WeakMethod<T, F>, Finalizer<T, F>);
