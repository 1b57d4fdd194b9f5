//! How a value tells the cycle collector which strong handles it holds.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use crate::handle::{ArenaId, RawHandle, Weak};
use crate::ref_id::RefId;
use crate::strong::Strong;
use crate::weak_ref::WeakRef;

/// Reports the [`Strong`] handles a value holds, so
/// [`collect_cycles`](crate::collect_cycles) can find objects that only keep
/// each other alive.
///
/// Implement it by visiting every strong handle the value owns, exactly once
/// — directly or through fields that implement `Trace`. The implementations
/// for standard containers do this for you. A value whose type does not take
/// part in a collection holds no strong handles as far as the collector
/// knows: the objects it points to count as held from outside, so they are
/// never collected on its account.
///
/// Over-reporting (visiting a handle the value does not own, or one twice)
/// can make the collector take a live object for garbage: it then sees it
/// dead and drops its value. That is a logic error, never memory-unsafe.
/// No implementation in this crate over-reports: a handle reachable from
/// elsewhere (through a shared [`Arc`], say) is not visited.
///
/// ```
/// use weakarena_core::{Strong, Trace, Tracer};
/// struct Node { name: String, children: Vec<Strong<Node>>, parent: Option<Strong<Node>> }
/// impl Trace for Node {
///     fn trace(&self, tracer: &mut Tracer) {
///         self.children.trace(tracer);
///         self.parent.trace(tracer);
///     }
/// }
/// ```
pub trait Trace {
    /// Visits every strong handle the value holds.
    fn trace(&self, tracer: &mut Tracer);
}

/// Collects the edges one value reports.
#[derive(Default)]
pub struct Tracer {
    pub(crate) strong: Vec<(ArenaId, RawHandle)>,
    pub(crate) weak_refs: Vec<RefId>,
}

impl Tracer {
    /// Records one strong handle held by the value being traced.
    pub fn visit<T>(&mut self, strong: &Strong<T>) {
        self.strong.push((strong.arena_id(), strong.raw()));
    }

    /// Records a tracked reference held by the value: if the value turns out
    /// to be garbage, that reference's callback does not run (CPython runs
    /// callbacks only of weak references that are not garbage themselves).
    /// The strong handles of a traced callback's state
    /// ([`WeakRef::with_traced_callback`]) count as held by the value, as
    /// CPython's `gc` traverses a weak reference's callback.
    pub fn visit_weak_ref<T>(&mut self, weak_ref: &WeakRef<T>) {
        let id = weak_ref.id();
        if self.weak_refs.contains(&id) {
            return; // visited: its state is traced once (and a state holding its own reference ends here)
        }
        self.weak_refs.push(id);
        weak_ref.trace_callback_state(self);
    }

