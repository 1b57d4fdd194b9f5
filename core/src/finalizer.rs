//! Finalizers: Python's `weakref.finalize`.

use std::fmt;
use std::marker::PhantomData;

use crate::arena::Arena;
use crate::handle::{RawHandle, Weak};
use crate::ref_id::RefId;
use crate::registry::{TrackedKind, Waiting};
use crate::strong::Strong;
use crate::tracker::{lent_arena, Tracker};

/// The default finalizer body: any boxed one-shot closure.
pub type BoxedFinalizer = Box<dyn FnOnce() + Send>;

/// Runs `func` once when the object dies: Python's `weakref.finalize(obj, func)`.
///
/// The finalizer runs at the frame end after its object dies, after the
/// object's weak-reference callbacks registered later and before those
/// registered earlier (one newest-first order, as in CPython). Dropping the
/// `Finalizer` value does **not** cancel it. [`detach`](Finalizer::detach)
/// cancels it and gives back the object and the closure;
/// [`call`](Finalizer::call) runs it now. When the arena shuts down, live
/// finalizers whose [`atexit`](Finalizer::atexit) flag is on (the default)
/// run, newest first.
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use weakarena_core::{Arena, Finalizer};
///
/// let mut arena = Arena::new();
/// let level = arena.insert("level 1");
/// let unloaded = Arc::new(AtomicBool::new(false));
/// let flag = Arc::clone(&unloaded);
/// let fin = Finalizer::new(&level, move || flag.store(true, Ordering::SeqCst));
/// assert!(fin.alive());
/// drop(fin); // does not cancel
/// drop(level);
/// arena.end_frame();
/// assert!(unloaded.load(Ordering::SeqCst));
/// ```
pub struct Finalizer<T, F = BoxedFinalizer> {
    tracker: Tracker<T>,
    _func: PhantomData<fn() -> F>,
}

// SAFETY: this narrows the auto impl and never widens it: every field is
// `Send + Sync` for any `T` (`Arc`s of a registry record and of the side
// table). But `peek` and `detach` make a `Strong<T>` on whichever thread
// holds this, so it is bounded as `Strong` is (`T: Send + Sync`): a handle
// to a payload that must stay on one thread stays there (examples in
// `compile_fail.rs`).
unsafe impl<T: Send + Sync, F> Send for Finalizer<T, F> {}
// SAFETY: as for `Send`; shared access makes strong handles the same way.
unsafe impl<T: Send + Sync, F> Sync for Finalizer<T, F> {}

fn run_finalizer<F: FnOnce() -> R, R>(func: F, _: RawHandle, _: *const ()) {
    drop(func());
}

/// Runs a reading finalizer with the arena whose frame end or shutdown runs it.
fn run_reading_finalizer<T, F: FnOnce(&Arena<T>) -> R, R>(func: F, _: RawHandle, arena: *const ()) {
    // SAFETY: this runner is registered only by `Finalizer::new_reading`,
    // for an object of an `Arena<T>` (the `Strong<T>` it was given).
    let arena = unsafe { lent_arena::<T>(arena) };
    drop(func(arena));
}

