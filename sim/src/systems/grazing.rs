//! Grazing: prey eat the grass under them, in slot order (two prey on one
//! cell compete, so this part is sequential); then the grass regrows.

use crate::world::World;

/// Energy a prey may store, in multiples of its birth energy.
const FULL: f32 = 1.5;

pub(crate) fn run(world: &mut World) {
    let specs = world.book.specs();
    for (_, agent) in world.agents.iter_mut().filter(|(_, agent)| !agent.hunter) {
        let spec = &specs[agent.species.index()];
        let room = (spec.birth_energy * FULL - agent.energy).max(0.0);
        agent.energy += world.grass.graze(agent.pos, spec.appetite.min(room));
    }
    world.grass.regrow();
}
