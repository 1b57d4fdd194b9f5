//! Targeting: every hungry hunter whose `Weak` target is dead — eaten by
//! another hunter, starved, aged out — or missing picks the nearest live
//! prey it can see; fed hunters let their target go. Runs last among the systems that kill, so after every frame no
//! hunter holds a dead target.

use rayon::prelude::*;
use weakarena_core::Weak;

use super::view::{live, View};
use crate::agent::Agent;
use crate::species::SpeciesId;
use crate::world::World;

/// Hunters hunt below this share of their birth energy, and rest above it.
const HUNGRY: f32 = 1.2;

/// A hunter's new target (`None`: nothing in sight).
type Retarget = (Weak<Agent>, Option<Weak<Agent>>);

pub(crate) fn run(world: &mut World) {
    let changes: Vec<Retarget> = {
        let view = View::of(world);
        live(&world.agents).par_iter().filter_map(|&(handle, agent)| retarget(&view, handle, agent)).collect()
    };
    for (hunter, target) in changes {
        if let Some(agent) = world.agents.get_mut(hunter) {
            agent.target = target;
        }
    }
}

/// `Some` when `agent` is a hunter whose target must change: it is dead
/// (pick another), or the hunter is fed (let it go).
fn retarget(view: &View<'_>, handle: Weak<Agent>, agent: &Agent) -> Option<Retarget> {
    if !agent.hunter {
        return None;
    }
    let spec = view.spec(agent);
    let hungry = agent.energy < spec.birth_energy * HUNGRY;
    let target_alive = agent.target.is_some_and(|target| view.agents.contains(target));
    let next = match (hungry, target_alive) {
        (false, _) => None,
        (true, true) => return None,
        (true, false) => {
            let edible = |prey: SpeciesId| spec.eats(prey);
            view.nearest(agent.pos, view.prey_grid, spec.sight, edible).map(|prey| prey.handle)
        }
    };
    (next != agent.target).then_some((handle, next))
}
