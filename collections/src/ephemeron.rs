//! Ephemeron semantics for [`WeakKeyMap`] and [`SparseWeakKeyMap`]: in a
//! cycle collection, a value keeps what it holds alive only while its key is
//! alive — even when the value holds its own key, which CPython's
//! `WeakKeyDictionary` and Java's `WeakHashMap` leak.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use weakarena_core::{
    panic_message, ArenaId, EphemeronTable, PanicReport, PanicSource, RawHandle, Trace, Tracer,
};

use crate::dense_key_map::WeakKeyMap;
use crate::key_map::SparseWeakKeyMap;

/// The same ephemeron table over either weak-key map (both offer `arena`,
/// `iter`, `slot_table` and `retain_raw`).
macro_rules! ephemeron_table {
    ($map:ident) => {
        impl<T, V: Trace> EphemeronTable for $map<T, V> {
            fn key_arena(&self) -> ArenaId {
                self.arena()
            }

            fn trace_entries(&self, visit: &mut dyn FnMut(RawHandle, &Tracer)) {
                Tracer::trace_each(self.iter(), visit);
            }

            fn remove_dead_entries(&mut self) -> Vec<PanicReport> {
                let table = std::sync::Arc::clone(self.slot_table());
                catching_value_panics(|dropping| {
                    self.retain_raw(|raw| {
                        let alive = table.is_alive(raw);
                        if !alive {
                            dropping.set(Some(raw));
                        }
                        alive
                    })
                })
            }
        }
    };
}

ephemeron_table!(WeakKeyMap);
ephemeron_table!(SparseWeakKeyMap);

/// Runs `sweep` until it completes, catching the panics of the values it
/// drops; `sweep` records in the cell the entry it is about to drop, for the
/// report.
fn catching_value_panics(mut sweep: impl FnMut(&Cell<Option<RawHandle>>)) -> Vec<PanicReport> {
    let mut panics = Vec::new();
    let dropping = Cell::new(None);
    while let Err(payload) = catch_unwind(AssertUnwindSafe(|| sweep(&dropping))) {
        if let Some(handle) = dropping.get() {
            let message = panic_message(payload.as_ref());
            panics.push(PanicReport { handle, source: PanicSource::ValueDrop, message });
        }
        // A payload whose own `Drop` panics must not escape: leak it.
        std::mem::forget(payload);
    }
    panics
}