impl<T, F: Send + 'static> Finalizer<T, F> {
    /// Registers `func` to run once when `strong`'s object dies; what it
    /// returns is dropped, unless [`call`](Finalizer::call) runs it.
    #[must_use = "the finalizer runs even if this is dropped; keep it to detach or call it, or write `let _ = ` to say so"]
    pub fn new<R>(strong: &Strong<T>, func: F) -> Finalizer<T, F>
    where
        F: FnOnce() -> R,
    {
        let action = Waiting::new(func, run_finalizer::<F, R>);
        Finalizer { tracker: Tracker::new(strong, TrackedKind::Finalizer, action), _func: PhantomData }
    }

    /// Registers `func` to run once when `strong`'s object dies, with its
    /// arena lent, so it can read the live objects: CPython finalizers read
    /// other objects' attributes. It runs at the frame end (or at shutdown,
    /// if `atexit`) after the object died, when the dead object already
    /// reads dead. [`call_reading`](Finalizer::call_reading) runs it now.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use weakarena_core::{Arena, Finalizer};
    /// struct Level { name: &'static str, next: Option<weakarena_core::Weak<Level>> }
    /// let mut levels = Arena::new();
    /// let two = levels.insert(Level { name: "two", next: None });
    /// let one = levels.insert(Level { name: "one", next: Some(two.downgrade()) });
    /// let loaded = Arc::new(Mutex::new(Vec::new()));
    /// let (log, dead_one, next) = (Arc::clone(&loaded), one.downgrade(), two.downgrade());
    /// let _unload = Finalizer::new_reading(&one, move |levels: &Arena<Level>| {
    ///     log.lock().unwrap().push((levels[next].name, levels.get(dead_one).is_none()));
    /// });
    /// drop(one);
    /// levels.end_frame();
    /// assert_eq!(*loaded.lock().unwrap(), [("two", true)]);
    /// # drop(two);
    /// ```
    #[must_use = "the finalizer runs even if this is dropped; keep it to detach or call it, or write `let _ = ` to say so"]
    pub fn new_reading<R>(strong: &Strong<T>, func: F) -> Finalizer<T, F>
    where
        F: FnOnce(&Arena<T>) -> R,
    {
        let action = Waiting::new(func, run_reading_finalizer::<T, F, R>);
        Finalizer { tracker: Tracker::new(strong, TrackedKind::Finalizer, action), _func: PhantomData }
    }

    /// Runs a [`new_reading`](Finalizer::new_reading) finalizer now, with
    /// `arena` lent, if it is alive, and never again (`f()`). Returns what
    /// the body returned, or `None` if it had already run or been detached.
    ///
    /// # Panics
    ///
    /// If `arena` is not the object's arena.
    #[track_caller]
    pub fn call_reading<R>(&self, arena: &Arena<T>) -> Option<R>
    where
        F: FnOnce(&Arena<T>) -> R,
    {
        self.tracker.check_arena(arena, "a reading finalizer");
        self.tracker.record.take::<F>().map(|func| func(arena))
    }

    /// Whether the finalizer has neither run nor been detached (`f.alive`).
    pub fn alive(&self) -> bool {
        self.tracker.record.is_pending()
    }

    /// Cancels the finalizer while its object lives, giving back the object
    /// and the closure (`f.detach()`); `None` once it has run, been detached,
    /// or its object is dead.
    pub fn detach(&self) -> Option<(Strong<T>, F)> {
        let object = self.tracker.upgrade()?;
        self.tracker.record.take::<F>().map(|func| (object, func))
    }

    /// What [`detach`](Finalizer::detach) would give back — the object and
    /// a clone of the closure — without detaching (`f.peek()`); `None` once
    /// the finalizer has run or been detached, or its object is dead.
    ///
    /// ```
    /// use weakarena_core::{Arena, Finalizer};
    /// let mut arena = Arena::new();
    /// let save = arena.insert("save slot");
    /// let flush = Finalizer::new(&save, || 42);
    /// let (object, body) = flush.peek().unwrap();
    /// assert_eq!((arena[&object], body()), ("save slot", 42));
    /// assert!(flush.alive());
    /// assert_eq!(flush.call(), Some(42)); // f() returns what the body returns
    /// assert_eq!(flush.call(), None);     // and runs at most once
    /// assert!(flush.peek().is_none());
    /// ```
    pub fn peek(&self) -> Option<(Strong<T>, F)>
    where
        F: Clone,
    {
        let object = self.tracker.upgrade()?;
        let func = self.tracker.record.read(|func: &F| Some(func.clone()))?;
        Some((object, func))
    }

    /// The object alone, while the finalizer is alive and the object lives:
    /// [`peek`](Finalizer::peek) for a closure that cannot be cloned.
    pub fn peek_object(&self) -> Option<Strong<T>> {
        if self.alive() {
            self.tracker.upgrade()
        } else {
            None
        }
    }

    /// Runs the finalizer now if it is alive, and never again (`f()`).
    /// Returns what the body returned, or `None` if it had already run or
    /// been detached.
    pub fn call<R>(&self) -> Option<R>
    where
        F: FnOnce() -> R,
    {
        self.tracker.record.take::<F>().map(|func| func())
    }

    /// Whether the finalizer runs at arena shutdown if still alive (`f.atexit`).
    pub fn atexit(&self) -> bool {
        self.tracker.record.atexit()
    }

    /// Sets the `atexit` flag (`f.atexit = value`).
    pub fn set_atexit(&self, value: bool) {
        self.tracker.record.set_atexit(value);
    }

    /// The weak handle of the object the finalizer watches.
    pub fn handle(&self) -> Weak<T> {
        self.tracker.handle()
    }
}

impl<T, F> Finalizer<T, F> {
    /// Which tracked reference this is; what
    /// [`Arena::weak_refs`](crate::Arena::weak_refs) entries compare with.
    pub fn id(&self) -> RefId {
        self.tracker.id()
    }
}

impl<T, F> fmt::Debug for Finalizer<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.tracker.record.is_pending() { "alive" } else { "dead" };
        write!(f, "Finalizer({:?}, {state})", self.tracker.record.handle)
    }
}
