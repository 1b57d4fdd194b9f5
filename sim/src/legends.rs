//! Legends: hunters famous enough to get an obituary.
//!
//! A hunter that reaches [`LEGEND_KILLS`] kills is watched by a
//! [`WeakRef`] with a callback. The callback runs at the frame end after the
//! legend dies and writes its obituary — the world never has to notice the
//! death itself.

use std::sync::{Arc, Mutex, PoisonError};

use weakarena_core::{Strong, Weak, WeakRef};

use crate::agent::Agent;

/// Kills that make a hunter a legend.
pub const LEGEND_KILLS: u32 = 6;

/// A legend's death, as its callback wrote it.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Obituary {
    /// The legend's registry name.
    pub name: String,
    /// The frame it became a legend.
    pub famous_since: u64,
    /// The frame it died.
    pub died: u64,
}

/// Living legends, watched by weak references with callbacks.
#[derive(Debug, Default)]
pub struct Legends {
    /// Each watch with the legend's name and the frame it became one (what
    /// a save keeps to register the callback again).
    watched: Vec<(WeakRef<Agent>, String, u64)>,
    /// Written by callbacks during the frame end: (name, famous since).
    inbox: Arc<Mutex<Vec<(String, u64)>>>,
    obituaries: Vec<Obituary>,
}

impl Legends {
    /// Starts watching `legend`, named `name`, famous since `frame`.
    pub fn enshrine(&mut self, legend: &Strong<Agent>, name: String, frame: u64) {
        let inbox = Arc::clone(&self.inbox);
        let written = name.clone();
        let watch = WeakRef::with_callback(legend, move |_dead| {
            inbox.lock().unwrap_or_else(PoisonError::into_inner).push((written, frame));
        });
        // Keep the reference: dropping it would cancel the callback.
        self.watched.push((watch, name, frame));
    }

    /// Dates the obituaries the frame end's callbacks wrote, and stops
    /// watching the dead.
    pub fn after_frame(&mut self, frame: u64) {
        let written = std::mem::take(&mut *self.inbox.lock().unwrap_or_else(PoisonError::into_inner));
        let dated =
            written.into_iter().map(|(name, famous_since)| Obituary { name, famous_since, died: frame });
        self.obituaries.extend(dated);
        self.watched.retain(|(watch, _, _)| watch.is_alive());
    }

    /// Legends alive.
    pub fn living(&self) -> usize {
        self.watched.iter().filter(|(watch, _, _)| watch.is_alive()).count()
    }

    /// Obituaries written so far, in order of death.
    pub fn obituaries(&self) -> &[Obituary] {
        &self.obituaries
    }
}

/// What a save keeps (`save.rs`): the callbacks are closures, so each
/// watched legend is kept as its handle, name and frame, and watched again
/// on load.
impl Legends {
    pub(crate) fn watched(&self) -> impl Iterator<Item = (Weak<Agent>, &str, u64)> + '_ {
        self.watched.iter().map(|(watch, name, frame)| (watch.handle(), name.as_str(), *frame))
    }

    pub(crate) fn with_obituaries(obituaries: Vec<Obituary>) -> Legends {
        Legends { obituaries, ..Legends::default() }
    }
}
