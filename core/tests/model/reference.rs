//! The reference model: plain bookkeeping of what an arena must show, per
//! object a strong count, liveness, the handles it holds in its value and
//! its tracked references in registration order.
//!
//! The model does not choose slots: it takes each object's slot index and
//! generation from the real arena and checks they never alias.

use std::collections::HashMap;

/// What kind of tracked reference a model record is.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A `WeakRef`.
    Ref,
    /// A `Proxy`.
    Proxy,
    /// A `WeakMethod`.
    Method,
    /// A `Finalizer`.
    Finalizer,
}

/// One object ever inserted.
#[derive(Debug)]
pub struct Object {
    /// Strong handles to it, held by the test or inside other values.
    pub strong: usize,
    /// Whether a frame end has dropped its value.
    pub reclaimed: bool,
    /// Its slot index and generation (from the real arena).
    pub slot: (u32, u32),
    /// Objects whose strong handles its value holds, in order.
    pub children: Vec<usize>,
    /// Its tracked references, oldest first, until its frame end.
    pub records: Vec<usize>,
    /// Weak-collection memberships counted for it.
    pub memberships: usize,
}

/// One tracked reference ever created.
#[derive(Debug)]
pub struct Record {
    /// The object it refers to.
    pub object: usize,
    /// What it is.
    pub kind: Kind,
    /// Whether it was made with a callback (finalizers always are).
    pub callback: bool,
    /// `WeakRef`/`Proxy`/`WeakMethod` values the test holds for it.
    pub holders: usize,
    /// Whether its callback or finalizer still waits to run.
    pub pending: bool,
    /// Whether the registry keeps a reference whose last holder went after
    /// its object died (its callback still runs).
    pub kept: bool,
    /// A finalizer's `atexit` flag.
    pub atexit: bool,
    /// Objects whose strong handles a finalizer's closure owns.
    pub children: Vec<usize>,
}

/// The model of one arena and the handles the test holds.
#[derive(Default, Debug)]
pub struct Model {
    /// Every object, by id (insertion order).
    pub objects: Vec<Object>,
    /// Every tracked reference, by id (registration order).
    pub records: Vec<Record>,
    /// The object of each held strong handle.
    pub strongs: Vec<usize>,
    /// The object of each held weak handle.
    pub weaks: Vec<usize>,
    /// The record of each held `WeakRef`/`Proxy`/`WeakMethod`.
    pub refs: Vec<usize>,
    /// The object of each kept membership.
    pub memberships: Vec<usize>,
    /// The record of each held `Finalizer`.
    pub finalizers: Vec<usize>,
    /// Every callback and finalizer line, in the order they ran.
    pub log: Vec<String>,
    /// Deaths since the last frame end.
    pub dying: Vec<usize>,
    /// The last generation each slot had, and whether it was retired.
    pub(crate) slots: HashMap<u32, (u32, bool)>,
    pub(crate) shut_down: bool,
}

/// The log line of a record's callback or finalizer.
pub fn line(record: usize) -> String {
    format!("run {record}")
}

impl Model {
    /// Whether `object` is alive.
    pub fn alive(&self, object: usize) -> bool {
        self.objects[object].strong > 0
    }

    /// Live objects.
    pub fn live(&self) -> usize {
        (0..self.objects.len()).filter(|&object| self.alive(object)).count()
    }

    /// A new object in `slot`, which must not alias a slot in use, a retired
    /// slot, or an earlier generation. Returns its id.
    pub fn insert(&mut self, slot: (u32, u32)) -> usize {
        let in_use = self.objects.iter().any(|object| !object.reclaimed && object.slot.0 == slot.0);
        assert!(!in_use, "slot {} handed out while in use", slot.0);
        if let Some(&(last, retired)) = self.slots.get(&slot.0) {
            assert!(!retired, "retired slot {} reused", slot.0);
            assert!(slot.1 > last, "slot {} went back from generation {last} to {}", slot.0, slot.1);
        }
        self.slots.insert(slot.0, (slot.1, false));
        let object = Object {
            strong: 1,
            reclaimed: false,
            slot,
            children: Vec::new(),
            records: Vec::new(),
            memberships: 0,
        };
        self.objects.push(object);
        self.strongs.push(self.objects.len() - 1);
        self.objects.len() - 1
    }

    /// Clones held strong handle `at`.
    pub fn clone_strong(&mut self, at: usize) {
        let object = self.strongs[at];
        self.objects[object].strong += 1;
        self.strongs.push(object);
    }

    /// Drops held strong handle `at` (`swap_remove`, as the harness does).
    pub fn drop_strong(&mut self, at: usize) {
        let object = self.strongs.swap_remove(at);
        self.release(object);
    }

    pub(crate) fn release(&mut self, object: usize) {
        self.objects[object].strong -= 1;
        if self.objects[object].strong == 0 {
            self.dying.push(object);
        }
    }

    /// Upgrades held weak handle `at`; whether it succeeded.
    pub fn upgrade(&mut self, at: usize) -> bool {
        let object = self.weaks[at];
        if !self.alive(object) {
            return false;
        }
        self.objects[object].strong += 1;
        self.strongs.push(object);
        true
    }

    /// Moves held strong handle `child` into the value of `parent`'s object.
    pub fn nest(&mut self, child: usize, parent: usize) {
        let parent_object = self.strongs[parent];
        let child_object = self.strongs.swap_remove(child);
        self.objects[parent_object].children.push(child_object);
    }

