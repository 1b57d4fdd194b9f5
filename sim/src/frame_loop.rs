//! The frame loop: run the systems, end the frame on every arena until no
//! death cascades any more, sweep every weak collection in parallel.
//!
//! A world implements [`FrameWorld`] — its systems, its arenas, its weak
//! collections — and [`FrameLoop`] drives it, one [`step`](FrameLoop::step)
//! per frame. The loop is the whole pattern; copy it or embed it.
//!
//! ```
//! use weakarena_collections::{Sweep, WeakKeyMap};
//! use weakarena_core::{Arena, EndFrame, Strong};
//! use weakarena_sim::{FrameLoop, FrameWorld};
//!
//! struct Squad;
//! struct Unit {
//!     squad: Strong<Squad>, // units keep their squad alive
//! }
//!
//! struct Game {
//!     squads: Arena<Squad>,
//!     units: Arena<Unit>,
//!     owned: Vec<Strong<Unit>>,       // the only strong handles to units
//!     health: WeakKeyMap<Unit, u32>,  // data beside the units, swept each frame
//! }
//!
//! impl FrameWorld for Game {
//!     fn run_systems(&mut self, frame: u64) {
//!         if frame == 1 {
//!             self.owned.clear(); // every unit dies here, at once
//!         }
//!     }
//!     fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
//!         vec![&mut self.units, &mut self.squads] // units first: their drops free the squad
//!     }
//!     fn collections(&mut self) -> Vec<&mut dyn Sweep> {
//!         vec![&mut self.health]
//!     }
//! }
//!
//! let (mut squads, mut units) = (Arena::new(), Arena::new());
//! let squad = squads.insert(Squad);
//! let owned = vec![units.insert(Unit { squad: squad.clone() }), units.insert(Unit { squad })];
//! let mut health = WeakKeyMap::new(&units);
//! for unit in &owned {
//!     health.insert(unit, 10);
//! }
//!
//! let mut game = FrameLoop::new(Game { squads, units, owned, health });
//! game.step(); // frame 0: nothing dies
//! let outcome = game.step(); // frame 1: the units die, then their squad
//! assert_eq!(outcome.reports[0].death_count(), 2); // units
//! assert_eq!(outcome.reports[1].death_count(), 1); // the squad, same frame end
//! assert_eq!(outcome.swept(), 2);
//! assert!(game.world().health.is_empty());
//! ```

use std::time::{Duration, Instant};

use weakarena_collections::{sweep_all, Sweep, SweepStats};
use weakarena_core::{end_frames, EndFrame, FrameReport};

/// A world the [`FrameLoop`] can drive.
pub trait FrameWorld {
    /// Runs this frame's systems. Deaths here (dropping the last strong
    /// handle) take effect at once; reclamation waits for the frame end.
    fn run_systems(&mut self, frame: u64);

    /// Every arena, in the order their frames end within each cascade pass.
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame>;

    /// Every weak collection, swept after the frame end.
    fn collections(&mut self) -> Vec<&mut dyn Sweep>;

    /// Called once the frame is over, with what happened. Does nothing unless
    /// overridden.
    fn frame_ended(&mut self, outcome: &FrameOutcome) {
        let _ = outcome;
    }
}

/// How long each phase of one frame took.
#[derive(Copy, Clone, PartialEq, Eq, Default, Debug)]
pub struct FrameTimings {
    /// The world's systems.
    pub systems: Duration,
    /// Ending the frame on every arena, cascades included.
    pub end_frame: Duration,
    /// Sweeping every weak collection.
    pub sweep: Duration,
}

impl FrameTimings {
    /// The whole frame.
    pub fn total(&self) -> Duration {
        self.systems + self.end_frame + self.sweep
    }
}

/// What one frame did.
#[derive(Clone, Debug)]
pub struct FrameOutcome {
    /// The frame number, from 0.
    pub frame: u64,
    /// One report per arena, in [`FrameWorld::arenas`] order.
    pub reports: Vec<FrameReport>,
    /// One sweep per collection, in [`FrameWorld::collections`] order.
    pub sweeps: Vec<SweepStats>,
    /// Phase timings.
    pub timings: FrameTimings,
}

impl FrameOutcome {
    /// Objects that died this frame, all arenas together.
    pub fn deaths(&self) -> usize {
        self.reports.iter().map(FrameReport::death_count).sum()
    }

    /// Entries the sweeps reclaimed, all collections together.
    pub fn swept(&self) -> usize {
        self.sweeps.iter().map(|sweep| sweep.removed).sum()
    }
}

/// Owns a world and runs its frames.
#[derive(Debug)]
pub struct FrameLoop<W> {
    world: W,
    frame: u64,
}

impl<W: FrameWorld> FrameLoop<W> {
    /// A loop about to run `world`'s frame 0.
    pub fn new(world: W) -> FrameLoop<W> {
        FrameLoop { world, frame: 0 }
    }

    /// Runs one frame: systems, frame end across all arenas until nothing
    /// more dies, then every collection swept in parallel.
    pub fn step(&mut self) -> FrameOutcome {
        let started = Instant::now();
        self.world.run_systems(self.frame);
        let systems_done = Instant::now();
        let reports = end_frames(&mut self.world.arenas());
        let ended = Instant::now();
        let sweeps = sweep_all(&reports, &mut self.world.collections());
        let timings = FrameTimings {
            systems: systems_done - started,
            end_frame: ended - systems_done,
            sweep: ended.elapsed(),
        };
        let outcome = FrameOutcome { frame: self.frame, reports, sweeps, timings };
        self.world.frame_ended(&outcome);
        self.frame += 1;
        outcome
    }

    /// The next frame's number (frames run so far).
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// The world.
    pub fn world(&self) -> &W {
        &self.world
    }

    /// The world, mutably.
    pub fn world_mut(&mut self) -> &mut W {
        &mut self.world
    }

    /// Gives the world back.
    pub fn into_world(self) -> W {
        self.world
    }
}
