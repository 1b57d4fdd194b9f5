//! Panics during a frame end — in a callback, a finalizer, a value's `Drop`,
//! an `atexit` finalizer — are caught and reported; everything else still
//! runs, every value is dropped exactly once, and the arena stays usable.

mod common;

use std::panic::{self, PanicHookInfo};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use common::Log;
use weakarena_core::{Arena, Finalizer, FrameReport, PanicSource, Strong, TrackedKind, WeakRef};

/// Every deliberate panic message starts with this.
const DELIBERATE: &str = "deliberate";

/// Runs `f` (a frame end or shutdown, which catch every panic) with the
/// panics it raises on this thread kept off stderr; other threads' panics
/// still print. Restores the previous hook after, one test at a time.
fn quietly<R>(f: impl FnOnce() -> R) -> R {
    static HOOK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = HOOK.lock().unwrap_or_else(PoisonError::into_inner);
    let previous: Arc<dyn Fn(&PanicHookInfo<'_>) + Send + Sync> = Arc::from(panic::take_hook());
    let chained = Arc::clone(&previous);
    let quiet_thread = thread::current().id();
    panic::set_hook(Box::new(move |info| {
        if thread::current().id() != quiet_thread {
            chained(info);
        }
    }));
    let result = f();
    drop(panic::take_hook());
    panic::set_hook(Box::new(move |info| previous(info)));
    result
}

/// A value that logs its drop, may panic in it, and may hold other handles.
struct Fragile {
    name: &'static str,
    explodes: bool,
    nested: Vec<Strong<Fragile>>,
    drops: Log,
}

impl Drop for Fragile {
    fn drop(&mut self) {
        self.drops.push(self.name);
        if self.explodes {
            panic!("{DELIBERATE}: {} exploded", self.name);
        }
    }
}

fn fragile(arena: &mut Arena<Fragile>, drops: &Log, name: &'static str) -> Strong<Fragile> {
    arena.insert(Fragile { name, explodes: false, nested: Vec::new(), drops: drops.clone() })
}

fn sources_and_messages(report: &FrameReport) -> Vec<(PanicSource, String)> {
    report.panics.iter().map(|panic| (panic.source, panic.message.clone())).collect()
}

#[test]
fn callback_finalizer_and_drop_panics_are_reported_and_the_rest_still_runs() {
    let (log, drops) = (Log::default(), Log::default());
    let mut arena = Arena::new();
    let a = fragile(&mut arena, &drops, "a");
    let b = fragile(&mut arena, &drops, "b");
    let c = fragile(&mut arena, &drops, "c");
    let keep = fragile(&mut arena, &drops, "keep");
    let nested = fragile(&mut arena, &drops, "nested");
    let (a_weak, b_weak, c_weak, nested_weak) =
        (a.downgrade(), b.downgrade(), c.downgrade(), nested.downgrade());

    let _first = WeakRef::with_callback(&a, log.on("a first"));
    let _bad = WeakRef::with_callback(&a, |_| panic!("{DELIBERATE}: callback"));
    let _last = WeakRef::with_callback(&a, log.on("a last"));
    let _ = Finalizer::new(&b, log.fin("b first"));
    let _ = Finalizer::new(&b, || panic!("{DELIBERATE}: finalizer"));
    arena[&c].explodes = true;
    arena[&c].nested.push(nested);
    drop((a, b, c));

    let report = quietly(|| arena.end_frame());
    let expected = vec![
        (PanicSource::Callback(TrackedKind::Ref), format!("{DELIBERATE}: callback")),
        (PanicSource::Finalizer, format!("{DELIBERATE}: finalizer")),
        (PanicSource::ValueDrop, format!("{DELIBERATE}: c exploded")),
    ];
    assert_eq!(sources_and_messages(&report), expected);
    let panicked: Vec<_> = report.panics.iter().map(|panic| panic.handle).collect();
    assert_eq!(panicked, vec![a_weak.raw(), b_weak.raw(), c_weak.raw()]);
    assert_eq!(log.lines(), ["a last", "a first", "b first"]);
    assert_eq!((report.callbacks_run, report.finalizers_run), (3, 2), "the panicking ones count as run");
    assert_eq!(report.deaths, vec![a_weak.raw(), b_weak.raw(), c_weak.raw(), nested_weak.raw()]);
    assert_eq!(report.passes, 2, "the exploding value still released its nested handle");
    assert_eq!(report.values_dropped, 4);
    assert_eq!(drops.lines(), ["a", "b", "c", "nested"]);

    assert_the_arena_still_works(&mut arena, &drops, &keep);
    drop(keep);
    drop(arena);
    assert_eq!(drops.lines(), ["a", "b", "c", "nested", "after", "keep"], "each value dropped once");
}

fn assert_the_arena_still_works(arena: &mut Arena<Fragile>, drops: &Log, keep: &Strong<Fragile>) {
    assert_eq!(arena.len(), 1);
    assert_eq!(arena[keep].name, "keep");
    let after = fragile(arena, drops, "after");
    assert_eq!(arena.get(&after).map(|value| value.name), Some("after"));
    assert_eq!(arena.len(), 2);
    drop(after);
    let report = arena.end_frame();
    assert!(report.panics.is_empty());
    assert_eq!(report.values_dropped, 1);
}

#[test]
fn a_panicking_atexit_finalizer_is_reported_and_the_older_ones_still_run() {
    let log = Log::default();
    let mut arena = Arena::new();
    let object = arena.insert(1);
    let _ = Finalizer::new(&object, log.fin("older"));
    let _ = Finalizer::new(&object, || panic!("{DELIBERATE}: at exit"));
    let _ = Finalizer::new(&object, log.fin("newer"));
    let report = quietly(|| arena.shutdown());
    assert_eq!(sources_and_messages(&report), vec![(PanicSource::AtExit, format!("{DELIBERATE}: at exit"))]);
    assert_eq!(report.panics[0].handle, object.raw());
    assert_eq!(log.lines(), ["newer", "older"]);
    assert_eq!(report.finalizers_run, 3);
    assert_eq!(arena[&object], 1, "shutdown leaves the arena usable");
}

#[test]
fn a_non_string_panic_payload_is_reported_with_a_placeholder() {
    let mut arena = Arena::new();
    let object = arena.insert(());
    let _r = WeakRef::with_callback(&object, |_| panic::panic_any(42_u8));
    drop(object);
    let report = quietly(|| arena.end_frame());
    assert_eq!(report.panics.len(), 1);
    assert_eq!(report.panics[0].message, "non-string panic payload");
    assert_eq!(report.panics[0].source, PanicSource::Callback(TrackedKind::Ref));
}

/// A panic payload whose own `Drop` panics: dropping it outside a
/// `catch_unwind` would carry the second panic out of the frame end.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("{DELIBERATE}: the payload's drop");
    }
}

