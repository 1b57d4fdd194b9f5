//! The load side: the arenas being rebuilt, keyed as in the file, and the
//! one reference the load holds on every object it has seen alive.
//!
//! A strong handle, or a weak collection's entry, may come before its
//! arena's data in the file. Its object must be alive the moment it is
//! loaded (a collection counts its membership, a strong handle must keep a
//! live slot), so the load *holds* each object it meets: the first time it
//! is named, its slot is occupied (in an empty arena, the *shell*, that the
//! arena's own data later fills in) with one strong reference owned by the
//! load. [`LoadScope::finish`] turns the holds into the saved counts: it
//! makes up what the loaded handles lack as [`Roots`], then drops the holds.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use super::{ArenaKey, LoadError, Roots};
use crate::arena::Arena;
use crate::handle::{ArenaId, RawHandle};
use crate::slot_table::SlotTable;
use crate::strong::Strong;

/// One arena of the load, before and after its own data is read.
pub(super) struct Entry<T> {
    pub(super) key: ArenaKey,
    pub(super) table: Arc<SlotTable>,
    /// The load's one reference per object met, by slot.
    pub(super) holds: BTreeMap<u32, Strong<T>>,
    /// The arena to fill in, until its data is read.
    pub(super) shell: Option<Arena<T>>,
    /// Once its data is read: each live or killed object's strong count
    /// when saved.
    pub(super) saved: Option<BTreeMap<u32, Saved>>,
}

/// An object's strong count when saved, and whether it was a killed one.
#[derive(Copy, Clone)]
pub(super) struct Saved {
    pub(super) count: u32,
    pub(super) killed: bool,
}

/// What the context needs of an entry without knowing `T`.
trait Erased {
    fn as_any(&mut self) -> &mut dyn Any;
    fn payload(&self) -> &'static str;
    fn finish(self: Box<Self>) -> Result<(ArenaId, Box<dyn Any>, usize), LoadError>;
}

impl<T: 'static> Erased for Entry<T> {
    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn payload(&self) -> &'static str {
        std::any::type_name::<T>()
    }

    fn finish(self: Box<Self>) -> Result<(ArenaId, Box<dyn Any>, usize), LoadError> {
        let id = self.table.id();
        let roots = (*self).into_roots()?;
        let count = roots.len();
        Ok((id, Box::new(roots), count))
    }
}

impl<T> Entry<T> {
    /// The strong handles the saved counts need beyond those loaded; the
    /// holds are dropped after. A killed object gets none: the handles the
    /// file did not hold count as dropped at the load, so its slot is
    /// recycled once the loaded ones drop.
    fn into_roots(self) -> Result<Vec<Strong<T>>, LoadError> {
        let payload = std::any::type_name::<T>();
        let saved = self.saved.ok_or(LoadError::MissingArena { key: self.key, payload })?;
        let mut roots = Vec::new();
        for (index, hold) in &self.holds {
            let loaded = self.table.outstanding(hold.raw()) - 1;
            let Saved { count, killed } = saved[index];
            if loaded > count {
                let handle = hold.raw();
                return Err(LoadError::TooManyStrong { key: self.key, handle, saved: count, loaded });
            }
            if !killed {
                roots.extend((loaded..count).map(|_| hold.clone()));
            }
        }
        Ok(roots)
    }
}

/// This thread's load in progress.
#[derive(Default)]
struct LoadContext {
    arenas: BTreeMap<ArenaKey, (TypeId, Box<dyn Erased>)>,
}

thread_local! {
    static LOAD: RefCell<Option<LoadContext>> = const { RefCell::new(None) };
}

/// Runs `f` on the entry of arena `key`, made (with an empty shell) the
/// first time the key is met.
pub(super) fn with_entry<T: 'static, R>(
    key: ArenaKey,
    f: impl FnOnce(&mut Entry<T>) -> Result<R, LoadError>,
) -> Result<R, LoadError> {
    LOAD.with_borrow_mut(|load| {
        let context = load.as_mut().ok_or(LoadError::NoScope)?;
        let (type_id, entry) = context.arenas.entry(key).or_insert_with(|| {
            let shell = Arena::<T>::new();
            let table = Arc::clone(shell.slot_table());
            let entry = Entry { key, table, holds: BTreeMap::new(), shell: Some(shell), saved: None };
            (TypeId::of::<T>(), Box::new(entry) as Box<dyn Erased>)
        });
        if *type_id != TypeId::of::<T>() {
            let now = std::any::type_name::<T>();
            return Err(LoadError::WrongType { key, first: entry.payload(), now });
        }
        f(entry.as_any().downcast_mut::<Entry<T>>().expect("the type id matched"))
    })
}

