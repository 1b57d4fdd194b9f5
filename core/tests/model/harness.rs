//! Applies each operation to a real arena and to the reference model, side
//! by side; `check.rs` compares what they show after every step.

use weakarena_core::{
    Arena, BoxedFinalizer, Finalizer, Generation, Proxy, RawHandle, Strong, Weak, WeakMethod, WeakRef,
};

use crate::ops::{pick, Op};
use crate::payload::{Drops, Log, Payload};
use crate::reference::{line, Kind, Model};

/// The method weak methods bind: the object's id.
pub type IdMethod = fn(&Payload, ()) -> usize;

fn id_of(payload: &Payload, (): ()) -> usize {
    payload.id
}

/// A held `WeakRef`, `Proxy` or `WeakMethod`.
pub enum Tracked {
    /// A `WeakRef`.
    Ref(WeakRef<Payload>),
    /// A `Proxy`.
    Proxy(Proxy<Payload>),
    /// A `WeakMethod`.
    Method(WeakMethod<Payload, IdMethod>),
}

impl Tracked {
    fn new<C>(kind: Kind, strong: &Strong<Payload>, callback: Option<C>) -> Tracked
    where
        C: FnOnce(Weak<Payload>) + Send + 'static,
    {
        let method = id_of as IdMethod;
        match (kind, callback) {
            (Kind::Ref, None) => Tracked::Ref(WeakRef::new(strong)),
            (Kind::Ref, Some(callback)) => Tracked::Ref(WeakRef::with_callback(strong, callback)),
            (Kind::Proxy, None) => Tracked::Proxy(Proxy::new(strong)),
            (Kind::Proxy, Some(callback)) => Tracked::Proxy(Proxy::with_callback(strong, callback)),
            (Kind::Method, None) => Tracked::Method(WeakMethod::new(strong, method)),
            (Kind::Method, Some(callback)) => {
                Tracked::Method(WeakMethod::with_callback(strong, method, callback))
            }
            (Kind::Finalizer, _) => unreachable!("finalizers are held apart"),
        }
    }
}

/// The real arena and handles, with the model they must agree with. The
/// handle lists run parallel to the model's lists of the same names.
pub struct Harness {
    /// The arena under test.
    pub arena: Arena<Payload>,
    /// A weak handle to every object ever inserted, by object id.
    pub objects: Vec<Weak<Payload>>,
    /// Held strong handles.
    pub strongs: Vec<Strong<Payload>>,
    /// Held plain weak handles.
    pub weaks: Vec<Weak<Payload>>,
    /// Held tracked references.
    pub refs: Vec<Tracked>,
    /// Held finalizers.
    pub finalizers: Vec<Finalizer<Payload>>,
    /// Kept weak-collection memberships.
    pub memberships: Vec<RawHandle>,
    /// Drops per object id.
    pub drops: Drops,
    /// What callbacks and finalizers logged.
    pub log: Log,
    /// The reference model.
    pub model: Model,
}

/// Runs `ops` on an arena whose slots start at `first_generation`,
/// comparing with the model after every step, then shuts down, ends a last
/// frame and drops everything.
pub fn run(first_generation: u32, ops: &[Op]) {
    let mut harness = Harness::new(first_generation);
    for &op in ops {
        harness.apply(op);
        harness.check();
    }
    harness.finish();
}

impl Harness {
    fn new(first_generation: u32) -> Harness {
        let first = Generation::new(first_generation).expect("generations start at 1");
        Harness {
            arena: Arena::with_first_generation(first),
            objects: Vec::new(),
            strongs: Vec::new(),
            weaks: Vec::new(),
            refs: Vec::new(),
            finalizers: Vec::new(),
            memberships: Vec::new(),
            drops: Drops::default(),
            log: Log::default(),
            model: Model::default(),
        }
    }

