//! What a run records frame by frame, for the report and the plot.

use std::time::Duration;

use crate::world::World;
use weakarena_collections::frame_loop::FrameOutcome;

/// Per-frame series and phase totals.
#[derive(Default, Debug)]
pub(crate) struct Recorder {
    /// The world's frame number at the run's first frame.
    pub(crate) first_frame: u64,
    /// `populations[s][f]`: members of species `s` after frame `f`.
    pub(crate) populations: Vec<Vec<u32>>,
    pub(crate) frame_times: Vec<Duration>,
    pub(crate) sweep_times: Vec<Duration>,
    pub(crate) systems: Duration,
    pub(crate) end_frame: Duration,
    pub(crate) sweep: Duration,
}

impl Recorder {
    /// Adds one frame.
    pub(crate) fn record(&mut self, world: &World, outcome: &FrameOutcome) {
        let counts = world.book().populations();
        self.populations.resize_with(counts.len(), Vec::new);
        for (series, &count) in self.populations.iter_mut().zip(counts) {
            series.push(count);
        }
        let timings = outcome.timings;
        self.frame_times.push(timings.total());
        self.sweep_times.push(timings.sweep);
        self.systems += timings.systems;
        self.end_frame += timings.end_frame;
        self.sweep += timings.sweep;
    }
}
