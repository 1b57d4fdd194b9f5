//! # weakarena-sim
//!
//! A frame loop for worlds built on weakarena, and the predator/prey
//! simulation behind the `sim` example.
//!
//! - [`FrameLoop`] and [`FrameWorld`], re-exported from
//!   [`weakarena_collections::frame_loop`]: the pattern to copy or embed. A
//!   world lists its arenas and weak collections; each [`FrameLoop::step`]
//!   runs the systems, then ends the frame over every arena and collection
//!   until nothing more dies
//!   ([`end_frame_all`](weakarena_collections::end_frame_all)).
//! - [`World`]: an ecosystem on a torus that uses every weakarena feature for
//!   a reason a game would have (see its docs for the table).
//! - [`run`], [`Cli`], [`RunReport`]: the command line, the run, and its
//!   deterministic report.
//!
//! ```
//! use weakarena_sim::{FrameLoop, World, WorldConfig};
//! let mut sim = FrameLoop::new(World::new(&WorldConfig::new(500, 7)));
//! for _ in 0..20 {
//!     sim.step();
//!     sim.world().check_invariants().unwrap();
//! }
//! assert!(sim.world().agents().len() > 0);
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod agent;
mod book;
mod camera;
mod cli;
mod config;
mod error;
mod events;
mod grass;
mod grid;
mod invariants;
mod legends;
mod memory;
mod observe;
mod outputs;
mod plot;
mod progress;
mod record;
mod report;
mod rng;
mod run;
mod save;
mod snapshot;
mod species;
mod stats;
mod summary;
mod systems;
mod tally;
mod torus;
mod world;

pub use agent::{agent_name, Agent, Cause};
pub use book::{Extinction, SpeciesBook};
pub use camera::{Camera, CameraUpdate};
pub use cli::{
    main_with, Cli, Config, DEFAULT_AGENTS, DEFAULT_FRAMES, MAX_AGENTS, MAX_FRAMES, MIN_AGENTS, STDOUT,
};
pub use config::WorldConfig;
pub use error::SimError;
pub use events::{census_handler, Event, EventBus, Handler};
pub use grass::Grass;
pub use grid::{GridEntry, SpatialGrid};
pub use invariants::InvariantError;
pub use legends::{Legends, Obituary, LEGEND_KILLS};
pub use report::{Deterministic, RunReport, Timings};
pub use rng::{Rng, Stream};
pub use run::{run, run_observed};
pub use snapshot::{render_snapshot, wrapped_segments, Snapshot, DOT_RADIUS};
pub use species::{default_species, Census, Role, SpeciesId, SpeciesResources, SpeciesSpec};
pub use stats::AgentStats;
pub use tally::Tally;
pub use torus::{Torus, Vec2};
pub use weakarena_collections::frame_loop::{FrameLoop, FrameOutcome, FrameTimings, FrameWorld};
pub use world::World;