    fn apply(&mut self, op: Op) {
        match op {
            Op::Insert => self.insert(),
            Op::CloneStrong(at) => self.clone_strong(at),
            Op::DropStrong(at) => self.drop_strong(at),
            Op::Downgrade(at) => self.downgrade(at),
            Op::Upgrade(at) => self.upgrade(at),
            Op::WeakRef { of, callback } => self.tracked(of, Kind::Ref, callback),
            Op::Proxy { of, callback } => self.tracked(of, Kind::Proxy, callback),
            Op::WeakMethod { of, callback } => self.tracked(of, Kind::Method, callback),
            Op::CloneRef(at) => self.clone_ref(at),
            Op::DropRef(at) => self.drop_ref(at),
            Op::Finalizer { of, holds } => self.finalizer(of, holds),
            Op::DropFinalizer(at) => self.drop_finalizer(at),
            Op::Detach(at) => self.detach(at),
            Op::Call(at) => self.call(at),
            Op::SetAtexit { of, on } => self.set_atexit(of, on),
            Op::Peek(at) => self.peek(at),
            Op::Nest { child, parent } => self.nest(child, parent),
            Op::AddMembership(at) => self.add_membership(at),
            Op::RemoveMembership(at) => self.remove_membership(at),
            Op::EndFrame => self.end_frame(),
        }
    }

    fn insert(&mut self) {
        let id = self.model.objects.len();
        let strong = self.arena.insert(Payload::new(id, &self.drops));
        let weak = strong.downgrade();
        assert_eq!(self.model.insert((weak.index(), weak.generation().get())), id);
        self.objects.push(weak);
        self.strongs.push(strong);
    }

    fn clone_strong(&mut self, at: u8) {
        let Some(i) = pick(at, self.strongs.len()) else { return };
        self.strongs.push(self.strongs[i].clone());
        self.model.clone_strong(i);
    }

    fn drop_strong(&mut self, at: u8) {
        let Some(i) = pick(at, self.strongs.len()) else { return };
        drop(self.strongs.swap_remove(i));
        self.model.drop_strong(i);
    }

    fn downgrade(&mut self, at: u8) {
        let Some(i) = pick(at, self.strongs.len()) else { return };
        self.weaks.push(self.strongs[i].downgrade());
        self.model.weaks.push(self.model.strongs[i]);
    }

    fn upgrade(&mut self, at: u8) {
        let Some(i) = pick(at, self.weaks.len()) else { return };
        let upgraded = self.arena.upgrade(self.weaks[i]);
        assert_eq!(upgraded.is_some(), self.model.upgrade(i), "upgrade of {:?}", self.weaks[i]);
        self.strongs.extend(upgraded);
    }

    fn tracked(&mut self, at: u8, kind: Kind, callback: bool) {
        let Some(i) = pick(at, self.strongs.len()) else { return };
        let record = self.model.tracked(i, kind, callback);
        let strong = &self.strongs[i];
        let on_death = callback.then(|| self.callback(record, strong));
        self.refs.push(Tracked::new(kind, strong, on_death));
    }

