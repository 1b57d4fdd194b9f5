//! Hunting: a hunter within reach of its live target eats it. Sequential in
//! slot order, since two hunters may reach one prey.

use weakarena_core::Weak;

use crate::agent::{agent_name, Agent, Cause};
use crate::events::Event;
use crate::legends::LEGEND_KILLS;
use crate::world::{owner_of, World};

/// Distance at which a hunter catches its prey.
const REACH: f32 = 1.5;
/// Energy a hunter gets from any catch, on top of its share of the victim's.
const MEAL: f32 = 3.0;
/// Energy a hunter may store, in multiples of its birth energy.
const FULL: f32 = 1.5;

pub(crate) fn run(world: &mut World, frame: u64) {
    let chases: Vec<(Weak<Agent>, Weak<Agent>)> =
        world.agents.iter().filter_map(|(handle, agent)| Some((handle, agent.target?))).collect();
    for (hunter, prey) in chases {
        if let Some(meal) = catch(world, hunter, prey) {
            feed(world, hunter, prey, meal, frame);
        }
    }
}

/// The energy `hunter` would get from `prey`, if the prey still lives (an
/// earlier hunter may have eaten it this frame) and is within reach.
fn catch(world: &World, hunter: Weak<Agent>, prey: Weak<Agent>) -> Option<f32> {
    let (h, p) = (world.agents.get(hunter)?, world.agents.get(prey)?);
    let close = world.torus.distance_sq(h.pos, p.pos) <= REACH * REACH;
    close.then(|| MEAL + p.energy.max(0.0) * world.book.spec(h.species).appetite)
}

fn feed(world: &mut World, hunter: Weak<Agent>, prey: Weak<Agent>, meal: f32, frame: u64) {
    let prey_species = world.agents[prey].species;
    world.kill(prey, Cause::Eaten);
    let spec_full = world.book.spec(world.agents[hunter].species).birth_energy * FULL;
    let agent = &mut world.agents[hunter];
    agent.energy = (agent.energy + meal).min(spec_full);
    agent.target = None;
    let (species, id) = (agent.species, agent.id);
    world.events.emit(Event::Kill { hunter: species, prey: prey_species });
    count_kill(world, hunter, agent_name(world.book.spec(species).name, id), frame);
}

/// Adds a kill to the hunter's statistics; the sixth makes it a legend,
/// watched by a weak reference whose callback writes its obituary.
fn count_kill(world: &mut World, hunter: Weak<Agent>, name: String, frame: u64) {
    let kills = world.stats.get_mut(hunter).map(|stats| {
        stats.kills += 1;
        stats.kills
    });
    if kills == Some(LEGEND_KILLS) {
        if let Some(owner) = owner_of(&world.owners, hunter) {
            world.legends.enshrine(owner, name, frame);
        }
    }
}
