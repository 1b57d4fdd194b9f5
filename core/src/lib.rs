//! # weakarena-core
//!
//! Generational arenas with Python's `weakref` semantics: counted strong
//! handles, 8-byte weak handles, tracked references with callbacks, proxies
//! that fail with [`ReferenceError`], weak methods and finalizers.
//!
//! ## A short tour
//!
//! ```
//! use weakarena_core::{Arena, Finalizer, Proxy, WeakRef};
//!
//! let mut arena = Arena::new();
//! let hero = arena.insert(String::from("hero"));   // Strong<String>, count 1
//! let again = hero.clone();                          // count 2
//! let weak = hero.downgrade();                       // Weak<String>: 8 bytes, free
//! let tracked = WeakRef::new(&hero);                 // weakref.ref(hero)
//! let proxy = Proxy::new(&hero);                     // weakref.proxy(hero)
//! let _fin = Finalizer::new(&hero, || println!("hero finalized"));
//! assert_eq!(arena.strong_count(weak), 2);
//! assert_eq!(arena.weak_count(weak), 3);             // ref, proxy, finalizer
//!
//! drop(hero);
//! drop(again);                                       // last strong handle: dead now
//! assert_eq!(arena.get(weak), None);
//! assert!(tracked.upgrade().is_none());
//! assert!(proxy.get(&arena).is_err());
//!
//! let report = arena.end_frame();                    // value dropped, finalizer runs
//! assert_eq!(report.finalizers_run, 1);
//! ```
//!
//! ## Which type do I need?
//!
//! | you want | use |
//! |---|---|
//! | to own an object (keep it alive) | [`Strong<T>`] from [`Arena::insert`] |
//! | to point at it without keeping it alive, for free | [`Weak<T>`] (`Copy`, 8 bytes) |
//! | a callback when it dies, or `weakref.ref` counting | [`WeakRef<T>`] |
//! | access that fails loudly once it is gone | [`Proxy<T>`] |
//! | an event handler that dies with its object | [`WeakMethod<T, F>`] |
//! | cleanup that runs once when it dies (or at shutdown) | [`Finalizer<T, F>`] |
//! | weak maps and sets | the `weakarena-collections` crate |
//! | to free objects that hold each other in a cycle | [`Trace`] on the value type, then [`collect_cycles`] |
//!
//! ## The life cycle
//!
//! An object is *alive* while its strong count is above zero. The drop of its
//! last [`Strong`] kills it at once — on any thread — and from then on every
//! lookup answers `None`/`Err` and [`Arena::upgrade`] cannot revive it. The
//! *reclamation* waits for [`Arena::end_frame`] (or [`end_frames`] across
//! arenas): the frame end runs the object's callbacks and finalizers, newest
//! registered first, drops its value (which may release strong handles and
//! kill more objects: the frame end repeats until nothing more dies), and
//! returns a [`FrameReport`] that weak collections sweep with.
//!
//! Objects that keep each other alive in a cycle never reach zero;
//! [`collect_cycles`] finds them by trial deletion over the side-table
//! counts (CPython's `gc` algorithm) and frees them with the same phases.
//!
//! ## Where this differs from CPython
//!
//! - Callbacks and finalizers run at the frame boundary, not inside the
//!   statement that dropped the last reference.
//! - Every arena object supports weak references (CPython refuses `int`,
//!   `list`, and `__slots__` classes without `__weakref__`).
//! - Handles compare and hash by identity.
//!
//! ## Features
//!
//! - `parallel` (on by default): rayon, for [`Arena::par_iter`] and
//!   [`Arena::par_iter_mut`]. Without it the crate depends on no thread
//!   pool.
//! - `serde` (off by default): save and load whole worlds — arenas, strong
//!   and weak handles, with every strong count restored; see the `save`
//!   module.
//!
//! Frame-end timings ([`PhaseTimings`]) read `web_time::Instant`, which is
//! `std::time::Instant` on native targets and `performance.now()` on
//! `wasm32-unknown-unknown`, where `std::time::Instant::now` panics.
//!
//! ## Safety
//!
//! The `unsafe` code is confined to the storage (the chunks, the slots and
//! [`Strong`]'s slot pointer; ARCHITECTURE.md lists each file) and to the
//! one cast that hands a reading callback or finalizer
//! ([`WeakRef::with_reading_callback`], [`Finalizer::new_reading`]) its
//! arena back, documented in `tracker.rs`.

#![deny(missing_docs)]
#![allow(
    unsafe_code,
    reason = "the storage (chunks, slots, Strong's slot pointer) and the arena lent to reading callbacks; see ARCHITECTURE.md"
)]

mod arena;
mod arena_container;
mod bits;
mod chunks;
#[cfg(doctest)]
mod compile_fail;
#[cfg(not(loom))]
mod count_word;
#[cfg(loom)]
#[doc(hidden)]
pub mod count_word;
mod cycles;
#[cfg(not(loom))]
mod dead_stack;
#[cfg(loom)]
#[doc(hidden)]
pub mod dead_stack;
mod error;
mod finalizer;
mod frame;
mod generation;
mod handle;
#[cfg(not(loom))]
mod holder_word;
#[cfg(loom)]
#[doc(hidden)]
pub mod holder_word;
mod holders;
mod kill;
#[cfg(doctest)]
mod must_use;
#[cfg(feature = "parallel")]
mod parallel;
mod proxy;
mod ref_id;
mod registry;
mod report;
#[cfg(feature = "serde")]
pub mod save;
mod slot;
mod slot_table;
mod strong;
mod sync;
mod trace;
mod tracker;
mod weak_method;
mod weak_ref;

/// Not public API: the frame-step token for the workspace's collections
/// crate, which ends frames together with its sweeps. Using it elsewhere
/// voids the sealing of [`EndFrame`]'s steps.
#[doc(hidden)]
pub mod __private {
    pub use crate::frame::sealed::STEP;
}

pub use arena::{Arena, TrackedRef, MAX_SLOTS};
pub use arena_container::{Iter, IterMut};
pub use cycles::{collect_cycles, referrers, why_alive, Collect, CycleReport, EphemeronTable, ObjectId};
pub use error::{AccessError, ArenaFull, CountOverflow, ReferenceError};
pub use finalizer::{BoxedFinalizer, Finalizer};
pub use frame::{end_frames, EndFrame};
pub use generation::Generation;
pub use handle::{ArenaHandle, ArenaId, RawHandle, Weak};
pub use proxy::Proxy;
pub use ref_id::RefId;
pub use registry::TrackedKind;
pub use report::{
    panic_message, DeathSet, FrameReport, PanicReport, PanicSource, PhaseTimings, SPARSE_SLOTS_PER_DEATH,
};
pub use slot_table::SlotTable;
pub use strong::Strong;
pub use trace::{Trace, Tracer};
pub use weak_method::WeakMethod;
pub use weak_ref::WeakRef;

/// The crate README's code, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
