//! Sweeps: reclaiming the entries of objects that died in a frame, from the
//! frame's report; panic-safe, so a collection always ends exact.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use weakarena_core::{panic_message, ArenaId, FrameReport, RawHandle, SlotTable};
// `std::time::Instant` natively; `performance.now()` on wasm32-unknown-unknown.
use web_time::Instant;

/// A sweep reclaims by lookup while deaths are fewer than one in
/// `stream_ratio(entries)` entries, and streams over every entry above that.
/// A lookup costs one or two cache misses, whose price grows with the table
/// (18 ns per death at 10k entries, 70 at 100k, 100–160 at 1M on the 2-core
/// benchmark machine), while a streaming pass costs 5–8 ns per entry at
/// every size: the break-even ratio grows with the table.
fn stream_ratio(entries: usize) -> usize {
    match entries {
        0..=32_767 => 4,
        32_768..=262_143 => 10,
        _ => 24,
    }
}

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

impl SweepMode {
    /// How much work the mode does, for merging the stats of several sweeps.
    fn weight(self) -> u8 {
        match self {
            SweepMode::Skipped => 0,
            SweepMode::Deaths => 1,
            SweepMode::Stream => 2,
            SweepMode::Full => 3,
        }
    }
}

/// What one sweep did.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SweepStats {
    /// How it swept (the most thorough mode, when several sweeps merged).
    pub mode: SweepMode,
    /// Entries before the sweep.
    pub entries: usize,
    /// Entries removed.
    pub removed: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// Messages of panics caught while dropping removed values. After a
    /// panic the sweep carries on with a full pass, so the collection still
    /// ends exact.
    pub panics: Vec<String>,
}

impl SweepStats {
    /// The stats of a sweep that did nothing.
    pub fn skipped() -> SweepStats {
        SweepStats {
            mode: SweepMode::Skipped,
            entries: 0,
            removed: 0,
            elapsed: Duration::ZERO,
            panics: Vec::new(),
        }
    }

    /// Adds a later sweep of the same collection: removals, time and panics
    /// add up; the entries are those before the first sweep that did work.
    pub fn merge(&mut self, later: SweepStats) {
        if self.mode == SweepMode::Skipped && self.removed == 0 {
            self.entries = later.entries;
        }
        if later.mode.weight() > self.mode.weight() {
            self.mode = later.mode;
        }
        self.removed += later.removed;
        self.elapsed += later.elapsed;
        self.panics.extend(later.panics);
    }
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

    /// [`sweep`](Sweep::sweep) without reading the clock: the stats'
    /// `elapsed` is zero. [`sweep_all`](crate::sweep_all) and
    /// [`end_frame_all`](crate::end_frame_all) sweep through it and time
    /// each collection with one clock read, not two (a clock read can cost
    /// as much as a small sweep). Defaults to `sweep`.
    ///
    /// ```
    /// use weakarena_core::Arena;
    /// use weakarena_collections::{Sweep, WeakKeyMap};
    /// let mut arena = Arena::new();
    /// let mut map = WeakKeyMap::new(&arena);
    /// map.insert(&arena.insert(1), "gone");
    /// let stats = map.sweep_untimed(&arena.end_frame());
    /// assert_eq!((stats.removed, stats.elapsed), (1, std::time::Duration::ZERO));
    /// ```
    fn sweep_untimed(&mut self, report: &FrameReport) -> SweepStats {
        self.sweep(report)
    }
}

/// Whether a sweep reads the clock for its [`SweepStats::elapsed`].
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Clock {
    /// Two reads, around the work ([`Sweep::sweep`]).
    Read,
    /// None: the caller times the sweep ([`Sweep::sweep_untimed`]).
    Skip,
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

    /// Chooses the sweep for `report` over `entries` entries. The frame is
    /// recorded as swept only once the work is done ([`run_sweep`]).
    fn plan(&self, report: &FrameReport, entries: usize) -> SweepMode {
        if report.arena != self.arena {
            return SweepMode::Skipped;
        }
        if report.frame > self.next_frame {
            SweepMode::Full
        } else if entries == 0 || report.deaths.is_empty() {
            SweepMode::Skipped
        } else if report.deaths.len() * stream_ratio(entries) < entries || report.dead.is_empty() {
            // Deaths sparser than the report's death set (one in
            // `SPARSE_SLOTS_PER_DEATH` slots) would make the stream's
            // parity sets follow the slot count, not the deaths.
            SweepMode::Deaths
        } else {
            SweepMode::Stream
        }
    }
}

