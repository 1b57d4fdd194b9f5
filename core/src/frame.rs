//! The frame boundary: reclaiming dead objects, running their callbacks and
//! finalizers, cascades within and across arenas, and shutdown.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;

// `std::time::Instant` on native targets; `performance.now()` on
// wasm32-unknown-unknown, where std's `Instant::now` panics.
use web_time::Instant;

use crate::arena::Arena;
use crate::count_word;
use crate::generation::Generation;
use crate::handle::RawHandle;
use crate::ref_id::RefId;
use crate::registry::{Record, TrackedKind};
use crate::report::{panic_message, FrameReport, PanicReport, PanicSource, SPARSE_SLOTS_PER_DEATH};

/// The steps of a frame end, sealed inside the crate: only [`end_frames`],
/// [`Arena::end_frame`] and [`collect_cycles`](crate::collect_cycles) drive
/// them, holding every arena involved mutably from the first step to the
/// last. So no insert can land between two steps (a slot could then die
/// twice in one report), and a report is only ever stepped by the arena and
/// the frame it was begun for.
///
/// The sealing is a token: a trait object's supertrait methods can be
/// called wherever the object can, so each step takes a [`Step`] that only
/// this crate can make.
pub(crate) mod sealed {
    use crate::report::FrameReport;

    /// Proof that the caller is this crate.
    #[derive(Copy, Clone)]
    pub struct Step(());

    /// The only [`Step`]: for this crate, and for the workspace's
    /// collections crate through the hidden `__private` module.
    pub const STEP: Step = Step(());

    /// The steps [`EndFrame`](super::EndFrame) seals.
    pub trait FrameSteps {
        /// An empty report for the frame about to end.
        fn begin_frame_report(&self, step: Step) -> FrameReport;

        /// Processes the deaths queued so far (one cascade pass); returns
        /// how many objects it reclaimed. Refuses (reclaims nothing from) a
        /// report of another arena or another frame.
        fn reclaim_step(&mut self, report: &mut FrameReport, step: Step) -> usize;

        /// Closes the frame: advances the frame counter.
        fn finish_frame(&mut self, report: &mut FrameReport, step: Step);
    }
}

pub(crate) use sealed::{FrameSteps, Step, STEP};

/// An arena whose frame [`end_frames`] can end together with others, until
/// no death cascades from one into another. Implemented by every
/// [`Arena<T>`]; sealed: its steps are not callable from outside the crate.
///
/// ```compile_fail,E0061
/// use weakarena_core::{Arena, EndFrame, FrameReport};
/// let mut arena: Arena<u8> = Arena::new();
/// let mut report = FrameReport::new(arena.id(), arena.frame());
/// let steps: &mut dyn EndFrame = &mut arena;
/// steps.reclaim_step(&mut report); // sealed: needs a token only the crate has
/// ```
pub trait EndFrame: FrameSteps {}

impl<T> EndFrame for Arena<T> {}

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
    let mut reports: Vec<FrameReport> = arenas.iter().map(|arena| arena.begin_frame_report(STEP)).collect();
    finish_frames(arenas, &mut reports);
    reports
}

/// Passes over `arenas` until no value drop or callback kills anything
/// more, in any of them; returns how many objects were reclaimed.
pub(crate) fn reclaim_until_quiescent<A: FrameSteps + ?Sized>(
    arenas: &mut [&mut A],
    reports: &mut [FrameReport],
) -> usize {
    let mut total = 0;
    loop {
        let mut reclaimed = 0;
        for (arena, report) in arenas.iter_mut().zip(reports.iter_mut()) {
            reclaimed += arena.reclaim_step(report, STEP);
        }
        if reclaimed == 0 {
            return total;
        }
        total += reclaimed;
    }
}

