//! The quiescent frame end: every arena and every weak collection, until
//! nothing more dies.

use std::time::Duration;

// `std::time::Instant` natively; `performance.now()` on wasm32-unknown-unknown.
use web_time::Instant;

use weakarena_core::__private::STEP;
use weakarena_core::{EndFrame, FrameReport};

use crate::sweep::{Sweep, SweepStats};
#[cfg(doc)]
use crate::sweep_all::sweep_all;
use crate::sweep_all::sweep_into;

/// What [`end_frame_all`] did.
#[derive(Clone, Debug)]
pub struct FrameEnd {
    /// One report per arena, in the order given, over every pass: each
    /// arena's frame ended once.
    pub reports: Vec<FrameReport>,
    /// One sweep per collection, in the order given, merged over the passes.
    pub sweeps: Vec<SweepStats>,
    /// Passes that found deaths: each ends the frame on every arena until no
    /// value drop or callback kills anything more, then sweeps every
    /// collection. 1 when no swept value held the last handle of an object;
    /// each link of a chain of map values (`d[n0] = n1; d[n1] = n2; …`)
    /// takes one more.
    pub passes: u32,
    /// Time spent reclaiming in the arenas (callbacks, finalizers, drops):
    /// the reports' [`timings`](FrameReport::timings), summed.
    pub reclaim_time: Duration,
    /// Time spent sweeping the collections (value drops included), over
    /// every pass.
    pub sweep_time: Duration,
}

impl FrameEnd {
    /// Objects that died this frame, all arenas together.
    pub fn deaths(&self) -> usize {
        self.reports.iter().map(FrameReport::death_count).sum()
    }

    /// Entries the sweeps reclaimed, all collections together.
    pub fn swept(&self) -> usize {
        self.sweeps.iter().map(|sweep| sweep.removed).sum()
    }
}

/// Ends the frame over `arenas` and `collections` together, until nothing
/// more dies: what CPython does at `del root`, where a dead key's
/// dictionary value is released at once and whatever it held dies in the
/// same operation.
///
/// Each pass ends the frame on every arena until no death cascades (as
/// [`end_frames`](weakarena_core::end_frames) does), then sweeps every
/// collection with that pass's deaths (as [`sweep_all`] does); a swept
/// value that held the last strong handle of an object queues that death,
/// and another pass follows. Each arena's frame counter advances once, at
/// the end. Collections that missed frames still end exact.
///
/// ```
/// use weakarena_core::{Arena, Strong};
/// use weakarena_collections::{end_frame_all, WeakKeyMap};
/// struct Node;
/// let mut nodes = Arena::new();
/// let mut next: WeakKeyMap<Node, Strong<Node>> = WeakKeyMap::new(&nodes);
/// let chain: Vec<Strong<Node>> = (0..11).map(|_| nodes.insert(Node)).collect();
/// for pair in chain.windows(2) {
///     next.insert(&pair[0], pair[1].clone()); // d[n0] = n1; d[n1] = n2; …
/// }
/// let root = chain[0].clone();
/// drop(chain); // only the root and the map's values hold the nodes
/// drop(root);
/// let end = end_frame_all(&mut [&mut nodes], &mut [&mut next]);
/// assert_eq!(end.deaths(), 11);
/// assert_eq!(end.passes, 11);
/// assert!(nodes.is_empty() && next.is_empty());
/// ```
pub fn end_frame_all(arenas: &mut [&mut dyn EndFrame], collections: &mut [&mut dyn Sweep]) -> FrameEnd {
    end_frame_lent(&mut Slices { arenas, collections })
}

/// Where [`end_frame_parts`] finds the arenas and collections, one kind at
/// a time (a world lends them through `&mut self`, so not both at once),
/// and what it runs between two passes.
///
/// Each method may be called several times in one frame end; every call to
/// [`arenas`](FrameParts::arenas) must list the same arenas in the same
/// order (each report belongs to one of them).
pub trait FrameParts {
    /// Every arena, in cascade order.
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame>;
    /// Every weak collection.
    fn collections(&mut self) -> Vec<&mut dyn Sweep>;
    /// Runs after each pass's sweep with that pass's reports (one per arena,
    /// in [`arenas`](FrameParts::arenas) order): work outside the arenas
    /// that can release the last handles of more objects, such as a game
    /// engine despawning the dead objects' entities. What it kills dies in
    /// the next pass of the same frame. Does nothing unless overridden.
    fn after_pass(&mut self, pass: &[FrameReport]) {
        let _ = pass;
    }
}

