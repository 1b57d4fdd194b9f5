//! Tracked references: WeakRef, Proxy, WeakMethod, Finalizer, weak counts.

mod common;

use common::Log;
use weakarena_core::{Arena, Finalizer, Proxy, TrackedKind, WeakMethod, WeakRef};

#[test]
fn callback_less_refs_are_one_shared_ref() {
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let r1 = WeakRef::new(&a);
    let r2 = WeakRef::new(&a);
    assert!(WeakRef::ptr_eq(&r1, &r2));
    assert_eq!(arena.weak_count(&a), 1);
    let with_cb = WeakRef::with_callback(&a, |_| {});
    assert!(!WeakRef::ptr_eq(&r1, &with_cb));
    assert_eq!(arena.weak_count(&a), 2);
    drop(r1);
    assert_eq!(arena.weak_count(&a), 2, "r2 still holds the shared ref");
    drop(r2);
    assert_eq!(arena.weak_count(&a), 1);
    let r3 = WeakRef::new(&a);
    assert!(r3.upgrade().is_some());
    assert_eq!(arena.weak_count(&a), 2);
}

#[test]
fn weak_ref_upgrade_follows_the_object() {
    let mut arena = Arena::new();
    let a = arena.insert("a");
    let r = WeakRef::new(&a);
    let again = r.upgrade().unwrap();
    assert_eq!(arena.strong_count(&a), 2);
    assert_eq!(arena[&again], "a");
    drop(again);
    drop(a);
    assert!(!r.is_alive());
    assert!(r.upgrade().is_none());
    arena.end_frame();
    assert!(r.upgrade().is_none());
}

#[test]
fn callbacks_run_at_the_frame_end_newest_first_with_the_object_dead() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert("a");
    let weak = a.downgrade();
    let table = std::sync::Arc::clone(arena.slot_table());
    let check = log.clone();
    let _r1 = WeakRef::with_callback(&a, move |dead| {
        check.push(format!("r1 sees alive={}", table.is_alive(dead.raw())));
    });
    let _r2 = WeakRef::with_callback(&a, log.on("r2"));
    let _r3 = WeakRef::with_callback(&a, log.on("r3"));
    drop(a);
    assert!(log.lines().is_empty());
    let report = arena.end_frame();
    assert_eq!(log.lines(), ["r3", "r2", "r1 sees alive=false"]);
    assert_eq!(report.callbacks_run, 3);
    assert!(arena.get(weak).is_none());
}

#[test]
fn dropping_a_weak_ref_cancels_its_callback() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let kept = WeakRef::with_callback(&a, log.on("kept"));
    let cancelled = WeakRef::with_callback(&a, log.on("cancelled"));
    assert_eq!(arena.weak_count(&a), 2);
    drop(cancelled);
    assert_eq!(arena.weak_count(&a), 1);
    drop(a);
    arena.end_frame();
    assert_eq!(log.lines(), ["kept"]);
    drop(kept);
}

#[test]
fn callbacks_and_finalizers_share_one_newest_first_order() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let _r = WeakRef::with_callback(&a, log.on("ref"));
    let _f = Finalizer::new(&a, log.fin("finalizer"));
    let _p = Proxy::with_callback(&a, log.on("proxy"));
    let _m = WeakMethod::with_callback(&a, |x: &i32, ()| *x, log.on("method"));
    drop(a);
    let report = arena.end_frame();
    assert_eq!(log.lines(), ["method", "proxy", "finalizer", "ref"]);
    assert_eq!(report.callbacks_run, 3);
    assert_eq!(report.finalizers_run, 1);
}

