//! Behaviours a mutation run found no test pinning down (RELIABILITY.md,
//! "Mutation testing"): each test here fails on the mutant it names.

use weakarena_core::{collect_cycles, Arena, Proxy, Strong, Trace, Tracer, WeakRef};

/// Kills `ArenaHandle::arena_id` → `None` for `Proxy` (and pins it for
/// `Strong` and `WeakRef`): a handle that knows its arena never reads
/// another arena's object in the same slot.
#[test]
fn strong_weak_ref_and_proxy_handles_are_refused_by_another_arena() {
    let (mut first, mut second) = (Arena::new(), Arena::new());
    let (a, b) = (first.insert("first"), second.insert("second"));
    assert_eq!(a.raw(), b.raw(), "same slot and generation");
    let weak_ref = WeakRef::new(&a);
    let proxy = Proxy::new(&a);
    assert_eq!(second.get(&a), None);
    assert_eq!(second.get(&weak_ref), None);
    assert_eq!(second.get(&proxy), None);
    assert_eq!((first.get(&weak_ref), first.get(&proxy)), (Some(&"first"), Some(&"first")));
}

/// A node whose link is boxed: traced through `Box<T>`.
struct Boxed {
    next: Option<Box<Strong<Boxed>>>,
}

impl Trace for Boxed {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
    }
}

/// Kills `Trace for Box<T>` → nothing: with the box untraced the pair's
/// counts look external and nothing is collected.
#[test]
fn a_cycle_through_a_boxed_field_is_collected() {
    let mut nodes = Arena::new();
    let a = nodes.insert(Boxed { next: None });
    let b = nodes.insert(Boxed { next: Some(Box::new(a.clone())) });
    nodes[&a].next = Some(Box::new(b.clone()));
    drop((a, b));
    let report = collect_cycles(&mut [&mut nodes], &mut []);
    assert_eq!(report.garbage, 2);
    assert!(nodes.is_empty());
}

/// Kills `Debug for WeakRef` → nothing written.
#[test]
fn a_weak_ref_debugs_as_its_handle_and_state() {
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let (weak_ref, raw) = (WeakRef::new(&a), a.raw());
    assert_eq!(format!("{weak_ref:?}"), format!("WeakRef({raw:?}, alive)"));
    drop(a);
    assert_eq!(format!("{weak_ref:?}"), format!("WeakRef({raw:?}, dead)"));
}
