//! Weak methods: Python's `weakref.WeakMethod`.

use std::fmt;

use crate::arena::Arena;
use crate::handle::Weak;
use crate::ref_id::RefId;
use crate::registry::{TrackedKind, Waiting};
use crate::strong::Strong;
use crate::tracker::{callback_action, Tracker};

/// A method bound weakly to its object: calling it runs the method while the
/// object lives and returns `None` once it is dead (Python's
/// `WeakMethod(obj.method)`, where `WeakMethod()` gives `None`).
///
/// The method is any closure taking the object first; a weak method counts
/// in the object's [`weak_count`](crate::Arena::weak_count).
///
/// ```
/// use weakarena_core::{Arena, WeakMethod};
/// struct Greeter { name: &'static str }
/// let mut arena = Arena::new();
/// let g = arena.insert(Greeter { name: "Guido" });
/// let hello = WeakMethod::new(&g, |me: &Greeter, punct: char| format!("hello {}{punct}", me.name));
/// assert_eq!(hello.call(&arena, '!').as_deref(), Some("hello Guido!"));
/// drop(g);
/// assert_eq!(hello.call(&arena, '!'), None);
/// ```
///
/// # Panics
///
/// Calls panic with a message when given another arena than the object's.
pub struct WeakMethod<T, F> {
    tracker: Tracker<T>,
    method: F,
}

// SAFETY: this narrows the auto impl and never widens it: the tracker's fields
// are `Send + Sync` for any `T` (`Arc`s of a registry record and of the side
// table) and the method moves with the value only where `F: Send`. But
// `upgrade` makes a `Strong<T>` on whichever thread holds this, so it is
// bounded as `Strong` is (`T: Send + Sync`), like `WeakRef` (examples in
// `compile_fail.rs`).
unsafe impl<T: Send + Sync, F: Send> Send for WeakMethod<T, F> {}
// SAFETY: as for `Send`; shared access makes strong handles the same way and
// calls the method through `&F`, so it needs `F: Sync`.
unsafe impl<T: Send + Sync, F: Sync> Sync for WeakMethod<T, F> {}

impl<T, F> WeakMethod<T, F> {
    /// Binds `method` weakly to `strong`'s object.
    #[must_use = "a WeakMethod does nothing once dropped"]
    pub fn new(strong: &Strong<T>, method: F) -> WeakMethod<T, F> {
        WeakMethod { tracker: Tracker::new(strong, TrackedKind::Method, Waiting::nothing()), method }
    }

    /// Binds `method` weakly, with a callback run at the frame end after the
    /// object dies (`WeakMethod(obj.method, callback)`).
    #[must_use = "dropping it while its object lives cancels the callback"]
    pub fn with_callback<C>(strong: &Strong<T>, method: F, callback: C) -> WeakMethod<T, F>
    where
        C: FnOnce(Weak<T>) + Send + 'static,
    {
        let action = callback_action(callback);
        WeakMethod { tracker: Tracker::new(strong, TrackedKind::Method, action), method }
    }

    /// Runs the method on the object, or returns `None` once it is dead.
    #[track_caller]
    pub fn call<A, R>(&self, arena: &Arena<T>, args: A) -> Option<R>
    where
        F: Fn(&T, A) -> R,
    {
        self.tracker.check_arena(arena, "weak method");
        arena.get(self.tracker.handle()).map(|object| (self.method)(object, args))
    }

    /// Runs a method that mutates the object, or returns `None` once it is dead.
    #[track_caller]
    pub fn call_mut<A, R>(&self, arena: &mut Arena<T>, args: A) -> Option<R>
    where
        F: Fn(&mut T, A) -> R,
    {
        self.tracker.check_arena(arena, "weak method");
        arena.get_mut(self.tracker.handle()).map(|object| (self.method)(object, args))
    }

    /// A strong handle to the bound object, or `None` once it is dead.
    #[track_caller]
    pub fn upgrade(&self) -> Option<Strong<T>> {
        self.tracker.upgrade()
    }

    /// Whether the bound object is alive.
    pub fn is_alive(&self) -> bool {
        self.tracker.is_alive()
    }

    /// Which tracked reference this is; what
    /// [`Arena::weak_refs`](crate::Arena::weak_refs) entries compare with.
    pub fn id(&self) -> RefId {
        self.tracker.id()
    }

    /// The plain weak handle of the bound object.
    pub fn handle(&self) -> Weak<T> {
        self.tracker.handle()
    }
}

impl<T, F> fmt::Debug for WeakMethod<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WeakMethod({:?})", self.tracker.record.handle)
    }
}
