//! The frame loop: run the systems, then end the frame over every arena and
//! weak collection until nothing more dies ([`end_frame_all`]).
//!
//! A world implements [`FrameWorld`] — its systems, its arenas, its weak
//! collections — and [`FrameLoop`] drives it, one [`step`](FrameLoop::step)
//! per frame. The loop is the whole pattern; copy it or embed it (it needs
//! nothing beyond this crate and the core).
//!
//! ```
//! use weakarena_collections::frame_loop::{FrameLoop, FrameWorld};
//! use weakarena_collections::{Sweep, WeakKeyMap};
//! use weakarena_core::{Arena, EndFrame, Strong};
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
//! assert_eq!(outcome.passes, 1); // no swept value held the last handle of anything
//! assert!(game.world().health.is_empty());
//! ```

use std::time::Duration;

// `std::time::Instant` natively; `performance.now()` on wasm32-unknown-unknown.
use web_time::Instant;

use weakarena_core::{EndFrame, FrameReport};

#[cfg(doc)]
use crate::frame_end::end_frame_all;
use crate::frame_end::{end_frame_parts, FrameParts};
use crate::sweep::{Sweep, SweepStats};

/// A world the [`FrameLoop`] can drive.
pub trait FrameWorld {
    /// Runs this frame's systems. Deaths here (dropping the last strong
    /// handle) take effect at once; reclamation waits for the frame end.
    fn run_systems(&mut self, frame: u64);

    /// Every arena, in the order their frames end within each cascade pass.
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame>;

    /// Every weak collection, swept within the frame end: a swept value's
    /// drop can kill more objects, which die in the same frame end.
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
    /// Reclaiming in every arena, over every pass of the frame end.
    pub end_frame: Duration,
    /// Sweeping every weak collection, over every pass of the frame end.
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
    /// Passes of the frame end that found deaths ([`FrameEnd::passes`](crate::FrameEnd::passes)).
    pub passes: u32,
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

    /// A loop about to run `world`'s frame `frame`: a world loaded from a
    /// save continues where the saved run stopped.
    pub fn resume(world: W, frame: u64) -> FrameLoop<W> {
        FrameLoop { world, frame }
    }

    /// Runs one frame: systems, then the frame end over every arena and
    /// collection until nothing more dies ([`end_frame_all`]).
    pub fn step(&mut self) -> FrameOutcome {
        let started = Instant::now();
        self.world.run_systems(self.frame);
        let systems = started.elapsed();
        let end = end_frame_parts(&mut Lent(&mut self.world));
        let timings = FrameTimings { systems, end_frame: end.reclaim_time, sweep: end.sweep_time };
        let outcome = FrameOutcome {
            frame: self.frame,
            reports: end.reports,
            sweeps: end.sweeps,
            passes: end.passes,
            timings,
        };
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

/// A world lending its arenas and collections to the frame end.
struct Lent<'w, W>(&'w mut W);

impl<W: FrameWorld> FrameParts for Lent<'_, W> {
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
        self.0.arenas()
    }

    fn collections(&mut self) -> Vec<&mut dyn Sweep> {
        self.0.collections()
    }
}
