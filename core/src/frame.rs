//! The frame boundary: reclaiming dead objects, running their callbacks and
//! finalizers, cascades within and across arenas, and shutdown.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Instant;

use crate::arena::Arena;
use crate::handle::RawHandle;
use crate::ref_id::RefId;
use crate::registry::{registrations, Record, TrackedKind};
use crate::report::{panic_message, FrameReport, PanicReport, PanicSource};

/// An arena whose frame can be ended in steps, so [`end_frames`] can end
/// several arenas together until no death cascades from one into another.
pub trait EndFrame {
    /// An empty report for the frame about to end.
    fn begin_frame_report(&self) -> FrameReport;

    /// Processes the deaths queued so far (one cascade pass); returns how
    /// many objects it reclaimed.
    fn reclaim_step(&mut self, report: &mut FrameReport) -> usize;

    /// Closes the frame: advances the frame counter.
    fn finish_frame(&mut self, report: &mut FrameReport);
}

/// Ends the frame of every arena in `arenas`, passing over them until no
/// value drop or callback kills anything more, in any of them. Returns one
/// report per arena, in order.
///
/// ```
/// use weakarena_core::{end_frames, Arena, Strong};
/// struct Ship { crew: Vec<Strong<&'static str>> }
/// let mut ships = Arena::new();
/// let mut crew = Arena::new();
/// let ship = ships.insert(Ship { crew: vec![crew.insert("Ahab"), crew.insert("Ishmael")] });
/// drop(ship); // the ship dies; its crew die when its value is dropped
/// let reports = end_frames(&mut [&mut ships, &mut crew]);
/// assert_eq!(reports[0].death_count(), 1);
/// assert_eq!(reports[1].death_count(), 2);
/// assert!(crew.is_empty());
/// ```
pub fn end_frames(arenas: &mut [&mut dyn EndFrame]) -> Vec<FrameReport> {
    let mut reports: Vec<FrameReport> = arenas.iter().map(|arena| arena.begin_frame_report()).collect();
    reclaim_until_quiescent(arenas, &mut reports);
    for (arena, report) in arenas.iter_mut().zip(&mut reports) {
        arena.finish_frame(report);
    }
    reports
}

/// Passes over `arenas` until no value drop or callback kills anything
/// more, in any of them; returns how many objects were reclaimed.
pub(crate) fn reclaim_until_quiescent<A: EndFrame + ?Sized>(
    arenas: &mut [&mut A],
    reports: &mut [FrameReport],
) -> usize {
    let mut total = 0;
    loop {
        let mut reclaimed = 0;
        for (arena, report) in arenas.iter_mut().zip(reports.iter_mut()) {
            reclaimed += arena.reclaim_step(report);
        }
        if reclaimed == 0 {
            return total;
        }
        total += reclaimed;
    }
}

impl<T> Arena<T> {
    /// Ends the frame: for every object that died since the last frame end —
    /// and every object their dropped values kill in turn, until none is
    /// left — runs its callbacks and finalizers (newest registered first),
    /// drops its value exactly once and recycles its slot. Returns what died.
    ///
    /// Callbacks, finalizers and drops run on the calling thread; a panic in
    /// any of them is caught, reported in [`FrameReport::panics`], and the
    /// rest still run. Deaths in other arenas are left to their own frame
    /// end; use [`end_frames`] to end several arenas together.
    pub fn end_frame(&mut self) -> FrameReport {
        let mut report = self.begin_frame_report();
        while self.reclaim_step(&mut report) > 0 {}
        self.finish_frame(&mut report);
        report
    }

    /// Ends the frame, so that objects already dead get their callbacks and
    /// finalizers as deaths, then runs the finalizers of the live objects
    /// whose `atexit` flag is on, newest first — what CPython does at
    /// interpreter exit. A finalizer registered while shutdown runs (by a
    /// callback or another finalizer) runs in its turn too: after each one,
    /// if anything was registered, the newest-first order is taken again, as
    /// CPython's `finalize._exitfunc` does, until none is left. Runs at most
    /// once per arena; dropping the arena calls it if it was not called.
    pub fn shutdown(&mut self) -> FrameReport {
        if self.mark_shut_down() {
            return FrameReport::new(self.id(), self.frame);
        }
        let mut report = self.end_frame();
        let started = Instant::now();
        let mut pending = Vec::new();
        let mut seen = None;
        loop {
            if seen != Some(registrations()) {
                seen = Some(registrations());
                pending = self.slot_table().registry.atexit_finalizers();
                pending.sort_by_key(|record| record.order);
            }
            let Some(record) = pending.pop() else {
                break;
            };
            run_action(&record, PanicSource::AtExit, &mut report);
        }
        report.timings.callbacks += started.elapsed();
        report
    }

