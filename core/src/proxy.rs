//! Proxies: Python's `weakref.proxy`, whose access fails with
//! `ReferenceError` once the object is gone.

use std::fmt;

use crate::arena::Arena;
use crate::error::ReferenceError;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::ref_id::RefId;
use crate::registry::TrackedKind;
use crate::strong::Strong;
use crate::tracker::{callback_action, RefTracker, Tracker};

/// A tracked reference whose every access returns `Result<_, ReferenceError>`:
/// Python's `weakref.proxy(obj[, callback])`.
///
/// Where Python forwards attribute access, a `Proxy` hands out `&T` or
/// `&mut T` from the arena, or calls a callable payload
/// ([`Proxy::call`], Python's `CallableProxyType`). Callback-less proxies to
/// one object are shared, as in CPython.
///
/// ```
/// use weakarena_core::{Arena, Proxy};
/// let mut arena = Arena::new();
/// let camera_target = arena.insert([1.0_f32, 2.0]);
/// let camera = Proxy::new(&camera_target);
/// assert_eq!(camera.get(&arena).map(|p| p[0]), Ok(1.0));
/// drop(camera_target);
/// assert!(camera.get(&arena).is_err()); // ReferenceError: switch targets
/// ```
///
/// # Panics
///
/// Every access panics with a message when given another arena than the
/// object's: a programming error, not a dead object.
pub struct Proxy<T> {
    tracker: RefTracker<T>,
}

// SAFETY: this narrows the auto impl and never widens it: every field is
// `Send + Sync` for any `T` (`Arc`s of a registry record and of the side
// table). A proxy stands for its object as a `Strong<T>` does, so it is
// bounded as `Strong` is (`T: Send + Sync`): a reference to a payload that
// must stay on one thread stays there (examples in `compile_fail.rs`).
unsafe impl<T: Send + Sync> Send for Proxy<T> {}
// SAFETY: as for `Send`; shared access makes strong handles the same way.
unsafe impl<T: Send + Sync> Sync for Proxy<T> {}

impl<T> Proxy<T> {
    /// The object's shared callback-less proxy (`weakref.proxy(obj)`).
    #[must_use = "a Proxy does nothing once dropped"]
    pub fn new(strong: &Strong<T>) -> Proxy<T> {
        Proxy { tracker: RefTracker::shared(strong, TrackedKind::Proxy) }
    }

    /// A new proxy whose `callback` runs with the object's handle at the
    /// frame end after the object dies.
    #[must_use = "dropping it while its object lives cancels the callback"]
    pub fn with_callback<C>(strong: &Strong<T>, callback: C) -> Proxy<T>
    where
        C: FnOnce(Weak<T>) + Send + 'static,
    {
        let action = callback_action(callback);
        Proxy { tracker: RefTracker::Record(Tracker::new(strong, TrackedKind::Proxy, action)) }
    }

    /// The object, or `ReferenceError` once it is dead.
    #[track_caller]
    pub fn get<'a>(&self, arena: &'a Arena<T>) -> Result<&'a T, ReferenceError> {
        self.tracker.check_arena(arena, "proxy");
        arena.get(self.handle()).ok_or_else(|| self.error())
    }

    /// The object, mutably, or `ReferenceError` once it is dead.
    #[track_caller]
    pub fn get_mut<'a>(&self, arena: &'a mut Arena<T>) -> Result<&'a mut T, ReferenceError> {
        self.tracker.check_arena(arena, "proxy");
        let error = self.error();
        arena.get_mut(self.handle()).ok_or(error)
    }

    /// Calls a callable payload with `args` (a tuple for several), or
    /// returns `ReferenceError` once it is dead.
    ///
    /// ```
    /// use weakarena_core::{Arena, Proxy};
    /// let mut arena: Arena<Box<dyn Fn((i32, i32)) -> i32 + Send + Sync>> = Arena::new();
    /// let add = arena.insert(Box::new(|(a, b)| a + b));
    /// let proxy = Proxy::new(&add);
    /// assert_eq!(proxy.call(&arena, (2, 3)), Ok(5));
    /// drop(add);
    /// assert!(proxy.call(&arena, (2, 3)).is_err());
    /// ```
    #[track_caller]
    pub fn call<A, R>(&self, arena: &Arena<T>, args: A) -> Result<R, ReferenceError>
    where
        T: Fn(A) -> R,
    {
        self.get(arena).map(|callable| callable(args))
    }

    /// Whether the object is alive.
    pub fn is_alive(&self) -> bool {
        self.tracker.is_alive()
    }

    /// The plain weak handle of the object.
    pub fn handle(&self) -> Weak<T> {
        self.tracker.handle()
    }

    /// Which tracked reference this is; what
    /// [`Arena::weak_refs`](crate::Arena::weak_refs) entries compare with.
    pub fn id(&self) -> RefId {
        self.tracker.id()
    }

    /// Whether `a` and `b` are the same proxy (Python's `is`).
    pub fn ptr_eq(a: &Proxy<T>, b: &Proxy<T>) -> bool {
        RefTracker::same(&a.tracker, &b.tracker)
    }

    fn error(&self) -> ReferenceError {
        ReferenceError::new(self.tracker.raw())
    }
}

impl<T> Clone for Proxy<T> {
    /// Another handle to the same proxy (it still counts once).
    fn clone(&self) -> Self {
        Proxy { tracker: self.tracker.clone() }
    }
}

impl<T> fmt::Debug for Proxy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({:?})", self.tracker.raw())
    }
}

impl<T> ArenaHandle<T> for Proxy<T> {
    fn raw_handle(&self) -> RawHandle {
        self.tracker.raw()
    }

    fn arena_id(&self) -> Option<ArenaId> {
        Some(self.tracker.arena_id())
    }
}