/// A value whose `Drop` panics with a [`Bomb`], and may hold another handle.
struct Booby {
    _held: Option<Strong<Booby>>,
}

impl Drop for Booby {
    fn drop(&mut self) {
        panic::panic_any(Bomb);
    }
}

#[test]
fn a_panic_payload_whose_drop_panics_never_escapes_and_every_death_is_processed() {
    let log = Log::default();
    let mut arena = Arena::new();
    let inner = arena.insert(Booby { _held: None });
    let outer = arena.insert(Booby { _held: Some(inner) });
    let plain = arena.insert(Booby { _held: None });
    let _callback = WeakRef::with_callback(&outer, |_| panic::panic_any(Bomb));
    let _ = Finalizer::new(&plain, || panic::panic_any(Bomb));
    let _ = Finalizer::new(&plain, log.fin("older finalizer still runs"));
    let slots = arena.slot_count();
    drop((outer, plain));

    let report = quietly(|| arena.end_frame());
    assert_eq!(report.death_count(), 3, "the nested object's death cascaded too");
    assert_eq!(report.values_dropped, 3);
    assert_eq!(report.panics.len(), 5, "{:?}", report.panics);
    for panic in &report.panics {
        assert!(panic.message.contains("payload's Drop panicked"), "{}", panic.message);
    }
    assert_eq!(log.lines(), ["older finalizer still runs"]);
    assert!(!arena.has_pending_deaths());
    assert!(arena.is_empty());
    let reused: Vec<_> = (0..3).map(|_| arena.insert(Booby { _held: None })).collect();
    assert_eq!(arena.slot_count(), slots, "every slot was reclaimed and reused");
    drop(reused);
    assert_eq!(quietly(|| arena.end_frame()).panics.len(), 3);
}

/// Two live values whose `Drop` panics, the case that aborted the process
/// when the arena's field drops ran them during an unwind.
fn two_loud_values() -> Arena<Booby> {
    let mut arena = Arena::new();
    std::mem::forget((arena.insert(Booby { _held: None }), arena.insert(Booby { _held: None })));
    arena
}

#[test]
fn close_reports_every_panicking_value_drop_of_a_live_object() {
    let arena = two_loud_values();
    let report = quietly(|| arena.close());
    assert_eq!(report.values_dropped, 2);
    let sources: Vec<_> = report.panics.iter().map(|panic| panic.source).collect();
    assert_eq!(sources, [PanicSource::ValueDrop, PanicSource::ValueDrop]);
}

/// Run only by the next test, in a child process: an abort must not take
/// the test binary down with it.
#[test]
#[ignore = "run in a child process by dropping_an_arena_with_two_panicking_drops_never_aborts"]
fn child_drops_an_arena_with_two_panicking_drops() {
    drop(two_loud_values());
    println!("child survived the drop");
}

#[test]
#[cfg_attr(miri, ignore = "Miri cannot spawn the child process")]
fn dropping_an_arena_with_two_panicking_drops_never_aborts_and_logs_each_panic() {
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_drops_an_arena_with_two_panicking_drops", "--ignored", "--nocapture"])
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&child.stdout), String::from_utf8_lossy(&child.stderr));
    assert!(child.status.success(), "child failed: {:?}\n{stdout}\n{stderr}", child.status);
    assert!(stdout.contains("child survived the drop"), "{stdout}");
    let logged = stderr.lines().filter(|line| line.starts_with("weakarena: arena ")).count();
    assert_eq!(logged, 2, "one line per caught panic:\n{stderr}");
}