/// Deaths from which a streaming sweep builds its own parity sets
/// ([`DeathFilter`]): below, the report's death set and a side-table read
/// per marked entry cost less than allocating and zeroing two bit sets
/// per slot; above, the marked entries are many, and each side-table read
/// is a cache miss in a large arena (72 % of a 1M, 10 % pass, measured
/// before the parity sets).
const PARITY_DEATHS: usize = 4096;

/// What a streaming sweep asks of each entry: did its object die in the
/// report's frame?
///
/// A slot the report marks dead holds, in any entry, either the object
/// that died or a later occupant of the slot (inserted since the frame
/// end). With few deaths the report's own death set marks the slots (one
/// bit test, no allocation) and the side table tells the two apart for a
/// marked entry (a later occupant that died since goes too: removing a
/// dead entry early is what a full sweep does). With many deaths the
/// filter builds one bit set per generation parity: with the arena's
/// latest report (or one of the frame end in progress) the next occupant's
/// generation is one more than the dead object's, so the parity alone
/// tells them apart and the pass reads only two small bit sets, in cache,
/// instead of a random side-table word per marked entry. With an older
/// report it also checks the side table.
pub(crate) struct DeathFilter<'a> {
    table: &'a SlotTable,
    /// The slots marked for an entry of even generation, and of odd: the
    /// report's death set twice, the parity sets, or their union twice.
    marks: [&'a [usize]; 2],
    /// Whether a marked entry still needs the side table.
    check_table: bool,
}

/// Bit sets a [`DeathFilter`] builds for many deaths, owned by the caller.
pub(crate) type ParitySets = [Vec<usize>; 2];

impl<'a> DeathFilter<'a> {
    /// A filter for `report`, which holds its death set (a sweep streams
    /// only then); `parity` holds the sets it builds for many deaths.
    pub(crate) fn new(
        report: &'a FrameReport,
        table: &'a SlotTable,
        parity: &'a mut ParitySets,
    ) -> DeathFilter<'a> {
        if report.deaths.len() < PARITY_DEATHS {
            let dead = report.dead.as_raw_slice();
            return DeathFilter { table, marks: [dead, dead], check_table: true };
        }
        let ended = table.frames_ended();
        *parity = parity_sets(&report.deaths);
        if ended == report.frame + 1 || ended == report.frame {
            let [even, odd] = parity;
            return DeathFilter { table, marks: [even, odd], check_table: false };
        }
        // An older report: either parity may be the object that died.
        let [even, odd] = parity;
        for (even, odd) in even.iter_mut().zip(odd.iter()) {
            *even |= *odd;
        }
        let union: &'a [usize] = even;
        DeathFilter { table, marks: [union, union], check_table: true }
    }

    /// Whether `handle`'s object died in the report's frame.
    #[inline]
    pub(crate) fn died(&self, handle: RawHandle) -> bool {
        let marks = self.marks[(handle.generation().get() & 1) as usize];
        marked(marks, handle.index() as usize) && (!self.check_table || !self.table.is_alive(handle))
    }
}

/// Whether bit `index` of `words` is set (`BitVec`'s default order: bit
/// `i` is bit `i % BITS` of word `i / BITS`).
#[inline]
fn marked(words: &[usize], index: usize) -> bool {
    let bits = usize::BITS as usize;
    words.get(index / bits).is_some_and(|word| word >> (index % bits) & 1 == 1)
}

/// One bit set per generation parity, of the slots of `deaths`.
fn parity_sets(deaths: &[RawHandle]) -> [Vec<usize>; 2] {
    let bits = usize::BITS as usize;
    let words = deaths.iter().map(|death| death.index() as usize / bits + 1).max().unwrap_or(0);
    let mut sets = [vec![0; words], vec![0; words]];
    for death in deaths {
        let index = death.index() as usize;
        sets[(death.generation().get() & 1) as usize][index / bits] |= 1 << (index % bits);
    }
    sets
}