#[test]
fn proxies_fail_with_reference_error_and_are_shared() {
    let mut arena = Arena::new();
    let a = arena.insert(vec![1, 2]);
    let p1 = Proxy::new(&a);
    let p2 = Proxy::new(&a);
    assert!(Proxy::ptr_eq(&p1, &p2));
    assert_eq!(arena.weak_count(&a), 1);
    p1.get_mut(&mut arena).unwrap().push(3);
    assert_eq!(p2.get(&arena).unwrap(), &vec![1, 2, 3]);
    assert_eq!(arena.weak_refs(&a)[0].kind, TrackedKind::Proxy);
    drop(a);
    let err = p1.get(&arena).unwrap_err();
    assert_eq!(err.to_string(), "weakly-referenced object no longer exists");
    assert!(p1.get_mut(&mut arena).is_err());
    arena.end_frame();
    assert!(p2.get(&arena).is_err());
}

#[test]
fn a_proxy_used_with_another_arena_panics_with_a_message() {
    let mut a = Arena::new();
    let b: Arena<i32> = Arena::new();
    let x = a.insert(1);
    let proxy = Proxy::new(&x);
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| proxy.get(&b).copied())).unwrap_err();
    assert!(panic.downcast_ref::<String>().unwrap().contains("proxy of arena"));
}

#[test]
fn weak_methods_die_with_their_object() {
    let mut arena = Arena::new();
    let a = arena.insert(10);
    let add = WeakMethod::new(&a, |x: &i32, y: i32| x + y);
    let bump = WeakMethod::new(&a, |x: &mut i32, y: i32| *x += y);
    assert_eq!(arena.weak_count(&a), 2);
    bump.call_mut(&mut arena, 5);
    assert_eq!(add.call(&arena, 1), Some(16));
    assert!(add.upgrade().is_some());
    drop(a);
    assert_eq!(add.call(&arena, 1), None);
    assert_eq!(bump.call_mut(&mut arena, 1), None);
    assert!(!add.is_alive());
}

#[test]
fn finalizer_survives_its_handle_and_runs_once() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let fin = Finalizer::new(&a, log.fin("fin"));
    assert!(fin.alive());
    assert_eq!(arena.weak_count(&a), 1);
    drop(fin);
    assert_eq!(arena.weak_count(&a), 1, "the registry keeps the finalizer");
    drop(a);
    arena.end_frame();
    arena.end_frame();
    assert_eq!(log.lines(), ["fin"]);
}

#[test]
fn finalizer_detach_peek_and_call() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert("obj");
    let detached = Finalizer::new(&a, log.fin("detached"));
    let called = Finalizer::new(&a, log.fin("called"));
    assert_eq!(detached.peek_object().map(|s| arena[&s]), Some("obj"));
    let (object, func) = detached.detach().unwrap();
    assert_eq!(arena[&object], "obj");
    assert!(!detached.alive());
    assert!(detached.detach().is_none());
    assert!(detached.peek_object().is_none());
    assert!(called.call().is_some());
    assert!(called.call().is_none(), "at most once");
    assert!(!called.alive());
    assert_eq!(arena.weak_count(&a), 0);
    drop((object, a));
    arena.end_frame();
    assert_eq!(log.lines(), ["called"]);
    func();
    assert_eq!(log.lines(), ["called", "detached"]);
}

#[test]
fn shutdown_runs_atexit_finalizers_newest_first_once() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let b = arena.insert(2);
    let f1 = Finalizer::new(&a, log.fin("f1"));
    let f2 = Finalizer::new(&b, log.fin("f2"));
    let off = Finalizer::new(&a, log.fin("off"));
    let f3 = Finalizer::new(&a, log.fin("f3"));
    off.set_atexit(false);
    assert!(f1.atexit() && !off.atexit());
    let report = arena.shutdown();
    assert_eq!(log.lines(), ["f3", "f2", "f1"]);
    assert_eq!(report.finalizers_run, 3);
    assert!(!f2.alive() && off.alive());
    assert_eq!(arena.shutdown().finalizers_run, 0);
    drop((a, b, f3));
}

#[test]
fn dropping_an_arena_runs_atexit_finalizers() {
    let log = Log::default();
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let _fin = Finalizer::new(&a, log.fin("at exit"));
    drop(arena);
    assert_eq!(log.lines(), ["at exit"]);
    drop(a);
}

