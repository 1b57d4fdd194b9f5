//! # weakarena
//!
//! Python's `weakref` semantics for Rust game and simulation loops, on
//! generational slot arenas.
//!
//! Objects live in typed [`Arena`]s. A [`Weak`] handle is 8 bytes of index
//! and generation that slot reuse can never fool; a [`Strong`] handle owns a
//! count in the arena's side table, and the drop of the last one kills the
//! object at once, on any thread. At the frame boundary the arena drops the
//! dead values, runs weak-reference callbacks and finalizers, and hands back
//! a [`FrameReport`]; weak maps and sets sweep themselves from it.
//!
//! This crate is the front door: it re-exports [`weakarena_core`] (arenas,
//! handles, callbacks, proxies, weak methods, finalizers, cycle collection)
//! and [`weakarena_collections`] (weak maps and sets), and offers a
//! [`prelude`] with what a frame loop needs.
//!
//! ## Which type do I need?
//!
//! | you want | use |
//! |---|---|
//! | to own an object (keep it alive) | [`Strong<T>`] from [`Arena::insert`] |
//! | to point at it for free, without keeping it alive | [`Weak<T>`] (`Copy`, 8 bytes), read with [`Arena::get`] |
//! | a callback when it dies, or `weakref.ref` counting | [`WeakRef<T>`] ([`WeakRef::with_callback`]) |
//! | access that fails loudly once it is gone | [`Proxy<T>`]: every access is a `Result<_, `[`ReferenceError`]`>` |
//! | an event handler that dies with its object | [`WeakMethod<T, F>`] |
//! | cleanup that runs once when it dies, or at shutdown | [`Finalizer<T, F>`] |
//! | side data per object that cleans itself | [`WeakKeyMap<T, V>`] |
//! | a registry of objects by name | [`WeakValueMap<K, T>`] |
//! | a selection or group of objects | [`WeakSet<T>`] |
//! | a parallel system over every live object | [`Arena::par_iter`] / [`Arena::par_iter_mut`] (feature `parallel`) |
//! | to end frames of arenas that hold each other | [`end_frames`] |
//! | to free objects that hold each other in a cycle | [`Trace`] on the value type, then [`collect_cycles`] |
//!
//! ## One frame's life
//!
//! 1. **Systems run.** They read objects through [`Weak`] handles
//!    ([`Arena::get`] answers `None` for the dead), update them, spawn new
//!    ones with [`Arena::insert`], and kill some by dropping their last
//!    [`Strong`]. A kill takes effect at once: every handle, proxy and
//!    collection sees the object dead from that instant, on every thread.
//! 2. **The frame ends.** [`Arena::end_frame`] (or [`end_frames`] for arenas
//!    whose values hold handles into each other) runs the dead objects'
//!    callbacks and finalizers, newest registered first, drops their values
//!    — which may release more strong handles and kill more objects: the
//!    frame end repeats until nothing more dies — and returns a
//!    [`FrameReport`] of the deaths.
//! 3. **Collections sweep.** [`sweep_all`] hands the reports to every weak
//!    map and set, which reclaim the entries of the dead (many collections,
//!    and large ones, in parallel with the `parallel` feature). Nothing
//!    else ever needs cleaning by hand.
//!
//! ```
//! use weakarena::prelude::*;
//!
//! struct Unit {
//!     hp: i32,
//! }
//!
//! let mut units = Arena::new();
//! let mut names = WeakValueMap::new(&units); // name -> unit, never keeps one alive
//! let mut owned = Vec::new(); // the game owns the only strong handles
//! for (name, hp) in [("scout", 3), ("tank", 30)] {
//!     let unit = units.insert(Unit { hp });
//!     names.insert(name, &unit);
//!     owned.push(unit);
//! }
//! let _obituary = Finalizer::new(&owned[0], || println!("the scout fell"));
//!
//! for frame in 0..3 {
//!     // 1. systems: everyone takes 2 damage; the dead are dropped at once
//!     for unit in &owned {
//!         units[unit].hp -= 2;
//!     }
//!     owned.retain(|unit| units[unit].hp > 0);
//!     // 2. the frame end: finalizers run, dead values are dropped
//!     let report = units.end_frame();
//!     // 3. the sweep: the name registry forgets the dead
//!     sweep_all(&[report], &mut [&mut names]);
//!     if frame == 1 {
//!         assert_eq!(names.get("scout"), None);
//!         assert_eq!(names.len(), 1);
//!     }
//! }
//! let tank = names.get("tank").unwrap();
//! assert_eq!(units.get(tank).map(|unit| unit.hp), Some(24));
//! ```
//!
//! ## Python to Rust
//!
//! | Python (`weakref`) | weakarena |
//! |---|---|
//! | `=` and `del`, `sys.getrefcount` | [`Strong`] clone and drop; [`Arena::strong_count`] |
//! | `ref(obj)`, `ref(obj)()` | [`Weak<T>`] with [`Arena::get`] / [`Arena::upgrade`]; the tracked [`WeakRef<T>`] with [`WeakRef::upgrade`] |
//! | `ref(obj, callback)` | [`WeakRef::with_callback`] (runs at the frame end, newest registered first) |
//! | `ref(o) is ref(o)` | callback-less [`WeakRef::new`] / [`Proxy::new`] return the shared one |
//! | `proxy`, `ReferenceError` | [`Proxy<T>`], [`ReferenceError`] |
//! | `getweakrefcount`, `getweakrefs` | [`Arena::weak_count`], [`Arena::weak_refs`] |
//! | `WeakKeyDictionary` | [`WeakKeyMap<T, V>`] |
//! | `WeakValueDictionary` | [`WeakValueMap<K, T>`] |
//! | `WeakSet` (and its set algebra) | [`WeakSet<T>`] |
//! | `WeakMethod` | [`WeakMethod<T, F>`]: `call` returns `None` once the object is dead |
//! | `finalize` (`alive`, `detach`, `peek`, `atexit`) | [`Finalizer<T, F>`]; [`Arena::shutdown`] runs the atexit ones |
//! | `gc.collect()` of reference cycles | [`collect_cycles`] over arenas whose values implement [`Trace`] |
//! | `gc.get_referrers` | [`referrers`], [`why_alive`] |
//!
//! Where the semantics differ from CPython (callbacks at the frame boundary
//! rather than inside the statement that dropped the last reference; every
//! object supports weak references; identity comparison), the
//! [`weakarena_core`] docs say so, and the project's differential suite
//! checks the rest against CPython trace by trace.
//!
//! ## The crates
//!
//! | crate | holds |
//! |---|---|
//! | [`weakarena_core`] | [`Arena`], [`Strong`], [`Weak`], [`WeakRef`], [`Proxy`], [`WeakMethod`], [`Finalizer`], frame ends and [`FrameReport`], cycle collection |
//! | [`weakarena_collections`] | [`WeakKeyMap`], [`WeakValueMap`], [`WeakSet`], the [`Sweep`] trait and [`sweep_all`] |
//! | [`weakarena-sim`](https://docs.rs/weakarena-sim) | the predator/prey simulation behind `cargo run --release --example sim`, using every type above for the job a game would give it |
//!
//! Everything in the first two is re-exported here, so `weakarena::Arena`
//! and `weakarena_core::Arena` are the same type; the crate
//! [`collections`] is also reachable by name. The facade exports no module
//! named `core`, so `use weakarena::*` leaves the standard `core` alone:
//!
//! ```
//! use weakarena::*;
//! assert_eq!(core::mem::size_of::<Weak<u64>>(), 8);
//! ```
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `parallel` | on | rayon: [`Arena::par_iter`] / [`Arena::par_iter_mut`], and [`sweep_all`] sweeping many (and large) collections on rayon's threads. Without it sweeps run inline on the calling thread and no crate depends on a thread pool. |
//! | `serde` | off | save and load: `Serialize` / `Deserialize` for arenas, handles and weak collections, and the `save` module (scopes, roots; see the README's "Save and load"). |
//!
//! Frame timings ([`PhaseTimings`], [`SweepStats`]) read a clock that works
//! on `wasm32-unknown-unknown` too (`web_time::Instant`), where
//! `std::time::Instant::now` panics.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use weakarena_collections as collections;
pub use weakarena_collections::*;
pub use weakarena_core::*;

/// The types a frame loop needs, for `use weakarena::prelude::*`.
pub mod prelude {
    pub use weakarena_collections::{end_frame_all, sweep_all, Sweep, WeakKeyMap, WeakSet, WeakValueMap};
    pub use weakarena_core::{
        collect_cycles, end_frames, Arena, ArenaHandle, BoxedFinalizer, EndFrame, Finalizer, FrameReport,
        Proxy, ReferenceError, Strong, Trace, Tracer, Weak, WeakMethod, WeakRef,
    };
}

/// The README's code blocks, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
