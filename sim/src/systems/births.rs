//! Births: agents with enough energy give birth, in slot order, while the
//! population is below its limit. The child shares its parent's species
//! resources (one more strong handle to them).

use weakarena_core::Weak;

use crate::agent::Agent;
use crate::events::Event;
use crate::rng::{Rng, Stream};
use crate::torus::Vec2;
use crate::world::{Newborn, World};

/// How far from its parent a child appears.
const SCATTER: f32 = 2.0;

pub(crate) fn run(world: &mut World, frame: u64) {
    let ready: Vec<Weak<Agent>> = world
        .agents
        .iter()
        .filter(|(_, agent)| agent.energy >= world.book.spec(agent.species).birth_energy)
        .map(|(handle, _)| handle)
        .collect();
    for parent in ready {
        if world.agents.len() >= world.config.max_population as usize {
            break;
        }
        if let Some(child) = conceive(world, parent, frame) {
            world.events.emit(Event::Born { species: child.species });
            world.spawn(child);
            if let Some(stats) = world.stats.get_mut(parent) {
                stats.children += 1;
            }
            world.tally.births += 1;
        }
    }
}

/// The child `parent` has this frame, if its draw says so; the parent gives
/// it half its energy.
fn conceive(world: &mut World, parent: Weak<Agent>, frame: u64) -> Option<Newborn> {
    let seed = world.config.seed;
    let agent = world.agents.get_mut(parent)?;
    let mut rng = Rng::for_draw(seed, agent.id, frame, Stream::Birth);
    if !rng.chance(world.book.spec(agent.species).birth_chance) {
        return None;
    }
    agent.energy *= 0.5;
    let offset = Vec2::new(rng.range(-SCATTER, SCATTER), rng.range(-SCATTER, SCATTER));
    Some(Newborn {
        species: agent.species,
        pos: world.torus.wrap(agent.pos + offset),
        heading: agent.heading.rotated(rng.range(-3.0, 3.0)),
        energy: agent.energy,
        age: 0,
        resources: agent.resources.clone(),
    })
}
