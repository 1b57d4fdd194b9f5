//! # weakarena-bevy
//!
//! weakarena in a bevy app: arenas and weak collections as resources whose
//! frame ends once per app update, refcounted entities, and per-entity data
//! that cleans itself.
//!
//! ## A short tour
//!
//! ```
//! use bevy_app::App;
//! use weakarena_bevy::{EntityMap, RcEntities, WeakArenaAppExt, WeakArenaPlugin};
//!
//! let mut app = App::new();
//! app.add_plugins(WeakArenaPlugin::default()) // frame end in `Last`
//!     .add_entity_map::<&str>();              // per-entity data, swept by the plugin
//!
//! let squad = RcEntities::spawn_in(app.world_mut(), ()); // EntityRc: owns the entity
//! let watcher = squad.downgrade();                        // EntityWeak: 8 bytes, owns nothing
//! let entity = squad.entity();
//! app.world_mut().resource_mut::<EntityMap<&str>>().try_insert(&squad, "alpha").unwrap();
//!
//! drop(squad); // the last handle: dead now, on any thread
//! assert!(!app.world().resource::<RcEntities>().is_alive(watcher));
//! assert_eq!(app.world().resource::<EntityMap<&str>>().get(watcher), None);
//!
//! app.update(); // the frame end: finalizers, despawn, sweep, an `EntityDeaths` message
//! assert!(app.world().get_entity(entity).is_err());
//! assert!(app.world().resource::<EntityMap<&str>>().is_empty());
//! ```
//!
//! ## Which type do I need?
//!
//! | you want | use |
//! |---|---|
//! | an entity that lives while something holds it | [`EntityRc`], from [`RcEntities::spawn`] or [`RcEntities::adopt`] |
//! | to point at it without keeping it alive | [`EntityWeak`] (`Copy`, 8 bytes), read through [`RcEntities`] |
//! | data per entity that goes when the entity does | [`EntityMap<V>`], from [`add_entity_map`](WeakArenaAppExt::add_entity_map) |
//! | a weakarena [`Arena`](weakarena_core::Arena) of your own in the app | [`WeakArena<T>`], from [`add_weak_arena`](WeakArenaAppExt::add_weak_arena) |
//! | a weak map or set over it | [`WeakCollection<C>`], from [`add_weak_collection`](WeakArenaAppExt::add_weak_collection) |
//! | to hear about deaths | `MessageReader<EntityDeaths>`, `MessageReader<Deaths<T>>` |
//! | a callback or finalizer on an entity's death | `WeakRef::with_callback(rc.strong(), …)`, `Finalizer::new(rc.strong(), …)` |
//!
//! ## One app update
//!
//! Systems clone and drop handles as they like, on any thread. The drop of
//! an entity's last [`EntityRc`] kills it at once: its weak handles read
//! dead, its map entries vanish from every lookup, and it can never be
//! upgraded again. Then, once per update, in [`Last`](bevy_app::Last) or the
//! schedule given to [`WeakArenaPlugin::in_schedule`], the frame end:
//!
//! 1. ends the frame of every registered arena, cascading across them, and
//!    runs the dead objects' callbacks and finalizers (newest first; a
//!    panic is caught and reported, the rest still run);
//! 2. sweeps every registered weak collection, dropping dead keys' values;
//! 3. despawns the dead entities — their components drop, and may release
//!    the last handles of more entities, as can the swept values: the frame
//!    end repeats until nothing more dies, so a squad held only by its units
//!    despawns in the same update as its last unit. However many passes
//!    that takes, each arena's frame ends once per update;
//! 4. writes one [`EntityDeaths`] (and one [`Deaths<T>`] per arena) with
//!    the dead handles and the figures ([`FrameFigures`]).
//!
//! ## Compared with bevy's own tools
//!
//! - **`despawn`** ends an entity when some system decides to; every holder
//!   of its `Entity` must then cope with a stale id, and every cache keyed
//!   by it must be cleaned by hand. Here ownership decides: the entity ends
//!   when its last owner lets go, and the weak side never needs cleaning.
//! - **Component hooks and observers** (`on_remove`, `On<Remove<C>>`,
//!   `On<Despawn<C>>`) run code at a despawn: the usual way to clean a
//!   `HashMap<Entity, _>` (bevy issue #2031). An [`EntityMap`] needs no such
//!   code: its entries are gone from lookups at the death, and reclaimed by
//!   the plugin's sweep, which costs what the deaths cost. Hooks still run
//!   for refcounted entities, since they are despawned normally.
//! - **bevy PR #22710's `EntityRc`** (closed) wrapped an `Arc`/`Weak` pair
//!   with the entity and sent each last drop to a concurrent queue that the
//!   app drained by hand (`handle_dropped_rcs`). Here there is no queue to
//!   drain: the plugin's frame end does it every update. The counts live in
//!   weakarena's side table rather than in an `Arc` allocation per entity; a
//!   weak handle is 8 bytes (`EntityWeak`) where `std::sync::Weak` plus the
//!   `Entity` is 16, and reading it is one atomic load, not an upgrade.
//!   Like #22710, a dead entity cannot be saved: its death is final.
//!
//! ## Costs and limits
//!
//! - An [`EntityRc`] is 24 bytes (the 16-byte strong handle and the
//!   `Entity`); cloning and dropping it is one atomic operation on the
//!   entity's own count word.
//! - Despawning a refcounted entity by hand (bevy's `despawn`) is allowed:
//!   its handles then name an entity that no longer exists, as a stale
//!   `Entity` does, and the frame end skips it.
//! - Adopt each entity once; two adoptions are two independent counts.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod entities;
mod entity_rc;
mod frame_end;
mod lending;
mod messages;
mod plugin;
mod resources;

pub use entities::RcEntities;
pub use entity_rc::{EntityRc, EntityWeak, RcEntity};
pub use messages::{Deaths, EntityDeaths, FrameFigures};
pub use plugin::{WeakArenaAppExt, WeakArenaPlugin, WeakArenaSystems};
pub use resources::{EntityMap, WeakArena, WeakCollection};
