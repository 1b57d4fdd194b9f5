//! Ephemeron semantics for [`WeakKeyMap`]: in a cycle collection, a value
//! keeps what it holds alive only while its key is alive — even when the
//! value holds its own key, which CPython's `WeakKeyDictionary` and Java's
//! `WeakHashMap` leak.

use weakarena_core::{ArenaId, EphemeronTable, RawHandle, Trace, Tracer, Weak};

use crate::key_map::WeakKeyMap;

impl<T, V: Trace> EphemeronTable for WeakKeyMap<T, V> {
    fn key_arena(&self) -> ArenaId {
        self.arena()
    }

    fn trace_entries(&self, visit: &mut dyn FnMut(RawHandle, &Tracer)) {
        Tracer::trace_each(self.iter(), visit);
    }

    fn remove_dead_entries(&mut self) {
        self.retain(|_: Weak<T>, _| true);
    }
}
