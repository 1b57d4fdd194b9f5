//! Sweeping many collections at once: inline when the work is small, on
//! rayon's threads when it pays.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use weakarena_core::FrameReport;

use std::time::Duration;

// `std::time::Instant` natively; `performance.now()` on wasm32-unknown-unknown.
use web_time::Instant;

use crate::sweep::{Sweep, SweepMode, SweepStats};

/// Deaths to process, over all collections, below which [`sweep_all`]
/// sweeps on the calling thread. Measured with `benches/sweep.rs`'s
/// `sweep_split` group (three collections of a 100k-object arena, inline
/// against `par_iter_mut`, criterion medians, the 2-core machine shared
/// with other builds, load ≈ 12): rayon lost at 96 deaths (61 against
/// 183 µs), 1,536 (0.66 against 1.41 ms) and 6,144 (4.8 against 5.5 ms),
/// and won at 24,576 (20.8 against 17.1 ms): the crossover lies between,
/// so rayon starts at 16,384.
#[cfg(feature = "parallel")]
pub(crate) const INLINE_DEATHS: usize = 16_384;

/// Deaths from which one dense map's sweep splits its slots over rayon's
/// threads. Measured with `sweep/weakarena` against `sweep/weakarena_1t`
/// at 1M entries (same machine and load as above): splitting lost at 10k
/// deaths (9.0 against 2.4 ms) and did not win at 100k (two threads
/// 15.8–20.5 ms, one thread 9.8–17.6 ms, `RAYON_NUM_THREADS=2` against
/// `1`), with the second core busy with other work. The split stays for
/// idle and larger machines, from 65,536 deaths, where one thread's sweep
/// takes milliseconds.
#[cfg(feature = "parallel")]
pub(crate) const PARALLEL_DEATHS: usize = 65_536;

/// Sweeps every collection with every report of its arena, in frame order
/// (one per arena and frame, as [`end_frames`](weakarena_core::end_frames)
/// and [`collect_cycles`](weakarena_core::collect_cycles) return them), so
/// each ends exact. Small work runs on the calling thread; with the
/// `parallel` feature (on by default) larger work sweeps the collections in
/// parallel, each large one split across threads. Returns one
/// [`SweepStats`] per collection, merged over its reports.
///
/// ```
/// use weakarena_core::Arena;
/// use weakarena_collections::{sweep_all, Sweep, WeakKeyMap, WeakSet};
/// let mut arena = Arena::new();
/// let mut names = WeakKeyMap::new(&arena);
/// let mut selected = WeakSet::new(&arena);
/// let a = arena.insert(1);
/// names.insert(&a, "a");
/// selected.insert(&a);
/// drop(a);
/// let report = arena.end_frame();
/// let stats = sweep_all(&[report], &mut [&mut names, &mut selected]);
/// assert_eq!(stats.iter().map(|s| s.removed).sum::<usize>(), 2);
/// assert_eq!((names.len(), selected.len()), (0, 0));
/// ```
pub fn sweep_all(reports: &[FrameReport], collections: &mut [&mut dyn Sweep]) -> Vec<SweepStats> {
    let mut stats = vec![SweepStats::skipped(); collections.len()];
    sweep_into(reports, collections, &mut stats, Instant::now());
    stats
}

/// [`sweep_all`], merging each collection's sweeps into its entry of
/// `totals` (one per collection), from the clock read `started`: no
/// allocation when `reports` are in frame order already (a frame end's
/// pass, one report per arena), and one clock read per collection that
/// did work. Returns the last clock read, when the sweeps ended.
pub(crate) fn sweep_into(
    reports: &[FrameReport],
    collections: &mut [&mut dyn Sweep],
    totals: &mut [SweepStats],
    started: Instant,
) -> Instant {
    if reports.is_sorted_by_key(|report| report.frame) {
        sweep_each(reports.iter(), collections, totals, started)
    } else {
        let mut ordered: Vec<&FrameReport> = reports.iter().collect();
        ordered.sort_by_key(|report| report.frame);
        sweep_each(ordered.iter().copied(), collections, totals, started)
    }
}

/// Sweeps each collection with `reports` (in frame order) into its total;
/// in parallel when the work is large. Inline, one clock read after each
/// collection that did work times it and starts the next.
fn sweep_each<'r, R>(
    reports: R,
    collections: &mut [&mut dyn Sweep],
    totals: &mut [SweepStats],
    started: Instant,
) -> Instant
where
    R: Iterator<Item = &'r FrameReport> + Clone + Sync,
{
    #[cfg(feature = "parallel")]
    if collections.len() > 1 && deaths_to_sweep(reports.clone(), collections) >= INLINE_DEATHS {
        collections.par_iter_mut().zip(totals.par_iter_mut()).for_each(|(collection, total)| {
            let started = Instant::now();
            sweep_reports(reports.clone(), &mut **collection, total);
            total.elapsed += started.elapsed();
        });
        return Instant::now();
    }
    let mut mark = started;
    for (collection, total) in collections.iter_mut().zip(totals) {
        if sweep_reports(reports.clone(), &mut **collection, total) {
            let now = Instant::now();
            total.elapsed += now - mark;
            mark = now;
        }
    }
    mark
}

/// The deaths the collections' sweeps will process, all together.
#[cfg(feature = "parallel")]
fn deaths_to_sweep<'r>(
    reports: impl Iterator<Item = &'r FrameReport> + Clone,
    collections: &[&mut dyn Sweep],
) -> usize {
    let per_collection = |collection: &&mut dyn Sweep| {
        let arena = collection.arena_id();
        reports
            .clone()
            .filter(|report| report.arena == arena)
            .map(|report| report.deaths.len())
            .sum::<usize>()
    };
    collections.iter().map(per_collection).sum()
}

/// Sweeps `collection`, untimed, with each of `reports` (in frame order)
/// of its arena, merging the stats into `total`. Returns whether any sweep
/// did work.
fn sweep_reports<'r>(
    reports: impl Iterator<Item = &'r FrameReport>,
    collection: &mut dyn Sweep,
    total: &mut SweepStats,
) -> bool {
    let arena = collection.arena_id();
    let mut worked = false;
    for report in reports.filter(|report| report.arena == arena) {
        let mut stats = collection.sweep_untimed(report);
        worked |= stats.mode != SweepMode::Skipped;
        // The caller times the collection (an implementation may not skip the clock).
        stats.elapsed = Duration::ZERO;
        total.merge(stats);
    }
    worked
}
