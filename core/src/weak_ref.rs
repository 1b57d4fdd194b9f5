//! Tracked weak references: Python's `weakref.ref`.

use std::fmt;

use crate::arena::Arena;
use crate::handle::{ArenaHandle, ArenaId, RawHandle, Weak};
use crate::ref_id::RefId;
use crate::registry::{TrackedKind, Waiting};
use crate::strong::Strong;
use crate::trace::{Trace, Tracer};
use crate::tracker::{callback_action, lent_arena, RefTracker, Tracker};

/// A tracked weak reference, optionally with a callback: Python's
/// `weakref.ref(obj[, callback])`.
///
/// Unlike a plain [`Weak`], a `WeakRef` counts in the object's
/// [`weak_count`](crate::Arena::weak_count) and can carry a callback, which
/// runs once, at the frame end after the object dies, with the dead object's
/// handle. Several callbacks on one object run newest-registered first, as in
/// CPython. Dropping every clone of a `WeakRef` before the frame end that
/// processes its object's death cancels its callback.
///
/// Callback-less references to one object are one shared reference
/// (CPython's `ref(o) is ref(o)`): [`WeakRef::new`] hands out the existing
/// one while it lives.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use weakarena_core::{Arena, WeakRef};
///
/// let mut arena = Arena::new();
/// let teddy = arena.insert("Teddy");
/// let log = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&log);
/// let r = WeakRef::with_callback(&teddy, move |dead| sink.lock().unwrap().push(dead));
/// assert_eq!(r.upgrade().map(|s| arena[&s]), Some("Teddy"));
///
/// let handle = teddy.downgrade();
/// drop(teddy);
/// assert!(r.upgrade().is_none());          // dead at once
/// assert!(log.lock().unwrap().is_empty()); // the callback waits for the frame end
/// arena.end_frame();
/// assert_eq!(*log.lock().unwrap(), vec![handle]);
/// ```
pub struct WeakRef<T> {
    tracker: RefTracker<T>,
}

// SAFETY: this narrows the auto impl and never widens it: every field is
// `Send + Sync` for any `T` (`Arc`s of a registry record and of the side
// table). But `upgrade` makes a `Strong<T>` on whichever thread holds this, so
// it is bounded as `Strong` is (`T: Send + Sync`): a handle to a payload that
// must stay on one thread stays there (examples in `compile_fail.rs`).
unsafe impl<T: Send + Sync> Send for WeakRef<T> {}
// SAFETY: as for `Send`; shared access makes strong handles the same way.
unsafe impl<T: Send + Sync> Sync for WeakRef<T> {}

impl<T> WeakRef<T> {
    /// The object's shared callback-less reference (`weakref.ref(obj)`).
    #[must_use = "a WeakRef does nothing once dropped"]
    pub fn new(strong: &Strong<T>) -> WeakRef<T> {
        WeakRef { tracker: RefTracker::shared(strong, TrackedKind::Ref) }
    }

    /// A new reference whose `callback` runs with the object's handle at the
    /// frame end after the object dies (`weakref.ref(obj, callback)`).
    #[must_use = "dropping it while its object lives cancels the callback"]
    pub fn with_callback<C>(strong: &Strong<T>, callback: C) -> WeakRef<T>
    where
        C: FnOnce(Weak<T>) + Send + 'static,
    {
        let action = callback_action(callback);
        WeakRef { tracker: RefTracker::Record(Tracker::new(strong, TrackedKind::Ref, action)) }
    }

    /// A new reference whose callback's captured `state` the cycle collector
    /// traces: `callback(&mut state, handle)` runs at the frame end after the
    /// object dies, then `state` is dropped.
    ///
    /// Python's `a.wr = weakref.ref(b, a.method)`, with `a` and `b` holding
    /// each other, is ordinary garbage: `gc.collect()` traverses the
    /// callback, frees both, and does not run the callback of a reference
    /// that is garbage itself. A closure given to
    /// [`with_callback`](WeakRef::with_callback) is opaque to the collector,
    /// so a [`Strong`] it captures roots its object for good; captured here,
    /// the handles in `state` count as held by whatever value holds this
    /// reference (traced with [`Tracer::visit_weak_ref`](crate::Tracer::visit_weak_ref)),
    /// or as held from outside while no traced value does.
    ///
    /// ```
    /// use weakarena_core::{collect_cycles, Arena, Strong, Trace, Tracer, WeakRef};
    /// struct Unit { target: Option<Strong<Unit>>, watch: Option<WeakRef<Unit>> }
    /// impl Trace for Unit {
    ///     fn trace(&self, tracer: &mut Tracer) {
    ///         self.target.trace(tracer);
    ///         self.watch.trace(tracer);
    ///     }
    /// }
    /// let mut units = Arena::new();
    /// let a = units.insert(Unit { target: None, watch: None });
    /// let b = units.insert(Unit { target: Some(a.clone()), watch: None });
    /// units[&a].target = Some(b.clone());
    /// // a watches b with a callback that holds a: a.wr = weakref.ref(b, a.method)
    /// let watch = WeakRef::with_traced_callback(&b, a.clone(), |_me, _dead| println!("never runs"));
    /// units[&a].watch = Some(watch);
    /// drop((a, b));
    /// assert_eq!(collect_cycles(&mut [&mut units], &mut []).garbage, 2);
    /// assert!(units.is_empty());
    /// ```
    #[must_use = "dropping it while its object lives cancels the callback"]
    pub fn with_traced_callback<S>(strong: &Strong<T>, state: S, callback: fn(&mut S, Weak<T>)) -> WeakRef<T>
    where
        S: Trace + Send + 'static,
        T: 'static,
    {
        let action =
            Waiting::new((state, callback), run_traced::<T, S>).with_state_tracer(trace_state::<T, S>);
        WeakRef { tracker: RefTracker::Record(Tracker::new(strong, TrackedKind::Ref, action)) }
    }

