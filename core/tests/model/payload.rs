//! The model test's payload: it counts its drops and can hold strong
//! handles to other objects (cascades and cycles), plus the shared log that
//! callbacks and finalizers write to.

use std::sync::{Arc, Mutex};

use weakarena_core::Strong;

/// Drops per object id, shared by every payload of one run.
#[derive(Clone, Default)]
pub struct Drops(Arc<Mutex<Vec<usize>>>);

impl Drops {
    /// Times object `id`'s value has been dropped.
    pub fn of(&self, id: usize) -> usize {
        self.0.lock().unwrap().get(id).copied().unwrap_or(0)
    }

    fn record(&self, id: usize) {
        let mut drops = self.0.lock().unwrap();
        if drops.len() <= id {
            drops.resize(id + 1, 0);
        }
        drops[id] += 1;
    }
}

/// An arena value: its object id, and the strong handles nested in it.
pub struct Payload {
    /// The object id the model knows it by.
    pub id: usize,
    /// Strong handles this value holds (released when it is dropped).
    pub children: Vec<Strong<Payload>>,
    drops: Drops,
}

impl Payload {
    /// The value of object `id`.
    pub fn new(id: usize, drops: &Drops) -> Payload {
        Payload { id, children: Vec::new(), drops: drops.clone() }
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.drops.record(self.id);
    }
}

/// The lines callbacks and finalizers log, in the order they ran.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    /// A callback or finalizer body that logs `line`.
    pub fn writer(&self, line: String) -> impl FnOnce() + Send + 'static {
        let log = self.clone();
        move || log.0.lock().unwrap().push(line)
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}