/// A load in progress on this thread: while it lives, deserializing an
/// [`Arena`], a [`Strong`] or a weak collection rebuilds it in this load's
/// world. See the [module docs](super).
///
/// ```
/// use weakarena_core::save::{LoadError, LoadScope, SaveScope};
/// use weakarena_core::{Arena, Strong};
/// let mut arena = Arena::new();
/// let kept = arena.insert(5u8);
/// let scope = SaveScope::new();
/// let json = serde_json::to_string(&(&arena, &kept)).unwrap();
/// scope.finish().unwrap();
///
/// let scope = LoadScope::new();
/// let (arena, kept): (Arena<u8>, Strong<u8>) = serde_json::from_str(&json).unwrap();
/// let roots = scope.finish().unwrap();
/// assert_eq!((arena[&kept], kept.strong_count(), roots.len()), (5, 1, 0));
///
/// let scope = LoadScope::new();
/// let only_the_handle: Result<Strong<u8>, _> = serde_json::from_str("[0, 4294967296]");
/// assert!(only_the_handle.is_ok());
/// assert!(matches!(scope.finish(), Err(LoadError::MissingArena { .. })));
/// ```
#[must_use = "the load scope ends when dropped; call `finish` after deserializing"]
pub struct LoadScope {
    _thread: PhantomData<*const ()>,
}

impl LoadScope {
    /// Starts a load on this thread.
    ///
    /// # Panics
    ///
    /// If a load is already in progress on this thread.
    #[track_caller]
    pub fn new() -> LoadScope {
        LOAD.with_borrow_mut(|load| {
            assert!(load.is_none(), "weakarena: a LoadScope is already open on this thread");
            *load = Some(LoadContext::default());
        });
        LoadScope { _thread: PhantomData }
    }

    /// Ends the load: checks that every arena named was loaded and that no
    /// object got more strong handles than it had, restores every saved
    /// strong count, and returns the strong handles the file did not hold
    /// ([`Roots`]).
    pub fn finish(self) -> Result<Roots, LoadError> {
        let context = LOAD.with_borrow_mut(Option::take).unwrap_or_default();
        let mut roots = Roots::default();
        for (_, (_, entry)) in context.arenas {
            let (id, handles, count) = entry.finish()?;
            roots.add(id, handles, count);
        }
        Ok(roots)
    }
}

impl Default for LoadScope {
    fn default() -> Self {
        LoadScope::new()
    }
}

impl Drop for LoadScope {
    fn drop(&mut self) {
        // Taken out first, so the drops below never meet a borrowed context.
        let context = LOAD.with_borrow_mut(Option::take);
        drop(context);
    }
}

impl std::fmt::Debug for LoadScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoadScope")
    }
}

/// The side table of arena `key` in the load in progress, whose objects are
/// `T`s: what a weak collection keeps.
pub fn table_of<T: 'static>(key: ArenaKey) -> Result<Arc<SlotTable>, LoadError> {
    with_entry::<T, _>(key, |entry| Ok(Arc::clone(&entry.table)))
}

/// A strong handle to the saved object `handle` of arena `key`, counted in
/// its strong count, while the load runs. The object is alive from now on
/// (its arena's data must then hold it alive, or the load fails).
pub fn load_strong<T: 'static>(key: ArenaKey, handle: RawHandle) -> Result<Strong<T>, LoadError> {
    with_entry::<T, _>(key, |entry| {
        if let Some(hold) = entry.holds.get(&handle.index()) {
            return clone_hold(entry.key, hold, handle);
        }
        let Some(shell) = entry.shell.as_mut() else {
            return Err(LoadError::NotLive { key, handle });
        };
        if handle.index() == u32::MAX {
            return Err(LoadError::NotLive { key, handle });
        }
        let hold = super::arena_image::occupy(shell, handle);
        let strong = clone_hold(key, &hold, handle);
        entry.holds.insert(handle.index(), hold);
        strong
    })
}

/// Another counted handle to a held object, if `handle` names it.
fn clone_hold<T>(key: ArenaKey, hold: &Strong<T>, handle: RawHandle) -> Result<Strong<T>, LoadError> {
    if hold.raw() != handle {
        return Err(LoadError::NotLive { key, handle });
    }
    hold.try_clone().map_err(|_| LoadError::TooManyStrong {
        key,
        handle,
        saved: crate::count_word::MAX_STRONG,
        loaded: crate::count_word::MAX_STRONG,
    })
}
