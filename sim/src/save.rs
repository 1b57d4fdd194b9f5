//! `--save` and `--load`: the whole world between two frames, as JSON.
//!
//! Everything the run's future depends on is saved: both arenas (slots,
//! generations, free lists, values), the owners' strong handles, the three
//! weak collections, both spatial grids (movement reads the previous
//! frame's), the grass, the camera, the species book, the legends, the
//! tallies and the frame counter. Random draws are seeded by (seed, agent,
//! frame), so the seed and the frame number are the whole RNG state.
//!
//! What holds a closure is saved as what the closure was about and made
//! again on load: the camera's [`Proxy`] from its subject's handle, the
//! event bus's weak methods from their owners (each subscribes
//! [`census_handler`]), the species' extinction finalizers from the live
//! species, and the legends' callbacks from each legend's handle, name and
//! frame.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use weakarena_collections::{WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::save::{LoadScope, SaveScope};
use weakarena_core::{Arena, Proxy, Strong, Weak};

use crate::agent::Agent;
use crate::book::{BookState, SpeciesBook};
use crate::camera::Camera;
use crate::cli::Config;
use crate::config::WorldConfig;
use crate::error::SimError;
use crate::events::{census_handler, EventBus};
use crate::grass::Grass;
use crate::grid::SpatialGrid;
use crate::legends::{Legends, Obituary};
use crate::species::{default_species, Census, SpeciesId, SpeciesResources};
use crate::stats::AgentStats;
use crate::tally::Tally;
use crate::torus::Vec2;
use crate::world::{owner_of, World};

/// What the file says it is.
const FORMAT: &str = "weakarena-sim world";
/// The file layout's version.
const VERSION: u32 = 1;

/// The run a save continues.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    agents: u32,
    seed: u64,
    /// The frame the loop runs next.
    next_frame: u64,
    /// The world's own frame counter.
    world_frame: u64,
}

/// Each watched legend's handle, name and frame; the obituaries.
type Watched = (Vec<(Weak<Agent>, String, u64)>, Vec<Obituary>);

/// What holds closures, as what they were about.
#[derive(Serialize, Deserialize)]
struct Rebound {
    camera: (Option<Weak<Agent>>, Vec2, u64),
    /// The event bus's handler owners, in order; delivered and pruned calls.
    events: (Vec<Weak<SpeciesResources>>, u64, u64),
    book: BookState,
    /// Each watched legend's handle, name and frame; the obituaries.
    legends: Watched,
}

/// The file, in order: the header, the arenas and owners, the collections,
/// the grids and grass, the tallies, and what holds closures.
type WorldFile = (
    Header,
    Arena<Agent>,
    Arena<SpeciesResources>,
    Vec<Option<Strong<Agent>>>,
    WeakValueMap<String, Agent>,
    WeakKeyMap<Agent, AgentStats>,
    WeakSet<Agent>,
    (SpatialGrid, SpatialGrid, Grass),
    Tally,
    Rebound,
);

/// A saved world: the world, and the frame its loop runs next.
pub(crate) struct Saved {
    pub(crate) world: World,
    pub(crate) next_frame: u64,
}

/// The world as the file's JSON, between frames (`next_frame` runs next).
pub(crate) fn to_json(world: &World, next_frame: u64) -> Result<String, String> {
    if !world.events.is_idle() {
        return Err("events await dispatch: save between frames".to_owned());
    }
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
        agents: world.config.agents,
        seed: world.config.seed,
        next_frame,
        world_frame: world.frame,
    };
    let rebound = Rebound {
        camera: (world.camera.subject(), world.camera.center(), world.camera.switches()),
        events: (world.events.owners().collect(), world.events.delivered(), world.events.pruned()),
        book: world.book.state(),
        legends: (
            world.legends.watched().map(|(w, name, frame)| (w, name.to_owned(), frame)).collect(),
            world.legends.obituaries().to_vec(),
        ),
    };
    let grids = (&world.prey_grid, &world.hunter_grid, &world.grass);
    let file = (
        header,
        &world.agents,
        &world.species,
        &world.owners,
        &world.registry,
        &world.stats,
        &world.selection,
        grids,
        &world.tally,
        rebound,
    );
    let scope = SaveScope::new();
    let json = serde_json::to_string(&file).map_err(|error| error.to_string())?;
    scope.finish().map_err(|error| error.to_string())?;
    Ok(json)
}