    /// A new reference whose `callback` can read the live objects of the
    /// arena: it runs at the frame end after the object dies, with the arena
    /// and the dead object's handle. CPython callbacks read other objects'
    /// attributes; here the frame end lends the arena to the callback. The
    /// dead object already reads dead (`arena.get(dead)` is `None`), as its
    /// weak references are already cleared when a CPython callback runs.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use weakarena_core::{Arena, WeakRef};
    /// struct Unit { name: &'static str, target: Option<weakarena_core::Weak<Unit>> }
    /// let mut units = Arena::new();
    /// let prey = units.insert(Unit { name: "prey", target: None });
    /// let hunter = units.insert(Unit { name: "hunter", target: Some(prey.downgrade()) });
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let (log, who) = (Arc::clone(&seen), hunter.downgrade());
    /// let _watch = WeakRef::with_reading_callback(&prey, move |arena: &Arena<Unit>, dead| {
    ///     let hunter = &arena[who];                          // a live object reads
    ///     log.lock().unwrap().push((hunter.name, arena.get(dead).is_none()));
    /// });
    /// drop(prey);
    /// units.end_frame();
    /// assert_eq!(*seen.lock().unwrap(), [("hunter", true)]); // the dead one reads dead
    /// # drop(hunter);
    /// ```
    pub fn with_reading_callback<C>(strong: &Strong<T>, callback: C) -> WeakRef<T>
    where
        C: FnOnce(&Arena<T>, Weak<T>) + Send + 'static,
    {
        let action = Waiting::new(callback, run_reading::<T, C>);
        WeakRef { tracker: RefTracker::Record(Tracker::new(strong, TrackedKind::Ref, action)) }
    }

    /// Reports the strong handles of a traced callback's state, only while
    /// this is the reference's one handle: the state is one copy, shared by
    /// every clone, and a clone held elsewhere (by the user, or by a second
    /// traced value) reaches it too, so tracing it then would over-report.
    pub(crate) fn trace_callback_state(&self, tracer: &mut Tracer) {
        if let Some(record) = self.tracker.record() {
            if std::sync::Arc::strong_count(record) == 1 {
                record.trace_state(tracer);
            }
        }
    }

    /// A strong handle to the object, or `None` once it is dead (`r()`).
    #[track_caller]
    pub fn upgrade(&self) -> Option<Strong<T>> {
        self.tracker.upgrade()
    }

    /// Whether the object is alive.
    pub fn is_alive(&self) -> bool {
        self.tracker.is_alive()
    }

    /// The plain weak handle of the object.
    pub fn handle(&self) -> Weak<T> {
        self.tracker.handle()
    }

    /// Whether this reference has a callback still to come: created with
    /// one and its object alive. Turns `false` at the death, as CPython's
    /// `r.__callback__` turns `None` (the callback itself still runs, at the
    /// frame end).
    pub fn has_callback(&self) -> bool {
        self.tracker.made_with_callback() && self.is_alive()
    }

    /// Which tracked reference this is (clones share it); what
    /// [`Arena::weak_refs`](crate::Arena::weak_refs) entries compare with.
    pub fn id(&self) -> RefId {
        self.tracker.id()
    }

    /// Whether `a` and `b` are the same tracked reference (Python's `is`).
    pub fn ptr_eq(a: &WeakRef<T>, b: &WeakRef<T>) -> bool {
        RefTracker::same(&a.tracker, &b.tracker)
    }
}

/// A traced callback's payload: its state and its function.
type Traced<T, S> = (S, fn(&mut S, Weak<T>));

/// Runs a traced callback, then drops its state.
fn run_traced<T, S>((mut state, callback): Traced<T, S>, handle: RawHandle, _: *const ()) {
    callback(&mut state, Weak::from_raw(handle));
}

/// Runs a reading callback with the arena whose frame end runs it.
fn run_reading<T, C: FnOnce(&Arena<T>, Weak<T>)>(callback: C, handle: RawHandle, arena: *const ()) {
    // SAFETY: this runner is registered only by `with_reading_callback`,
    // for an object of an `Arena<T>` (the `Strong<T>` it was given).
    let arena = unsafe { lent_arena::<T>(arena) };
    callback(arena, Weak::from_raw(handle));
}

/// Traces a traced callback's state.
fn trace_state<T, S: Trace>((state, _): &Traced<T, S>, tracer: &mut Tracer) {
    state.trace(tracer);
}

impl<T> Clone for WeakRef<T> {
    /// Another handle to the same tracked reference (it still counts once).
    fn clone(&self) -> Self {
        WeakRef { tracker: self.tracker.clone() }
    }
}

impl<T> fmt::Debug for WeakRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_alive() { "alive" } else { "dead" };
        write!(f, "WeakRef({:?}, {state})", self.tracker.raw())
    }
}

impl<T> ArenaHandle<T> for WeakRef<T> {
    fn raw_handle(&self) -> RawHandle {
        self.tracker.raw()
    }

    fn arena_id(&self) -> Option<ArenaId> {
        Some(self.tracker.arena_id())
    }
}
