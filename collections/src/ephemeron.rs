//! Ephemeron semantics for [`WeakKeyMap`]: in a cycle collection, a value
//! keeps what it holds alive only while its key is alive — even when the
//! value holds its own key, which CPython's `WeakKeyDictionary` and Java's
//! `WeakHashMap` leak.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use weakarena_core::{
    panic_message, ArenaId, EphemeronTable, PanicReport, PanicSource, RawHandle, Trace, Tracer,
};

use crate::key_map::WeakKeyMap;

impl<T, V: Trace> EphemeronTable for WeakKeyMap<T, V> {
    fn key_arena(&self) -> ArenaId {
        self.arena()
    }

    fn trace_entries(&self, visit: &mut dyn FnMut(RawHandle, &Tracer)) {
        Tracer::trace_each(self.iter(), visit);
    }

    fn remove_dead_entries(&mut self) -> Vec<PanicReport> {
        let mut panics = Vec::new();
        // The entry being dropped, for the report of a panic in its value.
        let dropping = Cell::new(None);
        let table = std::sync::Arc::clone(self.slot_table());
        let sweep = |map: &mut WeakKeyMap<T, V>| {
            map.retain_raw(|raw| {
                let alive = table.is_alive(raw);
                if !alive {
                    dropping.set(Some(raw));
                }
                alive
            })
        };
        while let Err(payload) = catch_unwind(AssertUnwindSafe(|| sweep(self))) {
            if let Some(handle) = dropping.get() {
                let message = panic_message(payload.as_ref());
                panics.push(PanicReport { handle, source: PanicSource::ValueDrop, message });
            }
            // A payload whose own `Drop` panics must not escape: leak it.
            std::mem::forget(payload);
        }
        panics
    }
}