/// Sweeps `target` (a collection's storage) with `report`: plans the mode,
/// runs `work` in it, and only then records the frame as swept in
/// `cursor`. A panic in `work` (a removed value's `Drop`) is caught and
/// reported; the sweep then carries on with [`SweepMode::Full`] passes until
/// one completes, so the collection ends exact whatever panicked. `len`
/// counts the stored entries; `clock` says whether to time the work.
pub(crate) fn run_sweep<C>(
    clock: Clock,
    cursor: &mut SweepCursor,
    report: &FrameReport,
    target: &mut C,
    len: impl Fn(&C) -> usize,
    mut work: impl FnMut(&mut C, SweepMode),
) -> SweepStats {
    let entries = len(target);
    let mut mode = cursor.plan(report, entries);
    let mut stats = SweepStats { mode, entries, ..SweepStats::skipped() };
    if report.arena != cursor.arena {
        return stats;
    }
    if mode == SweepMode::Skipped {
        // Nothing to do: no clock read either.
        cursor.next_frame = cursor.next_frame.max(report.frame + 1);
        return stats;
    }
    let started = (clock == Clock::Read).then(Instant::now);
    while let Err(payload) = catch_unwind(AssertUnwindSafe(|| work(target, mode))) {
        stats.panics.push(panic_message(payload.as_ref()));
        // A payload whose own `Drop` panics must not escape: leak it.
        std::mem::forget(payload);
        mode = SweepMode::Full;
        stats.mode = SweepMode::Full;
    }
    cursor.next_frame = cursor.next_frame.max(report.frame + 1);
    stats.removed = entries - len(target);
    stats.elapsed = started.map_or(Duration::ZERO, |started| started.elapsed());
    stats
}

#[cfg(test)]
mod tests {
    use weakarena_core::Arena;

    use crate::{SparseWeakKeyMap, Sweep, SweepMode};

    #[test]
    fn a_slot_reoccupied_after_the_frame_end_keeps_its_new_entry() {
        let mut arena = Arena::new();
        let mut map = SparseWeakKeyMap::new(&arena);
        let keys: Vec<_> = (0..2).map(|i| arena.insert(i)).collect();
        for key in &keys {
            map.insert(key, "old");
        }
        let mut keys = keys.into_iter();
        let dead = keys.next().unwrap();
        let dead_raw = dead.raw();
        drop(dead);
        let report = arena.end_frame();
        let successor = arena.insert(9);
        assert_eq!(successor.raw().index(), dead_raw.index());
        map.insert(&successor, "new");
        let stats = map.sweep(&report);
        assert_eq!((stats.mode, stats.removed), (SweepMode::Stream, 1));
        assert_eq!(map.get(&successor), Some(&"new"));
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn many_deaths_tell_new_occupants_apart_by_parity() {
        let mut arena = Arena::new();
        let mut map = SparseWeakKeyMap::new(&arena);
        let mut keys: Vec<_> = (0..3 * super::PARITY_DEATHS).map(|i| arena.insert(i)).collect();
        for key in &keys {
            map.insert(key, "old");
        }
        let dead: Vec<_> = keys.drain(..2 * super::PARITY_DEATHS).collect();
        drop(dead);
        let report = arena.end_frame();
        let successors: Vec<_> = (0..100).map(|i| arena.insert(i)).collect();
        for successor in &successors {
            map.insert(successor, "new");
        }
        let stats = map.sweep(&report);
        assert_eq!((stats.mode, stats.removed), (SweepMode::Stream, 2 * super::PARITY_DEATHS));
        assert!(successors.iter().all(|successor| map.get(successor) == Some(&"new")));
        assert_eq!(map.len(), keys.len() + successors.len());
    }

    #[test]
    fn an_older_report_checks_the_side_table() {
        let mut arena = Arena::new();
        let mut map = SparseWeakKeyMap::new(&arena);
        let keys: Vec<_> = (0..2).map(|i| arena.insert(i)).collect();
        for key in &keys {
            map.insert(key, 0);
        }
        let mut keys = keys.into_iter();
        drop(keys.next());
        let first = arena.end_frame();
        let second_occupant = arena.insert(8);
        drop(second_occupant);
        let second = arena.end_frame();
        let third_occupant = arena.insert(9); // same slot, generation + 2
        map.insert(&third_occupant, 3);
        assert_eq!(map.sweep(&first).mode, SweepMode::Stream);
        assert_eq!(map.sweep(&second).removed, 0);
        assert_eq!(map.get(&third_occupant), Some(&3));
        assert_eq!(map.len(), 2);
    }
}
