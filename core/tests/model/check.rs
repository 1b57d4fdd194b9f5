//! The comparisons between the real arena and the model: every observable,
//! after every step.

use weakarena_core::{FrameReport, Proxy, Strong, TrackedKind, WeakRef};

use crate::harness::{Harness, Tracked};
use crate::lifecycle::Expected;
use crate::payload::Payload;
use crate::reference::{Kind, Model};

impl Harness {
    /// Asserts that the arena, the held handles and the log agree with the model.
    pub fn check(&self) {
        self.check_objects();
        self.check_plain_handles();
        self.check_refs();
        self.check_finalizers();
        self.check_memberships();
        assert_eq!(self.log.lines(), self.model.log, "callback and finalizer lines");
    }

    fn check_objects(&self) {
        let model = &self.model;
        assert_eq!(self.arena.len(), model.live(), "live objects");
        assert_eq!(self.arena.has_pending_deaths(), !model.dying.is_empty(), "pending deaths");
        for (id, &weak) in self.objects.iter().enumerate() {
            let alive = model.alive(id);
            assert_eq!(self.arena.strong_count(weak), model.objects[id].strong, "strong count of {id}");
            assert_eq!(self.arena.get(weak).map(|value| value.id), alive.then_some(id), "value of {id}");
            assert_eq!(self.arena.upgrade(weak).is_some(), alive, "upgrade of {id}");
            assert_eq!(tracked_refs(self, id), expected_refs(model, id), "weak_refs of {id}");
            assert_eq!(self.arena.weak_count(weak), model.weak_count(id), "weak_count of {id}");
            assert_eq!(self.drops.of(id), usize::from(model.objects[id].reclaimed), "drops of {id}");
        }
    }

    fn check_plain_handles(&self) {
        for (strong, &id) in self.strongs.iter().zip(&self.model.strongs) {
            assert_eq!(strong.downgrade(), self.objects[id], "held strong handle of {id}");
            assert_eq!(strong.strong_count(), self.model.objects[id].strong);
        }
        for (weak, &id) in self.weaks.iter().zip(&self.model.weaks) {
            assert_eq!(*weak, self.objects[id], "held weak handle of {id}");
        }
    }

    fn check_refs(&self) {
        for (i, (tracked, &record)) in self.refs.iter().zip(&self.model.refs).enumerate() {
            let object = self.model.records[record].object;
            let alive = self.model.alive(object);
            assert_eq!(tracked.handle(), self.objects[object]);
            assert_eq!(tracked.is_alive(), alive, "ref {record} to {object}");
            assert_eq!(tracked.upgrade_works(), alive, "upgrade of ref {record}");
            assert_eq!(tracked.read(&self.arena), alive.then_some(object), "read through ref {record}");
            for (other, &other_record) in self.refs.iter().zip(&self.model.refs).skip(i + 1) {
                if let Some(same) = tracked.same(other) {
                    assert_eq!(same, record == other_record, "refs {record} and {other_record}");
                }
            }
        }
    }

    fn check_finalizers(&self) {
        for (finalizer, &record) in self.finalizers.iter().zip(&self.model.finalizers) {
            let expected = &self.model.records[record];
            assert_eq!(finalizer.handle(), self.objects[expected.object]);
            assert_eq!(finalizer.alive(), expected.pending, "finalizer {record} alive");
            assert_eq!(finalizer.atexit(), expected.atexit, "finalizer {record} atexit");
        }
    }
}

impl Harness {
    fn check_memberships(&self) {
        for (raw, &id) in self.memberships.iter().zip(&self.model.memberships) {
            assert_eq!(*raw, self.objects[id].raw(), "membership of {id}");
            let expected = if self.model.alive(id) { self.model.objects[id].memberships } else { 0 };
            assert_eq!(self.arena.slot_table().memberships(*raw), expected, "memberships of {id}");
        }
    }
}

impl Tracked {
    fn handle(&self) -> weakarena_core::Weak<Payload> {
        match self {
            Tracked::Ref(weak_ref) => weak_ref.handle(),
            Tracked::Proxy(proxy) => proxy.handle(),
            Tracked::Method(method) => method.handle(),
        }
    }

    fn is_alive(&self) -> bool {
        match self {
            Tracked::Ref(weak_ref) => weak_ref.is_alive(),
            Tracked::Proxy(proxy) => proxy.is_alive(),
            Tracked::Method(method) => method.is_alive(),
        }
    }

    fn upgrade_works(&self) -> bool {
        match self {
            Tracked::Ref(weak_ref) => weak_ref.upgrade().is_some(),
            Tracked::Proxy(proxy) => proxy.is_alive(),
            Tracked::Method(method) => method.upgrade().is_some(),
        }
    }

