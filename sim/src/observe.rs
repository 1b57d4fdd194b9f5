//! Read-only access to the world, for reports, tests and embedding code.

use weakarena_collections::{WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::{Arena, Weak};

use crate::agent::Agent;
use crate::book::SpeciesBook;
use crate::camera::Camera;
use crate::events::EventBus;
use crate::grass::Grass;
use crate::grid::SpatialGrid;
use crate::legends::Legends;
use crate::rng::mix64;
use crate::species::SpeciesResources;
use crate::stats::AgentStats;
use crate::tally::Tally;
use crate::torus::Torus;
use crate::world::World;

impl World {
    /// The agents' arena.
    pub fn agents(&self) -> &Arena<Agent> {
        &self.agents
    }

    /// The species resources' arena.
    pub fn species_arena(&self) -> &Arena<SpeciesResources> {
        &self.species
    }

    /// The species table, populations and extinctions.
    pub fn book(&self) -> &SpeciesBook {
        &self.book
    }

    /// Name → agent registry.
    pub fn registry(&self) -> &WeakValueMap<String, Agent> {
        &self.registry
    }

    /// Per-agent statistics.
    pub fn stats(&self) -> &WeakKeyMap<Agent, AgentStats> {
        &self.stats
    }

    /// The player's selection.
    pub fn selection(&self) -> &WeakSet<Agent> {
        &self.selection
    }

    /// The camera.
    pub fn camera(&self) -> &Camera {
        &self.camera
    }

    /// The event bus.
    pub fn events(&self) -> &EventBus {
        &self.events
    }

    /// Legends and their obituaries.
    pub fn legends(&self) -> &Legends {
        &self.legends
    }

    /// Running counts.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// The spatial grid of prey, as of this frame's rebuild.
    pub fn prey_grid(&self) -> &SpatialGrid {
        &self.prey_grid
    }

    /// The spatial grid of hunters, as of this frame's rebuild.
    pub fn hunter_grid(&self) -> &SpatialGrid {
        &self.hunter_grid
    }

    /// The grass field.
    pub fn grass(&self) -> &Grass {
        &self.grass
    }

    /// The torus the world lives on.
    pub fn torus(&self) -> Torus {
        self.torus
    }

    /// The agent registered under `name`, if it lives.
    pub fn by_name(&self, name: &str) -> Option<Weak<Agent>> {
        self.registry.get(name)
    }

    /// A 64-bit digest of the whole world state: every agent (in slot order)
    /// with its statistics, the grass, the camera. Equal digests mean equal
    /// worlds, to any practical certainty.
    pub fn checksum(&self) -> u64 {
        let mut digest = Digest::default();
        for (handle, agent) in self.agents.iter() {
            digest.agent(agent, self.agents.get(agent.target.unwrap_or(handle)).map(|t| t.id));
            if let Some(stats) = self.stats.get(handle) {
                digest.stats(stats);
            }
        }
        self.grass.cells().iter().for_each(|cell| digest.add(cell.to_bits() as u64));
        let center = self.camera.center();
        digest.add(((center.x.to_bits() as u64) << 32) | center.y.to_bits() as u64);
        digest.finish()
    }
}

/// Folds numbers into one 64-bit digest.
#[derive(Default)]
struct Digest(u64);

impl Digest {
    fn add(&mut self, value: u64) {
        self.0 = mix64(self.0.rotate_left(5) ^ value);
    }

    fn agent(&mut self, agent: &Agent, target: Option<u64>) {
        self.add(agent.id);
        self.add(agent.species.0 as u64 | (agent.age as u64) << 8);
        self.add(((agent.pos.x.to_bits() as u64) << 32) | agent.pos.y.to_bits() as u64);
        self.add(agent.energy.to_bits() as u64);
        self.add(target.unwrap_or(u64::MAX));
    }

    fn stats(&mut self, stats: &AgentStats) {
        self.add(stats.born);
        self.add(stats.distance.to_bits() as u64);
        self.add((stats.kills as u64) << 32 | stats.children as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
