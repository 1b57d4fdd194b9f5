//! Movement: chase, flee or wander, computed in parallel, applied in slot order.

use rayon::prelude::*;

use super::view::{live, View};
use crate::agent::Agent;
use crate::rng::{Rng, Stream};
use crate::species::SpeciesId;
use crate::torus::Vec2;
use crate::world::World;

/// Speed factor when neither chasing nor fleeing.
const STROLL: f32 = 0.5;

/// Where one agent goes this frame.
struct Step {
    pos: Vec2,
    heading: Vec2,
    distance: f32,
}

pub(crate) fn run(world: &mut World, frame: u64) {
    let steps: Vec<Step> = {
        let view = View::of(world);
        live(&world.agents).par_iter().map(|(_, agent)| plan(&view, agent, frame)).collect()
    };
    apply(world, steps);
}

fn apply(world: &mut World, steps: Vec<Step>) {
    for ((handle, agent), step) in world.agents.iter_mut().zip(steps) {
        agent.pos = step.pos;
        agent.heading = step.heading;
        if let Some(stats) = world.stats.get_mut(handle) {
            stats.distance += step.distance;
        }
    }
}

/// Chase, flee, or wander.
fn plan(view: &View<'_>, agent: &Agent, frame: u64) -> Step {
    let spec = view.spec(agent);
    let urgent = if agent.hunter { chase(view, agent) } else { flee(view, agent) };
    let (heading, reach) = urgent.unwrap_or_else(|| (wander(view, agent, frame), spec.speed * STROLL));
    let distance = reach.min(spec.speed);
    let pos = view.torus.wrap(agent.pos + heading * distance);
    Step { pos, heading, distance }
}

/// Towards the target, if it lives; never past it.
fn chase(view: &View<'_>, hunter: &Agent) -> Option<(Vec2, f32)> {
    let prey = view.agents.get(hunter.target?)?;
    let delta = view.torus.delta(hunter.pos, prey.pos);
    Some((delta.normalized_or(hunter.heading), delta.length_sq().sqrt()))
}

/// Away from the nearest hunter in sight that eats this species.
fn flee(view: &View<'_>, prey: &Agent) -> Option<(Vec2, f32)> {
    let spec = view.spec(prey);
    let eats_me = |hunter: SpeciesId| view.specs[hunter.index()].eats(prey.species);
    let hunter = view.nearest(prey.pos, view.hunter_grid, spec.sight, eats_me)?;
    let away = view.torus.delta(hunter.pos, prey.pos);
    Some((away.normalized_or(prey.heading), f32::INFINITY))
}

/// A turn from the species' shared wander table.
fn wander(view: &View<'_>, agent: &Agent, frame: u64) -> Vec2 {
    let mut rng = Rng::for_draw(view.seed, agent.id, frame, Stream::Wander);
    let turn =
        view.species.get(&agent.resources).map_or(0.0, |shared| shared.wander_turn(rng.below(u32::MAX)));
    agent.heading.rotated(turn).normalized_or(Vec2::new(1.0, 0.0))
}
