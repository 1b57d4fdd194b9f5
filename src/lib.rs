//! # weakarena
//!
//! Python's `weakref` semantics for Rust game and simulation loops, on
//! generational slot arenas. This facade re-exports
//! [`weakarena_core`] (arenas, handles, callbacks, proxies, weak methods,
//! finalizers) and [`weakarena_collections`] (weak maps and sets, swept in
//! parallel after each frame).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use weakarena_collections as collections;
pub use weakarena_collections::*;
pub use weakarena_core as core;
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
