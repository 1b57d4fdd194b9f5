//! What must hold after every frame: the effect of each weak feature, as
//! checks the tests run frame by frame.

use std::fmt;

use weakarena_core::Weak;

use crate::agent::{agent_name, Agent};
use crate::world::World;

/// A broken invariant, with what was found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InvariantError(pub String);

impl fmt::Display for InvariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invariant broken: {}", self.0)
    }
}

impl std::error::Error for InvariantError {}

fn ensure(holds: bool, what: impl FnOnce() -> String) -> Result<(), InvariantError> {
    if holds {
        Ok(())
    } else {
        Err(InvariantError(what()))
    }
}

impl World {
    /// Checks, between frames, that every weak feature did its job:
    ///
    /// - the world holds exactly one strong handle per live agent;
    /// - no hunter holds a dead target;
    /// - the registry and the statistics map hold exactly the live agents;
    /// - the selection holds no dead member;
    /// - each species' resources are alive exactly while it has members, and
    ///   are held once per member; its extinction is recorded exactly when
    ///   it has none;
    /// - the camera follows a live agent whenever one exists.
    pub fn check_invariants(&self) -> Result<(), InvariantError> {
        self.check_owners()?;
        self.check_targets()?;
        self.check_registry_and_stats()?;
        self.check_selection()?;
        self.check_species()?;
        self.check_camera()
    }

    fn check_owners(&self) -> Result<(), InvariantError> {
        let owned: Vec<Weak<Agent>> = self.owners.iter().flatten().map(|strong| strong.downgrade()).collect();
        ensure(owned.len() == self.agents.len(), || {
            format!("{} owner handles for {} live agents", owned.len(), self.agents.len())
        })?;
        for handle in owned {
            let count = self.agents.strong_count(handle);
            ensure(count == 1, || format!("agent {handle:?} has {count} strong handles, not 1"))?;
        }
        Ok(())
    }

    fn check_targets(&self) -> Result<(), InvariantError> {
        for (handle, agent) in self.agents.iter() {
            if let Some(target) = agent.target {
                let alive = self.agents.contains(target);
                ensure(alive, || format!("hunter {handle:?} holds dead target {target:?}"))?;
                ensure(agent.hunter, || format!("prey {handle:?} holds a target"))?;
            }
        }
        Ok(())
    }

    fn check_registry_and_stats(&self) -> Result<(), InvariantError> {
        let live = self.agents.len();
        let (names, stats) = (self.registry.len(), self.stats.len());
        ensure(names == live && stats == live, || {
            format!("{live} live agents, {names} registry entries, {stats} statistics entries")
        })?;
        for (handle, agent) in self.agents.iter() {
            let name = agent_name(self.book.spec(agent.species).name, agent.id);
            ensure(self.registry.get(&name) == Some(handle), || format!("{name} missing from the registry"))?;
            ensure(self.stats.contains_key(handle), || format!("{name} has no statistics"))?;
        }
        Ok(())
    }

    fn check_selection(&self) -> Result<(), InvariantError> {
        let (stored, live) = (self.selection.len(), self.selection.live_len());
        ensure(stored == live, || format!("selection stores {stored} members, {live} alive"))
    }

    fn check_species(&self) -> Result<(), InvariantError> {
        for id in self.book.ids() {
            let members = self.book.population(id) as usize;
            let counted = self.agents.iter().filter(|(_, agent)| agent.species == id).count();
            let name = self.book.spec(id).name;
            ensure(members == counted, || format!("{name}: book says {members}, arena has {counted}"))?;
            let holds = self.species.strong_count(self.book.resources(id));
            ensure(holds == members, || {
                format!("{name}: {members} members hold its resources {holds} times")
            })?;
            let extinct = self.book.extinctions().iter().filter(|e| e.species == id).count();
            let expected = usize::from(members == 0);
            ensure(extinct == expected, || {
                format!("{name}: {members} members, {extinct} extinctions recorded")
            })?;
        }
        Ok(())
    }

    fn check_camera(&self) -> Result<(), InvariantError> {
        if self.agents.is_empty() {
            return Ok(());
        }
        let alive = self.camera.subject().is_some_and(|subject| self.agents.contains(subject));
        ensure(alive, || format!("camera follows {:?}, which is not alive", self.camera.subject()))
    }
}
