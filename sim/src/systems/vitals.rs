//! Vitals: ageing and metabolism in parallel; the starved and the old die,
//! in slot order.

use rayon::prelude::*;
use weakarena_core::Weak;

use super::view::{live, View};
use crate::agent::{Agent, Cause};
use crate::world::World;

/// One agent's vitals after this frame.
struct Vitals {
    energy: f32,
    age: u32,
    fate: Option<Cause>,
}

pub(crate) fn run(world: &mut World) {
    let vitals: Vec<Vitals> = {
        let view = View::of(world);
        live(&world.agents).par_iter().map(|(_, agent)| age(&view, agent)).collect()
    };
    let mut dying: Vec<(Weak<Agent>, Cause)> = Vec::new();
    for ((handle, agent), next) in world.agents.iter_mut().zip(vitals) {
        agent.energy = next.energy;
        agent.age = next.age;
        dying.extend(next.fate.map(|cause| (handle, cause)));
    }
    for (handle, cause) in dying {
        world.kill(handle, cause);
    }
}

fn age(view: &View<'_>, agent: &Agent) -> Vitals {
    let spec = view.spec(agent);
    let energy = agent.energy - spec.metabolism;
    let age = agent.age + 1;
    let fate = if age >= spec.max_age {
        Some(Cause::OldAge)
    } else if energy <= 0.0 {
        Some(Cause::Starved)
    } else {
        None
    };
    Vitals { energy, age, fate }
}