/// Reclaims until quiescent, then closes each arena's frame: the end of
/// [`end_frames`] and of a cycle collection.
pub(crate) fn finish_frames<A: FrameSteps + ?Sized>(arenas: &mut [&mut A], reports: &mut [FrameReport]) {
    reclaim_until_quiescent(arenas, reports);
    for (arena, report) in arenas.iter_mut().zip(reports.iter_mut()) {
        arena.finish_frame(report, STEP);
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
    ///
    /// ```
    /// use weakarena_core::{Arena, WeakRef};
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let _watch = WeakRef::with_callback(&orc, |_| println!("orc died"));
    /// drop(orc);
    /// let report = arena.end_frame(); // the callback runs, the value is dropped
    /// assert_eq!((report.death_count(), report.callbacks_run, report.values_dropped), (1, 1, 1));
    /// ```
    pub fn end_frame(&mut self) -> FrameReport {
        let mut report = self.begin_frame_report(STEP);
        self.reclaim_all(&mut report);
        self.finish_frame(&mut report, STEP);
        report
    }

    /// Ends the frame, so that objects already dead get their callbacks and
    /// finalizers as deaths, then runs the finalizers of the live objects
    /// whose `atexit` flag is on, newest first — what CPython does at
    /// interpreter exit. A finalizer registered while shutdown runs (by a
    /// callback or another finalizer) runs in its turn too: after each one,
    /// if anything was registered, the newest-first order is taken again, as
    /// CPython's `finalize._exitfunc` does, until none is left; an object a
    /// finalizer kills is reclaimed at once, callbacks and all. Runs at most
    /// once per arena; dropping the arena calls it if it was not called.
    ///
    /// ```
    /// use weakarena_core::{Arena, Finalizer};
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let farewell = Finalizer::new(&orc, || println!("saved the game"));
    /// farewell.set_atexit(true);
    /// let report = arena.shutdown(); // the object lives: its atexit finalizer runs
    /// assert_eq!(report.finalizers_run, 1);
    /// assert!(!farewell.alive());
    /// ```
    pub fn shutdown(&mut self) -> FrameReport {
        if self.mark_shut_down() {
            return FrameReport::new(self.id(), self.frame);
        }
        let mut report = self.begin_frame_report(STEP);
        self.reclaim_all(&mut report);
        self.run_atexit_finalizers(&mut report);
        self.finish_frame(&mut report, STEP);
        report
    }

    /// Reclaims until no death is left; returns how many objects died.
    fn reclaim_all(&mut self, report: &mut FrameReport) -> usize {
        let mut reclaimed = 0;
        loop {
            match self.reclaim_step(report, STEP) {
                0 => return reclaimed,
                pass => reclaimed += pass,
            }
        }
    }

    /// Runs the atexit finalizers of the live objects, newest first, taking
    /// the order again whenever one registered more. An object a finalizer
    /// kills (by dropping the last `Strong` it held) is reclaimed at once,
    /// with its callbacks and finalizers, as CPython frees it when the exit
    /// function drops its last reference.
    fn run_atexit_finalizers(&mut self, report: &mut FrameReport) {
        let mut pending = Vec::new();
        let mut seen = None;
        loop {
            let registered = self.slot_table().registry.registrations();
            if seen != Some(registered) {
                seen = Some(registered);
                pending = self.slot_table().registry.atexit_finalizers();
                pending.sort_by_key(|record| record.order);
            }
            let Some(record) = pending.pop() else {
                return;
            };
            let started = Instant::now();
            run_action(&record, PanicSource::AtExit, report, self.erased());
            report.timings.callbacks += started.elapsed();
            if self.reclaim_all(report) > 0 {
                seen = None;
            }
        }
    }

    /// The objects in `indices`, sorted, with their generations, each read
    /// from its slot's count word through the arena's own chunk list (no
    /// directory walk); also whether any of them is flagged tracked.
    fn dead_handles(&mut self, mut indices: Vec<u32>) -> (Vec<RawHandle>, bool) {
        sort_slots(&mut indices, self.slot_count(), &mut self.sort_bits);
        let mut tracked = false;
        let dead = indices
            .iter()
            .filter_map(|&index| {
                let word = self.slots.slot(index)?.word.load(Ordering::Acquire);
                tracked |= count_word::is_tracked(word);
                Some(RawHandle::new(index, Generation::new(count_word::generation_bits(word))?))
            })
            .collect();
        (dead, tracked)
    }

    /// Whether the registry holds anything for the object in `index`: its
    /// slot's flag, read through the arena's own chunk list.
    fn is_tracked_slot(&self, index: u32) -> bool {
        self.slots.slot(index).is_some_and(|slot| count_word::is_tracked(slot.word.load(Ordering::Acquire)))
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
        let tracked: Vec<RawHandle> =
            dead.iter().copied().filter(|dead| self.is_tracked_slot(dead.index())).collect();
        if tracked.is_empty() {
            return; // no registry entry to take: the registry is not touched
        }
        for entries in self.slot_table().registry.take_all(&tracked) {
            let records: Vec<Arc<Record>> = entries.iter().filter_map(|entry| entry.live()).collect();
            for record in records.iter().rev().filter(|record| !skip.contains(&record.id())) {
                let source = match record.kind {
                    TrackedKind::Finalizer => PanicSource::Finalizer,
                    kind => PanicSource::Callback(kind),
                };
                run_action(record, source, report, self.erased());
            }
        }
    }

    /// This arena as the type-erased pointer reading callbacks get back
    /// (`WeakRef::with_reading_callback`); valid while `self` is borrowed.
    fn erased(&self) -> *const () {
        (self as *const Arena<T>).cast()
    }

    /// Drops the values of `dead` and recycles (or retires) their slots.
    fn drop_dead_values(&mut self, dead: &[RawHandle], report: &mut FrameReport) {
        for &handle in dead {
            let value = self.take_value(handle.index());
            drop_value(handle, value, report);
            if self.kills.holds(handle.index()) {
                continue; // killed, strong handles still out: the slot waits for the last drop
            }
            if self.recycle_slot(handle) {
                report.slots_retired += 1;
            }
        }
    }
}

/// Sorts the slot indices of one pass's deaths, in an arena of `slot_count`
/// slots. Deaths dense enough for the report's death set (one per
/// [`SPARSE_SLOTS_PER_DEATH`] slots or more) are sorted through the bit set
/// `bits` (kept zeroed between calls, grown to the slot count): one bit set
/// per death and one word read per 64 slots, fewer than one per death,
/// instead of a comparison sort's `log n` passes. Sparser ones are sorted
/// by comparison, which then costs less than the slot count.
fn sort_slots(indices: &mut Vec<u32>, slot_count: usize, bits: &mut Vec<u64>) {
    if indices.len() < 32 || indices.len() * SPARSE_SLOTS_PER_DEATH < slot_count {
        indices.sort_unstable();
        return;
    }
    let words = slot_count.div_ceil(64);
    if bits.len() < words {
        bits.resize(words, 0);
    }
    for &index in indices.iter() {
        bits[index as usize / 64] |= 1 << (index % 64);
    }
    indices.clear();
    for (at, word) in bits[..words].iter_mut().enumerate() {
        let mut set = std::mem::take(word);
        while set != 0 {
            indices.push((at * 64) as u32 + set.trailing_zeros());
            set &= set - 1;
        }
    }
}

/// Runs `f`, catching a panic; returns its message. Nothing escapes: the
/// panic payload is dropped inside a second `catch_unwind`, and a payload
/// whose own `Drop` panics is noted in the message and that second payload
/// leaked (dropping it could panic again, without end).
pub(crate) fn catch_panic(f: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    let mut message = panic_message(payload.as_ref());
    if let Err(second) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
        message.push_str(PAYLOAD_DROP_PANICKED);
        std::mem::forget(second);
    }
    Some(message)
}

