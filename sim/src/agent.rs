//! Agents: what the world's main arena holds.

use weakarena_core::{Strong, Weak};

use crate::species::{SpeciesId, SpeciesResources};
use crate::torus::Vec2;

/// One animal.
///
/// The world owns the only [`Strong`] handle to each agent, so taking it
/// away kills the agent at once. The agent itself holds a `Strong` to its
/// species' shared resources: that is what keeps a species alive.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Agent {
    /// Serial number, unique over the run (slots are reused, ids are not).
    pub id: u64,
    /// Its species.
    pub species: SpeciesId,
    /// Whether its species hunts (cached from the species table).
    pub hunter: bool,
    /// Where it is.
    pub pos: Vec2,
    /// Which way it faces (unit length).
    pub heading: Vec2,
    /// Energy; at zero it starves.
    pub energy: f32,
    /// Age in frames.
    pub age: u32,
    /// The prey a hunter is chasing. Weak: the prey may be eaten by another
    /// hunter, starve or age out at any time, and then this reads as dead.
    pub target: Option<Weak<Agent>>,
    /// Its species' shared resources.
    pub resources: Strong<SpeciesResources>,
}

/// Why an agent died.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Cause {
    /// Caught by a hunter.
    Eaten,
    /// Ran out of energy.
    Starved,
    /// Reached its species' maximum age.
    OldAge,
}

/// The name an agent is registered under: `"<species>-<id>"`.
pub fn agent_name(species: &str, id: u64) -> String {
    format!("{species}-{id}")
}
