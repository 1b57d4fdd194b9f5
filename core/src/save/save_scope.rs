//! The save side: which arenas this save has met, and their keys.

use std::cell::RefCell;
use std::collections::HashMap;
use std::marker::PhantomData;

use super::{ArenaKey, SaveError};
use crate::handle::ArenaId;
use crate::slot_table::SlotTable;

/// The arenas met so far in this thread's save, in key order.
#[derive(Default)]
struct SaveContext {
    keys: HashMap<ArenaId, ArenaKey>,
    /// Per key: the arena's id, and whether the arena itself was saved.
    arenas: Vec<(ArenaId, bool)>,
}

thread_local! {
    static SAVE: RefCell<Option<SaveContext>> = const { RefCell::new(None) };
}

/// A save in progress on this thread: while it lives, serializing an
/// [`Arena`](crate::Arena), a [`Strong`](crate::Strong) or a weak collection
/// records which arena it belongs to. See the [module docs](super).
///
/// ```
/// use weakarena_core::save::{SaveError, SaveScope};
/// use weakarena_core::Arena;
/// let mut arena = Arena::new();
/// let kept = arena.insert(1u8);
///
/// let scope = SaveScope::new();
/// serde_json::to_string(&kept).unwrap(); // a handle, but not its arena
/// assert!(matches!(scope.finish(), Err(SaveError::MissingArena(_))));
/// ```
#[must_use = "the save scope ends when dropped; call `finish` after serializing"]
pub struct SaveScope {
    /// Thread-bound: the context is this thread's.
    _thread: PhantomData<*const ()>,
}

impl SaveScope {
    /// Starts a save on this thread.
    ///
    /// # Panics
    ///
    /// If a save is already in progress on this thread.
    #[track_caller]
    pub fn new() -> SaveScope {
        SAVE.with_borrow_mut(|save| {
            assert!(save.is_none(), "weakarena: a SaveScope is already open on this thread");
            *save = Some(SaveContext::default());
        });
        SaveScope { _thread: PhantomData }
    }

    /// Ends the save: every arena whose handles were saved must have been
    /// saved itself.
    pub fn finish(self) -> Result<(), SaveError> {
        let context = SAVE.with_borrow_mut(Option::take).unwrap_or_default();
        match context.arenas.iter().find(|(_, saved)| !saved) {
            Some(&(id, _)) => Err(SaveError::MissingArena(id)),
            None => Ok(()),
        }
    }
}

impl Default for SaveScope {
    fn default() -> Self {
        SaveScope::new()
    }
}

impl Drop for SaveScope {
    fn drop(&mut self) {
        SAVE.with_borrow_mut(|save| *save = None);
    }
}

impl std::fmt::Debug for SaveScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SaveScope")
    }
}

fn key_in(context: &mut SaveContext, id: ArenaId) -> ArenaKey {
    *context.keys.entry(id).or_insert_with(|| {
        context.arenas.push((id, false));
        ArenaKey(context.arenas.len() as u32 - 1)
    })
}

/// The key of `table`'s arena in the save in progress, for a handle or
/// collection that names it (the arena itself must be saved too).
pub fn arena_key(table: &SlotTable) -> Result<ArenaKey, SaveError> {
    SAVE.with_borrow_mut(|save| Ok(key_in(save.as_mut().ok_or(SaveError::NoScope)?, table.id())))
}

/// The key of the arena `id`, which is being saved now.
pub(crate) fn saving_arena(id: ArenaId) -> Result<ArenaKey, SaveError> {
    SAVE.with_borrow_mut(|save| {
        let context = save.as_mut().ok_or(SaveError::NoScope)?;
        let key = key_in(context, id);
        let saved = &mut context.arenas[key.0 as usize].1;
        if std::mem::replace(saved, true) {
            return Err(SaveError::SavedTwice(id));
        }
        Ok(key)
    })
}
