//! Memory per handle and per weak-map entry, measured by a counting global
//! allocator: heap bytes held after building, less the bytes held before,
//! divided by the count. Maps grow by insertion (no capacity hint), as a
//! frame loop grows them. Prints a table; `cargo bench --bench memory`.

#![allow(unsafe_code, reason = "a counting global allocator must implement the unsafe GlobalAlloc")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::mem::size_of;
use std::rc::{Rc, Weak as RcWeak};
use std::sync::atomic::{AtomicUsize, Ordering};

use weakarena::{Arena, Finalizer, Proxy, SparseWeakKeyMap, Strong, Weak, WeakKeyMap, WeakRef, WeakSet};

mod support;
use support::{payload, Payload};

/// The system allocator, counting the bytes it holds.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the caller's own arguments,
// so `System`'s guarantees carry over; the counter has no effect on them.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` (through `alloc` above) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size, Ordering::Relaxed);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as for `dealloc`, and `new_size` is the caller's valid size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const N: usize = 1_000_000;

/// Heap bytes per item that `build` leaves held, with what it returns.
fn per_item<R>(count: usize, build: impl FnOnce() -> R) -> (f64, R) {
    let before = HELD.load(Ordering::Relaxed);
    let built = build();
    let held = HELD.load(Ordering::Relaxed) - before;
    (held as f64 / count as f64, built)
}

fn row(what: &str, bytes: f64) {
    println!("| {what} | {bytes:.1} |");
}

fn handles() {
    println!("| handle | bytes (size_of) |\n|---|---|");
    row("weakarena `Weak<T>`", size_of::<Weak<Payload>>() as f64);
    row("weakarena `Option<Weak<T>>`", size_of::<Option<Weak<Payload>>>() as f64);
    row("weakarena `Strong<T>`", size_of::<Strong<Payload>>() as f64);
    row(
        "weakarena `WeakRef<T>` (+ a heap record if made with a callback)",
        size_of::<WeakRef<Payload>>() as f64,
    );
    row("weakarena `Proxy<T>`", size_of::<Proxy<Payload>>() as f64);
    row("weakarena `Finalizer<T>`", size_of::<Finalizer<Payload>>() as f64);
    row("slotmap `DefaultKey`", size_of::<slotmap::DefaultKey>() as f64);
    row("generational-arena `Index`", size_of::<generational_arena::Index>() as f64);
    row("std `Rc<T>` / `rc::Weak<T>`", size_of::<Rc<Payload>>() as f64);
    println!();
}

fn objects() {
    println!("| {N} objects of 64 bytes, held in | heap bytes per object |\n|---|---|");
    let mut strongs: Vec<Strong<Payload>> = Vec::with_capacity(N);
    let (bytes, arena) = per_item(N, || {
        let mut arena = Arena::new();
        strongs.extend((0..N as u64).map(|i| arena.insert(payload(i))));
        arena
    });
    row("weakarena `Arena` (value slots + side table)", bytes);
    drop((strongs, arena));
    let (bytes, slots) = per_item(N, || {
        let mut slots = slotmap::SlotMap::new();
        for i in 0..N as u64 {
            slots.insert(payload(i));
        }
        slots
    });
    row("slotmap `SlotMap`", bytes);
    drop(slots);
    let mut owners: Vec<Rc<Payload>> = Vec::with_capacity(N);
    let (bytes, ()) = per_item(N, || owners.extend((0..N as u64).map(|i| Rc::new(payload(i)))));
    row("std `Rc` (one box each)", bytes);
    drop(owners);
    println!();
}

