//! # weakarena-bevy
//!
//! weakarena in a bevy app: arenas and weak collections as resources whose
//! frame ends once per app update, refcounted entities, and per-entity data
//! that cleans itself.
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
