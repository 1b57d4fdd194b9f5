//! The identity of a tracked reference, so what [`Arena::weak_refs`] lists
//! compares with the references themselves (`getweakrefs(o) == [r]`).
//!
//! [`Arena::weak_refs`]: crate::Arena::weak_refs

use crate::arena::TrackedRef;
use crate::finalizer::Finalizer;
use crate::proxy::Proxy;
use crate::weak_method::WeakMethod;
use crate::weak_ref::WeakRef;

/// Which tracked reference this is: unique across every arena for the life
/// of the process (a registration number, never reused), so two
/// `RefId`s are equal exactly when they name the same reference — Python's
/// `is`. Clones of a [`WeakRef`] or [`Proxy`] share their id, as do the
/// callback-less references that are one shared reference.
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
/// drop(r1);
/// assert!(arena.weak_refs(&o) == [r2]);
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RefId(pub(crate) u64);

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
