//! What a world is made from: the seed, the agent count and the tuning.

use crate::species::{default_species, SpeciesSpec};
use crate::torus::Torus;

/// Agents per square world unit at the start: the torus grows with the
/// agent count, so small and large runs behave alike.
pub const DENSITY: f32 = 0.02;

/// How many times the initial agent count the population may grow to.
pub const GROWTH_LIMIT: u32 = 3;

/// Everything [`World::new`](crate::World::new) needs.
#[derive(Clone, PartialEq, Debug)]
pub struct WorldConfig {
    /// The seed every random draw derives from.
    pub seed: u64,
    /// Agents at the start.
    pub agents: u32,
    /// The species table.
    pub species: Vec<SpeciesSpec>,
    /// Births stop while this many agents are alive.
    pub max_population: u32,
    /// Grass regrown per cell per frame.
    pub grass_regrow: f32,
    /// Grass a cell holds at most.
    pub grass_max: f32,
    /// Frames between new box selections.
    pub selection_period: u64,
}

impl WorldConfig {
    /// The default ecosystem with `agents` agents, seeded with `seed`.
    pub fn new(agents: u32, seed: u64) -> WorldConfig {
        WorldConfig {
            seed,
            agents,
            species: default_species(),
            max_population: agents.saturating_mul(GROWTH_LIMIT),
            grass_regrow: 0.08,
            grass_max: 3.0,
            selection_period: 250,
        }
    }

    /// The torus sized for the agent count.
    pub fn torus(&self) -> Torus {
        Torus::square((self.agents as f32 / DENSITY).sqrt().max(40.0))
    }

    /// Founding members per species: shares of `agents`, at least one each,
    /// the remainder to the first species.
    pub fn founders(&self) -> Vec<u32> {
        let total: f32 = self.species.iter().map(|spec| spec.share).sum();
        let mut counts: Vec<u32> = self
            .species
            .iter()
            .map(|spec| ((spec.share / total * self.agents as f32) as u32).max(1))
            .collect();
        let placed: u32 = counts.iter().sum();
        if let Some(first) = counts.first_mut() {
            *first = (*first + self.agents.saturating_sub(placed)).max(1);
        }
        counts
    }
}