#[test]
fn weak_refs_lists_the_shared_ref_and_proxy_first_then_registration_order() {
    // CPython keeps an object's basic ref, then its basic proxy, at the head
    // of its weakref list, whenever they were made.
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let _f = Finalizer::new(&a, || {});
    let _p = Proxy::new(&a);
    let _m = WeakMethod::new(&a, |x: &i32, ()| *x);
    let _r = WeakRef::new(&a);
    let kinds: Vec<_> = arena.weak_refs(&a).iter().map(|r| (r.kind, r.has_callback)).collect();
    assert_eq!(
        kinds,
        [
            (TrackedKind::Ref, false),
            (TrackedKind::Proxy, false),
            (TrackedKind::Finalizer, true),
            (TrackedKind::Method, false)
        ]
    );
    assert!(arena.slot_table().add_membership(a.raw()));
    assert_eq!(arena.weak_count(&a), 5);
    assert_eq!(arena.weak_refs(&a)[4].kind, TrackedKind::Membership);
    arena.slot_table().remove_membership(a.raw());
    assert_eq!(arena.weak_count(&a), 4);
}

#[test]
fn a_shared_ref_counts_once_across_clones_and_threads_and_goes_with_its_last_handle() {
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let r = WeakRef::new(&a);
    let clones: Vec<WeakRef<i32>> = std::thread::scope(|scope| {
        let made: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| (0..100).map(|_| [r.clone(), WeakRef::new(&a)]).collect::<Vec<_>>()))
            .collect();
        made.into_iter().flat_map(|thread| thread.join().unwrap()).flatten().collect()
    });
    assert_eq!(arena.weak_count(&a), 1);
    assert!(clones.iter().all(|c| WeakRef::ptr_eq(c, &r) && c.id() == r.id()));
    drop(r);
    assert_eq!(arena.weak_count(&a), 1, "800 handles still hold it");
    std::thread::scope(|scope| {
        let mut rest = clones;
        let half = rest.split_off(400);
        scope.spawn(move || drop(half));
        drop(rest);
    });
    assert_eq!(arena.weak_count(&a), 0);
    assert!(arena.weak_refs(&a).is_empty());
}

#[test]
fn a_shared_ref_outliving_its_object_never_counts_for_the_slots_next_occupant() {
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let (old_ref, old_proxy) = (WeakRef::new(&a), Proxy::new(&a));
    let old_clone = old_ref.clone();
    drop(a);
    arena.end_frame();
    let b = arena.insert(2);
    assert_eq!(b.raw().index(), old_ref.handle().raw().index(), "b reuses a's slot");
    assert_eq!(arena.weak_count(&b), 0);
    let new_ref = WeakRef::new(&b);
    assert!(!WeakRef::ptr_eq(&new_ref, &old_ref) && new_ref.id() != old_ref.id());
    let late_clone = old_ref.clone();
    drop((old_ref, old_clone, old_proxy, late_clone));
    assert_eq!(arena.weak_count(&b), 1, "the dead object's handles leave b's count alone");
    assert_eq!(arena[new_ref.upgrade().as_ref().unwrap()], 2);
    drop(new_ref);
    assert_eq!(arena.weak_count(&b), 0);
}

#[test]
fn shutdown_first_processes_deaths_not_yet_reclaimed() {
    let mut arena = Arena::new();
    let log = Log::default();
    let dead = arena.insert(1);
    let live = arena.insert(2);
    let _early = Finalizer::new(&dead, log.fin("dead: at death"));
    let _cb = WeakRef::with_callback(&dead, log.on("dead: callback"));
    let _late = Finalizer::new(&live, log.fin("live: at exit"));
    drop(dead);
    let report = arena.shutdown();
    assert_eq!(log.lines(), ["dead: callback", "dead: at death", "live: at exit"]);
    assert_eq!((report.death_count(), report.callbacks_run, report.finalizers_run), (1, 1, 2));
    drop(live);
}