/// What [`catch_panic`] appends to the message of a panic whose payload's
/// own `Drop` panicked.
pub(crate) const PAYLOAD_DROP_PANICKED: &str =
    " (its panic payload's Drop panicked too; that payload was leaked)";

/// Drops a dead object's value (if the collector has not already), catching
/// and reporting a panic.
pub(crate) fn drop_value<T>(handle: RawHandle, value: Option<T>, report: &mut FrameReport) {
    let Some(value) = value else {
        return;
    };
    report.values_dropped += 1;
    if !std::mem::needs_drop::<T>() {
        return; // nothing runs: nothing to catch
    }
    if let Some(message) = catch_panic(|| drop(value)) {
        report.panics.push(PanicReport { handle, source: PanicSource::ValueDrop, message });
    }
}

/// Runs a record's action if it has not run, catching and reporting a panic.
fn run_action(record: &Record, source: PanicSource, report: &mut FrameReport, arena: *const ()) {
    let Some(payload) = record.take_action() else {
        return;
    };
    match source {
        PanicSource::Finalizer | PanicSource::AtExit => report.finalizers_run += 1,
        _ => report.callbacks_run += 1,
    }
    if let Some(message) = catch_panic(|| record.run(payload, arena)) {
        report.panics.push(PanicReport { handle: record.handle, source, message });
    }
}

impl<T> FrameSteps for Arena<T> {
    fn begin_frame_report(&self, _: Step) -> FrameReport {
        FrameReport::new(self.id(), self.frame)
    }

    fn reclaim_step(&mut self, report: &mut FrameReport, _: Step) -> usize {
        if report.arena != self.id() || report.frame != self.frame {
            return 0;
        }
        if !self.has_pending_deaths() {
            return 0; // nothing queued: no clock read, no allocation
        }
        let started = Instant::now();
        let indices = self.take_dead_and_killed(report);
        let (dead, tracked) = self.dead_handles(indices);
        if dead.is_empty() {
            return 0;
        }
        report.mark_deaths(&dead, self.slot_count());
        let collected = Instant::now();
        // No tracked death, no callback: no clock read for that phase either.
        let called = if tracked {
            self.run_death_actions_except(&dead, &HashSet::new(), report);
            Instant::now()
        } else {
            collected
        };
        self.drop_dead_values(&dead, report);
        report.timings.collect += collected - started;
        report.timings.callbacks += called - collected;
        report.timings.drop += called.elapsed();
        report.passes += 1;
        dead.len()
    }