/// The world a file's JSON holds, its callbacks registered again, checked.
pub(crate) fn from_json(json: &str) -> Result<Saved, String> {
    let scope = LoadScope::new();
    let file: WorldFile = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let roots = scope.finish().map_err(|error| error.to_string())?;
    if !roots.is_empty() {
        return Err(format!("{} strong handles are held outside the saved world", roots.len()));
    }
    let (header, agents, species, owners, registry, stats, selection, grids, tally, rebound) = file;
    if header.format != FORMAT || header.version != VERSION {
        return Err(format!("not a version {VERSION} {FORMAT} file"));
    }
    let config = WorldConfig::new(header.agents, header.seed);
    let (prey_grid, hunter_grid, grass) = grids;
    let book = SpeciesBook::restored(config.species.clone(), rebound.book)?;
    let world = World {
        torus: config.torus(),
        config,
        agents,
        species,
        owners,
        registry,
        stats,
        selection,
        prey_grid,
        hunter_grid,
        grass,
        camera: Camera::default(),
        events: EventBus::default(),
        book,
        legends: Legends::default(),
        tally,
        frame: header.world_frame,
    };
    let world = rebind(world, rebound.camera, rebound.events, rebound.legends);
    world.check_invariants().map_err(|error| format!("the loaded world is inconsistent: {error}"))?;
    Ok(Saved { world, next_frame: header.next_frame })
}

/// Registers again what holds closures: the camera's proxy, the event
/// handlers, the extinction finalizers and the legends' callbacks.
fn rebind(
    mut world: World,
    camera: (Option<Weak<Agent>>, Vec2, u64),
    events: (Vec<Weak<SpeciesResources>>, u64, u64),
    legends: Watched,
) -> World {
    let (subject, center, switches) = camera;
    let proxy = subject.and_then(|s| owner_of(&world.owners, s)).map(Proxy::new);
    world.camera = Camera::restored(proxy, center, switches);
    let (owners, delivered, pruned) = events;
    let live: Vec<Strong<SpeciesResources>> =
        owners.iter().filter_map(|o| world.species.upgrade(o)).collect();
    // Owners that died before the save would have been pruned at the next dispatch.
    world.events = EventBus::with_counts(delivered, pruned + (owners.len() - live.len()) as u64);
    for owner in &live {
        world.events.subscribe(owner, census_handler);
    }
    for id in world.book.ids() {
        if let Some(resources) = world.species.upgrade(world.book.resources(id)) {
            world.book.watch_extinction(&resources, id);
        }
    }
    let (watched, obituaries) = legends;
    world.legends = Legends::with_obituaries(obituaries);
    for (legend, name, frame) in watched {
        if let Some(strong) = owner_of(&world.owners, legend) {
            world.legends.enshrine(strong, name, frame);
        }
    }
    world
}

/// The `--save` file, created before the run so a bad path fails at once.
pub(crate) struct SaveTarget {
    path: PathBuf,
    file: File,
}

impl SaveTarget {
    /// Writes the world, whose loop runs `next_frame` next.
    pub(crate) fn write(mut self, world: &World, next_frame: u64) -> Result<(), SimError> {
        let json = to_json(world, next_frame).map_err(|message| failed("--save", &self.path, message))?;
        let written = self.file.write_all(json.as_bytes()).and_then(|()| self.file.flush());
        written.map_err(|error| failed("--save", &self.path, error.to_string()))
    }
}

fn failed(flag: &'static str, path: &Path, message: String) -> SimError {
    SimError::Save { flag, path: path.to_owned(), message }
}

/// Creates the `--save` file, if `config` names one.
pub(crate) fn prepare(config: &Config) -> Result<Option<SaveTarget>, SimError> {
    let Some(path) = &config.save else { return Ok(None) };
    match File::create(path) {
        Ok(file) => Ok(Some(SaveTarget { path: path.clone(), file })),
        Err(error) => Err(failed("--save", path, error.to_string())),
    }
}

/// Reads the `--load` file, if `config` names one.
pub(crate) fn load_for(config: &Config) -> Result<Option<Saved>, SimError> {
    let Some(path) = &config.load else { return Ok(None) };
    let json = std::fs::read_to_string(path).map_err(|error| failed("--load", path, error.to_string()))?;
    from_json(&json).map(Some).map_err(|message| failed("--load", path, message))
}

/// The run's configuration: a loaded run's agents and seed are the saved run's.
pub(crate) fn continued(config: &Config, loaded: Option<&Saved>) -> Config {
    match loaded {
        Some(saved) => {
            Config { agents: saved.world.config.agents, seed: saved.world.config.seed, ..config.clone() }
        }
        None => config.clone(),
    }
}

/// A species' resources on the wire: its name comes from the species table.
#[derive(Serialize, Deserialize)]
struct ResourcesImage {
    id: SpeciesId,
    wander_turns: Vec<f32>,
    census: Census,
}

impl Serialize for SpeciesResources {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let image =
            ResourcesImage { id: self.id, wander_turns: self.wander_turns.clone(), census: self.census };
        image.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SpeciesResources {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SpeciesResources, D::Error> {
        let image = ResourcesImage::deserialize(deserializer)?;
        let specs = default_species();
        let Some(spec) = specs.get(image.id.index()) else {
            return Err(serde::de::Error::custom(format!("no species {} in the table", image.id.0)));
        };
        Ok(SpeciesResources {
            id: image.id,
            name: spec.name,
            wander_turns: image.wander_turns,
            census: image.census,
        })
    }
}
