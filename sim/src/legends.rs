//! Legends: hunters famous enough to get an obituary.
//!
//! A hunter that reaches [`LEGEND_KILLS`] kills is watched by a
//! [`WeakRef`] with a callback. The callback runs at the frame end after the
//! legend dies and writes its obituary — the world never has to notice the
//! death itself.

use std::sync::{Arc, Mutex, PoisonError};

use weakarena_core::{Strong, WeakRef};

use crate::agent::Agent;

/// Kills that make a hunter a legend.
pub const LEGEND_KILLS: u32 = 6;

/// A legend's death, as its callback wrote it.
#[derive(Clone, PartialEq, Eq, Debug)]
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
    watched: Vec<WeakRef<Agent>>,
    /// Written by callbacks during the frame end: (name, famous since).
    inbox: Arc<Mutex<Vec<(String, u64)>>>,
    obituaries: Vec<Obituary>,
}

impl Legends {
    /// Starts watching `legend`, named `name`, famous since `frame`.
    pub fn enshrine(&mut self, legend: &Strong<Agent>, name: String, frame: u64) {
        let inbox = Arc::clone(&self.inbox);
        let watch = WeakRef::with_callback(legend, move |_dead| {
            inbox.lock().unwrap_or_else(PoisonError::into_inner).push((name, frame));
        });
        // Keep the reference: dropping it would cancel the callback.
        self.watched.push(watch);
    }

    /// Dates the obituaries the frame end's callbacks wrote, and stops
    /// watching the dead.
    pub fn after_frame(&mut self, frame: u64) {
        let written = std::mem::take(&mut *self.inbox.lock().unwrap_or_else(PoisonError::into_inner));
        let dated =
            written.into_iter().map(|(name, famous_since)| Obituary { name, famous_since, died: frame });
        self.obituaries.extend(dated);
        self.watched.retain(WeakRef::is_alive);
    }

    /// Legends alive.
    pub fn living(&self) -> usize {
        self.watched.iter().filter(|watch| watch.is_alive()).count()
    }

    /// Obituaries written so far, in order of death.
    pub fn obituaries(&self) -> &[Obituary] {
        &self.obituaries
    }
}