    /// The objects in `indices`, sorted, with their generations.
    fn dead_handles(&self, mut indices: Vec<u32>) -> Vec<RawHandle> {
        indices.sort_unstable();
        let table = self.slot_table();
        indices
            .into_iter()
            .filter_map(|index| Some(RawHandle::new(index, table.generation_of(index)?)))
            .collect()
    }

    /// Runs the callbacks and finalizers of `dead`, each object's newest
    /// first, except those of the tracked references in `skip` (by record id:
    /// references held by cycle garbage, whose callbacks CPython skips too).
    pub(crate) fn run_death_actions_except(
        &self,
        dead: &[RawHandle],
        skip: &HashSet<RefId>,
        report: &mut FrameReport,
    ) {
        let table = self.slot_table();
        let tracked: Vec<RawHandle> =
            dead.iter().copied().filter(|dead| table.is_tracked(dead.index())).collect();
        for entries in table.registry.take_all(&tracked) {
            let records: Vec<Arc<Record>> = entries.iter().filter_map(|entry| entry.live()).collect();
            for record in records.iter().rev().filter(|record| !skip.contains(&record.id())) {
                let source = match record.kind {
                    TrackedKind::Finalizer => PanicSource::Finalizer,
                    kind => PanicSource::Callback(kind),
                };
                run_action(record, source, report);
            }
        }
    }

    /// Drops the values of `dead` and recycles (or retires) their slots.
    fn drop_dead_values(&mut self, dead: &[RawHandle], report: &mut FrameReport) {
        for &handle in dead {
            let value = self.take_value(handle.index());
            drop_value(handle, value, report);
            if self.recycle_slot(handle) {
                report.slots_retired += 1;
            }
        }
    }
}

/// Drops a dead object's value (if the collector has not already), catching
/// and reporting a panic.
pub(crate) fn drop_value<T>(handle: RawHandle, value: Option<T>, report: &mut FrameReport) {
    let Some(value) = value else {
        return;
    };
    report.values_dropped += 1;
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(value))) {
        let message = panic_message(payload.as_ref());
        report.panics.push(PanicReport { handle, source: PanicSource::ValueDrop, message });
    }
}

/// Runs a record's action if it has not run, catching and reporting a panic.
fn run_action(record: &Record, source: PanicSource, report: &mut FrameReport) {
    let Some(payload) = record.take_action() else {
        return;
    };
    match source {
        PanicSource::Finalizer | PanicSource::AtExit => report.finalizers_run += 1,
        _ => report.callbacks_run += 1,
    }
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| record.run(payload))) {
        let message = panic_message(panic.as_ref());
        report.panics.push(PanicReport { handle: record.handle, source, message });
    }
}

impl<T> EndFrame for Arena<T> {
    fn begin_frame_report(&self) -> FrameReport {
        FrameReport::new(self.id(), self.frame)
    }

    fn reclaim_step(&mut self, report: &mut FrameReport) -> usize {
        let started = Instant::now();
        let dead = self.dead_handles(self.slot_table().take_dead());
        if dead.is_empty() {
            return 0;
        }
        report.mark_deaths(&dead, self.slot_count());
        let collected = Instant::now();
        self.run_death_actions_except(&dead, &HashSet::new(), report);
        let called = Instant::now();
        self.drop_dead_values(&dead, report);
        report.timings.collect += collected - started;
        report.timings.callbacks += called - collected;
        report.timings.drop += called.elapsed();
        report.passes += 1;
        dead.len()
    }

    fn finish_frame(&mut self, report: &mut FrameReport) {
        if report.dead.len() < self.slot_count() {
            report.dead.resize(self.slot_count(), false);
        }
        self.frame += 1;
        self.slot_table().set_frames_ended(self.frame);
    }
}

impl<T> Drop for Arena<T> {
    /// Runs [`shutdown`](Arena::shutdown) if it has not run, then cancels
    /// every callback still pending; values are dropped without callbacks.
    fn drop(&mut self) {
        self.shutdown();
        self.slot_table().registry.clear();
    }
}