    /// Traces each `(handle, value)` in turn with one reused tracer, handing
    /// `visit` the edges of each: how arenas and weak-key maps report their
    /// contents to [`collect_cycles`](crate::collect_cycles).
    pub fn trace_each<'v, T, V: Trace + 'v>(
        items: impl Iterator<Item = (Weak<T>, &'v V)>,
        visit: &mut dyn FnMut(RawHandle, &Tracer),
    ) {
        let mut tracer = Tracer::default();
        for (handle, value) in items {
            tracer.clear();
            value.trace(&mut tracer);
            visit(handle.raw(), &tracer);
        }
    }

    /// Forgets the edges recorded so far, to trace another value.
    pub fn clear(&mut self) {
        self.strong.clear();
        self.weak_refs.clear();
    }
}

impl<T> Trace for Strong<T> {
    fn trace(&self, tracer: &mut Tracer) {
        tracer.visit(self);
    }
}

impl<T> Trace for WeakRef<T> {
    fn trace(&self, tracer: &mut Tracer) {
        tracer.visit_weak_ref(self);
    }
}

impl<T: Trace> Trace for Option<T> {
    fn trace(&self, tracer: &mut Tracer) {
        if let Some(inner) = self {
            inner.trace(tracer);
        }
    }
}

impl<T: Trace + ?Sized> Trace for Box<T> {
    fn trace(&self, tracer: &mut Tracer) {
        (**self).trace(tracer);
    }
}

/// An `Arc` traces its contents only while it is provably unshared: no other
/// `Arc` and no `sync::Weak` to the same allocation. A shared `Arc` traces
/// nothing, so the handles inside count as held from outside.
///
/// Why: the collector subtracts one reference per visit from the target's
/// strong count. The `Strong` inside a shared `Arc` is one reference,
/// however many clones of the `Arc` are traced, and the `Arc`'s other clones
/// may live anywhere, in garbage or not; visiting it once per traced clone
/// would over-report, and a live object held by the user could be taken for
/// garbage. Not tracing it is always safe: at worst a cycle through a shared
/// `Arc` is not collected. The count check is exact during a collection,
/// which holds every participating arena (and so every traced value)
/// mutably: without an `Arc` or `Weak` elsewhere, no one else can clone it.
///
/// ```
/// use std::sync::Arc;
/// use weakarena_core::{collect_cycles, Arena, Strong, Trace, Tracer};
/// struct Node { shared: Option<Arc<Strong<Node>>> }
/// impl Trace for Node {
///     fn trace(&self, tracer: &mut Tracer) { self.shared.trace(tracer) }
/// }
/// let mut nodes = Arena::new();
/// let x = nodes.insert(Node { shared: None });
/// let both = Arc::new(x.clone());
/// let a = nodes.insert(Node { shared: Some(Arc::clone(&both)) });
/// let b = nodes.insert(Node { shared: Some(both) });
/// drop((a, b)); // two dead holders of one shared Arc; the user still holds `x`
/// collect_cycles(&mut [&mut nodes], &mut []);
/// assert!(nodes.contains(&x));
/// ```
impl<T: Trace + ?Sized> Trace for Arc<T> {
    fn trace(&self, tracer: &mut Tracer) {
        if Arc::strong_count(self) == 1 && Arc::weak_count(self) == 0 {
            (**self).trace(tracer);
        }
    }
}

impl<T: Trace> Trace for [T] {
    fn trace(&self, tracer: &mut Tracer) {
        for item in self {
            item.trace(tracer);
        }
    }
}

impl<T: Trace, const N: usize> Trace for [T; N] {
    fn trace(&self, tracer: &mut Tracer) {
        self.as_slice().trace(tracer);
    }
}

/// `Trace` for containers whose items are traced in iteration order.
macro_rules! trace_items {
    ($($container:ident<$($param:ident),*> => $items:ident),* $(,)?) => {$(
        impl<$($param),*> Trace for $container<$($param),*>
        where
            $($param: Trace,)*
        {
            fn trace(&self, tracer: &mut Tracer) {
                for item in self.$items() {
                    item.trace(tracer);
                }
            }
        }
    )*};
}

trace_items!(Vec<T> => iter, VecDeque<T> => iter);

impl<K, V: Trace, S> Trace for HashMap<K, V, S> {
    fn trace(&self, tracer: &mut Tracer) {
        for value in self.values() {
            value.trace(tracer);
        }
    }
}

impl<K, V: Trace> Trace for BTreeMap<K, V> {
    fn trace(&self, tracer: &mut Tracer) {
        for value in self.values() {
            value.trace(tracer);
        }
    }
}

impl<T, S> Trace for HashSet<Strong<T>, S> {
    fn trace(&self, tracer: &mut Tracer) {
        for strong in self {
            tracer.visit(strong);
        }
    }
}

/// `Trace` for types that hold no strong handles.
macro_rules! trace_nothing {
    ($($leaf:ty),* $(,)?) => {$(
        impl Trace for $leaf {
            fn trace(&self, _: &mut Tracer) {}
        }
    )*};
}

trace_nothing!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    String,
    str,
    &'static str,
);

impl<A: Trace, B: Trace> Trace for (A, B) {
    fn trace(&self, tracer: &mut Tracer) {
        self.0.trace(tracer);
        self.1.trace(tracer);
    }
}
