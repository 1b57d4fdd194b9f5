//! Species: the fixed table of what each kind of agent is like, and the
//! per-species resources its members share.
//!
//! Each species' [`SpeciesResources`] lives in its own arena and is held by
//! a [`Strong`](weakarena_core::Strong) in every member. When the last member's
//! value is dropped at a frame end, the resources die in the same
//! [`end_frames`](weakarena_core::end_frames) call — a cascade across arenas —
//! and the species' finalizer records the extinction.

use std::f32::consts::PI;

use crate::rng::Rng;

/// Index of a species in the world's species table.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
pub struct SpeciesId(pub u8);

impl SpeciesId {
    /// The index as a `usize`, for tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a species eats.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Role {
    /// Grazes the grass.
    Prey,
    /// Hunts the prey species whose bits are set in the mask.
    Predator {
        /// Bit `i` set: eats species `i`.
        diet: u32,
    },
}

/// The fixed traits of a species.
#[derive(Clone, PartialEq, Debug)]
pub struct SpeciesSpec {
    /// Name, also the prefix of its members' registry names.
    pub name: &'static str,
    /// Grazer or hunter.
    pub role: Role,
    /// Share of the initial agents.
    pub share: f32,
    /// Distance covered per frame at full speed.
    pub speed: f32,
    /// How far it sees prey (hunters) or hunters (prey).
    pub sight: f32,
    /// Age, in frames, at which it dies of old age.
    pub max_age: u32,
    /// Energy spent per frame.
    pub metabolism: f32,
    /// Grass eaten per frame (prey), or share of a victim's energy gained (hunters).
    pub appetite: f32,
    /// Energy needed to give birth.
    pub birth_energy: f32,
    /// Chance per frame of giving birth once it has the energy.
    pub birth_chance: f32,
}

impl SpeciesSpec {
    /// Whether this species hunts.
    pub fn is_predator(&self) -> bool {
        matches!(self.role, Role::Predator { .. })
    }

    /// Whether it eats members of `prey`.
    pub fn eats(&self, prey: SpeciesId) -> bool {
        match self.role {
            Role::Prey => false,
            Role::Predator { diet } => diet & (1 << prey.0) != 0,
        }
    }
}

/// The ecosystem the `sim` example runs: three grazers, two hunters.
///
/// The dodo is slow, short-sighted and breeds rarely: under both hunters it
/// is expected to die out, which is what exercises extinction.
pub fn default_species() -> Vec<SpeciesSpec> {
    vec![
        prey("rabbit", 0.50, 1.0, 9.0, 420, 0.10, 0.50, 10.0, 0.050),
        prey("deer", 0.25, 1.15, 12.0, 900, 0.16, 0.75, 18.0, 0.045),
        prey("dodo", 0.07, 0.5, 3.0, 500, 0.08, 0.40, 14.0, 0.010),
        hunter("wolf", 0.06, 1.35, 14.0, 1000, 0.15, 0b110, 36.0, 0.03),
        hunter("fox", 0.12, 1.15, 10.0, 700, 0.12, 0b101, 24.0, 0.03),
    ]
}

#[allow(clippy::too_many_arguments, reason = "one row of a table, read as a row")]
fn prey(
    name: &'static str,
    share: f32,
    speed: f32,
    sight: f32,
    max_age: u32,
    metabolism: f32,
    appetite: f32,
    birth_energy: f32,
    birth_chance: f32,
) -> SpeciesSpec {
    let role = Role::Prey;
    SpeciesSpec { name, role, share, speed, sight, max_age, metabolism, appetite, birth_energy, birth_chance }
}

#[allow(clippy::too_many_arguments, reason = "one row of a table, read as a row")]
fn hunter(
    name: &'static str,
    share: f32,
    speed: f32,
    sight: f32,
    max_age: u32,
    metabolism: f32,
    diet: u32,
    birth_energy: f32,
    birth_chance: f32,
) -> SpeciesSpec {
    let role = Role::Predator { diet };
    let appetite = 0.8;
    SpeciesSpec { name, role, share, speed, sight, max_age, metabolism, appetite, birth_energy, birth_chance }
}

/// Entries in a species' wander table.
pub const WANDER_TABLE_LEN: usize = 4096;

/// What every member of a species shares, held by a `Strong` in each member:
/// the species' behaviour table and its census. Freed the frame its last
/// member is reclaimed.
#[derive(Debug)]
pub struct SpeciesResources {
    /// Which species.
    pub id: SpeciesId,
    /// Its name.
    pub name: &'static str,
    /// Pre-rolled wander turns (radians) its members draw from: a shared
    /// behaviour table, like a sprite sheet or an animation set in a game.
    pub wander_turns: Vec<f32>,
    /// Counts kept up to date by the species' event handler.
    pub census: Census,
}

impl SpeciesResources {
    /// The resources of species `id`, its wander table rolled from `seed`.
    pub fn new(id: SpeciesId, spec: &SpeciesSpec, seed: u64) -> SpeciesResources {
        let mut rng = Rng::new(seed ^ ((id.0 as u64 + 1) << 48));
        let spread = if spec.is_predator() { 0.35 } else { 0.6 };
        let wander_turns = (0..WANDER_TABLE_LEN).map(|_| rng.range(-spread, spread) * PI).collect();
        SpeciesResources { id, name: spec.name, wander_turns, census: Census::default() }
    }

    /// The wander turn for a random draw.
    pub fn wander_turn(&self, draw: u32) -> f32 {
        self.wander_turns[draw as usize % self.wander_turns.len()]
    }
}

/// A species' own record of what happened to it, kept by its event handler.
#[derive(Copy, Clone, PartialEq, Eq, Default, Debug, serde::Serialize, serde::Deserialize)]
pub struct Census {
    /// Members born.
    pub births: u64,
    /// Members that died.
    pub deaths: u64,
    /// Prey its members caught.
    pub kills: u64,
}
