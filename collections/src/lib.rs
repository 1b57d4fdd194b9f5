//! # weakarena-collections
//!
//! Weak maps and sets over [`weakarena_core`] arenas: [`WeakKeyMap`]
//! (Python's `WeakKeyDictionary`, stored densely by slot like slotmap's
//! `SecondaryMap`; the one to reach for first), [`SparseWeakKeyMap`] (the
//! same, hashed, for few keys of a large arena, like `SparseSecondaryMap`),
//! [`WeakValueMap`] (`WeakValueDictionary`) and [`WeakSet`] (`WeakSet`).
//!
//! They never show a dead entry: every lookup and iteration checks the
//! object's liveness in the arena's side table, so an object is gone from
//! every collection the instant its last strong handle drops. Their memory
//! is reclaimed after each frame by a [`Sweep`] with the frame's
//! [`FrameReport`](weakarena_core::FrameReport); [`sweep_all`] sweeps many
//! collections at once with rayon, large ones split across threads.
//!
//! A sweep's cost follows the work: with few deaths it looks each one up;
//! with many it streams once over the entries against the report's death
//! set. A collection that missed frames checks every entry instead, so it
//! still ends up exact.
//!
//! ```
//! use weakarena_core::Arena;
//! use weakarena_collections::{sweep_all, WeakKeyMap, WeakSet, WeakValueMap};
//!
//! let mut arena = Arena::new();
//! let mut health = WeakKeyMap::new(&arena);
//! let mut by_name = WeakValueMap::new(&arena);
//! let mut selected = WeakSet::new(&arena);
//! let orc = arena.insert("orc");
//! health.insert(&orc, 10);
//! by_name.insert("grunt", &orc);
//! selected.insert(&orc);
//! assert_eq!(arena.weak_count(&orc), 3);
//!
//! drop(orc);
//! assert!(health.is_empty() == false && health.live_len() == 0);
//! let report = arena.end_frame();
//! sweep_all(&[report], &mut [&mut health, &mut by_name, &mut selected]);
//! assert!(health.is_empty() && by_name.is_empty() && selected.is_empty());
//! ```
//!
//! Keys compare by identity, not by value: two equal objects are two keys
//! (CPython's `WeakKeyDictionary` uses `__eq__`).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod caught_drops;
mod dense_key_map;
mod ephemeron;
mod error;
mod frame_end;
pub mod frame_loop;
mod from_iter;
mod handle_entries;
mod hashing;
mod impls;
mod key_check;
mod key_map;
mod key_map_entry;
mod key_views;
mod merge;
mod ordered;
#[cfg(feature = "serde")]
mod save;
mod set;
mod set_in_place;
mod set_members;
mod strong_insert;
mod sweep;
mod sweep_all;
mod unbound;
mod value_keys;
mod value_map;
mod value_map_entry;

pub use dense_key_map::WeakKeyMap;
pub use error::InsertError;
pub use frame_end::{end_frame_all, end_frame_parts, FrameEnd, FrameParts};
pub use key_map::SparseWeakKeyMap;
pub use key_map_entry::{Entry, OccupiedEntry, VacantEntry};
pub use set::WeakSet;
pub use sweep::{Sweep, SweepMode, SweepStats};
pub use sweep_all::sweep_all;
pub use value_map::WeakValueMap;
pub use value_map_entry::{OccupiedValueEntry, VacantValueEntry, ValueEntry};

/// The crate README's code, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
