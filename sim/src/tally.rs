//! Running counts: ids handed out, births, deaths by cause, entries swept.

use weakarena_collections::SweepStats;

use crate::agent::Cause;

/// What the world has counted so far.
#[derive(Clone, PartialEq, Eq, Default, Debug, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    ids: u64,
    /// Agents born after the founding (frame 0 founders are not births).
    pub births: u64,
    /// Agents caught by hunters.
    pub eaten: u64,
    /// Agents that ran out of energy.
    pub starved: u64,
    /// Agents that reached their maximum age.
    pub old_age: u64,
    /// Entries reclaimed by sweeps, per collection, in the order of
    /// [`FrameWorld::collections`](crate::FrameWorld::collections).
    pub swept: Vec<u64>,
}

impl Tally {
    /// A fresh agent id.
    pub(crate) fn next_id(&mut self) -> u64 {
        self.ids += 1;
        self.ids
    }

    /// Agents created so far, founders included.
    pub fn spawned(&self) -> u64 {
        self.ids
    }

    pub(crate) fn record_death(&mut self, cause: Cause) {
        match cause {
            Cause::Eaten => self.eaten += 1,
            Cause::Starved => self.starved += 1,
            Cause::OldAge => self.old_age += 1,
        }
    }

    pub(crate) fn record_sweeps(&mut self, sweeps: &[SweepStats]) {
        if self.swept.len() < sweeps.len() {
            self.swept.resize(sweeps.len(), 0);
        }
        for (total, sweep) in self.swept.iter_mut().zip(sweeps) {
            *total += sweep.removed as u64;
        }
    }

    /// Deaths of every cause.
    pub fn deaths(&self) -> u64 {
        self.eaten + self.starved + self.old_age
    }

    /// Entries reclaimed by sweeps, all collections together.
    pub fn total_swept(&self) -> u64 {
        self.swept.iter().sum()
    }
}
