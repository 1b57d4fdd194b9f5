//! Forced deaths: [`Arena::kill`], a game's despawn, and the bookkeeping
//! that lets a killed object's slot wait for its outstanding strong handles.
//!
//! A kill condemns the object's count word (`count_word::kill`): from that
//! instant it reads dead everywhere, as after its last drop. Its next frame
//! end reports it, runs its callbacks and finalizers and drops its value,
//! as for any death. What differs is the slot: strong handles may still
//! point at it (their drops count down on its word), so it is not recycled
//! then, but *held* until the drop that takes the count to zero queues the
//! death as usual; the frame end that takes that queued death recycles the
//! slot without reporting the object a second time. A slot is only ever
//! recycled through the death stack, so never while a drop is still
//! pushing onto it.

use std::collections::HashSet;

use crate::arena::Arena;
use crate::handle::{ArenaHandle, RawHandle};
use crate::report::FrameReport;
use crate::slot_table::SlotTable;

/// An arena's killed objects, between the kill and the slot's recycling.
#[derive(Default)]
pub(crate) struct Kills {
    /// Killed since the last frame end: deaths the next reclaim step reports.
    pending: Vec<RawHandle>,
    /// Killed and reclaimed, strong handles still out: the slot waits for
    /// the death its last drop queues.
    held: HashSet<u32>,
}

impl Kills {
    /// Whether a kill waits for the frame end.
    pub(crate) fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether slot `index` is held for a killed object's strong handles.
    #[inline]
    pub(crate) fn holds(&self, index: u32) -> bool {
        !self.held.is_empty() && self.held.contains(&index)
    }

    /// The held slots, in order: what a save lists as killed.
    #[cfg(feature = "serde")]
    pub(crate) fn held_slots(&self) -> Vec<u32> {
        let mut held: Vec<u32> = self.held.iter().copied().collect();
        held.sort_unstable();
        held
    }

    /// Killed objects that still count among the live-count's objects (a
    /// strong handle of theirs is out): what [`Arena::len`] leaves out.
    pub(crate) fn still_counted(&self, table: &SlotTable) -> usize {
        if self.pending.is_empty() && self.held.is_empty() {
            return 0;
        }
        let pending = self.pending.iter().filter(|&&handle| table.outstanding(handle) > 0).count();
        let held = self.held.iter().filter(|&&index| held_outstanding(table, index)).count();
        pending + held
    }
}

/// Whether the killed object in held slot `index` still has a strong handle out.
fn held_outstanding(table: &SlotTable, index: u32) -> bool {
    table
        .generation_of(index)
        .is_some_and(|generation| table.outstanding(RawHandle::new(index, generation)) > 0)
}

impl<T> Arena<T> {
    /// Kills the object by force, whatever its strong count: a game's
    /// despawn. Returns whether it was alive (a dead or foreign handle is
    /// left alone, `false`).
    ///
    /// From the call on, every handle reads it dead: [`get`](Arena::get)
    /// and [`upgrade`](Arena::upgrade) answer `None`, tracked references and
    /// weak collections see it gone, [`len`](Arena::len) no longer counts it.
    /// Its callbacks and finalizers run, and its value is dropped, at the
    /// next frame end, which reports it among the deaths as for any death.
    /// Strong handles still out stay harmless: they clone and drop (the
    /// count goes on to zero) but never read or revive it, and its slot is
    /// reused only after the last of them drops. A save (feature `serde`)
    /// refuses until that frame end, then sees it dead (see `save`'s docs).
    ///
    /// ```
    /// use weakarena_core::{Arena, WeakRef};
    /// let mut arena = Arena::new();
    /// let orc = arena.insert("orc");
    /// let squad_ref = orc.clone();                 // held elsewhere
    /// let watch = WeakRef::with_callback(&orc, |_| println!("orc gone"));
    /// assert!(arena.kill(&orc));
    /// assert_eq!((arena.get(&orc), arena.len()), (None, 0));
    /// assert!(arena.upgrade(&squad_ref).is_none() && !watch.is_alive());
    /// let report = arena.end_frame();              // callback runs, value dropped
    /// assert_eq!((report.death_count(), report.callbacks_run), (1, 1));
    /// drop((orc, squad_ref));                      // count down harmlessly
    /// assert!(!arena.kill(watch.handle()), "already dead");
    /// ```
    pub fn kill(&mut self, handle: impl ArenaHandle<T>) -> bool {
        if !self.contains(&handle) {
            return false;
        }
        let raw = handle.raw_handle();
        if !self.slot_table().kill(raw) {
            return false; // its last strong handle dropped meanwhile
        }
        self.kills.pending.push(raw);
        true
    }

    /// Kills the loaded object `raw` again and holds its slot, as the saved
    /// arena held it: a killed object reclaimed before the save, whose
    /// strong handles were still out (see [`crate::save`]). Its death is
    /// not reported again; its slot is recycled at the frame end after its
    /// last strong handle drops.
    #[cfg(feature = "serde")]
    pub(crate) fn restore_killed(&mut self, raw: RawHandle) -> bool {
        let killed = self.slot_table().kill(raw);
        if killed {
            self.kills.held.insert(raw.index());
        }
        killed
    }

    /// The slots whose deaths one reclaim step processes: those queued on
    /// the death stack and those killed since the last step. A queued death
    /// of a held slot (a killed object's last drop) recycles the slot here,
    /// running what was registered on the dead object meanwhile, and is not
    /// reported again; a killed object whose handles are still out is held.
    pub(crate) fn take_dead_and_killed(&mut self, report: &mut FrameReport) -> Vec<u32> {
        let mut indices = Vec::new();
        self.slots.take_dead(&mut indices);
        if self.kills.pending.is_empty() && self.kills.held.is_empty() {
            return indices;
        }
        let mut released = Vec::new();
        indices.retain(|&index| {
            let held = self.kills.held.remove(&index);
            if held {
                released.push(index);
            }
            !held
        });
        self.release(&released, report);
        let queued: HashSet<u32> = indices.iter().copied().collect();
        for killed in std::mem::take(&mut self.kills.pending) {
            if !queued.contains(&killed.index()) {
                self.kills.held.insert(killed.index());
                indices.push(killed.index());
            }
        }
        indices
    }

    /// Recycles the held slots whose killed objects' last strong handles
    /// dropped, first running the callbacks and finalizers registered on
    /// those objects after their frame end (through a strong handle still
    /// out).
    fn release(&mut self, released: &[u32], report: &mut FrameReport) {
        let table = self.slot_table();
        let handles: Vec<RawHandle> = released
            .iter()
            .filter_map(|&index| Some(RawHandle::new(index, table.generation_of(index)?)))
            .collect();
        self.run_death_actions_except(&handles, &HashSet::new(), report);
        for handle in handles {
            if self.recycle_slot(handle) {
                report.slots_retired += 1;
            }
        }
    }
}
