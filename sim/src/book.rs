//! The species book: the species table, a weak handle to each species'
//! resources, live populations, and the extinctions their finalizers report.

use std::sync::{Arc, Mutex, PoisonError};

use weakarena_core::{Arena, Finalizer, Strong, Weak};

use crate::species::{Census, SpeciesId, SpeciesResources, SpeciesSpec};

/// A species that died out.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Extinction {
    /// Which species.
    pub species: SpeciesId,
    /// Its name.
    pub name: &'static str,
    /// The frame its resources were freed: the frame its last member died.
    pub frame: u64,
}

/// Everything the world knows per species.
#[derive(Debug)]
pub struct SpeciesBook {
    specs: Vec<SpeciesSpec>,
    resources: Vec<Weak<SpeciesResources>>,
    population: Vec<u32>,
    peak: Vec<u32>,
    /// Each species' census as of the last frame it was alive.
    census: Vec<Census>,
    /// Written by the species' finalizers during the frame end.
    dying: Arc<Mutex<Vec<SpeciesId>>>,
    extinctions: Vec<Extinction>,
}

impl SpeciesBook {
    /// A book for `specs`, with no resources yet.
    pub fn new(specs: Vec<SpeciesSpec>) -> SpeciesBook {
        let count = specs.len();
        SpeciesBook {
            specs,
            resources: Vec::with_capacity(count),
            population: vec![0; count],
            peak: vec![0; count],
            census: vec![Census::default(); count],
            dying: Arc::default(),
            extinctions: Vec::new(),
        }
    }

    /// Creates species `id`'s resources in `arena`, with a finalizer that
    /// reports its extinction, and returns the founding strong handle.
    pub fn found(
        &mut self,
        arena: &mut Arena<SpeciesResources>,
        id: SpeciesId,
        seed: u64,
    ) -> Strong<SpeciesResources> {
        let founder = arena.insert(SpeciesResources::new(id, &self.specs[id.index()], seed));
        self.watch_extinction(&founder, id);
        self.resources.push(founder.downgrade());
        founder
    }

    /// Registers the finalizer that reports species `id`'s extinction when
    /// `resources` are freed.
    pub(crate) fn watch_extinction(&self, resources: &Strong<SpeciesResources>, id: SpeciesId) {
        let dying = Arc::clone(&self.dying);
        let finalizer = Finalizer::new(resources, move || {
            dying.lock().unwrap_or_else(PoisonError::into_inner).push(id);
        });
        // Survivors at the end of the run are not extinct: no run at shutdown.
        finalizer.set_atexit(false);
    }

    /// Dates the extinctions the frame end's finalizers reported.
    pub fn after_frame(&mut self, frame: u64) {
        let dying = std::mem::take(&mut *self.dying.lock().unwrap_or_else(PoisonError::into_inner));
        for species in dying {
            let name = self.specs[species.index()].name;
            self.extinctions.push(Extinction { species, name, frame });
        }
    }

    /// Copies the census of every living species, so it outlives the
    /// species' resources.
    pub fn archive_censuses(&mut self, arena: &Arena<SpeciesResources>) {
        for (weak, census) in self.resources.iter().zip(&mut self.census) {
            if let Some(resources) = arena.get(*weak) {
                *census = resources.census;
            }
        }
    }

    /// Species `id`'s census as of the last frame it was alive.
    pub fn census(&self, id: SpeciesId) -> Census {
        self.census[id.index()]
    }

    /// Counts a birth (or founding member) of `species`.
    pub fn add_member(&mut self, species: SpeciesId) {
        let i = species.index();
        self.population[i] += 1;
        self.peak[i] = self.peak[i].max(self.population[i]);
    }

    /// Counts a death in `species`.
    pub fn remove_member(&mut self, species: SpeciesId) {
        self.population[species.index()] -= 1;
    }

    /// The species table.
    pub fn specs(&self) -> &[SpeciesSpec] {
        &self.specs
    }

    /// Species `id`'s traits.
    pub fn spec(&self, id: SpeciesId) -> &SpeciesSpec {
        &self.specs[id.index()]
    }

    /// Every species' id.
    pub fn ids(&self) -> impl Iterator<Item = SpeciesId> {
        (0..self.specs.len() as u8).map(SpeciesId)
    }

    /// Weak handle to species `id`'s resources (dead once it is extinct).
    pub fn resources(&self, id: SpeciesId) -> Weak<SpeciesResources> {
        self.resources[id.index()]
    }

    /// Live members of `id`.
    pub fn population(&self, id: SpeciesId) -> u32 {
        self.population[id.index()]
    }

    /// Live members of every species, in table order.
    pub fn populations(&self) -> &[u32] {
        &self.population
    }

    /// The most members `id` ever had at once.
    pub fn peak(&self, id: SpeciesId) -> u32 {
        self.peak[id.index()]
    }

    /// Extinctions so far, in order.
    pub fn extinctions(&self) -> &[Extinction] {
        &self.extinctions
    }
}

/// What a save keeps of the book (`save.rs`); the species table comes
/// from the run's configuration and the finalizers are registered again.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct BookState {
    resources: Vec<Weak<SpeciesResources>>,
    population: Vec<u32>,
    peak: Vec<u32>,
    census: Vec<Census>,
    /// Each extinction's species and frame (names come from the table).
    extinctions: Vec<(SpeciesId, u64)>,
}

impl SpeciesBook {
    /// The book's state between frames (no extinction awaiting its date).
    pub(crate) fn state(&self) -> BookState {
        BookState {
            resources: self.resources.clone(),
            population: self.population.clone(),
            peak: self.peak.clone(),
            census: self.census.clone(),
            extinctions: self.extinctions.iter().map(|e| (e.species, e.frame)).collect(),
        }
    }

    /// A book for `specs` in a saved `state`, or why the state does not fit
    /// the table. Its extinction finalizers are not registered yet.
    pub(crate) fn restored(specs: Vec<SpeciesSpec>, state: BookState) -> Result<SpeciesBook, String> {
        let count = specs.len();
        let lengths = [state.resources.len(), state.population.len(), state.peak.len(), state.census.len()];
        if lengths.iter().any(|&len| len != count)
            || state.extinctions.iter().any(|(s, _)| s.index() >= count)
        {
            return Err(format!("the saved species book does not fit a table of {count} species"));
        }
        let extinctions = state
            .extinctions
            .into_iter()
            .map(|(species, frame)| Extinction { species, name: specs[species.index()].name, frame })
            .collect();
        Ok(SpeciesBook {
            specs,
            resources: state.resources,
            population: state.population,
            peak: state.peak,
            census: state.census,
            dying: Arc::default(),
            extinctions,
        })
    }
}