    /// Whether `record` still counts and can run: held (references) or
    /// pending (finalizers, which the registry owns).
    pub fn counts(&self, record: usize) -> bool {
        let record = &self.records[record];
        match record.kind {
            Kind::Finalizer => record.pending,
            Kind::Ref | Kind::Proxy | Kind::Method => record.holders > 0 || record.kept,
        }
    }

    /// `weak_count`: the object's records that still count and its
    /// memberships, 0 once dead.
    pub fn weak_count(&self, object: usize) -> usize {
        if !self.alive(object) {
            return 0;
        }
        let records = self.objects[object].records.iter().filter(|&&record| self.counts(record)).count();
        records + self.objects[object].memberships
    }

    /// A membership through held weak handle `at`; whether it counted
    /// (only while the object lives).
    pub fn add_membership(&mut self, at: usize) -> bool {
        let object = self.weaks[at];
        if !self.alive(object) {
            return false;
        }
        self.objects[object].memberships += 1;
        self.memberships.push(object);
        true
    }

    /// Takes back kept membership `at` (its count is gone with a dead object).
    pub fn remove_membership(&mut self, at: usize) {
        let object = self.memberships.swap_remove(at);
        let count = &mut self.objects[object].memberships;
        *count = count.saturating_sub(1);
    }

    fn register(&mut self, object: usize, kind: Kind, callback: bool) -> usize {
        let atexit = true;
        let children = Vec::new();
        self.records.push(Record {
            object,
            kind,
            callback,
            holders: 0,
            pending: callback,
            kept: false,
            atexit,
            children,
        });
        let record = self.records.len() - 1;
        self.objects[object].records.push(record);
        record
    }

    /// A `WeakRef`/`Proxy`/`WeakMethod` on held strong handle `at`'s
    /// object: for references, the shared callback-less one while it is
    /// held; else a new one. Returns its id.
    pub fn tracked(&mut self, at: usize, kind: Kind, callback: bool) -> usize {
        let object = self.strongs[at];
        let shareable = !callback && kind != Kind::Method;
        let shared = self.objects[object].records.iter().copied().find(|&record| {
            let r = &self.records[record];
            shareable && r.kind == kind && !r.callback && r.holders > 0
        });
        let record = shared.unwrap_or_else(|| self.register(object, kind, callback));
        self.hold_ref(record);
        record
    }

    fn hold_ref(&mut self, record: usize) {
        self.records[record].holders += 1;
        self.refs.push(record);
    }

    /// Clones held reference `at`; whether it could (weak methods cannot).
    pub fn clone_ref(&mut self, at: usize) -> bool {
        let record = self.refs[at];
        let cloneable = self.records[record].kind != Kind::Method;
        if cloneable {
            self.hold_ref(record);
        }
        cloneable
    }

    /// Drops held reference `at`.
    pub fn drop_ref(&mut self, at: usize) {
        let record = self.refs.swap_remove(at);
        self.records[record].holders -= 1;
        let dropped = &self.records[record];
        if dropped.holders == 0 && dropped.pending && !self.alive(dropped.object) {
            self.records[record].kept = true;
        }
    }

    /// A finalizer on held strong handle `at`'s object, whose closure
    /// takes held strong handle `holds` along. Returns its id.
    pub fn finalizer(&mut self, at: usize, holds: Option<usize>) -> usize {
        let record = self.register(self.strongs[at], Kind::Finalizer, true);
        if let Some(held) = holds {
            let child = self.strongs.swap_remove(held);
            self.records[record].children.push(child);
        }
        self.finalizers.push(record);
        record
    }

    /// Releases the handles a finalizer's closure owned (it ran or was dropped).
    pub(crate) fn release_closure(&mut self, record: usize) {
        for child in std::mem::take(&mut self.records[record].children) {
            self.release(child);
        }
    }

    /// `detach` of held finalizer `at`; whether it gave the object back.
    pub fn detach(&mut self, at: usize) -> bool {
        let record = self.finalizers[at];
        let object = self.records[record].object;
        if !self.records[record].pending || !self.alive(object) {
            return false;
        }
        self.records[record].pending = false;
        self.objects[object].strong += 1;
        self.strongs.push(object);
        self.release_closure(record); // the harness drops the closure detach gave back
        true
    }

    /// `call` of held finalizer `at`; whether it ran.
    pub fn call(&mut self, at: usize) -> bool {
        let record = self.finalizers[at];
        self.run(record)
    }

    /// Drops held finalizer `at`, which does not cancel it.
    pub fn drop_finalizer(&mut self, at: usize) {
        self.finalizers.swap_remove(at);
    }

    /// `set_atexit(on)` on held finalizer `at`.
    pub fn set_atexit(&mut self, at: usize, on: bool) {
        let record = self.finalizers[at];
        self.records[record].atexit = on;
    }

    /// `peek` of held finalizer `at`: whether it returns the object.
    pub fn peek(&self, at: usize) -> bool {
        let record = &self.records[self.finalizers[at]];
        record.pending && self.alive(record.object)
    }

    /// Runs `record`'s action if it is pending; whether it ran.
    pub(crate) fn run(&mut self, record: usize) -> bool {
        let ran = std::mem::replace(&mut self.records[record].pending, false);
        if ran {
            self.log.push(line(record));
            self.release_closure(record);
        }
        ran
    }
}
