//! What a frame end reports: the deaths it processed and what that took.

use std::time::Duration;

use bitvec::vec::BitVec;

use crate::handle::{ArenaId, RawHandle};
use crate::registry::TrackedKind;

/// One bit per slot: set when the slot's object died in the frame.
pub type DeathSet = BitVec;

/// Slots per death above which a report keeps no [`DeathSet`]: allocating
/// and zeroing one bit per slot (125 KB at a million slots) would cost more
/// than the frame's deaths, so a frame end's cost follows its deaths.
pub const SPARSE_SLOTS_PER_DEATH: usize = 64;

/// Where a caught panic came from.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum PanicSource {
    /// A callback of a tracked reference of this kind.
    Callback(TrackedKind),
    /// A finalizer body.
    Finalizer,
    /// The `Drop` of a dead value.
    ValueDrop,
    /// A finalizer run at shutdown (`atexit`).
    AtExit,
}

/// A panic caught during a frame end. The frame end carries on: the other
/// callbacks still run and every other value is still dropped.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PanicReport {
    /// The object being processed.
    pub handle: RawHandle,
    /// What panicked.
    pub source: PanicSource,
    /// The panic message (or a placeholder for a non-string payload).
    pub message: String,
}

/// How long each phase of a frame end took, summed over cascade passes.
#[derive(Copy, Clone, Default, PartialEq, Eq, Debug)]
pub struct PhaseTimings {
    /// Draining the death queue and building the death set.
    pub collect: Duration,
    /// Running weak-reference callbacks and finalizers.
    pub callbacks: Duration,
    /// Dropping dead values and recycling their slots.
    pub drop: Duration,
}

impl PhaseTimings {
    /// The three phases together.
    pub fn total(&self) -> Duration {
        self.collect + self.callbacks + self.drop
    }
}

/// The report of one arena's frame end: which objects died, what ran, what
/// panicked, and how long it took. Weak collections sweep with it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FrameReport {
    /// The arena the report is about.
    pub arena: ArenaId,
    /// The frame number (frames ended before this one).
    pub frame: u64,
    /// Bit `i` is set when the object in slot `i` died this frame; as long as
    /// the arena's slot count when the frame's deaths were marked. Kept only
    /// when the deaths are dense (at least one per
    /// [`SPARSE_SLOTS_PER_DEATH`] slots); empty otherwise, when
    /// [`deaths`](FrameReport::deaths) is the cheaper answer.
    pub dead: DeathSet,
    /// The dead objects' handles, in the order they were processed
    /// (slot order within each cascade pass).
    pub deaths: Vec<RawHandle>,
    /// Cascade passes: 1 when no dropped value released the last handle of
    /// another object of this arena.
    pub passes: u32,
    /// Weak-reference, proxy and weak-method callbacks run.
    pub callbacks_run: usize,
    /// Finalizers run.
    pub finalizers_run: usize,
    /// Dead values dropped.
    pub values_dropped: usize,
    /// Slots retired this frame because they used up their generations.
    pub slots_retired: usize,
    /// Panics caught in callbacks, finalizers and value drops.
    pub panics: Vec<PanicReport>,
    /// Time spent per phase.
    pub timings: PhaseTimings,
}

impl FrameReport {
    /// An empty report for `arena`'s frame `frame`.
    ///
    /// ```
    /// use weakarena_core::{Arena, FrameReport};
    /// let arena: Arena<u8> = Arena::new();
    /// let report = FrameReport::new(arena.id(), arena.frame());
    /// assert!(report.deaths.is_empty() && report.passes == 0);
    /// ```
    pub fn new(arena: ArenaId, frame: u64) -> FrameReport {
        FrameReport {
            arena,
            frame,
            dead: DeathSet::new(),
            deaths: Vec::new(),
            passes: 0,
            callbacks_run: 0,
            finalizers_run: 0,
            values_dropped: 0,
            slots_retired: 0,
            panics: Vec::new(),
            timings: PhaseTimings::default(),
        }
    }

    /// Objects that died this frame.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// drop((arena.insert(1), arena.insert(2)));
    /// assert_eq!(arena.end_frame().death_count(), 2);
    /// ```
    pub fn death_count(&self) -> usize {
        self.deaths.len()
    }

    /// Whether `handle`'s object died this frame. One bit test, and only
    /// when its slot's bit is set, a scan of [`deaths`](FrameReport::deaths)
    /// for the generation; sweeps use [`dead`](FrameReport::dead) directly.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// let mut arena = Arena::new();
    /// let (a, b) = (arena.insert(1), arena.insert(2));
    /// let gone = a.downgrade();
    /// drop(a);
    /// let report = arena.end_frame();
    /// assert!(report.died(gone.raw()) && !report.died(b.raw()));
    /// ```
    pub fn died(&self, handle: RawHandle) -> bool {
        let maybe = self.dead.is_empty() || self.dead.get(handle.index() as usize).is_some_and(|bit| *bit);
        maybe && self.deaths.contains(&handle)
    }

