//! The camera system: follow the subject, or pick a new one when the
//! camera's proxy answers `ReferenceError`.

use std::cmp::Reverse;

use weakarena_collections::{WeakKeyMap, WeakSet};
use weakarena_core::{Arena, Weak};

use crate::agent::Agent;
use crate::stats::AgentStats;
use crate::world::{owner_of, World};

pub(crate) fn run(world: &mut World) {
    let (agents, stats, selection) = (&world.agents, &world.stats, &world.selection);
    let owners = &world.owners;
    world.camera.update(agents, world.torus, || {
        let pick = pick_subject(agents, stats, selection)?;
        owner_of(owners, pick).cloned()
    });
}

/// The most interesting agent: from the selection if anyone in it lives,
/// else from everyone — hunters first, then most kills, then lowest id.
fn pick_subject(
    agents: &Arena<Agent>,
    stats: &WeakKeyMap<Agent, AgentStats>,
    selection: &WeakSet<Agent>,
) -> Option<Weak<Agent>> {
    let best = |candidates: &mut dyn Iterator<Item = Weak<Agent>>| {
        candidates
            .filter_map(|handle| agents.get(handle).map(|agent| (handle, agent)))
            .max_by_key(|(handle, agent)| {
                (agent.hunter, stats.get(*handle).map_or(0, |s| s.kills), Reverse(agent.id))
            })
            .map(|(handle, _)| handle)
    };
    best(&mut selection.iter()).or_else(|| best(&mut agents.iter().map(|(handle, _)| handle)))
}
