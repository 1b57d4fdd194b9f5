//! Collections made without their arena (`Default`, `FromIterator`): they
//! start on a side table no object lives in, and bind to the arena of the
//! first [`Strong`] inserted (which carries its arena's table).
//!
//! Until then such a collection is empty, every lookup answers `None`, and
//! `try_insert` refuses every handle (it cannot know the handle's arena from
//! a plain [`Weak`](weakarena_core::Weak)): insert a `Strong` first.

use std::sync::{Arc, OnceLock};

use weakarena_core::{Arena, SlotTable, Strong};

use crate::sweep::SweepCursor;

/// The side table of an arena that was dropped at once: no object ever
/// lives in it, and its id is that of no live arena.
pub(crate) fn unbound_table() -> &'static Arc<SlotTable> {
    static UNBOUND: OnceLock<Arc<SlotTable>> = OnceLock::new();
    UNBOUND.get_or_init(|| Arc::clone(Arena::<()>::new().slot_table()))
}

/// A cursor for a collection that has not swept anything yet.
pub(crate) fn unbound_cursor() -> SweepCursor {
    SweepCursor::new(unbound_table().id(), 0)
}

/// Binds a collection still on the unbound table to `strong`'s arena.
pub(crate) fn bind<T>(table: &mut Arc<SlotTable>, cursor: &mut SweepCursor, strong: &Strong<T>) {
    if Arc::ptr_eq(table, unbound_table()) {
        *table = strong.slot_table();
        *cursor = SweepCursor::new(table.id(), table.frames_ended());
    }
}