    /// Adds a later pass of the same arena's frame end (a report begun with
    /// the same arena and frame): its deaths, counts, panics and timings.
    ///
    /// ```
    /// use std::panic::{catch_unwind, AssertUnwindSafe};
    /// use weakarena_core::{Arena, FrameReport};
    /// let (a, b): (Arena<i32>, Arena<i32>) = (Arena::new(), Arena::new());
    /// let mut report = FrameReport::new(a.id(), a.frame());
    /// report.absorb(FrameReport::new(a.id(), a.frame())); // a later pass of the same frame
    /// assert_eq!((report.death_count(), report.passes), (0, 0));
    /// let foreign = FrameReport::new(b.id(), b.frame());
    /// assert!(catch_unwind(AssertUnwindSafe(|| report.absorb(foreign))).is_err());
    /// ```
    ///
    /// # Panics
    ///
    /// If `pass` is about another arena or frame.
    #[track_caller]
    pub fn absorb(&mut self, pass: FrameReport) {
        assert!(
            (pass.arena, pass.frame) == (self.arena, self.frame),
            "a frame report absorbs only passes of its own arena and frame"
        );
        if self.deaths.is_empty() && self.dead.is_empty() {
            // The first pass with deaths: its list and set move in whole.
            self.deaths = pass.deaths;
            self.dead = pass.dead;
        } else {
            self.mark_deaths(&pass.deaths, self.dead.len().max(pass.dead.len()));
        }
        self.passes += pass.passes;
        self.callbacks_run += pass.callbacks_run;
        self.finalizers_run += pass.finalizers_run;
        self.values_dropped += pass.values_dropped;
        self.slots_retired += pass.slots_retired;
        self.panics.extend(pass.panics);
        self.timings.collect += pass.timings.collect;
        self.timings.callbacks += pass.timings.callbacks;
        self.timings.drop += pass.timings.drop;
    }

    /// Records deaths in an arena of `slot_count` slots; builds (or grows)
    /// the death set only once the deaths are dense.
    pub(crate) fn mark_deaths(&mut self, handles: &[RawHandle], slot_count: usize) {
        let marked = if self.dead.is_empty() { 0 } else { self.deaths.len() };
        self.deaths.extend_from_slice(handles);
        if slot_count == 0 || self.deaths.len() * SPARSE_SLOTS_PER_DEATH < slot_count {
            return;
        }
        if self.dead.len() < slot_count {
            self.dead.resize(slot_count, false);
        }
        // The set's words directly (`BitVec`'s default order: bit `i` is bit
        // `i % usize::BITS` of word `i / usize::BITS`), not one checked,
        // bit-addressed `set` per death.
        let words = self.dead.as_raw_mut_slice();
        for handle in &self.deaths[marked..] {
            let index = handle.index() as usize;
            words[index / usize::BITS as usize] |= 1 << (index % usize::BITS as usize);
        }
    }
}

/// The message of a caught panic payload (`catch_unwind`'s error): its text,
/// or a placeholder for a payload that is not a string.
///
/// ```
/// use std::panic::catch_unwind;
/// use weakarena_core::panic_message;
/// let payload = catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
/// assert_eq!(panic_message(payload.as_ref()), "boom 1");
/// ```
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        String::from("non-string panic payload")
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::generation::Generation;

    fn report_with(indices: &[u32], slot_count: usize) -> FrameReport {
        let mut report = FrameReport::new(ArenaId(1), 0);
        let handles: Vec<RawHandle> =
            indices.iter().map(|&index| RawHandle::new(index, Generation::FIRST)).collect();
        report.mark_deaths(&handles, slot_count);
        report
    }

    #[test]
    fn dense_deaths_set_exactly_their_bits() {
        let indices = [0, 63, 64, 130, 199];
        let report = report_with(&indices, 200);
        assert_eq!(report.dead.len(), 200);
        let set: Vec<usize> = report.dead.iter_ones().collect();
        assert_eq!(set, [0, 63, 64, 130, 199]);
        assert!(report_with(&indices, 1_000).dead.is_empty(), "sparse: no set");
    }

    #[test]
    fn absorbing_into_an_empty_report_keeps_the_pass_whole() {
        let pass = report_with(&[3, 9, 12], 100);
        let mut total = FrameReport::new(ArenaId(1), 0);
        total.absorb(pass.clone());
        assert_eq!((total.deaths, total.dead), (pass.deaths.clone(), pass.dead.clone()));
        let mut twice = report_with(&[3, 9, 12], 100);
        twice.absorb(report_with(&[50], 100));
        assert_eq!(twice.dead.iter_ones().collect::<Vec<_>>(), [3, 9, 12, 50]);
    }
}
