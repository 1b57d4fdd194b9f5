//! Save and load (feature `serde`): whole worlds of arenas, handles and weak
//! collections, with every strong count and weak handle intact.
//!
//! # What is saved
//!
//! - [`Weak<T>`](crate::Weak) and [`RawHandle`](crate::RawHandle): their
//!   [`to_bits`](crate::RawHandle::to_bits), one `u64`. No context needed:
//!   the arena keeps every slot's index and generation, so a saved `Weak`
//!   names the same object after the load, or reads dead if it was dead.
//! - [`Arena<T>`](crate::Arena) with `T: Serialize`: every slot's
//!   generation, the free list in its reuse order, the retired slots, the
//!   frame counter, the slot limit, and each live object's value and strong
//!   count. The next insert after a load reuses the slot it would have
//!   reused without the save.
//! - [`Strong<T>`](crate::Strong): its arena's key in this save and its bits.
//!   On load it is counted again in its object's strong count.
//!
//! Saves happen between frames: an arena whose objects died since its last
//! frame end (a last strong handle dropped, or an
//! [`Arena::kill`](crate::Arena::kill)) refuses to save
//! ([`SaveError::PendingDeaths`]); end the frame first.
//!
//! After that frame end a killed object is dead and reclaimed (its
//! callbacks and finalizers ran, its value was dropped), but strong handles
//! to it may still be out. The save lists its slot as killed, with that
//! count, and the loaded world has it dead too: `get` and `upgrade` answer
//! `None`, the loaded strong handles to it count down harmlessly, and its
//! slot is recycled at the frame end after the last of them drops, without
//! the death being reported again, as in the saved world. Strong handles to
//! it that the file did not hold count as dropped at the load (a dead
//! object gets no [`Roots`]). Its callbacks ran before the save; nothing of
//! it runs in the loaded world.
//!
//! # Scopes: one world, several arenas
//!
//! A `Strong<T>` only means something with its arena, and the arena may come
//! before or after it in the file. So saving and loading run inside a scope
//! on the current thread: [`SaveScope`] numbers the arenas met while
//! serializing ([`ArenaKey`]); [`LoadScope`] rebuilds them while
//! deserializing, wherever in the file each arena, strong handle and weak
//! collection comes, and [`LoadScope::finish`] checks the world is whole.
//! Any serde format works; the scope is what the `Serialize` and
//! `Deserialize` impls consult.
//!
//! ```
//! use weakarena_core::save::{LoadScope, SaveScope};
//! use weakarena_core::{Arena, Strong, Weak};
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Team { name: String, captain: Option<Weak<Unit>> }
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Unit { hp: u32, team: Strong<Team> }   // a strong handle across arenas
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct World { units: Arena<Unit>, teams: Arena<Team>, roster: Vec<Strong<Unit>> }
//!
//! let mut teams = Arena::new();
//! let red = teams.insert(Team { name: "red".into(), captain: None });
//! let mut units = Arena::new();
//! let scout = units.insert(Unit { hp: 7, team: red.clone() });
//! teams[&red].captain = Some(scout.downgrade());
//! drop(red); // the unit's `team` now holds the team alone
//! let world = World { units, teams, roster: vec![scout] };
//!
//! let scope = SaveScope::new();
//! let json = serde_json::to_string(&world).unwrap();
//! scope.finish().unwrap();
//!
//! let scope = LoadScope::new();
//! let loaded: World = serde_json::from_str(&json).unwrap();
//! let roots = scope.finish().unwrap();
//! assert!(roots.is_empty()); // every strong handle was in the file
//!
//! let scout = &loaded.roster[0];
//! assert_eq!(loaded.units[scout].hp, 7);
//! let team = &loaded.units[scout].team;
//! assert_eq!(team.strong_count(), 1);
//! assert_eq!(loaded.teams[team].captain, Some(scout.downgrade()));
//! ```
//!
//! # Roots: strong handles outside the file
//!
//! Every live object's strong count is saved. A load counts the `Strong`s
//! it deserializes; where an object had more at save time (handles the game
//! kept in places it did not save), [`LoadScope::finish`] makes up the
//! difference as [`Roots`]: strong handles for the caller to re-attach
//! ([`Roots::take`], [`Roots::take_all`]). Each strong count after the load
//! is then the `Strong`s loaded plus the roots kept; roots dropped instead
//! release their objects, as dropping those holders would have. A world that
//! saves its own root handles (the sim's `owners` list) gets no roots.
//!
//! # Closures are not saved
//!
//! Callbacks, finalizers and weak methods hold closures, which serde cannot
//! write, so [`WeakRef`](crate::WeakRef), [`Proxy`](crate::Proxy),
//! [`WeakMethod`](crate::WeakMethod) and [`Finalizer`](crate::Finalizer)
//! have no `Serialize`. A loaded arena has no tracked references: its
//! objects' [`weak_count`](crate::Arena::weak_count) counts only the weak
//! collections loaded with it (each entry counts again on load). A game
//! saves what its callbacks were about (a legend's name, the camera's
//! subject as a `Weak`) and re-registers them after the load, from the
//! loaded objects: `WeakRef::with_callback(&arena.upgrade(weak)?, ...)`.
//!
//! # For container authors
//!
//! A container of weak handles saves its arena's key ([`arena_key`]) and
//! loads against the arena's table ([`table_of`]); [`load_strong`] hands
//! out a counted handle to a saved object while the load runs, even before
//! its arena's own data has been read. The weak collections of
//! `weakarena-collections` are written this way.
//!
//! # Untrusted files
//!
//! A load checks the file's consistency (indices, generations, counts) and
//! fails with a [`LoadError`] naming the problem, but allocates the slots the
//! file names: a file that names slot 4 billion makes a large arena.

mod arena_image;
mod error;
mod handles;
mod load_scope;
mod roots;
mod save_scope;

use serde::{Deserialize, Serialize};

pub use error::{LoadError, SaveError};
pub use load_scope::{load_strong, table_of, LoadScope};
pub use roots::Roots;
pub use save_scope::{arena_key, SaveScope};

use crate::generation::Generation;

/// An arena's number within one save: assigned by the [`SaveScope`] in the
/// order the arenas (or handles to them) are serialized, and matched again
/// by the [`LoadScope`].
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArenaKey(pub u32);

/// An arena's bookkeeping beside its slots, as saved and restored.
pub(crate) struct Bookkeeping {
    pub(crate) free: Vec<u32>,
    pub(crate) retired: usize,
    pub(crate) first_generation: Generation,
    pub(crate) slot_limit: u32,
    pub(crate) frame: u64,
}
