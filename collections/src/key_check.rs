//! Checking a handle before it goes into a collection.

use weakarena_core::{AccessError, ArenaHandle, ArenaId, RawHandle, ReferenceError, SlotTable};

/// `handle` as a raw handle, if it names a live object of `table`'s arena.
pub(crate) fn live_handle<T>(
    table: &SlotTable,
    handle: &impl ArenaHandle<T>,
) -> Result<RawHandle, AccessError> {
    if let Some(handle_arena) = handle.arena_id() {
        if handle_arena != table.id() {
            return Err(AccessError::WrongArena { arena: table.id(), handle_arena });
        }
    }
    let raw = handle.raw_handle();
    if table.is_alive(raw) {
        Ok(raw)
    } else {
        Err(AccessError::Dead(ReferenceError::new(raw)))
    }
}

/// Panics with a message naming both arenas unless they are the same:
/// combining collections of two arenas is a bug (their handles name
/// unrelated objects).
#[track_caller]
pub(crate) fn assert_same_arena(ours: ArenaId, theirs: ArenaId, what: &str) {
    assert!(
        ours == theirs,
        "weakarena: {what} between collections of arenas {} and {}",
        ours.get(),
        theirs.get()
    );
}
