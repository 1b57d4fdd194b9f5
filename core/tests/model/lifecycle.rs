//! The model's life cycle past single operations: frame ends (passes over
//! the deaths, callbacks and finalizers newest first, value drops that
//! cascade), shutdown, and dropping the arena.

use crate::reference::{Kind, Model};

/// What one frame end must report.
#[derive(Default, PartialEq, Eq, Debug)]
pub struct Expected {
    /// `(index, generation)` of each death, in processing order.
    pub deaths: Vec<(u32, u32)>,
    /// Cascade passes.
    pub passes: u32,
    /// Callbacks run.
    pub callbacks_run: usize,
    /// Finalizers run.
    pub finalizers_run: usize,
    /// Slots retired.
    pub slots_retired: usize,
}

impl Expected {
    /// Adds a later pass of the same frame (shutdown's reclaims).
    fn absorb(&mut self, pass: Expected) {
        self.deaths.extend(pass.deaths);
        self.passes += pass.passes;
        self.callbacks_run += pass.callbacks_run;
        self.finalizers_run += pass.finalizers_run;
        self.slots_retired += pass.slots_retired;
    }
}

impl Model {
    /// The newest pending `atexit` finalizer of a live object.
    fn newest_atexit_finalizer(&self) -> Option<usize> {
        let records = self.objects.iter().flat_map(|object| object.records.iter().copied());
        records
            .filter(|&record| self.records[record].kind == Kind::Finalizer && self.records[record].atexit)
            .filter(|&record| self.records[record].pending)
            .max()
    }

    /// Ends the frame: passes over the deaths (slot order within a pass,
    /// each object's records newest first), dropping values, whose nested
    /// handles may kill more objects for the next pass.
    pub fn end_frame(&mut self) -> Expected {
        let mut expected = Expected::default();
        while !self.dying.is_empty() {
            let mut dead = std::mem::take(&mut self.dying);
            dead.sort_by_key(|&object| self.objects[object].slot.0);
            expected.passes += 1;
            for &object in &dead {
                expected.deaths.push(self.objects[object].slot);
                self.run_records(object, &mut expected);
            }
            for &object in &dead {
                self.reclaim(object, &mut expected);
            }
        }
        expected
    }

    fn run_records(&mut self, object: usize, expected: &mut Expected) {
        let records = std::mem::take(&mut self.objects[object].records);
        for &record in records.iter().rev() {
            if self.counts(record) && self.run(record) {
                match self.records[record].kind {
                    Kind::Finalizer => expected.finalizers_run += 1,
                    Kind::Ref | Kind::Proxy | Kind::Method => expected.callbacks_run += 1,
                }
            }
        }
    }

    fn reclaim(&mut self, object: usize, expected: &mut Expected) {
        self.objects[object].reclaimed = true;
        for child in std::mem::take(&mut self.objects[object].children) {
            self.release(child);
        }
        let (index, generation) = self.objects[object].slot;
        if generation == u32::MAX {
            self.slots.insert(index, (generation, true));
            expected.slots_retired += 1;
        }
    }

    /// Dropping the arena: every value not yet dropped goes, releasing the
    /// handles nested in it; no callback runs.
    pub fn drop_values(&mut self) {
        for object in 0..self.objects.len() {
            if !self.objects[object].reclaimed {
                self.objects[object].reclaimed = true;
                for child in std::mem::take(&mut self.objects[object].children) {
                    self.release(child);
                }
            }
        }
    }

    /// Dropping the arena clears its registry: the closures of pending
    /// finalizers that no `Finalizer` value holds any more go with it.
    pub fn clear_registry(&mut self) {
        for record in 0..self.records.len() {
            if self.counts(record) && !self.finalizers.contains(&record) {
                self.release_closure(record);
            }
        }
    }

    /// Shutdown, once: a frame end (objects already dead get their
    /// callbacks and finalizers as deaths), then the pending `atexit`
    /// finalizers of the live objects, newest first; an object one of them
    /// kills (its closure held the last handle) is reclaimed at once, its
    /// own records run as a death's. Returns the frame's expected report.
    pub fn shutdown(&mut self) -> Expected {
        if std::mem::replace(&mut self.shut_down, true) {
            return Expected::default();
        }
        let mut expected = self.end_frame();
        while let Some(record) = self.newest_atexit_finalizer() {
            expected.finalizers_run += usize::from(self.run(record));
            expected.absorb(self.end_frame());
        }
        expected
    }
}
