//! What the frame end tells systems: one message per arena per app update
//! in which something died.

use std::fmt;
use std::time::Duration;

use bevy_ecs::entity::Entity;
use bevy_ecs::message::Message;
use weakarena_core::{FrameReport, PanicReport, PhaseTimings, RawHandle, Weak};

use crate::entity_rc::EntityWeak;

/// The figures of one arena's frame end over one app update, summed over
/// its passes (a pass repeats while despawns and swept map values release
/// the last handles of more objects).
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct FrameFigures {
    /// The arena's frame number at the start of the update's frame end.
    pub frame: u64,
    /// Reclamation passes over the arena, summed over the frame end's rounds.
    pub passes: u32,
    /// Weak-reference, proxy and weak-method callbacks run.
    pub callbacks_run: usize,
    /// Finalizers run.
    pub finalizers_run: usize,
    /// Dead values dropped.
    pub values_dropped: usize,
    /// Slots retired because they used up their generations.
    pub slots_retired: usize,
    /// Weak-collection entries of this arena's dead objects reclaimed.
    pub swept: usize,
    /// Time spent sweeping this arena's weak collections.
    pub sweep_time: Duration,
    /// Panics caught in callbacks, finalizers and value drops: reported, and
    /// the frame end carried on.
    pub panics: Vec<PanicReport>,
    /// Time spent per phase of the arena's frame end (sweeps not included).
    pub timings: PhaseTimings,
}

impl FrameFigures {
    /// Adds one frame end's report to the figures.
    pub(crate) fn add(&mut self, report: &FrameReport, swept: usize, sweep_time: Duration) {
        if self.passes == 0 {
            self.frame = report.frame;
        }
        self.passes += report.passes.max(1);
        self.callbacks_run += report.callbacks_run;
        self.finalizers_run += report.finalizers_run;
        self.values_dropped += report.values_dropped;
        self.slots_retired += report.slots_retired;
        self.swept += swept;
        self.sweep_time += sweep_time;
        self.panics.extend(report.panics.iter().cloned());
        self.timings.collect += report.timings.collect;
        self.timings.callbacks += report.timings.callbacks;
        self.timings.drop += report.timings.drop;
    }
}

/// The objects of a [`WeakArena<T>`](crate::WeakArena) that died in one app
/// update, each listed once, with the frame end's figures. Read it with
/// `MessageReader<Deaths<T>>`.
pub struct Deaths<T> {
    /// The dead objects, in the order they were processed.
    pub handles: Vec<Weak<T>>,
    /// What the frame end did.
    pub figures: FrameFigures,
}

impl<T> Deaths<T> {
    pub(crate) fn new(raw: &[RawHandle], figures: FrameFigures) -> Deaths<T> {
        Deaths { handles: raw.iter().map(|&handle| Weak::from_raw(handle)).collect(), figures }
    }
}

impl<T: Send + Sync + 'static> Message for Deaths<T> {}

impl<T> Clone for Deaths<T> {
    fn clone(&self) -> Self {
        Deaths { handles: self.handles.clone(), figures: self.figures.clone() }
    }
}

impl<T> fmt::Debug for Deaths<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deaths").field("handles", &self.handles).field("figures", &self.figures).finish()
    }
}

/// The refcounted entities that died in one app update and were despawned
/// by its frame end, each listed once, with the figures. Read it with
/// `MessageReader<EntityDeaths>`.
#[derive(Message, Clone, Debug)]
pub struct EntityDeaths {
    /// Each dead entity's weak handle and the entity it was (already
    /// despawned when the message is read).
    pub entities: Vec<(EntityWeak, Entity)>,
    /// What the frame end did.
    pub figures: FrameFigures,
}