    fn finish_frame(&mut self, _report: &mut FrameReport, _: Step) {
        self.frame += 1;
        self.slot_table().set_frames_ended(self.frame);
    }
}

impl<T> Arena<T> {
    /// Shuts the arena down and drops it, returning everything the teardown
    /// caught: the [`shutdown`](Arena::shutdown) report (if it had not run)
    /// with the drops of the values still alive added to it. Dropping an
    /// arena does the same but can only print what it caught; `close` hands
    /// it back.
    ///
    /// ```
    /// use weakarena_core::{Arena, PanicSource};
    /// struct Loud;
    /// impl Drop for Loud {
    ///     fn drop(&mut self) { panic!("loud"); }
    /// }
    /// let mut arena = Arena::new();
    /// let _kept = (arena.insert(Loud), arena.insert(Loud));
    /// # let hook = std::panic::take_hook();
    /// # std::panic::set_hook(Box::new(|_| {}));
    /// let report = arena.close(); // never aborts, however many drops panic
    /// # std::panic::set_hook(hook);
    /// assert_eq!(report.values_dropped, 2);
    /// assert!(report.panics.iter().all(|p| p.source == PanicSource::ValueDrop && p.message == "loud"));
    /// ```
    pub fn close(mut self) -> FrameReport {
        self.tear_down()
    }

    /// Shutdown, then every live value dropped on its own, each panic caught
    /// and reported; the values are gone when this returns.
    fn tear_down(&mut self) -> FrameReport {
        let mut report = self.shutdown();
        self.slot_table().registry.clear();
        for index in 0..self.slot_count() as u32 {
            let Some(value) = self.take_value(index) else {
                continue;
            };
            let generation = self.slot_table().generation_of(index).unwrap_or(crate::Generation::FIRST);
            drop_value(RawHandle::new(index, generation), Some(value), &mut report);
        }
        report
    }
}

impl<T> Drop for Arena<T> {
    /// Runs [`shutdown`](Arena::shutdown) if it has not run, cancels every
    /// callback still pending, then drops the live values one at a time,
    /// without callbacks. A panic in any of that never escapes (two
    /// panicking value drops never abort the process): each one caught is
    /// printed as one line on stderr, `weakarena: arena N dropped: ...`.
    /// Use [`close`](Arena::close) to get them as a report instead.
    fn drop(&mut self) {
        let report = self.tear_down();
        for panic in &report.panics {
            eprintln!(
                "weakarena: arena {} dropped: caught a panic in {:?} of {:?}: {}",
                self.id().get(),
                panic.source,
                panic.handle,
                panic.message
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_deaths_sort_alike_and_leave_the_scratch_bits_zeroed() {
        let mut bits = Vec::new();
        let mut dense: Vec<u32> = (0..200).rev().map(|i| i * 3 % 640).collect();
        let mut expected = dense.clone();
        expected.sort_unstable();
        sort_slots(&mut dense, 640, &mut bits);
        assert_eq!(dense, expected, "through the bit set");
        assert!(!bits.is_empty() && bits.iter().all(|&word| word == 0), "scratch zeroed again");
        let mut sparse: Vec<u32> = vec![900_000, 5, 70_000, 4];
        sort_slots(&mut sparse, 1_000_000, &mut bits);
        assert_eq!(sparse, [4, 5, 70_000, 900_000], "by comparison");
    }

    #[test]
    fn a_step_refuses_a_report_of_another_arena_or_frame() {
        let (mut arena, other) = (Arena::new(), Arena::<u8>::new());
        drop(arena.insert(1_u8));
        let mut foreign = other.begin_frame_report(STEP);
        assert_eq!(arena.reclaim_step(&mut foreign, STEP), 0);
        let mut stale = FrameReport::new(arena.id(), arena.frame() + 1);
        assert_eq!(arena.reclaim_step(&mut stale, STEP), 0);
        assert!(foreign.deaths.is_empty() && stale.deaths.is_empty());
        assert!(arena.has_pending_deaths(), "a refused step takes nothing");
        let mut own = arena.begin_frame_report(STEP);
        assert_eq!(arena.reclaim_step(&mut own, STEP), 1);
        assert_eq!(own.death_count(), 1);
    }
}
