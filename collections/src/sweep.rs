//! Sweeps: reclaiming the entries of objects that died in a frame, from the
//! frame's report, for many collections in parallel.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use weakarena_core::{ArenaId, FrameReport};

/// A sweep reclaims by lookup while deaths are fewer than one in this many
/// entries, and streams over every entry above that.
const STREAM_RATIO: usize = 32;

/// How a sweep went about it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SweepMode {
    /// The report was for another arena, or nothing died: nothing done.
    Skipped,
    /// Each death looked up and removed: cost follows the deaths.
    Deaths,
    /// One streaming pass over every entry against the report's death set.
    Stream,
    /// The collection missed a frame: one pass checking every entry's
    /// generation and count.
    Full,
}

/// What one sweep did.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct SweepStats {
    /// How it swept.
    pub mode: SweepMode,
    /// Entries before the sweep.
    pub entries: usize,
    /// Entries removed.
    pub removed: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// A weak collection that reclaims dead entries from a [`FrameReport`].
///
/// Sweeping is only about memory: lookups and iteration never show a dead
/// entry, swept or not.
pub trait Sweep: Send {
    /// The arena whose objects this collection holds weakly.
    fn arena_id(&self) -> ArenaId;

    /// Reclaims the entries of objects that died in `report`'s frame. A
    /// report of another arena is ignored; a collection that missed frames
    /// checks every entry instead, so it always ends up exact.
    fn sweep(&mut self, report: &FrameReport) -> SweepStats;
}

/// Sweeps every collection with the reports of this frame (one per arena,
/// as [`end_frames`](weakarena_core::end_frames) returns them), all
/// collections in parallel, each large one split across threads.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::{sweep_all, Sweep, WeakKeyMap, WeakSet};
/// let mut arena = Arena::new();
/// let mut names = WeakKeyMap::new(&arena);
/// let mut selected = WeakSet::new(&arena);
/// let a = arena.insert(1);
/// names.insert(&a, "a").unwrap();
/// selected.insert(&a).unwrap();
/// drop(a);
/// let report = arena.end_frame();
/// let stats = sweep_all(&[report], &mut [&mut names, &mut selected]);
/// assert_eq!(stats.iter().map(|s| s.removed).sum::<usize>(), 2);
/// assert_eq!((names.len(), selected.len()), (0, 0));
/// ```
pub fn sweep_all(reports: &[FrameReport], collections: &mut [&mut dyn Sweep]) -> Vec<SweepStats> {
    collections
        .par_iter_mut()
        .map(|collection| {
            let arena = collection.arena_id();
            match reports.iter().find(|report| report.arena == arena) {
                Some(report) => collection.sweep(report),
                None => {
                    SweepStats { mode: SweepMode::Skipped, entries: 0, removed: 0, elapsed: Duration::ZERO }
                }
            }
        })
        .collect()
}

/// Which frames a collection has swept, and how to sweep the next report.
#[derive(Clone, Debug)]
pub(crate) struct SweepCursor {
    arena: ArenaId,
    next_frame: u64,
}

impl SweepCursor {
    pub(crate) fn new(arena: ArenaId, next_frame: u64) -> SweepCursor {
        SweepCursor { arena, next_frame }
    }

    pub(crate) fn arena(&self) -> ArenaId {
        self.arena
    }

    /// Chooses the sweep for `report` over `entries` entries, and records
    /// the frame as swept.
    pub(crate) fn plan(&mut self, report: &FrameReport, entries: usize) -> SweepMode {
        if report.arena != self.arena {
            return SweepMode::Skipped;
        }
        let missed = report.frame > self.next_frame;
        self.next_frame = self.next_frame.max(report.frame + 1);
        if missed {
            SweepMode::Full
        } else if entries == 0 || report.deaths.is_empty() {
            SweepMode::Skipped
        } else if report.deaths.len() * STREAM_RATIO < entries {
            SweepMode::Deaths
        } else {
            SweepMode::Stream
        }
    }
}

/// Times `work` and packages its count of removed entries.
pub(crate) fn timed(mode: SweepMode, entries: usize, work: impl FnOnce() -> usize) -> SweepStats {
    let started = Instant::now();
    let removed = work();
    SweepStats { mode, entries, removed, elapsed: started.elapsed() }
}