    /// The object id read through the reference: `Proxy::get`,
    /// `WeakMethod::call`, or the arena for a `WeakRef`.
    fn read(&self, arena: &weakarena_core::Arena<Payload>) -> Option<usize> {
        match self {
            Tracked::Ref(weak_ref) => arena.get(weak_ref).map(|value| value.id),
            Tracked::Proxy(proxy) => proxy.get(arena).ok().map(|value| value.id),
            Tracked::Method(method) => method.call(arena, ()),
        }
    }

    /// Whether two references are the same one (Python's `is`); `None` for
    /// weak methods, which have no identity test.
    fn same(&self, other: &Tracked) -> Option<bool> {
        match (self, other) {
            (Tracked::Ref(a), Tracked::Ref(b)) => Some(WeakRef::ptr_eq(a, b)),
            (Tracked::Proxy(a), Tracked::Proxy(b)) => Some(Proxy::ptr_eq(a, b)),
            (Tracked::Method(_), _) | (_, Tracked::Method(_)) => None,
            _ => Some(false),
        }
    }
}

/// What `weak_refs` lists for object `id`: kind and callback, the shared
/// ref and proxy first, then oldest first.
fn tracked_refs(harness: &Harness, id: usize) -> Vec<(TrackedKind, bool)> {
    let refs = harness.arena.weak_refs(harness.objects[id]);
    refs.into_iter().map(|tracked| (tracked.kind, tracked.has_callback)).collect()
}

fn expected_refs(model: &Model, id: usize) -> Vec<(TrackedKind, bool)> {
    if !model.alive(id) {
        return Vec::new();
    }
    let counted = model.objects[id].records.iter().filter(|&&record| model.counts(record));
    let records = counted.map(|&record| {
        let kind = match model.records[record].kind {
            Kind::Ref => TrackedKind::Ref,
            Kind::Proxy => TrackedKind::Proxy,
            Kind::Method => TrackedKind::Method,
            Kind::Finalizer => TrackedKind::Finalizer,
        };
        (kind, model.records[record].callback)
    });
    // The shared callback-less ref, then the shared proxy, head the list (as
    // in CPython); the rest keep registration order.
    let mut records: Vec<_> = records.collect();
    records.sort_by_key(|&kind| match kind {
        (TrackedKind::Ref, false) => 0,
        (TrackedKind::Proxy, false) => 1,
        _ => 2,
    });
    let memberships = std::iter::repeat_n((TrackedKind::Membership, false), model.objects[id].memberships);
    records.into_iter().chain(memberships).collect()
}

/// Asserts a frame end reported exactly the model's deaths, passes and runs.
pub fn assert_report(report: &FrameReport, expected: &Expected, slot_count: usize) {
    let deaths: Vec<(u32, u32)> =
        report.deaths.iter().map(|handle| (handle.index(), handle.generation().get())).collect();
    assert_eq!(deaths, expected.deaths, "deaths, in processing order");
    assert_eq!(report.passes, expected.passes, "cascade passes");
    assert_eq!(report.callbacks_run, expected.callbacks_run, "callbacks run");
    assert_eq!(report.finalizers_run, expected.finalizers_run, "finalizers run");
    assert_eq!(report.values_dropped, expected.deaths.len(), "values dropped");
    assert_eq!(report.slots_retired, expected.slots_retired, "slots retired");
    assert!(report.panics.is_empty(), "{:?}", report.panics);
    if !report.dead.is_empty() {
        assert_eq!(report.dead.len(), slot_count, "a death set covers every slot");
        assert_eq!(report.dead.count_ones(), deaths.len());
    } else {
        let sparse = deaths.len() * weakarena_core::SPARSE_SLOTS_PER_DEATH < slot_count;
        assert!(deaths.is_empty() || sparse, "only sparse deaths keep no set");
    }
    assert!(report.deaths.iter().all(|&handle| report.died(handle)));
}

/// After the arena is dropped, held strong handles still count (values and
/// the handles nested in them are gone) and tracked references still answer.
pub fn assert_handles_outlive_arena(strongs: &[Strong<Payload>], refs: &[Tracked], model: &Model) {
    for (strong, &id) in strongs.iter().zip(&model.strongs) {
        assert_eq!(strong.strong_count(), model.objects[id].strong, "strong count of {id} after the arena");
    }
    for (tracked, &record) in refs.iter().zip(&model.refs) {
        let object = model.records[record].object;
        assert_eq!(tracked.is_alive(), model.alive(object), "ref {record} after the arena");
        assert_eq!(tracked.upgrade_works(), model.alive(object), "upgrade of ref {record} after the arena");
    }
}
