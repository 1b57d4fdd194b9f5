//! A read-only view of the world that parallel systems share across threads.

use weakarena_core::{Arena, Weak};

use crate::agent::Agent;
use crate::grid::{GridEntry, SpatialGrid};
use crate::species::{SpeciesId, SpeciesResources, SpeciesSpec};
use crate::torus::{Torus, Vec2};
use crate::world::World;

/// What parallel systems read: shared references only, so it is `Sync`.
pub(crate) struct View<'w> {
    pub(crate) agents: &'w Arena<Agent>,
    pub(crate) species: &'w Arena<SpeciesResources>,
    pub(crate) specs: &'w [SpeciesSpec],
    pub(crate) prey_grid: &'w SpatialGrid,
    pub(crate) hunter_grid: &'w SpatialGrid,
    pub(crate) torus: Torus,
    pub(crate) seed: u64,
}

impl<'w> View<'w> {
    pub(crate) fn of(world: &'w World) -> View<'w> {
        View {
            agents: &world.agents,
            species: &world.species,
            specs: world.book.specs(),
            prey_grid: &world.prey_grid,
            hunter_grid: &world.hunter_grid,
            torus: world.torus,
            seed: world.config.seed,
        }
    }

    /// The traits of `agent`'s species.
    pub(crate) fn spec(&self, agent: &Agent) -> &'w SpeciesSpec {
        &self.specs[agent.species.index()]
    }

    /// The nearest live agent in `grid` within `radius` of `from` whose
    /// species `accept` takes; ties go to the lower handle.
    pub(crate) fn nearest(
        &self,
        from: Vec2,
        grid: &'w SpatialGrid,
        radius: f32,
        accept: impl Fn(SpeciesId) -> bool,
    ) -> Option<&'w GridEntry> {
        let limit = radius * radius;
        grid.near(from, radius)
            .filter(|entry| accept(entry.species))
            .map(|entry| (self.torus.distance_sq(from, entry.pos), entry))
            .filter(|&(distance, entry)| distance <= limit && self.agents.contains(entry.handle))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.handle.cmp(&b.1.handle)))
            .map(|(_, entry)| entry)
    }
}

/// Live agents with their handles, in slot order: the list parallel systems
/// map over.
pub(crate) fn live(agents: &Arena<Agent>) -> Vec<(Weak<Agent>, &Agent)> {
    agents.iter().collect()
}