#[test]
fn a_reference_dropped_after_its_object_died_still_runs_its_callback() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let r = WeakRef::with_callback(&a, log.on("ref"));
    let p = Proxy::with_callback(&a, log.on("proxy"));
    let m = WeakMethod::with_callback(&a, |x: &i32, ()| *x, log.on("method"));
    let cancelled = WeakRef::with_callback(&a, log.on("cancelled"));
    let clone = r.clone();
    drop(cancelled); // while the object lives: cancels
    drop(a); // CPython runs the callbacks here
    drop((r, p, m)); // dropping them now cannot take that back
    let report = arena.end_frame();
    assert_eq!(log.lines(), ["method", "proxy", "ref"]);
    assert_eq!(report.callbacks_run, 3);
    drop(clone);
    arena.end_frame();
    assert_eq!(log.lines().len(), 3, "each ran once");
}

#[test]
fn has_callback_turns_false_at_the_death() {
    let mut arena = Arena::new();
    let log = Log::default();
    let a = arena.insert(1);
    let r = WeakRef::with_callback(&a, log.on("r"));
    assert!(r.has_callback());
    assert!(!WeakRef::new(&a).has_callback());
    drop(a);
    assert!(!r.has_callback(), "r.__callback__ is None once the referent is dead");
    arena.end_frame();
    assert_eq!(log.lines(), ["r"]);
    assert!(!r.has_callback());
}

#[test]
fn weak_refs_are_the_references_themselves() {
    let mut arena = Arena::new();
    let a = arena.insert(1);
    let plain = WeakRef::new(&a);
    let with_cb = WeakRef::with_callback(&a, |_| {});
    let proxy = Proxy::new(&a);
    let method = WeakMethod::new(&a, |x: &i32, ()| *x);
    let fin = Finalizer::new(&a, || ());
    let refs = arena.weak_refs(&a);
    assert_eq!(refs.len(), 5);
    assert!(refs[0] == plain && refs[1] == proxy && refs[2] == with_cb, "shared ref and proxy first");
    assert!(refs[3] == method && refs[4] == fin);
    assert!(refs[0] != with_cb && refs[2] != plain, "by identity, not by kind");
    assert!(refs[0] != proxy && refs[1] != plain, "the shared ref and proxy are two references");
    assert_eq!(refs[0].id, Some(WeakRef::new(&a).id()), "the shared ref is one ref");
    assert_eq!(refs[2].id, Some(with_cb.clone().id()));
    drop(plain);
    let ids: Vec<_> = arena.weak_refs(&a).iter().map(|r| r.id).collect();
    assert_eq!(ids, [Some(proxy.id()), Some(with_cb.id()), Some(method.id()), Some(fin.id())]);
}

#[test]
fn finalizer_call_returns_the_body_result_and_peek_gives_what_detach_would() {
    let mut arena = Arena::new();
    let a = arena.insert("obj");
    let fin = Finalizer::new(&a, || String::from("flushed"));
    let (object, body) = fin.peek().expect("alive");
    assert_eq!(arena[&object], "obj");
    assert_eq!(body(), "flushed");
    assert!(fin.alive(), "peek does not detach");
    assert_eq!(fin.call(), Some(String::from("flushed")));
    assert_eq!(fin.call(), None);
    assert!(fin.peek().is_none());
    let detached = Finalizer::new(&a, || 7);
    let (_, body) = detached.detach().unwrap();
    assert_eq!((body(), detached.call()), (7, None));
}

#[test]
fn a_reading_callback_reads_live_objects_and_its_object_reads_dead() {
    let mut arena = Arena::new();
    let log = Log::default();
    let dead = arena.insert("dead");
    let alive = arena.insert("alive");
    let (sink, other) = (log.clone(), alive.downgrade());
    let _r = WeakRef::with_reading_callback(&dead, move |arena: &Arena<&str>, handle| {
        sink.push(format!("{} reads; own={:?}", arena[other], arena.get(handle)));
        sink.push(format!("live={}", arena.iter().count()));
    });
    let sink = log.clone();
    let cancelled = WeakRef::with_reading_callback(&dead, move |_: &Arena<&str>, _| sink.push("cancelled"));
    drop(cancelled);
    assert_eq!(arena.weak_count(&dead), 1);
    drop(dead);
    let report = arena.end_frame();
    assert_eq!(log.lines(), ["alive reads; own=None", "live=1"]);
    assert_eq!(report.callbacks_run, 1);
    drop(alive);
}