/// [`end_frame_all`] over the arenas and collections `parts` lends, running
/// [`FrameParts::after_pass`] after each pass: each arena's frame still
/// ends once, however many passes the work between them causes.
///
/// ```
/// use weakarena_collections::{end_frame_parts, FrameParts, Sweep};
/// use weakarena_core::{Arena, EndFrame, FrameReport, Strong};
///
/// struct Unit;
/// // Units whose removal releases the next unit, outside any arena.
/// struct Scene { units: Arena<Unit>, outside: Vec<Strong<Unit>>, despawned: usize }
///
/// impl FrameParts for Scene {
///     fn arenas(&mut self) -> Vec<&mut dyn EndFrame> { vec![&mut self.units] }
///     fn collections(&mut self) -> Vec<&mut dyn Sweep> { Vec::new() }
///     fn after_pass(&mut self, pass: &[FrameReport]) {
///         for _ in &pass[0].deaths {
///             self.despawned += 1;
///             self.outside.pop(); // the despawn releases one more unit
///         }
///     }
/// }
///
/// let mut units = Arena::new();
/// let outside = vec![units.insert(Unit), units.insert(Unit)];
/// let first = units.insert(Unit);
/// let mut scene = Scene { units, outside, despawned: 0 };
/// drop(first);
/// let end = end_frame_parts(&mut scene);
/// assert_eq!((scene.despawned, end.reports[0].death_count(), end.passes), (3, 3, 3));
/// assert_eq!(scene.units.frame(), 1); // one frame, three passes
/// ```
pub fn end_frame_parts(parts: &mut impl FrameParts) -> FrameEnd {
    end_frame_lent(&mut Parts(parts))
}

/// How the frame end borrows the arenas and the collections: straight from
/// slices ([`end_frame_all`], no allocation), or through a [`FrameParts`].
trait Lend {
    fn with_arenas<R>(&mut self, work: impl FnOnce(&mut [&mut dyn EndFrame]) -> R) -> R;
    fn with_collections<R>(&mut self, work: impl FnOnce(&mut [&mut dyn Sweep]) -> R) -> R;
    fn after_pass(&mut self, pass: &[FrameReport]);
}

/// Arenas and collections given as slices.
struct Slices<'s, 'a, 'c> {
    arenas: &'s mut [&'a mut dyn EndFrame],
    collections: &'s mut [&'c mut dyn Sweep],
}

impl Lend for Slices<'_, '_, '_> {
    fn with_arenas<R>(&mut self, work: impl FnOnce(&mut [&mut dyn EndFrame]) -> R) -> R {
        work(self.arenas)
    }

    fn with_collections<R>(&mut self, work: impl FnOnce(&mut [&mut dyn Sweep]) -> R) -> R {
        work(self.collections)
    }

    fn after_pass(&mut self, _: &[FrameReport]) {}
}

/// A [`FrameParts`] lending its arenas and collections.
struct Parts<'p, P>(&'p mut P);

impl<P: FrameParts> Lend for Parts<'_, P> {
    fn with_arenas<R>(&mut self, work: impl FnOnce(&mut [&mut dyn EndFrame]) -> R) -> R {
        work(&mut self.0.arenas())
    }

    fn with_collections<R>(&mut self, work: impl FnOnce(&mut [&mut dyn Sweep]) -> R) -> R {
        work(&mut self.0.collections())
    }

    fn after_pass(&mut self, pass: &[FrameReport]) {
        self.0.after_pass(pass);
    }
}

/// The frame end over whatever `parts` lends. The reclaim time is the
/// reports' phase timings; the sweeps take one clock read to start and one
/// per collection that did work.
fn end_frame_lent(parts: &mut impl Lend) -> FrameEnd {
    let reports: Vec<FrameReport> =
        parts.with_arenas(|arenas| arenas.iter().map(|arena| arena.begin_frame_report(STEP)).collect());
    let collections = parts.with_collections(|collections| collections.len());
    let mut end = FrameEnd {
        reports,
        sweeps: vec![SweepStats::skipped(); collections],
        passes: 0,
        reclaim_time: Duration::ZERO,
        sweep_time: Duration::ZERO,
    };
    let mut pass = Vec::with_capacity(end.reports.len());
    loop {
        let deaths = parts.with_arenas(|arenas| reclaim_until_quiet(arenas, &mut pass));
        // The arenas time their phases: no clock read here.
        end.reclaim_time += pass.iter().map(|report| report.timings.total()).sum::<Duration>();
        // The first sweep runs whatever died: a collection that missed
        // frames catches up on it.
        if deaths == 0 && end.passes > 0 {
            break;
        }
        let started = Instant::now();
        let ended =
            parts.with_collections(|collections| sweep_into(&pass, collections, &mut end.sweeps, started));
        end.sweep_time += ended - started;
        if deaths > 0 {
            parts.after_pass(&pass);
        }
        for (total, report) in end.reports.iter_mut().zip(pass.drain(..)) {
            total.absorb(report);
        }
        if deaths == 0 {
            break;
        }
        end.passes += 1;
    }
    parts.with_arenas(|arenas| {
        for (arena, report) in arenas.iter_mut().zip(&mut end.reports) {
            arena.finish_frame(report, STEP);
        }
    });
    end
}

/// One pass's reports, into `pass` (empty): every arena's queued deaths
/// reclaimed, until no death cascades from one arena into another.
/// Returns the deaths.
fn reclaim_until_quiet(arenas: &mut [&mut dyn EndFrame], pass: &mut Vec<FrameReport>) -> usize {
    pass.extend(arenas.iter().map(|arena| arena.begin_frame_report(STEP)));
    let mut deaths = 0;
    loop {
        let mut reclaimed = 0;
        for (arena, report) in arenas.iter_mut().zip(pass.iter_mut()) {
            reclaimed += arena.reclaim_step(report, STEP);
        }
        if reclaimed == 0 {
            return deaths;
        }
        deaths += reclaimed;
    }
}
