//! Where a [`WeakSet`](crate::WeakSet) keeps its members: a key map with
//! `()` values, hashed ([`SparseWeakKeyMap`], the default) or indexed by
//! slot ([`WeakKeyMap`], [`WeakSet::dense`](crate::WeakSet::dense)). Every
//! operation is the map's own; this enum only picks the map.

use std::sync::Arc;

use weakarena_core::{Arena, ArenaHandle, ArenaId, FrameReport, SlotTable, Strong, Weak};

use crate::dense_key_map::WeakKeyMap;
use crate::error::InsertError;
use crate::key_map::SparseWeakKeyMap;
use crate::sweep::{Clock, SweepStats};

/// The members of a set, in one of the two layouts.
pub(crate) enum Members<T> {
    /// Hashed by handle, in insertion order.
    Sparse(SparseWeakKeyMap<T, ()>),
    /// Indexed by slot, in slot order.
    Dense(WeakKeyMap<T, ()>),
}

/// `members.$method(args)` on whichever map holds the members.
macro_rules! on_map {
    ($members:expr, $map:ident => $call:expr) => {
        match $members {
            Members::Sparse($map) => $call,
            Members::Dense($map) => $call,
        }
    };
}

impl<T> Members<T> {
    /// An empty sparse set of `arena`'s objects.
    pub(crate) fn sparse(arena: &Arena<T>) -> Members<T> {
        Members::Sparse(SparseWeakKeyMap::new(arena))
    }

    /// An empty dense set of `arena`'s objects.
    pub(crate) fn dense(arena: &Arena<T>) -> Members<T> {
        Members::Dense(WeakKeyMap::new(arena))
    }

    /// Whether the members are indexed by slot.
    pub(crate) fn is_dense(&self) -> bool {
        matches!(self, Members::Dense(_))
    }

    pub(crate) fn arena(&self) -> ArenaId {
        on_map!(self, map => map.arena())
    }

    pub(crate) fn slot_table(&self) -> &Arc<SlotTable> {
        on_map!(self, map => map.slot_table())
    }

    pub(crate) fn try_insert(&mut self, member: impl ArenaHandle<T>) -> Result<Option<()>, InsertError<()>> {
        on_map!(self, map => map.try_insert(member, ()))
    }

    pub(crate) fn bind_to(&mut self, member: &Strong<T>) {
        on_map!(self, map => map.bind_to(member));
    }

    pub(crate) fn remove(&mut self, member: impl ArenaHandle<T>) -> bool {
        on_map!(self, map => map.remove(member).is_some())
    }

    pub(crate) fn contains(&self, member: impl ArenaHandle<T>) -> bool {
        on_map!(self, map => map.contains_key(member))
    }

    pub(crate) fn pop(&mut self) -> Option<Strong<T>> {
        on_map!(self, map => map.pop_item().map(|(member, ())| member))
    }

    pub(crate) fn len(&self) -> usize {
        on_map!(self, map => map.len())
    }

    pub(crate) fn live_len(&self) -> usize {
        on_map!(self, map => map.live_len())
    }

    pub(crate) fn clear(&mut self) {
        on_map!(self, map => map.clear());
    }

    /// The live members, in the layout's order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Weak<T>> + '_ {
        let (sparse, dense) = match self {
            Members::Sparse(map) => (Some(map.keys()), None),
            Members::Dense(map) => (None, Some(map.keys())),
        };
        sparse.into_iter().flatten().chain(dense.into_iter().flatten())
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Weak<T>) -> bool) {
        on_map!(self, map => map.retain(|member, ()| keep(member)));
    }

    /// An empty set over the same arena, in the same layout.
    pub(crate) fn empty_like(&self) -> Members<T> {
        match self {
            Members::Sparse(map) => Members::Sparse(map.empty_like()),
            Members::Dense(map) => Members::Dense(map.empty_like()),
        }
    }

    pub(crate) fn sweep(&mut self, report: &FrameReport, clock: Clock) -> SweepStats {
        on_map!(self, map => map.sweep_with(report, clock))
    }
}

impl<T> Clone for Members<T> {
    fn clone(&self) -> Self {
        match self {
            Members::Sparse(map) => Members::Sparse(map.clone()),
            Members::Dense(map) => Members::Dense(map.clone()),
        }
    }
}

impl<T> Default for Members<T> {
    /// Sparse, on the unbound table.
    fn default() -> Self {
        Members::Sparse(SparseWeakKeyMap::default())
    }
}
