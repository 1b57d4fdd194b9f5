//! The systems of one frame, in the order they run:
//!
//! 1. **movement** (parallel): hunters chase their targets, prey flee the
//!    nearest hunter they see, everyone else wanders.
//! 2. **grids**: both spatial grids are refilled with weak handles.
//! 3. **grazing**: prey eat the grass under them, in slot order; grass
//!    regrows (parallel).
//! 4. **hunting**: hunters within reach of a live target eat it, in slot
//!    order; a hunter that reaches its sixth kill becomes a legend.
//! 5. **vitals** (parallel): age and metabolism; the starved and the old die.
//! 6. **births**: well-fed agents give birth while there is room.
//! 7. **targeting** (parallel): every hunter whose target died picks the
//!    nearest live prey it can see.
//! 8. **selection**: every few hundred frames, a new box selection.
//! 9. **camera**: follows its agent, or switches on `ReferenceError`.
//! 10. **events**: the frame's events go to the species' weak methods.
//!
//! Parallel systems compute one output per agent with rayon, then apply the
//! outputs in slot order, and draw random numbers from generators seeded by
//! (seed, agent, frame): the result never depends on the thread count.

mod births;
mod camera;
mod grazing;
mod hunting;
mod movement;
mod selection;
mod targeting;
mod view;
mod vitals;

use crate::world::World;

/// Runs every system of frame `frame`, in order.
pub(crate) fn run_frame(world: &mut World, frame: u64) {
    movement::run(world, frame);
    world.rebuild_grids();
    grazing::run(world);
    hunting::run(world, frame);
    vitals::run(world);
    births::run(world, frame);
    targeting::run(world);
    selection::run(world, frame);
    camera::run(world);
    world.events.dispatch(&mut world.species);
    world.book.archive_censuses(&world.species);
}