#[test]
fn a_reading_finalizer_reads_live_objects_at_the_death_and_at_shutdown() {
    let mut arena = Arena::new();
    let log = Log::default();
    let (dies, stays) = (arena.insert("dies"), arena.insert("stays"));
    let (sink, own, other) = (log.clone(), dies.downgrade(), stays.downgrade());
    let _at_death = Finalizer::new_reading(&dies, move |arena: &Arena<&str>| {
        sink.push(format!("{} reads; own={:?}; live={}", arena[other], arena.get(own), arena.len()));
    });
    let sink = log.clone();
    let at_exit = Finalizer::new_reading(&stays, move |arena: &Arena<&str>| {
        sink.push(format!("exit; live={}", arena.len()))
    });
    assert_eq!(arena.weak_count(&stays), 1);
    drop(dies);
    assert_eq!(arena.end_frame().finalizers_run, 1);
    assert_eq!(log.lines(), ["stays reads; own=None; live=1"]);
    assert!(at_exit.alive());
    assert_eq!(arena.shutdown().finalizers_run, 1);
    assert_eq!(log.lines(), ["stays reads; own=None; live=1", "exit; live=1"]);
    assert!(!at_exit.alive());
    drop(stays);
}

#[test]
fn call_reading_runs_a_reading_finalizer_once_with_its_arena() {
    let mut arena = Arena::new();
    let object = arena.insert(20);
    let other = arena.insert(22);
    let sum = other.downgrade();
    let fin = Finalizer::new_reading(&object, move |arena: &Arena<i32>| arena[sum] + 20);
    assert_eq!(fin.call_reading(&arena), Some(42));
    assert_eq!(fin.call_reading(&arena), None);
    assert!(!fin.alive());
    drop(object);
    assert_eq!(arena.end_frame().finalizers_run, 0, "it ran once, at the call");
    let detached = Finalizer::new_reading(&other, |arena: &Arena<i32>| arena.len());
    let (strong, body) = detached.detach().expect("alive: detach gives the closure back");
    assert_eq!((arena[&strong], body(&arena)), (22, 1));
    assert_eq!(detached.call_reading(&arena), None);
}

#[test]
#[should_panic(expected = "a reading finalizer of arena")]
fn call_reading_with_another_arena_panics() {
    let mut arena = Arena::new();
    let foreign = Arena::<i32>::new();
    let object = arena.insert(1);
    let fin = Finalizer::new_reading(&object, |arena: &Arena<i32>| arena.len());
    let _ = fin.call_reading(&foreign);
}

#[test]
fn references_numbered_alike_in_two_arenas_are_still_two_references() {
    let (mut first, mut second) = (Arena::new(), Arena::new());
    let (a, b) = (first.insert(1), second.insert(1));
    let (fa, fb) = (Finalizer::new(&a, || ()), Finalizer::new(&b, || ()));
    let (ra, rb) = (WeakRef::with_callback(&a, |_| {}), WeakRef::with_callback(&b, |_| {}));
    let (sa, sb) = (WeakRef::new(&a), WeakRef::new(&b));
    let ids = [fa.id(), fb.id(), ra.id(), rb.id(), sa.id(), sb.id()];
    for (i, x) in ids.iter().enumerate() {
        assert!(ids[i + 1..].iter().all(|y| y != x), "id {i} is unique: {ids:?}");
    }
    let refs = first.weak_refs(&a);
    assert!(refs[0] == sa && refs[1] == fa && refs[2] == ra && refs[2] != rb);
}
