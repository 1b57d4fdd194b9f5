//! The strong handles a load makes up for holders outside the file.

use std::any::Any;
use std::fmt;

use crate::arena::Arena;
use crate::handle::{ArenaHandle, ArenaId};
use crate::strong::Strong;

/// Strong handles to loaded objects that had more holders when saved than
/// the file held: what [`LoadScope::finish`](super::LoadScope::finish) returns.
///
/// Re-attach them where the game keeps such handles ([`take`](Roots::take),
/// [`take_all`](Roots::take_all)); dropping the rest releases their objects
/// as dropping those holders would have.
///
/// ```
/// use weakarena_core::save::{LoadScope, SaveScope};
/// use weakarena_core::Arena;
/// let mut arena = Arena::new();
/// let held_elsewhere = arena.insert(String::from("boss"));
/// let weak = held_elsewhere.downgrade();
/// let scope = SaveScope::new();
/// let json = serde_json::to_string(&arena).unwrap(); // the handle is not saved
/// scope.finish().unwrap();
///
/// let scope = LoadScope::new();
/// let loaded: Arena<String> = serde_json::from_str(&json).unwrap();
/// let mut roots = scope.finish().unwrap();
/// assert_eq!(roots.len(), 1);
/// let boss = roots.take(&loaded, weak).expect("the boss had a holder");
/// assert_eq!(loaded[&boss], "boss");
/// assert_eq!(boss.strong_count(), 1);
/// ```
#[derive(Default)]
pub struct Roots {
    /// Per arena: its id and a `Vec<Strong<T>>`.
    by_arena: Vec<(ArenaId, Box<dyn Any>)>,
    len: usize,
}

impl Roots {
    pub(super) fn add(&mut self, arena: ArenaId, handles: Box<dyn Any>, count: usize) {
        if count > 0 {
            self.by_arena.push((arena, handles));
            self.len += count;
        }
    }

    /// Root handles left.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether none is left: every strong handle of the save was in the file.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn handles_of<T: 'static>(&mut self, arena: &Arena<T>) -> Option<&mut Vec<Strong<T>>> {
        let (_, handles) = self.by_arena.iter_mut().find(|(id, _)| *id == arena.id())?;
        handles.downcast_mut::<Vec<Strong<T>>>()
    }

    /// One root handle to `handle`'s object in `arena`, if one is left.
    pub fn take<T: 'static>(&mut self, arena: &Arena<T>, handle: impl ArenaHandle<T>) -> Option<Strong<T>> {
        let raw = handle.raw_handle();
        let handles = self.handles_of(arena)?;
        let at = handles.iter().position(|strong| strong.raw() == raw)?;
        let taken = handles.swap_remove(at);
        self.len -= 1;
        Some(taken)
    }

    /// Every root handle left for objects of `arena`.
    pub fn take_all<T: 'static>(&mut self, arena: &Arena<T>) -> Vec<Strong<T>> {
        let taken = self.handles_of(arena).map(std::mem::take).unwrap_or_default();
        self.len -= taken.len();
        taken
    }
}

impl fmt::Debug for Roots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Roots").field("len", &self.len).finish()
    }
}
