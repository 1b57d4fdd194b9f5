//! What a cycle collection reports.

use std::time::Duration;

use crate::report::FrameReport;

/// The outcome of [`collect_cycles`](crate::collect_cycles).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CycleReport {
    /// Live objects examined, over every participating arena.
    pub examined: usize,
    /// Objects found unreachable from outside and freed.
    pub garbage: usize,
    /// Whether the collection backed off because a count changed under it
    /// (another thread upgraded a handle to a would-be garbage object);
    /// nothing was freed, and the next collection tries again.
    pub backed_off: bool,
    /// Time spent tracing the values and building the graph.
    pub trace_time: Duration,
    /// Time spent finding the garbage.
    pub mark_time: Duration,
    /// One frame report per participating arena, in the order given: the
    /// deaths (garbage and whatever its dropped values released), callbacks,
    /// finalizers and panics.
    pub frames: Vec<FrameReport>,
}
