//! The world: two arenas, three weak collections, and what the systems need.

use weakarena_collections::{Sweep, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::{Arena, EndFrame, Strong, Weak};

use crate::agent::{agent_name, Agent, Cause};
use crate::book::SpeciesBook;
use crate::camera::Camera;
use crate::config::WorldConfig;
use crate::events::{census_handler, Event, EventBus};
use crate::grass::Grass;
use crate::grid::{GridEntry, SpatialGrid};
use crate::legends::Legends;
use crate::rng::{Rng, Stream};
use crate::species::{SpeciesId, SpeciesResources};
use crate::stats::AgentStats;
use crate::tally::Tally;
use crate::torus::{Torus, Vec2};
use weakarena_collections::frame_loop::{FrameOutcome, FrameWorld};

/// Grid cell size, in world units: about the longest sight.
const GRID_CELL: f32 = 14.0;
/// Grass cell size, in world units.
const GRASS_CELL: f32 = 5.0;

/// The predator/prey world on a torus.
///
/// It owns the only [`Strong`] handle to every agent (in `owners`, indexed
/// by slot), so removing one kills the agent at once; everything else holds
/// agents weakly:
///
/// | holder | holds | why weakly |
/// |---|---|---|
/// | hunters | `Weak` targets | prey die under other hunters |
/// | spatial grids | `Weak` handles | rebuilt once a frame, deaths in between |
/// | `registry` | name → agent `WeakValueMap` | lookups by name must not keep the dead |
/// | `stats` | agent → stats `WeakKeyMap` | data beside agents, gone with them |
/// | `selection` | `WeakSet` | the player's box selection |
/// | camera | `Proxy` | switches on `ReferenceError` |
/// | legends | `WeakRef` with callback | obituaries |
/// | event bus | `WeakMethod` per species | handlers die with their species |
pub struct World {
    pub(crate) config: WorldConfig,
    pub(crate) torus: Torus,
    pub(crate) agents: Arena<Agent>,
    pub(crate) species: Arena<SpeciesResources>,
    pub(crate) owners: Vec<Option<Strong<Agent>>>,
    pub(crate) registry: WeakValueMap<String, Agent>,
    pub(crate) stats: WeakKeyMap<Agent, AgentStats>,
    pub(crate) selection: WeakSet<Agent>,
    pub(crate) prey_grid: SpatialGrid,
    pub(crate) hunter_grid: SpatialGrid,
    pub(crate) grass: Grass,
    pub(crate) camera: Camera,
    pub(crate) events: EventBus,
    pub(crate) book: SpeciesBook,
    pub(crate) legends: Legends,
    pub(crate) tally: Tally,
    pub(crate) frame: u64,
}

/// An agent about to be inserted.
pub(crate) struct Newborn {
    pub(crate) species: SpeciesId,
    pub(crate) pos: Vec2,
    pub(crate) heading: Vec2,
    pub(crate) energy: f32,
    pub(crate) age: u32,
    pub(crate) resources: Strong<SpeciesResources>,
}

impl World {
    /// A world of `config.agents` founding agents, placed at random.
    pub fn new(config: &WorldConfig) -> World {
        let mut world = World::empty(config);
        let founders: Vec<Strong<SpeciesResources>> = world.found_species();
        world.place_founders(&founders);
        // From here on, members hold the only strong handles to their species.
        drop(founders);
        world.rebuild_grids();
        world
    }

    fn empty(config: &WorldConfig) -> World {
        let torus = config.torus();
        let agents = Arena::with_capacity(config.max_population as usize);
        let species = Arena::new();
        World {
            registry: WeakValueMap::new(&agents),
            stats: WeakKeyMap::new(&agents),
            selection: WeakSet::new(&agents),
            prey_grid: SpatialGrid::new(torus, GRID_CELL),
            hunter_grid: SpatialGrid::new(torus, GRID_CELL),
            grass: Grass::new(torus, GRASS_CELL, config.grass_regrow, config.grass_max),
            book: SpeciesBook::new(config.species.clone()),
            config: config.clone(),
            torus,
            agents,
            species,
            owners: Vec::new(),
            camera: Camera::default(),
            events: EventBus::default(),
            legends: Legends::default(),
            tally: Tally::default(),
            frame: 0,
        }
    }

    fn found_species(&mut self) -> Vec<Strong<SpeciesResources>> {
        let ids: Vec<SpeciesId> = self.book.ids().collect();
        let mut founders = Vec::with_capacity(ids.len());
        for id in ids {
            let founder = self.book.found(&mut self.species, id, self.config.seed);
            self.events.subscribe(&founder, census_handler);
            founders.push(founder);
        }
        founders
    }

    fn place_founders(&mut self, founders: &[Strong<SpeciesResources>]) {
        let counts = self.config.founders();
        let mut serial = 0u64;
        for (species, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let founder = self.founder(SpeciesId(species as u8), serial, &founders[species]);
                self.spawn(founder);
                serial += 1;
            }
        }
    }

    fn founder(&self, species: SpeciesId, serial: u64, resources: &Strong<SpeciesResources>) -> Newborn {
        let mut rng = Rng::for_draw(self.config.seed, serial, 0, Stream::Spawn);
        let spec = self.book.spec(species);
        Newborn {
            species,
            pos: Vec2::new(rng.range(0.0, self.torus.width), rng.range(0.0, self.torus.height)),
            heading: Vec2::from_angle(rng.range(0.0, std::f32::consts::TAU)),
            energy: rng.range(0.5, 0.9) * spec.birth_energy,
            age: rng.below(spec.max_age / 2),
            resources: resources.clone(),
        }
    }

    /// Inserts an agent: owner list, registry, statistics, census.
    pub(crate) fn spawn(&mut self, newborn: Newborn) -> Weak<Agent> {
        let id = self.tally.next_id();
        let name = agent_name(self.book.spec(newborn.species).name, id);
        let strong = self.agents.insert(Agent {
            id,
            species: newborn.species,
            hunter: self.book.spec(newborn.species).is_predator(),
            pos: newborn.pos,
            heading: newborn.heading,
            energy: newborn.energy,
            age: newborn.age,
            target: None,
            resources: newborn.resources,
        });
        self.registry.insert(name, &strong);
        self.stats.insert(&strong, AgentStats::born_in(self.frame));
        self.book.add_member(newborn.species);
        self.adopt(strong)
    }

    /// Stores the only strong handle of a new agent under its slot.
    fn adopt(&mut self, strong: Strong<Agent>) -> Weak<Agent> {
        let handle = strong.downgrade();
        let slot = handle.index() as usize;
        if self.owners.len() <= slot {
            self.owners.resize_with(slot + 1, || None);
        }
        self.owners[slot] = Some(strong);
        handle
    }

    /// Kills `victim` by dropping the world's strong handle: from this
    /// instant every weak handle, proxy and collection sees it dead. Its
    /// value (and its hold on its species) goes at the frame end.
    pub(crate) fn kill(&mut self, victim: Weak<Agent>, cause: Cause) -> bool {
        let Some(species) = self.agents.get(victim).map(|agent| agent.species) else {
            return false;
        };
        let Some(strong) = self.owners.get_mut(victim.index() as usize).and_then(Option::take) else {
            return false;
        };
        debug_assert_eq!(strong.strong_count(), 1, "the world holds the only strong handle");
        drop(strong);
        self.book.remove_member(species);
        self.tally.record_death(cause);
        self.events.emit(Event::Died { species, cause });
        true
    }

    /// Refills both spatial grids from the agents' positions.
    pub(crate) fn rebuild_grids(&mut self) {
        let (mut prey, mut hunters) = (Vec::new(), Vec::new());
        for (handle, agent) in self.agents.iter() {
            let list = if agent.hunter { &mut hunters } else { &mut prey };
            list.push(GridEntry { handle, pos: agent.pos, species: agent.species });
        }
        self.prey_grid.rebuild(&prey);
        self.hunter_grid.rebuild(&hunters);
    }
}

impl FrameWorld for World {
    fn run_systems(&mut self, frame: u64) {
        self.frame = frame;
        crate::systems::run_frame(self, frame);
    }

    fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
        // Agents first: their dropped values release their species.
        vec![&mut self.agents, &mut self.species]
    }

    fn collections(&mut self) -> Vec<&mut dyn Sweep> {
        vec![&mut self.registry, &mut self.stats, &mut self.selection]
    }

    fn frame_ended(&mut self, outcome: &FrameOutcome) {
        self.legends.after_frame(outcome.frame);
        self.book.after_frame(outcome.frame);
        self.tally.record_sweeps(&outcome.sweeps);
    }
}

/// The strong handle `owners` holds for `agent`, if it is alive.
pub(crate) fn owner_of(owners: &[Option<Strong<Agent>>], agent: Weak<Agent>) -> Option<&Strong<Agent>> {
    let strong = owners.get(agent.index() as usize)?.as_ref()?;
    (strong.downgrade() == agent).then_some(strong)
}