fn maps() {
    println!("| weak-keyed map of {N} entries, `u64` values | heap bytes per entry |\n|---|---|");
    let mut arena = Arena::new();
    let strongs: Vec<Strong<Payload>> = (0..N as u64).map(|i| arena.insert(payload(i))).collect();
    let (bytes, map) = per_item(N, || {
        let mut map = WeakKeyMap::new(&arena);
        for (strong, i) in strongs.iter().zip(0u64..) {
            map.insert(strong, i);
        }
        map
    });
    row("weakarena `WeakKeyMap` (dense, by slot)", bytes);
    drop(map);
    let (bytes, map) = per_item(N, || {
        let mut map = SparseWeakKeyMap::new(&arena);
        for (strong, i) in strongs.iter().zip(0u64..) {
            map.insert(strong, i);
        }
        map
    });
    row("weakarena `SparseWeakKeyMap` (hashed)", bytes);
    drop(map);

    let mut slots = slotmap::SlotMap::new();
    let keys: Vec<slotmap::DefaultKey> = (0..N as u64).map(|i| slots.insert(payload(i))).collect();
    let (bytes, map) =
        per_item(N, || keys.iter().zip(0u64..).map(|(&k, i)| (k, i)).collect::<HashMap<_, _>>());
    row("slotmap keys in a std `HashMap`", bytes);
    drop(map);
    let (bytes, map) = per_item(N, || {
        let mut map = slotmap::SecondaryMap::new();
        for (&k, i) in keys.iter().zip(0u64..) {
            map.insert(k, i);
        }
        map
    });
    row("slotmap `SecondaryMap`", bytes);
    drop(map);
    let (bytes, map) = per_item(N, || {
        let mut map = slotmap::SparseSecondaryMap::new();
        for (&k, i) in keys.iter().zip(0u64..) {
            map.insert(k, i);
        }
        map
    });
    row("slotmap `SparseSecondaryMap`", bytes);
    drop(map);

    let mut generational = generational_arena::Arena::new();
    let indices: Vec<_> = (0..N as u64).map(|i| generational.insert(payload(i))).collect();
    let (bytes, map) =
        per_item(N, || indices.iter().zip(0u64..).map(|(&k, i)| (k, i)).collect::<HashMap<_, _>>());
    row("generational-arena `Index` in a std `HashMap`", bytes);
    drop(map);

    let owners: Vec<Rc<Payload>> = (0..N as u64).map(|i| Rc::new(payload(i))).collect();
    let (bytes, entries) = per_item(N, || {
        owners
            .iter()
            .zip(0u64..)
            .map(|(owner, i)| (Rc::downgrade(owner), i))
            .collect::<Vec<(RcWeak<Payload>, u64)>>()
    });
    row("`Vec<(rc::Weak, u64)>` (plus the 80-byte `Rc` box a dead key keeps until swept)", bytes);
    drop(entries);
    let (bytes, table) = per_item(N, || {
        let mut table = weak_table::PtrWeakKeyHashMap::<RcWeak<Payload>, u64>::new();
        for (owner, i) in owners.iter().zip(0u64..) {
            table.insert(Rc::clone(owner), i);
        }
        table
    });
    row("weak-table `PtrWeakKeyHashMap` (same)", bytes);
    drop(table);
    println!();
}

fn sets() {
    println!("| weak set of {N} members | heap bytes per member |\n|---|---|");
    let mut arena = Arena::new();
    let strongs: Vec<Strong<Payload>> = (0..N as u64).map(|i| arena.insert(payload(i))).collect();
    for (name, dense) in [("`WeakSet::dense` (by slot)", true), ("`WeakSet::new` (hashed)", false)] {
        let (bytes, set) = per_item(N, || {
            let mut set = if dense { WeakSet::dense(&arena) } else { WeakSet::new(&arena) };
            set.extend(&strongs);
            set
        });
        row(&format!("weakarena {name}"), bytes);
        drop(set);
    }
    let mut slots = slotmap::SlotMap::new();
    let keys: Vec<slotmap::DefaultKey> = (0..N as u64).map(|i| slots.insert(payload(i))).collect();
    let (bytes, set) = per_item(N, || keys.iter().copied().collect::<std::collections::HashSet<_>>());
    row("slotmap keys in a std `HashSet`", bytes);
    drop(set);
    println!();
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return; // `cargo bench -- --list` asks every bench target for its benches
    }
    handles();
    objects();
    maps();
    sets();
}