    /// A callback that checks it is called with its object's handle, then
    /// logs its record's line (a failed check is a panic the report shows).
    fn callback(
        &self,
        record: usize,
        strong: &Strong<Payload>,
    ) -> impl FnOnce(Weak<Payload>) + Send + 'static {
        let expected = strong.downgrade();
        let log = self.log.writer(line(record));
        move |dead| {
            assert_eq!(dead, expected, "a callback gets its own object's handle");
            log();
        }
    }

    fn clone_ref(&mut self, at: u8) {
        let Some(i) = pick(at, self.refs.len()) else { return };
        let clone = match &self.refs[i] {
            Tracked::Ref(weak_ref) => Some(Tracked::Ref(weak_ref.clone())),
            Tracked::Proxy(proxy) => Some(Tracked::Proxy(proxy.clone())),
            Tracked::Method(_) => None,
        };
        assert_eq!(clone.is_some(), self.model.clone_ref(i));
        self.refs.extend(clone);
    }

    fn drop_ref(&mut self, at: u8) {
        let Some(i) = pick(at, self.refs.len()) else { return };
        drop(self.refs.swap_remove(i));
        self.model.drop_ref(i);
    }

    fn finalizer(&mut self, at: u8, holds: Option<u8>) {
        let Some(i) = pick(at, self.strongs.len()) else { return };
        let holds = holds.and_then(|held| pick(held, self.strongs.len()));
        let record = self.model.finalizer(i, holds);
        let target = self.strongs[i].clone();
        let held = holds.map(|held| self.strongs.swap_remove(held));
        let log = self.log.writer(line(record));
        let body: BoxedFinalizer = Box::new(move || {
            log();
            drop(held);
        });
        self.finalizers.push(Finalizer::new(&target, body));
    }

    fn drop_finalizer(&mut self, at: u8) {
        let Some(i) = pick(at, self.finalizers.len()) else { return };
        drop(self.finalizers.swap_remove(i));
        self.model.drop_finalizer(i);
    }

    fn detach(&mut self, at: u8) {
        let Some(i) = pick(at, self.finalizers.len()) else { return };
        let detached = self.finalizers[i].detach();
        assert_eq!(detached.is_some(), self.model.detach(i), "detach of {:?}", self.finalizers[i]);
        if let Some((strong, _body)) = detached {
            assert_eq!(strong.downgrade(), self.finalizers[i].handle());
            self.strongs.push(strong);
        }
    }

    fn call(&mut self, at: u8) {
        let Some(i) = pick(at, self.finalizers.len()) else { return };
        assert_eq!(
            self.finalizers[i].call().is_some(),
            self.model.call(i),
            "call of {:?}",
            self.finalizers[i]
        );
    }

    fn set_atexit(&mut self, at: u8, on: bool) {
        let Some(i) = pick(at, self.finalizers.len()) else { return };
        self.finalizers[i].set_atexit(on);
        self.model.set_atexit(i, on);
    }

    fn peek(&mut self, at: u8) {
        let Some(i) = pick(at, self.finalizers.len()) else { return };
        let peeked = self.finalizers[i].peek_object().map(|strong| strong.downgrade());
        let expected = self.model.peek(i).then(|| self.finalizers[i].handle());
        assert_eq!(peeked, expected, "peek of {:?}", self.finalizers[i]);
    }

    fn nest(&mut self, child: u8, parent: u8) {
        let (Some(c), Some(p)) = (pick(child, self.strongs.len()), pick(parent, self.strongs.len())) else {
            return;
        };
        let parent_weak = self.strongs[p].downgrade();
        let handle = self.strongs.swap_remove(c);
        self.arena.get_mut(parent_weak).expect("a held handle's object lives").children.push(handle);
        self.model.nest(c, p);
    }

    fn add_membership(&mut self, at: u8) {
        let Some(i) = pick(at, self.weaks.len()) else { return };
        let raw = self.weaks[i].raw();
        let added = self.arena.slot_table().add_membership(raw);
        assert_eq!(added, self.model.add_membership(i), "membership of {raw:?}");
        if added {
            self.memberships.push(raw);
        }
    }

    fn remove_membership(&mut self, at: u8) {
        let Some(i) = pick(at, self.memberships.len()) else { return };
        self.arena.slot_table().remove_membership(self.memberships.swap_remove(i));
        self.model.remove_membership(i);
    }

    fn end_frame(&mut self) {
        let report = self.arena.end_frame();
        let expected = self.model.end_frame();
        crate::check::assert_report(&report, &expected, self.arena.slot_count());
    }

    /// Shutdown (once), a last frame end, then the arena is dropped before
    /// the handles, which must still answer, and every value has been
    /// dropped exactly once.
    fn finish(mut self) {
        let report = self.arena.shutdown();
        let expected = self.model.shutdown();
        crate::check::assert_report(&report, &expected, self.arena.slot_count());
        assert!(report.panics.is_empty(), "{:?}", report.panics);
        assert_eq!(self.arena.shutdown().finalizers_run, 0, "shutdown runs once");
        self.check();
        self.end_frame();
        self.check();
        let lines = self.log.lines();
        let Harness { arena, strongs, refs, finalizers, drops, log, mut model, .. } = self;
        drop(arena);
        model.drop_values();
        model.clear_registry();
        crate::check::assert_handles_outlive_arena(&strongs, &refs, &model);
        drop((strongs, refs, finalizers));
        for id in 0..model.objects.len() {
            assert_eq!(drops.of(id), 1, "object {id}'s value is dropped exactly once");
        }
        assert_eq!(log.lines(), lines, "nothing runs once the arena is gone");
    }
}
